/* test_ofac_advanced_xml.c — OFAC's Advanced XML (cons_advanced.xml,
 * the sdn_advanced schema). */
#include "test_util.h"

#include <stdbool.h>
#include <time.h>

#define ADV_XML "data/lists/ofac_consolidated/advanced_xml_2020-03-17/cons_advanced.xml"
#define ENH_XML "data/lists/ofac_consolidated/enhanced_xml_2025-01-10/CONS_ENHANCED.XML"

static cordon_dataset *load(void)
{
    const char *files[] = {ADV_XML};
    return test_load("ofac_adv", CORDON_FORMAT_OFAC_ADVANCED_XML, files, 1);
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
    assert_string_equal(info->published, "2020-03-17");
    assert_int_equal(info->n_entities, 375);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_PERSON], 82);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_ORGANIZATION], 293);
    assert_int_equal(info->n_warnings, 0);
    assert_int_equal(info->n_names, 1288);
    size_t kinds[CORDON_NAME_KIND_COUNT_] = {0};
    size_t by_type[CORDON_ID_TYPE_COUNT_] = {0};
    for (size_t i = 0; i < cordon_dataset_entity_count(ds); i++) {
        const cordon_entity *e = cordon_dataset_entity(ds, i);
        for (size_t k = 0; k < e->n_names; k++)
            kinds[e->names[k].kind]++;
        for (size_t k = 0; k < e->n_identifiers; k++)
            by_type[e->identifiers[k].type]++;
        assert_non_null(e->listed_on);
        assert_true(e->n_programs >= 1);
    }
    assert_int_equal(kinds[CORDON_NAME_PRIMARY], 375);
    assert_int_equal(kinds[CORDON_NAME_STRONG], 800);
    assert_int_equal(kinds[CORDON_NAME_FORMER], 83);
    assert_int_equal(kinds[CORDON_NAME_WEAK], 30);
    /* IDRegDocuments by type: 180 Tax ID No. + 2 V.A.T. Number, 3 passports;
     * features: 34 SWIFT/BIC, 184 websites, 147 e-mail addresses */
    assert_int_equal(by_type[CORDON_ID_TAX_ID], 182);
    assert_int_equal(by_type[CORDON_ID_PASSPORT], 3);
    assert_int_equal(by_type[CORDON_ID_SWIFT_BIC], 34);
    assert_int_equal(by_type[CORDON_ID_WEBSITE], 184);
    assert_int_equal(by_type[CORDON_ID_EMAIL], 147);
    cordon_dataset_free(ds);
}

static void test_haniya(void **state)
{
    (void)state;
    cordon_dataset *ds = load();
    const cordon_entity *e = find(ds, "ofac_adv:9639");
    assert_int_equal(e->schema, CORDON_SCHEMA_PERSON);
    assert_int_equal(e->n_names, 3);
    assert_string_equal(e->names[0].value, "HANIYA, Ismail Abdul Salah");
    assert_string_equal(e->names[1].value, "HANIYA, Ismail");
    assert_int_equal(e->names[1].kind, CORDON_NAME_STRONG);
    assert_string_equal(e->names[2].value, "HANIYYA, Ismaeel");
    assert_int_equal(e->n_programs, 1);
    assert_string_equal(e->programs[0], "NS-PLC");
    assert_string_equal(e->listed_on, "2006-04-12");
    assert_int_equal(e->n_birth_dates, 1);
    assert_int_equal(e->birth_dates[0].year, 1962);
    assert_int_equal(e->birth_dates[0].month, 0);
    assert_string_equal(e->birth_dates[0].text, "1962");
    assert_int_equal(e->n_birth_places, 1);
    assert_string_equal(e->birth_places[0], "Shati");
    assert_int_equal(e->n_addresses, 0); /* its one Location is "undetermined" */
    assert_int_equal(e->n_identifiers, 0);
    assert_null(e->remarks);
    cordon_dataset_free(ds);
}

