/* test_ofac_enhanced_xml.c — OFAC's Enhanced XML (CONS_ENHANCED.XML),
 * checked on its own and against the classic XML of the same list. */
#include "test_util.h"

#include <stdbool.h>

#define ENH_XML "data/lists/ofac_consolidated/enhanced_xml_2025-01-10/CONS_ENHANCED.XML"
#define CLASSIC_XML "data/lists/ofac_consolidated/xml_2025-03-28/consolidated.xml"

static cordon_dataset *load(void)
{
    const char *files[] = {ENH_XML};
    return test_load("ofac_enh", CORDON_FORMAT_OFAC_ENHANCED_XML, files, 1);
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
    assert_string_equal(info->published, "2025-01-10");
    assert_int_equal(info->n_entities, 443);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_PERSON], 80);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_ORGANIZATION], 363);
    assert_int_equal(info->n_warnings, 0);
    assert_int_equal(info->n_names, 1623);
    size_t kinds[CORDON_NAME_KIND_COUNT_] = {0};
    for (size_t i = 0; i < cordon_dataset_entity_count(ds); i++) {
        const cordon_entity *e = cordon_dataset_entity(ds, i);
        for (size_t k = 0; k < e->n_names; k++)
            kinds[e->names[k].kind]++;
        assert_non_null(e->listed_on);
    }
    assert_int_equal(kinds[CORDON_NAME_PRIMARY], 443);
    assert_int_equal(kinds[CORDON_NAME_STRONG], 924);
    assert_int_equal(kinds[CORDON_NAME_FORMER], 141);
    assert_int_equal(kinds[CORDON_NAME_WEAK], 70);
    assert_int_equal(kinds[CORDON_NAME_NATIVE], 45); /* 50 Cyrillic + 6 Chinese, less repeats */
    cordon_dataset_free(ds);
}

static void test_vtb(void **state)
{
    (void)state;
    cordon_dataset *ds = load();
    const cordon_entity *e = find(ds, "ofac_enh:17013");
    assert_int_equal(e->schema, CORDON_SCHEMA_ORGANIZATION);
    assert_string_equal(e->names[0].value, "VTB BANK PUBLIC JOINT STOCK COMPANY");
    assert_string_equal(e->names[1].value, "БАНК ВТБ ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО");
    assert_int_equal(e->names[1].kind, CORDON_NAME_NATIVE);
    assert_string_equal(e->names[2].value, "JSC VTB BANK");
    assert_int_equal(e->names[2].kind, CORDON_NAME_FORMER);
    assert_string_equal(e->listed_on, "2014-07-29");
    assert_int_equal(e->n_programs, 2);
    assert_string_equal(e->programs[0], "UKRAINE-EO13662");
    assert_string_equal(e->programs[1], "RUSSIA-EO14024");
    assert_int_equal(e->n_identifiers, 10);
    const cordon_identifier *id = find_id(e, "Tax ID No.", "7702070139");
    assert_int_equal(id->type, CORDON_ID_TAX_ID);
    assert_string_equal(id->country, "Russia");
    assert_int_equal(find_id(e, "SWIFT/BIC", "VTBRRUMM")->type, CORDON_ID_SWIFT_BIC);
    assert_int_equal(find_id(e, "Website", "www.vtb.ru")->type, CORDON_ID_WEBSITE);
    assert_non_null(strstr(e->remarks, "For more information on directives"));
    assert_non_null(strstr(e->remarks, "Target Type Financial Institution"));
    assert_int_equal(e->n_addresses, 12);
    assert_string_equal(e->addresses[0], "29, Bolshaya Morskaya str., St. Petersburg, 190000, "
                                         "Russia");
    cordon_dataset_free(ds);
}

