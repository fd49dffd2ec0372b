/*
 * retrieve.c — candidate retrieval: from an analysed query to the few
 * listed names worth scoring, without missing any name that full
 * scoring would put above the floor.
 *
 * 1. Slots. Each query token is a slot, and so is each adjacent pair
 *    joined ("jong"+"un" -> "jongun").
 * 2. Related terms. For each slot the index tables give every term that
 *    score.c could score above 0: equal forms (FORM), one deletion on
 *    either side (DEL: the form and its one-deletions are hashed, as the
 *    index hashed every term's), equal Double Metaphone keys (PHON), and
 *    the one-letter term of the slot's initial. Their similarities are
 *    computed once per query here, not once per name.
 * 3. Essential tokens (MaxScore). A name's score is bounded by the share
 *    of query weight its tokens matched (score.c: score <= ALPHA + (1 -
 *    ALPHA) x that share), so a floor on the score is a floor fq on the
 *    share. Tokens are made non-essential from the most frequent down
 *    while their weight stays below fq x W: a name that matches none of
 *    the essential tokens cannot reach the floor. So rare tokens drive retrieval, and very
 *    common ones (Mohammed, Kim, trading) only confirm.
 * 4. Only the postings of essential tokens' terms are read; each name
 *    seen collects a mask of the tokens it matched, and names whose bound
 *    (matched + non-essential weight) stays below the floor are dropped.
 *
 * Per-thread scratch (two arrays over all names, reset by an epoch) keeps
 * step 4 free of allocation and clearing; an index stays shareable.
 */
#include "index_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- per-thread scratch ---------------------------------------------------- */

/* One tok_rel: a related term of one query token, at the best similarity
 * any slot covering the token gives it. */
typedef struct tok_rel {
    uint32_t term;
    float sim;
} tok_rel;

/* Buffers a thread keeps from query to query, so that screening does
 * not allocate and free (and make the allocator return pages to the
 * kernel) on every call. */
typedef struct scratch {
    size_t cap;
    uint32_t epoch;
    uint32_t *stamp; /* name -> epoch it was last seen in */
    uint64_t *mask;  /* name -> query tokens it matched */
    float *acc;      /* name -> bound on the query weight it matched */
    uint32_t *cand;  /* candidates, up to one per name */
    /* term -> related row of the current query, valid where stamp == epoch */
    cx_termrow *tmap;
    uint32_t tepoch;
    size_t tcap;
    /* related-term rows handed back by the last query */
    uint32_t *term, *tab;
    uint64_t *done, *lazy;
    float *sim;
    uint8_t *method;
    size_t cap_rel, sim_cap, tab_cap;
    /* retrieval temporaries */
    tok_rel *rel, *sorted;
    uint16_t *bucket;
    size_t rel_cap, sorted_cap, bucket_cap;
} scratch;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static int scratch_key_ok;

static void scratch_free(void *p)
{
    scratch *s = p;
    if (!s)
        return;
    free(s->stamp);
    free(s->mask);
    free(s->acc);
    free(s->cand);
    free(s->tmap);
    free(s->term);
    free(s->tab);
    free(s->done);
    free(s->lazy);
    free(s->sim);
    free(s->method);
    free(s->rel);
    free(s->sorted);
    free(s->bucket);
    free(s);
}

static void scratch_init(void) { scratch_key_ok = pthread_key_create(&scratch_key, scratch_free) == 0; }

static scratch *scratch_self(void)
{
    pthread_once(&scratch_once, scratch_init);
    if (!scratch_key_ok)
        return NULL;
    scratch *s = pthread_getspecific(scratch_key);
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s || pthread_setspecific(scratch_key, s) != 0) {
            free(s);
            return NULL;
        }
    }
    return s;
}

/* The scratch with per-name arrays for n names and a fresh epoch. */
static scratch *scratch_names(size_t n)
{
    scratch *s = scratch_self();
    if (!s)
        return NULL;
    if (s->cap < n) {
        uint32_t *st = calloc(n, sizeof *st);
        uint64_t *mk = malloc(n * sizeof *mk);
        float *ac = malloc(n * sizeof *ac);
        uint32_t *cd = malloc(n * sizeof *cd);
        if (!st || !mk || !ac || !cd) {
            free(st);
            free(mk);
            free(ac);
            free(cd);
            return NULL;
        }
        free(s->stamp);
        free(s->mask);
        free(s->acc);
        free(s->cand);
        s->stamp = st;
        s->mask = mk;
        s->acc = ac;
        s->cand = cd;
        s->cap = n;
        s->epoch = 0;
    }
    if (++s->epoch == 0) {
        memset(s->stamp, 0, s->cap * sizeof *s->stamp);
        s->epoch = 1;
    }
    return s;
}

