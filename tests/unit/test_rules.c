/*
 * test_rules.c — the trade-control rules file (data/rules/), its loader
 * and what the loader builds: rules with their sources, the gazetteer,
 * description keywords, HS codes and exchange rates; and the loader's
 * refusals, each naming the JSON path at fault.
 */
#include "test_util.h"

#include "shipment_int.h"

static cordon_rules *rules;

static int setup(void **state)
{
    (void)state;
    cordon_error err;
    if (cordon_rules_read("data/rules/rules.json", &rules, &err)) {
        char buf[1200];
        fprintf(stderr, "data/rules/rules.json: %s\n", cordon_error_format(&err, buf, sizeof buf));
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cordon_rules_free(rules);
    return 0;
}

/* ---- the bundled rules ------------------------------------------------ */

static void test_counts(void **state)
{
    (void)state;
    assert_int_equal(cordon_rules_count(rules), 32);
    size_t country = 0, goods = 0, block = 0;
    for (size_t i = 0; i < cordon_rules_count(rules); i++) {
        const cordon_rule *r = cordon_rules_get(rules, i);
        country += r->kind == CORDON_RULE_COUNTRY;
        goods += r->kind == CORDON_RULE_GOODS;
        block += r->action == CORDON_ACTION_BLOCK;
    }
    assert_int_equal(country, 16);
    assert_int_equal(goods, 16);
    assert_int_equal(block, 15); /* every goods rule but recreational sports equipment */
    assert_null(cordon_rules_get(rules, 32));
    assert_int_equal(rules->n_keywords, 30);
    assert_int_equal(rules->n_places, 112);
    assert_string_equal(cordon_rules_as_of(rules), "2025-06");
    assert_true(rules->review_threshold == 0.85);
    assert_true(rules->block_threshold == 0.95);
}

/* Every rule cites a source; ids are unique; goods rules have HS codes,
 * country rules none. */
static void test_every_rule_cites(void **state)
{
    (void)state;
    for (size_t i = 0; i < cordon_rules_count(rules); i++) {
        const cordon_rule *r = cordon_rules_get(rules, i);
        assert_non_null(r->source);
        assert_true(strlen(r->source) > 20);
        assert_non_null(r->title);
        assert_true(r->n_countries > 0);
        assert_ptr_equal(cordon_rules_find(rules, r->id), r);
        if (r->kind == CORDON_RULE_GOODS)
            assert_true(r->n_hs > 0);
        else
            assert_int_equal(r->n_hs, 0);
    }
    assert_null(cordon_rules_find(rules, "no-such-rule"));
}

/* The regimes the issue names: each of these codes is under a country
 * rule, with their usual spellings resolving to them. */
static void test_regimes_cover(void **state)
{
    (void)state;
    static const struct {
        const char *text, *code;
    } places[] = {
        {"DPRK", "KP"}, {"North Korea", "KP"}, {"Korea, North", "KP"}, {"KP", "KP"},
        {"Iran", "IR"}, {"Iran (Islamic Republic of)", "IR"}, {"IR", "IR"},
        {"Syria", "SY"}, {"Syrian Arab Republic", "SY"}, {"Cuba", "CU"},
        {"Russia", "RU"}, {"Russian Federation", "RU"}, {"RUS", "RU"},
        {"Belarus", "BY"}, {"Crimea", "QC"}, {"Sevastopol", "QC"}, {"Donetsk", "QD"},
        {"DNR", "QD"}, {"Luhansk", "QL"}, {"Lugansk", "QL"}, {"LPR", "QL"},
        {"Zaporizhzhia", "QZ"}, {"Zaporozhye", "QZ"}, {"Kherson", "QK"},
    };
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        char code[3] = "";
        assert_int_equal(cordon_rules_place(rules, places[i].text, strlen(places[i].text), code), 0);
        assert_string_equal(code, places[i].code);
        size_t covering = 0;
        for (size_t r = 0; r < cordon_rules_count(rules); r++) {
            const cordon_rule *rule = cordon_rules_get(rules, r);
            for (size_t c = 0; rule->kind == CORDON_RULE_COUNTRY && c < rule->n_countries; c++)
                covering += !strcmp(rule->countries[c], code);
        }
        if (covering == 0)
            fail_msg("%s (%s) is under no country rule", places[i].text, code);
    }
}

