/*
 * server_int.h — declarations shared by the files of the HTTP server:
 * the index holder (holder.c), the trade-control rules (rules.c), API
 * keys (auth.c), metrics (metrics.c), the request plumbing (http.c),
 * the endpoints (api.c, match.c, shipment.c), the reload queue
 * (serve.c) and the embedded page (generated from server/static/ by
 * server/embed.sh). The /match body check has its own header,
 * match_body.h, so a fuzz target can use it without the rest. Cross-file
 * names use the srv_ prefix; everything else is static.
 */
#ifndef CORDON_SERVER_INT_H
#define CORDON_SERVER_INT_H

#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>
#include <microhttpd.h>

#include "cordon/cordon.h"
#include "server.h"

/* The options srv_run was given, with defaults filled in. */
extern const srv_options *srv_opts;

/* ---- the index holder: an atomic pointer to a refcounted index ------ */

/*
 * One loaded index. `refs` counts the holder's place as the current
 * index plus one per request using it; the index is closed when it
 * drops to 0, so requests in flight during a reload finish on the index
 * they started with. Holder shells are never freed before shutdown (a
 * reader may still look at the count of a retired one); each costs a
 * few dozen bytes per reload.
 */
typedef struct srv_index {
    cordon_index *idx;
    atomic_long refs;
    time_t loaded_at;
    unsigned long generation; /* 1 for the first load, +1 per reload */
    double load_seconds;
    struct srv_index *older; /* every holder made, newest first */
} srv_index;

/* First load; 0, or -1 with the reason (full, for the log) in msg. */
int srv_holder_start(char *msg, size_t size);
/* A reference to the current index; never NULL once started. */
srv_index *srv_acquire(void);
void srv_release(srv_index *h);
/* Loads the index and the rules anew and swaps each in when it loads;
 * one reload runs at a time. 0, or -1 when either failed (the old one
 * still in use) with the reason in msg (safe to show clients: file names
 * without directories). */
int srv_reload(char *msg, size_t size);
/* Drops the current index and frees every shell; no request may run. */
void srv_holder_stop(void);
/* "snapshot" or "lists". */
const char *srv_holder_origin(void);

typedef struct srv_reload_info {
    int state; /* 0 no reload yet, 1 the last one worked, -1 it failed */
    time_t at; /* when the last reload finished */
    unsigned long ok, failed;
    char error[1300]; /* the last failure, shown in /lists */
} srv_reload_info;
void srv_reload_info_get(srv_reload_info *out);

/* A cordon_error as text without directories: "file:line:col: message". */
void srv_error_public(const cordon_error *err, char *buf, size_t size);

/* ---- trade-control rules (rules.c), for POST /shipment ----------------- */

/* The rules in use: refcounted like srv_index, swapped whole. */
typedef struct srv_rules {
    cordon_rules *rules;
    long refs; /* under rules.c's mutex */
    time_t loaded_at;
    unsigned long generation; /* 1 for the first rules loaded, +1 per load */
    char file[256];           /* the file name, without directories */
} srv_rules;

/* First load, never fatal: 1 loaded, 0 no rules file (and no
 * $CORDON_RULES), -1 a rules file that does not load; the outcome for
 * the log (full paths) in msg. */
int srv_rules_start(char *msg, size_t size);
/* Reads the rules again and swaps them in: 1 loaded, 0 still no rules
 * file (not a failure), -1 failed with the old rules (if any) kept;
 * pub says what happened without directories, log with them. */
int srv_rules_reload(char *pub, size_t pub_size, char *log, size_t log_size);
/* A reference to the rules in use, or NULL with the reason in why. */
srv_rules *srv_rules_acquire(char *why, size_t size);
void srv_rules_release(srv_rules *r);

typedef struct srv_rules_info {
    int loaded;
    char file[256];
    char as_of[32];
    size_t count;
    time_t loaded_at;
    unsigned long generation;
    char error[600]; /* why the last load failed (or found none), until one works */
} srv_rules_info;
void srv_rules_info_get(srv_rules_info *out);
/* Drops the rules in use; no request may run. */
void srv_rules_stop(void);

/* ---- API keys -------------------------------------------------------- */

/* Reads a keys file; the number of keys, or -1 with the reason in msg. */
int srv_keys_load(const char *path, char *msg, size_t size);
/* The key id the presented key belongs to, or NULL. Every stored hash
 * is compared in constant time. */
const char *srv_keys_check(const char *key, size_t len);
void srv_keys_free(void);

/* ---- metrics --------------------------------------------------------- */

typedef enum srv_endpoint {
    SRV_EP_PAGE = 0, /* the page and its static files */
    SRV_EP_SEARCH,
    SRV_EP_MATCH,
    SRV_EP_ENTITIES,
    SRV_EP_LISTS,
    SRV_EP_HEALTHZ,
    SRV_EP_METRICS,
    SRV_EP_RELOAD,
    SRV_EP_SHIPMENT,
    SRV_EP_OTHER, /* no such path */
    SRV_EP_COUNT_
} srv_endpoint;

