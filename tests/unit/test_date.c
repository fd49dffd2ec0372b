/*
 * test_date.c — cordon_date_parse: exact, partial, circa and range dates
 * in the forms lists use, impossible dates, garbage and long input, and
 * every date of birth in OFAC's 2024-05-03 sdn.csv and the UN list.
 */
#include "test_util.h"

/* Parses s and checks every field of the result. */
static void expect(const char *s, int year, int month, int day, int year_to, unsigned flags)
{
    cordon_date d;
    memset(&d, 0xA5, sizeof d);
    int rc = cordon_date_parse(s, strlen(s), &d);
    if (rc != 0)
        fail_msg("\"%s\": %s", s, cordon_code_name(rc));
    if (d.year != year || d.month != month || d.day != day || d.year_to != year_to ||
        d.flags != flags)
        fail_msg("\"%s\": got %d-%u-%u to %d flags %u, expected %d-%d-%d to %d flags %u", s,
                 d.year, d.month, d.day, d.year_to, d.flags, year, month, day, year_to, flags);
    assert_null(d.text);
}

static void expect_bad(const char *s)
{
    cordon_date d;
    int rc = cordon_date_parse(s, strlen(s), &d);
    if (rc != CORDON_EDATE)
        fail_msg("\"%s\": expected EDATE, got %s (%d-%u-%u)", s, cordon_code_name(rc), d.year,
                 d.month, d.day);
}

static void test_exact(void **state)
{
    (void)state;
    expect("1984-01-08", 1984, 1, 8, 0, 0);
    expect("1984/01/08", 1984, 1, 8, 0, 0);
    expect("1984.1.8", 1984, 1, 8, 0, 0);
    expect("08 Jan 1984", 1984, 1, 8, 0, 0);
    expect("8 January 1984", 1984, 1, 8, 0, 0);
    expect("08 JAN 1984", 1984, 1, 8, 0, 0);
    expect("08-JAN-1984", 1984, 1, 8, 0, 0);
    expect("8-Jan-1984", 1984, 1, 8, 0, 0);
    expect("07 Oct 1952", 1952, 10, 7, 0, 0);
    expect("07 Sept 1952", 1952, 9, 7, 0, 0);
    expect("07 Sept. 1952", 1952, 9, 7, 0, 0);
    expect("January 8, 1984", 1984, 1, 8, 0, 0);
    expect("Jan 8 1984", 1984, 1, 8, 0, 0);
    expect("  1984-01-08\r\n", 1984, 1, 8, 0, 0);
    /* XML dateTime: the time is ignored. */
    expect("2025-01-10T00:00:00", 2025, 1, 10, 0, 0);
    expect("2025-01-10T12:30:00.000+01:00", 2025, 1, 10, 0, 0);
    /* Leap days. */
    expect("29 Feb 1984", 1984, 2, 29, 0, 0);
    expect("2000-02-29", 2000, 2, 29, 0, 0);
    expect("31 Dec 2999", 2999, 12, 31, 0, 0);
    expect("1000-01-01", 1000, 1, 1, 0, 0);
}

static void test_day_first(void **state)
{
    (void)state;
    /* OFSI and UN write day first. */
    expect("08/01/1984", 1984, 1, 8, 0, 0);
    expect("8/1/1984", 1984, 1, 8, 0, 0);
    expect("13/12/1970", 1970, 12, 13, 0, 0);
    expect("08.01.1984", 1984, 1, 8, 0, 0);
    expect("08-01-1984", 1984, 1, 8, 0, 0);
    /* OFSI's 00 for an unknown day or month. */
    expect("00/00/1923", 1923, 0, 0, 0, 0);
    expect("00/05/1923", 1923, 5, 0, 0, 0);
    expect("01/1984", 1984, 1, 0, 0, 0);
    /* Month first is not guessed: 12/13 is no month. */
    expect_bad("12/13/1970");
    expect_bad("08/01/84");
    expect_bad("08/01");
    expect_bad("08/01-1984");
}

