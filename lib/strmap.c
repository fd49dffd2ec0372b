/*
 * strmap.c — a string-keyed open-addressing hash map, used to join alias
 * rows to their entity while loading and to find entities by id.
 */
#include "cordon_int.h"

#include <stdlib.h>
#include <string.h>

struct cordon__strmap_slot {
    const char *key;
    size_t len;
    uint64_t hash;
    void *value;
};

uint64_t cordon__hash(const void *data, size_t len)
{
    /* FNV-1a, then a final avalanche so low bits are usable as an index. */
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

static int grow_to(cordon__strmap *m, size_t cap)
{
    struct cordon__strmap_slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return CORDON_ENOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        struct cordon__strmap_slot *s = &m->slots[i];
        if (!s->key)
            continue;
        size_t j = s->hash & (cap - 1);
        while (slots[j].key)
            j = (j + 1) & (cap - 1);
        slots[j] = *s;
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return 0;
}

int cordon__strmap_reserve(cordon__strmap *m, size_t n)
{
    size_t cap = m->cap ? m->cap : 64;
    if (n > SIZE_MAX / 8 - m->count)
        return CORDON_ENOMEM;
    while ((m->count + n) * 4 > cap * 3)
        cap *= 2;
    return cap == m->cap ? 0 : grow_to(m, cap);
}

int cordon__strmap_put(cordon__strmap *m, const char *key, size_t len, void *value)
{
    if (!key)
        return CORDON_EINVAL; /* a NULL key marks an empty slot */
    int rc = cordon__strmap_reserve(m, 1);
    if (rc)
        return rc;
    uint64_t h = cordon__hash(key, len);
    size_t j = h & (m->cap - 1);
    while (m->slots[j].key) {
        struct cordon__strmap_slot *s = &m->slots[j];
        if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0) {
            s->value = value;
            return 0;
        }
        j = (j + 1) & (m->cap - 1);
    }
    m->slots[j] = (struct cordon__strmap_slot){key, len, h, value};
    m->count++;
    return 0;
}

void *cordon__strmap_get(const cordon__strmap *m, const char *key, size_t len)
{
    if (!m->cap)
        return NULL;
    uint64_t h = cordon__hash(key, len);
    size_t j = h & (m->cap - 1);
    while (m->slots[j].key) {
        const struct cordon__strmap_slot *s = &m->slots[j];
        if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
            return s->value;
        j = (j + 1) & (m->cap - 1);
    }
    return NULL;
}

void cordon__strmap_free(cordon__strmap *m)
{
    if (!m)
        return;
    free(m->slots);
    memset(m, 0, sizeof *m);
}
