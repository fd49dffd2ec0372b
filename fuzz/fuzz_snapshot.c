/*
 * fuzz_snapshot.c — cordon_index_open on arbitrary bytes: a damaged,
 * truncated or foreign snapshot must be a clear error, never a crash.
 * What opens is then used: every entity read, a few names screened.
 *
 * Inputs starting with 'F' have their checksums recomputed before
 * opening, so that the structural checks behind the checksums (section
 * table, counts, every offset and index in the records) are exercised
 * too, not just the CRCs.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <zlib.h>

#include "index_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Recomputes section and header CRCs where the table allows it. */
static void fix_crcs(uint8_t *b, size_t n)
{
    if (n < sizeof(cx_header))
        return;
    cx_header h;
    memcpy(&h, b, sizeof h);
    if (h.n_sections > 64 || sizeof h + (size_t)h.n_sections * sizeof(cx_section) > n)
        return;
    for (uint32_t i = 0; i < h.n_sections; i++) {
        cx_section s;
        memcpy(&s, b + sizeof h + i * sizeof s, sizeof s);
        if (s.offset <= n && s.size <= n - s.offset) {
            s.crc = (uint32_t)crc32_z(0, b + s.offset, s.size);
            memcpy(b + sizeof h + i * sizeof s, &s, sizeof s);
        }
    }
    size_t hs = sizeof h + (size_t)h.n_sections * sizeof(cx_section);
    memset(b + offsetof(cx_header, header_crc), 0, sizeof h.header_crc);
    uint32_t crc = (uint32_t)crc32_z(0, b, hs);
    memcpy(b + offsetof(cx_header, header_crc), &crc, sizeof crc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    const uint8_t *bytes = buf;
    size_t n = size;
    if (size && data[0] == 'F') {
        bytes = buf + 1;
        n = size - 1;
        fix_crcs(buf + 1, n);
    }
    int fd = memfd_create("cordon-fuzz-snapshot", 0);
    if (fd < 0)
        abort();
    for (size_t off = 0; off < n;) {
        ssize_t w = write(fd, bytes + off, n - off);
        if (w <= 0)
            abort();
        off += (size_t)w;
    }
    free(buf);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    cordon_index *idx = NULL;
    cordon_error err;
    if (cordon_index_open(path, &idx, &err) == 0) {
        for (size_t i = 0; i < cordon_index_entity_count(idx); i++) {
            cordon_entity *e = NULL;
            if (cordon_index_entity(idx, i, &e, &err) != 0 || !e->id)
                abort();
            size_t at;
            if (cordon_index_find(idx, e->id, strlen(e->id), &at) != 0)
                (void)at; /* duplicate ids are possible in a forged file */
            cordon_entity_free(e);
        }
        for (size_t i = 0; i < cordon_index_source_count(idx); i++)
            if (!cordon_index_source(idx, i)->name)
                abort();
        static const char *const names[] = {"Vladimir Putin", "Kim Jong Un", "김정은",
                                            "Graceful", "V. V. Putin"};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            cordon_query q = {.name = names[i], .name_len = strlen(names[i])};
            cordon_query_id id = {CORDON_ID_OTHER, "IMO 1011551", 11};
            q.ids = &id;
            q.n_ids = 1;
            cordon_result *r = NULL;
            if (cordon_screen(idx, &q, NULL, &r, &err) == 0) {
                char *j = cordon_result_json(r);
                cordon_free(j);
            }
            cordon_result_free(r);
        }
        cordon_index_close(idx);
    } else if (!err.message[0]) {
        abort();
    }
    close(fd);
    return 0;
}
