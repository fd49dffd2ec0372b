/*
 * fuzz_config.c — cordon_config_parse on arbitrary bytes: it either
 * returns a config whose every source is well formed, or fails with a
 * message and no config.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cordon/cordon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cordon_config *cfg = NULL;
    cordon_error err;
    int rc = cordon_config_parse((const char *)data, size, "base", "fuzz.conf", &cfg, &err);
    if (rc) {
        if (cfg || err.code != rc || err.message[0] == '\0')
            abort();
        return 0;
    }
    size_t n = cordon_config_source_count(cfg);
    if (n == 0)
        abort();
    for (size_t i = 0; i < n; i++) {
        const cordon_source_spec *s = cordon_config_source(cfg, i);
        if (!s || !s->name[0] || s->n_files == 0 || s->n_files > CORDON_MAX_SOURCE_FILES ||
            s->format <= 0 || s->format >= CORDON_FORMAT_COUNT_)
            abort();
        for (size_t k = 0; k < s->n_files; k++)
            if (strlen(s->files[k]) == 0)
                abort();
        for (size_t j = 0; j < i; j++)
            if (strcmp(cordon_config_source(cfg, j)->name, s->name) == 0)
                abort();
    }
    if (cordon_config_source(cfg, n))
        abort();
    cordon_config_free(cfg);
    return 0;
}
