/*
 * screen.c — cordon_screen and cordon_compare: validate the query,
 * analyse its name, retrieve candidates, score them, apply the
 * secondary fields (birth date, country, type, weak alias), keep the best
 * name of each entity, and build explanations for the matches returned.
 *
 * Final score = name score (score.c, or ofac_score.c in OFAC mode)
 *             + the adjustments below, clamped to [0,1];
 * an exact hard identifier (IMO, MMSI, passport, tax ID...) scores 1.
 */
#include "index_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Chosen from bench/bench_accuracy.c; see docs/ENGINE.md. */
#define DEFAULT_THRESHOLD 0.85
#define OFAC_DEFAULT_THRESHOLD 0.90

/* Adjustments to the name score. */
#define ADJ_DOB_EXACT 0.03f
#define ADJ_DOB_YEAR 0.015f
#define ADJ_DOB_CONTRA (-0.15f)
#define ADJ_COUNTRY_MATCH 0.02f
#define ADJ_COUNTRY_CONTRA (-0.05f)
#define ADJ_SCHEMA_PARTY (-0.15f)  /* person vs organization */
#define ADJ_SCHEMA_ASSET (-0.40f)  /* a party vs a vessel/aircraft, or vessel vs aircraft */
#define ADJ_WEAK (-0.05f)

typedef struct result_impl {
    cordon_result pub;
    cordon__arena arena;
} result_impl;

double cordon_default_threshold(cordon_algorithm algorithm)
{
    return algorithm == CORDON_ALGORITHM_OFAC ? OFAC_DEFAULT_THRESHOLD : DEFAULT_THRESHOLD;
}

const char *cordon_algorithm_name(cordon_algorithm algorithm)
{
    return algorithm == CORDON_ALGORITHM_OFAC ? "ofac" : "default";
}

int cordon_algorithm_parse(const char *s, size_t len, cordon_algorithm *out)
{
    if (!s || !out)
        return CORDON_EINVAL;
    len = cordon__trim(&s, len);
    if (cordon__ieq(s, len, "default")) {
        *out = CORDON_ALGORITHM_DEFAULT;
        return 0;
    }
    if (cordon__ieq(s, len, "ofac")) {
        *out = CORDON_ALGORITHM_OFAC;
        return 0;
    }
    return CORDON_ENOTFOUND;
}

void cordon_free(void *p) { free(p); }

void cordon_result_free(cordon_result *r)
{
    if (!r)
        return;
    result_impl *ri = (result_impl *)r;
    cordon__arena_free(&ri->arena);
    free(ri);
}

/* ---- query context --------------------------------------------------------- */

#define MAX_QIDS CORDON_QUERY_MAX_IDS

typedef struct qid {
    cordon_id_type type;
    char key[128];
    const char *text;
} qid;

typedef struct ctx {
    const cordon_index *idx;
    const cordon_query *query;
    cordon_algorithm algorithm;
    double threshold;
    size_t limit;
    char country[3];
    cordon_date dob;
    bool has_dob;
    qid ids[MAX_QIDS];
    size_t n_ids;
    cx_query q;
    bool has_q;
    cordon__arena *arena; /* the result's */
    cx_screen_ext ext;
    size_t n_scored;      /* names scored, for diagnostics */
} ctx;

static int check_options(const cordon_screen_options *opts, ctx *c, cordon_error *err)
{
    cordon_screen_options o = {0};
    if (opts)
        o = *opts;
    if ((unsigned)o.algorithm >= CORDON_ALGORITHM_COUNT_)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "unknown algorithm %d",
                            (int)o.algorithm);
    if (!(o.threshold >= 0.0 && o.threshold <= 1.0))
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0,
                            "threshold %g is outside [0, 1]", o.threshold);
    if (o.limit > CORDON_SCREEN_MAX_LIMIT)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "limit %zu is over %d", o.limit,
                            CORDON_SCREEN_MAX_LIMIT);
    c->algorithm = o.algorithm;
    c->threshold = o.threshold > 0.0 ? o.threshold : cordon_default_threshold(o.algorithm);
    c->limit = o.limit ? o.limit : CORDON_SCREEN_DEFAULT_LIMIT;
    return 0;
}

/* Identifier type from a leading label, e.g. "IMO 1011551". */
static cordon_id_type label_type(const char *s, size_t len)
{
    static const struct {
        const char *label;
        cordon_id_type type;
    } labels[] = {{"imo", CORDON_ID_IMO},           {"mmsi", CORDON_ID_MMSI},
                  {"passport", CORDON_ID_PASSPORT}, {"swift", CORDON_ID_SWIFT_BIC},
                  {"bic", CORDON_ID_SWIFT_BIC},     {"tin", CORDON_ID_TAX_ID},
                  {"inn", CORDON_ID_TAX_ID}};
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        size_t l = strlen(labels[i].label);
        if (len > l && strncasecmp(s, labels[i].label, l) == 0 &&
            !isalpha((unsigned char)s[l]))
            return labels[i].type;
    }
    return CORDON_ID_OTHER;
}

