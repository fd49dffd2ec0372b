/*
 * shipment.c — POST /shipment: screens one shipment (the JSON that
 * `cordon shipment` reads; docs/SHIPMENTS.md) against the current index
 * and the trade-control rules, and answers the decision as
 * cordon_shipment_result_json prints it, so the body is the same line
 * that `cordon shipment --json` prints.
 *
 * The rules are those in use (rules.c): read at start and at every
 * reload, and held for the whole request, so a reload during a
 * screening does not change its rules. Value thresholds convert with
 * the shipment's own "rates".
 *
 * 200 with the decision (CLEAR, REVIEW or BLOCK: a decision is not an
 * error); 400 for a shipment the reader refuses (the message names the
 * JSON path, or the line and column of a JSON syntax error); 413 past
 * the reader's limits; 422 for an empty body; 503 without a rules file.
 */
#include "server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum MHD_Result srv_api_shipment(srv_request *r)
{
    char why[600];
    srv_rules *held = srv_rules_acquire(why, sizeof why);
    if (!held)
        return srv_respond_error(r, 503, "no trade-control rules: %s", why);
    const cordon_rules *rules = held->rules;
    cordon_shipment *s = NULL;
    cordon_error err;
    int rc = cordon_shipment_parse(rules, r->body ? r->body : "", r->body_len, "request", &s, &err);
    if (rc) {
        srv_rules_release(held);
        char msg[700];
        srv_error_public(&err, msg, sizeof msg);
        return srv_respond_error(r, srv_status_of(rc), "%s", msg);
    }
    srv_index *h = srv_acquire();
    cordon_shipment_result *res = NULL;
    rc = cordon_shipment_screen(h->idx, rules, s, NULL, &res, &err);
    srv_release(h);
    cordon_shipment_free(s);
    srv_rules_release(held);
    if (rc) {
        char msg[700];
        srv_error_public(&err, msg, sizeof msg);
        return srv_respond_error(r, srv_status_of(rc), "%s", msg);
    }
    char *json = cordon_shipment_result_json(res);
    cordon_shipment_result_free(res);
    size_t n = json ? strlen(json) : 0;
    char *body = json ? realloc(json, n + 2) : NULL;
    if (!body) {
        cordon_free(json);
        return srv_respond_error(r, 500, "out of memory");
    }
    body[n] = '\n';
    body[n + 1] = '\0';
    return srv_respond(r, 200, "application/json", body, n + 1);
}
