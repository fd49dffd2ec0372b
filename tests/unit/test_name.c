/*
 * test_name.c — cordon_name_analyze as a whole: the pair cases of
 * tests/data/names/cases.tsv (names and aliases from the lists, and the
 * spellings issue 3 names), the golden analyses of analysis.tsv, every
 * native-script name the UN and OFSI lists give with its Latin spelling
 * (list_pairs.tsv), the token invariants, and hostile input.
 */
#include "test_util.h"

#include <time.h>

#include "name_int.h"

static cordon_schema schema_of(const char *s)
{
    cordon_schema sc = CORDON_SCHEMA_UNKNOWN;
    if (cordon_schema_parse(s, strlen(s), &sc) != 0)
        sc = CORDON_SCHEMA_UNKNOWN;
    return sc;
}

static cordon_name_analysis *analyze(const char *s, cordon_schema schema)
{
    cordon_name_analysis *a = NULL;
    cordon_error err;
    int rc = cordon_name_analyze(s, strlen(s), schema, &a, &err);
    if (rc)
        fail_msg("analyze \"%s\": %s", s, err.message);
    return a;
}

/* Splits a tab-separated line in place; returns the number of fields. */
static size_t fields(char *line, char **f, size_t max)
{
    line[strcspn(line, "\r\n")] = '\0';
    size_t n = 0;
    while (n < max) {
        f[n++] = line;
        char *t = strchr(line, '\t');
        if (!t)
            break;
        *t = '\0';
        line = t + 1;
    }
    return n;
}

static const char *meet_name(cordon__meet m)
{
    static const char *const names[] = {"none", "fuzzy", "loose", "exact"};
    return names[m];
}

static void test_cases(void **state)
{
    (void)state;
    FILE *f = fopen("tests/data/names/cases.tsv", "r");
    assert_non_null(f);
    char line[4096];
    size_t n = 0, bad = 0, by_level[4] = {0};
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        char *c[5];
        assert_int_equal(fields(line, c, 5), 5);
        cordon__meet want = CORDON__MEET_NONE;
        for (int l = 0; l < 4; l++)
            if (strcmp(c[0], meet_name((cordon__meet)l)) == 0)
                want = (cordon__meet)l;
        cordon_schema sc = schema_of(c[1]);
        cordon_name_analysis *a = analyze(c[2], sc), *b = analyze(c[3], sc);
        cordon__meet got = cordon__names_meet(a, b);
        /* meeting is symmetric */
        assert_int_equal(got, cordon__names_meet(b, a));
        int ok = want == CORDON__MEET_NONE ? got == CORDON__MEET_NONE : got >= want;
        if (!ok) {
            bad++;
            print_message("%s <-> %s: want %s, got %s [%s | %s]\n", c[2], c[3], c[0], meet_name(got),
                          a->normalized, b->normalized);
        }
        by_level[want]++;
        n++;
        cordon_name_analysis_free(a);
        cordon_name_analysis_free(b);
    }
    fclose(f);
    assert_int_equal(n, 128);
    assert_int_equal(by_level[CORDON__MEET_NONE], 11);
    assert_int_equal(bad, 0);
}

static void test_golden_analyses(void **state)
{
    (void)state;
    FILE *f = fopen("tests/data/names/analysis.tsv", "r");
    assert_non_null(f);
    char line[4096];
    size_t n = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        char *c[5];
        size_t nf = fields(line, c, 5);
        assert_true(nf >= 4);
        cordon_name_analysis *a = analyze(c[0], schema_of(c[1]));
        char got[2048];
        size_t k = 0;
        for (size_t i = 0; i < a->n_tokens; i++) {
            const cordon_name_token *t = &a->tokens[i];
            k += (size_t)snprintf(got + k, sizeof got - k, "%s%s:%s%s", i ? " " : "", t->text,
                                  cordon_token_role_name(t->role), (t->flags & CORDON_TOKEN_JOINED) ? ":j" : "");
        }
        char titles[256];
        size_t m = 0;
        titles[0] = '\0';
        for (size_t i = 0; i < a->n_titles; i++)
            m += (size_t)snprintf(titles + m, sizeof titles - m, "%s%s", i ? " " : "", a->titles[i]);
        if (strcmp(got, c[3]) != 0 || strcmp(cordon_schema_name(a->schema), c[2]) != 0 ||
            strcmp(titles, nf > 4 ? c[4] : "") != 0) {
            bad++;
            print_message("%s:\n  want %s (%s) [%s]\n  got  %s (%s) [%s]\n", c[0], c[3], c[2], nf > 4 ? c[4] : "", got,
                          cordon_schema_name(a->schema), titles);
        }
        n++;
        cordon_name_analysis_free(a);
    }
    fclose(f);
    assert_int_equal(n, 61);
    assert_int_equal(bad, 0);
}

