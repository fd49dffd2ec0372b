/*
 * serve.c — the life of `cordon serve`: check the options, load the
 * keys, the index and the trade-control rules, start the daemon, then
 * wait for signals. SIGHUP and POST /admin/reload both go to one reload
 * thread (which reloads the index and the rules), so reloads never run
 * on a worker thread (a rebuild takes seconds and would stall that
 * worker's connections) and never run two at a time. A POST waits
 * suspended, costing no thread, and is answered with the outcome of a
 * reload that started after it arrived. SIGINT and SIGTERM stop the
 * server: new reloads are refused, the daemon drains, and everything is
 * freed, so a leak checker sees a clean exit.
 */
#include "server_int.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const srv_options *srv_opts;

void srv_options_init(srv_options *o)
{
    memset(o, 0, sizeof *o);
    o->bind = "127.0.0.1";
    o->port = 8080;
    o->max_body = SRV_DEFAULT_MAX_BODY;
    o->max_target = SRV_DEFAULT_MAX_TARGET;
    o->timeout = SRV_DEFAULT_TIMEOUT;
    o->max_connections = SRV_DEFAULT_MAX_CONNECTIONS;
    o->per_ip = SRV_DEFAULT_PER_IP;
}

/* ---- the reload thread ------------------------------------------------ */

static pthread_mutex_t rq_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t rq_cv = PTHREAD_COND_INITIALIZER;
static int rq_hup, rq_stop;
static srv_request *rq_pending;

int srv_reload_enqueue(srv_request *r)
{
    pthread_mutex_lock(&rq_mu);
    if (rq_stop) {
        pthread_mutex_unlock(&rq_mu);
        return -1;
    }
    /* No idle timeout while it waits: a reload can take longer than the
     * timeout, and libmicrohttpd would close the connection as soon as
     * it is resumed. http.c sets the timeout again (which also restarts
     * the idle clock). Suspended before the reload thread can see it, so
     * its resume can never come first. */
    MHD_set_connection_option(r->conn, MHD_CONNECTION_OPTION_TIMEOUT, 0u);
    MHD_suspend_connection(r->conn);
    r->reload_state = SRV_RELOAD_WAITING;
    r->next_pending = rq_pending;
    rq_pending = r;
    pthread_cond_signal(&rq_cv);
    pthread_mutex_unlock(&rq_mu);
    return 0;
}

static void answer(srv_request *batch, int ok, const char *msg)
{
    while (batch) {
        srv_request *next = batch->next_pending;
        struct MHD_Connection *c = batch->conn;
        batch->reload_ok = ok;
        snprintf(batch->reload_msg, sizeof batch->reload_msg, "%s", msg);
        batch->reload_state = SRV_RELOAD_DONE;
        MHD_resume_connection(c); /* batch may be gone after this */
        batch = next;
    }
}

static void *reload_thread(void *arg)
{
    pthread_mutex_lock(&rq_mu);
    for (;;) {
        while (!rq_hup && !rq_pending && !rq_stop)
            pthread_cond_wait(&rq_cv, &rq_mu);
        srv_request *batch = rq_pending;
        rq_pending = NULL;
        int hup = rq_hup, stop = rq_stop;
        rq_hup = 0;
        pthread_mutex_unlock(&rq_mu);
        if (stop) {
            answer(batch, 0, "the server is shutting down");
            return NULL;
        }
        if (hup || batch) {
            char msg[1200];
            int ok = srv_reload(msg, sizeof msg) == 0;
            answer(batch, ok, msg);
        }
        pthread_mutex_lock(&rq_mu);
    }
}

static void rq_signal(int *flag)
{
    pthread_mutex_lock(&rq_mu);
    *flag = 1;
    pthread_cond_signal(&rq_cv);
    pthread_mutex_unlock(&rq_mu);
}

/* ---- startup ---------------------------------------------------------- */

static int is_loopback(const char *addr)
{
    struct in_addr v4;
    struct in6_addr v6;
    if (inet_pton(AF_INET, addr, &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, addr, &v6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&v6);
    return 0;
}

static unsigned cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 && n < 256 ? (unsigned)n : 1;
}

