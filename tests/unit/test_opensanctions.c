/*
 * test_opensanctions.c — OpenSanctions exports (lib/list_opensanctions.c):
 * targets.simple.csv against the real files, FollowTheMoney JSON lines
 * against our own fixture (tests/data/ftm/), and bad input for both.
 *
 * The OpenSanctions files are CC BY-NC: they are read from ../shared
 * (or $CORDON_SHARED_DATA) and never copied into the repository; without
 * them these tests fail, saying so.
 *
 * How the expected numbers were found, independently of cordon: a Python
 * csv script counting rows by schema, and names as the name plus the
 * aliases cell read as ';'-delimited CSV, trimmed, distinct per row:
 *   ua_war_sanctions_2026-03-13: 5,600 rows (1,543 Person, 1,524 Company,
 *     1,340 Vessel, 1,193 LegalEntity), 13,330 names, last_seen
 *     2026-03-13T05:41:01 at the latest;
 *   interpol_red_notices_2025-05-23: 6,561 Person rows, 6,563 names,
 *     last_seen 2025-05-23T18:28:10 at the latest.
 * The FtM fixture was written by hand for these tests (made-up parties).
 */
#include "test_util.h"

#include "cordon_int.h"

#define UA_WAR "/lists/opensanctions/ua_war_sanctions_2026-03-13/targets.simple.csv"
#define INTERPOL "/lists/opensanctions/interpol_red_notices_2025-05-23/targets.simple.csv"
#define FTM "tests/data/ftm/cordon_fixture.ftm.jsonl"

static char path_buf[1024];

/* A file under the shared data, or a loud failure. */
static const char *shared(const char *rel)
{
    const char *dir = test_shared_data();
    if (!dir)
        fail_msg("the OpenSanctions tests read CC BY-NC files from ../shared/data (or "
                 "$CORDON_SHARED_DATA), which is missing; they are never copied here");
    snprintf(path_buf, sizeof path_buf, "%s%s", dir, rel);
    if (access(path_buf, R_OK) != 0)
        fail_msg("%s is missing from the shared data", path_buf);
    return path_buf;
}

