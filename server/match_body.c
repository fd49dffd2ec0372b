/*
 * match_body.c — validates the body of POST /match before anything is
 * screened (match_body.h has the contract). A query is a FollowTheMoney
 * entity: a schema cordon screens, and properties that are arrays of
 * strings (a bare string is taken as one value). Every name and alias
 * is kept; without one, firstName, middleName, fatherName and lastName
 * are joined. The first birthDate and the first country-like property
 * qualify the score, and identifier properties become typed ids.
 *
 * Messages echo the caller's query key, cut to 64 bytes at a character
 * boundary, so a long key can neither crowd out the reason nor leave a
 * broken UTF-8 sequence that would make the JSON error unprintable.
 */
#include "match_body.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* FollowTheMoney schemata cordon screens, and the type each maps to. */
static const struct {
    const char *ftm;
    cordon_schema schema;
} schemata[] = {
    {"Person", CORDON_SCHEMA_PERSON},         {"Organization", CORDON_SCHEMA_ORGANIZATION},
    {"Company", CORDON_SCHEMA_ORGANIZATION},  {"LegalEntity", CORDON_SCHEMA_UNKNOWN},
    {"Vessel", CORDON_SCHEMA_VESSEL},         {"Airplane", CORDON_SCHEMA_AIRCRAFT},
};

/* FtM properties that carry identifiers. */
static const struct {
    const char *prop;
    cordon_id_type type;
} id_props[] = {
    {"imoNumber", CORDON_ID_IMO},          {"mmsi", CORDON_ID_MMSI},
    {"passportNumber", CORDON_ID_PASSPORT}, {"idNumber", CORDON_ID_NATIONAL_ID},
    {"taxNumber", CORDON_ID_TAX_ID},       {"innCode", CORDON_ID_TAX_ID},
    {"vatCode", CORDON_ID_TAX_ID},         {"registrationNumber", CORDON_ID_REGISTRATION},
    {"ogrnCode", CORDON_ID_REGISTRATION},  {"swiftBic", CORDON_ID_SWIFT_BIC},
    {"email", CORDON_ID_EMAIL},            {"website", CORDON_ID_WEBSITE},
    {"callSign", CORDON_ID_CALL_SIGN},     {"serialNumber", CORDON_ID_AIRCRAFT_SERIAL},
};

static const char *const country_props[] = {"nationality", "country", "citizenship",
                                             "jurisdiction", "flag"};

#define KEY_SHOWN 64

/* Drops a UTF-8 sequence cut short at the end of s. */
static void trim_utf8(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && n - i < 3 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (n - (i - 1) < want)
        s[i - 1] = '\0';
}

/* The length of the valid UTF-8 sequence at s, or 0 (RFC 3629: no
 * overlong forms, no surrogates, nothing past U+10FFFF). */
static size_t utf8_seq(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    unsigned char lo = 0x80, hi = 0xBF;
    size_t n;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return n;
}

/* Makes a message valid UTF-8: every byte that is not part of a valid
 * sequence becomes '?'. jansson's error text quotes the input, and the
 * input need not be UTF-8. */
static void clean_utf8(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        size_t n = utf8_seq(p);
        if (n == 0) {
            *p++ = '?';
            continue;
        }
        p += n;
    }
}

/* The query's key as messages show it. */
static void key_shown(const char *key, char *out, size_t size)
{
    size_t n = strlen(key);
    if (n < KEY_SHOWN && n < size) {
        memcpy(out, key, n + 1);
        return;
    }
    snprintf(out, size, "%.*s", KEY_SHOWN, key);
    trim_utf8(out);
    size_t m = strlen(out);
    if (m + 4 < size)
        memcpy(out + m, "...", 4);
}

/* Formats a refusal about one query: "query \"KEY\"" then the rest. */
static unsigned refuse(unsigned status, char *msg, size_t size, const char *key,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static unsigned refuse(unsigned status, char *msg, size_t size, const char *key,
                       const char *fmt, ...)
{
    char shown[KEY_SHOWN + 8];
    key_shown(key, shown, sizeof shown);
    int n = snprintf(msg, size, "query \"%s\"", shown);
    if (n > 0 && (size_t)n < size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg + n, size - (size_t)n, fmt, ap);
        va_end(ap);
    }
    trim_utf8(msg);
    clean_utf8(msg);
    return status;
}

/* The values of a property: FtM sends arrays of strings; a bare string
 * is taken as one value. Returns the number, or -1 when not strings. */
static int values(json_t *props, const char *name, json_t **arr)
{
    json_t *v = json_object_get(props, name);
    *arr = v;
    if (!v || json_is_null(v))
        return 0;
    if (json_is_string(v))
        return 1;
    if (!json_is_array(v))
        return -1;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) if (!json_is_string(x)) return -1;
    return (int)json_array_size(v);
}

static const char *value_at(json_t *arr, size_t i, size_t *len)
{
    json_t *x = json_is_string(arr) ? arr : json_array_get(arr, i);
    *len = json_string_length(x);
    return json_string_value(x);
}