static void test_partial(void **state)
{
    (void)state;
    expect("1984", 1984, 0, 0, 0, 0);
    expect("1984-01", 1984, 1, 0, 0, 0);
    expect("Jan 1984", 1984, 1, 0, 0, 0);
    expect("January 1984", 1984, 1, 0, 0, 0);
    expect("JUL 1964", 1964, 7, 0, 0, 0);
    expect("1984-00-00", 1984, 0, 0, 0, 0);
}

static void test_circa(void **state)
{
    (void)state;
    expect("circa 1960", 1960, 0, 0, 0, CORDON_DATE_CIRCA);
    expect("Circa 1960", 1960, 0, 0, 0, CORDON_DATE_CIRCA);
    expect("ca. 1960", 1960, 0, 0, 0, CORDON_DATE_CIRCA);
    expect("ca 1960", 1960, 0, 0, 0, CORDON_DATE_CIRCA);
    expect("c. 1960", 1960, 0, 0, 0, CORDON_DATE_CIRCA);
    expect("approximately 1960", 1960, 0, 0, 0, CORDON_DATE_CIRCA);
    expect("approx. 1960", 1960, 0, 0, 0, CORDON_DATE_CIRCA);
    expect("about 1960", 1960, 0, 0, 0, CORDON_DATE_CIRCA);
    expect("circa 08 Jan 1984", 1984, 1, 8, 0, CORDON_DATE_CIRCA);
    expect("circa 1979-1982", 1979, 0, 0, 1982, CORDON_DATE_CIRCA | CORDON_DATE_RANGE);
    expect_bad("circa");
    expect_bad("circa circa 1960");
    expect_bad("cairo 1960");
}

static void test_ranges(void **state)
{
    (void)state;
    expect("1960 to 1962", 1960, 0, 0, 1962, CORDON_DATE_RANGE);
    expect("1960-1962", 1960, 0, 0, 1962, CORDON_DATE_RANGE);
    expect("1960 - 1962", 1960, 0, 0, 1962, CORDON_DATE_RANGE);
    expect("1960\xe2\x80\x93" "1962", 1960, 0, 0, 1962, CORDON_DATE_RANGE);
    expect("between 1960 and 1962", 1960, 0, 0, 1962, CORDON_DATE_RANGE);
    expect("from 1960 to 1962", 1960, 0, 0, 1962, CORDON_DATE_RANGE);
    expect("01 Jan 1937 to 31 Dec 1938", 1937, 0, 0, 1938, CORDON_DATE_RANGE);
    /* Both ends in one year: that year, at the precision they share. */
    expect("01 Jan 1934 to 31 Dec 1934", 1934, 0, 0, 0, 0);
    expect("01 Feb 1960 to 29 Feb 1960", 1960, 2, 0, 0, 0);
    expect("08 Jan 1984 to 08 Jan 1984", 1984, 1, 8, 0, 0);
    expect("1960 to 1960", 1960, 0, 0, 0, 0);
    expect_bad("1962 to 1960");
    expect_bad("between 1960");
    expect_bad("between 1960 or 1962");
    expect_bad("1960 to");
    expect_bad("1960 -");
    expect_bad("1960 to 1962 to 1964");
}

static void test_invalid(void **state)
{
    (void)state;
    expect_bad("1984-02-30");
    expect_bad("30 Feb 1984");
    expect_bad("1983-02-29");
    expect_bad("1900-02-29");
    expect_bad("1984-04-31");
    expect_bad("1984-13-01");
    expect_bad("1984-00-05");
    expect_bad("32/01/1984");
    expect_bad("00/13/1984");
    expect_bad("0999");
    expect_bad("3000");
    expect_bad("19840");
    expect_bad("1984-001-08");
    expect_bad("1984-01-");
    expect_bad("1984-01-08T");
    expect_bad("1984-01-08 junk");
    expect_bad("Foo 1984");
    expect_bad("Ja 1984");
    expect_bad("Janu 1984x");
    expect_bad("Mayday 1984");
    expect_bad("Jan");
    expect_bad("08 Jan");
    expect_bad("");
    expect_bad("   ");
    expect_bad("-");
    expect_bad("to");
    expect_bad("unknown");
    cordon_date d;
    assert_int_equal(cordon_date_parse("1984\0", 5, &d), CORDON_EDATE);
    assert_int_equal(cordon_date_parse("1984", 4, NULL), CORDON_EINVAL);
    assert_int_equal(cordon_date_parse(NULL, 4, &d), CORDON_EINVAL);
    /* Only len bytes are read. */
    assert_int_equal(cordon_date_parse("1984-01-08garbage", 10, &d), 0);
    assert_int_equal(d.day, 8);
    assert_int_equal(cordon_date_parse("1984-01-08", 7, &d), 0);
    assert_int_equal(d.day, 0);
    assert_int_equal(d.month, 1);
}

