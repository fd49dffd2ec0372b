/*
 * xml.c — the one place libcordon parses XML. Expat reads a whole
 * in-memory document into a compact element tree held in an arena
 * (cordon__xml_doc): each element has its local name, attributes, its own
 * character data and its children. List parsers then walk the tree with
 * cordon__xml_child/next/attr, which keeps them short and declarative.
 *
 * The layer is hardened because list files come from outside:
 *  - input must be UTF-8 without NUL bytes (checked up front, so the error
 *    names the exact line and column of the bad byte);
 *  - no entity is ever expanded: any <!ENTITY> declaration (the "billion
 *    laughs" and XXE shapes both need one) and any DOCTYPE that names an
 *    external DTD stop the parse with a clear error; external DTDs and
 *    parameter entities are never loaded; expat's own amplification guard
 *    is switched on as a second line of defence;
 *  - depth, element count, attributes per element and text per element
 *    are bounded (cordon__xml_limits), so memory stays proportional to a
 *    sane document.
 * Errors carry expat's line and column (1-based).
 */
#include "cordon_int.h"

/* The Billion Laughs guard is declared only under XML_DTD, which the
 * system expat is built with; the macro gates declarations only. */
#ifndef XML_DTD
#define XML_DTD 1
#endif
#include <expat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XML_CHUNK ((size_t)1 << 24) /* XML_Parse takes an int length */

const cordon__xml_limits cordon__xml_default_limits = {
    .max_depth = 128,
    .max_nodes = (size_t)4 << 20,
    .max_attrs = 256,
    .max_text = CORDON__MAX_FIELD_BYTES,
};

typedef struct parse_ctx {
    XML_Parser parser;
    cordon__xml_doc *doc;
    cordon__xml_limits lim;
    const char *file;
    /* Start-tag positions, counted here incrementally because expat's
     * XML_GetCurrentLineNumber rescans and cost 10% of a load. */
    const char *data;
    size_t data_len;
    size_t pos_off;          /* byte offset counted up to */
    unsigned long pos_line;  /* 1-based line at pos_off */
    unsigned long pos_col;   /* 0-based column (characters) at pos_off */
    cordon_error *err;
    int rc; /* first failure, set by a handler before XML_StopParser */
    cordon__xml_node *cur; /* innermost open element */
    cordon__xml_node *last_child_of_cur; /* to append children in O(1) */
    cordon__vec last_child;  /* cordon__xml_node*: per open depth */
    cordon__vec text_start;  /* size_t: per open depth, offset into text */
    cordon__buf text;        /* character data of the open elements, as a stack */
    size_t depth;
    cordon__strmap names;    /* interned element and attribute names */
} parse_ctx;

/* Stops expat and records the failure at the current position. */
static void fail_here(parse_ctx *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail_here(parse_ctx *c, int code, const char *fmt, ...)
{
    if (c->rc)
        return;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    unsigned long line = (unsigned long)XML_GetCurrentLineNumber(c->parser);
    unsigned long col = (unsigned long)XML_GetCurrentColumnNumber(c->parser) + 1;
    c->rc = cordon__fail(c->err, code, c->file, line, col, "%s", msg);
    XML_StopParser(c->parser, XML_FALSE);
}

static const char *intern(parse_ctx *c, const char *s)
{
    size_t len = strlen(s);
    const char *v = cordon__strmap_get(&c->names, s, len);
    if (v)
        return v;
    char *copy = cordon__arena_strndup(&c->doc->arena, s, len);
    if (!copy || cordon__strmap_put(&c->names, copy, len, copy))
        return NULL;
    return copy;
}

/* Moves the position counters to byte `off`, the way expat counts: lines
 * end at LF, CR LF or a lone CR; columns count characters. */
static void advance_to(parse_ctx *c, size_t off)
{
    if (off > c->data_len)
        off = c->data_len;
    const char *p = c->data + c->pos_off, *end = c->data + (off > c->pos_off ? off : c->pos_off);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *cr = memchr(p, '\r', (size_t)((nl ? nl : end) - p));
        const char *brk = cr ? cr : nl;
        if (!brk) {
            for (; p < end; p++)
                c->pos_col += ((unsigned char)*p & 0xC0) != 0x80;
            break;
        }
        c->pos_line++;
        c->pos_col = 0;
        p = brk + 1;
        if (brk == cr && p < c->data + c->data_len && *p == '\n')
            p++; /* CR LF is one break, even across calls */
    }
    c->pos_off = (size_t)((p > end ? p : end) - c->data);
}

