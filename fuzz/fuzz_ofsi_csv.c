/* fuzz_ofsi_csv.c — the UK OFSI ConList CSV parser on arbitrary bytes, through the public loading path. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_load_one(CORDON_FORMAT_OFSI_CSV, data, size);
    return 0;
}