static void test_list_pairs(void **state)
{
    (void)state;
    /* Every native-script name of the UN list and OFSI's ConList with its
     * Latin spelling. Many organization names are translations, not
     * transliterations, and cannot meet; the counts guard against
     * regressions. */
    FILE *f = fopen("tests/data/names/list_pairs.tsv", "r");
    assert_non_null(f);
    char line[8192];
    size_t total[CORDON_SCRIPT_COUNT_] = {0}, met[CORDON_SCRIPT_COUNT_] = {0};
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        char *c[5];
        assert_int_equal(fields(line, c, 5), 5);
        cordon_schema sc = schema_of(c[2]);
        cordon_name_analysis *a = analyze(c[3], sc), *b = analyze(c[4], sc);
        total[b->script]++;
        met[b->script] += cordon__names_meet(a, b) >= CORDON__MEET_FUZZY;
        cordon_name_analysis_free(a);
        cordon_name_analysis_free(b);
    }
    fclose(f);
    static const size_t want_total[CORDON_SCRIPT_COUNT_] = {185, 2343, 2, 1073, 10, 5, 30, 0, 12, 0, 2, 3};
    static const size_t want_met[CORDON_SCRIPT_COUNT_] = {178, 2213, 2, 925, 9, 5, 12, 0, 12, 0, 1, 3};
    int bad = 0;
    for (int s = 0; s < CORDON_SCRIPT_COUNT_; s++) {
        if (total[s])
            print_message("%-9s %4zu of %4zu meet\n", cordon_script_name((cordon_script)s), met[s], total[s]);
        bad += total[s] != want_total[s] || met[s] != want_met[s];
    }
    assert_int_equal(bad, 0);
}

static void check_invariants(const cordon_name_analysis *a)
{
    assert_true(a->n_tokens > 0);
    size_t words = 0;
    for (size_t i = 0; i < a->n_tokens; i++) {
        const cordon_name_token *t = &a->tokens[i];
        assert_non_null(t->text);
        assert_non_null(t->original);
        assert_true(t->n_forms >= 1);
        assert_ptr_equal(t->forms[0], t->text);
        for (size_t f = 0; f < t->n_forms; f++) {
            assert_int_equal(strspn(t->forms[f], "abcdefghijklmnopqrstuvwxyz0123456789"), strlen(t->forms[f]));
            for (size_t g = 0; g < f; g++)
                assert_string_not_equal(t->forms[f], t->forms[g]);
        }
        for (size_t p = 0; p < t->n_phonetic; p++)
            assert_true(strlen(t->phonetic[p]) >= 1 && strlen(t->phonetic[p]) <= 4);
        for (size_t p = 0; p < t->n_loose; p++)
            assert_true(strlen(t->loose[p]) <= CORDON__LOOSE_MAX);
        if (t->flags & CORDON_TOKEN_JOINED) {
            assert_true(t->n_parts >= 2);
            assert_true(t->part_first + t->n_parts <= i);
        } else {
            assert_int_equal(t->n_parts, 0);
            words++;
        }
        assert_true((unsigned)t->role < CORDON_ROLE_COUNT_);
        assert_true((unsigned)t->script < CORDON_SCRIPT_COUNT_);
    }
    /* normalized is the space-joined texts of the non-joined tokens */
    size_t spaces = 0;
    for (const char *p = a->normalized; *p; p++)
        spaces += *p == ' ';
    assert_int_equal(spaces + 1, words);
}

static void test_tokens(void **state)
{
    (void)state;
    static const char *const names[] = {
        "KIM, Jong Un", "김정은", "Ким Чен Ын", "Abd al-Rahman", "ООО «Трансойл»", "习近平", "V. V. Putin",
        "Martin Luther King, Jr.", "ウラジーミル・プーチン", "صدام حسين التكريتي", "A-B-C-D-E-F",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        cordon_name_analysis *a = analyze(names[i], CORDON_SCHEMA_UNKNOWN);
        check_invariants(a);
        cordon_name_analysis_free(a);
    }
    /* the forms the issue asks for */
    cordon_name_analysis *a = analyze("Путин", CORDON_SCHEMA_PERSON);
    assert_string_equal(a->tokens[0].text, "putin");
    assert_string_equal(a->tokens[0].original, "путин");
    assert_int_equal(a->tokens[0].script, CORDON_SCRIPT_CYRILLIC);
    int poutine = 0;
    for (size_t f = 0; f < a->tokens[0].n_forms; f++)
        poutine |= strcmp(a->tokens[0].forms[f], "poutine") == 0;
    assert_true(poutine);
    assert_int_equal(a->script, CORDON_SCRIPT_CYRILLIC);
    cordon_name_analysis_free(a);
    /* roles and names of roles */
    assert_string_equal(cordon_token_role_name(CORDON_ROLE_LEGAL_FORM), "legal_form");
    assert_string_equal(cordon_token_role_name(CORDON_ROLE_INITIAL), "initial");
    assert_string_equal(cordon_token_role_name(CORDON_ROLE_COUNT_), "unknown");
    cordon_name_analysis_free(NULL);
}

