/*
 * index_int.h — the layout of a compiled index image and the internal
 * API of the matching engine (index_build.c, index_file.c, strsim.c,
 * retrieve.c, score.c, ofac_score.c, screen.c, explain.c).
 *
 * An image is one little-endian byte block: a header, a section table,
 * then sections aligned to 8 bytes. Everything inside refers to other
 * things by 32-bit index or offset, never by pointer, so the same bytes
 * serve a freshly built index and an mmap'd snapshot.
 *
 * Strings live in the STRINGS section, NUL-terminated, referred to by
 * offset; offset 0 means NULL. Variable-length lists of u32 (string
 * offsets, postings, table values) live in the U32 section, referred to
 * by (offset, count) in u32 units.
 */
#ifndef CORDON_INDEX_INT_H
#define CORDON_INDEX_INT_H

#include "cordon_int.h"

#define CX_MAGIC "CORDONIX"
#define CX_ENDIAN_MARK 0x01020304u
#define CX_NONE UINT32_MAX

enum cx_section_id {
    CX_SEC_META = 1,
    CX_SEC_STRINGS,
    CX_SEC_U32,
    CX_SEC_SOURCES,
    CX_SEC_ENTITIES,
    CX_SEC_DATES,
    CX_SEC_COUNTRIES,
    CX_SEC_IDENTS,
    CX_SEC_NAMES,
    CX_SEC_NTOKENS,
    CX_SEC_TERMS,
    CX_SEC_TAB_FORM,  /* form text -> term ids */
    CX_SEC_TAB_DEL,   /* hash of a form or a one-deletion of it -> term ids */
    CX_SEC_TAB_PHON,  /* Double Metaphone key -> term ids */
    CX_SEC_TAB_IDENT, /* normalized identifier value -> ident indexes */
    CX_SEC_BYID,      /* entity indexes sorted by id */
    CX_SEC_TAB_LOOSE, /* loose consonant key -> term ids */
    CX_SEC_TAB_LOOSE_NL, /* the same, terms written in a non-Latin script only */
    CX_SEC_ENTITY_HASH,  /* per entity: cordon_entity_hash, 32 bytes */
    CX_SEC_COUNT_
};

typedef struct cx_header {
    char magic[8];
    uint32_t endian;       /* CX_ENDIAN_MARK as written */
    uint32_t version;      /* CORDON_INDEX_FORMAT_VERSION */
    uint64_t file_size;    /* whole image, bytes */
    uint32_t header_size;  /* header + section table, bytes */
    uint32_t n_sections;
    char content_sha256[64]; /* hex, over every section in table order */
    uint32_t header_crc;   /* CRC-32 of header + table with this field 0 */
    uint32_t reserved;
} cx_header;

typedef struct cx_section {
    uint32_t id;
    uint32_t crc; /* CRC-32 of the section bytes */
    uint64_t offset;
    uint64_t size;
} cx_section;

typedef struct cx_meta {
    uint32_t n_sources, n_entities, n_names, n_terms;
    uint32_t n_ntokens, n_idents, n_dates, n_countries;
    uint32_t n_indexed_names; /* names with at least one token */
    uint32_t tab_form_cap, tab_del_cap, tab_phon_cap, tab_ident_cap;
    uint32_t tab_loose_cap, tab_loose_nl_cap;
    uint32_t reserved[5];
} cx_meta;

typedef struct cx_source {
    uint32_t name, format, files, n_files, published, sha256;
    uint32_t n_entities, n_by_schema[CORDON_SCHEMA_COUNT_], n_names;
    uint32_t warnings, n_warnings;
} cx_source;

