/*
 * records.c — the streaming reader of customer files that `cordon batch`
 * screens: CSV with a header row, or JSON lines. It reads the file
 * descriptor in fixed chunks and holds one record at a time, so memory
 * is bounded by the chunk plus the longest record allowed, whatever the
 * size of the file; pipes and stdin work like files.
 *
 * Bad rows are data, not failures: a row with the wrong number of
 * fields, invalid UTF-8, broken quoting or malformed JSON comes back as
 * a record with `error` set, and reading goes on at the next row. A row
 * over the size limit is skipped without being stored (the CSV lexer
 * still follows its quotes, so the row ends where it really ends).
 */
#include "cordon_int.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK_BYTES (64u * 1024u)

struct cordon_records {
    int fd;
    cordon_records_format format;
    char delim;
    size_t max_bytes;
    char origin[256];

    /* input chunk */
    unsigned char *in;
    size_t in_len, in_pos;
    uint64_t in_base;   /* bytes read before the current chunk */
    bool eof;
    int io_errno;       /* non-zero once a read failed */
    unsigned long line; /* line of the next byte */
    bool after_cr;      /* the last byte was CR: a following LF ends no line */
    bool done;

    /* CSV header */
    cordon__arena arena;
    char **columns;
    size_t n_columns;

    /* the current record */
    unsigned long number;
    cordon__buf text;   /* CSV: field bytes, each NUL-terminated; JSON: the line */
    cordon__buf values; /* JSON: names and values, each NUL-terminated */
    cordon__vec starts; /* size_t offsets of field starts (CSV: into text;
                           JSON: name, value pairs into values) */
    cordon__vec fields; /* cordon_field */
    int error;
    unsigned long column;
    char message[320];
};

/* ---- names of the formats ----------------------------------------- */

const char *cordon_records_format_name(cordon_records_format format)
{
    switch (format) {
    case CORDON_RECORDS_CSV: return "csv";
    case CORDON_RECORDS_JSONL: return "jsonl";
    }
    return "unknown";
}

int cordon_records_format_parse(const char *s, size_t len, cordon_records_format *out)
{
    if (!s || !out)
        return CORDON_EINVAL;
    if (cordon__ieq(s, len, "csv"))
        *out = CORDON_RECORDS_CSV;
    else if (cordon__ieq(s, len, "jsonl") || cordon__ieq(s, len, "ndjson") ||
             cordon__ieq(s, len, "json"))
        *out = CORDON_RECORDS_JSONL;
    else
        return CORDON_ENOTFOUND;
    return 0;
}

/* ---- input bytes ---------------------------------------------------- */

/* Refills the chunk; false at the end of input or on a read error
 * (io_errno tells them apart). */
static bool refill(cordon_records *r)
{
    if (r->eof || r->io_errno)
        return false;
    r->in_base += r->in_len;
    r->in_len = r->in_pos = 0;
    for (;;) {
        ssize_t n = read(r->fd, r->in, CHUNK_BYTES);
        if (n > 0) {
            r->in_len = (size_t)n;
            return true;
        }
        if (n == 0) {
            r->eof = true;
            return false;
        }
        if (errno != EINTR) {
            r->io_errno = errno ? errno : EIO;
            return false;
        }
    }
}

/* The next byte, or -1 at the end of input (or after a read error).
 * Counts lines: LF, CR LF and a lone CR each end one. */
static inline int next_byte(cordon_records *r)
{
    if (r->in_pos == r->in_len && !refill(r))
        return -1;
    int c = r->in[r->in_pos++];
    if (c == '\n') {
        if (!r->after_cr)
            r->line++;
        r->after_cr = false;
    } else if (c == '\r') {
        r->line++;
        r->after_cr = true;
    } else {
        r->after_cr = false;
    }
    return c;
}

static int io_fail(cordon_records *r, cordon_error *err)
{
    r->done = true;
    return cordon__fail(err, CORDON_EIO, r->origin, r->line, 0, "cannot read: %s",
                        strerror(r->io_errno));
}

/* A row problem; the first one found in a row is the one reported. */
static void row_error(cordon_records *r, int code, unsigned long column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void row_error(cordon_records *r, int code, unsigned long column, const char *fmt, ...)
{
    if (r->error)
        return;
    r->error = code;
    r->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->message, sizeof r->message, fmt, ap);
    va_end(ap);
}

