/*
 * test_country.c — cordon_country_lookup and cordon_country_name: every
 * ISO code, the names and demonyms lists use, the documented regions and
 * former states, ambiguity, hostile input, threads, and the country texts
 * of the real OFAC and UN files.
 */
#include "test_util.h"

#include <pthread.h>

static void expect(const char *text, const char *code)
{
    char out[3] = "??";
    int rc = cordon_country_lookup(text, strlen(text), out);
    if (rc != 0)
        fail_msg("\"%s\": expected %s, got %s", text, code, cordon_code_name(rc));
    if (strcmp(out, code) != 0)
        fail_msg("\"%s\": expected %s, got %s", text, code, out);
}

static void expect_none(const char *text)
{
    char out[3] = "??";
    int rc = cordon_country_lookup(text, strlen(text), out);
    if (rc != CORDON_ENOTFOUND)
        fail_msg("\"%s\": expected ENOTFOUND, got %s (%s)", text, cordon_code_name(rc), out);
    assert_string_equal(out, "");
}

/* All 249 officially assigned ISO 3166-1 alpha-2 codes. */
static const char iso_codes[] =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM "
    "BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX "
    "CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG "
    "GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR "
    "IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV "
    "LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE "
    "NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO "
    "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF "
    "TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF "
    "WS YE YT ZA ZM ZW";

/* Every ISO code has a name, and the name and the code resolve back. */
static void test_every_iso_code(void **state)
{
    (void)state;
    size_t n = 0;
    for (const char *p = iso_codes; *p; p += p[2] ? 3 : 2) {
        char code[3] = {p[0], p[1], 0};
        const char *name = cordon_country_name(code);
        if (!name)
            fail_msg("no name for %s", code);
        expect(name, code);
        expect(code, code);
        n++;
    }
    assert_int_equal(n, 249);
}

static void test_short_names(void **state)
{
    (void)state;
    assert_string_equal(cordon_country_name("RU"), "Russia");
    assert_string_equal(cordon_country_name("ru"), "Russia");
    assert_string_equal(cordon_country_name("KP"), "North Korea");
    assert_string_equal(cordon_country_name("KR"), "South Korea");
    assert_string_equal(cordon_country_name("IR"), "Iran");
    assert_string_equal(cordon_country_name("SY"), "Syria");
    assert_string_equal(cordon_country_name("TR"), "Türkiye");
    assert_string_equal(cordon_country_name("CI"), "Côte d'Ivoire");
    assert_string_equal(cordon_country_name("CD"), "Democratic Republic of the Congo");
    assert_string_equal(cordon_country_name("CG"), "Republic of the Congo");
    assert_string_equal(cordon_country_name("GB"), "United Kingdom");
    assert_string_equal(cordon_country_name("XK"), "Kosovo");
    assert_string_equal(cordon_country_name("QC"), "Crimea");
    assert_string_equal(cordon_country_name("QD"), "Donetsk");
    assert_string_equal(cordon_country_name("QL"), "Luhansk");
    assert_string_equal(cordon_country_name("QZ"), "Zaporizhzhia");
    assert_string_equal(cordon_country_name("QK"), "Kherson");
    assert_string_equal(cordon_country_name("SU"), "Soviet Union");
    assert_string_equal(cordon_country_name("YU"), "Yugoslavia");
    /* The name is NUL-terminated and stable across calls. */
    assert_ptr_equal(cordon_country_name("FR"), cordon_country_name("fr"));
    assert_null(cordon_country_name("ZZ"));
    assert_null(cordon_country_name("EU"));
    assert_null(cordon_country_name("1A"));
    assert_null(cordon_country_name("A"));
    assert_null(cordon_country_name("\0"));
    assert_null(cordon_country_name(NULL));
}

static void test_codes(void **state)
{
    (void)state;
    expect("RU", "RU");
    expect("RUS", "RU");
    expect("PRK", "KP");
    expect("GBR", "GB");
    expect("XKX", "XK");
    expect("  DE  ", "DE");
    /* Codes count only in upper case: lists write "na" for not available. */
    expect_none("na");
    expect_none("ru");
    expect_none("rus");
    expect_none("ZZ");
    expect_none("ZZZ");
    /* Upper-case names and abbreviations that are not codes still resolve. */
    expect("UK", "GB");
    expect("UAE", "AE");
    expect("DPRK", "KP");
    expect("RUSSIA", "RU");
    expect("IRAQ", "IQ");
}

