/*
 * fuzz_ofac_csv.c — OFAC legacy CSV sets through cordon_dataset_load.
 *
 * The input holds up to four files separated by 0x1E bytes, in the order
 * sdn.csv, alt.csv, add.csv, sdn_comments.csv; they are written under
 * those names into a private directory (in /dev/shm when there is one),
 * because the parser tells a set's files apart by name. A first byte 'C'
 * uses the consolidated names (cons_prim.csv, ...) instead.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cordon/cordon.h"

static const char *const sdn_names[4] = {"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"};
static const char *const cons_names[4] = {"cons_prim.csv", "cons_alt.csv", "cons_add.csv",
                                          "cons_comments.csv"};
static char dir[64];

static void cleanup(void)
{
    char p[128];
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, sdn_names[i]);
        unlink(p);
        snprintf(p, sizeof p, "%s/%s", dir, cons_names[i]);
        unlink(p);
    }
    rmdir(dir);
}

static void write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
}

/* Reads every string of an entity, so broken pointers show up. */
static size_t touch(const cordon_entity *e)
{
    size_t n = strlen(e->id) + strlen(e->source) + strlen(e->native_id);
    for (size_t i = 0; i < e->n_names; i++)
        n += strlen(e->names[i].value);
    for (size_t i = 0; i < e->n_birth_dates; i++)
        n += strlen(e->birth_dates[i].text);
    for (size_t i = 0; i < e->n_birth_places; i++)
        n += strlen(e->birth_places[i]);
    for (size_t i = 0; i < e->n_nationalities; i++)
        n += strlen(e->nationalities[i].text);
    for (size_t i = 0; i < e->n_citizenships; i++)
        n += strlen(e->citizenships[i].text);
    for (size_t i = 0; i < e->n_countries; i++)
        n += strlen(e->countries[i].text);
    for (size_t i = 0; i < e->n_addresses; i++)
        n += strlen(e->addresses[i]);
    for (size_t i = 0; i < e->n_identifiers; i++) {
        const cordon_identifier *id = &e->identifiers[i];
        if (!id->value[0])
            abort();
        n += strlen(id->value) + (id->label ? strlen(id->label) : 0) +
             (id->country ? strlen(id->country) : 0);
    }
    for (size_t i = 0; i < e->n_programs; i++)
        n += strlen(e->programs[i]);
    n += e->gender ? strlen(e->gender) : 0;
    n += e->title ? strlen(e->title) : 0;
    n += e->remarks ? strlen(e->remarks) : 0;
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "%s/cordon-fuzz-ofac-XXXXXX",
                 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
        if (!mkdtemp(dir))
            abort();
        atexit(cleanup);
    }
    const char *const *names = sdn_names;
    if (size && data[0] == 'C') {
        names = cons_names;
        data++;
        size--;
    }
    cordon_source_spec spec = {.name = "fuzz", .format = CORDON_FORMAT_OFAC_CSV};
    static char paths[4][128];
    size_t start = 0;
    for (int part = 0; part < 4 && start <= size; part++) {
        const uint8_t *sep = memchr(data + start, 0x1E, size - start);
        size_t end = sep ? (size_t)(sep - data) : size;
        snprintf(paths[part], sizeof paths[part], "%s/%s", dir, names[part]);
        write_file(paths[part], data + start, end - start);
        spec.files[spec.n_files++] = paths[part];
        start = end + 1;
        if (!sep)
            break;
    }
    cordon_dataset *ds = cordon_dataset_new();
    if (!ds)
        abort();
    cordon_error err;
    if (cordon_dataset_load(ds, &spec, &err) == 0) {
        size_t n = 0;
        for (size_t i = 0; i < cordon_dataset_entity_count(ds); i++)
            n += touch(cordon_dataset_entity(ds, i));
        if (n == 0)
            abort();
    } else if (err.message[0] == '\0') {
        abort(); /* every failure must say what went wrong */
    }
    cordon_dataset_free(ds);
    return 0;
}
