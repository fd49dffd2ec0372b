/*
 * test_csv.c — the CSV record reader (lib/csv.c) that the OFAC, OFSI, US
 * CSL and OpenSanctions parsers share: RFC 4180 and the quirks of the real
 * files, and where and how it reports a malformed record.
 */
#include "test_util.h"

#include "cordon_int.h"

/* Reads every record of text into "a|b;c|d;" form (fields joined by '|',
 * records ended by ';'), or returns the failure. */
static int read_all(const char *text, size_t len, char delim, char *out, size_t size,
                    cordon__csv *c, unsigned long *col)
{
    cordon__csv_init(c, text, len, delim);
    out[0] = '\0';
    size_t used = 0;
    const cordon__csv_field *f;
    size_t n;
    int rc;
    while ((rc = cordon__csv_next(c, &f, &n, col)) == 1) {
        for (size_t i = 0; i < n; i++)
            used += (size_t)snprintf(out + used, size - used, "%s%.*s", i ? "|" : "",
                                     (int)f[i].len, f[i].s);
        used += (size_t)snprintf(out + used, size - used, ";");
        assert_true(used < size);
    }
    return rc;
}

#define T(lit) lit, sizeof(lit) - 1

static void test_records(void **state)
{
    (void)state;
    cordon__csv c;
    unsigned long col;
    char out[512];
    /* BOM, CRLF, a blank line, doubled quotes, a quoted newline and
     * delimiter, a space after a closing quote (OFAC), an empty last field,
     * a DOS end-of-file byte and no final newline. */
    assert_int_equal(read_all(T("\xEF\xBB\xBF" "a,\"b \"\"q\"\"\",c\r\n\r\n"
                                "\"x\ny\",\"1,2\" ,\n"
                                "last,\x1A"),
                              ',', out, sizeof out, &c, &col),
                     0);
    assert_string_equal(out, "a|b \"q\"|c;x\ny|1,2|;last|;");
    /* the record after a quoted newline starts on line 5 */
    assert_int_equal(c.line, 5);
    cordon__csv_free(&c);

    assert_int_equal(read_all(T("p;\"q;r\";s"), ';', out, sizeof out, &c, &col), 0);
    assert_string_equal(out, "p|q;r|s;");
    cordon__csv_free(&c);

    assert_int_equal(read_all(T("\r\n\n"), ',', out, sizeof out, &c, &col), 0);
    assert_string_equal(out, "");
    cordon__csv_free(&c);
}

/* Each fault has its own sentence, and is placed where it is, on its own
 * line (not the record's first) and column in characters: an unterminated
 * quote at its opening quote, text after a closing quote at that text. A
 * quoted field that runs on over lines into text after its close is an
 * unterminated quote, and the message says where the text is. */
static void test_faults(void **state)
{
    (void)state;
    cordon__csv c;
    unsigned long col;
    char out[512];
    assert_int_equal(read_all(T("a,b\n1,\"two\"x,3\n"), ',', out, sizeof out, &c, &col),
                     CORDON_EFORMAT);
    assert_string_equal(out, "a|b;");
    assert_int_equal(c.line, 2);
    assert_int_equal(col, 8);
    assert_string_equal(c.error, "text after the closing quote of a field (a quote inside a "
                                 "quoted field is written twice)");
    /* the failure sticks */
    const cordon__csv_field *f;
    size_t n;
    assert_int_equal(cordon__csv_next(&c, &f, &n, &col), CORDON_EFORMAT);
    assert_null(f);
    assert_int_equal(n, 0);
    cordon__csv_free(&c);

    assert_int_equal(read_all(T("a,b\n1,\"two\n2\"x,3\n"), ',', out, sizeof out, &c, &col),
                     CORDON_EFORMAT);
    assert_int_equal(c.line, 2);
    assert_int_equal(col, 3);
    assert_string_equal(c.error, "unterminated quote: the quoted field opened here runs on to "
                                 "line 3, where text follows its closing quote at column 3");
    cordon__csv_free(&c);

    /* "é" is two bytes, one column; the record began on line 2 */
    assert_int_equal(read_all(T("a,b\n\"caf\xC3\xA9\n\",\"d\xC3\xA9j\xC3\xA0 \"vu,x\n"), ',', out,
                              sizeof out, &c, &col),
                     CORDON_EFORMAT);
    assert_int_equal(c.line, 3);
    assert_int_equal(col, 10);
    cordon__csv_free(&c);

    assert_int_equal(read_all(T("a,b\nc,\"multi\nline\",\"open\nand never closed\n"), ',', out,
                              sizeof out, &c, &col),
                     CORDON_EFORMAT);
    assert_int_equal(c.line, 3);
    assert_int_equal(col, 7);
    assert_string_equal(c.error, "unterminated quote: the quoted field opened here never closes");
    cordon__csv_free(&c);

    /* Too many fields: at the field past the limit. */
    cordon__csv_init(&c, T("a,b,c,d\n"), ',');
    c.max_fields = 3;
    assert_int_equal(cordon__csv_next(&c, &f, &n, &col), CORDON_ETOOBIG);
    assert_int_equal(c.line, 1);
    assert_int_equal(col, 7);
    assert_string_equal(c.error, "too many fields in one record");
    cordon__csv_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
