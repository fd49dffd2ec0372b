/*
 * list_ofac_csv.c — OFAC's legacy CSV sets: sdn.csv with alt.csv,
 * add.csv and sdn_comments.csv, or the same four files of the
 * consolidated non-SDN list (cons_prim, cons_alt, cons_add,
 * cons_comments). A set's files are told apart by their names.
 *
 * The files have no header and fixed columns; "-0- " stands for an empty
 * field; lines end in CRLF and the file in a DOS 0x1A byte (csv.c copes
 * with both). Bytes that are not UTF-8 are read as Windows-1252, the
 * encoding of OFAC's older files, and counted in one warning per file.
 *
 * Files are read in the order their joins need. The comments file comes
 * first: it continues the primary file's Remarks, which OFAC cuts at
 * 1,000 characters. Then the primary file, whose Remarks (so joined) are
 * taken apart by ofac_remarks.c; then aliases and addresses, joined by
 * ent_num. Rows of those files whose ent_num is not in the primary file
 * are skipped and counted in one warning per file: it happens when the
 * files were downloaded on different days, as in the default bundle.
 * The set carries no publication date, so `published` stays NULL.
 */
#include "cordon_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* OFAC cuts sdn.csv's Remarks at this many characters. */
#define REMARKS_CUT 1000

enum role { R_PRIMARY, R_ALT, R_ADD, R_COMMENTS, R_COUNT };

static const struct {
    const char *name;
    int set; /* 0: SDN list, 1: consolidated non-SDN list */
    enum role role;
} known_files[] = {
    {"sdn.csv", 0, R_PRIMARY},       {"alt.csv", 0, R_ALT},
    {"add.csv", 0, R_ADD},           {"sdn_comments.csv", 0, R_COMMENTS},
    {"cons_prim.csv", 1, R_PRIMARY}, {"cons_alt.csv", 1, R_ALT},
    {"cons_add.csv", 1, R_ADD},      {"cons_comments.csv", 1, R_COMMENTS},
};

static const struct {
    size_t columns;
    const char *rows; /* what a row is, in messages */
} roles[R_COUNT] = {
    [R_PRIMARY] = {12, "entity"},
    [R_ALT] = {5, "alias"},
    [R_ADD] = {6, "address"},
    [R_COMMENTS] = {2, "comment"},
};

struct input {
    const char *path; /* as given; NULL when the set lacks this file */
    const char *base;
    char *raw;
    size_t raw_len;
    cordon__buf utf8; /* the bytes converted, when they were not UTF-8 */
    const char *data;
    size_t len;
};

/* The comments rows of one entity: the rest of its Remarks. */
struct comment {
    cordon__buf text;
    size_t rows;
    bool used;
};

typedef struct {
    cordon__loader *ld;
    struct input in[R_COUNT];
    cordon__csv csv;
    cordon__arena tmp;         /* comment keys and orphan ids */
    cordon__strmap comments;   /* ent_num -> struct comment* */
    cordon__vec comment_list;  /* struct comment*, in file order */
    cordon__strmap orphans;    /* ent_nums of orphan rows in one file */
    cordon__buf text;          /* scratch for joined text */
    unsigned long line;        /* line of the row being read */
} parser;

/* Builder errors carry no line; give them the row's. */
static int at_row(parser *p, int rc)
{
    return cordon__loader_locate(p->ld, rc, p->line, 0);
}

#define TRY(p, expr)                                                      \
    do {                                                                  \
        int try_rc_ = (expr);                                             \
        if (try_rc_)                                                      \
            return at_row((p), try_rc_);                                  \
    } while (0)

/* A field's value: trimmed, and empty when it is OFAC's "-0-". */
static size_t value(const cordon__csv_field *f, const char **s)
{
    *s = f->s;
    size_t len = cordon__trim(s, f->len);
    if (len == 3 && memcmp(*s, "-0-", 3) == 0)
        return 0;
    return len;
}

