/*
 * list_us_csl.c — the US Consolidated Screening List (CSL) CSV, plain or
 * gzip: one file merging 13 lists of the Departments of the Treasury
 * (OFAC's SDN, SSI, CAPTA, NS-MBS, FSE, PLC, CMIC lists), Commerce (the
 * BIS Entity, Denied Persons, Unverified and Military End User lists) and
 * State (ITAR debarred, nonproliferation sanctions).
 *
 * Columns are found by their header names (_id, source, entity_number,
 * type, programs, name, title, addresses, start_date, call_sign,
 * vessel_flag, remarks, alt_names, citizenships, dates_of_birth,
 * nationalities, places_of_birth, ids, ...); multi-valued cells are
 * separated by "; ". One entity per _id ("<source>:<_id>"; a row without
 * one is keyed "<list>-<entity_number>"). OFAC entries that sit on more
 * than one Treasury list (SDN and SSI, say) come as one row per list
 * under the same _id, and are folded into one entity. The list a row
 * came from is added as a program: its abbreviation, "SDN", "EL", "DPL",
 * "MEU", ... beside the sanctions programs ("RUSSIA-EO14024").
 *
 * Overlap with OFAC: every Treasury row of the CSL is an (older or newer)
 * copy of an entry of OFAC's own SDN or consolidated files, and its _id
 * is OFAC's ent_num, so us_csl:21944 is ofac_sdn:21944. When the dataset
 * already holds a source read from an OFAC format (OFAC CSV or XML, loaded
 * before this one), Treasury rows are skipped and counted in a warning:
 * OFAC's own files are the authority for them, and keeping both would
 * report every OFAC hit twice. Loaded alone, the CSL keeps all 13 lists.
 * The ids column holds identifiers as "[country, ]number, label" and
 * also sanctions notes in the same shape ("..., Secondary sanctions
 * risk:"); labels that are notes, dates or descriptions are not
 * identifiers and are dropped.
 */
#include "cordon_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    K_ID, K_SOURCE, K_ENTITY_NUMBER, K_TYPE, K_PROGRAMS, K_NAME, K_TITLE, K_ADDRESSES,
    K_START_DATE, K_CALL_SIGN, K_VESSEL_TYPE, K_VESSEL_FLAG, K_VESSEL_OWNER, K_REMARKS,
    K_ALT_NAMES, K_CITIZENSHIPS, K_DATES_OF_BIRTH, K_NATIONALITIES, K_PLACES_OF_BIRTH,
    K_IDS, K_COUNT
};

static const struct {
    const char *name;
    bool required;
} columns[K_COUNT] = {
    [K_ID] = {"_id", true},
    [K_SOURCE] = {"source", true},
    [K_ENTITY_NUMBER] = {"entity_number", false},
    [K_TYPE] = {"type", false},
    [K_PROGRAMS] = {"programs", false},
    [K_NAME] = {"name", true},
    [K_TITLE] = {"title", false},
    [K_ADDRESSES] = {"addresses", false},
    [K_START_DATE] = {"start_date", false},
    [K_CALL_SIGN] = {"call_sign", false},
    [K_VESSEL_TYPE] = {"vessel_type", false},
    [K_VESSEL_FLAG] = {"vessel_flag", false},
    [K_VESSEL_OWNER] = {"vessel_owner", false},
    [K_REMARKS] = {"remarks", false},
    [K_ALT_NAMES] = {"alt_names", false},
    [K_CITIZENSHIPS] = {"citizenships", false},
    [K_DATES_OF_BIRTH] = {"dates_of_birth", false},
    [K_NATIONALITIES] = {"nationalities", false},
    [K_PLACES_OF_BIRTH] = {"places_of_birth", false},
    [K_IDS] = {"ids", false},
};

typedef struct part {
    const char *s;
    size_t len;
} part;

typedef struct csl {
    cordon__loader *ld;
    long col[K_COUNT];
    size_t n_header;
    bool skip_treasury;
    const char *ofac_source; /* name of the OFAC source that causes it */
    size_t skipped;
    cordon__buf tmp;
    cordon__strmap texts;  /* "<entity>/<tag><hash>" of remarks and titles added */
    cordon__arena scratch; /* its keys */
} csl;

