/*
 * test_config.c — the lists file: the bundled data/lists.conf, the syntax
 * (comments, quotes, blanks, CRLF), relative paths, and every error with
 * its line and column.
 */
#include "test_util.h"

static cordon_config *parse_ok(const char *text, const char *base)
{
    cordon_config *cfg = NULL;
    cordon_error err;
    int rc = cordon_config_parse(text, strlen(text), base, "test.conf", &cfg, &err);
    if (rc) {
        char buf[1200];
        fail_msg("parse: %s", cordon_error_format(&err, buf, sizeof buf));
    }
    assert_non_null(cfg);
    return cfg;
}

/* Expects a parse error; checks code, line, column and the formatted text. */
static void parse_fails(const char *text, size_t len, int code, unsigned long line,
                        unsigned long col, const char *formatted)
{
    cordon_config *cfg = (cordon_config *)1;
    cordon_error err;
    int rc = cordon_config_parse(text, len, "base", "test.conf", &cfg, &err);
    assert_int_equal(rc, code);
    assert_null(cfg);
    assert_int_equal(err.code, code);
    assert_string_equal(err.file, "test.conf");
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, col);
    char buf[1200];
    assert_string_equal(cordon_error_format(&err, buf, sizeof buf), formatted);
}

static void test_bundled_lists_file(void **state)
{
    (void)state;
    cordon_config *cfg = NULL;
    cordon_error err;
    assert_int_equal(cordon_config_read("data/lists.conf", &cfg, &err), 0);
    assert_int_equal(cordon_config_source_count(cfg), 4);
    const cordon_source_spec *s = cordon_config_source(cfg, 0);
    assert_string_equal(s->name, "ofac_sdn");
    assert_int_equal(s->format, CORDON_FORMAT_OFAC_CSV);
    assert_int_equal(s->n_files, 4);
    assert_string_equal(s->files[0], "data/lists/ofac_sdn/sdn_csv_2024-05-03/sdn.csv");
    assert_string_equal(s->files[1], "data/lists/ofac_sdn/partial_no_sdn_csv_2025-12/alt.csv");
    assert_string_equal(s->files[2], "data/lists/ofac_sdn/partial_no_sdn_csv_2025-12/add.csv");
    assert_string_equal(s->files[3],
                        "data/lists/ofac_sdn/partial_no_sdn_csv_2025-12/sdn_comments.csv");
    s = cordon_config_source(cfg, 1);
    assert_string_equal(s->name, "ofac_cons");
    assert_int_equal(s->format, CORDON_FORMAT_OFAC_CSV);
    assert_int_equal(s->n_files, 4);
    assert_string_equal(s->files[0], "data/lists/ofac_consolidated/csv_set_2025-12/cons_prim.csv");
    s = cordon_config_source(cfg, 2);
    assert_string_equal(s->name, "un_sc");
    assert_int_equal(s->format, CORDON_FORMAT_UN_XML);
    assert_int_equal(s->n_files, 1);
    assert_string_equal(s->files[0], "data/lists/un_sc/2026-02-27/UN_consolidated.xml");
    s = cordon_config_source(cfg, 3);
    assert_string_equal(s->name, "uk_ofsi");
    assert_int_equal(s->format, CORDON_FORMAT_OFSI_XLSX);
    assert_string_equal(s->files[0], "data/lists/uk_ofsi/conlist_2025-04-14/ConList.xlsx");
    assert_null(cordon_config_source(cfg, 4));
    /* Every file it names exists. */
    for (size_t i = 0; i < cordon_config_source_count(cfg); i++) {
        s = cordon_config_source(cfg, i);
        for (size_t k = 0; k < s->n_files; k++)
            if (access(s->files[k], R_OK) != 0)
                fail_msg("%s names missing file %s", s->name, s->files[k]);
    }
    cordon_config_free(cfg);
}

