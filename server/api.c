/*
 * api.c — the plain endpoints: GET /search (the same bytes as `cordon
 * screen --json`, since both print cordon_result_json), GET
 * /entities/ID (cordon_entity_json, as `cordon show --json`), GET
 * /lists (the index, its sources, the last reload and the trade-control
 * rules in use), GET /healthz and GET /metrics. Each takes a reference to the
 * current index for as long as it reads it.
 */
#include "server_int.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- GET /search ------------------------------------------------------ */

typedef struct text {
    const char *s;
    size_t len;
    int given;
} text;

typedef struct search_args {
    text q, type, dob, country, threshold, limit, algorithm;
    cordon_query_id ids[CORDON_QUERY_MAX_IDS];
    size_t n_ids;
    int too_many_ids;
    char bad[80];   /* first unknown parameter, printable */
    char twice[16]; /* first parameter given twice */
} search_args;

static void printable(char *out, size_t size, const char *s, size_t len)
{
    size_t j = 0;
    for (size_t i = 0; i < len && j + 1 < size; i++)
        out[j++] = isprint((unsigned char)s[i]) && s[i] != '"' ? s[i] : '?';
    out[j] = '\0';
}

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
                               size_t key_size, const char *value, size_t value_size)
{
    search_args *a = cls;
    if (!value) {
        value = "";
        value_size = 0;
    }
    static const char *const names[] = {"q", "type", "dob", "country", "threshold", "limit",
                                        "algorithm"};
    text *slots[] = {&a->q, &a->type, &a->dob, &a->country, &a->threshold, &a->limit,
                     &a->algorithm};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (key_size == strlen(names[i]) && !memcmp(key, names[i], key_size)) {
            if (slots[i]->given && !a->twice[0])
                snprintf(a->twice, sizeof a->twice, "%s", names[i]);
            *slots[i] = (text){value, value_size, 1};
            return MHD_YES;
        }
    if (key_size == 2 && !memcmp(key, "id", 2)) {
        if (a->n_ids == CORDON_QUERY_MAX_IDS)
            a->too_many_ids = 1;
        else
            a->ids[a->n_ids++] = (cordon_query_id){CORDON_ID_OTHER, value, value_size};
        return MHD_YES;
    }
    if (!a->bad[0])
        printable(a->bad, sizeof a->bad, key, key_size);
    return MHD_YES;
}

