/*
 * index_build.c — compiles a loaded dataset into an index image (the
 * layout is in index_int.h). Every name is analysed once here, so that
 * screening only analyses the query. The image is assembled in one
 * malloc'd block byte-for-byte equal to the snapshot file, so a built
 * index and an opened one run the same code.
 *
 * Vocabulary: a "term" is one distinct romanized token text; its forms
 * (other romanizations) and phonetic keys are the union over its
 * occurrences. Adjacent tokens of a name also make a "pair term" (their
 * texts joined) so that "Jongun" finds "Jong Un".
 */
#include "index_int.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <zlib.h>

typedef struct u32vec {
    uint32_t *v;
    size_t n, cap;
} u32vec;

static int u32_push(u32vec *a, uint32_t x)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 256;
        uint32_t *v = realloc(a->v, cap * sizeof *v);
        if (!v)
            return CORDON_ENOMEM;
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return 0;
}

#define TB_FORMS CX_TERM_FORMS
#define TB_PHON CX_TERM_PHON
#define TB_LOOSE CX_TERM_LOOSE

typedef struct term_b {
    uint32_t text;
    uint32_t df, last_name;
    uint32_t forms[TB_FORMS];
    uint32_t phon[TB_PHON];
    uint32_t loose[TB_LOOSE];
    uint8_t n_forms, n_phon, n_loose;
    uint32_t flags;
} term_b;

/* A table under construction: keys get ids; (key id, value) pairs are
 * grouped by key at the end. */
typedef struct table_b {
    u32vec key_str;   /* per key: string offset (string tables) */
    u32vec key_hlo, key_hhi; /* per key: 64-bit hash halves */
    u32vec last;      /* per key: last value added, to drop repeats */
    u32vec pk, pv;    /* pairs */
    cordon__strmap smap; /* string -> key id + 1 */
    /* u64 -> key id + 1, open addressing */
    uint64_t *hk;
    uint32_t *hv;
    size_t hcap, hcount;
} table_b;

typedef struct builder {
    const cordon_dataset *ds;
    cordon_error *err;
    cordon__arena arena; /* copies of string keys */
    cordon__buf strings;
    cordon__strmap strmap; /* string -> offset */
    u32vec u32;
    cordon__buf sec[CX_SEC_COUNT_];
    cordon__strmap term_map; /* text -> term index + 1 */
    term_b *terms;
    size_t n_terms, cap_terms;
    u32vec occ_term, occ_name; /* term occurrences, for postings */
    table_b tab_form, tab_del, tab_phon, tab_ident, tab_loose, tab_loose_nl;
    uint32_t n_names, n_indexed, n_ntokens, n_idents, n_dates, n_countries;
} builder;

/* ---- strings ---------------------------------------------------------- */

/* Strings up to this long are stored once however often they occur
 * (tokens, countries, programs, labels); longer ones (remarks,
 * addresses) are rarely repeated and not worth hashing. */
#define DEDUP_MAX 64

static int str_off(builder *b, const char *s, size_t len, uint32_t *out)
{
    if (!s) {
        *out = 0;
        return 0;
    }
    bool dedup = len <= DEDUP_MAX;
    if (dedup) {
        void *v = cordon__strmap_get(&b->strmap, s, len);
        if (v) {
            *out = (uint32_t)(uintptr_t)v;
            return 0;
        }
    }
    if (b->strings.len + len + 1 > UINT32_MAX)
        return cordon__fail(b->err, CORDON_ETOOBIG, NULL, 0, 0,
                            "index strings exceed 4 GiB");
    uint32_t off = (uint32_t)b->strings.len;
    if (cordon__buf_append(&b->strings, s, len) || cordon__buf_putc(&b->strings, '\0'))
        return CORDON_ENOMEM;
    if (dedup) {
        char *key = cordon__arena_strndup(&b->arena, s, len);
        if (!key || cordon__strmap_put(&b->strmap, key, len, (void *)(uintptr_t)off))
            return CORDON_ENOMEM;
    }
    *out = off;
    return 0;
}

static int str(builder *b, const char *s, uint32_t *out)
{
    return str_off(b, s, s ? strlen(s) : 0, out);
}

/* A list of strings into U32: (offset, count). */
static int str_list(builder *b, const char *const *v, size_t n, uint32_t *off, uint32_t *count)
{
    *off = (uint32_t)b->u32.n;
    *count = (uint32_t)n;
    for (size_t i = 0; i < n; i++) {
        uint32_t s;
        int rc = str(b, v[i], &s);
        if (rc || (rc = u32_push(&b->u32, s)))
            return rc;
    }
    return 0;
}

static int sec_put(builder *b, int sec, const void *rec, size_t size)
{
    return cordon__buf_append(&b->sec[sec], rec, size) ? CORDON_ENOMEM : 0;
}

/* ---- tables ------------------------------------------------------------ */

static int u64map_grow(table_b *t)
{
    size_t cap = t->hcap ? t->hcap * 2 : 1024;
    uint64_t *hk = calloc(cap, sizeof *hk);
    uint32_t *hv = calloc(cap, sizeof *hv);
    if (!hk || !hv) {
        free(hk);
        free(hv);
        return CORDON_ENOMEM;
    }
    for (size_t i = 0; i < t->hcap; i++) {
        if (!t->hv[i])
            continue;
        size_t p = (size_t)t->hk[i] & (cap - 1);
        while (hv[p])
            p = (p + 1) & (cap - 1);
        hk[p] = t->hk[i];
        hv[p] = t->hv[i];
    }
    free(t->hk);
    free(t->hv);
    t->hk = hk;
    t->hv = hv;
    t->hcap = cap;
    return 0;
}

