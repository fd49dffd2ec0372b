/*
 * test_shipment.c — trade-control screening of shipments, through the
 * library against the bundled lists (the snapshot `make` builds, or the
 * lists compiled here) and the bundled rules: the acceptance
 * cases with whole reason lists, value thresholds and rates, goods
 * described without codes, contradicting descriptions, notes, bad input
 * with the JSON path of each error, and the JSON and text outputs.
 * test_shipment_cli.c runs `cordon shipment` on the golden cases.
 */
#include "test_util.h"

#include <jansson.h>

static cordon_index *idx;
static cordon_rules *rules;

static int setup(void **state)
{
    (void)state;
    cordon_error err;
    char buf[1200];
    if (cordon_rules_read("data/rules/rules.json", &rules, &err)) {
        fprintf(stderr, "rules: %s\n", cordon_error_format(&err, buf, sizeof buf));
        return -1;
    }
    if (access("build/default.cordon", R_OK) == 0)
        return cordon_index_open("build/default.cordon", &idx, &err) ? -1 : 0;
    /* no snapshot: compile the default lists here (slow under ASan) */
    cordon_config *cfg = NULL;
    cordon_dataset *ds = cordon_dataset_new();
    int rc = !ds || cordon_config_read("data/lists.conf", &cfg, &err) ||
             cordon_dataset_load_config(ds, cfg, &err) || cordon_index_build(ds, &idx, &err);
    cordon_config_free(cfg);
    cordon_dataset_free(ds);
    return rc ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    cordon_index_close(idx);
    cordon_rules_free(rules);
    return 0;
}

/* Parses and screens JSON text; fails the test on any error. */
static cordon_shipment_result *screen_text(const char *json, const cordon_shipment_options *opts)
{
    cordon_shipment *s = NULL;
    cordon_error err;
    char buf[1200];
    if (cordon_shipment_parse(rules, json, strlen(json), "test.json", &s, &err))
        fail_msg("parse: %s", cordon_error_format(&err, buf, sizeof buf));
    cordon_shipment_result *r = NULL;
    if (cordon_shipment_screen(idx, rules, s, opts, &r, &err))
        fail_msg("screen: %s", cordon_error_format(&err, buf, sizeof buf));
    cordon_shipment_free(s);
    return r;
}

static cordon_shipment_result *screen_file(const char *path)
{
    char *text = test_slurp(path, NULL);
    assert_non_null(text);
    cordon_shipment_result *r = screen_text(text, NULL);
    free(text);
    return r;
}

/* The reasons as "ACTION kind subject rule-or-entity" lines. */
static char *summary(const cordon_shipment_result *r)
{
    size_t cap = 8192, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    for (size_t i = 0; i < r->n_reasons; i++) {
        const cordon_reason *x = &r->reasons[i];
        const char *what = x->kind == CORDON_REASON_PARTY ? x->entity : x->rule ? x->rule : "-";
        int w = snprintf(out + n, cap - n, "%s %s %s %s%s%s\n", cordon_action_name(x->action),
                         cordon_reason_kind_name(x->kind), x->subject ? x->subject : "-", what,
                         x->hs ? " HS " : "", x->hs ? x->hs : "");
        assert_true(w > 0 && (size_t)w < cap - n);
        n += (size_t)w;
    }
    return out;
}

static void summary_is(const cordon_shipment_result *r, const char *want)
{
    char *got = summary(r);
    if (strcmp(got, want))
        fail_msg("reasons:\n--- got\n%s--- want\n%s", got, want);
    free(got);
}

/* ---- the acceptance cases --------------------------------------------------- */

static const char acceptance_reasons[] =
    "BLOCK party parties[1] ofac_sdn:20157\n"
    "REVIEW country destination, parties[1].country un-dprk\n"
    "REVIEW country destination, parties[1].country eu-dprk\n"
    "REVIEW country destination, parties[1].country us-dprk\n"
    "REVIEW country origin, parties[0].country eu-russia\n"
    "REVIEW country origin, parties[0].country uk-russia\n"
    "REVIEW country parties[0].country us-russia-belarus\n"
    "BLOCK goods goods[0] un-dprk-luxury-vehicles HS 870390\n"
    "BLOCK goods goods[0] un-dprk-transport HS 870390\n"
    "BLOCK goods goods[0] eu-dprk-luxury HS 870390\n";