/* Identifier labels of the ids column and what they are. */
static const struct {
    const char *label;
    cordon_id_type type;
} id_labels[] = {
    {"Passport", CORDON_ID_PASSPORT},
    {"Diplomatic Passport", CORDON_ID_PASSPORT},
    {"National ID No.", CORDON_ID_NATIONAL_ID},
    {"Cedula No.", CORDON_ID_NATIONAL_ID},
    {"C.U.R.P.", CORDON_ID_NATIONAL_ID},
    {"Identification Number", CORDON_ID_NATIONAL_ID},
    {"D.N.I.", CORDON_ID_NATIONAL_ID},
    {"Personal ID Card", CORDON_ID_NATIONAL_ID},
    {"National Foreign ID Number", CORDON_ID_NATIONAL_ID},
    {"Electoral Registry No.", CORDON_ID_NATIONAL_ID},
    {"Credencial electoral", CORDON_ID_NATIONAL_ID},
    {"C.U.I.", CORDON_ID_NATIONAL_ID},
    {"SSN", CORDON_ID_NATIONAL_ID},
    {"Turkish Identification Number", CORDON_ID_NATIONAL_ID},
    {"Tax ID No.", CORDON_ID_TAX_ID},
    {"NIT #", CORDON_ID_TAX_ID},
    {"R.F.C.", CORDON_ID_TAX_ID},
    {"RFC", CORDON_ID_TAX_ID},
    {"RUC #", CORDON_ID_TAX_ID},
    {"V.A.T. Number", CORDON_ID_TAX_ID},
    {"RIF #", CORDON_ID_TAX_ID},
    {"US FEIN", CORDON_ID_TAX_ID},
    {"Italian Fiscal Code", CORDON_ID_TAX_ID},
    {"C.U.I.T.", CORDON_ID_TAX_ID},
    {"Registration Number", CORDON_ID_REGISTRATION},
    {"Registration ID", CORDON_ID_REGISTRATION},
    {"Company Number", CORDON_ID_REGISTRATION},
    {"Commercial Registry Number", CORDON_ID_REGISTRATION},
    {"Business Registration Number", CORDON_ID_REGISTRATION},
    {"Business Registration Document #", CORDON_ID_REGISTRATION},
    {"Business Number", CORDON_ID_REGISTRATION},
    {"Trade License No.", CORDON_ID_REGISTRATION},
    {"Matricula Mercantil No", CORDON_ID_REGISTRATION},
    {"C.R. No.", CORDON_ID_REGISTRATION},
    {"Legal Entity Number", CORDON_ID_REGISTRATION},
    {"Public Registration Number", CORDON_ID_REGISTRATION},
    {"Chamber of Commerce Number", CORDON_ID_REGISTRATION},
    {"Folio Mercantil No.", CORDON_ID_REGISTRATION},
    {"Unified Social Credit Code (USCC)", CORDON_ID_REGISTRATION},
    {"Government Gazette Number", CORDON_ID_REGISTRATION},
    {"D-U-N-S Number", CORDON_ID_REGISTRATION},
    {"License", CORDON_ID_REGISTRATION},
    {"Aircraft Tail Number", CORDON_ID_REGISTRATION},
    {"Vessel Registration Identification", CORDON_ID_IMO},
    {"MMSI", CORDON_ID_MMSI},
    {"SWIFT/BIC", CORDON_ID_SWIFT_BIC},
    {"Website", CORDON_ID_WEBSITE},
    {"Email Address", CORDON_ID_EMAIL},
    {"Aircraft Manufacturer's Serial Number (MSN)", CORDON_ID_AIRCRAFT_SERIAL},
    {"Aircraft Construction Number (also called L/N or S/N or F/N)", CORDON_ID_AIRCRAFT_SERIAL},
};

/* Labels in the ids column that describe rather than identify. */
static const char *const not_ids[] = {
    "Aircraft Model", "Aircraft Operator", "Target Type", "Organization Type",
    "Former Vessel Flag", "Issuer Name", "Vessel Type", "Vessel Flag", "Other Vessel Flag",
    "Other Vessel Type", "Vessel Year of Build", "Aircraft Mode S Transponder Code",
    "Previous Aircraft Tail Number",
};

