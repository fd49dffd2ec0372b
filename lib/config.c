/*
 * config.c — the lists file: which sources to load, in which format, from
 * which files. One source a line, "NAME FORMAT FILE...", blank-separated;
 * '#' at the start of a word begins a comment; "double quotes" hold a
 * file name with blanks. Relative files are relative to the lists file.
 * Every mistake is reported with its line and column, and nothing is
 * half-built: a failed parse returns no config.
 */
#include "cordon_int.h"

#include <stdlib.h>
#include <string.h>

struct cordon_config {
    cordon__vec specs; /* cordon_source_spec */
    cordon__arena arena;
};

void cordon_config_free(cordon_config *cfg)
{
    if (!cfg)
        return;
    cordon__vec_free(&cfg->specs);
    cordon__arena_free(&cfg->arena);
    free(cfg);
}

size_t cordon_config_source_count(const cordon_config *cfg) { return cfg ? cfg->specs.count : 0; }

const cordon_source_spec *cordon_config_source(const cordon_config *cfg, size_t index)
{
    if (!cfg || index >= cfg->specs.count)
        return NULL;
    return &((cordon_source_spec *)cfg->specs.items)[index];
}

/* Limits that keep a hostile lists file bounded. */
#define MAX_CONFIG_BYTES ((size_t)1 << 20)
#define MAX_SOURCES 256
#define MAX_WORD_BYTES 4096

/* base + '/' + p, unless p is absolute or there is no base. */
static const char *resolve(cordon__arena *a, const char *base, const char *p, size_t n)
{
    if ((n && p[0] == '/') || !base || !base[0])
        return cordon__arena_strndup(a, p, n);
    size_t bl = strlen(base);
    bool slash = base[bl - 1] == '/';
    char *out = cordon__arena_alloc(a, bl + 1 + n + 1);
    if (!out)
        return NULL;
    memcpy(out, base, bl);
    if (!slash)
        out[bl++] = '/';
    memcpy(out + bl, p, n);
    out[bl + n] = '\0';
    return out;
}

/* 1-based line and column (in bytes) of offset `at`. */
static void position(const char *text, size_t at, unsigned long *line, unsigned long *col)
{
    *line = 1;
    size_t bol = 0;
    for (size_t i = 0; i < at; i++)
        if (text[i] == '\n') {
            (*line)++;
            bol = i + 1;
        }
    *col = (unsigned long)(at - bol + 1);
}

static bool valid_source_name(const char *s, size_t n)
{
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
              s[i] == '-'))
            return false;
    return true;
}

typedef struct {
    const char *s;
    size_t len;
    size_t col; /* 1-based */
} word;

/*
 * Splits one line into words: separated by blanks, a '#' that begins a
 * word starts a comment, "double quotes" hold a word with blanks or '#'
 * (no escapes). Returns the number of words, or a negative code with err
 * filled.
 */
