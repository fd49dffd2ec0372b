/*
 * xlsx.c — reads the first worksheet of an Office Open XML workbook
 * (.xlsx) row by row, for lists published as spreadsheets (UK OFSI).
 *
 * The workbook is a zip (libzip) of XML parts: _rels/.rels names the
 * workbook part, the workbook names its sheets and their relationship
 * ids, the workbook's rels map those ids to part names, sharedStrings
 * holds the text most cells point at, and styles tells which number
 * formats are dates. The small parts go through the shared element tree
 * (xml.c); the shared strings and the sheet, which are large and flat,
 * are streamed through expat with handlers of their own, so a 13 MB
 * sheet never becomes a tree. Both use the same hardening: no DOCTYPE,
 * no entities, UTF-8 only.
 *
 * Hostile input is bounded: each part's inflated size (zip bombs), the
 * columns and bytes of a row, the size of one cell.
 */
#include "cordon_int.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define XLSX_MAX_SMALL_PART ((zip_uint64_t)16 << 20)  /* rels, workbook, styles */
#define XLSX_MAX_STRINGS_PART ((zip_uint64_t)64 << 20)
#define XLSX_MAX_SHEET_PART ((zip_uint64_t)256 << 20) /* streamed, not kept */
#define XLSX_MAX_COLUMNS 16384u                       /* Excel's own: A..XFD */
#define XLSX_MAX_ROW_BYTES ((size_t)8 << 20)
#define XLSX_CHUNK 65536
#define XLSX_MAX_PATH 512

typedef struct span {
    uint32_t off, len;
} span;

typedef struct xlsx {
    const char *file;
    cordon_error *err;
    zip_t *za;
    char where[XLSX_MAX_PATH + 600]; /* "file(part)" for errors */
    char workbook[XLSX_MAX_PATH], sheet[XLSX_MAX_PATH];
    char strings[XLSX_MAX_PATH], styles[XLSX_MAX_PATH];
    bool date1904;
    cordon__buf ss_text; /* shared strings, back to back */
    cordon__vec ss;      /* span */
    bool *xf_date;       /* per cell style (cellXfs index): a date format */
    size_t n_xf;
} xlsx;

/* ---- small helpers ------------------------------------------------ */

static const char *where(xlsx *x, const char *part)
{
    snprintf(x->where, sizeof x->where, "%s(%s)", x->file, part);
    return x->where;
}

static const char *local_name(const char *qname)
{
    const char *colon = strrchr(qname, ':');
    return colon ? colon + 1 : qname;
}

/* Resolves a relationship target against the folder of the part that
 * holds the rels ("xl/workbook.xml" + "worksheets/sheet1.xml"), folding
 * "." and ".." segments. Absolute targets start at the package root. */
static int resolve_target(const char *base_part, const char *target, char out[XLSX_MAX_PATH])
{
    char tmp[2 * XLSX_MAX_PATH];
    if (target[0] == '/') {
        snprintf(tmp, sizeof tmp, "%s", target + 1);
    } else {
        const char *slash = strrchr(base_part, '/');
        int dir = slash ? (int)(slash - base_part + 1) : 0;
        snprintf(tmp, sizeof tmp, "%.*s%s", dir, base_part, target);
    }
    /* fold segments */
    size_t o = 0;
    const char *p = tmp;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if ((n == 1 && p[0] == '.') || n == 0) {
            /* skip */
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (o == 0)
                return -1; /* escapes the package */
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
        } else {
            if (o + (o ? 1 : 0) + n + 1 > XLSX_MAX_PATH)
                return -1;
            if (o)
                out[o++] = '/';
            memcpy(out + o, p, n);
            o += n;
        }
        p += n + (e ? 1 : 0);
    }
    out[o] = '\0';
    return o ? 0 : -1;
}

/* ---- zip parts ---------------------------------------------------- */

/* Opens a part; CORDON_ENOTFOUND (err untouched) when it is absent. */
static int part_open(xlsx *x, const char *name, zip_uint64_t limit, zip_file_t **out)
{
    *out = NULL;
    /* Part names are case-insensitive (OPC). */
    zip_int64_t idx = zip_name_locate(x->za, name, ZIP_FL_NOCASE);
    if (idx < 0)
        return CORDON_ENOTFOUND;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
        st.size > limit)
        return cordon__fail(x->err, CORDON_ETOOBIG, x->file, 0, 0,
                            "workbook part %s would inflate to %llu bytes, over the %llu MiB "
                            "limit for it",
                            name, (unsigned long long)st.size, (unsigned long long)(limit >> 20));
    zip_file_t *zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
    if (!zf)
        return cordon__fail(x->err, CORDON_ECORRUPT, x->file, 0, 0,
                            "cannot open workbook part %s: %s", name,
                            zip_error_strerror(zip_get_error(x->za)));
    *out = zf;
    return 0;
}

