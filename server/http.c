/*
 * http.c — the request plumbing on libmicrohttpd: the daemon and its
 * limits, one srv_request per connection (reset when a request line
 * arrives, freed when the connection closes), routing, authentication,
 * request bodies, JSON errors, and the one log line per request
 * ("METHOD PATH STATUS µs", never the query string or the body, which
 * carry the names being screened).
 *
 * Order of checks: request-target length (413), path (404), method
 * (405), API key (401), declared body size (413), body, endpoint.
 */
#include "server_int.h"

#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* The page's security policy: nothing from elsewhere, no inline code. */
#define PAGE_CSP                                                                            \
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "        \
    "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

static struct MHD_Response **asset_responses;

typedef struct route {
    const char *path;
    int prefix; /* path is a prefix: "/entities/ID" */
    srv_endpoint ep;
    const char *method; /* GET (which admits HEAD) or POST */
    int public_;        /* answered without a key */
} route;

static const route routes[] = {
    {"/search", 0, SRV_EP_SEARCH, "GET", 0},   {"/match", 0, SRV_EP_MATCH, "POST", 0},
    {"/entities/", 1, SRV_EP_ENTITIES, "GET", 0}, {"/lists", 0, SRV_EP_LISTS, "GET", 0},
    {"/healthz", 0, SRV_EP_HEALTHZ, "GET", 1}, {"/metrics", 0, SRV_EP_METRICS, "GET", 0},
    {"/admin/reload", 0, SRV_EP_RELOAD, "POST", 0},
    {"/shipment", 0, SRV_EP_SHIPMENT, "POST", 0},
};

/* ---- responses ------------------------------------------------------- */

static void common_headers(struct MHD_Response *resp, const srv_request *r, unsigned status)
{
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (status == 401)
        MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"cordon\"");
    if (status == 405 && r->allow)
        MHD_add_response_header(resp, "Allow", r->allow);
}

enum MHD_Result srv_respond(srv_request *r, unsigned status, const char *type, char *body,
                            size_t len)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer_with_free_callback(len, body, free);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", type);
    common_headers(resp, r, status);
    enum MHD_Result ok = MHD_queue_response(r->conn, status, resp);
    MHD_destroy_response(resp);
    r->status = status;
    if (ok == MHD_YES)
        srv_metrics_response(r->ep, status);
    return ok;
}

enum MHD_Result srv_respond_json(srv_request *r, unsigned status, json_t *v)
{
    char *s = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6))
                : NULL;
    json_decref(v);
    if (!s)
        return srv_respond_error(r, 500, "out of memory");
    size_t n = strlen(s);
    char *body = realloc(s, n + 2);
    if (!body) {
        free(s);
        return srv_respond_error(r, 500, "out of memory");
    }
    body[n] = '\n';
    body[n + 1] = '\0';
    return srv_respond(r, status, "application/json", body, n + 1);
}

static const char *error_code(unsigned status)
{
    switch (status) {
    case 400: return "bad_request";
    case 401: return "unauthorized";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 413: return "too_large";
    case 422: return "unprocessable";
    case 503: return "unavailable";
    default: return "internal";
    }
}

void srv_utf8_trim(char *s)
{
    size_t end = strlen(s), i = end;
    while (i > 0 && end - i < 3 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    unsigned char lead = i ? (unsigned char)s[i - 1] : 0;
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (i && end - (i - 1) < want)
        s[i - 1] = '\0';
}

enum MHD_Result srv_respond_error(srv_request *r, unsigned status, const char *fmt, ...)
{
    char msg[1400];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof msg)
        srv_utf8_trim(msg);
    /* json_pack refuses invalid UTF-8; messages echo client text only
     * after it was validated, but never let that fail the response. */
    json_t *v = json_pack("{s:{s:s,s:s}}", "error", "code", error_code(status), "message", msg);
    if (!v)
        v = json_pack("{s:{s:s,s:s}}", "error", "code", error_code(status), "message",
                      "the request could not be served");
    char *s = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(v);
    if (!s) {
        static const char fallback[] =
            "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}\n";
        s = strdup(fallback);
        if (!s)
            return MHD_NO;
        return srv_respond(r, 500, "application/json", s, strlen(s));
    }
    size_t len = strlen(s);
    char *body = realloc(s, len + 2);
    if (!body) {
        free(s);
        return MHD_NO;
    }
    body[len] = '\n';
    body[len + 1] = '\0';
    return srv_respond(r, status, "application/json", body, len + 1);
}

unsigned srv_status_of(int code)
{
    switch (code) {
    case CORDON_EUTF8:
    case CORDON_EFORMAT: return 400;
    case CORDON_EINVAL:
    case CORDON_EEMPTY:
    case CORDON_EDATE: return 422;
    case CORDON_ETOOBIG: return 413;
    case CORDON_ENOTFOUND: return 404;
    default: return 500;
    }
}

