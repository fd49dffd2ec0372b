/*
 * holder.c — the index the server screens against, and its hot reload.
 *
 * `current` is an atomic pointer to a refcounted holder. A request takes
 * a reference by reading the pointer and incrementing the count only if
 * it is still above zero; a reload builds or opens the new index off to
 * the side, swaps the pointer and drops the old holder's own reference.
 * The old index is closed by whichever request releases it last, so
 * requests in flight finish on the index they started with and no
 * request ever waits for a reload. Because a retired holder's count is
 * never raised from zero again, and shells are only freed at shutdown,
 * the read-then-increment race is harmless.
 *
 * A reload that fails leaves `current` alone: the old index keeps
 * serving and the error is kept for /lists and the log. A reload also
 * rereads the trade-control rules (rules.c), which swap on their own.
 */
#include "server_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Atomic(srv_index *) current;
static srv_index *shells; /* all holders, newest first; under load_mu */
static unsigned long generation;
static pthread_mutex_t load_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t info_mu = PTHREAD_MUTEX_INITIALIZER;
static srv_reload_info info;

const char *srv_holder_origin(void) { return srv_opts->index_path ? "snapshot" : "lists"; }

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Replaces every occurrence of `from` in buf by `to` (to is shorter). */
static void replace_all(char *buf, const char *from, const char *to)
{
    size_t nf = strlen(from), nt = strlen(to);
    if (!nf || nt > nf)
        return;
    char *p;
    while ((p = strstr(buf, from)) != NULL) {
        memcpy(p, to, nt);
        memmove(p + nt, p + nf, strlen(p + nf) + 1);
    }
}

void srv_error_public(const cordon_error *err, char *buf, size_t size)
{
    /* Clients see file names but never directories: a path says where
     * the deployment keeps its data, which is nobody else's business. */
    const char *base = strrchr(err->file, '/');
    base = base ? base + 1 : err->file;
    char msg[sizeof err->message];
    snprintf(msg, sizeof msg, "%s", err->message);
    if (err->file[0] && base != err->file)
        replace_all(msg, err->file, base);
    if (base[0] && err->line && err->column)
        snprintf(buf, size, "%s:%lu:%lu: %s", base, err->line, err->column, msg);
    else if (base[0] && err->line)
        snprintf(buf, size, "%s:%lu: %s", base, err->line, msg);
    else if (base[0])
        snprintf(buf, size, "%s: %s", base, msg);
    else
        snprintf(buf, size, "%s", msg);
    srv_utf8_trim(buf);
}

/* Opens the snapshot, or reads the lists file and builds the index. */
static int load(cordon_index **out, cordon_error *err)
{
    if (srv_opts->index_path)
        return cordon_index_open(srv_opts->index_path, out, err);
    cordon_config *cfg = NULL;
    int rc = cordon_config_read(srv_opts->lists_path, &cfg, err);
    if (rc)
        return rc;
    cordon_dataset *ds = cordon_dataset_new();
    if (!ds) {
        cordon_config_free(cfg);
        cordon_error_clear(err);
        if (err) {
            err->code = CORDON_ENOMEM;
            snprintf(err->message, sizeof err->message, "out of memory");
        }
        return CORDON_ENOMEM;
    }
    rc = cordon_dataset_load_config(ds, cfg, err);
    if (!rc)
        rc = cordon_index_build(ds, out, err);
    cordon_dataset_free(ds);
    cordon_config_free(cfg);
    return rc;
}

/* Loads a new index and makes it current. Called with load_mu held. */
static int load_and_swap(char *log_msg, size_t log_size, char *pub_msg, size_t pub_size)
{
    cordon_error err;
    cordon_error_clear(&err);
    cordon_index *idx = NULL;
    double t0 = now_seconds();
    int rc = load(&idx, &err);
    if (rc) {
        cordon_error_format(&err, log_msg, log_size);
        srv_error_public(&err, pub_msg, pub_size);
        return -1;
    }
    srv_index *h = calloc(1, sizeof *h);
    if (!h) {
        cordon_index_close(idx);
        snprintf(log_msg, log_size, "out of memory");
        snprintf(pub_msg, pub_size, "out of memory");
        return -1;
    }
    h->idx = idx;
    atomic_init(&h->refs, 1);
    h->loaded_at = time(NULL);
    h->generation = ++generation;
    h->load_seconds = now_seconds() - t0;
    h->older = shells;
    shells = h;
    srv_index *old = atomic_exchange(&current, h);
    if (old)
        srv_release(old);
    snprintf(log_msg, log_size, "generation %lu: %zu entities, index %.16s..., loaded in %.3f s",
             h->generation, cordon_index_entity_count(idx), cordon_index_hash(idx),
             h->load_seconds);
    pub_msg[0] = '\0';
    return 0;
}

