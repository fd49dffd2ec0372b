/* test_xml.c — the hardened expat layer: tree shape, limits, attacks. */
#include "test_util.h"

#include "cordon_int.h"

static int parse(cordon__xml_doc *doc, const char *s, const cordon__xml_limits *lim,
                 cordon_error *err)
{
    return cordon__xml_parse(doc, s, strlen(s), "mem.xml", lim, err);
}

static void test_tree(void **state)
{
    (void)state;
    const char *s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<x:root xmlns:x=\"urn:x\" a=\"1\" b='two &amp; 3'>\n"
                    "  <item id=\"7\">Hello, &lt;World&gt; &#x41;&#66;</item>\n"
                    "  <item id=\"8\"><![CDATA[a<b]]> tail</item>\n"
                    "  <other/>\n"
                    "  <item id=\"9\">  spaced  </item>\n"
                    "  <nest><deep>Ω 北</deep></nest>\n"
                    "</x:root>\n";
    cordon__xml_doc doc;
    cordon_error err;
    assert_int_equal(parse(&doc, s, NULL, &err), 0);
    const cordon__xml_node *r = doc.root;
    assert_string_equal(r->name, "root");
    assert_string_equal(r->qname, "x:root");
    assert_int_equal(r->n_attrs, 3);
    assert_string_equal(cordon__xml_attr(r, "xmlns:x"), "urn:x");
    assert_string_equal(cordon__xml_attr(r, "b"), "two & 3");
    assert_null(cordon__xml_attr(r, "c"));
    assert_string_equal(r->text, ""); /* indentation dropped */
    assert_int_equal(r->n_children, 5);
    assert_int_equal(doc.n_nodes, 7);

    const char *want[] = {"Hello, <World> AB", "a<b tail", "  spaced  "};
    const char *ids[] = {"7", "8", "9"};
    int i = 0;
    CORDON__XML_EACH(it, r, "item") {
        assert_true(i < 3);
        assert_string_equal(it->text, want[i]);
        assert_int_equal(it->text_len, strlen(want[i]));
        assert_string_equal(cordon__xml_attr(it, "id"), ids[i]);
        assert_ptr_equal(it->parent, r);
        i++;
    }
    assert_int_equal(i, 3);
    const cordon__xml_node *first = cordon__xml_child(r, NULL);
    assert_int_equal(first->line, 3);
    assert_int_equal(first->column, 3);
    assert_string_equal(cordon__xml_child_text(r, "nest/deep", NULL), "Ω 北");
    assert_null(cordon__xml_child_text(r, "nest/none", NULL));
    assert_null(cordon__xml_path(r, "none/deep"));
    size_t len = 99;
    assert_string_equal(cordon__xml_child_text(r, "other", &len), "");
    assert_int_equal(len, 0);
    cordon__xml_free(&doc);
    cordon__xml_free(&doc); /* harmless twice */
}

/* Expects failure with code at line:col and a message containing needle. */
static void expect_fail(const char *s, size_t len, int code, unsigned long line,
                        unsigned long col, const char *needle)
{
    cordon__xml_doc doc;
    cordon_error err;
    int rc = cordon__xml_parse(&doc, s, len, "bad.xml", NULL, &err);
    if (rc != code || err.line != line || err.column != col || !strstr(err.message, needle))
        fail_msg("want %d at %lu:%lu containing \"%s\", got %d at %lu:%lu: %s", code, line,
                 col, needle, rc, err.line, err.column, err.message);
    assert_string_equal(err.file, "bad.xml");
    assert_null(doc.root);
    cordon__xml_free(&doc);
}

#define FAIL_S(s, code, line, col, needle) expect_fail(s, strlen(s), code, line, col, needle)

static void test_broken(void **state)
{
    (void)state;
    FAIL_S("<a>\n  <b>text</c>\n</a>\n", CORDON_EFORMAT, 2, 12, "mismatched tag");
    FAIL_S("<a>\n<b>\n", CORDON_EFORMAT, 3, 1, "no element found");
    FAIL_S("<a x=1/>", CORDON_EFORMAT, 1, 6, "not well-formed");
    FAIL_S("<a>&nope;</a>", CORDON_EFORMAT, 1, 4, "undefined entity");
    FAIL_S("<a/><b/>", CORDON_EFORMAT, 1, 5, "junk after document element");
}