/* Whole records of the rules the acceptance case rests on. */
static void test_key_rules(void **state)
{
    (void)state;
    const cordon_rule *r = cordon_rules_find(rules, "un-dprk-luxury-vehicles");
    assert_non_null(r);
    assert_int_equal(r->kind, CORDON_RULE_GOODS);
    assert_int_equal(r->action, CORDON_ACTION_BLOCK);
    assert_int_equal(r->scope, CORDON_SCOPE_DESTINATION);
    assert_int_equal(r->n_countries, 1);
    assert_string_equal(r->countries[0], "KP");
    assert_int_equal(r->n_hs, 1);
    assert_string_equal(r->hs[0], "8703");
    assert_true(r->value_over == 0);
    assert_null(r->currency);
    assert_null(r->caveat);
    assert_string_equal(r->source, "UN Security Council resolution 1718 (2006), paragraph 8(a)(iii); "
                                   "resolution 2094 (2013), paragraph 23 and Annex IV(b)");
    assert_string_equal(r->covers,
                        "luxury automobiles (and motor vehicles): automobiles and other motor "
                        "vehicles principally designed for the transport of persons (other than "
                        "public transport), including station wagons; racing cars");

    r = cordon_rules_find(rules, "un-dprk-transport");
    assert_non_null(r);
    assert_int_equal(r->n_hs, 4);
    assert_string_equal(r->hs[0], "86");
    assert_string_equal(r->hs[3], "89");
    assert_string_equal(r->source, "UN Security Council resolution 2397 (2017), paragraph 7");

    r = cordon_rules_find(rules, "un-dprk-metals");
    assert_non_null(r);
    assert_int_equal(r->n_hs, 11); /* 72 to 83 without the reserved chapter 77 */
    for (size_t i = 0; i < r->n_hs; i++)
        assert_string_not_equal(r->hs[i], "77");

    r = cordon_rules_find(rules, "eu-russia-luxury-cars");
    assert_non_null(r);
    assert_true(r->value_over == 50000);
    assert_string_equal(r->currency, "EUR");
    assert_string_equal(r->countries[0], "RU");
    assert_string_equal(r->source, "Council Regulation (EU) No 833/2014, Article 3h(1) and Annex XVIII");

    r = cordon_rules_find(rules, "eu-dprk-luxury");
    assert_non_null(r);
    assert_int_equal(r->scope, CORDON_SCOPE_DESTINATION | CORDON_SCOPE_ORIGIN);
    assert_string_equal(r->source, "Council Regulation (EU) 2017/1509, Article 10 and Annex VIII");

    r = cordon_rules_find(rules, "un-dprk-exports");
    assert_non_null(r);
    assert_int_equal(r->scope, CORDON_SCOPE_ORIGIN);

    r = cordon_rules_find(rules, "un-dprk-luxury-rugs");
    assert_non_null(r);
    assert_true(r->value_over == 500);
    assert_string_equal(r->currency, "USD");
    assert_non_null(r->caveat);

    r = cordon_rules_find(rules, "eu-occupied-ukraine");
    assert_non_null(r);
    assert_int_equal(r->n_countries, 4);
    assert_string_equal(r->countries[0], "QD");
    assert_string_equal(r->countries[3], "QK");
    assert_int_equal(r->scope, CORDON_SCOPE_DESTINATION | CORDON_SCOPE_ORIGIN |
                                   CORDON_SCOPE_TRANSIT | CORDON_SCOPE_PARTY);
}

/* ---- places ------------------------------------------------------------- */

