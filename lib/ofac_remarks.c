#include "cordon_int.h"
int cordon__ofac_remarks_apply(cordon__loader *ld, cordon__entity_b *e, const char *s, size_t len)
{
    return cordon__entity_add_remarks(ld, e, s, len);
}
