/*
 * test_xlsx.c — the XLSX worksheet reader (lib/xlsx.c): small workbooks
 * written here with libzip, part by part, to pin down each cell kind and
 * each refusal; and the real OFSI workbook, whose row and cell counts were
 * found with Python's zipfile + xml.etree (one row per <row> holding a
 * non-empty cell, cells counted up to the last non-empty one).
 */
#include "test_util.h"

#include "cordon_int.h"

#include <zip.h>

#define OFSI_2025 "data/lists/uk_ofsi/conlist_2025-04-14/ConList.xlsx"

/* ---- building workbooks ------------------------------------------- */

typedef struct xpart {
    const char *name;
    const char *text; /* NULL: leave the part out */
} xpart;

static const char *const CONTENT_TYPES =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
static const char *const ROOT_RELS =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char *const WORKBOOK =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/>"
    "<sheet name=\"Other\" sheetId=\"2\" r:id=\"rId9\"/></sheets></workbook>";
static const char *const WORKBOOK_RELS =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet2.xml\"/>"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/styles\" Target=\"styles.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";
/* xf 0 general, 1 custom dd/mm/yyyy, 2 built-in 14 (a date), 3 built-in 2
 * (0.00, not a date), 4 custom time only. */
static const char *const STYLES =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"dd/MM/yyyy\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"[Red]h:mm &quot;d&quot;\"/></numFmts>"
    "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\" applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"14\"/><xf numFmtId=\"2\"/><xf numFmtId=\"165\"/></cellXfs></styleSheet>";
static const char *const STRINGS =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"4\" "
    "uniqueCount=\"4\"><si><t>Name 6</t></si><si><t xml:space=\"preserve\"> Group ID </t></si>"
    "<si><r><t>PU</t></r><r><rPr><b/></rPr><t>TIN</t></r><rPh><t>ignored</t></rPh></si>"
    "<si><t>Ж &amp; 中</t></si></sst>";

#define SHEET_HEAD                                                              \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet "                     \
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"     \
    "<dimension ref=\"A1:D4\"/><sheetData>"
#define SHEET_TAIL "</sheetData><pageMargins left=\"0.7\"/></worksheet>"

