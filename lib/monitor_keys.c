/*
 * monitor_keys.c — how a monitor run skips, without analysing them again,
 * the customers that cannot match any entity added or changed since the
 * last run.
 *
 * Screening finds candidate names only through the index tables that
 * retrieve.c's relate_all() looks up for each query slot (a token, or
 * adjacent tokens joined): a form (FORM), a form and its one-deletions
 * (DEL, one-token slots only), a Double Metaphone key (PHON), a loose
 * consonant key (LOOSE, or LOOSE_NL for Latin slots), the one-letter term
 * of the slot's initial, and identifiers (IDENT). A name is a candidate
 * only if it contains a term so met; a token aligns only with a term met
 * so (at cordon__slot_sim's similarity), or, for a query initial, with a
 * listed token by its first letter or Roman value.
 *
 * So when a customer is screened in full, its "signature" keeps its
 * slots as screening built them (forms, phonetic and loose keys, width,
 * script, the token's role), its type, birth date flag and country, and
 * its identifier. When entities change, every key under which the index
 * files a term of their names (as index_build.c files it) is mapped to
 * that term. A customer's keys are hashed straight from its signature
 * and tested against a filter of those keys; the few that pass are
 * looked up, and each term met is related to the slot at the similarity
 * screening would compute, with the same functions. From the relations,
 * each changed name the customer touches is bounded from the listed side
 * and from the query side (see cordon__changeset_meets), against the
 * threshold less the most screen.c's adjustments can add: a customer is
 * a candidate only when some name's bound reaches it. Keys are compared
 * as 64-bit hashes; a collision only adds a similarity check.
 *
 * The listed side also decides, before any lookup, which terms can carry
 * a name at all (build(): the essential ones); a customer without
 * initials that meets none of them is done after the filter.
 *
 * Deletions are hashed with a polynomial hash, so each one-deletion's
 * hash comes from prefix and suffix hashes in O(1) instead of building
 * the string: a customer costs about a hundred multiply-adds and probes.
 */
#include "index_int.h"
#include "monitor_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define SIG_VERSION 2
#define POLY_B 0x100000001b3ull

/* Signature layout: SIG_VERSION, then entries.
 *   'Q' schema flags c0 c1   the qualifiers: type, QUAL_DOB when a birth
 *       date was given, the country code (0 0 when none)
 *   'S' first n flags role tflags nf {len bytes}*nf np {...}*np nl {...}*nl
 *       a slot: its first query token and width n, flags (SLOT_*), the
 *       token's role and flags (a one-token slot; 0 otherwise), forms,
 *       phonetic, loose keys
 *   'X' len bytes      an identifier, normalized as screening does
 * Strings are 1 to 255 bytes. */
enum { QUAL_DOB = 1 };
enum { SLOT_NONLATIN = 1, SLOT_INITIAL = 2, SLOT_RETRIEVABLE = 4 };

/* Key namespaces (the table a key belongs to). */
enum { NS_FORM = 1, NS_DEL, NS_PHON, NS_LOOSE, NS_LOOSE_NL, NS_IDENT };

static uint64_t fmix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h ? h : 1; /* 0 marks an empty slot of a map */
}

static uint64_t finish(int ns, uint64_t poly, size_t len)
{
    return fmix(poly + (uint64_t)ns * 0x9e3779b97f4a7c15ull +
                (uint64_t)len * 0x632be59bd9b4e019ull);
}

static uint64_t poly(const char *s, size_t n)
{
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++)
        h = h * POLY_B + (unsigned char)s[i];
    return h;
}

static uint64_t key_of(int ns, const char *s) { return finish(ns, poly(s, strlen(s)), strlen(s)); }

/* The fingerprint of a slot view's bytes, for the caches: eight bytes a
 * step (keys need poly's per-byte form for their deletions; this does
 * not). */
static uint64_t view_fp(const unsigned char *p, size_t n)
{
    uint64_t h = (uint64_t)n * 0x9e3779b97f4a7c15ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, p + i, n - i);
    return fmix((h ^ w) * 0xc4ceb9fe1a85ec53ull);
}

typedef void (*key_fn)(void *ctx, uint64_t key);

/* The DEL keys of a form: the form itself from 3 bytes, and each
 * one-deletion from CX_FUZZY_MIN_LEN. */
static void del_keys(const char *s, size_t n, key_fn fn, void *ctx)
{
    if (n < 3)
        return;
    fn(ctx, finish(NS_DEL, poly(s, n), n));
    if (n < CX_FUZZY_MIN_LEN || n > 255)
        return;
    uint64_t pre[256], suf[257], pw[256];
    pre[0] = 0;
    pw[0] = 1;
    for (size_t i = 0; i < n; i++) {
        pre[i + 1] = pre[i] * POLY_B + (unsigned char)s[i];
        pw[i + 1] = pw[i] * POLY_B;
    }
    suf[n] = 0;
    for (size_t i = n; i-- > 0;)
        suf[i] = (unsigned char)s[i] * pw[n - 1 - i] + suf[i + 1];
    for (size_t k = 0; k < n; k++)
        fn(ctx, finish(NS_DEL, pre[k] * pw[n - 1 - k] + suf[k + 1], n - 1));
}

static bool has_digit(const char *s)
{
    for (; *s; s++)
        if (*s >= '0' && *s <= '9')
            return true;
    return false;
}

/* The keys relate_all() looks up for a slot. A slot over several tokens
 * (nofuzzy) has no deletion keys. */
static void slot_keys(const cx_slot_q *sl, key_fn fn, void *ctx)
{
    for (size_t f = 0; f < sl->view.n_forms; f++) {
        const char *form = sl->view.forms[f];
        size_t fl = strlen(form);
        fn(ctx, finish(NS_FORM, poly(form, fl), fl));
        if (f < 4 && fl >= 3 && fl <= 120 && !sl->view.nofuzzy && !has_digit(form))
            del_keys(form, fl, fn, ctx);
    }
    for (size_t p = 0; p < sl->view.n_phon; p++)
        if (strlen(sl->view.phon[p]) >= 2)
            fn(ctx, key_of(NS_PHON, sl->view.phon[p]));
    for (size_t p = 0; p < sl->view.n_loose; p++)
        if (strlen(sl->view.loose[p]) >= 2)
            fn(ctx, key_of(sl->view.nonlatin ? NS_LOOSE : NS_LOOSE_NL, sl->view.loose[p]));
    if (sl->n == 1 && sl->view.text[0] && sl->view.text[1])
        fn(ctx, finish(NS_FORM, poly(sl->view.text, 1), 1));
}

/* ---- customer side: building signatures ---------------------------------------- */

static int put_str(cordon__buf *b, const char *s)
{
    size_t n = strlen(s);
    if (n > 255)
        n = 0; /* no table holds a key that long: keep the slot, drop the string */
    if (cordon__buf_putc(b, (char)(unsigned char)n) || cordon__buf_append(b, s, n))
        return CORDON_ENOMEM;
    return 0;
}

static int put_list(cordon__buf *b, const char *const *v, size_t n)
{
    if (cordon__buf_putc(b, (char)(unsigned char)n))
        return CORDON_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (put_str(b, v[i]))
            return CORDON_ENOMEM;
    return 0;
}

/* The country code screen.c's check_query gives the query's country. */
static void country_code(const char *s, size_t len, char out[3])
{
    out[0] = out[1] = out[2] = '\0';
    if (!s || !len || !cordon__utf8_valid(s, len))
        return;
    len = cordon__trim(&s, len);
    if (len == 2 && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1])) {
        out[0] = (char)toupper((unsigned char)s[0]);
        out[1] = (char)toupper((unsigned char)s[1]);
    } else if (cordon_country_lookup(s, len, out) != 0) {
        out[0] = out[1] = '\0';
    }
}

