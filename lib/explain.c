/*
 * explain.c — renders matches for people and programs: a one-line
 * reason, the whole explanation as indented text, and the result as one
 * line of JSON (written directly, in the bytes jansson would give), so
 * the CLI, batch screening and the server all print the same bytes for
 * the same result.
 */
#include "index_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/*
 * A screening result is written straight into a buffer rather than built
 * as a jansson tree: the tree (an object per match, pair and adjustment,
 * each key copied and hashed) cost more CPU than screening a cheap query,
 * on every /search answer and batch row. The bytes are exactly those of
 * json_dumps(JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6))
 * of the jansson tree tests/unit/test_result_json.c builds as a reference,
 * including jansson's treatment of bad values: a string that is not
 * UTF-8, or a number that is not finite, drops its key, and drops a
 * whole token pair or adjustment (as json_pack fails on it).
 */
typedef struct jw {
    cordon__buf b;
    int oom;
} jw;

static void jw_raw(jw *j, const char *s, size_t n)
{
    if (!j->oom && cordon__buf_append(&j->b, s, n))
        j->oom = 1;
}

static void jw_lit(jw *j, const char *s) { jw_raw(j, s, strlen(s)); }

/* A string jansson would accept: UTF-8 (json_string refuses the rest). */
static int jw_ok(const char *s) { return s && cordon__utf8_valid(s, strlen(s)); }

/* A quoted string, escaped as jansson's dump_string does. */
static void jw_str(jw *j, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    jw_raw(j, "\"", 1);
    const char *run = s;
    for (const char *p = s;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        jw_raw(j, run, (size_t)(p - run));
        if (!c)
            break;
        run = p + 1;
        switch (c) {
        case '"': jw_raw(j, "\\\"", 2); break;
        case '\\': jw_raw(j, "\\\\", 2); break;
        case '\b': jw_raw(j, "\\b", 2); break;
        case '\f': jw_raw(j, "\\f", 2); break;
        case '\n': jw_raw(j, "\\n", 2); break;
        case '\r': jw_raw(j, "\\r", 2); break;
        case '\t': jw_raw(j, "\\t", 2); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            jw_raw(j, u, 6);
        }
        }
    }
    jw_raw(j, "\"", 1);
}

/* A real as jansson's jsonp_dtostr writes it with precision 6. */
static void jw_real(jw *j, double v)
{
    char t[48];
    int k = snprintf(t, sizeof t - 3, "%.6g", v);
    if (k < 0 || (size_t)k >= sizeof t - 3) {
        j->oom = 1;
        return;
    }
    size_t n = (size_t)k;
    for (size_t i = 0; i < n; i++)
        if (t[i] == ',') /* a locale's decimal comma */
            t[i] = '.';
    if (!memchr(t, '.', n) && !memchr(t, 'e', n)) {
        t[n++] = '.';
        t[n++] = '0';
    }
    char *start = memchr(t, 'e', n);
    if (start) { /* "1e-05" -> "1e-5", "1e+20" -> "1e20" */
        start++;
        char *end = start + 1;
        if (*start == '-')
            start++;
        while (end < t + n && *end == '0')
            end++;
        if (end != start) {
            memmove(start, end, n - (size_t)(end - t));
            n -= (size_t)(end - start);
        }
    }
    jw_raw(j, t, n);
}

/* "key": with the comma before every key but the first. */
static void jw_key(jw *j, int *first, const char *key)
{
    if (!*first)
        jw_raw(j, ",", 1);
    *first = 0;
    jw_raw(j, "\"", 1);
    jw_lit(j, key);
    jw_raw(j, "\":", 2);
}

/* A string member as jstr makes it: null for NULL, none when not UTF-8. */
static void jw_member_str(jw *j, int *first, const char *key, const char *s)
{
    if (!s) {
        jw_key(j, first, key);
        jw_lit(j, "null");
    } else if (jw_ok(s)) {
        jw_key(j, first, key);
        jw_str(j, s);
    }
}

/* A string member as json_string makes it: none for NULL or not UTF-8. */
static void jw_member_cstr(jw *j, int *first, const char *key, const char *s)
{
    if (jw_ok(s)) {
        jw_key(j, first, key);
        jw_str(j, s);
    }
}

static void jw_member_real(jw *j, int *first, const char *key, double v)
{
    if (isfinite(v)) { /* json_real refuses the others */
        jw_key(j, first, key);
        jw_real(j, v);
    }
}

