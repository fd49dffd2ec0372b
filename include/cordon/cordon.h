/*
 * cordon.h — the one public header of libcordon, a sanctions and
 * trade-control screening engine.
 *
 * Conventions (they hold for every function below unless its comment says
 * otherwise):
 *
 *  - Strings are UTF-8. Functions that take text take (const char *s,
 *    size_t len) and need no terminator; invalid UTF-8 is CORDON_EUTF8,
 *    never silently replaced.
 *  - Functions that can fail return 0 on success or a negative
 *    cordon_code, and fill the caller's cordon_error (which may be NULL)
 *    with a message naming what failed and where (file, line, column).
 *  - Ownership: every object the library returns is freed with the
 *    matching *_free / *_close function, and every one of those accepts
 *    NULL. Pointers into an object (entities, names, strings) stay valid
 *    until that object is freed.
 *  - Threads: loaded datasets and opened indexes are immutable; any number
 *    of threads may read one at a time. Building one is single-threaded.
 *  - The library never prints and never exits.
 */
#ifndef CORDON_H
#define CORDON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CORDON_API __attribute__((visibility("default")))
#define CORDON_NODISCARD __attribute__((warn_unused_result))
#else
#define CORDON_API
#define CORDON_NODISCARD
#endif

#define CORDON_VERSION "0.1.0"

/* Version of the library actually linked, "MAJOR.MINOR.PATCH". */
CORDON_API const char *cordon_version(void);

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/* Result codes. Append only: never renumber or remove one. */
#define CORDON_ERRORS(X)                                                   \
    X(OK, 0, "success")                                                    \
    X(ENOMEM, -1, "out of memory")                                         \
    X(EINVAL, -2, "invalid argument")                                      \
    X(EIO, -3, "input/output error")                                       \
    X(EUTF8, -4, "invalid UTF-8")                                          \
    X(EFORMAT, -5, "malformed input")                                      \
    X(ETOOBIG, -6, "input exceeds a limit")                                \
    X(ENOTFOUND, -7, "not found")                                          \
    X(EEMPTY, -8, "empty input")                                           \
    X(ECORRUPT, -9, "corrupt or foreign file")                             \
    X(EVERSION, -10, "unsupported format version")                         \
    X(EDATE, -11, "not a date")                                            \
    X(EUNSUPPORTED, -12, "unsupported operation")

typedef enum cordon_code {
#define CORDON_X_ENUM(name, value, text) CORDON_##name = (value),
    CORDON_ERRORS(CORDON_X_ENUM)
#undef CORDON_X_ENUM
} cordon_code;

/* Static text for a code; never NULL ("unknown error" for unknown codes). */
CORDON_API const char *cordon_strerror(int code);
/* Symbolic name of a code, such as "EFORMAT"; never NULL. */
CORDON_API const char *cordon_code_name(int code);

/*
 * Detail of a failure, filled by the function that failed. `file` names
 * the input file (or is empty), `line`/`column` are 1-based positions in
 * it (0 when unknown), `message` is a complete sentence for a person.
 */
typedef struct cordon_error {
    int code;
    char file[512];
    unsigned long line;
    unsigned long column;
    char message[512];
} cordon_error;

/* Clears an error to CORDON_OK. Accepts NULL. */
CORDON_API void cordon_error_clear(cordon_error *err);

/*
 * Writes "file:line:column: message" (parts that are unknown are left
 * out) into buf, always NUL-terminated. Returns buf.
 */
CORDON_API char *cordon_error_format(const cordon_error *err, char *buf,
                                     size_t size);

/* ------------------------------------------------------------------ */
/* The entity model                                                    */
/* ------------------------------------------------------------------ */

typedef enum cordon_schema {
    CORDON_SCHEMA_UNKNOWN = 0, /* the list does not say; matches any type */
    CORDON_SCHEMA_PERSON,
    CORDON_SCHEMA_ORGANIZATION,
    CORDON_SCHEMA_VESSEL,
    CORDON_SCHEMA_AIRCRAFT,
    CORDON_SCHEMA_COUNT_
} cordon_schema;

/* "person", "organization", "vessel", "aircraft" or "unknown". */
CORDON_API const char *cordon_schema_name(cordon_schema schema);
/* Parses those names (case-insensitive; also "individual", "entity",
 * "company", "ship"). Returns CORDON_ENOTFOUND for anything else. */
CORDON_API int cordon_schema_parse(const char *s, size_t len,
                                   cordon_schema *out);

/* How firmly a list ties a name to its entity. */
typedef enum cordon_name_kind {
    CORDON_NAME_PRIMARY = 0, /* the list's main name */
    CORDON_NAME_STRONG,      /* OFAC strong a.k.a., UN good-quality alias */
    CORDON_NAME_WEAK,        /* OFAC weak a.k.a., UN low-quality alias */
    CORDON_NAME_FORMER,      /* f.k.a.: a name the party used to have */
    CORDON_NAME_NATIVE,      /* the name in its native script */
    CORDON_NAME_KIND_COUNT_
} cordon_name_kind;

/* "primary", "strong", "weak", "former" or "native". */
CORDON_API const char *cordon_name_kind_name(cordon_name_kind kind);

typedef struct cordon_name {
    const char *value; /* as listed, UTF-8, NUL-terminated */
    cordon_name_kind kind;
} cordon_name;

/* Date precision flags. */
enum {
    CORDON_DATE_CIRCA = 1u << 0,  /* "circa", "approximately" */
    CORDON_DATE_RANGE = 1u << 1   /* year .. year_to */
};

/*
 * A full or partial date. month and day are 0 when the list gives only a
 * year (or year and month). A range "1960 to 1962" has year=1960,
 * year_to=1962 and CORDON_DATE_RANGE set. `text` is the list's own text.
 */
typedef struct cordon_date {
    int16_t year;
    uint8_t month;
    uint8_t day;
    int16_t year_to;
    uint16_t flags;
    const char *text;
} cordon_date;

/*
 * Parses a date as lists and users write them: "1984-01-08", "1984-01",
 * "1984", "08 Jan 1984", "08-JAN-1984", "January 8, 1984", "Jan 1984",
 * "08/01/1984" (day first; "00/00/1984" is the year), "circa 1960", "1960
 * to 1962", "1960-1962", "between 1960 and 1962". Years 1000..2999;
 * impossible days ("1984-02-30") are not dates. A range keeps the
 * precision its ends share. `text` of the result is left NULL. Returns
 * CORDON_EDATE when it is not a date, CORDON_EINVAL for NULL arguments.
 */
CORDON_API int cordon_date_parse(const char *s, size_t len, cordon_date *out);

/* A country reference: ISO 3166-1 alpha-2 code ("" when the list's text
 * names no known country) and the list's own text. */
typedef struct cordon_country {
    char code[3];
    const char *text;
} cordon_country;

/*
 * Resolves a country name, demonym or code in English ("Russia",
 * "Russian Federation", "Korea, North", "DPRK", "North Korean", "RU",
 * "RUS") to its ISO 3166-1 alpha-2 code. Case, accents and punctuation do
 * not matter for names; bare codes count only in upper case ("na" is not
 * Namibia). Returns CORDON_ENOTFOUND when unknown (out[0] is then NUL),
 * CORDON_EUTF8 for invalid UTF-8, CORDON_EINVAL for NULL arguments.
 * Regions that sanctions programmes name get user-assigned codes: QC
 * Crimea, QD Donetsk, QL Luhansk, QZ Zaporizhzhia, QK Kherson; XK is
 * Kosovo; former states keep ISO's reserved codes (SU, YU, CS, AN, DD).
 * Thread-safe. lib/country.c documents every choice.
 */
CORDON_API int cordon_country_lookup(const char *s, size_t len, char out[3]);
/* English short name of an alpha-2 code (either case), such as "Russia"
 * or "North Korea"; static storage. NULL for unknown codes. */
CORDON_API const char *cordon_country_name(const char code[2]);

typedef enum cordon_id_type {
    CORDON_ID_OTHER = 0,
    CORDON_ID_PASSPORT,
    CORDON_ID_NATIONAL_ID,
    CORDON_ID_TAX_ID,
    CORDON_ID_IMO,
    CORDON_ID_MMSI,
    CORDON_ID_CALL_SIGN,
    CORDON_ID_REGISTRATION,
    CORDON_ID_AIRCRAFT_SERIAL,
    CORDON_ID_SWIFT_BIC,
    CORDON_ID_EMAIL,
    CORDON_ID_WEBSITE,
    CORDON_ID_TYPE_COUNT_
} cordon_id_type;

/* "passport", "national_id", "tax_id", "imo", "mmsi", "call_sign",
 * "registration", "aircraft_serial", "swift_bic", "email", "website",
 * "other". */
CORDON_API const char *cordon_id_type_name(cordon_id_type type);

typedef struct cordon_identifier {
    cordon_id_type type;
    const char *label;   /* the list's own label, e.g. "Tax ID No." */
    const char *value;   /* as listed */
    const char *country; /* issuing country text, or NULL */
} cordon_identifier;

/*
 * One listed party. Arrays may be empty (count 0, pointer may be NULL).
 * names[0] is always the primary name.
 */
