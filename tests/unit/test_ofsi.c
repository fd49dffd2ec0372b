/*
 * test_ofsi.c — the UK OFSI Consolidated List (lib/list_ofsi.c) from its
 * XLSX workbook and its CSV form, against the real files, and bad input.
 *
 * How the expected numbers were found, independently of cordon: the
 * workbooks were dumped to CSV with Python's zipfile + xml.etree (shared
 * strings resolved, cells placed by their references), then a Python csv
 * script counted distinct Group IDs (by the Group Type of their rows),
 * and built each group's names the way list_ofsi.c documents it ("SURNAME,
 * Given Names" for individuals, Alias Type/Quality to kinds, the non-
 * Latin script column as native, repeated names kept once with the
 * stronger kind, a second primary name as a strong alias, and the first
 * name of a group with no "Primary name" row as its primary):
 *   2025-04-14: 18,798 rows, 4,688 groups (3,663 Individual, 1,010 Entity,
 *     15 Ship), 15,966 names (4,688 primary, 7,430 strong, 607 weak,
 *     15 former, 3,226 native); groups 16601 and 16789 have no primary.
 *   2023-06-05: 16,823 rows, 3,993 groups (3,231 / 747 / 15), 13,768
 *     names (3,993 / 6,435 / 583 / 12 / 2,745).
 * tests/data/ofsi/ConList_slice.csv holds every row of five groups of the
 * 2025 list, written by the same Python dump as OFSI's CSV export lays it
 * out (every row 36 fields, CRLF); OGL v3.
 */
#include "test_util.h"

#include "cordon_int.h"

#include <zip.h>

#define OFSI_2025 "data/lists/uk_ofsi/conlist_2025-04-14/ConList.xlsx"
#define OFSI_2023 "data/lists/uk_ofsi/conlist_2023-06-05/ConList.xlsx"
#define SLICE "tests/data/ofsi/ConList_slice.csv"
#define SDN_CSV "data/lists/ofac_sdn/sdn_csv_2024-05-03/sdn.csv"