/* Moves the thread's recycled row buffers into a new query, and gives it
 * the thread's direct term -> row map for an index of n_terms terms. */
static void rows_take(cx_query *q, size_t n_terms)
{
    scratch *s = scratch_self();
    if (!s)
        return;
    if (s->tcap < n_terms) {
        cx_termrow *m = calloc(n_terms, sizeof *m);
        if (m) {
            free(s->tmap);
            s->tmap = m;
            s->tcap = n_terms;
            s->tepoch = 0;
        }
    }
    if (s->tcap >= n_terms) {
        if (++s->tepoch == 0) {
            memset(s->tmap, 0, s->tcap * sizeof *s->tmap);
            s->tepoch = 1;
        }
        q->term_map = s->tmap;
        q->term_epoch = s->tepoch;
    }
    if (!s->term)
        return;
    q->rel_term = s->term;
    q->rel_done = s->done;
    q->rel_lazy = s->lazy;
    q->rel_sim = s->sim;
    q->rel_method = s->method;
    q->rel_tab = s->tab;
    q->cap_rel = s->cap_rel;
    q->sim_cap = s->sim_cap;
    q->rel_tab_cap = s->tab_cap;
    s->term = NULL;
    s->done = NULL;
    s->lazy = NULL;
    s->sim = NULL;
    s->method = NULL;
    s->tab = NULL;
    memset(q->rel_tab, 0, q->rel_tab_cap * sizeof *q->rel_tab);
}

/* Hands a finished query's row buffers back to the thread (or frees
 * them when it already holds some). */
static void rows_give(cx_query *q)
{
    scratch *s = scratch_self();
    if (s && !s->term && q->rel_term && q->rel_done && q->rel_lazy && q->rel_sim && q->rel_method &&
        q->rel_tab) {
        s->term = q->rel_term;
        s->done = q->rel_done;
        s->lazy = q->rel_lazy;
        s->sim = q->rel_sim;
        s->method = q->rel_method;
        s->tab = q->rel_tab;
        s->cap_rel = q->cap_rel;
        s->sim_cap = q->sim_cap;
        s->tab_cap = q->rel_tab_cap;
        return;
    }
    free(q->rel_term);
    free(q->rel_done);
    free(q->rel_lazy);
    free(q->rel_sim);
    free(q->rel_method);
    free(q->rel_tab);
}

/* ---- related terms ------------------------------------------------------- */

/* Related terms are scattered over the index: their map entries and
 * records are fetched a few iterations ahead, so that the misses overlap. */
#define AHEAD 8

static inline void prefetch_term(const cx_query *q, const cordon_index *idx, uint32_t t, int record)
{
    if (t >= idx->meta->n_terms)
        return;
    if (q->term_map)
        __builtin_prefetch(&q->term_map[t]);
    if (record)
        __builtin_prefetch(&idx->terms[t]);
}

long cordon__query_row(const cx_query *q, uint32_t t)
{
    if (q->term_map)
        return q->term_map[t].stamp == q->term_epoch ? (long)q->term_map[t].row : -1;
    if (!q->rel_tab_cap)
        return -1;
    size_t mask = q->rel_tab_cap - 1;
    for (size_t p = (t * 2654435761u) & mask;; p = (p + 1) & mask) {
        uint32_t v = q->rel_tab[p];
        if (!v)
            return -1;
        if (q->rel_term[v - 1] == t)
            return (long)v - 1;
    }
}

/* Grows a buffer to hold at least `need` items of `size` bytes. */
static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    void *n = realloc(*p, c * size);
    if (!n)
        return CORDON_ENOMEM;
    *p = n;
    *cap = c;
    return 0;
}

static int rel_grow(cx_query *q)
{
    size_t ns = q->n_slots ? q->n_slots : 1;
    size_t cap = q->cap_rel ? q->cap_rel * 2 : 256, c1 = q->cap_rel, c2 = q->cap_rel;
    size_t c3 = q->cap_rel;
    size_t sc = q->sim_cap, mc = q->sim_cap;
    if (grow((void **)&q->rel_term, &c1, cap, sizeof *q->rel_term) ||
        grow((void **)&q->rel_done, &c2, cap, sizeof *q->rel_done) ||
        grow((void **)&q->rel_lazy, &c3, cap, sizeof *q->rel_lazy) ||
        grow((void **)&q->rel_sim, &sc, cap * ns, sizeof *q->rel_sim) ||
        grow((void **)&q->rel_method, &mc, cap * ns, 1))
        return CORDON_ENOMEM;
    q->cap_rel = c1 < c2 ? c1 : c2;
    q->cap_rel = q->cap_rel < c3 ? q->cap_rel : c3;
    q->sim_cap = sc < mc ? sc : mc;
    if (q->term_map)
        return 0; /* rows are found through the direct map */
    /* rehash at load <= 1/2 */
    size_t tcap = q->cap_rel * 2;
    if (tcap > q->rel_tab_cap) {
        uint32_t *tab = realloc(q->rel_tab, tcap * sizeof *tab);
        if (!tab)
            return CORDON_ENOMEM;
        q->rel_tab = tab;
        q->rel_tab_cap = tcap;
    }
    memset(q->rel_tab, 0, q->rel_tab_cap * sizeof *q->rel_tab);
    for (size_t r = 0; r < q->n_rel; r++) {
        size_t p = (q->rel_term[r] * 2654435761u) & (q->rel_tab_cap - 1);
        while (q->rel_tab[p])
            p = (p + 1) & (q->rel_tab_cap - 1);
        q->rel_tab[p] = (uint32_t)r + 1;
    }
    return 0;
}