int cordon__sig_build(const cordon_query *query, cordon__buf *out, cordon_error *err)
{
    out->len = 0;
    char cc[3];
    country_code(query->country, query->country_len, cc);
    if (cordon__buf_putc(out, SIG_VERSION) || cordon__buf_putc(out, 'Q') ||
        cordon__buf_putc(out, (char)query->schema) ||
        cordon__buf_putc(out, query->birth_date ? QUAL_DOB : 0) || cordon__buf_putc(out, cc[0]) ||
        cordon__buf_putc(out, cc[1]))
        return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = 0;
    const char *name = query->name;
    size_t len = query->name_len;
    cordon_schema schema = query->schema;
    if (name && len) {
        cordon_name_analysis *an = NULL;
        rc = cordon_name_analyze(name, len, schema, &an, err);
        if (rc)
            return rc;
        cx_query q;
        /* slots exactly as screening makes them; no index: none related */
        rc = cordon__query_prepare(&q, NULL, an);
        for (size_t s = 0; s < q.n_slots && !rc; s++) {
            const cx_slot_q *sl = &q.slots[s];
            unsigned flags = (sl->view.nonlatin ? SLOT_NONLATIN : 0) |
                             (sl->initial ? SLOT_INITIAL : 0) |
                             (sl->retrievable ? SLOT_RETRIEVABLE : 0);
            const cordon_name_token *tk = sl->n == 1 ? q.tok[sl->first] : NULL;
            if (cordon__buf_putc(out, 'S') || cordon__buf_putc(out, (char)sl->first) ||
                cordon__buf_putc(out, (char)sl->n) ||
                cordon__buf_putc(out, (char)flags) ||
                cordon__buf_putc(out, (char)(tk ? tk->role : 0)) ||
                cordon__buf_putc(out, (char)(tk ? tk->flags : 0)) ||
                put_list(out, sl->view.forms, sl->view.n_forms) ||
                put_list(out, sl->view.phon, sl->view.n_phon) ||
                put_list(out, sl->view.loose, sl->view.n_loose))
                rc = CORDON_ENOMEM;
        }
        cordon__query_free(&q); /* frees an */
        if (rc)
            return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < query->n_ids; i++) {
        char key[128]; /* as screen.c's check_query normalizes it */
        size_t kl = cordon__ident_normalize(query->ids[i].value, query->ids[i].len, key,
                                            sizeof key);
        if (kl >= 3 && (cordon__buf_putc(out, 'X') || put_str(out, key)))
            return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return 0;
}

/* Names that exercise what name analysis does (orders and commas,
 * initials, particles and titles, legal forms in several languages,
 * numerals, hyphens and apostrophes, transcriptions, scripts), with the
 * type each is screened as: signatures of them change when analysis
 * does. */
static const struct {
    const char *name;
    cordon_schema schema;
} engine_probe[] = {
    {"John Smith", CORDON_SCHEMA_PERSON},
    {"SMITH, John Michael", CORDON_SCHEMA_UNKNOWN},
    {"J. R. R. Tolkien", CORDON_SCHEMA_PERSON},
    {"Mohammed bin Salman Al Saud", CORDON_SCHEMA_PERSON},
    {"Abou Bakr al-Djazairi", CORDON_SCHEMA_PERSON},
    {"Haji Abdul Rahman", CORDON_SCHEMA_PERSON},
    {"Dr. Hans van der Berg", CORDON_SCHEMA_PERSON},
    {"Ivan Petrovich Sidorenko Jr", CORDON_SCHEMA_PERSON},
    {"Kim Jong-un", CORDON_SCHEMA_PERSON},
    {"O'Brien-McDonald", CORDON_SCHEMA_UNKNOWN},
    {"Jos\u00e9 Mar\u00eda Aznar L\u00f3pez", CORDON_SCHEMA_PERSON},
    {"\u0141ukasz \u017b\u00f3\u0142kiewski", CORDON_SCHEMA_PERSON},
    {"Nguy\u1ec5n V\u0103n An", CORDON_SCHEMA_PERSON},
    {"\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432\u0438\u0447 "
     "\u0421\u0438\u0434\u043e\u0440\u0435\u043d\u043a\u043e",
     CORDON_SCHEMA_PERSON},
    {"\u0645\u062d\u0645\u062f \u0628\u0646 \u0633\u0644\u0645\u0627\u0646",
     CORDON_SCHEMA_PERSON},
    {"\u0391\u03bb\u03ad\u03be\u03b7\u03c2 \u03a4\u03c3\u03af\u03c0\u03c1\u03b1\u03c2",
     CORDON_SCHEMA_PERSON},
    {"\uae40\uc815\uc740", CORDON_SCHEMA_PERSON},
    {"\u5355\u6653\u5cf0", CORDON_SCHEMA_PERSON}, /* Han, a surname read otherwise */
    {"\u3055\u3086\u308a \u5c0f\u5ddd", CORDON_SCHEMA_PERSON}, /* kana and kanji */
    {"OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU ROSNEFT TRADING", CORDON_SCHEMA_ORGANIZATION},
    {"M\u00fcller GmbH & Co. KG", CORDON_SCHEMA_ORGANIZATION},
    {"Bank Melli Iran", CORDON_SCHEMA_ORGANIZATION},
    {"Islamic Revolutionary Guard Corps (IRGC)", CORDON_SCHEMA_ORGANIZATION},
    {"ARGO I", CORDON_SCHEMA_VESSEL},
    {"SPARTA IV", CORDON_SCHEMA_VESSEL},
    {"Tupolev Tu-204", CORDON_SCHEMA_AIRCRAFT},
};

int cordon__sig_engine(char out[65])
{
    memset(out, '0', 64);
    out[64] = '\0';
    cordon__buf all = {0}, sig = {0};
    char head[96];
    int n = snprintf(head, sizeof head, "cordon-monitor-engine-1\n%s\n%d\n", cordon_version(),
                     SIG_VERSION);
    int rc = cordon__buf_append(&all, head, (size_t)n) ? CORDON_ENOMEM : 0;
    for (size_t i = 0; !rc && i < sizeof engine_probe / sizeof engine_probe[0]; i++) {
        cordon_query q = {.name = engine_probe[i].name,
                          .name_len = strlen(engine_probe[i].name),
                          .schema = engine_probe[i].schema};
        cordon_error err;
        rc = cordon__sig_build(&q, &sig, &err);
        unsigned char len[4] = {(unsigned char)(sig.len >> 24), (unsigned char)(sig.len >> 16),
                                (unsigned char)(sig.len >> 8), (unsigned char)sig.len};
        if (!rc && (cordon__buf_append(&all, len, 4) || cordon__buf_append(&all, sig.data, sig.len)))
            rc = CORDON_ENOMEM;
    }
    if (!rc)
        cordon__sha256_hex(all.data, all.len, out);
    cordon__buf_free(&all);
    cordon__buf_free(&sig);
    return rc;
}

/* ---- reading signatures ------------------------------------------------------------ */

/* The qualifiers of a signature. */
struct quals {
    int schema;
    bool dob;
    char country[3];
};

/* One decoded slot; its strings live in `text`. */
typedef struct dslot {
    cx_slot_q q;
    char text[8 * 256 + 8 * 256];
    unsigned flags;
    unsigned role, tflags; /* of a one-token slot's token */
    uint64_t fp; /* fingerprint of the slot's view (all but its position) */
    struct quals quals;
} dslot;

static int read_list(const unsigned char *p, size_t len, size_t *i, const char **v, size_t max,
                     size_t *n, char *text, size_t *used)
{
    if (*i >= len)
        return CORDON_ECORRUPT;
    size_t count = p[(*i)++];
    if (count > max)
        return CORDON_ECORRUPT;
    for (size_t k = 0; k < count; k++) {
        if (*i >= len)
            return CORDON_ECORRUPT;
        size_t sl = p[(*i)++];
        if (sl > len - *i)
            return CORDON_ECORRUPT;
        memcpy(text + *used, p + *i, sl);
        text[*used + sl] = '\0';
        v[k] = text + *used;
        *used += sl + 1;
        *i += sl;
    }
    *n = count;
    return 0;
}

/* Decodes the next entry at *i: a slot (returns 'S'), an identifier
 * ('X', its key in ident), the qualifiers ('Q', into d->quals), 0 at the
 * end, or CORDON_ECORRUPT. */
static int next_entry(const unsigned char *p, size_t len, size_t *i, dslot *d, char ident[256])
{
    if (*i >= len)
        return 0;
    int tag = p[(*i)++];
    if (tag == 'Q') {
        if (len - *i < 4 || p[*i] >= CORDON_SCHEMA_COUNT_)
            return CORDON_ECORRUPT;
        d->quals.schema = p[*i];
        d->quals.dob = (p[*i + 1] & QUAL_DOB) != 0;
        d->quals.country[0] = (char)p[*i + 2];
        d->quals.country[1] = (char)p[*i + 3];
        d->quals.country[2] = '\0';
        *i += 4;
        return 'Q';
    }
    if (tag == 'X') {
        if (*i >= len)
            return CORDON_ECORRUPT;
        size_t n = p[(*i)++];
        if (n == 0 || n > len - *i)
            return CORDON_ECORRUPT;
        memcpy(ident, p + *i, n);
        ident[n] = '\0';
        *i += n;
        return 'X';
    }
    if (tag != 'S' || len - *i < 5)
        return CORDON_ECORRUPT;
    memset(&d->q, 0, sizeof d->q);
    d->q.first = p[(*i)++];
    size_t view_start = *i;
    d->q.n = p[(*i)++];
    d->flags = p[(*i)++];
    d->role = p[(*i)++];
    d->tflags = p[(*i)++];
    if (d->role >= CORDON_ROLE_COUNT_)
        return CORDON_ECORRUPT;
    size_t used = 0;
    cx_tokview *v = &d->q.view;
    if (read_list(p, len, i, v->forms, 8, &v->n_forms, d->text, &used) ||
        read_list(p, len, i, v->phon, 4, &v->n_phon, d->text, &used) ||
        read_list(p, len, i, v->loose, 4, &v->n_loose, d->text, &used))
        return CORDON_ECORRUPT;
    if (v->n_forms == 0 || d->q.n == 0 || d->q.first >= CX_MAX_QTOK ||
        d->q.first + d->q.n > CX_MAX_QTOK)
        return CORDON_ECORRUPT;
    d->fp = view_fp(p + view_start, *i - view_start);
    v->text = v->forms[0];
    v->nonlatin = (d->flags & SLOT_NONLATIN) != 0;
    /* as cordon__query_prepare: slots over several tokens (joined, or
     * a pair) meet by their forms only */
    v->nofuzzy = d->q.n > 1;
    d->q.initial = (d->flags & SLOT_INITIAL) != 0;
    /* a token over 255 bytes was kept empty: no table has it */
    d->q.retrievable = (d->flags & SLOT_RETRIEVABLE) != 0 && v->text[0];
    return 'S';
}

int cordon__sig_keys(const void *sig, size_t len, void (*fn)(void *ctx, uint64_t key),
                     void *ctx, bool *has_initial)
{
    const unsigned char *p = sig;
    if (has_initial)
        *has_initial = false;
    if (len == 0 || p[0] != SIG_VERSION)
        return CORDON_ECORRUPT;
    dslot *d = malloc(sizeof *d);
    if (!d)
        return CORDON_ENOMEM;
    char ident[256];
    size_t i = 1;
    int tag;
    while ((tag = next_entry(p, len, &i, d, ident)) > 0) {
        if (tag == 'Q')
            continue;
        if (tag == 'X') {
            fn(ctx, key_of(NS_IDENT, ident));
            continue;
        }
        if (d->q.initial && has_initial)
            *has_initial = true;
        if (d->q.retrievable)
            slot_keys(&d->q, fn, ctx);
    }
    free(d);
    return tag < 0 ? tag : 0;
}

/* ---- the changed entities ---------------------------------------------------------- */

#define TERM_IDENT UINT32_MAX /* the key of an identifier: a hit is enough */
/* A loose key relates its term at a fixed similarity above 0
 * (retrieve.c's relate_loose), so the pair carries this bit. */
#define TERM_BY_LOOSE 0x80000000u

typedef struct kt {
    uint64_t key;
    uint32_t term;
} kt;

#define CNAME_CODES 8

/* What a query initial meets in a listed token, by the token's `letter`
 * (see cordon__changeset_add_entity): its first letter (a word, at
 * sim_initial), an upper-case letter (a listed initial, fully), or a
 * numeral's code (a Roman numeral's value, fully: score.c's
 * CX_SIM_NUMERAL; other numerals are '0', which no initial meets). */
enum { NUMERAL_I = 1, NUMERAL_V = 5, NUMERAL_X = 10 };

static float initial_sim(char l, char initial, float sim_initial)
{
    if (l == initial)
        return sim_initial;
    if (l >= 'A' && l <= 'Z')
        return l - 'A' + 'a' == initial ? 1.0f : 0.0f;
    if (l == NUMERAL_I || l == NUMERAL_V || l == NUMERAL_X)
        return (l == NUMERAL_I && initial == 'i') || (l == NUMERAL_V && initial == 'v') ||
                       (l == NUMERAL_X && initial == 'x')
                   ? 1.0f
                   : 0.0f;
    return 0.0f;
}

/* A name of a changed entity, as cordon__name_ltoks sees it, with what
 * screen.c's adjust() looks at besides the name. */
typedef struct cname {
    uint32_t first; /* its tokens' best similarities start here in `best` */
    uint8_t n;
    uint8_t schema;  /* the entity's */
    uint8_t weak;    /* a weak alias: -0.05 */
    uint8_t dates;   /* the entity lists birth dates */
    uint8_t n_codes; /* country codes listed; CNAME_CODES + 1: more */
    char codes[CNAME_CODES][2];
    float L;        /* total weight */
    uint64_t light; /* tokens that cannot carry it (build(): essential terms) */
    float reach;    /* the least listed coverage x L that can reach the
                       threshold, with the most favourable adjustments */
} cname;

/* Where a changed term occurs: name, token, and how many tokens it
 * covers (1, or a pair term's span). */
typedef struct occ {
    uint32_t term;
    uint32_t name;
    uint8_t pos, span;
} occ;

/* Two blocked Bloom filters in one array: for every key, and for the
 * keys of essential terms only (see build()). A key picks a pair of
 * 64-bit words by its high bits and two bits in them by its low bits;
 * there are at least as many pairs as keys. An absent key passes about
 * once in a thousand probes, so most customers are done without a map
 * probe; and one cache line per probe, in 64 KB for the few thousand
 * keys of a typical update, stays in cache. */
typedef struct bloom {
    uint64_t *w;    /* w[2i]: every key; w[2i + 1]: essential ones */
    unsigned shift; /* 64 - log2(pairs) */
} key_filter;

static inline uint64_t bloom_bits(uint64_t k)
{
    return (1ull << (k & 63)) | (1ull << ((k >> 6) & 63));
}

static inline bool bloom_has(const key_filter *b, uint64_t k)
{
    uint64_t m = bloom_bits(k);
    return (b->w[2 * (k >> b->shift)] & m) == m;
}

typedef struct rel {
    uint32_t term;
    uint8_t first, n; /* query tokens [first, first + n) */
    float sim;
} rel;

struct cordon__changeset_impl {
    kt *pairs;
    size_t n_pairs, cap_pairs;
    cname *names;
    size_t n_names, cap_names;
    float *weight;        /* per token of every changed name */
    char *letter;         /* its term's first letter; upper case for a
                             one-letter term (a listed initial) */
    size_t n_tok, cap_tok;
    occ *occs;
    size_t n_occs, cap_occs;
    uint32_t *occ_start;  /* per index term: first occurrence (CSR), when built */
    uint32_t epoch;
    key_filter bloom;     /* of every key (bloom_has) */
    bool initials_matter; /* see quick_pass */
};

/* What one customer check needs for itself, so that several threads can
 * check against one changeset. */
/* Similarities already computed, by slot view and term: the same common
 * tokens meet the same changed terms customer after customer. */
#define SIMC_BITS 14

typedef struct simc {
    uint64_t fp;
    uint32_t term;
    float sim;
} simc;

/* What a one-token slot view hit in the filters (slot_bits) and what it
 * met (relate_term's results, its first letter's listed initials
 * included: slot_keys looks them up too), by the view's fingerprint.
 * Customers share most of their tokens (a million customers of the
 * benchmark have 86,000 distinct one-token views), and testing and
 * relating a view is most of a check. Views over several tokens are
 * nearly all one customer's own (a joined name) and are not kept: they
 * would only push the shared ones out. */
#define VIEWC_BITS 17
#define VIEWC_RELS 6
#define REL_NONE 0xff /* relations not kept */
enum { BIT_STRONG = 1, BIT_INIT = 2, BIT_ESS = 4, BIT_KNOWN = 8 };

typedef struct viewc {
    uint64_t fp;   /* the view's; 0 for none */
    uint8_t bits;  /* BIT_*; 0 when not known */
    uint8_t n_rel; /* or REL_NONE */
    uint32_t term[VIEWC_RELS];
    float sim[VIEWC_RELS];
} __attribute__((aligned(64))) viewc; /* a lookup reads one cache line */

/* The lowest IDF a slot view can weigh a query token by (query_side),
 * by the view's fingerprint. */
#define LOWC_BITS 12

typedef struct lowc {
    uint64_t fp;
    float low;
} lowc;

struct cordon__check {
    dslot d;
    lowc low[1u << LOWC_BITS];
    simc cache[1u << SIMC_BITS];
    viewc views[1u << VIEWC_BITS];
    /* the changed terms related to a slot, with the query tokens the slot
     * covers and its similarity */
    struct rel *rels;
    size_t n_rel, cap_rel;
    float *tokmax;   /* per changed name, CX_MAX_QTOK query tokens */
    float *best;     /* per token of every changed name */
    uint32_t *stamp; /* per changed name: the check that last touched it */
    uint32_t *touched; /* the changed names this check touched */
    size_t cap_names, cap_tok;
    uint32_t epoch;
};

typedef struct cordon__changeset_impl impl;

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 256;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return CORDON_ENOMEM;
    *p = q;
    *cap = c;
    return 0;
}

