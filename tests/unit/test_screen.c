/*
 * test_screen.c — lib/screen.c and lib/explain.c on the default bundle:
 * the acceptance cases of issue 4 (tests/data/screen/acceptance.tsv),
 * bad input, secondary fields and their explanations, the JSON shape,
 * OFAC parity mode, one index shared by several threads, numerals,
 * generations and titles in real listed names, and screening restricted
 * to some entities.
 */
#include "test_util.h"

#include <jansson.h>
#include <pthread.h>

#include "index_int.h"

static cordon_index *idx; /* the default bundle, built once */

static int setup(void **state)
{
    (void)state;
    cordon_error err;
    cordon_config *cfg = NULL;
    if (cordon_config_read("data/lists.conf", &cfg, &err) != 0)
        return -1;
    cordon_dataset *ds = cordon_dataset_new();
    int rc = cordon_dataset_load_config(ds, cfg, &err);
    cordon_config_free(cfg);
    if (rc == 0)
        rc = cordon_index_build(ds, &idx, &err);
    cordon_dataset_free(ds);
    if (rc) {
        char buf[1200];
        fprintf(stderr, "setup: %s\n", cordon_error_format(&err, buf, sizeof buf));
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cordon_index_close(idx);
    return 0;
}

static cordon_result *screen(const char *name, const cordon_query *base,
                             const cordon_screen_options *o)
{
    cordon_query q = {0};
    if (base)
        q = *base;
    q.name = name;
    q.name_len = strlen(name);
    cordon_result *r = NULL;
    cordon_error err;
    int rc = cordon_screen(idx, &q, o, &r, &err);
    if (rc) {
        char buf[1200];
        fail_msg("screen \"%s\": %s", name, cordon_error_format(&err, buf, sizeof buf));
    }
    return r;
}

static const cordon_match *find(const cordon_result *r, const char *id)
{
    for (size_t i = 0; i < r->n_matches; i++)
        if (r->matches[i].id && !strcmp(r->matches[i].id, id))
            return &r->matches[i];
    return NULL;
}

static const cordon_adjustment *adjustment(const cordon_match *m, const char *field)
{
    for (size_t i = 0; i < m->explanation.n_adjustments; i++)
        if (!strcmp(m->explanation.adjustments[i].field, field))
            return &m->explanation.adjustments[i];
    return NULL;
}

/* ---- acceptance -------------------------------------------------------------------- */

static void test_acceptance(void **state)
{
    (void)state;
    FILE *f = fopen("tests/data/screen/acceptance.tsv", "r");
    assert_non_null(f);
    char line[2048];
    int cases = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *expect = line, *opts = strchr(line, '\t');
        assert_non_null(opts);
        *opts++ = '\0';
        char *name = strchr(opts, '\t');
        assert_non_null(name);
        *name++ = '\0';
        cordon_query q = {0};
        cordon_date dob;
        cordon_query_id id;
        if (strcmp(opts, "-")) {
            for (char *tok = strtok(opts, ","); tok; tok = strtok(NULL, ",")) {
                char *v = strchr(tok, '=');
                assert_non_null(v);
                *v++ = '\0';
                if (!strcmp(tok, "type")) {
                    assert_int_equal(cordon_schema_parse(v, strlen(v), &q.schema), 0);
                } else if (!strcmp(tok, "dob")) {
                    assert_int_equal(cordon_date_parse(v, strlen(v), &dob), 0);
                    q.birth_date = &dob;
                } else if (!strcmp(tok, "country")) {
                    q.country = v;
                    q.country_len = strlen(v);
                } else if (!strcmp(tok, "id")) {
                    id = (cordon_query_id){CORDON_ID_OTHER, v, strlen(v)};
                    q.ids = &id;
                    q.n_ids = 1;
                } else {
                    fail_msg("unknown option %s", tok);
                }
            }
        }
        q.name = name;
        q.name_len = strlen(name);
        cordon_result *r = NULL;
        cordon_error err;
        if (cordon_screen(idx, &q, NULL, &r, &err) != 0)
            fail_msg("screen \"%s\": %s", name, err.message);
        if (!strcmp(expect, "-")) {
            if (r->n_matches)
                fail_msg("\"%s\": expected no match, got %s %.3f", name, r->matches[0].id,
                         r->matches[0].score);
        } else if (expect[0] == '+') {
            if (!find(r, expect + 1))
                fail_msg("\"%s\": %s not among %zu matches", name, expect + 1, r->n_matches);
        } else {
            if (!r->n_matches || strcmp(r->matches[0].id, expect))
                fail_msg("\"%s\": expected %s first, got %s", name, expect,
                         r->n_matches ? r->matches[0].id : "nothing");
            assert_true(r->matches[0].score >= r->threshold);
        }
        /* sorted by score, highest first, all at or above the threshold */
        for (size_t i = 0; i < r->n_matches; i++) {
            assert_true(r->matches[i].score >= r->threshold);
            if (i)
                assert_true(r->matches[i - 1].score >= r->matches[i].score);
        }
        cordon_result_free(r);
        cases++;
    }
    fclose(f);
    assert_int_equal(cases, 22);
}