/* ---- request lifecycle ------------------------------------------------ */

/* Each connection owns one srv_request, made when it opens, reset for
 * each request on it and freed when it closes. Not one per request:
 * libmicrohttpd 0.9.75 does not always call the request-completed
 * callback (a request line that leaves no room in the connection's
 * memory for the rest of the head is dropped without it, and without an
 * answer), and a record made per request would then leak. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        *socket_context = calloc(1, sizeof(srv_request)); /* NULL: requests refused */
        return;
    }
    srv_request *r = *socket_context;
    if (r)
        free(r->body);
    free(r);
    *socket_context = NULL;
}

/* The connection's record, reset for a new request; NULL when out of
 * memory. */
static srv_request *request_begin(struct MHD_Connection *c, size_t target_len)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    srv_request *r = ci ? ci->socket_context : NULL;
    if (!r)
        return NULL;
    free(r->body);
    memset(r, 0, sizeof *r);
    clock_gettime(CLOCK_MONOTONIC, &r->start);
    r->target_len = target_len;
    r->ep = SRV_EP_OTHER;
    r->asset = -1;
    snprintf(r->method, sizeof r->method, "-");
    snprintf(r->path, sizeof r->path, "-");
    return r;
}

/* Called when the request line has arrived: its return value becomes
 * the request's context, so the clock starts here. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    srv_request *r = request_begin(c, uri ? strlen(uri) : 0);
    if (r && uri) /* the path for the log, should the request go no further */
        snprintf(r->path, sizeof r->path, "%.*s", (int)strcspn(uri, "?"), uri);
    return r;
}

static void log_line(const srv_request *r, double seconds)
{
    char line[320];
    int n;
    long us = lround(seconds * 1e6); /* an integer: %.0f costs a float conversion */
    if (r->status)
        n = snprintf(line, sizeof line, "%s %s %u %ldus%s%s%s\n", r->method, r->path,
                     r->status, us, r->key_id ? " key=" : "", r->key_id ? r->key_id : "",
                     r->mhd_answered ? " (answered by libmicrohttpd)" : "");
    else
        n = snprintf(line, sizeof line, "%s %s - %ldus closed without a response\n", r->method,
                     r->path, us);
    if (n > 0) {
        size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
        /* one write per line, so lines of concurrent requests never mix */
        ssize_t w = write(STDERR_FILENO, line, len);
        (void)w;
    }
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    srv_request *r = *con_cls;
    if (!r)
        return;
    if (!r->status && !r->started) {
        /* The headers did not fit in the connection's memory and
         * libmicrohttpd answered 431 itself (its HTML, not our JSON), or
         * the client went away first. Count and log the former. (A 414,
         * for a request line that does not fit, comes before on_uri,
         * so no request exists to count it; libmicrohttpd logs it.) */
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_HTTP_STATUS);
        if (ci && ci->http_status >= 400) {
            r->status = ci->http_status;
            r->mhd_answered = 1;
            srv_metrics_response(r->ep, r->status);
        }
    }
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (double)(end.tv_sec - r->start.tv_sec) +
                     (double)(end.tv_nsec - r->start.tv_nsec) / 1e9;
    if (r->status)
        srv_metrics_latency(r->ep, seconds);
    if (!srv_opts->quiet)
        log_line(r, seconds);
    free(r->body);
    r->body = NULL;
    r->body_len = r->body_cap = 0;
    *con_cls = NULL; /* the record stays with the connection */
}

/* ---- checks ---------------------------------------------------------- */

static const route *find_route(const char *url)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        const route *rt = &routes[i];
        if (rt->prefix ? !strncmp(url, rt->path, strlen(rt->path)) : !strcmp(url, rt->path))
            return rt;
    }
    return NULL;
}

static int find_asset(const char *url)
{
    for (size_t i = 0; i < srv_n_assets; i++)
        if (!strcmp(url, srv_assets[i].path))
            return (int)i;
    return -1;
}

/* The key in "Authorization: Bearer KEY" or "X-API-Key: KEY". */
static const char *presented_key(struct MHD_Connection *c, size_t *len)
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (v) {
        if (strncasecmp(v, "Bearer ", 7) != 0)
            return NULL;
        v += 7;
    } else {
        v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-API-Key");
        if (!v)
            return NULL;
    }
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    *len = n;
    return v;
}

static enum MHD_Result serve_asset(srv_request *r, int i)
{
    r->ep = SRV_EP_PAGE;
    r->status = 200;
    enum MHD_Result ok = MHD_queue_response(r->conn, 200, asset_responses[i]);
    if (ok == MHD_YES)
        srv_metrics_response(r->ep, 200);
    return ok;
}