static bool is_number(const char *s, size_t len)
{
    if (len == 0 || len > 18)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* ---- files -------------------------------------------------------- */

static int classify(parser *p)
{
    cordon__loader *ld = p->ld;
    const cordon_source_spec *spec = ld->spec;
    int set = -1;
    for (size_t i = 0; i < spec->n_files; i++) {
        const char *path = spec->files[i];
        const char *base = cordon__basename(path);
        size_t k = 0, n = sizeof known_files / sizeof known_files[0];
        while (k < n && strcasecmp(base, known_files[k].name) != 0)
            k++;
        ld->file = path;
        if (k == n)
            return cordon__loader_fail(ld, CORDON_EINVAL, 0, 0,
                                       "\"%s\" is not a file of an OFAC CSV set, which is "
                                       "sdn.csv (or cons_prim.csv) with optional alt, add "
                                       "and comments files named as OFAC names them",
                                       base);
        if (set >= 0 && set != known_files[k].set)
            return cordon__loader_fail(ld, CORDON_EINVAL, 0, 0,
                                       "\"%s\" belongs to the %s set, but the other files "
                                       "to the %s set",
                                       base, set ? "SDN" : "consolidated",
                                       set ? "consolidated" : "SDN");
        set = known_files[k].set;
        struct input *in = &p->in[known_files[k].role];
        if (in->path)
            return cordon__loader_fail(ld, CORDON_EINVAL, 0, 0,
                                       "\"%s\" is given twice (also as %s)", base, in->path);
        in->path = path;
        in->base = base;
    }
    if (!p->in[R_PRIMARY].path) {
        ld->file = NULL;
        return cordon__loader_fail(ld, CORDON_EINVAL, 0, 0,
                                   "an OFAC CSV set needs its primary file, %s",
                                   set == 1 ? "cons_prim.csv" : "sdn.csv");
    }
    return 0;
}

/* A clear message for files that are plainly something else. */
static int sniff(parser *p, const char *d, size_t len)
{
    const char *what = NULL;
    if (len >= 2 && (unsigned char)d[0] == 0x1F && (unsigned char)d[1] == 0x8B)
        what = "gzip-compressed; unpack it first";
    else if (len >= 4 && memcmp(d, "PK\x03\x04", 4) == 0)
        what = "a ZIP archive; unpack it first";
    else {
        size_t i = len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        while (i < len && isspace((unsigned char)d[i]))
            i++;
        if (i < len && d[i] == '<')
            what = "XML or HTML, not an OFAC legacy CSV file";
        else if (i < len && (d[i] == '{' || d[i] == '['))
            what = "JSON, not an OFAC legacy CSV file";
    }
    if (what)
        return cordon__loader_fail(p->ld, CORDON_ECORRUPT, 1, 0, "this file is %s", what);
    const char *nul = memchr(d, '\0', len);
    if (nul) {
        unsigned long line = 1, col = 1;
        for (const char *c = d; c < nul; c++, col++)
            if (*c == '\n') {
                line++;
                col = 0;
            }
        return cordon__loader_fail(p->ld, CORDON_EFORMAT, line, col,
                                   "NUL byte: a binary file, not an OFAC CSV file");
    }
    return 0;
}

static int load_input(parser *p, struct input *in)
{
    cordon__loader *ld = p->ld;
    ld->file = in->path;
    int rc = cordon__read_file(in->path, &in->raw, &in->raw_len, ld->err);
    if (rc)
        return rc;
    rc = sniff(p, in->raw, in->raw_len);
    if (rc)
        return rc;
    in->data = in->raw;
    in->len = in->raw_len;
    if (!cordon__utf8_valid(in->raw, in->raw_len)) {
        size_t converted = 0;
        if (cordon__append_utf8_or_cp1252(&in->utf8, in->raw, in->raw_len, &converted))
            return cordon__loader_fail(ld, CORDON_ENOMEM, 0, 0, "out of memory");
        in->data = in->utf8.data;
        in->len = in->utf8.len;
        rc = cordon__loader_warn(ld, "%s: %zu %s not UTF-8, read as Windows-1252", in->base,
                                 converted, converted == 1 ? "byte was" : "bytes were");
        if (rc)
            return rc;
    }
    return 0;
}

/*
 * Reads the next row of the current file into *f: 1, or 0 at the end, or
 * a failure naming file:line. Every row must have the role's columns.
 */
static int next_row(parser *p, enum role role, const cordon__csv_field **f)
{
    cordon__loader *ld = p->ld;
    size_t n;
    unsigned long col;
    int rc = cordon__csv_next(&p->csv, f, &n, &col);
    p->line = p->csv.line;
    if (rc == 0)
        return 0;
    if (rc == CORDON_ETOOBIG)
        return cordon__loader_fail(ld, rc, p->line, col,
                                   "too many fields (an OFAC %s row has %zu)",
                                   roles[role].rows, roles[role].columns);
    if (rc < 0) /* csv.c names the fault and where it is */
        return cordon__loader_fail(ld, rc, p->line, col, "%s", p->csv.error);
    if (n != roles[role].columns)
        return cordon__loader_fail(ld, CORDON_EFORMAT, p->line, 0,
                                   "%zu fields where an OFAC %s row has %zu", n,
                                   roles[role].rows, roles[role].columns);
    const char *id;
    size_t idlen = value(&(*f)[0], &id);
    if (!is_number(id, idlen))
        return cordon__loader_fail(ld, CORDON_EFORMAT, p->line, 1,
                                   "ent_num \"%.*s\" is not a number", (int)(idlen > 40 ? 40 : idlen),
                                   id);
    return 1;
}

/* ---- comments ----------------------------------------------------- */

static int read_comments(parser *p)
{
    const cordon__csv_field *f;
    int rc;
    while ((rc = next_row(p, R_COMMENTS, &f)) == 1) {
        const char *id;
        size_t idlen = value(&f[0], &id);
        const char *probe;
        if (value(&f[1], &probe) == 0)
            continue;
        struct comment *c = cordon__strmap_get(&p->comments, id, idlen);
        if (!c) {
            char *key = cordon__arena_strndup(&p->tmp, id, idlen);
            c = cordon__arena_alloc(&p->tmp, sizeof *c);
            struct comment **slot = c ? cordon__vec_push(&p->comment_list, sizeof *slot) : NULL;
            if (!key || !slot)
                return cordon__loader_fail(p->ld, CORDON_ENOMEM, p->line, 0, "out of memory");
            memset(c, 0, sizeof *c);
            *slot = c;
            if (cordon__strmap_put(&p->comments, key, idlen, c))
                return cordon__loader_fail(p->ld, CORDON_ENOMEM, p->line, 0, "out of memory");
        }
        /* The text continues a cut field mid-word: keep its spaces. Rows
         * for the same entity continue one another. */
        c->rows++;
        if (cordon__buf_append(&c->text, f[1].s, f[1].len))
            return cordon__loader_fail(p->ld, CORDON_ENOMEM, p->line, 0, "out of memory");
    }
    return rc;
}

/* ---- primary file ------------------------------------------------- */

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* Removes the Remarks items that repeat the Title column (OFAC copies
 * the title into Remarks), so it is not kept twice. A title may itself
 * hold several "; "-separated items. */
static void drop_title_items(cordon__buf *b, const char *title, size_t tlen)
{
    if (tlen == 0)
        return;
    const char *d = b->data;
    size_t len = b->len;
    for (size_t at = 0; at + tlen <= len;) {
        const char *hit = memmem(d + at, len - at, title, tlen);
        if (!hit)
            return;
        size_t s = (size_t)(hit - d), e = s + tlen;
        bool starts = s == 0 || (s >= 2 && d[s - 1] == ' ' && d[s - 2] == ';');
        bool ends = e == len || (e + 1 == len && d[e] == '.') ||
                    (e + 1 < len && d[e] == ';' && d[e + 1] == ' ');
        if (!starts || !ends) {
            at = s + 1;
            continue;
        }
        /* Take the separator after it, or before it when it is last. */
        size_t from = s, to = e;
        if (e + 1 < len)
            to = e + 2;
        else if (s >= 2)
            from = s - 2;
        else
            to = len;
        memmove(b->data + from, b->data + to, len - to);
        b->len -= to - from;
        return;
    }
}

static int add_labelled_remark(parser *p, cordon__entity_b *e, const char *label,
                               const cordon__csv_field *f)
{
    const char *v;
    size_t len = value(f, &v);
    if (len == 0)
        return 0;
    p->text.len = 0;
    if (cordon__buf_append(&p->text, label, strlen(label)) ||
        cordon__buf_append(&p->text, v, len))
        return cordon__loader_fail(p->ld, CORDON_ENOMEM, p->line, 0, "out of memory");
    return cordon__entity_add_remarks(p->ld, e, p->text.data, p->text.len);
}

static int primary_row(parser *p, const cordon__csv_field *f, size_t *mismatched)
{
    cordon__loader *ld = p->ld;
    const char *id, *v;
    size_t idlen = value(&f[0], &id), len;

    cordon_schema schema;
    len = value(&f[2], &v);
    if (len == 0)
        schema = CORDON_SCHEMA_ORGANIZATION;
    else if (cordon__ieq(v, len, "individual"))
        schema = CORDON_SCHEMA_PERSON;
    else if (cordon__ieq(v, len, "vessel"))
        schema = CORDON_SCHEMA_VESSEL;
    else if (cordon__ieq(v, len, "aircraft"))
        schema = CORDON_SCHEMA_AIRCRAFT;
    else
        return cordon__loader_fail(ld, CORDON_EFORMAT, p->line, 0,
                                   "SDN_Type \"%.*s\" is none of individual, vessel, "
                                   "aircraft or -0-",
                                   (int)(len > 40 ? 40 : len), v);

    cordon__entity_b *e;
    TRY(p, cordon__entity_begin(ld, id, idlen, schema, p->line, &e));
    len = value(&f[1], &v);
    if (len == 0)
        return cordon__loader_fail(ld, CORDON_EFORMAT, p->line, 0, "entity %.*s has no name",
                                   (int)idlen, id);
    TRY(p, cordon__entity_add_name(ld, e, v, len, CORDON_NAME_PRIMARY));

    /* Program: "SDGT] [IRGC" holds two programs. */
    len = value(&f[3], &v);
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && v[j] != ']' && v[j] != '[')
            j++;
        TRY(p, cordon__entity_add_program(ld, e, v + i, j - i));
        i = j + 1;
    }

    const char *title;
    size_t title_len = value(&f[4], &title);
    TRY(p, cordon__entity_add_title(ld, e, title, title_len));

    /* Vessel columns. The model has fields for the call sign and flag;
     * type, tonnage and owner are kept, labelled, in remarks. */
    len = value(&f[5], &v);
    TRY(p, cordon__entity_add_identifier(ld, e, CORDON_ID_CALL_SIGN, "Call Sign", 9, v, len,
                                         NULL, 0));
    TRY(p, add_labelled_remark(p, e, "Vessel Type ", &f[6]));
    TRY(p, add_labelled_remark(p, e, "Tonnage ", &f[7]));
    TRY(p, add_labelled_remark(p, e, "Gross Registered Tonnage ", &f[8]));
    len = value(&f[9], &v);
    TRY(p, cordon__entity_add_country(ld, e, v, len));
    TRY(p, add_labelled_remark(p, e, "Vessel Owner ", &f[10]));

    /* Remarks, continued by the comments file. */
    const char *r;
    size_t rlen = value(&f[11], &r);
    struct comment *c = cordon__strmap_get(&p->comments, id, idlen);
    p->text.len = 0;
    int oom = cordon__buf_append(&p->text, r, rlen);
    if (c) {
        c->used = true;
        if (utf8_chars(f[11].s, f[11].len) < REMARKS_CUT) {
            /* Remarks were complete, so the continuation belongs to
             * another day's sdn.csv: keep it as an item of its own. */
            (*mismatched)++;
            if (p->text.len && p->text.data[p->text.len - 1] == '.')
                p->text.len--;
            if (p->text.len)
                oom |= cordon__buf_append(&p->text, "; ", 2);
        }
        oom |= cordon__buf_append(&p->text, c->text.data, c->text.len);
    }
    if (oom)
        return cordon__loader_fail(ld, CORDON_ENOMEM, p->line, 0, "out of memory");
    drop_title_items(&p->text, title, title_len);
    if (p->text.len)
        TRY(p, cordon__ofac_remarks_apply(ld, e, p->text.data, p->text.len));
    return 0;
}