typedef struct build_ctx {
    cordon__changeset *cs;
    uint32_t term; /* with TERM_BY_LOOSE while loose keys are collected */
} build_ctx;

static void collect(void *ctx, uint64_t key)
{
    build_ctx *b = ctx;
    impl *m = b->cs->impl;
    if (b->cs->failed || grow((void **)&m->pairs, &m->cap_pairs, m->n_pairs + 1, sizeof *m->pairs)) {
        b->cs->failed = 1;
        return;
    }
    m->pairs[m->n_pairs++] = (kt){key, b->term};
}

/* The keys index_build.c files term t under, read through the engine's
 * own view of the term. */
static void term_keys(const cordon_index *idx, build_ctx *b)
{
    cx_tokview v;
    cordon__term_view(idx, b->term, &v);
    for (size_t f = 0; f < v.n_forms; f++) {
        const char *s = v.forms[f];
        size_t n = strlen(s);
        collect(b, finish(NS_FORM, poly(s, n), n));
        if (f < 4 && !v.nofuzzy) /* nofuzzy: a pair term, which has no typo keys */
            del_keys(s, n, collect, b);
    }
    for (size_t p = 0; p < v.n_phon; p++)
        collect(b, key_of(NS_PHON, v.phon[p]));
    b->term |= TERM_BY_LOOSE;
    for (size_t p = 0; p < v.n_loose; p++) {
        if (strlen(v.loose[p]) < 2)
            continue;
        collect(b, key_of(NS_LOOSE, v.loose[p]));
        if (v.nonlatin)
            collect(b, key_of(NS_LOOSE_NL, v.loose[p]));
    }
    b->term &= ~TERM_BY_LOOSE;
}

