/*
 * test_records.c — the streaming customer-file reader (lib/records.c):
 * CSV quoting, line ends, BOM, embedded newlines, bad rows that do not
 * stop reading, JSON lines, bounded records, pipes and chunk borders,
 * and a real file from the evaluation set.
 */
#include "test_util.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>

/* An in-memory file holding data, positioned at its start. */
static int mem_fd(const char *data, size_t len)
{
    int fd = memfd_create("records-test", 0);
    assert_true(fd >= 0);
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, data + off, len - off);
        assert_true(n > 0);
        off += (size_t)n;
    }
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    return fd;
}

typedef struct reader {
    int fd;
    cordon_records *r;
} reader;

static reader open_ok(const char *data, size_t len, cordon_records_format format, char delim)
{
    reader rd = {.fd = mem_fd(data, len)};
    cordon_records_options o = {.format = format, .delimiter = delim};
    cordon_error err;
    int rc = cordon_records_open(rd.fd, &o, "test.csv", &rd.r, &err);
    if (rc) {
        char buf[1200];
        fail_msg("open: %s", cordon_error_format(&err, buf, sizeof buf));
    }
    return rd;
}

static reader csv_s(const char *s) { return open_ok(s, strlen(s), CORDON_RECORDS_CSV, ','); }
static reader jsonl_s(const char *s) { return open_ok(s, strlen(s), CORDON_RECORDS_JSONL, 0); }

static void done(reader *rd)
{
    cordon_record rec;
    cordon_error err;
    assert_int_equal(cordon_records_next(rd->r, &rec, &err), 0);
    assert_int_equal(cordon_records_next(rd->r, &rec, &err), 0); /* stays at the end */
    cordon_records_close(rd->r);
    close(rd->fd);
}

/* Reads the next row and expects it good, with these values in order. */
static void expect_row(reader *rd, unsigned long number, unsigned long line, size_t n, ...)
{
    cordon_record rec;
    cordon_error err;
    assert_int_equal(cordon_records_next(rd->r, &rec, &err), 1);
    if (rec.error)
        fail_msg("row %lu: unexpected error %s: %s", rec.number, cordon_code_name(rec.error),
                 rec.message);
    assert_int_equal(rec.number, number);
    assert_int_equal(rec.line, line);
    assert_int_equal(rec.n_fields, n);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) {
        const char *want = va_arg(ap, const char *);
        assert_string_equal(rec.fields[i].value, want);
        assert_int_equal(rec.fields[i].len, strlen(want));
    }
    va_end(ap);
}

static void expect_bad(reader *rd, unsigned long number, unsigned long line, int code,
                       unsigned long column, const char *message)
{
    cordon_record rec;
    cordon_error err;
    assert_int_equal(cordon_records_next(rd->r, &rec, &err), 1);
    assert_int_equal(rec.number, number);
    assert_int_equal(rec.line, line);
    assert_int_equal(rec.error, code);
    assert_int_equal(rec.column, column);
    assert_int_equal(rec.n_fields, 0);
    assert_string_equal(rec.message, message);
}

static void test_basic(void **state)
{
    (void)state;
    reader rd = csv_s("id,Name , dob\n1,Kim Jong Un,1984-01-08\n2,,\n");
    assert_int_equal(cordon_records_column_count(rd.r), 3);
    assert_string_equal(cordon_records_column(rd.r, 0), "id");
    assert_string_equal(cordon_records_column(rd.r, 1), "Name ");
    assert_string_equal(cordon_records_column(rd.r, 2), " dob");
    assert_null(cordon_records_column(rd.r, 3));

    cordon_record rec;
    cordon_error err;
    assert_int_equal(cordon_records_next(rd.r, &rec, &err), 1);
    assert_int_equal(rec.error, 0);
    assert_string_equal(rec.message, "");
    /* lookup ignores case and blanks around the column name */
    const cordon_field *f = cordon_record_field(&rec, "name", 4);
    assert_non_null(f);
    assert_string_equal(f->name, "Name ");
    assert_string_equal(f->value, "Kim Jong Un");
    f = cordon_record_field(&rec, " DOB ", 5);
    assert_non_null(f);
    assert_string_equal(f->value, "1984-01-08");
    assert_null(cordon_record_field(&rec, "country", 7));
    assert_null(cordon_record_field(&rec, "nam", 3));
    expect_row(&rd, 2, 3, 3, "2", "", "");
    assert_int_equal(cordon_records_offset(rd.r), 43);
    done(&rd);
}