static cordon_dataset *load_one(cordon_format format, const char *path)
{
    const char *files[] = {path};
    return test_load("uk_ofsi", format, files, 1);
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

static void count_kinds(const cordon_dataset *ds, size_t kinds[CORDON_NAME_KIND_COUNT_])
{
    memset(kinds, 0, CORDON_NAME_KIND_COUNT_ * sizeof kinds[0]);
    for (size_t i = 0; i < cordon_dataset_entity_count(ds); i++) {
        const cordon_entity *e = cordon_dataset_entity(ds, i);
        assert_int_equal(e->names[0].kind, CORDON_NAME_PRIMARY);
        for (size_t k = 0; k < e->n_names; k++)
            kinds[e->names[k].kind]++;
    }
}

/* ---- whole records ------------------------------------------------ */

/* Putin's group: three name rows (the primary name with its Cyrillic
 * form, and the same "Vladimir PUTIN" variation twice). */
static void check_putin(const cordon_dataset *ds, const char *origin_file)
{
    const cordon_entity *e = find(ds, "uk_ofsi:14196");
    assert_string_equal(e->source, "uk_ofsi");
    assert_string_equal(e->native_id, "14196");
    assert_int_equal(e->schema, CORDON_SCHEMA_PERSON);
    assert_int_equal(e->n_names, 3);
    assert_string_equal(e->names[0].value, "PUTIN, Vladimir Vladimirovich");
    assert_int_equal(e->names[0].kind, CORDON_NAME_PRIMARY);
    assert_int_equal(kind_of(e, "PUTIN, Vladimir"), CORDON_NAME_STRONG);
    assert_int_equal(kind_of(e, "Владимир Владимирович Путин"), CORDON_NAME_NATIVE);
    assert_int_equal(e->n_birth_dates, 1);
    assert_int_equal(e->birth_dates[0].year, 1952);
    assert_int_equal(e->birth_dates[0].month, 10);
    assert_int_equal(e->birth_dates[0].day, 7);
    assert_string_equal(e->birth_dates[0].text, "07/10/1952");
    assert_int_equal(e->n_birth_places, 1);
    assert_string_equal(e->birth_places[0], "St Petersburg (then Leningrad), Russia");
    assert_int_equal(e->n_nationalities, 1);
    assert_string_equal(e->nationalities[0].code, "RU");
    assert_string_equal(e->nationalities[0].text, "Russia");
    assert_int_equal(e->n_countries, 1);
    assert_string_equal(e->countries[0].code, "RU");
    assert_int_equal(e->n_addresses, 1);
    assert_string_equal(e->addresses[0], "Moscow, Russia");
    assert_int_equal(e->n_identifiers, 1);
    const cordon_identifier *ref = find_id(e, CORDON_ID_OTHER, "RUS0251");
    assert_string_equal(ref->label, "UK Sanctions List Ref");
    assert_int_equal(e->n_programs, 1);
    assert_string_equal(e->programs[0], "Russia");
    assert_string_equal(e->gender, "Male");
    assert_string_equal(e->title, "President of the Russian Federation");
    assert_string_equal(e->listed_on, "2022-02-25");
    assert_non_null(e->remarks);
    assert_true(strncmp(e->remarks, "(UK Sanctions List Ref):RUS0251. Financial sanctions", 52) == 0);
    assert_non_null(strstr(e->remarks, "Vladimir Vladimirovich Putin is the President of the "
                                       "Russian Federation"));
    assert_string_equal(e->origin_file, origin_file);
}

/* A ship: its IMO number and flag come out of Other Information. */
static void check_ship(const cordon_dataset *ds)
{
    const cordon_entity *e = find(ds, "uk_ofsi:13651");
    assert_int_equal(e->schema, CORDON_SCHEMA_VESSEL);
    assert_string_equal(e->names[0].value, "SAM JONG 2");
    assert_int_equal(e->n_names, 9);
    const char *akas[] = {"AKTIVA", "BIMA", "OCHRE POINT", "PETROCHEM VALOUR", "RAINBOW CHASER",
                          "SOLVENT DISCOVERER", "TOM MIRA", "YU_JONG_3"};
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(kind_of(e, akas[i]), CORDON_NAME_STRONG); /* AKA, no quality given */
    assert_string_equal(find_id(e, CORDON_ID_IMO, "7408873")->label, "IMO number");
    find_id(e, CORDON_ID_OTHER, "DPR0100");
    assert_int_equal(e->n_identifiers, 2);
    assert_int_equal(e->n_countries, 1);
    assert_string_equal(e->countries[0].code, "KP");
    assert_string_equal(e->countries[0].text, "North Korea");
    assert_int_equal(e->n_birth_dates, 0);
    assert_null(e->gender);
    assert_string_equal(e->programs[0], "Democratic People's Republic of Korea");
    assert_string_equal(e->listed_on, "2018-04-03");
}

/* Numbered passports paired with their details; alias qualities. */
static void check_azzouz(const cordon_dataset *ds)
{
    const cordon_entity *e = find(ds, "uk_ofsi:13312");
    assert_string_equal(e->names[0].value, "AZZOUZ, ABD AL-BASET");
    assert_int_equal(e->n_names, 4);
    assert_int_equal(kind_of(e, "AZOUZ, Abdelbassed"), CORDON_NAME_STRONG); /* Good quality */
    assert_int_equal(kind_of(e, "AZOUZ, Abdul Baset"), CORDON_NAME_STRONG);
    assert_int_equal(kind_of(e, "AA"), CORDON_NAME_WEAK); /* Low quality */
    assert_string_equal(find_id(e, CORDON_ID_PASSPORT, "223611")->label, "Libya number");
    assert_string_equal(find_id(e, CORDON_ID_PASSPORT, "C00146605")->label,
                        "British passport number");
    assert_string_equal(find_id(e, CORDON_ID_OTHER, "QDi.371")->label, "UN Ref");
    find_id(e, CORDON_ID_OTHER, "AQD0089");
    assert_int_equal(e->n_identifiers, 4);
    assert_string_equal(e->birth_places[0], "Doma, Libya");
    assert_string_equal(e->nationalities[0].code, "LY");
}

/* A company: e-mail, website and numbered registration numbers. */
static void check_ace(const cordon_dataset *ds)
{
    const cordon_entity *e = find(ds, "uk_ofsi:16821");
    assert_int_equal(e->schema, CORDON_SCHEMA_ORGANIZATION);
    assert_string_equal(e->names[0].value, "ACE ELECTRONIC HK CO., LIMITED");
    assert_int_equal(kind_of(e, "ACE ELECTRONIC (HK) CO., LTD"), CORDON_NAME_STRONG);
    assert_string_equal(find_id(e, CORDON_ID_REGISTRATION, "69987857")->label, "BR");
    assert_string_equal(find_id(e, CORDON_ID_REGISTRATION, "2756979")->label, "CR");
    find_id(e, CORDON_ID_EMAIL, "sales@ace-chip.com");
    find_id(e, CORDON_ID_WEBSITE, "https://www.ace-chip.com");
    assert_int_equal(e->n_identifiers, 5);
    assert_string_equal(e->addresses[0], "E2 Unit, 22/F Kingsway Industrial Building Phase II, "
                                         "167-175 Wo Yi Hop Road, New Territories, Hong Kong, "
                                         "China");
    assert_string_equal(e->countries[0].code, "CN");
    assert_string_equal(e->listed_on, "2025-02-24");
}

/* A group with no "Primary name" row: its first name stands in. */
static void check_no_primary(const cordon_dataset *ds)
{
    const cordon_entity *e = find(ds, "uk_ofsi:16601");
    assert_int_equal(e->n_names, 3);
    assert_string_equal(e->names[0].value, "33RD SCIENTIFIC RESEARCH AND TESTING INSTITUTE");
    assert_int_equal(e->names[0].kind, CORDON_NAME_PRIMARY);
    assert_int_equal(kind_of(e, "33RD TSNIII"), CORDON_NAME_STRONG);
}

/* ---- the real files ----------------------------------------------- */

static void test_xlsx_2025(void **state)
{
    (void)state;
    cordon_dataset *ds = load_one(CORDON_FORMAT_OFSI_XLSX, OFSI_2025);
    const cordon_source_info *si = cordon_dataset_source(ds, 0);
    assert_int_equal(si->n_entities, 4688);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_PERSON], 3663);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_ORGANIZATION], 1010);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_VESSEL], 15);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_AIRCRAFT], 0);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_UNKNOWN], 0);
    assert_int_equal(si->n_names, 15966);
    size_t kinds[CORDON_NAME_KIND_COUNT_];
    count_kinds(ds, kinds);
    assert_int_equal(kinds[CORDON_NAME_PRIMARY], 4688);
    assert_int_equal(kinds[CORDON_NAME_STRONG], 7430);
    assert_int_equal(kinds[CORDON_NAME_WEAK], 607);
    assert_int_equal(kinds[CORDON_NAME_FORMER], 15);
    assert_int_equal(kinds[CORDON_NAME_NATIVE], 3226);
    assert_string_equal(si->published, "2025-04-14");
    assert_int_equal(si->n_warnings, 1);
    assert_non_null(strstr(si->warnings[0], "2 group(s) have no \"Primary name\" row"));
    assert_non_null(strstr(si->warnings[0], "16601, 16789"));
    /* Regimes: 31 distinct programs across the list. */
    const char *seen[64];
    size_t n_seen = 0;
    for (size_t i = 0; i < cordon_dataset_entity_count(ds); i++) {
        const cordon_entity *e = cordon_dataset_entity(ds, i);
        for (size_t p = 0; p < e->n_programs; p++) {
            size_t k = 0;
            while (k < n_seen && strcmp(seen[k], e->programs[p]) != 0)
                k++;
            if (k == n_seen) {
                assert_true(n_seen < 64);
                seen[n_seen++] = e->programs[p];
            }
        }
    }
    assert_int_equal(n_seen, 31);
    check_putin(ds, "ConList.xlsx");
    assert_int_equal(find(ds, "uk_ofsi:14196")->origin_line, 14465); /* its first row */
    check_ship(ds);
    check_azzouz(ds);
    check_ace(ds);
    check_no_primary(ds);
    cordon_dataset_free(ds);
}