/* Reads up to XLSX_CHUNK bytes; counts them against the part's limit. */
static int part_read(xlsx *x, zip_file_t *zf, const char *name, zip_uint64_t limit,
                     zip_uint64_t *total, char *buf, size_t *n)
{
    zip_int64_t got = zip_fread(zf, buf, XLSX_CHUNK);
    if (got < 0)
        return cordon__fail(x->err, CORDON_ECORRUPT, x->file, 0, 0,
                            "corrupt workbook part %s: %s", name,
                            zip_error_strerror(zip_file_get_error(zf)));
    *total += (zip_uint64_t)got;
    if (*total > limit)
        return cordon__fail(x->err, CORDON_ETOOBIG, x->file, 0, 0,
                            "workbook part %s inflates beyond the %llu MiB limit for it",
                            name, (unsigned long long)(limit >> 20));
    *n = (size_t)got;
    return 0;
}

/* Reads a whole small part into b (NUL-terminated). */
static int part_slurp(xlsx *x, const char *name, cordon__buf *b)
{
    zip_file_t *zf;
    int rc = part_open(x, name, XLSX_MAX_SMALL_PART, &zf);
    if (rc)
        return rc;
    zip_uint64_t total = 0;
    for (;;) {
        if (cordon__buf_reserve(b, XLSX_CHUNK + 1)) {
            rc = cordon__fail(x->err, CORDON_ENOMEM, x->file, 0, 0, "out of memory");
            break;
        }
        size_t n;
        rc = part_read(x, zf, name, XLSX_MAX_SMALL_PART, &total, b->data + b->len, &n);
        if (rc || n == 0)
            break;
        b->len += n;
    }
    zip_fclose(zf);
    if (!rc && cordon__buf_terminate(b))
        rc = cordon__fail(x->err, CORDON_ENOMEM, x->file, 0, 0, "out of memory");
    return rc;
}

/* Parses a small part into an element tree. */
static int part_tree(xlsx *x, const char *name, cordon__xml_doc *doc)
{
    memset(doc, 0, sizeof *doc);
    cordon__buf b = {0};
    int rc = part_slurp(x, name, &b);
    if (!rc)
        rc = cordon__xml_parse(doc, b.data, b.len, where(x, name), NULL, x->err);
    cordon__buf_free(&b);
    return rc;
}

/* ---- streaming expat, hardened like xml.c --------------------------- */

typedef struct sax {
    xlsx *x;
    XML_Parser p;
    const char *part;
    int rc; /* first failure raised by a handler */
} sax;

static void sax_fail(sax *s, int code, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void sax_fail(sax *s, int code, unsigned long line, const char *fmt, ...)
{
    if (s->rc)
        return;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    s->rc = cordon__fail(s->x->err, code, s->x->file, line, 0, "%s (in %s, XML line %lu)", msg,
                         s->part, (unsigned long)XML_GetCurrentLineNumber(s->p));
    XML_StopParser(s->p, XML_FALSE);
}

/* Set by a handler that fails on behalf of the row callback, whose own
 * error is already filled in. */
static void sax_stop(sax *s, int rc)
{
    if (!s->rc)
        s->rc = rc;
    XML_StopParser(s->p, XML_FALSE);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    sax_fail(ud, CORDON_EFORMAT, 0, "DOCTYPE <%.80s> is not allowed in a workbook part", name);
}

static void XMLCALL on_entity_decl(void *ud, const XML_Char *name, int is_param,
                                   const XML_Char *value, int value_len, const XML_Char *base,
                                   const XML_Char *sysid, const XML_Char *pubid,
                                   const XML_Char *notation)
{
    sax_fail(ud, CORDON_EFORMAT, 0, "entity declaration \"%.80s\" is not allowed", name);
}

static void XMLCALL on_skipped(void *ud, const XML_Char *name, int is_param)
{
    sax_fail(ud, CORDON_EFORMAT, 0, "reference to undeclared entity \"%.80s\"", name);
}

static XML_Parser sax_new(sax *s)
{
    /* Forcing UTF-8 ignores any other declared encoding; expat checks it. */
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p)
        return NULL;
    s->p = p;
    XML_SetUserData(p, s);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetEntityDeclHandler(p, on_entity_decl);
    XML_SetSkippedEntityHandler(p, on_skipped);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    return p;
}

