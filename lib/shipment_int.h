/*
 * shipment_int.h — what the files of trade-control screening share:
 * the loaded rules (rules.c), rates (rates.c), word folding, goods
 * classification and HS codes (goods.c), the parsed shipment
 * (shipment_input.c), screening (shipment.c) and output
 * (shipment_output.c). Nothing here is exported.
 */
#ifndef CORDON_SHIPMENT_INT_H
#define CORDON_SHIPMENT_INT_H

#include "cordon_int.h"

/* ---- rules -------------------------------------------------------- */

/* A keyword or "unless" phrase as folded words. */
typedef struct cordon__phrase {
    const char *text;          /* as written in the rules file */
    const char *const *words;  /* folded (cordon__fold_words) */
    size_t n_words;
} cordon__phrase;

/* One keyword entry: descriptions with one of `words`, and none of
 * `unless`, suggest HS heading `hs`. */
typedef struct cordon__keyword {
    const char *hs;            /* 2 to 10 digits */
    const char *label;
    bool certain;
    const cordon__phrase *words;
    size_t n_words;
    const cordon__phrase *unless;
    size_t n_unless;
} cordon__keyword;

/* A phrase in the index by its first word: which keyword entry, which
 * phrase, and whether it is an "unless" phrase. Chained per word. */
typedef struct cordon__phrase_ref {
    uint32_t keyword;
    uint32_t phrase;
    bool unless;
    struct cordon__phrase_ref *next;
} cordon__phrase_ref;

typedef struct cordon__place {
    const char *name;
    char country[3];
} cordon__place;

struct cordon_rules {
    cordon__arena arena;
    cordon_rule *rules;
    size_t n_rules;
    cordon__keyword *keywords;
    size_t n_keywords;
    cordon__place *places;
    size_t n_places;
    cordon__strmap place_index;  /* folded key -> cordon__place* */
    cordon__strmap phrase_index; /* first folded word -> cordon__phrase_ref* */
    double review_threshold;     /* 0: not set */
    double block_threshold;
    const char *as_of;
};

/* ---- rates -------------------------------------------------------- */

typedef struct cordon__rate {
    char code[4];
    double per_base; /* units of code for one unit of base */
} cordon__rate;

struct cordon_rates {
    char base[4];
    const char *date; /* or NULL */
    size_t n;
    cordon__rate *items;
    cordon__arena arena;
};

/* Builds rates from a parsed JSON object (rates.c); `path` names it in
 * errors ("rates"), `origin` the document. */
struct json_t;
int cordon__rates_from_json(const struct json_t *obj, const char *origin, const char *path,
                            cordon_rates **out, cordon_error *err);

/* True for three ASCII capital letters. */
bool cordon__currency_valid(const char *s, size_t len);

/* ---- text and goods (goods.c) -------------------------------------- */

/* A word of folded text: bytes [off, off+len) of the fold buffer. */
typedef struct cordon__word {
    size_t off;
    size_t len;
} cordon__word;

/*
 * Folds s (NFKD, case fold, marks stripped: utf8proc) into `out` and
 * splits it into words: runs of letters and digits; everything else
 * separates. `out` is NUL-terminated; words are appended to `words`
 * (cordon__word). CORDON_EUTF8 for invalid UTF-8, CORDON_ENOMEM.
 */
int cordon__fold_words(const char *s, size_t len, cordon__buf *out, cordon__vec *words);

/* The folded words of s joined with nothing between them ("Namp'o" ->
 * "nampo") into key (NUL-terminated). Returns 0, CORDON_EEMPTY when s
 * has no word, CORDON_EUTF8 or CORDON_ENOMEM. */
int cordon__fold_key(const char *s, size_t len, cordon__buf *key);

/*
 * Normalizes an HS code as written ("8703.90", "8703 90", "870390"):
 * digits with dots, spaces or hyphens between them. Writes the digits
 * to out. Returns 0, or -1 when it is not 6 to 10 digits, or its
 * chapter is 00 or 77 (reserved).
 */
int cordon__hs_normalize(const char *s, size_t len, char out[11]);

/* What a description suggests. */
typedef struct cordon__hs_hit {
    const char *hs;      /* heading, subheading or chapter */
    const char *label;
    const char *keyword; /* the keyword as written in the rules file */
    bool certain;
} cordon__hs_hit;

#define CORDON__MAX_HITS 16

/* Classifies a description with the rules' keywords: fills hits (at most
 * CORDON__MAX_HITS, one per keyword entry, in rules-file order) and
 * returns how many, or a negative code (CORDON_EUTF8, CORDON_ENOMEM). */
int cordon__classify(const cordon_rules *rules, const char *s, size_t len,
                     cordon__hs_hit *hits);

/* ---- the parsed shipment (shipment_input.c) ------------------------ */

typedef enum cordon__role {
    CORDON__ROLE_SHIPPER = 0,
    CORDON__ROLE_CONSIGNEE,
    CORDON__ROLE_END_USER,
    CORDON__ROLE_NOTIFY_PARTY,
    CORDON__ROLE_INTERMEDIARY,
    CORDON__ROLE_CARRIER_VESSEL,
    CORDON__ROLE_COUNT_
} cordon__role;

const char *cordon__role_name(cordon__role role);

/* A place as given and as resolved. */
typedef struct cordon__where {
    const char *path;   /* "destination", "route[2]", "parties[1].country" */
    const char *text;   /* as given, or NULL when absent */
    char code[3];       /* "" when not resolved */
} cordon__where;

typedef struct cordon__party {
    const char *path;   /* "parties[1]" */
    cordon__role role;
    const char *name;
    size_t name_len;
    cordon_schema schema;
    cordon__where country;
    cordon_query_id ids[CORDON_QUERY_MAX_IDS];
    size_t n_ids;
    bool has_birth_date;
    cordon_date birth_date;
} cordon__party;

typedef struct cordon__goods {
    const char *path;   /* "goods[0]" */
    const char *description; /* or NULL */
    size_t description_len;
    char hs[11];        /* digits, "" when not declared */
    bool has_value;
    double value;       /* of the whole line */
    char currency[4];
    double quantity;    /* 1 when not given */
} cordon__goods;

struct cordon_shipment {
    cordon__arena arena;
    const char *reference;
    cordon__party *parties;
    size_t n_parties;
    cordon__goods *goods;
    size_t n_goods;
    cordon__where origin;
    cordon__where destination;
    cordon__where *route;
    size_t n_route;
    cordon_rates *rates; /* the shipment's own, or NULL */
};

/* ---- results (shipment.c) ----------------------------------------- */

/* A result and the arena its strings live in; the public struct comes
 * first, so a pointer to it is a pointer to this. */
typedef struct cordon__shipment_result {
    cordon_shipment_result pub;
    cordon__arena arena;
} cordon__shipment_result;

#endif
