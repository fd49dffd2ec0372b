/*
 * diff.c — list versions: the content hash of one entity, and the
 * entity-by-entity difference between two versions of the lists
 * (`cordon diff`, and the monitor's "what changed since the last run").
 *
 * An entity's hash covers every field but its origin (file and line),
 * which moves whenever entities are added above it; two versions that
 * say the same about an entity hash the same. The canonical form is
 * "cordon-entity-1\n" then each field as "<length>:<bytes>\n" (a NULL
 * string as "~\n"), lists preceded by their item count, in the order of
 * cordon_entity's declaration.
 */
#include "store_int.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the entity hash --------------------------------------------------------- */

/* The canonical form is written into one buffer and hashed in one call
 * (a digest update per field cost more than the hashing itself); numbers
 * are formatted by hand. */
typedef struct hbuf {
    cordon__buf b;
    int failed;
} hbuf;

static void h_put(hbuf *h, const void *p, size_t n)
{
    if (!h->failed && cordon__buf_append(&h->b, p, n))
        h->failed = 1;
}

/* Decimal digits of v into out (room for 20; no terminator); returns
 * their count. */
static size_t fmt_ulong(char *out, unsigned long v)
{
    char t[24];
    size_t n = 0;
    do {
        t[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = t[n - 1 - i];
    return n;
}

static size_t fmt_long(char *out, long v)
{
    if (v >= 0)
        return fmt_ulong(out, (unsigned long)v);
    out[0] = '-';
    return 1 + fmt_ulong(out + 1, 0ul - (unsigned long)v);
}

static void h_bytes(hbuf *h, const char *s, size_t n)
{
    char len[24];
    size_t k = fmt_ulong(len, n);
    len[k++] = ':';
    h_put(h, len, k);
    h_put(h, s, n);
    h_put(h, "\n", 1);
}

static void h_str(hbuf *h, const char *s)
{
    if (!s)
        h_put(h, "~\n", 2);
    else
        h_bytes(h, s, strlen(s));
}

static void h_num(hbuf *h, long v)
{
    char t[24];
    h_bytes(h, t, fmt_long(t, v));
}

static void h_countries(hbuf *h, const cordon_country *c, size_t n)
{
    h_num(h, (long)n);
    for (size_t i = 0; i < n; i++) {
        char code[3] = {c[i].code[0], c[i].code[0] ? c[i].code[1] : 0, 0};
        h_str(h, code);
        h_str(h, c[i].text);
    }
}

static void h_strings(hbuf *h, const char *const *v, size_t n)
{
    h_num(h, (long)n);
    for (size_t i = 0; i < n; i++)
        h_str(h, v[i]);
}

void cordon_entity_hash(const cordon_entity *e, char out[65])
{
    memset(out, '0', 64);
    out[64] = '\0';
    if (!e)
        return;
    hbuf hb = {{0}, 0};
    hbuf *h = &hb;
    h_put(h, "cordon-entity-1\n", 16);
    h_str(h, e->id);
    h_num(h, (long)e->schema);
    h_num(h, (long)e->n_names);
    for (size_t i = 0; i < e->n_names; i++) {
        h_num(h, (long)e->names[i].kind);
        h_str(h, e->names[i].value);
    }
    h_num(h, (long)e->n_birth_dates);
    for (size_t i = 0; i < e->n_birth_dates; i++) {
        const cordon_date *d = &e->birth_dates[i];
        /* "year-month-day-year_to-flags" */
        char t[5 * 24];
        size_t k = fmt_long(t, d->year);
        t[k++] = '-';
        k += fmt_ulong(t + k, d->month);
        t[k++] = '-';
        k += fmt_ulong(t + k, d->day);
        t[k++] = '-';
        k += fmt_long(t + k, d->year_to);
        t[k++] = '-';
        k += fmt_ulong(t + k, d->flags);
        h_bytes(h, t, k);
        h_str(h, d->text);
    }
    h_strings(h, e->birth_places, e->n_birth_places);
    h_countries(h, e->nationalities, e->n_nationalities);
    h_countries(h, e->citizenships, e->n_citizenships);
    h_countries(h, e->countries, e->n_countries);
    h_strings(h, e->addresses, e->n_addresses);
    h_num(h, (long)e->n_identifiers);
    for (size_t i = 0; i < e->n_identifiers; i++) {
        h_num(h, (long)e->identifiers[i].type);
        h_str(h, e->identifiers[i].label);
        h_str(h, e->identifiers[i].value);
        h_str(h, e->identifiers[i].country);
    }
    h_strings(h, e->programs, e->n_programs);
    h_str(h, e->gender);
    h_str(h, e->title);
    h_str(h, e->listed_on);
    h_str(h, e->remarks);
    unsigned char d[32];
    unsigned int dl = 0;
    /* out of memory leaves zeros: the entity then looks changed, which
     * costs a screening, never a missed one */
    if (!h->failed && EVP_Digest(h->b.data, h->b.len, d, &dl, EVP_sha256(), NULL) && dl == 32) {
        static const char hex[] = "0123456789abcdef";
        for (unsigned i = 0; i < 32; i++) {
            out[2 * i] = hex[d[i] >> 4];
            out[2 * i + 1] = hex[d[i] & 15];
        }
    }
    cordon__buf_free(&h->b);
}

/* ---- the diff -------------------------------------------------------------------- */

const char *cordon_change_name(cordon_change change)
{
    switch (change) {
    case CORDON_CHANGE_ADDED: return "added";
    case CORDON_CHANGE_REMOVED: return "removed";
    case CORDON_CHANGE_CHANGED: return "changed";
    }
    return "unknown";
}

static const char *const field_names[] = {"names",     "identifiers", "programs",
                                          "schema",    "birth",       "countries",
                                          "addresses", "other"};

const char *cordon_diff_field_name(unsigned field)
{
    for (unsigned i = 0; i < 8; i++)
        if (field == 1u << i)
            return field_names[i];
    return NULL;
}

/* One side: its entities sorted by id. */
typedef struct side {
    const cordon_entity **v;
    size_t n;
    cordon_entity **owned; /* from an index, freed with the diff */
    size_t n_owned;
} side;

struct cordon_diff {
    side old_side, new_side;
    cordon_entity_diff *entries;
    size_t n, cap;
    size_t added, removed, changed, unchanged;
    cordon__arena arena; /* the lists of pointers */
};

static int by_id(const void *a, const void *b)
{
    const cordon_entity *x = *(const cordon_entity *const *)a;
    const cordon_entity *y = *(const cordon_entity *const *)b;
    return strcmp(x->id, y->id);
}

static int side_from_index(side *s, const cordon_index *idx, cordon_error *err)
{
    size_t n = cordon_index_entity_count(idx);
    s->v = malloc((n ? n : 1) * sizeof *s->v);
    s->owned = malloc((n ? n : 1) * sizeof *s->owned);
    if (!s->v || !s->owned)
        return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        int rc = cordon_index_entity(idx, i, &s->owned[i], err);
        if (rc)
            return rc;
        s->n_owned++;
        s->v[s->n++] = s->owned[i];
    }
    qsort(s->v, s->n, sizeof *s->v, by_id);
    return 0;
}

static int side_from_dataset(side *s, const cordon_dataset *ds, cordon_error *err)
{
    size_t n = cordon_dataset_entity_count(ds);
    s->v = malloc((n ? n : 1) * sizeof *s->v);
    if (!s->v)
        return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++)
        s->v[s->n++] = cordon_dataset_entity(ds, i);
    qsort(s->v, s->n, sizeof *s->v, by_id);
    return 0;
}