/* ---- bad input ------------------------------------------------------------------------ */

static int screen_fails(const char *name, size_t len, const cordon_query *base,
                        const cordon_screen_options *o)
{
    cordon_query q = {0};
    if (base)
        q = *base;
    q.name = name;
    q.name_len = len;
    cordon_result *r = (cordon_result *)1;
    cordon_error err;
    memset(&err, 0, sizeof err);
    int rc = cordon_screen(idx, &q, o, &r, &err);
    assert_true(rc < 0);
    assert_null(r);
    assert_int_equal(err.code, rc);
    assert_true(err.message[0] != '\0');
    return rc;
}

static void test_bad_input(void **state)
{
    (void)state;
    assert_int_equal(screen_fails("", 0, NULL, NULL), CORDON_EEMPTY);
    assert_int_equal(screen_fails("  ", 2, NULL, NULL), CORDON_EEMPTY);
    assert_int_equal(screen_fails("...,;-!", 7, NULL, NULL), CORDON_EEMPTY);
    assert_int_equal(screen_fails("Putin\xff", 6, NULL, NULL), CORDON_EUTF8);
    assert_int_equal(screen_fails("\xc3\x28", 2, NULL, NULL), CORDON_EUTF8);
    assert_int_equal(screen_fails("Put\0in", 6, NULL, NULL), CORDON_EINVAL);
    size_t big = 1u << 20;
    char *mb = malloc(big);
    memset(mb, 'a', big);
    for (size_t i = 7; i < big; i += 8)
        mb[i] = ' ';
    assert_int_equal(screen_fails(mb, big, NULL, NULL), CORDON_ETOOBIG);
    free(mb);
    cordon_query q = {.country = "Narnia", .country_len = 6};
    assert_int_equal(screen_fails("Vladimir Putin", 14, &q, NULL), CORDON_EINVAL);
    cordon_query qs = {.schema = (cordon_schema)42};
    assert_int_equal(screen_fails("Vladimir Putin", 14, &qs, NULL), CORDON_EINVAL);
    cordon_date bad = {.year = 0};
    cordon_query qd = {.birth_date = &bad};
    assert_int_equal(screen_fails("Vladimir Putin", 14, &qd, NULL), CORDON_EDATE);
    cordon_screen_options o1 = {.threshold = 1.5};
    assert_int_equal(screen_fails("Vladimir Putin", 14, NULL, &o1), CORDON_EINVAL);
    cordon_screen_options o2 = {.limit = CORDON_SCREEN_MAX_LIMIT + 1};
    assert_int_equal(screen_fails("Vladimir Putin", 14, NULL, &o2), CORDON_EINVAL);
    cordon_screen_options o3 = {.algorithm = (cordon_algorithm)7};
    assert_int_equal(screen_fails("Vladimir Putin", 14, NULL, &o3), CORDON_EINVAL);
    cordon_query_id ids[CORDON_QUERY_MAX_IDS + 1];
    for (size_t i = 0; i <= CORDON_QUERY_MAX_IDS; i++)
        ids[i] = (cordon_query_id){CORDON_ID_OTHER, "1234567", 7};
    cordon_query qi = {.ids = ids, .n_ids = CORDON_QUERY_MAX_IDS + 1};
    assert_int_equal(screen_fails("x", 1, &qi, NULL), CORDON_EINVAL);
    cordon_query_id tiny = {CORDON_ID_OTHER, "1-", 2};
    cordon_query qt = {.ids = &tiny, .n_ids = 1};
    assert_int_equal(screen_fails("", 0, &qt, NULL), CORDON_EINVAL);
    cordon_error err;
    cordon_result *r = NULL;
    assert_int_equal(cordon_screen(idx, NULL, NULL, &r, &err), CORDON_EINVAL);
    assert_int_equal(cordon_screen(NULL, &q, NULL, &r, &err), CORDON_EINVAL);
    cordon_result_free(NULL);
}