static void test_quoting(void **state)
{
    (void)state;
    reader rd = csv_s("name,note\n"
                      "\"Smith, John\",\"He said \"\"hi\"\"\"\n" /* delimiter and doubled quotes */
                      "\"\",\"\"\"\"\n"                          /* empty quoted; one quote */
                      "O\"Brien,a \"b\" c\n"                     /* quotes inside unquoted text */
                      " \"x\" ,\"y\"\n"                          /* a blank first: not a quoted field */
                      "\"Bad\" Jr,z\n"                           /* text after a closing quote */
                      "a,\"b\",\n"                               /* three fields */
                      "\"last\",\"\"\n");
    expect_row(&rd, 1, 2, 2, "Smith, John", "He said \"hi\"");
    expect_row(&rd, 2, 3, 2, "", "\"");
    expect_row(&rd, 3, 4, 2, "O\"Brien", "a \"b\" c");
    expect_row(&rd, 4, 5, 2, " \"x\" ", "y");
    expect_bad(&rd, 5, 6, CORDON_EFORMAT, 1, "text after the closing quote of field 1");
    expect_bad(&rd, 6, 7, CORDON_EFORMAT, 0, "3 fields where the header has 2");
    expect_row(&rd, 7, 8, 2, "last", "");
    done(&rd);
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    /* The open quote swallows the rest of the file: one bad row. */
    reader rd = csv_s("name,x\nok,1\n\"never closed,2\nmore,3\n");
    expect_row(&rd, 1, 2, 2, "ok", "1");
    expect_bad(&rd, 2, 3, CORDON_EFORMAT, 1, "unterminated quoted field 1 (opened on line 3)");
    done(&rd);
}

static void test_crlf_bom(void **state)
{
    (void)state;
    reader rd = csv_s("\xEF\xBB\xBFname,country\r\n"
                      "Vladimir Putin,RU\r\n"
                      "\r\n"
                      "\"Kim\r\nJong Un\",KP\r\n"
                      "GRACEFUL,\r\n");
    /* the BOM is not part of the first column's name */
    assert_string_equal(cordon_records_column(rd.r, 0), "name");
    expect_row(&rd, 1, 2, 2, "Vladimir Putin", "RU");
    /* blank lines are skipped and not counted as rows */
    expect_row(&rd, 2, 4, 2, "Kim\r\nJong Un", "KP");
    expect_row(&rd, 3, 6, 2, "GRACEFUL", "");
    done(&rd);
}

static void test_line_ends(void **state)
{
    (void)state;
    /* lone CR (old Mac), no final line end, embedded LF */
    reader rd = csv_s("a,b\r1,2\r\"x\ny\nz\",3\r\n4,\"5\"");
    expect_row(&rd, 1, 2, 2, "1", "2");
    expect_row(&rd, 2, 3, 2, "x\ny\nz", "3");
    expect_row(&rd, 3, 6, 2, "4", "5");
    done(&rd);
}

static void test_delimiters(void **state)
{
    (void)state;
    const char *semi = "name;dob\n\"Doe; Jane\";1970\nX;\n";
    reader rd = open_ok(semi, strlen(semi), CORDON_RECORDS_CSV, ';');
    expect_row(&rd, 1, 2, 2, "Doe; Jane", "1970");
    expect_row(&rd, 2, 3, 2, "X", "");
    done(&rd);
    const char *tab = "name\tdob\nDoe, Jane\t1970\n";
    rd = open_ok(tab, strlen(tab), CORDON_RECORDS_CSV, '\t');
    expect_row(&rd, 1, 2, 2, "Doe, Jane", "1970");
    done(&rd);
}

static void test_bad_rows_continue(void **state)
{
    (void)state;
    static const char data[] = "id,name,country\n"
                               "1,too,few\n"
                               "2,short\n"
                               "3,a,b,c\n"
                               "4,Mu\xC3\xBCller,DE\n"
                               "5,M\xFCller,DE\n"
                               "6,\xC0\xAF,x\n"
                               "7,x,\xED\xA0\x80\n"
                               "8,a\0b,c\n"
                               "9,fine,FR\n";
    reader rd = open_ok(data, sizeof data - 1, CORDON_RECORDS_CSV, ',');
    expect_row(&rd, 1, 2, 3, "1", "too", "few");
    expect_bad(&rd, 2, 3, CORDON_EFORMAT, 0, "2 fields where the header has 3");
    expect_bad(&rd, 3, 4, CORDON_EFORMAT, 0, "4 fields where the header has 3");
    expect_row(&rd, 4, 5, 3, "4", "Mu\xC3\xBCller", "DE");
    expect_bad(&rd, 5, 6, CORDON_EUTF8, 2, "invalid UTF-8 in field 2 (name) at byte 2");
    expect_bad(&rd, 6, 7, CORDON_EUTF8, 2, "invalid UTF-8 in field 2 (name) at byte 1");
    expect_bad(&rd, 7, 8, CORDON_EUTF8, 3, "invalid UTF-8 in field 3 (country) at byte 1");
    expect_bad(&rd, 8, 9, CORDON_EFORMAT, 2, "NUL byte in field 2");
    expect_row(&rd, 9, 10, 3, "9", "fine", "FR");
    done(&rd);
}

