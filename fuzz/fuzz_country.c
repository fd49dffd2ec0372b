/*
 * fuzz_country.c — cordon_country_lookup on arbitrary bytes: a hit is a
 * code with a name, and that name resolves to the same code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cordon/cordon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char code[3] = "??";
    int rc = cordon_country_lookup((const char *)data, size, code);
    if (rc) {
        if ((rc != CORDON_ENOTFOUND && rc != CORDON_EUTF8) || code[0])
            abort();
        return 0;
    }
    if (strlen(code) != 2)
        abort();
    const char *name = cordon_country_name(code);
    char again[3];
    if (!name || cordon_country_lookup(name, strlen(name), again) != 0 || strcmp(again, code))
        abort();
    return 0;
}
