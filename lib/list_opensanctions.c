/*
 * list_opensanctions.c — OpenSanctions exports: the flat targets.simple.csv
 * and FollowTheMoney (FtM) entities as JSON lines. Both describe the same
 * FtM entities, so they share the schema and country mapping.
 *
 * targets.simple.csv: a header (id, schema, name, aliases, birth_date,
 * countries, addresses, identifiers, sanctions, phones, emails,
 * [program_ids,] dataset, first_seen, last_seen, last_change) and one row
 * per target. Multi-valued cells are themselves ';'-separated CSV, so a
 * value holding ';' is quoted inside the cell. The file prints no
 * publication date; the latest last_seen stands in for it. The export
 * merges nationality, citizenship and jurisdiction into "countries", so
 * they become countries; "identifiers" lose their kind, except IMO
 * numbers, which show it ("IMO9253325"); "sanctions" texts become
 * remarks and "program_ids" programs; phones, dataset and dates of
 * first/last sight are not kept.
 *
 * FtM JSON lines: one {"id", "schema", "properties": {prop: [values]}}
 * object a line (jansson). Things (Person, Organization, Company,
 * PublicBody, LegalEntity, Vessel, Airplane, ...) become entities; the
 * detail records that point at them are folded in after every line is
 * read, whatever the order: Sanction (program, listing date, reason),
 * Passport and Identification (holder -> identifier) and Address
 * (addressEntity -> address text). Relationship records (Ownership,
 * Family, ...) and entities marked "target": false are skipped and
 * counted in a warning. LegalEntity, which FtM uses when a list does not
 * say whether a party is a person or a company, maps to
 * CORDON_SCHEMA_UNKNOWN.
 */
#include "cordon_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct part {
    const char *s;
    size_t len;
} part;

static part trimmed(const char *s, size_t len)
{
    len = cordon__trim(&s, len);
    return (part){s, len};
}

/* ---- shared FtM mapping ------------------------------------------- */

static const struct {
    const char *name;
    cordon_schema schema;
} ftm_schemas[] = {
    {"Person", CORDON_SCHEMA_PERSON},
    {"Organization", CORDON_SCHEMA_ORGANIZATION},
    {"Company", CORDON_SCHEMA_ORGANIZATION},
    {"PublicBody", CORDON_SCHEMA_ORGANIZATION},
    {"LegalEntity", CORDON_SCHEMA_UNKNOWN},
    {"Vessel", CORDON_SCHEMA_VESSEL},
    {"Airplane", CORDON_SCHEMA_AIRCRAFT},
    {"Vehicle", CORDON_SCHEMA_UNKNOWN},
    {"Security", CORDON_SCHEMA_UNKNOWN},
    {"CryptoWallet", CORDON_SCHEMA_UNKNOWN},
};

/* True when the schema names a listed party; *schema gets its type. */
static bool ftm_thing(part name, cordon_schema *schema)
{
    for (size_t i = 0; i < sizeof ftm_schemas / sizeof ftm_schemas[0]; i++)
        if (name.len == strlen(ftm_schemas[i].name) &&
            memcmp(name.s, ftm_schemas[i].name, name.len) == 0) {
            *schema = ftm_schemas[i].schema;
            return true;
        }
    return false;
}

/* FtM writes countries as lower-case ISO codes ("ru"), which the country
 * table reads only in upper case. */
static int add_country_code(cordon__loader *ld, cordon__entity_b *e, part c,
                            int (*fn)(cordon__loader *, cordon__entity_b *, const char *,
                                      size_t))
{
    char up[2];
    if (c.len == 2 && c.s[0] >= 'a' && c.s[0] <= 'z' && c.s[1] >= 'a' && c.s[1] <= 'z') {
        up[0] = (char)(c.s[0] - 32);
        up[1] = (char)(c.s[1] - 32);
        return fn(ld, e, up, 2);
    }
    return fn(ld, e, c.s, c.len);
}

