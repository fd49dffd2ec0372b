/*
 * score.c — cordon's default name scorer: token similarity, token
 * weights (IDF x role) and the alignment of query tokens with the tokens
 * of one listed name.
 *
 * The score of a listed name is
 *
 *     sum over aligned pairs of  sim x (weight of the query tokens)
 *     -------------------------------------------------------------
 *     W (all query weight)  +  LAMBDA x sum of unmatched listed weight
 *
 * so it is at most the share of query weight that found any partner.
 * retrieve.c relies on exactly that bound to skip names (see there):
 * every token pair scored above 0 here is one the index can find.
 */
#include "index_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Defaults, chosen with bench/bench_accuracy.c (docs/ENGINE.md). */
static const cx_params defaults = {
    .alpha = 0.65f,
    .sim_romanized = 0.95f,
    .sim_initial = 0.85f,
    .sim_listed_initial = 0.6f,
    .sim_joined = 0.97f,
    .fuzzy_k4 = 2.0f, /* one letter of four is a bigger change than of ten */
    .fuzzy_k6 = 1.6f,
    .fuzzy_k = 1.3f,
    .fuzzy_cap = 0.95f,
    .phon_base = 0.55f,
    .phon_k = 0.4f,
    .phon_cap = 0.9f,
    .phon_min_jw = 0.6f,
    .loose_base = 0.74f, /* loose keys equal, the query in another script, */
    .loose_jw = 0.12f,   /* plus this much of the spelling's Jaro-Winkler */
    /* A Latin query against a name the list wrote in another script: the
     * name layer's romanized forms of the listed name already meet the
     * query; a loose key alone added false alerts (bench_accuracy) and a
     * quarter of the related terms of Latin queries. Off. */
    .loose_rev = 0.0f, /* (a factor) */
};

#ifdef CX_TUNE
#include <pthread.h>
static cx_params tuned;
static pthread_once_t tuned_once = PTHREAD_ONCE_INIT;

static void tune_one(const char *name, float *v)
{
    char key[64];
    snprintf(key, sizeof key, "CORDON_TUNE_%s", name);
    const char *e = getenv(key);
    if (e && *e)
        *v = strtof(e, NULL);
}

static void tune_load(void)
{
    tuned = defaults;
#define T(f) tune_one(#f, &tuned.f)
    T(alpha); T(sim_romanized); T(sim_initial); T(sim_listed_initial); T(sim_joined);
    T(fuzzy_k4); T(fuzzy_k6); T(fuzzy_k); T(fuzzy_cap); T(phon_base); T(phon_k); T(phon_cap);
    T(phon_min_jw); T(loose_base); T(loose_jw); T(loose_rev);
#undef T
}

const cx_params *cordon__params(void)
{
    pthread_once(&tuned_once, tune_load);
    return &tuned;
}
#else
const cx_params *cordon__params(void) { return &defaults; }
#endif

#define P (cordon__params())
#define SIM_ROMANIZED (P->sim_romanized)
#define SIM_INITIAL (P->sim_initial)
#define SIM_JOINED (P->sim_joined)
#define FUZZY_FORMS 4

const char *cordon__method_name(int method)
{
    static const char *const names[CX_SIM_COUNT_] = {
        "unmatched", "exact", "romanized", "fuzzy", "phonetic", "initial", "joined", "split",
        "loose", "numeral",
    };
    return method >= 0 && method < CX_SIM_COUNT_ ? names[method] : "unmatched";
}

float cordon__role_factor(cordon_token_role role, uint32_t flags)
{
    float f;
    switch (role) {
    case CORDON_ROLE_SURNAME: f = 1.1f; break;
    case CORDON_ROLE_GIVEN: f = 1.0f; break;
    case CORDON_ROLE_PATRONYMIC: f = 0.5f; break;
    case CORDON_ROLE_PARTICLE: f = 0.15f; break;
    case CORDON_ROLE_LEGAL_FORM: f = 0.15f; break;
    case CORDON_ROLE_TITLE: f = 0.1f; break;
    /* a numeral: a little (numerals that differ cost more, see
     * cordon__align); a person's generation less */
    case CORDON_ROLE_NUMBER: f = flags & CORDON_TOKEN_GENERATION ? 0.15f : 0.2f; break;
    case CORDON_ROLE_GENERIC: f = 0.3f; break;
    case CORDON_ROLE_INITIAL: f = 0.25f; break;
    default: f = 1.0f; break;
    }
    if ((flags & CORDON_TOKEN_WEAK) && f > 0.3f)
        f = 0.3f;
    return f;
}

