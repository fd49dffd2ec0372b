/*
 * entity_json.c — one listed entity as a line of JSON (jansson), so that
 * `cordon show --json` and the server's GET /entities/ID print the same
 * bytes for the same record. Keys keep a fixed order; absent scalars are
 * null and absent lists are empty arrays, so consumers see one shape.
 */
#include "cordon_int.h"

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

static json_t *jstr(const char *s) { return s ? json_string(s) : json_null(); }

/* The date normalized as cmd_show prints it: "1984-01-08", "1984-01",
 * "1984", "circa 1960", "1960 to 1962". */
static void date_text(const cordon_date *d, char *buf, size_t n)
{
    const char *circa = (d->flags & CORDON_DATE_CIRCA) ? "circa " : "";
    if (d->flags & CORDON_DATE_RANGE)
        snprintf(buf, n, "%s%04d to %04d", circa, d->year, d->year_to);
    else if (d->day)
        snprintf(buf, n, "%s%04d-%02u-%02u", circa, d->year, d->month, d->day);
    else if (d->month)
        snprintf(buf, n, "%s%04d-%02u", circa, d->year, d->month);
    else
        snprintf(buf, n, "%s%04d", circa, d->year);
}

static json_t *strings(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, jstr(v[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *countries(const cordon_country *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_pack("{s:o,s:o}", "code",
                                               jstr(v[i].code[0] ? v[i].code : NULL),
                                               "text", jstr(v[i].text))) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* json_object_set_new that remembers any failure (NULL values included). */
static void set(json_t *o, const char *key, json_t *v, int *bad)
{
    if (!v || json_object_set_new(o, key, v) != 0)
        *bad = 1;
}

char *cordon_entity_json(const cordon_entity *e)
{
    if (!e)
        return NULL;
    json_t *o = json_object();
    if (!o)
        return NULL;
    int bad = 0;
    set(o, "id", jstr(e->id), &bad);
    set(o, "source", jstr(e->source), &bad);
    set(o, "schema", json_string(cordon_schema_name(e->schema)), &bad);

    json_t *names = json_array();
    for (size_t i = 0; names && i < e->n_names; i++)
        if (json_array_append_new(names, json_pack("{s:o,s:s}", "name", jstr(e->names[i].value),
                                                   "kind",
                                                   cordon_name_kind_name(e->names[i].kind))))
            bad = 1;
    set(o, "names", names, &bad);

    json_t *dates = json_array();
    for (size_t i = 0; dates && i < e->n_birth_dates; i++) {
        char buf[64];
        date_text(&e->birth_dates[i], buf, sizeof buf);
        if (json_array_append_new(dates, json_pack("{s:s,s:o}", "date", buf, "text",
                                                   jstr(e->birth_dates[i].text))))
            bad = 1;
    }
    set(o, "birth_dates", dates, &bad);
    set(o, "birth_places", strings(e->birth_places, e->n_birth_places), &bad);
    set(o, "nationalities", countries(e->nationalities, e->n_nationalities), &bad);
    set(o, "citizenships", countries(e->citizenships, e->n_citizenships), &bad);
    set(o, "countries", countries(e->countries, e->n_countries), &bad);
    set(o, "addresses", strings(e->addresses, e->n_addresses), &bad);

    json_t *ids = json_array();
    for (size_t i = 0; ids && i < e->n_identifiers; i++) {
        const cordon_identifier *id = &e->identifiers[i];
        if (json_array_append_new(ids, json_pack("{s:s,s:o,s:o,s:o}", "type",
                                                 cordon_id_type_name(id->type), "label",
                                                 jstr(id->label), "value", jstr(id->value),
                                                 "country", jstr(id->country))))
            bad = 1;
    }
    set(o, "identifiers", ids, &bad);
    set(o, "programs", strings(e->programs, e->n_programs), &bad);
    set(o, "gender", jstr(e->gender), &bad);
    set(o, "title", jstr(e->title), &bad);
    set(o, "listed_on", jstr(e->listed_on), &bad);
    set(o, "remarks", jstr(e->remarks), &bad);
    set(o, "origin", json_pack("{s:o,s:I}", "file", jstr(e->origin_file), "line",
                               (json_int_t)e->origin_line), &bad);

    char *s = bad ? NULL : json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s; /* jansson allocates with malloc: cordon_free frees it */
}
