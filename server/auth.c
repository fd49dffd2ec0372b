/*
 * auth.c — API keys. The keys file stores only SHA-256 hashes, one key a
 * line as "KEY_ID SHA256HEX" ('#' starts a comment), so a leaked file
 * does not leak keys. A presented key is hashed and compared with every
 * stored hash in constant time (CRYPTO_memcmp), never stopping early.
 * `cordon serve --hash-key ID` makes a line from a key on stdin.
 */
#include "server_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#define MAX_KEYS 10000
#define MAX_LINE 1024
#define KEY_ID_MAX 64

typedef struct key {
    char id[KEY_ID_MAX + 1];
    unsigned char hash[32];
} key;

static key *keys;
static size_t n_keys;
/* Fetched once: an implicit fetch on every request would take
 * OpenSSL's provider locks on the hot path. */
static EVP_MD *md;

static int sha256(const void *data, size_t len, unsigned char out[32])
{
    if (!md && !(md = EVP_MD_fetch(NULL, "SHA256", NULL)))
        return -1;
    unsigned int n = 0;
    return EVP_Digest(data, len, out, &n, md, NULL) == 1 && n == 32 ? 0 : -1;
}

static int valid_id(const char *s, size_t len)
{
    if (len == 0 || len > KEY_ID_MAX)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
            return 0;
    return 1;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Splits the next blank-separated word off *p. */
static size_t word(char **p, char **start)
{
    char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    *start = s;
    while (*s && *s != ' ' && *s != '\t')
        s++;
    *p = s;
    return (size_t)(s - *start);
}

int srv_keys_load(const char *path, char *msg, size_t size)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(msg, size, "%s: cannot open the keys file", path);
        return -1;
    }
    key *v = NULL;
    size_t n = 0, cap = 0;
    char line[MAX_LINE + 2];
    unsigned long lineno = 0;
    int bad = 0;
    while (!bad && fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len > MAX_LINE) {
            snprintf(msg, size, "%s:%lu: line longer than %d bytes", path, lineno, MAX_LINE);
            bad = 1;
            break;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        char *p = line, *id, *hex, *rest;
        size_t id_len = word(&p, &id);
        if (id_len == 0 || id[0] == '#')
            continue;
        size_t hex_len = word(&p, &hex);
        size_t rest_len = word(&p, &rest);
        if (!valid_id(id, id_len)) {
            snprintf(msg, size, "%s:%lu: a key id is 1-%d of A-Z a-z 0-9 . _ -", path, lineno,
                     KEY_ID_MAX);
            bad = 1;
        } else if (hex_len != 64 || (rest_len && rest[0] != '#')) {
            snprintf(msg, size, "%s:%lu: expected \"KEY_ID SHA256HEX\" (64 hex digits)", path,
                     lineno);
            bad = 1;
        } else if (n == MAX_KEYS) {
            snprintf(msg, size, "%s:%lu: more than %d keys", path, lineno, MAX_KEYS);
            bad = 1;
        } else {
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                key *nv = realloc(v, cap * sizeof *v);
                if (!nv) {
                    snprintf(msg, size, "out of memory");
                    bad = 1;
                    break;
                }
                v = nv;
            }
            key *k = &v[n];
            memcpy(k->id, id, id_len);
            k->id[id_len] = '\0';
            for (size_t i = 0; i < 32 && !bad; i++) {
                int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
                if (hi < 0 || lo < 0) {
                    snprintf(msg, size, "%s:%lu: the hash is not hexadecimal", path, lineno);
                    bad = 1;
                } else {
                    k->hash[i] = (unsigned char)(hi << 4 | lo);
                }
            }
            for (size_t i = 0; i < n && !bad; i++)
                if (!strcmp(v[i].id, k->id)) {
                    snprintf(msg, size, "%s:%lu: key id \"%s\" is used twice", path, lineno,
                             k->id);
                    bad = 1;
                }
            if (!bad)
                n++;
        }
    }
    if (!bad && ferror(f)) {
        snprintf(msg, size, "%s: read error", path);
        bad = 1;
    }
    fclose(f);
    if (!bad && n == 0) {
        snprintf(msg, size, "%s: no keys in the keys file", path);
        bad = 1;
    }
    unsigned char probe[32];
    if (!bad && sha256("", 0, probe) != 0) {
        snprintf(msg, size, "SHA-256 is not available from OpenSSL");
        bad = 1;
    }
    if (bad) {
        free(v);
        return -1;
    }
    if (keys)
        OPENSSL_cleanse(keys, n_keys * sizeof *keys);
    free(keys);
    keys = v;
    n_keys = n;
    return (int)n;
}

const char *srv_keys_check(const char *presented, size_t len)
{
    unsigned char h[32];
    if (!presented || len == 0 || sha256(presented, len, h) != 0)
        return NULL;
    const char *found = NULL;
    for (size_t i = 0; i < n_keys; i++)
        if (CRYPTO_memcmp(h, keys[i].hash, sizeof h) == 0)
            found = keys[i].id;
    return found;
}

void srv_keys_free(void)
{
    if (keys)
        OPENSSL_cleanse(keys, n_keys * sizeof *keys);
    free(keys);
    keys = NULL;
    n_keys = 0;
    EVP_MD_free(md);
    md = NULL;
}

int srv_hash_key(const char *key_id, FILE *in, FILE *out)
{
    if (!valid_id(key_id, strlen(key_id))) {
        fprintf(stderr, "cordon: a key id is 1-%d of A-Z a-z 0-9 . _ -\n", KEY_ID_MAX);
        return 2;
    }
    char line[MAX_LINE + 2];
    if (!fgets(line, sizeof line, in)) {
        fprintf(stderr, "cordon: --hash-key reads the key from the first line of stdin\n");
        return 2;
    }
    size_t len = strlen(line);
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    if (len == 0 || len > 512) {
        fprintf(stderr, "cordon: the key must be 1-512 bytes on one line\n");
        return 2;
    }
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)line[i] <= ' ' || line[i] == 0x7f) {
            /* Keys travel in HTTP headers, where blanks are trimmed and
             * control characters are not allowed. */
            fprintf(stderr, "cordon: the key must be printable, without blanks\n");
            return 2;
        }
    unsigned char h[32];
    if (sha256(line, len, h) != 0) {
        fprintf(stderr, "cordon: SHA-256 failed\n");
        return 2;
    }
    OPENSSL_cleanse(line, sizeof line);
    EVP_MD_free(md);
    md = NULL;
    fprintf(out, "%s ", key_id);
    for (size_t i = 0; i < 32; i++)
        fprintf(out, "%02x", h[i]);
    fputc('\n', out);
    return fflush(out) == 0 ? 0 : 2;
}