/* ---- helpers ------------------------------------------------------ */

static part trimmed(const char *s, size_t len)
{
    len = cordon__trim(&s, len);
    return (part){s, len};
}

static bool contains_ci(part p, const char *w)
{
    size_t n = strlen(w);
    for (size_t i = 0; i + n <= p.len; i++)
        if (strncasecmp(p.s + i, w, n) == 0)
            return true;
    return false;
}

/* Next item of a "; " list (a bare ';' too); false at the end. */
static bool next_item(part list, size_t *pos, part *item)
{
    while (*pos < list.len) {
        const char *semi = memchr(list.s + *pos, ';', list.len - *pos);
        size_t end = semi ? (size_t)(semi - list.s) : list.len;
        *item = trimmed(list.s + *pos, end - *pos);
        *pos = end + 1;
        if (item->len)
            return true;
    }
    return false;
}

static part cell(const csl *c, const cordon__csv_field *f, int k)
{
    long i = c->col[k];
    return i < 0 ? (part){"", 0} : trimmed(f[i].s, f[i].len);
}

/* "Specially Designated Nationals (SDN) - Treasury Department" -> "SDN";
 * "Non-SDN Menu-Based Sanctions List (NS-MBS List) - ..." -> "NS-MBS". */
static part list_code(part source)
{
    const char *dash = NULL;
    for (size_t i = 0; i + 3 <= source.len; i++)
        if (memcmp(source.s + i, " - ", 3) == 0)
            dash = source.s + i;
    size_t end = dash ? (size_t)(dash - source.s) : source.len;
    const char *close = NULL, *open = NULL;
    for (size_t i = end; i-- > 0;)
        if (!close && source.s[i] == ')')
            close = source.s + i;
        else if (close && source.s[i] == '(') {
            open = source.s + i;
            break;
        }
    if (!open)
        return trimmed(source.s, end);
    part code = trimmed(open + 1, (size_t)(close - open - 1));
    if (code.len > 5 && memcmp(code.s + code.len - 5, " List", 5) == 0)
        code.len -= 5;
    return code.len ? code : trimmed(source.s, end);
}

static bool is_iso_date(part p)
{
    if (p.len != 10 || p.s[4] != '-' || p.s[7] != '-')
        return false;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !(p.s[i] >= '0' && p.s[i] <= '9'))
            return false;
    return true;
}

static bool is_country_code(part p)
{
    return p.len == 2 && p.s[0] >= 'A' && p.s[0] <= 'Z' && p.s[1] >= 'A' && p.s[1] <= 'Z';
}

/* ---- the ids column ------------------------------------------------ */

static int add_id_entry(csl *c, cordon__entity_b *e, part entry)
{
    cordon__loader *ld = c->ld;
    /* Split on ", " from the right: the label is the last part. */
    part parts[16];
    size_t n = 0;
    size_t start = 0;
    for (size_t i = 0; i + 1 < entry.len && n < 15; i++)
        if (entry.s[i] == ',' && entry.s[i + 1] == ' ') {
            parts[n++] = trimmed(entry.s + start, i - start);
            start = i + 2;
        }
    parts[n++] = trimmed(entry.s + start, entry.len - start);
    if (n < 2)
        return 0; /* a bare note */
    part label = parts[n - 1];
    if (cordon__ieq(label.s, label.len, "Gender"))
        return cordon__entity_set_gender(ld, e, parts[0].s, parts[0].len);
    if (cordon__ieq(label.s, label.len, "Nationality of Registration"))
        return cordon__entity_add_country(ld, e, parts[0].s, parts[0].len);
    if (!label.len || label.s[label.len - 1] == ':' || label.s[label.len - 1] == '-' ||
        contains_ci(label, "Date") || contains_ci(label, "Information") ||
        contains_ci(label, "Directive") || contains_ci(label, "sanctions"))
        return 0;
    for (size_t i = 0; i < sizeof not_ids / sizeof not_ids[0]; i++)
        if (cordon__ieq(label.s, label.len, not_ids[i]))
            return 0;
    cordon_id_type type = CORDON_ID_OTHER;
    for (size_t i = 0; i < sizeof id_labels / sizeof id_labels[0]; i++)
        if (cordon__ieq(label.s, label.len, id_labels[i].label)) {
            type = id_labels[i].type;
            break;
        }
    size_t first = 0;
    part country = {NULL, 0};
    if (n >= 3 && is_country_code(parts[0])) {
        country = parts[0];
        first = 1;
    }
    /* The number: the middle parts, less issue and expiry dates. */
    cordon__buf *b = &c->tmp;
    b->len = 0;
    for (size_t i = first; i + 1 < n; i++) {
        if (is_iso_date(parts[i]) && n - first > 2)
            continue;
        if ((b->len && cordon__buf_append(b, ", ", 2)) ||
            cordon__buf_append(b, parts[i].s, parts[i].len))
            return cordon__loader_fail(ld, CORDON_ENOMEM, 0, 0, "out of memory");
    }
    part value = {b->data, b->len};
    if (type == CORDON_ID_IMO && value.len > 4 && strncasecmp(value.s, "IMO ", 4) == 0)
        value = trimmed(value.s + 4, value.len - 4);
    return cordon__entity_add_identifier(ld, e, type, label.s, label.len, value.s, value.len,
                                         country.s, country.len);
}