/* "IMO9253325", "IMO 9253325" -> "9253325". */
static part strip_imo(part v)
{
    if (v.len > 3 && strncasecmp(v.s, "IMO", 3) == 0)
        return trimmed(v.s + 3, v.len - 3);
    return v;
}

/* ---- targets.simple.csv ------------------------------------------- */

enum {
    S_ID, S_SCHEMA, S_NAME, S_ALIASES, S_BIRTH_DATE, S_COUNTRIES, S_ADDRESSES,
    S_IDENTIFIERS, S_SANCTIONS, S_EMAILS, S_PROGRAM_IDS, S_LAST_SEEN, S_COUNT
};

static const struct {
    const char *name;
    bool required;
} simple_columns[S_COUNT] = {
    [S_ID] = {"id", true},
    [S_SCHEMA] = {"schema", true},
    [S_NAME] = {"name", true},
    [S_ALIASES] = {"aliases", false},
    [S_BIRTH_DATE] = {"birth_date", false},
    [S_COUNTRIES] = {"countries", false},
    [S_ADDRESSES] = {"addresses", false},
    [S_IDENTIFIERS] = {"identifiers", false},
    [S_SANCTIONS] = {"sanctions", false},
    [S_EMAILS] = {"emails", false},
    [S_PROGRAM_IDS] = {"program_ids", false},
    [S_LAST_SEEN] = {"last_seen", false},
};

typedef struct simple {
    cordon__loader *ld;
    long col[S_COUNT];
    size_t n_header;
    char last_seen[11]; /* latest "YYYY-MM-DD" */
    unsigned long line;
} simple;

typedef int (*value_fn)(simple *s, cordon__entity_b *e, part v);

/* Calls fn for each value of a ';'-separated cell, unquoting values that
 * hold ';' or '"'. */
static int each_value(simple *s, cordon__entity_b *e, part cell, value_fn fn)
{
    if (!cell.len)
        return 0;
    if (!memchr(cell.s, '"', cell.len)) {
        size_t pos = 0;
        while (pos <= cell.len) {
            const char *semi = memchr(cell.s + pos, ';', cell.len - pos);
            size_t end = semi ? (size_t)(semi - cell.s) : cell.len;
            part v = trimmed(cell.s + pos, end - pos);
            if (v.len) {
                int rc = fn(s, e, v);
                if (rc)
                    return rc;
            }
            pos = end + 1;
        }
        return 0;
    }
    cordon__csv c;
    cordon__csv_init(&c, cell.s, cell.len, ';');
    const cordon__csv_field *f;
    size_t n;
    unsigned long col;
    int rc = 0, got;
    while (!rc && (got = cordon__csv_next(&c, &f, &n, &col)) != 0) {
        if (got < 0) {
            rc = cordon__loader_fail(s->ld, got == CORDON_ENOMEM ? got : CORDON_EFORMAT,
                                     s->line, 0, "malformed quoting inside a multi-value cell");
            break;
        }
        for (size_t i = 0; !rc && i < n; i++) {
            part v = trimmed(f[i].s, f[i].len);
            if (v.len)
                rc = fn(s, e, v);
        }
    }
    cordon__csv_free(&c);
    return rc;
}