static enum MHD_Result dispatch(srv_request *r, const char *url)
{
    switch (r->ep) {
    case SRV_EP_SEARCH: return srv_api_search(r);
    case SRV_EP_MATCH: return srv_api_match(r);
    case SRV_EP_SHIPMENT: return srv_api_shipment(r);
    case SRV_EP_ENTITIES: return srv_api_entity(r, url + strlen("/entities/"));
    case SRV_EP_LISTS: return srv_api_lists(r);
    case SRV_EP_HEALTHZ: return srv_api_healthz(r);
    case SRV_EP_METRICS: return srv_api_metrics(r);
    case SRV_EP_RELOAD:
        if (srv_reload_enqueue(r) != 0)
            return srv_respond_error(r, 503, "the server is shutting down");
        return MHD_YES; /* answered when the reload thread resumes us */
    default: return srv_respond_error(r, 404, "no such resource");
    }
}

/* Refuses the request. A request that may carry a body is answered at
 * once, which makes libmicrohttpd close the connection instead of
 * reading a body nobody wants; others are answered in the next call so
 * the connection stays open. */
static enum MHD_Result refuse(srv_request *r, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum MHD_Result refuse(srv_request *r, unsigned status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->deferred_msg, sizeof r->deferred_msg, fmt, ap);
    va_end(ap);
    int bodyless = !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD");
    const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Length");
    const char *te = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Transfer-Encoding");
    if (!cl && !te && bodyless) {
        r->deferred_status = status;
        return MHD_YES;
    }
    return srv_respond_error(r, status, "%s", r->deferred_msg);
}

/* Checks made once the headers are in. MHD_YES with nothing queued
 * means "go on": read the body if any, then answer. */
static enum MHD_Result first_call(srv_request *r, const char *url, const char *method)
{
    if (r->target_len > srv_opts->max_target)
        return refuse(r, 413, "the request target is longer than %zu bytes",
                                 srv_opts->max_target);
    int is_get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    int a = find_asset(url);
    if (a >= 0) {
        r->ep = SRV_EP_PAGE;
        if (!is_get) {
            r->allow = "GET, HEAD";
            return refuse(r, 405, "%s is not allowed here", r->method);
        }
        r->asset = a;
        return MHD_YES;
    }
    const route *rt = find_route(url);
    if (!rt)
        return refuse(r, 404, "no such resource");
    r->ep = rt->ep;
    int allowed = !strcmp(rt->method, "GET") ? is_get : !strcmp(method, rt->method);
    if (!allowed) {
        r->allow = !strcmp(rt->method, "GET") ? "GET, HEAD" : rt->method;
        return refuse(r, 405, "%s is not allowed here; use %s", r->method,
                                 rt->method);
    }
    if (!rt->public_ && !srv_opts->no_auth) {
        size_t klen = 0;
        const char *k = presented_key(r->conn, &klen);
        r->key_id = k ? srv_keys_check(k, klen) : NULL;
        if (!r->key_id)
            return refuse(r, 401, k ? "the API key is not valid"
                                               : "an API key is required: send "
                                                 "\"Authorization: Bearer KEY\" or "
                                                 "\"X-API-Key: KEY\"");
    }
    const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Length");
    if (cl) {
        char *end;
        unsigned long long n = strtoull(cl, &end, 10);
        if (n > srv_opts->max_body)
            return refuse(r, 413, "the request body is larger than %zu bytes",
                                     srv_opts->max_body);
    }
    return MHD_YES;
}

static enum MHD_Result add_body(srv_request *r, const char *data, size_t n)
{
    if (r->body_over || n > srv_opts->max_body - r->body_len) {
        r->body_over = 1;
        return MHD_YES; /* consumed and dropped; 413 when the body ends */
    }
    if (r->body_len + n + 1 > r->body_cap) {
        size_t cap = r->body_cap ? r->body_cap : 4096;
        while (cap < r->body_len + n + 1)
            cap *= 2;
        char *b = realloc(r->body, cap);
        if (!b)
            return MHD_NO;
        r->body = b;
        r->body_cap = cap;
    }
    memcpy(r->body + r->body_len, data, n);
    r->body_len += n;
    r->body[r->body_len] = '\0';
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    srv_request *r = *con_cls;
    if (!r) {
        r = request_begin(c, strlen(url));
        if (!r)
            return MHD_NO;
        *con_cls = r;
    }
    if (!r->started) {
        /* Only checks here: libmicrohttpd closes the connection after a
         * response queued in this first call (it cannot know the body
         * was read), so answers wait for the next call unless closing
         * is the point (see first_call). */
        r->started = 1;
        r->conn = c;
        snprintf(r->method, sizeof r->method, "%s", method);
        snprintf(r->path, sizeof r->path, "%s", url);
        return first_call(r, url, method);
    }
    if (r->reload_state == SRV_RELOAD_DONE) {
        r->reload_state = SRV_RELOAD_NONE;
        MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT, srv_opts->timeout);
        if (r->reload_ok)
            return srv_respond_json(r, 200,
                                    json_pack("{s:s,s:s}", "status", "ok", "message",
                                              r->reload_msg));
        return srv_respond_error(r, 500, "reload failed, %s", r->reload_msg);
    }
    if (r->reload_state == SRV_RELOAD_WAITING || r->status)
        return MHD_YES;
    if (*upload_data_size) {
        enum MHD_Result rc = add_body(r, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return rc;
    }
    if (r->body_over)
        return srv_respond_error(r, 413, "the request body is larger than %zu bytes",
                                 srv_opts->max_body);
    if (r->deferred_status)
        return srv_respond_error(r, r->deferred_status, "%s", r->deferred_msg);
    if (r->asset >= 0)
        return serve_asset(r, r->asset);
    return dispatch(r, url);
}