static void test_acceptance(void **state)
{
    (void)state;
    cordon_shipment_result *r = screen_file("tests/shipment/acceptance_kim/input.json");
    assert_int_equal(r->decision, CORDON_ACTION_BLOCK);
    summary_is(r, acceptance_reasons);
    assert_string_equal(r->reference, "ACCEPT-1");
    assert_string_equal(r->origin, "RU");
    assert_string_equal(r->destination, "KP");
    assert_string_equal(r->rules_as_of, "2025-06");
    /* the party reason, whole */
    const cordon_reason *p = &r->reasons[0];
    assert_string_equal(p->role, "consignee");
    assert_string_equal(p->source, "ofac_sdn");
    assert_string_equal(p->entity_name, "KIM, Jong Un");
    assert_true(p->score == 1.0);
    assert_null(p->rule);
    assert_string_equal(p->message, "consignee \"Kim Jong Un\" matches ofac_sdn:20157 "
                                    "\"KIM, Jong Un\" (score 1.00) on list ofac_sdn");
    /* the destination under the UN DPRK bans */
    const cordon_reason *c = &r->reasons[1];
    assert_string_equal(c->country, "KP");
    assert_string_equal(c->source, cordon_rules_find(rules, "un-dprk")->source);
    assert_string_equal(c->message, "destination and the consignee's country are in KP (North "
                                    "Korea), under DPRK (North Korea): UN Security Council "
                                    "sanctions");
    /* a luxury motor vehicle, and a vehicle of HS chapter 87 */
    const cordon_reason *g = &r->reasons[7];
    assert_string_equal(g->basis, "declared");
    assert_null(g->keyword);
    assert_string_equal(g->source, "UN Security Council resolution 1718 (2006), paragraph "
                                   "8(a)(iii); resolution 2094 (2013), paragraph 23 and Annex IV(b)");
    assert_string_equal(g->message, "goods[0] \"Aurus Senat armoured limousine\" (HS 870390, "
                                    "declared) is bound for KP (North Korea): luxury goods: "
                                    "luxury automobiles and motor vehicles");
    assert_string_equal(r->reasons[8].message,
                        "goods[0] \"Aurus Senat armoured limousine\" (HS 870390, declared) is "
                        "bound for KP (North Korea): transportation vehicles, HS 86-89");
    cordon_shipment_result_free(r);
}

/* "Kim Jong-un" and "김정은" give the same decision and the same reasons. */
static void test_acceptance_spellings(void **state)
{
    (void)state;
    char *text = test_slurp("tests/shipment/acceptance_kim/input.json", NULL);
    assert_non_null(text);
    static const char *const names[] = {"Kim Jong-un", "김정은", "KIM Jong Un", "kim jong un"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *at = strstr(text, "Kim Jong Un");
        assert_non_null(at);
        size_t head = (size_t)(at - text);
        char *variant = malloc(strlen(text) + 64);
        assert_non_null(variant);
        sprintf(variant, "%.*s%s%s", (int)head, text, names[i], at + strlen("Kim Jong Un"));
        cordon_shipment_result *r = screen_text(variant, NULL);
        assert_int_equal(r->decision, CORDON_ACTION_BLOCK);
        summary_is(r, acceptance_reasons);
        assert_true(r->reasons[0].score >= 0.95);
        cordon_shipment_result_free(r);
        free(variant);
    }
    free(text);
}

