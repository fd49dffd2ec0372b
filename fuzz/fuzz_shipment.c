/*
 * fuzz_shipment.c — the shipment reader and the screening that follows
 * it, without lists (parties are not screened): arbitrary bytes must
 * either parse into a shipment that screens into a decision whose every
 * reason has a message, and prints as JSON and as text, or fail with a
 * message and no shipment. The rules are the bundled ones
 * (data/rules/rules.json, read from the repository root), or a small
 * built-in set when that file is not there.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cordon/cordon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fallback[] =
    "{\"format\":\"cordon-rules\",\"version\":1,"
    "\"rules\":[{\"id\":\"c\",\"kind\":\"country\",\"title\":\"t\",\"countries\":[\"KP\"],"
    "\"applies_to\":[\"destination\",\"origin\",\"transit\",\"party\"],\"action\":\"review\","
    "\"source\":\"s\"},{\"id\":\"g\",\"kind\":\"goods\",\"title\":\"t\",\"countries\":[\"RU\"],"
    "\"applies_to\":[\"destination\"],\"action\":\"block\",\"hs\":[\"8703\"],"
    "\"value_over\":{\"amount\":50000,\"currency\":\"EUR\"},\"source\":\"s\"}],"
    "\"keywords\":[{\"hs\":\"8703\",\"label\":\"car\",\"certain\":true,\"words\":[\"limousine\","
    "\"Rolls-Royce\"],\"unless\":[\"aero engine\"]},{\"hs\":\"87\",\"label\":\"v\",\"words\":"
    "[\"vehicle\"]}],\"places\":[{\"name\":\"Nampo\",\"country\":\"KP\",\"aliases\":[\"Nampho\"]}]}";

static cordon_rules *rules(void)
{
    static cordon_rules *r;
    if (!r && cordon_rules_read("data/rules/rules.json", &r, NULL) != 0 &&
        cordon_rules_parse(fallback, sizeof fallback - 1, NULL, "fallback", &r, NULL) != 0)
        abort();
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cordon_shipment *s = NULL;
    cordon_error err;
    int rc = cordon_shipment_parse(rules(), (const char *)data, size, "fuzz.json", &s, &err);
    if (rc) {
        if (s || err.code != rc || err.message[0] == '\0')
            abort();
        return 0;
    }
    cordon_shipment_result *r = NULL;
    if (cordon_shipment_screen(NULL, rules(), s, NULL, &r, &err) != 0) {
        if (r || err.message[0] == '\0')
            abort();
        cordon_shipment_free(s);
        return 0;
    }
    cordon_action worst = CORDON_ACTION_CLEAR;
    for (size_t i = 0; i < r->n_reasons; i++) {
        const cordon_reason *x = &r->reasons[i];
        if (!x->message || !x->message[0] || !x->subject)
            abort();
        if (x->kind != CORDON_REASON_NOTE && x->kind != CORDON_REASON_PARTY && (!x->rule || !x->source))
            abort();
        if (x->action > worst)
            worst = x->action;
    }
    if (worst != r->decision)
        abort();
    char *j = cordon_shipment_result_json(r);
    char *t = cordon_shipment_result_text(r);
    if (!j || !t || strchr(j, '\n'))
        abort();
    cordon_free(j);
    cordon_free(t);
    cordon_shipment_result_free(r);
    cordon_shipment_free(s);
    return 0;
}
