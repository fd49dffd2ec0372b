/*
 * test_us_csl.c — the US Consolidated Screening List (lib/list_us_csl.c)
 * against the real 2022-04 file, its overlap with OFAC, and bad input.
 *
 * How the expected numbers were found, independently of cordon: a Python
 * csv script over `zcat consolidated.csv.gz`: 14,160 rows of 29 fields;
 * 14,048 distinct _id (the 71 _ids on two or three Treasury lists fold);
 * per _id the first non-empty type: 5,284 Individual, 4,423 Entity, 433
 * Vessel, 283 Aircraft, 3,625 none; names = the name and the ';'-split
 * alt_names, trimmed, distinct per _id: 33,493. Rows whose source names
 * the Treasury Department: 10,535, on 10,423 _ids; the other 3,625 _ids
 * (BIS and State lists) share no _id with them.
 */
#include "test_util.h"

#include "cordon_int.h"


#define CSL "data/lists/us_csl/csl_2022-04/consolidated.csv.gz"
#define SDN_CSV "data/lists/ofac_sdn/sdn_csv_2024-05-03/sdn.csv"

#define HEADER                                                                                \
    "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,"     \
    "start_date,end_date,standard_order,license_requirement,license_policy,call_sign,"         \
    "vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,"     \
    "source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,"     \
    "source_information_url,ids\n"

static cordon_dataset *load_csl(const char *path)
{
    const char *files[] = {path};
    return test_load("us_csl", CORDON_FORMAT_US_CSL, files, 1);
}

static const cordon_entity *find(const cordon_dataset *ds, const char *id)
{
    const cordon_entity *e = cordon_dataset_find(ds, id, strlen(id));
    if (!e)
        fail_msg("%s not loaded", id);
    return e;
}

static cordon_name_kind kind_of(const cordon_entity *e, const char *name)
{
    for (size_t i = 0; i < e->n_names; i++)
        if (strcmp(e->names[i].value, name) == 0)
            return e->names[i].kind;
    fail_msg("%s has no name \"%s\"", e->id, name);
    return CORDON_NAME_KIND_COUNT_;
}

static const cordon_identifier *find_id(const cordon_entity *e, cordon_id_type type,
                                        const char *value)
{
    for (size_t i = 0; i < e->n_identifiers; i++)
        if (e->identifiers[i].type == type && strcmp(e->identifiers[i].value, value) == 0)
            return &e->identifiers[i];
    fail_msg("%s has no %s identifier %s", e->id, cordon_id_type_name(type), value);
    return NULL;
}

/* ---- the real file ------------------------------------------------ */

static void test_counts(void **state)
{
    (void)state;
    cordon_dataset *ds = load_csl(CSL);
    const cordon_source_info *si = cordon_dataset_source(ds, 0);
    assert_int_equal(si->n_entities, 14048);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_PERSON], 5284);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_ORGANIZATION], 4423);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_VESSEL], 433);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_AIRCRAFT], 283);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_UNKNOWN], 3625);
    assert_int_equal(si->n_names, 33493);
    assert_null(si->published);
    assert_int_equal(si->n_warnings, 0);
    /* Every entity carries the list it came from as a program. */
    const char *codes[] = {"SDN", "EL", "DTC", "DPL", "SSI", "UVL", "ISN",
                           "PLC", "MEU", "CMIC", "CAP", "NS-MBS", "FSE"};
    size_t per_code[13] = {0};
    for (size_t i = 0; i < cordon_dataset_entity_count(ds); i++) {
        const cordon_entity *e = cordon_dataset_entity(ds, i);
        size_t hits = 0;
        for (size_t c = 0; c < 13; c++)
            if (test_has_program(e, codes[c])) {
                per_code[c]++;
                hits++;
            }
        assert_true(hits >= 1);
    }
    /* Entities per list are the list's distinct _ids (Python, as above);
     * CAP has 53 rows on 52 _ids. */
    const size_t want[13] = {10026, 2001, 727, 462, 290, 201, 163, 78, 71, 68, 52, 17, 3};
    for (size_t c = 0; c < 13; c++)
        assert_int_equal(per_code[c], want[c]);
    cordon_dataset_free(ds);
}