/* Parses a number that must use the whole text. */
static int parse_double(const text *t, double *out)
{
    char buf[64];
    if (t->len == 0 || t->len >= sizeof buf)
        return -1;
    memcpy(buf, t->s, t->len);
    buf[t->len] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (errno || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* Copies a JSON string with a newline after it into a malloc'd body. */
static char *with_newline(char *json, size_t *len)
{
    size_t n = strlen(json);
    char *body = malloc(n + 2);
    if (body) {
        memcpy(body, json, n);
        body[n] = '\n';
        body[n + 1] = '\0';
        *len = n + 1;
    }
    cordon_free(json);
    return body;
}

enum MHD_Result srv_api_search(srv_request *r)
{
    search_args a;
    memset(&a, 0, sizeof a);
    MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, collect, &a);
    if (a.bad[0])
        return srv_respond_error(r, 400, "unknown parameter \"%s\"; see docs/openapi.yaml",
                                 a.bad);
    if (a.twice[0])
        return srv_respond_error(r, 400, "parameter \"%s\" is given twice", a.twice);
    if (a.too_many_ids)
        return srv_respond_error(r, 422, "at most %d id parameters", CORDON_QUERY_MAX_IDS);
    if (!a.q.given && a.n_ids == 0)
        return srv_respond_error(r, 400, "the parameter q (the name to screen) is required");

    cordon_query q = {.name = a.q.len ? a.q.s : NULL, .name_len = a.q.len,
                      .ids = a.n_ids ? a.ids : NULL, .n_ids = a.n_ids};
    if (a.q.given && a.q.len == 0 && a.n_ids == 0)
        q.name = "";
    cordon_screen_options opts = {0};
    cordon_date dob;
    if (a.type.given && cordon_schema_parse(a.type.s, a.type.len, &q.schema) != 0)
        return srv_respond_error(r, 422,
                                 "type must be person, organization, vessel or aircraft");
    if (a.dob.given) {
        if (cordon_date_parse(a.dob.s, a.dob.len, &dob) != 0)
            return srv_respond_error(r, 422, "dob is not a date (use YYYY-MM-DD, YYYY-MM or "
                                             "YYYY)");
        q.birth_date = &dob;
    }
    if (a.country.given) {
        char cc[3];
        if (cordon_country_lookup(a.country.s, a.country.len, cc) != 0)
            return srv_respond_error(r, 422, "country is not a known country name or code");
        q.country = a.country.s;
        q.country_len = a.country.len;
    }
    if (a.threshold.given &&
        (parse_double(&a.threshold, &opts.threshold) != 0 || !(opts.threshold > 0) ||
         opts.threshold > 1))
        return srv_respond_error(r, 422, "threshold must be a number in (0, 1]");
    if (a.limit.given) {
        double v;
        if (parse_double(&a.limit, &v) != 0 || v != floor(v) || v < 1 ||
            v > CORDON_SCREEN_MAX_LIMIT)
            return srv_respond_error(r, 422, "limit must be an integer from 1 to %d",
                                     CORDON_SCREEN_MAX_LIMIT);
        opts.limit = (size_t)v;
    }
    if (a.algorithm.given &&
        cordon_algorithm_parse(a.algorithm.s, a.algorithm.len, &opts.algorithm) != 0)
        return srv_respond_error(r, 422, "algorithm must be default or ofac");

    srv_index *h = srv_acquire();
    cordon_result *res = NULL;
    cordon_error err;
    cordon_error_clear(&err);
    int rc = cordon_screen(h->idx, &q, &opts, &res, &err);
    if (rc) {
        srv_release(h);
        char msg[700];
        srv_error_public(&err, msg, sizeof msg);
        return srv_respond_error(r, srv_status_of(rc), "%s", msg);
    }
    if (srv_audit_screen(r->key_id, "search", &q, &opts, h->idx, res,
                         "{\"endpoint\":\"/search\"}") != 0) {
        cordon_result_free(res);
        srv_release(h);
        return srv_respond_error(r, 503, "the audit log cannot be written");
    }
    size_t n_matches = res->n_matches;
    char *json = cordon_result_json(res);
    cordon_result_free(res);
    srv_release(h);
    if (!json)
        return srv_respond_error(r, 500, "out of memory");
    srv_metrics_screened(1, n_matches > 0, n_matches);
    size_t len = 0;
    char *body = with_newline(json, &len);
    if (!body)
        return srv_respond_error(r, 500, "out of memory");
    return srv_respond(r, 200, "application/json", body, len);
}

/* ---- GET /entities/ID ------------------------------------------------- */

enum MHD_Result srv_api_entity(srv_request *r, const char *id)
{
    size_t n = strlen(id);
    char shown[130];
    printable(shown, sizeof shown, id, n);
    srv_index *h = srv_acquire();
    size_t i;
    if (n == 0 || cordon_index_find(h->idx, id, n, &i) != 0) {
        srv_release(h);
        return srv_respond_error(r, 404, "no entity with id \"%s\"", shown);
    }
    cordon_entity *e = NULL;
    cordon_error err;
    int rc = cordon_index_entity(h->idx, i, &e, &err);
    char *json = rc == 0 ? cordon_entity_json(e) : NULL;
    cordon_entity_free(e);
    srv_release(h);
    if (!json)
        return srv_respond_error(r, 500, "out of memory");
    size_t len = 0;
    char *body = with_newline(json, &len);
    if (!body)
        return srv_respond_error(r, 500, "out of memory");
    return srv_respond(r, 200, "application/json", body, len);
}

/* ---- GET /lists ------------------------------------------------------- */

static json_t *iso_time(time_t t)
{
    char buf[32];
    struct tm tm;
    if (!t || !gmtime_r(&t, &tm))
        return json_null();
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return json_string(buf);
}

/* A string, or null (also for text that is not UTF-8, which would
 * otherwise fail the whole document). */
static json_t *jstr(const char *s)
{
    json_t *v = s ? json_string(s) : NULL;
    return v ? v : json_null();
}

static json_t *source_json(const cordon_source_info *s)
{
    json_t *files = json_array(), *by = json_object(), *warnings = json_array();
    for (size_t i = 0; i < s->n_files; i++) {
        /* file names only: directories are the deployment's business */
        const char *base = strrchr(s->files[i], '/');
        json_array_append_new(files, json_string(base ? base + 1 : s->files[i]));
    }
    for (int k = 0; k < CORDON_SCHEMA_COUNT_; k++)
        json_object_set_new(by, cordon_schema_name((cordon_schema)k),
                            json_integer((json_int_t)s->n_by_schema[k]));
    for (size_t i = 0; i < s->n_warnings; i++)
        json_array_append_new(warnings, jstr(s->warnings[i]));
    return json_pack("{s:s,s:s,s:o,s:o,s:s,s:I,s:o,s:I,s:o}", "source", s->name, "format",
                     cordon_format_name(s->format), "files", files, "published",
                     jstr(s->published), "sha256", s->sha256, "entities",
                     (json_int_t)s->n_entities, "by_schema", by, "names",
                     (json_int_t)s->n_names, "warnings", warnings);
}

enum MHD_Result srv_api_lists(srv_request *r)
{
    srv_index *h = srv_acquire();
    const cordon_index *idx = h->idx;
    json_t *sources = json_array();
    for (size_t i = 0; i < cordon_index_source_count(idx); i++)
        json_array_append_new(sources, source_json(cordon_index_source(idx, i)));
    json_t *index = json_pack("{s:s,s:I,s:I,s:s,s:I,s:o,s:f}", "hash", cordon_index_hash(idx),
                              "entities", (json_int_t)cordon_index_entity_count(idx), "names",
                              (json_int_t)cordon_index_name_count(idx), "origin",
                              srv_holder_origin(), "generation", (json_int_t)h->generation,
                              "loaded_at", iso_time(h->loaded_at), "load_seconds",
                              h->load_seconds);
    srv_release(h);
    srv_reload_info ri;
    srv_reload_info_get(&ri);
    json_t *reload = json_pack("{s:s,s:o,s:I,s:I,s:o}", "status",
                               ri.state == 0 ? "none" : ri.state > 0 ? "ok" : "failed", "at",
                               iso_time(ri.at), "ok", (json_int_t)ri.ok, "failed",
                               (json_int_t)ri.failed, "error",
                               ri.state < 0 ? jstr(ri.error) : json_null());
    srv_rules_info rl;
    srv_rules_info_get(&rl);
    json_t *rules = json_pack("{s:s,s:o,s:o,s:I,s:I,s:o,s:o}", "status",
                              rl.loaded ? "loaded" : "none", "file",
                              rl.loaded ? jstr(rl.file) : json_null(), "as_of",
                              rl.loaded && rl.as_of[0] ? jstr(rl.as_of) : json_null(), "rules",
                              (json_int_t)rl.count, "generation", (json_int_t)rl.generation,
                              "loaded_at", iso_time(rl.loaded_at), "error",
                              rl.error[0] ? jstr(rl.error) : json_null());
    return srv_respond_json(r, 200, json_pack("{s:o,s:o,s:o,s:o}", "index", index, "sources",
                                              sources, "reload", reload, "rules", rules));
}

/* ---- GET /healthz, GET /metrics --------------------------------------- */

enum MHD_Result srv_api_healthz(srv_request *r)
{
    srv_index *h = srv_acquire();
    json_t *v = json_pack("{s:s,s:I,s:I}", "status", "ok", "entities",
                          (json_int_t)cordon_index_entity_count(h->idx), "generation",
                          (json_int_t)h->generation);
    srv_release(h);
    return srv_respond_json(r, 200, v);
}

enum MHD_Result srv_api_metrics(srv_request *r)
{
    size_t len = 0;
    char *page = srv_metrics_render(&len);
    if (!page)
        return srv_respond_error(r, 500, "out of memory");
    return srv_respond(r, 200, "text/plain; version=0.0.4; charset=utf-8", page, len);
}
