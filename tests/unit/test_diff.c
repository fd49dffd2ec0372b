/*
 * test_diff.c — lib/diff.c on real list versions: OFAC SDN of 2021-07
 * against the default bundle's SDN, and UK OFSI of 2023-06-05 against
 * 2025-04-14 (the lists files are in tests/data/diff/). Entities added
 * and removed were counted independently from the raw files (ent_num in
 * sdn.csv; Group ID in the workbooks' first sheet); changed ones are
 * checked whole against the raw rows they come from. Also: the entity
 * hash ignores origin lines and is the same from a dataset and an index,
 * and index diffs equal dataset diffs.
 */
#include "test_util.h"

static cordon_dataset *load_conf(const char *path)
{
    cordon_config *cfg = NULL;
    cordon_error err;
    if (cordon_config_read(path, &cfg, &err) != 0)
        fail_msg("%s: %s", path, err.message);
    cordon_dataset *ds = cordon_dataset_new();
    if (cordon_dataset_load_config(ds, cfg, &err) != 0)
        fail_msg("%s: %s", path, err.message);
    cordon_config_free(cfg);
    return ds;
}

static const cordon_entity_diff *find(const cordon_diff *d, const char *id)
{
    for (size_t i = 0; i < cordon_diff_count(d); i++)
        if (!strcmp(cordon_diff_get(d, i)->id, id))
            return cordon_diff_get(d, i);
    return NULL;
}

static void totals(const cordon_diff *d, size_t a, size_t r, size_t c, size_t u)
{
    size_t added, removed, changed, unchanged;
    cordon_diff_totals(d, &added, &removed, &changed, &unchanged);
    if (added != a || removed != r || changed != c || unchanged != u)
        fail_msg("totals %zu/%zu/%zu/%zu, expected %zu/%zu/%zu/%zu", added, removed, changed,
                 unchanged, a, r, c, u);
    assert_int_equal(cordon_diff_count(d), a + r + c);
}

static void test_sdn_versions(void **state)
{
    (void)state;
    cordon_dataset *o = load_conf("tests/data/diff/sdn_2021-07.conf");
    cordon_dataset *n = load_conf("tests/data/diff/sdn_default.conf");
    assert_int_equal(cordon_dataset_entity_count(o), 8976);
    assert_int_equal(cordon_dataset_entity_count(n), 14965);
    cordon_diff *d = NULL;
    cordon_error err;
    assert_int_equal(cordon_diff_datasets(o, n, &d, &err), 0);
    /* 6870 ent_nums only in the 2024 sdn.csv, 881 only in 2021's; of
     * the 8095 in both, 1312 differ */
    totals(d, 6870, 881, 1312, 6783);
    /* sorted by id */
    for (size_t i = 1; i < cordon_diff_count(d); i++)
        assert_true(strcmp(cordon_diff_get(d, i - 1)->id, cordon_diff_get(d, i)->id) < 0);

    /* GULF CARTEL: 2021 alt.csv has only "CARDENAS GUILLEN ORGANIZATION";
     * 2025 alt.csv has "CARTEL DEL GOLFO" and "OSIEL CARDENAS-GUILLEN
     * ORGANIZATION", the 2024 remarks "a.k.a. 'CDG'." and the program
     * "SDNTK] [ILLICIT-DRUGS-EO14059" */
    const cordon_entity_diff *x = find(d, "ofac_sdn:10386");
    assert_non_null(x);
    assert_int_equal(x->change, CORDON_CHANGE_CHANGED);
    assert_int_equal(x->fields, CORDON_DIFF_NAMES | CORDON_DIFF_PROGRAMS);
    char *j = cordon_entity_diff_json(x);
    assert_string_equal(
        j, "{\"change\":\"changed\",\"id\":\"ofac_sdn:10386\",\"name\":\"GULF CARTEL\","
           "\"fields\":[\"names\",\"programs\"],\"names_added\":[{\"name\":\"CDG\",\"kind\":"
           "\"weak\"},{\"name\":\"CARTEL DEL GOLFO\",\"kind\":\"strong\"},{\"name\":\"OSIEL "
           "CARDENAS-GUILLEN ORGANIZATION\",\"kind\":\"strong\"}],\"names_removed\":[{\"name\":"
           "\"CARDENAS GUILLEN ORGANIZATION\",\"kind\":\"strong\"}],\"ids_added\":[],"
           "\"ids_removed\":[],\"programs_added\":[\"ILLICIT-DRUGS-EO14059\"],"
           "\"programs_removed\":[]}");
    cordon_free(j);
    assert_int_equal(x->n_names_added, 3);
    assert_string_equal(x->names_added[1]->value, "CARTEL DEL GOLFO");
    assert_int_equal(x->n_programs_added, 1);
    assert_string_equal(x->programs_added[0], "ILLICIT-DRUGS-EO14059");
    assert_string_equal(x->old_entity->names[0].value, "GULF CARTEL");

    /* an alias dropped: 2021 alt.csv row 10090 "PEREGRINA TOBOADO" */
    x = find(d, "ofac_sdn:10355");
    assert_non_null(x);
    assert_int_equal(x->fields,
                     CORDON_DIFF_NAMES | CORDON_DIFF_COUNTRIES | CORDON_DIFF_ADDRESSES);
    assert_int_equal(x->n_names_added, 0);
    assert_int_equal(x->n_names_removed, 1);
    assert_string_equal(x->names_removed[0]->value, "PEREGRINA TOBOADO, Jose Antonio");
    assert_int_equal(x->names_removed[0]->kind, CORDON_NAME_STRONG);

    /* removed and added entities carry their record */
    x = find(d, "ofac_sdn:10350");
    assert_non_null(x);
    assert_int_equal(x->change, CORDON_CHANGE_REMOVED);
    assert_null(x->new_entity);
    assert_string_equal(x->old_entity->names[0].value, "ZAMBADA NIEBLA, Vicente");
    assert_int_equal(x->fields, 0);
    x = find(d, "ofac_sdn:35096");
    assert_non_null(x);
    assert_int_equal(x->change, CORDON_CHANGE_ADDED);
    assert_null(x->old_entity);
    assert_string_equal(x->new_entity->names[0].value, "PUTIN, Vladimir Vladimirovich");
    j = cordon_entity_diff_json(x);
    assert_non_null(strstr(j, "{\"change\":\"added\",\"id\":\"ofac_sdn:35096\",\"name\":\"PUTIN, "
                              "Vladimir Vladimirovich\",\"fields\":[],\"names_added\":[]"));
    assert_non_null(strstr(j, ",\"entity\":{\"id\":\"ofac_sdn:35096\""));
    cordon_free(j);
    assert_null(find(d, "ofac_sdn:306")); /* unchanged entities are not entries */
    cordon_diff_free(d);

    /* the other way round: added and removed swap */
    assert_int_equal(cordon_diff_datasets(n, o, &d, &err), 0);
    totals(d, 881, 6870, 1312, 6783);
    x = find(d, "ofac_sdn:10386");
    assert_int_equal(x->n_names_added, 1);
    assert_int_equal(x->n_names_removed, 3);
    assert_int_equal(x->n_programs_removed, 1);
    cordon_diff_free(d);

    /* a version against itself */
    assert_int_equal(cordon_diff_datasets(n, n, &d, &err), 0);
    totals(d, 0, 0, 0, 14965);
    cordon_diff_free(d);
    cordon_dataset_free(o);
    cordon_dataset_free(n);
}