static void test_haniya(void **state)
{
    (void)state;
    cordon_dataset *ds = load();
    const cordon_entity *e = find(ds, "ofac_enh:9639");
    assert_int_equal(e->schema, CORDON_SCHEMA_PERSON);
    assert_int_equal(e->n_names, 3);
    assert_string_equal(e->names[0].value, "HANIYA, Ismail Abdul Salah");
    assert_string_equal(e->names[1].value, "HANIYA, Ismail");
    assert_string_equal(e->names[2].value, "HANIYYA, Ismaeel");
    assert_int_equal(e->names[2].kind, CORDON_NAME_STRONG);
    assert_string_equal(e->programs[0], "NS-PLC");
    assert_string_equal(e->listed_on, "2006-04-12");
    assert_int_equal(e->n_birth_dates, 1);
    assert_int_equal(e->birth_dates[0].year, 1962);
    assert_int_equal(e->n_birth_places, 1);
    assert_string_equal(e->birth_places[0], "Shati");
    assert_int_equal(e->n_addresses, 0); /* one <address> with no parts */
    assert_int_equal(e->n_identifiers, 0);
    cordon_dataset_free(ds);
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Every entity reads the same from the classic and the Enhanced XML of
 * the consolidated list, apart from what only the Enhanced XML has
 * (native-script names, listing dates) and three months of changes. */
static void test_same_as_classic(void **state)
{
    (void)state;
    cordon_dataset *enh = load();
    const char *files[] = {CLASSIC_XML};
    cordon_dataset *cls = test_load("ofac_enh", CORDON_FORMAT_OFAC_XML, files, 1);
    size_t same_names = 0, same_ids = 0, same_rest = 0, compared = 0;
    for (size_t i = 0; i < cordon_dataset_entity_count(cls); i++) {
        const cordon_entity *c = cordon_dataset_entity(cls, i);
        const cordon_entity *e = cordon_dataset_find(enh, c->id, strlen(c->id));
        if (!e)
            continue;
        compared++;
        assert_int_equal(c->schema, e->schema);
        assert_string_equal(c->names[0].value, e->names[0].value);
        /* names: the classic ones, with the same kinds, plus natives */
        bool names_ok = true;
        size_t n_native = 0;
        for (size_t k = 0; k < e->n_names; k++)
            n_native += e->names[k].kind == CORDON_NAME_NATIVE;
        if (c->n_names + n_native != e->n_names)
            names_ok = false;
        for (size_t k = 0; names_ok && k < c->n_names; k++) {
            bool found = false;
            for (size_t j = 0; j < e->n_names && !found; j++)
                found = strcmp(c->names[k].value, e->names[j].value) == 0 &&
                        c->names[k].kind == e->names[j].kind;
            names_ok = found;
        }
        same_names += names_ok;
        bool ids_ok = c->n_identifiers == e->n_identifiers;
        for (size_t k = 0; ids_ok && k < c->n_identifiers; k++) {
            bool found = false;
            for (size_t j = 0; j < e->n_identifiers && !found; j++)
                found = c->identifiers[k].type == e->identifiers[j].type &&
                        same_str(c->identifiers[k].label, e->identifiers[j].label) &&
                        same_str(c->identifiers[k].value, e->identifiers[j].value) &&
                        same_str(c->identifiers[k].country, e->identifiers[j].country);
            ids_ok = found;
        }
        same_ids += ids_ok;
        bool rest = c->n_programs == e->n_programs && same_str(c->gender, e->gender) &&
                    c->n_birth_dates == e->n_birth_dates &&
                    c->n_birth_places == e->n_birth_places &&
                    c->n_nationalities == e->n_nationalities &&
                    c->n_addresses == e->n_addresses && c->n_countries == e->n_countries;
        for (size_t k = 0; rest && k < c->n_addresses; k++)
            rest = strcmp(c->addresses[k], e->addresses[k]) == 0;
        for (size_t k = 0; rest && k < c->n_birth_dates; k++)
            rest = c->birth_dates[k].year == e->birth_dates[k].year &&
                   c->birth_dates[k].month == e->birth_dates[k].month &&
                   c->birth_dates[k].day == e->birth_dates[k].day;
        same_rest += rest;
    }
    assert_int_equal(compared, 443);
    print_message("classic vs enhanced: %zu/%zu same names, %zu same identifiers, %zu same rest\n",
                  same_names, compared, same_ids, same_rest);
    assert_int_equal(same_names, 443);
    /* The files are 11 weeks apart: in January 17013's Legal Entity Number
     * has an issuing country and 18784's documents have none. */
    assert_int_equal(same_ids, 441);
    assert_true(cordon_dataset_find(cls, "ofac_enh:17013", 14)->identifiers[4].country == NULL);
    assert_string_equal(cordon_dataset_find(enh, "ofac_enh:17013", 14)->identifiers[4].country,
                        "Russia");
    /* Classic writes two Gaza addresses as <country>Region: Gaza</country>,
     * Enhanced as a REGION part "Gaza" with no country. */
    assert_int_equal(same_rest, 441);
    assert_string_equal(cordon_dataset_find(cls, "ofac_enh:9647", 13)->addresses[0],
                        "Region: Gaza");
    assert_string_equal(cordon_dataset_find(enh, "ofac_enh:9647", 13)->addresses[0], "Gaza");
    cordon_dataset_free(enh);
    cordon_dataset_free(cls);
}

static cordon_error load_text_fails(const char *text, size_t len, int code)
{
    char *path = test_write_temp(text, len, ".xml");
    const char *files[] = {path};
    cordon_error err = test_load_fails("x", CORDON_FORMAT_OFAC_ENHANCED_XML, files, 1, code);
    unlink(path);
    free(path);
    assert_true(err.message[0] != '\0');
    return err;
}

static void test_bad_input(void **state)
{
    (void)state;
    const char *cls[] = {CLASSIC_XML};
    cordon_error err = test_load_fails("x", CORDON_FORMAT_OFAC_ENHANCED_XML, cls, 1,
                                       CORDON_ECORRUPT);
    assert_non_null(strstr(err.message, "not an OFAC Enhanced XML file"));
    assert_non_null(strstr(err.message, "<sdnList>"));
    const char *zip[] = {"data/lists/ofac_consolidated/enhanced_xml_2025-01-10/CONS_ENHANCED.ZIP"};
    err = test_load_fails("x", CORDON_FORMAT_OFAC_ENHANCED_XML, zip, 1, CORDON_ECORRUPT);
    assert_non_null(strstr(err.message, "not an XML document"));
    err = load_text_fails("", 0, CORDON_EEMPTY);
    err = load_text_fails("<sanctionsData/>", 16, CORDON_ECORRUPT);
    err = load_text_fails("<sanctionsData><entities/></sanctionsData>", 42, CORDON_EEMPTY);
    const char *bad = "<sanctionsData><entities>\n<entity id=\"1\"><generalInfo>"
                      "<entityType>Robot</entityType></generalInfo></entity>"
                      "</entities></sanctionsData>";
    err = load_text_fails(bad, strlen(bad), CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "Robot"));
    assert_int_equal(err.line, 2);
    const char *noname = "<sanctionsData><entities>\n<entity id=\"1\"><generalInfo>"
                         "<entityType>Vessel</entityType></generalInfo></entity>"
                         "</entities></sanctionsData>";
    err = load_text_fails(noname, strlen(noname), CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "no name"));
    assert_int_equal(err.line, 2);

    FILE *f = fopen(ENH_XML, "rb");
    assert_non_null(f);
    static char buf[200000];
    assert_int_equal(fread(buf, 1, sizeof buf, f), sizeof buf);
    fclose(f);
    err = load_text_fails(buf, sizeof buf, CORDON_EFORMAT);
    assert_true(err.line > 3600);
    char *p = strstr(buf, "HANIYA");
    p[0] = (char)0xC0;
    err = load_text_fails(buf, sizeof buf, CORDON_EUTF8);
    p[0] = '\0';
    err = load_text_fails(buf, sizeof buf, CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "NUL"));

    const char *laughs = "<!DOCTYPE s [<!ENTITY a \"aa\"><!ENTITY b \"&a;&a;&a;\">]>"
                         "<sanctionsData>&b;</sanctionsData>";
    err = load_text_fails(laughs, strlen(laughs), CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "billion laughs"));
    const char *xxe = "<!DOCTYPE s [<!ENTITY x SYSTEM \"file:///etc/shadow\">]>"
                      "<sanctionsData>&x;</sanctionsData>";
    err = load_text_fails(xxe, strlen(xxe), CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "XXE"));
}