static void test_vtb(void **state)
{
    (void)state;
    cordon_dataset *ds = load();
    const cordon_entity *e = find(ds, "ofac_adv:17013");
    assert_int_equal(e->schema, CORDON_SCHEMA_ORGANIZATION);
    /* renamed VTB BANK PUBLIC JOINT STOCK COMPANY after 2020 */
    assert_string_equal(e->names[0].value, "VTB BANK OAO");
    assert_true(test_has_program(e, "UKRAINE-EO13662"));
    const cordon_identifier *id = find_id(e, "Tax ID No.", "7702070139");
    assert_int_equal(id->type, CORDON_ID_TAX_ID);
    assert_string_equal(id->country, "Russia");
    assert_int_equal(find_id(e, "Registration ID", "1027739609391")->type,
                     CORDON_ID_REGISTRATION);
    assert_int_equal(find_id(e, "SWIFT/BIC", "VTBRRUMM")->type, CORDON_ID_SWIFT_BIC);
    assert_int_equal(find_id(e, "Website", "www.vtb.com")->type, CORDON_ID_WEBSITE);
    assert_non_null(strstr(e->remarks, "For more information on directives"));
    assert_non_null(strstr(e->remarks, "Executive Order 13662 Directive Determination - "
                                       "Subject to Directive 1"));
    assert_string_equal(e->addresses[0], "29, Bolshaya Morskaya str., St. Petersburg, 190000, "
                                         "Russia");
    assert_string_equal(e->countries[0].code, "RU");
    cordon_dataset_free(ds);
}

/* Parties of 2020 still listed in January 2025 read the same in both
 * schemas: primary name and schema always, tax ids where both have them. */
static void test_same_as_enhanced(void **state)
{
    (void)state;
    cordon_dataset *adv = load();
    const char *files[] = {ENH_XML};
    cordon_dataset *enh = test_load("ofac_adv", CORDON_FORMAT_OFAC_ENHANCED_XML, files, 1);
    size_t both = 0, same_primary = 0, same_tax = 0, with_tax = 0;
    for (size_t i = 0; i < cordon_dataset_entity_count(adv); i++) {
        const cordon_entity *a = cordon_dataset_entity(adv, i);
        const cordon_entity *e = cordon_dataset_find(enh, a->id, strlen(a->id));
        if (!e)
            continue;
        both++;
        assert_int_equal(a->schema, e->schema);
        same_primary += strcmp(a->names[0].value, e->names[0].value) == 0;
        for (size_t k = 0; k < a->n_identifiers; k++) {
            if (a->identifiers[k].type != CORDON_ID_TAX_ID)
                continue;
            with_tax++;
            for (size_t j = 0; j < e->n_identifiers; j++)
                if (e->identifiers[j].type == CORDON_ID_TAX_ID &&
                    strcmp(e->identifiers[j].value, a->identifiers[k].value) == 0) {
                    same_tax++;
                    break;
                }
        }
    }
    print_message("advanced 2020 vs enhanced 2025: %zu in both, %zu same primary name, "
                  "%zu/%zu tax ids found\n", both, same_primary, same_tax, with_tax);
    assert_int_equal(both, 366);
    /* 55 were renamed since 2020 ("VTB BANK OAO" -> "VTB BANK PUBLIC JOINT
     * STOCK COMPANY", "Sberbank of Russia" -> "PUBLIC JOINT STOCK COMPANY
     * SBERBANK OF RUSSIA"...) */
    assert_int_equal(same_primary, 311);
    assert_int_equal(with_tax, 181);
    assert_int_equal(same_tax, 181);
    cordon_dataset_free(adv);
    cordon_dataset_free(enh);
}

static cordon_error load_text_fails(const char *text, size_t len, int code)
{
    char *path = test_write_temp(text, len, ".xml");
    const char *files[] = {path};
    cordon_error err = test_load_fails("x", CORDON_FORMAT_OFAC_ADVANCED_XML, files, 1, code);
    unlink(path);
    free(path);
    assert_true(err.message[0] != '\0');
    return err;
}