static long rel_row(cx_query *q, uint32_t t)
{
    long r = cordon__query_row(q, t);
    if (r >= 0)
        return r;
    if ((q->n_rel == q->cap_rel || (q->n_rel + 1) * q->n_slots > q->sim_cap) && rel_grow(q))
        return -1;
    size_t row = q->n_rel++;
    q->rel_term[row] = t;
    q->rel_done[row] = 0;
    q->rel_lazy[row] = 0;
    memset(q->rel_sim + row * q->n_slots, 0, q->n_slots * sizeof(float));
    memset(q->rel_method + row * q->n_slots, 0, q->n_slots);
    if (q->term_map) {
        q->term_map[t] = (cx_termrow){q->term_epoch, (uint32_t)row};
        return (long)row;
    }
    size_t mask = q->rel_tab_cap - 1;
    size_t p = (t * 2654435761u) & mask;
    while (q->rel_tab[p])
        p = (p + 1) & mask;
    q->rel_tab[p] = (uint32_t)row + 1;
    return (long)row;
}

float cordon__slot_sim(const cx_slot_q *s, const cx_tokview *l, int *method)
{
    /* A listed initial ("V.") stands for any token with that letter. */
    if (l->text[0] && !l->text[1] && s->view.text[1] && s->n == 1) {
        if (l->text[0] == s->view.text[0]) {
            *method = CX_SIM_INITIAL;
            return cordon__params()->sim_listed_initial; /* the list gives only a letter */
        }
        *method = CX_SIM_NONE;
        return 0.0f;
    }
    return cordon__token_sim(&s->view, l, method);
}

/* The most a term met only by a phonetic key (PHONETIC: every form and
 * typo lookup came first, so no exact, romanized or fuzzy relation is
 * left) or only by a loose key (LOOSE) can score with the slot. */
static float lazy_bound(const cx_slot_q *sl, int method)
{
    const cx_params *p = cordon__params();
    float loose = p->loose_base + p->loose_jw * 1.0f;
    if (!sl->view.nonlatin)
        loose *= p->loose_rev;
    if (method == CX_SIM_LOOSE)
        return loose;
    return p->phon_cap > loose ? p->phon_cap : loose;
}

void cordon__query_resolve(cx_query *q, const cordon_index *idx, size_t r)
{
    uint64_t lz = q->rel_lazy[r];
    if (!lz)
        return;
    q->rel_lazy[r] = 0;
    uint32_t t = q->rel_term[r];
    cx_tokview v;
    int have_view = 0;
    for (; lz; lz &= lz - 1) {
        size_t s = (size_t)__builtin_ctzll(lz);
        float *sim = &q->rel_sim[r * q->n_slots + s];
        uint8_t *method = &q->rel_method[r * q->n_slots + s];
        if (*method == CX_SIM_LOOSE) {
            /* the loose table holds non-Latin terms only for Latin queries */
            *sim = cordon__loose_sim(&q->slots[s].view, idx->strings + idx->terms[t].text, 1);
            continue;
        }
        if (!have_view) {
            cordon__term_view(idx, t, &v);
            have_view = 1;
        }
        int m = CX_SIM_NONE;
        *sim = cordon__slot_sim(&q->slots[s], &v, &m);
        *method = (uint8_t)m;
    }
}

/* Relates term t to slot s. With `lazy` (a method) the similarity is
 * left for later: the row holds an upper bound, which is all retrieval
 * needs, and cordon__query_resolve() computes it when a weight or a
 * candidate's score needs it (most related terms are never read). */