static void start_record(cordon_records *r)
{
    r->text.len = 0;
    r->values.len = 0;
    r->starts.count = 0;
    r->fields.count = 0;
    r->error = 0;
    r->column = 0;
    r->message[0] = '\0';
}

/* ---- CSV ------------------------------------------------------------ */

/* Appends one byte of field content, unless the record is over its
 * limit (then it is only followed, not stored). */
static int csv_put(cordon_records *r, int c)
{
    if (r->error == CORDON_ETOOBIG)
        return 0;
    if (c == 0) {
        row_error(r, CORDON_EFORMAT, r->starts.count, "NUL byte in field %zu", r->starts.count);
        return 0;
    }
    if (r->text.len >= r->max_bytes) {
        r->error = 0; /* the size problem outranks any other */
        row_error(r, CORDON_ETOOBIG, 0, "row longer than %zu bytes", r->max_bytes);
        return 0;
    }
    return cordon__buf_putc(&r->text, (char)c);
}

static int csv_begin_field(cordon_records *r)
{
    if (r->error == CORDON_ETOOBIG)
        return 0;
    if (r->starts.count >= CORDON_RECORDS_MAX_FIELDS) {
        r->error = 0;
        row_error(r, CORDON_ETOOBIG, 0, "more than %d fields", CORDON_RECORDS_MAX_FIELDS);
        return 0;
    }
    size_t *s = cordon__vec_push(&r->starts, sizeof *s);
    if (!s)
        return CORDON_ENOMEM;
    *s = r->text.len;
    return 0;
}

static int csv_end_field(cordon_records *r)
{
    if (r->error == CORDON_ETOOBIG)
        return 0;
    /* The terminator is not content: it may pass the limit by one. */
    return cordon__buf_putc(&r->text, '\0');
}

/*
 * Lexes one CSV record. Returns 1 when one was read (*blank tells an
 * empty line), 0 at the end of input, or a negative code. Quotes only
 * open a quoted field at its first byte; elsewhere they are text.
 */
static int csv_lex(cordon_records *r, bool *blank, unsigned long *start_line)
{
    enum { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED } st = FIELD_START;
    bool any = false, quoted_any = false;
    unsigned long quote_line = 0;
    int rc;
    start_record(r);
    *blank = false;
    *start_line = r->line;
    if ((rc = csv_begin_field(r)))
        return rc;
    for (;;) {
        int c = next_byte(r);
        if (c < 0) {
            if (r->io_errno)
                return CORDON_EIO;
            if (!any)
                return 0;
            if (st == QUOTED)
                row_error(r, CORDON_EFORMAT, r->starts.count,
                          "unterminated quoted field %zu (opened on line %lu)",
                          r->starts.count, quote_line);
            break;
        }
        any = true;
        if (st == FIELD_START) {
            if (c == '"') {
                st = QUOTED;
                quoted_any = true;
                quote_line = r->line;
                continue;
            }
            st = UNQUOTED;
        }
        if (st == UNQUOTED) {
            if (c == (unsigned char)r->delim) {
                if ((rc = csv_end_field(r)) || (rc = csv_begin_field(r)))
                    return rc;
                st = FIELD_START;
            } else if (c == '\n' || c == '\r') {
                break;
            } else if ((rc = csv_put(r, c))) {
                return rc;
            }
        } else if (st == QUOTED) {
            if (c == '"')
                st = QUOTE_IN_QUOTED;
            else if ((rc = csv_put(r, c)))
                return rc;
        } else { /* QUOTE_IN_QUOTED: a doubled quote, or the closing one */
            if (c == '"') {
                if ((rc = csv_put(r, '"')))
                    return rc;
                st = QUOTED;
            } else if (c == (unsigned char)r->delim) {
                if ((rc = csv_end_field(r)) || (rc = csv_begin_field(r)))
                    return rc;
                st = FIELD_START;
            } else if (c == '\n' || c == '\r') {
                break;
            } else {
                row_error(r, CORDON_EFORMAT, r->starts.count,
                          "text after the closing quote of field %zu", r->starts.count);
                if ((rc = csv_put(r, c)))
                    return rc;
                st = UNQUOTED;
            }
        }
    }
    if ((rc = csv_end_field(r)))
        return rc;
    /* An empty line: one empty unquoted field. */
    *blank = !quoted_any && r->starts.count == 1 && r->text.len == 1 && !r->error;
    return 1;
}

