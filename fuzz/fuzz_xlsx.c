/* fuzz_xlsx.c — the XLSX reader (zip container, package parts, shared
 * strings, styles, the streamed sheet XML) and the UK OFSI mapping above
 * it, on arbitrary bytes, through the public loading path. Seeds store
 * their parts uncompressed, so mutations reach the XML (libzip's CRC check
 * only fails at the end of a part, after it was parsed). */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_load_one(CORDON_FORMAT_OFSI_XLSX, data, size);
    return 0;
}