typedef struct cordon_entity {
    const char *id;     /* "<source>:<native id>", e.g. "ofac_sdn:35096" */
    const char *source; /* e.g. "ofac_sdn" */
    const char *native_id;
    cordon_schema schema;

    const cordon_name *names;
    size_t n_names;

    const cordon_date *birth_dates;
    size_t n_birth_dates;
    const char *const *birth_places;
    size_t n_birth_places;

    const cordon_country *nationalities;
    size_t n_nationalities;
    const cordon_country *citizenships;
    size_t n_citizenships;
    const cordon_country *countries; /* of address, registration, flag */
    size_t n_countries;

    const char *const *addresses;
    size_t n_addresses;

    const cordon_identifier *identifiers;
    size_t n_identifiers;

    const char *const *programs; /* programs or regimes, e.g. "DPRK3" */
    size_t n_programs;

    const char *gender;    /* or NULL */
    const char *title;     /* position or title, or NULL */
    const char *listed_on; /* ISO date text, or NULL */
    const char *remarks;   /* or NULL */

    const char *origin_file; /* file name (no directory) it came from */
    unsigned long origin_line; /* line or record number in that file */
} cordon_entity;

/* ------------------------------------------------------------------ */
/* Lists and datasets                                                  */
/* ------------------------------------------------------------------ */

/* The published formats cordon reads. */
typedef enum cordon_format {
    CORDON_FORMAT_OFAC_CSV = 1,     /* sdn.csv+alt.csv+add.csv+sdn_comments.csv
                                       or cons_prim/alt/add/comments */
    CORDON_FORMAT_OFAC_XML,         /* classic sdnList schema (sdn.xml) */
    CORDON_FORMAT_OFAC_ENHANCED_XML,/* SDN_ENHANCED.XML / CONS_ENHANCED.XML */
    CORDON_FORMAT_OFAC_ADVANCED_XML,/* sdn_advanced.xml schema */
    CORDON_FORMAT_UN_XML,           /* UN SC consolidated list */
    CORDON_FORMAT_OFSI_XLSX,        /* UK OFSI ConList.xlsx */
    CORDON_FORMAT_OFSI_CSV,         /* UK OFSI ConList.csv */
    CORDON_FORMAT_US_CSL,           /* US Consolidated Screening List CSV(.gz) */
    CORDON_FORMAT_OS_SIMPLE_CSV,    /* OpenSanctions targets.simple.csv */
    CORDON_FORMAT_FTM_JSON,         /* FollowTheMoney entities, JSON lines */
    CORDON_FORMAT_COUNT_
} cordon_format;

/* "ofac_csv", "ofac_xml", "ofac_enhanced_xml", "ofac_advanced_xml",
 * "un_xml", "ofsi_xlsx", "ofsi_csv", "us_csl", "os_simple_csv",
 * "ftm_json". */
CORDON_API const char *cordon_format_name(cordon_format format);
CORDON_API int cordon_format_parse(const char *s, size_t len,
                                   cordon_format *out);

#define CORDON_MAX_SOURCE_FILES 8

/*
 * One list to load: a source name that prefixes entity ids ("ofac_sdn"),
 * its format, and its files. For CORDON_FORMAT_OFAC_CSV the files are
 * told apart by name (sdn.csv/cons_prim.csv is the primary file; alt,
 * add and comments files are optional).
 */
typedef struct cordon_source_spec {
    const char *name;
    cordon_format format;
    const char *files[CORDON_MAX_SOURCE_FILES];
    size_t n_files;
} cordon_source_spec;

/* What was loaded from one source, for `cordon lists` and audits. */
typedef struct cordon_source_info {
    const char *name;
    cordon_format format;
    const char *const *files; /* paths as given */
    size_t n_files;
    const char *published; /* date printed inside the file, ISO, or NULL */
    char sha256[65];        /* hex SHA-256 over the files' bytes, in order */
    size_t n_entities;
    size_t n_by_schema[CORDON_SCHEMA_COUNT_];
    size_t n_names;         /* all names, primary and aliases */
    const char *const *warnings; /* e.g. orphan alias rows */
    size_t n_warnings;
} cordon_source_info;

typedef struct cordon_dataset cordon_dataset;

/* A new, empty dataset, or NULL when out of memory. */
CORDON_API CORDON_NODISCARD cordon_dataset *cordon_dataset_new(void);
CORDON_API void cordon_dataset_free(cordon_dataset *ds);

/*
 * Loads one source into the dataset. All or nothing: on failure the
 * dataset is left exactly as it was and err names the file and the line
 * or record that failed. Recoverable oddities (orphan alias rows, a
 * non-UTF-8 byte in a legacy CSV read as Windows-1252) are kept as
 * warnings in the source's info instead. Loading two sources with the
 * same name is CORDON_EINVAL.
 */
CORDON_API CORDON_NODISCARD int cordon_dataset_load(cordon_dataset *ds,
                                                    const cordon_source_spec *spec,
                                                    cordon_error *err);

/* Number of sources loaded, and each one's info (index < count). */
CORDON_API size_t cordon_dataset_source_count(const cordon_dataset *ds);
CORDON_API const cordon_source_info *
cordon_dataset_source(const cordon_dataset *ds, size_t index);

/* Number of entities, and each one in load order (index < count). */
CORDON_API size_t cordon_dataset_entity_count(const cordon_dataset *ds);
CORDON_API const cordon_entity *cordon_dataset_entity(const cordon_dataset *ds,
                                                      size_t index);
/* The entity with this id ("ofac_sdn:35096"), or NULL. */
CORDON_API const cordon_entity *cordon_dataset_find(const cordon_dataset *ds,
                                                    const char *id,
                                                    size_t len);

/* ------------------------------------------------------------------ */
/* Configuration: which lists to load                                  */
/* ------------------------------------------------------------------ */

typedef struct cordon_config cordon_config;

/*
 * Reads a lists file: one source a line, "NAME FORMAT FILE..." separated
 * by blanks; a '#' that begins a word starts a comment; "double quotes"
 * hold a FILE with blanks; relative FILE paths are relative to the lists
 * file's directory. NAME is 1-64 of a-z 0-9 _ - and unique; FORMAT is a
 * cordon_format_name; 1 to CORDON_MAX_SOURCE_FILES files. Errors
 * (CORDON_EFORMAT, CORDON_EUTF8, CORDON_ETOOBIG, CORDON_EEMPTY for no
 * source) carry the line and column.
 */
CORDON_API CORDON_NODISCARD int cordon_config_read(const char *path,
                                                   cordon_config **out,
                                                   cordon_error *err);
/* Parses the same syntax from memory; relative paths resolve against
 * base_dir (which may be NULL for the current directory). `origin` names
 * the text in errors. */
CORDON_API CORDON_NODISCARD int
cordon_config_parse(const char *text, size_t len, const char *base_dir,
                    const char *origin, cordon_config **out, cordon_error *err);
CORDON_API void cordon_config_free(cordon_config *cfg);
CORDON_API size_t cordon_config_source_count(const cordon_config *cfg);
CORDON_API const cordon_source_spec *
cordon_config_source(const cordon_config *cfg, size_t index);

/* Loads every source of cfg into ds, stopping at the first failure. */
CORDON_API CORDON_NODISCARD int cordon_dataset_load_config(cordon_dataset *ds,
                                                           const cordon_config *cfg,
                                                           cordon_error *err);


/* ------------------------------------------------------------------ */
/* Names: normalization, transliteration, structure, phonetic keys     */
/* ------------------------------------------------------------------ */

/* What a token is within a name. */
typedef enum cordon_token_role {
    CORDON_ROLE_UNKNOWN = 0, /* a name part whose role the text does not show */
    CORDON_ROLE_GIVEN,       /* given name */
    CORDON_ROLE_SURNAME,     /* family name ("KIM" in "KIM, Jong Un") */
    CORDON_ROLE_PATRONYMIC,  /* Vladimirovich, Ivanovna */
    CORDON_ROLE_PARTICLE,    /* al, el, bin, ibn, bint, abu, van, von, de, der */
    CORDON_ROLE_LEGAL_FORM,  /* LLC, OOO, GmbH, Ltd, 有限公司 (canonical form in text) */
    CORDON_ROLE_TITLE,       /* Mr, Dr, President, Sheikh (kept for display only) */
    CORDON_ROLE_NUMBER,      /* a numeral, canonical digits in text: "4" for 4, IV or 4세;
                                "jr" / "sr" for Jr., Junior, Sr., Senior */
    CORDON_ROLE_GENERIC,     /* trading, international, group, holding, company */
    CORDON_ROLE_INITIAL,     /* a single letter, "V." */
    CORDON_ROLE_COUNT_
} cordon_token_role;

/* "unknown", "given", "surname", "patronymic", "particle", "legal_form",
 * "title", "number", "generic", "initial". */
CORDON_API const char *cordon_token_role_name(cordon_token_role role);

/* Scripts a name can be written in (the dominant script of a token). */
typedef enum cordon_script {
    CORDON_SCRIPT_LATIN = 0, CORDON_SCRIPT_CYRILLIC, CORDON_SCRIPT_GREEK,
    CORDON_SCRIPT_ARABIC, CORDON_SCRIPT_HEBREW, CORDON_SCRIPT_HANGUL,
    CORDON_SCRIPT_HAN, CORDON_SCRIPT_KANA, CORDON_SCRIPT_GEORGIAN,
    CORDON_SCRIPT_ARMENIAN, CORDON_SCRIPT_THAI, CORDON_SCRIPT_OTHER,
    CORDON_SCRIPT_COUNT_
} cordon_script;

/* "latin", "cyrillic", "greek", "arabic", "hebrew", "hangul", "han",
 * "kana", "georgian", "armenian", "thai", "other". */
CORDON_API const char *cordon_script_name(cordon_script script);

