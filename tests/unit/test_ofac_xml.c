/* test_ofac_xml.c — OFAC's classic sdnList XML (consolidated.xml). */
#include "test_util.h"

#define OFAC_XML "data/lists/ofac_consolidated/xml_2025-03-28/consolidated.xml"

static cordon_dataset *load(void)
{
    const char *files[] = {OFAC_XML};
    return test_load("ofac_cons", CORDON_FORMAT_OFAC_XML, files, 1);
}

static const cordon_entity *find(const cordon_dataset *ds, const char *id)
{
    const cordon_entity *e = cordon_dataset_find(ds, id, strlen(id));
    if (!e)
        fail_msg("%s not loaded", id);
    return e;
}

static const cordon_identifier *find_id(const cordon_entity *e, const char *label,
                                        const char *value)
{
    for (size_t i = 0; i < e->n_identifiers; i++)
        if (strcmp(e->identifiers[i].label, label) == 0 &&
            strcmp(e->identifiers[i].value, value) == 0)
            return &e->identifiers[i];
    fail_msg("%s has no identifier %s %s", e->id, label, value);
    return NULL;
}

static void test_counts(void **state)
{
    (void)state;
    cordon_dataset *ds = load();
    const cordon_source_info *info = cordon_dataset_source(ds, 0);
    assert_string_equal(info->published, "2025-03-28");
    assert_int_equal(info->n_entities, 443);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_PERSON], 80);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_ORGANIZATION], 363);
    assert_int_equal(info->n_warnings, 0); /* Record_Count 443 agrees */
    /* 443 primary + 1,136 aka less one exact duplicate */
    assert_int_equal(info->n_names, 1578);
    size_t kinds[CORDON_NAME_KIND_COUNT_] = {0};
    size_t by_type[CORDON_ID_TYPE_COUNT_] = {0};
    for (size_t i = 0; i < cordon_dataset_entity_count(ds); i++) {
        const cordon_entity *e = cordon_dataset_entity(ds, i);
        for (size_t k = 0; k < e->n_names; k++)
            kinds[e->names[k].kind]++;
        for (size_t k = 0; k < e->n_identifiers; k++)
            by_type[e->identifiers[k].type]++;
        assert_true(e->n_programs >= 1);
    }
    assert_int_equal(kinds[CORDON_NAME_PRIMARY], 443);
    assert_int_equal(kinds[CORDON_NAME_STRONG], 924);
    assert_int_equal(kinds[CORDON_NAME_FORMER], 141);
    assert_int_equal(kinds[CORDON_NAME_WEAK], 70);
    /* idType counts in the file (all distinct per entity) */
    assert_int_equal(by_type[CORDON_ID_TAX_ID], 213 + 1);
    assert_int_equal(by_type[CORDON_ID_WEBSITE], 176);
    assert_int_equal(by_type[CORDON_ID_EMAIL], 125);
    assert_int_equal(by_type[CORDON_ID_SWIFT_BIC], 33);
    assert_int_equal(by_type[CORDON_ID_PASSPORT], 1);
    assert_int_equal(by_type[CORDON_ID_NATIONAL_ID], 1);
    cordon_dataset_free(ds);
}

