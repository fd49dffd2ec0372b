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
 * screening, so an error answers for the request and no work is wasted.
 * Every name of a query is screened (with its first birth date, country
 * and all identifiers); an entity found by several names keeps its best
 * score. As in yente, results go down to `cutoff` and `match` says
 * whether a score reaches `threshold`.
 */
#include "server_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_QUERIES 1000
#define MAX_NAMES 16
#define DEFAULT_LIMIT 5
#define DEFAULT_CUTOFF 0.5

/* FollowTheMoney schemata cordon screens, and the type each maps to. */
static const struct {
    const char *ftm;
    cordon_schema schema;
} schemata[] = {
    {"Person", CORDON_SCHEMA_PERSON},         {"Organization", CORDON_SCHEMA_ORGANIZATION},
    {"Company", CORDON_SCHEMA_ORGANIZATION},  {"LegalEntity", CORDON_SCHEMA_UNKNOWN},
    {"Vessel", CORDON_SCHEMA_VESSEL},         {"Airplane", CORDON_SCHEMA_AIRCRAFT},
};

/* FtM properties that carry identifiers. */
static const struct {
    const char *prop;
    cordon_id_type type;
} id_props[] = {
    {"imoNumber", CORDON_ID_IMO},          {"mmsi", CORDON_ID_MMSI},
    {"passportNumber", CORDON_ID_PASSPORT}, {"idNumber", CORDON_ID_NATIONAL_ID},
    {"taxNumber", CORDON_ID_TAX_ID},       {"innCode", CORDON_ID_TAX_ID},
    {"vatCode", CORDON_ID_TAX_ID},         {"registrationNumber", CORDON_ID_REGISTRATION},
    {"ogrnCode", CORDON_ID_REGISTRATION},  {"swiftBic", CORDON_ID_SWIFT_BIC},
    {"email", CORDON_ID_EMAIL},            {"website", CORDON_ID_WEBSITE},
    {"callSign", CORDON_ID_CALL_SIGN},     {"serialNumber", CORDON_ID_AIRCRAFT_SERIAL},
};

static const char *const country_props[] = {"nationality", "country", "citizenship",
                                             "jurisdiction", "flag"};

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

/* One query, validated. Strings point into the request's JSON. */
typedef struct query {
    const char *key;
    json_t *echo;
    cordon_schema schema;
    const char *names[MAX_NAMES];
    size_t name_lens[MAX_NAMES];
    size_t n_names;
    char joined[1024]; /* firstName + lastName when there is no name */
    cordon_date dob;
    int has_dob;
    const char *country;
    size_t country_len;
    char country_code[3]; /* FtM writes codes in lower case: "kp" */
    cordon_query_id ids[CORDON_QUERY_MAX_IDS];
    size_t n_ids;
} query;

typedef struct params {
    double threshold, cutoff;
    size_t limit;
    cordon_algorithm algorithm;
} params;

/* The values of a property: FtM sends arrays of strings; a bare string
 * is taken as one value. Returns the number, or -1 when not strings. */
static int values(json_t *props, const char *name, json_t **arr)
{
    json_t *v = json_object_get(props, name);
    *arr = v;
    if (!v || json_is_null(v))
        return 0;
    if (json_is_string(v))
        return 1;
    if (!json_is_array(v))
        return -1;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) if (!json_is_string(x)) return -1;
    return (int)json_array_size(v);
}

static const char *value_at(json_t *arr, size_t i, size_t *len)
{
    json_t *x = json_is_string(arr) ? arr : json_array_get(arr, i);
    *len = json_string_length(x);
    return json_string_value(x);
}

