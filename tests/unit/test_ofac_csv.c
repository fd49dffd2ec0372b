/*
 * test_ofac_csv.c — OFAC's legacy CSV sets (lib/list_ofac_csv.c) against
 * the real files, and bad input.
 *
 * How the expected numbers were found, independently of cordon:
 *  - entity counts by type: awk -F, on sdn.csv, column 3 ("individual",
 *    "vessel", "aircraft", "-0- ");
 *  - orphan rows: awk -F, 'NR==FNR{ids[$1]=1;next} NF && !($1 in ids)'
 *    sdn.csv alt.csv (rows, and distinct $1 for entities), after
 *    `tr -d '\032'`; the same for add.csv and sdn_comments.csv;
 *  - name counts by kind: a short Python csv script that gives each
 *    entity its primary name, the alt.csv names (aka/nka strong, fka
 *    former) and the a.k.a./f.k.a./n.k.a. 'X' items of its Remarks (joined
 *    with the comments file) as weak, keeping the first kind of a repeated
 *    name;
 *  - comment rows continuing Remarks that are complete (under 1,000
 *    characters, so the files are of different dates): the same script.
 */
#include "test_util.h"

#include "cordon_int.h"

#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>

#define SDN_2024 "data/lists/ofac_sdn/sdn_csv_2024-05-03/sdn.csv"
#define PART_2025 "data/lists/ofac_sdn/partial_no_sdn_csv_2025-12/"
#define FULL_2021 "data/lists/ofac_sdn/full_csv_set_2021-07/"
#define CONS_2025 "data/lists/ofac_consolidated/csv_set_2025-12/"
#define UN_XML "data/lists/un_sc/2026-02-27/UN_consolidated.xml"

static cordon_dataset *load_default_sdn(void)
{
    const char *files[] = {SDN_2024, PART_2025 "alt.csv", PART_2025 "add.csv",
                           PART_2025 "sdn_comments.csv"};
    return test_load("ofac_sdn", CORDON_FORMAT_OFAC_CSV, files, 4);
}

static const cordon_entity *find(const cordon_dataset *ds, const char *id)
{
    const cordon_entity *e = cordon_dataset_find(ds, id, strlen(id));
    if (!e)
        fail_msg("%s not loaded", id);
    return e;
}

static cordon_name_kind name_kind(const cordon_entity *e, const char *name)
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

/* ---- the real files ----------------------------------------------- */

static void test_sdn_default_bundle(void **state)
{
    (void)state;
    cordon_dataset *ds = load_default_sdn();
    const cordon_source_info *info = cordon_dataset_source(ds, 0);
    assert_int_equal(info->n_entities, 14965);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_PERSON], 6854);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_VESSEL], 851);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_AIRCRAFT], 376);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_ORGANIZATION], 6884);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_UNKNOWN], 0);
    assert_null(info->published); /* the legacy CSV prints no date */
    assert_int_equal(strlen(info->sha256), 64);

    /* 20,107 alias rows of which 2,460 (for 1,567 entities) and 24,244
     * address rows of which 4,893 (4,253 entities) belong to entities
     * listed after 2024-05-03; 6 of the 28 comment rows too, and 5 more
     * continue Remarks that the 2024 file already has whole. */
    assert_int_equal(info->n_warnings, 4);
    assert_string_equal(info->warnings[0],
                        "sdn_comments.csv: 5 rows continue Remarks that are complete in "
                        "sdn.csv (files of different dates?); kept as separate remarks");
    assert_string_equal(info->warnings[1],
                        "sdn_comments.csv: 6 comment rows refer to 6 entities not in "
                        "sdn.csv (probably listed after it); skipped");
    assert_string_equal(info->warnings[2],
                        "alt.csv: 2460 alias rows refer to 1567 entities not in sdn.csv "
                        "(probably listed after it); skipped");
    assert_string_equal(info->warnings[3],
                        "add.csv: 4893 address rows refer to 4253 entities not in sdn.csv "
                        "(probably listed after it); skipped");

    size_t kinds[CORDON_NAME_KIND_COUNT_];
    count_kinds(ds, kinds);
    assert_int_equal(kinds[CORDON_NAME_PRIMARY], 14965);
    assert_int_equal(kinds[CORDON_NAME_STRONG], 17093);
    assert_int_equal(kinds[CORDON_NAME_FORMER], 533);
    assert_int_equal(kinds[CORDON_NAME_WEAK], 3695);
    assert_int_equal(kinds[CORDON_NAME_NATIVE], 0);
    assert_int_equal(info->n_names, 36286);
    cordon_dataset_free(ds);
}

static void test_sdn_alone(void **state)
{
    (void)state;
    const char *files[] = {SDN_2024};
    cordon_dataset *ds = test_load("ofac_sdn", CORDON_FORMAT_OFAC_CSV, files, 1);
    const cordon_source_info *info = cordon_dataset_source(ds, 0);
    assert_int_equal(info->n_entities, 14965);
    assert_int_equal(info->n_warnings, 0);
    /* Without alt.csv the only aliases are the weak ones of Remarks. */
    size_t kinds[CORDON_NAME_KIND_COUNT_];
    count_kinds(ds, kinds);
    assert_int_equal(kinds[CORDON_NAME_STRONG] + kinds[CORDON_NAME_FORMER], 0);
    const cordon_entity *e = find(ds, "ofac_sdn:35096");
    assert_int_equal(e->n_names, 1);
    assert_int_equal(e->n_addresses, 0);
    cordon_dataset_free(ds);
}

