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
 *
 * Every add drops a value the entity already has. A short list is
 * scanned for it; a list that grows long gets a hash index, so that one
 * entity with a hundred thousand values (a hostile alt.csv) loads in
 * linear time, not quadratic.
 */
#include "cordon_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

/* A hash index over the items of one list: slots hold an item's hash
 * and its position + 1 (0 marks an empty slot). */
struct hslot {
    uint64_t hash;
    size_t ref;
};
typedef struct hindex {
    struct hslot *slots;
    size_t cap, count; /* cap: a power of two */
} hindex;

/* A list of values, and its index once the list has grown long (most
 * lists stay short and never allocate one). */
typedef struct list {
    cordon__vec v;
    hindex *ix;
} list;

/* A country list: indexed by text, and once long also by ISO code. */
typedef struct country_list {
    list l; /* cordon_country */
    hindex *code_ix;
} country_list;

/* A byte range of a text. */
struct span {
    size_t off, len;
};

/* Where the pieces of a long title or remarks lie, and the appended texts
 * that hold "; " themselves, to find repeats without scanning. */
struct text_ix {
    list pieces;   /* struct span: the "; "-separated pieces, each once;
                      kept once the text is longer than TEXT_SCAN_MAX */
    list chunks;   /* struct span: appended texts that hold "; " */
};

/* Title or remarks: pieces joined with "; ". */
typedef struct text {
    cordon__buf b;
    struct text_ix *ix; /* NULL until a text with "; " or a long text */
} text;