static void test_limits(void **state)
{
    (void)state;
    /* a row over the limit is skipped whole, even across quoted newlines */
    char big[4096];
    int n = snprintf(big, sizeof big, "name,x\nshort,1\n\"%0200d\n,%0200d\",2\nafter,3\n", 0, 0);
    reader rd = {.fd = mem_fd(big, (size_t)n)};
    cordon_records_options o = {.format = CORDON_RECORDS_CSV, .max_record_bytes = 100};
    cordon_error err;
    assert_int_equal(cordon_records_open(rd.fd, &o, "big.csv", &rd.r, &err), 0);
    expect_row(&rd, 1, 2, 2, "short", "1");
    expect_bad(&rd, 2, 3, CORDON_ETOOBIG, 0, "row longer than 100 bytes");
    expect_row(&rd, 3, 5, 2, "after", "3");
    done(&rd);

    /* JSON lines: the same limit */
    n = snprintf(big, sizeof big, "{\"name\":\"%0200d\"}\n{\"name\":\"ok\"}\n", 0);
    rd.fd = mem_fd(big, (size_t)n);
    o.format = CORDON_RECORDS_JSONL;
    assert_int_equal(cordon_records_open(rd.fd, &o, "big.jsonl", &rd.r, &err), 0);
    expect_bad(&rd, 1, 1, CORDON_ETOOBIG, 0, "row longer than 100 bytes");
    expect_row(&rd, 2, 2, 1, "ok");
    done(&rd);

    /* too many fields */
    size_t cap = (CORDON_RECORDS_MAX_FIELDS + 10) * 2 + 64;
    char *wide = malloc(cap);
    assert_non_null(wide);
    size_t len = (size_t)sprintf(wide, "a,b\n");
    for (int i = 0; i < CORDON_RECORDS_MAX_FIELDS + 5; i++)
        wide[len++] = ',';
    len += (size_t)sprintf(wide + len, "\nc,d\n");
    rd = open_ok(wide, len, CORDON_RECORDS_CSV, ',');
    expect_bad(&rd, 1, 2, CORDON_ETOOBIG, 0, "more than 4096 fields");
    expect_row(&rd, 2, 3, 2, "c", "d");
    done(&rd);
    free(wide);
}