static void test_kim_jong_un(void **state)
{
    (void)state;
    cordon_dataset *ds = load_default_sdn();
    const cordon_entity *e = find(ds, "ofac_sdn:20157");
    assert_string_equal(e->source, "ofac_sdn");
    assert_string_equal(e->native_id, "20157");
    assert_int_equal(e->schema, CORDON_SCHEMA_PERSON);
    assert_string_equal(e->names[0].value, "KIM, Jong Un");
    assert_int_equal(e->n_names, 1);
    assert_int_equal(e->n_programs, 1);
    assert_string_equal(e->programs[0], "DPRK3");
    assert_int_equal(e->n_birth_dates, 1);
    assert_int_equal(e->birth_dates[0].year, 1984);
    assert_int_equal(e->birth_dates[0].month, 1);
    assert_int_equal(e->birth_dates[0].day, 8);
    assert_int_equal(e->birth_dates[0].flags, 0);
    assert_string_equal(e->birth_dates[0].text, "08 Jan 1984");
    assert_string_equal(e->title, "Chairman of the Workers' Party of Korea");
    /* add.csv gives only a country, which is no address. */
    assert_int_equal(e->n_addresses, 0);
    assert_int_equal(e->n_countries, 1);
    assert_string_equal(e->countries[0].text, "Korea, North");
    assert_string_equal(e->countries[0].code, "KP");
    /* The title repeated at the end of Remarks is not kept twice. */
    assert_string_equal(e->remarks,
                        "Secondary sanctions risk: North Korea Sanctions Regulations, sections "
                        "510.201 and 510.210; Transactions Prohibited For Persons Owned or "
                        "Controlled By U.S. Financial Institutions: North Korea Sanctions "
                        "Regulations section 510.214.");
    assert_null(e->gender);
    assert_string_equal(e->origin_file, "sdn.csv");
    assert_int_equal(e->origin_line, 4157);
    cordon_dataset_free(ds);
}

static void test_putin(void **state)
{
    (void)state;
    cordon_dataset *ds = load_default_sdn();
    const cordon_entity *e = find(ds, "ofac_sdn:35096");
    assert_int_equal(e->schema, CORDON_SCHEMA_PERSON);
    assert_string_equal(e->names[0].value, "PUTIN, Vladimir Vladimirovich");
    assert_int_equal(e->n_names, 2);
    assert_int_equal(name_kind(e, "PUTIN, Vladimir"), CORDON_NAME_STRONG);
    assert_int_equal(e->n_programs, 1);
    assert_string_equal(e->programs[0], "RUSSIA-EO14024");
    assert_int_equal(e->n_birth_dates, 1);
    assert_int_equal(e->birth_dates[0].year, 1952);
    assert_int_equal(e->birth_dates[0].month, 10);
    assert_int_equal(e->birth_dates[0].day, 7);
    assert_int_equal(e->n_birth_places, 1);
    assert_string_equal(e->birth_places[0], "Leningrad, Russia");
    assert_int_equal(e->n_nationalities, 1);
    assert_string_equal(e->nationalities[0].text, "Russia");
    assert_string_equal(e->nationalities[0].code, "RU");
    assert_int_equal(e->n_citizenships, 1);
    assert_string_equal(e->citizenships[0].text, "Russia");
    assert_string_equal(e->gender, "Male");
    assert_string_equal(e->title, "President of the Russian Federation");
    assert_null(e->remarks); /* everything in Remarks was understood */
    assert_int_equal(e->n_addresses, 4);
    assert_string_equal(e->addresses[0], "Kremlin, Moscow, Russia");
    assert_string_equal(e->addresses[3], "Valdai, Novgorod Region, Russia");
    assert_int_equal(e->n_countries, 1);
    assert_int_equal(e->n_identifiers, 0);
    assert_int_equal(e->origin_line, 9079);
    cordon_dataset_free(ds);
}

static void test_vessel_graceful(void **state)
{
    (void)state;
    cordon_dataset *ds = load_default_sdn();
    const cordon_entity *e = find(ds, "ofac_sdn:37444");
    assert_int_equal(e->schema, CORDON_SCHEMA_VESSEL);
    assert_string_equal(e->names[0].value, "GRACEFUL");
    assert_string_equal(e->programs[0], "RUSSIA-EO14024");
    assert_int_equal(e->n_identifiers, 2);
    const cordon_identifier *imo = find_id(e, CORDON_ID_IMO, "1011551");
    assert_string_equal(imo->label, "Vessel Registration Identification IMO");
    assert_null(imo->country);
    const cordon_identifier *cs = find_id(e, CORDON_ID_CALL_SIGN, "UBGV8");
    assert_string_equal(cs->label, "Call Sign");
    /* Vess_flag is the vessel's country. */
    assert_int_equal(e->n_countries, 1);
    assert_string_equal(e->countries[0].text, "Russia");
    assert_string_equal(e->remarks, "Vessel Type Yacht; Gross Registered Tonnage 2685; "
                                    "Linked To: PUTIN, Vladimir Vladimirovich.");
    cordon_dataset_free(ds);
}