static void test_xlsx_2023(void **state)
{
    (void)state;
    cordon_dataset *ds = load_one(CORDON_FORMAT_OFSI_XLSX, OFSI_2023);
    const cordon_source_info *si = cordon_dataset_source(ds, 0);
    assert_int_equal(si->n_entities, 3993);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_PERSON], 3231);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_ORGANIZATION], 747);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_VESSEL], 15);
    assert_int_equal(si->n_names, 13768);
    size_t kinds[CORDON_NAME_KIND_COUNT_];
    count_kinds(ds, kinds);
    assert_int_equal(kinds[CORDON_NAME_PRIMARY], 3993);
    assert_int_equal(kinds[CORDON_NAME_STRONG], 6435);
    assert_int_equal(kinds[CORDON_NAME_WEAK], 583);
    assert_int_equal(kinds[CORDON_NAME_FORMER], 12);
    assert_int_equal(kinds[CORDON_NAME_NATIVE], 2745);
    assert_string_equal(si->published, "2023-06-05");
    assert_int_equal(si->n_warnings, 0);
    /* Putin was listed then too, under the same Group ID. */
    const cordon_entity *e = find(ds, "uk_ofsi:14196");
    assert_string_equal(e->names[0].value, "PUTIN, Vladimir Vladimirovich");
    cordon_dataset_free(ds);
}

