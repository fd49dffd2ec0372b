/* fuzz_ofac_advanced_xml.c — the ofac_advanced_xml list parser (and the xml layer under it) on
 * arbitrary bytes, through the public loading path. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_load_one(CORDON_FORMAT_OFAC_ADVANCED_XML, data, size);
    return 0;
}