static void test_more_records(void **state)
{
    (void)state;
    cordon_dataset *ds = load_default_sdn();

    /* Weak a.k.a. in Remarks, strong one in alt.csv. */
    const cordon_entity *e = find(ds, "ofac_sdn:306");
    assert_int_equal(e->schema, CORDON_SCHEMA_ORGANIZATION);
    assert_int_equal(name_kind(e, "BNC"), CORDON_NAME_WEAK);
    assert_int_equal(name_kind(e, "NATIONAL BANK OF CUBA"), CORDON_NAME_STRONG);
    assert_null(e->remarks);
    assert_int_equal(e->n_addresses, 4);

    /* Several programs in one field; passports and a national ID. */
    e = find(ds, "ofac_sdn:44017");
    assert_int_equal(e->n_programs, 2);
    assert_string_equal(e->programs[0], "NPWMD");
    assert_string_equal(e->programs[1], "IFSR");
    assert_string_equal(find_id(e, CORDON_ID_PASSPORT, "G10506784")->country, "Iran");
    assert_string_equal(find_id(e, CORDON_ID_PASSPORT, "G9329064")->label, "Passport");
    assert_string_equal(find_id(e, CORDON_ID_NATIONAL_ID, "1290992118")->label,
                        "National ID No.");

    /* An expiry date has no field: the item stays in remarks too. */
    e = find(ds, "ofac_sdn:44217");
    assert_string_equal(find_id(e, CORDON_ID_PASSPORT, "014236438")->country, "Serbia");
    assert_string_equal(e->remarks, "Passport 014236438 (Serbia) expires 20 May 2029; "
                                    "Linked To: LIMITED LIABILITY COMPANY AK MICROTECH.");

    /* Four dates of birth, one and three "alt.". */
    e = find(ds, "ofac_sdn:9616");
    assert_int_equal(e->n_birth_dates, 4);
    assert_int_equal(e->birth_dates[3].year, 1980);
    assert_int_equal(e->birth_dates[3].day, 19);

    /* A range and a circa. */
    e = find(ds, "ofac_sdn:15496");
    assert_int_equal(e->birth_dates[0].year, 1929);
    assert_int_equal(e->birth_dates[0].year_to, 1930);
    assert_true(e->birth_dates[0].flags & CORDON_DATE_RANGE);
    e = find(ds, "ofac_sdn:7782");
    assert_int_equal(e->birth_dates[0].year, 1951);
    assert_true(e->birth_dates[0].flags & CORDON_DATE_CIRCA);

    /* Aircraft identifiers. */
    e = find(ds, "ofac_sdn:15431");
    assert_int_equal(e->schema, CORDON_SCHEMA_AIRCRAFT);
    assert_string_equal(find_id(e, CORDON_ID_AIRCRAFT_SERIAL, "1023409321")->label,
                        "Aircraft Manufacturer's Serial Number (MSN)");
    find_id(e, CORDON_ID_AIRCRAFT_SERIAL, "8401");

    /* Digital currency addresses carry the currency in the label. */
    e = find(ds, "ofac_sdn:45391");
    assert_string_equal(find_id(e, CORDON_ID_OTHER, "3NU9zkD8CCVGVmYnNNSN7PbU9sSFQBm5UV")->label,
                        "Digital Currency Address - XBT");

    /* Remarks cut at 1,000 characters mid-alias ("a.k.a. 'snowsjo") and
     * continued by sdn_comments.csv ("hn'; Linked To: LAZARUS GROUP."). */
    e = find(ds, "ofac_sdn:28263");
    assert_int_equal(name_kind(e, "snowsjohn"), CORDON_NAME_WEAK);
    assert_string_equal(e->remarks,
                        "Secondary sanctions risk: North Korea Sanctions Regulations, sections "
                        "510.201 and 510.210; Transactions Prohibited For Persons Owned or "
                        "Controlled By U.S. Financial Institutions: North Korea Sanctions "
                        "Regulations section 510.214; Linked To: LAZARUS GROUP.");

    /* A national register's number is not an IMO number. */
    e = find(ds, "ofac_sdn:37479");
    assert_string_equal(find_id(e, CORDON_ID_REGISTRATION, "RS 150443")->country, "Russia");
    find_id(e, CORDON_ID_MMSI, "273385420");

    /* An item separator without its space: "DOB 01 Feb 1966; POB
     * Hashmija, Iraq; nationality possibly Palestinian;arrested 23 Apr
     * 2002; a.k.a. 'ABU ALI'." (three entities of 2002 read so). */
    e = find(ds, "ofac_sdn:7940");
    assert_int_equal(e->n_nationalities, 1);
    assert_string_equal(e->nationalities[0].text, "possibly Palestinian");
    assert_string_equal(e->remarks, "arrested 23 Apr 2002");
    assert_int_equal(name_kind(e, "ABU ALI"), CORDON_NAME_WEAK);
    e = find(ds, "ofac_sdn:7945"); /* "nationality Jordan; nationality possibly ..." */
    assert_int_equal(e->n_nationalities, 2);
    assert_string_equal(e->nationalities[0].code, "JO");
    assert_string_equal(e->nationalities[1].text, "possibly Palestinian");
    assert_string_equal(e->remarks, "arrested 23 Apr 2002.");
    cordon_dataset_free(ds);
}