static void test_list_spellings(void **state)
{
    (void)state;
    /* OFAC */
    expect("Korea, North", "KP");
    expect("Korea, South", "KR");
    expect("Burma", "MM");
    expect("Bahamas, The", "BS");
    expect("The Gambia", "GM");
    expect("Congo, Democratic Republic of the", "CD");
    expect("Congo, Republic of the", "CG");
    expect("Cote d Ivoire", "CI");
    expect("Man, Isle of", "IM");
    expect("Macedonia, The Former Yugoslav Republic of", "MK");
    expect("North Macedonia, The Republic of", "MK");
    expect("Virgin Islands, British", "VG");
    expect("Palestinian", "PS");
    expect("West Bank", "PS");
    expect("Region: Gaza", "PS");
    expect("Region: Northern Mali", "ML");
    expect("Netherlands Antilles", "AN");
    expect("Cabo Verde", "CV");
    expect("St. Kitts & Nevis", "KN");
    expect("St Kitts and Nevis", "KN");
    expect("Saint Kitts and Nevis", "KN");
    /* UN */
    expect("Democratic People's Republic of Korea", "KP");
    expect("Democratic People\xe2\x80\x99s Republic of Korea", "KP");
    expect("Iran (Islamic Republic of)", "IR");
    expect("Russian Federation", "RU");
    expect("Syrian Arab Republic", "SY");
    expect("State of Palestine", "PS");
    expect("United Republic of Tanzania", "TZ");
    expect("United Kingdom of Great Britain and Northern Ireland", "GB");
    expect("Viet Nam", "VN");
    expect("China, Hong Kong Special Administrative Region", "HK");
    expect("Venezuela (Bolivarian Republic of)", "VE");
    expect("Bolivia (Plurinational State of)", "BO");
    expect("Lao People's Democratic Republic", "LA");
    expect("T\xc3\xbcrkiye", "TR");
    expect("Turkiye", "TR");
    expect("Turkey", "TR");
    /* OFSI */
    expect("Congo (Democratic Republic)", "CD");
    expect("Occupied Palestinian Territories", "PS");
    expect("Guinea Bissau", "GW");
    expect("Guinea-Bissau", "GW");
    expect("Bosnia-Herzegovina", "BA");
    expect("Russia.", "RU");
    /* Accents, case and punctuation do not matter. */
    expect("C\xc3\xb4te d'Ivoire", "CI");
    expect("COTE D'IVOIRE", "CI");
    expect("cote-d-ivoire", "CI");
    expect("Cura\xc3\xa7" "ao", "CW");
    expect("Sao Tome and Principe", "ST");
    expect("S\xc3\xa3o Tom\xc3\xa9 & Pr\xc3\xadncipe", "ST");
}

static void test_demonyms(void **state)
{
    (void)state;
    expect("Russian", "RU");
    expect("North Korean", "KP");
    expect("South Korean", "KR");
    expect("Iranian", "IR");
    expect("Syrian", "SY");
    expect("Iraqi", "IQ");
    expect("Afghan", "AF");
    expect("Pakistani", "PK");
    expect("British", "GB");
    expect("American", "US");
    expect("Chinese", "CN");
    expect("Belarusian", "BY");
    expect("Ukrainian", "UA");
    expect("Venezuelan", "VE");
    expect("Cuban", "CU");
    expect("Lebanese", "LB");
    expect("Yemeni", "YE");
    expect("Libyan", "LY");
    expect("Sudanese", "SD");
    expect("South Sudanese", "SS");
    expect("Nigerien", "NE");
    expect("Nigerian", "NG");
    expect("Emirati", "AE");
    expect("Filipino", "PH");
    expect("Dutch", "NL");
    expect("Swiss", "CH");
}

static void test_regions_and_former_states(void **state)
{
    (void)state;
    expect("Crimea", "QC");
    expect("Region: Crimea", "QC");
    expect("Autonomous Republic of Crimea", "QC");
    expect("Sevastopol", "QC");
    expect("Donetsk People's Republic", "QD");
    expect("DNR", "QD");
    expect("Luhansk People's Republic", "QL");
    expect("Lugansk People's Republic", "QL");
    expect("LNR", "QL");
    expect("Zaporizhzhia", "QZ");
    expect("Zaporozhye", "QZ");
    expect("Kherson", "QK");
    expect("Kosovo", "XK");
    expect("USSR", "SU");
    expect("former Soviet Union", "SU");
    expect("Yugoslavia", "YU");
    expect("Serbia and Montenegro", "CS");
    expect("Former German Democratic Republic", "DD");
}