static int read_primary(parser *p)
{
    const cordon__csv_field *f;
    size_t mismatched = 0;
    int rc;
    while ((rc = next_row(p, R_PRIMARY, &f)) == 1)
        if ((rc = primary_row(p, f, &mismatched)))
            return rc;
    if (rc)
        return rc;
    cordon__loader *ld = p->ld;
    if (ld->entities.count == 0)
        return cordon__loader_fail(ld, CORDON_EEMPTY, 0, 0, "no entity rows: the file is empty");
    const struct input *cm = &p->in[R_COMMENTS];
    if (mismatched)
        TRY(p, cordon__loader_warn(ld, "%s: %zu %s Remarks that are complete in %s (files "
                                   "of different dates?); kept as separate remarks",
                                   cm->base, mismatched,
                                   mismatched == 1 ? "row continues" : "rows continue",
                                   p->in[R_PRIMARY].base));
    return 0;
}

/* ---- aliases and addresses ---------------------------------------- */

static int count_orphan(parser *p, const char *id, size_t len, size_t *rows)
{
    (*rows)++;
    if (cordon__strmap_get(&p->orphans, id, len))
        return 0;
    char *key = cordon__arena_strndup(&p->tmp, id, len);
    if (!key || cordon__strmap_put(&p->orphans, key, len, key))
        return cordon__loader_fail(p->ld, CORDON_ENOMEM, p->line, 0, "out of memory");
    return 0;
}

