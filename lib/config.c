/*
 * config.c — the lists file: which sources to load, in which format, from
 * which files. One source a line: "NAME FORMAT FILE...".
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

static const char *resolve(cordon__arena *a, const char *base, const char *p, size_t n)
{
    if (n && p[0] == '/')
        return cordon__arena_strndup(a, p, n);
    if (!base || !base[0])
        return cordon__arena_strndup(a, p, n);
    size_t bl = strlen(base);
    char *out = cordon__arena_alloc(a, bl + 1 + n + 1);
    if (!out)
        return NULL;
    memcpy(out, base, bl);
    out[bl] = '/';
    memcpy(out + bl + 1, p, n);
    out[bl + 1 + n] = '\0';
    return out;
}

int cordon_config_parse(const char *text, size_t len, const char *base_dir,
                        const char *origin, cordon_config **out, cordon_error *err)
{
    cordon_error_clear(err);
    *out = NULL;
    if (!text)
        return cordon__fail(err, CORDON_EINVAL, origin, 0, 0, "no text");
    if (!cordon__utf8_valid(text, len))
        return cordon__fail(err, CORDON_EUTF8, origin, 0, 0, "lists file is not valid UTF-8");
    cordon_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg)
        return cordon__fail(err, CORDON_ENOMEM, origin, 0, 0, "out of memory");
    cordon__arena_init(&cfg->arena);
    int rc = 0;
    unsigned long lineno = 0;
    size_t pos = 0;
    while (pos < len && !rc) {
        lineno++;
        size_t eol = pos;
        while (eol < len && text[eol] != '\n')
            eol++;
        size_t end = eol;
        const char *hash = memchr(text + pos, '#', end - pos);
        if (hash)
            end = (size_t)(hash - text);
        const char *words[2 + CORDON_MAX_SOURCE_FILES + 1];
        size_t wlen[2 + CORDON_MAX_SOURCE_FILES + 1];
        size_t nw = 0;
        size_t i = pos;
        while (i < end) {
            while (i < end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
                i++;
            if (i >= end)
                break;
            size_t s = i;
            while (i < end && text[i] != ' ' && text[i] != '\t' && text[i] != '\r')
                i++;
            if (nw == sizeof words / sizeof words[0]) {
                rc = cordon__fail(err, CORDON_EFORMAT, origin, lineno, s - pos + 1,
                                  "more than %d files for one source", CORDON_MAX_SOURCE_FILES);
                break;
            }
            words[nw] = text + s;
            wlen[nw++] = i - s;
        }
        pos = eol + 1;
        if (rc || nw == 0)
            continue;
        if (nw < 3) {
            rc = cordon__fail(err, CORDON_EFORMAT, origin, lineno, 1,
                              "expected \"NAME FORMAT FILE...\"");
            break;
        }
        cordon_format fmt;
        if (cordon_format_parse(words[1], wlen[1], &fmt) != 0) {
            rc = cordon__fail(err, CORDON_EFORMAT, origin, lineno,
                              (unsigned long)(words[1] - text) - (unsigned long)(words[0] - text) + 1,
                              "unknown format \"%.*s\"", (int)wlen[1], words[1]);
            break;
        }
        cordon_source_spec *spec = cordon__vec_push(&cfg->specs, sizeof *spec);
        const char *name = spec ? cordon__arena_strndup(&cfg->arena, words[0], wlen[0]) : NULL;
        if (!name) {
            rc = cordon__fail(err, CORDON_ENOMEM, origin, lineno, 0, "out of memory");
            break;
        }
        spec->name = name;
        spec->format = fmt;
        for (size_t k = 2; k < nw; k++) {
            const char *f = resolve(&cfg->arena, base_dir, words[k], wlen[k]);
            if (!f) {
                rc = cordon__fail(err, CORDON_ENOMEM, origin, lineno, 0, "out of memory");
                break;
            }
            spec->files[spec->n_files++] = f;
        }
    }
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
        *slash = '\0';
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
