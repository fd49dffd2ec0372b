/*
 * dataset.c — the entity store and the loader that every list parser
 * fills. A load stages entities in a loader of its own and moves them
 * into the dataset only when the parser succeeded, so a failed load
 * changes nothing.
 *
 * Memory: an entity is built in a malloc'd builder with growable arrays;
 * when the load succeeds it is copied, with exact-size arrays, into the
 * source's arena and the builder is freed. Text is checked and compared
 * before it is copied, so the repeated fields of grouped rows (OFSI) cost
 * nothing.
 */
#include "cordon_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

struct cordon__entity_b {
    cordon_entity pub;
    cordon__vec names;      /* cordon_name */
    cordon__vec birth_dates;/* cordon_date */
    cordon__vec birth_places;/* const char* */
    cordon__vec nationalities, citizenships, countries; /* cordon_country */
    cordon__vec addresses;  /* const char* */
    cordon__vec identifiers;/* cordon_identifier */
    cordon__vec programs;   /* const char* */
    cordon__buf title, remarks;
};

struct source {
    cordon_source_info info;
    cordon__arena arena;
    char **files;
};

struct cordon_dataset {
    cordon__vec sources;  /* struct source* */
    cordon__vec entities; /* cordon_entity*, in the sources' arenas */
    cordon__strmap by_id; /* id -> cordon_entity* */
};

static void entity_b_free(cordon__entity_b *e)
{
    cordon__vec_free(&e->names);
    cordon__vec_free(&e->birth_dates);
    cordon__vec_free(&e->birth_places);
    cordon__vec_free(&e->nationalities);
    cordon__vec_free(&e->citizenships);
    cordon__vec_free(&e->countries);
    cordon__vec_free(&e->addresses);
    cordon__vec_free(&e->identifiers);
    cordon__vec_free(&e->programs);
    cordon__buf_free(&e->title);
    cordon__buf_free(&e->remarks);
    free(e);
}

cordon_dataset *cordon_dataset_new(void)
{
    return calloc(1, sizeof(cordon_dataset));
}

static void source_free(struct source *s)
{
    if (!s)
        return;
    if (s->files)
        for (size_t i = 0; i < s->info.n_files; i++)
            free(s->files[i]);
    free(s->files);
    cordon__arena_free(&s->arena);
    free(s);
}

void cordon_dataset_free(cordon_dataset *ds)
{
    if (!ds)
        return;
    cordon__vec_free(&ds->entities);
    struct source **srcs = ds->sources.items;
    for (size_t i = 0; i < ds->sources.count; i++)
        source_free(srcs[i]);
    cordon__vec_free(&ds->sources);
    cordon__strmap_free(&ds->by_id);
    free(ds);
}

size_t cordon_dataset_source_count(const cordon_dataset *ds)
{
    return ds ? ds->sources.count : 0;
}

const cordon_source_info *cordon_dataset_source(const cordon_dataset *ds, size_t index)
{
    if (!ds || index >= ds->sources.count)
        return NULL;
    return &((struct source **)ds->sources.items)[index]->info;
}

size_t cordon_dataset_entity_count(const cordon_dataset *ds)
{
    return ds ? ds->entities.count : 0;
}

const cordon_entity *cordon_dataset_entity(const cordon_dataset *ds, size_t index)
{
    if (!ds || index >= ds->entities.count)
        return NULL;
    return ((cordon_entity **)ds->entities.items)[index];
}

const cordon_entity *cordon_dataset_find(const cordon_dataset *ds, const char *id, size_t len)
{
    if (!ds || !id)
        return NULL;
    return cordon__strmap_get(&ds->by_id, id, len);
}

/* ---- loader ------------------------------------------------------- */