/* ---- secondary fields ---------------------------------------------------------------- */

static void test_secondary_fields(void **state)
{
    (void)state;
    /* PUTIN, Vladimir Vladimirovich: born 07 Oct 1952, Russia */
    cordon_date d;
    assert_int_equal(cordon_date_parse("1952-10-07", 10, &d), 0);
    cordon_query q = {.birth_date = &d, .country = "RU", .country_len = 2,
                      .schema = CORDON_SCHEMA_PERSON};
    cordon_result *r = screen("Vladimir Putin", &q, NULL);
    const cordon_match *m = find(r, "ofac_sdn:35096");
    assert_non_null(m);
    assert_float_equal(m->score, 1.0, 1e-9);
    const cordon_adjustment *a = adjustment(m, "birth_date");
    assert_non_null(a);
    assert_true(a->delta > 0);
    assert_non_null(strstr(a->reason, "equals"));
    assert_non_null(adjustment(m, "schema"));
    assert_int_equal(m->explanation.qualifiers, CORDON_QUALIFIER_SCHEMA |
                                                    CORDON_QUALIFIER_BIRTH_DATE |
                                                    CORDON_QUALIFIER_COUNTRY);
    cordon_result_free(r);

    /* a contradicting birth year costs */
    assert_int_equal(cordon_date_parse("1980", 4, &d), 0);
    cordon_query q2 = {.birth_date = &d};
    cordon_screen_options low = {.threshold = 0.5};
    r = screen("Vladimir Putin", &q2, &low);
    m = find(r, "ofac_sdn:35096");
    assert_non_null(m);
    a = adjustment(m, "birth_date");
    assert_non_null(a);
    assert_true(a->delta < 0);
    assert_non_null(strstr(a->reason, "contradicts"));
    assert_true(m->score < 0.9);
    cordon_result_free(r);

    /* a person query is not satisfied by a vessel */
    cordon_query qp = {.schema = CORDON_SCHEMA_PERSON};
    r = screen("Graceful", &qp, &low);
    m = find(r, "ofac_sdn:37444");
    assert_non_null(m);
    a = adjustment(m, "schema");
    assert_non_null(a);
    assert_true(a->delta <= -0.3);
    cordon_result_free(r);

    /* an identifier alone: exact, score 1, explained */
    cordon_query_id id = {CORDON_ID_IMO, "1011551", 7};
    cordon_query qi = {.ids = &id, .n_ids = 1};
    cordon_result *ri = NULL;
    cordon_error err;
    assert_int_equal(cordon_screen(idx, &qi, NULL, &ri, &err), 0);
    assert_int_equal(ri->n_matches, 1);
    assert_string_equal(ri->matches[0].id, "ofac_sdn:37444");
    assert_float_equal(ri->matches[0].score, 1.0, 0);
    assert_non_null(ri->matches[0].explanation.identifier);
    assert_non_null(strstr(ri->matches[0].explanation.identifier, "1011551"));
    cordon_result_free(ri);
    /* the wrong identifier type does not match */
    id.type = CORDON_ID_PASSPORT;
    assert_int_equal(cordon_screen(idx, &qi, NULL, &ri, &err), 0);
    assert_int_equal(ri->n_matches, 0);
    cordon_result_free(ri);
}

