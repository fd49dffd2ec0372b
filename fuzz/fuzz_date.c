/*
 * fuzz_date.c — cordon_date_parse on arbitrary bytes. A date that parses
 * is in range, and reading back its ISO form gives the same date.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cordon/cordon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cordon_date d;
    int rc = cordon_date_parse((const char *)data, size, &d);
    if (rc) {
        if (rc != CORDON_EDATE)
            abort();
        return 0;
    }
    if (d.year < 1000 || d.year > 2999 || d.month > 12 || d.day > 31 || (d.day && !d.month) ||
        d.text)
        abort();
    if (d.flags & CORDON_DATE_RANGE) {
        if (d.year_to <= d.year || d.year_to > 2999 || d.month || d.day)
            abort();
    } else if (d.year_to) {
        abort();
    }
    char iso[64];
    int n;
    if (d.flags & CORDON_DATE_RANGE)
        n = snprintf(iso, sizeof iso, "%s%04d to %04d", d.flags & CORDON_DATE_CIRCA ? "circa " : "",
                     d.year, d.year_to);
    else if (d.day)
        n = snprintf(iso, sizeof iso, "%s%04d-%02u-%02u", d.flags & CORDON_DATE_CIRCA ? "circa " : "",
                     d.year, d.month, d.day);
    else if (d.month)
        n = snprintf(iso, sizeof iso, "%s%04d-%02u", d.flags & CORDON_DATE_CIRCA ? "circa " : "",
                     d.year, d.month);
    else
        n = snprintf(iso, sizeof iso, "%s%04d", d.flags & CORDON_DATE_CIRCA ? "circa " : "", d.year);
    cordon_date again;
    if (cordon_date_parse(iso, (size_t)n, &again) != 0 || again.year != d.year ||
        again.month != d.month || again.day != d.day || again.year_to != d.year_to ||
        again.flags != d.flags)
        abort();
    return 0;
}