static void test_places(void **state)
{
    (void)state;
    static const struct {
        const char *text, *code;
    } ok[] = {
        {"Nampo", "KP"}, {"Nampho", "KP"}, {"Namp'o", "KP"}, {"NAMPO", "KP"}, {"nam-po", "KP"},
        {"남포", "KP"}, {"Nampo, DPRK", "KP"}, {"Nampo (North Korea)", "KP"},
        {"  Chongjin  ", "KP"}, {"Ch'ŏngjin", "KP"}, {"Sevastopol", "QC"}, {"Севастополь", "QC"},
        {"Sevastopol, Ukraine", "QC"}, {"Kerch", "QC"}, {"Mariupol", "QD"}, {"Berdyansk", "QZ"},
        {"Henichesk", "QK"}, {"Alchevsk", "QL"}, {"St. Petersburg", "RU"},
        {"Rostov-on-Don", "RU"}, {"Bandar-e Abbas", "IR"}, {"Lattakia", "SY"},
        {"La Habana", "CU"}, {"Hrodna", "BY"}, {"Hamburg (Germany)", "DE"}, {"Le Havre", "FR"},
        /* not in the gazetteer: the country part decides */
        {"Unknownville, France", "FR"}, {"Smalltown (DE)", "DE"}, {"Germany", "DE"}, {"DE", "DE"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char code[3] = "";
        int rc = cordon_rules_place(rules, ok[i].text, strlen(ok[i].text), code);
        if (rc || strcmp(code, ok[i].code))
            fail_msg("\"%s\": got %d \"%s\", want \"%s\"", ok[i].text, rc, code, ok[i].code);
    }
    static const char *const unknown[] = {"Brest", "Valencia", "Port Nowhere", "XX", "", "   ",
                                          "Atlantis, Nowhere", ",", "()"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        char code[3] = "";
        assert_int_equal(cordon_rules_place(rules, unknown[i], strlen(unknown[i]), code),
                         CORDON_ENOTFOUND);
    }
    /* without rules: countries only */
    char code[3];
    assert_int_equal(cordon_rules_place(NULL, "Russia", 6, code), 0);
    assert_string_equal(code, "RU");
    assert_int_equal(cordon_rules_place(NULL, "Nampo", 5, code), CORDON_ENOTFOUND);
}

/* ---- folding, HS codes, keywords ------------------------------------------- */

static void test_fold(void **state)
{
    (void)state;
    cordon__buf b = {0};
    cordon__vec w = {0};
    const char *s = "Rolls-Royce  PHANTOM, Ünïcode's";
    assert_int_equal(cordon__fold_words(s, strlen(s), &b, &w), 0);
    assert_string_equal(b.data, "rolls royce phantom unicode s");
    assert_int_equal(w.count, 5);
    w.count = 0;
    assert_int_equal(cordon__fold_words("\xff", 1, &b, &w), CORDON_EUTF8);
    cordon__vec_free(&w);
    assert_int_equal(cordon__fold_key("Namp'o", 6, &b), 0);
    assert_string_equal(b.data, "nampo");
    assert_int_equal(cordon__fold_key("--", 2, &b), CORDON_EEMPTY);
    cordon__buf_free(&b);
}

static void test_hs_codes(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } ok[] = {{"870390", "870390"}, {"8703.90", "870390"}, {"8703 90", "870390"},
              {"8703.90.10", "87039010"}, {"0302.11", "030211"}, {"8703-90-1000", "8703901000"},
              {"9701100000", "9701100000"}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char out[11];
        assert_int_equal(cordon__hs_normalize(ok[i].in, strlen(ok[i].in), out), 0);
        assert_string_equal(out, ok[i].out);
    }
    static const char *const bad[] = {"8703", "87039", "87A390", "870390123456", "8703..90",
                                      ".870390", "870390.", "870390 ", "000000", "770000",
                                      "8703_90", "８７０３９０", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[11];
        if (cordon__hs_normalize(bad[i], strlen(bad[i]), out) == 0)
            fail_msg("\"%s\" was accepted as an HS code", bad[i]);
    }
}

/* Classifies s and checks the hits' codes, in order, joined by ' '. */
static void classify_is(const char *s, const char *want)
{
    cordon__hs_hit hits[CORDON__MAX_HITS];
    int n = cordon__classify(rules, s, strlen(s), hits);
    assert_true(n >= 0);
    char got[256] = "";
    for (int i = 0; i < n; i++) {
        size_t l = strlen(got);
        snprintf(got + l, sizeof got - l, "%s%s%s", i ? " " : "", hits[i].hs,
                 hits[i].certain ? "" : "?");
    }
    if (strcmp(got, want))
        fail_msg("classify \"%s\": got \"%s\", want \"%s\"", s, got, want);
}