static void test_billion_laughs(void **state)
{
    (void)state;
    const char *s = "<?xml version=\"1.0\"?>\n"
                    "<!DOCTYPE lolz [\n"
                    " <!ENTITY lol \"lol\">\n"
                    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
                    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
                    "]>\n"
                    "<lolz>&lol2;</lolz>\n";
    FAIL_S(s, CORDON_EFORMAT, 3, 15, "billion laughs");
}

static void test_xxe(void **state)
{
    (void)state;
    FAIL_S("<?xml version=\"1.0\"?>\n"
           "<!DOCTYPE foo [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\n"
           "<foo>&xxe;</foo>\n",
           CORDON_EFORMAT, 2, 57, "XXE");
    FAIL_S("<!DOCTYPE foo [ <!ENTITY % p SYSTEM \"http://x/e.dtd\"> %p; ]><foo/>",
           CORDON_EFORMAT, 1, 53, "XXE");
    FAIL_S("<!DOCTYPE foo SYSTEM \"http://example.com/evil.dtd\">\n<foo/>", CORDON_EFORMAT,
           1, 51, "external DTD");
    /* A DOCTYPE with no entities is harmless and accepted. */
    cordon__xml_doc doc;
    cordon_error err;
    assert_int_equal(parse(&doc, "<!DOCTYPE a [ <!ELEMENT a (#PCDATA)> ]><a>x</a>", NULL, &err),
                     0);
    assert_string_equal(doc.root->text, "x");
    cordon__xml_free(&doc);
}

static void test_bytes(void **state)
{
    (void)state;
    FAIL_S("", CORDON_EEMPTY, 0, 0, "empty");
    FAIL_S(" \r\n\t", CORDON_EEMPTY, 0, 0, "empty");
    FAIL_S("\xEF\xBB\xBF\n", CORDON_EEMPTY, 0, 0, "empty");
    FAIL_S("36,\"KIM, Jong Un\",individual\r\n", CORDON_ECORRUPT, 1, 1, "not an XML document");
    FAIL_S("\n\n  {\"a\": 1}", CORDON_ECORRUPT, 3, 3, "not an XML document");
    FAIL_S("<a>\nok \xC3\x28</a>", CORDON_EUTF8, 2, 4, "invalid UTF-8");
    FAIL_S("<a>\xED\xA0\x80</a>", CORDON_EUTF8, 1, 4, "invalid UTF-8"); /* surrogate */
    FAIL_S("<a>\xC0\xAF</a>", CORDON_EUTF8, 1, 4, "invalid UTF-8");     /* overlong */
    expect_fail("<a>x\0y</a>", 10, CORDON_EFORMAT, 1, 5, "NUL byte");
    /* Placed as expat places its own errors: a lone CR ends a line, a
     * character is one column, a BOM is none. */
    FAIL_S("<a>\rna\xC3\xAFve \xC3\x28</a>", CORDON_EUTF8, 2, 7, "invalid UTF-8");
    FAIL_S("\xEF\xBB\xBF<a>\xC3\x28</a>", CORDON_EUTF8, 1, 4, "invalid UTF-8");
    expect_fail("<a>\r\n\xE5\x8C\x97\0</a>", 12, CORDON_EFORMAT, 2, 2, "NUL byte");
    /* UTF-16 is not accepted: lists are UTF-8. */
    expect_fail("\xFF\xFE<\0a\0/\0>\0", 10, CORDON_EUTF8, 1, 1, "UTF-16");
    expect_fail("\xFE\xFF\0<\0a\0/\0>", 10, CORDON_EUTF8, 1, 1, "UTF-16");
    expect_fail("<\0a\0/\0>\0", 8, CORDON_EUTF8, 1, 1, "UTF-16");
    /* A BOM is fine. */
    cordon__xml_doc doc;
    cordon_error err;
    assert_int_equal(parse(&doc, "\xEF\xBB\xBF<a>é</a>", NULL, &err), 0);
    assert_string_equal(doc.root->text, "é");
    cordon__xml_free(&doc);
}