/* Streams a part through s->p, inflating straight into expat's buffer. */
static int sax_run(sax *s, const char *name, zip_uint64_t limit)
{
    xlsx *x = s->x;
    s->part = name;
    zip_file_t *zf;
    int rc = part_open(x, name, limit, &zf);
    if (rc)
        return rc;
    zip_uint64_t total = 0;
    for (;;) {
        void *buf = XML_GetBuffer(s->p, XLSX_CHUNK);
        if (!buf) {
            rc = cordon__fail(x->err, CORDON_ENOMEM, x->file, 0, 0, "out of memory");
            break;
        }
        size_t n;
        rc = part_read(x, zf, name, limit, &total, buf, &n);
        if (rc)
            break;
        if (XML_ParseBuffer(s->p, (int)n, n == 0) != XML_STATUS_OK) {
            if (s->rc) {
                rc = s->rc;
            } else {
                enum XML_Error e = XML_GetErrorCode(s->p);
                rc = cordon__fail(x->err, e == XML_ERROR_NO_MEMORY ? CORDON_ENOMEM : CORDON_EFORMAT,
                                  x->file, 0, 0, "malformed XML in %s at line %lu column %lu: %s",
                                  name, (unsigned long)XML_GetCurrentLineNumber(s->p),
                                  (unsigned long)XML_GetCurrentColumnNumber(s->p) + 1,
                                  XML_ErrorString(e));
            }
            break;
        }
        if (n == 0)
            break;
    }
    zip_fclose(zf);
    return rc;
}

/* ---- shared strings ----------------------------------------------- */

typedef struct ss_state {
    sax s;
    unsigned in_si, in_rph, in_t;
    size_t start; /* of the current string in ss_text */
} ss_state;

static void XMLCALL ss_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    ss_state *st = ud;
    const char *ln = local_name(name);
    if (strcmp(ln, "si") == 0) {
        st->in_si = 1;
        st->start = st->s.x->ss_text.len;
    } else if (st->in_si && strcmp(ln, "rPh") == 0) {
        st->in_rph++; /* phonetic guide: not part of the text */
    } else if (st->in_si && !st->in_rph && strcmp(ln, "t") == 0) {
        st->in_t = 1;
    }
}

static void XMLCALL ss_end(void *ud, const XML_Char *name)
{
    ss_state *st = ud;
    xlsx *x = st->s.x;
    const char *ln = local_name(name);
    if (strcmp(ln, "t") == 0) {
        st->in_t = 0;
    } else if (strcmp(ln, "rPh") == 0 && st->in_rph) {
        st->in_rph--;
    } else if (strcmp(ln, "si") == 0 && st->in_si) {
        st->in_si = 0;
        span *sp = cordon__vec_push(&x->ss, sizeof *sp);
        if (!sp) {
            sax_fail(&st->s, CORDON_ENOMEM, 0, "out of memory");
            return;
        }
        sp->off = (uint32_t)st->start;
        sp->len = (uint32_t)(x->ss_text.len - st->start);
    }
}

static void XMLCALL ss_text(void *ud, const XML_Char *s, int len)
{
    ss_state *st = ud;
    if (!st->in_t)
        return;
    cordon__buf *b = &st->s.x->ss_text;
    /* The part limit bounds this too; 32-bit spans need the check. */
    if (b->len + (size_t)len > UINT32_MAX)
        sax_fail(&st->s, CORDON_ETOOBIG, 0, "shared strings exceed 4 GiB");
    else if (cordon__buf_append(b, s, (size_t)len))
        sax_fail(&st->s, CORDON_ENOMEM, 0, "out of memory");
}

static int read_shared_strings(xlsx *x)
{
    if (!x->strings[0])
        return 0;
    ss_state st = {.s = {.x = x}};
    if (!sax_new(&st.s))
        return cordon__fail(x->err, CORDON_ENOMEM, x->file, 0, 0, "out of memory");
    XML_SetElementHandler(st.s.p, ss_start, ss_end);
    XML_SetCharacterDataHandler(st.s.p, ss_text);
    int rc = sax_run(&st.s, x->strings, XLSX_MAX_STRINGS_PART);
    XML_ParserFree(st.s.p);
    if (rc == CORDON_ENOTFOUND)
        rc = cordon__fail(x->err, CORDON_ECORRUPT, x->file, 0, 0,
                          "workbook names a shared strings part %s that is missing", x->strings);
    return rc;
}

/* ---- styles: which cell formats are dates --------------------------- */

/* A custom number format shows a date when it has a day or year code
 * outside quoted text, [colour/locale] brackets and escapes. */