float cordon__idf(uint32_t df, uint32_t n)
{
    if (n == 0)
        return 1.0f;
    double v = log(((double)n + 1.0) / ((double)df + 1.0)) / log((double)n + 1.0);
    if (v < 0.05)
        v = 0.05;
    if (v > 1.0)
        v = 1.0;
    return (float)v;
}

void cordon__term_view(const cordon_index *idx, uint32_t t, cx_tokview *v)
{
    const cx_term *term = &idx->terms[t];
    v->text = idx->strings + term->text;
    v->nofuzzy = (term->flags & CX_TERM_PAIR) != 0;
    const uint32_t *k = term->keys;
    v->n_forms = term->n_forms;
    for (size_t i = 0; i < v->n_forms; i++)
        v->forms[i] = idx->strings + *k++;
    v->n_phon = term->n_phon;
    for (size_t i = 0; i < v->n_phon; i++)
        v->phon[i] = idx->strings + *k++;
    v->n_loose = term->n_loose;
    for (size_t i = 0; i < v->n_loose; i++)
        v->loose[i] = idx->strings + *k++;
    v->nonlatin = (term->flags & CX_TERM_NONLATIN) != 0;
}

static bool has_digit(const char *s)
{
    for (; *s; s++)
        if (*s >= '0' && *s <= '9')
            return true;
    return false;
}

/* Similarity of two forms related by one deletion each: Jaro-Winkler,
 * pulled down more for short tokens, where one letter is a bigger part
 * of the name. */
static float fuzzy_sim(const char *a, size_t la, const char *b, size_t lb)
{
    double jw = cordon__jaro_winkler(a, la, b, lb);
    size_t l = la > lb ? la : lb;
    double penalty = l <= 4 ? P->fuzzy_k4 : l <= 6 ? P->fuzzy_k6 : P->fuzzy_k;
    double s = 1.0 - (1.0 - jw) * penalty;
    if (s > P->fuzzy_cap)
        s = P->fuzzy_cap;
    return s < 0.5 ? 0.5f : (float)s;
}

float cordon__token_sim(const cx_tokview *q, const cx_tokview *l, int *method)
{
    int m = CX_SIM_NONE;
    float best = 0.0f;
    if (strcmp(q->text, l->text) == 0) {
        *method = CX_SIM_EXACT;
        return 1.0f;
    }
    for (size_t i = 0; i < q->n_forms; i++)
        for (size_t j = 0; j < l->n_forms; j++)
            if (strcmp(q->forms[i], l->forms[j]) == 0) {
                *method = CX_SIM_ROMANIZED;
                return SIM_ROMANIZED;
            }
    /* Numbers and codes match exactly or not at all. */
    if (has_digit(q->text) || has_digit(l->text)) {
        *method = CX_SIM_NONE;
        return 0.0f;
    }
    size_t nq = q->n_forms < FUZZY_FORMS ? q->n_forms : FUZZY_FORMS;
    size_t nl = l->n_forms < FUZZY_FORMS ? l->n_forms : FUZZY_FORMS;
    if (q->nofuzzy || l->nofuzzy)
        nq = 0;
    size_t lbs[8];
    for (size_t j = 0; j < nl; j++)
        lbs[j] = strlen(l->forms[j]);
    for (size_t i = 0; i < nq; i++) {
        size_t la = strlen(q->forms[i]);
        for (size_t j = 0; j < nl; j++) {
            size_t lb = lbs[j];
            size_t mn = la < lb ? la : lb, mx = la < lb ? lb : la;
            if (mn < 3 || mx < CX_FUZZY_MIN_LEN || mx - mn > 1 || has_digit(q->forms[i]) ||
                has_digit(l->forms[j]))
                continue;
            if (!cordon__del1_related(q->forms[i], la, l->forms[j], lb))
                continue;
            float s = fuzzy_sim(q->forms[i], la, l->forms[j], lb);
            if (s > best) {
                best = s;
                m = CX_SIM_FUZZY;
            }
        }
    }
    /* any equal key (2+ letters): the similarity is of the texts, so
     * the first equal pair decides */
    for (size_t i = 0; i < q->n_phon && best < P->phon_cap; i++)
        for (size_t j = 0; j < l->n_phon; j++) {
            if (!q->phon[i][0] || !q->phon[i][1] || strcmp(q->phon[i], l->phon[j]) != 0)
                continue;
            double jw = cordon__jaro_winkler(q->text, strlen(q->text), l->text, strlen(l->text));
            float s = (float)(P->phon_base + P->phon_k * jw);
            if (s > P->phon_cap)
                s = P->phon_cap;
            if (jw >= P->phon_min_jw && s > best) {
                best = s;
                m = CX_SIM_PHONETIC;
            }
            goto phon_done;
        }
phon_done:
    /* Loose consonant keys: how transcriptions through another script
     * meet ("chen"/"jong" both SN). Evidence only when one side was
     * written in another script, and one fixed similarity (retrieve.c
     * assigns it straight from the key table, without reading the term). */
    if (best < P->loose_base + P->loose_jw && (q->nonlatin || l->nonlatin))
        for (size_t i = 0; i < q->n_loose; i++)
            for (size_t j = 0; j < l->n_loose; j++)
                if (q->loose[i][0] && q->loose[i][1] && strcmp(q->loose[i], l->loose[j]) == 0) {
                    float ls = cordon__loose_sim(q, l->text, l->nonlatin);
                    if (ls > best) {
                        best = ls;
                        m = CX_SIM_LOOSE;
                    }
                    goto loose_done;
                }
loose_done:
    *method = m;
    return best;
}

