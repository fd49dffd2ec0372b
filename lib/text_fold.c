/*
 * text_fold.c — the boundary every name crosses first: strict UTF-8
 * validation, rejection of control characters, NFKC (and case folding)
 * with utf8proc, and folding of the many Unicode variants of dashes,
 * apostrophes, quotes, dots and spaces to one ASCII character each.
 *
 * NFKC already folds full-width forms (Ａ -> A, ｶ -> カ) and most
 * compatibility characters. Marks are kept: accents are stripped only
 * after transliteration, because stripping first breaks kana (が -> か)
 * and Cyrillic й/ё. Work is linear: runs of combining marks longer than
 * CORDON__MAX_MARK_RUN are cut before canonical reordering.
 */
#include "name_int.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* What a code point folds to after NFKC: itself (returns cp), another
 * ASCII character, or nothing (-1). */
static int32_t fold_punct(int32_t cp)
{
    if (cp < 0x80)
        return cp == '`' ? '\'' : cp;
    switch (cp) {
    /* dashes and hyphens */
    case 0x058A: case 0x05BE: case 0x1806: case 0x2010: case 0x2011: case 0x2012:
    case 0x2013: case 0x2014: case 0x2015: case 0x2212: case 0x2E17: case 0x2E1A:
    case 0x2E3A: case 0x2E3B: case 0x2E40: case 0x301C: case 0x3030: case 0x30A0:
    case 0xFE31: case 0xFE32: case 0xFE58: case 0xFE63: case 0xFF0D: case 0x2043:
        return '-';
    /* apostrophes, primes and the modifier letters used as such */
    case 0x00B4: case 0x02B9: case 0x02BB: case 0x02BC: case 0x02BD: case 0x02BE:
    case 0x02BF: case 0x02C8: case 0x02EE: case 0x055A: case 0x055B: case 0x05F3:
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x2035:
    case 0xA78B: case 0xA78C: case 0xFF07:
        return '\'';
    /* quotation marks */
    case 0x00AB: case 0x00BB: case 0x05F4: case 0x201C: case 0x201D: case 0x201E:
    case 0x201F: case 0x2033: case 0x2036: case 0x2039: case 0x203A: case 0x300C:
    case 0x300D: case 0x300E: case 0x300F: case 0x301D: case 0x301E: case 0x301F:
    case 0xFE41: case 0xFE42: case 0xFE43: case 0xFE44: case 0xFF02:
        return '"';
    /* full stops */
    case 0x0589: case 0x06D4: case 0x2024: case 0x3002: case 0xFE52: case 0xFF0E:
    case 0xFF61:
        return '.';
    /* commas */
    case 0x060C: case 0x3001: case 0xFE50: case 0xFE51: case 0xFF0C: case 0xFF64:
        return ',';
    /* word-separating middle dots and bullets: 弗拉基米尔·普京, ウラジーミル・プーチン */
    case 0x00B7: case 0x0387: case 0x16EB: case 0x2022: case 0x2027: case 0x2219:
    case 0x22C5: case 0x30FB: case 0xFF65: case 0x2E31:
        return ' ';
    /* line and paragraph separators */
    case 0x0085: case 0x2028: case 0x2029:
        return ' ';
    /* invisible: soft hyphen, zero-width, joiners, bidi controls, BOM */
    case 0x00AD: case 0x034F: case 0x061C: case 0x180E: case 0x200B: case 0x200C:
    case 0x200D: case 0x200E: case 0x200F: case 0xFEFF:
        return -1;
    default:
        break;
    }
    if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
        (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0000 && cp <= 0xE007F) ||
        (cp >= 0xE0100 && cp <= 0xE01EF))
        return -1; /* bidi embeddings and isolates, invisible operators, variation selectors, tags */
    if (utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS)
        return ' ';
    return cp;
}

static int is_control(int32_t cp)
{
    if (cp == '\t' || cp == '\n' || cp == '\r')
        return 0;
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F && cp != 0x85);
}

static int emit(cordon__buf *out, int32_t cp)
{
    int32_t m = fold_punct(cp);
    if (m < 0)
        return 0;
    if (m < 0x80)
        return cordon__buf_putc(out, (char)m);
    return cordon__utf8_encode(out, (uint32_t)m);
}

/* Canonical ordering of decomposed marks (insertion sort inside each run
 * of non-starters; runs are bounded, so this stays linear overall). */
