/*
 * shipment_input.c — reads a shipment from JSON (jansson) into the
 * checked form screening works on (shipment_int.h).
 *
 * Everything a rule will rely on is validated here, so that screening
 * never guesses: roles, country codes, HS codes, values and currencies.
 * Each error names the JSON path of the field at fault
 * ("goods[2].hs_code") and what would be right. Unknown keys are errors
 * too: a shipment that says "hscode" instead of "hs_code" would
 * otherwise be screened as goods without a code. Places of origin and
 * destination must resolve (a country, or a place of the gazetteer);
 * ports on the route need not, because screening reports the ones it
 * cannot place rather than refusing the whole shipment.
 */
#include "shipment_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define MAX_DESCRIPTION 8192

static const char *const role_names[CORDON__ROLE_COUNT_] = {
    "shipper", "consignee", "end_user", "notify_party", "intermediary", "carrier_vessel",
};

const char *cordon__role_name(cordon__role role)
{
    return (unsigned)role < CORDON__ROLE_COUNT_ ? role_names[role] : "party";
}

typedef struct reader {
    cordon_shipment *s;
    const cordon_rules *rules;
    const char *origin;
    cordon_error *err;
} reader;

__attribute__((format(printf, 3, 4))) static int bad(reader *rd, int code, const char *fmt, ...)
{
    char msg[480];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cordon__fail(rd->err, code, rd->origin, 0, 0, "%s", msg);
}

static int nomem(reader *rd) { return bad(rd, CORDON_ENOMEM, "out of memory"); }

static int check_keys(reader *rd, json_t *obj, const char *path, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        size_t i = 0;
        while (allowed[i] && strcmp(allowed[i], key))
            i++;
        if (allowed[i])
            continue;
        char list[300] = "";
        for (size_t j = 0; allowed[j]; j++) {
            size_t n = strlen(list);
            snprintf(list + n, sizeof list - n, "%s%s", j ? ", " : "", allowed[j]);
        }
        char shown[64];
        snprintf(shown, sizeof shown, "%s", key);
        return bad(rd, CORDON_EFORMAT, "%s%s%s: unknown field (expected %s)", path,
                   *path ? "." : "", shown, list);
    }
    return 0;
}

/* A trimmed, non-empty string field, copied into the arena. */
static int get_str(reader *rd, json_t *v, const char *path, size_t max, const char **out,
                   size_t *out_len)
{
    if (!json_is_string(v))
        return bad(rd, CORDON_EFORMAT, "%s: must be a string", path);
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (memchr(s, '\0', len))
        return bad(rd, CORDON_EFORMAT, "%s: must not contain NUL characters", path);
    len = cordon__trim(&s, len);
    if (len == 0)
        return bad(rd, CORDON_EFORMAT, "%s: must not be empty", path);
    if (len > max)
        return bad(rd, CORDON_ETOOBIG, "%s: longer than %zu bytes", path, max);
    if (!(*out = cordon__arena_strndup(&rd->s->arena, s, len)))
        return nomem(rd);
    if (out_len)
        *out_len = len;
    return 0;
}

/* "name[i]" or "name[i].field" in the arena. */
static char *path_dup(reader *rd, const char *name, size_t i, const char *field)
{
    char buf[96];
    snprintf(buf, sizeof buf, "%s[%zu]%s%s", name, i, field ? "." : "", field ? field : "");
    return cordon__arena_strndup(&rd->s->arena, buf, strlen(buf));
}

/* True when s looks like a code rather than a name: 2 or 3 capitals. */
static bool looks_like_code(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 3)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return false;
    return true;
}