/* Features the consolidated file lacks: vessel data, approximate dates,
 * values given by reference only. */
static void test_vessel_fixture(void **state)
{
    (void)state;
    const char *doc =
        "<sanctionsData xmlns=\"urn:x\"><publicationInfo><dataAsOf>2024-02-01T00:00:00"
        "</dataAsOf></publicationInfo><referenceValues><referenceValue refId=\"5\">"
        "<type>COUNTRY</type><value>Iran</value></referenceValue></referenceValues>"
        "<entities><entity id=\"77\"><generalInfo><entityType>Vessel</entityType>"
        "</generalInfo><names><name><isPrimary>true</isPrimary><translations><translation>"
        "<isPrimary>true</isPrimary><formattedFullName>ADRIAN  DARYA\n 1</formattedFullName>"
        "</translation></translations></name></names><features>"
        "<feature><type>Vessel Flag</type><valueRefId>5</valueRefId></feature>"
        "<feature><type>MMSI</type><value>422031300</value></feature>"
        "<feature><type>Vessel Registration Identification</type><value>IMO 9116412</value>"
        "</feature><feature><type>VESSEL TYPE</type><value>Crude Oil Tanker</value></feature>"
        "</features></entity>"
        "<entity id=\"78\"><generalInfo><entityType>Individual</entityType></generalInfo>"
        "<names><name><isPrimary>true</isPrimary><translations><translation>"
        "<isPrimary>true</isPrimary><formattedFullName>DOE, John</formattedFullName>"
        "</translation></translations></name></names><features><feature><type>Birthdate"
        "</type><value>1960</value><valueDate><isApproximate>true</isApproximate></valueDate>"
        "</feature><feature><type>Gender</type><value>Male</value></feature></features>"
        "</entity></entities></sanctionsData>";
    char *path = test_write_temp(doc, strlen(doc), ".xml");
    const char *files[] = {path};
    cordon_dataset *ds = test_load("v", CORDON_FORMAT_OFAC_ENHANCED_XML, files, 1);
    assert_string_equal(cordon_dataset_source(ds, 0)->published, "2024-02-01");
    const cordon_entity *e = find(ds, "v:77");
    assert_int_equal(e->schema, CORDON_SCHEMA_VESSEL);
    assert_string_equal(e->names[0].value, "ADRIAN DARYA 1");
    assert_int_equal(e->n_countries, 1);
    assert_string_equal(e->countries[0].text, "Iran");
    assert_int_equal(find_id(e, "MMSI", "422031300")->type, CORDON_ID_MMSI);
    assert_int_equal(find_id(e, "Vessel Registration Identification", "IMO 9116412")->type,
                     CORDON_ID_IMO);
    assert_string_equal(e->remarks, "VESSEL TYPE Crude Oil Tanker");
    e = find(ds, "v:78");
    assert_int_equal(e->n_birth_dates, 1);
    assert_int_equal(e->birth_dates[0].year, 1960);
    assert_true(e->birth_dates[0].flags & CORDON_DATE_CIRCA);
    assert_string_equal(e->gender, "Male");
    cordon_dataset_free(ds);
    unlink(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_vtb),
        cmocka_unit_test(test_haniya),
        cmocka_unit_test(test_same_as_classic),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_vessel_fixture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
