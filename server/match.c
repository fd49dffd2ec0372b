/*
 * match.c — POST /match, batch matching in the request and response
 * shape of OpenSanctions yente, so that clients written for yente can
 * switch:
 *
 *   {"queries": {"k1": {"schema": "Person", "properties": {"name": [...],
 *     "birthDate": [...], "nationality": [...]}}}}
 *   -> {"responses": {"k1": {"status": 200, "results": [{"id", "caption",
 *       "schema", "score", "match", "datasets", "explanation"}], "total":
 *       {"value", "relation"}, "query": {...}}}, "limit": N}
 *
 * Up to 1,000 queries a call. The whole request is validated before any
 * screening (match_body.c), so an error answers for the request and no
 * work is wasted.
 * Every name of a query is screened (with its first birth date, country
 * and all identifiers); an entity found by several names keeps its best
 * score. As in yente, results go down to `cutoff` and `match` says
 * whether a score reaches `threshold`.
 */
#include "server_int.h"
#include "match_body.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LIMIT 5
#define DEFAULT_CUTOFF 0.5

static const char *ftm_schema(cordon_schema s)
{
    switch (s) {
    case CORDON_SCHEMA_PERSON: return "Person";
    case CORDON_SCHEMA_ORGANIZATION: return "Organization";
    case CORDON_SCHEMA_VESSEL: return "Vessel";
    case CORDON_SCHEMA_AIRCRAFT: return "Airplane";
    default: return "LegalEntity";
    }
}

typedef struct params {
    double threshold, cutoff;
    size_t limit;
    cordon_algorithm algorithm;
    const char *key_id; /* the caller, for the audit log */
} params;

/* A match found for one query, from any of its names. */
typedef struct found {
    const char *id; /* owned by the result it came from */
    const cordon_match *m;
    json_t *explanation;
} found;

static int by_id(const void *a, const void *b)
{
    const found *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    return (x->m->score < y->m->score) - (x->m->score > y->m->score);
}

static int by_score(const void *a, const void *b)
{
    const found *x = a, *y = b;
    if (x->m->score != y->m->score)
        return x->m->score < y->m->score ? 1 : -1;
    return strcmp(x->id, y->id);
}

/* Screens one query; its response object, or NULL with status and msg. */
static json_t *screen_query(const cordon_index *idx, const srv_match_query *q,
                            const params *pa,
                            size_t *n_match, unsigned *status, char *msg, size_t size)
{
    size_t n_runs = q->n_names ? q->n_names : 1;
    cordon_result *results[SRV_MATCH_MAX_NAMES] = {0};
    json_t *docs[SRV_MATCH_MAX_NAMES] = {0};
    found *all = NULL;
    size_t n_all = 0;
    json_t *out = NULL;
    cordon_screen_options opts = {.threshold = pa->cutoff, .limit = pa->limit,
                                  .algorithm = pa->algorithm};
    size_t i;
    for (i = 0; i < n_runs; i++) {
        cordon_query cq = {.name = q->n_names ? q->names[i] : NULL,
                           .name_len = q->n_names ? q->name_lens[i] : 0,
                           .schema = q->schema,
                           .birth_date = q->has_dob ? &q->dob : NULL,
                           .country = q->country,
                           .country_len = q->country_len,
                           .ids = q->n_ids ? q->ids : NULL,
                           .n_ids = q->n_ids};
        cordon_error err;
        cordon_error_clear(&err);
        int rc = cordon_screen(idx, &cq, &opts, &results[i], &err);
        if (rc) {
            *status = srv_status_of(rc);
            char pub[700];
            srv_error_public(&err, pub, sizeof pub);
            snprintf(msg, size, "query \"%s\": %s", q->key, pub);
            goto done;
        }
        char *actx = srv_audit_context("/match", q->key);
        int arc = srv_audit_screen(pa->key_id, "match", &cq, &opts, idx, results[i],
                                   actx ? actx : "{}");
        free(actx);
        if (arc != 0) {
            *status = 503;
            snprintf(msg, size, "the audit log cannot be written");
            goto done;
        }
        /* the explanation exactly as cordon_result_json renders it */
        char *s = cordon_result_json(results[i]);
        docs[i] = s ? json_loads(s, 0, NULL) : NULL;
        cordon_free(s);
        json_t *ms = json_object_get(docs[i], "matches");
        if (!ms || json_array_size(ms) != results[i]->n_matches) {
            *status = 500;
            snprintf(msg, size, "out of memory");
            goto done;
        }
        found *grown = realloc(all, (n_all + results[i]->n_matches + 1) * sizeof *all);
        if (!grown) {
            *status = 500;
            snprintf(msg, size, "out of memory");
            goto done;
        }
        all = grown;
        for (size_t j = 0; j < results[i]->n_matches; j++) {
            const cordon_match *m = &results[i]->matches[j];
            all[n_all++] = (found){m->id ? m->id : "", m,
                                   json_object_get(json_array_get(ms, j), "explanation")};
        }
    }
    /* best score per entity, then highest first (ties by id) */
    if (n_all)
        qsort(all, n_all, sizeof *all, by_id);
    size_t n = 0;
    for (size_t j = 0; j < n_all; j++)
        if (n == 0 || strcmp(all[n - 1].id, all[j].id))
            all[n++] = all[j];
    if (n)
        qsort(all, n, sizeof *all, by_score);
    if (n > pa->limit)
        n = pa->limit;
    json_t *arr = json_array();
    *n_match = 0;
    for (size_t j = 0; j < n; j++) {
        const cordon_match *m = all[j].m;
        int is_match = m->score >= pa->threshold;
        *n_match += (size_t)is_match;
        json_array_append_new(
            arr, json_pack("{s:s,s:s,s:s,s:f,s:b,s:[s],s:O}", "id", all[j].id, "caption",
                           m->name ? m->name : "", "schema", ftm_schema(m->schema), "score",
                           m->score, "match", is_match, "datasets", m->source ? m->source : "",
                           "explanation", all[j].explanation ? all[j].explanation : json_null()));
    }
    out = json_pack("{s:i,s:o,s:{s:I,s:s},s:O}", "status", 200, "results", arr, "total", "value",
                    (json_int_t)n, "relation", "eq", "query", q->echo);
    if (!out) {
        *status = 500;
        snprintf(msg, size, "out of memory");
    }
done:
    free(all);
    for (i = 0; i < n_runs; i++) {
        json_decref(docs[i]);
        cordon_result_free(results[i]);
    }
    return out;
}