static void test_zahhar(void **state)
{
    (void)state;
    cordon_dataset *ds = load();
    const cordon_entity *e = find(ds, "ofac_cons:9647");
    assert_int_equal(e->schema, CORDON_SCHEMA_PERSON);
    assert_int_equal(e->n_names, 4);
    assert_string_equal(e->names[0].value, "ZAHHAR, Mahmoud Khaled");
    assert_string_equal(e->names[1].value, "AL ZAHAR, Mahmoud Khaled");
    assert_int_equal(e->names[1].kind, CORDON_NAME_STRONG);
    assert_string_equal(e->names[2].value, "ZAHAR, Mahmoud");
    assert_int_equal(e->names[2].kind, CORDON_NAME_WEAK);
    assert_string_equal(e->names[3].value, "AL-ZAHAR, Mahmoud");
    assert_int_equal(e->names[3].kind, CORDON_NAME_WEAK);
    assert_int_equal(e->n_programs, 2);
    assert_string_equal(e->programs[0], "NS-PLC");
    assert_string_equal(e->programs[1], "SDGT");
    assert_string_equal(e->gender, "Male");
    assert_int_equal(e->n_identifiers, 0);
    assert_string_equal(e->remarks, "(Linked To: HAMAS); Secondary sanctions risk: section 1(b) "
                                    "of Executive Order 13224, as amended by Executive Order "
                                    "13886");
    assert_int_equal(e->n_addresses, 1);
    assert_string_equal(e->addresses[0], "Region: Gaza");
    assert_int_equal(e->n_nationalities, 1);
    assert_string_equal(e->nationalities[0].text, "Palestinian");
    assert_int_equal(e->n_birth_dates, 1);
    assert_int_equal(e->birth_dates[0].year, 1945);
    assert_int_equal(e->birth_dates[0].month, 0);
    assert_int_equal(e->n_birth_places, 1);
    assert_string_equal(e->birth_places[0], "Gaza Strip");
    assert_null(e->title);
    assert_string_equal(e->origin_file, "consolidated.xml");
    cordon_dataset_free(ds);
}

static void test_vtb(void **state)
{
    (void)state;
    cordon_dataset *ds = load();
    const cordon_entity *e = find(ds, "ofac_cons:17013");
    assert_int_equal(e->schema, CORDON_SCHEMA_ORGANIZATION);
    assert_string_equal(e->names[0].value, "VTB BANK PUBLIC JOINT STOCK COMPANY");
    assert_true(test_has_program(e, "UKRAINE-EO13662"));
    assert_true(test_has_program(e, "RUSSIA-EO14024"));
    size_t former = 0, weak = 0;
    for (size_t i = 0; i < e->n_names; i++) {
        former += e->names[i].kind == CORDON_NAME_FORMER;
        weak += e->names[i].kind == CORDON_NAME_WEAK;
    }
    assert_true(former >= 20);
    assert_int_equal(weak, 1);
    assert_true(test_has_name(e, "JSC VTB BANK NEW DELHI BRANCH"));
    /* identifiers: 10 of the 15 <id> rows; the rest are sanctions information */
    assert_int_equal(e->n_identifiers, 10);
    const cordon_identifier *id = find_id(e, "Tax ID No.", "7702070139");
    assert_int_equal(id->type, CORDON_ID_TAX_ID);
    assert_string_equal(id->country, "Russia");
    assert_int_equal(find_id(e, "Registration ID", "1027739609391")->type,
                     CORDON_ID_REGISTRATION);
    assert_int_equal(find_id(e, "SWIFT/BIC", "VTBRRUMM")->type, CORDON_ID_SWIFT_BIC);
    assert_int_equal(find_id(e, "Website", "www.vtb.ru")->type, CORDON_ID_WEBSITE);
    assert_int_equal(find_id(e, "BIK (RU)", "044525187")->type, CORDON_ID_OTHER);
    assert_null(find_id(e, "Legal Entity Number", "253400V1H6ART1UQ0N98")->country);
    assert_non_null(strstr(e->remarks, "Executive Order 13662 Directive Determination - "
                                       "Subject to Directive 1"));
    assert_non_null(strstr(e->remarks, "Target Type Financial Institution"));
    assert_non_null(strstr(e->remarks, "Organization Established Date 17 Oct 1990"));
    assert_string_equal(e->addresses[0], "29, Bolshaya Morskaya str., St. Petersburg, 190000, "
                                         "Russia");
    assert_int_equal(e->n_addresses, 12);
    assert_int_equal(e->n_countries, 3); /* Russia, India, China */
    assert_string_equal(e->countries[0].code, "RU");
    assert_string_equal(e->countries[1].code, "IN");
    assert_string_equal(e->countries[2].code, "CN");
    cordon_dataset_free(ds);
}

static cordon_error load_text_fails(const char *text, size_t len, cordon_format format, int code)
{
    char *path = test_write_temp(text, len, ".xml");
    const char *files[] = {path};
    cordon_error err = test_load_fails("ofac_cons", format, files, 1, code);
    unlink(path);
    free(path);
    assert_true(err.message[0] != '\0');
    return err;
}