float cordon__loose_sim(const cx_tokview *q, const char *listed_text, int listed_nonlatin)
{
    if (!q->nonlatin && (!listed_nonlatin || P->loose_rev <= 0.0f))
        return 0.0f;
    /* a little of the spelling (of the primary form), to rank names whose
     * keys are all equal */
    double jw = cordon__jaro_winkler(q->text, strlen(q->text), listed_text, strlen(listed_text));
    float s = P->loose_base + P->loose_jw * (float)jw;
    return q->nonlatin ? s : s * P->loose_rev;
}

/* ---- alignment ---------------------------------------------------------------- */

int cordon__num_mode(cordon_schema schema)
{
    return schema == CORDON_SCHEMA_PERSON ? CX_NUM_GENERATION
           : schema == CORDON_SCHEMA_UNKNOWN ? CX_NUM_UNKNOWN
                                             : CX_NUM_THING;
}

/* Value of a query initial read as a Roman numeral ("ARGO I"), or 0. */
static int initial_numeral(char c) { return c == 'i' ? 1 : c == 'v' ? 5 : c == 'x' ? 10 : 0; }

static int numeral_value(const char *s)
{
    int v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 1000)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v;
}

typedef struct edge {
    float gain, sim, wq, wl;
    uint8_t slot, ltok, ln, method;
} edge;

#define MAX_EDGES 1024