/* A place that must resolve: origin, destination, a party's country. */
static int get_place(reader *rd, json_t *v, const char *path, bool country_only,
                     cordon__where *w)
{
    int rc = get_str(rd, v, path, 1024, &w->text, NULL);
    if (rc)
        return rc;
    int found = country_only ? cordon_country_lookup(w->text, strlen(w->text), w->code)
                             : cordon_rules_place(rd->rules, w->text, strlen(w->text), w->code);
    if (found == 0)
        return 0;
    w->code[0] = '\0';
    char shown[80];
    snprintf(shown, sizeof shown, "%s", w->text);
    if (looks_like_code(w->text))
        return bad(rd, CORDON_EFORMAT, "%s: unknown country code \"%s\"", path, shown);
    if (country_only)
        return bad(rd, CORDON_EFORMAT, "%s: unknown country \"%s\"", path, shown);
    return bad(rd, CORDON_EFORMAT,
               "%s: unknown place or country \"%s\" (write a country, or \"Place, Country\")",
               path, shown);
}

static int read_party(reader *rd, json_t *o, size_t index, cordon__party *p)
{
    static const char *const keys[] = {"role", "name", "type", "country", "ids",
                                       "birth_date", "address", NULL};
    if (!(p->path = path_dup(rd, "parties", index, NULL)))
        return nomem(rd);
    char sub[96];
    if (!json_is_object(o))
        return bad(rd, CORDON_EFORMAT, "%s: must be an object", p->path);
    int rc = check_keys(rd, o, p->path, keys);
    if (rc)
        return rc;
    json_t *v = json_object_get(o, "role");
    snprintf(sub, sizeof sub, "%s.role", p->path);
    if (!v)
        return bad(rd, CORDON_EFORMAT, "%s: missing (shipper, consignee, end_user, notify_party, "
                                       "intermediary or carrier_vessel)", sub);
    const char *role = json_is_string(v) ? json_string_value(v) : "";
    p->role = CORDON__ROLE_COUNT_;
    for (int r = 0; r < CORDON__ROLE_COUNT_; r++)
        if (!strcmp(role, role_names[r]))
            p->role = (cordon__role)r;
    if (p->role == CORDON__ROLE_COUNT_)
        return bad(rd, CORDON_EFORMAT, "%s: must be shipper, consignee, end_user, notify_party, "
                                       "intermediary or carrier_vessel", sub);

    snprintf(sub, sizeof sub, "%s.name", p->path);
    if (!(v = json_object_get(o, "name")))
        return bad(rd, CORDON_EFORMAT, "%s: missing", sub);
    if ((rc = get_str(rd, v, sub, CORDON_QUERY_MAX_BYTES, &p->name, &p->name_len)))
        return rc;

    p->schema = p->role == CORDON__ROLE_CARRIER_VESSEL ? CORDON_SCHEMA_VESSEL : CORDON_SCHEMA_UNKNOWN;
    if ((v = json_object_get(o, "type"))) {
        snprintf(sub, sizeof sub, "%s.type", p->path);
        if (!json_is_string(v) ||
            cordon_schema_parse(json_string_value(v), json_string_length(v), &p->schema))
            return bad(rd, CORDON_EFORMAT,
                       "%s: must be person, organization, vessel or aircraft", sub);
    }
    if (!(p->country.path = path_dup(rd, "parties", index, "country")))
        return nomem(rd);
    if ((v = json_object_get(o, "country")) &&
        (rc = get_place(rd, v, p->country.path, true, &p->country)))
        return rc;
    if ((v = json_object_get(o, "birth_date"))) {
        snprintf(sub, sizeof sub, "%s.birth_date", p->path);
        if (!json_is_string(v) ||
            cordon_date_parse(json_string_value(v), json_string_length(v), &p->birth_date))
            return bad(rd, CORDON_EFORMAT, "%s: must be a date such as \"1984-01-08\"", sub);
        p->has_birth_date = true;
    }
    if ((v = json_object_get(o, "address"))) {
        const char *ignored;
        snprintf(sub, sizeof sub, "%s.address", p->path);
        if ((rc = get_str(rd, v, sub, 4096, &ignored, NULL)))
            return rc;
    }
    if ((v = json_object_get(o, "ids"))) {
        snprintf(sub, sizeof sub, "%s.ids", p->path);
        if (!json_is_array(v))
            return bad(rd, CORDON_EFORMAT, "%s: must be an array of identifiers", sub);
        if (json_array_size(v) > CORDON_QUERY_MAX_IDS)
            return bad(rd, CORDON_ETOOBIG, "%s: more than %d identifiers", sub,
                       CORDON_QUERY_MAX_IDS);
        for (size_t i = 0; i < json_array_size(v); i++) {
            json_t *id = json_array_get(v, i);
            cordon_query_id *q = &p->ids[p->n_ids++];
            snprintf(sub, sizeof sub, "%s.ids[%zu]", p->path, i);
            json_t *value = id;
            if (json_is_object(id)) {
                static const char *const ikeys[] = {"type", "value", NULL};
                if ((rc = check_keys(rd, id, sub, ikeys)))
                    return rc;
                json_t *t = json_object_get(id, "type");
                const char *tn = json_is_string(t) ? json_string_value(t) : "";
                q->type = CORDON_ID_TYPE_COUNT_;
                for (int k = 0; k < CORDON_ID_TYPE_COUNT_; k++)
                    if (!strcmp(tn, cordon_id_type_name((cordon_id_type)k)))
                        q->type = (cordon_id_type)k;
                if (q->type == CORDON_ID_TYPE_COUNT_)
                    return bad(rd, CORDON_EFORMAT, "%s.type: unknown identifier type", sub);
                value = json_object_get(id, "value");
                size_t n = strlen(sub);
                snprintf(sub + n, sizeof sub - n, ".value");
            }
            if ((rc = get_str(rd, value, sub, 256, &q->value, &q->len)))
                return rc;
        }
    }
    return 0;
}