static void test_keywords(void **state)
{
    (void)state;
    /* the keywords */
    classify_is("Aurus Senat armoured limousine", "8703");
    classify_is("LIMOUSINES", "8703");
    classify_is("Maybach", "8703");
    classify_is("2 x Rolls-Royce Phantom", "8703");
    classify_is("rolls royce cullinan", "8703");
    classify_is("Mercedes-Benz S-Class S 580", "8703");
    classify_is("Lexus LX 570", "8703");
    classify_is("armored car", "8703");
    classify_is("Superyachts", "8903");
    classify_is("лимузин", "8703");
    /* word boundaries: no keyword inside another word */
    classify_is("payrolls and royces", "");
    classify_is("Lexusbrand mats", "");
    classify_is("yachting magazine", "");
    classify_is("sedans", "8703");
    /* unless */
    classify_is("Rolls-Royce Trent 700 aero engine", "84");
    classify_is("Rolls-Royce Phantom with V12 engine", "8703 84");
    classify_is("Rolls-Royce Phantom 1:18 diecast scale model", "9503");
    classify_is("diamond saw blades", "");
    classify_is("diamond ring", "7113");
    classify_is("pearl barley", "");
    classify_is("smart watch", "");
    classify_is("motor yacht with two jet skis", "8903");
    /* certainty */
    classify_is("Rolex Daytona", "9101?");
    classify_is("gold watch", "9101 9101?");
    classify_is("vehicle", "87?");
    classify_is("tapestries", "5805");
    classify_is("hand-knotted carpets", "57?");
    classify_is("lead crystal decanter", "701391 7013?");
    classify_is("snowmobile", "870310");
    classify_is("Machine parts: gearbox housings and bearings", "84");
    classify_is("", "");
}

/* ---- rates ------------------------------------------------------------ */

static void test_rates(void **state)
{
    (void)state;
    cordon_rates *r = NULL;
    cordon_error err;
    assert_int_equal(cordon_rates_read("tests/shipment/rates.json", &r, &err), 0);
    double v;
    assert_int_equal(cordon_rates_convert(r, 113.79, "USD", "EUR", &v), 0);
    assert_true(v > 99.999 && v < 100.001);
    assert_int_equal(cordon_rates_convert(r, 100, "EUR", "JPY", &v), 0);
    assert_true(v > 16334.99 && v < 16335.01);
    assert_int_equal(cordon_rates_convert(r, 84.23, "GBP", "USD", &v), 0);
    assert_true(v > 113.78 && v < 113.80);
    assert_int_equal(cordon_rates_convert(r, 5, "XAU", "EUR", &v), CORDON_ENOTFOUND);
    assert_int_equal(cordon_rates_convert(NULL, 5, "EUR", "EUR", &v), 0);
    assert_true(v == 5);
    assert_int_equal(cordon_rates_convert(NULL, 5, "USD", "EUR", &v), CORDON_ENOTFOUND);
    cordon_rates_free(r);

    static const struct {
        const char *json, *message;
    } bad[] = {
        {"[]", "rates: must be an object {\"base\": \"EUR\", \"rates\": {...}}"},
        {"{\"base\":\"eur\",\"rates\":{}}", "rates.base: must be a currency code such as \"EUR\""},
        {"{\"base\":\"EUR\",\"rates\":{\"USD\":0}}", "rates.rates.USD: must be a positive number"},
        {"{\"base\":\"EUR\",\"rates\":{\"US\":1.1}}",
         "rates.rates.US: not a currency code (three capital letters)"},
        {"{\"base\":\"EUR\",\"rates\":{},\"when\":1}",
         "rates.when: unknown field (expected base, date, rates)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(cordon_rates_parse(bad[i].json, strlen(bad[i].json), "t", &r, &err),
                         CORDON_EFORMAT);
        assert_null(r);
        assert_string_equal(err.message, bad[i].message);
        assert_string_equal(err.file, "t");
    }
    assert_int_equal(cordon_rates_parse("{\"base\":", 8, "t", &r, &err), CORDON_EFORMAT);
    assert_int_equal(err.line, 1);
}

/* ---- the loader's refusals ------------------------------------------------ */

#define HEAD "{\"format\":\"cordon-rules\",\"version\":1,"
#define GOODS_RULE(extra)                                                                       \
    "{\"id\":\"g\",\"kind\":\"goods\",\"title\":\"t\",\"countries\":[\"KP\"],"                 \
    "\"applies_to\":[\"destination\"],\"action\":\"block\",\"hs\":[\"8703\"],"                 \
    "\"source\":\"Some Regulation, Article 1\"" extra "}"

