/* fuzz_os_simple_csv.c — the OpenSanctions targets.simple.csv parser on arbitrary bytes, through the public loading path. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_load_one(CORDON_FORMAT_OS_SIMPLE_CSV, data, size);
    return 0;
}