static void test_bad_input(void **state)
{
    (void)state;
    const char *enh[] = {ENH_XML};
    cordon_error err = test_load_fails("x", CORDON_FORMAT_OFAC_ADVANCED_XML, enh, 1,
                                       CORDON_ECORRUPT);
    assert_non_null(strstr(err.message, "not an OFAC Advanced XML"));
    const char *csv[] = {"data/lists/ofac_consolidated/csv_set_2025-12/cons_add.csv"};
    err = test_load_fails("x", CORDON_FORMAT_OFAC_ADVANCED_XML, csv, 1, CORDON_ECORRUPT);
    err = load_text_fails("", 0, CORDON_EEMPTY);
    err = load_text_fails("<Sanctions/>", 12, CORDON_ECORRUPT);
    err = load_text_fails("<Sanctions><ReferenceValueSets/><DistinctParties/></Sanctions>", 62,
                          CORDON_EEMPTY);
    const char *bad = "<Sanctions><ReferenceValueSets/><DistinctParties>\n"
                      "<DistinctParty FixedRef=\"1\"><Profile ID=\"1\" PartySubTypeID=\"9\"/>"
                      "</DistinctParty></DistinctParties></Sanctions>";
    err = load_text_fails(bad, strlen(bad), CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "unknown party type"));
    assert_int_equal(err.line, 2);

    FILE *f = fopen(ADV_XML, "rb");
    assert_non_null(f);
    static char buf[300001];
    assert_int_equal(fread(buf, 1, sizeof buf - 1, f), sizeof buf - 1);
    fclose(f);
    err = load_text_fails(buf, sizeof buf - 1, CORDON_EFORMAT);
    assert_true(err.line > 5000);
    char *p = strstr(buf, "<Value>Gaza</Value>");
    assert_non_null(p);
    p[8] = (char)0x80;
    err = load_text_fails(buf, sizeof buf - 1, CORDON_EUTF8);
    assert_int_equal(err.line, 253);
    p[8] = '\0';
    err = load_text_fails(buf, sizeof buf - 1, CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "NUL"));

    const char *laughs = "<!DOCTYPE Sanctions [<!ENTITY a \"aa\"><!ENTITY b \"&a;&a;\">]>"
                         "<Sanctions>&b;</Sanctions>";
    err = load_text_fails(laughs, strlen(laughs), CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "billion laughs"));
    const char *xxe = "<!DOCTYPE Sanctions [<!ENTITY x SYSTEM \"http://10.0.0.1/x\">]>"
                      "<Sanctions>&x;</Sanctions>";
    err = load_text_fails(xxe, strlen(xxe), CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "XXE"));
}

/* Shapes the consolidated file lacks: a vessel, a date range, an
 * approximate date, a native-script name. */