static void test_records(void **state)
{
    (void)state;
    cordon_dataset *ds = load_csl(CSL);

    /* On three Treasury lists at once: one entity, three list codes. */
    const cordon_entity *e = find(ds, "us_csl:18725");
    assert_int_equal(e->schema, CORDON_SCHEMA_ORGANIZATION);
    assert_int_equal(e->n_names, 2);
    assert_string_equal(e->names[0].value, "BANCO VTB AFRICA SA");
    assert_int_equal(kind_of(e, "VTB AFRICA"), CORDON_NAME_STRONG);
    assert_int_equal(e->n_programs, 5);
    const char *progs[] = {"CAP", "UKRAINE-EO13662", "RUSSIA-EO14024", "SDN", "SSI"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(e->programs[i], progs[i]);
    assert_int_equal(e->n_identifiers, 2);
    find_id(e, CORDON_ID_WEBSITE, "www.vtb.ao");
    find_id(e, CORDON_ID_SWIFT_BIC, "VTBLAOLU");
    assert_int_equal(e->n_addresses, 1);
    assert_string_equal(e->addresses[0], "22, Rua da Missao, Luanda, AO");
    assert_string_equal(e->countries[0].code, "AO");
    /* Each list's row repeats the remarks: kept once. */
    assert_string_equal(e->remarks, "For more information on directives, please visit the "
                                    "following link: http://www.treasury.gov/resource-center/"
                                    "sanctions/Programs/Pages/ukraine.aspx#directives; (Linked "
                                    "To: VTB BANK PUBLIC JOINT STOCK COMPANY)");

    /* An SDN individual: ids with their countries, gender, birth data. */
    e = find(ds, "us_csl:35064");
    assert_int_equal(e->schema, CORDON_SCHEMA_PERSON);
    assert_string_equal(e->names[0].value, "ABADIGGA, Abdella Hussein");
    assert_int_equal(e->n_names, 6);
    assert_int_equal(kind_of(e, "ABU HAMZA"), CORDON_NAME_STRONG);
    assert_int_equal(kind_of(e, "USSENI, Abdallah"), CORDON_NAME_STRONG);
    assert_int_equal(e->n_identifiers, 2);
    const cordon_identifier *id = find_id(e, CORDON_ID_PASSPORT, "T00043812");
    assert_string_equal(id->country, "ZA");
    assert_string_equal(id->label, "Passport");
    id = find_id(e, CORDON_ID_OTHER, "7402016297260");
    assert_string_equal(id->label, "Refugee ID Card");
    assert_string_equal(e->gender, "Male");
    assert_int_equal(e->n_birth_dates, 1);
    assert_int_equal(e->birth_dates[0].year, 1974);
    assert_int_equal(e->birth_dates[0].month, 2);
    assert_int_equal(e->birth_dates[0].day, 1);
    assert_string_equal(e->birth_places[0], "Jimma, Oromia Regional State, Ethiopia");
    assert_string_equal(e->citizenships[0].code, "ET");
    assert_string_equal(e->nationalities[0].code, "ET");
    assert_string_equal(e->addresses[0], "48 Central Road, New Town, Johannesburg, ZA");
    assert_true(test_has_program(e, "SDGT") && test_has_program(e, "SDN"));
    assert_string_equal(e->remarks, "(Linked To: ISLAMIC STATE OF IRAQ AND THE LEVANT)");

    /* A vessel: IMO number, call sign, flag, vessel type. */
    e = find(ds, "us_csl:31920");
    assert_int_equal(e->schema, CORDON_SCHEMA_VESSEL);
    assert_string_equal(e->names[0].value, "AKADEMIK CHERSKIY");
    assert_int_equal(e->n_names, 3);
    assert_string_equal(find_id(e, CORDON_ID_IMO, "8770261")->label,
                        "Vessel Registration Identification");
    find_id(e, CORDON_ID_CALL_SIGN, "UDQB");
    assert_int_equal(e->n_identifiers, 2);
    assert_string_equal(e->countries[0].code, "RU");
    assert_string_equal(e->countries[0].text, "Russia");
    assert_string_equal(e->remarks, "(Linked To: SAMARA HEAT AND ENERGY PROPERTY FUND); "
                                    "Vessel type: Pipe-laying Vessel");

    /* An aircraft: its serial number; model, operator and dates are not
     * identifiers. */
    e = find(ds, "us_csl:24507");
    assert_int_equal(e->schema, CORDON_SCHEMA_AIRCRAFT);
    assert_string_equal(e->names[0].value, "EP-AJC");
    assert_int_equal(e->n_identifiers, 1);
    find_id(e, CORDON_ID_AIRCRAFT_SERIAL, "530");

    /* A Denied Persons List row: a hash _id, no type, a start date. */
    e = find(ds, "us_csl:deb7a1d5743a85c354ca1a2c7f2664e2104b32d7");
    assert_int_equal(e->schema, CORDON_SCHEMA_UNKNOWN);
    assert_string_equal(e->names[0].value, "I. ASH");
    assert_int_equal(e->n_programs, 1);
    assert_string_equal(e->programs[0], "DPL");
    assert_string_equal(e->listed_on, "2003-06-19");
    assert_string_equal(e->countries[0].code, "US");
    assert_string_equal(e->remarks, "FEDERAL REGISTER NOTICE UPDATED");
    assert_int_equal(e->origin_line, 2);
    assert_string_equal(e->origin_file, "consolidated.csv.gz");

    /* An Entity List row with aliases. */
    e = find(ds, "us_csl:4398d33e9e93c7477af39f1e0bfffc13ddd47bcc");
    assert_string_equal(e->names[0].value, "140 Repair Plant JSC");
    assert_int_equal(kind_of(e, "Open Joint Stock Company 140 Repair Plant"), CORDON_NAME_STRONG);
    assert_int_equal(kind_of(e, "and JSC 140 Repair Plant"), CORDON_NAME_STRONG); /* as listed */
    assert_string_equal(e->programs[0], "EL");
    assert_string_equal(e->listed_on, "2022-04-07");
    assert_string_equal(e->countries[0].code, "BY");
    cordon_dataset_free(ds);
}

/* Loaded after an OFAC source, the CSL keeps only the BIS and State
 * lists: OFAC's own files are the authority for the Treasury rows. */
static void test_overlap_with_ofac(void **state)
{
    (void)state;
    cordon_dataset *ds = cordon_dataset_new();
    cordon_source_spec sdn = {.name = "ofac_sdn", .format = CORDON_FORMAT_OFAC_CSV,
                              .files = {SDN_CSV}, .n_files = 1};
    cordon_source_spec csl = {.name = "us_csl", .format = CORDON_FORMAT_US_CSL,
                              .files = {CSL}, .n_files = 1};
    cordon_error err;
    assert_int_equal(cordon_dataset_load(ds, &sdn, &err), 0);
    size_t n_sdn = cordon_dataset_entity_count(ds);
    assert_int_equal(cordon_dataset_load(ds, &csl, &err), 0);
    const cordon_source_info *si = cordon_dataset_source(ds, 1);
    assert_int_equal(si->n_entities, 3625);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_UNKNOWN], 3625);
    assert_int_equal(cordon_dataset_entity_count(ds), n_sdn + 3625);
    assert_int_equal(si->n_warnings, 1);
    assert_string_equal(si->warnings[0], "10535 rows from Treasury (OFAC) lists skipped: OFAC "
                                         "source \"ofac_sdn\" is loaded and is the authority "
                                         "for them");
    assert_null(cordon_dataset_find(ds, "us_csl:18725", 12));
    assert_non_null(cordon_dataset_find(ds, "ofac_sdn:18725", 14));
    find(ds, "us_csl:deb7a1d5743a85c354ca1a2c7f2664e2104b32d7");
    cordon_dataset_free(ds);
}

