/*
 * explain.c — renders matches for people and programs: a one-line
 * reason, the whole explanation as indented text, and the result as one
 * line of JSON (jansson), so the CLI, batch screening and the server all
 * print the same bytes for the same result.
 */
#include "index_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* Appends to a fixed buffer, counting what the whole text needs. */
typedef struct line {
    char *buf;
    size_t size, len;
} line;

static void put(line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(line *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *dst = l->len < l->size ? l->buf + l->len : NULL;
    size_t room = l->len < l->size ? l->size - l->len : 0;
    int n = vsnprintf(dst, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        l->len += (size_t)n;
}

size_t cordon_match_reason(const cordon_match *m, char *buf, size_t size)
{
    line l = {buf, size, 0};
    if (buf && size)
        buf[0] = '\0';
    if (!m)
        return 0;
    const cordon_explanation *x = &m->explanation;
    if (x->identifier) {
        for (size_t i = 0; i < x->n_adjustments; i++)
            if (!strcmp(x->adjustments[i].field, "identifier"))
                put(&l, "%s", x->adjustments[i].reason);
        return l.len;
    }
    put(&l, "%s name \"%s\" %.2f", cordon_name_kind_name(x->matched_kind),
        x->matched_name ? x->matched_name : "", x->name_score);
    /* the pairs that were not exact, which is what a reviewer looks at */
    int shown = 0;
    for (size_t i = 0; i < x->n_pairs; i++) {
        const cordon_token_pair *p = &x->pairs[i];
        if (!p->query || !p->listed || !strcmp(p->method, "exact"))
            continue;
        put(&l, "%s%s~%s %s %.2f", shown ? ", " : " (", p->query, p->listed, p->method,
            p->score);
        shown++;
    }
    for (size_t i = 0; i < x->n_pairs; i++) {
        const cordon_token_pair *p = &x->pairs[i];
        if (p->query && !p->listed) {
            put(&l, "%sno match for \"%s\"", shown ? ", " : " (", p->query);
            shown++;
        }
    }
    if (shown)
        put(&l, ")");
    for (size_t i = 0; i < x->n_adjustments; i++) {
        const cordon_adjustment *a = &x->adjustments[i];
        if (a->delta != 0.0)
            put(&l, "; %s (%+.2f)", a->reason, a->delta);
        else if (strcmp(a->field, "algorithm"))
            put(&l, "; %s", a->reason);
    }
    return l.len;
}

/* ---- text ----------------------------------------------------------------- */

static const char *const qualifier_names[] = {"schema", "birth_date", "country", "identifier"};

char *cordon_match_explain(const cordon_match *m)
{
    if (!m)
        return NULL;
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    if (!f)
        return NULL;
    const cordon_explanation *x = &m->explanation;
    fprintf(f, "  matched name: \"%s\" (%s)\n", x->matched_name ? x->matched_name : "",
            cordon_name_kind_name(x->matched_kind));
    if (x->identifier)
        fprintf(f, "  identifier: %s\n", x->identifier);
    fprintf(f, "  name score: %.4f\n", x->name_score);
    if (x->n_pairs) {
        fprintf(f, "  tokens (query ~ listed, similarity, how, weight):\n");
        for (size_t i = 0; i < x->n_pairs; i++) {
            const cordon_token_pair *p = &x->pairs[i];
            fprintf(f, "    %-18s ~ %-18s %.3f  %-9s %.3f\n", p->query ? p->query : "-",
                    p->listed ? p->listed : "-", p->score, p->method, p->weight);
        }
    }
    if (x->n_adjustments) {
        fprintf(f, "  adjustments:\n");
        for (size_t i = 0; i < x->n_adjustments; i++) {
            const cordon_adjustment *a = &x->adjustments[i];
            fprintf(f, "    %-11s %+.4f  %s\n", a->field, a->delta, a->reason);
        }
    }
    fprintf(f, "  qualifiers used:");
    int any = 0;
    for (unsigned k = 0; k < 4; k++)
        if (x->qualifiers >> k & 1) {
            fprintf(f, " %s", qualifier_names[k]);
            any = 1;
        }
    fprintf(f, "%s\n  score: %.4f\n", any ? "" : " none", m->score);
    if (fclose(f) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* ---- JSON ------------------------------------------------------------------- */

static json_t *jstr(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *explanation_json(const cordon_match *m)
{
    const cordon_explanation *x = &m->explanation;
    json_t *o = json_object();
    json_t *pairs = json_array();
    json_t *adjs = json_array();
    json_t *quals = json_array();
    if (!o || !pairs || !adjs || !quals) {
        json_decref(o);
        json_decref(pairs);
        json_decref(adjs);
        json_decref(quals);
        return NULL;
    }
    json_object_set_new(o, "matched_name", jstr(x->matched_name));
    json_object_set_new(o, "matched_kind", json_string(cordon_name_kind_name(x->matched_kind)));
    json_object_set_new(o, "name_score", json_real(x->name_score));
    for (size_t i = 0; i < x->n_pairs; i++) {
        const cordon_token_pair *p = &x->pairs[i];
        json_array_append_new(pairs, json_pack("{s:o,s:o,s:f,s:f,s:s}", "query", jstr(p->query),
                                               "listed", jstr(p->listed), "score", p->score,
                                               "weight", p->weight, "method", p->method));
    }
    json_object_set_new(o, "tokens", pairs);
    for (size_t i = 0; i < x->n_adjustments; i++) {
        const cordon_adjustment *a = &x->adjustments[i];
        json_array_append_new(adjs, json_pack("{s:s,s:f,s:s}", "field", a->field, "delta",
                                              a->delta, "reason", a->reason));
    }
    json_object_set_new(o, "adjustments", adjs);
    for (unsigned k = 0; k < 4; k++)
        if (x->qualifiers >> k & 1)
            json_array_append_new(quals, json_string(qualifier_names[k]));
    json_object_set_new(o, "qualifiers", quals);
    json_object_set_new(o, "identifier", jstr(x->identifier));
    return o;
}

static char *dump(json_t *root)
{
    if (!root)
        return NULL;
    char *s = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    json_decref(root);
    if (!s)
        return NULL;
    return s; /* jansson allocates with malloc: cordon_free frees it */
}

char *cordon_result_json(const cordon_result *r)
{
    if (!r)
        return NULL;
    if (r->is_comparison) {
        const cordon_match *m = r->n_matches ? &r->matches[0] : NULL;
        double score = m ? m->score : 0.0;
        json_t *o = json_object();
        if (!o)
            return NULL;
        json_object_set_new(o, "score", json_real(score));
        json_object_set_new(o, "match", json_boolean(score >= r->threshold));
        json_object_set_new(o, "threshold", json_real(r->threshold));
        json_object_set_new(o, "explanation", m ? explanation_json(m) : json_null());
        return dump(o);
    }
    json_t *o = json_object();
    json_t *ms = json_array();
    if (!o || !ms) {
        json_decref(o);
        json_decref(ms);
        return NULL;
    }
    json_object_set_new(o, "query", jstr(r->query));
    json_object_set_new(o, "threshold", json_real(r->threshold));
    json_object_set_new(o, "algorithm", json_string(cordon_algorithm_name(r->algorithm)));
    for (size_t i = 0; i < r->n_matches; i++) {
        const cordon_match *m = &r->matches[i];
        char reason[1024];
        cordon_match_reason(m, reason, sizeof reason);
        json_t *mo = json_object();
        if (!mo)
            break;
        json_object_set_new(mo, "id", jstr(m->id));
        json_object_set_new(mo, "source", jstr(m->source));
        json_object_set_new(mo, "schema", json_string(cordon_schema_name(m->schema)));
        json_object_set_new(mo, "name", jstr(m->name));
        json_object_set_new(mo, "matched_name", jstr(m->explanation.matched_name));
        json_object_set_new(mo, "score", json_real(m->score));
        json_object_set_new(mo, "reason", json_string(reason));
        json_object_set_new(mo, "explanation", explanation_json(m));
        json_array_append_new(ms, mo);
    }
    json_object_set_new(o, "matches", ms);
    return dump(o);
}