static cordon_dataset *load(const char *name, cordon_format format, const char *path)
{
    const char *files[] = {path};
    return test_load(name, format, files, 1);
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

static cordon_error fails(cordon_format format, const char *path, int code, const char *needle)
{
    const char *files[] = {path};
    cordon_error err = test_load_fails("os", format, files, 1, code);
    if (needle && !strstr(err.message, needle))
        fail_msg("\"%s\" not in \"%s\"", needle, err.message);
    return err;
}

static void fails_text(cordon_format format, const char *text, size_t len, int code,
                       const char *needle, unsigned long line)
{
    char *path = test_write_temp(text, len, ".txt");
    cordon_error err = fails(format, path, code, needle);
    assert_int_equal(err.line, line);
    assert_string_equal(err.file, path);
    unlink(path);
    free(path);
}

/* ---- targets.simple.csv ------------------------------------------- */

static void test_ua_war(void **state)
{
    (void)state;
    cordon_dataset *ds = load("os_ua", CORDON_FORMAT_OS_SIMPLE_CSV, shared(UA_WAR));
    const cordon_source_info *si = cordon_dataset_source(ds, 0);
    assert_int_equal(si->n_entities, 5600);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_PERSON], 1543);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_ORGANIZATION], 1524);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_VESSEL], 1340);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_UNKNOWN], 1193); /* LegalEntity */
    assert_int_equal(si->n_names, 13330);
    assert_string_equal(si->published, "2026-03-13");
    assert_int_equal(si->n_warnings, 0);

    const cordon_entity *e = find(ds, "os_ua:NK-24cf2zYe7LEKhr2zFck73j");
    assert_int_equal(e->schema, CORDON_SCHEMA_VESSEL);
    assert_int_equal(e->n_names, 4);
    assert_string_equal(e->names[0].value, "ROSALIN");
    assert_int_equal(kind_of(e, "Ceram Sea"), CORDON_NAME_STRONG);
    assert_int_equal(kind_of(e, "Nurkez"), CORDON_NAME_STRONG);
    assert_int_equal(e->n_countries, 4);
    const char *flags[] = {"LR", "PA", "SG", "ST"};
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(e->countries[i].code, flags[i]);
    assert_int_equal(e->n_identifiers, 1);
    find_id(e, CORDON_ID_IMO, "9253325");
    assert_int_equal(e->n_programs, 1);
    assert_string_equal(e->programs[0], "UA-WS-MARE");
    assert_null(e->remarks); /* sanctions cell "" */
    assert_int_equal(e->origin_line, 3);

    e = find(ds, "os_ua:NK-29dGPcB5CxPwUQt4N3ZVEj");
    assert_int_equal(e->schema, CORDON_SCHEMA_PERSON);
    assert_string_equal(e->names[0].value, "USPENSKAYA Olesya Igorevna");
    assert_int_equal(kind_of(e, "УСПЕНСКАЯ Олеся Игоревна"), CORDON_NAME_STRONG);
    assert_int_equal(kind_of(e, "УСПЕНСЬКА Олеся Ігорівна"), CORDON_NAME_STRONG);
    assert_int_equal(e->birth_dates[0].year, 1987);
    assert_int_equal(e->birth_dates[0].month, 9);
    assert_int_equal(e->birth_dates[0].day, 14);
    find_id(e, CORDON_ID_OTHER, "773006863179");
    assert_string_equal(e->programs[0], "UA-WS-STEALERS");
    assert_string_equal(e->remarks, "Carried out an illegal cultural and chronological "
                                    "determination of the archaeological material of the "
                                    "Prymorsky Northwest settlement");

    /* Three identifiers, one an IMO number; a sanctions cell starting
     * with an empty value. */
    e = find(ds, "os_ua:NK-3J7bqr2qqC4sBprPBxzWXm");
    assert_int_equal(e->schema, CORDON_SCHEMA_ORGANIZATION);
    assert_int_equal(e->n_identifiers, 3);
    find_id(e, CORDON_ID_OTHER, "1077847626042");
    find_id(e, CORDON_ID_OTHER, "7838392447");
    find_id(e, CORDON_ID_IMO, "5402692");
    assert_string_equal(e->countries[0].code, "RU");
    assert_string_equal(e->addresses[0], "199106, russian federation, Saint-Petersburg, Bolshoi "
                                         "V. O. Ave. 80, liter R, floor, room, 4, 1-Н, 126");
    assert_true(strncmp(e->remarks, "Operator of the bunkering business", 34) == 0);
    assert_int_equal(e->origin_line, 116);

    /* A LegalEntity: type unknown; its quoted sanctions text spans lines. */
    e = find(ds, "os_ua:NK-28mqu8V3AzembAmAfehWPd");
    assert_int_equal(e->schema, CORDON_SCHEMA_UNKNOWN);
    assert_string_equal(e->names[0].value, "JOINT-STOCK COMPANY \"KRASNOZAVODSKY CHEMICAL PLANT\"");
    assert_non_null(strstr(e->remarks, "smoothbore guns. \nIt is part of the russian state"));
    cordon_dataset_free(ds);
}

static void test_interpol(void **state)
{
    (void)state;
    cordon_dataset *ds = load("os_interpol", CORDON_FORMAT_OS_SIMPLE_CSV, shared(INTERPOL));
    const cordon_source_info *si = cordon_dataset_source(ds, 0);
    assert_int_equal(si->n_entities, 6561);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_PERSON], 6561);
    assert_int_equal(si->n_names, 6563);
    assert_string_equal(si->published, "2025-05-23");
    const cordon_entity *e = find(ds, "os_interpol:NK-224TRezPqwzhQZ37exWxtX");
    assert_string_equal(e->names[0].value, "SANAVBARI NIKITENKO");
    assert_int_equal(e->n_names, 1);
    assert_string_equal(e->birth_dates[0].text, "1992-06-28");
    assert_int_equal(e->n_countries, 2);
    assert_string_equal(e->countries[0].code, "RU");
    assert_string_equal(e->countries[1].code, "TJ");
    /* A value holding ';' is quoted inside the cell. */
    assert_string_equal(e->remarks, "Red Notice - participation in the activity of a terrorist "
                                    "organization; participation in the activity of an illegal "
                                    "armed formation");
    assert_int_equal(e->origin_line, 2);
    cordon_dataset_free(ds);
}