static void test_ofsi_versions(void **state)
{
    (void)state;
    cordon_dataset *o = load_conf("tests/data/diff/ofsi_2023-06-05.conf");
    cordon_dataset *n = load_conf("tests/data/diff/ofsi_2025-04-14.conf");
    cordon_diff *d = NULL;
    cordon_error err;
    assert_int_equal(cordon_diff_datasets(o, n, &d, &err), 0);
    /* Group IDs: 3993 in 2023, 4688 in 2025, 3862 in both */
    totals(d, 826, 131, 312, 3550);
    /* GBAE: the remarks gained "Changed name as Ministry of Atomic
     * Energy Industry (KPe.027) in 2013." and nothing else changed */
    const cordon_entity_diff *x = find(d, "uk_ofsi:10912");
    assert_non_null(x);
    assert_int_equal(x->fields, CORDON_DIFF_OTHER);
    assert_string_equal(x->old_entity->listed_on, x->new_entity->listed_on);
    assert_null(strstr(x->old_entity->remarks, "Changed name"));
    assert_non_null(strstr(x->new_entity->remarks,
                           "Changed name as Ministry of Atomic Energy Industry (KPe.027) in "
                           "2013."));
    /* an alias spelling added for HWANG Sok-hwa */
    x = find(d, "uk_ofsi:10916");
    assert_non_null(x);
    assert_int_equal(x->fields, CORDON_DIFF_NAMES | CORDON_DIFF_BIRTH);
    assert_int_equal(x->n_names_added, 1);
    assert_string_equal(x->names_added[0]->value, "SOK HA, Hwang");
    assert_int_equal(x->n_names_removed, 0);
    cordon_diff_free(d);

    /* compiled, both versions give the same diff */
    cordon_index *oi = NULL, *ni = NULL;
    assert_int_equal(cordon_index_build(o, &oi, &err), 0);
    assert_int_equal(cordon_index_build(n, &ni, &err), 0);
    assert_int_equal(cordon_diff_indexes(oi, ni, &d, &err), 0);
    totals(d, 826, 131, 312, 3550);
    x = find(d, "uk_ofsi:10916");
    assert_non_null(x);
    assert_int_equal(x->fields, CORDON_DIFF_NAMES | CORDON_DIFF_BIRTH);
    cordon_diff_free(d);
    cordon_index_close(oi);
    cordon_index_close(ni);
    cordon_dataset_free(o);
    cordon_dataset_free(n);
}

