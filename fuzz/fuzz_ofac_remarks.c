/*
 * fuzz_ofac_remarks.c — the Remarks parser (lib/ofac_remarks.c), driven
 * through whole-file loading: the input becomes the Remarks field of a
 * one-row sdn.csv (quotes doubled, NUL bytes made spaces so the parser
 * rather than the NUL check sees the text). The first byte picks the
 * SDN_Type; text before a 0x1E byte becomes the Title, which the parser
 * drops from Remarks when repeated there.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cordon/cordon.h"

static char dir[64];
static char path[128];

static void cleanup(void)
{
    unlink(path);
    rmdir(dir);
}

static void put_quoted(FILE *f, const uint8_t *s, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        int c = s[i] ? s[i] : ' ';
        if (c == '"')
            fputc('"', f);
        fputc(c, f);
    }
    fputc('"', f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const types[4] = {"\"individual\"", "\"vessel\"", "\"aircraft\"",
                                         "-0- "};
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "%s/cordon-fuzz-remarks-XXXXXX",
                 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
        if (!mkdtemp(dir))
            abort();
        snprintf(path, sizeof path, "%s/sdn.csv", dir);
        atexit(cleanup);
    }
    const char *type = types[0];
    if (size) {
        type = types[data[0] & 3];
        data++;
        size--;
    }
    const uint8_t *title = NULL;
    size_t title_len = 0;
    const uint8_t *sep = memchr(data, 0x1E, size);
    if (sep) {
        title = data;
        title_len = (size_t)(sep - data);
        size -= title_len + 1;
        data = sep + 1;
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fprintf(f, "7,\"NAME\",%s,\"SDGT\",", type);
    if (title)
        put_quoted(f, title, title_len);
    else
        fputs("-0- ", f);
    fputs(",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,", f);
    put_quoted(f, data, size);
    fputs("\r\n\x1A", f);
    fclose(f);

    cordon_source_spec spec = {.name = "fuzz", .format = CORDON_FORMAT_OFAC_CSV, .n_files = 1};
    spec.files[0] = path;
    cordon_dataset *ds = cordon_dataset_new();
    if (!ds)
        abort();
    cordon_error err;
    if (cordon_dataset_load(ds, &spec, &err) == 0) {
        const cordon_entity *e = cordon_dataset_entity(ds, 0);
        if (!e || e->n_names == 0 || strcmp(e->names[0].value, "NAME") != 0)
            abort();
        for (size_t i = 0; i < e->n_names; i++)
            if (!e->names[i].value[0])
                abort();
        for (size_t i = 0; i < e->n_identifiers; i++)
            if (!e->identifiers[i].value[0] ||
                (e->identifiers[i].label && !e->identifiers[i].label[0]))
                abort();
        for (size_t i = 0; i < e->n_birth_dates; i++)
            if (!e->birth_dates[i].text || !e->birth_dates[i].text[0])
                abort();
        if (e->remarks && !e->remarks[0])
            abort();
    } else if (err.message[0] == '\0') {
        abort();
    }
    cordon_dataset_free(ds);
    return 0;
}