static int table_add_pair(table_b *t, uint32_t key, uint32_t value)
{
    if (t->last.v[key] == value + 1)
        return 0;
    t->last.v[key] = value + 1;
    if (u32_push(&t->pk, key) || u32_push(&t->pv, value))
        return CORDON_ENOMEM;
    return 0;
}

/* Adds value under a string key (s must be in the string pool as off). */
static int table_add_str(builder *b, table_b *t, const char *s, size_t len, uint32_t value)
{
    uint32_t key;
    void *v = cordon__strmap_get(&t->smap, s, len);
    if (v) {
        key = (uint32_t)(uintptr_t)v - 1;
    } else {
        uint32_t off;
        int rc = str_off(b, s, len, &off);
        if (rc)
            return rc;
        key = (uint32_t)t->key_str.n;
        uint64_t h = cx_hash(s, len);
        char *kc = cordon__arena_strndup(&b->arena, s, len);
        if (!kc || u32_push(&t->key_str, off) || u32_push(&t->key_hlo, (uint32_t)h) ||
            u32_push(&t->key_hhi, (uint32_t)(h >> 32)) || u32_push(&t->last, 0) ||
            cordon__strmap_put(&t->smap, kc, len, (void *)(uintptr_t)(key + 1)))
            return CORDON_ENOMEM;
    }
    return table_add_pair(t, key, value);
}

static int table_add_hash(table_b *t, uint64_t h, uint32_t value)
{
    if ((t->hcount + 1) * 2 > t->hcap) {
        int rc = u64map_grow(t);
        if (rc)
            return rc;
    }
    size_t p = (size_t)h & (t->hcap - 1);
    while (t->hv[p] && t->hk[p] != h)
        p = (p + 1) & (t->hcap - 1);
    uint32_t key;
    if (t->hv[p]) {
        key = t->hv[p] - 1;
    } else {
        key = (uint32_t)t->key_hlo.n;
        if (u32_push(&t->key_hlo, (uint32_t)h) || u32_push(&t->key_hhi, (uint32_t)(h >> 32)) ||
            u32_push(&t->last, 0))
            return CORDON_ENOMEM;
        t->hk[p] = h;
        t->hv[p] = key + 1;
        t->hcount++;
    }
    return table_add_pair(t, key, value);
}

static void table_free(table_b *t)
{
    free(t->key_str.v);
    free(t->key_hlo.v);
    free(t->key_hhi.v);
    free(t->last.v);
    free(t->pk.v);
    free(t->pv.v);
    free(t->hk);
    free(t->hv);
    cordon__strmap_free(&t->smap);
}

static uint32_t pow2_at_least(size_t n)
{
    uint32_t c = 16;
    while (c < n)
        c *= 2;
    return c;
}

/* Groups the pairs by key and writes the slot array into section `sec`:
 * cx_slot for string tables, cx_dslot for the hashed one. Returns the
 * capacity in *cap. */
static int table_emit(builder *b, table_b *t, int sec, int hashed, uint32_t *cap_out)
{
    size_t nkeys = t->key_hlo.n;
    /* load <= 0.5 for string tables; the typo table is big, so <= 0.7 */
    uint32_t cap = pow2_at_least(hashed ? nkeys * 10 / 7 + 1 : nkeys * 2 + 1);
    *cap_out = cap;
    /* counting sort of pairs by key */
    uint32_t *start = calloc(nkeys + 1, sizeof *start);
    uint32_t *vals = malloc((t->pk.n ? t->pk.n : 1) * sizeof *vals);
    uint32_t *fill = malloc((nkeys + 1) * sizeof *fill);
    size_t ssize = hashed ? sizeof(cx_dslot) : sizeof(cx_slot);
    unsigned char *slots = calloc(cap, ssize);
    int rc = 0;
    if (!start || !vals || !fill || !slots) {
        rc = CORDON_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < t->pk.n; i++)
        start[t->pk.v[i] + 1]++;
    for (size_t k = 0; k < nkeys; k++)
        start[k + 1] += start[k];
    memcpy(fill, start, (nkeys + 1) * sizeof *fill);
    for (size_t i = 0; i < t->pk.n; i++)
        vals[fill[t->pk.v[i]]++] = t->pv.v[i];
    for (size_t k = 0; k < nkeys && !rc; k++) {
        uint32_t n = start[k + 1] - start[k];
        if (hashed) {
            cx_dslot d = {.check = t->key_hhi.v[k] ? t->key_hhi.v[k] : 1};
            if (n == 1) {
                d.val = vals[start[k]];
            } else {
                d.val = CX_DEL_LIST | (uint32_t)b->u32.n;
                rc = u32_push(&b->u32, n);
                for (uint32_t i = 0; i < n && !rc; i++)
                    rc = u32_push(&b->u32, vals[start[k] + i]);
            }
            cx_dslot *ds = (cx_dslot *)slots;
            size_t p = t->key_hlo.v[k] & (cap - 1);
            while (ds[p].check)
                p = (p + 1) & (cap - 1);
            ds[p] = d;
            continue;
        }
        cx_slot sl = {.hash = t->key_hlo.v[k], .key = t->key_str.v[k], .val_len = n};
        if (n == 1) {
            sl.val = vals[start[k]];
        } else {
            sl.val = (uint32_t)b->u32.n;
            for (uint32_t i = 0; i < n && !rc; i++)
                rc = u32_push(&b->u32, vals[start[k] + i]);
        }
        cx_slot *ss = (cx_slot *)slots;
        size_t p = sl.hash & (cap - 1);
        while (ss[p].val_len)
            p = (p + 1) & (cap - 1);
        ss[p] = sl;
    }
    if (!rc)
        rc = sec_put(b, sec, slots, (size_t)cap * ssize);
done:
    free(start);
    free(vals);
    free(fill);
    free(slots);
    return rc;
}