/*
 * The listed side of the bound. A name scores ALPHA x the larger of two
 * coverages plus (1 - ALPHA) x the smaller (score.c), so it scores at
 * least `floor` only if its own coverage -- the weight of its tokens that
 * aligned, each counted at its similarity, over its total weight --
 * reaches fq = (floor - ALPHA) / (1 - ALPHA). The floor is the threshold
 * less the most screen.c's adjust() can add for this customer and this
 * entity: a weak alias, a type that differs, a birth date when both give
 * one, the customer's country listed or not.
 * A token can align only with a slot related to its term (or to a pair
 * term over it), at most at that similarity. So summing, over a changed
 * name's tokens, weight x the best similarity any of the customer's
 * slots has with them bounds that coverage from above: a customer whose
 * bound stays under fq for every changed name cannot reach the
 * threshold with any. A query initial aligns a listed token without a
 * related term, by first letter: it counts at the similarity score.c
 * gives it, for every name some other slot relates to (a name no slot
 * relates to is not retrieved at all).
 */
/* screen.c's adjustments (ADJ_*) */
#define ADJ_DOB_BEST 0.03f
#define ADJ_COUNTRY_MATCH 0.02f
#define ADJ_COUNTRY_CONTRA (-0.05f)
#define ADJ_SCHEMA_PARTY (-0.15f)
#define ADJ_SCHEMA_ASSET (-0.40f)
#define ADJ_WEAK (-0.05f)

static bool party(int s) { return s == CORDON_SCHEMA_PERSON || s == CORDON_SCHEMA_ORGANIZATION; }

/* The most adjust() can add for a customer with qualifiers q and a name
 * of this entity. */
static float max_adjust(const struct quals *q, const cname *cn)
{
    float a = cn->weak ? ADJ_WEAK : 0.0f;
    if (q->schema != CORDON_SCHEMA_UNKNOWN && cn->schema != CORDON_SCHEMA_UNKNOWN &&
        q->schema != cn->schema)
        a += party(q->schema) && party(cn->schema) ? ADJ_SCHEMA_PARTY : ADJ_SCHEMA_ASSET;
    if (q->dob && cn->dates)
        a += ADJ_DOB_BEST;
    if (q->country[0] && cn->n_codes) {
        bool hit = cn->n_codes > CNAME_CODES;
        for (size_t i = 0; !hit && i < cn->n_codes; i++)
            hit = cn->codes[i][0] == q->country[0] && cn->codes[i][1] == q->country[1];
        a += hit ? ADJ_COUNTRY_MATCH : ADJ_COUNTRY_CONTRA;
    }
    return a;
}

int cordon__changeset_init(cordon__changeset *cs, const cordon_index *idx, double threshold)
{
    memset(cs, 0, sizeof *cs);
    cs->idx = idx;
    cs->threshold = threshold;
    size_t nt = idx->meta->n_terms;
    cs->term_flags = calloc(nt ? nt : 1, 1);
    cs->impl = calloc(1, sizeof(impl));
    return cs->term_flags && cs->impl ? 0 : CORDON_ENOMEM;
}

/* The caches are read at random, a few megabytes of them: on huge pages
 * a lookup is not also a TLB miss (which a virtual machine makes dear). */
cordon__check *cordon__check_new(void)
{
    enum { HUGE = 2u << 20 };
    size_t size = (sizeof(cordon__check) + HUGE - 1) / HUGE * HUGE;
    void *p = NULL;
    if (posix_memalign(&p, HUGE, size) != 0)
        return NULL;
    madvise(p, size, MADV_HUGEPAGE); /* advice: without it, only slower */
    memset(p, 0, sizeof(cordon__check));
    return p;
}

void cordon__check_free(cordon__check *ck)
{
    if (!ck)
        return;
    free(ck->rels);
    free(ck->tokmax);
    free(ck->best);
    free(ck->stamp);
    free(ck->touched);
    free(ck);
}

void cordon__changeset_free(cordon__changeset *cs)
{
    impl *m = cs->impl;
    if (m) {
        free(m->pairs);
        free(m->names);
        free(m->weight);
        free(m->letter);
        free(m->occs);
        free(m->occ_start);
        free(m->bloom.w);
        free(m);
    }
    free(cs->slots);
    free(cs->term_flags);
    memset(cs, 0, sizeof *cs);
}

static int add_occ(impl *m, uint32_t term, uint32_t name, size_t pos, size_t span)
{
    if (grow((void **)&m->occs, &m->cap_occs, m->n_occs + 1, sizeof *m->occs))
        return CORDON_ENOMEM;
    m->occs[m->n_occs++] = (occ){term, name, (uint8_t)pos, (uint8_t)span};
    return 0;
}

static void add_term(cordon__changeset *cs, uint32_t t)
{
    if (cs->term_flags[t])
        return;
    cs->term_flags[t] = 1;
    build_ctx b = {cs, t};
    term_keys(cs->idx, &b);
}

int cordon__changeset_add_entity(cordon__changeset *cs, size_t entity)
{
    const cordon_index *idx = cs->idx;
    impl *m = cs->impl;
    if (entity >= idx->meta->n_entities)
        return CORDON_EINVAL;
    const cx_entity *e = &idx->entities[entity];
    for (uint32_t k = 0; k < e->n_names && !cs->failed; k++) {
        const cx_name *nm = &idx->names[e->names + k];
        if (nm->flags & CX_NAME_SKIPPED)
            continue;
        /* as cordon__name_ltoks: at most 64 tokens count */
        size_t nl = nm->n_tokens > 64 ? 64 : nm->n_tokens;
        if (nl == 0)
            continue;
        const cx_ntoken *tk = &idx->ntokens[nm->tokens];
        if (grow((void **)&m->names, &m->cap_names, m->n_names + 1, sizeof *m->names) ||
            grow((void **)&m->weight, &m->cap_tok, m->n_tok + nl, sizeof *m->weight)) {
            cs->failed = 1;
            break;
        }
        char *letter = realloc(m->letter, m->cap_tok);
        if (!letter) {
            cs->failed = 1;
            break;
        }
        m->letter = letter;
        uint32_t c = (uint32_t)m->n_names++;
        cname *cn = &m->names[c];
        *cn = (cname){.first = (uint32_t)m->n_tok, .n = (uint8_t)nl, .schema = (uint8_t)e->schema,
                      .weak = nm->kind == CORDON_NAME_WEAK, .dates = e->n_dates > 0};
        /* the country codes adjust() compares: nationalities,
         * citizenships, other countries */
        const uint32_t firsts[] = {e->nats, e->cits, e->ctys};
        const uint32_t counts[] = {e->n_nats, e->n_cits, e->n_ctys};
        for (int g = 0; g < 3; g++)
            for (uint32_t i = 0; i < counts[g]; i++) {
                const cx_country *ct = &idx->countries[firsts[g] + i];
                if (!ct->code[0])
                    continue;
                if (cn->n_codes < CNAME_CODES)
                    memcpy(cn->codes[cn->n_codes], ct->code, 2);
                if (cn->n_codes <= CNAME_CODES)
                    cn->n_codes++;
            }
        for (size_t i = 0; i < nl; i++) {
            m->weight[m->n_tok + i] = tk[i].weight;
            cn->L += tk[i].weight;
            const char *text = idx->strings + idx->terms[tk[i].term].text;
            char l = text[0];
            if (l >= 'a' && l <= 'z' && !text[1])
                l = (char)(l - 'a' + 'A');
            /* a numeral that a query initial reads as Roman (score.c:
             * "ARGO I" against ARGO 1) */
            if (tk[i].role == CORDON_ROLE_NUMBER)
                l = !strcmp(text, "1") ? NUMERAL_I : !strcmp(text, "5") ? NUMERAL_V
                    : !strcmp(text, "10")                            ? NUMERAL_X
                                                                     : '0';
            m->letter[m->n_tok + i] = l;
        }
        m->n_tok += nl;
        for (size_t i = 0; i < nl && !cs->failed; i++) {
            if (tk[i].term < idx->meta->n_terms) {
                add_term(cs, tk[i].term);
                if (add_occ(m, tk[i].term, c, i, 1))
                    cs->failed = 1;
            }
            /* as cordon__name_ltoks: a pair counts when it fits the name */
            if (tk[i].pair_term != CX_NONE && tk[i].pair_term < idx->meta->n_terms &&
                i + tk[i].pair_n <= nl && tk[i].pair_n >= 2) {
                add_term(cs, tk[i].pair_term);
                if (add_occ(m, tk[i].pair_term, c, i, tk[i].pair_n))
                    cs->failed = 1;
            }
        }
    }
    for (uint32_t i = 0; i < e->n_idents && !cs->failed; i++) {
        const char *v = cx_str(idx, idx->idents[e->idents + i].value);
        char key[256];
        size_t kl = v ? cordon__ident_normalize(v, strlen(v), key, sizeof key) : 0;
        if (kl >= 3) {
            /* an exact identifier scores 1 whatever the names say */
            build_ctx b = {cs, TERM_IDENT};
            collect(&b, finish(NS_IDENT, poly(key, kl), kl));
        }
    }
    cs->built = false;
    return cs->failed ? CORDON_ENOMEM : 0;
}