/* ---- rows --------------------------------------------------------- */

static cordon_schema csl_schema(part t)
{
    if (cordon__ieq(t.s, t.len, "Individual"))
        return CORDON_SCHEMA_PERSON;
    if (cordon__ieq(t.s, t.len, "Entity"))
        return CORDON_SCHEMA_ORGANIZATION;
    if (cordon__ieq(t.s, t.len, "Vessel"))
        return CORDON_SCHEMA_VESSEL;
    if (cordon__ieq(t.s, t.len, "Aircraft"))
        return CORDON_SCHEMA_AIRCRAFT;
    return CORDON_SCHEMA_UNKNOWN; /* the BIS and State lists leave it empty */
}

typedef int (*add_fn)(cordon__loader *, cordon__entity_b *, const char *, size_t);

static int add_each(csl *c, cordon__entity_b *e, part list, add_fn fn)
{
    size_t pos = 0;
    part item;
    while (next_item(list, &pos, &item)) {
        int rc = fn(c->ld, e, item.s, item.len);
        if (rc)
            return rc;
    }
    return 0;
}

static int add_alias(cordon__loader *ld, cordon__entity_b *e, const char *s, size_t len)
{
    return cordon__entity_add_name(ld, e, s, len, CORDON_NAME_STRONG);
}

/* An address, and its country: the CSL ends addresses with an ISO code
 * ("Moscow, 111024, RU"). */
static int add_address(cordon__loader *ld, cordon__entity_b *e, const char *s, size_t len)
{
    int rc = cordon__entity_add_address(ld, e, s, len);
    part a = trimmed(s, len);
    size_t i = a.len;
    while (i > 0 && a.s[i - 1] != ',')
        i--;
    part last = trimmed(a.s + i, a.len - i);
    if (!rc && is_country_code(last))
        rc = cordon__entity_add_country(ld, e, last.s, last.len);
    return rc;
}

/* Remarks and titles accumulate in the builder, and an entity's rows on
 * several Treasury lists repeat them: add each text once per entity. */
static int add_once(csl *c, cordon__entity_b *e, char tag, part text, add_fn fn)
{
    if (!text.len)
        return 0;
    char key[64];
    int kl = snprintf(key, sizeof key, "%p/%c%016llx", (void *)e, tag,
                      (unsigned long long)cordon__hash(text.s, text.len));
    if (cordon__strmap_get(&c->texts, key, (size_t)kl))
        return 0;
    char *k = cordon__arena_strndup(&c->scratch, key, (size_t)kl);
    if (!k || cordon__strmap_put(&c->texts, k, (size_t)kl, k))
        return cordon__loader_fail(c->ld, CORDON_ENOMEM, 0, 0, "out of memory");
    return fn(c->ld, e, text.s, text.len);
}

