/*
 * shipment_output.c — a shipment decision as one line of JSON (for
 * programs: the CLI's --json and the server print the same bytes) and
 * as readable text (for the analyst at a terminal).
 *
 * The text puts the decision first, then one block per reason: action,
 * kind and message on the first line, and the rule or list it cites,
 * its legal source and any caveat indented below, so that a reader can
 * check each reason against the law without opening the rules file.
 */
#include "shipment_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static int set_str(json_t *o, const char *key, const char *v)
{
    return v ? json_object_set_new(o, key, json_string(v)) : 0;
}

char *cordon_shipment_result_json(const cordon_shipment_result *r)
{
    if (!r)
        return NULL;
    json_t *root = json_object();
    json_t *reasons = json_array();
    int bad = !root || !reasons;
    if (!bad) {
        bad |= json_object_set_new(root, "decision", json_string(cordon_action_name(r->decision)));
        bad |= json_object_set_new(root, "reference",
                                   r->reference ? json_string(r->reference) : json_null());
        bad |= json_object_set_new(root, "origin", r->origin ? json_string(r->origin) : json_null());
        bad |= json_object_set_new(root, "destination",
                                   r->destination ? json_string(r->destination) : json_null());
        bad |= json_object_set_new(root, "rules_as_of", json_string(r->rules_as_of ? r->rules_as_of : ""));
    }
    for (size_t i = 0; !bad && i < r->n_reasons; i++) {
        const cordon_reason *x = &r->reasons[i];
        json_t *o = json_object();
        if (!o) {
            bad = 1;
            break;
        }
        bad |= set_str(o, "action", cordon_action_name(x->action));
        bad |= set_str(o, "kind", cordon_reason_kind_name(x->kind));
        bad |= set_str(o, "subject", x->subject);
        bad |= set_str(o, "role", x->role);
        bad |= set_str(o, "rule", x->rule);
        bad |= set_str(o, "source", x->source);
        bad |= set_str(o, "caveat", x->caveat);
        bad |= set_str(o, "entity", x->entity);
        bad |= set_str(o, "entity_name", x->entity_name);
        if (x->kind == CORDON_REASON_PARTY)
            bad |= json_object_set_new(o, "score", json_real(round(x->score * 1000) / 1000));
        bad |= set_str(o, "country", x->country);
        bad |= set_str(o, "hs", x->hs);
        bad |= set_str(o, "basis", x->basis);
        bad |= set_str(o, "keyword", x->keyword);
        bad |= set_str(o, "message", x->message);
        bad |= json_array_append_new(reasons, o);
    }
    if (!bad)
        bad = json_object_set_new(root, "reasons", reasons);
    else
        json_decref(reasons);
    char *s = bad ? NULL : json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    json_decref(root);
    return s;
}

char *cordon_shipment_result_text(const cordon_shipment_result *r)
{
    if (!r)
        return NULL;
    cordon__buf b = {0};
    int rc = cordon__buf_printf(&b, "decision: %s\n", cordon_action_name(r->decision));
    if (!rc && r->reference)
        rc = cordon__buf_printf(&b, "reference: %s\n", r->reference);
    if (!rc)
        rc = cordon__buf_printf(&b, "route: %s -> %s\n", r->origin ? r->origin : "?",
                                r->destination ? r->destination : "?");
    if (!rc)
        rc = r->n_reasons
                 ? cordon__buf_printf(&b, "reasons:\n")
                 : cordon__buf_printf(&b, "reasons: none: no party, place or goods line falls "
                                          "under a rule\n");
    for (size_t i = 0; !rc && i < r->n_reasons; i++) {
        const cordon_reason *x = &r->reasons[i];
        const char *action = x->action == CORDON_ACTION_CLEAR ? "NOTE" : cordon_action_name(x->action);
        rc = cordon__buf_printf(&b, "  %-6s %-7s %s\n", action, cordon_reason_kind_name(x->kind),
                                x->message ? x->message : "");
        if (!rc && x->kind == CORDON_REASON_PARTY)
            rc = cordon__buf_printf(&b, "                 list: %s, entity %s\n",
                                    x->source ? x->source : "?", x->entity ? x->entity : "?");
        if (!rc && x->rule)
            rc = cordon__buf_printf(&b, "                 rule: %s\n", x->rule);
        if (!rc && x->rule && x->source)
            rc = cordon__buf_printf(&b, "                 source: %s\n", x->source);
        if (!rc && x->caveat)
            rc = cordon__buf_printf(&b, "                 caveat: %s\n", x->caveat);
    }
    if (rc || cordon__buf_terminate(&b)) {
        cordon__buf_free(&b);
        return NULL;
    }
    return b.data;
}