static int kt_cmp(const void *a, const void *b)
{
    const kt *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->term < y->term ? -1 : x->term > y->term;
}

/* Sorts the (key, term) pairs, indexes the first pair of each key, and
 * groups the occurrences by term. */
static int build(cordon__changeset *cs)
{
    impl *m = cs->impl;
    kt *v = m->pairs;
    qsort(v, m->n_pairs, sizeof *v, kt_cmp);
    size_t n = 0;
    for (size_t i = 0; i < m->n_pairs; i++)
        if (n == 0 || v[i].key != v[n - 1].key || v[i].term != v[n - 1].term)
            v[n++] = v[i];
    m->n_pairs = n;
    cs->n_pairs = n;
    size_t keys = 0;
    for (size_t i = 0; i < n; i++)
        keys += i == 0 || v[i].key != v[i - 1].key;
    size_t cap = 16;
    while (cap < keys * 2)
        cap *= 2;
    free(cs->slots);
    cs->slots = calloc(cap, sizeof *cs->slots);
    if (!cs->slots)
        return CORDON_ENOMEM;
    cs->cap_slots = cap;
    for (size_t i = 0; i < n; i++) {
        if (i && v[i].key == v[i - 1].key)
            continue;
        size_t p = (size_t)v[i].key & (cap - 1);
        while (cs->slots[p])
            p = (p + 1) & (cap - 1);
        cs->slots[p] = (uint32_t)i + 1;
    }
    cs->n_keys = keys;
    /* can a name be reached through its one-letter tokens alone? (the
     * most favourable floor: the largest bonus, no penalty) */
    double alpha = cordon__params()->alpha;
    double fq_min = (cs->threshold - 0.05 - alpha) / (1.0 - alpha) - 0.001;
    float sli = cordon__params()->sim_listed_initial;
    m->initials_matter = false;
    for (size_t c = 0; c < m->n_names && !m->initials_matter; c++) {
        const cname *cn = &m->names[c];
        float w1 = 0.0f;
        for (size_t k = 0; k < cn->n; k++)
            if (m->letter[cn->first + k] >= 'A' && m->letter[cn->first + k] <= 'Z')
                w1 += m->weight[cn->first + k];
        if (w1 > 0.0f && sli * w1 >= fq_min * cn->L)
            m->initials_matter = true;
    }
    /*
     * Essential terms: the listed side's MaxScore. A customer reaches a
     * name only if its listed coverage reaches fq (see max_adjust); so
     * the lightest tokens of the name, while their weights add up to less
     * than fq x L, cannot carry it alone, and a customer that relates to
     * none of the others (the essential ones, or a pair over one) cannot
     * reach it -- unless its own initials align tokens by their letters,
     * which meets() checks apart. fq is the name's most favourable: the
     * largest bonus (birth date and country), no penalty but a weak
     * alias's.
     */
    for (size_t c = 0; c < m->n_names; c++) {
        const cname *cn = &m->names[c];
        double best = (cn->weak ? ADJ_WEAK : 0.0f) + ADJ_DOB_BEST + ADJ_COUNTRY_MATCH;
        double fq = (cs->threshold - best - alpha) / (1.0 - alpha) - 0.002;
        const float *w = m->weight + cn->first;
        uint64_t light = 0; /* the tokens that are not essential */
        float sum = 0.0f;
        while (fq > 0.0) {
            size_t pick = cn->n;
            for (size_t k = 0; k < cn->n; k++)
                if (!(light >> k & 1) && (pick == cn->n || w[k] < w[pick]))
                    pick = k;
            if (pick == cn->n || sum + w[pick] >= fq * cn->L)
                break;
            sum += w[pick];
            light |= 1ull << pick;
        }
        m->names[c].light = light;
        /* a little below, so that it never rejects what meets() keeps */
        m->names[c].reach = (float)((fq - 0.001) * cn->L);
    }
    for (size_t i = 0; i < m->n_occs; i++) {
        const occ *x = &m->occs[i];
        uint64_t span = x->span >= 64 ? ~0ull : ((1ull << x->span) - 1) << x->pos;
        uint64_t all = m->names[x->name].n >= 64 ? ~0ull : (1ull << m->names[x->name].n) - 1;
        if (span & all & ~m->names[x->name].light)
            cs->term_flags[x->term] = 2;
    }
    unsigned lg = 6; /* at least 64 pairs of words */
    while (lg < 25 && ((size_t)1 << lg) < keys)
        lg++;
    free(m->bloom.w);
    m->bloom.w = calloc((size_t)2 << lg, sizeof *m->bloom.w);
    if (!m->bloom.w)
        return CORDON_ENOMEM;
    m->bloom.shift = 64 - lg;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = v[i].key;
        uint32_t t = v[i].term & ~TERM_BY_LOOSE;
        uint64_t *w = &m->bloom.w[2 * (k >> m->bloom.shift)];
        w[0] |= bloom_bits(k);
        if (v[i].term == TERM_IDENT || cs->term_flags[t] == 2)
            w[1] |= bloom_bits(k);
    }
    /* occurrences by term (counting sort into CSR offsets) */
    size_t nt = cs->idx->meta->n_terms;
    free(m->occ_start);
    m->occ_start = calloc(nt + 1, sizeof *m->occ_start);
    occ *sorted = malloc((m->n_occs ? m->n_occs : 1) * sizeof *sorted);
    if (!m->occ_start || !sorted) {
        free(sorted);
        return CORDON_ENOMEM;
    }
    for (size_t i = 0; i < m->n_occs; i++)
        m->occ_start[m->occs[i].term + 1]++;
    for (size_t t = 0; t < nt; t++)
        m->occ_start[t + 1] += m->occ_start[t];
    uint32_t *fill = calloc(nt ? nt : 1, sizeof *fill);
    if (!fill) {
        free(sorted);
        return CORDON_ENOMEM;
    }
    for (size_t i = 0; i < m->n_occs; i++) {
        uint32_t t = m->occs[i].term;
        sorted[m->occ_start[t] + fill[t]++] = m->occs[i];
    }
    free(fill);
    free(m->occs);
    m->occs = sorted;
    m->cap_occs = m->n_occs;
    cs->built = true;
    return 0;
}

/* First pair of key k, or -1. */
static long find_key(const cordon__changeset *cs, uint64_t k)
{
    const kt *v = cs->impl->pairs;
    size_t mask = cs->cap_slots - 1;
    for (size_t p = (size_t)k & mask; cs->slots[p]; p = (p + 1) & mask)
        if (v[cs->slots[p] - 1].key == k)
            return (long)cs->slots[p] - 1;
    return -1;
}

#define SEEN_MAX 64

typedef struct probe {
    const cordon__changeset *cs;
    cordon__check *ck;
    const cx_slot_q *slot;
    bool ident; /* an identifier matched: a candidate outright */
    bool failed;
    /* terms this slot was already compared with (a term is often met
     * through several keys: its form, its deletions, its phonetic key) */
    uint32_t seen[SEEN_MAX];
    float seen_sim[SEEN_MAX];
    size_t n_seen;
    uint64_t fp; /* the slot's fingerprint */
} probe;

/* Notes that term t relates to the current slot at `sim` (> 0). */
static void relate_term(probe *p, uint32_t t, float sim)
{
    cordon__check *m = p->ck;
    uint8_t first = p->slot->first, n = p->slot->n;
    for (size_t i = 0; i < m->n_rel; i++) {
        rel *r = &m->rels[i];
        if (r->term == t && r->first == first && r->n == n) {
            if (sim > r->sim)
                r->sim = sim;
            return;
        }
    }
    if (grow((void **)&m->rels, &m->cap_rel, m->n_rel + 1, sizeof *m->rels)) {
        p->failed = true;
        return;
    }
    m->rels[m->n_rel++] = (rel){t, first, n, sim > 1.0f ? 1.0f : sim};
}