/* Checks UTF-8 of every field; the first bad one is the row's error. */
static void csv_check_utf8(cordon_records *r, const char *what)
{
    const size_t *starts = r->starts.items;
    for (size_t i = 0; i < r->starts.count; i++) {
        const char *s = r->text.data + starts[i];
        size_t len = strlen(s);
        size_t ok = cordon__utf8_valid_prefix(s, len);
        if (ok != len) {
            if (i < r->n_columns)
                row_error(r, CORDON_EUTF8, i + 1,
                          "invalid UTF-8 in %s %zu (%s) at byte %zu", what, i + 1,
                          r->columns[i], ok + 1);
            else
                row_error(r, CORDON_EUTF8, i + 1, "invalid UTF-8 in %s %zu at byte %zu",
                          what, i + 1, ok + 1);
            return;
        }
    }
}

static int csv_header(cordon_records *r, cordon_error *err)
{
    bool blank;
    unsigned long line;
    int rc;
    do {
        rc = csv_lex(r, &blank, &line);
    } while (rc == 1 && blank);
    if (rc == CORDON_EIO)
        return io_fail(r, err);
    if (rc < 0)
        return cordon__fail(err, rc, r->origin, line, 0, "%s", cordon_strerror(rc));
    if (rc == 0)
        return cordon__fail(err, CORDON_EEMPTY, r->origin, 0, 0,
                            "no header row: the file is empty");
    if (!r->error)
        csv_check_utf8(r, "header column");
    if (r->error)
        return cordon__fail(err, r->error, r->origin, line, 0, "header row: %s", r->message);
    const size_t *starts = r->starts.items;
    r->n_columns = r->starts.count;
    r->columns = cordon__arena_alloc(&r->arena, r->n_columns * sizeof *r->columns);
    if (!r->columns)
        return cordon__fail(err, CORDON_ENOMEM, r->origin, line, 0, "out of memory");
    for (size_t i = 0; i < r->n_columns; i++) {
        const char *s = r->text.data + starts[i];
        r->columns[i] = cordon__arena_strndup(&r->arena, s, strlen(s));
        if (!r->columns[i])
            return cordon__fail(err, CORDON_ENOMEM, r->origin, line, 0, "out of memory");
    }
    return 0;
}

/* Reads the next CSV row into the record state. 1, 0 or negative. */
static int csv_next(cordon_records *r, unsigned long *line)
{
    bool blank;
    int rc;
    do {
        rc = csv_lex(r, &blank, line);
    } while (rc == 1 && blank);
    if (rc != 1)
        return rc;
    if (!r->error && r->starts.count != r->n_columns)
        row_error(r, CORDON_EFORMAT, 0, "%zu field%s where the header has %zu",
                  r->starts.count, r->starts.count == 1 ? "" : "s", r->n_columns);
    if (!r->error)
        csv_check_utf8(r, "field");
    if (r->error)
        return 1;
    const size_t *starts = r->starts.items;
    for (size_t i = 0; i < r->starts.count; i++) {
        cordon_field *f = cordon__vec_push(&r->fields, sizeof *f);
        if (!f)
            return CORDON_ENOMEM;
        f->name = r->columns[i];
        f->value = r->text.data + starts[i];
        f->len = strlen(f->value);
    }
    return 1;
}

/* ---- JSON lines ----------------------------------------------------- */

/* Reads one line (without its line end) into text, storing at most
 * max_bytes. Returns 1, 0 at the end of input, or a negative code. */
static int jsonl_line(cordon_records *r, unsigned long *start_line)
{
    start_record(r);
    *start_line = r->line;
    bool any = false;
    for (;;) {
        int c = next_byte(r);
        if (c < 0) {
            if (r->io_errno)
                return CORDON_EIO;
            return any ? 1 : 0;
        }
        any = true;
        if (c == '\n' || c == '\r')
            return 1;
        if (r->error == CORDON_ETOOBIG)
            continue;
        if (r->text.len >= r->max_bytes) {
            row_error(r, CORDON_ETOOBIG, 0, "row longer than %zu bytes", r->max_bytes);
            continue;
        }
        if (cordon__buf_putc(&r->text, (char)c))
            return CORDON_ENOMEM;
    }
}