static bool format_is_date(const char *code)
{
    for (const char *p = code; *p; p++) {
        if (*p == '"') {
            const char *q = strchr(p + 1, '"');
            if (!q)
                return false;
            p = q;
        } else if (*p == '[') {
            const char *q = strchr(p + 1, ']');
            if (!q)
                return false;
            p = q;
        } else if (*p == '\\' || *p == '_' || *p == '*') {
            if (!p[1])
                return false;
            p++;
        } else if (*p == 'd' || *p == 'D' || *p == 'y' || *p == 'Y') {
            return true;
        }
    }
    return false;
}

/* Built-in number formats that are dates (ECMA-376 18.8.30 and the
 * East Asian ones Excel uses). */
static bool builtin_is_date(long id)
{
    return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) ||
           (id >= 50 && id <= 58);
}

typedef struct numfmt {
    long id;
    bool date;
} numfmt;

static int numfmt_cmp(const void *a, const void *b)
{
    long x = ((const numfmt *)a)->id, y = ((const numfmt *)b)->id;
    return (x > y) - (x < y);
}

static int read_styles(xlsx *x)
{
    if (!x->styles[0])
        return 0;
    cordon__xml_doc doc;
    int rc = part_tree(x, x->styles, &doc);
    if (rc == CORDON_ENOTFOUND) {
        cordon__xml_free(&doc);
        return 0; /* no styles: no dates, nothing else depends on it */
    }
    if (rc)
        return rc;
    /* Custom formats sorted by id, so each cell style costs a search. */
    const cordon__xml_node *fmts = cordon__xml_child(doc.root, "numFmts");
    const cordon__xml_node *xfs = cordon__xml_child(doc.root, "cellXfs");
    size_t n_fmts = fmts ? fmts->n_children : 0, k = 0;
    numfmt *custom = n_fmts ? malloc(n_fmts * sizeof *custom) : NULL;
    size_t n = xfs ? xfs->n_children : 0;
    x->xf_date = n ? calloc(n, sizeof *x->xf_date) : NULL;
    if ((n_fmts && !custom) || (n && !x->xf_date)) {
        free(custom);
        cordon__xml_free(&doc);
        return cordon__fail(x->err, CORDON_ENOMEM, x->file, 0, 0, "out of memory");
    }
    CORDON__XML_EACH(f, fmts, "numFmt") {
        const char *fid = cordon__xml_attr(f, "numFmtId");
        const char *code = cordon__xml_attr(f, "formatCode");
        if (fid && code && k < n_fmts)
            custom[k++] = (numfmt){strtol(fid, NULL, 10), format_is_date(code)};
    }
    if (k)
        qsort(custom, k, sizeof *custom, numfmt_cmp);
    x->n_xf = n;
    size_t i = 0;
    CORDON__XML_EACH(xf, xfs, NULL) {
        if (i >= n)
            break;
        const char *ids = cordon__xml_attr(xf, "numFmtId");
        numfmt key = {ids ? strtol(ids, NULL, 10) : 0, false};
        const numfmt *hit = k ? bsearch(&key, custom, k, sizeof *custom, numfmt_cmp) : NULL;
        x->xf_date[i++] = hit ? hit->date : builtin_is_date(key.id);
    }
    free(custom);
    cordon__xml_free(&doc);
    return 0;
}

/* ---- package structure: which part is the first sheet --------------- */

/* Finds in a rels part the target of the relationship with this id, or
 * (id NULL) the first whose type ends with type_suffix. */
static int rels_find(xlsx *x, const char *rels_part, const char *base_part, const char *id,
                     const char *type_suffix, char out[XLSX_MAX_PATH])
{
    out[0] = '\0';
    cordon__xml_doc doc;
    int rc = part_tree(x, rels_part, &doc);
    if (rc) {
        cordon__xml_free(&doc);
        return rc;
    }
    CORDON__XML_EACH(r, doc.root, "Relationship") {
        const char *rid = cordon__xml_attr(r, "Id");
        const char *type = cordon__xml_attr(r, "Type");
        const char *target = cordon__xml_attr(r, "Target");
        const char *mode = cordon__xml_attr(r, "TargetMode");
        if (!target || (mode && strcmp(mode, "External") == 0))
            continue;
        bool hit;
        if (id) {
            hit = rid && strcmp(rid, id) == 0;
        } else {
            size_t tl = type ? strlen(type) : 0, sl = strlen(type_suffix);
            hit = tl >= sl && strcmp(type + tl - sl, type_suffix) == 0;
        }
        if (hit) {
            if (resolve_target(base_part, target, out))
                rc = cordon__fail(x->err, CORDON_ECORRUPT, where(x, rels_part), r->line,
                                  r->column, "bad relationship target \"%.200s\"", target);
            break;
        }
    }
    cordon__xml_free(&doc);
    return rc;
}