static void test_syntax(void **state)
{
    (void)state;
    cordon_config *cfg = parse_ok("# a comment\n"
                                  "\n"
                                  "   \t  \n"
                                  "a\tofac_xml   x.xml  # trailing comment\r\n"
                                  "b UN_XML y#1.xml \"with space.xml\" /abs/z.xml\r\n"
                                  "  # indented comment\n"
                                  "c-2_x us_csl \"#hash.csv\"",
                                  NULL);
    assert_int_equal(cordon_config_source_count(cfg), 3);
    const cordon_source_spec *s = cordon_config_source(cfg, 0);
    assert_string_equal(s->name, "a");
    assert_int_equal(s->format, CORDON_FORMAT_OFAC_XML);
    assert_int_equal(s->n_files, 1);
    assert_string_equal(s->files[0], "x.xml");
    s = cordon_config_source(cfg, 1);
    assert_string_equal(s->name, "b");
    assert_int_equal(s->format, CORDON_FORMAT_UN_XML); /* format names are case-insensitive */
    assert_int_equal(s->n_files, 3);
    assert_string_equal(s->files[0], "y#1.xml"); /* '#' inside a word is not a comment */
    assert_string_equal(s->files[1], "with space.xml");
    assert_string_equal(s->files[2], "/abs/z.xml");
    s = cordon_config_source(cfg, 2);
    assert_string_equal(s->name, "c-2_x");
    assert_int_equal(s->format, CORDON_FORMAT_US_CSL);
    assert_string_equal(s->files[0], "#hash.csv");
    cordon_config_free(cfg);
}

static void test_all_formats(void **state)
{
    (void)state;
    char text[2048] = "";
    for (int f = 1; f < CORDON_FORMAT_COUNT_; f++) {
        char line[128];
        snprintf(line, sizeof line, "s%d %s f%d\n", f, cordon_format_name((cordon_format)f), f);
        strcat(text, line);
    }
    cordon_config *cfg = parse_ok(text, NULL);
    assert_int_equal(cordon_config_source_count(cfg), CORDON_FORMAT_COUNT_ - 1);
    for (int f = 1; f < CORDON_FORMAT_COUNT_; f++)
        assert_int_equal(cordon_config_source(cfg, (size_t)f - 1)->format, f);
    cordon_config_free(cfg);
}