static void test_csv_slice(void **state)
{
    (void)state;
    cordon_dataset *ds = load_one(CORDON_FORMAT_OFSI_CSV, SLICE);
    const cordon_source_info *si = cordon_dataset_source(ds, 0);
    assert_int_equal(si->n_entities, 5);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_PERSON], 2);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_ORGANIZATION], 2);
    assert_int_equal(si->n_by_schema[CORDON_SCHEMA_VESSEL], 1);
    assert_int_equal(si->n_names, 3 + 9 + 4 + 2 + 3);
    assert_string_equal(si->published, "2025-04-14");
    assert_int_equal(si->n_warnings, 1);
    check_putin(ds, "ConList_slice.csv");
    check_ship(ds);
    check_azzouz(ds);
    check_ace(ds);
    check_no_primary(ds);
    /* Entities come in the order their first row appears. */
    assert_string_equal(cordon_dataset_entity(ds, 0)->id, "uk_ofsi:16601");
    assert_int_equal(cordon_dataset_entity(ds, 0)->origin_line, 3);
    cordon_dataset_free(ds);
}

/* ---- the CSV form of the whole list -------------------------------- */

/* Writes each sheet row as a CSV record of the header's width, every
 * field quoted, as a spreadsheet's CSV export does. */
typedef struct csv_out {
    FILE *f;
    size_t width;
} csv_out;

static int write_row(void *ctx, unsigned long row, const cordon__csv_field *cells, size_t n)
{
    csv_out *o = ctx;
    if (row == 2)
        o->width = n;
    size_t w = o->width > n ? o->width : n;
    for (size_t i = 0; i < w; i++) {
        if (i)
            fputc(',', o->f);
        fputc('"', o->f);
        for (size_t k = 0; i < n && k < cells[i].len; k++) {
            if (cells[i].s[k] == '"')
                fputc('"', o->f);
            fputc(cells[i].s[k], o->f);
        }
        fputc('"', o->f);
    }
    fputs("\r\n", o->f);
    return 0;
}