static int read_goods(reader *rd, json_t *o, size_t index, cordon__goods *g)
{
    static const char *const keys[] = {"description", "hs_code", "value", "currency",
                                       "quantity", "unit", NULL};
    if (!(g->path = path_dup(rd, "goods", index, NULL)))
        return nomem(rd);
    char sub[96];
    if (!json_is_object(o))
        return bad(rd, CORDON_EFORMAT, "%s: must be an object", g->path);
    int rc = check_keys(rd, o, g->path, keys);
    if (rc)
        return rc;
    json_t *v;
    if ((v = json_object_get(o, "description"))) {
        snprintf(sub, sizeof sub, "%s.description", g->path);
        if ((rc = get_str(rd, v, sub, MAX_DESCRIPTION, &g->description, &g->description_len)))
            return rc;
    }
    if ((v = json_object_get(o, "hs_code"))) {
        snprintf(sub, sizeof sub, "%s.hs_code", g->path);
        if (json_is_number(v))
            return bad(rd, CORDON_EFORMAT, "%s: must be a string such as \"870390\" (a number "
                                           "loses leading zeros)", sub);
        if (!json_is_string(v))
            return bad(rd, CORDON_EFORMAT, "%s: must be a string such as \"870390\"", sub);
        if (cordon__hs_normalize(json_string_value(v), json_string_length(v), g->hs)) {
            char shown[40];
            snprintf(shown, sizeof shown, "%s", json_string_value(v));
            return bad(rd, CORDON_EFORMAT, "%s: \"%s\" is not an HS code (6 to 10 digits, "
                                           "chapter 01 to 97)", sub, shown);
        }
    }
    if (!g->description && !g->hs[0])
        return bad(rd, CORDON_EFORMAT, "%s: needs a description or an hs_code", g->path);
    g->quantity = 1;
    if ((v = json_object_get(o, "value"))) {
        snprintf(sub, sizeof sub, "%s.value", g->path);
        if (!json_is_number(v) || !isfinite(json_number_value(v)))
            return bad(rd, CORDON_EFORMAT, "%s: must be a number", sub);
        if (json_number_value(v) < 0)
            return bad(rd, CORDON_EFORMAT, "%s: must not be negative", sub);
        g->value = json_number_value(v);
        g->has_value = true;
    }
    if ((v = json_object_get(o, "currency"))) {
        snprintf(sub, sizeof sub, "%s.currency", g->path);
        if (!json_is_string(v) ||
            !cordon__currency_valid(json_string_value(v), json_string_length(v)))
            return bad(rd, CORDON_EFORMAT, "%s: must be an ISO 4217 code such as \"EUR\"", sub);
        if (!g->has_value)
            return bad(rd, CORDON_EFORMAT, "%s: given without a value", sub);
        memcpy(g->currency, json_string_value(v), 4);
    } else if (g->has_value) {
        return bad(rd, CORDON_EFORMAT, "%s.currency: missing: a value needs its currency",
                   g->path);
    }
    if ((v = json_object_get(o, "quantity"))) {
        snprintf(sub, sizeof sub, "%s.quantity", g->path);
        if (!json_is_number(v) || !isfinite(json_number_value(v)) || !(json_number_value(v) > 0))
            return bad(rd, CORDON_EFORMAT, "%s: must be a number above 0", sub);
        g->quantity = json_number_value(v);
    }
    if ((v = json_object_get(o, "unit"))) {
        const char *ignored;
        snprintf(sub, sizeof sub, "%s.unit", g->path);
        if ((rc = get_str(rd, v, sub, 64, &ignored, NULL)))
            return rc;
    }
    return 0;
}