typedef struct cx_entity {
    uint32_t id, source, native_id, schema;
    uint32_t names, n_names;           /* first in NAMES */
    uint32_t dates, n_dates;           /* first in DATES */
    uint32_t places, n_places;         /* string list in U32 */
    uint32_t nats, n_nats;             /* first in COUNTRIES */
    uint32_t cits, n_cits;
    uint32_t ctys, n_ctys;
    uint32_t addrs, n_addrs;           /* string list in U32 */
    uint32_t idents, n_idents;         /* first in IDENTS */
    uint32_t progs, n_progs;           /* string list in U32 */
    uint32_t gender, title, listed_on, remarks, origin_file, origin_line;
} cx_entity;

typedef struct cx_date {
    int16_t year;
    uint8_t month, day;
    int16_t year_to;
    uint16_t flags;
    uint32_t text;
} cx_date;

typedef struct cx_country {
    char code[4];
    uint32_t text;
} cx_country;

typedef struct cx_ident {
    uint32_t type, label, value, country, entity;
} cx_ident;

enum {
    CX_NAME_SKIPPED = 1u << 0, /* analysis failed: not indexed */
    CX_NAME_PERSON = 1u << 1,  /* analysed as a person's name: numerals are generations */
    CX_NAME_THING = 1u << 2    /* as an organization's, vessel's or aircraft's: numerals
                                  tell apart (SPARTA II, SPARTA IV) */
};

#define CX_NAME_TOP 6

typedef struct cx_name {
    uint32_t entity;
    uint32_t value;
    uint32_t tokens; /* first in NTOKENS */
    uint8_t n_tokens;
    uint8_t kind;
    uint8_t flags;
    uint8_t max_span; /* most tokens one query token can meet (a split) */
    /* top[k-1]: share of the name's weight in its k heaviest tokens, for
     * retrieval's bound on listed coverage */
    float top[CX_NAME_TOP];
} cx_name;

typedef struct cx_ntoken {
    uint32_t term;
    uint32_t pair_term; /* term of tokens [this, this + pair_n) joined, or CX_NONE */
    uint8_t role, flags, script, pair_n;
    float weight;       /* listed-side weight: IDF x role */
} cx_ntoken;

/* A pair term is made by joining adjacent tokens (the analyser's JOINED
 * token, or two neighbours); it has no typo keys. */
enum {
    CX_TERM_PAIR = 1u << 0,
    CX_TERM_NONLATIN = 1u << 1 /* seen written in a non-Latin script */
};

#define CX_TERM_FORMS 4
#define CX_TERM_PHON 2
#define CX_TERM_LOOSE 2
#define CX_TERM_KEYS (CX_TERM_FORMS + CX_TERM_PHON + CX_TERM_LOOSE)

/* A term keeps its keys inline (string offsets: n_forms forms, forms[0]
 * == text, then n_phon Double Metaphone keys, then n_loose loose keys),
 * so relating a query token to it reads one record. */
typedef struct cx_term {
    uint32_t text;
    uint32_t df;        /* names containing it */
    uint32_t post, n_post;     /* sorted name ids in U32 */
    float idf;          /* in [0,1] */
    uint16_t flags;
    uint8_t n_forms, n_phon, n_loose, reserved[3];
    uint32_t keys[CX_TERM_KEYS];
} cx_term;

/* One slot of a string-keyed open-addressing table: `key` is a string
 * offset, val_len 0 marks an empty slot, and a value list of length one
 * is stored inline in val. */
typedef struct cx_slot {
    uint32_t hash, key, val, val_len;
} cx_slot;

/* One slot of TAB_DEL, which keeps no strings: the slot is chosen by the
 * low half of the 64-bit key hash and `check` is the high half (never 0;
 * 0 marks an empty slot). `val` is one term id, or with CX_DEL_LIST set,
 * an offset in U32 of a count followed by that many term ids. */
typedef struct cx_dslot {
    uint32_t check, val;
} cx_dslot;
#define CX_DEL_LIST 0x80000000u

/* ---- the opened or built index ------------------------------------ */