/* Token flags. */
enum {
    CORDON_TOKEN_JOINED = 1u << 0,   /* made by joining parts: "jongun", "abdulrahman",
                                        a split CJK name whole: "gimjeongeun" */
    CORDON_TOKEN_WEAK = 1u << 1,     /* counts little: title, particle, legal form, generic */
    CORDON_TOKEN_GENERATION = 1u << 2 /* a numeral read as a person's generation (Jr, Sr,
                                         II, III): weighs little, but differing ones
                                         contradict */
};

/*
 * One token of an analysed name. All strings are NUL-terminated
 * lowercase ASCII except `original`.
 *   text      the primary romanized, normalized form ("jong", "putin")
 *   original  the token as written, NFKC + case folded ("ён", "jong-un")
 *   forms     every romanized variant, forms[0] == text, no duplicates
 *             ("putin", "poutine"; "jong", "chong", "jeong")
 *   phonetic  Double Metaphone keys of every form, primary before
 *             alternate, no duplicates ("PTN")
 */
typedef struct cordon_name_token {
    const char *text;
    const char *original;
    cordon_token_role role;
    cordon_script script;
    uint32_t flags;
    const char *const *forms;
    size_t n_forms;
    const char *const *phonetic;
    size_t n_phonetic;
    /* Loose keys, one to three per form (the plain key, and variants
     * hearing English as Asian scripts transcribe it: r after a vowel
     * dropped, soft g, th as s): consonant classes only (b/p/f/v/w,
     * k/g/q, d/t, s/z/j/ch, l/r, m, n), vowels dropped. They let
     * transcriptions that lose vowels or merge sounds meet (Hebrew and
     * Arabic script, kana, Hangul, Chinese renderings of foreign names:
     * "crewson" / 克魯森 "kelusen" -> "KRSN"); weaker evidence than a
     * form or a phonetic key. */
    const char *const *loose;
    size_t n_loose;
    /* For a JOINED token, the parts it joins: tokens[part_first ..
     * part_first + n_parts), which come before it. Zero otherwise. A
     * scorer counts either the joined token or its parts, never both;
     * joined tokens may overlap ("정은" inside "김정은"). */
    size_t part_first;
    size_t n_parts;
} cordon_name_token;

/*
 * A name after analysis. Tokens are in reading order after "SURNAME,
 * Given" reordering (given names first; Korean and Chinese names keep the
 * surname first, as they are written); titles are removed from tokens
 * but listed in `titles`. `normalized` is the space-joined texts of the
 * tokens that are not JOINED.
 */
typedef struct cordon_name_analysis {
    const cordon_name_token *tokens;
    size_t n_tokens;
    const char *normalized;
    const char *const *titles;
    size_t n_titles;
    cordon_script script; /* dominant script of the input */
    cordon_schema schema; /* the hint given, or ORGANIZATION when a legal
                             form was found and the hint was UNKNOWN */
} cordon_name_analysis;

/* Limits that keep analysis bounded on hostile input. */
#define CORDON_NAME_MAX_BYTES 4096  /* longer input is CORDON_ETOOBIG */
#define CORDON_NAME_MAX_TOKENS 64   /* more tokens is CORDON_ETOOBIG */

/*
 * Analyses one name. `schema` is a hint (PERSON enables patronymic and
 * surname logic, ORGANIZATION legal forms; UNKNOWN tries both; titles are
 * read in people's names, never in vessels' or aircraft's). Numerals
 * (digits, Roman II..XXXIX, Jr/Sr at the end of a person's name) become
 * NUMBER tokens with canonical text. Errors:
 * CORDON_EUTF8 (invalid UTF-8, encoded surrogates), CORDON_EEMPTY (no
 * letters or digits), CORDON_ETOOBIG (over the limits above),
 * CORDON_EINVAL (NUL or control characters; tab, CR and LF count as
 * spaces). Thread-safe: any number of
 * threads may analyse at once. The result is freed with
 * cordon_name_analysis_free.
 */
CORDON_API CORDON_NODISCARD int cordon_name_analyze(const char *s, size_t len,
                                                    cordon_schema schema,
                                                    cordon_name_analysis **out,
                                                    cordon_error *err);
CORDON_API void cordon_name_analysis_free(cordon_name_analysis *a);

/*
 * NFKC + case fold + punctuation folding of arbitrary text into buf
 * (NUL-terminated, truncated at a character boundary if buf is small).
 * Returns the length written, or a negative cordon_code.
 */
CORDON_API long cordon_text_fold(const char *s, size_t len, char *buf, size_t size);

/*
 * Double Metaphone keys of an ASCII word (up to 4 characters each;
 * `alternate` equals `primary` when there is none). Returns 0, or
 * CORDON_EINVAL for empty or non-ASCII input.
 */
CORDON_API int cordon_double_metaphone(const char *word, size_t len,
                                       char primary[8], char alternate[8]);

/* ------------------------------------------------------------------ */
/* Index and screening                                                 */
/* ------------------------------------------------------------------ */

/*
 * A compiled index: every entity of a dataset with its analysed names,
 * token statistics and retrieval postings, laid out as one immutable
 * image. cordon_index_build makes it in memory; cordon_index_write saves
 * the same bytes as a snapshot file; cordon_index_open maps a snapshot
 * back without parsing it. Screening behaves identically on a built and
 * an opened index.
 *
 * Ownership: the index owns everything reachable from it (source infos,
 * ids, names, strings in results it produced stay owned by their result).
 * Threads: an index is read-only once built or opened, and any number of
 * threads may screen, compare and read entities with it at once.
 *
 * Snapshot file format (lib/index_file.c has the details): a header with
 * magic "CORDONIX", a format version, a section table with a CRC-32 per
 * section and a CRC-32 over the header itself, and the name, format,
 * files, publication date and SHA-256 of every source list.
 */
typedef struct cordon_index cordon_index;

/* Current snapshot format version; other versions are CORDON_EVERSION. */
#define CORDON_INDEX_FORMAT_VERSION 3

/*
 * Compiles a loaded dataset into an index: analyses every name with
 * cordon_name_analyze (names that fail analysis, e.g. with no letters,
 * are kept for display but not indexed), counts token frequencies and
 * builds the postings. The index copies what it needs; ds may be freed
 * afterwards. Errors: CORDON_ENOMEM, CORDON_EINVAL (ds NULL or empty).
 */
CORDON_API CORDON_NODISCARD int cordon_index_build(const cordon_dataset *ds,
                                                   cordon_index **out,
                                                   cordon_error *err);

/*
 * Writes the index as a snapshot file, atomically: the bytes go to a
 * temporary file beside `path`, which is fsync'd and renamed over it, so
 * readers see the old file or the new one, never a partial one.
 */
CORDON_API CORDON_NODISCARD int cordon_index_write(const cordon_index *idx,
                                                   const char *path,
                                                   cordon_error *err);

/*
 * Opens a snapshot by mmap. Checks the magic, the version, the header and
 * every section's checksum and the consistency of the section table
 * before returning; nothing is parsed or copied. Errors: CORDON_EIO
 * (cannot open or map), CORDON_ECORRUPT (foreign, truncated or damaged
 * file; the message says which part), CORDON_EVERSION.
 */
CORDON_API CORDON_NODISCARD int cordon_index_open(const char *path,
                                                  cordon_index **out,
                                                  cordon_error *err);

/* Frees a built index or unmaps an opened one. Accepts NULL. Results,
 * entities and strings obtained from it must not be used afterwards. */
CORDON_API void cordon_index_close(cordon_index *idx);

/*
 * Hex SHA-256 of the index content (everything but the header), fixed at
 * build time: the same lists give the same hash. For audit records: it
 * names exactly which data a screening decision was made against.
 */
CORDON_API const char *cordon_index_hash(const cordon_index *idx);

/* Sources of the index, in load order, as cordon_dataset_source gives
 * them (files are the paths given at build time). index < count. */
CORDON_API size_t cordon_index_source_count(const cordon_index *idx);
CORDON_API const cordon_source_info *cordon_index_source(const cordon_index *idx,
                                                         size_t index);

/* Number of entities, and of listed names over all entities. */
CORDON_API size_t cordon_index_entity_count(const cordon_index *idx);
CORDON_API size_t cordon_index_name_count(const cordon_index *idx);

/*
 * Position of the entity with this id ("ofac_sdn:35096") in *index.
 * CORDON_ENOTFOUND when there is none. O(log n).
 */
CORDON_API CORDON_NODISCARD int cordon_index_find(const cordon_index *idx,
                                                  const char *id, size_t len,
                                                  size_t *index);

/*
 * The whole record of entity `index` (< cordon_index_entity_count), as
 * the dataset had it: names, dates, places, countries, identifiers,
 * programs, remarks and origin. The record is allocated for the caller
 * and freed with cordon_entity_free; its strings point into the index
 * and stay valid while the index is open. CORDON_EINVAL when out of
 * range, CORDON_ENOMEM.
 */
CORDON_API CORDON_NODISCARD int cordon_index_entity(const cordon_index *idx,
                                                    size_t index,
                                                    cordon_entity **out,
                                                    cordon_error *err);
/* Frees a record from cordon_index_entity. Accepts NULL. */
CORDON_API void cordon_entity_free(cordon_entity *e);

