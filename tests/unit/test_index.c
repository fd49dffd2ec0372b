/*
 * test_index.c — lib/index_build.c and lib/index_file.c: the compiled
 * index of the real UN list, its snapshot file (round trip of every
 * entity record and its stored content hash, deterministic content hash,
 * atomic write), and every way a snapshot can be damaged, truncated or
 * foreign.
 */
#include "test_util.h"

#include <dirent.h>
#include <sys/stat.h>

#include "index_int.h"

static const char *const un_files[] = {"data/lists/un_sc/2026-02-27/UN_consolidated.xml"};

typedef struct fixture {
    cordon_dataset *ds;
    cordon_index *idx;
    char *path;      /* the snapshot written */
    unsigned char *bytes;
    size_t size;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    fx->ds = test_load("un_sc", CORDON_FORMAT_UN_XML, un_files, 1);
    cordon_error err;
    if (cordon_index_build(fx->ds, &fx->idx, &err) != 0)
        return -1;
    fx->path = test_write_temp("", 0, ".cordon");
    if (cordon_index_write(fx->idx, fx->path, &err) != 0)
        return -1;
    fx->bytes = (unsigned char *)test_slurp(fx->path, &fx->size);
    if (!fx->bytes)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    unlink(fx->path);
    free(fx->path);
    free(fx->bytes);
    cordon_index_close(fx->idx);
    cordon_dataset_free(fx->ds);
    free(fx);
    return 0;
}

/* ---- helpers -------------------------------------------------------------------- */

static void same_str(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

static void same_strs(const char *const *a, size_t na, const char *const *b, size_t nb)
{
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++)
        same_str(a[i], b[i]);
}

static void same_countries(const cordon_country *a, size_t na, const cordon_country *b, size_t nb)
{
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        assert_string_equal(a[i].code, b[i].code);
        same_str(a[i].text, b[i].text);
    }
}

/* The whole record, field by field. */
static void same_entity(const cordon_entity *a, const cordon_entity *b)
{
    same_str(a->id, b->id);
    same_str(a->source, b->source);
    same_str(a->native_id, b->native_id);
    assert_int_equal(a->schema, b->schema);
    assert_int_equal(a->n_names, b->n_names);
    for (size_t i = 0; i < a->n_names; i++) {
        assert_string_equal(a->names[i].value, b->names[i].value);
        assert_int_equal(a->names[i].kind, b->names[i].kind);
    }
    assert_int_equal(a->n_birth_dates, b->n_birth_dates);
    for (size_t i = 0; i < a->n_birth_dates; i++) {
        assert_int_equal(a->birth_dates[i].year, b->birth_dates[i].year);
        assert_int_equal(a->birth_dates[i].month, b->birth_dates[i].month);
        assert_int_equal(a->birth_dates[i].day, b->birth_dates[i].day);
        assert_int_equal(a->birth_dates[i].year_to, b->birth_dates[i].year_to);
        assert_int_equal(a->birth_dates[i].flags, b->birth_dates[i].flags);
        same_str(a->birth_dates[i].text, b->birth_dates[i].text);
    }
    same_strs(a->birth_places, a->n_birth_places, b->birth_places, b->n_birth_places);
    same_countries(a->nationalities, a->n_nationalities, b->nationalities, b->n_nationalities);
    same_countries(a->citizenships, a->n_citizenships, b->citizenships, b->n_citizenships);
    same_countries(a->countries, a->n_countries, b->countries, b->n_countries);
    same_strs(a->addresses, a->n_addresses, b->addresses, b->n_addresses);
    assert_int_equal(a->n_identifiers, b->n_identifiers);
    for (size_t i = 0; i < a->n_identifiers; i++) {
        assert_int_equal(a->identifiers[i].type, b->identifiers[i].type);
        same_str(a->identifiers[i].label, b->identifiers[i].label);
        same_str(a->identifiers[i].value, b->identifiers[i].value);
        same_str(a->identifiers[i].country, b->identifiers[i].country);
    }
    same_strs(a->programs, a->n_programs, b->programs, b->n_programs);
    same_str(a->gender, b->gender);
    same_str(a->title, b->title);
    same_str(a->listed_on, b->listed_on);
    same_str(a->remarks, b->remarks);
    same_str(a->origin_file, b->origin_file);
    assert_int_equal(a->origin_line, b->origin_line);
}

/* ---- build, write, open ----------------------------------------------------------- */

static void test_counts(void **state)
{
    fixture *fx = *state;
    /* UN consolidated list of 2026-02-27: 730 individuals, 273 entities */
    assert_int_equal(cordon_index_entity_count(fx->idx), 1003);
    assert_int_equal(cordon_index_entity_count(fx->idx), cordon_dataset_entity_count(fx->ds));
    size_t names = 0;
    for (size_t i = 0; i < cordon_dataset_entity_count(fx->ds); i++)
        names += cordon_dataset_entity(fx->ds, i)->n_names;
    assert_int_equal(cordon_index_name_count(fx->idx), names);
    assert_int_equal(cordon_index_source_count(fx->idx), 1);
    assert_int_equal(strlen(cordon_index_hash(fx->idx)), 64);
}