static int relate(cx_query *q, const cordon_index *idx, size_t s, uint32_t t, int lazy)
{
    if (t >= idx->meta->n_terms)
        return 0; /* a damaged table value: ignore */
    long r = rel_row(q, t);
    if (r < 0)
        return CORDON_ENOMEM;
    if (q->rel_done[r] >> s & 1)
        return 0;
    q->rel_done[r] |= 1ull << s;
    if (lazy) {
        q->rel_lazy[r] |= 1ull << s;
        q->rel_sim[(size_t)r * q->n_slots + s] = lazy_bound(&q->slots[s], lazy);
        q->rel_method[(size_t)r * q->n_slots + s] = (uint8_t)lazy;
        return 0;
    }
    cx_tokview v;
    cordon__term_view(idx, t, &v);
    int m = CX_SIM_NONE;
    float sim = cordon__slot_sim(&q->slots[s], &v, &m);
    q->rel_sim[(size_t)r * q->n_slots + s] = sim;
    q->rel_method[(size_t)r * q->n_slots + s] = (uint8_t)m;
    return 0;
}

/* A term met by loose key alone: its similarity needs only its text, not
 * the whole term. Terms this slot met otherwise already have their full
 * similarity, which includes the loose one. */
static int relate_loose(cx_query *q, const cordon_index *idx, size_t s, const cx_slot *slot)
{
    if (!slot)
        return 0;
    const uint32_t *v = cx_slot_values(idx, slot);
    const cx_slot_q *sl = &q->slots[s];
    for (uint32_t i = 0; i < slot->val_len; i++) {
        if (i + AHEAD < slot->val_len)
            prefetch_term(q, idx, v[i + AHEAD], 0);
        uint32_t t = v[i];
        if (t >= idx->meta->n_terms)
            continue;
        long r = rel_row(q, t);
        if (r < 0)
            return CORDON_ENOMEM;
        if (q->rel_done[r] >> s & 1)
            continue;
        q->rel_done[r] |= 1ull << s;
        q->rel_lazy[r] |= 1ull << s;
        q->rel_sim[(size_t)r * q->n_slots + s] = lazy_bound(sl, CX_SIM_LOOSE);
        q->rel_method[(size_t)r * q->n_slots + s] = CX_SIM_LOOSE;
    }
    return 0;
}

static int relate_list(cx_query *q, const cordon_index *idx, size_t s, const uint32_t *v,
                       uint32_t n, int lazy)
{
    for (uint32_t i = 0; i < n; i++) {
        if (i + AHEAD < n)
            prefetch_term(q, idx, v[i + AHEAD], !lazy);
        if (!lazy && i + AHEAD / 2 < n && v[i + AHEAD / 2] < idx->meta->n_terms)
            __builtin_prefetch(idx->strings + idx->terms[v[i + AHEAD / 2]].text);
        int rc = relate(q, idx, s, v[i], lazy);
        if (rc)
            return rc;
    }
    return 0;
}

static int relate_values(cx_query *q, const cordon_index *idx, size_t s, const cx_slot *slot,
                         int lazy)
{
    if (!slot)
        return 0;
    return relate_list(q, idx, s, cx_slot_values(idx, slot), slot->val_len, lazy);
}


static int relate_all(cx_query *q, const cordon_index *idx, size_t s)
{
    const cx_slot_q *sl = &q->slots[s];
    const cx_meta *m = idx->meta;
    int rc = 0;
    for (size_t f = 0; f < sl->view.n_forms && !rc; f++) {
        const char *form = sl->view.forms[f];
        size_t fl = strlen(form);
        rc = relate_values(q, idx, s,
                           cordon__index_lookup(idx, idx->tab_form, m->tab_form_cap, form, fl), 0);
        if (rc || f >= 4 || fl < 3 || fl > 120 || sl->view.nofuzzy)
            continue;
        for (const char *c = form; *c; c++)
            if (*c >= '0' && *c <= '9')
                goto next_form; /* numbers match exactly only */
        {
            /* The form and its one-deletions: every table slot is
             * fetched before any is read, then every value list. */
            uint64_t h[121];
            const uint32_t *vals[121];
            uint32_t nv[121];
            size_t nh = 0;
            h[nh++] = cx_hash(form, fl);
            if (fl >= CX_FUZZY_MIN_LEN) {
                char del[128];
                for (size_t k = 0; k < fl; k++) {
                    if (k > 0 && form[k] == form[k - 1])
                        continue;
                    memcpy(del, form, k);
                    memcpy(del + k, form + k + 1, fl - k - 1);
                    h[nh++] = cx_hash(del, fl - 1);
                }
            }
            for (size_t k = 0; k < nh; k++)
                cordon__index_prefetch_del(idx, h[k]);
            for (size_t k = 0; k < nh; k++) {
                cordon__index_lookup_del(idx, h[k], &vals[k], &nv[k]);
                if (nv[k])
                    prefetch_term(q, idx, vals[k][0], 1);
            }
            for (size_t k = 0; k < nh && !rc; k++)
                rc = relate_list(q, idx, s, vals[k], nv[k], 0);
        }
    next_form:;
    }
    for (size_t p = 0; p < sl->view.n_phon && !rc; p++) {
        const char *key = sl->view.phon[p];
        size_t kl = strlen(key);
        /* after every form and typo lookup: a term met only by its
         * sound scores at most the phonetic cap, and is resolved later */
        if (kl >= 2)
            rc = relate_values(q, idx, s,
                               cordon__index_lookup(idx, idx->tab_phon, m->tab_phon_cap, key, kl),
                               CX_SIM_PHONETIC);
    }
    for (size_t p = 0; p < sl->view.n_loose && !rc; p++) {
        const char *key = sl->view.loose[p];
        size_t kl = strlen(key);
        /* loose keys count across scripts only (score.c) */
        if (kl >= 2 && (sl->view.nonlatin || cordon__params()->loose_rev > 0.0f))
            rc = relate_loose(q, idx, s,
                              sl->view.nonlatin
                                   ? cordon__index_lookup(idx, idx->tab_loose, m->tab_loose_cap,
                                                          key, kl)
                                   : cordon__index_lookup(idx, idx->tab_loose_nl,
                                                          m->tab_loose_nl_cap, key, kl));
    }
    /* the one-letter term: a listed initial */
    if (!rc && sl->n == 1 && sl->view.text[1]) {
        char ini[2] = {sl->view.text[0], 0};
        rc = relate_values(q, idx, s,
                           cordon__index_lookup(idx, idx->tab_form, m->tab_form_cap, ini, 1), 0);
    }
    return rc;
}