float cordon__align(const cx_query *q, const cx_ltok *lt, size_t n_lt, int num_mode,
                    cx_align *al)
{
    if (n_lt > 64)
        n_lt = 64;
    edge edges[MAX_EDGES];
    size_t ne = 0;
    float L = 0.0f;
    for (size_t j = 0; j < n_lt; j++)
        L += lt[j].weight;
    for (size_t s = 0; s < q->n_slots; s++) {
        const cx_slot_q *sl = &q->slots[s];
        float sw = 0.0f;
        for (size_t i = sl->first; i < (size_t)sl->first + sl->n; i++)
            sw += q->w[i];
        const bool joined = sl->n > 1;
        /* a numeral pairs with numerals only */
        const bool qnum = !joined && (q->num_mask >> sl->first & 1);
        for (size_t j = 0; j < n_lt && ne < MAX_EDGES; j++) {
            float sim = 0.0f;
            int m = CX_SIM_NONE;
            const bool lnum = lt[j].role == CORDON_ROLE_NUMBER;
            if (sl->initial && lnum) {
                int v = initial_numeral(sl->view.text[0]);
                if (v && v == numeral_value(lt[j].text)) {
                    sim = 1.0f;
                    m = CX_SIM_NUMERAL;
                }
            } else if (!joined && qnum != lnum) {
                continue;
            } else if (sl->initial) {
                if (lt[j].text[0] == sl->view.text[0]) {
                    sim = lt[j].text[1] ? SIM_INITIAL : 1.0f;
                    m = lt[j].text[1] ? CX_SIM_INITIAL : CX_SIM_EXACT;
                }
            } else if (lt[j].sim && lt[j].sim[s] > 0.0f) {
                sim = lt[j].sim[s];
                m = lt[j].method[s];
                if (joined && sim > SIM_JOINED)
                    sim = SIM_JOINED;
                if (joined)
                    m = CX_SIM_JOINED;
            }
            if (sim > 0.0f)
                edges[ne++] = (edge){sim * (sw / q->W + lt[j].weight / L), sim, sw, lt[j].weight,
                                     (uint8_t)s, (uint8_t)j, 1, (uint8_t)m};
            if (!joined && !sl->initial && !qnum && lt[j].pair_sim && lt[j].pair_n >= 2 &&
                j + lt[j].pair_n <= n_lt && lt[j].pair_sim[s] > 0.0f && ne < MAX_EDGES) {
                float ps = lt[j].pair_sim[s];
                if (ps > SIM_JOINED)
                    ps = SIM_JOINED;
                float wl = 0.0f;
                for (size_t k = j; k < j + lt[j].pair_n; k++)
                    wl += lt[k].weight;
                edges[ne++] = (edge){ps * (sw / q->W + wl / L), ps, sw, wl, (uint8_t)s,
                                     (uint8_t)j, lt[j].pair_n, CX_SIM_SPLIT};
            }
        }
    }
    /* Greedy: best gain (similarity x share of both names) first; ties
     * prefer the higher similarity. A few edges per token: insertion
     * sort. */
    for (size_t i = 1; i < ne; i++) {
        edge e = edges[i];
        size_t k = i;
        while (k > 0 && (edges[k - 1].gain < e.gain ||
                         (edges[k - 1].gain == e.gain && edges[k - 1].sim < e.sim))) {
            edges[k] = edges[k - 1];
            k--;
        }
        edges[k] = e;
    }
    uint64_t used_q = 0, used_l = 0;
    float mq = 0.0f, ml = 0.0f;
    if (al)
        al->n_pairs = 0;
    const size_t max_pairs = al ? sizeof al->pairs / sizeof al->pairs[0] : 0;
    for (size_t i = 0; i < ne; i++) {
        const edge *e = &edges[i];
        const cx_slot_q *sl = &q->slots[e->slot];
        uint64_t qm = ((1ull << sl->n) - 1) << sl->first;
        uint64_t lm = e->ln >= 64 ? ~0ull : ((1ull << e->ln) - 1) << e->ltok;
        if ((used_q & qm) || (used_l & lm))
            continue;
        used_q |= qm;
        used_l |= lm;
        mq += e->sim * e->wq;
        ml += e->sim * e->wl;
        if (al && al->n_pairs < max_pairs)
            al->pairs[al->n_pairs++] =
                (cx_pair){e->slot, e->ltok, e->ln, -1, e->sim, e->wq, e->wl, e->method};
    }
    if (al) {
        for (size_t i = 0; i < q->n_tok; i++)
            if (!(used_q >> i & 1) && al->n_pairs < max_pairs)
                al->pairs[al->n_pairs++] = (cx_pair){-1, 0, 0, (int)i, 0, q->w[i], 0, CX_SIM_NONE};
        for (size_t j = 0; j < n_lt; j++)
            if (!(used_l >> j & 1) && al->n_pairs < max_pairs)
                al->pairs[al->n_pairs++] =
                    (cx_pair){-1, (int)j, 1, -1, 0, 0, lt[j].weight, CX_SIM_NONE};
    }
    float cq = q->W > 0.0f ? mq / q->W : 0.0f;
    float cl = L > 0.0f ? ml / L : 0.0f;
    if (cq > 1.0f)
        cq = 1.0f;
    if (cl > 1.0f)
        cl = 1.0f;
    float hi = cq > cl ? cq : cl, lo = cq > cl ? cl : cq;
    float score = CX_ALPHA * hi + (1.0f - CX_ALPHA) * lo;
    /* Numerals left unmatched: differing ones contradict, one side's
     * alone is a different name for a thing (SPARTA IV is not SPARTA). */
    const uint64_t uq = q->num_mask & ~used_q;
    int ul = -1, n_ul = 0;
    bool gen = (q->gen_mask & uq) != 0;
    for (size_t j = 0; j < n_lt; j++)
        if (lt[j].role == CORDON_ROLE_NUMBER && !(used_l >> j & 1)) {
            if (ul < 0)
                ul = (int)j;
            n_ul++;
            gen |= (lt[j].flags & CORDON_TOKEN_GENERATION) != 0;
        }
    float delta = 0.0f;
    int mode = CX_NUM_UNKNOWN;
    if (uq || n_ul) {
        mode = gen ? CX_NUM_GENERATION
               : num_mode != CX_NUM_UNKNOWN ? num_mode
               : q->num_mode != CX_NUM_UNKNOWN ? q->num_mode
                                               : CX_NUM_THING;
        if (uq && n_ul)
            delta = mode == CX_NUM_THING ? -CX_NUM_CONTRA_THING : -CX_NUM_CONTRA_GEN;
        else if (mode == CX_NUM_THING)
            delta = -CX_NUM_ONE_SIDE_THING;
    }
    if (al) {
        al->cov_q = cq;
        al->cov_l = cl;
        al->W = q->W;
        al->L = L;
        al->raw = score;
        al->num_delta = delta;
        al->num_contra = uq && n_ul;
        al->num_mode = mode;
        al->num_q = uq ? __builtin_ctzll(uq) : -1;
        al->num_l = ul;
    }
    score += delta;
    return score > 0.0f ? score : 0.0f;
}

