/*
 * list_ofsi.c — the UK OFSI Consolidated List (ConList), from its XLSX
 * workbook (through xlsx.c) or its CSV export: both have the same
 * columns, so one row mapping serves both.
 *
 * Layout: optional "Last Updated, dd/mm/yyyy" row(s), then a header row
 * naming the columns (Name 6 = surname or whole name, Name 1..5 = given
 * names, Title, Name Non-Latin Script, DOB, ..., Other Information, Group
 * Type, Alias Type, Alias Quality, Regime, Listed On, ..., Group ID),
 * then one row per name. Every row repeats the party's other details, and
 * a party with several dates of birth or addresses gets a row for each
 * combination, so the rows that share a Group ID are folded into one
 * entity "<source>:<Group ID>" with its details deduplicated.
 *
 * Names: "Primary name" -> PRIMARY; "Primary name variation" -> STRONG;
 * "AKA" -> STRONG, or WEAK when its Alias Quality is "Low quality";
 * "FKA" -> FORMER; the non-Latin script column -> NATIVE. A person's name
 * is written "SURNAME, Given Names" as OFAC does, so the name analysis
 * knows which part is the surname. Multi-valued cells use OFSI's
 * "(1) ... (2) ..." numbering. "Other Information" is kept as remarks and
 * mined for its "(Key):value" facts: gender, IMO number, flag, e-mail,
 * website, business registration number and the list references.
 */
#include "cordon_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    C_NAME1, C_NAME2, C_NAME3, C_NAME4, C_NAME5, C_NAME6,
    C_TITLE, C_NON_LATIN, C_DOB, C_TOWN_OF_BIRTH, C_COUNTRY_OF_BIRTH,
    C_NATIONALITY, C_PASSPORT_NUMBER, C_PASSPORT_DETAILS, C_NATIONAL_ID,
    C_NATIONAL_ID_DETAILS, C_POSITION,
    C_ADDRESS1, C_ADDRESS2, C_ADDRESS3, C_ADDRESS4, C_ADDRESS5, C_ADDRESS6,
    C_POSTCODE, C_COUNTRY, C_OTHER, C_GROUP_TYPE, C_ALIAS_TYPE,
    C_ALIAS_QUALITY, C_REGIME, C_LISTED_ON, C_GROUP_ID,
    C_COUNT
};

static const struct {
    const char *name;
    bool required;
} columns[C_COUNT] = {
    [C_NAME1] = {"Name 1", false},
    [C_NAME2] = {"Name 2", false},
    [C_NAME3] = {"Name 3", false},
    [C_NAME4] = {"Name 4", false},
    [C_NAME5] = {"Name 5", false},
    [C_NAME6] = {"Name 6", true},
    [C_TITLE] = {"Title", false},
    [C_NON_LATIN] = {"Name Non-Latin Script", false},
    [C_DOB] = {"DOB", false},
    [C_TOWN_OF_BIRTH] = {"Town of Birth", false},
    [C_COUNTRY_OF_BIRTH] = {"Country of Birth", false},
    [C_NATIONALITY] = {"Nationality", false},
    [C_PASSPORT_NUMBER] = {"Passport Number", false},
    [C_PASSPORT_DETAILS] = {"Passport Details", false},
    [C_NATIONAL_ID] = {"National Identification Number", false},
    [C_NATIONAL_ID_DETAILS] = {"National Identification Details", false},
    [C_POSITION] = {"Position", false},
    [C_ADDRESS1] = {"Address 1", false},
    [C_ADDRESS2] = {"Address 2", false},
    [C_ADDRESS3] = {"Address 3", false},
    [C_ADDRESS4] = {"Address 4", false},
    [C_ADDRESS5] = {"Address 5", false},
    [C_ADDRESS6] = {"Address 6", false},
    [C_POSTCODE] = {"Post/Zip Code", false},
    [C_COUNTRY] = {"Country", false},
    [C_OTHER] = {"Other Information", false},
    [C_GROUP_TYPE] = {"Group Type", true},
    [C_ALIAS_TYPE] = {"Alias Type", true},
    [C_ALIAS_QUALITY] = {"Alias Quality", false},
    [C_REGIME] = {"Regime", false},
    [C_LISTED_ON] = {"Listed On", false},
    [C_GROUP_ID] = {"Group ID", true},
};