/* ---- query preparation ---------------------------------------------------- */

static bool is_initial(const char *t)
{
    return t[0] && !t[1] && ((t[0] >= 'a' && t[0] <= 'z'));
}

static bool is_number(const char *t)
{
    for (; *t; t++)
        if (*t >= '0' && *t <= '9')
            return true;
    return false;
}

void cordon__token_view(const cordon_name_token *tk, cx_tokview *v)
{
    memset(v, 0, sizeof *v);
    v->text = tk->text;
    v->n_forms = tk->n_forms > 8 ? 8 : tk->n_forms;
    for (size_t f = 0; f < v->n_forms; f++)
        v->forms[f] = tk->forms[f];
    if (v->n_forms == 0) {
        v->forms[0] = tk->text;
        v->n_forms = 1;
    }
    /* The 4-letter phonetic key of a joined token is its first part's:
     * joined tokens meet by their forms only. */
    if (tk->flags & CORDON_TOKEN_JOINED)
        return;
    v->n_phon = tk->n_phonetic > 4 ? 4 : tk->n_phonetic;
    for (size_t p = 0; p < v->n_phon; p++)
        v->phon[p] = tk->phonetic[p];
    v->n_loose = tk->n_loose > 4 ? 4 : tk->n_loose;
    for (size_t p = 0; p < v->n_loose; p++)
        v->loose[p] = tk->loose[p];
    v->nonlatin = tk->script != CORDON_SCRIPT_LATIN;
}

static bool have_slot(const cx_query *q, size_t first, size_t n)
{
    for (size_t s = 0; s < q->n_slots; s++)
        if (q->slots[s].first == first && q->slots[s].n == n)
            return true;
    return false;
}

