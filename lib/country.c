/*
 * country.c — country names, demonyms and codes to ISO 3166-1 alpha-2.
 * (A placeholder table until the full one lands.)
 */
#include "cordon_int.h"

int cordon_country_lookup(const char *s, size_t len, char out[3])
{
    (void)s;
    (void)len;
    out[0] = '\0';
    return CORDON_ENOTFOUND;
}

const char *cordon_country_name(const char code[2])
{
    (void)code;
    return NULL;
}