/*
 * One entity (from a dataset or an index) as one line of JSON, no
 * newline, malloc'd, freed with cordon_free; NULL when out of memory or
 * e is NULL. Keys, in this order: {"id", "source", "schema", "names":
 * [{"name", "kind"}], "birth_dates": [{"date", "text"}], "birth_places",
 * "nationalities", "citizenships", "countries" (each [{"code", "text"}],
 * code null when unresolved), "addresses", "identifiers": [{"type",
 * "label", "value", "country"}], "programs", "gender", "title",
 * "listed_on", "remarks", "origin": {"file", "line"}}; absent scalars
 * are null, absent lists []. `cordon show --json` and the server's
 * GET /entities/ID both print this.
 */
CORDON_API char *cordon_entity_json(const cordon_entity *e);

/* How scores are computed. */
typedef enum cordon_algorithm {
    CORDON_ALGORITHM_DEFAULT = 0, /* cordon's token-alignment scorer */
    CORDON_ALGORITHM_OFAC,        /* reproduces OFAC Sanctions List Search */
    CORDON_ALGORITHM_COUNT_
} cordon_algorithm;

/* "default" or "ofac"; parsing accepts those names. */
CORDON_API const char *cordon_algorithm_name(cordon_algorithm algorithm);
CORDON_API int cordon_algorithm_parse(const char *s, size_t len,
                                      cordon_algorithm *out);

/* The documented default threshold of an algorithm (see docs/ENGINE.md
 * for how it was chosen from the benchmark). */
CORDON_API double cordon_default_threshold(cordon_algorithm algorithm);

/*
 * An identifier given in a query. With type CORDON_ID_OTHER the type is
 * taken from a leading label in the value ("IMO 1011551", "MMSI
 * 273...", "passport 123") or, failing that, the value is compared with
 * identifiers of every type. Values compare after removing spaces and
 * punctuation, case-insensitively.
 */
typedef struct cordon_query_id {
    cordon_id_type type;
    const char *value;
    size_t len;
} cordon_query_id;

#define CORDON_QUERY_MAX_BYTES CORDON_NAME_MAX_BYTES /* longer is ETOOBIG */
#define CORDON_QUERY_MAX_IDS 16

/*
 * What to screen. Only `name` is required (unless an identifier is given,
 * which may screen on its own). Zero/NULL fields are not used.
 *   schema      entity type of the party; UNKNOWN matches any type
 *   birth_date  parsed with cordon_date_parse
 *   country     ISO 3166-1 alpha-2 code, or any text
 *               cordon_country_lookup resolves (nationality, residence,
 *               registration or flag)
 */
typedef struct cordon_query {
    const char *name;
    size_t name_len;
    cordon_schema schema;
    const cordon_date *birth_date;
    const char *country;
    size_t country_len;
    const cordon_query_id *ids;
    size_t n_ids;
} cordon_query;

#define CORDON_SCREEN_DEFAULT_LIMIT 10
#define CORDON_SCREEN_MAX_LIMIT 1000

/*
 * How to screen. A zeroed struct (or NULL) means: the default algorithm,
 * its default threshold and CORDON_SCREEN_DEFAULT_LIMIT matches.
 *   threshold  lowest score reported, in (0,1]; 0 means the default
 *   limit      most matches returned (1..CORDON_SCREEN_MAX_LIMIT); 0
 *              means the default
 */
typedef struct cordon_screen_options {
    double threshold;
    size_t limit;
    cordon_algorithm algorithm;
} cordon_screen_options;

/* One aligned token pair of an explanation. `query` or `listed` is NULL
 * for a token left unmatched on that side. */
typedef struct cordon_token_pair {
    const char *query;   /* query token as normalized */
    const char *listed;  /* listed token as normalized */
    double score;        /* similarity in [0,1] */
    double weight;       /* share of the name's weight this pair carries */
    const char *method;  /* "exact", "romanized", "phonetic", "fuzzy",
                            "initial", "joined", "split", "unmatched" */
} cordon_token_pair;

/* A penalty (delta < 0) or bonus (delta > 0) applied to a name score,
 * or a note (delta == 0). `field` is one of "coverage", "order",
 * "weak_alias", "birth_date", "country", "schema", "identifier",
 * "common_tokens". `reason` is a sentence fragment for a person. */
typedef struct cordon_adjustment {
    const char *field;
    double delta;
    const char *reason;
} cordon_adjustment;

/* Qualifiers of the query that were compared with the entity. */
enum {
    CORDON_QUALIFIER_SCHEMA = 1u << 0,
    CORDON_QUALIFIER_BIRTH_DATE = 1u << 1,
    CORDON_QUALIFIER_COUNTRY = 1u << 2,
    CORDON_QUALIFIER_IDENTIFIER = 1u << 3
};

/* Why an entity scored what it did. */
typedef struct cordon_explanation {
    const char *matched_name;     /* the listed name that scored best */
    cordon_name_kind matched_kind;
    double name_score;            /* name similarity before adjustments */
    const cordon_token_pair *pairs;
    size_t n_pairs;
    const cordon_adjustment *adjustments;
    size_t n_adjustments;
    unsigned qualifiers;          /* CORDON_QUALIFIER_* used */
    const char *identifier;       /* the listed identifier that matched
                                     exactly (score 1.0), or NULL */
} cordon_explanation;

/* Entity index in matches that are not entities of an index. */
#define CORDON_NO_ENTITY ((size_t)-1)

/* One listed entity the query may be. */
typedef struct cordon_match {
    size_t entity;         /* for cordon_index_entity */
    const char *id;        /* "ofac_sdn:35096" */
    const char *source;    /* "ofac_sdn" */
    cordon_schema schema;
    const char *name;      /* the entity's primary name */
    double score;          /* in [0,1] */
    cordon_explanation explanation;
} cordon_match;

/*
 * The answer to one query: matches at or above the threshold, highest
 * score first (ties by id), at most `limit`. All strings are owned by the
 * result.
 */
typedef struct cordon_result {
    const char *query;      /* the query name as given */
    const char *normalized; /* the query name as analysed */
    cordon_algorithm algorithm;
    double threshold;
    const cordon_match *matches;
    size_t n_matches;
    size_t n_candidates;    /* listed names scored, for diagnostics */
    int is_comparison;      /* made by cordon_compare */
} cordon_result;

/*
 * Screens one query against the index. Fills *out with a result (which
 * may have no matches) to free with cordon_result_free. Errors:
 * CORDON_EEMPTY (no name and no identifier, or a name with no letters or
 * digits), CORDON_EUTF8, CORDON_ETOOBIG (name over
 * CORDON_QUERY_MAX_BYTES), CORDON_EINVAL (bad options, unknown country,
 * too many ids), CORDON_ENOMEM. Thread-safe on a shared index.
 */
CORDON_API CORDON_NODISCARD int cordon_screen(const cordon_index *idx,
                                              const cordon_query *query,
                                              const cordon_screen_options *opts,
                                              cordon_result **out,
                                              cordon_error *err);

/*
 * Scores one name against another, outside any list. The result always
 * holds exactly one match (entity CORDON_NO_ENTITY, id and source NULL,
 * name and matched_name = name2), whatever its score; `threshold` is the
 * algorithm's default unless opts sets one. idx may be NULL; when given,
 * its token frequencies weight the tokens as screening would.
 */
CORDON_API CORDON_NODISCARD int cordon_compare(const cordon_index *idx,
                                               const char *name1, size_t len1,
                                               const char *name2, size_t len2,
                                               cordon_schema schema,
                                               const cordon_screen_options *opts,
                                               cordon_result **out,
                                               cordon_error *err);

/* Frees a result. Accepts NULL. */
CORDON_API void cordon_result_free(cordon_result *r);

/*
 * A one-line reason for a match, such as "name 0.97 on strong alias
 * \"PUTIN, Vladimir\"; birth date 1952-10-07 matches (+0.02)", into buf
 * (always NUL-terminated, truncated if small). Returns the length the
 * whole line needs, like snprintf.
 */
CORDON_API size_t cordon_match_reason(const cordon_match *m, char *buf,
                                      size_t size);

/* The whole explanation of a match as indented lines of text, malloc'd,
 * freed with cordon_free; NULL when out of memory. */
CORDON_API char *cordon_match_explain(const cordon_match *m);

/*
 * The result as one line of JSON (no newline), malloc'd, freed with
 * cordon_free; NULL when out of memory. Screening results give
 *   {"query", "threshold", "algorithm", "matches": [{"id", "source",
 *    "schema", "name", "matched_name", "score", "reason",
 *    "explanation": {...}}]}
 * and comparisons {"score", "match", "threshold", "explanation"}. The
 * CLI, batch and server all use this, so they print identical JSON.
 */
CORDON_API char *cordon_result_json(const cordon_result *r);

/* Frees memory the library returned as a plain pointer. Accepts NULL. */
CORDON_API void cordon_free(void *p);

/* ------------------------------------------------------------------ */
/* Customer files                                                      */
/* ------------------------------------------------------------------ */

/*
 * A streaming reader of the files customers screen: CSV with a header
 * row (RFC 4180: any one-byte delimiter, quoted fields with doubled
 * quotes, delimiters and line breaks inside; LF, CRLF or CR line ends; a
 * UTF-8 byte order mark is skipped) or JSON lines (one object a line).
 * It reads a file descriptor in fixed chunks and keeps one record at a
 * time, so memory stays flat whatever the file size: it works on pipes
 * and stdin.
 *
 * A bad row does not stop the reader: it comes back as a record with
 * `error` set and a message, and the next call goes on with the next
 * row. Only I/O errors, running out of memory and a bad CSV header are
 * fatal.
 *
 * Ownership: a record and its strings belong to the reader and stay
 * valid until the next cordon_records_next or cordon_records_close.
 * Threads: one reader is used by one thread at a time.
 */