/* Writes a zip of these parts (deflated) to a temp file; returns its path. */
static char *make_zip(const xpart *parts, size_t n)
{
    char *path = test_write_temp("", 0, ".xlsx");
    int ze;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    assert_non_null(z);
    for (size_t i = 0; i < n; i++) {
        if (!parts[i].text)
            continue;
        zip_source_t *s = zip_source_buffer(z, parts[i].text, strlen(parts[i].text), 0);
        assert_non_null(s);
        assert_true(zip_file_add(z, parts[i].name, s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
    return path;
}

/* A workbook with the standard parts and this first sheet. */
static char *make_book(const char *sheet)
{
    xpart parts[] = {
        {"[Content_Types].xml", CONTENT_TYPES}, {"_rels/.rels", ROOT_RELS},
        {"xl/workbook.xml", WORKBOOK},          {"xl/_rels/workbook.xml.rels", WORKBOOK_RELS},
        {"xl/styles.xml", STYLES},              {"xl/sharedStrings.xml", STRINGS},
        {"xl/worksheets/sheet1.xml", sheet},
        {"xl/worksheets/sheet2.xml", SHEET_HEAD "<row r=\"1\"><c t=\"inlineStr\"><is><t>second "
                                                "sheet</t></is></c></row>" SHEET_TAIL},
    };
    return make_zip(parts, sizeof parts / sizeof parts[0]);
}

/* ---- reading: rows as text ------------------------------------------ */

/* Each row as "N:a|b|c" (N the row number), one a line. */
typedef struct rows {
    cordon__buf text;
    size_t n_rows;
    size_t stop_after; /* 0: never stop */
} rows;

static int collect(void *ctx, unsigned long row, const cordon__csv_field *cells, size_t n)
{
    rows *r = ctx;
    cordon__buf_printf(&r->text, "%lu:", row);
    for (size_t i = 0; i < n; i++)
        cordon__buf_printf(&r->text, "%s%.*s", i ? "|" : "", (int)cells[i].len, cells[i].s);
    cordon__buf_putc(&r->text, '\n');
    cordon__buf_terminate(&r->text);
    r->n_rows++;
    if (r->stop_after && r->n_rows == r->stop_after)
        return CORDON_EINVAL; /* as a row callback reports its own failure */
    return 0;
}

/* Reads path; returns the code, rows into *out (freed by the caller). */
static int read_book(const char *path, rows *out, cordon_error *err)
{
    char *data;
    size_t len;
    assert_int_equal(cordon__read_file(path, &data, &len, err), 0);
    int rc = cordon__xlsx_read(data, len, path, collect, out, err);
    free(data);
    return rc;
}

static void expect_rows(const char *sheet, const char *want)
{
    char *path = make_book(sheet);
    rows r = {0};
    cordon_error err;
    int rc = read_book(path, &r, &err);
    if (rc) {
        char buf[1200];
        fail_msg("%s", cordon_error_format(&err, buf, sizeof buf));
    }
    assert_string_equal(r.text.data ? r.text.data : "", want);
    cordon__buf_free(&r.text);
    unlink(path);
    free(path);
}

static cordon_error expect_fail(const char *path, int code, const char *needle)
{
    rows r = {0};
    cordon_error err;
    int rc = read_book(path, &r, &err);
    cordon__buf_free(&r.text);
    char buf[1200];
    if (rc != code)
        fail_msg("want %s, got %s: %s", cordon_code_name(code), cordon_code_name(rc),
                 cordon_error_format(&err, buf, sizeof buf));
    if (needle && !strstr(err.message, needle))
        fail_msg("\"%s\" not in \"%s\"", needle, err.message);
    assert_string_equal(err.file[0] ? "named" : "", "named");
    return err;
}

static void expect_sheet_fails(const char *sheet, int code, const char *needle)
{
    char *path = make_book(sheet);
    expect_fail(path, code, needle);
    unlink(path);
    free(path);
}

/* ---- cells ---------------------------------------------------------- */

static void test_strings_and_gaps(void **state)
{
    (void)state;
    /* Shared, rich (phonetic run dropped), inline and formula strings;
     * gaps between cells and between rows; cells without a reference
     * follow the previous one; an all-empty row is no row. */
    expect_rows(SHEET_HEAD
                "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c></row>"
                "<row r=\"2\"><c r=\"A2\" s=\"1\"/><c r=\"B2\" t=\"s\"/></row>"
                "<row r=\"4\"><c r=\"B4\" t=\"s\"><v>2</v></c><c t=\"inlineStr\"><is><t>in</t>"
                "<r><t>line</t></r></is></c><c t=\"str\"><f>A1&amp;B1</f><v>f&lt;x</v></c></row>"
                "<row><c r=\"D5\" t=\"s\"><v>3</v></c></row>" SHEET_TAIL,
                "1:Name 6|| Group ID \n"
                "4:|PUTIN|inline|f<x\n"
                "5:|||Ж & 中\n");
}

static void test_numbers_dates_booleans(void **state)
{
    (void)state;
    /* Serial dates in date-formatted cells (custom and built-in formats,
     * around the fictitious 1900-02-29), numbers elsewhere as written,
     * booleans, errors. */
    expect_rows(SHEET_HEAD
                "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>22347</v></c><c r=\"B1\" s=\"2\"><v>44927.5</v></c>"
                "<c r=\"C1\"><v>44927</v></c><c r=\"D1\" s=\"3\"><v>22347</v></c></row>"
                "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>1</v></c><c r=\"B2\" s=\"1\"><v>59</v></c>"
                "<c r=\"C2\" s=\"1\"><v>60</v></c><c r=\"D2\" s=\"1\"><v>61</v></c></row>"
                "<row r=\"3\"><c r=\"A3\" s=\"1\"><v>2958465</v></c><c r=\"B3\" s=\"1\"><v>-5</v></c>"
                "<c r=\"C3\" s=\"1\" t=\"n\"><v>abc</v></c><c r=\"D3\" s=\"4\"><v>0.5</v></c></row>"
                "<row r=\"4\"><c r=\"A4\" t=\"b\"><v>1</v></c><c r=\"B4\" t=\"b\"><v>0</v></c>"
                "<c r=\"C4\" t=\"e\"><v>#N/A</v></c><c r=\"D4\" s=\"99\"><v>7</v></c></row>" SHEET_TAIL,
                "1:1961-03-07|2023-01-01|44927|22347\n"
                "2:1900-01-01|1900-02-28|60|1900-03-01\n"
                "3:9999-12-31|-5|abc|0.5\n"
                "4:TRUE|FALSE|#N/A|7\n");
}

static void test_date1904_and_prefixes(void **state)
{
    (void)state;
    /* A workbook in the 1904 date system, written with namespace
     * prefixes throughout (as strict OOXML writers do), with a BOM, and a
     * relationship target in other case (part names are case-insensitive). */
    const char *wb = "<x:workbook xmlns:x=\"http://purl.oclc.org/ooxml/spreadsheetml/main\" "
                     "xmlns:rel=\"http://purl.oclc.org/ooxml/officeDocument/relationships\">"
                     "<x:workbookPr date1904=\"true\"/><x:sheets><x:sheet name=\"S\" "
                     "sheetId=\"1\" rel:id=\"rIdA\"/></x:sheets></x:workbook>";
    const char *rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                       "relationships\"><Relationship Id=\"rIdA\" Type=\"x/worksheet\" "
                       "Target=\"/xl/./sheets/../worksheets/Data.XML\"/><Relationship "
                       "Id=\"rIdS\" Type=\"x/styles\" Target=\"styles.xml\"/></Relationships>";
    const char *sheet = "\xEF\xBB\xBF<x:worksheet xmlns:x=\"http://purl.oclc.org/ooxml/"
                        "spreadsheetml/main\"><x:sheetData><x:row r=\"7\"><x:c r=\"B7\" s=\"2\">"
                        "<x:v>43461</x:v></x:c><x:c r=\"C7\" t=\"inlineStr\"><x:is><x:t>ok</x:t>"
                        "</x:is></x:c></x:row></x:sheetData></x:worksheet>";
    xpart parts[] = {{"xl/workbook.xml", wb}, {"xl/_rels/workbook.xml.rels", rels},
                     {"xl/styles.xml", STYLES}, {"xl/worksheets/data.xml", sheet}};
    char *path = make_zip(parts, 4); /* no _rels/.rels: the default place */
    rows r = {0};
    cordon_error err;
    assert_int_equal(read_book(path, &r, &err), 0);
    assert_string_equal(r.text.data, "7:|2022-12-28|ok\n");
    cordon__buf_free(&r.text);
    unlink(path);
    free(path);
}

static void test_callback_stops(void **state)
{
    (void)state;
    char *path = make_book(SHEET_HEAD "<row r=\"1\"><c t=\"s\"><v>0</v></c></row>"
                                      "<row r=\"2\"><c t=\"s\"><v>0</v></c></row>"
                                      "<row r=\"3\"><c t=\"s\"><v>0</v></c></row>" SHEET_TAIL);
    rows r = {.stop_after = 2};
    cordon_error err;
    assert_int_equal(read_book(path, &r, &err), CORDON_EINVAL);
    assert_int_equal(r.n_rows, 2);
    cordon__buf_free(&r.text);
    unlink(path);
    free(path);
}

/* ---- refusals ------------------------------------------------------- */

static void test_not_a_workbook(void **state)
{
    (void)state;
    const char csv[] = "Name 6,Name 1\nPUTIN,Vladimir\n";
    char *path = test_write_temp(csv, sizeof csv - 1, ".xlsx");
    expect_fail(path, CORDON_ECORRUPT, "not a zip archive");
    unlink(path);
    free(path);

    path = test_write_temp("", 0, ".xlsx");
    expect_fail(path, CORDON_EEMPTY, "empty");
    unlink(path);
    free(path);

    /* A zip, but a truncated one. */
    char *book = make_book(SHEET_HEAD SHEET_TAIL);
    char *data;
    size_t len;
    cordon_error err;
    assert_int_equal(cordon__read_file(book, &data, &len, &err), 0);
    path = test_write_temp(data, len / 2, ".xlsx");
    expect_fail(path, CORDON_ECORRUPT, "not a readable XLSX workbook");
    unlink(path);
    free(path);
    free(data);
    unlink(book);
    free(book);

    /* A zip of something else. */
    xpart other[] = {{"readme.txt", "hello"}};
    path = make_zip(other, 1);
    expect_fail(path, CORDON_ECORRUPT, "no xl/workbook.xml part");
    unlink(path);
    free(path);
}

static void test_missing_parts(void **state)
{
    (void)state;
    /* No worksheet listed. */
    xpart none[] = {{"xl/workbook.xml", "<workbook><sheets/></workbook>"}};
    char *path = make_zip(none, 1);
    expect_fail(path, CORDON_ECORRUPT, "lists no worksheet");
    unlink(path);
    free(path);

    /* Listed, but the rels part is missing. */
    xpart norels[] = {{"xl/workbook.xml", WORKBOOK}};
    path = make_zip(norels, 1);
    expect_fail(path, CORDON_ECORRUPT, "no relationships part xl/_rels/workbook.xml.rels");
    unlink(path);
    free(path);

    /* Listed and related, but the sheet part itself is missing. */
    xpart nosheet[] = {{"xl/workbook.xml", WORKBOOK},
                       {"xl/_rels/workbook.xml.rels", WORKBOOK_RELS},
                       {"xl/sharedStrings.xml", STRINGS}};
    path = make_zip(nosheet, 3);
    expect_fail(path, CORDON_ECORRUPT, "part xl/worksheets/sheet1.xml is missing");
    unlink(path);
    free(path);

    /* Shared strings named but absent. */
    xpart nostrings[] = {{"xl/workbook.xml", WORKBOOK},
                         {"xl/_rels/workbook.xml.rels", WORKBOOK_RELS},
                         {"xl/worksheets/sheet1.xml", SHEET_HEAD SHEET_TAIL}};
    path = make_zip(nostrings, 3);
    expect_fail(path, CORDON_ECORRUPT, "shared strings part xl/sharedStrings.xml");
    unlink(path);
    free(path);

    /* A target that climbs out of the package. */
    xpart escape[] = {{"xl/workbook.xml", WORKBOOK},
                      {"xl/_rels/workbook.xml.rels",
                       "<Relationships><Relationship Id=\"rId1\" Type=\"t/worksheet\" "
                       "Target=\"../../../etc/passwd\"/></Relationships>"}};
    path = make_zip(escape, 2);
    expect_fail(path, CORDON_ECORRUPT, "bad relationship target");
    unlink(path);
    free(path);

    /* The root element is not a workbook. */
    xpart notbook[] = {{"xl/workbook.xml", "<document/>"}};
    path = make_zip(notbook, 1);
    expect_fail(path, CORDON_ECORRUPT, "root element is <document>");
    unlink(path);
    free(path);
}

static void test_bad_cells(void **state)
{
    (void)state;
    expect_sheet_fails(SHEET_HEAD "<row r=\"1\"><c r=\"B1\" t=\"s\"><v>4</v></c></row>" SHEET_TAIL,
                       CORDON_ECORRUPT, "cell B1 points at shared string \"4\", but the workbook has 4");
    expect_sheet_fails(SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>x</v></c></row>" SHEET_TAIL,
                       CORDON_ECORRUPT, "cell A1 points at shared string");
    expect_sheet_fails(SHEET_HEAD "<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>" SHEET_TAIL,
                       CORDON_EFORMAT, "bad cell reference \"1A\"");
    expect_sheet_fails(SHEET_HEAD "<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>" SHEET_TAIL,
                       CORDON_EFORMAT, "bad cell reference");
    expect_sheet_fails(SHEET_HEAD "<row r=\"-3\"><c><v>1</v></c></row>" SHEET_TAIL,
                       CORDON_EFORMAT, "bad row number \"-3\"");
    expect_sheet_fails(SHEET_HEAD "<row r=\"1\"><c><v>1</v></c></row>", CORDON_EFORMAT,
                       "malformed XML in xl/worksheets/sheet1.xml");
    expect_sheet_fails(SHEET_HEAD "<row r=\"1\"><c><v>1</c></row>" SHEET_TAIL, CORDON_EFORMAT,
                       "mismatched tag");
    expect_sheet_fails(SHEET_HEAD "<row r=\"1\"><c t=\"inlineStr\"><is><t>\xC3\x28</t></is></c>"
                                  "</row>" SHEET_TAIL,
                       CORDON_EFORMAT, "malformed XML");
}

static void test_hostile_xml(void **state)
{
    (void)state;
    /* Billion laughs and external entities never get as far as expansion:
     * any DOCTYPE is refused, in the streamed parts and the small ones. */
    expect_sheet_fails("<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY a \"aaaa\">"
                       "<!ENTITY b \"&a;&a;&a;&a;\">]><worksheet><sheetData><row><c "
                       "t=\"inlineStr\"><is><t>&b;</t></is></c></row></sheetData></worksheet>",
                       CORDON_EFORMAT, "DOCTYPE <worksheet> is not allowed");
    expect_sheet_fails("<!DOCTYPE worksheet SYSTEM \"file:///etc/passwd\"><worksheet/>",
                       CORDON_EFORMAT, "DOCTYPE");
    xpart book[] = {{"xl/workbook.xml",
                     "<!DOCTYPE workbook [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                     "<workbook>&x;</workbook>"}};
    char *path = make_zip(book, 1);
    expect_fail(path, CORDON_EFORMAT, NULL);
    unlink(path);
    free(path);
}

static void test_zip_bomb(void **state)
{
    (void)state;
    /* 20 MiB of spaces deflate to about 20 KB; the workbook part may not
     * inflate beyond 16 MiB. */
    size_t n = (size_t)20 << 20;
    char *big = malloc(n + 64);
    assert_non_null(big);
    strcpy(big, "<workbook>");
    memset(big + 10, ' ', n);
    strcpy(big + 10 + n, "</workbook>");
    xpart parts[] = {{"xl/workbook.xml", big}};
    char *path = make_zip(parts, 1);
    free(big);
    expect_fail(path, CORDON_ETOOBIG, "over the 16 MiB limit");
    unlink(path);
    free(path);

    /* One cell over the field limit. */
    n = CORDON__MAX_FIELD_BYTES + 10;
    size_t cap = n + 512;
    char *sheet = malloc(cap);
    assert_non_null(sheet);
    int k = snprintf(sheet, cap, "%s<row r=\"1\"><c t=\"inlineStr\"><is><t>", SHEET_HEAD);
    memset(sheet + k, 'x', n);
    snprintf(sheet + k + n, cap - k - n, "</t></is></c></row>%s", SHEET_TAIL);
    expect_sheet_fails(sheet, CORDON_ETOOBIG, "cell A1 is over the");
    free(sheet);
}

/* ---- the real workbook ---------------------------------------------- */

static void test_real_ofsi(void **state)
{
    (void)state;
    rows r = {0};
    cordon_error err;
    assert_int_equal(read_book(OFSI_2025, &r, &err), 0);
    assert_int_equal(r.n_rows, 18800); /* "Last Updated", header, 18,798 names */
    const char *text = r.text.data;
    const char *start = "1:Last Updated|14/04/2025\n2:Name 6|Name 1|Name 2|";
    assert_true(strncmp(text, start, strlen(start)) == 0);
    assert_non_null(strstr(text, "|Group Type|Alias Type|Alias Quality|Regime|Listed On|"
                                 "UK Sanctions List Date Designated|Last Updated|Group ID\n3:"));
    /* Putin's primary name row, with its gaps and non-Latin name. */
    const char *putin = strstr(text, "\n14470:PUTIN|Vladimir|Vladimirovich|||||Владимир "
                                     "Владимирович Путин|||07/10/1952|St Petersburg (then "
                                     "Leningrad)|Russia|Russia|||||President of the Russian "
                                     "Federation||||||Moscow||Russia|(UK Sanctions List Ref)");
    assert_non_null(putin);
    cordon__buf_free(&r.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings_and_gaps),
        cmocka_unit_test(test_numbers_dates_booleans),
        cmocka_unit_test(test_date1904_and_prefixes),
        cmocka_unit_test(test_callback_stops),
        cmocka_unit_test(test_not_a_workbook),
        cmocka_unit_test(test_missing_parts),
        cmocka_unit_test(test_bad_cells),
        cmocka_unit_test(test_hostile_xml),
        cmocka_unit_test(test_zip_bomb),
        cmocka_unit_test(test_real_ofsi),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
