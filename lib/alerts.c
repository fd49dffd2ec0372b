/*
 * alerts.c — reading alerts and recording analysts' decisions on them.
 * A decision and its audit record go in one transaction, so the log
 * never lacks a decision that the alerts table shows, nor the reverse.
 */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cordon_alert_status_name(cordon_alert_status s)
{
    switch (s) {
    case CORDON_ALERT_OPEN: return "open";
    case CORDON_ALERT_CLEARED: return "cleared";
    case CORDON_ALERT_CONFIRMED: return "confirmed";
    }
    return "unknown";
}

int cordon_alert_status_parse(const char *s, size_t len, cordon_alert_status *out)
{
    if (!s || !out)
        return CORDON_EINVAL;
    len = cordon__trim(&s, len);
    if (cordon__ieq(s, len, "open"))
        *out = CORDON_ALERT_OPEN;
    else if (cordon__ieq(s, len, "cleared") || cordon__ieq(s, len, "clear"))
        *out = CORDON_ALERT_CLEARED;
    else if (cordon__ieq(s, len, "confirmed") || cordon__ieq(s, len, "confirm"))
        *out = CORDON_ALERT_CONFIRMED;
    else
        return CORDON_ENOTFOUND;
    return 0;
}

int cordon_alert_scan(cordon_store *st, const cordon_alert_filter *filter, cordon_alert_fn fn,
                      void *ctx, cordon_error *err)
{
    if (!st || !fn)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no store or callback");
    return st->ops->alert_scan(st, filter, fn, ctx, err);
}

/* A copy of the alert being decided, made inside the transaction. */
typedef struct found {
    cordon_alert a;
    cordon__arena arena;
    int n;
} found;

static int keep(void *ctx, const cordon_alert *a)
{
    found *f = ctx;
    f->a = *a;
    const char **s[] = {&f->a.customer, &f->a.customer_name, &f->a.entity, &f->a.entity_name,
                        &f->a.reason, &f->a.customer_hash, &f->a.entity_hash};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        *s[i] = cordon__arena_strndup(&f->arena, *s[i], strlen(*s[i]));
        if (!*s[i])
            return CORDON_ENOMEM;
    }
    f->a.note = NULL;
    f->n++;
    return 0;
}

int cordon_alert_decide(cordon_store *st, int64_t alert, cordon_alert_status decision,
                        const char *note, const char *caller, cordon_error *err)
{
    if (!st)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no store");
    if (decision != CORDON_ALERT_CLEARED && decision != CORDON_ALERT_CONFIRMED)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0,
                            "a decision clears or confirms an alert");
    if (!note || !*note)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "a decision needs a note");
    if (!cordon__utf8_valid(note, strlen(note)))
        return cordon__fail(err, CORDON_EUTF8, NULL, 0, 0, "the note is not valid UTF-8");
    if (!caller || !*caller)
        caller = "cli";
    found f;
    memset(&f, 0, sizeof f);
    cordon__arena_init(&f.arena);
    cordon__buf q = {0}, o = {0}, m = {0}, ctx = {0};
    char subject[48];
    snprintf(subject, sizeof subject, "alert %lld", (long long)alert);
    int rc = st->ops->begin(st, err);
    if (!rc) {
        cordon_alert_filter flt = {.status = -1, .id = alert};
        rc = st->ops->alert_scan(st, &flt, keep, &f, err);
        if (rc == CORDON_ENOMEM)
            cordon__fail(err, rc, NULL, 0, 0, "out of memory");
    }
    if (!rc && f.n == 0)
        rc = cordon__fail(err, CORDON_ENOTFOUND, NULL, 0, 0, "no alert %lld", (long long)alert);
    if (!rc) {
        const cordon_alert *a = &f.a;
        int b = cordon__buf_printf(&q, "{\"alert\":%lld,\"customer\":", (long long)alert) ||
                cordon__json_str(&q, a->customer, strlen(a->customer)) ||
                cordon__buf_printf(&q, ",\"customer_name\":") ||
                cordon__json_str(&q, a->customer_name, strlen(a->customer_name)) ||
                cordon__buf_printf(&q, ",\"entity\":") ||
                cordon__json_str(&q, a->entity, strlen(a->entity)) ||
                cordon__buf_putc(&q, '}') || cordon__buf_terminate(&q);
        b = b || cordon__buf_printf(&o, "{\"decision\":\"%s\",\"note\":",
                                    decision == CORDON_ALERT_CLEARED ? "clear" : "confirm") ||
            cordon__json_str(&o, note, strlen(note)) ||
            cordon__buf_printf(&o, ",\"previous_status\":\"%s\"}",
                               cordon_alert_status_name(a->status)) ||
            cordon__buf_terminate(&o);
        b = b || cordon__buf_printf(&m, "[{\"id\":") ||
            cordon__json_str(&m, a->entity, strlen(a->entity)) ||
            cordon__buf_printf(&m, ",\"name\":") ||
            cordon__json_str(&m, a->entity_name, strlen(a->entity_name)) ||
            cordon__buf_printf(&m, ",\"matched_name\":null,\"score\":%.6f}]", a->score) ||
            cordon__buf_terminate(&m);
        b = b || cordon__buf_printf(&ctx, "{\"run\":%lld,\"customer_hash\":\"%s\","
                                          "\"entity_hash\":\"%s\"}",
                                    (long long)a->run, a->customer_hash, a->entity_hash) ||
            cordon__buf_terminate(&ctx);
        if (b)
            rc = cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (!rc) {
        cordon_audit_record rec = {.kind = "decide", .caller = caller, .subject = subject,
                                   .query = q.data, .options = o.data, .context = ctx.data,
                                   .snapshot = "", .matches = m.data, .n_matches = 1};
        cordon_audit_record *p = &rec;
        rc = cordon__audit_append_locked(st, &p, 1, err);
        if (!rc)
            rc = st->ops->decision_insert(st, &f.a, decision, note, caller, rec.time_ms, rec.seq,
                                          err);
    }
    if (!rc)
        rc = st->ops->commit(st, err);
    if (rc)
        st->ops->rollback(st);
    cordon__buf_free(&q);
    cordon__buf_free(&o);
    cordon__buf_free(&m);
    cordon__buf_free(&ctx);
    cordon__arena_free(&f.arena);
    return rc;
}