typedef struct cordon_records cordon_records;

typedef enum cordon_records_format {
    CORDON_RECORDS_CSV = 1, /* header row, then one record a row */
    CORDON_RECORDS_JSONL    /* one JSON object a line */
} cordon_records_format;

/* "csv" or "jsonl"; parsing also accepts "ndjson" and "json". */
CORDON_API const char *cordon_records_format_name(cordon_records_format format);
CORDON_API int cordon_records_format_parse(const char *s, size_t len,
                                           cordon_records_format *out);

#define CORDON_RECORDS_MAX_BYTES ((size_t)1 << 20) /* default record ceiling */
#define CORDON_RECORDS_MAX_FIELDS 4096             /* fields in one record */

/*
 * How to read. A zeroed struct (or NULL) means CSV, ',' and
 * CORDON_RECORDS_MAX_BYTES.
 *   delimiter         CSV field separator (not '"', CR or LF); 0 is ','
 *   max_record_bytes  longest record kept; longer ones are skipped as
 *                     bad rows (CORDON_ETOOBIG); 0 is the default
 */
typedef struct cordon_records_options {
    cordon_records_format format;
    char delimiter;
    size_t max_record_bytes;
} cordon_records_options;

/* One field: its column name (the CSV header cell or the JSON key) and
 * its value, both NUL-terminated valid UTF-8 with no NUL inside. JSON
 * strings are given decoded, numbers and booleans as written, null as
 * "", arrays and objects as compact JSON. */
typedef struct cordon_field {
    const char *name;
    const char *value;
    size_t len;
} cordon_field;

/*
 * One row. `number` counts data rows from 1 (the CSV header and blank
 * lines are not rows); `line` is the input line where the row starts.
 * When `error` is 0 the fields are the row's cells in order (for CSV,
 * exactly one per header column). Otherwise the row is bad, n_fields is
 * 0, `column` is the 1-based field at fault (0 when none) and `message`
 * says what is wrong:
 *   CORDON_EFORMAT  wrong number of fields for the header, unterminated
 *                   quoted field, text after a closing quote, a NUL
 *                   byte, malformed JSON, a JSON line that is not an
 *                   object or repeats a key
 *   CORDON_EUTF8    invalid UTF-8
 *   CORDON_ETOOBIG  over max_record_bytes or CORDON_RECORDS_MAX_FIELDS
 */
typedef struct cordon_record {
    unsigned long number;
    unsigned long line;
    const cordon_field *fields;
    size_t n_fields;
    int error;
    unsigned long column;
    const char *message; /* "" when error is 0 */
} cordon_record;

/*
 * Starts reading fd (which the reader does not close) and, for CSV,
 * reads the header row. `origin` names the input in errors (e.g. the
 * file name, or "-"; may be NULL). Errors: CORDON_EINVAL (bad options),
 * CORDON_EIO, CORDON_ENOMEM; for CSV also CORDON_EEMPTY (no header row),
 * and CORDON_EFORMAT, CORDON_EUTF8 or CORDON_ETOOBIG for a bad header
 * (including a UTF-16 byte order mark).
 */
CORDON_API CORDON_NODISCARD int cordon_records_open(int fd,
                                                    const cordon_records_options *opts,
                                                    const char *origin,
                                                    cordon_records **out,
                                                    cordon_error *err);
/* Frees the reader (not the fd). Accepts NULL. */
CORDON_API void cordon_records_close(cordon_records *r);

/* CSV header columns, in order (0 for JSON lines, whose keys are per
 * row). Names are as written in the header, unquoted. */
CORDON_API size_t cordon_records_column_count(const cordon_records *r);
CORDON_API const char *cordon_records_column(const cordon_records *r,
                                             size_t index);

/*
 * Reads the next row into *rec: returns 1 for a row (good or bad; see
 * rec->error), 0 at the end of the input, or a negative code for a fatal
 * error (CORDON_EIO, CORDON_ENOMEM), after which the reader is done.
 */
CORDON_API CORDON_NODISCARD int cordon_records_next(cordon_records *r,
                                                    cordon_record *rec,
                                                    cordon_error *err);

/* Bytes of input consumed so far, for progress against a known size. */
CORDON_API uint64_t cordon_records_offset(const cordon_records *r);

/*
 * The field of rec whose column name equals name[0..len), ignoring ASCII
 * case and blanks around the column name; the first one if several do.
 * NULL when there is none.
 */
CORDON_API const cordon_field *cordon_record_field(const cordon_record *rec,
                                                   const char *name,
                                                   size_t len);

/* ------------------------------------------------------------------ */
/* Shipments                                                           */
/* ------------------------------------------------------------------ */

/*
 * Trade-control screening of a whole shipment: its parties through the
 * matching engine, its places against country and territory regimes,
 * and its goods (by HS code, or by description keywords) against
 * restricted-goods rules. The rules are data: a JSON rules file in
 * which every rule cites its legal source (data/rules/rules.json; the
 * format is in docs/SHIPMENTS.md).
 *
 * Ownership: rules, rates, shipments and results own all their strings;
 * pointers into one stay valid until it is freed. Threads: loaded rules
 * and rates and parsed shipments are immutable; any number of threads
 * may screen with them at once.
 */

/* What a rule or a shipment decision calls for, mildest first. */
typedef enum cordon_action {
    CORDON_ACTION_CLEAR = 0,  /* nothing to do (for a reason: a note) */
    CORDON_ACTION_REVIEW,     /* a person must decide */
    CORDON_ACTION_BLOCK       /* do not ship */
} cordon_action;

/* "CLEAR", "REVIEW" or "BLOCK"; parsing also accepts lower case. */
CORDON_API const char *cordon_action_name(cordon_action action);
CORDON_API int cordon_action_parse(const char *s, size_t len,
                                   cordon_action *out);

/* Which places of a shipment a rule looks at (bit flags). */
enum {
    CORDON_SCOPE_DESTINATION = 1u << 0, /* destination; consignee's and
                                           end user's country */
    CORDON_SCOPE_ORIGIN = 1u << 1,      /* origin; shipper's country */
    CORDON_SCOPE_TRANSIT = 1u << 2,     /* ports and places on the route */
    CORDON_SCOPE_PARTY = 1u << 3        /* any party's country or flag */
};

typedef enum cordon_rule_kind {
    CORDON_RULE_COUNTRY = 1, /* a regime on countries or territories */
    CORDON_RULE_GOODS        /* restricted goods to or from countries */
} cordon_rule_kind;

/*
 * One rule as loaded. Countries are ISO 3166-1 alpha-2 codes or the
 * region codes of cordon_country_lookup (QC Crimea, ...). Goods rules
 * list HS prefixes of 2 to 10 digits; value_over > 0 means the rule
 * applies only when one item is worth more than value_over in
 * `currency`.
 */
typedef struct cordon_rule {
    const char *id;          /* unique, e.g. "un-dprk-luxury-vehicles" */
    cordon_rule_kind kind;
    cordon_action action;    /* REVIEW or BLOCK */
    unsigned scope;          /* CORDON_SCOPE_* */
    const char *title;       /* what it is about, for people */
    const char *covers;      /* the words of the legal text, or NULL */
    const char *source;      /* instrument and article/annex/paragraph */
    const char *note;        /* or NULL */
    const char *caveat;      /* what about the citation is unverified, or NULL */
    const char *const *countries;
    size_t n_countries;
    const char *const *hs;   /* goods rules: HS prefixes, digits only */
    size_t n_hs;
    double value_over;       /* 0 when there is no threshold */
    const char *currency;    /* ISO 4217 code of value_over, or NULL */
} cordon_rule;

typedef struct cordon_rules cordon_rules;

#define CORDON_RULES_MAX_BYTES ((size_t)16 << 20) /* per rules file */

/*
 * Reads a rules file and the files its "include" list names (relative
 * to its directory). Every rule must cite a "source"; ids are unique;
 * countries must be known codes; HS prefixes 2 to 10 digits; unknown
 * keys are errors, so that a misspelt key cannot silently weaken a
 * rule. Errors (CORDON_EFORMAT with line and column for JSON syntax, or
 * the JSON path of the bad field, such as "rules[3].hs[0]";
 * CORDON_EIO; CORDON_ETOOBIG; CORDON_ENOMEM) name the file.
 */
CORDON_API CORDON_NODISCARD int cordon_rules_read(const char *path,
                                                  cordon_rules **out,
                                                  cordon_error *err);
/* Parses a rules document from memory. `base_dir` resolves "include"
 * (NULL: an include is CORDON_EINVAL); `origin` names it in errors. */
CORDON_API CORDON_NODISCARD int cordon_rules_parse(const char *text, size_t len,
                                                   const char *base_dir,
                                                   const char *origin,
                                                   cordon_rules **out,
                                                   cordon_error *err);
CORDON_API void cordon_rules_free(cordon_rules *rules);

/* Rules in file order (index < count), and the rule with an id or NULL. */
CORDON_API size_t cordon_rules_count(const cordon_rules *rules);
CORDON_API const cordon_rule *cordon_rules_get(const cordon_rules *rules,
                                               size_t index);
CORDON_API const cordon_rule *cordon_rules_find(const cordon_rules *rules,
                                                const char *id);
/* The "as_of" date of the rules file ("" when it has none). */
CORDON_API const char *cordon_rules_as_of(const cordon_rules *rules);