struct cordon_index {
    const unsigned char *base;
    size_t size;
    int mapped;          /* munmap on close, else free */
    const cx_meta *meta;
    const char *strings;
    size_t strings_size;
    const uint32_t *u32;
    size_t n_u32;
    const cx_source *sources;
    const cx_entity *entities;
    const cx_date *dates;
    const cx_country *countries;
    const cx_ident *idents;
    const cx_name *names;
    const cx_ntoken *ntokens;
    const cx_term *terms;
    const cx_slot *tab_form, *tab_phon, *tab_ident, *tab_loose, *tab_loose_nl;
    const cx_dslot *tab_del;
    const uint32_t *byid;
    const unsigned char *entity_hash; /* 32 bytes per entity */
    char hash[65];
    cordon_source_info *infos; /* decoded at open: a few small structs */
    cordon__arena arena;       /* for infos */
};

static inline const char *cx_str(const cordon_index *idx, uint32_t off)
{
    return off ? idx->strings + off : NULL;
}

/* u32 list of `n` values at offset `off` in U32; a list of length one in
 * a table slot is inline, so table lookups go through cx_slot_values. */
static inline const uint32_t *cx_u32(const cordon_index *idx, uint32_t off)
{
    return idx->u32 + off;
}

/* Fills the section pointers of idx from a validated image. */
int cordon__index_attach(cordon_index *idx, const char *origin, cordon_error *err);

/* cordon_entity_hash of entity i, as the builder stored it (hex). */
void cordon__index_entity_hash(const cordon_index *idx, size_t i, char out[65]);

/* Looks a string key up in a string-keyed table; returns the slot or NULL. */
const cx_slot *cordon__index_lookup(const cordon_index *idx, const cx_slot *tab,
                                    uint32_t cap, const char *key, size_t len);
/* Looks a 64-bit hash up in TAB_DEL: the term ids in *vals (*n of them;
 * 0 when absent). Ids are not range-checked. */
void cordon__index_lookup_del(const cordon_index *idx, uint64_t h, const uint32_t **vals,
                              uint32_t *n);
/* Fetches the TAB_DEL slot of hash h ahead of cordon__index_lookup_del. */
static inline void cordon__index_prefetch_del(const cordon_index *idx, uint64_t h)
{
    __builtin_prefetch(&idx->tab_del[(uint32_t)h & (idx->meta->tab_del_cap - 1)]);
}
/* The values of a slot (inline when val_len == 1). */
static inline const uint32_t *cx_slot_values(const cordon_index *idx, const cx_slot *s)
{
    return s->val_len == 1 ? &s->val : idx->u32 + s->val;
}

/* Canonical identifier value: ASCII letters upper-cased, digits, other
 * letters kept, spaces and punctuation dropped. Returns the length
 * (0 when nothing is left); out has room for `size` bytes with NUL. */
size_t cordon__ident_normalize(const char *s, size_t len, char *out, size_t size);

/* Hashes a key for the tables (stable across builds and machines). */
static inline uint64_t cx_hash(const char *s, size_t len) { return cordon__hash(s, len); }

/* ---- string similarity (strsim.c) --------------------------------- */

/* Jaro-Winkler similarity of two byte strings, in [0,1]. */
double cordon__jaro_winkler(const char *a, size_t la, const char *b, size_t lb);
/* Levenshtein distance, or max+1 when it exceeds max. */
int cordon__levenshtein(const char *a, size_t la, const char *b, size_t lb, int max);
/* True when a and b become equal after deleting at most one byte from
 * each: covers one insertion, deletion, substitution or transposition. */
bool cordon__del1_related(const char *a, size_t la, const char *b, size_t lb);
/* Soundex code (4 chars + NUL) of an ASCII word; "" when it has no letter. */
void cordon__soundex(const char *s, size_t len, char out[5]);

/* ---- token similarity, retrieval, scoring ------------------------- */

/* A name score is ALPHA x the better of the two coverages (the share of
 * the query's weight, and of the listed name's, that aligned, each pair
 * counted at its similarity) plus (1 - ALPHA) x the worse: a name that
 * contains the other entirely scores at least ALPHA, and the tokens one
 * side lacks cost in proportion to their weight. Retrieval's bound:
 * score <= ALPHA + (1 - ALPHA) x query coverage. */