int cordon__loader_fail(cordon__loader *ld, int code, unsigned long line,
                        unsigned long column, const char *fmt, ...)
{
    if (!ld->err)
        return code;
    char msg[sizeof ld->err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cordon__fail(ld->err, code, ld->file, line, column, "%s", msg);
}

int cordon__loader_locate(cordon__loader *ld, int rc, unsigned long line, unsigned long column)
{
    if (rc && ld->err && ld->err->line == 0) {
        ld->err->line = line;
        ld->err->column = column;
    }
    return rc;
}

int cordon__loader_warn(cordon__loader *ld, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char *copy = cordon__arena_strndup(ld->arena, msg, strlen(msg));
    char **slot = copy ? cordon__vec_push(&ld->warnings, sizeof(char *)) : NULL;
    if (!slot)
        return cordon__loader_fail(ld, CORDON_ENOMEM, 0, 0, "out of memory");
    *slot = copy;
    return 0;
}

/* Validates and trims one field in place: *len is 0 for an empty one. */
static int check(cordon__loader *ld, const char **s, size_t *len)
{
    if (!*s) {
        *len = 0;
        return 0;
    }
    *len = cordon__trim(s, *len);
    if (*len == 0)
        return 0;
    if (*len > CORDON__MAX_FIELD_BYTES)
        return cordon__loader_fail(ld, CORDON_ETOOBIG, 0, 0,
                                   "a field of %zu bytes exceeds the %zu-byte limit",
                                   *len, CORDON__MAX_FIELD_BYTES);
    size_t ok = cordon__utf8_valid_prefix(*s, *len);
    if (ok != *len) {
        /* Quote the valid text before the bad byte, at most 40 bytes,
         * cut at a character boundary. */
        size_t q = ok < 40 ? ok : 40;
        while (q && q < ok && ((unsigned char)(*s)[q] & 0xC0) == 0x80)
            q--;
        return cordon__loader_fail(ld, CORDON_EUTF8, 0, 0,
                                   "invalid UTF-8 at byte %zu of field \"%.*s\"", ok + 1,
                                   (int)q, *s);
    }
    if (memchr(*s, '\0', *len))
        return cordon__loader_fail(ld, CORDON_EFORMAT, 0, 0, "NUL byte inside a field");
    return 0;
}

static int copy_str(cordon__loader *ld, const char *s, size_t len, const char **out)
{
    char *copy = cordon__arena_strndup(ld->arena, s, len);
    if (!copy)
        return cordon__loader_fail(ld, CORDON_ENOMEM, 0, 0, "out of memory");
    *out = copy;
    return 0;
}

/* Validates, trims and copies one field into the source's arena.
 * *out is NULL for an empty field. */
static int field(cordon__loader *ld, const char *s, size_t len, const char **out)
{
    *out = NULL;
    int rc = check(ld, &s, &len);
    if (rc || len == 0)
        return rc;
    return copy_str(ld, s, len, out);
}

/* A stored string equals s[0..len). */
static bool same(const char *stored, const char *s, size_t len)
{
    return strncmp(stored, s, len) == 0 && stored[len] == '\0';
}

int cordon__entity_begin(cordon__loader *ld, const char *native_id, size_t len,
                         cordon_schema schema, unsigned long line, cordon__entity_b **out)
{
    *out = NULL;
    if ((unsigned)schema >= CORDON_SCHEMA_COUNT_)
        return cordon__loader_fail(ld, CORDON_EINVAL, line, 0, "unknown schema %d", (int)schema);
    const char *nid;
    int rc = field(ld, native_id, len, &nid);
    if (rc)
        return rc;
    if (!nid)
        return cordon__loader_fail(ld, CORDON_EFORMAT, line, 0, "record has an empty id");
    if (cordon__strmap_get(&ld->index, nid, strlen(nid)))
        return cordon__loader_fail(ld, CORDON_EFORMAT, line, 0,
                                   "duplicate record id \"%s\"", nid);
    cordon__entity_b *e = calloc(1, sizeof *e);
    cordon__entity_b **slot = e ? cordon__vec_push(&ld->entities, sizeof *slot) : NULL;
    if (!slot) {
        free(e);
        return cordon__loader_fail(ld, CORDON_ENOMEM, line, 0, "out of memory");
    }
    *slot = e;
    size_t sl = strlen(ld->spec->name), nl = strlen(nid);
    char *id = cordon__arena_alloc(ld->arena, sl + 1 + nl + 1);
    if (!id)
        return cordon__loader_fail(ld, CORDON_ENOMEM, line, 0, "out of memory");
    memcpy(id, ld->spec->name, sl);
    id[sl] = ':';
    memcpy(id + sl + 1, nid, nl + 1);
    e->pub.id = id;
    e->pub.source = id; /* fixed up when moved into the dataset */
    e->pub.native_id = nid;
    e->pub.schema = schema;
    e->pub.origin_file = cordon__basename(ld->file ? ld->file : "");
    e->pub.origin_line = line;
    if (cordon__strmap_put(&ld->index, nid, strlen(nid), e))
        return cordon__loader_fail(ld, CORDON_ENOMEM, line, 0, "out of memory");
    *out = e;
    return 0;
}

cordon__entity_b *cordon__entity_lookup(cordon__loader *ld, const char *native_id, size_t len)
{
    len = cordon__trim(&native_id, len);
    return cordon__strmap_get(&ld->index, native_id, len);
}

void cordon__entity_set_schema(cordon__entity_b *e, cordon_schema schema)
{
    if ((unsigned)schema < CORDON_SCHEMA_COUNT_)
        e->pub.schema = schema;
}
cordon_schema cordon__entity_schema(const cordon__entity_b *e) { return e->pub.schema; }

#define OOM(ld) cordon__loader_fail((ld), CORDON_ENOMEM, 0, 0, "out of memory")

int cordon__entity_add_name(cordon__loader *ld, cordon__entity_b *e,
                            const char *s, size_t len, cordon_name_kind kind)
{
    int rc = check(ld, &s, &len);
    if (rc || len == 0)
        return rc;
    cordon_name *names = e->names.items;
    bool has_primary = e->names.count && names[0].kind == CORDON_NAME_PRIMARY;
    for (size_t i = 0; i < e->names.count; i++) {
        if (same(names[i].value, s, len)) {
            /* Keep the stronger tie: PRIMARY, then STRONG (FORMER and
             * NATIVE rank with it), then WEAK. */
            if (kind == CORDON_NAME_PRIMARY && !has_primary) {
                /* becomes the primary name, moved to the front */
                cordon_name tmp = names[i];
                memmove(&names[1], &names[0], i * sizeof *names);
                names[0] = tmp;
                names[0].kind = CORDON_NAME_PRIMARY;
            } else if ((kind == CORDON_NAME_PRIMARY || kind == CORDON_NAME_STRONG) &&
                       names[i].kind == CORDON_NAME_WEAK) {
                /* a second primary name counts as a strong alias */
                names[i].kind = CORDON_NAME_STRONG;
            }
            return 0;
        }
    }
    const char *v = NULL;
    if ((rc = copy_str(ld, s, len, &v)) != 0)
        return rc;
    cordon_name *n = cordon__vec_push(&e->names, sizeof *n);
    if (!n)
        return OOM(ld);
    n->value = v;
    n->kind = kind;
    names = e->names.items;
    if (kind == CORDON_NAME_PRIMARY) {
        size_t last = e->names.count - 1;
        if (last > 0 && names[0].kind == CORDON_NAME_PRIMARY) {
            /* A second primary name (e.g. an OFSI group row) is an alias. */
            names[last].kind = CORDON_NAME_STRONG;
        } else if (last > 0) {
            cordon_name tmp = names[last];
            memmove(&names[1], &names[0], last * sizeof *names);
            names[0] = tmp;
        }
    }
    return 0;
}

int cordon__entity_add_birth_date(cordon__loader *ld, cordon__entity_b *e,
                                  const char *s, size_t len)
{
    int rc = check(ld, &s, &len);
    if (rc || len == 0)
        return rc;
    cordon_date d;
    if (cordon_date_parse(s, len, &d) != 0) {
        /* Keep what the list said, visibly, rather than drop it. */
        return cordon__entity_add_remarks(ld, e, s, len);
    }
    cordon_date *existing = e->birth_dates.items;
    for (size_t i = 0; i < e->birth_dates.count; i++)
        if (existing[i].year == d.year && existing[i].month == d.month &&
            existing[i].day == d.day && existing[i].year_to == d.year_to &&
            existing[i].flags == d.flags)
            return 0;
    const char *v = NULL;
    if ((rc = copy_str(ld, s, len, &v)) != 0)
        return rc;
    cordon_date *slot = cordon__vec_push(&e->birth_dates, sizeof *slot);
    if (!slot)
        return OOM(ld);
    *slot = d;
    slot->text = v;
    return 0;
}

static int add_string(cordon__loader *ld, cordon__vec *v, const char *s, size_t len)
{
    int rc = check(ld, &s, &len);
    if (rc || len == 0)
        return rc;
    const char **items = v->items;
    for (size_t i = 0; i < v->count; i++)
        if (same(items[i], s, len))
            return 0;
    const char *val = NULL;
    if ((rc = copy_str(ld, s, len, &val)) != 0)
        return rc;
    const char **slot = cordon__vec_push(v, sizeof *slot);
    if (!slot)
        return OOM(ld);
    *slot = val;
    return 0;
}

static int add_country(cordon__loader *ld, cordon__vec *v, const char *s, size_t len)
{
    int rc = check(ld, &s, &len);
    if (rc || len == 0)
        return rc;
    char code[3] = "";
    if (cordon_country_lookup(s, len, code) != 0)
        code[0] = '\0';
    cordon_country *items = v->items;
    for (size_t i = 0; i < v->count; i++)
        if ((code[0] && strcmp(items[i].code, code) == 0) || same(items[i].text, s, len))
            return 0;
    const char *val = NULL;
    if ((rc = copy_str(ld, s, len, &val)) != 0)
        return rc;
    cordon_country *slot = cordon__vec_push(v, sizeof *slot);
    if (!slot)
        return OOM(ld);
    memcpy(slot->code, code, 3);
    slot->text = val;
    return 0;
}

int cordon__entity_add_birth_place(cordon__loader *ld, cordon__entity_b *e, const char *s, size_t len)
{
    return add_string(ld, &e->birth_places, s, len);
}
int cordon__entity_add_nationality(cordon__loader *ld, cordon__entity_b *e, const char *s, size_t len)
{
    return add_country(ld, &e->nationalities, s, len);
}
int cordon__entity_add_citizenship(cordon__loader *ld, cordon__entity_b *e, const char *s, size_t len)
{
    return add_country(ld, &e->citizenships, s, len);
}
int cordon__entity_add_country(cordon__loader *ld, cordon__entity_b *e, const char *s, size_t len)
{
    return add_country(ld, &e->countries, s, len);
}
int cordon__entity_add_address(cordon__loader *ld, cordon__entity_b *e, const char *s, size_t len)
{
    return add_string(ld, &e->addresses, s, len);
}
int cordon__entity_add_program(cordon__loader *ld, cordon__entity_b *e, const char *s, size_t len)
{
    return add_string(ld, &e->programs, s, len);
}

int cordon__entity_add_identifier(cordon__loader *ld, cordon__entity_b *e,
                                  cordon_id_type type, const char *label, size_t label_len,
                                  const char *value, size_t value_len,
                                  const char *country, size_t country_len)
{
    int rc = check(ld, &value, &value_len);
    if (!rc)
        rc = check(ld, &label, &label_len);
    if (!rc)
        rc = check(ld, &country, &country_len);
    if (rc || value_len == 0)
        return rc;
    cordon_identifier *items = e->identifiers.items;
    for (size_t i = 0; i < e->identifiers.count; i++)
        if (items[i].type == type && same(items[i].value, value, value_len))
            return 0;
    const char *v = NULL, *l = NULL, *c = NULL;
    rc = copy_str(ld, value, value_len, &v);
    if (!rc && label_len)
        rc = copy_str(ld, label, label_len, &l);
    if (!rc && country_len)
        rc = copy_str(ld, country, country_len, &c);
    if (rc)
        return rc;
    cordon_identifier *slot = cordon__vec_push(&e->identifiers, sizeof *slot);
    if (!slot)
        return OOM(ld);
    slot->type = type;
    slot->label = l;
    slot->value = v;
    slot->country = c;
    return 0;
}

static int set_once(cordon__loader *ld, const char **dst, const char *s, size_t len)
{
    int rc = check(ld, &s, &len);
    if (rc || len == 0 || *dst)
        return rc;
    return copy_str(ld, s, len, dst);
}

int cordon__entity_set_gender(cordon__loader *ld, cordon__entity_b *e, const char *s, size_t len)
{
    return set_once(ld, &e->pub.gender, s, len);
}

int cordon__entity_set_listed_on(cordon__loader *ld, cordon__entity_b *e, const char *s, size_t len)
{
    int rc = check(ld, &s, &len);
    if (rc || len == 0 || e->pub.listed_on)
        return rc;
    const char *v = NULL;
    if ((rc = copy_str(ld, s, len, &v)) != 0)
        return rc;
    cordon_date d;
    if (cordon_date_parse(v, strlen(v), &d) == 0 && d.day && d.month) {
        char iso[16];
        snprintf(iso, sizeof iso, "%04d-%02u-%02u", d.year, d.month, d.day);
        v = cordon__arena_strndup(ld->arena, iso, strlen(iso));
        if (!v)
            return OOM(ld);
    }
    e->pub.listed_on = v;
    return 0;
}

/* Appends s as one more "; "-separated piece, unless it is one already
 * (grouped rows repeat their remarks). */
static int append_joined(cordon__loader *ld, cordon__buf *b, const char *s, size_t len)
{
    int rc = check(ld, &s, &len);
    if (rc || len == 0)
        return rc;
    for (size_t at = 0; b->len >= len && at <= b->len - len;) {
        const char *hit = memmem(b->data + at, b->len - at, s, len);
        if (!hit)
            break;
        size_t i = (size_t)(hit - b->data);
        if ((i == 0 || (i >= 2 && !memcmp(b->data + i - 2, "; ", 2))) &&
            (i + len == b->len || !memcmp(b->data + i + len, "; ", 2)))
            return 0;
        at = i + 1;
    }
    if (b->len && (cordon__buf_append(b, "; ", 2)))
        return OOM(ld);
    if (cordon__buf_append(b, s, len))
        return OOM(ld);
    return 0;
}

int cordon__entity_add_title(cordon__loader *ld, cordon__entity_b *e, const char *s, size_t len)
{
    return append_joined(ld, &e->title, s, len);
}

int cordon__entity_add_remarks(cordon__loader *ld, cordon__entity_b *e, const char *s, size_t len)
{
    return append_joined(ld, &e->remarks, s, len);
}

int cordon__loader_set_published(cordon__loader *ld, const char *s, size_t len)
{
    const char *v = NULL;
    int rc = field(ld, s, len, &v);
    if (rc || !v)
        return rc;
    cordon_date d;
    if (cordon_date_parse(v, strlen(v), &d) == 0 && d.month && d.day) {
        char iso[16];
        snprintf(iso, sizeof iso, "%04d-%02u-%02u", d.year, d.month, d.day);
        v = cordon__arena_strndup(ld->arena, iso, strlen(iso));
        if (!v)
            return OOM(ld);
    }
    ld->published = v;
    return 0;
}

/* ---- load --------------------------------------------------------- */

static const cordon__parse_fn parsers[CORDON_FORMAT_COUNT_] = {
    [CORDON_FORMAT_OFAC_CSV] = cordon__parse_ofac_csv,
    [CORDON_FORMAT_OFAC_XML] = cordon__parse_ofac_xml,
    [CORDON_FORMAT_OFAC_ENHANCED_XML] = cordon__parse_ofac_enhanced_xml,
    [CORDON_FORMAT_OFAC_ADVANCED_XML] = cordon__parse_ofac_advanced_xml,
    [CORDON_FORMAT_UN_XML] = cordon__parse_un_xml,
    [CORDON_FORMAT_OFSI_XLSX] = cordon__parse_ofsi_xlsx,
    [CORDON_FORMAT_OFSI_CSV] = cordon__parse_ofsi_csv,
    [CORDON_FORMAT_US_CSL] = cordon__parse_us_csl,
    [CORDON_FORMAT_OS_SIMPLE_CSV] = cordon__parse_os_simple_csv,
    [CORDON_FORMAT_FTM_JSON] = cordon__parse_ftm_json,
};

static int hash_files(const cordon_source_spec *spec, char out[65], cordon_error *err)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(ctx);
        return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "cannot start SHA-256");
    }
    int rc = 0;
    for (size_t i = 0; i < spec->n_files && !rc; i++) {
        FILE *f = fopen(spec->files[i], "rb");
        if (!f) {
            rc = cordon__fail(err, CORDON_EIO, spec->files[i], 0, 0, "cannot open: %s",
                              strerror(errno));
            break;
        }
        unsigned char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            EVP_DigestUpdate(ctx, chunk, n);
        if (ferror(f))
            rc = cordon__fail(err, CORDON_EIO, spec->files[i], 0, 0, "read error");
        fclose(f);
    }
    unsigned char md[32];
    unsigned int md_len = 0;
    EVP_DigestFinal_ex(ctx, md, &md_len);
    EVP_MD_CTX_free(ctx);
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    out[64] = '\0';
    return rc;
}

