/*
 * store.c — cordon_store_open and _close: picks the backend from the
 * target ("sqlite:PATH" or a plain path for SQLite; a PostgreSQL URL is
 * recognised and refused until that backend exists), and the small
 * helpers every part of the store shares.
 */
#include "store_int.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cordon_store_open(const char *target, cordon_store **out, cordon_error *err)
{
    if (out)
        *out = NULL;
    if (!target || !*target || !out)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no store to open");
    if (!strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11))
        return cordon__fail(err, CORDON_EUNSUPPORTED, NULL, 0, 0,
                            "PostgreSQL stores are not built yet (docs/AUDIT.md); use a file");
    if (!strncmp(target, "sqlite:", 7))
        target += 7;
    if (!*target)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no database file named");
    return cordon__store_sqlite_open(target, out, err);
}

void cordon_store_close(cordon_store *st)
{
    if (st)
        st->ops->close(st);
}

int cordon__json_str(cordon__buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    if (cordon__buf_reserve(b, len + 2))
        return CORDON_ENOMEM;
    b->data[b->len++] = '"';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default: break;
        }
        int rc;
        if (esc)
            rc = cordon__buf_append(b, esc, 2);
        else if (c < 0x20) {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            rc = cordon__buf_append(b, u, 6);
        } else
            rc = cordon__buf_putc(b, (char)c);
        if (rc)
            return CORDON_ENOMEM;
    }
    return cordon__buf_putc(b, '"') ? CORDON_ENOMEM : 0;
}

/* Length-prefixed fields, so that no two different customers hash the
 * same input ("ab" + "c" vs "a" + "bc"). */
static void hash_field(EVP_MD_CTX *md, const char *s)
{
    char len[24];
    size_t n = s ? strlen(s) : 0;
    int k = snprintf(len, sizeof len, "%zu:", n);
    EVP_DigestUpdate(md, len, (size_t)k);
    if (n)
        EVP_DigestUpdate(md, s, n);
    EVP_DigestUpdate(md, "\n", 1);
}

void cordon__customer_hash(const cordon_customer *c, char out[65])
{
    unsigned char d[32];
    unsigned int dl = 0;
    char schema[4];
    snprintf(schema, sizeof schema, "%d", (int)c->schema);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md) {
        memset(out, '0', 64);
        out[64] = '\0';
        return;
    }
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    EVP_DigestUpdate(md, "cordon-customer-1\n", 18);
    hash_field(md, c->name);
    hash_field(md, schema);
    hash_field(md, c->birth_date);
    hash_field(md, c->country);
    hash_field(md, c->identifier);
    EVP_DigestFinal_ex(md, d, &dl);
    EVP_MD_CTX_free(md);
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    out[64] = '\0';
}
