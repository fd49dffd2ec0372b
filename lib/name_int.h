/*
 * name_int.h — internal interface of the name layer: text folding
 * (text_fold.c), script detection and transliteration (translit.c), name
 * structure (name_structure.c), phonetic and loose keys (phonetic.c) and
 * the analysis that ties them together (name.c). Unit tests and the
 * transliteration benchmark include it too (they link the static library).
 */
#ifndef CORDON_NAME_INT_H
#define CORDON_NAME_INT_H

#include "cordon_int.h"

/* ---- text_fold.c -------------------------------------------------- */

enum {
    CORDON__FOLD_CASE = 1u << 0 /* case fold as well as NFKC */
};

/* Longest run of combining marks kept on one base character (UAX #15's
 * stream-safe limit); longer floods are cut so work stays linear. */
#define CORDON__MAX_MARK_RUN 30

/*
 * Validates s (CORDON_EUTF8 on invalid UTF-8 or encoded surrogates,
 * CORDON_EINVAL on NUL and control characters other than tab, CR and LF,
 * which become spaces), then appends to out its NFKC form (case folded
 * with CORDON__FOLD_CASE) with punctuation folded: every dash to '-',
 * apostrophe to '\'', quote to '"', full stop to '.', comma to ',',
 * middle dots and every space to ' '; zero-width, bidi and variation
 * characters are removed. out stays NUL-terminated.
 */
int cordon__fold(const char *s, size_t len, unsigned flags, cordon__buf *out);

/* ---- translit.c --------------------------------------------------- */

#define CORDON__MAX_FORMS 8    /* romanized forms kept per token */
#define CORDON__MAX_FORM_LEN 96 /* longer forms are cut */

/* The script a code point belongs to for naming purposes; digits and
 * marks are CORDON_SCRIPT_COUNT_ (no script of their own). */
cordon_script cordon__script_of(uint32_t cp);
/* The dominant script of a UTF-8 token (LATIN when it has no letters). */
cordon_script cordon__token_script(const char *s, size_t len);

/* A set of romanized forms: lowercase ASCII letters and digits only. */
typedef struct cordon__forms {
    char v[CORDON__MAX_FORMS][CORDON__MAX_FORM_LEN + 1];
    size_t n;
} cordon__forms;

/* Adds a form unless empty or already present; cleans it to [a-z0-9]. */
void cordon__forms_add(cordon__forms *f, const char *s, size_t len);

/*
 * Romanizes one case-folded token (valid UTF-8) of the given script into
 * f, primary form first. Latin and ASCII tokens never touch ICU. Returns
 * 0 or a negative cordon_code (CORDON_ENOMEM when ICU fails to load).
 * Thread-safe.
 */
int cordon__translit(const char *s, size_t len, cordon_script script, cordon__forms *f);

/* Romanization of Hangul syllables, one syllable at a time, in the
 * systems cordon knows (Revised, McCune-Reischauer, DPRK and list
 * spellings); `surname` adds the fixed spellings of surnames. */
int cordon__hangul_forms(const char *s, size_t len, int surname, cordon__forms *f);
/* True when the Hangul syllable (or Han character) is a common surname;
 * *n_cp receives how many characters it spans (two-syllable surnames). */
int cordon__is_cjk_surname(const char *s, size_t len, size_t *n_bytes);

/* Korean spellings of a Han surname (金 -> kim, gim), added to f. */
void cordon__surname_spellings(const char *s, size_t len, cordon__forms *f);
/* The pinyin syllable of Han character cp (ASCII, no tones, at most 7
 * bytes; "" when it has none), as a given name's or, with `surname`, as
 * a surname's first character: a table lookup (lib/han_pinyin.c). */
void cordon__han_pinyin(uint32_t cp, int surname, char out[8]);
/* The same, from ICU's Han-Latin (Han-Latin/Names): what the table was
 * written from (tools/gen_han_pinyin), and what test_translit checks it
 * against. CORDON_ENOMEM. */
int cordon__han_syllable_icu(uint32_t cp, int surname, char out[8]);

/* Releases the cached ICU transliterators (for leak checkers; optional). */
void cordon__translit_cleanup(void);

/* ---- name_structure.c --------------------------------------------- */

/* A token while a name is being analysed. */
typedef struct cordon__tok {
    const char *orig; /* NFKC + case folded, in the analysis arena */
    size_t orig_len;
    cordon_script script;
    cordon__forms f;
    cordon_token_role role;
    uint32_t flags;
    unsigned upper : 1;   /* written in capitals in a mixed-case name */
    unsigned dotted : 1;  /* followed by '.' */
    unsigned removed : 1; /* dropped from the result (titles, articles) */
    unsigned abd : 1;     /* an "abd" of an Arabic theophoric compound */
    unsigned whole : 1;   /* part of a one-token CJK name that was split */
    int comma;            /* how many commas come before it */
    int group;            /* tokens to join share a group id; 0 = none */
    size_t part_first, n_parts;
} cordon__tok;

typedef struct cordon__toks {
    cordon__tok *v;
    size_t n, cap;
    cordon__arena *arena;
    const char *titles[CORDON_NAME_MAX_TOKENS];
    size_t n_titles;
    int next_group;
} cordon__toks;

/* Appends a zeroed token; NULL when out of memory. */
cordon__tok *cordon__toks_push(cordon__toks *t);

/*
 * Everything between tokenization and keys: splits CJK names and legal
 * suffixes, romanizes every token, finds legal forms, titles, particles,
 * patronymics, surnames and generic words, reorders "SURNAME, Given"
 * and appends JOINED tokens. *schema may become ORGANIZATION.
 */
int cordon__name_structure(cordon__toks *t, cordon_schema *schema);

/* ---- phonetic.c --------------------------------------------------- */

#define CORDON__DM_MAX_WORD 64
#define CORDON__LOOSE_MAX 16

enum {
    /* the variant key: soft g before e/i/y, and r dropped after a vowel
     * when no vowel follows (non-rhotic English, as Asian scripts hear it) */
    CORDON__LOOSE_VARIANT = 1u << 0,
    /* with the variant: English th heard as s (Keith: 키스, Thorpe: 소프) */
    CORDON__LOOSE_TH_S = 1u << 1
};

/* Loose consonant-class key of an ASCII word into out (NUL-terminated,
 * at most CORDON__LOOSE_MAX letters); returns its length. */
size_t cordon__loose_key(const char *s, size_t len, unsigned flags, char out[CORDON__LOOSE_MAX + 1]);

/* Levenshtein distance of a and b, or max + 1 when it exceeds max. */
size_t cordon__edit_distance(const char *a, size_t na, const char *b, size_t nb, size_t max);

/* ---- name.c: meeting of names (for tests and the benchmark) ------- */

/* How two tokens or names meet. */
typedef enum cordon__meet {
    CORDON__MEET_NONE = 0,
    CORDON__MEET_FUZZY, /* forms within a small edit distance, or loose keys one edit apart */
    CORDON__MEET_LOOSE, /* equal loose keys */
    CORDON__MEET_EXACT  /* a shared form or Double Metaphone key */
} cordon__meet;

cordon__meet cordon__tokens_meet(const cordon_name_token *a, const cordon_name_token *b);
/*
 * Two analysed names meet when every non-weak token of the one with
 * fewer (non-joined) tokens meets a distinct token of the other, a token
 * that is part of a JOINED token also counting as met when the joined
 * token meets. The result is the weakest of those token meetings.
 */
cordon__meet cordon__names_meet(const cordon_name_analysis *a, const cordon_name_analysis *b);

#endif