int srv_run(const srv_options *given)
{
    srv_options o = *given;
    if (!o.threads)
        o.threads = cores();
    srv_opts = &o;
    if (!!o.index_path == !!o.lists_path) {
        fprintf(stderr, "cordon serve: give exactly one of --index FILE and --lists FILE\n");
        return 2;
    }
    if (o.no_auth && o.keys_path) {
        fprintf(stderr, "cordon serve: --no-auth and --keys exclude each other\n");
        return 2;
    }
    if (o.no_auth && !is_loopback(o.bind)) {
        fprintf(stderr, "cordon serve: --no-auth is only allowed on a loopback address "
                        "(127.0.0.1 or ::1), not %s\n", o.bind);
        return 2;
    }
    if (!o.no_auth && !o.keys_path) {
        fprintf(stderr, "cordon serve: no API keys: pass --keys FILE (lines made by `cordon "
                        "serve --hash-key ID`), or --no-auth on loopback\n");
        return 2;
    }
    if (o.port > 65535 || o.max_body == 0 || o.max_target < 64 || o.timeout == 0 ||
        o.max_connections == 0 || o.per_ip == 0 || o.threads > 256) {
        fprintf(stderr, "cordon serve: a limit is out of range\n");
        return 2;
    }
    /* SIGHUP is blocked first: one during the first load must not kill
     * the process (it reloads once serving). SIGINT and SIGTERM still
     * stop a slow first load. */
    sigset_t hup, set;
    sigemptyset(&hup);
    sigaddset(&hup, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &hup, NULL);
    signal(SIGPIPE, SIG_IGN);

    char msg[1400];
    if (o.keys_path) {
        int n = srv_keys_load(o.keys_path, msg, sizeof msg);
        if (n < 0) {
            fprintf(stderr, "cordon serve: %s\n", msg);
            return 2;
        }
        fprintf(stderr, "cordon serve: %d API key%s loaded\n", n, n == 1 ? "" : "s");
    } else {
        fprintf(stderr,
                "cordon serve: WARNING: --no-auth: EVERY ENDPOINT IS OPEN TO ANYONE WHO CAN "
                "REACH %s. Use it only for local development.\n", o.bind);
    }
    if (srv_holder_start(msg, sizeof msg) != 0) {
        fprintf(stderr, "cordon serve: cannot load the index: %s\n", msg);
        srv_keys_free();
        return 2;
    }
    fprintf(stderr, "cordon serve: index loaded from %s: %s\n", srv_holder_origin(), msg);
    /* rules are optional: without them only POST /shipment is refused */
    int rules = srv_rules_start(msg, sizeof msg);
    fprintf(stderr, "cordon serve: trade-control rules %s: %s\n",
            rules > 0    ? "loaded"
            : rules == 0 ? "not found, POST /shipment answers 503"
                         : "NOT LOADED, POST /shipment answers 503 until a reload loads them",
            msg);

    /* Every thread made from here on inherits this mask, so the signals
     * reach only the sigwait below. */
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);

    /* after the mask: the audit writer's thread must not take signals */
    if (srv_audit_start(msg, sizeof msg) != 0) {
        fprintf(stderr, "cordon serve: cannot keep the audit log: %s (--no-audit serves "
                        "without one)\n", msg);
        srv_rules_stop();
        srv_holder_stop();
        srv_keys_free();
        return 2;
    }
    fprintf(stderr, "cordon serve: audit log: %s\n", msg);
    pthread_t reloader;
    if (pthread_create(&reloader, NULL, reload_thread, NULL) != 0) {
        fprintf(stderr, "cordon serve: cannot start the reload thread\n");
        srv_audit_stop();
        srv_rules_stop();
        srv_holder_stop();
        srv_keys_free();
        return 2;
    }
    pthread_setname_np(reloader, "cordon-reload");
    struct MHD_Daemon *d = srv_http_start();
    if (!d) {
        rq_signal(&rq_stop);
        pthread_join(reloader, NULL);
        srv_audit_stop();
        srv_rules_stop();
        srv_holder_stop();
        srv_keys_free();
        return 2;
    }
    int v6 = strchr(o.bind, ':') != NULL;
    fprintf(stderr, "cordon serve: listening on http://%s%s%s:%u (%u threads)\n",
            v6 ? "[" : "", o.bind, v6 ? "]" : "", srv_http_port(d), o.threads);

    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            rq_signal(&rq_hup);
            continue;
        }
        fprintf(stderr, "cordon serve: %s: shutting down\n",
                sig == SIGINT ? "SIGINT" : "SIGTERM");
        break;
    }
    rq_signal(&rq_stop);
    pthread_join(reloader, NULL);
    srv_http_stop(d);
    srv_audit_stop();
    srv_rules_stop();
    srv_holder_stop();
    srv_keys_free();
    return 0;
}