static void test_errors(void **state)
{
    (void)state;
    cordon_name_analysis *a = (cordon_name_analysis *)1;
    cordon_error err;
    assert_int_equal(cordon_name_analyze("a\xff", 2, CORDON_SCHEMA_UNKNOWN, &a, &err), CORDON_EUTF8);
    assert_null(a);
    assert_int_equal(err.code, CORDON_EUTF8);
    assert_int_equal(err.column, 2);
    assert_int_equal(cordon_name_analyze("\xed\xa0\x80", 3, CORDON_SCHEMA_UNKNOWN, &a, &err), CORDON_EUTF8);
    assert_int_equal(cordon_name_analyze("a\0b", 3, CORDON_SCHEMA_UNKNOWN, &a, &err), CORDON_EINVAL);
    assert_int_equal(cordon_name_analyze("a\x07" "b", 3, CORDON_SCHEMA_UNKNOWN, &a, &err), CORDON_EINVAL);
    assert_true(strstr(err.message, "control") != NULL);
    assert_int_equal(cordon_name_analyze("", 0, CORDON_SCHEMA_UNKNOWN, &a, &err), CORDON_EEMPTY);
    assert_int_equal(cordon_name_analyze(" - , . ", 7, CORDON_SCHEMA_UNKNOWN, &a, &err), CORDON_EEMPTY);
    assert_int_equal(cordon_name_analyze("😀🔥", strlen("😀🔥"), CORDON_SCHEMA_UNKNOWN, &a, &err), CORDON_EEMPTY);
    assert_int_equal(cordon_name_analyze("x", 1, (cordon_schema)99, &a, &err), CORDON_EINVAL);
    assert_int_equal(cordon_name_analyze("x", 1, CORDON_SCHEMA_UNKNOWN, NULL, &err), CORDON_EINVAL);
    assert_int_equal(cordon_name_analyze(NULL, 1, CORDON_SCHEMA_UNKNOWN, &a, NULL), CORDON_EINVAL);
    /* tab, CR and LF are spaces */
    a = analyze("Kim\tJong\r\nUn", CORDON_SCHEMA_PERSON);
    assert_string_equal(a->normalized, "kim jong un");
    cordon_name_analysis_free(a);
}

static double seconds(void) { return (double)clock() / CLOCKS_PER_SEC; }

static void test_hostile_input(void **state)
{
    (void)state;
    cordon_name_analysis *a = NULL;
    cordon_error err;
    /* 1 MB: refused before any work */
    size_t mb = 1 << 20;
    char *big = malloc(mb);
    assert_non_null(big);
    memset(big, 'a', mb);
    double t0 = seconds();
    assert_int_equal(cordon_name_analyze(big, mb, CORDON_SCHEMA_UNKNOWN, &a, &err), CORDON_ETOOBIG);
    assert_true(seconds() - t0 < 0.01);
    /* 10,000 tokens: refused as soon as the 65th token is seen */
    for (size_t i = 0; i < 20000; i++)
        big[i] = i % 2 ? ' ' : 'a';
    t0 = seconds();
    assert_int_equal(cordon_name_analyze(big, 20000, CORDON_SCHEMA_UNKNOWN, &a, &err), CORDON_ETOOBIG);
    assert_int_equal(cordon_name_analyze(big, 4000, CORDON_SCHEMA_UNKNOWN, &a, &err), CORDON_ETOOBIG);
    assert_true(seconds() - t0 < 0.05);
    /* exactly the limits pass */
    assert_int_equal(cordon_name_analyze(big, 2 * CORDON_NAME_MAX_TOKENS - 1, CORDON_SCHEMA_UNKNOWN, &a, &err), 0);
    assert_int_equal(a->n_tokens >= CORDON_NAME_MAX_TOKENS, 1);
    cordon_name_analysis_free(a);
    memset(big, 'b', CORDON_NAME_MAX_BYTES);
    assert_int_equal(cordon_name_analyze(big, CORDON_NAME_MAX_BYTES, CORDON_SCHEMA_UNKNOWN, &a, &err), 0);
    assert_int_equal(strlen(a->tokens[0].text), CORDON__MAX_FORM_LEN);
    cordon_name_analysis_free(a);
    /* a flood of combining marks, 4 KB of Hangul, kana and Cyrillic */
    static const char *const units[] = {"\xcc\x81", "한", "ア", "щ", "ـ", "\xe2\x80\xae", "😀"};
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        size_t ul = strlen(units[u]), n = 0;
        big[n++] = 'x';
        while (n + ul <= CORDON_NAME_MAX_BYTES) {
            memcpy(big + n, units[u], ul);
            n += ul;
        }
        t0 = seconds();
        int rc = cordon_name_analyze(big, n, CORDON_SCHEMA_UNKNOWN, &a, &err);
        assert_true(seconds() - t0 < 0.5);
        assert_int_equal(rc, 0);
        check_invariants(a);
        cordon_name_analysis_free(a);
    }
    /* bidi overrides and emoji between words are dropped */
    a = analyze("\xe2\x80\xae" "Kim\xe2\x80\xac 😀 Jong\xe2\x80\x8b Un", CORDON_SCHEMA_PERSON);
    assert_string_equal(a->normalized, "kim jong un");
    cordon_name_analysis_free(a);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_golden_analyses),
        cmocka_unit_test(test_list_pairs),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_hostile_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