int cordon__query_prepare(cx_query *q, const cordon_index *idx, cordon_name_analysis *an)
{
    memset(q, 0, sizeof *q);
    q->an = an;
    /* Base tokens are the query's tokens; JOINED ones become slots over
     * their parts. */
    size_t map[CORDON_NAME_MAX_TOKENS];
    for (size_t i = 0; i < an->n_tokens && i < CORDON_NAME_MAX_TOKENS; i++) {
        map[i] = SIZE_MAX;
        if (an->tokens[i].flags & CORDON_TOKEN_JOINED || q->n_tok == CX_MAX_QTOK)
            continue;
        map[i] = q->n_tok;
        q->tok[q->n_tok++] = &an->tokens[i];
    }
    q->num_mode = cordon__num_mode(an->schema);
    for (size_t i = 0; i < q->n_tok; i++) {
        const cordon_name_token *tk = q->tok[i];
        if (tk->role == CORDON_ROLE_NUMBER)
            q->num_mask |= 1ull << i;
        if (tk->role == CORDON_ROLE_NUMBER && (tk->flags & CORDON_TOKEN_GENERATION))
            q->gen_mask |= 1ull << i;
        cx_slot_q *s = &q->slots[q->n_slots++];
        s->first = (uint8_t)i;
        s->n = 1;
        cordon__token_view(tk, &s->view);
        s->initial = is_initial(tk->text);
        s->retrievable = !s->initial;
    }
    for (size_t i = 0; i < an->n_tokens && i < CORDON_NAME_MAX_TOKENS; i++) {
        const cordon_name_token *tk = &an->tokens[i];
        if (!(tk->flags & CORDON_TOKEN_JOINED) || q->n_slots == CX_MAX_SLOTS)
            continue;
        if (tk->n_parts < 2 || tk->part_first >= an->n_tokens || map[tk->part_first] == SIZE_MAX)
            continue;
        size_t first = map[tk->part_first];
        if (first + tk->n_parts > q->n_tok || have_slot(q, first, tk->n_parts))
            continue;
        cx_slot_q *s = &q->slots[q->n_slots++];
        s->first = (uint8_t)first;
        s->n = (uint8_t)tk->n_parts;
        cordon__token_view(tk, &s->view);
        s->view.nofuzzy = 1; /* joined slots meet by their forms only */
        s->retrievable = 1;
    }
    for (size_t i = 0; i + 1 < q->n_tok && q->n_slots < CX_MAX_SLOTS; i++) {
        const char *a = q->tok[i]->text, *b = q->tok[i + 1]->text;
        if (is_initial(a) || is_initial(b) || is_number(a) || is_number(b) || have_slot(q, i, 2))
            continue;
        size_t la = strlen(a), lb = strlen(b);
        cx_slot_q *s = &q->slots[q->n_slots];
        if (la + lb + 1 >= sizeof s->joined)
            continue;
        q->n_slots++;
        s->first = (uint8_t)i;
        s->n = 2;
        memcpy(s->joined, a, la);
        memcpy(s->joined + la, b, lb + 1);
        s->view.text = s->joined;
        s->view.forms[0] = s->joined;
        s->view.n_forms = 1;
        s->view.nofuzzy = 1;
        s->retrievable = 1;
    }
    int rc = 0;
    if (idx) {
        rows_take(q, idx->meta->n_terms);
        for (size_t s = 0; s < q->n_slots && !rc; s++)
            if (q->slots[s].retrievable)
                rc = relate_all(q, idx, s);
        if (rc)
            return rc;
    }
    /* Query weights: IDF of the term the token most resembles (an unknown
     * token is as rare as can be), times its role. */
    q->W = 0.0f;
    for (size_t i = 0; i < q->n_tok; i++) {
        float idf = 1.0f;
        if (idx) {
            /* Terms met only by sound count once resolved, and only when
             * their bound reaches what the others give. */
            float best = 0.0f, bound = 0.0f;
            for (size_t r = 0; r < q->n_rel; r++)
                if (q->rel_lazy[r] >> i & 1) {
                    float b = q->rel_sim[r * q->n_slots + i];
                    bound = b > bound ? b : bound;
                } else if (q->rel_method[r * q->n_slots + i] != CX_SIM_INITIAL &&
                           !(idx->terms[q->rel_term[r]].flags & CX_TERM_PAIR)) {
                    float sim = q->rel_sim[r * q->n_slots + i];
                    best = sim > best ? sim : best;
                }
            if (bound > 0.0f && bound >= best) {
                /* rows to resolve, their records and texts fetched ahead */
                uint32_t ring[2 * AHEAD];
                size_t head = 0, tail = 0;
                for (size_t r = 0;; r++) {
                    if (r < q->n_rel && (q->rel_lazy[r] >> i & 1)) {
                        const cx_term *t = &idx->terms[q->rel_term[r]];
                        __builtin_prefetch(t);
                        ring[head++ % (2 * AHEAD)] = (uint32_t)r;
                    }
                    if (head - tail == AHEAD || (r >= q->n_rel && head > tail)) {
                        uint32_t rr = ring[tail++ % (2 * AHEAD)];
                        if (head > tail)
                            __builtin_prefetch(idx->strings +
                                               idx->terms[q->rel_term[ring[tail % (2 * AHEAD)]]].text);
                        cordon__query_resolve(q, idx, rr);
                    }
                    if (r >= q->n_rel && head == tail)
                        break;
                }
            }
            best = 0.0f;
            for (size_t r = 0; r < q->n_rel; r++) {
                float sim = q->rel_sim[r * q->n_slots + i];
                if (sim <= 0.0f || sim < best || (q->rel_lazy[r] >> i & 1) ||
                    q->rel_method[r * q->n_slots + i] == CX_SIM_INITIAL)
                    continue;
                const cx_term *t = &idx->terms[q->rel_term[r]];
                if (t->flags & CX_TERM_PAIR)
                    continue;
                if (sim > best || (sim == best && t->idf < idf)) {
                    best = sim;
                    idf = t->idf;
                }
            }
        }
        q->w[i] = idf * cordon__role_factor(q->tok[i]->role, q->tok[i]->flags);
        q->W += q->w[i];
    }
    return 0;
}

int cordon__query_relate_exhaustive(cx_query *q, const cordon_index *idx)
{
    for (uint32_t t = 0; t < idx->meta->n_terms; t++)
        for (size_t s = 0; s < q->n_slots; s++) {
            if (!q->slots[s].retrievable)
                continue;
            int rc = relate(q, idx, s, t, 0);
            if (rc)
                return rc;
        }
    return 0;
}