static void probe_key(void *ctx, uint64_t k)
{
    probe *p = ctx;
    if (p->ident || p->failed)
        return;
    /* most keys are not there: one bit says so without probing the map */
    if (!bloom_has(&p->cs->impl->bloom, k))
        return;
    long i = find_key(p->cs, k);
    if (i < 0)
        return;
    const kt *v = p->cs->impl->pairs;
    for (size_t j = (size_t)i; j < p->cs->n_pairs && v[j].key == k; j++) {
        uint32_t t = v[j].term;
        if (t == TERM_IDENT) {
            p->ident = true;
            return;
        }
        if (!p->slot)
            continue;
        bool loose = (t & TERM_BY_LOOSE) != 0;
        t &= ~TERM_BY_LOOSE;
        float sim = -1.0f;
        for (size_t q = 0; q < p->n_seen; q++)
            if (p->seen[q] == t) {
                sim = p->seen_sim[q];
                break;
            }
        simc *c = NULL;
        if (sim < 0.0f) {
            c = &p->ck->cache[(p->fp ^ (t * 0x9e3779b97f4a7c15ull)) >> (64 - SIMC_BITS)];
            if (c->fp == p->fp && c->term == t && p->fp)
                sim = c->sim;
        }
        if (sim < 0.0f) {
            cx_tokview tv;
            cordon__term_view(p->cs->idx, t, &tv);
            int m = CX_SIM_NONE;
            sim = cordon__slot_sim(p->slot, &tv, &m);
            *c = (simc){p->fp, t, sim};
        }
        if (c) {
            if (p->n_seen < SEEN_MAX) {
                p->seen[p->n_seen] = t;
                p->seen_sim[p->n_seen++] = sim;
            }
        }
        /* a term met by a loose key alone is related at the loose
         * similarity (retrieve.c: cordon__loose_sim, which reads no
         * digits, forms or other keys), else at the full one: the larger
         * bounds both */
        if (loose && p->slot) {
            float ls = cordon__loose_sim(&p->slot->view,
                                         p->cs->idx->strings + p->cs->idx->terms[t].text, 1);
            if (ls > sim)
                sim = ls;
        }
        /* a term met by a key, even at similarity 0, lets screening
         * retrieve its names (retrieve.c bounds the similarity of terms
         * met by sound alone until it scores them), where the query's
         * initials can align other tokens by letter: it is kept, at 0 */
        relate_term(p, t, sim > 0.0f ? sim : 0.0f);
    }
}

int cordon__changeset_build(cordon__changeset *cs)
{
    return cs->built ? 0 : build(cs);
}

/*
 * The query side of the bound. A name's score also needs the query's own
 * coverage: the weight of its tokens that aligned (each at its
 * similarity) over all its weight W. Screening weighs a token by the IDF
 * of the term it resembles most (1 when it resembles none) times its
 * role. For the tokens that relate to the changed name, take the largest
 * weight a token can have (its role factor, IDF <= 1) at the best
 * similarity it has with the name; for the others, the smallest: the
 * lowest IDF among the terms the index relates the token to (the lookups
 * of retrieve.c's relate_all, against the whole index), which the term it
 * resembles most is one of. Coverage is then at most A / (A + U): A the
 * first sum, U the second (counting a matched token at its similarity in
 * the denominator only lowers W, so this is an upper bound).
 */
typedef struct qside {
    size_t n_tok;
    float rf[CX_MAX_QTOK]; /* role factor of each query token */
    float lb[CX_MAX_QTOK]; /* lowest weight it can have */
} qside;

static void low_idf(const cordon_index *idx, const uint32_t *v, uint32_t n, float *mn)
{
    for (uint32_t k = 0; k < n; k++) {
        if (v[k] >= idx->meta->n_terms)
            continue;
        const cx_term *t = &idx->terms[v[k]];
        /* pair terms never weigh a token */
        if (!(t->flags & CX_TERM_PAIR) && t->idf < *mn)
            *mn = t->idf;
    }
}

static void low_slot(const cordon_index *idx, const cx_slot *slot, float *mn)
{
    if (slot)
        low_idf(idx, cx_slot_values(idx, slot), slot->val_len, mn);
}

/* The lowest IDF of a term relate_all can relate to slot sl (the
 * initial-letter lookup aside: a listed initial never weighs a token). */
static float slot_low_idf(const cordon_index *idx, const cx_slot_q *sl)
{
    const cx_meta *m = idx->meta;
    float mn = 1.0f;
    for (size_t f = 0; f < sl->view.n_forms; f++) {
        const char *form = sl->view.forms[f];
        size_t fl = strlen(form);
        low_slot(idx, cordon__index_lookup(idx, idx->tab_form, m->tab_form_cap, form, fl), &mn);
        if (f >= 4 || fl < 3 || fl > 120 || has_digit(form))
            continue;
        const uint32_t *v;
        uint32_t n;
        cordon__index_lookup_del(idx, cx_hash(form, fl), &v, &n);
        low_idf(idx, v, n, &mn);
        if (fl < CX_FUZZY_MIN_LEN)
            continue;
        char del[128];
        for (size_t k = 0; k < fl; k++) {
            memcpy(del, form, k);
            memcpy(del + k, form + k + 1, fl - k - 1);
            cordon__index_lookup_del(idx, cx_hash(del, fl - 1), &v, &n);
            low_idf(idx, v, n, &mn);
        }
    }
    for (size_t k = 0; k < sl->view.n_phon; k++) {
        size_t kl = strlen(sl->view.phon[k]);
        if (kl >= 2)
            low_slot(idx, cordon__index_lookup(idx, idx->tab_phon, m->tab_phon_cap,
                                               sl->view.phon[k], kl),
                     &mn);
    }
    for (size_t k = 0; k < sl->view.n_loose; k++) {
        size_t kl = strlen(sl->view.loose[k]);
        if (kl >= 2)
            low_slot(idx,
                     sl->view.nonlatin
                         ? cordon__index_lookup(idx, idx->tab_loose, m->tab_loose_cap,
                                                sl->view.loose[k], kl)
                         : cordon__index_lookup(idx, idx->tab_loose_nl, m->tab_loose_nl_cap,
                                                sl->view.loose[k], kl),
                     &mn);
    }
    return mn;
}

static int query_side(const cordon__changeset *cs, cordon__check *ck, const unsigned char *p,
                      size_t len, qside *qs)
{
    memset(qs, 0, sizeof *qs);
    size_t i = 1;
    int tag;
    char ident[256];
    dslot *d = &ck->d;
    while ((tag = next_entry(p, len, &i, d, ident)) > 0) {
        if (tag != 'S' || d->q.n != 1)
            continue;
        size_t t = d->q.first;
        qs->rf[t] = cordon__role_factor((cordon_token_role)d->role, d->tflags);
        /* an initial relates to nothing: it weighs 1 x its role */
        float low = 1.0f;
        if (d->q.retrievable) {
            lowc *c = &ck->low[d->fp >> (64 - LOWC_BITS)];
            if (c->fp != d->fp)
                *c = (lowc){d->fp, slot_low_idf(cs->idx, &d->q)};
            low = c->low;
        }
        qs->lb[t] = qs->rf[t] * low;
        if (t + 1 > qs->n_tok)
            qs->n_tok = t + 1;
    }
    return tag < 0 ? tag : 0;
}

/* The most of the query's weight that can align with changed name c. */
static double query_coverage(const cordon__changeset *cs, const cordon__check *ck,
                             const qside *qs, uint32_t c, const char *initials,
                             const uint8_t *initial_at, size_t n_initials)
{
    const impl *m = cs->impl;
    const cname *cn = &m->names[c];
    float sim[CX_MAX_QTOK] = {0};
    for (size_t r = 0; r < ck->n_rel; r++) {
        const rel *rl = &ck->rels[r];
        bool in = false;
        for (uint32_t o = m->occ_start[rl->term]; o < m->occ_start[rl->term + 1] && !in; o++)
            in = m->occs[o].name == c;
        if (!in)
            continue;
        for (size_t t = rl->first; t < (size_t)rl->first + rl->n && t < CX_MAX_QTOK; t++)
            if (rl->sim > sim[t])
                sim[t] = rl->sim;
    }
    const float sim_initial = cordon__params()->sim_initial;
    for (size_t qi = 0; qi < n_initials; qi++)
        for (size_t k = 0; k < cn->n; k++) {
            float si = initial_sim(m->letter[cn->first + k], initials[qi], sim_initial);
            if (initial_at[qi] < CX_MAX_QTOK && si > sim[initial_at[qi]])
                sim[initial_at[qi]] = si;
        }
    double A = 0.0, U = 0.0;
    for (size_t t = 0; t < qs->n_tok; t++) {
        if (sim[t] > 0.0f)
            A += (sim[t] > 1.0f ? 1.0f : sim[t]) * qs->rf[t];
        else
            U += qs->lb[t];
    }
    return A > 0.0 ? A / (A + U) : 0.0;
}

/* Key bits for the fast path: some key in the filter of all keys, some
 * in the filter of essential ones. */
typedef struct bits {
    const key_filter *bloom;
    bool hit, ess;
} bits;

static void bit_test(void *ctx, uint64_t k)
{
    bits *b = ctx;
    uint64_t m = bloom_bits(k);
    const uint64_t *w = &b->bloom->w[2 * (k >> b->bloom->shift)];
    b->hit |= (w[0] & m) == m;
    b->ess |= (w[1] & m) == m;
}