size_t cordon__name_ltoks(const cordon_index *idx, cx_query *q, uint32_t n, cx_ltok lt[64])
{
    const cx_name *nm = &idx->names[n];
    size_t nl = nm->n_tokens > 64 ? 64 : nm->n_tokens;
    const size_t ns = q->n_slots;
    for (size_t j = 0; j < nl; j++) {
        const cx_ntoken *t = &idx->ntokens[nm->tokens + j];
        long r = cordon__query_row(q, t->term);
        if (r >= 0)
            cordon__query_resolve(q, idx, (size_t)r);
        lt[j].text = idx->strings + idx->terms[t->term].text;
        lt[j].weight = t->weight;
        lt[j].role = t->role;
        lt[j].flags = t->flags;
        lt[j].sim = r >= 0 ? q->rel_sim + (size_t)r * ns : NULL;
        lt[j].method = r >= 0 ? q->rel_method + (size_t)r * ns : NULL;
        long p = t->pair_term != CX_NONE && j + t->pair_n <= nl ? cordon__query_row(q, t->pair_term)
                                                                 : -1;
        if (p >= 0)
            cordon__query_resolve(q, idx, (size_t)p);
        lt[j].pair_n = t->pair_n;
        lt[j].pair_sim = p >= 0 ? q->rel_sim + (size_t)p * ns : NULL;
        lt[j].pair_method = p >= 0 ? q->rel_method + (size_t)p * ns : NULL;
    }
    return nl;
}

void cordon__name_prefetch(const cordon_index *idx, const cx_query *q, uint32_t n)
{
    const cx_name *nm = &idx->names[n];
    if (!q->term_map)
        return;
    for (uint32_t j = 0; j < nm->n_tokens && j < 64; j++) {
        const cx_ntoken *t = &idx->ntokens[nm->tokens + j];
        if (t->term < idx->meta->n_terms)
            __builtin_prefetch(&q->term_map[t->term]);
        if (t->pair_term < idx->meta->n_terms)
            __builtin_prefetch(&q->term_map[t->pair_term]);
    }
}

float cordon__score_name(const cordon_index *idx, cx_query *q, uint32_t n, cx_align *al)
{
    cx_ltok lt[64];
    size_t nl = cordon__name_ltoks(idx, q, n, lt);
    return cordon__align(q, lt, nl, cx_name_num_mode(idx->names[n].flags), al);
}