static int v_alias(simple *s, cordon__entity_b *e, part v)
{
    return cordon__entity_add_name(s->ld, e, v.s, v.len, CORDON_NAME_STRONG);
}
static int v_birth(simple *s, cordon__entity_b *e, part v)
{
    return cordon__entity_add_birth_date(s->ld, e, v.s, v.len);
}
static int v_country(simple *s, cordon__entity_b *e, part v)
{
    return add_country_code(s->ld, e, v, cordon__entity_add_country);
}
static int v_address(simple *s, cordon__entity_b *e, part v)
{
    return cordon__entity_add_address(s->ld, e, v.s, v.len);
}
static int v_identifier(simple *s, cordon__entity_b *e, part v)
{
    /* The simple export drops the identifier's kind; IMO numbers show it. */
    if (v.len == 10 && strncasecmp(v.s, "IMO", 3) == 0) {
        part n = strip_imo(v);
        return cordon__entity_add_identifier(s->ld, e, CORDON_ID_IMO, "IMO", 3, n.s, n.len,
                                             NULL, 0);
    }
    return cordon__entity_add_identifier(s->ld, e, CORDON_ID_OTHER, NULL, 0, v.s, v.len, NULL, 0);
}
static int v_sanction(simple *s, cordon__entity_b *e, part v)
{
    return cordon__entity_add_remarks(s->ld, e, v.s, v.len);
}
static int v_email(simple *s, cordon__entity_b *e, part v)
{
    return cordon__entity_add_identifier(s->ld, e, CORDON_ID_EMAIL, NULL, 0, v.s, v.len, NULL,
                                         0);
}
static int v_program(simple *s, cordon__entity_b *e, part v)
{
    return cordon__entity_add_program(s->ld, e, v.s, v.len);
}

static part scell(const simple *s, const cordon__csv_field *f, int k)
{
    long i = s->col[k];
    return i < 0 ? (part){"", 0} : trimmed(f[i].s, f[i].len);
}

static int simple_row(simple *s, const cordon__csv_field *f)
{
    cordon__loader *ld = s->ld;
    part id = scell(s, f, S_ID);
    part sch = scell(s, f, S_SCHEMA);
    cordon_schema schema = CORDON_SCHEMA_UNKNOWN;
    ftm_thing(sch, &schema);
    cordon__entity_b *e;
    int rc = cordon__entity_begin(ld, id.s, id.len, schema, s->line, &e);
    part name = scell(s, f, S_NAME);
    if (!rc && !name.len)
        rc = cordon__loader_fail(ld, CORDON_EFORMAT, s->line, 0, "line %lu has no name",
                                 s->line);
    if (!rc)
        rc = cordon__entity_add_name(ld, e, name.s, name.len, CORDON_NAME_PRIMARY);
    static const struct {
        int col;
        value_fn fn;
    } map[] = {
        {S_ALIASES, v_alias},         {S_BIRTH_DATE, v_birth},   {S_COUNTRIES, v_country},
        {S_ADDRESSES, v_address},     {S_IDENTIFIERS, v_identifier},
        {S_SANCTIONS, v_sanction},    {S_EMAILS, v_email},       {S_PROGRAM_IDS, v_program},
    };
    for (size_t i = 0; !rc && i < sizeof map / sizeof map[0]; i++)
        rc = each_value(s, e, scell(s, f, map[i].col), map[i].fn);
    part seen = scell(s, f, S_LAST_SEEN);
    if (!rc && seen.len >= 10 && memcmp(seen.s, s->last_seen, 10) > 0) {
        memcpy(s->last_seen, seen.s, 10);
        s->last_seen[10] = '\0';
    }
    if (rc && ld->err && ld->err->line == 0)
        ld->err->line = s->line;
    return rc;
}

static int simple_header(simple *s, const cordon__csv_field *f, size_t n)
{
    for (int k = 0; k < S_COUNT; k++)
        s->col[k] = -1;
    for (size_t i = 0; i < n; i++) {
        part h = trimmed(f[i].s, f[i].len);
        for (int k = 0; k < S_COUNT; k++)
            if (s->col[k] < 0 && cordon__ieq(h.s, h.len, simple_columns[k].name))
                s->col[k] = (long)i;
    }
    for (int k = 0; k < S_COUNT; k++)
        if (simple_columns[k].required && s->col[k] < 0)
            return cordon__loader_fail(s->ld, CORDON_EFORMAT, s->line, 0,
                                       "missing header column \"%s\" (not an OpenSanctions "
                                       "targets.simple.csv?)",
                                       simple_columns[k].name);
    s->n_header = n;
    return 0;
}