/*
 * Field totals over the whole file, each against a grep of sdn.csv:
 *   grep -cE 'IMO +[0-9]'            980 rows (entities) with an IMO;
 *   grep -oE 'IMO +[0-9]+' | wc -l   983 IMO numbers;
 *   grep -cE 'MMSI [0-9]'            154;
 *   grep -cE 'Gender (Male|Female)'  4,264;
 *   grep -cE '("|; )(alt\. )?DOB '   6,736 entities with a date of birth.
 */
static void test_sdn_field_totals(void **state)
{
    (void)state;
    const char *files[] = {SDN_2024};
    cordon_dataset *ds = test_load("ofac_sdn", CORDON_FORMAT_OFAC_CSV, files, 1);
    size_t imo_ents = 0, imo_ids = 0, mmsi = 0, gender = 0, dob = 0;
    for (size_t i = 0; i < cordon_dataset_entity_count(ds); i++) {
        const cordon_entity *e = cordon_dataset_entity(ds, i);
        bool any = false;
        for (size_t k = 0; k < e->n_identifiers; k++) {
            const cordon_identifier *id = &e->identifiers[k];
            size_t ll = strlen(id->label);
            if (id->type == CORDON_ID_IMO && ll > 4 && strcmp(id->label + ll - 4, " IMO") == 0) {
                imo_ids++;
                any = true;
            }
            mmsi += id->type == CORDON_ID_MMSI;
        }
        imo_ents += any;
        gender += e->gender != NULL;
        dob += e->n_birth_dates > 0;
    }
    assert_int_equal(imo_ents, 980);
    assert_int_equal(imo_ids, 983);
    assert_int_equal(mmsi, 154);
    assert_int_equal(gender, 4264);
    assert_int_equal(dob, 6736);
    cordon_dataset_free(ds);
}

static void test_consolidated(void **state)
{
    (void)state;
    const char *files[] = {CONS_2025 "cons_prim.csv", CONS_2025 "cons_alt.csv",
                           CONS_2025 "cons_add.csv", CONS_2025 "cons_comments.csv"};
    cordon_dataset *ds = test_load("ofac_cons", CORDON_FORMAT_OFAC_CSV, files, 4);
    const cordon_source_info *info = cordon_dataset_source(ds, 0);
    assert_int_equal(info->n_entities, 442);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_PERSON], 79);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_ORGANIZATION], 363);
    assert_int_equal(info->n_warnings, 0); /* a self-consistent set */
    size_t kinds[CORDON_NAME_KIND_COUNT_];
    count_kinds(ds, kinds);
    assert_int_equal(kinds[CORDON_NAME_STRONG], 930);
    assert_int_equal(kinds[CORDON_NAME_FORMER], 141);
    assert_int_equal(kinds[CORDON_NAME_WEAK], 72);
    assert_int_equal(info->n_names, 1585);

    const cordon_entity *e = find(ds, "ofac_cons:9639");
    assert_string_equal(e->names[0].value, "HANIYA, Ismail Abdul Salah");
    assert_int_equal(e->schema, CORDON_SCHEMA_PERSON);
    assert_string_equal(e->programs[0], "NS-PLC");
    assert_int_equal(e->birth_dates[0].year, 1962);
    assert_int_equal(e->birth_dates[0].month, 0);
    assert_string_equal(e->birth_places[0], "Shati"); /* the field's final "." dropped */
    assert_int_equal(name_kind(e, "HANIYA, Ismail"), CORDON_NAME_STRONG);
    assert_int_equal(e->n_addresses, 0);
    assert_string_equal(e->origin_file, "cons_prim.csv");

    /* Remarks continued by cons_comments.csv end in a weak alias. */
    e = find(ds, "ofac_cons:17014");
    assert_int_equal(name_kind(e, "RUSAG"), CORDON_NAME_WEAK);
    find_id(e, CORDON_ID_REGISTRATION, "1027700342890");
    cordon_dataset_free(ds);
}

static void test_full_2021(void **state)
{
    (void)state;
    const char *files[] = {FULL_2021 "sdn_comments.csv", FULL_2021 "add.csv",
                           FULL_2021 "alt.csv", FULL_2021 "sdn.csv"}; /* any order */
    cordon_dataset *ds = test_load("ofac_sdn", CORDON_FORMAT_OFAC_CSV, files, 4);
    const cordon_source_info *info = cordon_dataset_source(ds, 0);
    assert_int_equal(info->n_entities, 8976);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_PERSON], 4620);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_VESSEL], 406);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_AIRCRAFT], 277);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_ORGANIZATION], 3673);
    assert_int_equal(info->n_warnings, 0); /* zero orphans: self-consistent */
    size_t kinds[CORDON_NAME_KIND_COUNT_];
    count_kinds(ds, kinds);
    assert_int_equal(kinds[CORDON_NAME_STRONG], 11535);
    assert_int_equal(kinds[CORDON_NAME_FORMER], 369);
    assert_int_equal(kinds[CORDON_NAME_WEAK], 2441);
    /* The 2021 Remarks of 12300 end "...PROMO RAI" and its comment row
     * goes on "Z S.A.S.; Linked To: ...". */
    const cordon_entity *e = find(ds, "ofac_sdn:12300");
    assert_non_null(strstr(e->remarks, "Linked To: PROMO RAIZ S.A.S.; Linked To: RED MUNDIAL"));
    cordon_dataset_free(ds);
}