/* Tests every key a slot looks up against the filters, straight from
 * the signature's bytes: into *strong (and *ess) for the keys of its
 * forms, deletions, phonetic and loose keys, into *init (and *ess) for
 * its first letter (which meets only listed initials). */
static void slot_bits(const key_filter *bloom, const unsigned char *p, size_t width, unsigned flags,
                      const size_t *str_at, const uint8_t *str_len, const uint8_t count[3],
                      bool *strong, bool *init, bool *ess)
{
    bits b = {bloom, false, false}, bi = {bloom, false, false};
    size_t k = 0;
    for (int list = 0; list < 3; list++)
        for (size_t c = 0; c < count[list]; c++, k++) {
            const char *str = (const char *)p + str_at[k];
            size_t n = str_len[k];
            if (b.ess) /* implies b.hit */
                continue;
            if (list == 0) {
                bit_test(&b, finish(NS_FORM, poly(str, n), n));
                bool digit = false;
                for (size_t j = 0; j < n && !digit; j++)
                    digit = str[j] >= '0' && str[j] <= '9';
                if (width == 1 && c < 4 && n >= 3 && n <= 120 && !digit)
                    del_keys(str, n, bit_test, &b);
            } else if (n >= 2) {
                int ns = list == 1 ? NS_PHON : (flags & SLOT_NONLATIN) ? NS_LOOSE : NS_LOOSE_NL;
                bit_test(&b, finish(ns, poly(str, n), n));
            }
        }
    if (width == 1 && str_len[0] >= 2)
        bit_test(&bi, finish(NS_FORM, poly((const char *)p + str_at[0], 1), 1));
    *strong = b.hit;
    *init = bi.hit;
    *ess = b.ess || bi.ess;
}

/* The cached entry of a one-token view, or NULL. */
static viewc *view_cached(cordon__check *ck, uint64_t fp)
{
    viewc *e = &ck->views[fp >> (64 - VIEWC_BITS)];
    return e->fp == fp ? e : NULL;
}

/* The entry for view fp, taken over from whatever view had it. */
static viewc *view_claim(cordon__check *ck, uint64_t fp)
{
    viewc *e = &ck->views[fp >> (64 - VIEWC_BITS)];
    e->fp = fp;
    e->bits = 0;
    e->n_rel = REL_NONE;
    return e;
}

/* Runs the slow path for the slot whose entry starts at `at`: its keys
 * against the map, its similarities with the terms found; the relations
 * go to ck->rels. With `keep`, they are remembered in the view's cache
 * entry, if it has one. */
static int slot_relations(const cordon__changeset *cs, cordon__check *ck, probe *pr,
                          const unsigned char *p, size_t len, size_t at, bool keep)
{
    dslot *d = &ck->d;
    char ident[256];
    size_t i = at;
    int tag = next_entry(p, len, &i, d, ident);
    if (tag != 'S')
        return tag < 0 ? tag : CORDON_ECORRUPT;
    if (!d->q.retrievable)
        return 0;
    size_t before = ck->n_rel;
    pr->slot = &d->q;
    pr->fp = d->fp;
    pr->n_seen = 0;
    slot_keys(&d->q, probe_key, pr);
    if (pr->failed)
        return CORDON_ENOMEM;
    viewc *e = keep ? view_cached(ck, d->fp) : NULL;
    if (e && ck->n_rel - before <= VIEWC_RELS) {
        e->n_rel = (uint8_t)(ck->n_rel - before);
        for (size_t k = 0; k < e->n_rel; k++) {
            e->term[k] = ck->rels[before + k].term;
            e->sim[k] = ck->rels[before + k].sim;
        }
    }
    (void)cs;
    return 0;
}

/* The relations of a slot none of whose keys but its first letter's
 * passed the filter (so no other key is in the map): that key alone. */
static int slot_initial(cordon__check *ck, probe *pr, const unsigned char *p, size_t len,
                        size_t at)
{
    dslot *d = &ck->d;
    char ident[256];
    size_t i = at;
    int tag = next_entry(p, len, &i, d, ident);
    if (tag != 'S')
        return tag < 0 ? tag : CORDON_ECORRUPT;
    const cx_slot_q *sl = &d->q;
    if (!sl->retrievable || sl->n != 1 || !sl->view.text[0] || !sl->view.text[1])
        return 0;
    pr->slot = sl;
    pr->fp = d->fp;
    pr->n_seen = 0;
    probe_key(pr, finish(NS_FORM, poly(sl->view.text, 1), 1));
    return pr->failed ? CORDON_ENOMEM : 0;
}

#define DEFER_MAX CX_MAX_SLOTS

/* A slot some key of which passed the filter: where its entry and its
 * view are in the signature, its query tokens, and whether a key other
 * than its first letter's passed. */
typedef struct met_slot {
    size_t at;
    uint64_t fp; /* of the view */
    uint8_t first, width;
    bool strong;
} met_slot;