/* "alt.csv: 2460 alias rows refer to 1567 entities not in sdn.csv". */
static int orphan_warning(parser *p, enum role role, size_t rows, size_t ents)
{
    if (rows == 0)
        return 0;
    return at_row(p, cordon__loader_warn(p->ld, "%s: %zu %s %s %s to %zu %s not in %s "
                                         "(probably listed after it); skipped",
                                         p->in[role].base, rows, roles[role].rows,
                                         rows == 1 ? "row" : "rows",
                                         rows == 1 ? "refers" : "refer", ents,
                                         ents == 1 ? "entity" : "entities",
                                         p->in[R_PRIMARY].base));
}

static int alias_row(parser *p, cordon__entity_b *e, const cordon__csv_field *f)
{
    const char *type, *name, *rem;
    size_t tlen = value(&f[2], &type), nlen = value(&f[3], &name), rlen = value(&f[4], &rem);
    cordon_name_kind kind;
    if (cordon__ieq(type, tlen, "aka") || cordon__ieq(type, tlen, "nka"))
        kind = CORDON_NAME_STRONG; /* n.k.a.: the name it has now */
    else if (cordon__ieq(type, tlen, "fka"))
        kind = CORDON_NAME_FORMER;
    else
        return cordon__loader_fail(p->ld, CORDON_EFORMAT, p->line, 0,
                                   "alt_type \"%.*s\" is none of aka, fka or nka",
                                   (int)(tlen > 40 ? 40 : tlen), type);
    TRY(p, cordon__entity_add_name(p->ld, e, name, nlen, kind));
    TRY(p, cordon__entity_add_remarks(p->ld, e, rem, rlen));
    return 0;
}

