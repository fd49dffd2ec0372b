/*
 * strsim.c — string similarity primitives of the matching engine:
 * Jaro-Winkler, bounded Levenshtein, the one-deletion relation that the
 * typo index (TAB_DEL) is built on, and Soundex (for OFAC parity).
 * All work on bytes; the callers pass romanized lowercase ASCII.
 */
#include "index_int.h"

#include <ctype.h>
#include <string.h>

/* Longest input the fixed-size work arrays handle; longer strings are
 * compared on this prefix (names tokens are far shorter). */
#define SIM_MAX 128

double cordon__jaro_winkler(const char *a, size_t la, const char *b, size_t lb)
{
    if (la > SIM_MAX)
        la = SIM_MAX;
    if (lb > SIM_MAX)
        lb = SIM_MAX;
    if (la == 0 || lb == 0)
        return la == lb ? 1.0 : 0.0;
    if (la == lb && memcmp(a, b, la) == 0)
        return 1.0;
    size_t range = (la > lb ? la : lb) / 2;
    range = range > 0 ? range - 1 : 0;
    if (la <= 64 && lb <= 64) {
        /* Tokens: the same greedy matching with bit sets. pos[c] holds
         * where c occurs in b; a[i] takes the first free one in its
         * window. */
        uint64_t pos[256], ma = 0, mb = 0;
        for (size_t i = 0; i < la; i++)
            pos[(unsigned char)a[i]] = 0;
        for (size_t j = 0; j < lb; j++)
            pos[(unsigned char)b[j]] = 0;
        for (size_t j = 0; j < lb; j++)
            pos[(unsigned char)b[j]] |= 1ull << j;
        for (size_t i = 0; i < la; i++) {
            size_t lo = i > range ? i - range : 0;
            size_t hi = i + range + 1 < lb ? i + range + 1 : lb;
            uint64_t win = (hi >= 64 ? ~0ull : (1ull << hi) - 1) & ~((1ull << lo) - 1);
            uint64_t c = pos[(unsigned char)a[i]] & ~mb & win;
            if (c) {
                mb |= c & -c;
                ma |= 1ull << i;
            }
        }
        if (!ma)
            return 0.0;
        size_t m = (size_t)__builtin_popcountll(ma), t = 0;
        for (uint64_t x = ma, y = mb; x; x &= x - 1, y &= y - 1)
            t += a[__builtin_ctzll(x)] != b[__builtin_ctzll(y)];
        double md = (double)m;
        double jaro = (md / (double)la + md / (double)lb + (md - (double)t / 2.0) / md) / 3.0;
        size_t prefix = 0;
        while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix])
            prefix++;
        return jaro + (double)prefix * 0.1 * (1.0 - jaro);
    }
    unsigned char ma[SIM_MAX] = {0}, mb[SIM_MAX] = {0};
    size_t m = 0;
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > range ? i - range : 0;
        size_t hi = i + range + 1 < lb ? i + range + 1 : lb;
        for (size_t j = lo; j < hi; j++) {
            if (!mb[j] && a[i] == b[j]) {
                ma[i] = mb[j] = 1;
                m++;
                break;
            }
        }
    }
    if (m == 0)
        return 0.0;
    size_t t = 0, k = 0;
    for (size_t i = 0; i < la; i++) {
        if (!ma[i])
            continue;
        while (!mb[k])
            k++;
        if (a[i] != b[k])
            t++;
        k++;
    }
    double md = (double)m;
    double jaro = (md / (double)la + md / (double)lb + (md - (double)t / 2.0) / md) / 3.0;
    size_t prefix = 0;
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix])
        prefix++;
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

int cordon__levenshtein(const char *a, size_t la, const char *b, size_t lb, int max)
{
    if (la > SIM_MAX)
        la = SIM_MAX;
    if (lb > SIM_MAX)
        lb = SIM_MAX;
    size_t diff = la > lb ? la - lb : lb - la;
    if (diff > (size_t)max)
        return max + 1;
    int prev[SIM_MAX + 1], cur[SIM_MAX + 1];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        int best = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            int c = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < c)
                c = prev[j] + 1;
            if (cur[j - 1] + 1 < c)
                c = cur[j - 1] + 1;
            cur[j] = c;
            if (c < best)
                best = c;
        }
        if (best > max)
            return max + 1;
        memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
    }
    return prev[lb] > max ? max + 1 : prev[lb];
}

/* True when deleting one byte of the longer (la == lb + 1) gives b. */
static bool one_deletion(const char *a, size_t la, const char *b, size_t lb)
{
    size_t i = 0;
    while (i < lb && a[i] == b[i])
        i++;
    return memcmp(a + i + 1, b + i, lb - i) == 0;
}

bool cordon__del1_related(const char *a, size_t la, const char *b, size_t lb)
{
    if (la == lb) {
        /* Delete position i from a and j from b: everything before
         * min(i,j) and after max(i,j) agrees, and the middle is shifted
         * by one. Find the first and last differences and test the two
         * shifts. */
        size_t p = 0;
        while (p < la && a[p] == b[p])
            p++;
        if (p == la)
            return true;
        size_t s = la;
        while (s > p && a[s - 1] == b[s - 1])
            s--;
        /* Differences lie in [p, s). Deleting a[p] and b[s-1]: a[p+1..s)
         * must equal b[p..s-1). Or the mirror. Or one substitution. */
        if (s - p == 1)
            return true;
        if (memcmp(a + p + 1, b + p, s - p - 1) == 0)
            return true;
        if (memcmp(a + p, b + p + 1, s - p - 1) == 0)
            return true;
        return false;
    }
    if (la == lb + 1)
        return one_deletion(a, la, b, lb);
    if (lb == la + 1)
        return one_deletion(b, lb, a, la);
    return false;
}

void cordon__soundex(const char *s, size_t len, char out[5])
{
    /*                        abcdefghijklmnopqrstuvwxyz */
    static const char code[] = "01230120022455012623010202";
    size_t n = 0;
    char last = 0;
    for (size_t i = 0; i < len && n < 4; i++) {
        int c = tolower((unsigned char)s[i]);
        if (c < 'a' || c > 'z')
            continue;
        char d = code[c - 'a'];
        if (n == 0) {
            out[n++] = (char)toupper(c);
            last = d;
            continue;
        }
        if (d != '0' && d != last)
            out[n++] = d;
        /* h and w do not separate equal codes; vowels do. */
        if (c != 'h' && c != 'w')
            last = d;
    }
    if (n == 0) {
        out[0] = '\0';
        return;
    }
    while (n < 4)
        out[n++] = '0';
    out[4] = '\0';
}