static int split_line(const char *line, size_t n, word *w, size_t max, const char *origin,
                      unsigned long lineno, cordon_error *err)
{
    size_t nw = 0, i = 0;
    for (;;) {
        while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
            i++;
        if (i >= n || line[i] == '#')
            return (int)nw;
        size_t start = i, s, e;
        if (line[i] == '"') {
            const char *q = memchr(line + i + 1, '"', n - i - 1);
            if (!q)
                return cordon__fail(err, CORDON_EFORMAT, origin, lineno, start + 1,
                                    "unterminated quoted word");
            s = i + 1;
            e = (size_t)(q - line);
            i = e + 1;
            if (i < n && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
                return cordon__fail(err, CORDON_EFORMAT, origin, lineno, i + 1,
                                    "expected a blank after the closing quote");
        } else {
            s = i;
            while (i < n && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
                i++;
            e = i;
        }
        if (nw == max)
            return cordon__fail(err, CORDON_ETOOBIG, origin, lineno, start + 1,
                                "more than %d files for one source", CORDON_MAX_SOURCE_FILES);
        if (e - s > MAX_WORD_BYTES)
            return cordon__fail(err, CORDON_ETOOBIG, origin, lineno, start + 1,
                                "a word longer than %d bytes", MAX_WORD_BYTES);
        if (e == s)
            return cordon__fail(err, CORDON_EFORMAT, origin, lineno, start + 1, "empty quoted word");
        w[nw].s = line + s;
        w[nw].len = e - s;
        w[nw].col = start + 1;
        nw++;
    }
}

static int parse_lines(cordon_config *cfg, const char *text, size_t len, const char *base_dir,
                       const char *origin, cordon_error *err)
{
    unsigned long lineno = 0;
    size_t pos = 0;
    while (pos < len) {
        lineno++;
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        pos += n + 1;
        word w[2 + CORDON_MAX_SOURCE_FILES];
        int nw = split_line(line, n, w, sizeof w / sizeof w[0], origin, lineno, err);
        if (nw < 0)
            return nw;
        if (nw == 0)
            continue;
        if (nw < 3)
            return cordon__fail(err, CORDON_EFORMAT, origin, lineno, w[0].col,
                                "expected \"NAME FORMAT FILE...\"");
        if (!valid_source_name(w[0].s, w[0].len))
            return cordon__fail(err, CORDON_EFORMAT, origin, lineno, w[0].col,
                                "source name \"%.*s\" must be 1 to 64 of a-z, 0-9, '_', '-'",
                                (int)(w[0].len > 64 ? 64 : w[0].len), w[0].s);
        for (size_t k = 0; k < cfg->specs.count; k++) {
            const char *other = ((cordon_source_spec *)cfg->specs.items)[k].name;
            if (strlen(other) == w[0].len && !memcmp(other, w[0].s, w[0].len))
                return cordon__fail(err, CORDON_EFORMAT, origin, lineno, w[0].col,
                                    "source \"%s\" is named twice", other);
        }
        cordon_format fmt;
        if (cordon_format_parse(w[1].s, w[1].len, &fmt) != 0)
            return cordon__fail(err, CORDON_EFORMAT, origin, lineno, w[1].col,
                                "unknown format \"%.*s\"", (int)(w[1].len > 64 ? 64 : w[1].len),
                                w[1].s);
        if (cfg->specs.count == MAX_SOURCES)
            return cordon__fail(err, CORDON_ETOOBIG, origin, lineno, 1,
                                "more than %d sources", MAX_SOURCES);
        cordon_source_spec *spec = cordon__vec_push(&cfg->specs, sizeof *spec);
        const char *name = spec ? cordon__arena_strndup(&cfg->arena, w[0].s, w[0].len) : NULL;
        if (!name)
            return cordon__fail(err, CORDON_ENOMEM, origin, lineno, 0, "out of memory");
        spec->name = name;
        spec->format = fmt;
        for (int k = 2; k < nw; k++) {
            const char *f = resolve(&cfg->arena, base_dir, w[k].s, w[k].len);
            if (!f)
                return cordon__fail(err, CORDON_ENOMEM, origin, lineno, 0, "out of memory");
            spec->files[spec->n_files++] = f;
        }
    }
    return 0;
}

int cordon_config_parse(const char *text, size_t len, const char *base_dir,
                        const char *origin, cordon_config **out, cordon_error *err)
{
    cordon_error_clear(err);
    if (!out)
        return cordon__fail(err, CORDON_EINVAL, origin, 0, 0, "no place for the result");
    *out = NULL;
    if (!text)
        return cordon__fail(err, CORDON_EINVAL, origin, 0, 0, "no text");
    if (len > MAX_CONFIG_BYTES)
        return cordon__fail(err, CORDON_ETOOBIG, origin, 0, 0,
                            "lists file is larger than %zu KiB", MAX_CONFIG_BYTES >> 10);
    size_t ok = cordon__utf8_valid_prefix(text, len);
    if (ok != len) {
        unsigned long line, col;
        position(text, ok, &line, &col);
        return cordon__fail(err, CORDON_EUTF8, origin, line, col, "invalid UTF-8");
    }
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        unsigned long line, col;
        position(text, (size_t)(nul - text), &line, &col);
        return cordon__fail(err, CORDON_EFORMAT, origin, line, col, "NUL byte");
    }
    cordon_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg)
        return cordon__fail(err, CORDON_ENOMEM, origin, 0, 0, "out of memory");
    cordon__arena_init(&cfg->arena);
    int rc = parse_lines(cfg, text, len, base_dir, origin, err);
    if (!rc && cfg->specs.count == 0)
        rc = cordon__fail(err, CORDON_EEMPTY, origin, 0, 0, "lists file names no source");
    if (rc) {
        cordon_config_free(cfg);
        return rc;
    }
    *out = cfg;
    return 0;
}

int cordon_config_read(const char *path, cordon_config **out, cordon_error *err)
{
    cordon_error_clear(err);
    if (!out || !path)
        return cordon__fail(err, CORDON_EINVAL, path, 0, 0, "no lists file or no place for it");
    *out = NULL;
    char *text;
    size_t len;
    int rc = cordon__read_file(path, &text, &len, err);
    if (rc)
        return rc;
    char *dir = strdup(path);
    if (!dir) {
        free(text);
        return cordon__fail(err, CORDON_ENOMEM, path, 0, 0, "out of memory");
    }
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[slash == dir ? 1 : 0] = '\0'; /* "/lists.conf" -> "/" */
    else
        dir[0] = '\0';
    rc = cordon_config_parse(text, len, dir, path, out, err);
    free(dir);
    free(text);
    return rc;
}

int cordon_dataset_load_config(cordon_dataset *ds, const cordon_config *cfg, cordon_error *err)
{
    if (!ds || !cfg)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no dataset or config");
    for (size_t i = 0; i < cfg->specs.count; i++) {
        int rc = cordon_dataset_load(ds, cordon_config_source(cfg, i), err);
        if (rc)
            return rc;
    }
    return 0;
}