struct cordon__entity_b {
    cordon_entity pub;
    list names;              /* cordon_name */
    list birth_dates;        /* cordon_date */
    list birth_places;       /* const char* */
    country_list nationalities, citizenships, countries; /* cordon_country */
    list addresses;          /* const char* */
    list identifiers;        /* cordon_identifier */
    list programs;           /* const char* */
    text title, remarks;
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

static void hindex_free(hindex **h)
{
    if (*h)
        free((*h)->slots);
    free(*h);
    *h = NULL;
}

static void list_free(list *l)
{
    cordon__vec_free(&l->v);
    hindex_free(&l->ix);
}

static void text_free(text *t)
{
    cordon__buf_free(&t->b);
    if (t->ix) {
        list_free(&t->ix->pieces);
        list_free(&t->ix->chunks);
        free(t->ix);
    }
}

static void entity_b_free(cordon__entity_b *e)
{
    list_free(&e->names);
    list_free(&e->birth_dates);
    list_free(&e->birth_places);
    country_list *cls[] = {&e->nationalities, &e->citizenships, &e->countries};
    for (size_t i = 0; i < 3; i++) {
        list_free(&cls[i]->l);
        hindex_free(&cls[i]->code_ix);
    }
    list_free(&e->addresses);
    list_free(&e->identifiers);
    list_free(&e->programs);
    text_free(&e->title);
    text_free(&e->remarks);
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

/* ---- duplicate checks ----------------------------------------------- */

/* Lists up to this long are scanned; longer ones are indexed. Most
 * entities have a handful of values of each kind, and an index for every
 * list would cost more than it saves. */
#define SCAN_MAX 16

/* What a new value is compared by. base is the text that spans point
 * into (title, remarks). */
typedef struct key {
    const char *s;
    size_t len;
    int type;             /* identifiers */
    const cordon_date *d; /* birth dates */
    const char *base;     /* spans */
} key;

/* How the items of one kind of list are hashed and compared with a key;
 * hash(item) must equal key_hash of a key equal to it. */
typedef struct list_ops {
    size_t size;
    uint64_t (*hash)(const void *item, const void *base);
    bool (*eq)(const void *item, const key *k);
    bool (*skip)(const void *item); /* not indexed (may be NULL) */
} list_ops;

static int hindex_put(hindex *h, uint64_t hash, size_t pos)
{
    if ((h->count + 1) * 2 > h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        if (cap > SIZE_MAX / 2 / sizeof(struct hslot))
            return CORDON_ENOMEM;
        struct hslot *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return CORDON_ENOMEM;
        for (size_t i = 0; i < h->cap; i++) {
            if (!h->slots[i].ref)
                continue;
            size_t j = h->slots[i].hash & (cap - 1);
            while (slots[j].ref)
                j = (j + 1) & (cap - 1);
            slots[j] = h->slots[i];
        }
        free(h->slots);
        h->slots = slots;
        h->cap = cap;
    }
    size_t j = hash & (h->cap - 1);
    while (h->slots[j].ref)
        j = (j + 1) & (h->cap - 1);
    h->slots[j] = (struct hslot){hash, pos + 1};
    h->count++;
    return 0;
}

/*
 * Finds the item of the vector equal to k, whose hash is `hash`, through
 * the index *ixp: *at is its position, or SIZE_MAX. While the vector has
 * at most SCAN_MAX items and no index, scans it; else builds the index
 * first if need be (CORDON_ENOMEM if that fails). Items that ops->skip
 * are not indexed, and are never found.
 */
static int find_in(const cordon__vec *v, hindex **ixp, const list_ops *ops, uint64_t hash,
                   const key *k, size_t *at)
{
    *at = SIZE_MAX;
    const char *items = v->items;
    if (!*ixp && v->count <= SCAN_MAX) {
        for (size_t i = 0; i < v->count; i++) {
            const void *item = items + i * ops->size;
            if ((!ops->skip || !ops->skip(item)) && ops->eq(item, k)) {
                *at = i;
                break;
            }
        }
        return 0;
    }
    if (!*ixp) {
        hindex *h = calloc(1, sizeof *h);
        if (!h)
            return CORDON_ENOMEM;
        *ixp = h;
        for (size_t i = 0; i < v->count; i++) {
            const void *item = items + i * ops->size;
            if ((!ops->skip || !ops->skip(item)) && hindex_put(h, ops->hash(item, k->base), i))
                return CORDON_ENOMEM;
        }
    }
    const hindex *h = *ixp;
    for (size_t j = hash & (h->cap - 1); h->cap && h->slots[j].ref; j = (j + 1) & (h->cap - 1)) {
        size_t pos = h->slots[j].ref - 1;
        if (h->slots[j].hash == hash && ops->eq(items + pos * ops->size, k)) {
            *at = pos;
            break;
        }
    }
    return 0;
}

static int list_find(list *l, const list_ops *ops, uint64_t hash, const key *k, size_t *at)
{
    return find_in(&l->v, &l->ix, ops, hash, k, at);
}

/* Appends a zeroed item for a value whose hash is `hash`, indexed when
 * the list is; NULL when out of memory. */
static void *list_push(list *l, const list_ops *ops, uint64_t hash)
{
    void *item = cordon__vec_push(&l->v, ops->size);
    if (item && l->ix && hindex_put(l->ix, hash, l->v.count - 1)) {
        l->v.count--;
        return NULL;
    }
    return item;
}

static uint64_t str_hash(const char *s, size_t len) { return cordon__hash(s, len); }

static uint64_t string_hash(const void *item, const void *base)
{
    const char *s = *(const char *const *)item;
    return str_hash(s, strlen(s));
}
static bool string_eq(const void *item, const key *k)
{
    return same(*(const char *const *)item, k->s, k->len);
}
static const list_ops string_ops = {sizeof(const char *), string_hash, string_eq, NULL};

static uint64_t name_hash(const void *item, const void *base)
{
    const char *s = ((const cordon_name *)item)->value;
    return str_hash(s, strlen(s));
}
static bool name_eq(const void *item, const key *k)
{
    return same(((const cordon_name *)item)->value, k->s, k->len);
}
static const list_ops name_ops = {sizeof(cordon_name), name_hash, name_eq, NULL};

static uint64_t country_hash(const void *item, const void *base)
{
    const char *s = ((const cordon_country *)item)->text;
    return str_hash(s, strlen(s));
}
static bool country_eq(const void *item, const key *k)
{
    return same(((const cordon_country *)item)->text, k->s, k->len);
}
static const list_ops country_ops = {sizeof(cordon_country), country_hash, country_eq, NULL};

static uint64_t id_key_hash(int type, const char *s, size_t len)
{
    return str_hash(s, len) ^ ((uint64_t)(unsigned)type * 0x9e3779b97f4a7c15ull);
}
static uint64_t id_hash(const void *item, const void *base)
{
    const cordon_identifier *id = item;
    return id_key_hash((int)id->type, id->value, strlen(id->value));
}
static bool id_eq(const void *item, const key *k)
{
    const cordon_identifier *id = item;
    return (int)id->type == k->type && same(id->value, k->s, k->len);
}
static const list_ops id_ops = {sizeof(cordon_identifier), id_hash, id_eq, NULL};

static uint64_t date_key_hash(const cordon_date *d)
{
    uint64_t v[5] = {(uint64_t)(int64_t)d->year, d->month, d->day, (uint64_t)(int64_t)d->year_to,
                     d->flags};
    return cordon__hash(v, sizeof v);
}
static uint64_t date_hash(const void *item, const void *base)
{
    return date_key_hash(item);
}
static bool date_eq(const void *item, const key *k)
{
    const cordon_date *a = item, *b = k->d;
    return a->year == b->year && a->month == b->month && a->day == b->day &&
           a->year_to == b->year_to && a->flags == b->flags;
}
static const list_ops date_ops = {sizeof(cordon_date), date_hash, date_eq, NULL};

static uint64_t span_hash(const void *item, const void *base)
{
    const struct span *sp = item;
    return str_hash((const char *)base + sp->off, sp->len);
}
static bool span_eq(const void *item, const key *k)
{
    const struct span *sp = item;
    return sp->len == k->len && memcmp(k->base + sp->off, k->s, k->len) == 0;
}
static const list_ops span_ops = {sizeof(struct span), span_hash, span_eq, NULL};

/* Countries by ISO code; those without one are left out. */
static uint64_t code_hash(const void *item, const void *base)
{
    const char *code = ((const cordon_country *)item)->code;
    return str_hash(code, strlen(code));
}
static bool code_eq(const void *item, const key *k)
{
    return strcmp(((const cordon_country *)item)->code, k->s) == 0;
}
static bool code_none(const void *item) { return !((const cordon_country *)item)->code[0]; }
static const list_ops code_ops = {sizeof(cordon_country), code_hash, code_eq, code_none};

/* ---- adding values ------------------------------------------------- */

int cordon__entity_add_name(cordon__loader *ld, cordon__entity_b *e,
                            const char *s, size_t len, cordon_name_kind kind)
{
    int rc = check(ld, &s, &len);
    if (rc || len == 0)
        return rc;
    key k = {.s = s, .len = len};
    uint64_t h = str_hash(s, len);
    size_t i;
    if (list_find(&e->names, &name_ops, h, &k, &i))
        return OOM(ld);
    cordon_name *names = e->names.v.items;
    bool has_primary = e->names.v.count && names[0].kind == CORDON_NAME_PRIMARY;
    if (i != SIZE_MAX) {
        /* Keep the stronger tie: PRIMARY, then STRONG (FORMER and NATIVE
         * rank with it), then WEAK. */
        if (kind == CORDON_NAME_PRIMARY && !has_primary) {
            /* becomes the primary name, moved to the front */
            cordon_name tmp = names[i];
            memmove(&names[1], &names[0], i * sizeof *names);
            names[0] = tmp;
            names[0].kind = CORDON_NAME_PRIMARY;
            hindex_free(&e->names.ix); /* positions moved: rebuilt when needed */
        } else if ((kind == CORDON_NAME_PRIMARY || kind == CORDON_NAME_STRONG) &&
                   names[i].kind == CORDON_NAME_WEAK) {
            /* a second primary name counts as a strong alias */
            names[i].kind = CORDON_NAME_STRONG;
        }
        return 0;
    }
    const char *v = NULL;
    if ((rc = copy_str(ld, s, len, &v)) != 0)
        return rc;
    cordon_name *n = list_push(&e->names, &name_ops, h);
    if (!n)
        return OOM(ld);
    n->value = v;
    n->kind = kind;
    names = e->names.v.items;
    if (kind == CORDON_NAME_PRIMARY) {
        size_t last = e->names.v.count - 1;
        if (last > 0 && names[0].kind == CORDON_NAME_PRIMARY) {
            /* A second primary name (e.g. an OFSI group row) is an alias. */
            names[last].kind = CORDON_NAME_STRONG;
        } else if (last > 0) {
            cordon_name tmp = names[last];
            memmove(&names[1], &names[0], last * sizeof *names);
            names[0] = tmp;
            hindex_free(&e->names.ix);
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
    key k = {.d = &d};
    uint64_t h = date_key_hash(&d);
    size_t i;
    if (list_find(&e->birth_dates, &date_ops, h, &k, &i))
        return OOM(ld);
    if (i != SIZE_MAX)
        return 0;
    const char *v = NULL;
    if ((rc = copy_str(ld, s, len, &v)) != 0)
        return rc;
    cordon_date *slot = list_push(&e->birth_dates, &date_ops, h);
    if (!slot)
        return OOM(ld);
    *slot = d;
    slot->text = v;
    return 0;
}

static int add_string(cordon__loader *ld, list *l, const char *s, size_t len)
{
    int rc = check(ld, &s, &len);
    if (rc || len == 0)
        return rc;
    key k = {.s = s, .len = len};
    uint64_t h = str_hash(s, len);
    size_t i;
    if (list_find(l, &string_ops, h, &k, &i))
        return OOM(ld);
    if (i != SIZE_MAX)
        return 0;
    const char *val = NULL;
    if ((rc = copy_str(ld, s, len, &val)) != 0)
        return rc;
    const char **slot = list_push(l, &string_ops, h);
    if (!slot)
        return OOM(ld);
    *slot = val;
    return 0;
}

/* A country is a repeat when its code or its text is already there. */
static int add_country(cordon__loader *ld, country_list *cl, const char *s, size_t len)
{
    int rc = check(ld, &s, &len);
    if (rc || len == 0)
        return rc;
    char code[3] = "";
    if (cordon_country_lookup(s, len, code) != 0)
        code[0] = '\0';
    size_t i = SIZE_MAX;
    uint64_t ch = str_hash(code, strlen(code));
    key ck = {.s = code};
    if (code[0] && find_in(&cl->l.v, &cl->code_ix, &code_ops, ch, &ck, &i))
        return OOM(ld);
    if (i != SIZE_MAX)
        return 0;
    key k = {.s = s, .len = len};
    uint64_t h = str_hash(s, len);
    if (list_find(&cl->l, &country_ops, h, &k, &i))
        return OOM(ld);
    if (i != SIZE_MAX)
        return 0;
    const char *val = NULL;
    if ((rc = copy_str(ld, s, len, &val)) != 0)
        return rc;
    cordon_country *slot = list_push(&cl->l, &country_ops, h);
    if (!slot || (code[0] && cl->code_ix && hindex_put(cl->code_ix, ch, cl->l.v.count - 1)))
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
    key k = {.s = value, .len = value_len, .type = (int)type};
    uint64_t h = id_key_hash((int)type, value, value_len);
    size_t i;
    if (list_find(&e->identifiers, &id_ops, h, &k, &i))
        return OOM(ld);
    if (i != SIZE_MAX)
        return 0;
    const char *v = NULL, *l = NULL, *c = NULL;
    rc = copy_str(ld, value, value_len, &v);
    if (!rc && label_len)
        rc = copy_str(ld, label, label_len, &l);
    if (!rc && country_len)
        rc = copy_str(ld, country, country_len, &c);
    if (rc)
        return rc;
    cordon_identifier *slot = list_push(&e->identifiers, &id_ops, h);
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

/* Titles and remarks up to this many bytes are scanned for a repeated
 * piece; longer ones have their pieces indexed. */
#define TEXT_SCAN_MAX 1024

/* Whether s[0..len), which holds no "; ", is one of the "; "-separated
 * pieces of b. */
static bool is_piece(const cordon__buf *b, const char *s, size_t len)
{
    for (size_t at = 0; b->len >= len && at <= b->len - len;) {
        const char *hit = memmem(b->data + at, b->len - at, s, len);
        if (!hit)
            break;
        size_t i = (size_t)(hit - b->data);
        if ((i == 0 || (i >= 2 && !memcmp(b->data + i - 2, "; ", 2))) &&
            (i + len == b->len || !memcmp(b->data + i + len, "; ", 2)))
            return true;
        at = i + 1;
    }
    return false;
}

/* Indexes the pieces of t->b[off..off+len) not indexed yet. */
static int add_pieces(text *t, size_t off, size_t len)
{
    const char *base = t->b.data;
    for (size_t at = off, end = off + len; at < end;) {
        const char *sep = memmem(base + at, end - at, "; ", 2);
        size_t stop = sep ? (size_t)(sep - base) : end;
        if (stop > at) {
            key k = {.s = base + at, .len = stop - at, .base = base};
            uint64_t h = str_hash(k.s, k.len);
            size_t i;
            if (list_find(&t->ix->pieces, &span_ops, h, &k, &i))
                return CORDON_ENOMEM;
            struct span *sp = i == SIZE_MAX ? list_push(&t->ix->pieces, &span_ops, h) : NULL;
            if (i == SIZE_MAX && !sp)
                return CORDON_ENOMEM;
            if (sp)
                *sp = (struct span){at, stop - at};
        }
        at = sep ? stop + 2 : end;
    }
    return 0;
}

/* Notes the text just appended at t->b[off..off+len). */
static int note_appended(text *t, size_t off, size_t len, bool several)
{
    bool long_text = t->b.len > TEXT_SCAN_MAX;
    if (!t->ix && (several || long_text) && !(t->ix = calloc(1, sizeof *t->ix)))
        return CORDON_ENOMEM;
    if (long_text) {
        /* the first time, every piece so far */
        bool first = t->ix->pieces.v.count == 0;
        if (add_pieces(t, first ? 0 : off, first ? t->b.len : len))
            return CORDON_ENOMEM;
    }
    if (several) {
        struct span *sp = list_push(&t->ix->chunks, &span_ops, str_hash(t->b.data + off, len));
        if (!sp)
            return CORDON_ENOMEM;
        *sp = (struct span){off, len};
    }
    return 0;
}

/*
 * Appends s as one more "; "-separated piece, unless it is there already
 * (grouped rows repeat their remarks): a text without "; " is a repeat of
 * an equal piece, one with "; " of an equal text appended before.
 */
static int append_joined(cordon__loader *ld, text *t, const char *s, size_t len)
{
    int rc = check(ld, &s, &len);
    if (rc || len == 0)
        return rc;
    bool several = memmem(s, len, "; ", 2) != NULL;
    key k = {.s = s, .len = len, .base = t->b.data};
    uint64_t h = str_hash(s, len);
    size_t i = SIZE_MAX;
    if (several) {
        if (t->ix && list_find(&t->ix->chunks, &span_ops, h, &k, &i))
            return OOM(ld);
    } else if (t->ix && t->ix->pieces.v.count) {
        if (list_find(&t->ix->pieces, &span_ops, h, &k, &i))
            return OOM(ld);
    } else if (is_piece(&t->b, s, len)) {
        i = 0;
    }
    if (i != SIZE_MAX)
        return 0;
    if (t->b.len && (cordon__buf_append(&t->b, "; ", 2)))
        return OOM(ld);
    size_t off = t->b.len;
    if (cordon__buf_append(&t->b, s, len) || note_appended(t, off, len, several))
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
        bool ok = true;
        while (ok && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
            ok = EVP_DigestUpdate(ctx, chunk, n) == 1;
        if (ferror(f))
            rc = cordon__fail(err, CORDON_EIO, spec->files[i], 0, 0, "cannot read: %s",
                              strerror(errno));
        else if (!ok)
            rc = cordon__fail(err, CORDON_ENOMEM, spec->files[i], 0, 0, "SHA-256 failed");
        fclose(f);
    }
    unsigned char md[32];
    unsigned int md_len = 0;
    if (EVP_DigestFinal_ex(ctx, md, &md_len) != 1 && !rc)
        rc = cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "SHA-256 failed");
    EVP_MD_CTX_free(ctx);
    if (rc)
        return rc;
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    out[64] = '\0';
    return rc;
}

static void wire(cordon__entity_b *e)
{
    cordon_entity *p = &e->pub;
#define WIRE(arr, n, vec)          \
    do {                           \
        p->arr = (vec).v.items;    \
        p->n = (vec).v.count;      \
    } while (0)
    WIRE(names, n_names, e->names);
    WIRE(birth_dates, n_birth_dates, e->birth_dates);
    WIRE(birth_places, n_birth_places, e->birth_places);
    WIRE(nationalities, n_nationalities, e->nationalities.l);
    WIRE(citizenships, n_citizenships, e->citizenships.l);
    WIRE(countries, n_countries, e->countries.l);
    WIRE(addresses, n_addresses, e->addresses);
    WIRE(identifiers, n_identifiers, e->identifiers);
    WIRE(programs, n_programs, e->programs);
#undef WIRE
}

const cordon_entity *cordon__entity_peek(cordon__entity_b *e)
{
    wire(e);
    e->pub.title = e->title.b.len ? e->title.b.data : NULL;
    e->pub.remarks = e->remarks.b.len ? e->remarks.b.data : NULL;
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
    if (e->names.v.count == 0)
        return cordon__loader_fail(ld, CORDON_EFORMAT, e->pub.origin_line, 0,
                                   "record \"%s\" has no name", e->pub.native_id);
    /* names[0] is the primary name: a record listed only under aliases
     * has its first alias as its primary name. */
    ((cordon_name *)e->names.v.items)[0].kind = CORDON_NAME_PRIMARY;
    *p = e->pub;
    p->source = source;
    bool ok = true;
#define MOVE(arr, n, vec, type)                                                          \
    do {                                                                                 \
        p->arr = arena_copy(ld->arena, (vec).v.items, (vec).v.count, sizeof(type));       \
        p->n = (vec).v.count;                                                            \
        ok = ok && (p->arr || !p->n);                                                    \
    } while (0)
    MOVE(names, n_names, e->names, cordon_name);
    MOVE(birth_dates, n_birth_dates, e->birth_dates, cordon_date);
    MOVE(birth_places, n_birth_places, e->birth_places, const char *);
    MOVE(nationalities, n_nationalities, e->nationalities.l, cordon_country);
    MOVE(citizenships, n_citizenships, e->citizenships.l, cordon_country);
    MOVE(countries, n_countries, e->countries.l, cordon_country);
    MOVE(addresses, n_addresses, e->addresses, const char *);
    MOVE(identifiers, n_identifiers, e->identifiers, cordon_identifier);
    MOVE(programs, n_programs, e->programs, const char *);
#undef MOVE
    const cordon__buf *title = &e->title.b, *remarks = &e->remarks.b;
    p->title = title->len ? cordon__arena_strndup(ld->arena, title->data, title->len) : NULL;
    p->remarks = remarks->len ? cordon__arena_strndup(ld->arena, remarks->data, remarks->len)
                              : NULL;
    ok = ok && !(title->len && !p->title) && !(remarks->len && !p->remarks);
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
    int rc = parsers[spec->format]
                 ? 0
                 : cordon__fail(err, CORDON_EUNSUPPORTED, NULL, 0, 0,
                                "source \"%s\": no parser for format %d", spec->name,
                                (int)spec->format);
    if (!rc)
        rc = hash_files(spec, src->info.sha256, err);
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
    cordon_entity **done = rc || n > SIZE_MAX / sizeof *done
                               ? NULL
                               : cordon__arena_alloc(&src->arena, n * sizeof *done);
    if (!rc && !done)
        rc = OOM(&ld);
    for (size_t i = 0; !rc && i < n; i++)
        rc = finish_entity(&ld, staged[i], name, src->files, &done[i]);
    const char **warnings = NULL;
    size_t n_warnings = ld.warnings.count;
    if (!rc && n_warnings) {
        warnings = arena_copy(&src->arena, ld.warnings.items, n_warnings, sizeof *warnings);
        if (!warnings)
            rc = OOM(&ld);
    }
    /* The builders are no longer needed, whatever happened. */
    cordon__loader_discard(&ld);

    /* Reserve everything before moving anything, so a late failure still
     * leaves the dataset untouched. */
    if (!rc && ds->entities.cap < ds->entities.count + n) {
        size_t cap = ds->entities.count + n;
        void *p = cap > SIZE_MAX / sizeof(cordon_entity *)
                      ? NULL
                      : realloc(ds->entities.items, cap * sizeof(cordon_entity *));
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