/* ---- identifiers ------------------------------------------------------- */

size_t cordon__ident_normalize(const char *s, size_t len, char *out, size_t size)
{
    size_t n = 0;
    if (size == 0)
        return 0;
    for (size_t i = 0; i < len && n + 1 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'a' && c <= 'z')
            out[n++] = (char)(c - 'a' + 'A');
        else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80)
            out[n++] = (char)c;
    }
    out[n] = '\0';
    /* "IMO 1011551" and "1011551" are the same IMO number. */
    static const char *const labels[] = {"IMO", "MMSI"};
    for (size_t i = 0; i < 2; i++) {
        size_t l = strlen(labels[i]);
        if (n > l && memcmp(out, labels[i], l) == 0 && out[l] >= '0' && out[l] <= '9') {
            memmove(out, out + l, n - l + 1);
            n -= l;
            break;
        }
    }
    return n;
}

/* ---- terms ------------------------------------------------------------- */

/* The term of a token text. Tokens written in a non-Latin script get a
 * term of their own (same text, CX_TERM_NONLATIN), because how much a
 * loose key says depends on whether a script boundary was crossed. */
static int term_get(builder *b, const char *text, size_t len, uint32_t flags, uint32_t *out)
{
    char kbuf[256];
    if (len + 2 > sizeof kbuf)
        return cordon__fail(b->err, CORDON_ETOOBIG, NULL, 0, 0, "token over 254 bytes");
    memcpy(kbuf, text, len);
    size_t klen = len;
    if (flags & CX_TERM_NONLATIN)
        kbuf[klen++] = '\x01';
    void *v = cordon__strmap_get(&b->term_map, kbuf, klen);
    if (v) {
        *out = (uint32_t)(uintptr_t)v - 1;
        /* a pair term only if never a token */
        b->terms[*out].flags &= flags | ~(uint32_t)CX_TERM_PAIR;
        return 0;
    }
    if (b->n_terms == b->cap_terms) {
        size_t cap = b->cap_terms ? b->cap_terms * 2 : 4096;
        term_b *t = realloc(b->terms, cap * sizeof *t);
        if (!t)
            return CORDON_ENOMEM;
        b->terms = t;
        b->cap_terms = cap;
    }
    term_b *t = &b->terms[b->n_terms];
    memset(t, 0, sizeof *t);
    t->last_name = CX_NONE;
    t->flags = flags;
    int rc = str_off(b, text, len, &t->text);
    if (rc)
        return rc;
    t->forms[t->n_forms++] = t->text;
    char *key = cordon__arena_strndup(&b->arena, kbuf, klen);
    if (!key || cordon__strmap_put(&b->term_map, key, klen, (void *)(uintptr_t)(b->n_terms + 1)))
        return CORDON_ENOMEM;
    *out = (uint32_t)b->n_terms++;
    return 0;
}

static int term_add_form(builder *b, uint32_t t, const char *s)
{
    uint32_t off;
    int rc = str(b, s, &off);
    if (rc)
        return rc;
    term_b *tb = &b->terms[t];
    for (size_t i = 0; i < tb->n_forms; i++)
        if (tb->forms[i] == off)
            return 0;
    if (tb->n_forms < TB_FORMS)
        tb->forms[tb->n_forms++] = off;
    return 0;
}

static int term_add_phon(builder *b, uint32_t t, const char *s)
{
    if (!s || !s[0])
        return 0;
    uint32_t off;
    int rc = str(b, s, &off);
    if (rc)
        return rc;
    term_b *tb = &b->terms[t];
    for (size_t i = 0; i < tb->n_phon; i++)
        if (tb->phon[i] == off)
            return 0;
    if (tb->n_phon < TB_PHON)
        tb->phon[tb->n_phon++] = off;
    return 0;
}

static int term_add_loose(builder *b, uint32_t t, const char *s)
{
    if (!s || !s[0])
        return 0;
    uint32_t off;
    int rc = str(b, s, &off);
    if (rc)
        return rc;
    term_b *tb = &b->terms[t];
    for (size_t i = 0; i < tb->n_loose; i++)
        if (tb->loose[i] == off)
            return 0;
    if (tb->n_loose < TB_LOOSE)
        tb->loose[tb->n_loose++] = off;
    return 0;
}

static int term_occurs(builder *b, uint32_t t, uint32_t name)
{
    term_b *tb = &b->terms[t];
    if (tb->last_name == name)
        return 0;
    tb->last_name = name;
    tb->df++;
    if (u32_push(&b->occ_term, t) || u32_push(&b->occ_name, name))
        return CORDON_ENOMEM;
    return 0;
}

/* ---- names -------------------------------------------------------------- */

/* Analyses one name and appends its NAMES record and NTOKENS. The token
 * weights are filled later, once document frequencies are known. */