static bool name_eq(const cordon_name *a, const cordon_name *b)
{
    return a->kind == b->kind && strcmp(a->value, b->value) == 0;
}

static bool str_eq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool ident_eq(const cordon_identifier *a, const cordon_identifier *b)
{
    return a->type == b->type && str_eq(a->value, b->value) && str_eq(a->country, b->country);
}

static bool ident_same(const cordon_identifier *a, const cordon_identifier *b)
{
    return ident_eq(a, b) && str_eq(a->label, b->label);
}

static bool strings_same(const char *const *a, size_t na, const char *const *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (!str_eq(a[i], b[i]))
            return false;
    return true;
}

static bool countries_same(const cordon_country *a, size_t na, const cordon_country *b,
                           size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (memcmp(a[i].code, b[i].code, 2) != 0 || !str_eq(a[i].text, b[i].text))
            return false;
    return true;
}

static bool dates_same(const cordon_entity *a, const cordon_entity *b)
{
    if (a->n_birth_dates != b->n_birth_dates)
        return false;
    for (size_t i = 0; i < a->n_birth_dates; i++) {
        const cordon_date *x = &a->birth_dates[i], *y = &b->birth_dates[i];
        if (x->year != y->year || x->month != y->month || x->day != y->day ||
            x->year_to != y->year_to || x->flags != y->flags || !str_eq(x->text, y->text))
            return false;
    }
    return strings_same(a->birth_places, a->n_birth_places, b->birth_places, b->n_birth_places);
}