static void test_relative_paths(void **state)
{
    (void)state;
    const char *text = "s ofac_xml a.xml sub/b.xml ../c.xml /d.xml\n";
    struct {
        const char *base;
        const char *a, *b, *c, *d;
    } cases[] = {
        {NULL, "a.xml", "sub/b.xml", "../c.xml", "/d.xml"},
        {"", "a.xml", "sub/b.xml", "../c.xml", "/d.xml"},
        {"dir", "dir/a.xml", "dir/sub/b.xml", "dir/../c.xml", "/d.xml"},
        {"dir/", "dir/a.xml", "dir/sub/b.xml", "dir/../c.xml", "/d.xml"},
        {"/", "/a.xml", "/sub/b.xml", "/../c.xml", "/d.xml"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cordon_config *cfg = parse_ok(text, cases[i].base);
        const cordon_source_spec *s = cordon_config_source(cfg, 0);
        assert_string_equal(s->files[0], cases[i].a);
        assert_string_equal(s->files[1], cases[i].b);
        assert_string_equal(s->files[2], cases[i].c);
        assert_string_equal(s->files[3], cases[i].d);
        cordon_config_free(cfg);
    }
}

/* cordon_config_read resolves against the lists file's own directory. */
static void test_read_resolves_against_file(void **state)
{
    (void)state;
    const char *text = "s ofac_xml list.xml\n";
    char *path = test_write_temp(text, strlen(text), ".conf");
    cordon_config *cfg = NULL;
    cordon_error err;
    assert_int_equal(cordon_config_read(path, &cfg, &err), 0);
    assert_string_equal(cordon_config_source(cfg, 0)->files[0], "/tmp/list.xml");
    cordon_config_free(cfg);
    unlink(path);
    free(path);

    assert_int_equal(cordon_config_read("no/such/lists.conf", &cfg, &err), CORDON_EIO);
    assert_null(cfg);
    assert_string_equal(err.file, "no/such/lists.conf");
    assert_int_equal(cordon_config_read(NULL, &cfg, &err), CORDON_EINVAL);
    assert_int_equal(cordon_config_read("data/lists.conf", NULL, &err), CORDON_EINVAL);
    /* A directory is no lists file. */
    assert_int_equal(cordon_config_read("data", &cfg, &err), CORDON_EIO);
    assert_null(cfg);
}

static void test_errors(void **state)
{
    (void)state;
#define FAILS(text, code, line, col, msg) parse_fails(text, sizeof(text) - 1, code, line, col, msg)
    FAILS("# ok\n\nofac ofac_cvs sdn.csv\n", CORDON_EFORMAT, 3, 6,
          "test.conf:3:6: unknown format \"ofac_cvs\"");
    FAILS("a ofac_csv x\n  b   pdf   y\n", CORDON_EFORMAT, 2, 7,
          "test.conf:2:7: unknown format \"pdf\"");
    FAILS("a ofac_csv\n", CORDON_EFORMAT, 1, 1, "test.conf:1:1: expected \"NAME FORMAT FILE...\"");
    FAILS("a ofac_csv x\n   lonely\n", CORDON_EFORMAT, 2, 4,
          "test.conf:2:4: expected \"NAME FORMAT FILE...\"");
    FAILS("Bad ofac_csv x\n", CORDON_EFORMAT, 1, 1,
          "test.conf:1:1: source name \"Bad\" must be 1 to 64 of a-z, 0-9, '_', '-'");
    FAILS("a:b ofac_csv x\n", CORDON_EFORMAT, 1, 1,
          "test.conf:1:1: source name \"a:b\" must be 1 to 64 of a-z, 0-9, '_', '-'");
    FAILS("a ofac_csv x\nb un_xml y\n a ofac_xml z\n", CORDON_EFORMAT, 3, 2,
          "test.conf:3:2: source \"a\" is named twice");
    FAILS("a ofac_csv \"x y\n", CORDON_EFORMAT, 1, 12, "test.conf:1:12: unterminated quoted word");
    FAILS("a ofac_csv \"x\"y\n", CORDON_EFORMAT, 1, 15,
          "test.conf:1:15: expected a blank after the closing quote");
    FAILS("a ofac_csv \"\"\n", CORDON_EFORMAT, 1, 12, "test.conf:1:12: empty quoted word");
    /* Eight files are the most one source may have. */
    FAILS("a ofac_csv 1 2 3 4 5 6 7 8 9\n", CORDON_ETOOBIG, 1, 28,
          "test.conf:1:28: more than 8 files for one source");
    cordon_config *cfg = parse_ok("a ofac_csv 1 2 3 4 5 6 7 8\n", NULL);
    assert_int_equal(cordon_config_source(cfg, 0)->n_files, 8);
    assert_string_equal(cordon_config_source(cfg, 0)->files[7], "8");
    cordon_config_free(cfg);
    /* Empty. */
    FAILS("", CORDON_EEMPTY, 0, 0, "test.conf: lists file names no source");
    FAILS("# only a comment\n\n   \n", CORDON_EEMPTY, 0, 0, "test.conf: lists file names no source");
    /* Invalid UTF-8 and NUL bytes, with their position. */
    FAILS("# caf\xc3\xa9\na ofac_csv x\xff.csv\n", CORDON_EUTF8, 2, 13,
          "test.conf:2:13: invalid UTF-8");
    FAILS("a ofac_csv \xc3\n", CORDON_EUTF8, 1, 12, "test.conf:1:12: invalid UTF-8");
    FAILS("a ofac_csv \xed\xa0\x80\n", CORDON_EUTF8, 1, 12, "test.conf:1:12: invalid UTF-8");
    FAILS("a ofac_csv x\nb ofac_csv y\0z\n", CORDON_EFORMAT, 2, 13, "test.conf:2:13: NUL byte");
#undef FAILS
    /* UTF-8 file names are fine. */
    cfg = parse_ok("a ofac_csv caf\xc3\xa9.csv\n", NULL);
    assert_string_equal(cordon_config_source(cfg, 0)->files[0], "caf\xc3\xa9.csv");
    cordon_config_free(cfg);
}

static void test_limits(void **state)
{
    (void)state;
    /* A word longer than 4096 bytes. */
    size_t n = 5000;
    char *text = malloc(n + 32);
    assert_non_null(text);
    strcpy(text, "a ofac_csv ");
    memset(text + 11, 'x', n);
    text[11 + n] = '\0';
    parse_fails(text, strlen(text), CORDON_ETOOBIG, 1, 12,
                "test.conf:1:12: a word longer than 4096 bytes");
    free(text);
    /* More than 256 sources. */
    size_t cap = 300 * 32;
    text = malloc(cap);
    assert_non_null(text);
    size_t len = 0;
    for (int i = 0; i < 300; i++)
        len += (size_t)snprintf(text + len, cap - len, "s%d un_xml f\n", i);
    parse_fails(text, len, CORDON_ETOOBIG, 257, 1, "test.conf:257:1: more than 256 sources");
    free(text);
    /* Larger than 1 MiB. */
    n = (1 << 20) + 1;
    text = malloc(n);
    assert_non_null(text);
    memset(text, '#', n);
    parse_fails(text, n, CORDON_ETOOBIG, 0, 0, "test.conf: lists file is larger than 1024 KiB");
    free(text);
}

static void test_api_edges(void **state)
{
    (void)state;
    cordon_config *cfg = (cordon_config *)1;
    cordon_error err;
    assert_int_equal(cordon_config_parse(NULL, 0, NULL, "x", &cfg, &err), CORDON_EINVAL);
    assert_null(cfg);
    assert_int_equal(cordon_config_parse("a un_xml f", 10, NULL, "x", NULL, &err), CORDON_EINVAL);
    /* err may be NULL. */
    assert_int_equal(cordon_config_parse("zz", 2, NULL, NULL, &cfg, NULL), CORDON_EFORMAT);
    /* Only len bytes are read. */
    cfg = NULL;
    assert_int_equal(cordon_config_parse("a un_xml f1 f2", 11, NULL, NULL, &cfg, &err), 0);
    assert_int_equal(cordon_config_source(cfg, 0)->n_files, 1);
    assert_string_equal(cordon_config_source(cfg, 0)->files[0], "f1");
    cordon_config_free(cfg);
    assert_int_equal(cordon_config_source_count(NULL), 0);
    assert_null(cordon_config_source(NULL, 0));
    cordon_config_free(NULL);
}

/* Loading a config stops at the first failing source and names it. */
static void test_load_config_failure(void **state)
{
    (void)state;
    cordon_config *cfg = parse_ok("un un_xml no-such-file.xml\n", "data");
    cordon_dataset *ds = cordon_dataset_new();
    assert_non_null(ds);
    cordon_error err;
    assert_int_equal(cordon_dataset_load_config(ds, cfg, &err), CORDON_EIO);
    assert_string_equal(err.file, "data/no-such-file.xml");
    assert_int_equal(cordon_dataset_source_count(ds), 0);
    assert_int_equal(cordon_dataset_entity_count(ds), 0);
    assert_int_equal(cordon_dataset_load_config(NULL, cfg, &err), CORDON_EINVAL);
    assert_int_equal(cordon_dataset_load_config(ds, NULL, &err), CORDON_EINVAL);
    cordon_dataset_free(ds);
    cordon_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundled_lists_file),
        cmocka_unit_test(test_syntax),
        cmocka_unit_test(test_all_formats),
        cmocka_unit_test(test_relative_paths),
        cmocka_unit_test(test_read_resolves_against_file),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_api_edges),
        cmocka_unit_test(test_load_config_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
