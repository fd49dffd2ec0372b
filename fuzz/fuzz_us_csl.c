/* fuzz_us_csl.c — the US Consolidated Screening List parser (plain or gzip CSV) on arbitrary bytes, through the public loading path. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_load_one(CORDON_FORMAT_US_CSL, data, size);
    return 0;
}
