/*
 * fuzz_rules.c — the rules loader on arbitrary bytes (parsed from
 * memory, so "include" is refused): it either returns rules whose every
 * rule has an id, a source, countries, and for goods rules HS prefixes,
 * and whose gazetteer and keywords answer lookups, or fails with a
 * message and no rules.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cordon/cordon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cordon_rules *r = NULL;
    cordon_error err;
    int rc = cordon_rules_parse((const char *)data, size, NULL, "fuzz.json", &r, &err);
    if (rc) {
        if (r || err.code != rc || err.message[0] == '\0')
            abort();
        return 0;
    }
    for (size_t i = 0; i < cordon_rules_count(r); i++) {
        const cordon_rule *x = cordon_rules_get(r, i);
        if (!x->id || !x->source || !x->source[0] || !x->title || x->n_countries == 0 ||
            (x->kind == CORDON_RULE_GOODS) != (x->n_hs > 0) || cordon_rules_find(r, x->id) != x)
            abort();
        for (size_t c = 0; c < x->n_countries; c++)
            if (strlen(x->countries[c]) != 2)
                abort();
    }
    if (cordon_rules_get(r, cordon_rules_count(r)) || !cordon_rules_as_of(r))
        abort();
    /* the gazetteer and the keywords, through a shipment */
    static const char *const places[] = {"Nampo", "Nampo, DPRK", "Sevastopol (Ukraine)", "XX", ""};
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        char code[3];
        if (cordon_rules_place(r, places[i], strlen(places[i]), code) == 0 && strlen(code) != 2)
            abort();
    }
    static const char shipment[] =
        "{\"parties\":[{\"role\":\"shipper\",\"name\":\"A\",\"country\":\"RU\"},"
        "{\"role\":\"consignee\",\"name\":\"B\",\"country\":\"KP\"}],\"goods\":["
        "{\"description\":\"Rolls-Royce Phantom limousines\",\"value\":1,\"currency\":\"EUR\"},"
        "{\"description\":\"yacht\",\"hs_code\":\"890391\"}],\"route\":[\"Nampo\",\"Sevastopol\"]}";
    cordon_shipment *s = NULL;
    cordon_shipment_result *res = NULL;
    if (cordon_shipment_parse(r, shipment, sizeof shipment - 1, "s", &s, &err) == 0) {
        if (cordon_shipment_screen(NULL, r, s, NULL, &res, &err) != 0)
            abort();
        cordon_shipment_result_free(res);
        cordon_shipment_free(s);
    }
    cordon_rules_free(r);
    return 0;
}