static void test_bad_input(void **state)
{
    (void)state;
    const char *un[] = {"data/lists/un_sc/2026-02-27/UN_consolidated.xml"};
    cordon_error err = test_load_fails("x", CORDON_FORMAT_OFAC_XML, un, 1, CORDON_ECORRUPT);
    assert_non_null(strstr(err.message, "not an OFAC sdnList XML file"));
    assert_non_null(strstr(err.message, "CONSOLIDATED_LIST"));
    const char *csv[] = {"data/lists/ofac_consolidated/csv_set_2025-12/cons_prim.csv"};
    err = test_load_fails("x", CORDON_FORMAT_OFAC_XML, csv, 1, CORDON_ECORRUPT);
    assert_non_null(strstr(err.message, "not an XML document"));
    err = load_text_fails("", 0, CORDON_FORMAT_OFAC_XML, CORDON_EEMPTY);
    err = load_text_fails("<sdnList/>", 10, CORDON_FORMAT_OFAC_XML, CORDON_EEMPTY);
    const char *bad_type = "<sdnList>\n<sdnEntry><uid>1</uid><lastName>X</lastName>"
                           "<sdnType>Ship</sdnType></sdnEntry></sdnList>";
    err = load_text_fails(bad_type, strlen(bad_type), CORDON_FORMAT_OFAC_XML, CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "Ship"));
    assert_int_equal(err.line, 2);
    const char *no_uid = "<sdnList>\n<sdnEntry><lastName>X</lastName>"
                         "<sdnType>Entity</sdnType></sdnEntry></sdnList>";
    err = load_text_fails(no_uid, strlen(no_uid), CORDON_FORMAT_OFAC_XML, CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "without a uid"));
    assert_int_equal(err.line, 2);

    /* The real file truncated, with a bad byte, with a NUL. */
    FILE *f = fopen(OFAC_XML, "rb");
    assert_non_null(f);
    static char buf[20000];
    assert_int_equal(fread(buf, 1, sizeof buf, f), sizeof buf);
    fclose(f);
    err = load_text_fails(buf, sizeof buf, CORDON_FORMAT_OFAC_XML, CORDON_EFORMAT);
    assert_true(err.line > 500);
    char *p = strstr(buf, "HANIYA");
    p[2] = (char)0xFF;
    err = load_text_fails(buf, sizeof buf, CORDON_FORMAT_OFAC_XML, CORDON_EUTF8);
    assert_int_equal(err.line, 10);
    assert_int_equal(err.column, 17);
    p[2] = '\0';
    err = load_text_fails(buf, sizeof buf, CORDON_FORMAT_OFAC_XML, CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "NUL"));
}

static void test_attacks(void **state)
{
    (void)state;
    const char *laughs = "<!DOCTYPE sdnList [<!ENTITY a \"aaaaaaaaaa\">"
                         "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
                         "<sdnList><sdnEntry><uid>1</uid><lastName>&b;</lastName>"
                         "<sdnType>Entity</sdnType></sdnEntry></sdnList>";
    cordon_error err = load_text_fails(laughs, strlen(laughs), CORDON_FORMAT_OFAC_XML,
                                       CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "never expanded"));
    const char *xxe = "<!DOCTYPE sdnList [<!ENTITY x SYSTEM \"/etc/passwd\">]>\n"
                      "<sdnList><sdnEntry><uid>1</uid><lastName>&x;</lastName>"
                      "<sdnType>Entity</sdnType></sdnEntry></sdnList>";
    err = load_text_fails(xxe, strlen(xxe), CORDON_FORMAT_OFAC_XML, CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "XXE"));
}