static int add_name(builder *b, uint32_t entity, const cordon_name *nm, cordon_schema schema)
{
    uint32_t name_id = b->n_names++;
    cx_name rec = {.entity = entity, .kind = (uint8_t)nm->kind, .tokens = b->n_ntokens};
    int rc = str(b, nm->value, &rec.value);
    if (rc)
        return rc;
    cordon_name_analysis *an = NULL;
    cordon_error aerr;
    size_t len = strlen(nm->value);
    if (cordon_name_analyze(nm->value, len, schema, &an, &aerr) != 0 || an->n_tokens == 0) {
        /* Names with no letters or digits, or over the limits, are kept
         * for display but cannot be screened. */
        cordon_name_analysis_free(an);
        rec.flags |= CX_NAME_SKIPPED;
        return sec_put(b, CX_SEC_NAMES, &rec, sizeof rec);
    }
    /* Base tokens are indexed; a JOINED token ("jongun" for "Jong-un")
     * becomes the pair term of its first part. Two neighbours with no
     * JOINED token over them get their texts joined as the pair term. */
    size_t base[CORDON_NAME_MAX_TOKENS], map[CORDON_NAME_MAX_TOKENS];
    size_t n = 0;
    for (size_t i = 0; i < an->n_tokens && i < CORDON_NAME_MAX_TOKENS; i++) {
        map[i] = SIZE_MAX;
        if (!(an->tokens[i].flags & CORDON_TOKEN_JOINED)) {
            map[i] = n;
            base[n++] = i;
        }
    }
    if (n == 0) {
        cordon_name_analysis_free(an);
        rec.flags |= CX_NAME_SKIPPED;
        return sec_put(b, CX_SEC_NAMES, &rec, sizeof rec);
    }
    rec.n_tokens = (uint8_t)n;
    int mode = cordon__num_mode(an->schema);
    rec.flags |= mode == CX_NUM_GENERATION ? CX_NAME_PERSON : mode == CX_NUM_THING ? CX_NAME_THING : 0;
    uint32_t tids[CORDON_NAME_MAX_TOKENS];
    const cordon_name_token *jt[CORDON_NAME_MAX_TOKENS] = {0};
    for (size_t i = 0; i < an->n_tokens && i < CORDON_NAME_MAX_TOKENS; i++) {
        const cordon_name_token *tk = &an->tokens[i];
        if (!(tk->flags & CORDON_TOKEN_JOINED) || tk->n_parts < 2 ||
            tk->part_first >= an->n_tokens || map[tk->part_first] == SIZE_MAX ||
            map[tk->part_first] + tk->n_parts > n)
            continue;
        if (!jt[map[tk->part_first]])
            jt[map[tk->part_first]] = tk;
    }
    for (size_t k = 0; k < n && !rc; k++) {
        const cordon_name_token *tk = &an->tokens[base[k]];
        rc = term_get(b, tk->text, strlen(tk->text),
                      tk->script != CORDON_SCRIPT_LATIN ? CX_TERM_NONLATIN : 0, &tids[k]);
        for (size_t f = 0; f < tk->n_forms && !rc; f++)
            rc = term_add_form(b, tids[k], tk->forms[f]);
        for (size_t p = 0; p < tk->n_phonetic && !rc; p++)
            rc = term_add_phon(b, tids[k], tk->phonetic[p]);
        for (size_t p = 0; p < tk->n_loose && !rc; p++)
            rc = term_add_loose(b, tids[k], tk->loose[p]);
        if (!rc)
            rc = term_occurs(b, tids[k], name_id);
    }
    for (size_t k = 0; k < n && !rc; k++) {
        const cordon_name_token *tk = &an->tokens[base[k]];
        cx_ntoken nt = {.term = tids[k], .pair_term = CX_NONE, .role = (uint8_t)tk->role,
                        .flags = (uint8_t)tk->flags, .script = (uint8_t)tk->script};
        if (jt[k]) {
            const cordon_name_token *j = jt[k];
            rc = term_get(b, j->text, strlen(j->text), CX_TERM_PAIR, &nt.pair_term);
            /* forms only: the 4-letter phonetic key of a joined name
             * is the key of its first part */
            for (size_t f = 0; f < j->n_forms && !rc; f++)
                rc = term_add_form(b, nt.pair_term, j->forms[f]);
            nt.pair_n = (uint8_t)j->n_parts;
        } else if (k + 1 < n) {
            char joined[256];
            int jl = snprintf(joined, sizeof joined, "%s%s", tk->text,
                              an->tokens[base[k + 1]].text);
            if (jl > 0 && (size_t)jl < sizeof joined) {
                rc = term_get(b, joined, (size_t)jl, CX_TERM_PAIR, &nt.pair_term);
                nt.pair_n = 2;
            }
        }
        if (!rc && nt.pair_term != CX_NONE)
            rc = term_occurs(b, nt.pair_term, name_id);
        if (!rc)
            rc = sec_put(b, CX_SEC_NTOKENS, &nt, sizeof nt);
        b->n_ntokens++;
    }
    cordon_name_analysis_free(an);
    if (rc)
        return rc;
    b->n_indexed++;
    return sec_put(b, CX_SEC_NAMES, &rec, sizeof rec);
}

/* ---- entities ------------------------------------------------------------ */