static void test_bad_rules(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        int code;
        const char *message;
    } cases[] = {
        {HEAD "\"rules\":[" GOODS_RULE("") "]}", 0, NULL},
        {"{\"version\":1}", CORDON_EFORMAT, "format: must be \"cordon-rules\""},
        {"{\"format\":\"cordon-rules\",\"version\":2}", CORDON_EVERSION,
         "version: 2 is not supported (1 is)"},
        {HEAD "\"rulez\":[]}", CORDON_EFORMAT,
         "rulez: unknown field (expected format, version, title, as_of, include, notes, "
         "left_out, party_screening, rules, keywords, places)"},
        {HEAD "\"rules\":[{\"id\":\"x\",\"kind\":\"country\",\"title\":\"t\",\"countries\":[\"KP\"],"
              "\"applies_to\":[\"destination\"],\"action\":\"review\"}]}",
         CORDON_EFORMAT, "rules[0].source: missing: every rule must cite its legal source"},
        {HEAD "\"rules\":[" GOODS_RULE(",\"sauce\":\"x\"") "]}", CORDON_EFORMAT,
         "rules[0].sauce: unknown field (expected id, kind, group, title, covers, countries, "
         "applies_to, action, hs, value_over, source, note, caveat)"},
        {HEAD "\"rules\":[" GOODS_RULE("") "," GOODS_RULE("") "]}", CORDON_EFORMAT,
         "rules[1].id: \"g\" is already the id of another rule"},
        {HEAD "\"rules\":[{\"id\":\"g\",\"kind\":\"goods\",\"title\":\"t\",\"countries\":[\"XX\"],"
              "\"applies_to\":[\"destination\"],\"action\":\"block\",\"hs\":[\"8703\"],"
              "\"source\":\"s\"}]}",
         CORDON_EFORMAT,
         "rules[0].countries[0]: must be a known country code (ISO 3166-1 alpha-2, or a region "
         "code such as QC)"},
        {HEAD "\"rules\":[{\"id\":\"g\",\"kind\":\"goods\",\"title\":\"t\",\"countries\":[\"KP\"],"
              "\"applies_to\":[\"destination\"],\"action\":\"block\",\"hs\":[\"87A3\"],"
              "\"source\":\"s\"}]}",
         CORDON_EFORMAT, "rules[0].hs[0]: must be an HS prefix of 2 to 10 digits, as a string"},
        {HEAD "\"rules\":[{\"id\":\"g\",\"kind\":\"goods\",\"title\":\"t\",\"countries\":[\"KP\"],"
              "\"applies_to\":[\"transit\"],\"action\":\"block\",\"hs\":[\"87\"],"
              "\"source\":\"s\"}]}",
         CORDON_EFORMAT,
         "rules[0].applies_to[0]: a goods rule applies to \"destination\" (export to) or "
         "\"origin\" (import from)"},
        {HEAD "\"rules\":[" GOODS_RULE(",\"value_over\":{\"amount\":-1,\"currency\":\"EUR\"}") "]}",
         CORDON_EFORMAT, "rules[0].value_over.amount: must be a positive number"},
        {HEAD "\"rules\":[" GOODS_RULE(",\"value_over\":{\"amount\":1,\"currency\":\"euro\"}") "]}",
         CORDON_EFORMAT, "rules[0].value_over.currency: must be a currency code such as \"EUR\""},
        {HEAD "\"rules\":[{\"id\":\"Bad Id\",\"kind\":\"goods\"}]}", CORDON_EFORMAT,
         "rules[0].title: missing"},
        {HEAD "\"rules\":[{\"id\":\"c\",\"kind\":\"country\",\"title\":\"t\",\"countries\":[\"KP\"],"
              "\"applies_to\":[\"destination\"],\"action\":\"stop\",\"source\":\"s\"}]}",
         CORDON_EFORMAT, "rules[0].action: \"stop\": must be \"block\" or \"review\""},
        {HEAD "\"rules\":[{\"id\":\"c\",\"kind\":\"country\",\"title\":\"t\",\"countries\":[\"KP\"],"
              "\"applies_to\":[\"destination\"],\"action\":\"review\",\"hs\":[\"87\"],"
              "\"source\":\"s\"}]}",
         CORDON_EFORMAT, "rules[0].hs: only goods rules have HS codes"},
        {HEAD "\"places\":[{\"name\":\"Brest\",\"country\":\"FR\"},{\"name\":\"BREST\","
              "\"country\":\"BY\"}]}",
         CORDON_EFORMAT,
         "places[1].name: \"BREST\" is already the place Brest in FR; leave ambiguous names out"},
        {HEAD "\"places\":[{\"name\":\"Nampo\",\"country\":\"KP\",\"aliases\":[\"--\"]}]}",
         CORDON_EFORMAT, "places[0].aliases[0]: must have letters or digits"},
        {HEAD "\"keywords\":[{\"hs\":\"8703\",\"label\":\"car\",\"words\":[]}]}", CORDON_EFORMAT,
         "keywords[0].words: must not be empty"},
        {HEAD "\"keywords\":[{\"hs\":\"8703\",\"label\":\"car\",\"words\":[\"a b c d e f g h i\"]}]}",
         CORDON_EFORMAT, "keywords[0].words[0]: must have 1 to 8 words of letters or digits"},
        {HEAD "\"party_screening\":{\"review_threshold\":0.9,\"block_threshold\":0.8}}",
         CORDON_EFORMAT, "party_screening.block_threshold: must not be below review_threshold"},
        {HEAD "\"include\":[\"keywords.json\"]}", CORDON_EINVAL,
         "include: \"keywords.json\": rules parsed from memory cannot include files"},
        {HEAD "\"left_out\":[{\"what\":\"x\"}]}", CORDON_EFORMAT, "left_out[0].why: missing"},
        {"[1,2]", CORDON_EFORMAT, "the rules document must be a JSON object"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cordon_rules *r = NULL;
        cordon_error err;
        int rc = cordon_rules_parse(cases[i].json, strlen(cases[i].json), NULL, "mem.json", &r, &err);
        if (rc != cases[i].code)
            fail_msg("case %zu: got %d (%s), want %d", i, rc, rc ? err.message : "", cases[i].code);
        if (rc == 0) {
            assert_non_null(r);
            cordon_rules_free(r);
            continue;
        }
        assert_null(r);
        assert_string_equal(err.file, "mem.json");
        assert_string_equal(err.message, cases[i].message);
    }
}