/* Appends s[0..len) and a NUL to values, recording its offset. */
static int jsonl_push(cordon_records *r, const char *s, size_t len)
{
    size_t *off = cordon__vec_push(&r->starts, sizeof *off);
    if (!off)
        return CORDON_ENOMEM;
    *off = r->values.len;
    if (cordon__buf_append(&r->values, s, len) || cordon__buf_putc(&r->values, '\0'))
        return CORDON_ENOMEM;
    return 0;
}

static int jsonl_value(cordon_records *r, json_t *v)
{
    char num[64];
    switch (json_typeof(v)) {
    case JSON_STRING:
        return jsonl_push(r, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return jsonl_push(r, num, strlen(num));
    case JSON_TRUE: return jsonl_push(r, "true", 4);
    case JSON_FALSE: return jsonl_push(r, "false", 5);
    case JSON_NULL: return jsonl_push(r, "", 0);
    default: {
        /* reals, arrays and objects as compact JSON */
        char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!s)
            return CORDON_ENOMEM;
        int rc = jsonl_push(r, s, strlen(s));
        free(s);
        return rc;
    }
    }
}

static int jsonl_next(cordon_records *r, unsigned long *line)
{
    int rc;
    const char *s;
    size_t len;
    for (;;) {
        rc = jsonl_line(r, line);
        if (rc != 1)
            return rc;
        if (r->error)
            return 1;
        s = r->text.data ? r->text.data : "";
        len = r->text.len;
        const char *t = s;
        len = cordon__trim(&t, len);
        if (len)
            break;
    }
    len = r->text.len;
    if (memchr(s, '\0', len)) {
        row_error(r, CORDON_EFORMAT, 0, "NUL byte at byte %zu",
                  (size_t)((const char *)memchr(s, '\0', len) - s) + 1);
        return 1;
    }
    size_t ok = cordon__utf8_valid_prefix(s, len);
    if (ok != len) {
        row_error(r, CORDON_EUTF8, 0, "invalid UTF-8 at byte %zu", ok + 1);
        return 1;
    }
    json_error_t jerr;
    json_t *root = json_loadb(s, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!root) {
        row_error(r, CORDON_EFORMAT, 0, "malformed JSON at byte %d: %s", jerr.position + 1,
                  jerr.text);
        return 1;
    }
    if (!json_is_object(root)) {
        row_error(r, CORDON_EFORMAT, 0, "not a JSON object");
        json_decref(root);
        return 1;
    }
    if (json_object_size(root) > CORDON_RECORDS_MAX_FIELDS) {
        row_error(r, CORDON_ETOOBIG, 0, "more than %d fields", CORDON_RECORDS_MAX_FIELDS);
        json_decref(root);
        return 1;
    }
    const char *key;
    json_t *v;
    rc = 0;
    json_object_foreach(root, key, v) {
        if ((rc = jsonl_push(r, key, strlen(key))) || (rc = jsonl_value(r, v)))
            break;
    }
    json_decref(root);
    if (rc)
        return rc;
    const size_t *starts = r->starts.items;
    for (size_t i = 0; i + 1 < r->starts.count; i += 2) {
        cordon_field *f = cordon__vec_push(&r->fields, sizeof *f);
        if (!f)
            return CORDON_ENOMEM;
        f->name = r->values.data + starts[i];
        f->value = r->values.data + starts[i + 1];
        f->len = strlen(f->value);
    }
    return 1;
}

/* ---- the public reader ---------------------------------------------- */