#define SIMPLE_HEADER                                                                      \
    "\"id\",\"schema\",\"name\",\"aliases\",\"birth_date\",\"countries\",\"addresses\","    \
    "\"identifiers\",\"sanctions\",\"phones\",\"emails\",\"dataset\",\"first_seen\","       \
    "\"last_seen\",\"last_change\"\n"

static void test_simple_bad(void **state)
{
    (void)state;
    const cordon_format F = CORDON_FORMAT_OS_SIMPLE_CSV;
    fails_text(F, "", 0, CORDON_EEMPTY, "empty", 0);
    fails_text(F, SIMPLE_HEADER, strlen(SIMPLE_HEADER), CORDON_EEMPTY, "no records", 0);
    const char *t = "id,name\nX,Y\n";
    fails_text(F, t, strlen(t), CORDON_EFORMAT, "missing header column \"schema\"", 1);
    t = SIMPLE_HEADER "\"a\",\"Person\",\"A\"\n";
    fails_text(F, t, strlen(t), CORDON_EFORMAT, "line 2 has 3 fields, the header has 15", 2);
    t = SIMPLE_HEADER "a,Person,A,,,,,,,,,,,,\nb,Person,,,,,,,,,,,,,\n";
    fails_text(F, t, strlen(t), CORDON_EFORMAT, "line 3 has no name", 3);
    t = SIMPLE_HEADER "a,Person,A,,,,,,,,,,,,\na,Person,B,,,,,,,,,,,,\n";
    fails_text(F, t, strlen(t), CORDON_EFORMAT, "duplicate record id \"a\"", 3);
    t = SIMPLE_HEADER "a,Person,A,\"x;\"\"y\",,,,,,,,,,,\n";
    fails_text(F, t, strlen(t), CORDON_EFORMAT, "multi-value cell", 2);
    t = SIMPLE_HEADER "a,Person,\xC0\xAF,,,,,,,,,,,,\n";
    fails_text(F, t, strlen(t), CORDON_EUTF8, "invalid UTF-8", 2);
    const char nul[] = SIMPLE_HEADER "a,Person,A\0B,,,,,,,,,,,,\n";
    fails_text(F, nul, sizeof nul - 1, CORDON_EFORMAT, "NUL", 2);
    /* An FtM file is not a simple CSV. */
    fails(F, FTM, CORDON_EFORMAT, "missing header column");
}

/* ---- FtM JSON lines ----------------------------------------------- */