int srv_holder_start(char *msg, size_t size)
{
    char pub[600];
    pthread_mutex_lock(&load_mu);
    int rc = load_and_swap(msg, size, pub, sizeof pub);
    pthread_mutex_unlock(&load_mu);
    return rc;
}

int srv_reload(char *msg, size_t size)
{
    char log_msg[1400], pub[600], rules_pub[600], rules_log[1400];
    pthread_mutex_lock(&load_mu);
    int rc = load_and_swap(log_msg, sizeof log_msg, pub, sizeof pub);
    pthread_mutex_unlock(&load_mu);
    /* the rules reload on their own: a broken rules file must not hold
     * back new lists, nor a broken list new rules */
    int rules = srv_rules_reload(rules_pub, sizeof rules_pub, rules_log, sizeof rules_log);
    int ok = rc == 0 && rules >= 0;
    pthread_mutex_lock(&info_mu);
    info.at = time(NULL);
    if (ok) {
        info.state = 1;
        info.ok++;
        info.error[0] = '\0';
    } else {
        info.state = -1;
        info.failed++;
        snprintf(info.error, sizeof info.error, "%s%s%s", rc ? pub : "",
                 rc && rules < 0 ? "; " : "", rules < 0 ? rules_pub : "");
        srv_utf8_trim(info.error);
    }
    pthread_mutex_unlock(&info_mu);
    srv_metrics_reload(ok);
    fprintf(stderr, "cordon serve: reload %s: %s\n", rc == 0 ? "ok" : "FAILED, old index kept",
            log_msg);
    if (rules != 0)
        fprintf(stderr, "cordon serve: rules %s: %s\n",
                rules > 0 ? "reloaded" : "reload FAILED, old rules kept", rules_log);
    char rules_said[700] = "";
    if (rules < 0) {
        srv_rules_info ri;
        srv_rules_info_get(&ri);
        snprintf(rules_said, sizeof rules_said, "%s: %s",
                 ri.loaded ? "the previous rules are still in use"
                           : "POST /shipment has no rules",
                 rules_pub);
    }
    if (ok)
        snprintf(msg, size, "%s; rules: %s", log_msg, rules_pub);
    else if (rc && rules < 0)
        snprintf(msg, size, "the previous index is still serving: %s; %s", pub, rules_said);
    else if (rc)
        snprintf(msg, size, "the previous index is still serving: %s", pub);
    else
        snprintf(msg, size, "%s", rules_said);
    srv_utf8_trim(msg);
    return ok ? 0 : -1;
}

void srv_reload_info_get(srv_reload_info *out)
{
    pthread_mutex_lock(&info_mu);
    *out = info;
    pthread_mutex_unlock(&info_mu);
}

srv_index *srv_acquire(void)
{
    for (;;) {
        srv_index *h = atomic_load_explicit(&current, memory_order_acquire);
        long n = atomic_load_explicit(&h->refs, memory_order_relaxed);
        while (n > 0)
            if (atomic_compare_exchange_weak_explicit(&h->refs, &n, n + 1, memory_order_acquire,
                                                      memory_order_relaxed))
                return h;
        /* h was retired and closed between the two loads: current has
         * moved on, so read it again. */
    }
}

void srv_release(srv_index *h)
{
    if (h && atomic_fetch_sub_explicit(&h->refs, 1, memory_order_acq_rel) == 1) {
        cordon_index_close(h->idx);
        h->idx = NULL;
    }
}

void srv_holder_stop(void)
{
    pthread_mutex_lock(&load_mu);
    srv_index *h = atomic_exchange(&current, NULL);
    srv_release(h);
    while (shells) {
        srv_index *next = shells->older;
        free(shells);
        shells = next;
    }
    pthread_mutex_unlock(&load_mu);
}