static void test_explanation(void **state)
{
    (void)state;
    cordon_result *r = screen("V. V. Putin", NULL, NULL);
    const cordon_match *m = find(r, "ofac_sdn:35096");
    assert_non_null(m);
    const cordon_explanation *x = &m->explanation;
    assert_string_equal(x->matched_name, "PUTIN, Vladimir Vladimirovich");
    assert_int_equal(x->matched_kind, CORDON_NAME_PRIMARY);
    int initials = 0, exact = 0;
    double sum = 0;
    for (size_t i = 0; i < x->n_pairs; i++) {
        if (!strcmp(x->pairs[i].method, "initial"))
            initials++;
        if (!strcmp(x->pairs[i].method, "exact")) {
            exact++;
            assert_string_equal(x->pairs[i].query, "putin");
            assert_string_equal(x->pairs[i].listed, "putin");
            assert_float_equal(x->pairs[i].score, 1.0, 0);
        }
        if (x->pairs[i].query && x->pairs[i].listed)
            sum += x->pairs[i].weight;
    }
    assert_int_equal(initials, 2);
    assert_int_equal(exact, 1);
    assert_float_equal(sum, 1.0, 0.01); /* query weight shares add up */
    char reason[512];
    size_t need = cordon_match_reason(m, reason, sizeof reason);
    assert_int_equal(need, strlen(reason));
    assert_non_null(strstr(reason, "PUTIN, Vladimir Vladimirovich"));
    assert_non_null(strstr(reason, "initial"));
    char tiny[8];
    assert_int_equal(cordon_match_reason(m, tiny, sizeof tiny), need);
    assert_int_equal(strlen(tiny), 7);
    char *text = cordon_match_explain(m);
    assert_non_null(strstr(text, "matched name: \"PUTIN, Vladimir Vladimirovich\""));
    assert_non_null(strstr(text, "putin"));
    cordon_free(text);
    cordon_result_free(r);
}

/* ---- numerals and titles ------------------------------------------------------------------ */

static const cordon_token_pair *pair_of(const cordon_match *m, const char *query)
{
    for (size_t i = 0; i < m->explanation.n_pairs; i++)
        if (m->explanation.pairs[i].query && !strcmp(m->explanation.pairs[i].query, query))
            return &m->explanation.pairs[i];
    return NULL;
}

/* The SPARTA vessels of the SDN list (II 36696, 37027 plain, III 37028,
 * IV 37029) and BICENTENARIO I..V: a numeral tells them apart. */
static void test_vessel_numerals(void **state)
{
    (void)state;
    const char *queries[] = {"SPARTA IV", "SPARTA 4", "Sparta iv"};
    const cordon_schema schemas[] = {CORDON_SCHEMA_VESSEL, CORDON_SCHEMA_UNKNOWN};
    for (size_t k = 0; k < 3; k++)
        for (size_t sc = 0; sc < 2; sc++) {
            cordon_query base = {.schema = schemas[sc]};
            cordon_result *r = screen(queries[k], &base, NULL);
            /* the same vessel exactly; the unnumbered SPARTA below it; II
             * and III under the threshold */
            assert_int_equal(r->n_matches, 2);
            assert_string_equal(r->matches[0].id, "ofac_sdn:37029");
            assert_float_equal(r->matches[0].score, 1.0, 0);
            assert_string_equal(r->matches[1].id, "ofac_sdn:37027");
            assert_true(r->matches[1].score >= 0.85 && r->matches[1].score < 0.95);
            const cordon_adjustment *a = adjustment(&r->matches[1], "numeral");
            assert_non_null(a);
            assert_float_equal(a->delta, -0.05, 1e-6);
            assert_non_null(strstr(a->reason, "query numeral 4 is not in the listed name"));
            cordon_result_free(r);
        }
    cordon_query vessel = {.schema = CORDON_SCHEMA_VESSEL};
    cordon_screen_options low = {.threshold = 0.5};
    cordon_result *r = screen("SPARTA IV", &vessel, &low);
    const cordon_match *m = find(r, "ofac_sdn:36696");
    assert_non_null(m);
    assert_true(m->score < 0.7);
    const cordon_token_pair *p = pair_of(m, "4");
    assert_non_null(p);
    assert_string_equal(p->listed, "2");
    assert_string_equal(p->method, "numeral");
    assert_float_equal(p->score, 0.0, 0);
    const cordon_adjustment *a = adjustment(m, "numeral");
    assert_non_null(a);
    assert_float_equal(a->delta, -0.20, 1e-6);
    assert_string_equal(a->reason, "query numeral 4 differs from the listed 2");
    /* name score + adjustments = score */
    double sum = m->explanation.name_score;
    for (size_t i = 0; i < m->explanation.n_adjustments; i++)
        sum += m->explanation.adjustments[i].delta;
    assert_float_equal(sum, m->score, 1e-4);
    char reason[512];
    cordon_match_reason(m, reason, sizeof reason);
    assert_non_null(strstr(reason, "4~2 numeral 0.00"));
    cordon_result_free(r);

    /* the plain name ranks its own vessel first, the numbered ones below 1 */
    r = screen("SPARTA", &vessel, NULL);
    assert_int_equal(r->n_matches, 4);
    assert_string_equal(r->matches[0].id, "ofac_sdn:37027");
    assert_float_equal(r->matches[0].score, 1.0, 0);
    for (size_t i = 1; i < 4; i++)
        assert_true(r->matches[i].score < 0.95);
    cordon_result_free(r);

    r = screen("BICENTENARIO IV", NULL, NULL);
    assert_int_equal(r->n_matches, 1);
    assert_string_equal(r->matches[0].id, "ofac_sdn:26637");
    cordon_result_free(r);

    /* "ARGO I" (15038): a query initial I against the listed numeral 1 */
    r = screen("ARGO I", NULL, NULL);
    assert_true(r->n_matches >= 1);
    assert_string_equal(r->matches[0].id, "ofac_sdn:15038");
    assert_float_equal(r->matches[0].score, 1.0, 0);
    p = pair_of(&r->matches[0], "i");
    assert_non_null(p);
    assert_string_equal(p->listed, "1");
    assert_string_equal(p->method, "numeral");
    cordon_result_free(r);
}