static void test_idioms(void **state)
{
    (void)state;
    expect("Former USSR (now Belarus)", "BY");
    expect("Former USSR, now Ukraine", "UA");
    expect("former USSR Currently Russia", "RU");
    expect("Kyrgyz SSR (now Kyrgyzstan)", "KG");
    expect("Ukrainian SSR", "UA");
    expect("Kazakh Soviet Socialist Republic", "KZ");
    expect("Azerbaijan (former USSR)", "AZ");
    expect("Iraq (previous address)", "IQ");
    expect("Russian Federation (as at November 2010)", "RU");
    expect("Cabo Verde.  Previously Cape Verde.", "CV");
    expect("possibly Palestinian", "PS");
    expect("Region: Russia", "RU");
    expect("(Russia)", "RU");
}

static void test_not_countries(void **state)
{
    (void)state;
    expect_none("Korea");
    expect_none("Congolese");
    expect_none("Dominican");
    expect_none("Virgin Islands");
    expect_none("Region: Kafia Kingi");
    expect_none("Region: Jammu and Kashmir");
    expect_none("Region: Commonwealth of Independent States");
    expect_none("undetermined");
    expect_none("None Identified");
    expect_none("Moscow");
    expect_none("Texas");
    expect_none("Russia and Iran");
    expect_none("Estonia, Russia"); /* two countries: splitting is the parser's job */
    expect_none("");
    expect_none("   ");
    expect_none("()");
    expect_none("the");
    expect_none("Region:");
    expect_none("now");
    expect_none("12345");
    expect_none("\xd0\xa0\xd0\xbe\xd1\x81\xd1\x81\xd0\xb8\xd1\x8f"); /* "Россия": Latin only */
}

static void test_hostile_input(void **state)
{
    (void)state;
    char out[3] = "??";
    assert_int_equal(cordon_country_lookup(NULL, 3, out), CORDON_EINVAL);
    assert_int_equal(cordon_country_lookup("Iran", 4, NULL), CORDON_EINVAL);
    /* Invalid UTF-8 is an error, not a miss. */
    assert_int_equal(cordon_country_lookup("Iran\xff", 5, out), CORDON_EUTF8);
    assert_string_equal(out, "");
    assert_int_equal(cordon_country_lookup("T\xc3", 1, out), CORDON_ENOTFOUND); /* length respected */
    assert_int_equal(cordon_country_lookup("T\xc3", 2, out), CORDON_EUTF8);
    assert_int_equal(cordon_country_lookup("\xed\xa0\x80", 3, out), CORDON_EUTF8); /* surrogate */
    /* No terminator needed: only len bytes are read. */
    assert_int_equal(cordon_country_lookup("IranXYZ", 4, out), 0);
    assert_string_equal(out, "IR");
    /* An embedded NUL separates words like any other non-letter. */
    assert_int_equal(cordon_country_lookup("Iran\0", 5, out), 0);
    /* Long input: refused quickly, never overflows. */
    size_t big = 1 << 20;
    char *s = malloc(big);
    assert_non_null(s);
    memset(s, 'a', big);
    assert_int_equal(cordon_country_lookup(s, big, out), CORDON_ENOTFOUND);
    for (size_t i = 0; i < big; i += 2)
        s[i] = ' ';
    assert_int_equal(cordon_country_lookup(s, 250, out), CORDON_ENOTFOUND); /* 125 words */
    for (size_t i = 0; i < 250; i++)
        s[i] = "\xc3\x9f"[i % 2]; /* "ß" folds to "ss": output longer than input */
    assert_int_equal(cordon_country_lookup(s, 250, out), CORDON_ENOTFOUND);
    for (size_t i = 0; i < 255; i++)
        s[i] = "\xef\xb7\xba"[i % 3]; /* U+FDFA folds to 18 code points */
    assert_int_equal(cordon_country_lookup(s, 255, out), CORDON_ENOTFOUND);
    free(s);
}

static void *lookup_many(void *arg)
{
    static const char *const names[] = {"Russia", "DPRK", "Iran (Islamic Republic of)",
                                        "Syrian", "XK", "Crimea"};
    static const char *const codes[] = {"RU", "KP", "IR", "SY", "XK", "QC"};
    for (int i = 0; i < 2000; i++) {
        size_t k = (size_t)(i + (int)(intptr_t)arg) % 6;
        char out[3];
        if (cordon_country_lookup(names[k], strlen(names[k]), out) != 0 ||
            strcmp(out, codes[k]) != 0)
            return (void *)1;
    }
    return NULL;
}

/* Separate process state is not available to cmocka, so the first use
 * happens here, from several threads at once (the table is built once). */
static void test_threads(void **state)
{
    (void)state;
    pthread_t t[4];
    for (intptr_t i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, lookup_many, (void *)i), 0);
    for (int i = 0; i < 4; i++) {
        void *r;
        assert_int_equal(pthread_join(t[i], &r), 0);
        assert_null(r);
    }
}