static void test_bad_json_position(void **state)
{
    (void)state;
    const char text[] = "{\n  \"format\": \"cordon-rules\",\n  \"version\": 1,\n  \"rules\": [,]\n}\n";
    cordon_rules *r = NULL;
    cordon_error err;
    assert_int_equal(cordon_rules_parse(text, sizeof text - 1, NULL, "x.json", &r, &err),
                     CORDON_EFORMAT);
    assert_int_equal(err.line, 4);
    assert_int_equal(err.column, 13);
    assert_non_null(strstr(err.message, "invalid JSON"));
    assert_int_equal(cordon_rules_parse("{\"a\":\"\xff\"}", 9, NULL, "x.json", &r, &err),
                     CORDON_EUTF8);
    assert_int_equal(cordon_rules_read("no/such/rules.json", &r, &err), CORDON_EIO);
}

/* An included file's errors name that file. */
static void test_include_errors(void **state)
{
    (void)state;
    char dir[] = "/tmp/cordon-rules-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char main_path[128], inc_path[128];
    snprintf(main_path, sizeof main_path, "%s/rules.json", dir);
    snprintf(inc_path, sizeof inc_path, "%s/places.json", dir);
    FILE *f = fopen(main_path, "w");
    assert_non_null(f);
    fputs(HEAD "\"include\":[\"places.json\"]}", f);
    fclose(f);
    f = fopen(inc_path, "w");
    assert_non_null(f);
    fputs(HEAD "\"places\":[{\"name\":\"X\",\"country\":\"ZZ\"}]}", f);
    fclose(f);
    cordon_rules *r = NULL;
    cordon_error err;
    assert_int_equal(cordon_rules_read(main_path, &r, &err), CORDON_EFORMAT);
    assert_string_equal(err.file, inc_path);
    assert_string_equal(err.message, "places[0].country: must be a known country code "
                                     "(ISO 3166-1 alpha-2, or a region code such as QC)");
    f = fopen(inc_path, "w");
    assert_non_null(f);
    fputs(HEAD "\"include\":[\"rules.json\"]}", f);
    fclose(f);
    assert_int_equal(cordon_rules_read(main_path, &r, &err), CORDON_EFORMAT);
    assert_string_equal(err.message, "include: an included file cannot include others");
    unlink(main_path);
    unlink(inc_path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),          cmocka_unit_test(test_every_rule_cites),
        cmocka_unit_test(test_regimes_cover),   cmocka_unit_test(test_key_rules),
        cmocka_unit_test(test_places),          cmocka_unit_test(test_fold),
        cmocka_unit_test(test_hs_codes),        cmocka_unit_test(test_keywords),
        cmocka_unit_test(test_rates),           cmocka_unit_test(test_bad_rules),
        cmocka_unit_test(test_bad_json_position), cmocka_unit_test(test_include_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