static void wire(cordon__entity_b *e)
{
    cordon_entity *p = &e->pub;
    p->names = e->names.items;
    p->n_names = e->names.count;
    p->birth_dates = e->birth_dates.items;
    p->n_birth_dates = e->birth_dates.count;
    p->birth_places = e->birth_places.items;
    p->n_birth_places = e->birth_places.count;
    p->nationalities = e->nationalities.items;
    p->n_nationalities = e->nationalities.count;
    p->citizenships = e->citizenships.items;
    p->n_citizenships = e->citizenships.count;
    p->countries = e->countries.items;
    p->n_countries = e->countries.count;
    p->addresses = e->addresses.items;
    p->n_addresses = e->addresses.count;
    p->identifiers = e->identifiers.items;
    p->n_identifiers = e->identifiers.count;
    p->programs = e->programs.items;
    p->n_programs = e->programs.count;
}

const cordon_entity *cordon__entity_peek(cordon__entity_b *e)
{
    wire(e);
    e->pub.title = e->title.len ? e->title.data : NULL;
    e->pub.remarks = e->remarks.len ? e->remarks.data : NULL;
    return &e->pub;
}

void cordon__loader_discard(cordon__loader *ld)
{
    cordon__entity_b **staged = ld->entities.items;
    for (size_t i = 0; i < ld->entities.count; i++)
        entity_b_free(staged[i]);
    cordon__vec_free(&ld->entities);
    cordon__vec_free(&ld->warnings);
    cordon__strmap_free(&ld->index);
}