/* The country column of OFAC's 2025-12 address file: every text is a
 * country except the four documented non-countries. */
static void test_ofac_addresses(void **state)
{
    (void)state;
    size_t len;
    char *text = test_slurp("data/lists/ofac_sdn/partial_no_sdn_csv_2025-12/add.csv", &len);
    assert_non_null(text);
    size_t rows = 0, with_country = 0, unresolved = 0;
    size_t undetermined = 0, kafia = 0, kashmir = 0, cis = 0;
    char *line = text;
    while (line < text + len && *line != '\x1a') {
        char *eol = memchr(line, '\n', (size_t)(text + len - line));
        if (!eol)
            eol = text + len;
        /* Fields are quoted or -0-; the country is the fifth. */
        const char *f = line;
        const char *fs = NULL;
        size_t fl = 0;
        for (int k = 0; k < 5 && f < eol; k++) {
            const char *end;
            if (*f == '"') {
                end = memchr(f + 1, '"', (size_t)(eol - f - 1));
                assert_non_null(end);
                fs = f + 1;
                fl = (size_t)(end - fs);
                end++;
            } else {
                end = f;
                while (end < eol && *end != ',')
                    end++;
                fs = f;
                fl = (size_t)(end - f);
            }
            f = end + 1;
        }
        rows++;
        if (!(fl >= 3 && !memcmp(fs, "-0-", 3))) {
            with_country++;
            /* The 2025 files are ASCII, so no CP1252 conversion is needed. */
            char code[3];
            int rc = cordon_country_lookup(fs, fl, code);
            if (rc) {
                assert_int_equal(rc, CORDON_ENOTFOUND);
                unresolved++;
                if (fl == 12 && !memcmp(fs, "undetermined", 12))
                    undetermined++;
                else if (fl == 19 && !memcmp(fs, "Region: Kafia Kingi", 19))
                    kafia++;
                else if (fl == 25 && !memcmp(fs, "Region: Jammu and Kashmir", 25))
                    kashmir++;
                else if (fl == 42 && !memcmp(fs, "Region: Commonwealth of Independent States", 42))
                    cis++;
                else
                    fail_msg("unexpected unresolved country \"%.*s\"", (int)fl, fs);
            }
        }
        line = eol + 1;
    }
    free(text);
    assert_int_equal(rows, 24244);
    assert_int_equal(with_country, 21064);
    assert_int_equal(unresolved, 15);
    assert_int_equal(undetermined, 7);
    assert_int_equal(kafia, 6);
    assert_int_equal(kashmir, 1);
    assert_int_equal(cis, 1);
}

/* Every NATIONALITY/VALUE of the UN list resolves, except "na". */
static void test_un_nationalities(void **state)
{
    (void)state;
    size_t len;
    char *text = test_slurp("data/lists/un_sc/2026-02-27/UN_consolidated.xml", &len);
    assert_non_null(text);
    size_t values = 0, resolved = 0, na = 0, kp = 0, ru = 0, su = 0;
    const char *p = text;
    while ((p = strstr(p, "<NATIONALITY>")) != NULL) {
        const char *end = strstr(p, "</NATIONALITY>");
        assert_non_null(end);
        const char *v = p;
        while ((v = strstr(v, "<VALUE>")) != NULL && v < end) {
            v += 7;
            const char *ve = strstr(v, "</VALUE>");
            assert_non_null(ve);
            values++;
            char code[3];
            if (cordon_country_lookup(v, (size_t)(ve - v), code) == 0) {
                resolved++;
                kp += strcmp(code, "KP") == 0;
                ru += strcmp(code, "RU") == 0;
                su += strcmp(code, "SU") == 0;
            } else if (ve - v == 2 && !memcmp(v, "na", 2)) {
                na++;
            } else {
                fail_msg("unresolved UN nationality \"%.*s\"", (int)(ve - v), v);
            }
            v = ve;
        }
        p = end;
    }
    free(text);
    assert_int_equal(values, 652);
    assert_int_equal(resolved, 651);
    assert_int_equal(na, 1);
    assert_int_equal(kp, 79);
    assert_int_equal(ru, 12);
    assert_int_equal(su, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads), /* first: builds the table concurrently */
        cmocka_unit_test(test_every_iso_code),
        cmocka_unit_test(test_short_names),
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_list_spellings),
        cmocka_unit_test(test_demonyms),
        cmocka_unit_test(test_regions_and_former_states),
        cmocka_unit_test(test_idioms),
        cmocka_unit_test(test_not_countries),
        cmocka_unit_test(test_hostile_input),
        cmocka_unit_test(test_ofac_addresses),
        cmocka_unit_test(test_un_nationalities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
