/*
 * fuzz_query.c — the query path on arbitrary bytes: cordon_screen (both
 * algorithms, every option) and cordon_compare against a small index of
 * tests/data/screen/mini.ftm.jsonl, then the explanation, reason and
 * JSON renderers of whatever came back.
 *
 * Input: a flags byte, then newline-separated fields: name, birth date,
 * country, identifier, second name (for compare). Missing fields are
 * not used.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cordon/cordon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cordon_index *idx;

static void load(void)
{
    cordon_source_spec spec = {.name = "mini", .format = CORDON_FORMAT_FTM_JSON, .n_files = 1};
    spec.files[0] = "tests/data/screen/mini.ftm.jsonl";
    cordon_dataset *ds = cordon_dataset_new();
    cordon_error err;
    if (cordon_dataset_load(ds, &spec, &err) || cordon_index_build(ds, &idx, &err)) {
        fprintf(stderr, "fuzz_query: %s (run from the repository root)\n", err.message);
        abort();
    }
    cordon_dataset_free(ds);
}

static void render(const cordon_result *r)
{
    for (size_t i = 0; i < r->n_matches; i++) {
        char buf[256];
        size_t need = cordon_match_reason(&r->matches[i], buf, sizeof buf);
        if (strlen(buf) != (need < sizeof buf ? need : sizeof buf - 1))
            abort();
        char *x = cordon_match_explain(&r->matches[i]);
        if (!x)
            abort();
        cordon_free(x);
        if (r->matches[i].score < 0.0 || r->matches[i].score > 1.0)
            abort();
        if (i && r->matches[i].score > r->matches[i - 1].score)
            abort(); /* sorted */
    }
    char *j = cordon_result_json(r);
    if (!j)
        abort();
    cordon_free(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!idx)
        load();
    if (size == 0)
        return 0;
    uint8_t flags = data[0];
    const char *f[5] = {0};
    size_t fl[5] = {0}, nf = 0;
    const char *p = (const char *)data + 1, *end = (const char *)data + size;
    while (p <= end && nf < 5) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        f[nf] = p;
        fl[nf] = (size_t)(e - p);
        nf++;
        if (!nl)
            break;
        p = nl + 1;
    }
    cordon_query q = {.name = f[0], .name_len = fl[0], .schema = (cordon_schema)(flags % 6)};
    cordon_date dob;
    if (fl[1] && cordon_date_parse(f[1], fl[1], &dob) == 0)
        q.birth_date = &dob;
    if (fl[2]) {
        q.country = f[2];
        q.country_len = fl[2];
    }
    cordon_query_id id;
    if (fl[3]) {
        id = (cordon_query_id){(cordon_id_type)((flags >> 3) % CORDON_ID_TYPE_COUNT_), f[3], fl[3]};
        q.ids = &id;
        q.n_ids = 1;
    }
    cordon_screen_options o = {.algorithm = (cordon_algorithm)((flags >> 6) & 1),
                               .threshold = (flags & 0x80) ? 0.3 : 0.0,
                               .limit = (flags & 0x20) ? 1 : 0};
    cordon_result *r = NULL;
    cordon_error err;
    if (cordon_screen(idx, &q, &o, &r, &err) == 0)
        render(r);
    else if (!err.message[0] || r)
        abort(); /* every failure says why, and leaves no result */
    cordon_result_free(r);
    if (fl[4]) {
        if (cordon_compare((flags & 4) ? idx : NULL, f[0], fl[0], f[4], fl[4], q.schema, &o, &r,
                           &err) == 0) {
            if (r->n_matches != 1)
                abort();
            render(r);
            cordon_result_free(r);
        } else if (!err.message[0]) {
            abort();
        }
    }
    return 0;
}
