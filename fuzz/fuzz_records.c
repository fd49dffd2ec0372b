/*
 * fuzz_records.c — the customer-file reader (lib/records.c). The first
 * byte picks the format and delimiter, the second a record size limit;
 * the rest is the file, read from a memfd as batch reads stdin. Every
 * row must come back either good (valid UTF-8 fields, one per header
 * column for CSV) or bad with a message, in order, and the reader must
 * reach the end.
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

#include "cordon/cordon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int valid_utf8(const char *s, size_t len)
{
    /* cordon_text_fold rejects invalid UTF-8 with CORDON_EUTF8 */
    char buf[8];
    return cordon_text_fold(s, len, buf, sizeof buf) != CORDON_EUTF8;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    static const char delims[] = {',', ';', '\t', '|'};
    cordon_records_options o = {
        .format = (data[0] & 1) ? CORDON_RECORDS_JSONL : CORDON_RECORDS_CSV,
        .delimiter = delims[(data[0] >> 1) & 3],
        .max_record_bytes = data[1] ? (size_t)data[1] * 4 : 0,
    };
    data += 2;
    size -= 2;
    int fd = memfd_create("fuzz-records", 0);
    if (fd < 0)
        abort();
    for (size_t off = 0; off < size;) {
        ssize_t n = write(fd, data + off, size - off);
        if (n <= 0)
            abort();
        off += (size_t)n;
    }
    lseek(fd, 0, SEEK_SET);
    cordon_records *r = NULL;
    cordon_error err;
    if (cordon_records_open(fd, &o, "fuzz", &r, &err) != 0) {
        if (r || !err.message[0])
            abort();
        close(fd);
        return 0;
    }
    size_t ncol = cordon_records_column_count(r);
    cordon_record rec;
    unsigned long last = 0;
    int rc;
    while ((rc = cordon_records_next(r, &rec, &err)) == 1) {
        if (rec.number != last + 1 || rec.line == 0)
            abort();
        last = rec.number;
        if (rec.error) {
            if (!rec.message[0] || rec.n_fields)
                abort();
            continue;
        }
        if (o.format == CORDON_RECORDS_CSV && rec.n_fields != ncol)
            abort();
        for (size_t i = 0; i < rec.n_fields; i++) {
            const cordon_field *f = &rec.fields[i];
            if (strlen(f->value) != f->len || !valid_utf8(f->value, f->len) ||
                !valid_utf8(f->name, strlen(f->name)))
                abort();
            if (!cordon_record_field(&rec, f->name, strlen(f->name)))
                abort();
        }
    }
    if (rc != 0 || cordon_records_offset(r) != size)
        abort();
    cordon_records_close(r);
    close(fd);
    return 0;
}