/* Moves the position counters to the current event. */
static void advance_position(parse_ctx *c)
{
    XML_Index idx = XML_GetCurrentByteIndex(c->parser);
    advance_to(c, idx < 0 ? 0 : (size_t)idx);
}

static const char *local_part(const char *qname)
{
    const char *colon = strrchr(qname, ':');
    return colon ? colon + 1 : qname;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    parse_ctx *c = ud;
    if (c->rc)
        return;
    if (c->depth >= c->lim.max_depth) {
        fail_here(c, CORDON_ETOOBIG, "elements nest deeper than %zu levels", c->lim.max_depth);
        return;
    }
    if (c->doc->n_nodes >= c->lim.max_nodes) {
        fail_here(c, CORDON_ETOOBIG, "more than %zu elements", c->lim.max_nodes);
        return;
    }
    size_t n_attrs = 0;
    while (atts[2 * n_attrs])
        n_attrs++;
    if (n_attrs > c->lim.max_attrs) {
        fail_here(c, CORDON_ETOOBIG, "element <%.80s> has more than %zu attributes", name, c->lim.max_attrs);
        return;
    }
    cordon__xml_node *n = cordon__arena_alloc(&c->doc->arena, sizeof *n);
    const char **attrs = n_attrs ? cordon__arena_alloc(&c->doc->arena,
                                                       2 * n_attrs * sizeof *attrs)
                                 : NULL;
    const char *qn = intern(c, name);
    cordon__xml_node **lc = cordon__vec_push(&c->last_child, sizeof *lc);
    size_t *ts = cordon__vec_push(&c->text_start, sizeof *ts);
    if (!n || (n_attrs && !attrs) || !qn || !lc || !ts) {
        fail_here(c, CORDON_ENOMEM, "out of memory");
        return;
    }
    memset(n, 0, sizeof *n);
    n->qname = qn;
    n->name = local_part(qn);
    n->text = "";
    advance_position(c);
    n->line = c->pos_line;
    n->column = c->pos_col + 1;
    for (size_t i = 0; i < n_attrs; i++) {
        size_t vlen = strlen(atts[2 * i + 1]);
        if (vlen > c->lim.max_text) {
            fail_here(c, CORDON_ETOOBIG, "attribute %.80s of <%.80s> exceeds %zu bytes",
                      atts[2 * i], name, c->lim.max_text);
            return;
        }
        attrs[2 * i] = intern(c, atts[2 * i]);
        attrs[2 * i + 1] = cordon__arena_strndup(&c->doc->arena, atts[2 * i + 1], vlen);
        if (!attrs[2 * i] || !attrs[2 * i + 1]) {
            fail_here(c, CORDON_ENOMEM, "out of memory");
            return;
        }
    }
    n->attrs = attrs;
    n->n_attrs = n_attrs;
    n->parent = c->cur;
    if (c->cur) {
        cordon__xml_node **prev = &((cordon__xml_node **)c->last_child.items)[c->depth - 1];
        if (*prev)
            (*prev)->next = n;
        else
            c->cur->child = n;
        *prev = n;
        c->cur->n_children++;
    } else {
        c->doc->root = n;
    }
    *lc = NULL;
    *ts = c->text.len;
    c->cur = n;
    c->depth++;
    c->doc->n_nodes++;
}