#define CX_ALPHA (cordon__params()->alpha)

/* The scorer's constants in one place (score.c has the defaults and why).
 * A build with -DCX_TUNE reads overrides from CORDON_TUNE_<NAME>
 * environment variables, for bench_accuracy sweeps; others never do. */
typedef struct cx_params {
    float alpha;
    float sim_romanized;      /* forms equal, primary texts differ */
    float sim_initial;        /* a query initial against a listed word */
    float sim_listed_initial; /* a query word against a listed initial */
    float sim_joined;         /* joined or split tokens */
    float fuzzy_k4, fuzzy_k6, fuzzy_k; /* Jaro-Winkler loss multiplier by length */
    float fuzzy_cap;
    float phon_base, phon_k, phon_cap, phon_min_jw;
    float loose_base, loose_jw;  /* a non-Latin query token against a listed one */
    float loose_rev;             /* factor for a Latin query against a non-Latin name */
} cx_params;
const cx_params *cordon__params(void);

/* Shortest form length that fuzzy (one-deletion) matching applies to. */
#define CX_FUZZY_MIN_LEN 4

/* A token as the similarity function sees it. */
typedef struct cx_tokview {
    const char *text;
    int nofuzzy;            /* a pair term: no typo matching */
    const char *forms[8];
    size_t n_forms;
    const char *phon[4];
    size_t n_phon;
    const char *loose[4];
    size_t n_loose;
    int nonlatin;           /* written in a non-Latin script */
} cx_tokview;

/* How two tokens are related; CX_SIM_NONE scores 0. */
enum cx_method {
    CX_SIM_NONE = 0, CX_SIM_EXACT, CX_SIM_ROMANIZED, CX_SIM_FUZZY, CX_SIM_PHONETIC,
    CX_SIM_INITIAL, CX_SIM_JOINED, CX_SIM_SPLIT, CX_SIM_LOOSE,
    CX_SIM_NUMERAL, /* numerals: "i" ~ 1 in "ARGO I", or two that differ (score 0) */
    CX_SIM_COUNT_
};
const char *cordon__method_name(int method);

/* Similarity of two whole tokens (not initials), in [0,1], and how. Every
 * pair it scores above 0 is one retrieval can find: equal forms, forms
 * related by one deletion each (length >= CX_FUZZY_MIN_LEN), equal
 * phonetic keys, or equal loose keys. */
float cordon__token_sim(const cx_tokview *q, const cx_tokview *l, int *method);

/* Similarity of two tokens whose loose keys are equal (0: no evidence,
 * both Latin). */
float cordon__loose_sim(const cx_tokview *q, const char *listed_text, int listed_nonlatin);
/* Fills a view of an analysed token (a JOINED one keeps its forms only). */
void cordon__token_view(const cordon_name_token *tk, cx_tokview *v);
/* Fills a view of index term t. */
void cordon__term_view(const cordon_index *idx, uint32_t t, cx_tokview *v);

/* Weight of a token by role (multiplies IDF). */
float cordon__role_factor(cordon_token_role role, uint32_t flags);
/* IDF in [0,1] from a document frequency over n names. */
float cordon__idf(uint32_t df, uint32_t n);

#define CX_MAX_QTOK 32              /* query tokens scored (rest ignored) */
#define CX_MAX_SLOTS (2 * CX_MAX_QTOK)

/* A query slot: one query token, or two adjacent ones joined. */
typedef struct cx_slot_q {
    uint8_t first, n;       /* covers base query tokens [first, first+n) */
    uint8_t initial;        /* a one-letter token: matched by first letter */
    uint8_t retrievable;    /* has index postings (not an initial) */
    cx_tokview view;
    char joined[128];       /* text of a slot joining two neighbours */
} cx_slot_q;