static void test_limits(void **state)
{
    (void)state;
    cordon__xml_limits lim = cordon__xml_default_limits;
    lim.max_depth = 3;
    cordon__xml_doc doc;
    cordon_error err;
    assert_int_equal(parse(&doc, "<a><b><c/></b></a>", &lim, &err), 0);
    cordon__xml_free(&doc);
    assert_int_equal(parse(&doc, "<a><b><c><d/></c></b></a>", &lim, &err), CORDON_ETOOBIG);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 10);
    assert_non_null(strstr(err.message, "deeper than 3"));

    lim = cordon__xml_default_limits;
    lim.max_nodes = 3;
    assert_int_equal(parse(&doc, "<a><b/><c/><d/></a>", &lim, &err), CORDON_ETOOBIG);
    assert_non_null(strstr(err.message, "more than 3 elements"));

    lim = cordon__xml_default_limits;
    lim.max_text = 8;
    assert_int_equal(parse(&doc, "<a><b>12345678</b><c>123<![CDATA[456]]>789</c></a>", &lim,
                           &err),
                     CORDON_ETOOBIG);
    assert_non_null(strstr(err.message, "<c>"));

    lim = cordon__xml_default_limits;
    lim.max_attrs = 2;
    assert_int_equal(parse(&doc, "<a x='1' y='2' z='3'/>", &lim, &err), CORDON_ETOOBIG);

    /* An attribute value is bounded like text. */
    lim = cordon__xml_default_limits;
    lim.max_text = 8;
    assert_int_equal(parse(&doc, "<a x='12345678'>\n <b y='123456789'/></a>", &lim, &err),
                     CORDON_ETOOBIG);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 2);
    assert_string_equal(err.message, "attribute y of <b> exceeds 8 bytes");

    /* The default depth limit stops a deeply nested hostile document. */
    size_t n = 5000;
    char *deep = malloc(n * 3 + 1);
    assert_non_null(deep);
    for (size_t i = 0; i < n; i++)
        memcpy(deep + 3 * i, "<a>", 3);
    deep[3 * n] = '\0';
    assert_int_equal(parse(&doc, deep, NULL, &err), CORDON_ETOOBIG);
    free(deep);
}

/* Element positions agree with expat's own counting (used in errors):
 * LF, CR LF and lone CR end lines; columns count characters. */
static void test_positions(void **state)
{
    (void)state;
    const char *s = "\xEF\xBB\xBF<a>\r\n<b/>\r<c/>\n é<d/><e/>\r\n\r\n  <f/>北<g/></a>";
    cordon__xml_doc doc;
    cordon_error err;
    assert_int_equal(parse(&doc, s, NULL, &err), 0);
    static const unsigned long want[][2] = {{1, 1}, {2, 1}, {3, 1}, {4, 3}, {4, 7}, {6, 3}, {6, 8}};
    const cordon__xml_node *n = doc.root;
    assert_int_equal(n->line, want[0][0]);
    assert_int_equal(n->column, want[0][1]);
    size_t i = 1;
    CORDON__XML_EACH(k, doc.root, NULL) {
        assert_int_equal(k->line, want[i][0]);
        assert_int_equal(k->column, want[i][1]);
        i++;
    }
    assert_int_equal(i, 7);
    cordon__xml_free(&doc);
    /* expat counts 北 as one column too: the bad name in </x> is at 6:14 */
    char *bad = malloc(strlen(s) + 1);
    assert_non_null(bad);
    strcpy(bad, s);
    strcpy(strstr(bad, "</a>"), "</x>");
    assert_int_equal(parse(&doc, bad, NULL, &err), CORDON_EFORMAT);
    assert_int_equal(err.line, 6);
    assert_int_equal(err.column, 14);
    free(bad);
}

static void test_real_file(void **state)
{
    (void)state;
    cordon__xml_doc doc;
    cordon_error err;
    assert_int_equal(cordon__xml_parse_file(&doc, "data/lists/un_sc/2026-02-27/UN_consolidated.xml",
                                            NULL, &err),
                     0);
    assert_string_equal(doc.root->name, "CONSOLIDATED_LIST");
    assert_string_equal(cordon__xml_attr(doc.root, "dateGenerated"),
                        "2026-02-27T00:00:09.554Z");
    size_t people = 0;
    CORDON__XML_EACH(p, cordon__xml_child(doc.root, "INDIVIDUALS"), "INDIVIDUAL")
        people++;
    assert_int_equal(people, 730);
    cordon__xml_free(&doc);

    assert_int_equal(cordon__xml_parse_file(&doc, "data/lists/no/such.xml", NULL, &err),
                     CORDON_EIO);
    cordon__xml_free(&doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree),
        cmocka_unit_test(test_broken),
        cmocka_unit_test(test_billion_laughs),
        cmocka_unit_test(test_xxe),
        cmocka_unit_test(test_bytes),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_real_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
