/* fuzz_ftm_json.c — the FollowTheMoney JSON lines parser (jansson) on arbitrary bytes, through the public loading path. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_load_one(CORDON_FORMAT_FTM_JSON, data, size);
    return 0;
}