/* An entry of the direct term -> row map: valid where stamp == epoch. */
typedef struct cx_termrow {
    uint32_t stamp, row;
} cx_termrow;

/* A query prepared for scoring (built by retrieve.c). For every index
 * term related to some slot it keeps one row of similarities, one per
 * slot: rel_sim[row * n_slots + slot]. */
typedef struct cx_query {
    cordon_name_analysis *an;
    size_t n_tok;                 /* base (not JOINED) tokens, at most CX_MAX_QTOK */
    const cordon_name_token *tok[CX_MAX_QTOK]; /* the base tokens */
    float w[CX_MAX_QTOK];         /* query token weights */
    float W;                      /* their sum */
    uint64_t num_mask;            /* base tokens that are numerals */
    uint64_t gen_mask;            /* ... read as a person's generation */
    int num_mode;                 /* CX_NUM_* of the query's schema */
    cx_slot_q slots[CX_MAX_SLOTS];
    size_t n_slots;
    uint32_t *rel_term;           /* row -> term */
    uint64_t *rel_done;           /* row -> slots already related */
    uint64_t *rel_lazy;           /* row -> slots whose similarity is still an upper
                                     bound (see cordon__query_resolve) */
    float *rel_sim;
    uint8_t *rel_method;
    size_t n_rel, cap_rel;
    size_t sim_cap;               /* entries of rel_sim and rel_method */
    uint32_t *rel_tab;            /* open addressing: term -> row + 1 */
    size_t rel_tab_cap;
    /* with an index: term -> row directly (this thread's scratch, one
     * entry per term) */
    cx_termrow *term_map;
    uint32_t term_epoch;
} cx_query;

/* How unmatched numerals weigh (score.c): as a person's generation (a
 * missing Jr costs little, Jr against Sr some), or as part of what a
 * thing is called (SPARTA IV against SPARTA II costs much). The listed
 * name decides, else the query; UNKNOWN on both sides reads them as
 * things' numbers. */
enum { CX_NUM_UNKNOWN = 0, CX_NUM_GENERATION, CX_NUM_THING };
#define CX_NUM_CONTRA_THING 0.20f   /* numerals differ: SPARTA IV vs SPARTA II */
#define CX_NUM_ONE_SIDE_THING 0.05f /* one side only: SPARTA IV vs SPARTA */
#define CX_NUM_CONTRA_GEN 0.10f     /* generations differ: Jr vs Sr, II vs III */
/* The mode of a listed name from its CX_NAME_* flags. */
static inline int cx_name_num_mode(unsigned name_flags)
{
    return name_flags & CX_NAME_PERSON ? CX_NUM_GENERATION
           : name_flags & CX_NAME_THING ? CX_NUM_THING
                                        : CX_NUM_UNKNOWN;
}
/* The mode of an analysed name's schema. */
int cordon__num_mode(cordon_schema schema);

/* One listed token as the aligner sees it. */
typedef struct cx_ltok {
    const char *text;
    uint8_t pair_n;          /* tokens the pair_sim join spans */
    float weight;
    uint8_t role, flags;
    const float *sim;        /* per slot, or NULL when unrelated */
    const uint8_t *method;
    const float *pair_sim;   /* slots vs this token joined with the next */
    const uint8_t *pair_method;
} cx_ltok;

/* A chosen pair of the alignment. */
typedef struct cx_pair {
    int slot;            /* query slot, or -1 for an unmatched listed token */
    int ltok, ln;        /* listed tokens [ltok, ltok+ln), or ln 0 */
    int qtok;            /* for unmatched query tokens: the token, else -1 */
    float sim;
    float wq, wl;        /* query and listed weight of the pair */
    int method;
} cx_pair;