/* Rows before the header ("Last Updated ...") that we tolerate. */
#define OFSI_MAX_PREAMBLE_ROWS 10
/* "(1) ... (2) ..." items kept from one cell. */
#define OFSI_MAX_ITEMS 32
/* Row-part signatures remembered per group: an optimisation only, so a
 * hostile group with endless distinct rows cannot make it quadratic. */
#define OFSI_MAX_MEMO 256

typedef struct group {
    cordon__entity_b *e;
    const char *id;
    bool has_primary;
    const char *first_name; /* for a group with no "Primary name" row */
    cordon__vec seen;       /* uint64_t: hashes of remarks and titles added */
    cordon__vec memo;       /* uint64_t: signatures of row parts already added */
} group;

typedef struct ofsi {
    cordon__loader *ld;
    bool csv;               /* strict column count; "line" vs "row" */
    bool have_header;
    unsigned long preamble;
    size_t n_header;
    long col[C_COUNT];      /* index of each column in a row, or -1 */
    cordon__arena scratch;  /* group state, freed after the load */
    cordon__strmap groups;  /* Group ID -> group* */
    cordon__vec order;      /* group*, to free and finish */
    cordon__buf tmp;
    size_t no_primary;
} ofsi;

typedef struct part {
    const char *s;
    size_t len;
} part;

/* ---- small text helpers ------------------------------------------- */

static part trimmed(const char *s, size_t len)
{
    len = cordon__trim(&s, len);
    return (part){s, len};
}

/* Trims whitespace and trailing '.', ',' and ';'. */
static part trim_punct(const char *s, size_t len)
{
    part p = trimmed(s, len);
    while (p.len && (p.s[p.len - 1] == '.' || p.s[p.len - 1] == ',' || p.s[p.len - 1] == ';'))
        p.len--;
    return trimmed(p.s, p.len);
}

/* Splits OFSI's "(1) a (2) b" numbering into items; text that does not
 * start with "(1)" is one item. Items are trimmed; "-" items are empty. */
static size_t enum_split(const char *s, size_t len, part *out, size_t max)
{
    part t = trimmed(s, len);
    if (t.len == 0)
        return 0;
    if (t.len < 3 || memcmp(t.s, "(1)", 3) != 0) {
        out[0] = t;
        return 1;
    }
    size_t n = 0, pos = 3;
    for (size_t k = 2; n < max; k++) {
        char mark[24];
        int ml = snprintf(mark, sizeof mark, "(%zu)", k);
        const char *next = n + 1 < max ? memmem(t.s + pos, t.len - pos, mark, (size_t)ml) : NULL;
        size_t end = next ? (size_t)(next - t.s) : t.len;
        part item = trimmed(t.s + pos, end - pos);
        if (item.len == 1 && item.s[0] == '-')
            item.len = 0;
        out[n++] = item;
        if (!next)
            break;
        pos = end + (size_t)ml;
    }
    return n;
}

static bool starts_with_ci(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len >= n && strncasecmp(s, lit, n) == 0;
}

/* ---- errors ------------------------------------------------------- */

/* Builder errors carry no position; give them the row's. */
static int at(ofsi *o, int rc, unsigned long line)
{
    if (rc && o->ld->err && o->ld->err->line == 0)
        o->ld->err->line = line;
    return rc;
}

/* ---- header ------------------------------------------------------- */

static int read_header(ofsi *o, unsigned long line, const cordon__csv_field *f, size_t n)
{
    for (int c = 0; c < C_COUNT; c++)
        o->col[c] = -1;
    for (size_t i = 0; i < n; i++) {
        part h = trimmed(f[i].s, f[i].len);
        for (int c = 0; c < C_COUNT; c++)
            if (o->col[c] < 0 && h.len == strlen(columns[c].name) &&
                strncasecmp(h.s, columns[c].name, h.len) == 0)
                o->col[c] = (long)i;
    }
    for (int c = 0; c < C_COUNT; c++)
        if (columns[c].required && o->col[c] < 0)
            return cordon__loader_fail(o->ld, CORDON_EFORMAT, line, 0,
                                       "missing header column \"%s\" (not an OFSI "
                                       "consolidated list?)",
                                       columns[c].name);
    o->n_header = n;
    o->have_header = true;
    return 0;
}

static part cell(const ofsi *o, const cordon__csv_field *f, size_t n, int c)
{
    long i = o->col[c];
    if (i < 0 || (size_t)i >= n)
        return (part){"", 0};
    return trimmed(f[i].s, f[i].len);
}