/* Validates one query into q; 0, or an HTTP status with msg. */
static unsigned parse_query(const char *key, json_t *v, query *q, char *msg, size_t size)
{
    memset(q, 0, sizeof *q);
    q->key = key;
    q->echo = v;
    if (!json_is_object(v)) {
        snprintf(msg, size, "query \"%s\" is not an object", key);
        return 422;
    }
    const char *schema = json_string_value(json_object_get(v, "schema"));
    if (!schema) {
        snprintf(msg, size, "query \"%s\" has no \"schema\"", key);
        return 422;
    }
    size_t k = 0;
    while (k < sizeof schemata / sizeof schemata[0] && strcmp(schemata[k].ftm, schema))
        k++;
    if (k == sizeof schemata / sizeof schemata[0]) {
        snprintf(msg, size, "query \"%s\": schema must be Person, Organization, Company, "
                            "LegalEntity, Vessel or Airplane", key);
        return 422;
    }
    q->schema = schemata[k].schema;
    json_t *props = json_object_get(v, "properties");
    if (!json_is_object(props)) {
        snprintf(msg, size, "query \"%s\" has no \"properties\" object", key);
        return 422;
    }
    json_t *arr;
    static const char *const name_props[] = {"name", "alias"};
    for (size_t p = 0; p < 2; p++) {
        int n = values(props, name_props[p], &arr);
        if (n < 0) {
            snprintf(msg, size, "query \"%s\": %s must be an array of strings", key,
                     name_props[p]);
            return 422;
        }
        for (int i = 0; i < n; i++) {
            if (q->n_names == MAX_NAMES) {
                snprintf(msg, size, "query \"%s\" has more than %d names", key, MAX_NAMES);
                return 422;
            }
            q->names[q->n_names] = value_at(arr, (size_t)i, &q->name_lens[q->n_names]);
            q->n_names++;
        }
    }
    if (q->n_names == 0) {
        /* FtM people may come as name parts only */
        static const char *const parts[] = {"firstName", "middleName", "fatherName", "lastName"};
        size_t len = 0;
        for (size_t p = 0; p < 4; p++) {
            int n = values(props, parts[p], &arr);
            if (n < 0) {
                snprintf(msg, size, "query \"%s\": %s must be an array of strings", key,
                         parts[p]);
                return 422;
            }
            if (n > 0) {
                size_t l;
                const char *s = value_at(arr, 0, &l);
                if (len + l + 2 > sizeof q->joined) {
                    snprintf(msg, size, "query \"%s\": the name is too long", key);
                    return 413;
                }
                if (len)
                    q->joined[len++] = ' ';
                memcpy(q->joined + len, s, l);
                len += l;
                q->joined[len] = '\0';
            }
        }
        if (len) {
            q->names[0] = q->joined;
            q->name_lens[0] = len;
            q->n_names = 1;
        }
    }
    int n = values(props, "birthDate", &arr);
    if (n < 0) {
        snprintf(msg, size, "query \"%s\": birthDate must be an array of strings", key);
        return 422;
    }
    if (n > 0) {
        size_t l;
        const char *s = value_at(arr, 0, &l);
        if (cordon_date_parse(s, l, &q->dob) != 0) {
            snprintf(msg, size, "query \"%s\": birthDate is not a date", key);
            return 422;
        }
        q->has_dob = 1;
    }
    for (size_t p = 0; p < sizeof country_props / sizeof country_props[0] && !q->country; p++) {
        n = values(props, country_props[p], &arr);
        if (n < 0) {
            snprintf(msg, size, "query \"%s\": %s must be an array of strings", key,
                     country_props[p]);
            return 422;
        }
        if (n > 0) {
            size_t l;
            const char *s = value_at(arr, 0, &l);
            if (l == 2 && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1])) {
                q->country_code[0] = (char)toupper((unsigned char)s[0]);
                q->country_code[1] = (char)toupper((unsigned char)s[1]);
                s = q->country_code;
            }
            char cc[3];
            if (cordon_country_lookup(s, l, cc) != 0) {
                snprintf(msg, size, "query \"%s\": %s is not a known country", key,
                         country_props[p]);
                return 422;
            }
            q->country = s;
            q->country_len = l;
        }
    }
    for (size_t p = 0; p < sizeof id_props / sizeof id_props[0]; p++) {
        n = values(props, id_props[p].prop, &arr);
        if (n < 0) {
            snprintf(msg, size, "query \"%s\": %s must be an array of strings", key,
                     id_props[p].prop);
            return 422;
        }
        for (int i = 0; i < n; i++) {
            if (q->n_ids == CORDON_QUERY_MAX_IDS) {
                snprintf(msg, size, "query \"%s\" has more than %d identifiers", key,
                         CORDON_QUERY_MAX_IDS);
                return 422;
            }
            cordon_query_id *id = &q->ids[q->n_ids++];
            id->type = id_props[p].type;
            id->value = value_at(arr, (size_t)i, &id->len);
        }
    }
    if (q->n_names == 0 && q->n_ids == 0) {
        snprintf(msg, size, "query \"%s\" has no name and no identifier", key);
        return 422;
    }
    return 0;
}

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
static json_t *screen_query(const cordon_index *idx, const query *q, const params *pa,
                            size_t *n_match, unsigned *status, char *msg, size_t size)
{
    size_t n_runs = q->n_names ? q->n_names : 1;
    cordon_result *results[MAX_NAMES] = {0};
    json_t *docs[MAX_NAMES] = {0};
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
    unsigned status = parse_params(r, &pa, msg, sizeof msg);
    if (status)
        return srv_respond_error(r, status, "%s", msg);
    if (!r->body_len)
        return srv_respond_error(r, 400, "the body must be JSON: {\"queries\": {...}}");
    json_error_t jerr;
    json_t *root = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return srv_respond_error(r, 400, "malformed JSON at line %d column %d: %s", jerr.line,
                                 jerr.column, jerr.text);
    json_t *queries = json_object_get(root, "queries");
    if (!json_is_object(root) || !json_is_object(queries)) {
        json_decref(root);
        return srv_respond_error(r, 422, "the body must be an object with a \"queries\" object");
    }
    size_t n = json_object_size(queries);
    if (n == 0 || n > MAX_QUERIES) {
        json_decref(root);
        return srv_respond_error(r, n ? 413 : 422, "send 1 to %d queries per call (got %zu)",
                                 MAX_QUERIES, n);
    }
    query *qs = malloc(n * sizeof *qs);
    if (!qs) {
        json_decref(root);
        return srv_respond_error(r, 500, "out of memory");
    }
    size_t k = 0;
    const char *key;
    json_t *v;
    json_object_foreach(queries, key, v)
    {
        status = parse_query(key, v, &qs[k], msg, sizeof msg);
        if (status)
            break;
        k++;
    }
    json_t *responses = status ? NULL : json_object();
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
    } else if (!status) {
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
    free(qs);
    json_decref(root);
    return rc;
}