static int add_row(csl *c, unsigned long line, const cordon__csv_field *f)
{
    cordon__loader *ld = c->ld;
    part source = cell(c, f, K_SOURCE);
    if (c->skip_treasury && contains_ci(source, "Treasury Department")) {
        c->skipped++;
        return 0;
    }
    part code = list_code(source);
    part id = cell(c, f, K_ID);
    if (!id.len) {
        part num = cell(c, f, K_ENTITY_NUMBER);
        if (!num.len || !code.len)
            return cordon__loader_fail(ld, CORDON_EFORMAT, line, 0,
                                       "line %lu has neither an _id nor a source and "
                                       "entity_number", line);
        c->tmp.len = 0;
        if (cordon__buf_printf(&c->tmp, "%.*s-%.*s", (int)code.len, code.s, (int)num.len, num.s))
            return cordon__loader_fail(ld, CORDON_ENOMEM, line, 0, "out of memory");
        id = (part){c->tmp.data, c->tmp.len};
    }
    cordon_schema schema = csl_schema(cell(c, f, K_TYPE));
    cordon__entity_b *e = cordon__entity_lookup(ld, id.s, id.len);
    int rc = 0;
    if (e) {
        if (cordon__entity_schema(e) == CORDON_SCHEMA_UNKNOWN)
            cordon__entity_set_schema(e, schema);
    } else {
        rc = cordon__entity_begin(ld, id.s, id.len, schema, line, &e);
    }
    part name = cell(c, f, K_NAME);
    if (!rc && !name.len)
        rc = cordon__loader_fail(ld, CORDON_EFORMAT, line, 0, "line %lu has no name", line);
    if (!rc)
        rc = cordon__entity_add_name(ld, e, name.s, name.len, CORDON_NAME_PRIMARY);
    if (!rc)
        rc = add_each(c, e, cell(c, f, K_ALT_NAMES), add_alias);
    if (!rc)
        rc = cordon__entity_add_program(ld, e, code.s, code.len);
    if (!rc)
        rc = add_each(c, e, cell(c, f, K_PROGRAMS), cordon__entity_add_program);
    if (!rc)
        rc = add_once(c, e, 't', cell(c, f, K_TITLE), cordon__entity_add_title);
    if (!rc)
        rc = add_each(c, e, cell(c, f, K_ADDRESSES), add_address);
    if (!rc) {
        part d = cell(c, f, K_START_DATE);
        rc = cordon__entity_set_listed_on(ld, e, d.s, d.len);
    }
    if (!rc) {
        part cs = cell(c, f, K_CALL_SIGN);
        rc = cordon__entity_add_identifier(ld, e, CORDON_ID_CALL_SIGN, "Call Sign", 9, cs.s,
                                           cs.len, NULL, 0);
    }
    if (!rc)
        rc = add_each(c, e, cell(c, f, K_VESSEL_FLAG), cordon__entity_add_country);
    if (!rc)
        rc = add_each(c, e, cell(c, f, K_CITIZENSHIPS), cordon__entity_add_citizenship);
    if (!rc)
        rc = add_each(c, e, cell(c, f, K_NATIONALITIES), cordon__entity_add_nationality);
    if (!rc)
        rc = add_each(c, e, cell(c, f, K_DATES_OF_BIRTH), cordon__entity_add_birth_date);
    if (!rc)
        rc = add_each(c, e, cell(c, f, K_PLACES_OF_BIRTH), cordon__entity_add_birth_place);
    if (!rc) {
        part ids = cell(c, f, K_IDS), entry;
        size_t pos = 0;
        while (!rc && next_item(ids, &pos, &entry))
            rc = add_id_entry(c, e, entry);
    }
    if (!rc)
        rc = add_once(c, e, 'r', cell(c, f, K_REMARKS), cordon__entity_add_remarks);
    /* Vessel details have no field of their own. */
    static const struct {
        int col;
        const char *what;
    } notes[] = {{K_VESSEL_TYPE, "Vessel type"}, {K_VESSEL_OWNER, "Vessel owner"}};
    for (size_t i = 0; !rc && i < sizeof notes / sizeof notes[0]; i++) {
        part v = cell(c, f, notes[i].col);
        if (!v.len)
            continue;
        c->tmp.len = 0;
        if (cordon__buf_printf(&c->tmp, "%s: %.*s", notes[i].what, (int)v.len, v.s))
            return cordon__loader_fail(ld, CORDON_ENOMEM, line, 0, "out of memory");
        rc = add_once(c, e, 'r', (part){c->tmp.data, c->tmp.len}, cordon__entity_add_remarks);
    }
    if (rc && ld->err && ld->err->line == 0)
        ld->err->line = line;
    return rc;
}