/* "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels" */
static bool rels_of(const char *part, char out[XLSX_MAX_PATH])
{
    const char *slash = strrchr(part, '/');
    int dir = slash ? (int)(slash - part + 1) : 0;
    int n = snprintf(out, XLSX_MAX_PATH, "%.*s_rels/%s.rels", dir, part, part + dir);
    return n > 0 && n < XLSX_MAX_PATH;
}

static int locate_parts(xlsx *x)
{
    int rc = rels_find(x, "_rels/.rels", "", NULL, "/officeDocument", x->workbook);
    if (rc == CORDON_ENOTFOUND || (!rc && !x->workbook[0]))
        snprintf(x->workbook, sizeof x->workbook, "xl/workbook.xml");
    else if (rc)
        return rc;

    cordon__xml_doc doc;
    rc = part_tree(x, x->workbook, &doc);
    if (rc) {
        cordon__xml_free(&doc);
        if (rc == CORDON_ENOTFOUND)
            return cordon__fail(x->err, CORDON_ECORRUPT, x->file, 0, 0,
                                "not an XLSX workbook: the zip has no %s part", x->workbook);
        return rc;
    }
    if (strcmp(doc.root->name, "workbook") != 0) {
        rc = cordon__fail(x->err, CORDON_ECORRUPT, where(x, x->workbook), 0, 0,
                          "not a spreadsheet workbook: the root element is <%.80s>",
                          doc.root->qname);
        cordon__xml_free(&doc);
        return rc;
    }
    const cordon__xml_node *pr = cordon__xml_child(doc.root, "workbookPr");
    const char *d1904 = pr ? cordon__xml_attr(pr, "date1904") : NULL;
    x->date1904 = d1904 && (strcmp(d1904, "1") == 0 || strcmp(d1904, "true") == 0);
    const cordon__xml_node *sheet = cordon__xml_child(cordon__xml_child(doc.root, "sheets"), "sheet");
    /* The relationship id is the namespaced attribute "r:id" (any prefix). */
    char rid[256] = "";
    for (size_t i = 0; sheet && i < sheet->n_attrs; i++) {
        const char *an = sheet->attrs[2 * i];
        if (strchr(an, ':') && strcmp(local_name(an), "id") == 0)
            snprintf(rid, sizeof rid, "%s", sheet->attrs[2 * i + 1]);
    }
    cordon__xml_free(&doc);
    if (!rid[0])
        return cordon__fail(x->err, CORDON_ECORRUPT, where(x, x->workbook), 0, 0,
                            "the workbook lists no worksheet");

    char rels[XLSX_MAX_PATH];
    if (!rels_of(x->workbook, rels))
        return cordon__fail(x->err, CORDON_ECORRUPT, x->file, 0, 0,
                            "workbook part name is too long");
    rc = rels_find(x, rels, x->workbook, rid, NULL, x->sheet);
    if (rc == CORDON_ENOTFOUND)
        return cordon__fail(x->err, CORDON_ECORRUPT, x->file, 0, 0,
                            "the workbook has no relationships part %s", rels);
    if (!rc && !x->sheet[0])
        return cordon__fail(x->err, CORDON_ECORRUPT, where(x, rels), 0, 0,
                            "no relationship \"%s\" for the first worksheet", rid);
    if (!rc)
        rc = rels_find(x, rels, x->workbook, NULL, "/sharedStrings", x->strings);
    if (!rc)
        rc = rels_find(x, rels, x->workbook, NULL, "/styles", x->styles);
    if (!rc && zip_name_locate(x->za, x->sheet, ZIP_FL_NOCASE) < 0)
        return cordon__fail(x->err, CORDON_ECORRUPT, x->file, 0, 0,
                            "the first worksheet's part %s is missing", x->sheet);
    return rc;
}

/* ---- the sheet ---------------------------------------------------- */

typedef struct cell {
    const char *direct; /* a shared string, or NULL: text at off in row_text */
    size_t off, len;
} cell;

typedef struct sheet_state {
    sax s;
    cordon__xlsx_row_fn fn;
    void *ctx;
    unsigned long row;      /* current row number */
    long col;               /* current cell's column, -1 before the first */
    char type[16];          /* the cell's t attribute */
    unsigned long style;    /* its s attribute */
    bool in_sheet_data, in_row, in_cell, in_v, in_is, in_t;
    unsigned in_rph;
    size_t cell_start;      /* of the current cell's text in row_text */
    cordon__buf row_text;
    cell *cells;            /* indexed by column; [0, n_cells) are set */
    cordon__csv_field *fields; /* handed to fn */
    size_t n_cells, cap;
    bool done;
} sheet_state;