static int read_root(reader *rd, json_t *root)
{
    static const char *const keys[] = {"reference", "parties", "goods", "origin", "destination",
                                       "route", "rates", "notes", NULL};
    cordon_shipment *s = rd->s;
    if (!json_is_object(root))
        return bad(rd, CORDON_EFORMAT, "a shipment must be a JSON object");
    int rc = check_keys(rd, root, "", keys);
    if (rc)
        return rc;
    json_t *v;
    if ((v = json_object_get(root, "reference")) &&
        (rc = get_str(rd, v, "reference", 256, &s->reference, NULL)))
        return rc;
    if ((v = json_object_get(root, "notes")) && !json_is_string(v))
        return bad(rd, CORDON_EFORMAT, "notes: must be a string");

    json_t *parties = json_object_get(root, "parties");
    if (!parties || (json_is_array(parties) && json_array_size(parties) == 0))
        return bad(rd, CORDON_EFORMAT,
                   "parties: missing: a shipment needs its parties (at least a shipper and a "
                   "consignee)");
    if (!json_is_array(parties))
        return bad(rd, CORDON_EFORMAT, "parties: must be an array");
    if (json_array_size(parties) > CORDON_SHIPMENT_MAX_PARTIES)
        return bad(rd, CORDON_ETOOBIG, "parties: more than %d", CORDON_SHIPMENT_MAX_PARTIES);
    s->n_parties = json_array_size(parties);
    if (!(s->parties = cordon__arena_alloc(&s->arena, s->n_parties * sizeof *s->parties)))
        return nomem(rd);
    memset(s->parties, 0, s->n_parties * sizeof *s->parties);
    bool has[CORDON__ROLE_COUNT_] = {false};
    for (size_t i = 0; i < s->n_parties; i++) {
        if ((rc = read_party(rd, json_array_get(parties, i), i, &s->parties[i])))
            return rc;
        has[s->parties[i].role] = true;
    }
    if (!has[CORDON__ROLE_SHIPPER])
        return bad(rd, CORDON_EFORMAT, "parties: missing a party with role \"shipper\"");
    if (!has[CORDON__ROLE_CONSIGNEE])
        return bad(rd, CORDON_EFORMAT, "parties: missing a party with role \"consignee\"");

    json_t *goods = json_object_get(root, "goods");
    if (!goods || (json_is_array(goods) && json_array_size(goods) == 0))
        return bad(rd, CORDON_EFORMAT, "goods: missing: a shipment needs at least one goods line");
    if (!json_is_array(goods))
        return bad(rd, CORDON_EFORMAT, "goods: must be an array");
    if (json_array_size(goods) > CORDON_SHIPMENT_MAX_GOODS)
        return bad(rd, CORDON_ETOOBIG, "goods: more than %d lines", CORDON_SHIPMENT_MAX_GOODS);
    s->n_goods = json_array_size(goods);
    if (!(s->goods = cordon__arena_alloc(&s->arena, s->n_goods * sizeof *s->goods)))
        return nomem(rd);
    memset(s->goods, 0, s->n_goods * sizeof *s->goods);
    for (size_t i = 0; i < s->n_goods; i++)
        if ((rc = read_goods(rd, json_array_get(goods, i), i, &s->goods[i])))
            return rc;

    s->origin.path = "origin";
    s->destination.path = "destination";
    if ((v = json_object_get(root, "origin")) &&
        (rc = get_place(rd, v, "origin", false, &s->origin)))
        return rc;
    if ((v = json_object_get(root, "destination")) &&
        (rc = get_place(rd, v, "destination", false, &s->destination)))
        return rc;

    if ((v = json_object_get(root, "route"))) {
        if (!json_is_array(v))
            return bad(rd, CORDON_EFORMAT, "route: must be an array of ports or places");
        if (json_array_size(v) > CORDON_SHIPMENT_MAX_ROUTE)
            return bad(rd, CORDON_ETOOBIG, "route: more than %d places", CORDON_SHIPMENT_MAX_ROUTE);
        s->n_route = json_array_size(v);
        if (s->n_route &&
            !(s->route = cordon__arena_alloc(&s->arena, s->n_route * sizeof *s->route)))
            return nomem(rd);
        for (size_t i = 0; i < s->n_route; i++) {
            cordon__where *w = &s->route[i];
            memset(w, 0, sizeof *w);
            if (!(w->path = path_dup(rd, "route", i, NULL)))
                return nomem(rd);
            if ((rc = get_str(rd, json_array_get(v, i), w->path, 1024, &w->text, NULL)))
                return rc;
            if (cordon_rules_place(rd->rules, w->text, strlen(w->text), w->code))
                w->code[0] = '\0'; /* screening notes it */
        }
    }
    if ((v = json_object_get(root, "rates")) &&
        (rc = cordon__rates_from_json(v, rd->origin, "rates", &s->rates, rd->err)))
        return rc;
    return 0;
}

