/*
 * utf8.c — strict UTF-8 validation, decoding and encoding, and the
 * Windows-1252 fallback that OFAC's legacy CSV files need.
 */
#include "cordon_int.h"

#include <ctype.h>
#include <string.h>

int32_t cordon__utf8_decode(const char *str, size_t len, size_t *i)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t p = *i;
    if (p >= len)
        return -1;
    unsigned c = s[p];
    if (c < 0x80) {
        *i = p + 1;
        return (int32_t)c;
    }
    size_t n;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; min = 0x10000; }
    else return -1;
    if (len - p - 1 < n)
        return -1;
    for (size_t k = 1; k <= n; k++) {
        unsigned cc = s[p + k];
        if ((cc & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *i = p + n + 1;
    return (int32_t)cp;
}

size_t cordon__utf8_valid_prefix(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* ASCII fast path: most list text is ASCII. */
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        size_t j = i;
        if (cordon__utf8_decode(s, len, &j) < 0)
            return i;
        i = j;
    }
    return len;
}

bool cordon__utf8_valid(const char *s, size_t len)
{
    return cordon__utf8_valid_prefix(s, len) == len;
}

int cordon__utf8_encode(cordon__buf *b, uint32_t cp)
{
    char out[4];
    size_t n;
    if (cp < 0x80) { out[0] = (char)cp; n = 1; }
    else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return cordon__buf_append(b, out, n);
}

/* Windows-1252 0x80..0x9F; 0 marks the five undefined bytes. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

int cordon__append_utf8_or_cp1252(cordon__buf *b, const char *s, size_t len,
                                  size_t *converted)
{
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        if (cordon__utf8_decode(s, len, &j) >= 0) {
            int rc = cordon__buf_append(b, s + i, j - i);
            if (rc)
                return rc;
            i = j;
            continue;
        }
        unsigned c = (unsigned char)s[i];
        uint32_t cp = c;
        if (c >= 0x80 && c <= 0x9F)
            cp = cp1252_high[c - 0x80] ? cp1252_high[c - 0x80] : 0xFFFD;
        int rc = cordon__utf8_encode(b, cp);
        if (rc)
            return rc;
        if (converted)
            (*converted)++;
        i++;
    }
    return 0;
}

size_t cordon__trim(const char **s, size_t len)
{
    const char *p = *s;
    while (len && isspace((unsigned char)p[0])) {
        p++;
        len--;
    }
    while (len && isspace((unsigned char)p[len - 1]))
        len--;
    *s = p;
    return len;
}

bool cordon__ieq(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    if (n != len)
        return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != tolower((unsigned char)lit[i]))
            return false;
    return true;
}