typedef struct cx_align {
    cx_pair pairs[CX_MAX_SLOTS + CORDON_NAME_MAX_TOKENS];
    size_t n_pairs;
    float cov_q, cov_l;  /* the two coverages */
    float W, L;          /* total query and listed weight */
    float raw;           /* the score before the numeral penalty */
    float num_delta;     /* the numeral penalty (<= 0) */
    int num_contra;      /* numerals on both sides differ (else one side has some) */
    int num_mode;        /* CX_NUM_GENERATION or CX_NUM_THING as applied */
    int num_q, num_l;    /* the first unmatched numeral: query token, listed token, or -1 */
} cx_align;

/* Prepares a query: weights, slots, related terms (idx may be NULL for
 * comparisons; then every slot keeps its own view only). */
int cordon__query_prepare(cx_query *q, const cordon_index *idx,
                          cordon_name_analysis *an);
void cordon__query_free(cx_query *q);
/* Row of term t in the query's related terms, or -1. */
long cordon__query_row(const cx_query *q, uint32_t t);
/* Replaces the upper bounds a row holds for some slots (terms met only by
 * a phonetic or loose key) by the similarities themselves. Retrieval
 * reads the bounds; weights and scores read resolved rows. */
void cordon__query_resolve(cx_query *q, const cordon_index *idx, size_t r);
/* Similarity of a query slot with a listed token, as a related row holds
 * it (idx NULL: the listed token is not in an index). */
float cordon__slot_sim(const cx_slot_q *s, const cx_tokview *l, int *method);

/* Candidate names that can reach `floor` (a bound on the name score):
 * names whose bound is below it are skipped. *out points into this
 * thread's scratch, valid until its next retrieval; returns the count or
 * a negative code. */
long cordon__retrieve(const cordon_index *idx, const cx_query *q, float floor,
                      const uint32_t **out);

/* Name score in [0,1] of a listed token sequence against the query,
 * filling al (may be NULL); num_mode is the listed name's CX_NUM_*. */
float cordon__align(const cx_query *q, const cx_ltok *lt, size_t n_lt, int num_mode,
                    cx_align *al);
/* The listed tokens of index name n as the aligner sees them; returns
 * their count (at most 64). */
size_t cordon__name_ltoks(const cordon_index *idx, cx_query *q, uint32_t n, cx_ltok lt[64]);
/* Fetches what scoring name n will read of the query's term map (call a
 * few names ahead, once the name's tokens are in cache). */
void cordon__name_prefetch(const cordon_index *idx, const cx_query *q, uint32_t n);
/* Score of index name n against the query (listed tokens from the index). */
float cordon__score_name(const cordon_index *idx, cx_query *q, uint32_t n,
                         cx_align *al);

/* Relates every term of the index to every slot (no retrieval): the
 * brute-force reference that retrieval's recall is measured against. */
int cordon__query_relate_exhaustive(cx_query *q, const cordon_index *idx);

/* Screening with knobs: leave one listed name out (as if it were not in
 * the index), or score every name (brute force), for benchmarks; or
 * answer only about some entities, for monitoring:
 *  - `mask`: retrieval runs as in a whole screening, and names of other
 *    entities are not scored, so the entities masked in get the scores
 *    a whole screening gives them;
 *  - `only`: no retrieval; the names of the entities listed are scored
 *    directly. Where a whole screening retrieves such a name, the score
 *    is the same; it may also give a score to a name that retrieval
 *    would not have found (query initials are bounded loosely there). */
typedef struct cx_screen_ext {
    uint32_t exclude_name; /* CX_NONE for none */
    int exhaustive;
    const uint8_t *mask;   /* entity index -> nonzero: answer about it; or NULL */
    const uint32_t *only;  /* entity indexes to score directly; or NULL */
    size_t n_only;
} cx_screen_ext;
int cordon__screen_ext(const cordon_index *idx, const cordon_query *query,
                       const cordon_screen_options *opts, const cx_screen_ext *ext,
                       cordon_result **out, cordon_error *err);

/* OFAC Sanctions List Search parity score of two names, in [0,1]. */
double cordon__ofac_score(const char *query, size_t qlen, const char *listed, size_t llen);

#endif /* CORDON_INDEX_INT_H */