static int add_countries(builder *b, const cordon_country *c, size_t n, uint32_t *first,
                         uint32_t *count)
{
    *first = b->n_countries;
    *count = (uint32_t)n;
    for (size_t i = 0; i < n; i++) {
        cx_country rec = {{0}, 0};
        memcpy(rec.code, c[i].code, 2);
        int rc = str(b, c[i].text, &rec.text);
        if (rc || (rc = sec_put(b, CX_SEC_COUNTRIES, &rec, sizeof rec)))
            return rc;
        b->n_countries++;
    }
    return 0;
}

static int add_entity(builder *b, uint32_t index, const cordon_entity *e, uint32_t source)
{
    cx_entity r;
    memset(&r, 0, sizeof r);
    int rc = 0;
    r.source = source;
    r.schema = (uint32_t)e->schema;
    if ((rc = str(b, e->id, &r.id)) || (rc = str(b, e->native_id, &r.native_id)))
        return rc;
    r.names = b->n_names;
    r.n_names = (uint32_t)e->n_names;
    for (size_t i = 0; i < e->n_names && !rc; i++)
        rc = add_name(b, index, &e->names[i], e->schema);
    r.dates = b->n_dates;
    r.n_dates = (uint32_t)e->n_birth_dates;
    for (size_t i = 0; i < e->n_birth_dates && !rc; i++) {
        const cordon_date *d = &e->birth_dates[i];
        cx_date rec = {.year = d->year, .month = d->month, .day = d->day,
                       .year_to = d->year_to, .flags = d->flags};
        if (!(rc = str(b, d->text, &rec.text)))
            rc = sec_put(b, CX_SEC_DATES, &rec, sizeof rec);
        b->n_dates++;
    }
    if (!rc)
        rc = str_list(b, e->birth_places, e->n_birth_places, &r.places, &r.n_places);
    if (!rc)
        rc = add_countries(b, e->nationalities, e->n_nationalities, &r.nats, &r.n_nats);
    if (!rc)
        rc = add_countries(b, e->citizenships, e->n_citizenships, &r.cits, &r.n_cits);
    if (!rc)
        rc = add_countries(b, e->countries, e->n_countries, &r.ctys, &r.n_ctys);
    if (!rc)
        rc = str_list(b, e->addresses, e->n_addresses, &r.addrs, &r.n_addrs);
    r.idents = b->n_idents;
    r.n_idents = (uint32_t)e->n_identifiers;
    for (size_t i = 0; i < e->n_identifiers && !rc; i++) {
        const cordon_identifier *id = &e->identifiers[i];
        cx_ident rec = {.type = (uint32_t)id->type, .entity = index};
        if ((rc = str(b, id->label, &rec.label)) || (rc = str(b, id->value, &rec.value)) ||
            (rc = str(b, id->country, &rec.country)) ||
            (rc = sec_put(b, CX_SEC_IDENTS, &rec, sizeof rec)))
            break;
        char key[256];
        size_t kl = cordon__ident_normalize(id->value, strlen(id->value), key, sizeof key);
        if (kl >= 3)
            rc = table_add_str(b, &b->tab_ident, key, kl, b->n_idents);
        b->n_idents++;
    }
    if (!rc)
        rc = str_list(b, e->programs, e->n_programs, &r.progs, &r.n_progs);
    if (!rc && !(rc = str(b, e->gender, &r.gender)) && !(rc = str(b, e->title, &r.title)) &&
        !(rc = str(b, e->listed_on, &r.listed_on)) && !(rc = str(b, e->remarks, &r.remarks)) &&
        !(rc = str(b, e->origin_file, &r.origin_file)))
        r.origin_line = (uint32_t)e->origin_line;
    if (!rc)
        rc = sec_put(b, CX_SEC_ENTITIES, &r, sizeof r);
    return rc;
}

static int add_source(builder *b, const cordon_source_info *s)
{
    cx_source r;
    memset(&r, 0, sizeof r);
    int rc;
    r.format = (uint32_t)s->format;
    r.n_entities = (uint32_t)s->n_entities;
    for (int k = 0; k < CORDON_SCHEMA_COUNT_; k++)
        r.n_by_schema[k] = (uint32_t)s->n_by_schema[k];
    r.n_names = (uint32_t)s->n_names;
    if ((rc = str(b, s->name, &r.name)) || (rc = str(b, s->published, &r.published)) ||
        (rc = str(b, s->sha256, &r.sha256)) ||
        (rc = str_list(b, s->files, s->n_files, &r.files, &r.n_files)) ||
        (rc = str_list(b, s->warnings, s->n_warnings, &r.warnings, &r.n_warnings)))
        return rc;
    return sec_put(b, CX_SEC_SOURCES, &r, sizeof r);
}

/* ---- vocabulary tables, postings, weights -------------------------------- */