static int address_row(parser *p, cordon__entity_b *e, const cordon__csv_field *f)
{
    const char *part[4];
    size_t len[4];
    for (int i = 0; i < 4; i++)
        len[i] = value(&f[2 + i], &part[i]);
    TRY(p, cordon__entity_add_country(p->ld, e, part[2], len[2]));
    if (len[0] == 0 && len[1] == 0) {
        /* A country alone is no address; a remark on it still counts. */
        TRY(p, cordon__entity_add_remarks(p->ld, e, part[3], len[3]));
        return 0;
    }
    cordon__buf *b = &p->text;
    b->len = 0;
    int oom = 0;
    for (int i = 0; i < 3; i++) {
        if (!len[i])
            continue;
        if (b->len)
            oom |= cordon__buf_append(b, ", ", 2);
        oom |= cordon__buf_append(b, part[i], len[i]);
    }
    if (len[3]) {
        oom |= cordon__buf_append(b, " (", 2);
        oom |= cordon__buf_append(b, part[3], len[3]);
        oom |= cordon__buf_putc(b, ')');
    }
    if (oom)
        return cordon__loader_fail(p->ld, CORDON_ENOMEM, p->line, 0, "out of memory");
    TRY(p, cordon__entity_add_address(p->ld, e, b->data, b->len));
    return 0;
}

