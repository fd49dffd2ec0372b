/*
 * csv.c — an RFC 4180 record reader over a buffer, shared by the CSV list
 * parsers. Unquoted fields point straight into the input; quoted ones are
 * unescaped into a scratch buffer, so a record costs no allocation once
 * the buffers have grown. A malformed record stops the reader with a
 * sentence saying what is wrong and the line and column where it is,
 * which for a quoted field that spans lines is not the record's first.
 */
#include "cordon_int.h"

#include <stdio.h>
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

/* The line and column (in characters, from 1) of byte `at` of the record
 * that starts at byte `start`, on line c->line. */
static void locate(const cordon__csv *c, size_t start, size_t at, unsigned long *line,
                   unsigned long *col)
{
    unsigned long l = c->line;
    size_t bol = start;
    for (size_t i = start; i < at && i < c->len; i++)
        if (c->data[i] == '\n') {
            l++;
            bol = i + 1;
        }
    unsigned long chars = 0;
    for (size_t i = bol; i < at && i < c->len; i++)
        chars += ((unsigned char)c->data[i] & 0xC0) != 0x80;
    *line = l;
    *col = chars + 1;
}

/* Stops the reader at byte `at` of the record that starts at byte
 * `start`: c->line and *col become the position of `at`, c->error `what`
 * (NULL: c->message). Later calls return the same failure. */
static int fail_at(cordon__csv *c, size_t start, size_t at, int code, const char *what,
                   unsigned long *col)
{
    locate(c, start, at, &c->line, col);
    c->error = what ? what : c->message;
    c->failed = code;
    return code;
}

static int out_of_memory(cordon__csv *c)
{
    c->error = "out of memory";
    c->failed = CORDON_ENOMEM;
    return CORDON_ENOMEM;
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
    if (c->failed)
        return c->failed;
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
    size_t start = c->pos;
    const char *d = c->data;
    for (;;) {
        if (c->fields.count >= c->max_fields)
            return fail_at(c, start, c->pos, CORDON_ETOOBIG, "too many fields in one record",
                           err_column);
        cordon__csv_field *f = cordon__vec_push(&c->fields, sizeof *f);
        if (!f)
            return out_of_memory(c);
        size_t p = c->pos;
        if (p < c->len && d[p] == '"') {
            size_t off = c->scratch.len;
            p++;
            for (;;) {
                if (p >= c->len)
                    return fail_at(c, start, c->pos, CORDON_EFORMAT,
                                   "unterminated quote: the quoted field opened here never "
                                   "closes",
                                   err_column);
                const char *q = memchr(d + p, '"', c->len - p);
                size_t end = q ? (size_t)(q - d) : c->len;
                for (size_t k = p; k < end; k++)
                    if (d[k] == '\n')
                        c->next_line++;
                if (cordon__buf_append(&c->scratch, d + p, end - p))
                    return out_of_memory(c);
                if (!q) {
                    p = c->len;
                    continue;
                }
                p = end + 1;
                if (p < c->len && d[p] == '"') { /* doubled quote */
                    if (cordon__buf_putc(&c->scratch, '"'))
                        return out_of_memory(c);
                    p++;
                    continue;
                }
                break;
            }
            f->len = c->scratch.len - off;
            f->s = NULL; /* resolved below from the offset */
            size_t *o = cordon__vec_push(&c->offsets, sizeof *o);
            if (!o)
                return out_of_memory(c);
            *o = off;
            /* OFAC writes a space after some fields; tolerate spaces only */
            while (p < c->len && d[p] == ' ')
                p++;
            if (p < c->len && d[p] != c->delim && d[p] != '\n' && d[p] != '\r') {
                if (!memchr(d + c->pos, '\n', p - c->pos))
                    return fail_at(c, start, p, CORDON_EFORMAT,
                                   "text after the closing quote of a field (a quote inside "
                                   "a quoted field is written twice)",
                                   err_column);
                /* A field that ran on over lines into text after its
                 * close: the likely fault is a quote that was never
                 * closed where it opened, so say both places. */
                unsigned long tl, tc;
                locate(c, start, p, &tl, &tc);
                snprintf(c->message, sizeof c->message,
                         "unterminated quote: the quoted field opened here runs on to line "
                         "%lu, where text follows its closing quote at column %lu",
                         tl, tc);
                return fail_at(c, start, c->pos, CORDON_EFORMAT, NULL, err_column);
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
                    return out_of_memory(c);
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
