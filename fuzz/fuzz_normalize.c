/*
 * fuzz_normalize.c — libFuzzer target for the name layer: text folding,
 * cordon_name_analyze under each schema hint, and the meeting of two
 * names (the input split at its first tab). Every result must keep the
 * token invariants the public header promises.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cordon/cordon.h"
#include "name_int.h"

static void check(const cordon_name_analysis *a)
{
    if (!a || a->n_tokens == 0 || !a->normalized)
        abort();
    for (size_t i = 0; i < a->n_tokens; i++) {
        const cordon_name_token *t = &a->tokens[i];
        if (!t->text || !t->original || t->n_forms == 0 || t->forms[0] != t->text)
            abort();
        for (size_t f = 0; f < t->n_forms; f++)
            if (strspn(t->forms[f], "abcdefghijklmnopqrstuvwxyz0123456789") != strlen(t->forms[f]))
                abort();
        if ((t->flags & CORDON_TOKEN_JOINED) && (t->n_parts < 2 || t->part_first + t->n_parts > i))
            abort();
        if ((unsigned)t->role >= CORDON_ROLE_COUNT_ || (unsigned)t->script >= CORDON_SCRIPT_COUNT_)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char buf[64];
    long n = cordon_text_fold(s, size, buf, sizeof buf);
    if (n >= (long)sizeof buf || (n >= 0 && strlen(buf) != (size_t)n))
        abort();

    cordon_schema schema = size ? (cordon_schema)(data[0] % CORDON_SCHEMA_COUNT_) : CORDON_SCHEMA_UNKNOWN;
    cordon_name_analysis *a = NULL;
    cordon_error err;
    int rc = cordon_name_analyze(s, size, schema, &a, &err);
    if (rc == 0)
        check(a);
    else if (a || err.message[0] == '\0')
        abort();

    const char *tab = memchr(s, '\t', size);
    if (tab && a) {
        size_t l1 = (size_t)(tab - s), l2 = size - l1 - 1;
        cordon_name_analysis *x = NULL, *y = NULL;
        if (cordon_name_analyze(s, l1, schema, &x, NULL) == 0 &&
            cordon_name_analyze(tab + 1, l2, schema, &y, NULL) == 0) {
            if (cordon__names_meet(x, y) != cordon__names_meet(y, x))
                abort();
        }
        cordon_name_analysis_free(x);
        cordon_name_analysis_free(y);
    }
    cordon_name_analysis_free(a);
    return 0;
}