/* ---- one group's state -------------------------------------------- */

/* A fast 64-bit hash for deduplicating cells: eight bytes a step (the
 * shared FNV-1a goes a byte a step, and Other Information cells run to
 * kilobytes on every row). Collisions only merge two distinct texts
 * with odds around n^2 / 2^64. */
static uint64_t fast_hash(const char *s, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (len * 0xC2B2AE3D27D4EB4Full);
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ (w * 0xFF51AFD7ED558CCDull)) * 0xC4CEB9FE1A85EC53ull;
        h ^= h >> 29;
    }
    uint64_t w = 0;
    memcpy(&w, s + i, len - i);
    h = (h ^ (w * 0xFF51AFD7ED558CCDull)) * 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 32;
    return h;
}

/* True (and remembers it) when this text was not yet added to the group
 * under this tag; the builder does not deduplicate remarks and titles. */
static int first_time(ofsi *o, group *g, char tag, part p, bool *fresh)
{
    uint64_t h = fast_hash(p.s, p.len) * 31u + (uint64_t)(unsigned char)tag;
    const uint64_t *hs = g->seen.items;
    for (size_t i = 0; i < g->seen.count; i++)
        if (hs[i] == h) {
            *fresh = false;
            return 0;
        }
    uint64_t *slot = cordon__vec_push(&g->seen, sizeof *slot);
    if (!slot)
        return cordon__loader_fail(o->ld, CORDON_ENOMEM, 0, 0, "out of memory");
    *slot = h;
    *fresh = true;
    return 0;
}

/* A group's rows repeat most of their cells (one row per name, date of
 * birth and address combination). True when this part of the row (the
 * cells of cols, under tag) was not seen in the group yet, so the
 * builder is spared re-adding what it already has. */
static bool fresh_part(group *g, char tag, const cordon__csv_field *f, size_t n, const ofsi *o,
                       const int *cols, size_t ncols)
{
    uint64_t h = (uint64_t)(unsigned char)tag;
    for (size_t i = 0; i < ncols; i++) {
        long c = o->col[cols[i]];
        uint64_t ch = c >= 0 && (size_t)c < n ? fast_hash(f[c].s, f[c].len) : 0;
        h = h * 0x9E3779B97F4A7C15ull + ch + i;
    }
    const uint64_t *hs = g->memo.items;
    for (size_t i = 0; i < g->memo.count; i++)
        if (hs[i] == h)
            return false;
    if (g->memo.count < OFSI_MAX_MEMO) {
        uint64_t *slot = cordon__vec_push(&g->memo, sizeof *slot);
        if (slot)
            *slot = h; /* out of memory here only costs the shortcut */
    }
    return true;
}

static cordon_schema group_schema(part t)
{
    if (cordon__ieq(t.s, t.len, "Individual"))
        return CORDON_SCHEMA_PERSON;
    if (cordon__ieq(t.s, t.len, "Entity"))
        return CORDON_SCHEMA_ORGANIZATION;
    if (cordon__ieq(t.s, t.len, "Ship"))
        return CORDON_SCHEMA_VESSEL;
    return CORDON_SCHEMA_UNKNOWN;
}

static int get_group(ofsi *o, part gid, cordon_schema schema, unsigned long line, group **out)
{
    group *g = cordon__strmap_get(&o->groups, gid.s, gid.len);
    if (g) {
        if (cordon__entity_schema(g->e) == CORDON_SCHEMA_UNKNOWN)
            cordon__entity_set_schema(g->e, schema);
        *out = g;
        return 0;
    }
    g = cordon__arena_alloc(&o->scratch, sizeof *g);
    char *id = g ? cordon__arena_strndup(&o->scratch, gid.s, gid.len) : NULL;
    group **slot = id ? cordon__vec_push(&o->order, sizeof *slot) : NULL;
    if (!slot)
        return cordon__loader_fail(o->ld, CORDON_ENOMEM, line, 0, "out of memory");
    memset(g, 0, sizeof *g);
    g->id = id;
    *slot = g;
    if (cordon__strmap_put(&o->groups, id, gid.len, g))
        return cordon__loader_fail(o->ld, CORDON_ENOMEM, line, 0, "out of memory");
    int rc = cordon__entity_begin(o->ld, gid.s, gid.len, schema, line, &g->e);
    if (rc)
        return rc;
    *out = g;
    return 0;
}

/* ---- the row's parts ---------------------------------------------- */