/* threshold, cutoff, limit and algorithm from the query string. */
static unsigned parse_params(srv_request *r, params *pa, char *msg, size_t size)
{
    struct MHD_Connection *c = r->conn;
    pa->algorithm = CORDON_ALGORITHM_DEFAULT;
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "algorithm");
    /* yente's own algorithm names mean "the default scorer" here */
    if (v && cordon_algorithm_parse(v, strlen(v), &pa->algorithm) != 0 &&
        strcmp(v, "best") && strncmp(v, "logic-", 6) && strcmp(v, "name-based") &&
        strcmp(v, "name-qualified")) {
        snprintf(msg, size, "algorithm must be default or ofac");
        return 422;
    }
    pa->threshold = cordon_default_threshold(pa->algorithm);
    pa->cutoff = DEFAULT_CUTOFF;
    pa->limit = DEFAULT_LIMIT;
    static const char *const names[] = {"threshold", "cutoff", "limit"};
    for (size_t i = 0; i < 3; i++) {
        v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, names[i]);
        if (!v)
            continue;
        char *end;
        double x = strtod(v, &end);
        int ok = *v && !*end && isfinite(x);
        if (i < 2 && (!ok || !(x > 0) || x > 1)) {
            snprintf(msg, size, "%s must be a number in (0, 1]", names[i]);
            return 422;
        }
        if (i == 2 && (!ok || x != floor(x) || x < 1 || x > CORDON_SCREEN_MAX_LIMIT)) {
            snprintf(msg, size, "limit must be an integer from 1 to %d",
                     CORDON_SCREEN_MAX_LIMIT);
            return 422;
        }
        if (i == 0)
            pa->threshold = x;
        else if (i == 1)
            pa->cutoff = x;
        else
            pa->limit = (size_t)x;
    }
    if (pa->cutoff > pa->threshold)
        pa->cutoff = pa->threshold;
    return 0;
}

enum MHD_Result srv_api_match(srv_request *r)
{
    char msg[800];
    params pa;
    pa.key_id = r->key_id;
    unsigned status = parse_params(r, &pa, msg, sizeof msg);
    if (status)
        return srv_respond_error(r, status, "%s", msg);
    srv_match_body body;
    status = srv_match_body_parse(r->body ? r->body : "", r->body_len, &body, msg, sizeof msg);
    if (status)
        return srv_respond_error(r, status, "%s", msg);
    size_t n = body.n;
    const srv_match_query *qs = body.queries;
    json_t *responses = json_object();
    size_t n_matched = 0, n_matches = 0;
    if (responses) {
        srv_index *h = srv_acquire();
        for (size_t i = 0; i < n && !status; i++) {
            size_t m = 0;
            json_t *resp = screen_query(h->idx, &qs[i], &pa, &m, &status, msg, sizeof msg);
            if (resp)
                json_object_set_new(responses, qs[i].key, resp);
            n_matched += m > 0;
            n_matches += m;
        }
        srv_release(h);
    } else {
        status = 500;
        snprintf(msg, sizeof msg, "out of memory");
    }
    enum MHD_Result rc;
    if (status) {
        json_decref(responses);
        rc = srv_respond_error(r, status, "%s", msg);
    } else {
        srv_metrics_screened(n, n_matched, n_matches);
        rc = srv_respond_json(r, 200, json_pack("{s:o,s:I}", "responses", responses, "limit",
                                                (json_int_t)pa.limit));
    }
    srv_match_body_free(&body);
    return rc;
}