/* ---- synthetic sets: quirks and bad input -------------------------- */

struct tmpset {
    char dir[64];
    char paths[8][128];
    size_t n;
};

static const char *tmp_file(struct tmpset *t, const char *name, const char *data, size_t len)
{
    if (!t->dir[0]) {
        strcpy(t->dir, "/tmp/cordon-ofac-XXXXXX");
        assert_non_null(mkdtemp(t->dir));
    }
    assert_true(t->n < 8);
    char *p = t->paths[t->n++];
    assert_true(strlen(t->dir) + 1 + strlen(name) < 128);
    strcpy(p, t->dir);
    strcat(p, "/");
    strcat(p, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return p;
}

static const char *tmp_text(struct tmpset *t, const char *name, const char *text)
{
    return tmp_file(t, name, text, strlen(text));
}

static void tmp_clean(struct tmpset *t)
{
    for (size_t i = 0; i < t->n; i++)
        unlink(t->paths[i]);
    if (t->dir[0])
        rmdir(t->dir);
    memset(t, 0, sizeof *t);
}

static cordon_error fails(int code, const char *const *files, size_t n)
{
    return test_load_fails("ofac_sdn", CORDON_FORMAT_OFAC_CSV, files, n, code);
}

static bool ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

#define ROW1 "1,\"ONE, Person\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
#define ROW2 "2,\"TWO LTD.\",-0- ,\"CUBA] [SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'DOS'.\"\r\n"

static void test_quirks(void **state)
{
    (void)state;
    struct tmpset t = {0};
    /* A BOM, LF-only lines, no 0x1A, a blank line, upper-case names. */
    const char *sdn = tmp_text(&t, "SDN.CSV",
                               "\xEF\xBB\xBF" "1,\"ONE, Person\",\"individual\",\"SDGT\",-0- ,"
                               "-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n\n" ROW2);
    const char *alt = tmp_text(&t, "ALT.CSV", "2,1,\"fka\",\"OLD TWO\",-0- \n"
                                              "2,2,\"nka\",\"NEW TWO\",-0- \n"
                                              "9,3,\"aka\",\"NOBODY\",-0- \n"
                                              "9,4,\"aka\",\"NOBODY 2\",-0- \n"
                                              "8,5,\"aka\",\"NOBODY 3\",-0- \n");
    const char *add = tmp_text(&t, "add.csv", "1,1,-0- ,-0- ,-0- ,-0- \n"
                                              "1,2,\"Street 1\",-0- ,\"Cuba\",\"main office\"\n");
    /* Two comment rows for one entity continue each other. */
    const char *cm = tmp_text(&t, "sdn_comments.csv", "1,\"DOB 1960\"\n1,\"; POB X.\"\n");
    const char *files[] = {sdn, alt, add, cm};
    cordon_dataset *ds = test_load("q", CORDON_FORMAT_OFAC_CSV, files, 4);
    const cordon_source_info *info = cordon_dataset_source(ds, 0);
    assert_int_equal(info->n_entities, 2);
    assert_int_equal(info->n_warnings, 2);
    assert_string_equal(info->warnings[0],
                        "sdn_comments.csv: 1 row continues Remarks that are complete in "
                        "SDN.CSV (files of different dates?); kept as separate remarks");
    assert_string_equal(info->warnings[1], "ALT.CSV: 3 alias rows refer to 2 entities not in "
                                           "SDN.CSV (probably listed after it); skipped");
    const cordon_entity *e = find(ds, "q:1");
    assert_int_equal(e->birth_dates[0].year, 1960);
    assert_string_equal(e->birth_places[0], "X");
    assert_int_equal(e->n_addresses, 1);
    assert_string_equal(e->addresses[0], "Street 1, Cuba (main office)");
    assert_null(e->title);
    e = find(ds, "q:2");
    assert_int_equal(e->schema, CORDON_SCHEMA_ORGANIZATION);
    assert_int_equal(e->n_programs, 2);
    assert_string_equal(e->programs[0], "CUBA");
    assert_string_equal(e->programs[1], "SDGT");
    assert_int_equal(name_kind(e, "OLD TWO"), CORDON_NAME_FORMER);
    assert_int_equal(name_kind(e, "NEW TWO"), CORDON_NAME_STRONG);
    assert_int_equal(name_kind(e, "DOS"), CORDON_NAME_WEAK);
    assert_null(e->remarks);
    cordon_dataset_free(ds);
    tmp_clean(&t);
}

static void test_windows_1252(void **state)
{
    (void)state;
    struct tmpset t = {0};
    const char *sdn = tmp_text(&t, "sdn.csv",
                               "1,\"CAF\xC9 \x93NOIR\x94\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,"
                               "-0- ,-0- ,-0- \r\n\x1A");
    const char *files[] = {sdn};
    cordon_dataset *ds = test_load("w", CORDON_FORMAT_OFAC_CSV, files, 1);
    const cordon_source_info *info = cordon_dataset_source(ds, 0);
    assert_int_equal(info->n_warnings, 1);
    assert_string_equal(info->warnings[0],
                        "sdn.csv: 3 bytes were not UTF-8, read as Windows-1252");
    assert_string_equal(find(ds, "w:1")->names[0].value, "CAF\xC3\x89 \xE2\x80\x9CNOIR\xE2\x80\x9D");
    cordon_dataset_free(ds);
    tmp_clean(&t);
}

static void test_bad_column_count(void **state)
{
    (void)state;
    struct tmpset t = {0};
    const char *sdn = tmp_text(&t, "sdn.csv", ROW1 ROW2
                               "3,\"THREE\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n");
    const char *files[] = {sdn};
    cordon_error err = fails(CORDON_EFORMAT, files, 1);
    assert_true(ends_with(err.file, "/sdn.csv"));
    assert_int_equal(err.line, 3);
    assert_string_equal(err.message, "11 fields where an OFAC entity row has 12");
    char buf[1200];
    assert_non_null(strstr(cordon_error_format(&err, buf, sizeof buf), "sdn.csv:3"));

    /* The same in a joined file names that file. */
    const char *add = tmp_text(&t, "add.csv", "1,1,-0- ,-0- ,-0- ,-0- \r\n1,2,-0- \r\n");
    const char *files2[] = {sdn, add};
    sdn = tmp_text(&t, "sdn.csv", ROW1);
    err = fails(CORDON_EFORMAT, files2, 2);
    assert_true(ends_with(err.file, "/add.csv"));
    assert_int_equal(err.line, 2);
    assert_string_equal(err.message, "3 fields where an OFAC address row has 6");
    tmp_clean(&t);
}

static void test_truncated(void **state)
{
    (void)state;
    /* The real file cut inside line 3's Remarks: the quote never closes. */
    FILE *f = fopen(SDN_2024, "rb");
    assert_non_null(f);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(n == sizeof buf);
    const char *p = strstr(buf, "a.k.a. 'BNC'");
    assert_non_null(p);
    struct tmpset t = {0};
    const char *sdn = tmp_file(&t, "sdn.csv", buf, (size_t)(p - buf) + 5);
    const char *files[] = {sdn};
    cordon_error err = fails(CORDON_EFORMAT, files, 1);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.message,
                        "unterminated quote: the quoted field opened here never closes");

    /* Cut between fields of line 4: too few fields. */
    p = strstr(buf, "424,\"BOUTIQUE LA MAISON\",");
    assert_non_null(p);
    sdn = tmp_file(&t, "sdn.csv", buf, (size_t)(p - buf) + 26);
    err = fails(CORDON_EFORMAT, files, 1);
    assert_int_equal(err.line, 4);
    assert_string_equal(err.message, "3 fields where an OFAC entity row has 12");
    tmp_clean(&t);
}