static int build_terms(builder *b)
{
    int rc = 0;
    /* postings: counting sort of occurrences by term (names ascend). */
    size_t nt = b->n_terms;
    uint32_t *start = calloc(nt + 1, sizeof *start);
    if (!start)
        return CORDON_ENOMEM;
    for (size_t i = 0; i < b->occ_term.n; i++)
        start[b->occ_term.v[i] + 1]++;
    for (size_t t = 0; t < nt; t++)
        start[t + 1] += start[t];
    size_t post_base = b->u32.n;
    for (size_t i = 0; i < b->occ_term.n && !rc; i++)
        rc = u32_push(&b->u32, 0);
    if (rc) {
        free(start);
        return rc;
    }
    {
        uint32_t *fill = malloc((nt + 1) * sizeof *fill);
        if (!fill) {
            free(start);
            return CORDON_ENOMEM;
        }
        memcpy(fill, start, (nt + 1) * sizeof *fill);
        for (size_t i = 0; i < b->occ_term.n; i++)
            b->u32.v[post_base + fill[b->occ_term.v[i]]++] = b->occ_name.v[i];
        free(fill);
    }
    for (size_t t = 0; t < nt && !rc; t++) {
        term_b *tb = &b->terms[t];
        cx_term r;
        memset(&r, 0, sizeof r);
        r.text = tb->text;
        r.df = tb->df;
        r.flags = (uint16_t)tb->flags;
        r.post = (uint32_t)(post_base + start[t]);
        r.n_post = start[t + 1] - start[t];
        r.idf = cordon__idf(tb->df, b->n_indexed);
        if (tb->flags & CX_TERM_PAIR)
            tb->n_loose = 0;
        size_t nk = 0;
        for (size_t f = 0; f < tb->n_forms; f++)
            r.keys[nk++] = tb->forms[f];
        for (size_t p = 0; p < tb->n_phon; p++)
            r.keys[nk++] = tb->phon[p];
        for (size_t p = 0; p < tb->n_loose; p++)
            r.keys[nk++] = tb->loose[p];
        r.n_forms = tb->n_forms;
        r.n_phon = tb->n_phon;
        r.n_loose = tb->n_loose;
        if (!rc)
            rc = sec_put(b, CX_SEC_TERMS, &r, sizeof r);
        /* lookup tables */
        for (size_t f = 0; f < tb->n_forms && !rc; f++) {
            /* strings may move as the pool grows: copy the form first */
            char form[256];
            size_t fl = strlen(b->strings.data + tb->forms[f]);
            if (fl >= sizeof form)
                continue;
            memcpy(form, b->strings.data + tb->forms[f], fl + 1);
            rc = table_add_str(b, &b->tab_form, form, fl, (uint32_t)t);
            /* Typo keys for the first four forms of single tokens: the
             * form itself from 3 letters, its one-deletions from
             * CX_FUZZY_MIN_LEN (score.c scores fuzzy pairs under exactly
             * these rules). */
            if (rc || f >= 4 || fl < 3 || (tb->flags & CX_TERM_PAIR))
                continue;
            rc = table_add_hash(&b->tab_del, cx_hash(form, fl), (uint32_t)t);
            if (fl < CX_FUZZY_MIN_LEN)
                continue;
            char del[256];
            for (size_t k = 0; k < fl && !rc; k++) {
                if (k > 0 && form[k] == form[k - 1])
                    continue; /* same deletion as the previous one */
                memcpy(del, form, k);
                memcpy(del + k, form + k + 1, fl - k - 1);
                rc = table_add_hash(&b->tab_del, cx_hash(del, fl - 1), (uint32_t)t);
            }
        }
        for (size_t p = 0; p < tb->n_phon && !rc; p++) {
            char key[64];
            size_t kl = strlen(b->strings.data + tb->phon[p]);
            if (kl >= sizeof key)
                continue;
            memcpy(key, b->strings.data + tb->phon[p], kl + 1);
            rc = table_add_str(b, &b->tab_phon, key, kl, (uint32_t)t);
        }
        for (size_t p = 0; p < tb->n_loose && !rc; p++) {
            char key[64];
            size_t kl = strlen(b->strings.data + tb->loose[p]);
            if (kl >= sizeof key || kl < 2)
                continue;
            memcpy(key, b->strings.data + tb->loose[p], kl + 1);
            rc = table_add_str(b, &b->tab_loose, key, kl, (uint32_t)t);
            /* Latin queries only meet non-Latin terms by loose key */
            if (!rc && (tb->flags & CX_TERM_NONLATIN))
                rc = table_add_str(b, &b->tab_loose_nl, key, kl, (uint32_t)t);
        }
    }
    free(start);
    return rc;
}

/* Token weights need every document frequency, so they are patched into
 * NTOKENS after all names are in. */
static void weigh_tokens(builder *b)
{
    cx_ntoken *nt = (cx_ntoken *)b->sec[CX_SEC_NTOKENS].data;
    cx_term *terms = (cx_term *)b->sec[CX_SEC_TERMS].data;
    for (size_t i = 0; i < b->n_ntokens; i++)
        nt[i].weight = terms[nt[i].term].idf * cordon__role_factor(nt[i].role, nt[i].flags);
}

static int by_weight_desc(const void *pa, const void *pb)
{
    float a = *(const float *)pa, b = *(const float *)pb;
    return a < b ? 1 : a > b ? -1 : 0;
}

/* For retrieval's bound on listed coverage: the share of each name's
 * weight held by its k heaviest tokens, and its widest split. */
static void share_names(builder *b)
{
    cx_name *names = (cx_name *)b->sec[CX_SEC_NAMES].data;
    const cx_ntoken *nt = (const cx_ntoken *)b->sec[CX_SEC_NTOKENS].data;
    for (size_t i = 0; i < b->n_names; i++) {
        cx_name *n = &names[i];
        float w[256], total = 0.0f;
        size_t k = n->n_tokens;
        n->max_span = 1;
        for (size_t j = 0; j < k; j++) {
            const cx_ntoken *t = &nt[n->tokens + j];
            w[j] = t->weight;
            total += t->weight;
            if (t->pair_term != CX_NONE && t->pair_n > n->max_span)
                n->max_span = t->pair_n;
        }
        qsort(w, k, sizeof *w, by_weight_desc);
        float acc = 0.0f;
        for (size_t j = 0; j < CX_NAME_TOP; j++) {
            if (j < k)
                acc += w[j];
            /* rounded up, so the bound never falls below the truth */
            n->top[j] = total > 0.0f ? acc / total * 1.0001f + 1e-6f : 1.0f;
            if (j + 1 >= k)
                n->top[j] = 1.0f;
        }
    }
}

