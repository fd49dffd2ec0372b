/*
 * batch_audit.c — `cordon batch`'s audit records. A worker builds the
 * record of each row it screens (cordon_audit_record_screen is
 * thread-safe) and keeps it in the row's slot; the writer hands a slot's
 * records to the audit sink when it writes the slot, so the log holds
 * the rows in input order and the sink's one thread commits them in
 * large transactions.
 */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

bool batch_audit_record(const batch_config *cfg, const cordon_query *q, const cordon_result *r,
                        unsigned long row, cordon_audit_record **out)
{
    *out = NULL;
    bbuf ctx = {0};
    bool ok = bbuf_str(&ctx, "{\"file\":") &&
              bbuf_json(&ctx, cfg->audit_file, strlen(cfg->audit_file)) &&
              bbuf_printf(&ctx, ",\"row\":%lu}", row) && bbuf_add(&ctx, "", 1);
    cordon_error err;
    if (ok && cordon_audit_record_screen("batch", "cli", q, &cfg->screen, cfg->idx, r, ctx.data,
                                         out, &err) != 0)
        ok = false;
    bbuf_free(&ctx);
    return ok;
}

bool batch_audit_flush(const batch_config *cfg, cordon_audit_record **recs, size_t n)
{
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        if (!recs[i])
            continue;
        if (ok)
            ok = cli_audit_push(cfg->audit, recs[i]); /* takes it, even on failure */
        else
            cordon_audit_record_free(recs[i]);
        recs[i] = NULL;
    }
    return ok;
}

void batch_audit_drop(cordon_audit_record **recs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cordon_audit_record_free(recs[i]);
        recs[i] = NULL;
    }
}