int cordon__parse_os_simple_csv(cordon__loader *ld)
{
    simple s = {.ld = ld};
    char *data;
    size_t len;
    int rc = cordon__read_file(ld->file, &data, &len, ld->err);
    if (rc)
        return rc;
    if (len == 0) {
        free(data);
        return cordon__loader_fail(ld, CORDON_EEMPTY, 0, 0, "empty file");
    }
    cordon__csv c;
    cordon__csv_init(&c, data, len, ',');
    const cordon__csv_field *f;
    size_t n;
    unsigned long col;
    bool header = false;
    while (!rc) {
        int got = cordon__csv_next(&c, &f, &n, &col);
        if (got == 0)
            break;
        s.line = c.line;
        if (got < 0) {
            rc = cordon__loader_fail(ld, got, c.line, col, "%s",
                                     got == CORDON_ENOMEM ? "out of memory"
                                     : got == CORDON_ETOOBIG ? "too many fields"
                                                             : "malformed CSV quoting");
        } else if (!header) {
            rc = simple_header(&s, f, n);
            header = true;
        } else if (n != s.n_header) {
            rc = cordon__loader_fail(ld, CORDON_EFORMAT, c.line, 0,
                                     "line %lu has %zu fields, the header has %zu", c.line, n,
                                     s.n_header);
        } else {
            rc = simple_row(&s, f);
        }
    }
    cordon__csv_free(&c);
    free(data);
    if (!rc && !header)
        rc = cordon__loader_fail(ld, CORDON_EEMPTY, 0, 0, "no header row");
    if (!rc && s.last_seen[0])
        rc = cordon__loader_set_published(ld, s.last_seen, strlen(s.last_seen));
    return rc;
}

/* ---- FtM JSON lines ----------------------------------------------- */

/* A line longer than this is refused before jansson sees it. */
#define FTM_MAX_LINE ((size_t)16 << 20)

typedef struct ftm {
    cordon__loader *ld;
    unsigned long line;
    cordon__vec details;      /* detail: records folded in after all lines */
    cordon__strmap addresses; /* Address id -> json_t* (held by details) */
    size_t skipped_links, skipped_nontargets, dangling;
} ftm;

typedef enum detail_kind { D_SANCTION, D_DOCUMENT, D_ADDRESS, D_ADDRESS_REFS } detail_kind;

typedef struct detail {
    json_t *obj;              /* a reference held until the load ends */
    unsigned long line;
    detail_kind kind;
    cordon__entity_b *e;      /* D_ADDRESS_REFS: the thing that points */
} detail;

typedef int (*prop_fn)(ftm *m, cordon__entity_b *e, part v);