static bool all_space(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return false;
    return true;
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    parse_ctx *c = ud;
    if (c->rc || !c->cur)
        return;
    cordon__xml_node *n = c->cur;
    size_t start = ((size_t *)c->text_start.items)[c->depth - 1];
    const char *s = c->text.data ? c->text.data + start : "";
    size_t len = c->text.len - start;
    /* Indentation between child elements is layout, not content. */
    if (len && !(n->child && all_space(s, len))) {
        char *t = cordon__arena_strndup(&c->doc->arena, s, len);
        if (!t) {
            fail_here(c, CORDON_ENOMEM, "out of memory");
            return;
        }
        n->text = t;
        n->text_len = len;
    }
    c->text.len = start; /* pop this element's text off the stack */
    c->depth--;
    c->last_child.count--;
    c->text_start.count--;
    c->cur = n->parent;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    parse_ctx *c = ud;
    if (c->rc || !c->cur || len <= 0)
        return;
    size_t start = ((size_t *)c->text_start.items)[c->depth - 1];
    if (c->text.len - start + (size_t)len > c->lim.max_text) {
        fail_here(c, CORDON_ETOOBIG, "text of element <%.80s> exceeds %zu bytes", c->cur->qname, c->lim.max_text);
        return;
    }
    if (cordon__buf_append(&c->text, s, (size_t)len))
        fail_here(c, CORDON_ENOMEM, "out of memory");
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
    parse_ctx *c = ud;
    if (sysid || pubid)
        fail_here(c, CORDON_EFORMAT,
                  "DOCTYPE <%.80s> names an external DTD; external DTDs are never loaded", name);
}

static void XMLCALL on_entity_decl(void *ud, const XML_Char *name, int is_param,
                                   const XML_Char *value, int value_len,
                                   const XML_Char *base, const XML_Char *sysid,
                                   const XML_Char *pubid, const XML_Char *notation)
{
    parse_ctx *c = ud;
    fail_here(c, CORDON_EFORMAT,
              sysid || pubid
                  ? "external entity \"%.80s\" declared; entities are never expanded (XXE)"
                  : "entity \"%.80s\" declared; entities are never expanded (entity expansion "
                    "such as \"billion laughs\" is refused)",
              name);
}

static int XMLCALL on_external_ref(XML_Parser p, const XML_Char *context,
                                   const XML_Char *base, const XML_Char *sysid,
                                   const XML_Char *pubid)
{
    parse_ctx *c = XML_GetUserData(p);
    fail_here(c, CORDON_EFORMAT, "external entity reference to \"%.80s\" refused (XXE)", sysid ? sysid : "");
    return XML_STATUS_ERROR;
}

static void XMLCALL on_skipped(void *ud, const XML_Char *name, int is_param)
{
    fail_here(ud, CORDON_EFORMAT, "reference to undeclared entity \"%.80s\"", name);
}

/* 1-based line and column of byte `off`, for errors found before expat,
 * counted as expat counts (see advance_position): the two kinds of error
 * place bytes alike. */
static void position_of(const char *data, size_t off, unsigned long *line, unsigned long *col)
{
    bool bom = off >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0; /* expat skips it */
    parse_ctx c = {.data = data, .data_len = off, .pos_line = 1, .pos_off = bom ? 3 : 0};
    advance_to(&c, off);
    *line = c.pos_line;
    *col = c.pos_col + 1;
}

/* Checks what expat would report less clearly: emptiness, a file that is
 * not XML at all, NUL bytes and invalid UTF-8. */
