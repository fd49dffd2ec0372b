/* test_un_xml.c — the UN Security Council Consolidated List XML parser. */
#include "test_util.h"

#include "cordon_int.h"

#define UN_FILE "data/lists/un_sc/2026-02-27/UN_consolidated.xml"

static cordon_dataset *load_un(void)
{
    const char *files[] = {UN_FILE};
    return test_load("un_sc", CORDON_FORMAT_UN_XML, files, 1);
}

static const cordon_entity *find(const cordon_dataset *ds, const char *id)
{
    const cordon_entity *e = cordon_dataset_find(ds, id, strlen(id));
    if (!e)
        fail_msg("%s not loaded", id);
    return e;
}

static void test_counts(void **state)
{
    (void)state;
    cordon_dataset *ds = load_un();
    assert_int_equal(cordon_dataset_source_count(ds), 1);
    const cordon_source_info *info = cordon_dataset_source(ds, 0);
    assert_string_equal(info->published, "2026-02-27");
    assert_int_equal(info->n_entities, 1003);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_PERSON], 730);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_ORGANIZATION], 273);
    assert_int_equal(info->n_warnings, 0);

    /* Names by kind, after dropping the 291 empty alias elements and
     * exact duplicates: 1003 primary + 377 native + 2108 strong + 615
     * weak + 18 former. */
    size_t kinds[CORDON_NAME_KIND_COUNT_] = {0};
    size_t ids = 0, passports = 0, dobs = 0, ranges = 0, circa = 0;
    for (size_t i = 0; i < cordon_dataset_entity_count(ds); i++) {
        const cordon_entity *e = cordon_dataset_entity(ds, i);
        assert_int_equal(e->names[0].kind, CORDON_NAME_PRIMARY);
        assert_int_equal(e->n_programs, 1);
        assert_non_null(e->listed_on);
        for (size_t k = 0; k < e->n_names; k++)
            kinds[e->names[k].kind]++;
        ids += e->n_identifiers;
        for (size_t k = 0; k < e->n_identifiers; k++)
            passports += e->identifiers[k].type == CORDON_ID_PASSPORT;
        dobs += e->n_birth_dates;
        for (size_t k = 0; k < e->n_birth_dates; k++) {
            ranges += (e->birth_dates[k].flags & CORDON_DATE_RANGE) != 0;
            circa += (e->birth_dates[k].flags & CORDON_DATE_CIRCA) != 0;
        }
    }
    assert_int_equal(kinds[CORDON_NAME_PRIMARY], 1003);
    assert_int_equal(kinds[CORDON_NAME_NATIVE], 377);
    assert_int_equal(kinds[CORDON_NAME_STRONG], 2108);
    assert_int_equal(kinds[CORDON_NAME_WEAK], 615);
    assert_int_equal(kinds[CORDON_NAME_FORMER], 18);
    assert_int_equal(info->n_names, 4121);
    assert_int_equal(ranges, 31);
    assert_true(circa > 0);
    assert_true(passports > 300);
    assert_true(ids > passports);
    assert_true(dobs > 850);
    cordon_dataset_free(ds);
}

/* The README counts 2,308 + 735 alias elements; 291 of them are empty. */
static void test_alias_elements(void **state)
{
    (void)state;
    cordon__xml_doc doc;
    cordon_error err;
    assert_int_equal(cordon__xml_parse_file(&doc, UN_FILE, NULL, &err), 0);
    size_t people = 0, orgs = 0, empty = 0;
    CORDON__XML_EACH(p, cordon__xml_child(doc.root, "INDIVIDUALS"), "INDIVIDUAL")
        CORDON__XML_EACH(a, p, "INDIVIDUAL_ALIAS") {
            people++;
            empty += cordon__xml_child_text(a, "ALIAS_NAME", NULL)[0] == '\0';
        }
    CORDON__XML_EACH(o, cordon__xml_child(doc.root, "ENTITIES"), "ENTITY")
        CORDON__XML_EACH(a, o, "ENTITY_ALIAS") {
            orgs++;
            empty += cordon__xml_child_text(a, "ALIAS_NAME", NULL)[0] == '\0';
        }
    assert_int_equal(people, 2308);
    assert_int_equal(orgs, 735);
    assert_int_equal(empty, 291);
    cordon__xml_free(&doc);
}