static cordon_name_kind name_kind(part type, part quality)
{
    if (cordon__ieq(type.s, type.len, "Primary name"))
        return CORDON_NAME_PRIMARY;
    if (cordon__ieq(type.s, type.len, "FKA"))
        return CORDON_NAME_FORMER;
    if (cordon__ieq(type.s, type.len, "AKA") && starts_with_ci(quality.s, quality.len, "Low"))
        return CORDON_NAME_WEAK;
    return CORDON_NAME_STRONG; /* AKA (good or unrated), primary name variation */
}

/* Builds the row's name into o->tmp: "SURNAME, Given Names" for a person,
 * the parts in reading order otherwise. */
static int build_name(ofsi *o, const cordon__csv_field *f, size_t n, bool person)
{
    cordon__buf *b = &o->tmp;
    b->len = 0;
    part last = cell(o, f, n, C_NAME6);
    bool surname_first = person && last.len;
    if (surname_first && (cordon__buf_append(b, last.s, last.len) || cordon__buf_append(b, ",", 1)))
        return CORDON_ENOMEM;
    size_t mark = b->len;
    for (int c = C_NAME1; c <= C_NAME5; c++) {
        part p = cell(o, f, n, c);
        if (!p.len)
            continue;
        if (b->len && cordon__buf_putc(b, ' '))
            return CORDON_ENOMEM;
        if (cordon__buf_append(b, p.s, p.len))
            return CORDON_ENOMEM;
    }
    if (surname_first && b->len == mark)
        b->len--; /* no given names: drop the comma */
    if (!surname_first && last.len) {
        if (b->len && cordon__buf_putc(b, ' '))
            return CORDON_ENOMEM;
        if (cordon__buf_append(b, last.s, last.len))
            return CORDON_ENOMEM;
    }
    return 0;
}

static int add_names(ofsi *o, group *g, const cordon__csv_field *f, size_t n, unsigned long line)
{
    cordon__loader *ld = o->ld;
    bool person = cordon__entity_schema(g->e) == CORDON_SCHEMA_PERSON;
    if (build_name(o, f, n, person))
        return cordon__loader_fail(ld, CORDON_ENOMEM, line, 0, "out of memory");
    cordon_name_kind kind = name_kind(cell(o, f, n, C_ALIAS_TYPE), cell(o, f, n, C_ALIAS_QUALITY));
    part name = trimmed(o->tmp.data, o->tmp.len);
    if (name.len) {
        int rc = cordon__entity_add_name(ld, g->e, name.s, name.len, kind);
        if (rc)
            return rc;
        if (kind == CORDON_NAME_PRIMARY)
            g->has_primary = true;
        else if (!g->first_name &&
                 !(g->first_name = cordon__arena_strndup(&o->scratch, name.s, name.len)))
            return cordon__loader_fail(ld, CORDON_ENOMEM, line, 0, "out of memory");
    }
    part native = cell(o, f, n, C_NON_LATIN);
    return cordon__entity_add_name(ld, g->e, native.s, native.len, CORDON_NAME_NATIVE);
}

static int add_birth(ofsi *o, group *g, const cordon__csv_field *f, size_t n)
{
    cordon__loader *ld = o->ld;
    part dob = cell(o, f, n, C_DOB);
    int rc = cordon__entity_add_birth_date(ld, g->e, dob.s, dob.len);
    /* Towns and countries of birth are numbered alike: pair them. */
    part towns[OFSI_MAX_ITEMS], lands[OFSI_MAX_ITEMS];
    part tc = cell(o, f, n, C_TOWN_OF_BIRTH), cc = cell(o, f, n, C_COUNTRY_OF_BIRTH);
    size_t nt = enum_split(tc.s, tc.len, towns, OFSI_MAX_ITEMS);
    size_t nc = enum_split(cc.s, cc.len, lands, OFSI_MAX_ITEMS);
    for (size_t i = 0; !rc && i < (nt > nc ? nt : nc); i++) {
        part t = i < nt ? trim_punct(towns[i].s, towns[i].len) : (part){"", 0};
        part c = i < nc ? trim_punct(lands[i].s, lands[i].len) : (part){"", 0};
        o->tmp.len = 0;
        if ((t.len && cordon__buf_append(&o->tmp, t.s, t.len)) ||
            (t.len && c.len && cordon__buf_append(&o->tmp, ", ", 2)) ||
            (c.len && cordon__buf_append(&o->tmp, c.s, c.len)))
            return cordon__loader_fail(ld, CORDON_ENOMEM, 0, 0, "out of memory");
        rc = cordon__entity_add_birth_place(ld, g->e, o->tmp.data, o->tmp.len);
    }
    part nat = cell(o, f, n, C_NATIONALITY);
    part items[OFSI_MAX_ITEMS];
    size_t ni = enum_split(nat.s, nat.len, items, OFSI_MAX_ITEMS);
    for (size_t i = 0; !rc && i < ni; i++) {
        part p = trim_punct(items[i].s, items[i].len);
        rc = cordon__entity_add_nationality(ld, g->e, p.s, p.len);
    }
    return rc;
}

