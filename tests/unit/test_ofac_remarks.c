/*
 * test_ofac_remarks.c — the Remarks field of OFAC's legacy CSV
 * (lib/ofac_remarks.c), one item kind at a time. Each case writes a
 * one-row sdn.csv around a Remarks text, taken from or modelled on the
 * real files, and loads it through the public API.
 */
#include "test_util.h"

#include <stdbool.h>

static char dir[64];
static char path[128];
static cordon_dataset *ds;

/* Loads one entity of SDN_Type `type` ("individual", "vessel",
 * "aircraft" or "-0- ") with this Title (or NULL) and Remarks. */
static const cordon_entity *load(const char *type, const char *title, const char *remarks)
{
    cordon_dataset_free(ds);
    ds = NULL;
    if (!dir[0]) {
        strcpy(dir, "/tmp/cordon-remarks-XXXXXX");
        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/sdn.csv", dir);
    }
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fprintf(f, "7,\"NAME, Some\",%s%s%s,\"SDGT\",", type[0] == '-' ? "" : "\"", type,
            type[0] == '-' ? "" : "\"");
    if (title)
        fprintf(f, "\"%s\",", title);
    else
        fputs("-0- ,", f);
    fputs("-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"", f);
    for (const char *c = remarks; *c; c++) {
        if (*c == '"')
            fputc('"', f);
        fputc(*c, f);
    }
    fputs("\"\r\n\x1A", f);
    fclose(f);
    const char *files[] = {path};
    ds = test_load("t", CORDON_FORMAT_OFAC_CSV, files, 1);
    return cordon_dataset_find(ds, "t:7", 3);
}

static int teardown(void **state)
{
    (void)state;
    cordon_dataset_free(ds);
    ds = NULL;
    if (dir[0]) {
        unlink(path);
        rmdir(dir);
        dir[0] = '\0';
    }
    return 0;
}

static void expect_id(const cordon_entity *e, size_t i, cordon_id_type type,
                      const char *label, const char *value, const char *country)
{
    assert_true(i < e->n_identifiers);
    const cordon_identifier *id = &e->identifiers[i];
    assert_string_equal(cordon_id_type_name(id->type), cordon_id_type_name(type));
    assert_string_equal(id->label, label);
    assert_string_equal(id->value, value);
    if (country)
        assert_string_equal(id->country, country);
    else
        assert_null(id->country);
}

static void test_person(void **state)
{
    (void)state;
    const cordon_entity *e = load("individual", NULL,
                                  "DOB 07 Oct 1952; POB Leningrad, Russia; nationality Russia; "
                                  "citizen Russia; alt. citizen Israel; Gender Male.");
    assert_int_equal(e->n_birth_dates, 1);
    assert_int_equal(e->birth_dates[0].year, 1952);
    assert_int_equal(e->birth_dates[0].month, 10);
    assert_int_equal(e->birth_dates[0].day, 7);
    assert_string_equal(e->birth_places[0], "Leningrad, Russia");
    assert_string_equal(e->nationalities[0].text, "Russia");
    assert_int_equal(e->n_citizenships, 2);
    assert_string_equal(e->citizenships[1].text, "Israel");
    assert_string_equal(e->gender, "Male");
    assert_null(e->remarks);
}

static void test_dates(void **state)
{
    (void)state;
    const cordon_entity *e = load("individual", NULL,
                                  "DOB 1962; alt. DOB circa 1960; alt. DOB 1929 to 1930; "
                                  "alt. DOB Mar 1945; alt. DOB 1962; DOB sometime.");
    assert_int_equal(e->n_birth_dates, 4); /* 1962 only once */
    assert_int_equal(e->birth_dates[0].year, 1962);
    assert_int_equal(e->birth_dates[0].month, 0);
    assert_true(e->birth_dates[1].flags & CORDON_DATE_CIRCA);
    assert_int_equal(e->birth_dates[2].year_to, 1930);
    assert_true(e->birth_dates[2].flags & CORDON_DATE_RANGE);
    assert_int_equal(e->birth_dates[3].month, 3);
    assert_string_equal(e->birth_dates[3].text, "Mar 1945");
    /* Not a date: kept, label and all. */
    assert_string_equal(e->remarks, "DOB sometime.");
}

static void test_weak_aliases(void **state)
{
    (void)state;
    /* Remarks hold OFAC's weak a.k.a.s (strong ones are in alt.csv); a
     * name may hold an apostrophe; a name cut short stays in remarks. */
    const cordon_entity *e = load("-0- ", NULL,
                                  "a.k.a. 'PEOPLE'S ARMY'; f.k.a. 'OLD NAME'; n.k.a. 'NEW'; "
                                  "alt. a.k.a. 'ALT'; a.k.a. 'CUT SHO");
    assert_int_equal(e->schema, CORDON_SCHEMA_ORGANIZATION);
    assert_int_equal(e->n_names, 5);
    assert_string_equal(e->names[1].value, "PEOPLE'S ARMY");
    for (size_t i = 1; i < 5; i++)
        assert_int_equal(e->names[i].kind, CORDON_NAME_WEAK);
    assert_string_equal(e->names[2].value, "OLD NAME");
    assert_string_equal(e->names[4].value, "ALT");
    assert_string_equal(e->remarks, "a.k.a. 'CUT SHO");
}

static void test_documents(void **state)
{
    (void)state;
    const cordon_entity *e = load(
        "individual", NULL,
        "Passport A123 (Iran); alt. Passport L 191609 issued 28 Feb 1996 expires 27 Feb 2001; "
        "National ID No. 1290992118 (Iran); Cedula No. 16223940 (Colombia); "
        "C.U.R.P. AIMM67125HCHRRG06 (Mexico); Citizen's Card Number 211226197812154256 "
        "(China); NIT # 800018928-0 (Colombia); R.F.C. # PMA-910805 (Mexico); "
        "Tax ID No. 7707083893 (Russia); Registration Number C 68939 (Malta); "
        "Passport issued in Sarajevo, Bosnia-Herzegovina.");
    expect_id(e, 0, CORDON_ID_PASSPORT, "Passport", "A123", "Iran");
    expect_id(e, 1, CORDON_ID_PASSPORT, "Passport", "L 191609", NULL);
    expect_id(e, 2, CORDON_ID_NATIONAL_ID, "National ID No.", "1290992118", "Iran");
    expect_id(e, 3, CORDON_ID_NATIONAL_ID, "Cedula No.", "16223940", "Colombia");
    expect_id(e, 4, CORDON_ID_NATIONAL_ID, "C.U.R.P.", "AIMM67125HCHRRG06", "Mexico");
    expect_id(e, 5, CORDON_ID_NATIONAL_ID, "Citizen's Card Number", "211226197812154256",
              "China");
    expect_id(e, 6, CORDON_ID_TAX_ID, "NIT #", "800018928-0", "Colombia");
    expect_id(e, 7, CORDON_ID_TAX_ID, "R.F.C.", "PMA-910805", "Mexico");
    expect_id(e, 8, CORDON_ID_TAX_ID, "Tax ID No.", "7707083893", "Russia");
    expect_id(e, 9, CORDON_ID_REGISTRATION, "Registration Number", "C 68939", "Malta");
    assert_int_equal(e->n_identifiers, 10);
    /* Issue and expiry dates have no field: that item is kept whole;
     * so is a passport without a number. "citizen" did not take
     * "Citizen's Card Number". */
    assert_string_equal(e->remarks,
                        "alt. Passport L 191609 issued 28 Feb 1996 expires 27 Feb 2001; "
                        "Passport issued in Sarajevo, Bosnia-Herzegovina.");
    assert_int_equal(e->n_citizenships, 0);
}

static void test_vessel(void **state)
{
    (void)state;
    const cordon_entity *e = load("vessel", NULL,
                                  "Vessel Registration Identification IMO 1011551; "
                                  "MMSI 273385420; Vessel Registration Identification RS 150443 "
                                  "(Russia); Vessel Registration Identification 8606173; "
                                  "Vessel Registration Identification 15411 (Malta); "
                                  "Identification Number IMO 5342883; Former Vessel Flag Malta; "
                                  "Linked To: PUTIN, Vladimir Vladimirovich.");
    assert_int_equal(e->schema, CORDON_SCHEMA_VESSEL);
    expect_id(e, 0, CORDON_ID_IMO, "Vessel Registration Identification IMO", "1011551", NULL);
    expect_id(e, 1, CORDON_ID_MMSI, "MMSI", "273385420", NULL);
    /* Without "IMO", only a number with a valid IMO check digit is one. */
    expect_id(e, 2, CORDON_ID_REGISTRATION, "Vessel Registration Identification", "RS 150443",
              "Russia");
    expect_id(e, 3, CORDON_ID_IMO, "Vessel Registration Identification", "8606173", NULL);
    expect_id(e, 4, CORDON_ID_REGISTRATION, "Vessel Registration Identification", "15411",
              "Malta");
    expect_id(e, 5, CORDON_ID_IMO, "Identification Number IMO", "5342883", NULL);
    assert_string_equal(e->remarks, "Former Vessel Flag Malta; "
                                    "Linked To: PUTIN, Vladimir Vladimirovich.");
}

static void test_aircraft(void **state)
{
    (void)state;
    const cordon_entity *e = load("aircraft", NULL,
                                  "Aircraft Construction Number (also called L/N or S/N or F/N) "
                                  "8401; Aircraft Manufacture Date 1992; Aircraft Model IL76-TD; "
                                  "Aircraft Operator YAS AIR; Aircraft Manufacturer's Serial "
                                  "Number (MSN) 1023409321; Aircraft Tail Number EP-MMH; "
                                  "Aircraft Mode S Transponder Code 140AE7; Linked To: POUYA AIR.");
    assert_int_equal(e->schema, CORDON_SCHEMA_AIRCRAFT);
    expect_id(e, 0, CORDON_ID_AIRCRAFT_SERIAL,
              "Aircraft Construction Number (also called L/N or S/N or F/N)", "8401", NULL);
    expect_id(e, 1, CORDON_ID_AIRCRAFT_SERIAL, "Aircraft Manufacturer's Serial Number (MSN)",
              "1023409321", NULL);
    expect_id(e, 2, CORDON_ID_REGISTRATION, "Aircraft Tail Number", "EP-MMH", NULL);
    expect_id(e, 3, CORDON_ID_OTHER, "Aircraft Mode S Transponder Code", "140AE7", NULL);
    assert_string_equal(e->remarks, "Aircraft Manufacture Date 1992; Aircraft Model IL76-TD; "
                                    "Aircraft Operator YAS AIR; Linked To: POUYA AIR.");
}

static void test_organization(void **state)
{
    (void)state;
    const cordon_entity *e = load("-0- ", NULL,
                                  "SWIFT/BIC SABRRUMM; Website www.sberbank.ru; Email Address "
                                  "info@x.com; Digital Currency Address - XBT "
                                  "3NU9zkD8CCVGVmYnNNSN7PbU9sSFQBm5UV; Nationality of "
                                  "Registration Russia; Registration Country Liberia; Organization Established Date 1969; "
                                  "Unified Social Credit Code (USCC) 91320506MA1NDQ9J4N (China); "
                                  "Telephone (98)(21)(66153220); International Maritime "
                                  "Organization No. (5777731); Linked To: NEW AHMADI LTD.");
    expect_id(e, 0, CORDON_ID_SWIFT_BIC, "SWIFT/BIC", "SABRRUMM", NULL);
    expect_id(e, 1, CORDON_ID_WEBSITE, "Website", "www.sberbank.ru", NULL);
    expect_id(e, 2, CORDON_ID_EMAIL, "Email Address", "info@x.com", NULL);
    expect_id(e, 3, CORDON_ID_OTHER, "Digital Currency Address - XBT",
              "3NU9zkD8CCVGVmYnNNSN7PbU9sSFQBm5UV", NULL);
    expect_id(e, 4, CORDON_ID_REGISTRATION, "Unified Social Credit Code (USCC)",
              "91320506MA1NDQ9J4N", "China");
    expect_id(e, 5, CORDON_ID_OTHER, "Telephone", "(98)(21)(66153220)", NULL);
    expect_id(e, 6, CORDON_ID_IMO, "International Maritime Organization No.", "5777731", NULL);
    assert_int_equal(e->n_countries, 2);
    assert_string_equal(e->countries[0].text, "Russia");
    assert_string_equal(e->countries[1].text, "Liberia");
    /* "LTD." keeps the field's final period, which it shares. */
    assert_string_equal(e->remarks, "Organization Established Date 1969; "
                                    "Linked To: NEW AHMADI LTD.");
}

static void test_separators_and_title(void **state)
{
    (void)state;
    /* Items end at every ';', spaced or not, and empty ones vanish; the
     * item repeating the Title is dropped. */
    const cordon_entity *e = load("individual", "President of the Russian Federation",
                                  "Organization Type: A;B; President of the Russian Federation; "
                                  "Gender Unknown;; ; POB Shati.");
    assert_string_equal(e->title, "President of the Russian Federation");
    assert_string_equal(e->birth_places[0], "Shati");
    assert_null(e->gender);
    assert_string_equal(e->remarks, "Organization Type: A; B; Gender Unknown");

    /* The real Remarks of SDN 7940 (2002), whose ';' lacks its space. */
    e = load("individual", NULL,
             "DOB 01 Feb 1966; POB Hashmija, Iraq; nationality possibly Palestinian;arrested "
             "23 Apr 2002; a.k.a. 'ABU ALI'.");
    assert_int_equal(e->n_birth_dates, 1);
    assert_string_equal(e->birth_places[0], "Hashmija, Iraq");
    assert_int_equal(e->n_nationalities, 1);
    assert_string_equal(e->nationalities[0].text, "possibly Palestinian");
    assert_string_equal(e->remarks, "arrested 23 Apr 2002");
    assert_int_equal(e->n_names, 2);
    assert_string_equal(e->names[1].value, "ABU ALI");

    e = load("individual", "Chairman", "DOB 1984; Chairman.");
    assert_null(e->remarks);
    assert_int_equal(e->n_birth_dates, 1);

    /* A title of several items, repeated in the middle; "Chairman of X"
     * is not the title "Chairman". */
    e = load("individual", "General; Chairman",
             "Linked To: A; General; Chairman; Chairman of X; Head of Y.");
    assert_string_equal(e->remarks, "Linked To: A; Chairman of X; Head of Y.");
    e = load("individual", "Chairman", "Chairman of X; Linked To: A; Chairman.");
    assert_string_equal(e->remarks, "Chairman of X; Linked To: A.");

    /* Labels are matched whole: "DOBS" and "POBox" are not DOB and POB. */
    e = load("individual", NULL, "DOBS 1984; POBox 12; Passport; nationality.");
    assert_int_equal(e->n_birth_dates + e->n_birth_places + e->n_identifiers, 0);
    assert_int_equal(e->n_nationalities, 0);
    assert_string_equal(e->remarks, "DOBS 1984; POBox 12; Passport; nationality.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_person, teardown),
        cmocka_unit_test_teardown(test_dates, teardown),
        cmocka_unit_test_teardown(test_weak_aliases, teardown),
        cmocka_unit_test_teardown(test_documents, teardown),
        cmocka_unit_test_teardown(test_vessel, teardown),
        cmocka_unit_test_teardown(test_aircraft, teardown),
        cmocka_unit_test_teardown(test_organization, teardown),
        cmocka_unit_test_teardown(test_separators_and_title, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