static void test_round_trip(void **state)
{
    fixture *fx = *state;
    cordon_error err;
    cordon_index *o = NULL;
    assert_int_equal(cordon_index_open(fx->path, &o, &err), 0);
    assert_string_equal(cordon_index_hash(o), cordon_index_hash(fx->idx));
    assert_int_equal(cordon_index_entity_count(o), 1003);
    /* sources as the dataset had them */
    const cordon_source_info *a = cordon_dataset_source(fx->ds, 0), *b = cordon_index_source(o, 0);
    assert_non_null(b);
    assert_null(cordon_index_source(o, 1));
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->format, b->format);
    same_strs(a->files, a->n_files, b->files, b->n_files);
    same_str(a->published, b->published);
    assert_string_equal(b->published, "2026-02-27");
    assert_string_equal(a->sha256, b->sha256);
    assert_int_equal(a->n_entities, b->n_entities);
    for (int k = 0; k < CORDON_SCHEMA_COUNT_; k++)
        assert_int_equal(a->n_by_schema[k], b->n_by_schema[k]);
    assert_int_equal(b->n_by_schema[CORDON_SCHEMA_PERSON], 730);
    assert_int_equal(b->n_by_schema[CORDON_SCHEMA_ORGANIZATION], 273);
    assert_int_equal(a->n_names, b->n_names);
    same_strs(a->warnings, a->n_warnings, b->warnings, b->n_warnings);
    /* every entity, whole, found by its id at its position */
    for (size_t i = 0; i < cordon_dataset_entity_count(fx->ds); i++) {
        const cordon_entity *de = cordon_dataset_entity(fx->ds, i);
        cordon_entity *ie = NULL;
        assert_int_equal(cordon_index_entity(o, i, &ie, &err), 0);
        same_entity(de, ie);
        /* the content hash the builder stored, as a reader computes it */
        char stored[65], computed[65], from_data[65];
        cordon__index_entity_hash(o, i, stored);
        cordon_entity_hash(ie, computed);
        cordon_entity_hash(de, from_data);
        assert_string_equal(stored, computed);
        assert_string_equal(stored, from_data);
        cordon_entity_free(ie);
        size_t pos = SIZE_MAX;
        assert_int_equal(cordon_index_find(o, de->id, strlen(de->id), &pos), 0);
        assert_int_equal(pos, i);
    }
    size_t pos;
    assert_int_equal(cordon_index_find(o, "un_sc:nope", 10, &pos), CORDON_ENOTFOUND);
    assert_int_equal(cordon_index_find(o, "un_sc:QDi.06", 12, &pos), CORDON_ENOTFOUND);
    cordon_entity *e = (cordon_entity *)1;
    assert_int_equal(cordon_index_entity(o, 1003, &e, &err), CORDON_EINVAL);
    assert_null(e);
    cordon_entity_free(NULL);
    cordon_index_close(o);
    cordon_index_close(NULL);
}

static void test_deterministic(void **state)
{
    fixture *fx = *state;
    cordon_error err;
    cordon_index *again = NULL;
    assert_int_equal(cordon_index_build(fx->ds, &again, &err), 0);
    assert_string_equal(cordon_index_hash(again), cordon_index_hash(fx->idx));
    char *p2 = test_write_temp("", 0, ".cordon");
    assert_int_equal(cordon_index_write(again, p2, &err), 0);
    size_t n2;
    unsigned char *b2 = (unsigned char *)test_slurp(p2, &n2);
    assert_non_null(b2);
    assert_int_equal(n2, fx->size);
    assert_memory_equal(b2, fx->bytes, n2);
    free(b2);
    unlink(p2);
    free(p2);
    cordon_index_close(again);
}

static void test_write_atomic(void **state)
{
    fixture *fx = *state;
    cordon_error err;
    char dir[] = "/tmp/cordon-test-dir-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/x.cordon", dir);
    FILE *f = fopen(path, "w");
    fputs("old contents", f);
    fclose(f);
    assert_int_equal(cordon_index_write(fx->idx, path, &err), 0);
    /* replaced, and nothing else left in the directory */
    DIR *d = opendir(dir);
    int entries = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.')
            entries++;
    closedir(d);
    assert_int_equal(entries, 1);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal((size_t)st.st_size, fx->size);
    /* an unwritable place is an I/O error that names it */
    assert_int_equal(cordon_index_write(fx->idx, "/nonexistent-dir/x.cordon", &err), CORDON_EIO);
    assert_non_null(strstr(err.file, "/nonexistent-dir/x.cordon"));
    unlink(path);
    rmdir(dir);
}