/* Generations of people: KINAHAN, Christopher Vincent (34980) and his son
 * KINAHAN JUNIOR (34993); DELOS REYES, Feliciano Semborio, Jr. (10851). */
static void test_generations(void **state)
{
    (void)state;
    cordon_result *r = screen("Christopher Vincent Kinahan", NULL, NULL);
    assert_true(r->n_matches >= 2);
    assert_string_equal(r->matches[0].id, "ofac_sdn:34980");
    assert_float_equal(r->matches[0].score, 1.0, 0);
    assert_string_equal(r->matches[1].id, "ofac_sdn:34993");
    assert_true(r->matches[1].score > 0.95 && r->matches[1].score < 1.0); /* a missing Jr costs little */
    cordon_result_free(r);
    r = screen("Christopher Vincent Kinahan Jr.", NULL, NULL);
    assert_string_equal(r->matches[0].id, "ofac_sdn:34993");
    assert_float_equal(r->matches[0].score, 1.0, 0);
    assert_string_equal(r->matches[1].id, "ofac_sdn:34980");
    assert_true(r->matches[1].score < 1.0);
    cordon_result_free(r);

    cordon_query person = {.schema = CORDON_SCHEMA_PERSON};
    r = screen("Feliciano Semborio Delos Reyes Sr", &person, NULL);
    const cordon_match *m = find(r, "un_sc:QDi.243");
    assert_non_null(m);
    const cordon_token_pair *p = pair_of(m, "sr");
    assert_non_null(p);
    assert_string_equal(p->listed, "jr");
    assert_string_equal(p->method, "numeral");
    const cordon_adjustment *a = adjustment(m, "numeral");
    assert_non_null(a);
    assert_float_equal(a->delta, -0.10, 1e-6);
    assert_string_equal(a->reason, "query generation sr differs from the listed jr");
    cordon_result_free(r);
}

/* "ABU-MARZUQ, Dr. Musa" (an alias of 3754): Dr is a title, not a name. */
static void test_titles(void **state)
{
    (void)state;
    cordon_result *r = screen("Musa Abu Marzuq", NULL, NULL);
    assert_true(r->n_matches >= 1);
    const cordon_match *m = &r->matches[0];
    assert_string_equal(m->id, "ofac_sdn:3754");
    assert_string_equal(m->explanation.matched_name, "ABU-MARZUQ, Dr. Musa");
    assert_float_equal(m->score, 1.0, 0);
    for (size_t i = 0; i < m->explanation.n_pairs; i++)
        assert_true(!m->explanation.pairs[i].listed || strcmp(m->explanation.pairs[i].listed, "dr"));
    cordon_result_free(r);
}