static void test_smuggled_vehicles(void **state)
{
    (void)state;
    cordon_shipment_result *r = screen_file("tests/shipment/smuggled_nampo/input.json");
    assert_int_equal(r->decision, CORDON_ACTION_BLOCK);
    summary_is(r, "REVIEW country destination, route[1] un-dprk\n"
                  "REVIEW country destination, route[1] eu-dprk\n"
                  "REVIEW country destination, route[1] us-dprk\n"
                  "BLOCK goods goods[0] un-dprk-luxury-vehicles HS 8703\n"
                  "BLOCK goods goods[0] un-dprk-transport HS 8703\n"
                  "BLOCK goods goods[0] eu-dprk-luxury HS 8703\n"
                  "BLOCK goods goods[1] un-dprk-luxury-vehicles HS 8703\n"
                  "BLOCK goods goods[1] un-dprk-transport HS 8703\n"
                  "BLOCK goods goods[1] eu-dprk-luxury HS 8703\n"
                  "BLOCK goods goods[2] un-dprk-luxury-vehicles HS 8703\n"
                  "BLOCK goods goods[2] un-dprk-transport HS 8703\n"
                  "BLOCK goods goods[2] eu-dprk-luxury HS 8703\n");
    assert_string_equal(r->destination, "KP");
    assert_string_equal(r->reasons[3].basis, "description");
    assert_string_equal(r->reasons[3].keyword, "sedan");
    assert_string_equal(r->reasons[6].keyword, "Rolls-Royce");
    assert_string_equal(r->reasons[9].keyword, "SUV");
    assert_string_equal(r->reasons[0].message,
                        "destination \"Nampo, DPRK\" and route[1] \"Nampo\" are in KP (North "
                        "Korea), under DPRK (North Korea): UN Security Council sanctions");
    cordon_shipment_result_free(r);

    /* the same with only the brand names, bound for "Nampho" */
    r = screen_text("{\"parties\":[{\"role\":\"shipper\",\"name\":\"Liaoning Harbour Freight "
                    "Forwarding Co\"},{\"role\":\"consignee\",\"name\":\"Golden Star Auto Parts "
                    "Trading\"}],\"goods\":[{\"description\":\"Maybach\"},{\"description\":"
                    "\"Rolls-Royce Phantom\"},{\"description\":\"Lexus\"}],\"destination\":"
                    "\"Nampho\"}", NULL);
    assert_int_equal(r->decision, CORDON_ACTION_BLOCK);
    size_t luxury = 0;
    for (size_t i = 0; i < r->n_reasons; i++)
        luxury += r->reasons[i].rule && !strcmp(r->reasons[i].rule, "un-dprk-luxury-vehicles") &&
                  r->reasons[i].action == CORDON_ACTION_BLOCK;
    assert_int_equal(luxury, 3);
    cordon_shipment_result_free(r);
}

static void test_clean_control(void **state)
{
    (void)state;
    cordon_shipment_result *r = screen_file("tests/shipment/clean_control/input.json");
    assert_int_equal(r->decision, CORDON_ACTION_CLEAR);
    assert_int_equal(r->n_reasons, 0);
    assert_string_equal(r->origin, "DE");
    assert_string_equal(r->destination, "FR");
    char *text = cordon_shipment_result_text(r);
    assert_string_equal(text, "decision: CLEAR\nreference: CONTROL-1\nroute: DE -> FR\n"
                              "reasons: none: no party, place or goods line falls under a rule\n");
    cordon_free(text);
    cordon_shipment_result_free(r);
}

/* ---- goods rules: thresholds, rates, classification ---------------------- */

static char *car_to_russia(char *buf, size_t size, const char *goods, const char *extra)
{
    snprintf(buf, size,
             "{\"parties\":[{\"role\":\"shipper\",\"name\":\"Autohaus Nordkap Export GmbH\","
             "\"country\":\"DE\"},{\"role\":\"consignee\",\"name\":\"OOO Avtoimport Vostok\"}],"
             "\"goods\":[%s],\"origin\":\"DE\",\"destination\":\"RU\"%s}",
             goods, extra ? extra : "");
    return buf;
}

/* The one reason of rule id in r, or NULL (fails when there are two). */
static const cordon_reason *reason_of(const cordon_shipment_result *r, const char *rule)
{
    const cordon_reason *found = NULL;
    for (size_t i = 0; i < r->n_reasons; i++)
        if (r->reasons[i].rule && !strcmp(r->reasons[i].rule, rule)) {
            assert_null(found);
            found = &r->reasons[i];
        }
    return found;
}