/* Items of `from` that `in` lacks, as an arena array of pointers. The
 * lists are short (a few dozen at most), so quadratic is fine. */
#define MISSING(T, EQ, from, nfrom, in, nin, out, nout)                                      \
    do {                                                                                      \
        const T **o_ = cordon__arena_alloc(&d->arena, ((nfrom) ? (nfrom) : 1) * sizeof *o_); \
        if (!o_)                                                                              \
            return CORDON_ENOMEM;                                                             \
        size_t k_ = 0;                                                                        \
        for (size_t i_ = 0; i_ < (nfrom); i_++) {                                             \
            bool found_ = false;                                                              \
            for (size_t j_ = 0; j_ < (nin) && !found_; j_++)                                  \
                found_ = EQ(&(from)[i_], &(in)[j_]);                                          \
            if (!found_)                                                                      \
                o_[k_++] = &(from)[i_];                                                       \
        }                                                                                     \
        (out) = o_;                                                                           \
        (nout) = k_;                                                                          \
    } while (0)

/* Programs of `from` that `in` lacks. */
static int missing_programs(cordon_diff *d, const cordon_entity *from, const cordon_entity *in,
                            const char *const **out, size_t *n_out)
{
    const char **o = cordon__arena_alloc(&d->arena,
                                         (from->n_programs ? from->n_programs : 1) * sizeof *o);
    if (!o)
        return CORDON_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < from->n_programs; i++) {
        bool found = false;
        for (size_t j = 0; j < in->n_programs && !found; j++)
            found = str_eq(from->programs[i], in->programs[j]);
        if (!found)
            o[k++] = from->programs[i];
    }
    *out = o;
    *n_out = k;
    return 0;
}

static int compare(cordon_diff *d, cordon_entity_diff *x)
{
    const cordon_entity *a = x->old_entity, *b = x->new_entity;
    unsigned f = 0;
    bool names = a->n_names != b->n_names;
    for (size_t i = 0; !names && i < a->n_names; i++)
        names = !name_eq(&a->names[i], &b->names[i]);
    if (names)
        f |= CORDON_DIFF_NAMES;
    bool ids = a->n_identifiers != b->n_identifiers;
    for (size_t i = 0; !ids && i < a->n_identifiers; i++)
        ids = !ident_same(&a->identifiers[i], &b->identifiers[i]);
    if (ids)
        f |= CORDON_DIFF_IDENTIFIERS;
    if (!strings_same(a->programs, a->n_programs, b->programs, b->n_programs))
        f |= CORDON_DIFF_PROGRAMS;
    if (a->schema != b->schema)
        f |= CORDON_DIFF_SCHEMA;
    if (!dates_same(a, b))
        f |= CORDON_DIFF_BIRTH;
    if (!countries_same(a->nationalities, a->n_nationalities, b->nationalities,
                        b->n_nationalities) ||
        !countries_same(a->citizenships, a->n_citizenships, b->citizenships,
                        b->n_citizenships) ||
        !countries_same(a->countries, a->n_countries, b->countries, b->n_countries))
        f |= CORDON_DIFF_COUNTRIES;
    if (!strings_same(a->addresses, a->n_addresses, b->addresses, b->n_addresses))
        f |= CORDON_DIFF_ADDRESSES;
    if (!str_eq(a->gender, b->gender) || !str_eq(a->title, b->title) ||
        !str_eq(a->listed_on, b->listed_on) || !str_eq(a->remarks, b->remarks))
        f |= CORDON_DIFF_OTHER;
    x->fields = f;
    MISSING(cordon_name, name_eq, b->names, b->n_names, a->names, a->n_names, x->names_added,
            x->n_names_added);
    MISSING(cordon_name, name_eq, a->names, a->n_names, b->names, b->n_names, x->names_removed,
            x->n_names_removed);
    MISSING(cordon_identifier, ident_eq, b->identifiers, b->n_identifiers, a->identifiers,
            a->n_identifiers, x->ids_added, x->n_ids_added);
    MISSING(cordon_identifier, ident_eq, a->identifiers, a->n_identifiers, b->identifiers,
            b->n_identifiers, x->ids_removed, x->n_ids_removed);
    int rc = missing_programs(d, b, a, &x->programs_added, &x->n_programs_added);
    if (!rc)
        rc = missing_programs(d, a, b, &x->programs_removed, &x->n_programs_removed);
    return rc;
}