static void test_open_errors(void **state)
{
    (void)state;
    cordon_records *r = (cordon_records *)1;
    cordon_error err;
    int fd = mem_fd("", 0);
    assert_int_equal(cordon_records_open(fd, NULL, "empty.csv", &r, &err), CORDON_EEMPTY);
    assert_null(r);
    assert_string_equal(err.file, "empty.csv");
    close(fd);

    fd = mem_fd("\n\r\n\n", 4);
    assert_int_equal(cordon_records_open(fd, NULL, "blank.csv", &r, &err), CORDON_EEMPTY);
    close(fd);

    fd = mem_fd("\xFF\xFEn\0a\0", 6);
    assert_int_equal(cordon_records_open(fd, NULL, "u16.csv", &r, &err), CORDON_EFORMAT);
    assert_string_equal(err.message, "UTF-16 text; convert the file to UTF-8");
    close(fd);

    fd = mem_fd("na\xE9me,x\n", 8);
    assert_int_equal(cordon_records_open(fd, NULL, "h.csv", &r, &err), CORDON_EUTF8);
    assert_string_equal(err.message,
                        "header row: invalid UTF-8 in header column 1 at byte 3");
    assert_int_equal(err.line, 1);
    close(fd);

    fd = mem_fd("\"name,x\n", 8);
    assert_int_equal(cordon_records_open(fd, NULL, "q.csv", &r, &err), CORDON_EFORMAT);
    close(fd);

    cordon_records_options o = {.delimiter = '"'};
    fd = mem_fd("a\n", 2);
    assert_int_equal(cordon_records_open(fd, &o, NULL, &r, &err), CORDON_EINVAL);
    o = (cordon_records_options){.format = 7};
    assert_int_equal(cordon_records_open(fd, &o, NULL, &r, &err), CORDON_EINVAL);
    assert_int_equal(cordon_records_open(-1, NULL, NULL, &r, &err), CORDON_EINVAL);
    close(fd);

    /* a file that cannot be read: a directory */
    fd = open(".", O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(cordon_records_open(fd, NULL, ".", &r, &err), CORDON_EIO);
    close(fd);

    /* header only: no rows */
    reader rd = csv_s("name\n");
    done(&rd);
    cordon_records_close(NULL);
    assert_null(cordon_record_field(NULL, "x", 1));
    assert_int_equal(cordon_records_column_count(NULL), 0);
}

static void test_jsonl(void **state)
{
    (void)state;
    reader rd = jsonl_s("\xEF\xBB\xBF{\"name\":\"Kim Jong Un\",\"dob\":\"1984\",\"n\":12,\"r\":1.5,"
                        "\"t\":true,\"f\":false,\"z\":null,\"a\":[1,\"x\"],\"o\":{\"k\":\"\\u00e9\"}}\r\n"
                        "\r\n"
                        "   \n"
                        "{\"name\":\"Vladimir Putin\"}\n"
                        "[1,2]\n"
                        "{\"name\":\"x\",\"name\":\"y\"}\n"
                        "{\"name\": \"broken\"\n"
                        "{\"name\":\"M\xFCller\"}\n"
                        "{\"name\":\"nul\\u0000\"}\n"
                        "\"just a string\"\n"
                        "{} trailing\n"
                        "{\"Full_Name\":\"\\u0412\\u043b\\u0430\\u0434\\u0438\\u043c\\u0438\\u0440\"}");
    assert_int_equal(cordon_records_column_count(rd.r), 0);
    cordon_record rec;
    cordon_error err;
    assert_int_equal(cordon_records_next(rd.r, &rec, &err), 1);
    assert_int_equal(rec.error, 0);
    assert_int_equal(rec.n_fields, 9);
    static const char *const names[] = {"name", "dob", "n", "r", "t", "f", "z", "a", "o"};
    static const char *const values[] = {"Kim Jong Un", "1984", "12", "1.5", "true",
                                         "false", "", "[1,\"x\"]", "{\"k\":\"\xC3\xA9\"}"};
    for (size_t i = 0; i < 9; i++) {
        assert_string_equal(rec.fields[i].name, names[i]);
        assert_string_equal(rec.fields[i].value, values[i]);
    }
    expect_row(&rd, 2, 4, 1, "Vladimir Putin");
    expect_bad(&rd, 3, 5, CORDON_EFORMAT, 0, "not a JSON object");
    expect_bad(&rd, 4, 6, CORDON_EFORMAT, 0,
               "malformed JSON at byte 19: duplicate object key near '\"name\"'");
    cordon_record r2;
    assert_int_equal(cordon_records_next(rd.r, &r2, &err), 1);
    assert_int_equal(r2.number, 5);
    assert_int_equal(r2.error, CORDON_EFORMAT);
    assert_true(strncmp(r2.message, "malformed JSON at byte ", 23) == 0);
    expect_bad(&rd, 6, 8, CORDON_EUTF8, 0, "invalid UTF-8 at byte 11");
    assert_int_equal(cordon_records_next(rd.r, &r2, &err), 1);
    assert_int_equal(r2.number, 7);
    assert_int_equal(r2.error, CORDON_EFORMAT); /* \u0000 is refused */
    expect_bad(&rd, 8, 10, CORDON_EFORMAT, 0, "not a JSON object");
    assert_int_equal(cordon_records_next(rd.r, &r2, &err), 1);
    assert_int_equal(r2.number, 9);
    assert_int_equal(r2.error, CORDON_EFORMAT);
    assert_int_equal(cordon_records_next(rd.r, &r2, &err), 1);
    assert_int_equal(r2.number, 10);
    assert_int_equal(r2.line, 12);
    const cordon_field *f = cordon_record_field(&r2, "full_name", 9);
    assert_non_null(f);
    assert_string_equal(f->value, "Владимир");
    done(&rd);
}

static void test_format_names(void **state)
{
    (void)state;
    cordon_records_format f;
    assert_int_equal(cordon_records_format_parse("CSV", 3, &f), 0);
    assert_int_equal(f, CORDON_RECORDS_CSV);
    assert_int_equal(cordon_records_format_parse("ndjson", 6, &f), 0);
    assert_int_equal(f, CORDON_RECORDS_JSONL);
    assert_int_equal(cordon_records_format_parse("jsonl", 5, &f), 0);
    assert_int_equal(cordon_records_format_parse("xml", 3, &f), CORDON_ENOTFOUND);
    assert_string_equal(cordon_records_format_name(CORDON_RECORDS_CSV), "csv");
    assert_string_equal(cordon_records_format_name(CORDON_RECORDS_JSONL), "jsonl");
}

/* ---- pipes and chunk borders ---------------------------------------- */

#define PIPE_ROWS 200000

static void *feed(void *arg)
{
    int fd = *(int *)arg;
    FILE *f = fdopen(fd, "w");
    fputs("id,name,note\r\n", f);
    for (int i = 1; i <= PIPE_ROWS; i++) {
        /* every 7th row has a quoted field with a newline, which lands
         * across chunk borders somewhere */
        if (i % 7 == 0)
            fprintf(f, "%d,\"Name, %d\",\"two\r\nlines\"\r\n", i, i);
        else
            fprintf(f, "%d,Name %d,x\r\n", i, i);
    }
    fclose(f);
    return NULL;
}

static void test_pipe_stream(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, feed, &p[1]), 0);
    cordon_records *r;
    cordon_error err;
    assert_int_equal(cordon_records_open(p[0], NULL, "-", &r, &err), 0);
    cordon_record rec;
    unsigned long n = 0, line = 2;
    int rc;
    char want[64];
    while ((rc = cordon_records_next(r, &rec, &err)) == 1) {
        n++;
        assert_int_equal(rec.error, 0);
        assert_int_equal(rec.number, n);
        assert_int_equal(rec.line, line);
        snprintf(want, sizeof want, "%lu", n);
        assert_string_equal(rec.fields[0].value, want);
        snprintf(want, sizeof want, n % 7 ? "Name %lu" : "Name, %lu", n);
        assert_string_equal(rec.fields[1].value, want);
        assert_string_equal(rec.fields[2].value, n % 7 ? "x" : "two\r\nlines");
        line += n % 7 ? 1 : 2;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, PIPE_ROWS);
    pthread_join(t, NULL);
    cordon_records_close(r);
    close(p[0]);
}