const char *srv_endpoint_name(srv_endpoint ep);
/* A response queued: counted before it is sent, so a client that reads
 * /metrics after its answer sees it counted. */
void srv_metrics_response(srv_endpoint ep, unsigned status);
/* The request's time, from the request line to the last byte sent. */
void srv_metrics_latency(srv_endpoint ep, double seconds);
/* Queries screened, how many of them matched, matches returned. */
void srv_metrics_screened(size_t queries, size_t matched, size_t matches);
void srv_metrics_reload(int ok);
/* The Prometheus text exposition, malloc'd; NULL when out of memory. */
char *srv_metrics_render(size_t *len);

/* ---- requests and responses ------------------------------------------ */

enum { SRV_RELOAD_NONE = 0, SRV_RELOAD_WAITING, SRV_RELOAD_DONE };

typedef struct srv_request {
    struct MHD_Connection *conn;
    struct timespec start;
    size_t target_len; /* bytes of the request-target as received */
    srv_endpoint ep;
    unsigned status; /* 0 until a response is queued */
    int started;     /* the access handler has seen the request */
    int mhd_answered; /* libmicrohttpd answered itself (431) */
    const char *key_id;
    const char *allow; /* the Allow header of a 405 */
    int asset;         /* index in srv_assets, or -1 */
    unsigned deferred_status; /* an error to answer in the next call */
    char deferred_msg[200];
    char method[8];
    char path[128];
    char *body;
    size_t body_len, body_cap;
    int body_over; /* more than max_body bytes came */
    /* POST /admin/reload waits, suspended, for the reload thread */
    int reload_state;
    int reload_ok;
    char reload_msg[1200];
    struct srv_request *next_pending;
} srv_request;

/* Starts the daemon on srv_opts; NULL with the reason on stderr. */
struct MHD_Daemon *srv_http_start(void);
unsigned srv_http_port(struct MHD_Daemon *d);
/* Stops the daemon; waits for its threads. */
void srv_http_stop(struct MHD_Daemon *d);

/* Queues `body` (malloc'd; ownership passes) with a status and type. */
enum MHD_Result srv_respond(srv_request *r, unsigned status, const char *type, char *body,
                            size_t len);
/* Queues {"error": {"code", "message"}}. */
enum MHD_Result srv_respond_error(srv_request *r, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Queues a JSON value (compact, one line and a newline); takes the
 * reference. */
enum MHD_Result srv_respond_json(srv_request *r, unsigned status, json_t *v);

/* Drops a UTF-8 sequence left incomplete at the end of s by a cut
 * (snprintf into a buffer too small), so that jansson takes the text. */
void srv_utf8_trim(char *s);

/* The HTTP status for a failed cordon call. */
unsigned srv_status_of(int cordon_code);

/* ---- endpoints ------------------------------------------------------- */

enum MHD_Result srv_api_search(srv_request *r);
enum MHD_Result srv_api_entity(srv_request *r, const char *id);
enum MHD_Result srv_api_lists(srv_request *r);
enum MHD_Result srv_api_healthz(srv_request *r);
enum MHD_Result srv_api_metrics(srv_request *r);
enum MHD_Result srv_api_match(srv_request *r);
/* POST /shipment (shipment.c): trade-control screening of a shipment. */
enum MHD_Result srv_api_shipment(srv_request *r);

/* Reload queue (serve.c): the request waits suspended until the reload
 * thread has reloaded; -1 when the server is shutting down. */
int srv_reload_enqueue(srv_request *r);

/* ---- the audit log (audit.c) -------------------------------------------- */

/* Opens the writer on srv_opts->audit_path (none when NULL); 0, or -1
 * with the reason in msg. msg says where the log goes. */
int srv_audit_start(char *msg, size_t size);
/* Queues the record of one screening; -1 when it cannot (answer 503). */
int srv_audit_screen(const char *key_id, const char *kind, const cordon_query *q,
                     const cordon_screen_options *o, const cordon_index *idx,
                     const cordon_result *r, const char *context);
/* Writes what is queued and closes the writer. */
void srv_audit_stop(void);
/* {"endpoint": ENDPOINT, "query": KEY} (KEY may be NULL), malloc'd; NULL
 * when out of memory. */
char *srv_audit_context(const char *endpoint, const char *key);

/* ---- the embedded page (generated) ------------------------------------ */

struct srv_asset {
    const char *path; /* "/", "/app.js", ... */
    const char *type; /* Content-Type */
    const unsigned char *data;
    size_t len;
};
extern const struct srv_asset srv_assets[];
extern const size_t srv_n_assets;

#endif