/* ---- JSON -------------------------------------------------------------------------------- */

static void test_json(void **state)
{
    (void)state;
    cordon_result *r = screen("Kim Jong Un", NULL, NULL);
    char *s = cordon_result_json(r);
    assert_non_null(s);
    assert_null(strchr(s, '\n'));
    json_error_t je;
    json_t *o = json_loads(s, 0, &je);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "query")), "Kim Jong Un");
    assert_float_equal(json_real_value(json_object_get(o, "threshold")),
                       cordon_default_threshold(CORDON_ALGORITHM_DEFAULT), 1e-9);
    json_t *ms = json_object_get(o, "matches");
    assert_int_equal(json_array_size(ms), r->n_matches);
    json_t *m0 = json_array_get(ms, 0);
    const char *keys[] = {"id", "source", "schema", "name", "matched_name", "score", "reason",
                          "explanation"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        assert_non_null(json_object_get(m0, keys[k]));
    assert_string_equal(json_string_value(json_object_get(m0, "id")), "ofac_sdn:20157");
    assert_string_equal(json_string_value(json_object_get(m0, "schema")), "person");
    json_t *x = json_object_get(m0, "explanation");
    assert_true(json_is_array(json_object_get(x, "tokens")));
    assert_true(json_is_array(json_object_get(x, "adjustments")));
    assert_int_equal(json_array_size(json_object_get(x, "tokens")),
                     r->matches[0].explanation.n_pairs);
    json_decref(o);
    cordon_free(s);
    cordon_result_free(r);

    /* a comparison has its own shape */
    cordon_error err;
    assert_int_equal(cordon_compare(NULL, "Vladimir Putin", 14, "PUTIN, Vladimir", 15,
                                    CORDON_SCHEMA_PERSON, NULL, &r, &err),
                     0);
    s = cordon_result_json(r);
    o = json_loads(s, 0, &je);
    assert_non_null(o);
    assert_int_equal(json_object_size(o), 4);
    assert_float_equal(json_real_value(json_object_get(o, "score")), 1.0, 1e-9);
    assert_true(json_is_true(json_object_get(o, "match")));
    assert_non_null(json_object_get(o, "explanation"));
    json_decref(o);
    cordon_free(s);
    cordon_result_free(r);
}

/* ---- OFAC parity mode --------------------------------------------------------------------- */

static void test_ofac_mode(void **state)
{
    (void)state;
    cordon_screen_options o = {.algorithm = CORDON_ALGORITHM_OFAC};
    cordon_result *r = screen("VLADIMIR PUTIN", NULL, &o);
    assert_int_equal(r->algorithm, CORDON_ALGORITHM_OFAC);
    assert_float_equal(r->threshold, cordon_default_threshold(CORDON_ALGORITHM_OFAC), 1e-9);
    const cordon_match *m = find(r, "ofac_sdn:35096");
    assert_non_null(m);
    assert_float_equal(m->score, 1.0, 1e-9);
    assert_non_null(adjustment(m, "algorithm"));
    cordon_result_free(r);
    cordon_algorithm a;
    assert_int_equal(cordon_algorithm_parse("OFAC", 4, &a), 0);
    assert_int_equal(a, CORDON_ALGORITHM_OFAC);
    assert_int_equal(cordon_algorithm_parse("x", 1, &a), CORDON_ENOTFOUND);
    assert_string_equal(cordon_algorithm_name(CORDON_ALGORITHM_DEFAULT), "default");
}

/* ---- threads -------------------------------------------------------------------------------- */

static const char *const thread_queries[] = {
    "Kim Jong Un", "Vladimir Putin", "김정은", "Ким Чен Ын", "Mohammed Ali Hassan",
    "Osama bin Laden", "Graceful", "John Smith", "Li Wei", "Bashar al-Assad",
};
#define NTQ (sizeof thread_queries / sizeof thread_queries[0])

static char *expected_json[NTQ];