static void canonical_order(int32_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        int cc = utf8proc_get_property(v[i])->combining_class;
        if (cc == 0)
            continue;
        size_t j = i;
        while (j > 0) {
            int pc = utf8proc_get_property(v[j - 1])->combining_class;
            if (pc == 0 || pc <= cc)
                break;
            int32_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
            j--;
        }
    }
}

int cordon__fold(const char *s, size_t len, unsigned flags, cordon__buf *out)
{
    int fold_case = (flags & CORDON__FOLD_CASE) != 0;
    /* Fast path: plain ASCII needs no Unicode tables. */
    size_t i = 0;
    while (i < len && (unsigned char)s[i] < 0x80)
        i++;
    if (i == len) {
        int rc = cordon__buf_reserve(out, len);
        if (rc)
            return rc;
        for (i = 0; i < len; i++) {
            unsigned char c = (unsigned char)s[i];
            if (is_control(c))
                return CORDON_EINVAL;
            if (c == '\t' || c == '\n' || c == '\r')
                c = ' ';
            else if (c == '`')
                c = '\'';
            else if (fold_case && c >= 'A' && c <= 'Z')
                c = (unsigned char)(c + 32);
            out->data[out->len++] = (char)c;
        }
        out->data[out->len] = '\0';
        return 0;
    }

    /* Decompose code point by code point into a UTF-32 buffer. */
    utf8proc_option_t opt = UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE;
    if (fold_case)
        opt |= UTF8PROC_CASEFOLD;
    size_t cap = len + 16, n = 0;
    int32_t *v = malloc(cap * sizeof *v);
    if (!v)
        return CORDON_ENOMEM;
    int rc = 0;
    size_t marks = 0;
    for (i = 0; i < len;) {
        int32_t cp = cordon__utf8_decode(s, len, &i);
        if (cp < 0) {
            rc = CORDON_EUTF8;
            goto done;
        }
        if (is_control(cp)) {
            rc = CORDON_EINVAL;
            goto done;
        }
        if (cp == '\t' || cp == '\n' || cp == '\r')
            cp = ' ';
        if (utf8proc_get_property(cp)->combining_class != 0) {
            if (++marks > CORDON__MAX_MARK_RUN)
                continue;
        } else {
            marks = 0;
        }
        int32_t tmp[32];
        utf8proc_ssize_t k = utf8proc_decompose_char(cp, tmp, 32, opt, NULL);
        if (k < 0 || k > 32) {
            /* Unassigned or impossible: keep the code point itself. */
            tmp[0] = cp;
            k = 1;
        }
        if (n + (size_t)k > cap) {
            size_t ncap = cap * 2 + (size_t)k;
            int32_t *nv = realloc(v, ncap * sizeof *v);
            if (!nv) {
                rc = CORDON_ENOMEM;
                goto done;
            }
            v = nv;
            cap = ncap;
        }
        memcpy(v + n, tmp, (size_t)k * sizeof *v);
        n += (size_t)k;
    }
    canonical_order(v, n);
    utf8proc_ssize_t m = utf8proc_normalize_utf32(v, (utf8proc_ssize_t)n, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    if (m < 0) {
        rc = CORDON_EINVAL;
        goto done;
    }
    rc = cordon__buf_reserve(out, (size_t)m);
    for (utf8proc_ssize_t j = 0; !rc && j < m; j++)
        rc = emit(out, v[j]);
    if (!rc)
        rc = cordon__buf_terminate(out);
done:
    free(v);
    return rc;
}

long cordon_text_fold(const char *s, size_t len, char *buf, size_t size)
{
    if ((!s && len) || !buf || size == 0)
        return CORDON_EINVAL;
    cordon__buf b = {0};
    int rc = cordon__fold(s ? s : "", len, CORDON__FOLD_CASE, &b);
    if (rc) {
        cordon__buf_free(&b);
        buf[0] = '\0';
        return rc;
    }
    size_t n = b.len;
    if (n > size - 1) {
        n = size - 1;
        /* Back up to a character boundary. */
        while (n > 0 && ((unsigned char)b.data[n] & 0xC0) == 0x80)
            n--;
    }
    if (n)
        memcpy(buf, b.data, n);
    buf[n] = '\0';
    cordon__buf_free(&b);
    return (long)n;
}