/*
 * Resolves a place as shipments write it ("Nampo", "Namp'o, DPRK",
 * "Sevastopol", "Hamburg (Germany)", "KP", "Russia") with the rules'
 * gazetteer and cordon_country_lookup. Writes the country or region
 * code to out. Returns 0, or CORDON_ENOTFOUND.
 */
CORDON_API int cordon_rules_place(const cordon_rules *rules, const char *s,
                                  size_t len, char out[3]);

/* A table of exchange rates. */
typedef struct cordon_rates cordon_rates;

/*
 * Parses rates as JSON: {"base": "EUR", "date": "2025-06-02", "rates":
 * {"USD": 1.1379, "GBP": 0.8423}}, meaning 1 EUR = 1.1379 USD (the
 * ECB's form). Codes are three capital letters; rates are positive.
 * `origin` names the text in errors. CORDON_EFORMAT names the field.
 */
CORDON_API CORDON_NODISCARD int cordon_rates_parse(const char *text, size_t len,
                                                   const char *origin,
                                                   cordon_rates **out,
                                                   cordon_error *err);
CORDON_API CORDON_NODISCARD int cordon_rates_read(const char *path,
                                                  cordon_rates **out,
                                                  cordon_error *err);
CORDON_API void cordon_rates_free(cordon_rates *rates);
/* Converts amount from one currency to another; 0, or CORDON_ENOTFOUND
 * when the table cannot. Same currency converts without a table. */
CORDON_API int cordon_rates_convert(const cordon_rates *rates, double amount,
                                    const char *from, const char *to,
                                    double *out);

/* A parsed shipment. */
typedef struct cordon_shipment cordon_shipment;

#define CORDON_SHIPMENT_MAX_BYTES ((size_t)4 << 20)
#define CORDON_SHIPMENT_MAX_PARTIES 64
#define CORDON_SHIPMENT_MAX_GOODS 4096
#define CORDON_SHIPMENT_MAX_ROUTE 256

/*
 * Parses a shipment (JSON; docs/SHIPMENTS.md has the format):
 *   {"reference", "parties": [{"role", "name", "type", "country", "ids",
 *    "birth_date", "address"}], "goods": [{"description", "hs_code",
 *    "value", "currency", "quantity", "unit"}], "origin", "destination",
 *    "route": [PLACE...], "rates": {RATES}, "notes"}
 * Roles: shipper, consignee, end_user, notify_party, intermediary,
 * carrier_vessel; a shipper and a consignee are required. Places are
 * resolved with cordon_rules_place (rules may be NULL: countries only).
 * Errors are CORDON_EFORMAT (or CORDON_EUTF8) naming the JSON path of
 * the field, e.g. "goods[2].hs_code: \"87A390\" is not an HS code (6 to
 * 10 digits)"; invalid JSON gives the line and column. Refused: unknown
 * keys, unknown country codes or places of origin and destination,
 * malformed HS codes, negative or non-finite values, a value without a
 * currency, no parties, no goods; CORDON_ETOOBIG past the limits above.
 */
CORDON_API CORDON_NODISCARD int cordon_shipment_parse(const cordon_rules *rules,
                                                      const char *json, size_t len,
                                                      const char *origin,
                                                      cordon_shipment **out,
                                                      cordon_error *err);
CORDON_API void cordon_shipment_free(cordon_shipment *s);

typedef enum cordon_reason_kind {
    CORDON_REASON_PARTY = 1, /* a party matches a listed entity */
    CORDON_REASON_COUNTRY,   /* a place is under a country regime */
    CORDON_REASON_GOODS,     /* goods fall under a goods rule */
    CORDON_REASON_NOTE       /* something the screening could not check */
} cordon_reason_kind;

/* "party", "country", "goods", "note". */
CORDON_API const char *cordon_reason_kind_name(cordon_reason_kind kind);

/*
 * One reason of a decision. `subject` is the JSON path of what it is
 * about ("parties[1]", "goods[0]", "destination"; a country reason that
 * several places share lists them, "destination, route[1]"). Party
 * reasons cite the list (`source`) and entity id; the others cite their
 * rule (`rule`, `source`). Fields that do not apply are NULL or 0.
 */
typedef struct cordon_reason {
    cordon_action action;     /* BLOCK or REVIEW; CLEAR for a note that
                                 changes nothing */
    cordon_reason_kind kind;
    const char *subject;
    const char *role;         /* party: its role */
    const char *rule;         /* rule id */
    const char *source;       /* legal source, or for parties the list */
    const char *caveat;       /* the rule's caveat, or NULL */
    const char *entity;       /* party: matched entity id */
    const char *entity_name;  /* party: its primary name */
    double score;             /* party: match score */
    const char *country;      /* country: the code */
    const char *hs;           /* goods: the HS code or heading used */
    const char *basis;        /* goods: "declared" or "description" */
    const char *keyword;      /* goods: the keyword that classified it */
    const char *message;      /* one sentence for a person */
} cordon_reason;

typedef struct cordon_shipment_result {
    cordon_action decision;   /* the strongest action of the reasons */
    const char *reference;    /* the shipment's reference, or NULL */
    const char *origin;       /* resolved codes, or NULL when not given */
    const char *destination;
    const char *rules_as_of;
    const cordon_reason *reasons; /* parties, countries, goods, notes */
    size_t n_reasons;
} cordon_shipment_result;

/*
 * How to screen. Zeroed (or NULL) means: no rates beyond the
 * shipment's own, and the rules file's party thresholds.
 *   rates            used when the shipment's own "rates" cannot convert
 *   review_threshold, block_threshold   override the rules file's
 *   algorithm        name-matching algorithm for parties
 */
typedef struct cordon_shipment_options {
    const cordon_rates *rates;
    double review_threshold;
    double block_threshold;
    cordon_algorithm algorithm;
} cordon_shipment_options;

/*
 * Screens a shipment: every party with cordon_screen against idx (idx
 * may be NULL: parties are then not screened and a note says so), every
 * place against the country rules, every goods line against the goods
 * rules. Errors: CORDON_EINVAL (NULL rules or shipment, bad options),
 * CORDON_ENOMEM, or a screening error naming the party's path. The
 * result is freed with cordon_shipment_result_free.
 */
CORDON_API CORDON_NODISCARD int
cordon_shipment_screen(const cordon_index *idx, const cordon_rules *rules,
                       const cordon_shipment *s,
                       const cordon_shipment_options *opts,
                       cordon_shipment_result **out, cordon_error *err);
CORDON_API void cordon_shipment_result_free(cordon_shipment_result *r);

/*
 * The result as one line of JSON, or as readable text (lines ending in
 * "\n"); malloc'd, freed with cordon_free; NULL when out of memory.
 * JSON: {"decision", "reference", "origin", "destination", "rules_as_of",
 * "reasons": [{"action", "kind", "subject", "role", "rule", "source",
 * "caveat", "entity", "entity_name", "score", "country", "hs", "basis",
 * "keyword", "message"}]} with absent fields left out.
 */
CORDON_API char *cordon_shipment_result_json(const cordon_shipment_result *r);
CORDON_API char *cordon_shipment_result_text(const cordon_shipment_result *r);

/* ------------------------------------------------------------------ */
/* Audit and monitoring                                                */
/* ------------------------------------------------------------------ */

/*
 * Decisions that last. A store keeps the audit log (every screening
 * decision, hash-chained so tampering shows), the monitored customers,
 * the monitor runs with the content hash of every listed entity they saw,
 * the alerts they raised and the analysts' decisions on them.
 *
 * One backend today: SQLite, a single file in WAL mode with
 * synchronous=FULL (a committed decision survives a power cut, not just
 * a crash) and a busy timeout, so several processes can share it. The
 * backend sits behind a small table of functions (lib/store_int.h);
 * docs/AUDIT.md says how a PostgreSQL store would plug in.
 *
 * Ownership: records, alerts and diffs handed to callbacks are valid
 * only during the call; objects returned are freed with their *_free or
 * *_close function. Threads: a store handle is used by one thread at a
 * time; give each thread its own, or hand records to a
 * cordon_audit_writer. Any number of processes may open one file.
 */
typedef struct cordon_store cordon_store;

/*
 * Opens the store at `target`, creating the file and its tables when
 * absent: a file path, or "sqlite:PATH". "postgresql://..." is
 * CORDON_EUNSUPPORTED (not built yet). Errors: CORDON_EIO (cannot open
 * or create; the message has SQLite's reason), CORDON_ECORRUPT (not a
 * database, or a cordon store of another schema version),
 * CORDON_EVERSION (a newer schema than this library knows).
 */
CORDON_API CORDON_NODISCARD int cordon_store_open(const char *target, cordon_store **out,
                                                  cordon_error *err);
/* Closes a store (checkpointing its WAL). Accepts NULL. */
CORDON_API void cordon_store_close(cordon_store *st);

/* Timestamps are Unix time in milliseconds, UTC. */
CORDON_API int64_t cordon_time_now(void);
/*
 * Parses a time as the audit and monitor commands take it: an ISO 8601
 * date or date-time in UTC ("2025-06-01", "2025-06-01T14:30",
 * "2025-06-01 14:30:05Z", "2025-06-01T14:30:05.250Z"), or an age before
 * `now_ms` ("90s", "30m", "12h", "7d"). Returns 0, CORDON_EFORMAT, or
 * CORDON_EINVAL for NULL arguments.
 */
CORDON_API int cordon_time_parse(const char *s, size_t len, int64_t now_ms, int64_t *out_ms);
/* Writes "2025-06-01T14:30:05.250Z" (24 characters and a NUL). Returns buf. */
CORDON_API char *cordon_time_format(int64_t ms, char buf[32]);