/* ---- a real file ------------------------------------------------------ */

static void test_real_negatives(void **state)
{
    (void)state;
    const char *shared = test_shared_data();
    if (!shared)
        fail_msg("shared data not found (../shared/data or $CORDON_SHARED_DATA)");
    char path[512];
    snprintf(path, sizeof path, "%s/eval/negatives/validation_negatives_global_1k.csv", shared);
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    cordon_records *r;
    cordon_error err;
    assert_int_equal(cordon_records_open(fd, NULL, path, &r, &err), 0);
    static const char *const cols[] = {"full_name", "first_name", "middle_name", "last_name",
                                       "gender", "date_of_birth", "place_of_birth",
                                       "nationality"};
    assert_int_equal(cordon_records_column_count(r), 8);
    for (size_t i = 0; i < 8; i++)
        assert_string_equal(cordon_records_column(r, i), cols[i]);
    cordon_record rec;
    size_t n = 0;
    int rc;
    while ((rc = cordon_records_next(r, &rec, &err)) == 1) {
        n++;
        assert_int_equal(rec.error, 0);
        assert_int_equal(rec.n_fields, 8);
        if (n == 1) {
            assert_string_equal(rec.fields[0].value, "حسین موسوی");
            assert_string_equal(rec.fields[2].value, "");
            assert_string_equal(rec.fields[5].value, "1945-04-29");
            assert_string_equal(rec.fields[7].value, "Iraq");
        }
        if (n == 1000) {
            assert_string_equal(rec.fields[0].value, "Flora Piermaria Solari");
            assert_string_equal(cordon_record_field(&rec, "nationality", 11)->value, "Austria");
            assert_int_equal(rec.line, 1001);
        }
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, 1000);
    assert_int_equal(cordon_records_offset(r), 82211);
    cordon_records_close(r);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_crlf_bom),
        cmocka_unit_test(test_line_ends),
        cmocka_unit_test(test_delimiters),
        cmocka_unit_test(test_bad_rows_continue),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_format_names),
        cmocka_unit_test(test_pipe_stream),
        cmocka_unit_test(test_real_negatives),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