static int check_query(const cordon_query *query, ctx *c, cordon_error *err)
{
    if (!query)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no query");
    if (query->n_ids > MAX_QIDS)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "%zu identifiers; at most %d",
                            query->n_ids, MAX_QIDS);
    for (size_t i = 0; i < query->n_ids; i++) {
        const cordon_query_id *id = &query->ids[i];
        if (!id->value || !id->len)
            return cordon__fail(err, CORDON_EEMPTY, NULL, 0, 0, "empty identifier");
        if (!cordon__utf8_valid(id->value, id->len))
            return cordon__fail(err, CORDON_EUTF8, NULL, 0, 0, "identifier is not valid UTF-8");
        qid *d = &c->ids[c->n_ids];
        d->type = id->type != CORDON_ID_OTHER ? id->type : label_type(id->value, id->len);
        size_t kl = cordon__ident_normalize(id->value, id->len, d->key, sizeof d->key);
        if (kl < 3)
            return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0,
                                "identifier \"%.*s\" has fewer than 3 letters or digits",
                                (int)(id->len > 64 ? 64 : id->len), id->value);
        d->text = cordon__arena_strndup(c->arena, id->value, id->len);
        if (!d->text)
            return CORDON_ENOMEM;
        c->n_ids++;
    }
    if ((!query->name || query->name_len == 0) && c->n_ids == 0)
        return cordon__fail(err, CORDON_EEMPTY, NULL, 0, 0, "empty name");
    if (query->name_len > CORDON_QUERY_MAX_BYTES)
        return cordon__fail(err, CORDON_ETOOBIG, NULL, 0, 0,
                            "name is %zu bytes; the limit is %d", query->name_len,
                            CORDON_QUERY_MAX_BYTES);
    if ((unsigned)query->schema >= CORDON_SCHEMA_COUNT_)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "unknown entity type %d",
                            (int)query->schema);
    if (query->country && query->country_len) {
        const char *s = query->country;
        size_t len = query->country_len;
        if (!cordon__utf8_valid(s, len))
            return cordon__fail(err, CORDON_EUTF8, NULL, 0, 0, "country is not valid UTF-8");
        len = cordon__trim(&s, len);
        if (len == 2 && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1])) {
            c->country[0] = (char)toupper((unsigned char)s[0]);
            c->country[1] = (char)toupper((unsigned char)s[1]);
        } else if (cordon_country_lookup(s, len, c->country) != 0) {
            return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "unknown country \"%.*s\"",
                                (int)(len > 64 ? 64 : len), s);
        }
    }
    if (query->birth_date) {
        c->dob = *query->birth_date;
        if (c->dob.year <= 0 || c->dob.month > 12 || c->dob.day > 31)
            return cordon__fail(err, CORDON_EDATE, NULL, 0, 0, "birth date is not a date");
        c->has_dob = true;
    }
    return 0;
}

/* ---- secondary fields ---------------------------------------------------------- */

typedef struct adj_list {
    cordon_adjustment *v;
    size_t n, cap;
    cordon__arena *arena;
} adj_list;