static int by_id(const void *pa, const void *pb, void *ctx)
{
    const builder *b = ctx;
    const cx_entity *ents = (const cx_entity *)b->sec[CX_SEC_ENTITIES].data;
    uint32_t a = *(const uint32_t *)pa, c = *(const uint32_t *)pb;
    return strcmp(b->strings.data + ents[a].id, b->strings.data + ents[c].id);
}

/* ---- image ---------------------------------------------------------------- */

/* Writes the image's checksums: each section's CRC, the SHA-256 of
 * their contents (the index hash), the header's CRC. */
static int seal(unsigned char *img)
{
    cx_header *h = (cx_header *)img;
    cx_section *tab = (cx_section *)(img + sizeof *h);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(ctx);
        return CORDON_ENOMEM;
    }
    for (size_t i = 0; i < h->n_sections; i++) {
        tab[i].crc = (uint32_t)crc32_z(0, img + tab[i].offset, tab[i].size);
        EVP_DigestUpdate(ctx, img + tab[i].offset, tab[i].size);
    }
    unsigned char md[32];
    unsigned int mdlen = 0;
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    EVP_MD_CTX_free(ctx);
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < 32; i++) {
        h->content_sha256[2 * i] = hex[md[i] >> 4];
        h->content_sha256[2 * i + 1] = hex[md[i] & 15];
    }
    h->header_crc = 0;
    h->header_crc = (uint32_t)crc32_z(0, img, h->header_size);
    return 0;
}