/* Validates one query into q; 0, or an HTTP status with msg. */
static unsigned parse_query(const char *key, json_t *v, srv_match_query *q, char *msg,
                            size_t size)
{
    memset(q, 0, sizeof *q);
    q->key = key;
    q->echo = v;
    if (!json_is_object(v))
        return refuse(422, msg, size, key, " is not an object");
    const char *schema = json_string_value(json_object_get(v, "schema"));
    if (!schema)
        return refuse(422, msg, size, key, " has no \"schema\"");
    size_t k = 0;
    while (k < sizeof schemata / sizeof schemata[0] && strcmp(schemata[k].ftm, schema))
        k++;
    if (k == sizeof schemata / sizeof schemata[0])
        return refuse(422, msg, size, key, ": schema must be Person, Organization, Company, "
                                           "LegalEntity, Vessel or Airplane");
    q->schema = schemata[k].schema;
    json_t *props = json_object_get(v, "properties");
    if (!json_is_object(props))
        return refuse(422, msg, size, key, " has no \"properties\" object");
    json_t *arr;
    static const char *const name_props[] = {"name", "alias"};
    for (size_t p = 0; p < 2; p++) {
        int n = values(props, name_props[p], &arr);
        if (n < 0)
            return refuse(422, msg, size, key, ": %s must be an array of strings",
                          name_props[p]);
        for (int i = 0; i < n; i++) {
            if (q->n_names == SRV_MATCH_MAX_NAMES)
                return refuse(422, msg, size, key, " has more than %d names",
                              SRV_MATCH_MAX_NAMES);
            q->names[q->n_names] = value_at(arr, (size_t)i, &q->name_lens[q->n_names]);
            q->n_names++;
        }
    }
    if (q->n_names == 0) {
        /* FtM people may come as name parts only */
        static const char *const parts[] = {"firstName", "middleName", "fatherName", "lastName"};
        size_t len = 0;
        for (size_t p = 0; p < 4; p++) {
            int n = values(props, parts[p], &arr);
            if (n < 0)
                return refuse(422, msg, size, key, ": %s must be an array of strings",
                              parts[p]);
            if (n > 0) {
                size_t l;
                const char *s = value_at(arr, 0, &l);
                if (len + l + 2 > sizeof q->joined)
                    return refuse(413, msg, size, key, ": the name is too long");
                if (len)
                    q->joined[len++] = ' ';
                memcpy(q->joined + len, s, l);
                len += l;
                q->joined[len] = '\0';
            }
        }
        if (len) {
            q->names[0] = q->joined;
            q->name_lens[0] = len;
            q->n_names = 1;
        }
    }
    int n = values(props, "birthDate", &arr);
    if (n < 0)
        return refuse(422, msg, size, key, ": birthDate must be an array of strings");
    if (n > 0) {
        size_t l;
        const char *s = value_at(arr, 0, &l);
        if (cordon_date_parse(s, l, &q->dob) != 0)
            return refuse(422, msg, size, key, ": birthDate is not a date");
        q->has_dob = 1;
    }
    for (size_t p = 0; p < sizeof country_props / sizeof country_props[0] && !q->country; p++) {
        n = values(props, country_props[p], &arr);
        if (n < 0)
            return refuse(422, msg, size, key, ": %s must be an array of strings",
                          country_props[p]);
        if (n > 0) {
            size_t l;
            const char *s = value_at(arr, 0, &l);
            if (l == 2 && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1])) {
                q->country_code[0] = (char)toupper((unsigned char)s[0]);
                q->country_code[1] = (char)toupper((unsigned char)s[1]);
                s = q->country_code;
            }
            char cc[3];
            if (cordon_country_lookup(s, l, cc) != 0)
                return refuse(422, msg, size, key, ": %s is not a known country",
                              country_props[p]);
            q->country = s;
            q->country_len = l;
        }
    }
    for (size_t p = 0; p < sizeof id_props / sizeof id_props[0]; p++) {
        n = values(props, id_props[p].prop, &arr);
        if (n < 0)
            return refuse(422, msg, size, key, ": %s must be an array of strings",
                          id_props[p].prop);
        for (int i = 0; i < n; i++) {
            if (q->n_ids == CORDON_QUERY_MAX_IDS)
                return refuse(422, msg, size, key, " has more than %d identifiers",
                              CORDON_QUERY_MAX_IDS);
            cordon_query_id *id = &q->ids[q->n_ids++];
            id->type = id_props[p].type;
            id->value = value_at(arr, (size_t)i, &id->len);
        }
    }
    if (q->n_names == 0 && q->n_ids == 0)
        return refuse(422, msg, size, key, " has no name and no identifier");
    return 0;
}

unsigned srv_match_body_parse(const char *body, size_t len, srv_match_body *out, char *msg,
                              size_t size)
{
    memset(out, 0, sizeof *out);
    if (!len) {
        snprintf(msg, size, "the body must be JSON: {\"queries\": {...}}");
        return 400;
    }
    json_error_t jerr;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        snprintf(msg, size, "malformed JSON at line %d column %d: %s", jerr.line, jerr.column,
                 jerr.text);
        clean_utf8(msg);
        return 400;
    }
    json_t *queries = json_object_get(root, "queries");
    if (!json_is_object(root) || !json_is_object(queries)) {
        json_decref(root);
        snprintf(msg, size, "the body must be an object with a \"queries\" object");
        return 422;
    }
    size_t n = json_object_size(queries);
    if (n == 0 || n > SRV_MATCH_MAX_QUERIES) {
        json_decref(root);
        snprintf(msg, size, "send 1 to %d queries per call (got %zu)", SRV_MATCH_MAX_QUERIES,
                 n);
        return n ? 413 : 422;
    }
    srv_match_query *qs = malloc(n * sizeof *qs);
    if (!qs) {
        json_decref(root);
        snprintf(msg, size, "out of memory");
        return 500;
    }
    size_t k = 0;
    const char *key;
    json_t *v;
    json_object_foreach(queries, key, v)
    {
        unsigned status = parse_query(key, v, &qs[k], msg, size);
        if (status) {
            free(qs);
            json_decref(root);
            return status;
        }
        k++;
    }
    out->root = root;
    out->queries = qs;
    out->n = k;
    return 0;
}

void srv_match_body_free(srv_match_body *b)
{
    if (!b)
        return;
    free(b->queries);
    json_decref(b->root);
    memset(b, 0, sizeof *b);
}
