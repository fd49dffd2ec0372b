/*
 * server.h — `cordon serve`, the HTTP server, as the cordon program sees
 * it: options and one entry point. The server is built on libmicrohttpd
 * and uses only libcordon's public API (cordon/cordon.h), like the CLI.
 * Its internals are declared in server_int.h.
 */
#ifndef CORDON_SERVER_H
#define CORDON_SERVER_H

#include <stddef.h>
#include <stdio.h>

/* Where the index comes from and how the server listens. Zero fields
 * mean the defaults of srv_options_init. */
typedef struct srv_options {
    const char *bind;         /* IPv4 or IPv6 address; "127.0.0.1" */
    unsigned port;            /* 0 = an ephemeral port, printed on stderr */
    const char *index_path;   /* snapshot to open; reload reopens it */
    const char *lists_path;   /* lists file to build from; reload rebuilds */
    const char *keys_path;    /* API keys file ("key_id sha256hex" lines) */
    int no_auth;              /* serve without keys: loopback only */
    size_t max_body;          /* request body bytes (413 beyond) */
    size_t max_target;        /* request-target bytes: path + query (413) */
    unsigned timeout;         /* seconds a connection may stay idle */
    unsigned max_connections; /* open connections in all */
    unsigned per_ip;          /* open connections from one address */
    unsigned threads;         /* worker threads; 0 = one per core */
    int quiet;                /* no per-request log lines */
    const char *audit_path;   /* audit store for /search and /match, or NULL: none */
} srv_options;

#define SRV_DEFAULT_MAX_BODY (2u << 20)
#define SRV_DEFAULT_MAX_TARGET 8192u
#define SRV_DEFAULT_TIMEOUT 10u
#define SRV_DEFAULT_MAX_CONNECTIONS 1024u
#define SRV_DEFAULT_PER_IP 256u

/* Fills o with the defaults (bind 127.0.0.1, port 8080, limits above). */
void srv_options_init(srv_options *o);

/*
 * Loads the index, starts listening, prints "listening on
 * http://ADDR:PORT" on stderr and serves until SIGINT or SIGTERM; SIGHUP
 * reloads. Returns the process exit status: 0 after a clean shutdown, 2
 * when it cannot start (the reason is on stderr).
 */
int srv_run(const srv_options *o);

/*
 * Reads one API key from the first line of `in` and writes the keys-file
 * line "KEY_ID SHA256HEX" to `out`. Returns 0, or 2 with the reason on
 * stderr (bad key id, empty key).
 */
int srv_hash_key(const char *key_id, FILE *in, FILE *out);

#endif