static void test_bad_quotes(void **state)
{
    (void)state;
    struct tmpset t = {0};
    const char *sdn = tmp_text(&t, "sdn.csv", ROW1 "2,\"TWO,-0- ,-0- \r\n");
    const char *files[] = {sdn};
    cordon_error err = fails(CORDON_EFORMAT, files, 1);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 3);
    assert_string_equal(err.message,
                        "unterminated quote: the quoted field opened here never closes");

    /* A quote opened on line 2 closes on line 3, where text follows: the
     * quote opened on line 2 is the likely fault, and both places are
     * named. */
    sdn = tmp_text(&t, "sdn.csv", ROW1 "2,\"TWO\r\nX\"Y,-0- \r\n" ROW2);
    err = fails(CORDON_EFORMAT, files, 1);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 3);
    assert_string_equal(err.message, "unterminated quote: the quoted field opened here runs on "
                                     "to line 3, where text follows its closing quote at "
                                     "column 3");

    /* A record whose quoted field spans lines, then a fault on its third
     * line: the error names that line, not the record's first. */
    sdn = tmp_text(&t, "sdn.csv", ROW1 "2,\"TWO\r\nLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,"
                                        "\"A\r\nB\",-0- ,-0- ,-0- ,\"x\"y\r\n");
    err = fails(CORDON_EFORMAT, files, 1);
    assert_int_equal(err.line, 4);
    assert_int_equal(err.column, 22);
    assert_string_equal(err.message, "text after the closing quote of a field (a quote "
                                     "inside a quoted field is written twice)");

    sdn = tmp_text(&t, "sdn.csv", ROW1 "2,\"TWO\"X,-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
                                        "-0- ,-0- \r\n");
    err = fails(CORDON_EFORMAT, files, 1);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 8);
    assert_string_equal(err.message, "text after the closing quote of a field (a quote "
                                     "inside a quoted field is written twice)");
    tmp_clean(&t);
}