int cordon__changeset_meets(const cordon__changeset *cs, cordon__check *ck, const void *sig,
                            size_t len)
{
    if (!cs->built)
        return CORDON_EINVAL;
    const unsigned char *p = sig;
    if (len == 0 || p[0] != SIG_VERSION)
        return CORDON_ECORRUPT;
    if (cs->n_keys == 0)
        return 0;
    const impl *m = cs->impl;
    ck->n_rel = 0;
    /* without qualifiers (none were kept): assume the largest bonus */
    struct quals q = {CORDON_SCHEMA_UNKNOWN, true, "??"};
    char initials[CX_MAX_QTOK];
    uint8_t initial_at[CX_MAX_QTOK]; /* the query token each initial is */
    size_t n_initials = 0;
    size_t deferred[DEFER_MAX]; /* slots met by their first letter only */
    size_t n_deferred = 0;
    met_slot met[DEFER_MAX]; /* slots some key of which passed the filter */
    size_t n_met = 0;
    bool any_ess = false;
    size_t qn = 0; /* query tokens: [0, qn) */
    probe pr; /* not zeroed whole: its `seen` is read up to n_seen only */
    pr.cs = cs;
    pr.ck = ck;
    pr.slot = NULL;
    pr.ident = pr.failed = false;
    pr.n_seen = 0;
    pr.fp = 0;
    size_t i = 1;
    while (i < len) {
        size_t at = i;
        int tag = p[i++];
        if (tag == 'Q') {
            if (len - i < 4 || p[i] >= CORDON_SCHEMA_COUNT_)
                return CORDON_ECORRUPT;
            q.schema = p[i];
            q.dob = (p[i + 1] & QUAL_DOB) != 0;
            q.country[0] = (char)p[i + 2];
            q.country[1] = (char)p[i + 3];
            q.country[2] = '\0';
            i += 4;
            continue;
        }
        if (tag == 'X') {
            if (i >= len)
                return CORDON_ECORRUPT;
            size_t n = p[i++];
            if (n == 0 || n > len - i)
                return CORDON_ECORRUPT;
            uint64_t k = finish(NS_IDENT, poly((const char *)p + i, n), n);
            i += n;
            if (bloom_has(&m->bloom, k)) {
                pr.slot = NULL;
                probe_key(&pr, k);
                if (pr.ident)
                    return 1;
            }
            continue;
        }
        if (tag != 'S' || len - i < 5)
            return CORDON_ECORRUPT;
        size_t first = p[i], width = p[i + 1];
        unsigned flags = p[i + 2];
        if (width == 0 || first >= CX_MAX_QTOK || first + width > CX_MAX_QTOK ||
            p[i + 3] >= CORDON_ROLE_COUNT_)
            return CORDON_ECORRUPT;
        size_t view_start = i + 1;
        i += 5;
        if (first + width > qn)
            qn = first + width;
        size_t str_at[16];
        uint8_t str_len[16], count[3];
        static const size_t max[3] = {8, 4, 4};
        size_t k = 0;
        for (int list = 0; list < 3; list++) {
            if (i >= len)
                return CORDON_ECORRUPT;
            count[list] = p[i++];
            if (count[list] > max[list] || (list == 0 && count[list] == 0))
                return CORDON_ECORRUPT;
            for (size_t c = 0; c < count[list]; c++, k++) {
                if (i >= len)
                    return CORDON_ECORRUPT;
                size_t n = p[i++];
                if (n > len - i)
                    return CORDON_ECORRUPT;
                str_at[k] = i;
                str_len[k] = (uint8_t)n;
                i += n;
            }
        }
        if ((flags & SLOT_INITIAL) && str_len[0] && n_initials < CX_MAX_QTOK) {
            initial_at[n_initials] = (uint8_t)first;
            initials[n_initials++] = (char)p[str_at[0]];
        }
        /* a token over 255 bytes was kept empty: no table has it */
        if (!(flags & SLOT_RETRIEVABLE) || str_len[0] == 0)
            continue;
        /* a view over several tokens is not cached: no fingerprint */
        uint64_t fp = width == 1 ? view_fp(p + view_start, i - view_start) : 0;
        viewc *e = width == 1 ? view_cached(ck, fp) : NULL;
        uint8_t hit = e ? e->bits : 0;
        if (!hit) {
            bool strong, init, ess;
            slot_bits(&m->bloom, p, width, flags, str_at, str_len, count, &strong, &init, &ess);
            hit = (uint8_t)(BIT_KNOWN | (strong ? BIT_STRONG : 0) | (init ? BIT_INIT : 0) |
                             (ess ? BIT_ESS : 0));
            if (width == 1)
                view_claim(ck, fp)->bits = hit;
        }
        any_ess |= (hit & BIT_ESS) != 0;
        if (hit & (BIT_STRONG | BIT_INIT)) {
            if (n_met == DEFER_MAX)
                return 1; /* cannot happen (CX_MAX_SLOTS): be safe */
            met[n_met++] = (met_slot){at, fp, (uint8_t)first, (uint8_t)width,
                                      (hit & BIT_STRONG) != 0};
        }
    }
    /* No essential term met: no changed name can be reached, unless the
     * customer's initials align its tokens by letter */
    if (!any_ess && !n_initials)
        return 0;
    for (size_t k = 0; k < n_met; k++) {
        const met_slot *ms = &met[k];
        if (!ms->strong) {
            deferred[n_deferred++] = ms->at;
            continue;
        }
        /* a key passed: what this view met may be known already */
        const viewc *e = ms->width == 1 ? view_cached(ck, ms->fp) : NULL;
        if (e && e->n_rel != REL_NONE) {
            for (size_t r = 0; r < e->n_rel; r++) {
                rel x = {e->term[r], ms->first, ms->width, e->sim[r]};
                if (grow((void **)&ck->rels, &ck->cap_rel, ck->n_rel + 1, sizeof *ck->rels))
                    return CORDON_ENOMEM;
                ck->rels[ck->n_rel++] = x;
            }
            continue;
        }
        int rc = slot_relations(cs, ck, &pr, p, len, ms->at, ms->width == 1);
        if (rc)
            return rc;
    }
    /* Relations at 0 matter only to initials (see probe_key). */
    if (!n_initials) {
        size_t k = 0;
        for (size_t r = 0; r < ck->n_rel; r++)
            if (ck->rels[r].sim > 0.0f)
                ck->rels[k++] = ck->rels[r];
        ck->n_rel = k;
    }
    /* A slot's first letter only meets a listed initial (a one-letter
     * token), at sim_listed_initial. Those meetings add to every name the
     * customer touches otherwise ("Ahmed Kabir" against "A. KABIR": the
     * initial is a fifth of that name's weight), so they are looked at
     * whenever the customer met anything else. Without query initials, a
     * customer that meets nothing else covers at most sim_listed_initial
     * of the one-letter tokens of a name: when no changed name reaches
     * the threshold so (initials_matter), they can be skipped. */
    if (n_deferred && (ck->n_rel || n_initials || m->initials_matter))
        for (size_t k = 0; k < n_deferred; k++) {
            int rc = slot_initial(ck, &pr, p, len, deferred[k]);
            if (rc)
                return rc;
        }
    const bool initial = n_initials > 0;
    qside qs;
    bool have_query = false;
    /* a name no slot relates to is never retrieved, initials or not */
    if (ck->n_rel == 0)
        return 0;
    /* The bound on each changed name the customer touches, two ways:
     * each listed token at the best similarity any slot has with it
     * (best[]), and each query token at the best pair it is part of
     * (tokmax[]): a pair of the alignment uses its query tokens and its
     * listed tokens once, so either sum bounds what aligns. */
    if (ck->cap_names < m->n_names || ck->cap_tok < m->n_tok) {
        size_t nn = m->n_names, nt = m->n_tok ? m->n_tok : 1;
        float *tm = realloc(ck->tokmax, (nn ? nn : 1) * CX_MAX_QTOK * sizeof *tm);
        if (tm)
            ck->tokmax = tm;
        float *be = tm ? realloc(ck->best, nt * sizeof *be) : NULL;
        if (be)
            ck->best = be;
        uint32_t *st = be ? realloc(ck->stamp, (nn ? nn : 1) * sizeof *st) : NULL;
        if (st)
            ck->stamp = st;
        uint32_t *to = st ? realloc(ck->touched, (nn ? nn : 1) * sizeof *to) : NULL;
        if (!to)
            return CORDON_ENOMEM;
        ck->touched = to;
        memset(ck->stamp, 0, (nn ? nn : 1) * sizeof *st);
        ck->cap_names = nn;
        ck->cap_tok = nt;
        ck->epoch = 0;
    }
    if (++ck->epoch == 0) {
        memset(ck->stamp, 0, ck->cap_names * sizeof *ck->stamp);
        ck->epoch = 1;
    }
    const float sim_initial = cordon__params()->sim_initial;
    size_t n_touched = 0;
    for (size_t r = 0; r < ck->n_rel; r++) {
        const rel *rl = &ck->rels[r];
        for (uint32_t o = m->occ_start[rl->term]; o < m->occ_start[rl->term + 1]; o++) {
            const occ *x = &m->occs[o];
            const cname *cn = &m->names[x->name];
            float *tm = ck->tokmax + (size_t)x->name * CX_MAX_QTOK;
            float *best = ck->best + cn->first;
            if (ck->stamp[x->name] != ck->epoch) {
                ck->stamp[x->name] = ck->epoch;
                ck->touched[n_touched++] = x->name;
                memset(best, 0, cn->n * sizeof *best);
                memset(tm, 0, qn * sizeof *tm);
                /* a query initial aligns any token with its first letter
                 * (score.c: a listed initial fully, a word at
                 * sim_initial, a Roman numeral's value fully) */
                for (size_t k = 0; initial && k < cn->n; k++) {
                    char l = m->letter[cn->first + k];
                    float w = m->weight[cn->first + k];
                    for (size_t qi = 0; qi < n_initials; qi++) {
                        float si = initial_sim(l, initials[qi], sim_initial);
                        if (si > best[k])
                            best[k] = si;
                        if (si * w > tm[initial_at[qi]])
                            tm[initial_at[qi]] = si * w;
                    }
                }
            }
            float wspan = 0.0f;
            for (size_t k = x->pos; k < (size_t)x->pos + x->span && k < cn->n; k++) {
                wspan += m->weight[cn->first + k];
                if (rl->sim > best[k])
                    best[k] = rl->sim;
            }
            float contrib = rl->sim * wspan;
            for (size_t qt = rl->first; qt < (size_t)rl->first + rl->n; qt++)
                if (contrib > tm[qt])
                    tm[qt] = contrib;
        }
    }
    const double a = cordon__params()->alpha;
    for (size_t t = 0; t < n_touched; t++) {
        uint32_t c = ck->touched[t];
        const cname *cn = &m->names[c];
        const float *tm = ck->tokmax + (size_t)c * CX_MAX_QTOK;
        const float *best = ck->best + cn->first;
        float by_listed = 0.0f, by_query = 0.0f;
        for (size_t k = 0; k < cn->n; k++)
            by_listed += m->weight[cn->first + k] * best[k];
        for (size_t qt = 0; qt < qn; qt++)
            by_query += tm[qt];
        float ml = by_listed < by_query ? by_listed : by_query;
        if (ml < cn->reach)
            continue;
        double floor = cs->threshold - max_adjust(&q, cn);
        /* a margin for float rounding in the scorer: erring low only
         * lets more customers through */
        double fq = (floor - a) / (1.0 - a) - 0.001;
        if (ml < fq * cn->L)
            continue;
        /* the listed side allows it: now the query side */
        if (!have_query) {
            int qrc = query_side(cs, ck, p, len, &qs);
            if (qrc)
                return qrc;
            have_query = true;
        }
        double cl = cn->L > 0.0f ? ml / cn->L : 0.0;
        double cq = query_coverage(cs, ck, &qs, c, initials, initial_at, n_initials);
        double hi = cq > cl ? cq : cl, lo = cq > cl ? cl : cq;
        if (a * hi + (1.0 - a) * lo >= floor - 0.001)
            return 1;
    }
    return 0;
}

void cordon__changeset_prefetch(cordon__check *ck, const void *sig, size_t len)
{
    const unsigned char *p = sig;
    size_t i = 1;
    while (i < len) {
        int tag = p[i++];
        if (tag == 'Q') {
            i += 4;
            continue;
        }
        if (tag == 'X') {
            if (i >= len)
                return;
            i += 1 + (size_t)p[i];
            continue;
        }
        if (tag != 'S' || len - i < 5)
            return;
        size_t width = p[i + 1];
        unsigned flags = p[i + 2];
        size_t view_start = i + 1;
        i += 5;
        for (int list = 0; list < 3 && i < len; list++) {
            size_t count = p[i++];
            for (size_t c = 0; c < count && i < len; c++)
                i += 1 + (size_t)p[i];
        }
        if (i > len)
            return;
        if (width == 1 && (flags & SLOT_RETRIEVABLE))
            __builtin_prefetch(&ck->views[view_fp(p + view_start, i - view_start) >>
                                          (64 - VIEWC_BITS)]);
    }
}

size_t cordon__changeset_keys(const cordon__changeset *cs)
{
    return cs->impl ? cs->impl->n_pairs : 0;
}
