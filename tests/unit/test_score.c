/*
 * test_score.c — lib/score.c through cordon_compare (no index, so token
 * weights come from roles only): word order, "SURNAME, Given", typos,
 * initials, joined and split tokens, scripts, coverage on either side,
 * numerals and generations, the explanation's token pairs, and the same scores with the mini list
 * index (tests/data/screen/mini.ftm.jsonl) giving IDF weights.
 */
#include "test_util.h"

#include "index_int.h"

static cordon_index *mini;

static int setup(void **state)
{
    (void)state;
    const char *files[] = {"tests/data/screen/mini.ftm.jsonl"};
    cordon_dataset *ds = test_load("mini", CORDON_FORMAT_FTM_JSON, files, 1);
    cordon_error err;
    int rc = cordon_index_build(ds, &mini, &err);
    cordon_dataset_free(ds);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    cordon_index_close(mini);
    return 0;
}

static cordon_result *cmp_with(const cordon_index *idx, const char *a, const char *b,
                               cordon_schema schema)
{
    cordon_result *r = NULL;
    cordon_error err;
    if (cordon_compare(idx, a, strlen(a), b, strlen(b), schema, NULL, &r, &err) != 0)
        fail_msg("compare \"%s\" \"%s\": %s", a, b, err.message);
    assert_int_equal(r->n_matches, 1);
    assert_true(r->is_comparison);
    assert_int_equal(r->matches[0].entity, CORDON_NO_ENTITY);
    return r;
}

static double score(const char *a, const char *b)
{
    cordon_result *r = cmp_with(NULL, a, b, CORDON_SCHEMA_UNKNOWN);
    double s = r->matches[0].score;
    cordon_result_free(r);
    return s;
}

static const cordon_token_pair *pair(const cordon_result *r, const char *query)
{
    const cordon_explanation *x = &r->matches[0].explanation;
    for (size_t i = 0; i < x->n_pairs; i++)
        if (x->pairs[i].query && !strcmp(x->pairs[i].query, query))
            return &x->pairs[i];
    return NULL;
}

static void test_identity_and_order(void **state)
{
    (void)state;
    assert_float_equal(score("Vladimir Putin", "Vladimir Putin"), 1.0, 1e-9);
    assert_float_equal(score("Vladimir Putin", "PUTIN, Vladimir"), 1.0, 1e-9);
    assert_float_equal(score("Putin Vladimir", "Vladimir Putin"), 1.0, 1e-9);
    assert_float_equal(score("KIM JONG UN", "Kim Jong Un"), 1.0, 1e-9);
    assert_float_equal(score("Osama bin Laden", "BIN LADEN, Osama"), 1.0, 1e-9);
    /* scores are in [0,1] and unrelated names score nothing */
    assert_float_equal(score("Vladimir Putin", "Kim Jong Un"), 0.0, 1e-9);
    assert_true(score("John Smith", "John Brown") < 0.7);
}

static void test_typos(void **state)
{
    (void)state;
    double s1 = score("Vladimr Putin", "Vladimir Putin");
    double s2 = score("Vladimir Putni", "Vladimir Putin");
    assert_true(s1 > 0.9 && s1 < 1.0);
    assert_true(s2 > 0.85 && s2 < 1.0);
    /* a changed letter in a short word costs more than in a long one */
    assert_true(score("Tong", "Jong") < score("Vladimirr", "Vladimir"));
    cordon_result *r = cmp_with(NULL, "Vladimr Putin", "Vladimir Putin", 0);
    const cordon_token_pair *p = pair(r, "vladimr");
    assert_non_null(p);
    assert_string_equal(p->listed, "vladimir");
    assert_string_equal(p->method, "fuzzy");
    assert_true(p->score > 0.9 && p->score < 1.0);
    cordon_result_free(r);
}

static void test_initials(void **state)
{
    (void)state;
    cordon_result *r = cmp_with(NULL, "V. V. Putin", "Putin, Vladimir Vladimirovich",
                                CORDON_SCHEMA_PERSON);
    assert_true(r->matches[0].score >= 0.85);
    const cordon_explanation *x = &r->matches[0].explanation;
    int initials = 0;
    for (size_t i = 0; i < x->n_pairs; i++)
        initials += !strcmp(x->pairs[i].method, "initial");
    assert_int_equal(initials, 2);
    cordon_result_free(r);
    /* a list that gives only letters says little about full words */
    assert_true(score("Tara Osborn", "T.R.O.S") < 0.6);
}