static void test_nul_and_empty(void **state)
{
    (void)state;
    struct tmpset t = {0};
    const char data[] = ROW1 "2,\"T\0WO\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";
    const char *sdn = tmp_file(&t, "sdn.csv", data, sizeof data - 1);
    const char *files[] = {sdn};
    cordon_error err = fails(CORDON_EFORMAT, files, 1);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 5);
    assert_string_equal(err.message, "NUL byte: a binary file, not an OFAC CSV file");

    sdn = tmp_file(&t, "sdn.csv", "", 0);
    err = fails(CORDON_EEMPTY, files, 1);
    assert_true(ends_with(err.file, "/sdn.csv"));
    assert_string_equal(err.message, "no entity rows: the file is empty");

    /* Only a DOS end-of-file byte and a line end. */
    sdn = tmp_file(&t, "sdn.csv", "\r\n\x1A", 3);
    fails(CORDON_EEMPTY, files, 1);

    /* An empty optional file is no error. */
    sdn = tmp_text(&t, "sdn.csv", ROW1);
    const char *alt = tmp_file(&t, "alt.csv", "", 0);
    const char *files2[] = {sdn, alt};
    cordon_dataset *ds = test_load("e", CORDON_FORMAT_OFAC_CSV, files2, 2);
    assert_int_equal(cordon_dataset_entity_count(ds), 1);
    cordon_dataset_free(ds);
    tmp_clean(&t);
}

static void test_foreign_files(void **state)
{
    (void)state;
    struct tmpset t = {0};
    /* The UN XML passed as sdn.csv. */
    t.dir[0] = '\0';
    tmp_text(&t, "placeholder", "");
    char link[160];
    snprintf(link, sizeof link, "%s/sdn.csv", t.dir);
    char target[4096];
    assert_non_null(realpath(UN_XML, target));
    assert_int_equal(symlink(target, link), 0);
    const char *files[] = {link};
    cordon_error err = fails(CORDON_ECORRUPT, files, 1);
    assert_int_equal(err.line, 1);
    assert_string_equal(err.message, "this file is XML or HTML, not an OFAC legacy CSV file");
    unlink(link);

    /* A CSV of another list with the right column count. */
    const char *sdn = tmp_text(&t, "sdn.csv",
                               "Id,Name,Type,Program,a,b,c,d,e,f,g,h\r\n" ROW1);
    const char *files2[] = {sdn};
    err = fails(CORDON_EFORMAT, files2, 1);
    assert_int_equal(err.line, 1);
    assert_string_equal(err.message, "ent_num \"Id\" is not a number");

    sdn = tmp_text(&t, "sdn.csv", "1,\"X\",\"ship\",\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n");
    err = fails(CORDON_EFORMAT, files2, 1);
    assert_string_equal(err.message,
                        "SDN_Type \"ship\" is none of individual, vessel, aircraft or -0-");

    const char gz[] = "\x1f\x8b\x08\x00rest";
    sdn = tmp_file(&t, "sdn.csv", gz, sizeof gz - 1);
    err = fails(CORDON_ECORRUPT, files2, 1);
    assert_string_equal(err.message, "this file is gzip-compressed; unpack it first");

    sdn = tmp_text(&t, "sdn.csv", ROW1);
    const char *alt = tmp_text(&t, "alt.csv", "1,1,\"alias\",\"X\",-0- \r\n");
    const char *files3[] = {sdn, alt};
    err = fails(CORDON_EFORMAT, files3, 2);
    assert_true(ends_with(err.file, "/alt.csv"));
    assert_string_equal(err.message, "alt_type \"alias\" is none of aka, fka or nka");
    tmp_clean(&t);
}

static void test_file_names(void **state)
{
    (void)state;
    struct tmpset t = {0};
    const char *sdn = tmp_text(&t, "sdn.csv", ROW1);
    const char *other = tmp_text(&t, "names.csv", ROW1);
    const char *files[] = {sdn, other};
    cordon_error err = fails(CORDON_EINVAL, files, 2);
    assert_true(ends_with(err.file, "/names.csv"));
    assert_non_null(strstr(err.message, "\"names.csv\" is not a file of an OFAC CSV set"));

    const char *alt = tmp_text(&t, "alt.csv", "1,1,\"aka\",\"X\",-0- \r\n");
    const char *only_alt[] = {alt};
    err = fails(CORDON_EINVAL, only_alt, 1);
    assert_string_equal(err.message, "an OFAC CSV set needs its primary file, sdn.csv");

    const char *calt = tmp_text(&t, "cons_alt.csv", "1,1,\"aka\",\"X\",-0- \r\n");
    const char *mixed[] = {sdn, calt};
    err = fails(CORDON_EINVAL, mixed, 2);
    assert_string_equal(err.message, "\"cons_alt.csv\" belongs to the consolidated set, but "
                                     "the other files to the SDN set");

    const char *twice[] = {sdn, sdn};
    err = fails(CORDON_EINVAL, twice, 2);
    assert_non_null(strstr(err.message, "\"sdn.csv\" is given twice"));
    tmp_clean(&t);
}

static void test_duplicate_and_nameless(void **state)
{
    (void)state;
    struct tmpset t = {0};
    const char *sdn = tmp_text(&t, "sdn.csv", ROW1 ROW2 ROW1);
    const char *files[] = {sdn};
    cordon_error err = fails(CORDON_EFORMAT, files, 1);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "duplicate record id \"1\""));

    sdn = tmp_text(&t, "sdn.csv", ROW1 "2,-0- ,-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n");
    err = fails(CORDON_EFORMAT, files, 1);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.message, "entity 2 has no name");
    tmp_clean(&t);
}