/*
 * One audit record. Text fields are UTF-8 and never NULL once stored;
 * `query`, `options` and `context` are JSON objects and `matches` a
 * JSON array, so that a record reads on its own.
 *   kind      "screen", "batch", "search", "match" (server), "monitor",
 *             "decide" (an analyst's decision on an alert)
 *   caller    "cli" or the API key id
 *   subject   what --query searches: the name screened, or "alert N"
 *   query     {"name", "schema", "birth_date", "country", "ids"}
 *   options   {"algorithm", "threshold", "limit"}, or the decision
 *   context   where it came from, e.g. {"file": "c.csv", "row": 12}
 *   snapshot  cordon_index_hash of the index screened against ("" when
 *             none)
 *   matches   [{"id", "name", "matched_name", "score"}]
 *   version   the cordon version that screened
 * seq, time_ms, prev_hash and hash are set by cordon_audit_append: seq
 * counts from 1 without gaps, prev_hash is the hash of record seq - 1
 * (64 zeros for the first), hash the SHA-256 of the record's canonical
 * form (docs/AUDIT.md), which covers every field and prev_hash.
 */
typedef struct cordon_audit_record {
    uint64_t seq;
    int64_t time_ms; /* 0 when appending: now */
    const char *kind;
    const char *caller;
    const char *subject;
    const char *query;
    const char *options;
    const char *context;
    const char *snapshot;
    const char *matches;
    size_t n_matches;
    const char *version; /* NULL when appending: cordon_version() */
    char prev_hash[65];
    char hash[65];
} cordon_audit_record;

/*
 * The record of one screening: the query, options and result as JSON,
 * the index hash and this version. `context` is a JSON object or NULL.
 * The record and its strings are one allocation, freed with
 * cordon_audit_record_free. Thread-safe; needs no store. Errors:
 * CORDON_EINVAL (a NULL kind, caller, query or result), CORDON_ENOMEM.
 */
CORDON_API CORDON_NODISCARD int
cordon_audit_record_screen(const char *kind, const char *caller, const cordon_query *query,
                           const cordon_screen_options *opts, const cordon_index *idx,
                           const cordon_result *result, const char *context,
                           cordon_audit_record **out, cordon_error *err);
/* A deep copy of rec, freed with cordon_audit_record_free. NULL fields
 * become "" ("{}" or "[]" for the JSON ones). */
CORDON_API CORDON_NODISCARD int cordon_audit_record_copy(const cordon_audit_record *rec,
                                                         cordon_audit_record **out,
                                                         cordon_error *err);
CORDON_API void cordon_audit_record_free(cordon_audit_record *rec);

/*
 * Appends records in one transaction, in order: sets each one's seq,
 * time_ms (when 0), version (when NULL), prev_hash and hash. All or
 * nothing. The log has no update or delete: the SQLite backend also
 * refuses UPDATE and DELETE on it with triggers. Errors: CORDON_EINVAL
 * (a NULL field other than time and version, JSON fields that are not
 * JSON), CORDON_EIO (the database, e.g. busy past the timeout).
 */
CORDON_API CORDON_NODISCARD int cordon_audit_append(cordon_store *st,
                                                    cordon_audit_record *const *recs,
                                                    size_t n, cordon_error *err);

/* Which records cordon_audit_scan returns; zeroed means all. */
typedef struct cordon_audit_filter {
    int64_t since_ms;   /* time_ms >= since_ms (0: no bound) */
    int64_t until_ms;   /* time_ms < until_ms (0: no bound) */
    const char *query;  /* subject contains this text, ignoring ASCII case */
    const char *kind;   /* exactly this kind */
    uint64_t seq_from;  /* seq >= seq_from (0: no bound) */
    uint64_t seq_to;    /* seq <= seq_to (0: no bound) */
    size_t limit;       /* at most this many (0: no limit) */
} cordon_audit_filter;

/* Called once per record; a non-zero return stops the scan and is
 * returned by it. The record is valid during the call only. */
typedef int (*cordon_audit_fn)(void *ctx, const cordon_audit_record *rec);

/* Calls fn for every record the filter admits, in seq order. */
CORDON_API CORDON_NODISCARD int cordon_audit_scan(cordon_store *st,
                                                  const cordon_audit_filter *filter,
                                                  cordon_audit_fn fn, void *ctx,
                                                  cordon_error *err);

/* What cordon_audit_verify found. */
typedef struct cordon_audit_check {
    uint64_t records;   /* records checked */
    uint64_t bad_seq;   /* first bad record, 0 when all are good */
    uint64_t head_seq;  /* the last record, 0 for an empty log */
    char head_hash[65]; /* its hash: publish it to anchor the log */
} cordon_audit_check;

/*
 * Walks the whole log in seq order and checks that seqs run 1, 2, 3...
 * without a gap, that each record's prev_hash is the hash of the record
 * before, and that each hash is the SHA-256 of the record as stored.
 * Returns 0 when all hold; CORDON_ECORRUPT when one does not, with
 * check->bad_seq and a message naming the record and what is wrong
 * ("audit record 17: its hash does not match its content"); CORDON_EIO.
 * A log cut short at its end still verifies: compare head_hash with a
 * published one (`cordon audit verify --head`) to catch that.
 */
CORDON_API CORDON_NODISCARD int cordon_audit_verify(cordon_store *st, cordon_audit_check *check,
                                                    cordon_error *err);

/*
 * One record as one line of JSON (no newline), malloc'd, freed with
 * cordon_free; NULL when out of memory. Keys: {"seq", "time", "kind",
 * "caller", "subject", "query", "options", "context", "snapshot",
 * "matches", "n_matches", "version", "prev_hash", "hash"}, the JSON
 * fields embedded as JSON.
 */
CORDON_API char *cordon_audit_record_json(const cordon_audit_record *rec);

/*
 * A background writer for many threads: records pushed from any thread
 * are appended by one thread of its own, which commits whatever has
 * queued up in one transaction (up to 4096 records), so a steady stream
 * costs one fsync per transaction, not per record. Once a record is
 * queued it waits up to 10 ms for more (1024 queued, a flush or a close
 * end the wait at once) before it commits. It opens its own
 * connection to `target` (as cordon_store_open).
 */
typedef struct cordon_audit_writer cordon_audit_writer;

CORDON_API CORDON_NODISCARD int cordon_audit_writer_open(const char *target,
                                                         cordon_audit_writer **out,
                                                         cordon_error *err);
/*
 * Queues a record, taking ownership of it (from cordon_audit_record_screen
 * or _copy; it is freed once written). Waits while 65536 records are
 * queued. Thread-safe. Once a write has failed, every push fails with
 * that error (the record is freed).
 */
CORDON_API CORDON_NODISCARD int cordon_audit_writer_push(cordon_audit_writer *w,
                                                         cordon_audit_record *rec,
                                                         cordon_error *err);
/* Waits until every record pushed before the call is committed. Returns
 * the first write error, or 0. Thread-safe. */
CORDON_API CORDON_NODISCARD int cordon_audit_writer_flush(cordon_audit_writer *w,
                                                          cordon_error *err);
/*
 * Writes what is queued, stops the thread and closes the connection.
 * Returns the first write error, or 0; *written (may be NULL) is the
 * number of records committed over the writer's life. Accepts NULL.
 */
CORDON_API int cordon_audit_writer_close(cordon_audit_writer *w, uint64_t *written,
                                         cordon_error *err);

/*
 * Hex SHA-256 of an entity's content: every field but its origin (file
 * and line, which move when other entities are added above it), in a
 * fixed canonical form. Equal for the same record read from a dataset
 * or an index. Alerts and monitor runs keep it to know when an entity's
 * record changed.
 */
CORDON_API void cordon_entity_hash(const cordon_entity *e, char out[65]);

/* ---- list versions --------------------------------------------------- */

typedef enum cordon_change {
    CORDON_CHANGE_ADDED = 1,
    CORDON_CHANGE_REMOVED,
    CORDON_CHANGE_CHANGED
} cordon_change;

/* "added", "removed", "changed". */
CORDON_API const char *cordon_change_name(cordon_change change);

/* Which parts of a changed entity differ (bit flags). */
enum {
    CORDON_DIFF_NAMES = 1u << 0,       /* a name or alias, or its kind */
    CORDON_DIFF_IDENTIFIERS = 1u << 1,
    CORDON_DIFF_PROGRAMS = 1u << 2,
    CORDON_DIFF_SCHEMA = 1u << 3,
    CORDON_DIFF_BIRTH = 1u << 4,       /* birth dates or places */
    CORDON_DIFF_COUNTRIES = 1u << 5,   /* nationalities, citizenships, countries */
    CORDON_DIFF_ADDRESSES = 1u << 6,
    CORDON_DIFF_OTHER = 1u << 7        /* gender, title, listed_on, remarks */
};

/* "names", "identifiers", "programs", "schema", "birth", "countries",
 * "addresses", "other" for one flag; NULL otherwise. */
CORDON_API const char *cordon_diff_field_name(unsigned field);

/*
 * One entity that differs. Old and new records are given where they
 * exist. For CHANGED, `fields` says what differs and the lists below
 * hold what one version has and the other lacks (pointers into the
 * records): names compare by text and kind, identifiers by type, value
 * and country, programs by text.
 */