static int p_name(ftm *m, cordon__entity_b *e, part v)
{
    return cordon__entity_add_name(m->ld, e, v.s, v.len, CORDON_NAME_PRIMARY);
}
static int p_alias(ftm *m, cordon__entity_b *e, part v)
{
    return cordon__entity_add_name(m->ld, e, v.s, v.len, CORDON_NAME_STRONG);
}
static int p_weak(ftm *m, cordon__entity_b *e, part v)
{
    return cordon__entity_add_name(m->ld, e, v.s, v.len, CORDON_NAME_WEAK);
}
static int p_former(ftm *m, cordon__entity_b *e, part v)
{
    return cordon__entity_add_name(m->ld, e, v.s, v.len, CORDON_NAME_FORMER);
}
static int p_birth_date(ftm *m, cordon__entity_b *e, part v)
{
    return cordon__entity_add_birth_date(m->ld, e, v.s, v.len);
}
static int p_birth_place(ftm *m, cordon__entity_b *e, part v)
{
    return cordon__entity_add_birth_place(m->ld, e, v.s, v.len);
}
static int p_nationality(ftm *m, cordon__entity_b *e, part v)
{
    return add_country_code(m->ld, e, v, cordon__entity_add_nationality);
}
static int p_citizenship(ftm *m, cordon__entity_b *e, part v)
{
    return add_country_code(m->ld, e, v, cordon__entity_add_citizenship);
}
static int p_country(ftm *m, cordon__entity_b *e, part v)
{
    return add_country_code(m->ld, e, v, cordon__entity_add_country);
}
static int p_address(ftm *m, cordon__entity_b *e, part v)
{
    return cordon__entity_add_address(m->ld, e, v.s, v.len);
}
static int p_gender(ftm *m, cordon__entity_b *e, part v)
{
    /* FtM writes "male"/"female"; the lists' own spelling is capitalised. */
    if (cordon__ieq(v.s, v.len, "male"))
        v = (part){"Male", 4};
    else if (cordon__ieq(v.s, v.len, "female"))
        v = (part){"Female", 6};
    return cordon__entity_set_gender(m->ld, e, v.s, v.len);
}
static int p_title(ftm *m, cordon__entity_b *e, part v)
{
    return cordon__entity_add_title(m->ld, e, v.s, v.len);
}
static int p_remarks(ftm *m, cordon__entity_b *e, part v)
{
    return cordon__entity_add_remarks(m->ld, e, v.s, v.len);
}
static int p_program(ftm *m, cordon__entity_b *e, part v)
{
    return cordon__entity_add_program(m->ld, e, v.s, v.len);
}

static const struct {
    const char *prop;
    prop_fn fn;
} props[] = {
    {"name", p_name},           {"alias", p_alias},
    {"weakAlias", p_weak},      {"previousName", p_former},
    {"birthDate", p_birth_date}, {"birthPlace", p_birth_place},
    {"nationality", p_nationality}, {"citizenship", p_citizenship},
    {"country", p_country},     {"jurisdiction", p_country},
    {"flag", p_country},        {"mainCountry", p_country},
    {"address", p_address},     {"gender", p_gender},
    {"position", p_title},      {"title", p_title},
    {"notes", p_remarks},       {"summary", p_remarks},
    {"program", p_program},     {"programId", p_program},
};

static const struct {
    const char *prop;
    cordon_id_type type;
} id_props[] = {
    {"passportNumber", CORDON_ID_PASSPORT},   {"idNumber", CORDON_ID_NATIONAL_ID},
    {"taxNumber", CORDON_ID_TAX_ID},          {"innCode", CORDON_ID_TAX_ID},
    {"vatCode", CORDON_ID_TAX_ID},            {"registrationNumber", CORDON_ID_REGISTRATION},
    {"ogrnCode", CORDON_ID_REGISTRATION},     {"leiCode", CORDON_ID_REGISTRATION},
    {"dunsCode", CORDON_ID_REGISTRATION},     {"imoNumber", CORDON_ID_IMO},
    {"mmsi", CORDON_ID_MMSI},                 {"callSign", CORDON_ID_CALL_SIGN},
    {"swiftBic", CORDON_ID_SWIFT_BIC},        {"email", CORDON_ID_EMAIL},
    {"website", CORDON_ID_WEBSITE},           {"serialNumber", CORDON_ID_AIRCRAFT_SERIAL},
};

/* The string values of a property (non-strings, such as the nested
 * entities of some exports, are skipped). */