static void *worker(void *arg)
{
    int *bad = arg;
    for (int rep = 0; rep < 20; rep++)
        for (size_t i = 0; i < NTQ; i++) {
            cordon_query q = {.name = thread_queries[i], .name_len = strlen(thread_queries[i])};
            cordon_result *r = NULL;
            cordon_error err;
            if (cordon_screen(idx, &q, NULL, &r, &err) != 0) {
                (*bad)++;
                continue;
            }
            char *s = cordon_result_json(r);
            if (!s || strcmp(s, expected_json[i]))
                (*bad)++;
            cordon_free(s);
            cordon_result_free(r);
        }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    for (size_t i = 0; i < NTQ; i++) {
        cordon_result *r = screen(thread_queries[i], NULL, NULL);
        expected_json[i] = cordon_result_json(r);
        cordon_result_free(r);
    }
    pthread_t th[4];
    int bad[4] = {0};
    for (int t = 0; t < 4; t++)
        assert_int_equal(pthread_create(&th[t], NULL, worker, &bad[t]), 0);
    for (int t = 0; t < 4; t++) {
        pthread_join(th[t], NULL);
        assert_int_equal(bad[t], 0);
    }
    for (size_t i = 0; i < NTQ; i++)
        cordon_free(expected_json[i]);
}

/* Screening restricted to some entities (cx_screen_ext, for monitoring):
 * each entity a whole screening finds gets the same score when the
 * screening is masked to it, or when its names are scored directly; a
 * mask of nothing finds nothing. Real listed names, persons, a vessel,
 * an organisation, and a query with an initial. */
static void test_restricted(void **state)
{
    (void)state;
    static const char *const names[] = {"Kim Jong Un", "Vladimir Putin", "SPARTA IV",
                                        "Banco Nacional de Cuba", "M-Invest",
                                        "Mohammed Ali Hassan"};
    cordon_screen_options o = {.threshold = 0.75, .limit = 50};
    size_t n_ent = cordon_index_entity_count(idx);
    uint8_t *mask = calloc(n_ent, 1);
    assert_non_null(mask);
    size_t checked = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        cordon_query q = {.name = names[i], .name_len = strlen(names[i])};
        cordon_result *whole = screen(names[i], NULL, &o);
        cordon_error err;
        cordon_result *none = NULL;
        cx_screen_ext ext = {.exclude_name = CX_NONE, .mask = mask};
        assert_int_equal(cordon__screen_ext(idx, &q, &o, &ext, &none, &err), 0);
        assert_int_equal(none->n_matches, 0);
        cordon_result_free(none);
        for (size_t m = 0; m < whole->n_matches; m++) {
            uint32_t e = (uint32_t)whole->matches[m].entity;
            mask[e] = 1;
            cordon_result *masked = NULL, *direct = NULL;
            ext = (cx_screen_ext){.exclude_name = CX_NONE, .mask = mask};
            assert_int_equal(cordon__screen_ext(idx, &q, &o, &ext, &masked, &err), 0);
            ext = (cx_screen_ext){.exclude_name = CX_NONE, .only = &e, .n_only = 1};
            assert_int_equal(cordon__screen_ext(idx, &q, &o, &ext, &direct, &err), 0);
            mask[e] = 0;
            assert_int_equal(masked->n_matches, 1);
            assert_int_equal(direct->n_matches, 1);
            assert_string_equal(masked->matches[0].id, whole->matches[m].id);
            assert_string_equal(direct->matches[0].id, whole->matches[m].id);
            assert_true(masked->matches[0].score == whole->matches[m].score);
            assert_true(direct->matches[0].score == whole->matches[m].score);
            cordon_result_free(masked);
            cordon_result_free(direct);
            checked++;
        }
        cordon_result_free(whole);
    }
    free(mask);
    assert_true(checked >= 20); /* the names above find that many */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_acceptance),       cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_secondary_fields), cmocka_unit_test(test_explanation),
        cmocka_unit_test(test_json),             cmocka_unit_test(test_ofac_mode),
        cmocka_unit_test(test_threads),          cmocka_unit_test(test_vessel_numerals),
        cmocka_unit_test(test_generations),      cmocka_unit_test(test_titles),
        cmocka_unit_test(test_restricted),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