typedef struct cordon_entity_diff {
    cordon_change change;
    const char *id;
    const cordon_entity *old_entity; /* NULL when added */
    const cordon_entity *new_entity; /* NULL when removed */
    unsigned fields;                 /* CORDON_DIFF_*; 0 unless CHANGED */
    const cordon_name *const *names_added;
    size_t n_names_added;
    const cordon_name *const *names_removed;
    size_t n_names_removed;
    const cordon_identifier *const *ids_added;
    size_t n_ids_added;
    const cordon_identifier *const *ids_removed;
    size_t n_ids_removed;
    const char *const *programs_added;
    size_t n_programs_added;
    const char *const *programs_removed;
    size_t n_programs_removed;
} cordon_entity_diff;

typedef struct cordon_diff cordon_diff;

/*
 * Compares two versions of the lists entity by entity (by id; changed
 * means cordon_entity_hash differs). Entries are sorted by id. The diff
 * points into both sides, which must stay open (loaded) while it is
 * used. Errors: CORDON_EINVAL (NULL arguments), CORDON_ENOMEM.
 */
CORDON_API CORDON_NODISCARD int cordon_diff_indexes(const cordon_index *old_idx,
                                                    const cordon_index *new_idx,
                                                    cordon_diff **out, cordon_error *err);
CORDON_API CORDON_NODISCARD int cordon_diff_datasets(const cordon_dataset *old_ds,
                                                     const cordon_dataset *new_ds,
                                                     cordon_diff **out, cordon_error *err);
CORDON_API void cordon_diff_free(cordon_diff *d);
/* Entries (index < count), and the totals: entities added, removed,
 * changed, and present unchanged in both (any pointer may be NULL). */
CORDON_API size_t cordon_diff_count(const cordon_diff *d);
CORDON_API const cordon_entity_diff *cordon_diff_get(const cordon_diff *d, size_t index);
CORDON_API void cordon_diff_totals(const cordon_diff *d, size_t *added, size_t *removed,
                                   size_t *changed, size_t *unchanged);
/*
 * One entry as one line of JSON, malloc'd, freed with cordon_free:
 * {"change", "id", "name", "fields": [...], "names_added": [{"name",
 * "kind"}], "names_removed", "ids_added": [{"type", "value",
 * "country"}], "ids_removed", "programs_added", "programs_removed"};
 * an added or removed entry also has "entity" (cordon_entity_json).
 */
CORDON_API char *cordon_entity_diff_json(const cordon_entity_diff *e);

/* ---- continuous screening ------------------------------------------- */

/*
 * A monitored customer: an id unique in the store and the fields
 * screening uses. NUL-terminated UTF-8; fields other than id and name
 * may be NULL or "". `birth_date` is any text cordon_date_parse reads,
 * `country` any text cordon_country_lookup resolves.
 */
typedef struct cordon_customer {
    const char *id;
    const char *name;
    cordon_schema schema;
    const char *birth_date;
    const char *country;
    const char *identifier;
} cordon_customer;

#define CORDON_CUSTOMER_MAX_ID 256 /* bytes of a customer id */

/*
 * Checks a customer as cordon_monitor_add would: an id of 1 to
 * CORDON_CUSTOMER_MAX_ID bytes, a name screening accepts, a date that
 * parses, a country that resolves, an identifier of at least 3 letters
 * or digits. 0, or the code (CORDON_EEMPTY, CORDON_ETOOBIG, CORDON_EUTF8,
 * CORDON_EDATE, CORDON_EINVAL) with a message naming the field.
 */
CORDON_API CORDON_NODISCARD int cordon_customer_check(const cordon_customer *c,
                                                      cordon_error *err);

typedef struct cordon_monitor_add_stats {
    size_t added;     /* ids not seen before */
    size_t changed;   /* known ids whose fields changed: screened again */
    size_t unchanged;
} cordon_monitor_add_stats;

/*
 * Registers customers, or updates them by id, in one transaction (all
 * or nothing; the first bad customer fails it, see
 * cordon_customer_check). A new or changed customer is screened against
 * the whole index by the next cordon_monitor_run. stats may be NULL
 * (counts are added to it otherwise).
 */
CORDON_API CORDON_NODISCARD int cordon_monitor_add(cordon_store *st, const cordon_customer *c,
                                                   size_t n, cordon_monitor_add_stats *stats,
                                                   cordon_error *err);

/* How to run. Zeroed means: the default threshold, one thread, delta. */
typedef struct cordon_monitor_options {
    double threshold;   /* lowest score that alerts; 0: the default */
    unsigned threads;   /* screening threads; 0 is 1 */
    int full;           /* screen every customer against the whole index */
    int no_audit;       /* do not write an audit record per screening */
    const char *caller; /* for audit records and runs; NULL is "cli" */
} cordon_monitor_options;

/* What a run did. */
typedef struct cordon_monitor_report {
    int64_t run;
    char snapshot[65];       /* cordon_index_hash of the index */
    char previous[65];       /* of the last finished run, "" for the first */
    size_t customers;        /* monitored */
    size_t screened;         /* new or changed (or, full, all): whole index */
    size_t entities_added;   /* since the last finished run */
    size_t entities_changed;
    size_t entities_removed;
    size_t scanned;          /* customers checked against those entities */
    size_t candidates;       /* of them, sharing a retrieval key: screened */
    size_t alerts;           /* new alerts */
    double seconds;
    size_t near_misses;      /* delta: kept near misses on unchanged entities, rescored */
    size_t rescored;         /* delta: customers screened again for them */
    double max_drift;        /* delta: largest |score change| among them */
} cordon_monitor_report;

typedef enum cordon_alert_status {
    CORDON_ALERT_OPEN = 0,
    CORDON_ALERT_CLEARED,
    CORDON_ALERT_CONFIRMED
} cordon_alert_status;

/* "open", "cleared", "confirmed"; parsing accepts those and "clear",
 * "confirm". */
CORDON_API const char *cordon_alert_status_name(cordon_alert_status s);
CORDON_API int cordon_alert_status_parse(const char *s, size_t len, cordon_alert_status *out);

/*
 * One alert: a customer that scored at or above the threshold against a
 * listed entity. An alert is raised once per (customer, entity, customer
 * data hash, entity content hash): so a cleared alert stays cleared
 * until the customer's data or the entity's record changes.
 */
typedef struct cordon_alert {
    int64_t id;
    int64_t run;           /* the run that raised it */
    int64_t time_ms;
    const char *customer;  /* customer id */
    const char *customer_name;
    const char *entity;    /* entity id */
    const char *entity_name;
    double score;
    const char *reason;    /* cordon_match_reason */
    cordon_alert_status status;
    const char *note;      /* the last decision's note, or NULL */
    const char *customer_hash; /* of the customer's data when raised */
    const char *entity_hash;   /* cordon_entity_hash when raised */
} cordon_alert;

/* Called per alert; valid during the call only. Non-zero stops. */
typedef int (*cordon_alert_fn)(void *ctx, const cordon_alert *alert);

/*
 * Screens what needs it and records new alerts:
 *  1. customers added or changed since they were last screened (every
 *     customer with opts->full) against the whole index;
 *  2. when the index differs from the last finished run's, every other
 *     customer against only the entities added or changed since then:
 *     customers that share no retrieval key (a name form, typo key,
 *     phonetic or loose key, identifier) with those entities cannot
 *     match them and are skipped without being analysed; the rest are
 *     screened against the index and only matches on those entities
 *     count. Scores are those of a full screening with the same index.
 * Work is committed in chunks, so a run that is killed loses at most
 * the chunk in progress, and the next run takes up what is left. Each
 * customer screened also gets an audit record (unless opts->no_audit).
 * on_alert (may be NULL) sees every new alert. Matching uses the
 * default algorithm, all matches at or above the threshold (up to
 * CORDON_SCREEN_MAX_LIMIT a customer). Errors: CORDON_EINVAL,
 * CORDON_EIO, CORDON_ENOMEM, or the callback's return.
 */
CORDON_API CORDON_NODISCARD int cordon_monitor_run(cordon_store *st, const cordon_index *idx,
                                                   const cordon_monitor_options *opts,
                                                   cordon_alert_fn on_alert, void *ctx,
                                                   cordon_monitor_report *report,
                                                   cordon_error *err);

/* Which alerts cordon_alert_scan returns; zeroed means all. */
typedef struct cordon_alert_filter {
    int status;           /* a cordon_alert_status, or -1 for any */
    int64_t run;          /* raised by this run (0: any) */
    const char *customer; /* of this customer (NULL: any) */
    int64_t id;           /* this alert only (0: any) */
} cordon_alert_filter;

/* Calls fn for every alert the filter admits (NULL: all), by id. */
CORDON_API CORDON_NODISCARD int cordon_alert_scan(cordon_store *st,
                                                  const cordon_alert_filter *filter,
                                                  cordon_alert_fn fn, void *ctx,
                                                  cordon_error *err);

/*
 * Records an analyst's decision on an alert (CLEARED or CONFIRMED) with
 * a note, in one transaction with its audit record (kind "decide"). The
 * decisions table is append-only like the log; the alert's status is
 * the latest decision. Errors: CORDON_ENOTFOUND (no such alert),
 * CORDON_EINVAL (OPEN, an empty note), CORDON_EIO.
 */
CORDON_API CORDON_NODISCARD int cordon_alert_decide(cordon_store *st, int64_t alert,
                                                    cordon_alert_status decision,
                                                    const char *note, const char *caller,
                                                    cordon_error *err);

#ifdef __cplusplus
}
#endif
#endif /* CORDON_H */