static void test_value_thresholds(void **state)
{
    (void)state;
    char buf[2048];
    static const struct {
        const char *goods, *extra;
        cordon_action want; /* of eu-russia-luxury-cars; CLEAR: no reason */
        const char *tail;   /* end of the message */
    } cases[] = {
        {"{\"description\":\"car\",\"hs_code\":\"870323\",\"value\":60000,\"currency\":\"EUR\"}",
         NULL, CORDON_ACTION_BLOCK, "; EUR 60000.00 per item is above EUR 50000.00"},
        {"{\"description\":\"car\",\"hs_code\":\"870323\",\"value\":50000,\"currency\":\"EUR\"}",
         NULL, CORDON_ACTION_CLEAR, NULL},
        {"{\"description\":\"cars\",\"hs_code\":\"870323\",\"value\":150000,\"currency\":\"EUR\","
         "\"quantity\":3}", NULL, CORDON_ACTION_CLEAR, NULL},
        {"{\"description\":\"cars\",\"hs_code\":\"870323\",\"value\":150003,\"currency\":\"EUR\","
         "\"quantity\":3}", NULL, CORDON_ACTION_BLOCK, "; EUR 50001.00 per item is above EUR 50000.00"},
        {"{\"description\":\"car\",\"hs_code\":\"870323\"}", NULL, CORDON_ACTION_REVIEW,
         "; the value is not given, and the rule applies above EUR 50000.00"},
        {"{\"description\":\"car\",\"hs_code\":\"870323\",\"value\":60000,\"currency\":\"USD\"}",
         NULL, CORDON_ACTION_REVIEW,
         "; USD 60000.00 per item cannot be converted to EUR (no rate), and the rule applies "
         "above EUR 50000.00"},
        {"{\"description\":\"car\",\"hs_code\":\"870323\",\"value\":60000,\"currency\":\"USD\"}",
         ",\"rates\":{\"base\":\"EUR\",\"rates\":{\"USD\":1.25}}", CORDON_ACTION_CLEAR, NULL},
        {"{\"description\":\"car\",\"hs_code\":\"870323\",\"value\":62500.25,\"currency\":\"USD\"}",
         ",\"rates\":{\"base\":\"EUR\",\"rates\":{\"USD\":1.25}}", CORDON_ACTION_BLOCK,
         "; USD 62500.25 per item (EUR 50000.20) is above EUR 50000.00"},
        /* a keyword, not a code: 8703 for sure, so the rule blocks */
        {"{\"description\":\"Mercedes-Benz S-Class\",\"value\":120000,\"currency\":\"EUR\"}", NULL,
         CORDON_ACTION_BLOCK, "; EUR 120000.00 per item is above EUR 50000.00"},
        /* a possible vehicle: review */
        {"{\"description\":\"vehicle\",\"value\":120000,\"currency\":\"EUR\"}", NULL,
         CORDON_ACTION_REVIEW, "; EUR 120000.00 per item is above EUR 50000.00"},
        /* not a car */
        {"{\"description\":\"tractor parts\",\"hs_code\":\"870899\",\"value\":90000,"
         "\"currency\":\"EUR\"}", NULL, CORDON_ACTION_CLEAR, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cordon_shipment_result *r =
            screen_text(car_to_russia(buf, sizeof buf, cases[i].goods, cases[i].extra), NULL);
        const cordon_reason *x = reason_of(r, "eu-russia-luxury-cars");
        if (cases[i].want == CORDON_ACTION_CLEAR) {
            if (x)
                fail_msg("case %zu: unexpected reason: %s", i, x->message);
        } else {
            if (!x)
                fail_msg("case %zu: no eu-russia-luxury-cars reason", i);
            assert_int_equal(x->action, cases[i].want);
            size_t ml = strlen(x->message), tl = strlen(cases[i].tail);
            if (ml < tl || strcmp(x->message + ml - tl, cases[i].tail))
                fail_msg("case %zu: message \"%s\" does not end with \"%s\"", i, x->message,
                         cases[i].tail);
            assert_string_equal(x->country, "RU");
        }
        /* the country rules flag Russia for review in every case */
        assert_int_equal(r->decision, cases[i].want == CORDON_ACTION_BLOCK ? CORDON_ACTION_BLOCK
                                                                           : CORDON_ACTION_REVIEW);
        cordon_shipment_result_free(r);
    }

    /* rates from the options when the shipment has none */
    cordon_rates *rates = NULL;
    cordon_error err;
    assert_int_equal(cordon_rates_read("tests/shipment/rates.json", &rates, &err), 0);
    cordon_shipment_options o = {.rates = rates};
    cordon_shipment_result *r = screen_text(
        car_to_russia(buf, sizeof buf,
                      "{\"description\":\"car\",\"hs_code\":\"870323\",\"value\":60000,"
                      "\"currency\":\"CHF\"}", NULL), &o);
    const cordon_reason *x = reason_of(r, "eu-russia-luxury-cars");
    assert_non_null(x);
    assert_int_equal(x->action, CORDON_ACTION_BLOCK);
    assert_non_null(strstr(x->message, "CHF 60000.00 per item (EUR 64082.02) is above EUR 50000.00"));
    cordon_shipment_result_free(r);
    cordon_rates_free(rates);
}

/* A declared code decides; a description that says more adds a review. */
static void test_declared_and_described(void **state)
{
    (void)state;
    cordon_shipment_result *r = screen_text(
        "{\"parties\":[{\"role\":\"shipper\",\"name\":\"Harbour Lights General Trading\"},"
        "{\"role\":\"consignee\",\"name\":\"Paektusan Commercial Company\"}],"
        "\"goods\":[{\"description\":\"Rolls-Royce Phantom\",\"hs_code\":\"8708.99\"}],"
        "\"destination\":\"KP\"}", NULL);
    summary_is(r, "REVIEW country destination un-dprk\n"
                  "REVIEW country destination eu-dprk\n"
                  "REVIEW country destination us-dprk\n"
                  "REVIEW goods goods[0] un-dprk-luxury-vehicles HS 8703\n"
                  "BLOCK goods goods[0] un-dprk-transport HS 870899\n"
                  "REVIEW goods goods[0] eu-dprk-luxury HS 8703\n");
    assert_string_equal(r->reasons[3].message,
                        "goods[0] \"Rolls-Royce Phantom\" (the description's keyword \"Rolls-Royce\" "
                        "suggests HS 8703, but HS 870899 is declared) may be bound for KP (North "
                        "Korea): luxury goods: luxury automobiles and motor vehicles");
    assert_string_equal(r->reasons[3].basis, "description");
    cordon_shipment_result_free(r);

    /* an aero engine is machinery, not a car */
    r = screen_text("{\"parties\":[{\"role\":\"shipper\",\"name\":\"Harbour Lights General "
                    "Trading\"},{\"role\":\"consignee\",\"name\":\"Paektusan Commercial Company\"}],"
                    "\"goods\":[{\"description\":\"Rolls-Royce Trent 700 aero engine\"}],"
                    "\"destination\":\"KP\"}", NULL);
    const cordon_reason *x = reason_of(r, "un-dprk-machinery");
    assert_non_null(x);
    assert_int_equal(x->action, CORDON_ACTION_BLOCK);
    assert_string_equal(x->hs, "84");
    assert_null(reason_of(r, "un-dprk-luxury-vehicles"));
    cordon_shipment_result_free(r);

    /* goods the keywords do not know, bound for a place goods rules cover */
    r = screen_text("{\"parties\":[{\"role\":\"shipper\",\"name\":\"Harbour Lights General "
                    "Trading\"},{\"role\":\"consignee\",\"name\":\"Paektusan Commercial Company\"}],"
                    "\"goods\":[{\"description\":\"assorted goods\"}],\"destination\":\"KP\"}",
                    NULL);
    summary_is(r, "REVIEW country destination un-dprk\n"
                  "REVIEW country destination eu-dprk\n"
                  "REVIEW country destination us-dprk\n"
                  "REVIEW note goods[0] -\n");
    cordon_shipment_result_free(r);

    /* imports from the DPRK: resolution 2397 (2017), paragraph 6 */
    r = screen_text("{\"parties\":[{\"role\":\"shipper\",\"name\":\"Korea Haegumgang Trading\","
                    "\"country\":\"KP\"},{\"role\":\"consignee\",\"name\":\"Dandong Riverside "
                    "Timber\",\"country\":\"CN\"}],\"goods\":[{\"description\":\"sawn pine\","
                    "\"hs_code\":\"440711\"}],\"origin\":\"Rajin\",\"destination\":\"Dandong\"}",
                    NULL);
    x = reason_of(r, "un-dprk-exports");
    assert_non_null(x);
    assert_int_equal(x->action, CORDON_ACTION_BLOCK);
    assert_string_equal(x->message, "goods[0] \"sawn pine\" (HS 440711, declared) is from KP "
                                    "(North Korea): DPRK exports: food and agricultural products, "
                                    "machinery, electrical equipment, earth and stone, wood, vessels");
    cordon_shipment_result_free(r);
}

/* Places: regions, transit, notes for what cannot be placed. */
static void test_places_and_notes(void **state)
{
    (void)state;
    cordon_shipment_result *r = screen_file("tests/shipment/crimea_transit/input.json");
    summary_is(r, "BLOCK party parties[2] ofac_sdn:21115\n"
                  "REVIEW country origin, route[0], parties[0].country eu-russia\n"
                  "REVIEW country origin, route[0], parties[0].country uk-russia\n"
                  "REVIEW country route[0], parties[0].country us-russia-belarus\n"
                  "REVIEW country destination, route[1], route[2] eu-crimea\n"
                  "REVIEW country destination, route[1], route[2] us-crimea\n"
                  "CLEAR note route[3] -\n");
    assert_string_equal(r->destination, "QC");
    assert_string_equal(r->reasons[0].role, "carrier_vessel");
    cordon_shipment_result_free(r);

    /* no index: parties are not screened, and a note says so */
    char *text = test_slurp("tests/shipment/acceptance_kim/input.json", NULL);
    cordon_shipment *s = NULL;
    cordon_error err;
    assert_int_equal(cordon_shipment_parse(rules, text, strlen(text), "a.json", &s, &err), 0);
    assert_int_equal(cordon_shipment_screen(NULL, rules, s, NULL, &r, &err), 0);
    assert_int_equal(r->reasons[0].kind, CORDON_REASON_NOTE);
    assert_int_equal(r->reasons[0].action, CORDON_ACTION_CLEAR);
    assert_string_equal(r->reasons[0].message, "parties were not screened: no lists index was given");
    assert_int_equal(r->decision, CORDON_ACTION_BLOCK); /* the goods still block */
    cordon_shipment_result_free(r);
    /* options out of range */
    cordon_shipment_options o = {.review_threshold = 0.9, .block_threshold = 0.8};
    assert_int_equal(cordon_shipment_screen(idx, rules, s, &o, &r, &err), CORDON_EINVAL);
    assert_null(r);
    assert_int_equal(cordon_shipment_screen(idx, NULL, s, NULL, &r, &err), CORDON_EINVAL);
    cordon_shipment_free(s);
    free(text);
}

/* ---- bad input ---------------------------------------------------------- */

#define PARTIES "\"parties\":[{\"role\":\"shipper\",\"name\":\"A Ltd\"},{\"role\":\"consignee\",\"name\":\"B Ltd\"}]"
#define GOODS "\"goods\":[{\"description\":\"bolts\",\"hs_code\":\"731815\"}]"

static void test_bad_input(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        int code;
        const char *message;
    } cases[] = {
        {"{" PARTIES "," GOODS "}", 0, NULL},
        {"", CORDON_EEMPTY, "empty input: expected a shipment as a JSON object"},
        {"[]", CORDON_EFORMAT, "a shipment must be a JSON object"},
        {"{" GOODS "}", CORDON_EFORMAT,
         "parties: missing: a shipment needs its parties (at least a shipper and a consignee)"},
        {"{\"parties\":[]," GOODS "}", CORDON_EFORMAT,
         "parties: missing: a shipment needs its parties (at least a shipper and a consignee)"},
        {"{\"parties\":[{\"role\":\"shipper\",\"name\":\"A\"}]," GOODS "}", CORDON_EFORMAT,
         "parties: missing a party with role \"consignee\""},
        {"{\"parties\":[{\"role\":\"consignee\",\"name\":\"A\"}]," GOODS "}", CORDON_EFORMAT,
         "parties: missing a party with role \"shipper\""},
        {"{\"parties\":[{\"role\":\"buyer\",\"name\":\"A\"}]," GOODS "}", CORDON_EFORMAT,
         "parties[0].role: must be shipper, consignee, end_user, notify_party, intermediary or "
         "carrier_vessel"},
        {"{\"parties\":[{\"role\":\"shipper\"}]," GOODS "}", CORDON_EFORMAT,
         "parties[0].name: missing"},
        {"{\"parties\":[{\"role\":\"shipper\",\"name\":\"  \"}]," GOODS "}", CORDON_EFORMAT,
         "parties[0].name: must not be empty"},
        {"{\"parties\":[{\"role\":\"shipper\",\"name\":\"A\",\"country\":\"XX\"}]," GOODS "}",
         CORDON_EFORMAT, "parties[0].country: unknown country code \"XX\""},
        {"{\"parties\":[{\"role\":\"shipper\",\"name\":\"A\",\"country\":\"Narnia\"}]," GOODS "}",
         CORDON_EFORMAT, "parties[0].country: unknown country \"Narnia\""},
        {"{\"parties\":[{\"role\":\"shipper\",\"name\":\"A\",\"type\":\"ship\"},{\"role\":"
         "\"consignee\",\"name\":\"B\",\"type\":\"robot\"}]," GOODS "}",
         CORDON_EFORMAT, "parties[1].type: must be person, organization, vessel or aircraft"},
        {"{\"parties\":[{\"role\":\"shipper\",\"name\":\"A\",\"birth_date\":\"soon\"}]," GOODS "}",
         CORDON_EFORMAT, "parties[0].birth_date: must be a date such as \"1984-01-08\""},
        {"{\"parties\":[{\"role\":\"shipper\",\"name\":\"A\",\"ids\":[{\"type\":\"dna\","
         "\"value\":\"x\"}]}]," GOODS "}", CORDON_EFORMAT,
         "parties[0].ids[0].type: unknown identifier type"},
        {"{" PARTIES "}", CORDON_EFORMAT, "goods: missing: a shipment needs at least one goods line"},
        {"{" PARTIES ",\"goods\":[{\"value\":3,\"currency\":\"EUR\"}]}", CORDON_EFORMAT,
         "goods[0]: needs a description or an hs_code"},
        {"{" PARTIES ",\"goods\":[{\"hs_code\":\"731815\"},{\"hs_code\":\"73181\"}]}",
         CORDON_EFORMAT, "goods[1].hs_code: \"73181\" is not an HS code (6 to 10 digits, chapter "
                         "01 to 97)"},
        {"{" PARTIES ",\"goods\":[{\"hs_code\":870390}]}", CORDON_EFORMAT,
         "goods[0].hs_code: must be a string such as \"870390\" (a number loses leading zeros)"},
        {"{" PARTIES ",\"goods\":[{\"hs_code\":\"870390\",\"value\":-1,\"currency\":\"EUR\"}]}",
         CORDON_EFORMAT, "goods[0].value: must not be negative"},
        {"{" PARTIES ",\"goods\":[{\"hs_code\":\"870390\",\"value\":\"5\",\"currency\":\"EUR\"}]}",
         CORDON_EFORMAT, "goods[0].value: must be a number"},
        {"{" PARTIES ",\"goods\":[{\"hs_code\":\"870390\",\"value\":5}]}", CORDON_EFORMAT,
         "goods[0].currency: missing: a value needs its currency"},
        {"{" PARTIES ",\"goods\":[{\"hs_code\":\"870390\",\"value\":5,\"currency\":\"euro\"}]}",
         CORDON_EFORMAT, "goods[0].currency: must be an ISO 4217 code such as \"EUR\""},
        {"{" PARTIES ",\"goods\":[{\"hs_code\":\"870390\",\"currency\":\"EUR\"}]}",
         CORDON_EFORMAT, "goods[0].currency: given without a value"},
        {"{" PARTIES ",\"goods\":[{\"hs_code\":\"870390\",\"quantity\":0}]}", CORDON_EFORMAT,
         "goods[0].quantity: must be a number above 0"},
        {"{" PARTIES ",\"goods\":[{\"hs_code\":\"870390\",\"hscode\":\"870390\"}]}",
         CORDON_EFORMAT, "goods[0].hscode: unknown field (expected description, hs_code, value, "
                         "currency, quantity, unit)"},
        {"{" PARTIES "," GOODS ",\"destination\":\"XK\",\"origin\":\"ZZ\"}", CORDON_EFORMAT,
         "origin: unknown country code \"ZZ\""},
        {"{" PARTIES "," GOODS ",\"destination\":\"Atlantis\"}", CORDON_EFORMAT,
         "destination: unknown place or country \"Atlantis\" (write a country, or \"Place, "
         "Country\")"},
        {"{" PARTIES "," GOODS ",\"route\":\"Nampo\"}", CORDON_EFORMAT,
         "route: must be an array of ports or places"},
        {"{" PARTIES "," GOODS ",\"route\":[\"Nampo\",7]}", CORDON_EFORMAT,
         "route[1]: must be a string"},
        {"{" PARTIES "," GOODS ",\"rates\":{\"base\":\"EUR\",\"rates\":{\"USD\":-1}}}",
         CORDON_EFORMAT, "rates.rates.USD: must be a positive number"},
        {"{" PARTIES "," GOODS ",\"shipper\":\"A\"}", CORDON_EFORMAT,
         "shipper: unknown field (expected reference, parties, goods, origin, destination, route, "
         "rates, notes)"},
        {"{" PARTIES "," GOODS ",\"goods\":[]}", CORDON_EFORMAT,
         "invalid JSON: duplicate object key near '\"goods\"'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cordon_shipment *s = NULL;
        cordon_error err;
        int rc = cordon_shipment_parse(rules, cases[i].json, strlen(cases[i].json), "in.json", &s,
                                       &err);
        if (rc != cases[i].code)
            fail_msg("case %zu: got %d (%s), want %d", i, rc, rc ? err.message : "",
                     cases[i].code);
        if (!rc) {
            cordon_shipment_free(s);
            continue;
        }
        assert_null(s);
        assert_string_equal(err.file, "in.json");
        if (strcmp(err.message, cases[i].message))
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, err.message, cases[i].message);
    }

    /* invalid JSON names the line and column */
    const char broken[] = "{\n  \"parties\": [\n    {\"role\": \"shipper\" \"name\": \"A\"}\n  ]\n}";
    cordon_shipment *s = NULL;
    cordon_error err;
    assert_int_equal(cordon_shipment_parse(rules, broken, sizeof broken - 1, "b.json", &s, &err),
                     CORDON_EFORMAT);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 29); /* jansson: the last character it read */
    assert_int_equal(cordon_shipment_parse(rules, "{\"a\":\"\xc3\"}", 9, "b.json", &s, &err),
                     CORDON_EUTF8);
    /* limits */
    size_t big = CORDON_SHIPMENT_MAX_BYTES + 1;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, ' ', big);
    assert_int_equal(cordon_shipment_parse(rules, huge, big, "h.json", &s, &err), CORDON_ETOOBIG);
    free(huge);
}

