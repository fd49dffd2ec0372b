/*
 * memory.c — the arena, growable buffer and vector that the rest of the
 * library builds on. Every growth path checks for overflow first.
 */
#include "cordon_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cordon__arena_block {
    cordon__arena_block *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

#define ARENA_BLOCK (64u * 1024u)

void cordon__arena_init(cordon__arena *a) { memset(a, 0, sizeof *a); }

void cordon__arena_free(cordon__arena *a)
{
    if (!a)
        return;
    cordon__arena_block *b = a->head;
    while (b) {
        cordon__arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->total = 0;
}

void *cordon__arena_alloc(cordon__arena *a, size_t size)
{
    if (size > SIZE_MAX - 15u)
        return NULL;
    size = (size + 15u) & ~(size_t)15u;
    if (size == 0)
        size = 16;
    cordon__arena_block *b = a->head;
    if (!b || b->cap - b->used < size) {
        /* Big requests get a block of their own so small ones keep
         * filling the current block. */
        size_t cap = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
        if (cap > SIZE_MAX - sizeof *b)
            return NULL;
        cordon__arena_block *nb = malloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->used = 0;
        nb->cap = cap;
        if (b && cap != ARENA_BLOCK) {
            nb->next = b->next; /* keep the partly used block current */
            b->next = nb;
            b = nb;
        } else {
            nb->next = b;
            a->head = nb;
            b = nb;
        }
    }
    void *p = b->data + b->used;
    b->used += size;
    a->total += size;
    return p;
}

char *cordon__arena_strndup(cordon__arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *p = cordon__arena_alloc(a, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void cordon__buf_free(cordon__buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int cordon__buf_reserve(cordon__buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return CORDON_ENOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2)
            return CORDON_ENOMEM;
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p)
        return CORDON_ENOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

int cordon__buf_append(cordon__buf *b, const void *p, size_t n)
{
    int rc = cordon__buf_reserve(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int cordon__buf_putc(cordon__buf *b, char c) { return cordon__buf_append(b, &c, 1); }

int cordon__buf_printf(cordon__buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return CORDON_EINVAL;
    int rc = cordon__buf_reserve(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

int cordon__buf_terminate(cordon__buf *b)
{
    int rc = cordon__buf_reserve(b, 0);
    if (rc)
        return rc;
    b->data[b->len] = '\0';
    return 0;
}

void *cordon__vec_push(cordon__vec *v, size_t size)
{
    if (size == 0)
        return NULL;
    if (v->count == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 4;
        if (cap > SIZE_MAX / size)
            return NULL;
        void *p = realloc(v->items, cap * size);
        if (!p)
            return NULL;
        v->items = p;
        v->cap = cap;
    }
    void *item = (char *)v->items + v->count * size;
    memset(item, 0, size);
    v->count++;
    return item;
}

void cordon__vec_free(cordon__vec *v)
{
    if (!v)
        return;
    free(v->items);
    v->items = NULL;
    v->count = v->cap = 0;
}