static int hex_nibble(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

/* Each entity's content hash, read back through the built index (so that
 * it is exactly what cordon_entity_hash gives a reader), into the
 * image's entity hash section; then the image is sealed again. */
static int hash_entities(cordon_index *idx, unsigned char *img, size_t at, cordon_error *err)
{
    size_t n = cordon_index_entity_count(idx);
    for (size_t i = 0; i < n; i++) {
        cordon_entity *e = NULL;
        int rc = cordon_index_entity(idx, i, &e, err);
        if (rc)
            return rc;
        char hex[65];
        cordon_entity_hash(e, hex);
        cordon_entity_free(e);
        for (size_t k = 0; k < 32; k++)
            img[at + 32 * i + k] =
                (unsigned char)(hex_nibble(hex[2 * k]) << 4 | hex_nibble(hex[2 * k + 1]));
    }
    int rc = seal(img);
    if (!rc) {
        memcpy(idx->hash, ((const cx_header *)img)->content_sha256, 64);
        idx->hash[64] = '\0';
    }
    return rc;
}

static int assemble(builder *b, cordon_index **out)
{
    static const int order[] = {CX_SEC_META,     CX_SEC_STRINGS,  CX_SEC_U32,
                                CX_SEC_SOURCES,  CX_SEC_ENTITIES, CX_SEC_DATES,
                                CX_SEC_COUNTRIES, CX_SEC_IDENTS,  CX_SEC_NAMES,
                                CX_SEC_NTOKENS,  CX_SEC_TERMS,    CX_SEC_TAB_FORM,
                                CX_SEC_TAB_DEL,  CX_SEC_TAB_PHON, CX_SEC_TAB_IDENT,
                                CX_SEC_BYID,     CX_SEC_TAB_LOOSE, CX_SEC_TAB_LOOSE_NL,
                                CX_SEC_ENTITY_HASH};
    const size_t ns = sizeof order / sizeof order[0];
    /* the U32 and STRINGS sections come from their own builders */
    cordon__buf_free(&b->sec[CX_SEC_U32]);
    if (cordon__buf_append(&b->sec[CX_SEC_U32], b->u32.v, b->u32.n * sizeof(uint32_t)))
        return CORDON_ENOMEM;
    size_t hsize = sizeof(cx_header) + ns * sizeof(cx_section);
    size_t total = (hsize + 7) & ~(size_t)7;
    for (size_t i = 0; i < ns; i++) {
        const cordon__buf *s = order[i] == CX_SEC_STRINGS ? &b->strings : &b->sec[order[i]];
        total += (s->len + 7) & ~(size_t)7;
    }
    unsigned char *img = calloc(1, total);
    if (!img)
        return CORDON_ENOMEM;
    cx_header *h = (cx_header *)img;
    cx_section *tab = (cx_section *)(img + sizeof *h);
    memcpy(h->magic, CX_MAGIC, 8);
    h->endian = CX_ENDIAN_MARK;
    h->version = CORDON_INDEX_FORMAT_VERSION;
    h->file_size = total;
    h->header_size = (uint32_t)hsize;
    h->n_sections = (uint32_t)ns;
    size_t off = (hsize + 7) & ~(size_t)7, hash_at = 0;
    for (size_t i = 0; i < ns; i++) {
        const cordon__buf *s = order[i] == CX_SEC_STRINGS ? &b->strings : &b->sec[order[i]];
        if (s->len)
            memcpy(img + off, s->data, s->len);
        if (order[i] == CX_SEC_ENTITY_HASH)
            hash_at = off;
        tab[i].id = (uint32_t)order[i];
        tab[i].offset = off;
        tab[i].size = s->len;
        off += (s->len + 7) & ~(size_t)7;
    }
    if (seal(img)) {
        free(img);
        return CORDON_ENOMEM;
    }

    cordon_index *idx = calloc(1, sizeof *idx);
    if (!idx) {
        free(img);
        return CORDON_ENOMEM;
    }
    idx->base = img;
    idx->size = total;
    idx->mapped = 0;
    int rc = cordon__index_attach(idx, "built index", b->err);
    if (!rc)
        rc = hash_entities(idx, img, hash_at, b->err);
    if (rc) {
        cordon_index_close(idx);
        return rc;
    }
    *out = idx;
    return 0;
}

static void builder_free(builder *b)
{
    cordon__arena_free(&b->arena);
    cordon__buf_free(&b->strings);
    cordon__strmap_free(&b->strmap);
    free(b->u32.v);
    for (int i = 0; i < CX_SEC_COUNT_; i++)
        cordon__buf_free(&b->sec[i]);
    cordon__strmap_free(&b->term_map);
    free(b->terms);
    free(b->occ_term.v);
    free(b->occ_name.v);
    table_free(&b->tab_form);
    table_free(&b->tab_del);
    table_free(&b->tab_phon);
    table_free(&b->tab_ident);
    table_free(&b->tab_loose);
    table_free(&b->tab_loose_nl);
}

int cordon_index_build(const cordon_dataset *ds, cordon_index **out, cordon_error *err)
{
    if (out)
        *out = NULL;
    if (!ds || !out)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no dataset to index");
    size_t ne = cordon_dataset_entity_count(ds);
    if (ne == 0)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0,
                            "the dataset has no entities to index");
    if (ne >= UINT32_MAX / 2)
        return cordon__fail(err, CORDON_ETOOBIG, NULL, 0, 0, "too many entities: %zu", ne);
    builder b;
    memset(&b, 0, sizeof b);
    b.ds = ds;
    b.err = err;
    cordon__arena_init(&b.arena);
    int rc = 0;
    /* offset 0 is NULL: keep one byte there */
    if (cordon__buf_putc(&b.strings, '\0'))
        rc = CORDON_ENOMEM;
    size_t nsrc = cordon_dataset_source_count(ds);
    for (size_t i = 0; i < nsrc && !rc; i++)
        rc = add_source(&b, cordon_dataset_source(ds, i));
    for (size_t i = 0; i < ne && !rc; i++) {
        const cordon_entity *e = cordon_dataset_entity(ds, i);
        uint32_t src = 0;
        for (size_t s = 0; s < nsrc; s++)
            if (!strcmp(cordon_dataset_source(ds, s)->name, e->source))
                src = (uint32_t)s;
        rc = add_entity(&b, (uint32_t)i, e, src);
    }
    if (!rc)
        rc = build_terms(&b);
    if (!rc) {
        weigh_tokens(&b);
        share_names(&b);
    }
    cx_meta meta;
    memset(&meta, 0, sizeof meta);
    if (!rc)
        rc = table_emit(&b, &b.tab_form, CX_SEC_TAB_FORM, 0, &meta.tab_form_cap);
    if (!rc)
        rc = table_emit(&b, &b.tab_del, CX_SEC_TAB_DEL, 1, &meta.tab_del_cap);
    if (!rc)
        rc = table_emit(&b, &b.tab_phon, CX_SEC_TAB_PHON, 0, &meta.tab_phon_cap);
    if (!rc)
        rc = table_emit(&b, &b.tab_ident, CX_SEC_TAB_IDENT, 0, &meta.tab_ident_cap);
    if (!rc)
        rc = table_emit(&b, &b.tab_loose, CX_SEC_TAB_LOOSE, 0, &meta.tab_loose_cap);
    if (!rc)
        rc = table_emit(&b, &b.tab_loose_nl, CX_SEC_TAB_LOOSE_NL, 0, &meta.tab_loose_nl_cap);
    if (!rc) {
        uint32_t *ids = malloc(ne * sizeof *ids);
        if (!ids) {
            rc = CORDON_ENOMEM;
        } else {
            for (size_t i = 0; i < ne; i++)
                ids[i] = (uint32_t)i;
            qsort_r(ids, ne, sizeof *ids, by_id, &b);
            rc = sec_put(&b, CX_SEC_BYID, ids, ne * sizeof *ids);
            free(ids);
        }
    }
    if (!rc) { /* filled in once the image is built (hash_entities) */
        unsigned char *zero = calloc(ne, 32);
        rc = zero ? sec_put(&b, CX_SEC_ENTITY_HASH, zero, ne * 32) : CORDON_ENOMEM;
        free(zero);
    }
    if (!rc) {
        meta.n_sources = (uint32_t)nsrc;
        meta.n_entities = (uint32_t)ne;
        meta.n_names = b.n_names;
        meta.n_terms = (uint32_t)b.n_terms;
        meta.n_ntokens = b.n_ntokens;
        meta.n_idents = b.n_idents;
        meta.n_dates = b.n_dates;
        meta.n_countries = b.n_countries;
        meta.n_indexed_names = b.n_indexed;
        rc = sec_put(&b, CX_SEC_META, &meta, sizeof meta);
    }
    if (!rc)
        rc = assemble(&b, out);
    if (rc == CORDON_ENOMEM)
        cordon__fail(err, rc, NULL, 0, 0, "out of memory while building the index");
    builder_free(&b);
    return rc;
}