static void adj_add(adj_list *a, const char *field, float delta, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void adj_add(adj_list *a, const char *field, float delta, const char *fmt, ...)
{
    if (!a || a->n == a->cap)
        return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *s = cordon__arena_strndup(a->arena, buf, strlen(buf));
    if (!s)
        return;
    a->v[a->n++] = (cordon_adjustment){field, roundf(delta * 10000.0f) / 10000.0f, s};
}

static void date_text(const cordon_date *d, char *buf, size_t n)
{
    if (d->day)
        snprintf(buf, n, "%04d-%02u-%02u", d->year, d->month, d->day);
    else if (d->month)
        snprintf(buf, n, "%04d-%02u", d->year, d->month);
    else
        snprintf(buf, n, "%04d", d->year);
}

/* 3 same full date, 2 same year, 1 within a year, 0 contradicting. */
static int date_relation(const cordon_date *q, const cx_date *l)
{
    int lo = l->year, hi = (l->flags & CORDON_DATE_RANGE) && l->year_to >= l->year
                               ? l->year_to
                               : l->year;
    if (l->flags & CORDON_DATE_CIRCA) {
        lo -= 1;
        hi += 1;
    }
    int y = q->year;
    if (y >= lo && y <= hi) {
        bool precise = !(l->flags & (CORDON_DATE_RANGE | CORDON_DATE_CIRCA));
        if (precise && l->month && q->month && l->month != q->month)
            return 1;
        if (precise && l->day && q->day && l->day != q->day)
            return 1;
        if (precise && l->day && q->day && l->month && q->month)
            return 3;
        return 2;
    }
    if (y >= lo - 1 && y <= hi + 1)
        return 1;
    return 0;
}

static bool schema_party(cordon_schema s)
{
    return s == CORDON_SCHEMA_PERSON || s == CORDON_SCHEMA_ORGANIZATION;
}

/* Sum of the adjustments for entity e matched on a name of `kind`;
 * describes each in `a` when given. */
static float adjust(const ctx *c, uint32_t e, int kind, adj_list *a)
{
    const cordon_index *idx = c->idx;
    const cx_entity *ent = &idx->entities[e];
    float total = 0.0f;
    if (kind == CORDON_NAME_WEAK) {
        total += ADJ_WEAK;
        adj_add(a, "weak_alias", ADJ_WEAK, "matched a weak alias (low-quality a.k.a.)");
    }
    cordon_schema qs = c->query->schema, es = (cordon_schema)ent->schema;
    if (qs != CORDON_SCHEMA_UNKNOWN) {
        if (es == CORDON_SCHEMA_UNKNOWN) {
            adj_add(a, "schema", 0.0f, "the list gives no type; query type %s",
                    cordon_schema_name(qs));
        } else if (es == qs) {
            adj_add(a, "schema", 0.0f, "type %s matches", cordon_schema_name(qs));
        } else {
            float d = schema_party(qs) && schema_party(es) ? ADJ_SCHEMA_PARTY : ADJ_SCHEMA_ASSET;
            total += d;
            adj_add(a, "schema", d, "query is a %s, the listed entity a %s",
                    cordon_schema_name(qs), cordon_schema_name(es));
        }
    }
    if (c->has_dob) {
        char qd[32];
        date_text(&c->dob, qd, sizeof qd);
        if (ent->n_dates == 0) {
            adj_add(a, "birth_date", 0.0f, "no birth date listed to compare with %s", qd);
        } else {
            int best = -1;
            uint32_t bi = 0;
            for (uint32_t i = 0; i < ent->n_dates; i++) {
                int r = date_relation(&c->dob, &idx->dates[ent->dates + i]);
                if (r > best) {
                    best = r;
                    bi = i;
                }
            }
            const cx_date *ld = &idx->dates[ent->dates + bi];
            const char *lt = ld->text ? idx->strings + ld->text : "?";
            float d = best == 3 ? ADJ_DOB_EXACT : best == 2 ? ADJ_DOB_YEAR
                                                : best == 1 ? 0.0f
                                                            : ADJ_DOB_CONTRA;
            total += d;
            static const char *const what[] = {"contradicts", "is within a year of",
                                               "has the same year as", "equals"};
            adj_add(a, "birth_date", d, "birth date %s %s the listed \"%s\"", qd, what[best], lt);
        }
    }
    if (c->country[0]) {
        int listed = 0, hit = 0;
        const uint32_t firsts[] = {ent->nats, ent->cits, ent->ctys};
        const uint32_t counts[] = {ent->n_nats, ent->n_cits, ent->n_ctys};
        for (int k = 0; k < 3 && !hit; k++)
            for (uint32_t i = 0; i < counts[k]; i++) {
                const cx_country *ct = &idx->countries[firsts[k] + i];
                if (!ct->code[0])
                    continue;
                listed++;
                if (ct->code[0] == c->country[0] && ct->code[1] == c->country[1]) {
                    hit = 1;
                    break;
                }
            }
        if (hit) {
            total += ADJ_COUNTRY_MATCH;
            adj_add(a, "country", ADJ_COUNTRY_MATCH, "country %s is listed for the entity",
                    c->country);
        } else if (listed) {
            total += ADJ_COUNTRY_CONTRA;
            adj_add(a, "country", ADJ_COUNTRY_CONTRA,
                    "country %s is not among the entity's listed countries", c->country);
        } else {
            adj_add(a, "country", 0.0f, "no country listed to compare with %s", c->country);
        }
    }
    return total;
}

static float max_bonus(const ctx *c)
{
    return (c->has_dob ? ADJ_DOB_EXACT : 0.0f) + (c->country[0] ? ADJ_COUNTRY_MATCH : 0.0f);
}

/* ---- collecting matches ------------------------------------------------------- */

typedef struct hit {
    uint32_t entity, name;
    float score, name_score;
    int32_t ident; /* matching identifier, or -1 */
} hit;

typedef struct hits {
    hit *v;
    size_t n, cap;
    uint32_t *tab; /* entity -> index + 1 */
    size_t tab_cap;
} hits;

static int hits_put(hits *h, hit x)
{
    if ((h->n + 1) * 2 > h->tab_cap) {
        size_t cap = h->tab_cap ? h->tab_cap * 2 : 64;
        uint32_t *tab = calloc(cap, sizeof *tab);
        if (!tab)
            return CORDON_ENOMEM;
        for (size_t i = 0; i < h->n; i++) {
            size_t p = (h->v[i].entity * 2654435761u) & (cap - 1);
            while (tab[p])
                p = (p + 1) & (cap - 1);
            tab[p] = (uint32_t)i + 1;
        }
        free(h->tab);
        h->tab = tab;
        h->tab_cap = cap;
    }
    size_t p = (x.entity * 2654435761u) & (h->tab_cap - 1);
    while (h->tab[p]) {
        hit *o = &h->v[h->tab[p] - 1];
        if (o->entity == x.entity) {
            if (x.score > o->score || (x.score == o->score && x.name_score > o->name_score) ||
                (x.score == o->score && x.name_score == o->name_score && x.name < o->name))
                *o = x;
            return 0;
        }
        p = (p + 1) & (h->tab_cap - 1);
    }
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 32;
        hit *v = realloc(h->v, cap * sizeof *v);
        if (!v)
            return CORDON_ENOMEM;
        h->v = v;
        h->cap = cap;
    }
    h->v[h->n] = x;
    h->tab[p] = (uint32_t)++h->n;
    return 0;
}