static int read_joined(parser *p, enum role role)
{
    const cordon__csv_field *f;
    size_t orphan_rows = 0;
    int rc;
    cordon__strmap_free(&p->orphans);
    while ((rc = next_row(p, role, &f)) == 1) {
        const char *id;
        size_t idlen = value(&f[0], &id);
        cordon__entity_b *e = cordon__entity_lookup(p->ld, id, idlen);
        if (!e)
            rc = count_orphan(p, id, idlen, &orphan_rows);
        else if (role == R_ALT)
            rc = alias_row(p, e, f);
        else
            rc = address_row(p, e, f);
        if (rc)
            return rc;
    }
    if (rc)
        return rc;
    return orphan_warning(p, role, orphan_rows, p->orphans.count);
}

static int orphan_comments(parser *p)
{
    /* Entities are all staged now: comments nobody used are orphans. */
    size_t rows = 0, ents = 0;
    struct comment **all = p->comment_list.items;
    for (size_t i = 0; i < p->comment_list.count; i++)
        if (!all[i]->used) {
            rows += all[i]->rows;
            ents++;
        }
    return orphan_warning(p, R_COMMENTS, rows, ents);
}

/* ---- entry -------------------------------------------------------- */

/* Reads one file and starts the CSV reader on it. Files are read one at
 * a time and freed once parsed, so memory holds one file, not four. */
static int open_input(parser *p, enum role role)
{
    int rc = load_input(p, &p->in[role]);
    if (rc)
        return rc;
    cordon__csv_free(&p->csv);
    cordon__csv_init(&p->csv, p->in[role].data, p->in[role].len, ',');
    return 0;
}

static void close_input(parser *p, enum role role)
{
    struct input *in = &p->in[role];
    cordon__csv_free(&p->csv);
    memset(&p->csv, 0, sizeof p->csv);
    free(in->raw);
    in->raw = NULL;
    cordon__buf_free(&in->utf8);
    in->data = NULL;
    in->len = 0;
}

static int run(parser *p)
{
    int rc = classify(p);
    if (!rc && p->in[R_COMMENTS].path && !(rc = open_input(p, R_COMMENTS))) {
        rc = read_comments(p);
        close_input(p, R_COMMENTS);
    }
    if (!rc && !(rc = open_input(p, R_PRIMARY))) {
        rc = read_primary(p);
        close_input(p, R_PRIMARY);
    }
    if (!rc && p->in[R_COMMENTS].path)
        rc = orphan_comments(p);
    for (enum role r = R_ALT; !rc && r <= R_ADD; r++) {
        if (!p->in[r].path || (rc = open_input(p, r)))
            continue;
        rc = read_joined(p, r);
        close_input(p, r);
    }
    /* Entities point at the primary file for their origin. */
    p->ld->file = p->in[R_PRIMARY].path;
    return rc;
}

int cordon__parse_ofac_csv(cordon__loader *ld)
{
    parser p;
    memset(&p, 0, sizeof p);
    p.ld = ld;
    cordon__arena_init(&p.tmp);
    int rc = run(&p);
    for (int r = 0; r < R_COUNT; r++) {
        free(p.in[r].raw);
        cordon__buf_free(&p.in[r].utf8);
    }
    cordon__csv_free(&p.csv);
    cordon__strmap_free(&p.comments);
    struct comment **all = p.comment_list.items;
    for (size_t i = 0; i < p.comment_list.count; i++)
        cordon__buf_free(&all[i]->text);
    cordon__vec_free(&p.comment_list);
    cordon__strmap_free(&p.orphans);
    cordon__buf_free(&p.text);
    cordon__arena_free(&p.tmp);
    return rc;
}