static int read_header(csl *c, unsigned long line, const cordon__csv_field *f, size_t n)
{
    for (int k = 0; k < K_COUNT; k++)
        c->col[k] = -1;
    for (size_t i = 0; i < n; i++) {
        part h = trimmed(f[i].s, f[i].len);
        for (int k = 0; k < K_COUNT; k++)
            if (c->col[k] < 0 && cordon__ieq(h.s, h.len, columns[k].name))
                c->col[k] = (long)i;
    }
    for (int k = 0; k < K_COUNT; k++)
        if (columns[k].required && c->col[k] < 0)
            return cordon__loader_fail(c->ld, CORDON_EFORMAT, line, 0,
                                       "missing header column \"%s\" (not a Consolidated "
                                       "Screening List CSV?)",
                                       columns[k].name);
    c->n_header = n;
    return 0;
}

/* Is an OFAC source already loaded? Then Treasury rows are skipped. */
static void check_overlap(csl *c)
{
    const cordon_dataset *ds = c->ld->ds;
    for (size_t i = 0; ds && i < cordon_dataset_source_count(ds); i++) {
        const cordon_source_info *si = cordon_dataset_source(ds, i);
        if (si->format == CORDON_FORMAT_OFAC_CSV || si->format == CORDON_FORMAT_OFAC_XML ||
            si->format == CORDON_FORMAT_OFAC_ENHANCED_XML ||
            si->format == CORDON_FORMAT_OFAC_ADVANCED_XML) {
            c->skip_treasury = true;
            c->ofac_source = si->name;
            return;
        }
    }
}

int cordon__parse_us_csl(cordon__loader *ld)
{
    csl c = {.ld = ld};
    cordon__arena_init(&c.scratch);
    check_overlap(&c);
    char *data;
    size_t len;
    int rc = cordon__read_file_gz(ld->file, &data, &len, ld->err);
    if (rc)
        return rc;
    if (len == 0) {
        free(data);
        return cordon__loader_fail(ld, CORDON_EEMPTY, 0, 0, "empty file");
    }
    cordon__csv r;
    cordon__csv_init(&r, data, len, ',');
    const cordon__csv_field *f;
    size_t n;
    unsigned long col;
    bool header = false;
    while (!rc) {
        int got = cordon__csv_next(&r, &f, &n, &col);
        if (got == 0)
            break;
        if (got < 0) {
            rc = cordon__loader_fail(ld, got, r.line, col, "%s",
                                     got == CORDON_ENOMEM ? "out of memory"
                                     : got == CORDON_ETOOBIG ? "too many fields"
                                                             : "malformed CSV quoting");
            break;
        }
        if (!header) {
            rc = read_header(&c, r.line, f, n);
            header = true;
        } else if (n != c.n_header) {
            rc = cordon__loader_fail(ld, CORDON_EFORMAT, r.line, 0,
                                     "line %lu has %zu fields, the header has %zu", r.line, n,
                                     c.n_header);
        } else {
            rc = add_row(&c, r.line, f);
        }
    }
    cordon__csv_free(&r);
    free(data);
    if (!rc && !header)
        rc = cordon__loader_fail(ld, CORDON_EEMPTY, 0, 0, "no header row");
    if (!rc && c.skipped)
        rc = cordon__loader_warn(ld,
                                 "%zu rows from Treasury (OFAC) lists skipped: OFAC source "
                                 "\"%s\" is loaded and is the authority for them",
                                 c.skipped, c.ofac_source);
    cordon__buf_free(&c.tmp);
    cordon__strmap_free(&c.texts);
    cordon__arena_free(&c.scratch);
    return rc;
}
