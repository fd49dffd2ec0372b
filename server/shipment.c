/*
 * shipment.c — POST /shipment: screens one shipment (the JSON that
 * `cordon shipment` reads; docs/SHIPMENTS.md) against the current index
 * and the trade-control rules, and answers the decision as
 * cordon_shipment_result_json prints it, so the body is the same line
 * that `cordon shipment --json` prints.
 *
 * The rules are read once, at the first request, from $CORDON_RULES, or
 * data/rules/rules.json beside the program (a checkout) or installed,
 * or under the working directory. A reload of the lists does not reread
 * them. Value thresholds convert with the shipment's own "rates".
 *
 * 200 with the decision (CLEAR, REVIEW or BLOCK: a decision is not an
 * error); 400 for a shipment the reader refuses (the message names the
 * JSON path, or the line and column of a JSON syntax error); 413 past
 * the reader's limits; 422 for an empty body; 503 without a rules file.
 */
#include "server_int.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static cordon_rules *rules;
static char rules_error[700];

static const char *rules_path(char *buf, size_t size)
{
    const char *env = getenv("CORDON_RULES");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            const char *rel[] = {"/../data/rules/rules.json", "/../share/cordon/rules/rules.json"};
            for (size_t i = 0; i < 2; i++)
                if ((size_t)snprintf(buf, size, "%s%s", exe, rel[i]) < size &&
                    access(buf, R_OK) == 0)
                    return buf;
        }
    }
    return "data/rules/rules.json";
}

static void load_rules(void)
{
    char buf[PATH_MAX + 64];
    cordon_error err;
    if (cordon_rules_read(rules_path(buf, sizeof buf), &rules, &err) != 0) {
        srv_error_public(&err, rules_error, sizeof rules_error);
        fprintf(stderr, "cordon serve: POST /shipment: %s\n", rules_error);
        rules = NULL;
    }
}

enum MHD_Result srv_api_shipment(srv_request *r)
{
    pthread_once(&once, load_rules);
    if (!rules)
        return srv_respond_error(r, 503, "no trade-control rules: %s", rules_error);
    cordon_shipment *s = NULL;
    cordon_error err;
    int rc = cordon_shipment_parse(rules, r->body ? r->body : "", r->body_len, "request", &s, &err);
    if (rc) {
        char msg[700];
        srv_error_public(&err, msg, sizeof msg);
        return srv_respond_error(r, srv_status_of(rc), "%s", msg);
    }
    srv_index *h = srv_acquire();
    cordon_shipment_result *res = NULL;
    rc = cordon_shipment_screen(h->idx, rules, s, NULL, &res, &err);
    srv_release(h);
    cordon_shipment_free(s);
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