static void test_ftm_fixture(void **state)
{
    (void)state;
    cordon_dataset *ds = load("ftm", CORDON_FORMAT_FTM_JSON, FTM);
    const cordon_source_info *si = cordon_dataset_source(ds, 0);
    assert_int_equal(si->n_entities, 9);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_PERSON], 2);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_ORGANIZATION], 3);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_VESSEL], 2);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_AIRCRAFT], 1);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_UNKNOWN], 1);
    assert_int_equal(si->n_names, 19);
    assert_null(si->published);
    assert_int_equal(si->n_warnings, 1);
    assert_string_equal(si->warnings[0], "1 relationship records and 1 non-target entities skipped");
    assert_null(cordon_dataset_find(ds, "ftm:cx-per-relative", 19)); /* "target": false */

    /* A person, with the Sanction and Passport records that point at him
     * folded in. */
    const cordon_entity *e = find(ds, "ftm:cx-per-sidorenko");
    assert_int_equal(e->schema, CORDON_SCHEMA_PERSON);
    assert_int_equal(e->n_names, 4);
    assert_string_equal(e->names[0].value, "Ivan Petrovich SIDORENKO");
    assert_int_equal(kind_of(e, "Ivan Sidorenko"), CORDON_NAME_STRONG);
    assert_int_equal(kind_of(e, "Иван Петрович Сидоренко"), CORDON_NAME_STRONG);
    assert_int_equal(kind_of(e, "Vanya"), CORDON_NAME_WEAK);
    assert_string_equal(e->birth_dates[0].text, "1965-03-14");
    assert_string_equal(e->birth_places[0], "Murmansk");
    assert_string_equal(e->nationalities[0].code, "RU");
    assert_string_equal(e->gender, "Male");
    assert_string_equal(e->title, "Director, Northwind Maritime Holdings Ltd");
    assert_int_equal(e->n_identifiers, 3);
    find_id(e, CORDON_ID_PASSPORT, "721456789");
    find_id(e, CORDON_ID_TAX_ID, "519012345678");
    const cordon_identifier *pp = find_id(e, CORDON_ID_PASSPORT, "RU7204455");
    assert_string_equal(pp->label, "Foreign passport");
    assert_string_equal(pp->country, "RU");
    assert_int_equal(e->n_programs, 1);
    assert_string_equal(e->programs[0], "RUS-MARITIME");
    assert_string_equal(e->listed_on, "2023-02-24");
    assert_string_equal(e->remarks, "Owns and directs a company operating tankers that carry "
                                    "Russian crude above the price cap.");
    assert_int_equal(e->origin_line, 1);
    assert_string_equal(e->origin_file, "cordon_fixture.ftm.jsonl");

    /* A company whose Address record comes later in the file. */
    e = find(ds, "ftm:cx-co-northwind");
    assert_int_equal(e->schema, CORDON_SCHEMA_ORGANIZATION);
    assert_int_equal(kind_of(e, "NMH Ltd"), CORDON_NAME_STRONG);
    assert_int_equal(kind_of(e, "Northwind Shipping Ltd"), CORDON_NAME_FORMER);
    assert_string_equal(e->countries[0].code, "CY");
    assert_int_equal(e->n_addresses, 1);
    assert_string_equal(e->addresses[0], "12 Arch. Makariou III Avenue, 3030 Limassol, Cyprus");
    find_id(e, CORDON_ID_REGISTRATION, "HE 123456");
    find_id(e, CORDON_ID_TAX_ID, "CY10123456X");
    find_id(e, CORDON_ID_EMAIL, "info@northwind-maritime.example");
    find_id(e, CORDON_ID_WEBSITE, "northwind-maritime.example");
    assert_int_equal(e->n_identifiers, 4);
    assert_string_equal(e->programs[0], "EU-RUS");

    /* Vessels: IMO with and without its prefix, MMSI, call sign, flag. */
    e = find(ds, "ftm:cx-vsl-arctic-dawn");
    assert_int_equal(e->schema, CORDON_SCHEMA_VESSEL);
    assert_int_equal(kind_of(e, "POLAR STAR"), CORDON_NAME_FORMER);
    assert_int_equal(kind_of(e, "NORDIC GRACE"), CORDON_NAME_FORMER);
    find_id(e, CORDON_ID_IMO, "9123453");
    find_id(e, CORDON_ID_MMSI, "273456780");
    find_id(e, CORDON_ID_CALL_SIGN, "UBCD7");
    assert_int_equal(e->n_identifiers, 3);
    assert_string_equal(e->countries[0].code, "RU");
    assert_string_equal(e->listed_on, "2024-05-09");
    e = find(ds, "ftm:cx-vsl-ocean-pearl");
    find_id(e, CORDON_ID_IMO, "9234563");
    assert_int_equal(e->n_countries, 1); /* flag, not pastFlags */
    assert_string_equal(e->countries[0].code, "PA");

    /* An airplane's serial number. */
    e = find(ds, "ftm:cx-air-ra64501");
    assert_int_equal(e->schema, CORDON_SCHEMA_AIRCRAFT);
    find_id(e, CORDON_ID_AIRCRAFT_SERIAL, "1450743164001");
    find_id(e, CORDON_ID_REGISTRATION, "RA-64501");

    /* LegalEntity: person or company unknown. */
    assert_int_equal(find(ds, "ftm:cx-le-golden-crescent")->schema, CORDON_SCHEMA_UNKNOWN);
    assert_int_equal(find(ds, "ftm:cx-pub-port-authority")->schema, CORDON_SCHEMA_ORGANIZATION);
    e = find(ds, "ftm:cx-org-procurement");
    assert_string_equal(e->addresses[0], "14 Harbour Road, Bandar Abbas");
    assert_string_equal(e->remarks, "Procures dual-use marine equipment.");

    /* A person given only by first and last name. */
    e = find(ds, "ftm:cx-per-karimova");
    assert_string_equal(e->names[0].value, "Karimova, Dilnoza");
    assert_int_equal(e->birth_dates[0].year, 1979);
    assert_int_equal(e->birth_dates[0].month, 0);
    assert_string_equal(e->citizenships[0].code, "UZ");
    assert_string_equal(e->gender, "Female");
    cordon_dataset_free(ds);
}