void cordon__query_free(cx_query *q)
{
    if (!q)
        return;
    rows_give(q);
    cordon_name_analysis_free(q->an);
    memset(q, 0, sizeof *q);
}

/* ---- retrieval ------------------------------------------------------------------ */

/* Past this many candidates from the essential tokens, the postings of
 * the others are read too, to learn exactly which tokens each candidate
 * matched (cheaper than scoring them all). */
#define REFINE_AT 48

long cordon__retrieve(const cordon_index *idx, const cx_query *q, float floor,
                      const uint32_t **out)
{
    *out = NULL;
    size_t nt = q->n_tok;
    if (nt == 0 || q->W <= 0.0f)
        return 0;
    scratch *sc = scratch_names(idx->meta->n_names);
    if (!sc)
        return CORDON_ENOMEM;
    /* Per token: its related terms, best similarity first. Similarities
     * are bucketed (counting sort, 64 steps) and each is counted at the
     * top of its bucket, which keeps the bound an upper bound. */
    enum { NB = 64 };
    const size_t nr = q->n_rel, ns = q->n_slots;
    if (grow((void **)&sc->rel, &sc->rel_cap, nr * nt + 1, sizeof *sc->rel) ||
        grow((void **)&sc->bucket, &sc->bucket_cap, nr * nt + 1, sizeof *sc->bucket) ||
        grow((void **)&sc->sorted, &sc->sorted_cap, nr * nt + 1, sizeof *sc->sorted))
        return CORDON_ENOMEM;
    tok_rel *rel = sc->rel, *sorted = sc->sorted;
    uint16_t *bucket = sc->bucket;
    memset(bucket, 0, nr * nt * sizeof *bucket);
    size_t start[CX_MAX_QTOK + 1] = {0};
    uint64_t cost[CX_MAX_QTOK] = {0};
    bool retrievable[CX_MAX_QTOK] = {0};
    {
        size_t count[CX_MAX_QTOK][NB];
        memset(count, 0, nt * sizeof count[0]);
        float best[CX_MAX_QTOK];
        for (size_t r = 0; r < nr; r++) {
            const float *row = q->rel_sim + r * ns;
            if (r + AHEAD < nr)
                __builtin_prefetch(&idx->terms[q->rel_term[r + AHEAD]]);
            memset(best, 0, nt * sizeof *best);
            for (size_t sidx = 0; sidx < ns; sidx++) {
                float v = row[sidx];
                if (v <= 0.0f)
                    continue;
                const cx_slot_q *sl = &q->slots[sidx];
                for (size_t i = sl->first; i < (size_t)sl->first + sl->n; i++)
                    if (v > best[i])
                        best[i] = v;
            }
            uint32_t n_post = 0;
            for (size_t i = 0; i < nt; i++) {
                if (best[i] <= 0.0f)
                    continue;
                int bk = (int)((1.0f - best[i]) * (NB - 1));
                if (bk < 0)
                    bk = 0;
                if (bk >= NB)
                    bk = NB - 1;
                rel[i * nr + r] = (tok_rel){q->rel_term[r], best[i]};
                bucket[i * nr + r] = (uint16_t)(bk + 1);
                count[i][bk]++;
                if (!n_post)
                    n_post = idx->terms[q->rel_term[r]].n_post;
                cost[i] += n_post;
            }
        }
        /* lay out token by token, buckets in order */
        size_t o = 0, pos[CX_MAX_QTOK][NB];
        for (size_t i = 0; i < nt; i++) {
            start[i] = o;
            for (int k = 0; k < NB; k++) {
                pos[i][k] = o;
                o += count[i][k];
            }
        }
        start[nt] = o;
        for (size_t i = 0; i < nt; i++)
            for (size_t r = 0; r < nr; r++) {
                uint16_t bk = bucket[i * nr + r];
                if (!bk)
                    continue;
                tok_rel tr = rel[i * nr + r];
                /* the top of the bucket: never below the true similarity */
                float top = 1.0f - (float)(bk - 1) / (float)(NB - 1);
                tr.sim = top > tr.sim ? top : tr.sim;
                sorted[pos[i][bk - 1]++] = tr;
            }
        rel = sorted;
    }
    for (size_t s = 0; s < q->n_slots; s++)
        if (q->slots[s].retrievable)
            for (size_t i = q->slots[s].first; i < (size_t)q->slots[s].first + q->slots[s].n; i++)
                retrievable[i] = true;
    /* score <= ALPHA + (1 - ALPHA) x query coverage (score.c) */
    float fq = (floor - CX_ALPHA) / (1.0f - CX_ALPHA);
    if (fq < 0.0f)
        fq = 0.0f;
    float limit = fq * q->W - 1e-6f;
    uint64_t ne_mask = 0;
    float w_ne = 0.0f, w_fixed = 0.0f;
    for (size_t i = 0; i < nt; i++)
        if (!retrievable[i]) {
            /* initials: matched by letter, not by postings; assume they
             * match */
            ne_mask |= 1ull << i;
            w_ne += q->w[i];
            w_fixed += q->w[i];
        }
    bool pruning = w_ne < limit;
    if (pruning) {
        /* Most expensive first, while the bound stays below the floor. A
         * token adds at most its best similarity x its weight (a word
         * with a typo meets nothing at 1.0). */
        float top[CX_MAX_QTOK];
        for (size_t i = 0; i < nt; i++)
            top[i] = start[i] < start[i + 1] ? rel[start[i]].sim * q->w[i] : 0.0f;
        for (;;) {
            size_t pick = nt;
            for (size_t i = 0; i < nt; i++)
                if (!(ne_mask >> i & 1) && (pick == nt || cost[i] > cost[pick]))
                    pick = i;
            if (pick == nt || w_ne + top[pick] >= limit)
                break;
            ne_mask |= 1ull << pick;
            w_ne += top[pick];
        }
    } else {
        /* The unretrievable tokens (initials) alone could carry a name
         * over the floor: no pruning is safe; read every posting. */
        ne_mask = 0;
        w_ne = 0.0f;
    }
    uint32_t *cand = sc->cand;
    size_t n = 0;
    const uint32_t ep = sc->epoch;
    const uint32_t n_names = idx->meta->n_names;
    /* Essential tokens admit candidates. A token's terms come best first,
     * so the first time a name meets a token is its best similarity. */
    for (size_t i = 0; i < nt; i++) {
        if (ne_mask >> i & 1)
            continue;
        const uint64_t bit = 1ull << i;
        for (size_t k = start[i]; k < start[i + 1]; k++) {
            const cx_term *t = &idx->terms[rel[k].term];
            const float gain = rel[k].sim * q->w[i];
            const uint32_t *post = idx->u32 + t->post;
            for (uint32_t p = 0; p < t->n_post; p++) {
                uint32_t nm = post[p];
                if (nm >= n_names)
                    continue;
                if (sc->stamp[nm] != ep) {
                    sc->stamp[nm] = ep;
                    sc->mask[nm] = bit;
                    sc->acc[nm] = gain;
                    cand[n++] = nm; /* at most one per name */
                } else if (!(sc->mask[nm] & bit)) {
                    sc->mask[nm] |= bit;
                    sc->acc[nm] += gain;
                }
            }
        }
    }
    /* Many candidates: learn which of the other tokens each one meets,
     * so the bound no longer assumes it meets them all. */
    float slack = w_ne;
    if (n > REFINE_AT && pruning) {
        for (size_t i = 0; i < nt; i++) {
            if (!(ne_mask >> i & 1) || !retrievable[i])
                continue;
            const uint64_t bit = 1ull << i;
            for (size_t k = start[i]; k < start[i + 1]; k++) {
                const cx_term *t = &idx->terms[rel[k].term];
                const float gain = rel[k].sim * q->w[i];
                const uint32_t *post = idx->u32 + t->post;
                for (uint32_t p = 0; p < t->n_post; p++) {
                    uint32_t nm = post[p];
                    if (nm < n_names && sc->stamp[nm] == ep && !(sc->mask[nm] & bit)) {
                        sc->mask[nm] |= bit;
                        sc->acc[nm] += gain;
                    }
                }
            }
        }
        slack = w_fixed;
    }
    /* Keep names whose bound reaches the floor: query coverage from what
     * each name met (plus what is not known), listed coverage from how
     * many of its tokens so few query tokens can meet. */
    uint64_t unknown = slack > w_fixed ? ne_mask : 0;
    for (size_t i = 0; i < nt; i++)
        if (!retrievable[i])
            unknown |= 1ull << i;
    const float alpha = CX_ALPHA;
    size_t kept = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t nm = cand[k];
        float acc = sc->acc[nm] + slack;
        if (acc < limit)
            continue;
        const cx_name *name = &idx->names[nm];
        unsigned met = (unsigned)__builtin_popcountll(sc->mask[nm] | unknown);
        size_t reach = (size_t)met * (name->max_span ? name->max_span : 1);
        float bl = reach >= CX_NAME_TOP || reach >= name->n_tokens ? 1.0f
                   : reach ? name->top[reach - 1]
                           : 0.0f;
        float bq = acc / q->W;
        if (bq > 1.0f)
            bq = 1.0f;
        float hi = bq > bl ? bq : bl, lo = bq > bl ? bl : bq;
        if (alpha * hi + (1.0f - alpha) * lo >= floor - 1e-6f)
            cand[kept++] = nm;
    }
    *out = cand;
    return (long)kept;
}