/* A record count that disagrees is reported, not fatal. */
static void test_record_count_warning(void **state)
{
    (void)state;
    const char *doc = "<sdnList><publshInformation><Publish_Date>12/31/2024</Publish_Date>"
                      "<Record_Count>2</Record_Count></publshInformation>"
                      "<sdnEntry><uid>1</uid><lastName>X</lastName><sdnType>Vessel</sdnType>"
                      "<vesselInfo><callSign>ABCD</callSign><vesselFlag>Iran</vesselFlag>"
                      "<vesselType>Crude Oil Tanker</vesselType></vesselInfo>"
                      "<idList><id><idType>Vessel Registration Identification</idType>"
                      "<idNumber>IMO 9187629</idNumber></id><id><idType>MMSI</idType>"
                      "<idNumber>422031300</idNumber></id></idList></sdnEntry></sdnList>";
    char *path = test_write_temp(doc, strlen(doc), ".xml");
    const char *files[] = {path};
    cordon_dataset *ds = test_load("v", CORDON_FORMAT_OFAC_XML, files, 1);
    const cordon_source_info *info = cordon_dataset_source(ds, 0);
    assert_string_equal(info->published, "2024-12-31");
    assert_int_equal(info->n_warnings, 1);
    assert_non_null(strstr(info->warnings[0], "Record_Count says 2"));
    const cordon_entity *e = find(ds, "v:1");
    assert_int_equal(e->schema, CORDON_SCHEMA_VESSEL);
    assert_int_equal(e->n_identifiers, 3);
    assert_int_equal(find_id(e, "Vessel Call Sign", "ABCD")->type, CORDON_ID_CALL_SIGN);
    assert_int_equal(find_id(e, "Vessel Registration Identification", "IMO 9187629")->type,
                     CORDON_ID_IMO);
    assert_int_equal(find_id(e, "MMSI", "422031300")->type, CORDON_ID_MMSI);
    assert_string_equal(e->countries[0].text, "Iran");
    assert_string_equal(e->remarks, "Vessel Type Crude Oil Tanker");
    cordon_dataset_free(ds);
    unlink(path);
    free(path);
}

/* The XML formats and the CSV Remarks share one label table: labels
 * first seen in Remarks mean the same in an idList, and a vessel
 * registration is an IMO number only when it is one. */
static void test_shared_labels(void **state)
{
    (void)state;
    const char *doc =
        "<sdnList><sdnEntry><uid>9</uid><lastName>Y</lastName><sdnType>Vessel</sdnType>"
        "<idList>"
        "<id><idType>Passport Booklet</idType><idNumber>B1</idNumber></id>"
        "<id><idType>CURP</idType><idNumber>C2</idNumber></id>"
        "<id><idType>Email:</idType><idNumber>a@b.c</idNumber></id>"
        "<id><idType>Vessel Registration Identification</idType>"
        "<idNumber>RS 150443</idNumber></id>"
        "<id><idType>Vessel Registration Identification</idType>"
        "<idNumber>8606173</idNumber></id>"
        "<id><idType>Nationality of Registration</idType><idNumber>Malta</idNumber></id>"
        "<id><idType>Organization Established Date -</idType><idNumber>1969</idNumber></id>"
        "<id><idType>Something New</idType><idNumber>N1</idNumber></id>"
        "</idList></sdnEntry></sdnList>";
    char *path = test_write_temp(doc, strlen(doc), ".xml");
    const char *files[] = {path};
    cordon_dataset *ds = test_load("v", CORDON_FORMAT_OFAC_XML, files, 1);
    const cordon_entity *e = find(ds, "v:9");
    assert_int_equal(e->n_identifiers, 6);
    assert_int_equal(find_id(e, "Passport Booklet", "B1")->type, CORDON_ID_PASSPORT);
    assert_int_equal(find_id(e, "CURP", "C2")->type, CORDON_ID_NATIONAL_ID);
    assert_int_equal(find_id(e, "Email:", "a@b.c")->type, CORDON_ID_EMAIL);
    assert_int_equal(find_id(e, "Vessel Registration Identification", "RS 150443")->type,
                     CORDON_ID_REGISTRATION);
    assert_int_equal(find_id(e, "Vessel Registration Identification", "8606173")->type,
                     CORDON_ID_IMO);
    assert_int_equal(find_id(e, "Something New", "N1")->type, CORDON_ID_OTHER);
    assert_int_equal(e->n_countries, 1);
    assert_string_equal(e->countries[0].code, "MT");
    assert_string_equal(e->remarks, "Organization Established Date - 1969");
    cordon_dataset_free(ds);
    unlink(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_zahhar),
        cmocka_unit_test(test_vtb),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_attacks),
        cmocka_unit_test(test_record_count_warning),
        cmocka_unit_test(test_shared_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