static void test_fixture(void **state)
{
    (void)state;
    const char *doc =
        "<Sanctions xmlns=\"http://www.un.org/sanctions/1.0\"><DateOfIssue><Year>2024</Year>"
        "<Month>5</Month><Day>3</Day></DateOfIssue><ReferenceValueSets>"
        "<AliasTypeValues><AliasType ID=\"1403\">Name</AliasType></AliasTypeValues>"
        "<FeatureTypeValues><FeatureType ID=\"8\">Birthdate</FeatureType>"
        "<FeatureType ID=\"3\">Vessel Flag</FeatureType><FeatureType ID=\"4\">MMSI</FeatureType>"
        "</FeatureTypeValues><NamePartTypeValues><NamePartType ID=\"1\">Last Name</NamePartType>"
        "<NamePartType ID=\"2\">First Name</NamePartType><NamePartType ID=\"3\">Vessel Name"
        "</NamePartType></NamePartTypeValues><PartySubTypeValues>"
        "<PartySubType ID=\"1\" PartyTypeID=\"4\">Vessel</PartySubType>"
        "<PartySubType ID=\"4\" PartyTypeID=\"1\">Unknown</PartySubType></PartySubTypeValues>"
        "<PartyTypeValues><PartyType ID=\"1\">Individual</PartyType><PartyType ID=\"4\">"
        "Transport</PartyType></PartyTypeValues><ScriptValues><Script ID=\"215\" "
        "ScriptCode=\"Latin\">Latin</Script><Script ID=\"220\" ScriptCode=\"Cyrillic\">"
        "Cyrillic</Script></ScriptValues></ReferenceValueSets><DistinctParties>"
        "<DistinctParty FixedRef=\"5\"><Profile ID=\"5\" PartySubTypeID=\"1\"><Identity ID=\"50\">"
        "<Alias AliasTypeID=\"1403\" Primary=\"true\"><DocumentedName><DocumentedNamePart>"
        "<NamePartValue NamePartGroupID=\"7\" ScriptID=\"215\">ADRIAN DARYA 1</NamePartValue>"
        "</DocumentedNamePart></DocumentedName></Alias><NamePartGroups><MasterNamePartGroup>"
        "<NamePartGroup ID=\"7\" NamePartTypeID=\"3\"/></MasterNamePartGroup></NamePartGroups>"
        "</Identity><Feature FeatureTypeID=\"3\"><FeatureVersion><VersionDetail>Iran"
        "</VersionDetail></FeatureVersion></Feature><Feature FeatureTypeID=\"4\"><FeatureVersion>"
        "<VersionDetail>422031300</VersionDetail></FeatureVersion></Feature></Profile>"
        "</DistinctParty>"
        "<DistinctParty FixedRef=\"6\"><Profile ID=\"6\" PartySubTypeID=\"4\"><Identity ID=\"60\">"
        "<Alias AliasTypeID=\"1403\" Primary=\"true\"><DocumentedName><DocumentedNamePart>"
        "<NamePartValue NamePartGroupID=\"1\" ScriptID=\"215\">PETROV</NamePartValue>"
        "</DocumentedNamePart><DocumentedNamePart><NamePartValue NamePartGroupID=\"2\" "
        "ScriptID=\"215\">Ivan</NamePartValue></DocumentedNamePart></DocumentedName>"
        "<DocumentedName><DocumentedNamePart><NamePartValue NamePartGroupID=\"1\" "
        "ScriptID=\"220\">ПЕТРОВ</NamePartValue></DocumentedNamePart><DocumentedNamePart>"
        "<NamePartValue NamePartGroupID=\"2\" ScriptID=\"220\">Иван</NamePartValue>"
        "</DocumentedNamePart></DocumentedName></Alias><NamePartGroups><MasterNamePartGroup>"
        "<NamePartGroup ID=\"1\" NamePartTypeID=\"1\"/></MasterNamePartGroup>"
        "<MasterNamePartGroup><NamePartGroup ID=\"2\" NamePartTypeID=\"2\"/>"
        "</MasterNamePartGroup></NamePartGroups></Identity>"
        "<Feature FeatureTypeID=\"8\"><FeatureVersion><DatePeriod><Start><From><Year>1960</Year>"
        "<Month>1</Month><Day>1</Day></From></Start><End><To><Year>1962</Year><Month>12</Month>"
        "<Day>31</Day></To></End></DatePeriod></FeatureVersion></Feature>"
        "<Feature FeatureTypeID=\"8\"><FeatureVersion><DatePeriod><Start Approximate=\"true\">"
        "<From><Year>1958</Year><Month>3</Month><Day>1</Day></From></Start><End><To><Year>1958"
        "</Year><Month>3</Month><Day>31</Day></To></End></DatePeriod></FeatureVersion></Feature>"
        "<Feature FeatureTypeID=\"8\"><FeatureVersion><DatePeriod><Start><From><Year>1957</Year>"
        "<Month>7</Month><Day>4</Day></From></Start><End><To><Year>1957</Year><Month>7</Month>"
        "<Day>4</Day></To></End></DatePeriod></FeatureVersion></Feature>"
        "</Profile></DistinctParty></DistinctParties></Sanctions>";
    char *path = test_write_temp(doc, strlen(doc), ".xml");
    const char *files[] = {path};
    cordon_dataset *ds = test_load("v", CORDON_FORMAT_OFAC_ADVANCED_XML, files, 1);
    assert_string_equal(cordon_dataset_source(ds, 0)->published, "2024-05-03");
    const cordon_entity *e = find(ds, "v:5");
    assert_int_equal(e->schema, CORDON_SCHEMA_VESSEL);
    assert_string_equal(e->names[0].value, "ADRIAN DARYA 1");
    assert_string_equal(e->countries[0].text, "Iran");
    assert_int_equal(find_id(e, "MMSI", "422031300")->type, CORDON_ID_MMSI);
    e = find(ds, "v:6");
    assert_int_equal(e->schema, CORDON_SCHEMA_PERSON);
    assert_int_equal(e->n_names, 2);
    assert_string_equal(e->names[0].value, "PETROV, Ivan");
    assert_string_equal(e->names[1].value, "ПЕТРОВ, Иван");
    assert_int_equal(e->names[1].kind, CORDON_NAME_NATIVE);
    assert_int_equal(e->n_birth_dates, 3);
    assert_string_equal(e->birth_dates[0].text, "1960 to 1962");
    assert_true(e->birth_dates[0].flags & CORDON_DATE_RANGE);
    assert_int_equal(e->birth_dates[0].year_to, 1962);
    assert_string_equal(e->birth_dates[1].text, "circa 1958-03");
    assert_true(e->birth_dates[1].flags & CORDON_DATE_CIRCA);
    assert_int_equal(e->birth_dates[1].month, 3);
    assert_string_equal(e->birth_dates[2].text, "1957-07-04");
    assert_int_equal(e->birth_dates[2].day, 4);
    cordon_dataset_free(ds);
    unlink(path);
    free(path);
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Hostile input: one name of 20,000 parts, each in a group of its own.
 * Each part finds its group's type at once (scanning the groups for each
 * part took 9 s); the Last Name parts come first. */