/* Numbers and their details are numbered alike: "(1) 223611 (2) C001". */
static int add_documents(ofsi *o, group *g, const cordon__csv_field *f, size_t n, int num_col,
                         int det_col, cordon_id_type type)
{
    part nums[OFSI_MAX_ITEMS], dets[OFSI_MAX_ITEMS];
    part nc = cell(o, f, n, num_col), dc = cell(o, f, n, det_col);
    size_t nn = enum_split(nc.s, nc.len, nums, OFSI_MAX_ITEMS);
    size_t nd = enum_split(dc.s, dc.len, dets, OFSI_MAX_ITEMS);
    if (nn == 1 && nd > 1) { /* one number, numbered details: keep them whole */
        dets[0] = dc;
        nd = 1;
    }
    int rc = 0;
    for (size_t i = 0; !rc && i < nn; i++) {
        part label = i < nd && dets[i].len ? dets[i] : (part){columns[num_col].name,
                                                             strlen(columns[num_col].name)};
        part v = trim_punct(nums[i].s, nums[i].len);
        rc = cordon__entity_add_identifier(o->ld, g->e, type, label.s, label.len, v.s, v.len,
                                           NULL, 0);
    }
    return rc;
}

static int add_address(ofsi *o, group *g, const cordon__csv_field *f, size_t n)
{
    cordon__buf *b = &o->tmp;
    b->len = 0;
    for (int c = C_ADDRESS1; c <= C_COUNTRY; c++) {
        part p = cell(o, f, n, c);
        if (!p.len)
            continue;
        if ((b->len && cordon__buf_append(b, ", ", 2)) || cordon__buf_append(b, p.s, p.len))
            return cordon__loader_fail(o->ld, CORDON_ENOMEM, 0, 0, "out of memory");
    }
    int rc = cordon__entity_add_address(o->ld, g->e, b->data, b->len);
    part country = cell(o, f, n, C_COUNTRY);
    if (!rc)
        rc = cordon__entity_add_country(o->ld, g->e, country.s, country.len);
    return rc;
}

/* ---- "Other Information": "(Key):value (Key):value ..." ------------ */

/* Finds the next "(Key):" at or after *pos; returns the key and sets
 * *val_start past the colon. */
static bool next_key(part t, size_t *pos, part *key, size_t *key_at, size_t *val_start)
{
    for (size_t i = *pos; i < t.len; i++) {
        if (t.s[i] != '(')
            continue;
        size_t j = i + 1;
        while (j < t.len && j - i <= 64 && t.s[j] != ')' && t.s[j] != '(')
            j++;
        if (j + 1 < t.len && t.s[j] == ')' && t.s[j + 1] == ':' && j > i + 1) {
            *key = (part){t.s + i + 1, j - i - 1};
            *key_at = i;
            *val_start = j + 2;
            *pos = j + 2;
            return true;
        }
    }
    return false;
}

/* Adds every whitespace/comma/semicolon separated token of v that is (or
 * is not) an e-mail address. */
