/*
 * test_util.h — shared helpers for the unit tests (cmocka). Tests run
 * from the repository root, so data paths are relative to it.
 */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cordon/cordon.h"

/* The whole of a file, NUL-terminated (its length in *len when len is
 * not NULL), or NULL when it cannot be opened. Read as it comes, so
 * that files still growing and pipes work too. */
static inline char *test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    assert_non_null(buf);
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* Where the shared (unbundled) data lives: ../shared/data beside the
 * checkout, or $CORDON_SHARED_DATA. NULL when absent. */
static inline const char *test_shared_data(void)
{
    const char *env = getenv("CORDON_SHARED_DATA");
    if (env && access(env, R_OK) == 0)
        return env;
    if (access("../shared/data", R_OK) == 0)
        return "../shared/data";
    return NULL;
}

/* Loads one source into a new dataset, failing the test with the error
 * message if it does not load. */
static inline cordon_dataset *test_load(const char *name, cordon_format format,
                                        const char *const *files, size_t n_files)
{
    cordon_source_spec spec = {.name = name, .format = format, .n_files = n_files};
    for (size_t i = 0; i < n_files; i++)
        spec.files[i] = files[i];
    cordon_dataset *ds = cordon_dataset_new();
    assert_non_null(ds);
    cordon_error err;
    int rc = cordon_dataset_load(ds, &spec, &err);
    if (rc) {
        char buf[1200];
        fail_msg("load %s: %s", name, cordon_error_format(&err, buf, sizeof buf));
    }
    return ds;
}

/* Expects loading to fail with `code`; returns the error for more checks. */
static inline cordon_error test_load_fails(const char *name, cordon_format format,
                                           const char *const *files, size_t n_files,
                                           int code)
{
    cordon_source_spec spec = {.name = name, .format = format, .n_files = n_files};
    for (size_t i = 0; i < n_files; i++)
        spec.files[i] = files[i];
    cordon_dataset *ds = cordon_dataset_new();
    assert_non_null(ds);
    cordon_error err;
    int rc = cordon_dataset_load(ds, &spec, &err);
    assert_int_equal(rc, code);
    assert_int_equal(cordon_dataset_entity_count(ds), 0);
    assert_int_equal(cordon_dataset_source_count(ds), 0);
    cordon_dataset_free(ds);
    return err;
}

/* Writes bytes to a fresh temporary file; returns its malloc'd path. */
static inline char *test_write_temp(const void *data, size_t len, const char *suffix)
{
    char tmpl[] = "/tmp/cordon-test-XXXXXX";
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    char *path = malloc(strlen(tmpl) + strlen(suffix ? suffix : "") + 1);
    assert_non_null(path);
    sprintf(path, "%s%s", tmpl, suffix ? suffix : "");
    if (suffix && suffix[0])
        assert_int_equal(rename(tmpl, path), 0);
    return path;
}

/* True when the entity has a name equal to s. */
static inline int test_has_name(const cordon_entity *e, const char *s)
{
    for (size_t i = 0; i < e->n_names; i++)
        if (strcmp(e->names[i].value, s) == 0)
            return 1;
    return 0;
}

static inline int test_has_program(const cordon_entity *e, const char *s)
{
    for (size_t i = 0; i < e->n_programs; i++)
        if (strcmp(e->programs[i], s) == 0)
            return 1;
    return 0;
}

#endif
