/*
 * cordon_int.h — declarations shared inside libcordon. Names that cross
 * files use the cordon__ prefix; nothing here is exported.
 */
#ifndef CORDON_INT_H
#define CORDON_INT_H

#include "cordon/cordon.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- errors ------------------------------------------------------- */

/* Fills err (may be NULL) and returns code. file may be NULL. */
int cordon__fail(cordon_error *err, int code, const char *file,
                 unsigned long line, unsigned long column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* ---- arena: bump allocator freed all at once ---------------------- */

typedef struct cordon__arena_block cordon__arena_block;
typedef struct cordon__arena {
    cordon__arena_block *head;
    size_t total; /* bytes handed out, for limits and memory reports */
} cordon__arena;

void cordon__arena_init(cordon__arena *a);
void cordon__arena_free(cordon__arena *a);
/* Aligned to 16; NULL when out of memory. */
void *cordon__arena_alloc(cordon__arena *a, size_t size);
/* NUL-terminated copy of s[0..len); NULL when out of memory. */
char *cordon__arena_strndup(cordon__arena *a, const char *s, size_t len);

/* ---- growable buffer ---------------------------------------------- */

typedef struct cordon__buf {
    char *data;
    size_t len;
    size_t cap;
} cordon__buf;

void cordon__buf_free(cordon__buf *b);
int cordon__buf_reserve(cordon__buf *b, size_t extra);
int cordon__buf_append(cordon__buf *b, const void *p, size_t n);
int cordon__buf_putc(cordon__buf *b, char c);
int cordon__buf_printf(cordon__buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Keeps data NUL-terminated after len (without counting it). */
int cordon__buf_terminate(cordon__buf *b);

/* Growable array of fixed-size items. */
typedef struct cordon__vec {
    void *items;
    size_t count;
    size_t cap;
} cordon__vec;

/* Appends one zeroed item of `size` bytes; NULL when out of memory. */
void *cordon__vec_push(cordon__vec *v, size_t size);
void cordon__vec_free(cordon__vec *v);

/* String-keyed hash map (open addressing). Keys are not copied: they
 * must outlive the map. */
typedef struct cordon__strmap {
    struct cordon__strmap_slot *slots;
    size_t count;
    size_t cap; /* power of two, or 0 */
} cordon__strmap;

uint64_t cordon__hash(const void *data, size_t len);
/* Inserts or replaces; CORDON_ENOMEM on failure. */
int cordon__strmap_put(cordon__strmap *m, const char *key, size_t len,
                       void *value);
/* Makes room for n more keys, so the next n puts cannot fail. */
int cordon__strmap_reserve(cordon__strmap *m, size_t n);
void *cordon__strmap_get(const cordon__strmap *m, const char *key, size_t len);
void cordon__strmap_free(cordon__strmap *m);

/* ---- files -------------------------------------------------------- */

/* Hard ceiling on one list file, so a hostile input cannot exhaust memory. */
#define CORDON__MAX_FILE_BYTES ((size_t)1 << 30)

/* Reads a whole file; *out is malloc'd and NUL-terminated. */
int cordon__read_file(const char *path, char **out, size_t *len,
                      cordon_error *err);
/* Reads a whole file, inflating it first when it is gzip. */
int cordon__read_file_gz(const char *path, char **out, size_t *len,
                         cordon_error *err);
/* The part of path after the last '/'. */
const char *cordon__basename(const char *path);

/* ---- text --------------------------------------------------------- */

/* Length of the valid UTF-8 prefix of s; == len when all valid. Rejects
 * overlongs, surrogates and code points above U+10FFFF. */
size_t cordon__utf8_valid_prefix(const char *s, size_t len);
bool cordon__utf8_valid(const char *s, size_t len);
/* Decodes one code point at s[*i], advancing *i; -1 on invalid UTF-8. */
int32_t cordon__utf8_decode(const char *s, size_t len, size_t *i);
/* Appends cp as UTF-8. */
int cordon__utf8_encode(cordon__buf *b, uint32_t cp);
/* Appends s, converting from Windows-1252 where it is not valid UTF-8.
 * *converted counts bytes that were converted. */
int cordon__append_utf8_or_cp1252(cordon__buf *b, const char *s, size_t len,
                                  size_t *converted);
/* Trims ASCII whitespace from both ends; returns new length. */
size_t cordon__trim(const char **s, size_t len);
/* ASCII case-insensitive equality of s[0..len) and NUL-terminated lit. */
bool cordon__ieq(const char *s, size_t len, const char *lit);
/* Hex SHA-256 of a buffer. */
void cordon__sha256_hex(const void *data, size_t len, char out[65]);

/* ---- CSV: RFC 4180, plus the quirks of real list files -------------- */

typedef struct cordon__csv_field {
    const char *s; /* points into the input or the reader's scratch */
    size_t len;
} cordon__csv_field;

typedef struct cordon__csv {
    const char *data;
    size_t len, pos;
    char delim;
    unsigned long line;        /* line where the current record starts; after
                                  a failure, the line of the fault */
    unsigned long next_line;   /* line where the next record starts */
    const char *error;         /* after a failure: what is wrong, a sentence */
    int failed;                /* the failure, returned again by later calls */
    char message[160];         /* error, when it names places */
    cordon__buf scratch;       /* unescaped quoted fields */
    cordon__vec fields;        /* cordon__csv_field */
    cordon__vec offsets;       /* size_t: scratch offsets of quoted fields,
                                  resolved to pointers when the record ends
                                  because scratch may move as it grows */
    size_t max_fields;         /* records with more fields are an error */
} cordon__csv;

/*
 * A reader over an in-memory buffer. Tolerates a UTF-8 BOM, CRLF or LF,
 * a trailing 0x1A (DOS end-of-file) byte, and a missing final newline.
 * Quoted fields may hold delimiters, doubled quotes and newlines.
 */
void cordon__csv_init(cordon__csv *c, const char *data, size_t len, char delim);
/*
 * Reads the next record: returns 1 and sets *fields and *n (valid until the
 * next call), 0 at the end, or a negative code: CORDON_EFORMAT for an
 * unterminated quote (at the opening quote; also when a quoted field runs
 * on over lines into text after its close, which the message places too)
 * or text after a closing quote (at the text), CORDON_ETOOBIG for too many
 * fields, CORDON_ENOMEM. On failure c->error says which, c->line is the
 * line of the fault (a quoted field may have taken the record over
 * several lines) and *err_column its column in that line, in characters
 * from 1. Blank lines are skipped.
 */
int cordon__csv_next(cordon__csv *c, const cordon__csv_field **fields, size_t *n,
                     unsigned long *err_column);
void cordon__csv_free(cordon__csv *c);

/* ---- XLSX: the first worksheet of a workbook (xlsx.c) -------------- */

/* Called once per row that has a non-empty cell. cells[i] is column i
 * (A = 0); gaps are empty fields; n is one past the last non-empty cell.
 * row is the sheet's 1-based row number. A non-zero return stops the
 * read and is returned by cordon__xlsx_read (the callback fills err). */
typedef int (*cordon__xlsx_row_fn)(void *ctx, unsigned long row,
                                   const cordon__csv_field *cells, size_t n);
/*
 * Reads the first worksheet of the XLSX workbook in data[0..len). Cell
 * values: shared and inline strings as text, booleans "TRUE"/"FALSE",
 * numbers in date-formatted cells as ISO dates "YYYY-MM-DD" (1900 and
 * 1904 systems), other values as written. Errors name `file`, the part
 * and the row: not a zip (ECORRUPT), missing parts (ECORRUPT), DOCTYPE
 * or entities (EFORMAT), parts inflating past their limits (ETOOBIG).
 */
int cordon__xlsx_read(const char *data, size_t len, const char *file,
                      cordon__xlsx_row_fn fn, void *ctx, cordon_error *err);

/* ---- dataset building (used by every list parser) ----------------- */

/*
 * Parsers add entities through a loader, which stages them apart from
 * the dataset so that a failed load leaves the dataset untouched.
 * Every string passed in must be valid UTF-8 (CORDON_EUTF8 otherwise);
 * strings are trimmed and copied, and empty ones are ignored.
 */
typedef struct cordon__entity_b cordon__entity_b; /* an entity being built */
typedef struct cordon__loader cordon__loader;

/* Ceiling on one field, so a hostile file cannot make one giant string. */
#define CORDON__MAX_FIELD_BYTES ((size_t)1 << 20)

struct cordon__loader {
    cordon_dataset *ds;
    const cordon_source_spec *spec;
    const char *file;        /* file being parsed, for errors */
    cordon_error *err;
    cordon__arena *arena;    /* strings of this source */
    cordon__vec entities;    /* cordon__entity_b* staged, in order */
    cordon__strmap index;    /* native id -> cordon__entity_b* */
    cordon__vec warnings;    /* char* in arena */
    const char *published;   /* set by the parser, in arena */
};

/* Starts an entity with this native id. Duplicate native ids within one
 * source are CORDON_EFORMAT. `line` is the line or record number. */
int cordon__entity_begin(cordon__loader *ld, const char *native_id,
                         size_t len, cordon_schema schema, unsigned long line,
                         cordon__entity_b **out);
/* The staged entity with this native id, or NULL (for joins). */
cordon__entity_b *cordon__entity_lookup(cordon__loader *ld,
                                        const char *native_id, size_t len);

void cordon__entity_set_schema(cordon__entity_b *e, cordon_schema schema);
cordon_schema cordon__entity_schema(const cordon__entity_b *e);
/* Adds a name; the first PRIMARY added becomes names[0]. Duplicates of an
 * existing name (same text) are ignored, keeping the stronger kind. */
int cordon__entity_add_name(cordon__loader *ld, cordon__entity_b *e,
                            const char *s, size_t len, cordon_name_kind kind);
/* Parses the date text with cordon_date_parse; text that is not a date is
 * kept as a remark-like warning, not an error. */
int cordon__entity_add_birth_date(cordon__loader *ld, cordon__entity_b *e,
                                  const char *s, size_t len);
int cordon__entity_add_birth_place(cordon__loader *ld, cordon__entity_b *e,
                                   const char *s, size_t len);
/* Country text is resolved with cordon_country_lookup. */
int cordon__entity_add_nationality(cordon__loader *ld, cordon__entity_b *e,
                                   const char *s, size_t len);
int cordon__entity_add_citizenship(cordon__loader *ld, cordon__entity_b *e,
                                   const char *s, size_t len);
int cordon__entity_add_country(cordon__loader *ld, cordon__entity_b *e,
                               const char *s, size_t len);
int cordon__entity_add_address(cordon__loader *ld, cordon__entity_b *e,
                               const char *s, size_t len);
/* label and country may be NULL/0. */
int cordon__entity_add_identifier(cordon__loader *ld, cordon__entity_b *e,
                                  cordon_id_type type, const char *label,
                                  size_t label_len, const char *value,
                                  size_t value_len, const char *country,
                                  size_t country_len);
int cordon__entity_add_program(cordon__loader *ld, cordon__entity_b *e,
                               const char *s, size_t len);
/* gender and listed_on keep the first value set; title and remarks
 * accumulate, joined with "; ", without a text that is already one of
 * their "; "-separated pieces (or, holding "; " itself, was added before).
 * Every list drops repeats in constant time, however long it grows. */
int cordon__entity_set_gender(cordon__loader *ld, cordon__entity_b *e,
                              const char *s, size_t len);
int cordon__entity_add_title(cordon__loader *ld, cordon__entity_b *e,
                             const char *s, size_t len);
int cordon__entity_set_listed_on(cordon__loader *ld, cordon__entity_b *e,
                                 const char *s, size_t len);
int cordon__entity_add_remarks(cordon__loader *ld, cordon__entity_b *e,
                               const char *s, size_t len);

/* Records a warning for `cordon lists` (printf-style). */
int cordon__loader_warn(cordon__loader *ld, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Records the publication date printed inside the file (any common date
 * form; stored as ISO when it parses). */
int cordon__loader_set_published(cordon__loader *ld, const char *s,
                                 size_t len);
/* Fails the load with a parse error at file:line:column. */
int cordon__loader_fail(cordon__loader *ld, int code, unsigned long line,
                        unsigned long column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Returns rc; when it is a failure whose error names no line (the entity
 * builder's do not know where they are), gives it line and column, the
 * position of the record being read. */
int cordon__loader_locate(cordon__loader *ld, int rc, unsigned long line,
                          unsigned long column);
/* The entity as built so far: its arrays point at the items added until
 * now and stay valid until the next add to e (title and remarks are the
 * joined text so far). For joins that need to look, and for tests. */
const cordon_entity *cordon__entity_peek(cordon__entity_b *e);
/* Frees what the loader staged (entities, index, warnings), leaving the
 * arena to its owner. cordon_dataset_load does this on failure; a loader
 * built by hand (tests) must call it. */
void cordon__loader_discard(cordon__loader *ld);

/* ---- XML: expat into a bounded element tree, no entities (xml.c) -- */

/*
 * cordon__xml_parse reads a whole UTF-8 document into a tree of elements
 * in the doc's arena; every pointer stays valid until cordon__xml_free.
 * Refused with a clear error and line:column: an empty file (EEMPTY),
 * text that does not start with '<' (ECORRUPT), NUL bytes (EFORMAT),
 * invalid UTF-8 (EUTF8), malformed XML (EFORMAT), any <!ENTITY>
 * declaration or external DTD/entity (EFORMAT: no entity is ever
 * expanded, so billion laughs and XXE cannot work), and documents over
 * the limits (ETOOBIG). The five predefined entities and character
 * references are of course decoded.
 */
typedef struct cordon__xml_node cordon__xml_node;
struct cordon__xml_node {
    const char *name;   /* local name: "row" for <x:row> */
    const char *qname;  /* name as written: "x:row" */
    const char *text;   /* the element's own character data (CDATA
                           included, children's excluded), NUL-terminated,
                           never NULL; whitespace-only text of an element
                           with children is dropped as indentation */
    size_t text_len;
    const char *const *attrs; /* name, value, name, value... names as
                                 written ("r:id", "xmlns") */
    size_t n_attrs;           /* pairs */
    cordon__xml_node *parent, *child, *next; /* first child, next sibling */
    size_t n_children;
    unsigned long line, column; /* of the start tag, 1-based */
};

typedef struct cordon__xml_limits {
    size_t max_depth; /* nesting */
    size_t max_nodes; /* elements in the document */
    size_t max_attrs; /* attributes on one element */
    size_t max_text;  /* bytes of one element's text */
} cordon__xml_limits;

/* depth 128, 4 Mi elements, 256 attributes, CORDON__MAX_FIELD_BYTES text */
extern const cordon__xml_limits cordon__xml_default_limits;

typedef struct cordon__xml_doc {
    cordon__arena arena;
    cordon__xml_node *root;
    size_t n_nodes;
} cordon__xml_doc;

/* limits may be NULL for the defaults; file names the input in errors.
 * On failure doc is left empty (cordon__xml_free is still harmless). */
int cordon__xml_parse(cordon__xml_doc *doc, const char *data, size_t len,
                      const char *file, const cordon__xml_limits *limits,
                      cordon_error *err);
/* Reads the file with cordon__read_file, then cordon__xml_parse. */
int cordon__xml_parse_file(cordon__xml_doc *doc, const char *path,
                           const cordon__xml_limits *limits, cordon_error *err);
/* For the parsers of one-file XML formats: CORDON_EINVAL ("`what` is one
 * file") unless the source has exactly one file, else
 * cordon__xml_parse_file of it with the default limits. */
int cordon__xml_parse_source(cordon__xml_doc *doc, cordon__loader *ld, const char *what);
void cordon__xml_free(cordon__xml_doc *doc);
/* First child element with this local name (NULL name: any), or NULL;
 * n may be NULL. */
const cordon__xml_node *cordon__xml_child(const cordon__xml_node *n, const char *name);
/* Next sibling after n with this local name (NULL: any), or NULL. */
const cordon__xml_node *cordon__xml_next(const cordon__xml_node *n, const char *name);
/* Follows child names "a/b/c" from n; NULL when a step is missing. */
const cordon__xml_node *cordon__xml_path(const cordon__xml_node *n, const char *path);
/* Value of the attribute named exactly name, or NULL. */
const char *cordon__xml_attr(const cordon__xml_node *n, const char *name);
/* Text of cordon__xml_path(n, path) and its length, or NULL when absent. */
const char *cordon__xml_child_text(const cordon__xml_node *n, const char *path, size_t *len);
/* Appends s to b with every run of XML whitespace made one space and
 * both ends trimmed, then keeps b NUL-terminated; CORDON_ENOMEM on failure.
 * For list text that wraps across lines ("National Identification\n
 * Number"). */
int cordon__xml_squash(cordon__buf *b, const char *s, size_t len);
/* Appends n's text squashed as above, after sep when both b and the text
 * are non-empty; n may be NULL. Keeps b NUL-terminated. */
int cordon__xml_append(cordon__buf *b, const cordon__xml_node *n, const char *sep);
/* Iterates the children of parent named name (NULL: all). */
#define CORDON__XML_EACH(var, parent, name)                                 \
    for (const cordon__xml_node *var = cordon__xml_child((parent), (name)); \
         var; var = cordon__xml_next(var, (name)))

/* ---- OFAC labels, shared by every OFAC format (ofac_labels.c) ------ */

typedef enum cordon__ofac_field {
    CORDON__OFAC_ID,          /* an identifier of type `id` */
    CORDON__OFAC_INFO,        /* about the sanctions: kept in remarks */
    CORDON__OFAC_GENDER,
    CORDON__OFAC_NATIONALITY,
    CORDON__OFAC_CITIZENSHIP,
    CORDON__OFAC_COUNTRY,     /* an organization's or vessel's country */
    CORDON__OFAC_DOB,
    CORDON__OFAC_POB,
    CORDON__OFAC_TITLE,
    CORDON__OFAC_CURRENCY,    /* "Digital Currency Address - XBT": the code
                                 follows the label; an identifier */
} cordon__ofac_field;

typedef struct cordon__ofac_label {
    const char *text;         /* as OFAC writes it: "Tax ID No." */
    cordon__ofac_field field;
    cordon_id_type id;        /* for CORDON__OFAC_ID and _CURRENCY */
} cordon__ofac_label;

/* The label that is the whole of s[0..len), case-insensitively and
 * ignoring a trailing ':', '-' or spaces ("X:", "X -"); NULL if unknown. */
const cordon__ofac_label *cordon__ofac_label_find(const char *s, size_t len);
/* The longest label that starts s and ends at a word boundary (a space,
 * ':', '#' or the end follows, or the label ends in punctuation), with its
 * length in *label_len; NULL (and 0) if none. For Remarks items. */
const cordon__ofac_label *cordon__ofac_label_prefix(const char *s, size_t len,
                                                    size_t *label_len);
/* The identifier type of value under label l (OTHER for NULL): a vessel
 * registration that is an IMO number ("IMO 9187629", or seven digits with
 * a valid check digit) is CORDON_ID_IMO. */
cordon_id_type cordon__ofac_id_type(const cordon__ofac_label *l, const char *value,
                                    size_t len);
/* Seven digits whose last is the IMO check digit. */
bool cordon__ofac_is_imo_number(const char *v, size_t len);
/* The schema of OFAC's entry types "Individual", "Entity", "Vessel" and
 * "Aircraft" (any case, trimmed); CORDON_SCHEMA_UNKNOWN for others. */
cordon_schema cordon__ofac_schema(const char *s, size_t len);
/* Adds value to the entity field that `field` names (GENDER to TITLE);
 * CORDON_EINVAL for ID, INFO and CURRENCY, which are not fields. */
int cordon__ofac_add_field(cordon__loader *ld, cordon__entity_b *e, cordon__ofac_field field,
                           const char *value, size_t len);

/*
 * Applies one labelled item of the XML formats (a classic <id>, an
 * Enhanced XML feature or identity document, an Advanced XML feature or
 * ID document) to e: ID labels ("Passport", "Tax ID No.", "MMSI") become
 * identifiers, "Gender", "Nationality Country", "Citizenship Country",
 * "Vessel Flag", "Nationality of Registration", "Birthdate", "Place of
 * Birth" go to their fields, sanctions information ("Secondary sanctions
 * risk:", directive dates) goes to remarks as "LABEL VALUE", and unknown
 * labels are kept as identifiers of type OTHER. country may be NULL.
 */
int cordon__ofac_apply_item(cordon__loader *ld, cordon__entity_b *e, const char *label,
                            size_t label_len, const char *value, size_t value_len,
                            const char *country, size_t country_len);

/* ---- list parsers: one per format, each in its own file ----------- */

typedef int (*cordon__parse_fn)(cordon__loader *ld);

int cordon__parse_ofac_csv(cordon__loader *ld);
int cordon__parse_ofac_xml(cordon__loader *ld);
int cordon__parse_ofac_enhanced_xml(cordon__loader *ld);
int cordon__parse_ofac_advanced_xml(cordon__loader *ld);
int cordon__parse_un_xml(cordon__loader *ld);
int cordon__parse_ofsi_xlsx(cordon__loader *ld);
int cordon__parse_ofsi_csv(cordon__loader *ld);
int cordon__parse_us_csl(cordon__loader *ld);
int cordon__parse_os_simple_csv(cordon__loader *ld);
int cordon__parse_ftm_json(cordon__loader *ld);

/* ---- OFAC remarks ("DOB 08 Jan 1984; POB ...; Passport ...") ------- */

/* Parses the semicolon-separated remarks of OFAC's legacy CSV into the
 * entity's fields, keeping what it does not understand as remarks. */
int cordon__ofac_remarks_apply(cordon__loader *ld, cordon__entity_b *e,
                               const char *s, size_t len);

#endif /* CORDON_INT_H */