static void col_name(long col, char out[8])
{
    char tmp[8];
    int n = 0;
    long c = col + 1;
    while (c > 0 && n < 7) {
        tmp[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

/* "AK5" -> column 36; -1 when malformed. */
static long parse_ref(const char *r)
{
    long col = 0;
    int letters = 0;
    while (*r >= 'A' && *r <= 'Z') {
        col = col * 26 + (*r - 'A' + 1);
        if (++letters > 3)
            return -1;
        r++;
    }
    if (!letters || col > (long)XLSX_MAX_COLUMNS)
        return -1;
    while (*r >= '0' && *r <= '9')
        r++;
    return *r ? -1 : col - 1;
}

static bool parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
    if (!*s)
        return false;
    unsigned long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (unsigned long)(*s - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

/* The sheet elements that matter, told apart without a string compare
 * chain: the handlers run for every one of a sheet's cells. */
enum { E_OTHER, E_SHEET_DATA, E_ROW, E_C, E_V, E_IS, E_T, E_RPH };

static int element_kind(const char *name)
{
    const char *ln = local_name(name);
    switch (ln[0]) {
    case 'c':
        return ln[1] ? E_OTHER : E_C;
    case 'v':
        return ln[1] ? E_OTHER : E_V;
    case 't':
        return ln[1] ? E_OTHER : E_T;
    case 'i':
        return ln[1] == 's' && !ln[2] ? E_IS : E_OTHER;
    case 'r':
        return strcmp(ln, "row") == 0 ? E_ROW : strcmp(ln, "rPh") == 0 ? E_RPH : E_OTHER;
    case 's':
        return strcmp(ln, "sheetData") == 0 ? E_SHEET_DATA : E_OTHER;
    default:
        return E_OTHER;
    }
}

static void start_row(sheet_state *st, const XML_Char **atts)
{
    unsigned long r = st->row + 1;
    for (size_t i = 0; atts[i]; i += 2)
        if (atts[i][0] == 'r' && !atts[i][1] && !parse_ulong(atts[i + 1], 1048576, &r)) {
            sax_fail(&st->s, CORDON_EFORMAT, st->row + 1, "bad row number \"%.40s\"",
                     atts[i + 1]);
            return;
        }
    st->row = r;
    st->in_row = true;
    st->col = -1;
    st->n_cells = 0;
    st->row_text.len = 0;
}

static void start_cell(sheet_state *st, const XML_Char **atts)
{
    long col = st->col + 1;
    st->type[0] = '\0';
    st->style = 0;
    for (size_t i = 0; atts[i]; i += 2) {
        const char *an = atts[i], *av = atts[i + 1];
        if (an[1])
            continue; /* r, t and s are one letter */
        if (an[0] == 'r') {
            col = parse_ref(av);
            if (col < 0) {
                sax_fail(&st->s, CORDON_EFORMAT, st->row, "bad cell reference \"%.40s\"", av);
                return;
            }
        } else if (an[0] == 't') {
            size_t tl = strlen(av);
            if (tl >= sizeof st->type)
                tl = sizeof st->type - 1;
            memcpy(st->type, av, tl);
            st->type[tl] = '\0';
        } else if (an[0] == 's' && !parse_ulong(av, 1u << 20, &st->style)) {
            sax_fail(&st->s, CORDON_EFORMAT, st->row, "bad cell style \"%.40s\"", av);
            return;
        }
    }
    if (col >= (long)XLSX_MAX_COLUMNS) {
        sax_fail(&st->s, CORDON_ETOOBIG, st->row, "row %lu has more than %u columns", st->row,
                 XLSX_MAX_COLUMNS);
        return;
    }
    st->col = col;
    st->in_cell = true;
    st->cell_start = st->row_text.len;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sheet_state *st = ud;
    if (st->s.rc || st->done)
        return;
    int kind = element_kind(name);
    if (!st->in_sheet_data) {
        st->in_sheet_data = kind == E_SHEET_DATA;
        return;
    }
    switch (kind) {
    case E_ROW:
        start_row(st, atts);
        break;
    case E_C:
        if (st->in_row)
            start_cell(st, atts);
        break;
    case E_V:
        st->in_v = st->in_cell;
        break;
    case E_IS:
        st->in_is = st->in_cell;
        break;
    case E_RPH:
        if (st->in_is)
            st->in_rph++;
        break;
    case E_T:
        st->in_t = st->in_is && !st->in_rph;
        break;
    default:
        break;
    }
}

static void XMLCALL sheet_text(void *ud, const XML_Char *s, int len)
{
    sheet_state *st = ud;
    if (st->s.rc || !(st->in_v || st->in_t))
        return;
    if (st->row_text.len - st->cell_start + (size_t)len > CORDON__MAX_FIELD_BYTES) {
        char ref[8];
        col_name(st->col, ref);
        sax_fail(&st->s, CORDON_ETOOBIG, st->row, "cell %s%lu is over the %zu-byte limit", ref,
                 st->row, CORDON__MAX_FIELD_BYTES);
    } else if (cordon__buf_append(&st->row_text, s, (size_t)len)) {
        sax_fail(&st->s, CORDON_ENOMEM, st->row, "out of memory");
    }
}

/* Days since 1970-01-01 -> civil date (H. Hinnant's algorithm). */
static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (long)yoe + era * 400 + (*m <= 2);
}

/* An Excel serial day number as "YYYY-MM-DD"; false when it is not one.
 * The 1900 system counts the fictitious 29 Feb 1900 (serial 60), so
 * serials after it are one day ahead. */
static bool serial_to_iso(const char *s, size_t len, bool date1904, char out[40])
{
    char tmp[64];
    if (len == 0 || len >= sizeof tmp)
        return false;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    char *end;
    double v = strtod(tmp, &end);
    if (*end || !(v >= 1.0 && v < 2958466.0)) /* up to 9999-12-31 */
        return false;
    long serial = (long)v;
    long days;
    if (date1904)
        days = serial - 24107;
    else if (serial == 60)
        return false;
    else
        days = serial - (serial < 60 ? 25568 : 25569);
    long y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(out, 40, "%04ld-%02u-%02u", y, m % 100, d % 100);
    return true;
}

/* Makes cells [0, col] exist, the new ones empty. */
static bool grow_cells(sheet_state *st, size_t col)
{
    if (col >= st->cap) {
        size_t cap = st->cap ? st->cap : 64;
        while (cap <= col)
            cap *= 2;
        cell *c = realloc(st->cells, cap * sizeof *c);
        if (c)
            st->cells = c;
        cordon__csv_field *f = c ? realloc(st->fields, cap * sizeof *f) : NULL;
        if (!f)
            return false;
        st->fields = f;
        st->cap = cap;
    }
    if (col >= st->n_cells) {
        memset(st->cells + st->n_cells, 0, (col + 1 - st->n_cells) * sizeof *st->cells);
        st->n_cells = col + 1;
    }
    return true;
}

/* Records the current cell's value: its raw text, or what that stands
 * for (a shared string, a boolean, a date). */
static void finish_cell(sheet_state *st)
{
    xlsx *x = st->s.x;
    cordon__buf *b = &st->row_text;
    const char *raw = b->data ? b->data + st->cell_start : "";
    size_t raw_len = b->len - st->cell_start;
    const char *t = st->type;
    const char *direct = NULL;
    size_t len = raw_len;
    if (raw_len == 0)
        return; /* <c t="s"/> and the like: an empty cell */
    if (t[0] == 's' && t[1] == '\0') {
        size_t k = 0, i = 0;
        for (; i < raw_len && raw[i] >= '0' && raw[i] <= '9' && k <= x->ss.count; i++)
            k = k * 10 + (size_t)(raw[i] - '0');
        if (raw_len == 0 || i != raw_len || k >= x->ss.count) {
            char ref[8];
            col_name(st->col, ref);
            sax_fail(&st->s, CORDON_ECORRUPT, st->row,
                     "cell %s%lu points at shared string \"%.*s\", but the workbook has %zu",
                     ref, st->row, (int)(raw_len < 20 ? raw_len : 20), raw, x->ss.count);
            return;
        }
        const span *sp = &((const span *)x->ss.items)[k];
        direct = x->ss_text.data ? x->ss_text.data + sp->off : "";
        len = sp->len;
        b->len = st->cell_start;
    } else if (strcmp(t, "b") == 0) {
        direct = raw_len == 1 && raw[0] == '1' ? "TRUE" : "FALSE";
        len = strlen(direct);
        b->len = st->cell_start;
    } else if ((t[0] == '\0' || strcmp(t, "n") == 0) && st->style < x->n_xf &&
               x->xf_date[st->style]) {
        char iso[40];
        if (serial_to_iso(raw, raw_len, x->date1904, iso)) {
            b->len = st->cell_start; /* drop the serial, keep the date */
            len = strlen(iso);
            if (cordon__buf_append(b, iso, len)) {
                sax_fail(&st->s, CORDON_ENOMEM, st->row, "out of memory");
                return;
            }
        }
    }
    if (len == 0)
        return;
    if (!grow_cells(st, (size_t)st->col)) {
        sax_fail(&st->s, CORDON_ENOMEM, st->row, "out of memory");
        return;
    }
    cell *c = &st->cells[st->col];
    c->direct = direct;
    c->off = st->cell_start;
    c->len = len;
}

static void finish_row(sheet_state *st)
{
    size_t n = st->n_cells;
    if (n == 0)
        return; /* nothing but empty cells */
    const cell *cs = st->cells;
    for (size_t i = 0; i < n; i++) {
        cordon__csv_field *f = &st->fields[i];
        f->s = !cs[i].len ? "" : cs[i].direct ? cs[i].direct : st->row_text.data + cs[i].off;
        f->len = cs[i].len;
    }
    int rc = st->fn(st->ctx, st->row, st->fields, n);
    if (rc)
        sax_stop(&st->s, rc);
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
    sheet_state *st = ud;
    if (st->s.rc || st->done || !st->in_sheet_data)
        return;
    switch (element_kind(name)) {
    case E_V:
        st->in_v = false;
        break;
    case E_T:
        st->in_t = false;
        break;
    case E_RPH:
        if (st->in_rph)
            st->in_rph--;
        break;
    case E_IS:
        st->in_is = false;
        break;
    case E_C:
        if (!st->in_cell)
            break;
        st->in_cell = st->in_v = st->in_is = st->in_t = false;
        st->in_rph = 0;
        finish_cell(st);
        if (!st->s.rc && st->row_text.len > XLSX_MAX_ROW_BYTES)
            sax_fail(&st->s, CORDON_ETOOBIG, st->row, "row %lu is over the %zu-byte limit",
                     st->row, XLSX_MAX_ROW_BYTES);
        break;
    case E_ROW:
        if (st->in_row) {
            st->in_row = false;
            finish_row(st);
        }
        break;
    case E_SHEET_DATA:
        st->done = true; /* the rest of the sheet is layout */
        break;
    default:
        break;
    }
}

static int read_sheet(xlsx *x, cordon__xlsx_row_fn fn, void *ctx)
{
    sheet_state st = {.s = {.x = x}, .fn = fn, .ctx = ctx};
    if (!sax_new(&st.s))
        return cordon__fail(x->err, CORDON_ENOMEM, x->file, 0, 0, "out of memory");
    XML_SetElementHandler(st.s.p, sheet_start, sheet_end);
    XML_SetCharacterDataHandler(st.s.p, sheet_text);
    int rc = sax_run(&st.s, x->sheet, XLSX_MAX_SHEET_PART);
    XML_ParserFree(st.s.p);
    cordon__buf_free(&st.row_text);
    free(st.cells);
    free(st.fields);
    return rc;
}

/* ---- entry point -------------------------------------------------- */

int cordon__xlsx_read(const char *data, size_t len, const char *file, cordon__xlsx_row_fn fn,
                      void *ctx, cordon_error *err)
{
    if (len == 0)
        return cordon__fail(err, CORDON_EEMPTY, file, 0, 0, "empty file: not an XLSX workbook");
    if (len < 4 || memcmp(data, "PK\x03\x04", 4) != 0)
        return cordon__fail(err, CORDON_ECORRUPT, file, 0, 0,
                            "not an XLSX workbook: it is not a zip archive");
    xlsx x = {.file = file, .err = err};
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (!src) {
        zip_error_fini(&ze);
        return cordon__fail(err, CORDON_ENOMEM, file, 0, 0, "out of memory");
    }
    x.za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (!x.za) {
        int rc = cordon__fail(err, CORDON_ECORRUPT, file, 0, 0,
                              "not a readable XLSX workbook: %s", zip_error_strerror(&ze));
        zip_source_free(src);
        zip_error_fini(&ze);
        return rc;
    }
    zip_error_fini(&ze);
    int rc = locate_parts(&x);
    if (!rc)
        rc = read_styles(&x);
    if (!rc)
        rc = read_shared_strings(&x);
    if (!rc)
        rc = read_sheet(&x, fn, ctx);
    zip_discard(x.za); /* read-only: nothing to write back */
    cordon__buf_free(&x.ss_text);
    cordon__vec_free(&x.ss);
    free(x.xf_date);
    return rc;
}
