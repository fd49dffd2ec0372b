/* list_opensanctions.c — placeholder until the parser lands. */
#include "cordon_int.h"

int cordon__parse_os_simple_csv(cordon__loader *ld)
{
    return cordon__loader_fail(ld, CORDON_EUNSUPPORTED, 0, 0, "format not implemented yet");
}

int cordon__parse_ftm_json(cordon__loader *ld)
{
    return cordon__loader_fail(ld, CORDON_EUNSUPPORTED, 0, 0, "format not implemented yet");
}