int cordon_records_open(int fd, const cordon_records_options *opts, const char *origin,
                        cordon_records **out, cordon_error *err)
{
    if (out)
        *out = NULL;
    cordon_records_options o = {0};
    if (opts)
        o = *opts;
    if (!o.format)
        o.format = CORDON_RECORDS_CSV;
    if (!o.delimiter)
        o.delimiter = ',';
    if (!o.max_record_bytes)
        o.max_record_bytes = CORDON_RECORDS_MAX_BYTES;
    if (!out || fd < 0)
        return cordon__fail(err, CORDON_EINVAL, origin, 0, 0, "no output or file descriptor");
    if (o.format != CORDON_RECORDS_CSV && o.format != CORDON_RECORDS_JSONL)
        return cordon__fail(err, CORDON_EINVAL, origin, 0, 0, "unknown record format %d",
                            (int)o.format);
    if (o.delimiter == '"' || o.delimiter == '\r' || o.delimiter == '\n')
        return cordon__fail(err, CORDON_EINVAL, origin, 0, 0,
                            "a quote or line end cannot be the delimiter");
    cordon_records *r = calloc(1, sizeof *r);
    if (!r || !(r->in = malloc(CHUNK_BYTES))) {
        free(r);
        return cordon__fail(err, CORDON_ENOMEM, origin, 0, 0, "out of memory");
    }
    r->fd = fd;
    r->format = o.format;
    r->delim = o.delimiter;
    r->max_bytes = o.max_record_bytes;
    r->line = 1;
    snprintf(r->origin, sizeof r->origin, "%s", origin ? origin : "");
    cordon__arena_init(&r->arena);

    /* Enough bytes to see a byte order mark. */
    while (r->in_len < 3 && !r->eof) {
        ssize_t n = read(fd, r->in + r->in_len, CHUNK_BYTES - r->in_len);
        if (n > 0)
            r->in_len += (size_t)n;
        else if (n == 0)
            r->eof = true;
        else if (errno != EINTR) {
            r->io_errno = errno;
            int rc = io_fail(r, err);
            cordon_records_close(r);
            return rc;
        }
    }
    int rc = 0;
    if (r->in_len >= 2 && ((r->in[0] == 0xFF && r->in[1] == 0xFE) ||
                           (r->in[0] == 0xFE && r->in[1] == 0xFF)))
        rc = cordon__fail(err, CORDON_EFORMAT, r->origin, 1, 1,
                          "UTF-16 text; convert the file to UTF-8");
    else if (r->in_len >= 3 && memcmp(r->in, "\xEF\xBB\xBF", 3) == 0)
        r->in_pos = 3;
    if (!rc && r->format == CORDON_RECORDS_CSV)
        rc = csv_header(r, err);
    if (rc) {
        cordon_records_close(r);
        return rc;
    }
    *out = r;
    return 0;
}

void cordon_records_close(cordon_records *r)
{
    if (!r)
        return;
    free(r->in);
    cordon__arena_free(&r->arena);
    cordon__buf_free(&r->text);
    cordon__buf_free(&r->values);
    cordon__vec_free(&r->starts);
    cordon__vec_free(&r->fields);
    free(r);
}

size_t cordon_records_column_count(const cordon_records *r) { return r ? r->n_columns : 0; }

const char *cordon_records_column(const cordon_records *r, size_t index)
{
    return r && index < r->n_columns ? r->columns[index] : NULL;
}

uint64_t cordon_records_offset(const cordon_records *r)
{
    return r ? r->in_base + r->in_pos : 0;
}

int cordon_records_next(cordon_records *r, cordon_record *rec, cordon_error *err)
{
    if (!r || !rec)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no reader or record");
    memset(rec, 0, sizeof *rec);
    rec->message = "";
    if (r->done)
        return 0;
    unsigned long line = r->line;
    int rc = r->format == CORDON_RECORDS_CSV ? csv_next(r, &line) : jsonl_next(r, &line);
    if (rc == 0) {
        r->done = true;
        return 0;
    }
    if (rc == CORDON_EIO)
        return io_fail(r, err);
    if (rc < 0) {
        r->done = true;
        return cordon__fail(err, rc, r->origin, line, 0, "%s", cordon_strerror(rc));
    }
    rec->number = ++r->number;
    rec->line = line;
    if (r->error) {
        rec->error = r->error;
        rec->column = r->column;
        rec->message = r->message;
    } else {
        rec->fields = r->fields.items;
        rec->n_fields = r->fields.count;
    }
    return 1;
}

/* Equality of a column name, trimmed, and a wanted name, ignoring ASCII
 * case. */
static bool name_eq(const char *col, const char *name, size_t len)
{
    const char *s = col;
    size_t n = cordon__trim(&s, strlen(col));
    const char *t = name;
    len = cordon__trim(&t, len);
    if (n != len)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char a = (unsigned char)s[i], b = (unsigned char)t[i];
        if (a >= 'A' && a <= 'Z')
            a = (unsigned char)(a + 32);
        if (b >= 'A' && b <= 'Z')
            b = (unsigned char)(b + 32);
        if (a != b)
            return false;
    }
    return true;
}

const cordon_field *cordon_record_field(const cordon_record *rec, const char *name, size_t len)
{
    if (!rec || !name)
        return NULL;
    for (size_t i = 0; i < rec->n_fields; i++)
        if (name_eq(rec->fields[i].name, name, len))
            return &rec->fields[i];
    return NULL;
}