static int precheck(const char *data, size_t len, const char *file, cordon_error *err)
{
    size_t i = 0;
    if (len >= 2 && ((data[0] == '\xFF' && data[1] == '\xFE') ||
                     (data[0] == '\xFE' && data[1] == '\xFF') ||
                     (data[0] == '<' && data[1] == '\0') || (data[0] == '\0' && data[1] == '<')))
        return cordon__fail(err, CORDON_EUTF8, file, 1, 1,
                            "UTF-16 text; XML list files must be UTF-8");
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
        i++;
    if (i == len)
        return cordon__fail(err, CORDON_EEMPTY, file, 0, 0, "empty file: no XML document");
    if (data[i] != '<') {
        unsigned long line, col;
        position_of(data, i, &line, &col);
        return cordon__fail(err, CORDON_ECORRUPT, file, line, col,
                            "not an XML document: it does not start with '<'");
    }
    const char *nul = memchr(data, '\0', len);
    size_t ok = cordon__utf8_valid_prefix(data, nul ? (size_t)(nul - data) : len);
    if (ok < len) {
        unsigned long line, col;
        position_of(data, ok, &line, &col);
        if (nul && ok == (size_t)(nul - data))
            return cordon__fail(err, CORDON_EFORMAT, file, line, col,
                                "NUL byte in XML document");
        return cordon__fail(err, CORDON_EUTF8, file, line, col,
                            "invalid UTF-8 (byte 0x%02X); XML list files must be UTF-8",
                            (unsigned)(unsigned char)data[ok]);
    }
    return 0;
}

int cordon__xml_parse(cordon__xml_doc *doc, const char *data, size_t len, const char *file,
                      const cordon__xml_limits *limits, cordon_error *err)
{
    memset(doc, 0, sizeof *doc);
    cordon__arena_init(&doc->arena);
    int rc = precheck(data, len, file, err);
    if (rc)
        return rc;

    parse_ctx c = {.doc = doc, .file = file, .err = err, .data = data, .data_len = len,
                   .pos_line = 1, .pos_off = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0,
                   .lim = limits ? *limits : cordon__xml_default_limits};
    /* Forcing UTF-8 (already validated) ignores any other declared encoding. */
    c.parser = XML_ParserCreate("UTF-8");
    if (!c.parser)
        return cordon__fail(err, CORDON_ENOMEM, file, 0, 0, "out of memory");
    XML_SetUserData(c.parser, &c);
    XML_SetElementHandler(c.parser, on_start, on_end);
    XML_SetCharacterDataHandler(c.parser, on_text);
    XML_SetStartDoctypeDeclHandler(c.parser, on_doctype);
    XML_SetEntityDeclHandler(c.parser, on_entity_decl);
    XML_SetExternalEntityRefHandler(c.parser, on_external_ref);
    XML_SetSkippedEntityHandler(c.parser, on_skipped);
    XML_SetParamEntityParsing(c.parser, XML_PARAM_ENTITY_PARSING_NEVER);
#if XML_MAJOR_VERSION > 2 || (XML_MAJOR_VERSION == 2 && XML_MINOR_VERSION >= 4)
    XML_SetBillionLaughsAttackProtectionMaximumAmplification(c.parser, 20.0f);
    XML_SetBillionLaughsAttackProtectionActivationThreshold(c.parser, 1u << 20);
#endif

    size_t off = 0;
    do {
        size_t n = len - off > XML_CHUNK ? XML_CHUNK : len - off;
        int final = off + n == len;
        if (XML_Parse(c.parser, data + off, (int)n, final) != XML_STATUS_OK) {
            if (!c.rc) {
                enum XML_Error e = XML_GetErrorCode(c.parser);
                c.rc = cordon__fail(err, e == XML_ERROR_NO_MEMORY ? CORDON_ENOMEM
                                                                   : CORDON_EFORMAT,
                                    file, (unsigned long)XML_GetCurrentLineNumber(c.parser),
                                    (unsigned long)XML_GetCurrentColumnNumber(c.parser) + 1,
                                    "XML is not well-formed: %s", XML_ErrorString(e));
            }
            break;
        }
        off += n;
    } while (off < len && !c.rc);
    if (!c.rc && !doc->root)
        c.rc = cordon__fail(err, CORDON_EFORMAT, file, 0, 0, "no root element");

    XML_ParserFree(c.parser);
    cordon__vec_free(&c.last_child);
    cordon__vec_free(&c.text_start);
    cordon__buf_free(&c.text);
    cordon__strmap_free(&c.names);
    if (c.rc)
        cordon__xml_free(doc);
    return c.rc;
}

