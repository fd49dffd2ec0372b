/*
 * fuzz_monitor_sig.c — the monitor's customer signatures as read back
 * from a store whose rows may be damaged: cordon__sig_keys,
 * cordon__changeset_prefetch and cordon__changeset_meets on arbitrary
 * bytes, against a changeset of real UN entities (the index is built
 * once, from the repository's UN list). A signature must decode or be CORDON_ECORRUPT, never crash; the
 * same bytes are also fed to cordon_time_parse, the other text the
 * monitor and audit commands read.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "monitor_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cordon_index *idx;
static cordon__changeset cs;
static cordon__check *ck;

static void setup(void)
{
    cordon_source_spec spec = {.name = "un_sc", .format = CORDON_FORMAT_UN_XML, .n_files = 1};
    spec.files[0] = "data/lists/un_sc/2026-02-27/UN_consolidated.xml";
    cordon_dataset *ds = cordon_dataset_new();
    cordon_error err;
    if (cordon_dataset_load(ds, &spec, &err) || cordon_index_build(ds, &idx, &err)) {
        fprintf(stderr, "fuzz_monitor_sig: %s (run from the repository root)\n", err.message);
        abort();
    }
    cordon_dataset_free(ds);
    if (cordon__changeset_init(&cs, idx, 0.85))
        abort();
    for (size_t i = 0; i < cordon_index_entity_count(idx); i += 17)
        if (cordon__changeset_add_entity(&cs, i))
            abort();
    if (cordon__changeset_build(&cs) || !(ck = cordon__check_new()))
        abort();
}

static void count(void *ctx, uint64_t key)
{
    (void)key;
    (*(size_t *)ctx)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!idx)
        setup();
    size_t n = 0;
    bool initial;
    int rc = cordon__sig_keys(data, size, count, &n, &initial);
    if (rc != 0 && rc != CORDON_ECORRUPT)
        abort();
    if (size)
        cordon__changeset_prefetch(ck, data, size);
    int m = cordon__changeset_meets(&cs, ck, data, size);
    if (m != 0 && m != 1 && m != CORDON_ECORRUPT)
        abort();
    int64_t t;
    rc = cordon_time_parse((const char *)data, size, 1000000000000LL, &t);
    if (rc != 0 && rc != CORDON_EFORMAT)
        abort();
    return 0;
}