/* The hash is the same from a dataset and from its index, and does not
 * see where in the file an entity stands. */
static void test_entity_hash(void **state)
{
    (void)state;
    const char *un[] = {"data/lists/un_sc/2026-02-27/UN_consolidated.xml"};
    cordon_dataset *ds = test_load("un_sc", CORDON_FORMAT_UN_XML, un, 1);
    cordon_index *idx = NULL;
    cordon_error err;
    assert_int_equal(cordon_index_build(ds, &idx, &err), 0);
    assert_int_equal(cordon_index_entity_count(idx), cordon_dataset_entity_count(ds));
    for (size_t i = 0; i < cordon_index_entity_count(idx); i++) {
        cordon_entity *e = NULL;
        assert_int_equal(cordon_index_entity(idx, i, &e, &err), 0);
        const cordon_entity *f = cordon_dataset_find(ds, e->id, strlen(e->id));
        assert_non_null(f);
        char a[65], b[65];
        cordon_entity_hash(e, a);
        cordon_entity_hash(f, b);
        if (strcmp(a, b))
            fail_msg("%s hashes differently from the index", e->id);
        cordon_entity_free(e);
    }
    /* the same file with lines added above every entity */
    FILE *in = fopen(un[0], "rb");
    assert_non_null(in);
    fseek(in, 0, SEEK_END);
    long len = ftell(in);
    fseek(in, 0, SEEK_SET);
    char *text = malloc((size_t)len + 1);
    assert_int_equal(fread(text, 1, (size_t)len, in), (size_t)len);
    fclose(in);
    text[len] = '\0';
    const char *start = strstr(text, "<CONSOLIDATED_LIST");
    assert_non_null(start);
    size_t head = (size_t)(start - text);
    char *moved = malloc((size_t)len + 64);
    memcpy(moved, text, head);
    memcpy(moved + head, "\n\n\n\n\n", 5);
    memcpy(moved + head + 5, start, (size_t)len - head);
    char *path = test_write_temp(moved, (size_t)len + 5, ".xml");
    const char *files[] = {path};
    cordon_dataset *ds2 = test_load("un_sc", CORDON_FORMAT_UN_XML, files, 1);
    const cordon_entity *e1 = cordon_dataset_entity(ds, 0), *e2 = cordon_dataset_entity(ds2, 0);
    assert_int_equal(e2->origin_line, e1->origin_line + 5);
    cordon_diff *d = NULL;
    assert_int_equal(cordon_diff_datasets(ds, ds2, &d, &err), 0);
    totals(d, 0, 0, 0, cordon_dataset_entity_count(ds));
    cordon_diff_free(d);
    /* while any field does change it */
    char h1[65], h2[65];
    cordon_entity_hash(e1, h1);
    cordon_entity e = *e1;
    e.remarks = "another remark";
    cordon_entity_hash(&e, h2);
    assert_string_not_equal(h1, h2);
    e = *e1;
    e.schema = CORDON_SCHEMA_ORGANIZATION;
    cordon_entity_hash(&e, h2);
    assert_string_not_equal(h1, h2);
    e = *e1;
    e.n_names = 0;
    cordon_entity_hash(&e, h2);
    assert_string_not_equal(h1, h2);
    unlink(path);
    free(path);
    free(moved);
    free(text);
    cordon_dataset_free(ds2);
    cordon_index_close(idx);
    cordon_dataset_free(ds);
}

static void test_names_and_errors(void **state)
{
    (void)state;
    assert_string_equal(cordon_change_name(CORDON_CHANGE_ADDED), "added");
    assert_string_equal(cordon_change_name(CORDON_CHANGE_REMOVED), "removed");
    assert_string_equal(cordon_change_name(CORDON_CHANGE_CHANGED), "changed");
    const char *want[] = {"names",     "identifiers", "programs", "schema",
                          "birth",     "countries",   "addresses", "other"};
    for (unsigned i = 0; i < 8; i++)
        assert_string_equal(cordon_diff_field_name(1u << i), want[i]);
    assert_null(cordon_diff_field_name(3));
    assert_null(cordon_diff_field_name(1u << 8));
    cordon_diff *d = (cordon_diff *)1;
    cordon_error err;
    assert_int_equal(cordon_diff_datasets(NULL, NULL, &d, &err), CORDON_EINVAL);
    assert_null(d);
    assert_int_equal(cordon_diff_indexes(NULL, NULL, &d, &err), CORDON_EINVAL);
    assert_int_equal(cordon_diff_count(NULL), 0);
    assert_null(cordon_diff_get(NULL, 0));
    assert_null(cordon_entity_diff_json(NULL));
    cordon_diff_free(NULL);
    char h[65];
    cordon_entity_hash(NULL, h);
    assert_int_equal(strlen(h), 64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sdn_versions),
        cmocka_unit_test(test_ofsi_versions),
        cmocka_unit_test(test_entity_hash),
        cmocka_unit_test(test_names_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