static void test_kpi033(void **state)
{
    (void)state;
    cordon_dataset *ds = load_un();
    const cordon_entity *e = find(ds, "un_sc:KPi.033");
    assert_string_equal(e->source, "un_sc");
    assert_string_equal(e->native_id, "KPi.033");
    assert_int_equal(e->schema, CORDON_SCHEMA_PERSON);
    assert_int_equal(e->n_names, 1); /* its one alias element is empty */
    assert_string_equal(e->names[0].value, "RI WON HO");
    assert_int_equal(e->n_programs, 1);
    assert_string_equal(e->programs[0], "DPRK");
    assert_string_equal(e->listed_on, "2016-11-30");
    assert_string_equal(e->remarks, "Ri Won Ho is a DPRK Ministry of State Security Official "
                                    "stationed in Syria supporting KOMID.");
    assert_string_equal(e->title, "DPRK Ministry of State Security Official");
    assert_int_equal(e->n_nationalities, 1);
    assert_string_equal(e->nationalities[0].text, "Democratic People's Republic of Korea");
    assert_string_equal(e->nationalities[0].code, "KP");
    assert_int_equal(e->n_birth_dates, 1);
    assert_int_equal(e->birth_dates[0].year, 1964);
    assert_int_equal(e->birth_dates[0].month, 7);
    assert_int_equal(e->birth_dates[0].day, 17);
    assert_int_equal(e->birth_dates[0].flags, 0);
    assert_int_equal(e->n_birth_places, 0);
    assert_int_equal(e->n_addresses, 0);
    assert_int_equal(e->n_identifiers, 1);
    assert_int_equal(e->identifiers[0].type, CORDON_ID_PASSPORT);
    assert_string_equal(e->identifiers[0].label, "Passport");
    assert_string_equal(e->identifiers[0].value, "381310014");
    assert_null(e->identifiers[0].country);
    assert_null(e->gender);
    assert_string_equal(e->origin_file, "UN_consolidated.xml");
    assert_int_equal(e->origin_line, 10351);
    cordon_dataset_free(ds);
}

/* A DPRK entity with all of its aliases. */
static void test_kpe010(void **state)
{
    (void)state;
    cordon_dataset *ds = load_un();
    const cordon_entity *e = find(ds, "un_sc:KPe.010");
    assert_int_equal(e->schema, CORDON_SCHEMA_ORGANIZATION);
    static const char *const names[] = {
        "GREEN PINE ASSOCIATED CORPORATION",
        "CHO'NGSONG UNITED TRADING COMPANY",
        "CHONGSONG YONHAP",
        "CH'O'NGSONG YO'NHAP",
        "CHOSUN CHAWO'N KAEBAL T'UJA HOESA",
        "JINDALLAE",
        "KU'MHAERYONG COMPANY LTD.",
        "NATURAL RESOURCES DEVELOPMENT AND INVESTMENT CORPORATION",
        "SAEINGP'IL COMPANY",
        "National Resources Development and Investment Corporation",
        "Saeng Pil Trading Corporation",
    };
    assert_int_equal(e->n_names, 11);
    for (size_t i = 0; i < 11; i++) {
        assert_string_equal(e->names[i].value, names[i]);
        assert_int_equal(e->names[i].kind, i ? CORDON_NAME_STRONG : CORDON_NAME_PRIMARY);
    }
    assert_string_equal(e->programs[0], "DPRK");
    assert_string_equal(e->listed_on, "2012-05-02");
    assert_non_null(strstr(e->remarks, "Email addresses: pac@silibank.com"));
    assert_int_equal(e->n_addresses, 3);
    assert_string_equal(e->addresses[0], "c/o Reconnaissance General Bureau Headquarters, "
                                         "Hyongjesan-Guyok, Pyongyang, Democratic People's "
                                         "Republic of Korea");
    assert_string_equal(e->addresses[1], "Nungrado, Pyongyang, Democratic People's Republic "
                                         "of Korea");
    assert_int_equal(e->n_countries, 1);
    assert_string_equal(e->countries[0].code, "KP");
    assert_int_equal(e->n_nationalities, 0);
    assert_int_equal(e->n_birth_dates, 0);
    cordon_dataset_free(ds);
}