#define EACH_STRING(var, arr)                                                     \
    for (size_t var##_i = 0; var##_i < json_array_size(arr); var##_i++)           \
        for (json_t *var##_j = json_array_get(arr, var##_i); json_is_string(var##_j); \
             var##_j = NULL)                                                      \
            for (part var = {json_string_value(var##_j), json_string_length(var##_j)}; \
                 var.s; var.s = NULL)

static part first_string(json_t *props_obj, const char *key)
{
    json_t *arr = json_object_get(props_obj, key);
    EACH_STRING(v, arr) return trimmed(v.s, v.len);
    return (part){NULL, 0};
}

static int fail_line(ftm *m, int rc)
{
    if (rc && m->ld->err && m->ld->err->line == 0)
        m->ld->err->line = m->line;
    return rc;
}

static int keep_detail(ftm *m, json_t *obj, detail_kind kind, cordon__entity_b *e);

static int add_thing(ftm *m, part id, cordon_schema schema, json_t *obj, json_t *p)
{
    cordon__loader *ld = m->ld;
    cordon__entity_b *e;
    int rc = cordon__entity_begin(ld, id.s, id.len, schema, m->line, &e);
    if (rc)
        return rc;
    /* The first "name" is the primary one; later ones are aliases. */
    bool named = false;
    EACH_STRING(v, json_object_get(p, "name")) {
        rc = cordon__entity_add_name(ld, e, v.s, v.len,
                                     named ? CORDON_NAME_STRONG : CORDON_NAME_PRIMARY);
        if (rc)
            return rc;
        named = named || trimmed(v.s, v.len).len;
    }
    if (!named) { /* a person given only by name parts */
        part first = first_string(p, "firstName"), last = first_string(p, "lastName");
        if (first.len || last.len) {
            cordon__buf b = {0};
            int brc = cordon__buf_printf(&b, "%.*s%s%.*s", (int)last.len, last.s ? last.s : "",
                                         first.len && last.len ? ", " : "", (int)first.len,
                                         first.s ? first.s : "");
            rc = brc ? cordon__loader_fail(ld, CORDON_ENOMEM, m->line, 0, "out of memory")
                     : cordon__entity_add_name(ld, e, b.data, b.len, CORDON_NAME_PRIMARY);
            cordon__buf_free(&b);
            if (rc)
                return rc;
        }
    }
    for (size_t k = 1; k < sizeof props / sizeof props[0]; k++) /* [0] is name */
        EACH_STRING(v, json_object_get(p, props[k].prop)) {
            rc = props[k].fn(m, e, v);
            if (rc)
                return rc;
        }
    for (size_t k = 0; k < sizeof id_props / sizeof id_props[0]; k++)
        EACH_STRING(v, json_object_get(p, id_props[k].prop)) {
            cordon_id_type type = id_props[k].type;
            if (type == CORDON_ID_AIRCRAFT_SERIAL && schema != CORDON_SCHEMA_AIRCRAFT)
                type = CORDON_ID_OTHER;
            part val = type == CORDON_ID_IMO ? strip_imo(trimmed(v.s, v.len)) : v;
            rc = cordon__entity_add_identifier(ld, e, type, id_props[k].prop,
                                               strlen(id_props[k].prop), val.s, val.len, NULL, 0);
            if (rc)
                return rc;
        }
    /* Address records may come later in the file: resolve at the end. */
    if (json_array_size(json_object_get(p, "addressEntity")))
        return keep_detail(m, obj, D_ADDRESS_REFS, e);
    return 0;
}

static int keep_detail(ftm *m, json_t *obj, detail_kind kind, cordon__entity_b *e)
{
    detail *d = cordon__vec_push(&m->details, sizeof *d);
    if (!d)
        return cordon__loader_fail(m->ld, CORDON_ENOMEM, m->line, 0, "out of memory");
    d->obj = json_incref(obj);
    d->line = m->line;
    d->kind = kind;
    d->e = e;
    return 0;
}

static int ftm_line(ftm *m, const char *s, size_t len)
{
    cordon__loader *ld = m->ld;
    json_error_t jerr;
    json_t *obj = json_loadb(s, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!obj)
        return cordon__loader_fail(ld, CORDON_EFORMAT, m->line,
                                   jerr.column > 0 ? (unsigned long)jerr.column : 0,
                                   "malformed JSON: %s", jerr.text);
    int rc = 0;
    json_t *jid = json_object_get(obj, "id"), *jschema = json_object_get(obj, "schema");
    json_t *p = json_object_get(obj, "properties");
    if (!json_is_object(obj) || !json_is_string(jid) || !json_is_string(jschema)) {
        rc = cordon__loader_fail(ld, CORDON_EFORMAT, m->line, 0,
                                 "not an FtM entity: a line must be an object with string "
                                 "\"id\" and \"schema\"");
        goto out;
    }
    if (p && !json_is_object(p)) {
        rc = cordon__loader_fail(ld, CORDON_EFORMAT, m->line, 0,
                                 "\"properties\" of entity \"%.80s\" is not an object",
                                 json_string_value(jid));
        goto out;
    }
    part id = {json_string_value(jid), json_string_length(jid)};
    part schema_name = {json_string_value(jschema), json_string_length(jschema)};
    json_t *target = json_object_get(obj, "target");
    cordon_schema schema;
    if (ftm_thing(schema_name, &schema)) {
        if (json_is_false(target))
            m->skipped_nontargets++;
        else
            rc = add_thing(m, id, schema, obj, p);
    } else if (cordon__ieq(schema_name.s, schema_name.len, "Sanction")) {
        rc = keep_detail(m, obj, D_SANCTION, NULL);
    } else if (cordon__ieq(schema_name.s, schema_name.len, "Passport") ||
               cordon__ieq(schema_name.s, schema_name.len, "Identification")) {
        rc = keep_detail(m, obj, D_DOCUMENT, NULL);
    } else if (cordon__ieq(schema_name.s, schema_name.len, "Address")) {
        /* The key lives in obj, which the detail keeps alive. */
        rc = keep_detail(m, obj, D_ADDRESS, NULL);
        if (!rc && cordon__strmap_put(&m->addresses, id.s, id.len, obj))
            rc = cordon__loader_fail(ld, CORDON_ENOMEM, m->line, 0, "out of memory");
    } else {
        m->skipped_links++;
    }
out:
    json_decref(obj);
    return fail_line(m, rc);
}

/* The text of an Address record: its "full" form, or its parts. */
static int address_text(json_t *addr, cordon__buf *b)
{
    json_t *p = json_object_get(addr, "properties");
    part full = first_string(p, "full");
    if (full.len)
        return cordon__buf_append(b, full.s, full.len);
    static const char *const parts[] = {"street", "street2", "city", "postalCode", "region",
                                        "country"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        part v = first_string(p, parts[i]);
        if (!v.len)
            continue;
        if ((b->len && cordon__buf_append(b, ", ", 2)) || cordon__buf_append(b, v.s, v.len))
            return CORDON_ENOMEM;
    }
    return 0;
}

static int apply_address_refs(ftm *m, const detail *d)
{
    json_t *p = json_object_get(d->obj, "properties");
    EACH_STRING(ref, json_object_get(p, "addressEntity")) {
        json_t *addr = cordon__strmap_get(&m->addresses, ref.s, ref.len);
        if (!addr) {
            m->dangling++;
            continue;
        }
        cordon__buf b = {0};
        int rc = address_text(addr, &b)
                     ? cordon__loader_fail(m->ld, CORDON_ENOMEM, d->line, 0, "out of memory")
                     : cordon__entity_add_address(m->ld, d->e, b.data, b.len);
        cordon__buf_free(&b);
        if (rc)
            return fail_line(m, rc);
    }
    return 0;
}

/* Folds a Sanction, Passport or Identification into the entities it
 * points at (entity / holder). */
static int apply_detail(ftm *m, const detail *d)
{
    cordon__loader *ld = m->ld;
    m->line = d->line;
    if (d->kind == D_ADDRESS)
        return 0;
    if (d->kind == D_ADDRESS_REFS)
        return apply_address_refs(m, d);
    json_t *obj = d->obj;
    const char *schema = json_string_value(json_object_get(obj, "schema"));
    json_t *p = json_object_get(obj, "properties");
    bool sanction = d->kind == D_SANCTION;
    bool passport = cordon__ieq(schema, strlen(schema), "Passport");
    int rc = 0;
    EACH_STRING(ref, json_object_get(p, sanction ? "entity" : "holder")) {
        cordon__entity_b *e = cordon__entity_lookup(ld, ref.s, ref.len);
        if (!e) {
            m->dangling++;
            continue;
        }
        if (sanction) {
            static const char *const to_program[] = {"program", "programId"};
            for (size_t k = 0; k < 2; k++)
                EACH_STRING(v, json_object_get(p, to_program[k])) {
                    if ((rc = cordon__entity_add_program(ld, e, v.s, v.len)))
                        return fail_line(m, rc);
                }
            EACH_STRING(v, json_object_get(p, "reason")) {
                if ((rc = cordon__entity_add_remarks(ld, e, v.s, v.len)))
                    return fail_line(m, rc);
            }
            part listed = first_string(p, "listingDate");
            if (!listed.s)
                listed = first_string(p, "startDate");
            if (listed.s && (rc = cordon__entity_set_listed_on(ld, e, listed.s, listed.len)))
                return fail_line(m, rc);
        } else {
            part country = first_string(p, "country");
            part type = first_string(p, "type");
            char up[2];
            if (country.len == 2 && country.s[0] >= 'a' && country.s[0] <= 'z') {
                up[0] = (char)(country.s[0] - 32);
                up[1] = (char)(country.s[1] >= 'a' ? country.s[1] - 32 : country.s[1]);
                country.s = up;
            }
            EACH_STRING(v, json_object_get(p, "number")) {
                rc = cordon__entity_add_identifier(
                    ld, e, passport ? CORDON_ID_PASSPORT : CORDON_ID_NATIONAL_ID,
                    type.len ? type.s : schema, type.len ? type.len : strlen(schema), v.s,
                    v.len, country.s, country.len);
                if (rc)
                    return fail_line(m, rc);
            }
        }
    }
    return 0;
}

int cordon__parse_ftm_json(cordon__loader *ld)
{
    ftm m = {.ld = ld};
    char *data;
    size_t len;
    int rc = cordon__read_file(ld->file, &data, &len, ld->err);
    if (rc)
        return rc;
    size_t pos = 0;
    unsigned long line = 0;
    bool any = false;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    while (!rc && pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        line++;
        m.line = line;
        part l = trimmed(data + pos, end - pos);
        if (l.len > FTM_MAX_LINE)
            rc = cordon__loader_fail(ld, CORDON_ETOOBIG, line, 0,
                                     "line of %zu bytes exceeds the %zu-byte limit", l.len,
                                     FTM_MAX_LINE);
        else if (l.len) {
            any = true;
            rc = ftm_line(&m, l.s, l.len);
        }
        pos = end + 1;
    }
    free(data);
    const detail *ds = m.details.items;
    for (size_t i = 0; !rc && i < m.details.count; i++)
        rc = apply_detail(&m, &ds[i]);
    for (size_t i = 0; i < m.details.count; i++)
        json_decref(ds[i].obj);
    cordon__vec_free(&m.details);
    cordon__strmap_free(&m.addresses);
    if (!rc && !any)
        rc = cordon__loader_fail(ld, CORDON_EEMPTY, 0, 0, "empty file: no FtM entities");
    if (!rc && (m.skipped_links || m.skipped_nontargets))
        rc = cordon__loader_warn(ld,
                                 "%zu relationship records and %zu non-target entities "
                                 "skipped",
                                 m.skipped_links, m.skipped_nontargets);
    if (!rc && m.dangling)
        rc = cordon__loader_warn(ld, "%zu detail references point at no listed entity",
                                 m.dangling);
    return rc;
}