static void test_long_input(void **state)
{
    (void)state;
    cordon_date d;
    size_t big = 1 << 20;
    char *s = malloc(big);
    assert_non_null(s);
    memset(s, ' ', big);
    memcpy(s + big / 2, "1984", 4);
    /* A date padded with whitespace is still a date. */
    assert_int_equal(cordon_date_parse(s, big, &d), 0);
    assert_int_equal(d.year, 1984);
    memset(s, '1', big);
    assert_int_equal(cordon_date_parse(s, big, &d), CORDON_EDATE);
    for (size_t i = 0; i < big; i++)
        s[i] = "circa "[i % 6];
    assert_int_equal(cordon_date_parse(s, big, &d), CORDON_EDATE);
    free(s);
}

/* Every "DOB ..." of the 2024-05-03 sdn.csv remarks is a date. */
static void test_ofac_dates_of_birth(void **state)
{
    (void)state;
    FILE *f = fopen("data/lists/ofac_sdn/sdn_csv_2024-05-03/sdn.csv", "rb");
    assert_non_null(f);
    char *text = malloc(8 << 20);
    assert_non_null(text);
    size_t len = fread(text, 1, (8 << 20) - 1, f);
    fclose(f);
    text[len] = '\0';
    size_t n = 0, ranges = 0, circa = 0, full = 0;
    for (char *p = strstr(text, "DOB "); p; p = strstr(p, "DOB ")) {
        p += 4;
        size_t k = strcspn(p, ";\"\r\n");
        while (k && (p[k - 1] == '.' || p[k - 1] == ' '))
            k--;
        cordon_date d;
        if (cordon_date_parse(p, k, &d) != 0)
            fail_msg("not a date: \"%.*s\"", (int)k, p);
        n++;
        ranges += (d.flags & CORDON_DATE_RANGE) != 0;
        circa += (d.flags & CORDON_DATE_CIRCA) != 0;
        full += d.day != 0;
    }
    free(text);
    assert_int_equal(n, 7534);
    assert_int_equal(circa, 73);
    assert_int_equal(ranges, 104);
    assert_int_equal(full, 6179);
}

/* The UN list's <DATE> elements are ISO dates. */
static void test_un_dates(void **state)
{
    (void)state;
    FILE *f = fopen("data/lists/un_sc/2026-02-27/UN_consolidated.xml", "rb");
    assert_non_null(f);
    char *text = malloc(8 << 20);
    assert_non_null(text);
    size_t len = fread(text, 1, (8 << 20) - 1, f);
    fclose(f);
    text[len] = '\0';
    size_t n = 0;
    for (char *p = strstr(text, "<DATE>"); p; p = strstr(p, "<DATE>")) {
        p += 6;
        size_t k = strcspn(p, "<");
        cordon_date d;
        if (cordon_date_parse(p, k, &d) != 0 || !d.day)
            fail_msg("not a full date: \"%.*s\"", (int)k, p);
        n++;
    }
    free(text);
    assert_int_equal(n, 454);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact),
        cmocka_unit_test(test_day_first),
        cmocka_unit_test(test_partial),
        cmocka_unit_test(test_circa),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_long_input),
        cmocka_unit_test(test_ofac_dates_of_birth),
        cmocka_unit_test(test_un_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