static void *arena_copy(cordon__arena *a, const void *p, size_t count, size_t size)
{
    if (count == 0)
        return NULL;
    if (count > SIZE_MAX / size)
        return NULL;
    void *q = cordon__arena_alloc(a, count * size);
    if (q)
        memcpy(q, p, count * size);
    return q;
}

/* The entity as it goes into the dataset: a copy in the arena with
 * exact-size arrays. `files` are the dataset's copies of the spec's file
 * names, so origin_file does not point into the caller's spec. */
static int finish_entity(cordon__loader *ld, cordon__entity_b *e, const char *source,
                         char *const *files, cordon_entity **out)
{
    cordon_entity *p = cordon__arena_alloc(ld->arena, sizeof *p);
    if (!p)
        return OOM(ld);
    if (e->names.count == 0)
        return cordon__loader_fail(ld, CORDON_EFORMAT, e->pub.origin_line, 0,
                                   "record \"%s\" has no name", e->pub.native_id);
    /* names[0] is the primary name: a record listed only under aliases
     * has its first alias as its primary name. */
    ((cordon_name *)e->names.items)[0].kind = CORDON_NAME_PRIMARY;
    *p = e->pub;
    p->source = source;
    bool ok = true;
#define MOVE(arr, n, vec, type)                                                          \
    do {                                                                                 \
        p->arr = arena_copy(ld->arena, e->vec.items, e->vec.count, sizeof(type));         \
        p->n = e->vec.count;                                                             \
        ok = ok && (p->arr || !p->n);                                                    \
    } while (0)
    MOVE(names, n_names, names, cordon_name);
    MOVE(birth_dates, n_birth_dates, birth_dates, cordon_date);
    MOVE(birth_places, n_birth_places, birth_places, const char *);
    MOVE(nationalities, n_nationalities, nationalities, cordon_country);
    MOVE(citizenships, n_citizenships, citizenships, cordon_country);
    MOVE(countries, n_countries, countries, cordon_country);
    MOVE(addresses, n_addresses, addresses, const char *);
    MOVE(identifiers, n_identifiers, identifiers, cordon_identifier);
    MOVE(programs, n_programs, programs, const char *);
#undef MOVE
    p->title = e->title.len ? cordon__arena_strndup(ld->arena, e->title.data, e->title.len) : NULL;
    p->remarks = e->remarks.len ? cordon__arena_strndup(ld->arena, e->remarks.data, e->remarks.len) : NULL;
    ok = ok && !(e->title.len && !p->title) && !(e->remarks.len && !p->remarks);
    const char *origin = NULL;
    for (size_t k = 0; k < ld->spec->n_files && !origin; k++)
        if (p->origin_file == cordon__basename(ld->spec->files[k]))
            origin = cordon__basename(files[k]);
    if (!origin && p->origin_file)
        origin = cordon__arena_strndup(ld->arena, p->origin_file, strlen(p->origin_file));
    p->origin_file = origin;
    if (!ok || !origin)
        return OOM(ld);
    *out = p;
    return 0;
}