/* ---- small files ---------------------------------------------------- */

static char *write_text(const char *text)
{
    return test_write_temp(text, strlen(text), ".csv");
}

static void test_plain_csv_and_folding(void **state)
{
    (void)state;
    /* Not gzipped; the same _id on two lists; a row with no _id keyed by
     * list and entity number; ids with issue dates dropped from the
     * number; notes that are not identifiers. */
    char *path = write_text(
        HEADER
        "7,Specially Designated Nationals (SDN) - Treasury Department,7,Entity,IRAN,ACME "
        "LTD,,\"1 Road, Tehran, IR\",,,,,,,,,,,,,Note one,,ACME; ACME TRADING,,,,,,"
        "\"MD, 2004-07-02, 04900377, Driver's License No.; Subject to Secondary Sanctions, "
        "Additional Sanctions Information -; 16 Jan 2017, Organization Established Date\"\n"
        "7,Sectoral Sanctions Identifications List (SSI) - Treasury Department,7,Entity,UKRAINE-"
        "EO13662,ACME LTD,,,,,,,,,,,,,,,Note one,,ACME TRADING;ACME 2,,,,,,\n"
        ",Military End User (MEU) List - Bureau of Industry and Security,99,,,WIDGET "
        "WORKS,,,,2021-01-14,,,,,,,,,,,,,,,,,,,\n");
    cordon_dataset *ds = load_csl(path);
    assert_int_equal(cordon_dataset_entity_count(ds), 2);
    const cordon_entity *e = find(ds, "us_csl:7");
    assert_int_equal(e->n_names, 4);
    assert_int_equal(e->n_programs, 4); /* SDN IRAN SSI UKRAINE-EO13662 */
    assert_string_equal(e->programs[2], "SSI");
    assert_string_equal(e->remarks, "Note one");
    assert_int_equal(e->n_identifiers, 1);
    const cordon_identifier *id = find_id(e, CORDON_ID_OTHER, "04900377");
    assert_string_equal(id->country, "MD");
    assert_string_equal(id->label, "Driver's License No.");
    e = find(ds, "us_csl:MEU-99");
    assert_string_equal(e->names[0].value, "WIDGET WORKS");
    assert_string_equal(e->programs[0], "MEU");
    assert_string_equal(e->listed_on, "2021-01-14");
    assert_int_equal(e->origin_line, 4);
    cordon_dataset_free(ds);
    unlink(path);
    free(path);
}