static void test_joined_split(void **state)
{
    (void)state;
    cordon_result *r = cmp_with(NULL, "Kim Jongun", "KIM, Jong Un", CORDON_SCHEMA_PERSON);
    assert_true(r->matches[0].score >= 0.95);
    const cordon_token_pair *p = pair(r, "jongun");
    assert_non_null(p);
    assert_string_equal(p->listed, "jong un");
    assert_string_equal(p->method, "split");
    cordon_result_free(r);
    r = cmp_with(NULL, "Kim Jong Un", "KIM, Jongun", CORDON_SCHEMA_PERSON);
    assert_true(r->matches[0].score >= 0.95);
    p = pair(r, "jong un");
    assert_non_null(p);
    assert_string_equal(p->listed, "jongun");
    assert_string_equal(p->method, "joined");
    cordon_result_free(r);
    assert_true(score("AERO-CARIBBEAN", "AEROCARIBBEAN") >= 0.95);
}

static void test_scripts(void **state)
{
    (void)state;
    assert_float_equal(score("Владимир Путин", "Vladimir Putin"), 1.0, 1e-9);
    assert_true(score("김정은", "KIM, Jong Un") >= 0.9);
    assert_true(score("Ким Чен Ын", "KIM, Jong Un") >= 0.85);
    cordon_result *r = cmp_with(NULL, "Ким Чен Ын", "KIM, Jong Un", 0);
    const cordon_token_pair *p = pair(r, "chen");
    assert_non_null(p);
    assert_string_equal(p->listed, "jong");
    assert_string_equal(p->method, "loose");
    cordon_result_free(r);
}

static void test_coverage(void **state)
{
    (void)state;
    /* a name inside the other scores more than half; the side with
     * fewer matched tokens decides the rest */
    double extra_listed = score("Vladimir Putin", "PUTIN, Vladimir Vladimirovich");
    double extra_query = score("Vladimir Vladimirovich Putin", "PUTIN, Vladimir");
    assert_true(extra_listed > 0.8 && extra_listed < 1.0);
    assert_true(extra_query > 0.8 && extra_query < 1.0);
    assert_true(score("Putin", "PUTIN, Vladimir Vladimirovich") < 0.85);
    cordon_result *r = cmp_with(NULL, "Vladimir Putin", "PUTIN, Vladimir Vladimirovich", 0);
    const cordon_explanation *x = &r->matches[0].explanation;
    int unmatched = 0;
    for (size_t i = 0; i < x->n_pairs; i++)
        if (!x->pairs[i].query) {
            unmatched++;
            assert_string_equal(x->pairs[i].listed, "vladimirovich");
            assert_string_equal(x->pairs[i].method, "unmatched");
        }
    assert_int_equal(unmatched, 1);
    assert_int_equal(x->n_adjustments, 1);
    assert_string_equal(x->adjustments[0].field, "coverage");
    assert_non_null(strstr(x->adjustments[0].reason, "vladimirovich"));
    cordon_result_free(r);
}

static void test_with_index_weights(void **state)
{
    (void)state;
    /* with the mini list, token weights come from its frequencies; exact
     * names still score 1 and order does not matter */
    cordon_result *r = cmp_with(mini, "Vladimir Putin", "PUTIN, Vladimir", 0);
    assert_float_equal(r->matches[0].score, 1.0, 1e-9);
    cordon_result_free(r);
    r = cmp_with(mini, "Kim Jong Un", "Kim Song Hun", 0);
    double with = r->matches[0].score;
    cordon_result_free(r);
    /* "kim" is in three of the mini list's names: it weighs less there */
    assert_true(with < score("Kim Jong Un", "Kim Song Hun") + 1e-9);
}

static double score_as(const char *a, const char *b, cordon_schema schema)
{
    cordon_result *r = cmp_with(NULL, a, b, schema);
    double s = r->matches[0].score;
    cordon_result_free(r);
    return s;
}