/* A hostile Remarks with too many items fails. */
static void test_too_many_items(void **state)
{
    (void)state;
    char *buf = malloc(64 * 1024);
    assert_non_null(buf);
    size_t n = (size_t)sprintf(buf, "1,\"X\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"");
    for (int i = 0; i < 4097; i++)
        n += (size_t)sprintf(buf + n, "a.k.a. '%d'; ", i);
    n += (size_t)sprintf(buf + n, "\"\r\n");
    struct tmpset t = {0};
    const char *sdn = tmp_file(&t, "sdn.csv", buf, n);
    const char *files[] = {sdn};
    cordon_error err = fails(CORDON_ETOOBIG, files, 1);
    assert_int_equal(err.line, 1);
    assert_string_equal(err.message, "Remarks hold more than 4096 items");
    free(buf);
    tmp_clean(&t);
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Hostile input: 100,000 alias rows for one entity, each with a remark of
 * its own, then every alias once more. The builder's duplicate checks
 * must not be quadratic in the values of one entity: the load takes well
 * under a second of CPU (ASan build included) and keeps every value.
 * test_dataset.c does the same for every kind of value.
 */
static void test_many_aliases_one_entity(void **state)
{
    (void)state;
    enum { N = 100000 };
    cordon__buf alt = {0};
    for (int i = 0; i < N; i++)
        assert_int_equal(cordon__buf_printf(&alt, "1,%d,\"aka\",\"NAME %d\",\"r%d\"\r\n", i,
                                            i, i), 0);
    for (int i = N - 1; i >= 0; i--) /* from the other end */
        assert_int_equal(cordon__buf_printf(&alt, "1,%d,\"fka\",\"NAME %d\",-0- \r\n", i, i),
                         0);
    struct tmpset t = {0};
    const char *files[] = {tmp_text(&t, "sdn.csv", ROW1), tmp_file(&t, "alt.csv", alt.data, alt.len)};
    cordon__buf_free(&alt);
    double t0 = cpu_seconds();
    cordon_dataset *ds = test_load("h", CORDON_FORMAT_OFAC_CSV, files, 2);
    double took = cpu_seconds() - t0;
    const cordon_entity *e = find(ds, "h:1");
    assert_int_equal(e->n_names, N + 1);
    assert_string_equal(e->names[0].value, "ONE, Person");
    assert_string_equal(e->names[N].value, "NAME 99999");
    assert_int_equal(e->names[N].kind, CORDON_NAME_STRONG);
    assert_int_equal(strncmp(e->remarks, "r0; r1; r2; ", 12), 0);
    assert_int_equal(strlen(e->remarks), 788888); /* r0..r99999 and 99,999 "; " */
    cordon_dataset_free(ds);
    tmp_clean(&t);
    print_message("100,000 aliases of one entity, twice: %.2f s of CPU\n", took);
    if (took >= 1.0)
        fail_msg("100,000 aliases of one entity took %.2f s of CPU", took);
}

/* A failed load leaves a dataset that already holds a source untouched. */
static void test_all_or_nothing(void **state)
{
    (void)state;
    struct tmpset t = {0};
    const char *good = tmp_text(&t, "sdn.csv", ROW1 ROW2);
    const char *files[] = {good};
    cordon_dataset *ds = test_load("good", CORDON_FORMAT_OFAC_CSV, files, 1);
    /* Bad only at the last row of the last file read. */
    const char *add = tmp_text(&t, "add.csv", "1,1,\"A\",\"B\",\"C\",-0- \r\n2,2,\"A\"\r\n");
    cordon_source_spec spec = {.name = "bad", .format = CORDON_FORMAT_OFAC_CSV, .n_files = 2,
                               .files = {good, add}};
    cordon_error err;
    assert_int_equal(cordon_dataset_load(ds, &spec, &err), CORDON_EFORMAT);
    assert_int_equal(err.line, 2);
    assert_int_equal(cordon_dataset_source_count(ds), 1);
    assert_int_equal(cordon_dataset_entity_count(ds), 2);
    assert_null(cordon_dataset_find(ds, "bad:1", 5));
    assert_int_equal(find(ds, "good:1")->n_addresses, 0);
    cordon_dataset_free(ds);
    tmp_clean(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sdn_default_bundle),
        cmocka_unit_test(test_sdn_alone),
        cmocka_unit_test(test_kim_jong_un),
        cmocka_unit_test(test_putin),
        cmocka_unit_test(test_vessel_graceful),
        cmocka_unit_test(test_more_records),
        cmocka_unit_test(test_sdn_field_totals),
        cmocka_unit_test(test_consolidated),
        cmocka_unit_test(test_full_2021),
        cmocka_unit_test(test_quirks),
        cmocka_unit_test(test_windows_1252),
        cmocka_unit_test(test_bad_column_count),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_bad_quotes),
        cmocka_unit_test(test_nul_and_empty),
        cmocka_unit_test(test_foreign_files),
        cmocka_unit_test(test_file_names),
        cmocka_unit_test(test_duplicate_and_nameless),
        cmocka_unit_test(test_too_many_items),
        cmocka_unit_test(test_many_aliases_one_entity),
        cmocka_unit_test(test_all_or_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
