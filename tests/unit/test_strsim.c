/*
 * test_strsim.c — the string similarity primitives of lib/strsim.c
 * against published values, and the one-deletion relation against a
 * brute-force definition on many random strings.
 */
#include "test_util.h"

#include "index_int.h"

static void test_jaro_winkler(void **state)
{
    (void)state;
    /* Winkler (1990) and the usual textbook examples */
    assert_float_equal(cordon__jaro_winkler("martha", 6, "marhta", 6), 0.9611, 0.0001);
    assert_float_equal(cordon__jaro_winkler("dwayne", 6, "duane", 5), 0.84, 0.0001);
    assert_float_equal(cordon__jaro_winkler("dixon", 5, "dicksonx", 8), 0.8133, 0.0001);
    assert_float_equal(cordon__jaro_winkler("abc", 3, "abc", 3), 1.0, 0.0);
    assert_float_equal(cordon__jaro_winkler("abc", 3, "xyz", 3), 0.0, 0.0);
    assert_float_equal(cordon__jaro_winkler("", 0, "", 0), 1.0, 0.0);
    assert_float_equal(cordon__jaro_winkler("a", 1, "", 0), 0.0, 0.0);
    /* symmetric */
    assert_float_equal(cordon__jaro_winkler("putin", 5, "poutine", 7),
                       cordon__jaro_winkler("poutine", 7, "putin", 5), 1e-12);
}

static void test_levenshtein(void **state)
{
    (void)state;
    assert_int_equal(cordon__levenshtein("kitten", 6, "sitting", 7, 5), 3);
    assert_int_equal(cordon__levenshtein("kitten", 6, "sitting", 7, 2), 3); /* max+1 */
    assert_int_equal(cordon__levenshtein("", 0, "abc", 3, 5), 3);
    assert_int_equal(cordon__levenshtein("putin", 5, "putin", 5, 0), 0);
    assert_int_equal(cordon__levenshtein("abcdefgh", 8, "a", 1, 2), 3);
}

static void test_soundex(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"Robert", "R163"}, {"Rupert", "R163"}, {"Rubin", "R150"}, {"Ashcraft", "A261"},
        {"Ashcroft", "A261"}, {"Tymczak", "T522"}, {"Pfister", "P236"}, {"Honeyman", "H555"},
        {"A", "A000"},      {"putin", "P350"},
    };
    char out[5];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cordon__soundex(cases[i][0], strlen(cases[i][0]), out);
        assert_string_equal(out, cases[i][1]);
    }
    cordon__soundex("123", 3, out);
    assert_string_equal(out, "");
}

/* The definition: equal after deleting at most one byte from each. */
static bool del1_naive(const char *a, size_t la, const char *b, size_t lb)
{
    char x[16], y[16];
    for (size_t i = 0; i <= la; i++) {
        size_t xl = 0;
        for (size_t k = 0; k < la; k++)
            if (k != i)
                x[xl++] = a[k];
        for (size_t j = 0; j <= lb; j++) {
            size_t yl = 0;
            for (size_t k = 0; k < lb; k++)
                if (k != j)
                    y[yl++] = b[k];
            if (xl == yl && memcmp(x, y, xl) == 0)
                return true;
        }
    }
    return false;
}

static void test_del1_related(void **state)
{
    (void)state;
    assert_true(cordon__del1_related("putin", 5, "putni", 5));    /* transposition */
    assert_true(cordon__del1_related("vladimir", 8, "vladimr", 7)); /* deletion */
    assert_true(cordon__del1_related("smith", 5, "smyth", 5));    /* substitution */
    assert_false(cordon__del1_related("putin", 5, "pitun", 5));
    assert_false(cordon__del1_related("abc", 3, "abcde", 5));
    /* random strings over a small alphabet, so that relations are common */
    unsigned seed = 12345;
    size_t related = 0;
    for (int iter = 0; iter < 200000; iter++) {
        char a[8], b[8];
        seed = seed * 1103515245u + 12345u;
        size_t la = 1 + (seed >> 16) % 6;
        seed = seed * 1103515245u + 12345u;
        size_t lb = la + ((seed >> 16) % 3) - 1;
        if (lb == 0)
            lb = 1;
        for (size_t i = 0; i < la; i++) {
            seed = seed * 1103515245u + 12345u;
            a[i] = (char)('a' + (seed >> 16) % 3);
        }
        for (size_t i = 0; i < lb; i++) {
            seed = seed * 1103515245u + 12345u;
            b[i] = (seed >> 16) % 2 && i < la ? a[i] : (char)('a' + (seed >> 20) % 3);
        }
        bool want = del1_naive(a, la, b, lb);
        if (want != cordon__del1_related(a, la, b, lb))
            fail_msg("del1(%.*s, %.*s) should be %d", (int)la, a, (int)lb, b, want);
        related += want;
    }
    assert_true(related > 10000); /* the sample exercised both outcomes */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jaro_winkler),
        cmocka_unit_test(test_levenshtein),
        cmocka_unit_test(test_soundex),
        cmocka_unit_test(test_del1_related),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