static cordon_error fails(const char *path, int code, const char *needle)
{
    const char *files[] = {path};
    cordon_error err = test_load_fails("us_csl", CORDON_FORMAT_US_CSL, files, 1, code);
    if (needle && !strstr(err.message, needle))
        fail_msg("\"%s\" not in \"%s\"", needle, err.message);
    return err;
}

static void fails_text(const char *text, int code, const char *needle, unsigned long line)
{
    char *path = write_text(text);
    cordon_error err = fails(path, code, needle);
    assert_int_equal(err.line, line);
    assert_string_equal(err.file, path);
    unlink(path);
    free(path);
}

static void test_bad_input(void **state)
{
    (void)state;
    /* OFAC's sdn.csv has no header: not a CSL. */
    cordon_error err = fails(SDN_CSV, CORDON_EFORMAT, "missing header column \"_id\"");
    assert_int_equal(err.line, 1);

    fails_text("", CORDON_EEMPTY, "empty", 0);
    fails_text(HEADER, CORDON_EEMPTY, "no records", 0);
    fails_text(HEADER "1,SDN,1,Entity,X,ACME\n", CORDON_EFORMAT,
               "line 2 has 6 fields, the header has 29", 2);
    fails_text(HEADER "1,S,,,,ACME,,,,,,,,,,,,,,,,,,,,,,,\n2,S,,,,,,,,,,,,,,,,,,,,,,,,,,,\n",
               CORDON_EFORMAT, "line 3 has no name", 3);
    fails_text(HEADER "1,S,,,,AC\xFF" "ME,,,,,,,,,,,,,,,,,,,,,,,\n", CORDON_EUTF8,
               "invalid UTF-8", 2);
    fails_text(HEADER ",S,,,,ACME,,,,,,,,,,,,,,,,,,,,,,,\n", CORDON_EFORMAT,
               "neither an _id nor a source and entity_number", 2);
    fails_text(HEADER "1,S,,,,\"ACME,,,,,,,,,,,,,,,,,,,,,,,\n", CORDON_EFORMAT, "quoting", 2);

    /* A NUL byte. */
    const char row[] = HEADER "1,S,,,,AC\0ME,,,,,,,,,,,,,,,,,,,,,,,\n";
    char *path = test_write_temp(row, sizeof row - 1, ".csv");
    err = fails(path, CORDON_EFORMAT, "NUL");
    assert_int_equal(err.line, 2);
    unlink(path);
    free(path);

    /* The real file with its gzip stream cut in half. */
    char *gz;
    size_t len;
    assert_int_equal(cordon__read_file(CSL, &gz, &len, &err), 0);
    path = test_write_temp(gz, len / 2, ".csv.gz");
    free(gz);
    fails(path, CORDON_EFORMAT, "gzip");
    unlink(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_overlap_with_ofac),
        cmocka_unit_test(test_plain_csv_and_folding),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
