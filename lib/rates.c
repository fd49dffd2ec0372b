/*
 * rates.c — exchange-rate tables for the value thresholds of goods
 * rules ("motor cars of a value exceeding EUR 50 000").
 *
 * A table has the ECB's form: a base currency and, per currency, how
 * many units of it one unit of the base buys. Any two currencies of one
 * table convert through the base. Rates come with the shipment or from
 * a file the caller names; cordon ships none, because a rate is only
 * right for a date.
 */
#include "shipment_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

bool cordon__currency_valid(const char *s, size_t len)
{
    if (len != 3)
        return false;
    for (size_t i = 0; i < 3; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return false;
    return true;
}

int cordon__rates_from_json(const json_t *obj, const char *origin, const char *path,
                            cordon_rates **out, cordon_error *err)
{
    *out = NULL;
    if (!json_is_object(obj))
        return cordon__fail(err, CORDON_EFORMAT, origin, 0, 0,
                            "%s: must be an object {\"base\": \"EUR\", \"rates\": {...}}", path);
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        if (strcmp(key, "base") && strcmp(key, "rates") && strcmp(key, "date"))
            return cordon__fail(err, CORDON_EFORMAT, origin, 0, 0,
                                "%s.%s: unknown field (expected base, date, rates)", path, key);
    }
    json_t *base = json_object_get(obj, "base");
    json_t *table = json_object_get(obj, "rates");
    json_t *date = json_object_get(obj, "date");
    if (!json_is_string(base) ||
        !cordon__currency_valid(json_string_value(base), json_string_length(base)))
        return cordon__fail(err, CORDON_EFORMAT, origin, 0, 0,
                            "%s.base: must be a currency code such as \"EUR\"", path);
    if (!json_is_object(table))
        return cordon__fail(err, CORDON_EFORMAT, origin, 0, 0,
                            "%s.rates: must be an object of currency codes to rates", path);
    if (date && !json_is_string(date))
        return cordon__fail(err, CORDON_EFORMAT, origin, 0, 0, "%s.date: must be a string", path);
    size_t n = json_object_size(table);
    if (n > 1024)
        return cordon__fail(err, CORDON_ETOOBIG, origin, 0, 0, "%s.rates: more than 1024 rates",
                            path);
    cordon_rates *r = calloc(1, sizeof *r);
    if (!r)
        return cordon__fail(err, CORDON_ENOMEM, origin, 0, 0, "out of memory");
    cordon__arena_init(&r->arena);
    r->items = cordon__arena_alloc(&r->arena, (n + 1) * sizeof *r->items);
    if (!r->items)
        goto nomem;
    memcpy(r->base, json_string_value(base), 4);
    if (date && !(r->date = cordon__arena_strndup(&r->arena, json_string_value(date),
                                                 json_string_length(date))))
        goto nomem;
    json_object_foreach(table, key, v) {
        if (!cordon__currency_valid(key, strlen(key))) {
            cordon_rates_free(r);
            return cordon__fail(err, CORDON_EFORMAT, origin, 0, 0,
                                "%s.rates.%s: not a currency code (three capital letters)", path,
                                key);
        }
        double rate = json_is_number(v) ? json_number_value(v) : -1;
        if (!(rate > 0) || !isfinite(rate)) {
            cordon_rates_free(r);
            return cordon__fail(err, CORDON_EFORMAT, origin, 0, 0,
                                "%s.rates.%s: must be a positive number", path, key);
        }
        cordon__rate *it = &r->items[r->n++];
        memcpy(it->code, key, 4);
        it->per_base = rate;
    }
    *out = r;
    return 0;
nomem:
    cordon_rates_free(r);
    return cordon__fail(err, CORDON_ENOMEM, origin, 0, 0, "out of memory");
}

int cordon_rates_parse(const char *text, size_t len, const char *origin, cordon_rates **out,
                       cordon_error *err)
{
    if (!out || (!text && len))
        return cordon__fail(err, CORDON_EINVAL, origin, 0, 0, "invalid argument");
    *out = NULL;
    if (len > CORDON_RULES_MAX_BYTES)
        return cordon__fail(err, CORDON_ETOOBIG, origin, 0, 0, "rates over %zu bytes",
                            CORDON_RULES_MAX_BYTES);
    json_error_t jerr;
    json_t *root = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return cordon__fail(err, json_error_code(&jerr) == json_error_invalid_utf8 ? CORDON_EUTF8
                                                                                 : CORDON_EFORMAT,
                            origin, (unsigned long)(jerr.line > 0 ? jerr.line : 0),
                            (unsigned long)(jerr.column > 0 ? jerr.column : 0),
                            "invalid JSON: %s", jerr.text);
    int rc = cordon__rates_from_json(root, origin, "rates", out, err);
    json_decref(root);
    return rc;
}

int cordon_rates_read(const char *path, cordon_rates **out, cordon_error *err)
{
    if (!path || !out)
        return cordon__fail(err, CORDON_EINVAL, path, 0, 0, "invalid argument");
    *out = NULL;
    char *text;
    size_t len;
    int rc = cordon__read_file(path, &text, &len, err);
    if (rc)
        return rc;
    rc = cordon_rates_parse(text, len, path, out, err);
    free(text);
    return rc;
}

void cordon_rates_free(cordon_rates *rates)
{
    if (!rates)
        return;
    cordon__arena_free(&rates->arena);
    free(rates);
}

/* Units of `code` for one unit of the base, or 0 when unknown. */
static double per_base(const cordon_rates *r, const char *code)
{
    if (!strcmp(code, r->base))
        return 1.0;
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->items[i].code, code))
            return r->items[i].per_base;
    return 0.0;
}

int cordon_rates_convert(const cordon_rates *rates, double amount, const char *from,
                         const char *to, double *out)
{
    if (!from || !to || !out)
        return CORDON_EINVAL;
    if (!strcmp(from, to)) {
        *out = amount;
        return 0;
    }
    if (!rates)
        return CORDON_ENOTFOUND;
    double f = per_base(rates, from), t = per_base(rates, to);
    if (f <= 0 || t <= 0)
        return CORDON_ENOTFOUND;
    *out = amount / f * t;
    return 0;
}