static cordon_entity_diff *entry(cordon_diff *d)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        cordon_entity_diff *e = realloc(d->entries, cap * sizeof *e);
        if (!e)
            return NULL;
        d->entries = e;
        d->cap = cap;
    }
    cordon_entity_diff *x = &d->entries[d->n++];
    memset(x, 0, sizeof *x);
    return x;
}

static int run_diff(cordon_diff *d, cordon_error *err)
{
    const side *o = &d->old_side, *n = &d->new_side;
    size_t i = 0, j = 0;
    while (i < o->n || j < n->n) {
        int c = i == o->n ? 1 : j == n->n ? -1 : strcmp(o->v[i]->id, n->v[j]->id);
        if (c == 0) {
            char ho[65], hn[65];
            cordon_entity_hash(o->v[i], ho);
            cordon_entity_hash(n->v[j], hn);
            if (strcmp(ho, hn) == 0) {
                d->unchanged++;
            } else {
                cordon_entity_diff *x = entry(d);
                if (!x)
                    return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
                *x = (cordon_entity_diff){.change = CORDON_CHANGE_CHANGED, .id = n->v[j]->id,
                                          .old_entity = o->v[i], .new_entity = n->v[j]};
                if (compare(d, x))
                    return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
                d->changed++;
            }
            i++;
            j++;
            continue;
        }
        cordon_entity_diff *x = entry(d);
        if (!x)
            return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
        if (c < 0) {
            *x = (cordon_entity_diff){.change = CORDON_CHANGE_REMOVED, .id = o->v[i]->id,
                                      .old_entity = o->v[i]};
            d->removed++;
            i++;
        } else {
            *x = (cordon_entity_diff){.change = CORDON_CHANGE_ADDED, .id = n->v[j]->id,
                                      .new_entity = n->v[j]};
            d->added++;
            j++;
        }
    }
    return 0;
}

static cordon_diff *diff_new(void)
{
    cordon_diff *d = calloc(1, sizeof *d);
    if (d)
        cordon__arena_init(&d->arena);
    return d;
}

static void side_free(side *s)
{
    for (size_t i = 0; i < s->n_owned; i++)
        cordon_entity_free(s->owned[i]);
    free(s->owned);
    free(s->v);
}

void cordon_diff_free(cordon_diff *d)
{
    if (!d)
        return;
    side_free(&d->old_side);
    side_free(&d->new_side);
    free(d->entries);
    cordon__arena_free(&d->arena);
    free(d);
}

static int finish(cordon_diff *d, int rc, cordon_diff **out, cordon_error *err)
{
    if (!rc)
        rc = run_diff(d, err);
    if (rc) {
        cordon_diff_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

int cordon_diff_indexes(const cordon_index *old_idx, const cordon_index *new_idx,
                        cordon_diff **out, cordon_error *err)
{
    if (out)
        *out = NULL;
    if (!old_idx || !new_idx || !out)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "diff needs two indexes");
    cordon_diff *d = diff_new();
    if (!d)
        return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = side_from_index(&d->old_side, old_idx, err);
    if (!rc)
        rc = side_from_index(&d->new_side, new_idx, err);
    return finish(d, rc, out, err);
}

int cordon_diff_datasets(const cordon_dataset *old_ds, const cordon_dataset *new_ds,
                         cordon_diff **out, cordon_error *err)
{
    if (out)
        *out = NULL;
    if (!old_ds || !new_ds || !out)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "diff needs two datasets");
    cordon_diff *d = diff_new();
    if (!d)
        return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = side_from_dataset(&d->old_side, old_ds, err);
    if (!rc)
        rc = side_from_dataset(&d->new_side, new_ds, err);
    return finish(d, rc, out, err);
}

size_t cordon_diff_count(const cordon_diff *d) { return d ? d->n : 0; }

const cordon_entity_diff *cordon_diff_get(const cordon_diff *d, size_t index)
{
    return d && index < d->n ? &d->entries[index] : NULL;
}

void cordon_diff_totals(const cordon_diff *d, size_t *added, size_t *removed, size_t *changed,
                        size_t *unchanged)
{
    if (added)
        *added = d ? d->added : 0;
    if (removed)
        *removed = d ? d->removed : 0;
    if (changed)
        *changed = d ? d->changed : 0;
    if (unchanged)
        *unchanged = d ? d->unchanged : 0;
}

