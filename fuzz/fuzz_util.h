/*
 * fuzz_util.h — helpers for list-parser fuzz targets: the input bytes are
 * exposed as an in-memory file (memfd), so each target drives the real
 * public loading path, cordon_dataset_load, with no disk I/O.
 */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#ifndef _GNU_SOURCE /* the Makefile already passes -D_GNU_SOURCE */
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cordon/cordon.h"

/* Loads `data` as a one-file source of `format`; frees everything. The
 * loader must either succeed or fail cleanly: sanitizers catch the rest. */
static inline void fuzz_load_one(cordon_format format, const uint8_t *data, size_t size)
{
    int fd = memfd_create("cordon-fuzz", 0);
    if (fd < 0)
        abort();
    size_t off = 0;
    while (off < size) {
        ssize_t n = write(fd, data + off, size - off);
        if (n <= 0)
            abort();
        off += (size_t)n;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    cordon_source_spec spec = {.name = "fuzz", .format = format, .n_files = 1};
    spec.files[0] = path;
    cordon_dataset *ds = cordon_dataset_new();
    cordon_error err;
    if (cordon_dataset_load(ds, &spec, &err) == 0) {
        /* Touch every entity so lazily broken pointers show up. */
        for (size_t i = 0; i < cordon_dataset_entity_count(ds); i++) {
            const cordon_entity *e = cordon_dataset_entity(ds, i);
            if (!e->id || !e->n_names || !e->names[0].value)
                abort();
        }
    } else if (err.message[0] == '\0') {
        abort(); /* every failure must say what went wrong */
    }
    cordon_dataset_free(ds);
    close(fd);
}

#endif