/* ---- the daemon ------------------------------------------------------- */

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char buf[600];
    vsnprintf(buf, sizeof buf, fmt, ap);
    size_t n = strlen(buf);
    while (n && buf[n - 1] == '\n')
        buf[--n] = '\0';
    fprintf(stderr, "cordon serve: libmicrohttpd: %s\n", buf);
}

static int make_asset_responses(void)
{
    asset_responses = calloc(srv_n_assets ? srv_n_assets : 1, sizeof *asset_responses);
    if (!asset_responses)
        return -1;
    for (size_t i = 0; i < srv_n_assets; i++) {
        struct MHD_Response *resp = MHD_create_response_from_buffer(
            srv_assets[i].len, (void *)srv_assets[i].data, MHD_RESPMEM_PERSISTENT);
        if (!resp)
            return -1;
        MHD_add_response_header(resp, "Content-Type", srv_assets[i].type);
        MHD_add_response_header(resp, "Cache-Control", "no-cache");
        MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
        MHD_add_response_header(resp, "Content-Security-Policy", PAGE_CSP);
        MHD_add_response_header(resp, "X-Frame-Options", "DENY");
        MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
        asset_responses[i] = resp;
    }
    return 0;
}

static void free_asset_responses(void)
{
    for (size_t i = 0; asset_responses && i < srv_n_assets; i++)
        if (asset_responses[i])
            MHD_destroy_response(asset_responses[i]);
    free(asset_responses);
    asset_responses = NULL;
}

struct MHD_Daemon *srv_http_start(void)
{
    const srv_options *o = srv_opts;
    struct sockaddr_in v4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
    struct sockaddr_in6 v6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)o->port)};
    const struct sockaddr *addr;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ERROR_LOG;
    if (inet_pton(AF_INET, o->bind, &v4.sin_addr) == 1) {
        addr = (const struct sockaddr *)&v4;
    } else if (inet_pton(AF_INET6, o->bind, &v6.sin6_addr) == 1) {
        addr = (const struct sockaddr *)&v6;
        flags |= MHD_USE_IPv6;
    } else {
        fprintf(stderr, "cordon serve: --bind %s is not an IPv4 or IPv6 address\n", o->bind);
        return NULL;
    }
    if (make_asset_responses() != 0) {
        fprintf(stderr, "cordon serve: out of memory\n");
        free_asset_responses();
        return NULL;
    }
    /* The connection's memory pool holds the request line and headers
     * (and each header's record), then the response's header: the
     * request-target limit plus 32 KiB, so any target up to the limit
     * reaches first_call and anything longer up to ~40 KiB gets our
     * JSON 413. A head that does not fit is refused by libmicrohttpd
     * itself, before any callback of ours can answer (docs/SERVER.md,
     * "Limits libmicrohttpd enforces"): 414 or 431 with its HTML, or no
     * answer at all when not even that fits. A larger pool only moves
     * that point, and costs memory on every connection. */
    size_t mem = o->max_target + (16u << 10) + (16u << 10);
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)o->port, NULL, NULL, on_request, NULL,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, addr,
        MHD_OPTION_THREAD_POOL_SIZE, o->threads,
        MHD_OPTION_CONNECTION_LIMIT, o->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, o->timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, mem,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
        MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "cordon serve: cannot listen on %s port %u (in use, or not an address "
                        "of this host?)\n", o->bind, o->port);
        free_asset_responses();
    }
    return d;
}

unsigned srv_http_port(struct MHD_Daemon *d)
{
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    return di ? di->port : 0;
}

void srv_http_stop(struct MHD_Daemon *d)
{
    MHD_stop_daemon(d);
    free_asset_responses();
}