/* ---- output ------------------------------------------------------------ */

static void test_json_output(void **state)
{
    (void)state;
    cordon_shipment_result *r = screen_file("tests/shipment/acceptance_kim/input.json");
    char *j = cordon_shipment_result_json(r);
    assert_non_null(j);
    assert_null(strchr(j, '\n'));
    json_error_t jerr;
    json_t *root = json_loads(j, 0, &jerr);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "decision")), "BLOCK");
    assert_string_equal(json_string_value(json_object_get(root, "reference")), "ACCEPT-1");
    json_t *reasons = json_object_get(root, "reasons");
    assert_int_equal(json_array_size(reasons), r->n_reasons);
    json_t *p = json_array_get(reasons, 0);
    assert_string_equal(json_string_value(json_object_get(p, "entity")), "ofac_sdn:20157");
    assert_true(json_real_value(json_object_get(p, "score")) == 1.0);
    assert_null(json_object_get(p, "rule"));
    json_t *g = json_array_get(reasons, 7);
    assert_string_equal(json_string_value(json_object_get(g, "rule")), "un-dprk-luxury-vehicles");
    assert_string_equal(json_string_value(json_object_get(g, "hs")), "870390");
    assert_null(json_object_get(g, "score"));
    json_decref(root);
    cordon_free(j);

    char *t = cordon_shipment_result_text(r);
    assert_non_null(t);
    assert_non_null(strstr(t, "decision: BLOCK\nreference: ACCEPT-1\nroute: RU -> KP\nreasons:\n"
                              "  BLOCK  party   consignee \"Kim Jong Un\" matches ofac_sdn:20157"));
    assert_non_null(strstr(t, "                 rule: un-dprk-transport\n"
                              "                 source: UN Security Council resolution 2397 "
                              "(2017), paragraph 7\n"));
    cordon_free(t);
    cordon_shipment_result_free(r);
    assert_null(cordon_shipment_result_json(NULL));
    assert_null(cordon_shipment_result_text(NULL));
    cordon_shipment_result_free(NULL);
    cordon_shipment_free(NULL);
    assert_string_equal(cordon_action_name(CORDON_ACTION_REVIEW), "REVIEW");
    cordon_action a;
    assert_int_equal(cordon_action_parse("block", 5, &a), 0);
    assert_int_equal(a, CORDON_ACTION_BLOCK);
    assert_int_equal(cordon_action_parse("stop", 4, &a), CORDON_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_acceptance),
        cmocka_unit_test(test_acceptance_spellings),
        cmocka_unit_test(test_smuggled_vehicles),
        cmocka_unit_test(test_clean_control),
        cmocka_unit_test(test_value_thresholds),
        cmocka_unit_test(test_declared_and_described),
        cmocka_unit_test(test_places_and_notes),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_json_output),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