static void test_build_errors(void **state)
{
    (void)state;
    cordon_error err;
    cordon_index *idx = (cordon_index *)1;
    assert_int_equal(cordon_index_build(NULL, &idx, &err), CORDON_EINVAL);
    assert_null(idx);
    cordon_dataset *empty = cordon_dataset_new();
    assert_int_equal(cordon_index_build(empty, &idx, &err), CORDON_EINVAL);
    assert_non_null(strstr(err.message, "no entities"));
    cordon_dataset_free(empty);
}

/* ---- damaged files ------------------------------------------------------------------ */

static int open_bytes(const unsigned char *b, size_t n, cordon_error *err)
{
    char *p = test_write_temp(b, n, ".cordon");
    cordon_index *idx = (cordon_index *)1;
    int rc = cordon_index_open(p, &idx, err);
    if (rc == 0)
        cordon_index_close(idx);
    else
        assert_null(idx);
    unlink(p);
    free(p);
    return rc;
}

static void test_foreign_files(void **state)
{
    (void)state;
    cordon_error err;
    cordon_index *idx = NULL;
    assert_int_equal(cordon_index_open("/nonexistent/x.cordon", &idx, &err), CORDON_EIO);
    assert_non_null(strstr(err.message, "cannot open"));
    assert_int_equal(cordon_index_open("data", &idx, &err), CORDON_ECORRUPT);
    assert_int_equal(open_bytes((const unsigned char *)"", 0, &err), CORDON_ECORRUPT);
    assert_non_null(strstr(err.message, "empty"));
    assert_int_equal(open_bytes((const unsigned char *)"CORDON", 6, &err), CORDON_ECORRUPT);
    assert_non_null(strstr(err.message, "shorter than a header"));
    /* a list file is not an index */
    assert_int_equal(cordon_index_open(un_files[0], &idx, &err), CORDON_ECORRUPT);
    assert_non_null(strstr(err.message, "bad magic"));
    assert_string_equal(err.file, un_files[0]);
}

static void test_version(void **state)
{
    fixture *fx = *state;
    cordon_error err;
    unsigned char *b = malloc(fx->size);
    memcpy(b, fx->bytes, fx->size);
    cx_header *h = (cx_header *)b;
    h->version = 99;
    assert_int_equal(open_bytes(b, fx->size, &err), CORDON_EVERSION);
    assert_non_null(strstr(err.message, "version 99"));
    memcpy(b, fx->bytes, fx->size);
    h->endian = 0x04030201u;
    assert_int_equal(open_bytes(b, fx->size, &err), CORDON_ECORRUPT);
    assert_non_null(strstr(err.message, "byte order"));
    free(b);
}

static void test_truncated(void **state)
{
    fixture *fx = *state;
    cordon_error err;
    /* every cut in the header, then cuts through the sections */
    for (size_t n = 1; n < fx->size; n += n < 600 ? 1 : 9973) {
        int rc = open_bytes(fx->bytes, n, &err);
        assert_int_equal(rc, CORDON_ECORRUPT);
        assert_true(err.message[0] != '\0');
    }
    assert_int_equal(open_bytes(fx->bytes, fx->size - 1, &err), CORDON_ECORRUPT);
    assert_non_null(strstr(err.message, "truncated"));
    /* and a trailing byte */
    unsigned char *b = malloc(fx->size + 1);
    memcpy(b, fx->bytes, fx->size);
    b[fx->size] = 0;
    assert_int_equal(open_bytes(b, fx->size + 1, &err), CORDON_ECORRUPT);
    free(b);
}

static void test_flipped(void **state)
{
    fixture *fx = *state;
    cordon_error err;
    unsigned char *b = malloc(fx->size);
    const cx_header *h = (const cx_header *)fx->bytes;
    const cx_section *tab = (const cx_section *)(fx->bytes + sizeof *h);
    /* one flipped byte in every section is caught by that section's
     * checksum, and the message names the section */
    for (uint32_t s = 0; s < h->n_sections; s++) {
        if (tab[s].size == 0)
            continue;
        memcpy(b, fx->bytes, fx->size);
        size_t at = tab[s].offset + tab[s].size / 2;
        b[at] ^= 0x20;
        assert_int_equal(open_bytes(b, fx->size, &err), CORDON_ECORRUPT);
        assert_non_null(strstr(err.message, "checksum mismatch"));
    }
    /* a flipped byte in the section table or header */
    for (size_t at = 8; at < h->header_size; at += 7) {
        memcpy(b, fx->bytes, fx->size);
        b[at] ^= 0x01;
        int rc = open_bytes(b, fx->size, &err);
        assert_true(rc == CORDON_ECORRUPT || rc == CORDON_EVERSION);
    }
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_deterministic), cmocka_unit_test(test_write_atomic),
        cmocka_unit_test(test_build_errors),  cmocka_unit_test(test_foreign_files),
        cmocka_unit_test(test_version),       cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_flipped),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