int cordon_dataset_load(cordon_dataset *ds, const cordon_source_spec *spec, cordon_error *err)
{
    cordon_error_clear(err);
    if (!ds || !spec || !spec->name || !spec->name[0] || spec->n_files == 0 ||
        spec->n_files > CORDON_MAX_SOURCE_FILES || spec->format <= 0 ||
        spec->format >= CORDON_FORMAT_COUNT_)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0,
                            "a source needs a name, a known format and 1 to %d files",
                            CORDON_MAX_SOURCE_FILES);
    for (size_t i = 0; i < spec->n_files; i++)
        if (!spec->files[i] || !spec->files[i][0])
            return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "source \"%s\" has an empty file name",
                                spec->name);
    for (const char *c = spec->name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
            return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0,
                                "source name \"%s\" may hold only a-z, 0-9, '_' and '-'",
                                spec->name);
    struct source **srcs = ds->sources.items;
    for (size_t i = 0; i < ds->sources.count; i++)
        if (strcmp(srcs[i]->info.name, spec->name) == 0)
            return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0,
                                "source \"%s\" is already loaded", spec->name);

    struct source *src = calloc(1, sizeof *src);
    if (!src)
        return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    cordon__arena_init(&src->arena);
    cordon__loader ld = {
        .ds = ds, .spec = spec, .file = spec->files[0], .err = err, .arena = &src->arena,
    };
    int rc = hash_files(spec, src->info.sha256, err);
    if (!rc)
        rc = parsers[spec->format](&ld);
    if (!rc && ld.entities.count == 0)
        rc = cordon__loader_fail(&ld, CORDON_EEMPTY, 0, 0, "no records found");

    const char *name = rc ? NULL : cordon__arena_strndup(&src->arena, spec->name, strlen(spec->name));
    if (!rc && !name)
        rc = OOM(&ld);
    src->files = rc ? NULL : calloc(spec->n_files, sizeof(char *));
    if (!rc && !src->files)
        rc = OOM(&ld);
    for (size_t i = 0; !rc && i < spec->n_files; i++)
        if (!(src->files[i] = strdup(spec->files[i])))
            rc = OOM(&ld);
    src->info.n_files = spec->n_files;
    cordon__entity_b **staged = ld.entities.items;
    size_t n = ld.entities.count;
    cordon_entity **done = rc ? NULL : cordon__arena_alloc(&src->arena, n * sizeof *done);
    if (!rc && !done)
        rc = OOM(&ld);
    for (size_t i = 0; !rc && i < n; i++)
        rc = finish_entity(&ld, staged[i], name, src->files, &done[i]);
    const char **warnings = NULL;
    size_t n_warnings = ld.warnings.count;
    if (!rc && n_warnings) {
        warnings = cordon__arena_alloc(&src->arena, n_warnings * sizeof *warnings);
        if (!warnings)
            rc = OOM(&ld);
        else
            memcpy(warnings, ld.warnings.items, n_warnings * sizeof *warnings);
    }
    /* The builders are no longer needed, whatever happened. */
    cordon__loader_discard(&ld);

    /* Reserve everything before moving anything, so a late failure still
     * leaves the dataset untouched. */
    if (!rc && ds->entities.cap < ds->entities.count + n) {
        size_t cap = ds->entities.count + n;
        void *p = realloc(ds->entities.items, cap * sizeof(cordon_entity *));
        if (!p)
            rc = OOM(&ld);
        else {
            ds->entities.items = p;
            ds->entities.cap = cap;
        }
    }
    if (!rc && cordon__strmap_reserve(&ds->by_id, n))
        rc = OOM(&ld);
    struct source **srcslot = rc ? NULL : cordon__vec_push(&ds->sources, sizeof *srcslot);
    if (!rc && !srcslot)
        rc = OOM(&ld);
    if (rc) {
        source_free(src);
        return rc;
    }

    /* From here nothing can fail: the dataset changes all at once. */
    cordon_source_info *info = &src->info;
    info->name = name;
    info->format = spec->format;
    info->files = (const char *const *)src->files;
    info->published = ld.published;
    for (size_t i = 0; i < n; i++) {
        cordon_entity *p = done[i];
        info->n_entities++;
        info->n_by_schema[p->schema]++;
        info->n_names += p->n_names;
        ((cordon_entity **)ds->entities.items)[ds->entities.count++] = p;
        cordon__strmap_put(&ds->by_id, p->id, strlen(p->id), p);
    }
    info->warnings = warnings;
    info->n_warnings = n_warnings;
    *srcslot = src;
    return 0;
}
