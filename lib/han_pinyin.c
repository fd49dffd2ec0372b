/*
 * han_pinyin.c — the pinyin syllable of a Han character, from a table
 * written from ICU's Han-Latin (han_pinyin.inc, tools/gen_han_pinyin):
 * the same answer as asking ICU, without compiling Han-Latin's 1,500
 * rules (about 90 ms in every process that meets a Chinese or Japanese
 * name).
 */
#include "name_int.h"

#include <string.h>

#include "han_pinyin.inc"

void cordon__han_pinyin(uint32_t cp, int surname, char out[8])
{
    memset(out, 0, 8);
    unsigned syllable = 0;
    size_t lo = 0, hi = sizeof han_ranges / sizeof han_ranges[0];
    while (lo < hi) { /* the run that holds cp, if any */
        size_t mid = lo + (hi - lo) / 2;
        if (cp < han_ranges[mid].first)
            hi = mid;
        else if (cp >= han_ranges[mid].first + han_ranges[mid].count)
            lo = mid + 1;
        else {
            syllable = han_reading[han_ranges[mid].at + (cp - han_ranges[mid].first)];
            break;
        }
    }
    if (surname)
        for (size_t i = 0; i < sizeof han_surnames / sizeof han_surnames[0]; i++)
            if (han_surnames[i].cp == cp)
                syllable = han_surnames[i].syllable;
    memcpy(out, han_syllables[syllable], 8);
}