static int add_tokens(ofsi *o, group *g, part v, cordon_id_type type, const char *label)
{
    size_t i = 0;
    while (i < v.len) {
        while (i < v.len && (v.s[i] == ' ' || v.s[i] == ',' || v.s[i] == ';' || v.s[i] == '\t'))
            i++;
        size_t s = i;
        while (i < v.len && v.s[i] != ' ' && v.s[i] != ',' && v.s[i] != ';' && v.s[i] != '\t')
            i++;
        part tok = trim_punct(v.s + s, i - s);
        bool email = memchr(tok.s, '@', tok.len) != NULL;
        bool want = type == CORDON_ID_EMAIL ? email : (!email && memchr(tok.s, '.', tok.len));
        if (tok.len && want) {
            int rc = cordon__entity_add_identifier(o->ld, g->e, type, label, strlen(label), tok.s,
                                                   tok.len, NULL, 0);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static bool has_word_ci(part p, const char *w)
{
    size_t n = strlen(w);
    for (size_t i = 0; i + n <= p.len; i++)
        if (strncasecmp(p.s + i, w, n) == 0 &&
            (i == 0 || !((p.s[i - 1] | 32) >= 'a' && (p.s[i - 1] | 32) <= 'z')) &&
            (i + n == p.len || !((p.s[i + n] | 32) >= 'a' && (p.s[i + n] | 32) <= 'z')))
            return true;
    return false;
}

/* "(1) BR: 69987857 (2) CR: 2756979", "Russian TIN: 7718763393",
 * "TIN - 7703104630": each item's own label, when it has one, names the
 * number; a tax number is told apart by its label. */
static int add_registrations(ofsi *o, group *g, part v)
{
    part items[OFSI_MAX_ITEMS];
    size_t n = enum_split(v.s, v.len, items, OFSI_MAX_ITEMS);
    for (size_t i = 0; i < n; i++) {
        part it = trim_punct(items[i].s, items[i].len);
        part label = {"Business Reg No", 15}, num = it;
        for (size_t k = 1; k < it.len && k < 40; k++) {
            size_t sep = it.s[k] == ':' ? 1 : (k + 2 < it.len && memcmp(it.s + k, " - ", 3) == 0) ? 3 : 0;
            if (!sep)
                continue;
            label = trimmed(it.s, k);
            num = trimmed(it.s + k + sep, it.len - k - sep);
            break;
        }
        cordon_id_type type = has_word_ci(label, "TIN") || has_word_ci(label, "INN") ||
                                      has_word_ci(label, "tax")
                                  ? CORDON_ID_TAX_ID
                                  : CORDON_ID_REGISTRATION;
        int rc = cordon__entity_add_identifier(o->ld, g->e, type, label.s, label.len, num.s,
                                               num.len, NULL, 0);
        if (rc)
            return rc;
    }
    return 0;
}

static part first_token(part v)
{
    v = trimmed(v.s, v.len);
    size_t i = 0;
    while (i < v.len && v.s[i] != ' ')
        i++;
    return trim_punct(v.s, i);
}

static int add_fact(ofsi *o, group *g, part key, part v)
{
    cordon__loader *ld = o->ld;
    cordon__entity_b *e = g->e;
    v = trimmed(v.s, v.len);
    if (cordon__ieq(key.s, key.len, "Gender")) {
        part w = first_token(v);
        if (cordon__ieq(w.s, w.len, "male"))
            w = (part){"Male", 4};
        else if (cordon__ieq(w.s, w.len, "female"))
            w = (part){"Female", 6};
        return cordon__entity_set_gender(ld, e, w.s, w.len);
    }
    if (cordon__ieq(key.s, key.len, "IMO number")) {
        size_t i = 0;
        while (i < v.len && !(v.s[i] >= '0' && v.s[i] <= '9'))
            i++;
        size_t s = i;
        while (i < v.len && v.s[i] >= '0' && v.s[i] <= '9')
            i++;
        return cordon__entity_add_identifier(ld, e, CORDON_ID_IMO, "IMO number", 10, v.s + s,
                                             i - s, NULL, 0);
    }
    if (cordon__ieq(key.s, key.len, "Flag of ship")) {
        part c = trim_punct(v.s, v.len);
        return cordon__entity_add_country(ld, e, c.s, c.len);
    }
    if (cordon__ieq(key.s, key.len, "Email address"))
        return add_tokens(o, g, v, CORDON_ID_EMAIL, "Email address");
    if (cordon__ieq(key.s, key.len, "Website"))
        return add_tokens(o, g, v, CORDON_ID_WEBSITE, "Website");
    if (cordon__ieq(key.s, key.len, "Business Reg No"))
        return add_registrations(o, g, v);
    if (cordon__ieq(key.s, key.len, "UK Sanctions List Ref") ||
        cordon__ieq(key.s, key.len, "UN Ref")) {
        part r = first_token(v);
        return cordon__entity_add_identifier(ld, e, CORDON_ID_OTHER, key.s, key.len, r.s, r.len,
                                             NULL, 0);
    }
    return 0;
}

static int add_other(ofsi *o, group *g, const cordon__csv_field *f, size_t n)
{
    part t = cell(o, f, n, C_OTHER);
    if (!t.len)
        return 0;
    bool fresh;
    int rc = first_time(o, g, 'o', t, &fresh);
    if (rc || !fresh)
        return rc;
    rc = cordon__entity_add_remarks(o->ld, g->e, t.s, t.len);
    size_t pos = 0, key_at, val_start;
    part key;
    bool have = !rc && next_key(t, &pos, &key, &key_at, &val_start);
    while (have && !rc) {
        part k = key;
        size_t vs = val_start;
        part nk;
        size_t nk_at, nvs;
        have = next_key(t, &pos, &nk, &nk_at, &nvs);
        size_t ve = have ? nk_at : t.len;
        rc = add_fact(o, g, k, (part){t.s + vs, ve - vs});
        key = nk;
        val_start = nvs;
    }
    return rc;
}

static int add_titles(ofsi *o, group *g, const cordon__csv_field *f, size_t n)
{
    int cols[2] = {C_TITLE, C_POSITION};
    for (int i = 0; i < 2; i++) {
        part t = cell(o, f, n, cols[i]);
        if (!t.len)
            continue;
        bool fresh;
        int rc = first_time(o, g, 't', t, &fresh);
        if (!rc && fresh)
            rc = cordon__entity_add_title(o->ld, g->e, t.s, t.len);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- rows --------------------------------------------------------- */

static int data_row(ofsi *o, unsigned long line, const cordon__csv_field *f, size_t n)
{
    cordon__loader *ld = o->ld;
    if (o->csv ? n != o->n_header : n > o->n_header)
        return cordon__loader_fail(ld, CORDON_EFORMAT, line, 0,
                                   "%s %lu has %zu %s, the header has %zu", o->csv ? "line" : "row",
                                   line, n, o->csv ? "fields" : "columns", o->n_header);
    part gid = cell(o, f, n, C_GROUP_ID);
    if (!gid.len) {
        bool blank = true; /* a CSV line of bare commas */
        for (size_t i = 0; i < n && blank; i++)
            blank = trimmed(f[i].s, f[i].len).len == 0;
        if (blank)
            return 0;
        return cordon__loader_fail(ld, CORDON_EFORMAT, line, 0, "%s %lu has no Group ID",
                                   o->csv ? "line" : "row", line);
    }
    static const int name_cols[] = {C_NAME1, C_NAME2, C_NAME3, C_NAME4, C_NAME5,
                                    C_NAME6, C_ALIAS_TYPE, C_ALIAS_QUALITY, C_NON_LATIN};
    static const int birth_cols[] = {C_DOB, C_TOWN_OF_BIRTH, C_COUNTRY_OF_BIRTH,
                                     C_NATIONALITY};
    static const int doc_cols[] = {C_PASSPORT_NUMBER, C_PASSPORT_DETAILS, C_NATIONAL_ID,
                                   C_NATIONAL_ID_DETAILS};
    static const int title_cols[] = {C_TITLE, C_POSITION};
    static const int addr_cols[] = {C_ADDRESS1, C_ADDRESS2, C_ADDRESS3, C_ADDRESS4,
                                    C_ADDRESS5, C_ADDRESS6, C_POSTCODE, C_COUNTRY};
    static const int misc_cols[] = {C_REGIME, C_LISTED_ON};
#define FRESH(tag, cols) fresh_part(g, tag, f, n, o, cols, sizeof cols / sizeof cols[0])
    group *g = NULL;
    int rc = get_group(o, gid, group_schema(cell(o, f, n, C_GROUP_TYPE)), line, &g);
    if (!rc && FRESH('n', name_cols))
        rc = add_names(o, g, f, n, line);
    if (!rc && FRESH('b', birth_cols))
        rc = add_birth(o, g, f, n);
    if (!rc && FRESH('d', doc_cols)) {
        rc = add_documents(o, g, f, n, C_PASSPORT_NUMBER, C_PASSPORT_DETAILS, CORDON_ID_PASSPORT);
        if (!rc)
            rc = add_documents(o, g, f, n, C_NATIONAL_ID, C_NATIONAL_ID_DETAILS,
                               CORDON_ID_NATIONAL_ID);
    }
    if (!rc && FRESH('t', title_cols))
        rc = add_titles(o, g, f, n);
    if (!rc && FRESH('a', addr_cols))
        rc = add_address(o, g, f, n);
    if (!rc)
        rc = add_other(o, g, f, n); /* deduplicated by its text */
    if (!rc && FRESH('m', misc_cols)) {
        part regime = cell(o, f, n, C_REGIME);
        rc = cordon__entity_add_program(ld, g->e, regime.s, regime.len);
        if (!rc) {
            part listed = cell(o, f, n, C_LISTED_ON);
            rc = cordon__entity_set_listed_on(ld, g->e, listed.s, listed.len);
        }
    }
#undef FRESH
    return at(o, rc, line);
}

static int on_row(void *ctx, unsigned long line, const cordon__csv_field *f, size_t n)
{
    ofsi *o = ctx;
    if (o->have_header)
        return data_row(o, line, f, n);
    part first = n ? trimmed(f[0].s, f[0].len) : (part){"", 0};
    if (cordon__ieq(first.s, first.len, "Last Updated")) {
        if (++o->preamble > OFSI_MAX_PREAMBLE_ROWS)
            return cordon__loader_fail(o->ld, CORDON_EFORMAT, line, 0, "no header row");
        for (size_t i = 1; i < n; i++) {
            part d = trimmed(f[i].s, f[i].len);
            if (d.len)
                return at(o, cordon__loader_set_published(o->ld, d.s, d.len), line);
        }
        return 0;
    }
    return read_header(o, line, f, n);
}

/* ---- driver ------------------------------------------------------- */

static int finish(ofsi *o)
{
    group **gs = o->order.items;
    char some[160] = "";
    size_t used = 0;
    for (size_t i = 0; i < o->order.count; i++) {
        group *g = gs[i];
        if (g->has_primary || !g->first_name)
            continue;
        /* Re-adding the first name as PRIMARY moves it to the front. */
        int rc = cordon__entity_add_name(o->ld, g->e, g->first_name, strlen(g->first_name),
                                         CORDON_NAME_PRIMARY);
        if (rc)
            return rc;
        if (o->no_primary++ < 5 && used < sizeof some)
            used += (size_t)snprintf(some + used, sizeof some - used, "%s%s", used ? ", " : "",
                                     g->id);
    }
    if (o->no_primary)
        return cordon__loader_warn(o->ld,
                                   "%zu group(s) have no \"Primary name\" row; their first name "
                                   "is used as primary (Group ID %s%s)",
                                   o->no_primary, some, o->no_primary > 5 ? ", ..." : "");
    return 0;
}

static void ofsi_free(ofsi *o)
{
    group **gs = o->order.items;
    for (size_t i = 0; i < o->order.count; i++) {
        cordon__vec_free(&gs[i]->seen);
        cordon__vec_free(&gs[i]->memo);
    }
    cordon__vec_free(&o->order);
    cordon__strmap_free(&o->groups);
    cordon__arena_free(&o->scratch);
    cordon__buf_free(&o->tmp);
}

static int check_end(ofsi *o, int rc)
{
    if (!rc && !o->have_header)
        rc = cordon__loader_fail(o->ld, CORDON_EEMPTY, 0, 0,
                                 "no header row: not an OFSI consolidated list");
    if (!rc)
        rc = finish(o);
    ofsi_free(o);
    return rc;
}

int cordon__parse_ofsi_xlsx(cordon__loader *ld)
{
    ofsi o = {.ld = ld, .csv = false};
    cordon__arena_init(&o.scratch);
    char *data;
    size_t len;
    int rc = cordon__read_file(ld->file, &data, &len, ld->err);
    if (rc)
        return rc;
    rc = cordon__xlsx_read(data, len, ld->file, on_row, &o, ld->err);
    free(data);
    return check_end(&o, rc);
}

int cordon__parse_ofsi_csv(cordon__loader *ld)
{
    ofsi o = {.ld = ld, .csv = true};
    cordon__arena_init(&o.scratch);
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
    while (!rc) {
        int r = cordon__csv_next(&c, &f, &n, &col);
        if (r == 0)
            break;
        if (r < 0) {
            rc = cordon__loader_fail(ld, r, c.line, col, "%s",
                                     r == CORDON_ENOMEM ? "out of memory"
                                     : r == CORDON_ETOOBIG ? "too many fields"
                                                           : "malformed CSV quoting");
            break;
        }
        rc = on_row(&o, c.line, f, n);
    }
    cordon__csv_free(&c);
    free(data);
    return check_end(&o, rc);
}