static char *xlsx_to_csv(const char *xlsx)
{
    char *path = test_write_temp("", 0, ".csv");
    csv_out o = {.f = fopen(path, "wb"), .width = 0};
    assert_non_null(o.f);
    char *data;
    size_t len;
    cordon_error err;
    assert_int_equal(cordon__read_file(xlsx, &data, &len, &err), 0);
    assert_int_equal(cordon__xlsx_read(data, len, xlsx, write_row, &o, &err), 0);
    free(data);
    fclose(o.f);
    return path;
}

static void same_strings(const char *const *a, size_t na, const char *const *b, size_t nb)
{
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++)
        assert_string_equal(a[i], b[i]);
}

static void same_opt(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

static void same_countries(const cordon_country *a, size_t na, const cordon_country *b, size_t nb)
{
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        assert_string_equal(a[i].code, b[i].code);
        assert_string_equal(a[i].text, b[i].text);
    }
}

/* The CSV form loads to exactly the same entities as the workbook. */
static void test_csv_equals_xlsx(void **state)
{
    (void)state;
    char *csv = xlsx_to_csv(OFSI_2025);
    cordon_dataset *a = load_one(CORDON_FORMAT_OFSI_XLSX, OFSI_2025);
    cordon_dataset *b = load_one(CORDON_FORMAT_OFSI_CSV, csv);
    assert_int_equal(cordon_dataset_entity_count(a), cordon_dataset_entity_count(b));
    assert_string_equal(cordon_dataset_source(b, 0)->published, "2025-04-14");
    assert_int_equal(cordon_dataset_source(b, 0)->n_names, 15966);
    for (size_t i = 0; i < cordon_dataset_entity_count(a); i++) {
        const cordon_entity *x = cordon_dataset_entity(a, i), *y = cordon_dataset_entity(b, i);
        assert_string_equal(x->id, y->id);
        assert_int_equal(x->schema, y->schema);
        assert_int_equal(x->n_names, y->n_names);
        for (size_t k = 0; k < x->n_names; k++) {
            assert_string_equal(x->names[k].value, y->names[k].value);
            assert_int_equal(x->names[k].kind, y->names[k].kind);
        }
        assert_int_equal(x->n_birth_dates, y->n_birth_dates);
        for (size_t k = 0; k < x->n_birth_dates; k++)
            assert_string_equal(x->birth_dates[k].text, y->birth_dates[k].text);
        same_strings(x->birth_places, x->n_birth_places, y->birth_places, y->n_birth_places);
        same_countries(x->nationalities, x->n_nationalities, y->nationalities, y->n_nationalities);
        same_countries(x->countries, x->n_countries, y->countries, y->n_countries);
        same_strings(x->addresses, x->n_addresses, y->addresses, y->n_addresses);
        same_strings(x->programs, x->n_programs, y->programs, y->n_programs);
        assert_int_equal(x->n_identifiers, y->n_identifiers);
        for (size_t k = 0; k < x->n_identifiers; k++) {
            assert_int_equal(x->identifiers[k].type, y->identifiers[k].type);
            assert_string_equal(x->identifiers[k].value, y->identifiers[k].value);
            same_opt(x->identifiers[k].label, y->identifiers[k].label);
        }
        same_opt(x->gender, y->gender);
        same_opt(x->title, y->title);
        same_opt(x->listed_on, y->listed_on);
        same_opt(x->remarks, y->remarks);
    }
    check_putin(b, cordon__basename(csv));
    cordon_dataset_free(a);
    cordon_dataset_free(b);
    unlink(csv);
    free(csv);
}

/* ---- bad input ---------------------------------------------------- */

static char *slice_text(size_t *len)
{
    char *data;
    cordon_error err;
    assert_int_equal(cordon__read_file(SLICE, &data, len, &err), 0);
    return data;
}

/* The slice with its record `line` (1-based, counting CRLF-ended records)
 * replaced by `repl`. Records 6 and 7 hold a bare LF inside a quoted field,
 * so record k >= 8 starts on physical line k + 2, which errors report. */