static void test_ftm_malformed(void **state)
{
    (void)state;
    const cordon_format F = CORDON_FORMAT_FTM_JSON;
    cordon_error err = fails(F, "tests/data/ftm/bad_json.ftm.json", CORDON_EFORMAT,
                             "malformed JSON");
    assert_int_equal(err.line, 2);
    err = fails(F, "tests/data/ftm/not_entity.ftm.json", CORDON_EFORMAT, "not an FtM entity");
    assert_int_equal(err.line, 2);
    err = fails(F, "tests/data/ftm/no_name.ftm.json", CORDON_EFORMAT,
                "record \"cx-nameless\" has no name");
    assert_int_equal(err.line, 2);
    err = fails(F, "tests/data/ftm/duplicate_id.ftm.json", CORDON_EFORMAT,
                "duplicate record id \"cx-twice\"");
    assert_int_equal(err.line, 2);

    fails_text(F, "", 0, CORDON_EEMPTY, "empty", 0);
    fails_text(F, "\n  \n\n", 4, CORDON_EEMPTY, "empty", 0);
    const char *t = "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n"
                    "{\"id\":\"b\",\"schema\":\"Person\",\"properties\":[\"name\"]}\n";
    fails_text(F, t, strlen(t), CORDON_EFORMAT, "\"properties\" of entity \"b\" is not an object",
               2);
    t = "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n\n"
        "{\"id\":\"b\",\"schema\":\"Person\",\"properties\":{\"name\":[\"B\xFF\"]}}\n";
    fails_text(F, t, strlen(t), CORDON_EFORMAT, "malformed JSON", 3);
    t = "{\"id\":\"a\",\"schema\":\"Person\",\"id\":\"b\"}\n";
    fails_text(F, t, strlen(t), CORDON_EFORMAT, "duplicate object key", 1);
    t = "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\\u0000B\"]}}\n";
    fails_text(F, t, strlen(t), CORDON_EFORMAT, "malformed JSON", 1);
    const char nul[] = "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\0B\"]}}\n";
    fails_text(F, nul, sizeof nul - 1, CORDON_EFORMAT, "malformed JSON", 1);
    /* Deep nesting stops at jansson's depth limit. */
    size_t depth = 100000;
    char *deep = malloc(2 * depth + 1);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    deep[2 * depth] = '\0';
    fails_text(F, deep, 2 * depth, CORDON_EFORMAT, "malformed JSON", 1);
    free(deep);
    /* A simple CSV is not FtM. */
    fails(F, "tests/data/ofsi/ConList_slice.csv", CORDON_EFORMAT, "malformed JSON");
}

static void test_ftm_lenient(void **state)
{
    (void)state;
    /* Non-string values (the nested entities of some exports) are
     * skipped; CRLF and a BOM are fine; dangling references warn. */
    const char *t = "\xEF\xBB\xBF{\"id\":\"a\",\"schema\":\"Company\",\"caption\":\"A\","
                    "\"properties\":{\"name\":[\"Acme\",{\"id\":\"x\"},7],\"country\":[null]}}\r\n"
                    "{\"id\":\"s\",\"schema\":\"Sanction\",\"properties\":{\"entity\":[\"nobody\"]}}"
                    "\r\n";
    char *path = test_write_temp(t, strlen(t), ".json");
    cordon_dataset *ds = load("ftm", CORDON_FORMAT_FTM_JSON, path);
    const cordon_entity *e = find(ds, "ftm:a");
    assert_int_equal(e->n_names, 1);
    assert_string_equal(e->names[0].value, "Acme");
    assert_int_equal(e->n_countries, 0);
    const cordon_source_info *si = cordon_dataset_source(ds, 0);
    assert_int_equal(si->n_warnings, 1);
    assert_string_equal(si->warnings[0], "1 detail references point at no listed entity");
    cordon_dataset_free(ds);
    unlink(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ua_war),
        cmocka_unit_test(test_interpol),
        cmocka_unit_test(test_simple_bad),
        cmocka_unit_test(test_ftm_fixture),
        cmocka_unit_test(test_ftm_malformed),
        cmocka_unit_test(test_ftm_lenient),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