/* The explanation object of a match. */
static void jw_explanation(jw *j, const cordon_match *m)
{
    const cordon_explanation *x = &m->explanation;
    int first = 1;
    jw_raw(j, "{", 1);
    jw_member_str(j, &first, "matched_name", x->matched_name);
    jw_member_cstr(j, &first, "matched_kind", cordon_name_kind_name(x->matched_kind));
    jw_member_real(j, &first, "name_score", x->name_score);
    jw_key(j, &first, "tokens");
    jw_raw(j, "[", 1);
    int item = 1;
    for (size_t i = 0; i < x->n_pairs; i++) {
        const cordon_token_pair *p = &x->pairs[i];
        if ((p->query && !jw_ok(p->query)) || (p->listed && !jw_ok(p->listed)) ||
            !isfinite(p->score) || !isfinite(p->weight) || !jw_ok(p->method))
            continue; /* json_pack would fail: jansson appends nothing */
        if (!item)
            jw_raw(j, ",", 1);
        item = 0;
        int f = 1;
        jw_raw(j, "{", 1);
        jw_member_str(j, &f, "query", p->query);
        jw_member_str(j, &f, "listed", p->listed);
        jw_member_real(j, &f, "score", p->score);
        jw_member_real(j, &f, "weight", p->weight);
        jw_member_str(j, &f, "method", p->method);
        jw_raw(j, "}", 1);
    }
    jw_raw(j, "]", 1);
    jw_key(j, &first, "adjustments");
    jw_raw(j, "[", 1);
    item = 1;
    for (size_t i = 0; i < x->n_adjustments; i++) {
        const cordon_adjustment *a = &x->adjustments[i];
        if (!jw_ok(a->field) || !isfinite(a->delta) || !jw_ok(a->reason))
            continue;
        if (!item)
            jw_raw(j, ",", 1);
        item = 0;
        int f = 1;
        jw_raw(j, "{", 1);
        jw_member_str(j, &f, "field", a->field);
        jw_member_real(j, &f, "delta", a->delta);
        jw_member_str(j, &f, "reason", a->reason);
        jw_raw(j, "}", 1);
    }
    jw_raw(j, "]", 1);
    jw_key(j, &first, "qualifiers");
    jw_raw(j, "[", 1);
    item = 1;
    for (unsigned k = 0; k < 4; k++)
        if (x->qualifiers >> k & 1) {
            if (!item)
                jw_raw(j, ",", 1);
            item = 0;
            jw_str(j, qualifier_names[k]);
        }
    jw_raw(j, "]", 1);
    jw_member_str(j, &first, "identifier", x->identifier);
    jw_raw(j, "}", 1);
}

char *cordon_result_json(const cordon_result *r)
{
    if (!r)
        return NULL;
    jw j = {{0}, 0};
    int first = 1;
    if (cordon__buf_reserve(&j.b, 512 + r->n_matches * 1024))
        return NULL;
    jw_raw(&j, "{", 1);
    if (r->is_comparison) {
        const cordon_match *m = r->n_matches ? &r->matches[0] : NULL;
        double score = m ? m->score : 0.0;
        jw_member_real(&j, &first, "score", score);
        jw_key(&j, &first, "match");
        jw_lit(&j, score >= r->threshold ? "true" : "false");
        jw_member_real(&j, &first, "threshold", r->threshold);
        jw_key(&j, &first, "explanation");
        if (m)
            jw_explanation(&j, m);
        else
            jw_lit(&j, "null");
        jw_raw(&j, "}", 1);
        goto done;
    }
    jw_member_str(&j, &first, "query", r->query);
    jw_member_real(&j, &first, "threshold", r->threshold);
    jw_member_cstr(&j, &first, "algorithm", cordon_algorithm_name(r->algorithm));
    jw_key(&j, &first, "matches");
    jw_raw(&j, "[", 1);
    for (size_t i = 0; i < r->n_matches; i++) {
        const cordon_match *m = &r->matches[i];
        char reason[1024];
        cordon_match_reason(m, reason, sizeof reason);
        int f = 1;
        if (i)
            jw_raw(&j, ",", 1);
        jw_raw(&j, "{", 1);
        jw_member_str(&j, &f, "id", m->id);
        jw_member_str(&j, &f, "source", m->source);
        jw_member_cstr(&j, &f, "schema", cordon_schema_name(m->schema));
        jw_member_str(&j, &f, "name", m->name);
        jw_member_str(&j, &f, "matched_name", m->explanation.matched_name);
        jw_member_real(&j, &f, "score", m->score);
        jw_member_cstr(&j, &f, "reason", reason);
        jw_key(&j, &f, "explanation");
        jw_explanation(&j, m);
        jw_raw(&j, "}", 1);
    }
    jw_raw(&j, "]}", 2);
done:
    if (j.oom || cordon__buf_terminate(&j.b)) {
        cordon__buf_free(&j.b);
        return NULL;
    }
    return j.b.data; /* malloc'd, like jansson's: cordon_free frees it */
}
