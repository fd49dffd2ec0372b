/*
 * test_text_fold.c — the UTF-8 boundary: NFKC + case folding, full-width
 * forms, dash/apostrophe/quote/dot/space folding, invisible characters,
 * and the errors (invalid UTF-8, encoded surrogates, NUL, controls).
 */
#include "test_util.h"

#include <time.h>

#include "name_int.h"

static void check(const char *in, const char *want)
{
    char buf[256];
    long n = cordon_text_fold(in, strlen(in), buf, sizeof buf);
    if (n < 0)
        fail_msg("fold of \"%s\" failed: %ld", in, n);
    assert_string_equal(buf, want);
    assert_int_equal((size_t)n, strlen(want));
}

static void test_case_and_nfkc(void **state)
{
    (void)state;
    check("PUTIN, Vladimir", "putin, vladimir");
    check("Straße", "strasse");                   /* full case folding */
    check("ＫＩＭ　Ｊｏｎｇ　Ｕｎ", "kim jong un");     /* full-width letters and space */
    check("ｳﾗｼﾞｰﾐﾙ", "ウラジーミル");                /* half-width kana */
    check("e\xcc\x81", "\xc3\xa9");               /* e + combining acute -> é */
    check("ПУТИН Ёлкин", "путин ёлкин");          /* Cyrillic keeps й/ё: no mark stripping */
    check("ガ", "ガ");                            /* kana voicing marks survive */
    check("ﬁnance", "finance");                   /* ligature */
    check("Ⅻ", "xii");                            /* compatibility numeral */
}

static void test_punctuation(void **state)
{
    (void)state;
    check("Jong\xe2\x80\x90un", "jong-un");       /* U+2010 hyphen */
    check("Jong\xe2\x80\x93un", "jong-un");       /* en dash */
    check("Jong\xe2\x88\x92un", "jong-un");       /* minus sign */
    check("Jong\xef\xbc\x8dun", "jong-un");       /* full-width hyphen-minus */
    check("O\xe2\x80\x99" "Brien", "o'brien");    /* right single quote */
    check("O\xca\xbc" "Brien", "o'brien");        /* modifier letter apostrophe */
    check("O`Brien", "o'brien");
    check("ג\xd7\xb3", "ג'");                      /* Hebrew geresh */
    check("\xc2\xab" "Roga\xc2\xbb", "\"roga\"");   /* guillemets */
    check("\xe2\x80\x9cX\xe2\x80\x9d", "\"x\"");
    check("A\xef\xbc\x8e" "B", "a.b");            /* full-width full stop */
    check("弗拉基米尔·普京", "弗拉基米尔 普京");      /* middle dot separates names */
    check("ウラジーミル・プーチン", "ウラジーミル プーチン");
    check("a\xc2\xa0" "b\xe2\x80\x83" "c", "a b c"); /* no-break and em spaces */
    check("a\tb\nc\rd", "a b c d");               /* tab, LF, CR are spaces */
    check("ab\xe2\x80\x8b" "cd", "abcd");          /* zero-width space */
    check("خامنه\xe2\x80\x8cای", "خامنهای");        /* ZWNJ */
    check("a\xc2\xad" "b", "ab");                  /* soft hyphen */
    check("\xe2\x80\xae" "evil\xe2\x80\xac", "evil"); /* bidi override */
    check("x\xef\xb8\x8f", "x");                   /* variation selector */
    check("😀 Kim", "😀 kim");                      /* emoji kept (the tokenizer skips it) */
}

static void test_errors(void **state)
{
    (void)state;
    char buf[64];
    static const struct { const char *s; size_t len; long code; } bad[] = {
        {"ab\xff", 3, CORDON_EUTF8},
        {"\xc3", 1, CORDON_EUTF8},             /* truncated */
        {"\xc0\xaf", 2, CORDON_EUTF8},         /* overlong '/' */
        {"\xe0\x80\xaf", 3, CORDON_EUTF8},     /* overlong */
        {"\xed\xa0\x80", 3, CORDON_EUTF8},     /* encoded surrogate U+D800 */
        {"\xed\xbf\xbf", 3, CORDON_EUTF8},     /* encoded surrogate U+DFFF */
        {"\xf4\x90\x80\x80", 4, CORDON_EUTF8}, /* above U+10FFFF */
        {"a\0b", 3, CORDON_EINVAL},            /* NUL */
        {"a\x01" "b", 3, CORDON_EINVAL},       /* control */
        {"a\x7f", 2, CORDON_EINVAL},           /* DEL */
        {"a\xc2\x80", 3, CORDON_EINVAL},       /* C1 control */
        {"a\x1b[31m", 6, CORDON_EINVAL},       /* escape sequence */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long rc = cordon_text_fold(bad[i].s, bad[i].len, buf, sizeof buf);
        if (rc != bad[i].code)
            fail_msg("case %zu: got %ld, want %ld", i, rc, bad[i].code);
        assert_string_equal(buf, "");
    }
    assert_int_equal(cordon_text_fold("a", 1, NULL, 4), CORDON_EINVAL);
    assert_int_equal(cordon_text_fold("a", 1, buf, 0), CORDON_EINVAL);
    assert_int_equal(cordon_text_fold(NULL, 1, buf, sizeof buf), CORDON_EINVAL);
    assert_int_equal(cordon_text_fold(NULL, 0, buf, sizeof buf), 0);
}

static void test_truncation_at_boundary(void **state)
{
    (void)state;
    char buf[6];
    /* "путин" is 10 bytes; 5 bytes of room cut it after two letters. */
    long n = cordon_text_fold("ПУТИН", strlen("ПУТИН"), buf, sizeof buf);
    assert_int_equal(n, 4);
    assert_string_equal(buf, "пу");
    n = cordon_text_fold("abcdefgh", 8, buf, sizeof buf);
    assert_int_equal(n, 5);
    assert_string_equal(buf, "abcde");
}

static void test_mark_flood_is_bounded(void **state)
{
    (void)state;
    /* 'a' + 100,000 combining acutes: cut to CORDON__MAX_MARK_RUN marks,
     * in linear time. */
    size_t n = 100000;
    char *s = malloc(1 + 2 * n);
    assert_non_null(s);
    s[0] = 'a';
    for (size_t i = 0; i < n; i++) {
        s[1 + 2 * i] = '\xcc';
        s[2 + 2 * i] = '\x81';
    }
    cordon__buf out = {0};
    clock_t t0 = clock();
    assert_int_equal(cordon__fold(s, 1 + 2 * n, CORDON__FOLD_CASE, &out), 0);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    /* á (2 bytes) + 29 more acutes (2 bytes each) */
    assert_int_equal(out.len, 2 + 2 * (CORDON__MAX_MARK_RUN - 1));
    assert_true(secs < 1.0);
    cordon__buf_free(&out);
    free(s);
}

static void test_mixed_marks_order(void **state)
{
    (void)state;
    /* dot below (220) and acute (230) in either order normalize alike */
    char a[32], b[32];
    cordon_text_fold("a\xcc\x81\xcc\xa3", 5, a, sizeof a);
    cordon_text_fold("a\xcc\xa3\xcc\x81", 5, b, sizeof b);
    assert_string_equal(a, b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_and_nfkc),
        cmocka_unit_test(test_punctuation),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_truncation_at_boundary),
        cmocka_unit_test(test_mark_flood_is_bounded),
        cmocka_unit_test(test_mixed_marks_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
