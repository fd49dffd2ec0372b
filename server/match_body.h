/*
 * match_body.h — the request body of POST /match (yente's shape),
 * parsed and validated into queries ready for cordon_screen, by
 * server/match_body.c. It needs no HTTP connection and no index, so the
 * fuzz target fuzz/fuzz_match_body.c drives it directly with arbitrary
 * bytes; match.c screens what it returns.
 */
#ifndef CORDON_SERVER_MATCH_BODY_H
#define CORDON_SERVER_MATCH_BODY_H

#include <stddef.h>

#include <jansson.h>

#include "cordon/cordon.h"

#define SRV_MATCH_MAX_QUERIES 1000
#define SRV_MATCH_MAX_NAMES 16 /* name and alias values of one query */

/* One query, validated. Strings point into the body's parsed JSON (or
 * into the query itself: joined, country_code). */
typedef struct srv_match_query {
    const char *key; /* the caller's key for the query */
    json_t *echo;    /* the query as sent, echoed in the response */
    cordon_schema schema;
    const char *names[SRV_MATCH_MAX_NAMES];
    size_t name_lens[SRV_MATCH_MAX_NAMES];
    size_t n_names;
    char joined[1024]; /* firstName + lastName when there is no name */
    cordon_date dob;
    int has_dob;
    const char *country;
    size_t country_len;
    char country_code[3]; /* FtM writes codes in lower case: "kp" */
    cordon_query_id ids[CORDON_QUERY_MAX_IDS];
    size_t n_ids;
} srv_match_query;

/* A whole request: 1 to SRV_MATCH_MAX_QUERIES queries, in the order
 * sent. `root` owns every string the queries point to. */
typedef struct srv_match_body {
    json_t *root;
    srv_match_query *queries;
    size_t n;
} srv_match_body;

/*
 * Parses and validates the body (len bytes, no terminator needed). The
 * whole request is checked before anything is screened, so one bad
 * query refuses the call. Returns 0 with *out filled (free it with
 * srv_match_body_free), or the HTTP status of the refusal with a
 * message for the client in msg (valid UTF-8, cut at a character):
 *   400  empty, or not JSON (line and column), or duplicate keys
 *   413  more than SRV_MATCH_MAX_QUERIES queries, or a joined name
 *        longer than 1 KiB
 *   422  well-formed but not a request: not {"queries": {...}}, no
 *        queries, a query without a known schema, properties that are
 *        not strings, a birthDate that is not a date, an unknown
 *        country, too many names or identifiers, no name and no
 *        identifier
 *   500  out of memory
 * *out is zeroed on failure. Thread-safe (no shared state).
 */
unsigned srv_match_body_parse(const char *body, size_t len, srv_match_body *out, char *msg,
                              size_t size);

/* Frees what srv_match_body_parse filled in; a zeroed body is fine. */
void srv_match_body_free(srv_match_body *b);

#endif