int cordon__xml_parse_file(cordon__xml_doc *doc, const char *path,
                           const cordon__xml_limits *limits, cordon_error *err)
{
    memset(doc, 0, sizeof *doc);
    char *data;
    size_t len;
    int rc = cordon__read_file(path, &data, &len, err);
    if (rc)
        return rc;
    rc = cordon__xml_parse(doc, data, len, path, limits, err);
    free(data);
    return rc;
}

int cordon__xml_parse_source(cordon__xml_doc *doc, cordon__loader *ld, const char *what)
{
    memset(doc, 0, sizeof *doc);
    if (ld->spec->n_files != 1)
        return cordon__loader_fail(ld, CORDON_EINVAL, 0, 0, "%s is one file, not %zu", what,
                                   ld->spec->n_files);
    return cordon__xml_parse_file(doc, ld->file, NULL, ld->err);
}

void cordon__xml_free(cordon__xml_doc *doc)
{
    if (!doc)
        return;
    cordon__arena_free(&doc->arena);
    doc->root = NULL;
    doc->n_nodes = 0;
}

static bool name_is(const cordon__xml_node *n, const char *name)
{
    return !name || strcmp(n->name, name) == 0;
}

const cordon__xml_node *cordon__xml_child(const cordon__xml_node *n, const char *name)
{
    for (const cordon__xml_node *k = n ? n->child : NULL; k; k = k->next)
        if (name_is(k, name))
            return k;
    return NULL;
}

const cordon__xml_node *cordon__xml_next(const cordon__xml_node *n, const char *name)
{
    for (const cordon__xml_node *k = n ? n->next : NULL; k; k = k->next)
        if (name_is(k, name))
            return k;
    return NULL;
}

const cordon__xml_node *cordon__xml_path(const cordon__xml_node *n, const char *path)
{
    char part[128];
    while (n && path && *path) {
        const char *slash = strchr(path, '/');
        size_t len = slash ? (size_t)(slash - path) : strlen(path);
        if (len >= sizeof part)
            return NULL;
        memcpy(part, path, len);
        part[len] = '\0';
        n = cordon__xml_child(n, part);
        path = slash ? slash + 1 : NULL;
    }
    return n;
}

const char *cordon__xml_attr(const cordon__xml_node *n, const char *name)
{
    for (size_t i = 0; n && i < n->n_attrs; i++)
        if (strcmp(n->attrs[2 * i], name) == 0)
            return n->attrs[2 * i + 1];
    return NULL;
}

const char *cordon__xml_child_text(const cordon__xml_node *n, const char *name, size_t *len)
{
    const cordon__xml_node *k = cordon__xml_path(n, name);
    if (len)
        *len = k ? k->text_len : 0;
    return k ? k->text : NULL;
}

int cordon__xml_squash(cordon__buf *b, const char *s, size_t len)
{
    /* at most len bytes, and reserve keeps room for the terminator */
    if (cordon__buf_reserve(b, len))
        return CORDON_ENOMEM;
    bool space = false, any = false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            space = any;
            continue;
        }
        if (space)
            b->data[b->len++] = ' ';
        b->data[b->len++] = ch;
        space = false;
        any = true;
    }
    b->data[b->len] = '\0';
    return 0;
}

int cordon__xml_append(cordon__buf *b, const cordon__xml_node *n, const char *sep)
{
    if (!n || n->text_len == 0)
        return cordon__buf_terminate(b) ? CORDON_ENOMEM : 0;
    size_t before = b->len;
    size_t seplen = before && sep ? strlen(sep) : 0;
    if (seplen && cordon__buf_append(b, sep, seplen))
        return CORDON_ENOMEM;
    size_t mark = b->len;
    if (cordon__xml_squash(b, n->text, n->text_len))
        return CORDON_ENOMEM;
    if (b->len == mark) { /* only whitespace: take the separator back */
        b->len = before;
        b->data[before] = '\0';
    }
    return 0;
}