int cordon_shipment_parse(const cordon_rules *rules, const char *json, size_t len,
                          const char *origin, cordon_shipment **out, cordon_error *err)
{
    if (!out || (!json && len))
        return cordon__fail(err, CORDON_EINVAL, origin, 0, 0, "invalid argument");
    *out = NULL;
    if (len > CORDON_SHIPMENT_MAX_BYTES)
        return cordon__fail(err, CORDON_ETOOBIG, origin, 0, 0, "shipment over %zu bytes",
                            CORDON_SHIPMENT_MAX_BYTES);
    if (len == 0)
        return cordon__fail(err, CORDON_EEMPTY, origin, 0, 0, "empty input: expected a shipment "
                                                              "as a JSON object");
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return cordon__fail(err, json_error_code(&jerr) == json_error_invalid_utf8 ? CORDON_EUTF8
                                                                                 : CORDON_EFORMAT,
                            origin, (unsigned long)(jerr.line > 0 ? jerr.line : 0),
                            (unsigned long)(jerr.column > 0 ? jerr.column : 0),
                            "invalid JSON: %s", jerr.text);
    cordon_shipment *s = calloc(1, sizeof *s);
    if (!s) {
        json_decref(root);
        return cordon__fail(err, CORDON_ENOMEM, origin, 0, 0, "out of memory");
    }
    cordon__arena_init(&s->arena);
    reader rd = {.s = s, .rules = rules, .origin = origin, .err = err};
    int rc = read_root(&rd, root);
    json_decref(root);
    if (rc) {
        cordon_shipment_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void cordon_shipment_free(cordon_shipment *s)
{
    if (!s)
        return;
    cordon_rates_free(s->rates);
    cordon__arena_free(&s->arena);
    free(s);
}
