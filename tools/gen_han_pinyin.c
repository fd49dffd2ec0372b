/*
 * gen_han_pinyin.c — writes lib/han_pinyin.inc: the pinyin syllable
 * (ASCII, no tones) of every Han character, as ICU's Han-Latin gives it,
 * and the characters whose Han-Latin/Names reading differs.
 *
 * The library looks syllables up in that table instead of compiling
 * Han-Latin, which costs every process about 90 ms. test_translit checks
 * the table against ICU character by character, so a new ICU that reads
 * a character otherwise fails the tests until the table is written again:
 *
 *   make han-table
 */
#include "name_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uversion.h>

#define FIRST 0x2E80
#define LAST 0x323AF

static char syl[4096][8];
static size_t n_syl = 1; /* 0: no reading */

static unsigned index_of(const char *s)
{
    if (!*s)
        return 0;
    for (size_t i = 1; i < n_syl; i++)
        if (strcmp(syl[i], s) == 0)
            return (unsigned)i;
    if (n_syl == sizeof syl / sizeof syl[0]) {
        fprintf(stderr, "gen_han_pinyin: more than %zu syllables\n", n_syl);
        exit(1);
    }
    memcpy(syl[n_syl], s, 8);
    return (unsigned)n_syl++;
}

int main(void)
{
    static unsigned plain[LAST - FIRST + 1], names[LAST - FIRST + 1];
    static unsigned char han[LAST - FIRST + 1];
    for (uint32_t cp = FIRST; cp <= LAST; cp++) {
        if (cordon__script_of(cp) != CORDON_SCRIPT_HAN)
            continue;
        char a[8], b[8];
        if (cordon__han_syllable_icu(cp, 0, a) || cordon__han_syllable_icu(cp, 1, b)) {
            fprintf(stderr, "gen_han_pinyin: ICU failed on U+%04X\n", (unsigned)cp);
            return 1;
        }
        han[cp - FIRST] = 1;
        plain[cp - FIRST] = index_of(a);
        names[cp - FIRST] = index_of(b);
    }
    UVersionInfo v;
    char ver[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(v);
    u_versionToString(v, ver);
    printf("/* han_pinyin.inc — written by tools/gen_han_pinyin (make han-table) from\n"
           " * ICU %s's Han-Latin and Han-Latin/Names; do not edit. */\n\n", ver);
    printf("static const char han_syllables[%zu][8] = {\n", n_syl);
    for (size_t i = 0; i < n_syl; i++)
        printf("%s\"%s\",%s", i % 8 ? " " : "    ", syl[i], i % 8 == 7 || i + 1 == n_syl ? "\n" : "");
    printf("};\n\n");
    /* runs of Han characters, and their readings in one array */
    printf("static const uint16_t han_reading[] = {\n");
    size_t at = 0, col = 0;
    char ranges[65536];
    size_t rl = 0, n_ranges = 0;
    for (uint32_t cp = FIRST; cp <= LAST;) {
        if (!han[cp - FIRST]) {
            cp++;
            continue;
        }
        uint32_t first = cp;
        while (cp <= LAST && han[cp - FIRST]) {
            printf("%s%u,", col == 0 ? "    " : "", plain[cp - FIRST]);
            if (++col == 16) {
                printf("\n");
                col = 0;
            }
            cp++;
        }
        rl += (size_t)snprintf(ranges + rl, sizeof ranges - rl, "    {0x%X, %u, %zu},\n",
                               (unsigned)first, (unsigned)(cp - first), at);
        at += cp - first;
        n_ranges++;
    }
    printf("%s};\n\n", col ? "\n" : "");
    printf("static const struct han_range {\n    uint32_t first, count, at;\n} han_ranges[%zu] = {\n%s};\n\n",
           n_ranges, ranges);
    printf("/* Han-Latin/Names, where it reads a character otherwise */\n");
    printf("static const struct han_surname {\n    uint32_t cp;\n    uint16_t syllable;\n} han_surnames[] = {\n");
    for (uint32_t cp = FIRST; cp <= LAST; cp++)
        if (han[cp - FIRST] && names[cp - FIRST] != plain[cp - FIRST])
            printf("    {0x%X, %u}, /* %s */\n", (unsigned)cp, names[cp - FIRST], syl[names[cp - FIRST]]);
    printf("};\n");
    return 0;
}