static char *slice_with_line(unsigned line, const char *repl, size_t repl_len)
{
    size_t len;
    char *data = slice_text(&len);
    char *s = data;
    for (unsigned l = 1; l < line; l++)
        s = strstr(s, "\r\n") + 2;
    char *e = strstr(s, "\r\n");
    cordon__buf b = {0};
    cordon__buf_append(&b, data, (size_t)(s - data));
    cordon__buf_append(&b, repl, repl_len);
    cordon__buf_append(&b, e, len - (size_t)(e - data));
    free(data);
    char *path = test_write_temp(b.data, b.len, ".csv");
    cordon__buf_free(&b);
    return path;
}

static cordon_error fails(cordon_format format, const char *path, int code, const char *needle)
{
    const char *files[] = {path};
    cordon_error err = test_load_fails("uk_ofsi", format, files, 1, code);
    if (needle && !strstr(err.message, needle))
        fail_msg("\"%s\" not in \"%s\"", needle, err.message);
    return err;
}

/* A row of `fields` empty-ish fields with this Group ID and name. */
static char *row_of(size_t fields, const char *name6, const char *gid)
{
    cordon__buf b = {0};
    cordon__buf_printf(&b, "%s", name6);
    for (size_t i = 1; i < fields; i++)
        cordon__buf_printf(&b, ",%s", i == 28 ? "Individual" : i == 29 ? "Primary name"
                                       : i == fields - 1 ? gid : "");
    cordon__buf_terminate(&b);
    return b.data;
}

static void test_bad_column_count(void **state)
{
    (void)state;
    char *row = row_of(35, "SHORT", "99999");
    char *path = slice_with_line(5, row, strlen(row));
    cordon_error err = fails(CORDON_FORMAT_OFSI_CSV, path, CORDON_EFORMAT,
                             "line 5 has 35 fields, the header has 36");
    assert_int_equal(err.line, 5);
    assert_string_equal(err.file, path);
    unlink(path);
    free(path);
    free(row);

    row = row_of(37, "LONG", "99999");
    path = slice_with_line(23, row, strlen(row));
    err = fails(CORDON_FORMAT_OFSI_CSV, path, CORDON_EFORMAT, "line 25 has 37 fields");
    assert_int_equal(err.line, 25);
    unlink(path);
    free(path);
    free(row);
}

static void test_bad_rows(void **state)
{
    (void)state;
    char *row = row_of(36, "NOGROUP", "");
    char *path = slice_with_line(4, row, strlen(row));
    cordon_error err = fails(CORDON_FORMAT_OFSI_CSV, path, CORDON_EFORMAT, "line 4 has no Group ID");
    assert_int_equal(err.line, 4);
    unlink(path);
    free(path);
    free(row);

    /* Invalid UTF-8 in a name, with the line. */
    row = row_of(36, "BAD\xC3\x28NAME", "99999");
    path = slice_with_line(7, row, strlen(row));
    err = fails(CORDON_FORMAT_OFSI_CSV, path, CORDON_EUTF8, "invalid UTF-8");
    assert_int_equal(err.line, 8);
    unlink(path);
    free(path);
    free(row);

    /* A NUL byte inside a field. */
    row = row_of(36, "NUL?NAME", "99999");
    size_t row_len = strlen(row);
    row[3] = '\0';
    path = slice_with_line(8, row, row_len);
    free(row);
    err = fails(CORDON_FORMAT_OFSI_CSV, path, CORDON_EFORMAT, "NUL byte");
    assert_int_equal(err.line, 10);
    unlink(path);
    free(path);

    /* An over-long field. */
    size_t big = CORDON__MAX_FIELD_BYTES + 1;
    char *name = malloc(big + 1);
    memset(name, 'A', big);
    name[big] = '\0';
    row = row_of(36, name, "99999");
    free(name);
    path = slice_with_line(9, row, strlen(row));
    free(row);
    err = fails(CORDON_FORMAT_OFSI_CSV, path, CORDON_ETOOBIG, "exceeds");
    assert_int_equal(err.line, 11);
    unlink(path);
    free(path);

    /* An unterminated quote. */
    const char *q = "\"PUTIN,Vladimir";
    path = slice_with_line(10, q, strlen(q));
    err = fails(CORDON_FORMAT_OFSI_CSV, path, CORDON_EFORMAT, "quoting");
    assert_int_equal(err.line, 12);
    unlink(path);
    free(path);
}