/* ---- JSON -------------------------------------------------------------------------- */

static int json_opt(cordon__buf *b, const char *s)
{
    return s ? cordon__json_str(b, s, strlen(s)) : cordon__buf_printf(b, "null");
}

static int json_names(cordon__buf *b, const char *key, const cordon_name *const *v, size_t n)
{
    int rc = cordon__buf_printf(b, ",\"%s\":[", key);
    for (size_t i = 0; i < n && !rc; i++) {
        rc = cordon__buf_printf(b, "%s{\"name\":", i ? "," : "");
        if (!rc)
            rc = json_opt(b, v[i]->value);
        if (!rc)
            rc = cordon__buf_printf(b, ",\"kind\":\"%s\"}", cordon_name_kind_name(v[i]->kind));
    }
    return rc ? rc : cordon__buf_putc(b, ']');
}

static int json_ids(cordon__buf *b, const char *key, const cordon_identifier *const *v,
                    size_t n)
{
    int rc = cordon__buf_printf(b, ",\"%s\":[", key);
    for (size_t i = 0; i < n && !rc; i++) {
        rc = cordon__buf_printf(b, "%s{\"type\":\"%s\",\"value\":", i ? "," : "",
                                cordon_id_type_name(v[i]->type));
        if (!rc)
            rc = json_opt(b, v[i]->value);
        if (!rc)
            rc = cordon__buf_printf(b, ",\"country\":");
        if (!rc)
            rc = json_opt(b, v[i]->country);
        if (!rc)
            rc = cordon__buf_putc(b, '}');
    }
    return rc ? rc : cordon__buf_putc(b, ']');
}

static int json_strs(cordon__buf *b, const char *key, const char *const *v, size_t n)
{
    int rc = cordon__buf_printf(b, ",\"%s\":[", key);
    for (size_t i = 0; i < n && !rc; i++) {
        if (i)
            rc = cordon__buf_putc(b, ',');
        if (!rc)
            rc = json_opt(b, v[i]);
    }
    return rc ? rc : cordon__buf_putc(b, ']');
}

char *cordon_entity_diff_json(const cordon_entity_diff *x)
{
    if (!x)
        return NULL;
    const cordon_entity *e = x->new_entity ? x->new_entity : x->old_entity;
    cordon__buf b = {0};
    int rc = cordon__buf_printf(&b, "{\"change\":\"%s\",\"id\":", cordon_change_name(x->change));
    if (!rc)
        rc = json_opt(&b, x->id);
    if (!rc)
        rc = cordon__buf_printf(&b, ",\"name\":");
    if (!rc)
        rc = json_opt(&b, e && e->n_names ? e->names[0].value : NULL);
    if (!rc)
        rc = cordon__buf_printf(&b, ",\"fields\":[");
    for (unsigned i = 0, k = 0; i < 8 && !rc; i++)
        if (x->fields & (1u << i))
            rc = cordon__buf_printf(&b, "%s\"%s\"", k++ ? "," : "", field_names[i]);
    if (!rc)
        rc = cordon__buf_putc(&b, ']');
    if (!rc)
        rc = json_names(&b, "names_added", x->names_added, x->n_names_added);
    if (!rc)
        rc = json_names(&b, "names_removed", x->names_removed, x->n_names_removed);
    if (!rc)
        rc = json_ids(&b, "ids_added", x->ids_added, x->n_ids_added);
    if (!rc)
        rc = json_ids(&b, "ids_removed", x->ids_removed, x->n_ids_removed);
    if (!rc)
        rc = json_strs(&b, "programs_added", x->programs_added, x->n_programs_added);
    if (!rc)
        rc = json_strs(&b, "programs_removed", x->programs_removed, x->n_programs_removed);
    if (!rc && x->change != CORDON_CHANGE_CHANGED) {
        char *ej = cordon_entity_json(e);
        rc = ej ? cordon__buf_printf(&b, ",\"entity\":%s", ej) : CORDON_ENOMEM;
        cordon_free(ej);
    }
    if (!rc)
        rc = cordon__buf_putc(&b, '}');
    if (!rc)
        rc = cordon__buf_terminate(&b);
    if (rc) {
        cordon__buf_free(&b);
        return NULL;
    }
    return b.data;
}