static int hit_cmp(const void *pa, const void *pb, void *arg)
{
    const hit *a = pa, *b = pb;
    const cordon_index *idx = arg;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return strcmp(idx->strings + idx->entities[a->entity].id,
                  idx->strings + idx->entities[b->entity].id);
}

static bool types_compatible(cordon_id_type q, cordon_id_type l)
{
    return q == CORDON_ID_OTHER || l == CORDON_ID_OTHER || q == l;
}

/* Whether the answer is about entity e (cx_screen_ext). */
static bool wanted(const ctx *c, uint32_t e)
{
    if (c->ext.mask && !c->ext.mask[e])
        return false;
    if (!c->ext.only)
        return true;
    for (size_t i = 0; i < c->ext.n_only; i++)
        if (c->ext.only[i] == e)
            return true;
    return false;
}

static int screen_ids(ctx *c, hits *h)
{
    const cordon_index *idx = c->idx;
    for (size_t i = 0; i < c->n_ids; i++) {
        const cx_slot *s = cordon__index_lookup(idx, idx->tab_ident, idx->meta->tab_ident_cap,
                                                c->ids[i].key, strlen(c->ids[i].key));
        if (!s || (s->val_len > 1 && (s->val > idx->n_u32 || s->val_len > idx->n_u32 - s->val)))
            continue;
        const uint32_t *v = cx_slot_values(idx, s);
        for (uint32_t k = 0; k < s->val_len; k++) {
            if (v[k] >= idx->meta->n_idents)
                continue;
            const cx_ident *d = &idx->idents[v[k]];
            if (!types_compatible(c->ids[i].type, (cordon_id_type)d->type) || !wanted(c, d->entity))
                continue;
            const cx_entity *e = &idx->entities[d->entity];
            int rc = hits_put(h, (hit){d->entity, e->names, 1.0f, 0.0f, (int32_t)v[k]});
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int screen_names(ctx *c, hits *h)
{
    const cordon_index *idx = c->idx;
    float thr = (float)c->threshold;
    bool ofac = c->algorithm == CORDON_ALGORITHM_OFAC;
    float floor = ofac ? 0.0f : thr - max_bonus(c);
    if (floor < 0.0f)
        floor = 0.0f;
    const uint32_t *cand = NULL;
    uint32_t *all = NULL;
    long n;
    if (c->ext.only) {
        size_t total = 0;
        for (size_t i = 0; i < c->ext.n_only; i++)
            if (c->ext.only[i] < idx->meta->n_entities)
                total += idx->entities[c->ext.only[i]].n_names;
        all = malloc((total + 1) * sizeof *all);
        if (!all)
            return CORDON_ENOMEM;
        n = 0;
        for (size_t i = 0; i < c->ext.n_only; i++) {
            if (c->ext.only[i] >= idx->meta->n_entities)
                continue;
            const cx_entity *e = &idx->entities[c->ext.only[i]];
            for (uint32_t k = 0; k < e->n_names; k++)
                if (e->names + k < idx->meta->n_names && idx->names[e->names + k].n_tokens)
                    all[n++] = e->names + k;
        }
        cand = all;
    } else if (c->ext.exhaustive) {
        /* brute force: every indexed name is a candidate */
        int rc = cordon__query_relate_exhaustive(&c->q, idx);
        if (rc)
            return rc;
        all = malloc((idx->meta->n_names + 1) * sizeof *all);
        if (!all)
            return CORDON_ENOMEM;
        n = 0;
        for (uint32_t i = 0; i < idx->meta->n_names; i++)
            if (idx->names[i].n_tokens)
                all[n++] = i;
        cand = all;
    } else {
        n = cordon__retrieve(idx, &c->q, floor, &cand);
        if (n < 0)
            return (int)n;
    }
    int rc = 0;
    const char *qname = c->query->name;
    c->n_scored += (size_t)n;
    for (long k = 0; k < n && !rc; k++) {
        uint32_t nm = cand[k];
        if (k + 2 < n) /* the names to score are scattered: fetch ahead */
            cordon__name_prefetch(idx, &c->q, cand[k + 2]);
        if (k + 4 < n)
            __builtin_prefetch(&idx->ntokens[idx->names[cand[k + 4]].tokens]);
        if (k + 8 < n)
            __builtin_prefetch(&idx->names[cand[k + 8]]);
        if (nm == c->ext.exclude_name)
            continue;
        const cx_name *name = &idx->names[nm];
        if (c->ext.mask && !c->ext.mask[name->entity])
            continue;
        float ns;
        if (ofac) {
            const char *v = idx->strings + name->value;
            ns = (float)cordon__ofac_score(qname, c->query->name_len, v, strlen(v));
            cordon_schema qs = c->query->schema, es = (cordon_schema)idx->entities[name->entity].schema;
            if (ns < thr || (qs && es && qs != es))
                continue;
            rc = hits_put(h, (hit){name->entity, nm, ns, ns, -1});
            continue;
        }
        ns = cordon__score_name(idx, &c->q, nm, NULL);
        if (ns + max_bonus(c) < thr)
            continue;
        float fin = ns + adjust(c, name->entity, name->kind, NULL);
        if (fin > 1.0f)
            fin = 1.0f;
        if (fin < thr)
            continue;
        rc = hits_put(h, (hit){name->entity, nm, fin, ns, -1});
    }
    free(all);
    return rc;
}

/* ---- explanations ---------------------------------------------------------------- */

/* "a b c": n texts joined with spaces, in the arena. */
static char *join_texts(cordon__arena *a, const char *const *v, size_t n)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += strlen(v[i]) + 1;
    char *s = cordon__arena_alloc(a, len + 1);
    if (!s)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(v[i]);
        if (i)
            s[o++] = ' ';
        memcpy(s + o, v[i], l);
        o += l;
    }
    s[o] = '\0';
    return s;
}

static const char *adup(cordon__arena *a, const char *s)
{
    return s ? cordon__arena_strndup(a, s, strlen(s)) : NULL;
}

/* Fills the explanation of a default-algorithm name match. Query token
 * texts are copied: the analysis is freed before the result. */
static int explain_tokens(const cx_query *q, const cx_ltok *lt, size_t nl, int num_mode,
                          cordon__arena *a, cordon_explanation *x, adj_list *adj,
                          float *name_score)
{
    cx_align *al = malloc(sizeof *al);
    if (!al)
        return CORDON_ENOMEM;
    cordon__align(q, lt, nl, num_mode, al);
    float score = al->raw; /* the numeral penalty is an adjustment below */
    cordon_token_pair *pairs = cordon__arena_alloc(a, (al->n_pairs + 1) * sizeof *pairs);
    if (!pairs) {
        free(al);
        return CORDON_ENOMEM;
    }
    float W = al->W > 0 ? al->W : 1.0f, L = al->L > 0 ? al->L : 1.0f;
    size_t np = 0, n_unq = 0, n_unl = 0;
    char unq[256] = "", unl[256] = "";
    for (size_t i = 0; i < al->n_pairs; i++) {
        const cx_pair *p = &al->pairs[i];
        cordon_token_pair *tp = &pairs[np++];
        memset(tp, 0, sizeof *tp);
        if (p->slot >= 0) {
            const cx_slot_q *sl = &q->slots[p->slot];
            const char *qt[CX_MAX_QTOK], *ltx[64];
            for (size_t k = 0; k < sl->n; k++)
                qt[k] = q->tok[sl->first + k]->text;
            for (int k = 0; k < p->ln && k < 64; k++)
                ltx[k] = lt[p->ltok + k].text;
            tp->query = join_texts(a, qt, sl->n);
            tp->listed = join_texts(a, ltx, (size_t)(p->ln > 0 ? p->ln : 1));
            tp->score = roundf(p->sim * 1000.0f) / 1000.0f;
            tp->weight = roundf(p->wq / W * 1000.0f) / 1000.0f;
            tp->method = cordon__method_name(p->method);
            if (!tp->query || !tp->listed)
                return free(al), CORDON_ENOMEM;
        } else if (al->num_contra && (p->qtok == al->num_q || (p->qtok < 0 && p->ltok == al->num_l))) {
            /* the two numerals that differ, as one pair */
            if (p->qtok < 0) {
                np--;
                continue;
            }
            tp->query = adup(a, q->tok[p->qtok]->text);
            tp->listed = adup(a, lt[al->num_l].text);
            if (!tp->query || !tp->listed)
                return free(al), CORDON_ENOMEM;
            tp->weight = roundf(p->wq / W * 1000.0f) / 1000.0f;
            tp->method = cordon__method_name(CX_SIM_NUMERAL);
        } else if (p->qtok >= 0) {
            tp->query = adup(a, q->tok[p->qtok]->text);
            if (!tp->query)
                return free(al), CORDON_ENOMEM;
            tp->weight = roundf(p->wq / W * 1000.0f) / 1000.0f;
            tp->method = "unmatched";
            size_t ul = strlen(unq);
            if (ul + strlen(tp->query) + 3 < sizeof unq)
                snprintf(unq + ul, sizeof unq - ul, "%s%s", n_unq ? ", " : "", tp->query);
            n_unq++;
        } else {
            tp->listed = adup(a, lt[p->ltok].text);
            if (!tp->listed)
                return free(al), CORDON_ENOMEM;
            tp->weight = roundf(p->wl / L * 1000.0f) / 1000.0f;
            tp->method = "unmatched";
            size_t ul = strlen(unl);
            if (ul + strlen(tp->listed) + 3 < sizeof unl)
                snprintf(unl + ul, sizeof unl - ul, "%s%s", n_unl ? ", " : "", tp->listed);
            n_unl++;
        }
    }
    x->pairs = pairs;
    x->n_pairs = np;
    *name_score = score;
    if (n_unq || n_unl)
        adj_add(adj, "coverage", 0.0f,
                "query coverage %.2f%s%s%s, listed coverage %.2f%s%s%s (already in the name "
                "score)",
                al->cov_q, n_unq ? " (no match for " : "", unq, n_unq ? ")" : "", al->cov_l,
                n_unl ? " (not in the query: " : "", unl, n_unl ? ")" : "");
    if (al->num_mode != CX_NUM_UNKNOWN) {
        const char *what = al->num_mode == CX_NUM_GENERATION ? "generation" : "numeral";
        if (al->num_contra)
            adj_add(adj, "numeral", al->num_delta, "query %s %s differs from the listed %s", what,
                    q->tok[al->num_q]->text, lt[al->num_l].text);
        else if (al->num_q >= 0)
            adj_add(adj, "numeral", al->num_delta, "query %s %s is not in the listed name", what,
                    q->tok[al->num_q]->text);
        else
            adj_add(adj, "numeral", al->num_delta, "listed %s %s is not in the query", what,
                    lt[al->num_l].text);
    }
    free(al);
    return 0;
}

static int build_match(ctx *c, const hit *h, cordon_match *m)
{
    const cordon_index *idx = c->idx;
    cordon__arena *a = c->arena;
    const cx_entity *e = &idx->entities[h->entity];
    const cx_name *nm = &idx->names[h->name];
    memset(m, 0, sizeof *m);
    m->entity = h->entity;
    m->id = idx->strings + e->id;
    m->source = idx->infos[e->source].name;
    m->schema = (cordon_schema)e->schema;
    m->name = idx->strings + idx->names[e->names].value;
    m->score = roundf(h->score * 10000.0f) / 10000.0;
    cordon_explanation *x = &m->explanation;
    x->matched_name = idx->strings + nm->value;
    x->matched_kind = (cordon_name_kind)nm->kind;
    adj_list adj = {cordon__arena_alloc(a, 16 * sizeof(cordon_adjustment)), 0, 16, a};
    if (!adj.v)
        return CORDON_ENOMEM;
    if (c->query->schema)
        x->qualifiers |= CORDON_QUALIFIER_SCHEMA;
    if (c->has_dob)
        x->qualifiers |= CORDON_QUALIFIER_BIRTH_DATE;
    if (c->country[0])
        x->qualifiers |= CORDON_QUALIFIER_COUNTRY;
    if (c->n_ids)
        x->qualifiers |= CORDON_QUALIFIER_IDENTIFIER;
    if (h->ident >= 0) {
        const cx_ident *d = &idx->idents[h->ident];
        x->identifier = idx->strings + d->value;
        x->name_score = 0.0;
        adj_add(&adj, "identifier", 1.0f, "%s %s equals the listed %s",
                cordon_id_type_name((cordon_id_type)d->type), x->identifier,
                d->label ? idx->strings + d->label : cordon_id_type_name((cordon_id_type)d->type));
    } else if (c->algorithm == CORDON_ALGORITHM_OFAC) {
        x->name_score = m->score;
        adj_add(&adj, "algorithm", 0.0f,
                "OFAC Sanctions List Search parity score (Jaro-Winkler and Soundex on name "
                "parts)");
    } else {
        cx_ltok lt[64];
        size_t nl = cordon__name_ltoks(idx, &c->q, h->name, lt);
        float raw = 0.0f;
        int rc = explain_tokens(&c->q, lt, nl, cx_name_num_mode(nm->flags), a, x, &adj, &raw);
        if (rc)
            return rc;
        x->name_score = roundf(raw * 10000.0f) / 10000.0;
        adjust(c, h->entity, nm->kind, &adj);
    }
    x->adjustments = adj.v;
    x->n_adjustments = adj.n;
    return 0;
}

/* ---- entry points ------------------------------------------------------------------ */

static result_impl *result_new(void)
{
    result_impl *r = calloc(1, sizeof *r);
    if (r)
        cordon__arena_init(&r->arena);
    return r;
}

static int analyze_query(ctx *c, const char *name, size_t len, cordon_error *err)
{
    cordon_name_analysis *an = NULL;
    int rc = cordon_name_analyze(name, len, c->query ? c->query->schema : CORDON_SCHEMA_UNKNOWN,
                                 &an, err);
    if (rc)
        return rc;
    if (an->n_tokens == 0) {
        cordon_name_analysis_free(an);
        return cordon__fail(err, CORDON_EEMPTY, NULL, 0, 0, "name has no letters or digits");
    }
    rc = cordon__query_prepare(&c->q, c->idx, an);
    c->has_q = true; /* owns an now, even on failure */
    if (rc == CORDON_ENOMEM)
        cordon__fail(err, rc, NULL, 0, 0, "out of memory");
    return rc;
}

int cordon_screen(const cordon_index *idx, const cordon_query *query,
                  const cordon_screen_options *opts, cordon_result **out, cordon_error *err)
{
    cx_screen_ext ext = {.exclude_name = CX_NONE};
    return cordon__screen_ext(idx, query, opts, &ext, out, err);
}

int cordon__screen_ext(const cordon_index *idx, const cordon_query *query,
                       const cordon_screen_options *opts, const cx_screen_ext *ext,
                       cordon_result **out, cordon_error *err)
{
    if (out)
        *out = NULL;
    if (!idx || !out)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no index or result pointer");
    result_impl *r = result_new();
    if (!r)
        return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    ctx c;
    memset(&c, 0, sizeof c);
    c.idx = idx;
    c.query = query;
    c.arena = &r->arena;
    c.ext = *ext;
    hits h = {0};
    int rc = check_options(opts, &c, err);
    if (!rc)
        rc = check_query(query, &c, err);
    bool has_name = !rc && query->name && query->name_len;
    if (has_name) {
        r->pub.query = cordon__arena_strndup(&r->arena, query->name, query->name_len);
        if (!r->pub.query)
            rc = CORDON_ENOMEM;
    }
    if (!rc && has_name)
        rc = analyze_query(&c, query->name, query->name_len, err);
    if (!rc && has_name)
        rc = screen_names(&c, &h);
    if (!rc)
        rc = screen_ids(&c, &h);
    if (!rc) {
        if (h.n)
            qsort_r(h.v, h.n, sizeof *h.v, hit_cmp, (void *)idx);
        size_t n = h.n < c.limit ? h.n : c.limit;
        cordon_match *m = cordon__arena_alloc(&r->arena, (n ? n : 1) * sizeof *m);
        if (!m)
            rc = CORDON_ENOMEM;
        for (size_t i = 0; i < n && !rc; i++)
            rc = build_match(&c, &h.v[i], &m[i]);
        r->pub.matches = m;
        r->pub.n_matches = n;
        r->pub.algorithm = c.algorithm;
        r->pub.threshold = c.threshold;
        r->pub.n_candidates = c.n_scored;
        if (c.has_q)
            r->pub.normalized = cordon__arena_strndup(&r->arena, c.q.an->normalized,
                                                      strlen(c.q.an->normalized));
    }
    free(h.v);
    free(h.tab);
    if (c.has_q)
        cordon__query_free(&c.q);
    if (rc) {
        if (rc == CORDON_ENOMEM && (!err || err->code != CORDON_ENOMEM))
            cordon__fail(err, rc, NULL, 0, 0, "out of memory");
        cordon_result_free(&r->pub);
        return rc;
    }
    *out = &r->pub;
    return 0;
}

/* Listed tokens for a comparison: the second name analysed on the spot,
 * similarities computed directly with the same functions retrieval
 * uses. */
int cordon_compare(const cordon_index *idx, const char *name1, size_t len1, const char *name2,
                   size_t len2, cordon_schema schema, const cordon_screen_options *opts,
                   cordon_result **out, cordon_error *err)
{
    if (out)
        *out = NULL;
    if (!out)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no result pointer");
    if (!name1 || !len1 || !name2 || !len2)
        return cordon__fail(err, CORDON_EEMPTY, NULL, 0, 0, "empty name");
    if (len1 > CORDON_QUERY_MAX_BYTES || len2 > CORDON_QUERY_MAX_BYTES)
        return cordon__fail(err, CORDON_ETOOBIG, NULL, 0, 0, "name over %d bytes",
                            CORDON_QUERY_MAX_BYTES);
    if ((unsigned)schema >= CORDON_SCHEMA_COUNT_)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "unknown entity type");
    result_impl *r = result_new();
    if (!r)
        return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    ctx c;
    memset(&c, 0, sizeof c);
    cordon_query query = {.name = name1, .name_len = len1, .schema = schema};
    c.ext.exclude_name = CX_NONE;
    c.idx = idx;
    c.query = &query;
    c.arena = &r->arena;
    cordon_name_analysis *an2 = NULL;
    int rc = check_options(opts, &c, err);
    if (!rc)
        rc = analyze_query(&c, name1, len1, err);
    if (!rc)
        rc = cordon_name_analyze(name2, len2, schema, &an2, err);
    if (!rc && an2->n_tokens == 0)
        rc = cordon__fail(err, CORDON_EEMPTY, NULL, 0, 0, "second name has no letters or digits");
    cordon_match *m = NULL;
    if (!rc) {
        m = cordon__arena_alloc(&r->arena, sizeof *m);
        if (!m)
            rc = CORDON_ENOMEM;
    }
    if (!rc) {
        memset(m, 0, sizeof *m);
        m->entity = CORDON_NO_ENTITY;
        m->schema = schema;
        m->name = cordon__arena_strndup(&r->arena, name2, len2);
        cordon_explanation *x = &m->explanation;
        x->matched_name = m->name;
        x->matched_kind = CORDON_NAME_PRIMARY;
        adj_list adj = {cordon__arena_alloc(&r->arena, 8 * sizeof(cordon_adjustment)), 0, 8,
                        &r->arena};
        if (!m->name || !adj.v)
            rc = CORDON_ENOMEM;
        if (!rc && c.algorithm == CORDON_ALGORITHM_OFAC) {
            m->score = roundf((float)cordon__ofac_score(name1, len1, name2, len2) * 10000.0f) /
                       10000.0;
            x->name_score = m->score;
            adj_add(&adj, "algorithm", 0.0f,
                    "OFAC Sanctions List Search parity score (Jaro-Winkler and Soundex on name "
                    "parts)");
        } else if (!rc) {
            /* base tokens of the second name, and the join starting at
             * each (its JOINED token, or it and its neighbour) */
            const cordon_name_token *bt[64], *jt[64] = {0};
            size_t map[CORDON_NAME_MAX_TOKENS], nl = 0;
            for (size_t i = 0; i < an2->n_tokens && i < CORDON_NAME_MAX_TOKENS; i++) {
                map[i] = SIZE_MAX;
                if (!(an2->tokens[i].flags & CORDON_TOKEN_JOINED) && nl < 64) {
                    map[i] = nl;
                    bt[nl++] = &an2->tokens[i];
                }
            }
            for (size_t i = 0; i < an2->n_tokens && i < CORDON_NAME_MAX_TOKENS; i++) {
                const cordon_name_token *tk = &an2->tokens[i];
                if ((tk->flags & CORDON_TOKEN_JOINED) && tk->n_parts >= 2 &&
                    tk->part_first < an2->n_tokens && map[tk->part_first] != SIZE_MAX &&
                    map[tk->part_first] + tk->n_parts <= nl && !jt[map[tk->part_first]])
                    jt[map[tk->part_first]] = tk;
            }
            size_t ns = c.q.n_slots;
            float *sims = calloc(2 * (nl ? nl : 1) * (ns ? ns : 1), sizeof *sims);
            uint8_t *meth = calloc(2 * (nl ? nl : 1) * (ns ? ns : 1), 1);
            cx_ltok *lt = calloc(nl ? nl : 1, sizeof *lt);
            if (!sims || !meth || !lt)
                rc = CORDON_ENOMEM;
            for (size_t j = 0; j < nl && !rc; j++) {
                const cordon_name_token *tk = bt[j];
                cx_tokview v, pv;
                cordon__token_view(tk, &v);
                char joined[256] = "";
                memset(&pv, 0, sizeof pv);
                size_t pair_n = 0;
                if (jt[j]) {
                    cordon__token_view(jt[j], &pv);
                    pair_n = jt[j]->n_parts;
                } else if (j + 1 < nl && (size_t)snprintf(joined, sizeof joined, "%s%s", tk->text,
                                                          bt[j + 1]->text) < sizeof joined) {
                    pv.text = joined;
                    pv.forms[0] = joined;
                    pv.n_forms = 1;
                    pair_n = 2;
                }
                pv.nofuzzy = 1;
                for (size_t s = 0; s < ns; s++) {
                    const cx_slot_q *sl = &c.q.slots[s];
                    if (!sl->retrievable)
                        continue;
                    int mm = 0;
                    sims[j * ns + s] = cordon__slot_sim(sl, &v, &mm);
                    meth[j * ns + s] = (uint8_t)mm;
                    if (pair_n && sl->n == 1) {
                        sims[(nl + j) * ns + s] = cordon__slot_sim(sl, &pv, &mm);
                        meth[(nl + j) * ns + s] = (uint8_t)mm;
                    }
                }
                lt[j].text = tk->text;
                lt[j].weight = cordon__role_factor(tk->role, tk->flags);
                lt[j].role = (uint8_t)tk->role;
                lt[j].flags = (uint8_t)tk->flags;
                lt[j].sim = sims + j * ns;
                lt[j].method = meth + j * ns;
                lt[j].pair_n = (uint8_t)pair_n;
                lt[j].pair_sim = pair_n ? sims + (nl + j) * ns : NULL;
                lt[j].pair_method = pair_n ? meth + (nl + j) * ns : NULL;
            }
            float raw = 0.0f;
            int mode = cordon__num_mode(an2->schema);
            if (!rc)
                rc = explain_tokens(&c.q, lt, nl, mode, &r->arena, x, &adj, &raw);
            if (!rc) {
                float s = cordon__align(&c.q, lt, nl, mode, NULL);
                m->score = roundf(s * 10000.0f) / 10000.0;
                x->name_score = roundf(raw * 10000.0f) / 10000.0;
            }
            free(sims);
            free(meth);
            free(lt);
        }
        x->adjustments = adj.v;
        x->n_adjustments = adj.n;
    }
    cordon_name_analysis_free(an2);
    if (!rc) {
        r->pub.query = cordon__arena_strndup(&r->arena, name1, len1);
        r->pub.normalized = cordon__arena_strndup(&r->arena, c.q.an->normalized,
                                                  strlen(c.q.an->normalized));
        r->pub.algorithm = c.algorithm;
        r->pub.threshold = c.threshold;
        r->pub.matches = m;
        r->pub.n_matches = 1;
        r->pub.is_comparison = 1;
    }
    if (c.has_q)
        cordon__query_free(&c.q);
    if (rc) {
        if (rc == CORDON_ENOMEM)
            cordon__fail(err, rc, NULL, 0, 0, "out of memory");
        cordon_result_free(&r->pub);
        return rc;
    }
    *out = &r->pub;
    return 0;
}