static void test_empty_and_foreign(void **state)
{
    (void)state;
    char *path = test_write_temp("", 0, ".csv");
    fails(CORDON_FORMAT_OFSI_CSV, path, CORDON_EEMPTY, "empty");
    fails(CORDON_FORMAT_OFSI_XLSX, path, CORDON_EEMPTY, "empty");
    unlink(path);
    free(path);

    /* Only the "Last Updated" line. */
    const char *pre = "Last Updated,14/04/2025\r\n";
    path = test_write_temp(pre, strlen(pre), ".csv");
    fails(CORDON_FORMAT_OFSI_CSV, path, CORDON_EEMPTY, "no header row");
    unlink(path);
    free(path);

    /* A header but no rows. */
    size_t len;
    char *data = slice_text(&len);
    char *end = strstr(strstr(data, "\r\n") + 2, "\r\n") + 2;
    path = test_write_temp(data, (size_t)(end - data), ".csv");
    fails(CORDON_FORMAT_OFSI_CSV, path, CORDON_EEMPTY, "no records");
    unlink(path);
    free(path);
    free(data);

    /* OFAC's sdn.csv is not an OFSI list. */
    cordon_error err = fails(CORDON_FORMAT_OFSI_CSV, SDN_CSV, CORDON_EFORMAT,
                             "missing header column \"Name 6\"");
    assert_int_equal(err.line, 1);

    /* The CSV form passed as the workbook, and the workbook as CSV. */
    fails(CORDON_FORMAT_OFSI_XLSX, SLICE, CORDON_ECORRUPT, "not a zip archive");
    fails(CORDON_FORMAT_OFSI_CSV, OFSI_2025, CORDON_EFORMAT, "missing header column");
}

static void test_bad_workbooks(void **state)
{
    (void)state;
    /* A real zip without a sheet: the slice CSV zipped up. */
    size_t len;
    char *data = slice_text(&len);
    char *path = test_write_temp("", 0, ".xlsx");
    int ze;
    zip_t *z = zip_open(path, ZIP_TRUNCATE, &ze);
    assert_non_null(z);
    zip_source_t *src = zip_source_buffer(z, data, len, 0);
    assert_true(zip_file_add(z, "ConList.csv", src, 0) >= 0);
    assert_int_equal(zip_close(z), 0);
    free(data);
    fails(CORDON_FORMAT_OFSI_XLSX, path, CORDON_ECORRUPT, "no xl/workbook.xml part");
    unlink(path);
    free(path);

    /* The real workbook cut short. */
    cordon_error err;
    assert_int_equal(cordon__read_file(OFSI_2025, &data, &len, &err), 0);
    path = test_write_temp(data, len - 100, ".xlsx");
    fails(CORDON_FORMAT_OFSI_XLSX, path, CORDON_ECORRUPT, "not a readable XLSX workbook");
    unlink(path);
    free(path);
    /* ... or with its sheet's deflate stream damaged a third of the way
     * in: the garbage it inflates to is caught as XML before the CRC. */
    memset(data + len / 3, 0x55, 64);
    path = test_write_temp(data, len, ".xlsx");
    err = fails(CORDON_FORMAT_OFSI_XLSX, path, CORDON_EFORMAT,
                "malformed XML in xl/worksheets/sheet1.xml");
    unlink(path);
    free(path);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xlsx_2025),
        cmocka_unit_test(test_xlsx_2023),
        cmocka_unit_test(test_csv_slice),
        cmocka_unit_test(test_csv_equals_xlsx),
        cmocka_unit_test(test_bad_column_count),
        cmocka_unit_test(test_bad_rows),
        cmocka_unit_test(test_empty_and_foreign),
        cmocka_unit_test(test_bad_workbooks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