/* Native script, a BETWEEN birth date, a place of birth, four addresses. */
static void test_qdi314(void **state)
{
    (void)state;
    cordon_dataset *ds = load_un();
    const cordon_entity *e = find(ds, "un_sc:QDi.314");
    assert_int_equal(e->n_names, 5);
    assert_string_equal(e->names[0].value, "ABDERRAHMANE OULD EL AMAR");
    assert_string_equal(e->names[1].value, "عبد الرحمن ولد العامر");
    assert_int_equal(e->names[1].kind, CORDON_NAME_NATIVE);
    assert_true(test_has_name(e, "Ahmed el Tilemsi"));
    assert_true(test_has_name(e, "Abderrahmane Ould el Amar Ould Sidahmed Loukbeiti"));
    assert_true(test_has_name(e, "Ahmad Ould Amar"));
    assert_string_equal(e->programs[0], "Al-Qaida");
    assert_int_equal(e->n_birth_dates, 1);
    assert_int_equal(e->birth_dates[0].year, 1977);
    assert_int_equal(e->birth_dates[0].year_to, 1982);
    assert_true(e->birth_dates[0].flags & CORDON_DATE_RANGE);
    assert_int_equal(e->n_birth_places, 1);
    assert_string_equal(e->birth_places[0], "Tabankort, Mali");
    assert_int_equal(e->n_addresses, 4);
    assert_string_equal(e->addresses[3], "Al Moustarat, Mali");
    assert_string_equal(e->nationalities[0].text, "Mali");
    assert_string_equal(e->nationalities[0].code, "ML");
    /* remarks are squashed onto one line */
    assert_non_null(strstr(e->remarks, "Jihad en Afrique de l’Ouest (MUJAO)"));
    assert_null(strchr(e->remarks, '\n'));
    cordon_dataset_free(ds);
}

static void test_low_quality_and_documents(void **state)
{
    (void)state;
    cordon_dataset *ds = load_un();
    size_t weak_people = 0, fka_orgs = 0, id_country = 0, circa = 0;
    for (size_t i = 0; i < cordon_dataset_entity_count(ds); i++) {
        const cordon_entity *e = cordon_dataset_entity(ds, i);
        for (size_t k = 0; k < e->n_names; k++) {
            weak_people += e->names[k].kind == CORDON_NAME_WEAK && e->schema == CORDON_SCHEMA_PERSON;
            fka_orgs += e->names[k].kind == CORDON_NAME_FORMER &&
                        e->schema == CORDON_SCHEMA_ORGANIZATION;
        }
        for (size_t k = 0; k < e->n_identifiers; k++) {
            assert_non_null(e->identifiers[k].label);
            assert_null(strchr(e->identifiers[k].label, '\n'));
            id_country += e->identifiers[k].country != NULL;
        }
        for (size_t k = 0; k < e->n_birth_dates; k++)
            if (e->birth_dates[k].flags & CORDON_DATE_CIRCA)
                circa++;
    }
    assert_int_equal(weak_people, 615);
    assert_int_equal(fka_orgs, 18);
    assert_true(id_country > 200);
    assert_true(circa >= 100);
    cordon_dataset_free(ds);
}

static cordon_error load_text_fails(const char *text, size_t len, int code)
{
    char *path = test_write_temp(text, len, ".xml");
    const char *files[] = {path};
    cordon_error err = test_load_fails("un_sc", CORDON_FORMAT_UN_XML, files, 1, code);
    unlink(path);
    free(path);
    assert_true(err.message[0] != '\0');
    return err;
}