/* Numerals: equal, differing, on one side; things against people. */
static void test_numerals(void **state)
{
    (void)state;
    const cordon_schema things[] = {CORDON_SCHEMA_VESSEL, CORDON_SCHEMA_AIRCRAFT,
                                    CORDON_SCHEMA_ORGANIZATION, CORDON_SCHEMA_UNKNOWN};
    for (size_t k = 0; k < 4; k++) {
        assert_float_equal(score_as("SPARTA IV", "SPARTA 4", things[k]), 1.0, 0);
        double contra = score_as("SPARTA IV", "SPARTA II", things[k]);
        double one = score_as("SPARTA IV", "SPARTA", things[k]);
        double other = score_as("SPARTA", "SPARTA IV", things[k]);
        assert_true(contra < 0.7);
        assert_true(one > 0.85 && one < 0.95);
        assert_float_equal(one, other, 1e-4);
    }
    /* a person's generation: a missing one costs little, differing ones some */
    double missing = score_as("Martin Luther King", "Martin Luther King, Jr.", CORDON_SCHEMA_PERSON);
    double differ = score_as("Martin Luther King Sr.", "Martin Luther King, Jr.", CORDON_SCHEMA_PERSON);
    assert_true(missing > 0.97 && missing < 1.0);
    assert_true(differ < missing - 0.1);
    cordon_result *r = cmp_with(NULL, "John Smith III", "SMITH, John II", CORDON_SCHEMA_PERSON);
    const cordon_token_pair *p = pair(r, "3");
    assert_non_null(p);
    assert_string_equal(p->listed, "2");
    assert_string_equal(p->method, "numeral");
    const cordon_explanation *x = &r->matches[0].explanation;
    assert_int_equal(x->n_adjustments, 1);
    assert_string_equal(x->adjustments[0].field, "numeral");
    assert_float_equal(x->adjustments[0].delta, -0.10, 1e-6);
    assert_float_equal(x->name_score + x->adjustments[0].delta, r->matches[0].score, 1e-4);
    cordon_result_free(r);
    /* numbers are not words: no numeral pairs with a name token */
    r = cmp_with(NULL, "SEA STAR 3", "SEA STAR III", CORDON_SCHEMA_VESSEL);
    assert_float_equal(r->matches[0].score, 1.0, 0);
    cordon_result_free(r);
    /* the analysis marks generations */
    cordon_name_analysis *an;
    cordon_error err;
    assert_int_equal(cordon_name_analyze("SALI JR., Jainal Antel", 22, CORDON_SCHEMA_PERSON, &an, &err), 0);
    const cordon_name_token *t = &an->tokens[an->n_tokens - 1];
    assert_string_equal(t->text, "jr");
    assert_int_equal(t->role, CORDON_ROLE_NUMBER);
    assert_int_equal(t->flags, CORDON_TOKEN_WEAK | CORDON_TOKEN_GENERATION);
    assert_int_equal(t->n_phonetic, 0);
    cordon_name_analysis_free(an);
    assert_int_equal(cordon_name_analyze("SPARTA IV", 9, CORDON_SCHEMA_VESSEL, &an, &err), 0);
    assert_int_equal(an->n_tokens, 2);
    assert_string_equal(an->tokens[1].text, "4");
    assert_string_equal(an->tokens[1].original, "iv");
    assert_int_equal(an->tokens[1].flags, CORDON_TOKEN_WEAK);
    cordon_name_analysis_free(an);
}

static void test_compare_errors(void **state)
{
    (void)state;
    cordon_result *r = (cordon_result *)1;
    cordon_error err;
    assert_int_equal(cordon_compare(NULL, "", 0, "x", 1, 0, NULL, &r, &err), CORDON_EEMPTY);
    assert_null(r);
    assert_int_equal(cordon_compare(NULL, "a", 1, "---", 3, 0, NULL, &r, &err), CORDON_EEMPTY);
    assert_int_equal(cordon_compare(NULL, "a\xff", 2, "b", 1, 0, NULL, &r, &err), CORDON_EUTF8);
    assert_int_equal(cordon_compare(NULL, "a", 1, "b", 1, (cordon_schema)9, NULL, &r, &err),
                     CORDON_EINVAL);
    cordon_screen_options o = {.algorithm = CORDON_ALGORITHM_OFAC};
    assert_int_equal(cordon_compare(NULL, "VLADIMIR PUTIN", 14, "PUTIN, Vladimir", 15, 0, &o, &r,
                                    &err),
                     0);
    assert_float_equal(r->matches[0].score,
                       cordon__ofac_score("VLADIMIR PUTIN", 14, "PUTIN, Vladimir", 15), 1e-9);
    cordon_result_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identity_and_order), cmocka_unit_test(test_typos),
        cmocka_unit_test(test_initials),           cmocka_unit_test(test_joined_split),
        cmocka_unit_test(test_scripts),            cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_with_index_weights), cmocka_unit_test(test_compare_errors),
        cmocka_unit_test(test_numerals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