static void test_many_name_parts(void **state)
{
    (void)state;
    enum { N = 20000 };
    size_t cap = 256 * (size_t)N + 4096, len = 0;
    char *doc = malloc(cap);
    assert_non_null(doc);
    len += (size_t)snprintf(doc + len, cap - len,
        "<Sanctions><ReferenceValueSets><NamePartTypeValues>"
        "<NamePartType ID=\"1\">Last Name</NamePartType>"
        "<NamePartType ID=\"2\">First Name</NamePartType></NamePartTypeValues>"
        "<PartySubTypeValues><PartySubType ID=\"4\" PartyTypeID=\"1\">Unknown</PartySubType>"
        "</PartySubTypeValues><PartyTypeValues><PartyType ID=\"1\">Individual</PartyType>"
        "</PartyTypeValues></ReferenceValueSets><DistinctParties><DistinctParty FixedRef=\"1\">"
        "<Profile ID=\"1\" PartySubTypeID=\"4\"><Identity ID=\"10\">"
        "<Alias Primary=\"true\"><DocumentedName>");
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(doc + len, cap - len,
                                "<DocumentedNamePart><NamePartValue NamePartGroupID=\"%d\">P%d"
                                "</NamePartValue></DocumentedNamePart>", i, i);
    len += (size_t)snprintf(doc + len, cap - len,
                            "</DocumentedName></Alias><NamePartGroups><MasterNamePartGroup>");
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(doc + len, cap - len,
                                "<NamePartGroup ID=\"%d\" NamePartTypeID=\"%d\"/>", i, 1 + i % 2);
    len += (size_t)snprintf(doc + len, cap - len,
                            "</MasterNamePartGroup></NamePartGroups></Identity></Profile>"
                            "</DistinctParty></DistinctParties></Sanctions>");
    assert_true(len < cap);
    char *path = test_write_temp(doc, len, ".xml");
    free(doc);
    const char *files[] = {path};
    double t0 = cpu_seconds();
    cordon_dataset *ds = test_load("h", CORDON_FORMAT_OFAC_ADVANCED_XML, files, 1);
    double took = cpu_seconds() - t0;
    const cordon_entity *e = cordon_dataset_find(ds, "h:1", 3);
    assert_non_null(e);
    assert_int_equal(e->n_names, 1);
    const char *name = e->names[0].value;
    assert_int_equal(strncmp(name, "P0 P2 P4 ", 9), 0);
    const char *comma = strstr(name, ", ");
    assert_non_null(comma);
    assert_int_equal(strncmp(comma - 7, " P19998, P1 P3 ", 15), 0);
    assert_string_equal(name + strlen(name) - 7, " P19999");
    cordon_dataset_free(ds);
    unlink(path);
    free(path);
    print_message("a name of 20,000 parts: %.2f s of CPU\n", took);
    if (took >= 1.0)
        fail_msg("a name of 20,000 parts took %.2f s of CPU", took);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_haniya),
        cmocka_unit_test(test_vtb),
        cmocka_unit_test(test_same_as_enhanced),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_fixture),
        cmocka_unit_test(test_many_name_parts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