static void test_bad_input(void **state)
{
    (void)state;
    /* another list's XML */
    const char *ofac[] = {"data/lists/ofac_consolidated/xml_2025-03-28/consolidated.xml"};
    cordon_error err = test_load_fails("un_sc", CORDON_FORMAT_UN_XML, ofac, 1, CORDON_ECORRUPT);
    assert_non_null(strstr(err.message, "not a UN consolidated list"));
    assert_non_null(strstr(err.message, "sdnList"));
    /* a CSV */
    const char *csv[] = {"data/lists/ofac_consolidated/csv_set_2025-12/cons_prim.csv"};
    err = test_load_fails("un_sc", CORDON_FORMAT_UN_XML, csv, 1, CORDON_ECORRUPT);
    assert_non_null(strstr(err.message, "not an XML document"));
    assert_int_equal(err.line, 1);
    /* empty */
    err = load_text_fails("", 0, CORDON_EEMPTY);
    /* right root, no records */
    err = load_text_fails("<CONSOLIDATED_LIST><INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>", 64,
                          CORDON_EEMPTY);
    err = load_text_fails("<CONSOLIDATED_LIST/>", 20, CORDON_ECORRUPT);
    /* a record without its reference number, and a duplicate */
    const char *noref = "<CONSOLIDATED_LIST><INDIVIDUALS>\n"
                        "<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>\n"
                        "</INDIVIDUALS></CONSOLIDATED_LIST>";
    err = load_text_fails(noref, strlen(noref), CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "<INDIVIDUAL> without a REFERENCE_NUMBER"));
    assert_int_equal(err.line, 2);
    const char *dup = "<CONSOLIDATED_LIST><INDIVIDUALS>\n"
                      "<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER></INDIVIDUAL>\n"
                      "<INDIVIDUAL><FIRST_NAME>B</FIRST_NAME><REFERENCE_NUMBER>X.1 </REFERENCE_NUMBER></INDIVIDUAL>\n"
                      "</INDIVIDUALS></CONSOLIDATED_LIST>";
    err = load_text_fails(dup, strlen(dup), CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "duplicate"));
    assert_int_equal(err.line, 3);
    const char *noname = "<CONSOLIDATED_LIST><ENTITIES>\n"
                         "<ENTITY><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER></ENTITY>\n"
                         "</ENTITIES></CONSOLIDATED_LIST>";
    err = load_text_fails(noname, strlen(noname), CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "no name"));
    assert_int_equal(err.line, 2);
}

/* The real file, damaged in the ways hostile or broken downloads are. */
static void test_damaged_real_file(void **state)
{
    (void)state;
    FILE *f = fopen(UN_FILE, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_int_equal(n, sizeof buf);
    /* truncated mid-file */
    cordon_error err = load_text_fails(buf, sizeof buf, CORDON_EFORMAT);
    assert_true(err.line > 1000);
    assert_non_null(strstr(err.message, "not well-formed"));
    assert_non_null(strstr(err.file, ".xml"));
    /* invalid UTF-8 on line 7 */
    char *p = strstr(buf, "<FIRST_NAME>ERIC");
    assert_non_null(p);
    p[12] = (char)0xC3;
    p[13] = 'X';
    err = load_text_fails(buf, sizeof buf, CORDON_EUTF8);
    assert_int_equal(err.line, 7);
    assert_int_equal(err.column, 19);
    /* a NUL byte */
    p[12] = '\0';
    err = load_text_fails(buf, sizeof buf, CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "NUL"));
    assert_int_equal(err.line, 7);
}

static void test_attacks(void **state)
{
    (void)state;
    const char *laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE CONSOLIDATED_LIST [\n"
                         " <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
                         " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
                         " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n]>\n"
                         "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>"
                         "<FIRST_NAME>&c;</FIRST_NAME><REFERENCE_NUMBER>X</REFERENCE_NUMBER>"
                         "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n";
    cordon_error err = load_text_fails(laughs, strlen(laughs), CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "billion laughs"));
    assert_int_equal(err.line, 3);
    const char *xxe = "<?xml version=\"1.0\"?>\n"
                      "<!DOCTYPE CONSOLIDATED_LIST [ <!ENTITY x SYSTEM \"file:///etc/passwd\"> ]>\n"
                      "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>"
                      "<FIRST_NAME>&x;</FIRST_NAME><REFERENCE_NUMBER>X</REFERENCE_NUMBER>"
                      "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n";
    err = load_text_fails(xxe, strlen(xxe), CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "XXE"));
    assert_int_equal(err.line, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_alias_elements),
        cmocka_unit_test(test_kpi033),
        cmocka_unit_test(test_kpe010),
        cmocka_unit_test(test_qdi314),
        cmocka_unit_test(test_low_quality_and_documents),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_damaged_real_file),
        cmocka_unit_test(test_attacks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
