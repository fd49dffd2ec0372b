/*
 * test_result_json.c — cordon_result_json (lib/explain.c) writes its text
 * by hand, for speed; it must give exactly the bytes jansson gave before
 * (json_dumps with JSON_COMPACT | JSON_PRESERVE_ORDER |
 * JSON_REAL_PRECISION(6) of the tree below, the former implementation,
 * kept here as the reference): on real results of the default bundle,
 * and on made-up results with every kind of character to escape, numbers
 * in every form %g takes, and values jansson refuses (text that is not
 * UTF-8, NaN), which drop their key or their whole token pair; and on
 * cordon_compare's answers, whose shape is its own.
 */
#include "test_util.h"

#include <jansson.h>
#include <math.h>

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
    return rc ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    cordon_index_close(idx);
    return 0;
}

/* ---- the reference: the jansson tree cordon_result_json used to build -- */

static const char *const qualifier_names[] = {"schema", "birth_date", "country", "identifier"};

static json_t *jstr(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *ref_explanation(const cordon_match *m)
{
    const cordon_explanation *x = &m->explanation;
    json_t *o = json_object(), *pairs = json_array(), *adjs = json_array(), *quals = json_array();
    json_object_set_new(o, "matched_name", jstr(x->matched_name));
    json_object_set_new(o, "matched_kind", json_string(cordon_name_kind_name(x->matched_kind)));
    json_object_set_new(o, "name_score", json_real(x->name_score));
    for (size_t i = 0; i < x->n_pairs; i++) {
        const cordon_token_pair *p = &x->pairs[i];
        json_array_append_new(pairs, json_pack("{s:o,s:o,s:f,s:f,s:s}", "query", jstr(p->query),
                                               "listed", jstr(p->listed), "score", p->score,
                                               "weight", p->weight, "method", p->method));
    }
    json_object_set_new(o, "tokens", pairs);
    for (size_t i = 0; i < x->n_adjustments; i++) {
        const cordon_adjustment *a = &x->adjustments[i];
        json_array_append_new(adjs, json_pack("{s:s,s:f,s:s}", "field", a->field, "delta",
                                              a->delta, "reason", a->reason));
    }
    json_object_set_new(o, "adjustments", adjs);
    for (unsigned k = 0; k < 4; k++)
        if (x->qualifiers >> k & 1)
            json_array_append_new(quals, json_string(qualifier_names[k]));
    json_object_set_new(o, "qualifiers", quals);
    json_object_set_new(o, "identifier", jstr(x->identifier));
    return o;
}

static char *ref_dump(json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    json_decref(o);
    return s;
}

static char *ref_json(const cordon_result *r)
{
    if (r->is_comparison) {
        const cordon_match *m = r->n_matches ? &r->matches[0] : NULL;
        double score = m ? m->score : 0.0;
        json_t *o = json_object();
        json_object_set_new(o, "score", json_real(score));
        json_object_set_new(o, "match", json_boolean(score >= r->threshold));
        json_object_set_new(o, "threshold", json_real(r->threshold));
        json_object_set_new(o, "explanation", m ? ref_explanation(m) : json_null());
        return ref_dump(o);
    }
    json_t *o = json_object(), *ms = json_array();
    json_object_set_new(o, "query", jstr(r->query));
    json_object_set_new(o, "threshold", json_real(r->threshold));
    json_object_set_new(o, "algorithm", json_string(cordon_algorithm_name(r->algorithm)));
    for (size_t i = 0; i < r->n_matches; i++) {
        const cordon_match *m = &r->matches[i];
        char reason[1024];
        cordon_match_reason(m, reason, sizeof reason);
        json_t *mo = json_object();
        json_object_set_new(mo, "id", jstr(m->id));
        json_object_set_new(mo, "source", jstr(m->source));
        json_object_set_new(mo, "schema", json_string(cordon_schema_name(m->schema)));
        json_object_set_new(mo, "name", jstr(m->name));
        json_object_set_new(mo, "matched_name", jstr(m->explanation.matched_name));
        json_object_set_new(mo, "score", json_real(m->score));
        json_object_set_new(mo, "reason", json_string(reason));
        json_object_set_new(mo, "explanation", ref_explanation(m));
        json_array_append_new(ms, mo);
    }
    json_object_set_new(o, "matches", ms);
    return ref_dump(o);
}

static void assert_same_as_reference(const cordon_result *r)
{
    char *want = ref_json(r);
    char *got = cordon_result_json(r);
    assert_non_null(want);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(want);
    cordon_free(got);
}

/* ---- real results ------------------------------------------------------- */

/* Every 25th primary name of the bundled SDN file, screened with a low
 * threshold and a high limit so that most answers carry many matches,
 * each with its tokens and adjustments, plus identifier-only and
 * qualified queries. */
static void test_real_results(void **state)
{
    (void)state;
    FILE *f = fopen("data/lists/ofac_sdn/sdn_csv_2024-05-03/sdn.csv", "r");
    assert_non_null(f);
    char line[4096];
    size_t row = 0, screened = 0, matches = 0;
    cordon_date dob;
    assert_int_equal(cordon_date_parse("1952-10-07", 10, &dob), 0);
    while (fgets(line, sizeof line, f)) {
        if (row++ % 25)
            continue;
        char *a = strchr(line, '"'), *b = a ? strchr(a + 1, '"') : NULL;
        if (!a || !b || b == a + 1)
            continue;
        *b = '\0';
        cordon_query q = {.name = a + 1, .name_len = (size_t)(b - a - 1)};
        if (screened % 3 == 1) { /* some with qualifiers, for their adjustments */
            q.birth_date = &dob;
            q.country = "RU";
            q.country_len = 2;
            q.schema = CORDON_SCHEMA_PERSON;
        }
        cordon_screen_options o = {.threshold = 0.3, .limit = 40};
        cordon_result *r = NULL;
        cordon_error err;
        assert_int_equal(cordon_screen(idx, &q, &o, &r, &err), 0);
        assert_same_as_reference(r);
        matches += r->n_matches;
        screened++;
        cordon_result_free(r);
    }
    fclose(f);
    assert_int_equal(screened, 599); /* one row in 25 of the file's 14,965 */
    assert_true(matches > screened * 10);
    /* an identifier-only query: no name in the query */
    cordon_query_id id = {CORDON_ID_OTHER, "IMO 9191735", 11};
    cordon_query q = {.ids = &id, .n_ids = 1};
    cordon_result *r = NULL;
    cordon_error err;
    assert_int_equal(cordon_screen(idx, &q, NULL, &r, &err), 0);
    assert_same_as_reference(r);
    cordon_result_free(r);
}

/* cordon_compare's answers ({"score", "match", "threshold", "explanation"}):
 * the README's pairs, a pair that scores nothing, and a match and a
 * non-match at the default threshold. */
static void test_comparisons(void **state)
{
    (void)state;
    static const struct { const char *a, *b; int match; } pairs[] = {
        {"Kim Jong-un", "KIM, Jong Un", 1},
        {"Vladimir Poutine", "PUTIN, Vladimir Vladimirovich", 1},
        {"Владимир Путин", "PUTIN, Vladimir", 1},
        {"SPARTA IV", "SPARTA II", 0},
        {"John Smith", "KIM, Jong Un", 0},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        cordon_result *r = NULL;
        cordon_error err;
        assert_int_equal(cordon_compare(idx, pairs[i].a, strlen(pairs[i].a), pairs[i].b,
                                        strlen(pairs[i].b), CORDON_SCHEMA_UNKNOWN, NULL, &r,
                                        &err),
                         0);
        assert_true(r->is_comparison);
        assert_same_as_reference(r);
        char *s = cordon_result_json(r);
        assert_non_null(strstr(s, pairs[i].match ? "\"match\":true" : "\"match\":false"));
        cordon_free(s);
        cordon_result_free(r);
    }
    /* a hand-made comparison without its match: the explanation is null */
    cordon_result none = {.threshold = 0.85, .is_comparison = 1};
    char *s = cordon_result_json(&none);
    assert_string_equal(s, "{\"score\":0.0,\"match\":false,\"threshold\":0.85,"
                           "\"explanation\":null}");
    cordon_free(s);
    assert_same_as_reference(&none);
}

/* ---- made-up results ------------------------------------------------------ */

static void test_escapes_and_numbers(void **state)
{
    (void)state;
    char controls[40];
    for (int c = 1; c < 0x20; c++)
        controls[c - 1] = (char)c;
    controls[31] = '\0';
    cordon_token_pair pairs[] = {
        {"q\"uote", "back\\slash", 1.0, 0.5, "exact"},
        {controls, "slash/ and del \x7f", 0.1234567, 1e-7, "fuzzy"},
        {"é ü ß", "😀 \xe2\x80\xa8 line separator", 123456789.0, -0.0, "romanized"},
        {NULL, "unmatched", 0.0, 2.5e-5, "unmatched"},
        {"x", NULL, 1e21, 0.000123456789, "initial"},
    };
    cordon_adjustment adjs[] = {
        {"coverage", -0.05, "tokens \"a\"\tb"},
        {"order", 0.0, "note"},
        {"algorithm", 1.0 / 3.0, "bonus"},
    };
    cordon_match m[2] = {
        {.id = "test:1", .source = "test", .schema = CORDON_SCHEMA_PERSON,
         .name = "Ann \"A\" <b>\n", .score = 0.875,
         .explanation = {.matched_name = "ann a", .matched_kind = CORDON_NAME_STRONG,
                         .name_score = 0.9, .pairs = pairs, .n_pairs = 5,
                         .adjustments = adjs, .n_adjustments = 3,
                         .qualifiers = CORDON_QUALIFIER_SCHEMA | CORDON_QUALIFIER_COUNTRY}},
        {.id = "test:2", .source = NULL, .schema = CORDON_SCHEMA_VESSEL, .name = "",
         .score = 1, .explanation = {.matched_name = NULL, .identifier = "IMO 1234567",
                                     .qualifiers = CORDON_QUALIFIER_IDENTIFIER}},
    };
    cordon_result r = {.query = "q\\u0000 \x01", .threshold = 0.7,
                       .algorithm = CORDON_ALGORITHM_DEFAULT, .matches = m, .n_matches = 2};
    assert_same_as_reference(&r);
    char *s = cordon_result_json(&r);
    /* spot checks of what the reference also says */
    assert_non_null(strstr(s, "\"\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n"
                              "\\u000B\\f\\r\\u000E"));
    assert_non_null(strstr(s, "\"slash/ and del \x7f\""));
    assert_non_null(strstr(s, "\"score\":1e21,"));
    assert_non_null(strstr(s, "\"weight\":1e-7,"));   /* %g gives 1e-07 */
    assert_non_null(strstr(s, "\"weight\":2.5e-5,")); /* and 2.5e-05 */
    assert_non_null(strstr(s, "\"weight\":-0.0,"));
    assert_non_null(strstr(s, "\"score\":1.0,\"reason\""));
    assert_non_null(strstr(s, "\"source\":null,"));
    assert_non_null(strstr(s, "\"identifier\":\"IMO 1234567\"}"));
    json_error_t je;
    json_t *back = json_loads(s, 0, &je);
    assert_non_null(back);
    json_decref(back);
    cordon_free(s);

    /* the empty result */
    cordon_result none = {.query = "nobody", .threshold = 0.8, .algorithm = CORDON_ALGORITHM_OFAC};
    s = cordon_result_json(&none);
    assert_string_equal(s, "{\"query\":\"nobody\",\"threshold\":0.8,\"algorithm\":\"ofac\","
                           "\"matches\":[]}");
    cordon_free(s);
    assert_same_as_reference(&none);
}

/* Values jansson refuses: their keys, or their whole pair, go missing. */
static void test_refused_values(void **state)
{
    (void)state;
    cordon_token_pair pairs[] = {
        {"ok", "ok", 1.0, 0.5, "exact"},
        {"bad \xff", "ok", 1.0, 0.5, "exact"}, /* not UTF-8: the pair goes */
        {"ok", "ok", NAN, 0.5, "exact"},        /* NaN: the pair goes */
        {"ok", "ok", 1.0, 0.5, "exa\xff" "ct"},   /* nor here */
        {"kept", "too", 0.5, 0.5, "fuzzy"},
    };
    cordon_adjustment adjs[] = {
        {"coverage", INFINITY, "inf"}, /* goes */
        {"order", -0.1, "over \xc3"},  /* cut UTF-8: goes */
        {"order", -0.1, "kept"},
    };
    cordon_match m = {.id = "test:\xc0\x80", /* overlong: the id goes */
                      .source = "test", .schema = CORDON_SCHEMA_ORGANIZATION,
                      .name = "Name", .score = NAN, /* the score goes */
                      .explanation = {.matched_name = "name \xed\xa0\x80", /* surrogate */
                                      .matched_kind = CORDON_NAME_PRIMARY, .name_score = 0.5,
                                      .pairs = pairs, .n_pairs = 5, .adjustments = adjs,
                                      .n_adjustments = 3}};
    /* the reason quotes the matched name and the bad method: it goes too */
    cordon_result r = {.query = NULL, .threshold = 0.7, .matches = &m, .n_matches = 1};
    assert_same_as_reference(&r);
    char *s = cordon_result_json(&r);
    assert_string_equal(
        s, "{\"query\":null,\"threshold\":0.7,\"algorithm\":\"default\",\"matches\":[{"
           "\"source\":\"test\",\"schema\":\"organization\",\"name\":\"Name\","
           "\"explanation\":{\"matched_kind\":\"primary\",\"name_score\":0.5,\"tokens\":["
           "{\"query\":\"ok\",\"listed\":\"ok\",\"score\":1.0,\"weight\":0.5,\"method\":\"exact\"},"
           "{\"query\":\"kept\",\"listed\":\"too\",\"score\":0.5,\"weight\":0.5,\"method\":"
           "\"fuzzy\"}],\"adjustments\":[{\"field\":\"order\",\"delta\":-0.1,\"reason\":\"kept\"}],"
           "\"qualifiers\":[],\"identifier\":null}}]}");
    cordon_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_results),
        cmocka_unit_test(test_comparisons),
        cmocka_unit_test(test_escapes_and_numbers),
        cmocka_unit_test(test_refused_values),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
