/*
 * csv.c — an RFC 4180 record reader over a buffer, shared by the CSV list
 * parsers. Unquoted fields point straight into the input; quoted ones are
 * unescaped into a scratch buffer, so a record costs no allocation once
 * the buffers have grown.
 */
#include "cordon_int.h"

#include <string.h>

#define CSV_MAX_FIELDS 4096

void cordon__csv_init(cordon__csv *c, const char *data, size_t len, char delim)
{
    memset(c, 0, sizeof *c);
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    /* DOS end-of-file marker, as in OFAC's legacy files. */
    while (len && data[len - 1] == 0x1A)
        len--;
    c->data = data;
    c->len = len;
    c->delim = delim;
    c->next_line = 1;
    c->max_fields = CSV_MAX_FIELDS;
}

void cordon__csv_free(cordon__csv *c)
{
    cordon__buf_free(&c->scratch);
    cordon__vec_free(&c->fields);
    cordon__vec_free(&c->offsets);
}

int cordon__csv_next(cordon__csv *c, const cordon__csv_field **fields, size_t *n,
                     unsigned long *err_column)
{
    *fields = NULL;
    *n = 0;
    *err_column = 0;
    /* skip blank lines */
    while (c->pos < c->len && (c->data[c->pos] == '\n' || c->data[c->pos] == '\r')) {
        if (c->data[c->pos] == '\n')
            c->next_line++;
        c->pos++;
    }
    if (c->pos >= c->len)
        return 0;
    c->line = c->next_line;
    c->fields.count = 0;
    c->offsets.count = 0;
    c->scratch.len = 0;
    size_t line_start = c->pos;
    const char *d = c->data;
    for (;;) {
        if (c->fields.count >= c->max_fields) {
            *err_column = (unsigned long)(c->pos - line_start + 1);
            return CORDON_ETOOBIG;
        }
        cordon__csv_field *f = cordon__vec_push(&c->fields, sizeof *f);
        if (!f)
            return CORDON_ENOMEM;
        size_t p = c->pos;
        if (p < c->len && d[p] == '"') {
            size_t off = c->scratch.len;
            p++;
            for (;;) {
                if (p >= c->len) {
                    *err_column = (unsigned long)(c->pos - line_start + 1);
                    return CORDON_EFORMAT; /* unterminated quote */
                }
                const char *q = memchr(d + p, '"', c->len - p);
                size_t end = q ? (size_t)(q - d) : c->len;
                for (size_t k = p; k < end; k++)
                    if (d[k] == '\n')
                        c->next_line++;
                if (cordon__buf_append(&c->scratch, d + p, end - p))
                    return CORDON_ENOMEM;
                if (!q) {
                    p = c->len;
                    continue;
                }
                p = end + 1;
                if (p < c->len && d[p] == '"') { /* doubled quote */
                    if (cordon__buf_putc(&c->scratch, '"'))
                        return CORDON_ENOMEM;
                    p++;
                    continue;
                }
                break;
            }
            f->len = c->scratch.len - off;
            f->s = NULL; /* resolved below from the offset */
            size_t *o = cordon__vec_push(&c->offsets, sizeof *o);
            if (!o)
                return CORDON_ENOMEM;
            *o = off;
            /* OFAC writes a space after some fields; tolerate spaces only */
            while (p < c->len && d[p] == ' ')
                p++;
            if (p < c->len && d[p] != c->delim && d[p] != '\n' && d[p] != '\r') {
                *err_column = (unsigned long)(p - line_start + 1);
                return CORDON_EFORMAT; /* text after a closing quote */
            }
        } else {
            size_t s = p;
            while (p < c->len && d[p] != c->delim && d[p] != '\n' && d[p] != '\r')
                p++;
            f->s = d + s;
            f->len = p - s;
        }
        c->pos = p;
        if (p < c->len && d[p] == c->delim) {
            c->pos++;
            if (c->pos >= c->len) {
                /* trailing delimiter at end of input: one more empty field */
                cordon__csv_field *e = cordon__vec_push(&c->fields, sizeof *e);
                if (!e)
                    return CORDON_ENOMEM;
                e->s = d + c->pos;
                e->len = 0;
                break;
            }
            continue;
        }
        if (p < c->len && d[p] == '\r')
            c->pos++;
        if (c->pos < c->len && d[c->pos] == '\n') {
            c->pos++;
            c->next_line++;
        }
        break;
    }
    /* Resolve scratch offsets now that scratch no longer moves. */
    cordon__csv_field *fs = c->fields.items;
    const size_t *offs = c->offsets.items;
    for (size_t i = 0, k = 0; i < c->fields.count; i++)
        if (!fs[i].s) {
            fs[i].s = c->scratch.data ? c->scratch.data + offs[k] : "";
            k++;
        }
    *fields = fs;
    *n = c->fields.count;
    return 1;
}
