/*
 * monitor.c — continuous screening: registering customers and the
 * monitor run (cordon_monitor_add, cordon_monitor_run).
 *
 * A run has two phases.
 *  A. Customers added or changed since they were last screened (all of
 *     them with `full`) are screened against the whole index. Each one's
 *     retrieval signature (monitor_keys.c) is kept with it.
 *  B. If the index is not the one the last finished run used, the
 *     content hash of every entity is compared with the hashes that run
 *     recorded. The keys of the added and changed entities' names make a
 *     small set; every other customer's signature is checked against it
 *     (no analysis, a few hash probes), and only those that meet it are
 *     screened, keeping matches on the changed entities. Scores are
 *     those of a full screening, because the screening is one.
 *  C. (delta only) A score on an unchanged entity still moves when the
 *     index changes, because adding names moves every token's weight.
 *     Each full screening therefore keeps its near misses, the matches
 *     within DRIFT_BAND below the threshold; a delta rescores every kept
 *     pair whose entity is unchanged and alerts on the ones that now
 *     reach the threshold. A delta agrees with a full re-screen while no
 *     unchanged pair drifts by DRIFT_BAND or more since it was last
 *     screened in full (docs/AUDIT.md).
 * Work goes in chunks, each committed in one transaction with its alerts
 * and audit records, so a kill loses at most the chunk in flight. The
 * entity hashes move to the new index only when the run finishes; a run
 * that died is redone from what it left (alerts are unique per customer,
 * entity and both hashes, so nothing is raised twice).
 */
#include "index_int.h"
#include "monitor_int.h"
#include "store_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_FULL 512     /* customers screened per transaction */
#define CHUNK_DELTA 4096   /* the same in a delta, which keeps no per-customer state */
#define PAGE_SCAN 8192     /* signatures read per page in phase B */
#define MAX_THREADS 64
/* Near misses kept: a score this far below the threshold. Over one list
 * update of the benchmark (100 SDN entities, docs/AUDIT.md "Drift
 * band") unchanged pairs moved by under 0.001 (99%), at most 0.016; 0.03
 * leaves room for that twice over, while screening 0.03 lower costs
 * about a quarter more screening CPU (0.05 would cost half). */
#define DRIFT_BAND 0.03
/* Drift adds up over deltas, and only a full screening resets it: after
 * this many deltas in a row, a run is a full one (docs/AUDIT.md). */
#define MAX_DELTAS 20
#define DELTAS_KEY "monitor_deltas" /* cordon_meta: deltas since the last full run */
#define ENGINE_KEY "monitor_engine" /* cordon_meta: cordon__sig_engine of the last finished run */

/* ---- customers ---------------------------------------------------------------- */

static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return false;
    return true;
}

int cordon_customer_check(const cordon_customer *c, cordon_error *err)
{
    if (!c)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no customer");
    size_t il = c->id ? strlen(c->id) : 0;
    if (blank(c->id))
        return cordon__fail(err, CORDON_EEMPTY, NULL, 0, 0, "customer has no id");
    if (il > CORDON_CUSTOMER_MAX_ID)
        return cordon__fail(err, CORDON_ETOOBIG, NULL, 0, 0, "customer id is %zu bytes; at most %d",
                            il, CORDON_CUSTOMER_MAX_ID);
    const char *f[] = {c->id, c->name, c->birth_date, c->country, c->identifier};
    const char *fn[] = {"id", "name", "birth date", "country", "identifier"};
    for (int i = 0; i < 5; i++)
        if (f[i] && !cordon__utf8_valid(f[i], strlen(f[i])))
            return cordon__fail(err, CORDON_EUTF8, NULL, 0, 0,
                                "customer \"%.64s\": %s is not valid UTF-8", i ? c->id : "?",
                                fn[i]);
    if (blank(c->name))
        return cordon__fail(err, CORDON_EEMPTY, NULL, 0, 0, "customer \"%.64s\": empty name",
                            c->id);
    if (strlen(c->name) > CORDON_QUERY_MAX_BYTES)
        return cordon__fail(err, CORDON_ETOOBIG, NULL, 0, 0,
                            "customer \"%.64s\": name over %d bytes", c->id,
                            CORDON_QUERY_MAX_BYTES);
    if ((unsigned)c->schema >= CORDON_SCHEMA_COUNT_)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "customer \"%.64s\": unknown type",
                            c->id);
    cordon_date d;
    if (!blank(c->birth_date) && cordon_date_parse(c->birth_date, strlen(c->birth_date), &d))
        return cordon__fail(err, CORDON_EDATE, NULL, 0, 0,
                            "customer \"%.64s\": birth date \"%.64s\" is not a date", c->id,
                            c->birth_date);
    char code[3];
    if (!blank(c->country) && cordon_country_lookup(c->country, strlen(c->country), code))
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0,
                            "customer \"%.64s\": unknown country \"%.64s\"", c->id, c->country);
    if (!blank(c->identifier)) {
        size_t n = 0;
        for (const char *s = c->identifier; *s; s++)
            if ((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') ||
                (*s >= 'a' && *s <= 'z') || (unsigned char)*s >= 0x80)
                n++;
        if (n < 3)
            return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0,
                                "customer \"%.64s\": identifier \"%.64s\" has fewer than 3 "
                                "letters or digits",
                                c->id, c->identifier);
    }
    return 0;
}

int cordon_monitor_add(cordon_store *st, const cordon_customer *c, size_t n,
                       cordon_monitor_add_stats *stats, cordon_error *err)
{
    if (!st || (!c && n))
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no store or customers");
    for (size_t i = 0; i < n; i++) {
        int rc = cordon_customer_check(&c[i], err);
        if (rc)
            return rc;
    }
    if (n == 0)
        return 0;
    int rc = st->ops->begin(st, err);
    if (rc)
        return rc;
    size_t counts[3] = {0};
    int64_t now = cordon_time_now();
    for (size_t i = 0; i < n && !rc; i++) {
        /* blank optional fields are stored as "" so that they hash alike */
        cordon_customer x = c[i];
        x.birth_date = blank(x.birth_date) ? "" : x.birth_date;
        x.country = blank(x.country) ? "" : x.country;
        x.identifier = blank(x.identifier) ? "" : x.identifier;
        char hash[65];
        cordon__customer_hash(&x, hash);
        int state = 0;
        rc = st->ops->customer_upsert(st, &x, hash, now, &state, err);
        if (!rc)
            counts[state]++;
    }
    if (!rc)
        rc = st->ops->commit(st, err);
    if (rc) {
        st->ops->rollback(st);
        return rc;
    }
    if (stats) {
        stats->unchanged += counts[0];
        stats->added += counts[1];
        stats->changed += counts[2];
    }
    return 0;
}

/* ---- a chunk of customers being screened --------------------------------------- */

typedef struct cust {
    int64_t cid;
    const char *id, *name, *dob, *country, *ident, *hash;
    int schema;
    int rc;               /* screening error, or 0 */
    cordon_result *res;
    cordon_match *kept;   /* the matches that become alerts */
    size_t n_kept;
    cordon_match *near;   /* the near misses to keep (DRIFT_BAND) */
    size_t n_near;
    bool rescore;         /* phase C: only the kept pairs below */
    const struct near_want *want; /* rescoring: the kept pairs of this customer */
    size_t n_want;
    double *now;          /* rescoring: want[i]'s score now, or -1 below the band */
    cordon__buf sig;
    cordon_audit_record *audit;
} cust;

typedef struct chunk {
    cust *v;
    size_t n, cap;
    cordon__arena arena;
    int failed;
} chunk;

static void chunk_reset(chunk *c)
{
    for (size_t i = 0; i < c->n; i++) {
        cordon_result_free(c->v[i].res);
        free(c->v[i].kept);
        free(c->v[i].near);
        free(c->v[i].now);
        cordon__buf_free(&c->v[i].sig);
        cordon_audit_record_free(c->v[i].audit);
    }
    c->n = 0;
    c->failed = 0;
    cordon__arena_free(&c->arena);
    cordon__arena_init(&c->arena);
}

static void chunk_free(chunk *c)
{
    chunk_reset(c);
    free(c->v);
}

static const char *adup(chunk *c, const char *s)
{
    const char *d = cordon__arena_strndup(&c->arena, s ? s : "", s ? strlen(s) : 0);
    if (!d)
        c->failed = 1;
    return d ? d : "";
}

static int take_row(void *ctx, const cordon__customer_row *r)
{
    chunk *c = ctx;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        cust *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return CORDON_ENOMEM;
        c->v = v;
        c->cap = cap;
    }
    cust *x = &c->v[c->n++];
    memset(x, 0, sizeof *x);
    x->cid = r->cid;
    x->id = adup(c, r->id);
    x->name = adup(c, r->name);
    x->dob = adup(c, r->birth_date);
    x->country = adup(c, r->country);
    x->ident = adup(c, r->identifier);
    x->hash = adup(c, r->hash);
    x->schema = r->schema;
    return c->failed ? CORDON_ENOMEM : 0;
}

/* ---- screening (worker threads) -------------------------------------------------- */

/* A kept near miss to rescore. */
typedef struct near_want {
    int64_t cid;
    size_t entity; /* index in the index */
    double score;  /* as kept */
} near_want;

typedef struct job {
    const cordon_index *idx;
    cordon_screen_options so;       /* screening: DRIFT_BAND below the threshold */
    cordon_screen_options so_audit; /* what the audit records: the threshold */
    double threshold;
    chunk *c;
    atomic_size_t next;
    bool delta;
    const uint8_t *changed; /* delta: entity index -> added or changed */
    int64_t run;
    const char *caller;
    bool audit;
} job;

/* Whether a match of a screening DRIFT_BAND lower reaches the
 * threshold. Scores are rounded to 4 decimals after the comparison
 * screen.c makes, so one near the threshold is decided by the answer at
 * the threshold itself (`exact`, screened only when such a score is
 * there). */
#define EDGE 0.001

static bool near_edge(const job *j, const cordon_result *r)
{
    for (size_t i = 0; i < r->n_matches; i++)
        if (r->matches[i].score > j->threshold - EDGE && r->matches[i].score < j->threshold + EDGE)
            return true;
    return false;
}

static bool reaches(const job *j, const cordon_result *exact, const cordon_match *m)
{
    if (m->score <= j->threshold - EDGE || m->score >= j->threshold + EDGE || !exact)
        return m->score >= j->threshold;
    for (size_t i = 0; i < exact->n_matches; i++)
        if (exact->matches[i].entity == m->entity)
            return true;
    return false;
}

static void screen_cust(job *j, cust *x)
{
    cordon_query q = {.name = x->name, .name_len = strlen(x->name),
                      .schema = (cordon_schema)x->schema};
    cordon_date dob;
    cordon_query_id qid;
    if (*x->dob && cordon_date_parse(x->dob, strlen(x->dob), &dob) == 0)
        q.birth_date = &dob;
    if (*x->country) {
        q.country = x->country;
        q.country_len = strlen(x->country);
    }
    if (*x->ident) {
        qid = (cordon_query_id){CORDON_ID_OTHER, x->ident, strlen(x->ident)};
        q.ids = &qid;
        q.n_ids = 1;
    }
    /* A delta asks only about the changed entities: retrieval runs as in
     * a whole screening, and the names of other entities are not scored.
     * Rescoring asks only about the kept pairs' entities, scoring their
     * names directly (no retrieval): the same score wherever a whole
     * screening finds the name. Below the threshold, that answer stands
     * (a whole screening could only have missed the pair, no alert
     * either way); a pair that may alert is decided by a whole screening,
     * masked to those entities. */
    cx_screen_ext ext = {.exclude_name = CX_NONE, .mask = j->delta ? j->changed : NULL};
    uint8_t *want = NULL;
    uint32_t *only = NULL;
    cordon_error err;
    if (x->rescore) {
        if (!(only = malloc((x->n_want ? x->n_want : 1) * sizeof *only))) {
            x->rc = CORDON_ENOMEM;
            return;
        }
        for (size_t w = 0; w < x->n_want; w++)
            only[w] = (uint32_t)x->want[w].entity;
        cx_screen_ext direct = {.exclude_name = CX_NONE, .only = only, .n_only = x->n_want};
        x->rc = cordon__screen_ext(j->idx, &q, &j->so, &direct, &x->res, &err);
        bool may_alert = false;
        for (size_t i = 0; !x->rc && i < x->res->n_matches; i++)
            may_alert |= x->res->matches[i].score > j->threshold - EDGE;
        free(only);
        if (x->rc)
            return;
        if (may_alert) {
            cordon_result_free(x->res);
            x->res = NULL;
            if (!(want = calloc(cordon_index_entity_count(j->idx) + 1, 1))) {
                x->rc = CORDON_ENOMEM;
                return;
            }
            for (size_t w = 0; w < x->n_want; w++)
                want[x->want[w].entity] = 1;
            ext.mask = want;
        }
    }
    cordon_result *exact = NULL;
    if (!x->res)
        x->rc = cordon__screen_ext(j->idx, &q, &j->so, &ext, &x->res, &err);
    if (!x->rc && near_edge(j, x->res))
        x->rc = cordon__screen_ext(j->idx, &q, &j->so_audit, &ext, &exact, &err);
    free(want);
    if (x->rc)
        return;
    if (!j->delta) {
        cordon_error e2;
        if (cordon__sig_build(&q, &x->sig, &e2) == CORDON_ENOMEM) {
            cordon_result_free(exact);
            x->rc = CORDON_ENOMEM;
            return;
        }
    }
    const cordon_result *r = x->res;
    size_t n_alloc = r->n_matches ? r->n_matches : 1;
    x->kept = malloc(n_alloc * sizeof *x->kept);
    x->near = malloc(n_alloc * sizeof *x->near);
    x->now = x->rescore ? malloc((x->n_want ? x->n_want : 1) * sizeof *x->now) : NULL;
    if (!x->kept || !x->near || (x->rescore && !x->now)) {
        cordon_result_free(exact);
        x->rc = CORDON_ENOMEM;
        return;
    }
    size_t n_ent = cordon_index_entity_count(j->idx);
    if (x->rescore) {
        /* only the kept pairs: the rest of the answer is not new */
        for (size_t w = 0; w < x->n_want; w++) {
            x->now[w] = -1;
            for (size_t i = 0; i < r->n_matches; i++)
                if (r->matches[i].entity == x->want[w].entity) {
                    x->now[w] = r->matches[i].score;
                    if (reaches(j, exact, &r->matches[i]))
                        x->kept[x->n_kept++] = r->matches[i];
                    break;
                }
        }
    } else {
        for (size_t i = 0; i < r->n_matches; i++) {
            const cordon_match *m = &r->matches[i];
            if (j->delta && !(m->entity < n_ent && j->changed[m->entity]))
                continue;
            if (reaches(j, exact, m))
                x->kept[x->n_kept++] = *m;
            else
                x->near[x->n_near++] = *m;
        }
    }
    cordon_result_free(exact);
    if (!j->audit)
        return;
    /* the audit record shows the decision made: in a delta, the matches
     * on the entities that changed */
    cordon_result view = *r;
    view.matches = x->kept;
    view.n_matches = x->n_kept;
    cordon__buf ctx = {0};
    int rc = cordon__buf_printf(&ctx, "{\"run\":%lld,\"phase\":\"%s\",\"customer\":",
                                (long long)j->run,
                                x->rescore ? "drift" : j->delta ? "delta" : "full");
    if (!rc)
        rc = cordon__json_str(&ctx, x->id, strlen(x->id));
    if (!rc)
        rc = cordon__buf_putc(&ctx, '}');
    if (!rc)
        rc = cordon__buf_terminate(&ctx);
    if (!rc)
        rc = cordon_audit_record_screen("monitor", j->caller, &q, &j->so_audit, j->idx, &view,
                                        ctx.data,
                                        &x->audit, &err);
    cordon__buf_free(&ctx);
    if (rc)
        x->rc = CORDON_ENOMEM;
}

static void *worker(void *arg)
{
    job *j = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->c->n)
            break;
        screen_cust(j, &j->c->v[i]);
    }
    return NULL;
}

static int screen_chunk(job *j, unsigned threads)
{
    atomic_store(&j->next, 0);
    pthread_t t[MAX_THREADS];
    unsigned started = 0;
    if (threads > 1 && j->c->n > 1)
        for (; started < threads - 1; started++)
            if (pthread_create(&t[started], NULL, worker, j) != 0)
                break;
    worker(j);
    for (unsigned i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    for (size_t i = 0; i < j->c->n; i++)
        if (j->c->v[i].rc == CORDON_ENOMEM)
            return CORDON_ENOMEM;
    return 0;
}

/* ---- the run ------------------------------------------------------------------------ */

typedef struct new_alert {
    cordon_alert a;
} new_alert;

typedef struct run_ctx {
    cordon_store *st;
    const cordon_index *idx;
    const cordon_monitor_options *o;
    cordon_monitor_report *rep;
    cordon_alert_fn on_alert;
    void *cb_ctx;
    int64_t run;
    unsigned threads;
    size_t n_ent;
    const char **ent_id;     /* entity index -> id (in the index) */
    char (*ent_hash)[65];    /* entity index -> content hash */
    cordon__strmap ent_at;   /* entity id -> index + 1 */
    cordon_error *err;
} run_ctx;

/* The near misses of a screened customer, inside write_chunk's
 * transaction. A full screening replaces them all; a delta screening
 * records those on the changed entities (the stale ones it leaves are
 * dropped by phase C); rescoring updates each kept pair, or drops it
 * once below the band or alerted on (the alert memory takes it over). */
static int write_near(run_ctx *r, job *j, const cust *x)
{
    cordon_store *st = r->st;
    int rc = 0;
    if (x->rescore) {
        for (size_t w = 0; w < x->n_want && !rc; w++) {
            size_t e = x->want[w].entity;
            double now = x->now[w];
            if (now >= 0) {
                double d = now > x->want[w].score ? now - x->want[w].score
                                                  : x->want[w].score - now;
                if (d > r->rep->max_drift)
                    r->rep->max_drift = d;
            }
            bool alerted = false;
            for (size_t k = 0; k < x->n_kept; k++)
                alerted |= x->kept[k].entity == e;
            if (now >= 0 && !alerted) {
                cordon__near_row n = {.cid = x->cid, .entity = r->ent_id[e],
                                      .entity_hash = r->ent_hash[e], .score = now,
                                      .run = r->run};
                rc = st->ops->near_put(st, &n, r->err);
            } else {
                rc = st->ops->near_delete(st, x->cid, r->ent_id[e], r->err);
            }
        }
        return rc;
    }
    if (!j->delta)
        rc = st->ops->near_clear(st, x->cid, r->err);
    for (size_t m = 0; m < x->n_near && !rc; m++) {
        size_t e = x->near[m].entity;
        if (e >= r->n_ent)
            continue;
        cordon__near_row n = {.cid = x->cid, .entity = r->ent_id[e],
                              .entity_hash = r->ent_hash[e], .score = x->near[m].score,
                              .run = r->run};
        rc = st->ops->near_put(st, &n, r->err);
    }
    return rc;
}

/* Writes a screened chunk in one transaction, then reports its new
 * alerts. */
static int write_chunk(run_ctx *r, job *j)
{
    cordon_store *st = r->st;
    chunk *c = j->c;
    cordon_error *err = r->err;
    new_alert *fresh = NULL;
    size_t n_fresh = 0, cap_fresh = 0;
    cordon_audit_record **recs = malloc((c->n ? c->n : 1) * sizeof *recs);
    if (!recs)
        return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    size_t n_recs = 0;
    int64_t now = cordon_time_now();
    int rc = st->ops->begin(st, err);
    for (size_t i = 0; i < c->n && !rc; i++) {
        cust *x = &c->v[i];
        if (!j->delta)
            rc = st->ops->customer_screened(st, x->cid, x->hash, r->run,
                                            x->rc ? NULL : x->sig.data,
                                            x->rc ? 0 : x->sig.len, err);
        if (x->rc)
            continue;
        if (!rc)
            rc = write_near(r, j, x);
        for (size_t m = 0; m < x->n_kept && !rc; m++) {
            const cordon_match *mt = &x->kept[m];
            if (mt->entity >= r->n_ent)
                continue;
            char reason[512];
            cordon_match_reason(mt, reason, sizeof reason);
            cordon_alert a = {.run = r->run, .time_ms = now, .customer = x->id,
                              .customer_name = x->name, .entity = mt->id,
                              .entity_name = mt->name ? mt->name : "", .score = mt->score,
                              .status = CORDON_ALERT_OPEN, .customer_hash = x->hash,
                              .entity_hash = r->ent_hash[mt->entity]};
            a.reason = cordon__arena_strndup(&c->arena, reason, strlen(reason));
            if (!a.reason) {
                rc = cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            int64_t id = 0;
            rc = st->ops->alert_insert(st, &a, &id, err);
            if (rc || !id)
                continue;
            if (n_fresh == cap_fresh) {
                cap_fresh = cap_fresh ? cap_fresh * 2 : 16;
                new_alert *nf = realloc(fresh, cap_fresh * sizeof *nf);
                if (!nf) {
                    rc = cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
                    break;
                }
                fresh = nf;
            }
            a.id = id;
            fresh[n_fresh++].a = a;
        }
        if (x->audit)
            recs[n_recs++] = x->audit;
    }
    if (!rc && n_recs)
        rc = cordon__audit_append_locked(st, recs, n_recs, err);
    if (!rc)
        rc = st->ops->commit(st, err);
    if (rc)
        st->ops->rollback(st);
    free(recs);
    if (!rc) {
        r->rep->alerts += n_fresh;
        for (size_t i = 0; i < n_fresh && !rc && r->on_alert; i++)
            rc = r->on_alert(r->cb_ctx, &fresh[i].a);
    }
    free(fresh);
    return rc;
}

/* Phase A: pending customers (and with `full`, every one not screened
 * by this run) against the whole index. */
static int phase_full(run_ctx *r, job *j)
{
    int which[2] = {CORDON__CUSTOMERS_PENDING, CORDON__CUSTOMERS_SCREENED};
    int passes = r->o->full ? 2 : 1;
    for (int p = 0; p < passes; p++) {
        int64_t after = 0;
        for (;;) {
            chunk_reset(j->c);
            int rc = r->st->ops->customer_page(r->st, which[p], r->run, after, CHUNK_FULL, 1,
                                               take_row, j->c, r->err);
            if (rc)
                return rc;
            if (j->c->n == 0)
                break;
            after = j->c->v[j->c->n - 1].cid;
            if ((rc = screen_chunk(j, r->threads)))
                return cordon__fail(r->err, rc, NULL, 0, 0, "out of memory");
            r->rep->screened += j->c->n;
            if ((rc = write_chunk(r, j)))
                return rc;
        }
    }
    return 0;
}

/* Phase B: signatures against what changed. A page of signatures is
 * copied out of the store, checked on the run's threads (each with its
 * own scratch), and the customers that may match are screened. */
typedef struct scan_page {
    int64_t *cid;
    size_t *off, *len; /* the signature of row i: blob[off[i]..+len[i]) */
    int8_t *hit;
    size_t n, cap;
    cordon__buf blob;
    int64_t last;
    const cordon__changeset *cs;
    cordon__check *checks[MAX_THREADS]; /* one per thread, kept for the run:
                                           they remember what slots met */
    atomic_size_t next;
    atomic_uint next_check;
    atomic_int failed;
} scan_page;

static int scan_row(void *arg, const cordon__customer_row *row)
{
    scan_page *s = arg;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : PAGE_SCAN;
        int64_t *c = realloc(s->cid, cap * sizeof *c);
        if (c)
            s->cid = c;
        size_t *o = c ? realloc(s->off, cap * sizeof *o) : NULL;
        if (o)
            s->off = o;
        size_t *l = o ? realloc(s->len, cap * sizeof *l) : NULL;
        if (l)
            s->len = l;
        int8_t *h = l ? realloc(s->hit, cap) : NULL;
        if (!h)
            return CORDON_ENOMEM;
        s->hit = h;
        s->cap = cap;
    }
    s->cid[s->n] = row->cid;
    s->off[s->n] = s->blob.len;
    s->len[s->n] = row->sig_len;
    s->last = row->cid;
    s->n++;
    return row->sig_len && cordon__buf_append(&s->blob, row->sig, row->sig_len) ? CORDON_ENOMEM
                                                                                : 0;
}

static void *check_rows(void *arg)
{
    scan_page *s = arg;
    cordon__check *ck = s->checks[atomic_fetch_add(&s->next_check, 1)];
    /* rows are taken in runs: one shared counter per row costs as much
     * as the check of a row that meets nothing */
    enum { RUN = 64 };
    for (;;) {
        size_t from = atomic_fetch_add(&s->next, RUN);
        if (from >= s->n)
            break;
        size_t to = from + RUN < s->n ? from + RUN : s->n;
        for (size_t i = from; i < to; i++) {
            if (i + 1 < s->n && s->len[i + 1])
                cordon__changeset_prefetch(ck, s->blob.data + s->off[i + 1], s->len[i + 1]);
            /* a customer whose screening failed has no signature, and a
             * damaged one cannot be read: both are screened */
            int hit = s->len[i] ? cordon__changeset_meets(s->cs, ck, s->blob.data + s->off[i],
                                                          s->len[i])
                                : 1;
            if (hit == CORDON_ENOMEM)
                atomic_store(&s->failed, 1);
            s->hit[i] = hit != 0;
        }
    }
    return NULL;
}

/* Starts checking a page on threads - 1 threads (one with -j1); the
 * caller reads the next page meanwhile, then checks with them
 * (check_page_join): never more threads running than asked for. */
typedef struct checking {
    pthread_t t[MAX_THREADS];
    unsigned started;
    bool caller_checks;
} checking;

static void check_page_start(scan_page *s, unsigned threads, checking *c)
{
    atomic_store(&s->next, 0);
    atomic_store(&s->next_check, 0);
    atomic_store(&s->failed, 0);
    c->started = 0;
    c->caller_checks = threads > 1;
    unsigned want = threads > 1 ? threads - 1 : 1;
    for (; c->started < want; c->started++)
        if (pthread_create(&c->t[c->started], NULL, check_rows, s) != 0)
            break;
    if (c->started == 0) { /* no thread: check here */
        check_rows(s);
        c->caller_checks = false;
    }
}

static int check_page_join(scan_page *s, checking *c)
{
    if (c->caller_checks)
        check_rows(s);
    for (unsigned i = 0; i < c->started; i++)
        pthread_join(c->t[i], NULL);
    return atomic_load(&s->failed) ? CORDON_ENOMEM : 0;
}

static int read_page(run_ctx *r, scan_page *s, int64_t after)
{
    s->n = 0;
    s->blob.len = 0;
    s->last = after;
    int rc = r->st->ops->customer_page(r->st, CORDON__CUSTOMERS_SCREENED, r->run, after,
                                       PAGE_SCAN, 0, scan_row, s, r->err);
    if (rc == CORDON_ENOMEM)
        cordon__fail(r->err, rc, NULL, 0, 0, "out of memory");
    return rc;
}

static void page_free(scan_page *s)
{
    free(s->cid);
    free(s->off);
    free(s->len);
    free(s->hit);
    cordon__buf_free(&s->blob);
}

/* What a delta still has to screen: the candidates phase B found, and
 * the customers with kept near misses to rescore (phase C), grouped by
 * customer. */
typedef struct pending {
    int64_t *cand;
    size_t n_cand;
    const near_want *want;
    size_t n_want, next_want;
} pending;

/* Screens one chunk of what is pending: candidates first, then, with
 * `rescore`, customers to rescore, together (one pool of threads, one
 * transaction). */
static int screen_pending(run_ctx *r, job *j, pending *pd, bool rescore)
{
    chunk_reset(j->c);
    int rc = 0;
    size_t take = pd->n_cand < CHUNK_DELTA ? pd->n_cand : CHUNK_DELTA;
    for (size_t i = 0; i < take && !rc; i++)
        rc = r->st->ops->customer_get(r->st, pd->cand[i], take_row, j->c, r->err);
    r->rep->candidates += take;
    memmove(pd->cand, pd->cand + take, (pd->n_cand - take) * sizeof *pd->cand);
    pd->n_cand -= take;
    const near_want *w = pd->want;
    while (!rc && rescore && pd->next_want < pd->n_want && j->c->n < CHUNK_FULL) {
        size_t i = pd->next_want, k = i;
        while (k < pd->n_want && w[k].cid == w[i].cid)
            k++;
        size_t had = j->c->n;
        rc = r->st->ops->customer_get(r->st, w[i].cid, take_row, j->c, r->err);
        if (!rc && j->c->n > had) {
            cust *x = &j->c->v[had];
            x->rescore = true;
            x->want = &w[i];
            x->n_want = k - i;
            r->rep->near_misses += k - i;
            r->rep->rescored++;
        }
        pd->next_want = k;
    }
    if (rc == CORDON_ENOMEM && (!r->err || r->err->code != CORDON_ENOMEM))
        cordon__fail(r->err, rc, NULL, 0, 0, "out of memory");
    if (!rc && (rc = screen_chunk(j, r->threads)))
        rc = cordon__fail(r->err, rc, NULL, 0, 0, "out of memory");
    if (!rc)
        rc = write_chunk(r, j);
    return rc;
}

/* Two pages in turn: the threads check one while this thread reads the
 * next from the store. */
static int phase_delta(run_ctx *r, job *j, cordon__changeset *cs, pending *pd)
{
    scan_page pg[2];
    memset(pg, 0, sizeof pg);
    cordon__check *checks[MAX_THREADS] = {0};
    int rc = cordon__changeset_build(cs);
    for (unsigned t = 0; !rc && t < r->threads; t++)
        if (!(checks[t] = cordon__check_new()))
            rc = CORDON_ENOMEM;
    if (rc) {
        for (unsigned t = 0; t < r->threads; t++)
            cordon__check_free(checks[t]);
        return cordon__fail(r->err, rc, NULL, 0, 0, "out of memory");
    }
    for (int k = 0; k < 2; k++) {
        pg[k].cs = cs;
        memcpy(pg[k].checks, checks, sizeof checks);
    }
    int cur = 0;
    rc = read_page(r, &pg[cur], 0);
    while (!rc && pg[cur].n) {
        scan_page *s = &pg[cur], *next = &pg[1 - cur];
        checking ch;
        check_page_start(s, r->threads, &ch);
        int rrc = s->n == PAGE_SCAN ? read_page(r, next, s->last) : 0;
        if (s->n < PAGE_SCAN)
            next->n = 0;
        rc = check_page_join(s, &ch);
        if (rc) {
            cordon__fail(r->err, rc, NULL, 0, 0, "out of memory");
            break;
        }
        if ((rc = rrc))
            break;
        r->rep->scanned += s->n;
        size_t hits = 0;
        for (size_t i = 0; i < s->n; i++)
            hits += (size_t)s->hit[i];
        int64_t *c2 = realloc(pd->cand, (pd->n_cand + hits + 1) * sizeof *c2);
        if (!c2) {
            rc = cordon__fail(r->err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        pd->cand = c2;
        for (size_t i = 0; i < s->n; i++)
            if (s->hit[i])
                pd->cand[pd->n_cand++] = s->cid[i];
        /* screen in large chunks: a delta keeps no per-customer state (a
         * run that dies redoes its delta), and few large transactions
         * cost fewer fsyncs; the last ones go with phase C's */
        while (!rc && pd->n_cand >= CHUNK_DELTA)
            rc = screen_pending(r, j, pd, false);
        cur = 1 - cur;
    }
    for (unsigned t = 0; t < r->threads; t++)
        cordon__check_free(checks[t]);
    page_free(&pg[0]);
    page_free(&pg[1]);
    return rc;
}

/* Phase C: the kept near misses of earlier runs, read before phase B. A
 * pair on an entity that changed or went is dropped (phase B screens the
 * customers that may meet a changed entity, and keeps their new near
 * misses); the rest are rescored, one screening per customer, with phase
 * B's last candidates. */
typedef struct near_scan {
    run_ctx *r;
    cordon__vec want;    /* near_want */
    cordon__vec gone;    /* near_gone */
    cordon__arena arena;
} near_scan;

typedef struct near_gone {
    int64_t cid;
    const char *entity;
} near_gone;

static int take_near(void *ctx, const cordon__near_row *n)
{
    near_scan *ns = ctx;
    size_t el = strlen(n->entity);
    uintptr_t at = (uintptr_t)cordon__strmap_get(&ns->r->ent_at, n->entity, el);
    if (at && strcmp(ns->r->ent_hash[at - 1], n->entity_hash) == 0) {
        near_want *w = cordon__vec_push(&ns->want, sizeof *w);
        if (!w)
            return CORDON_ENOMEM;
        *w = (near_want){.cid = n->cid, .entity = at - 1, .score = n->score};
        return 0;
    }
    near_gone *g = cordon__vec_push(&ns->gone, sizeof *g);
    const char *id = cordon__arena_strndup(&ns->arena, n->entity, el);
    if (!g || !id)
        return CORDON_ENOMEM;
    *g = (near_gone){.cid = n->cid, .entity = id};
    return 0;
}

static void near_free(near_scan *ns)
{
    cordon__vec_free(&ns->want);
    cordon__vec_free(&ns->gone);
    cordon__arena_free(&ns->arena);
}

/* Reads the kept near misses into ns->want (initialised here; free with
 * near_free) and drops those on entities that changed or went. */
static int near_prepare(run_ctx *r, near_scan *ns)
{
    memset(ns, 0, sizeof *ns);
    ns->r = r;
    cordon__arena_init(&ns->arena);
    int rc = r->st->ops->near_scan(r->st, r->run, take_near, ns, r->err);
    if (rc == CORDON_ENOMEM)
        cordon__fail(r->err, rc, NULL, 0, 0, "out of memory");
    const near_gone *gone = ns->gone.items;
    if (!rc && ns->gone.count) {
        rc = r->st->ops->begin(r->st, r->err);
        for (size_t i = 0; i < ns->gone.count && !rc; i++)
            rc = r->st->ops->near_delete(r->st, gone[i].cid, gone[i].entity, r->err);
        if (!rc)
            rc = r->st->ops->commit(r->st, r->err);
        if (rc)
            r->st->ops->rollback(r->st);
    }
    return rc;
}

/* Every entity's id and content hash (kept in the snapshot by its
 * builder), and the map from ids to entities. */
static int entity_hashes(run_ctx *r)
{
    size_t n = cordon_index_entity_count(r->idx);
    r->n_ent = n;
    r->ent_id = calloc(n ? n : 1, sizeof *r->ent_id);
    r->ent_hash = calloc(n ? n : 1, sizeof *r->ent_hash);
    if (!r->ent_id || !r->ent_hash || cordon__strmap_reserve(&r->ent_at, n))
        return cordon__fail(r->err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        r->ent_id[i] = r->idx->strings + r->idx->entities[i].id; /* in the index */
        cordon__index_entity_hash(r->idx, i, r->ent_hash[i]);
        cordon__strmap_put(&r->ent_at, r->ent_id[i], strlen(r->ent_id[i]),
                           (void *)(uintptr_t)(i + 1)); /* reserved: cannot fail */
    }
    return 0;
}

/* The stored state against the index: each stored entity is looked up
 * in the index as it is read (no copy of the state is kept). */
typedef struct state_cmp {
    run_ctx *r;
    uint8_t *seen;       /* index entity -> in the stored state */
    uint8_t *differs;    /* index entity -> added or changed */
    size_t changed;
    cordon__vec removed; /* const char *: stored ids the index no longer has */
    cordon__arena arena;
} state_cmp;

static int compare_state(void *ctx, const char *id, const char *hash)
{
    state_cmp *sc = ctx;
    size_t il = strlen(id);
    uintptr_t at = (uintptr_t)cordon__strmap_get(&sc->r->ent_at, id, il);
    if (!at) {
        const char **slot = cordon__vec_push(&sc->removed, sizeof *slot);
        char *copy = cordon__arena_strndup(&sc->arena, id, il);
        if (!slot || !copy)
            return CORDON_ENOMEM;
        *slot = copy;
        return 0;
    }
    sc->seen[at - 1] = 1;
    if (strcmp(sc->r->ent_hash[at - 1], hash) != 0) {
        sc->differs[at - 1] = 1;
        sc->changed++;
    }
    return 0;
}

/* Compares the index with the last finished run's hashes: marks added
 * and changed entities (changed may be NULL), counts them and the
 * removed ones into the report, and with `write` records the new state
 * (inside the caller's transaction). */
static int entity_delta(run_ctx *r, uint8_t *changed, bool write)
{
    state_cmp sc = {.r = r};
    cordon__arena_init(&sc.arena);
    size_t n = r->n_ent ? r->n_ent : 1;
    sc.seen = calloc(n, 1);
    sc.differs = changed ? changed : calloc(n, 1);
    int rc = sc.seen && sc.differs ? 0 : CORDON_ENOMEM;
    if (changed)
        memset(changed, 0, n);
    if (!rc)
        rc = r->st->ops->entity_scan(r->st, compare_state, &sc, r->err);
    if (rc == CORDON_ENOMEM)
        cordon__fail(r->err, rc, NULL, 0, 0, "out of memory");
    size_t added = 0;
    for (size_t i = 0; i < r->n_ent && !rc; i++) {
        if (!sc.seen[i]) {
            sc.differs[i] = 1;
            added++;
        }
        if (write && sc.differs[i])
            rc = r->st->ops->entity_put(r->st, r->ent_id[i], r->ent_hash[i], r->run, r->err);
    }
    const char **gone = sc.removed.items;
    for (size_t i = 0; i < sc.removed.count && !rc && write; i++)
        rc = r->st->ops->entity_delete(r->st, gone[i], r->err);
    if (!rc) {
        r->rep->entities_added = added;
        r->rep->entities_changed = sc.changed;
        r->rep->entities_removed = sc.removed.count;
    }
    free(sc.seen);
    if (sc.differs != changed)
        free(sc.differs);
    cordon__vec_free(&sc.removed);
    cordon__arena_free(&sc.arena);
    return rc;
}

/* The engine's fingerprint, on a thread of its own: analysing the probe
 * names is mostly ICU getting ready (about 30 ms, which the screenings
 * would otherwise pay), and the run's first steps need no answer yet. */
typedef struct engine_job {
    pthread_t t;
    bool running;
    int rc;
    char engine[65];
} engine_job;

static void *engine_thread(void *arg)
{
    engine_job *e = arg;
    e->rc = cordon__sig_engine(e->engine);
    return NULL;
}

static void engine_start(engine_job *e)
{
    e->running = pthread_create(&e->t, NULL, engine_thread, e) == 0;
    if (!e->running)
        engine_thread(e);
}

static int engine_join(engine_job *e)
{
    if (e->running)
        pthread_join(e->t, NULL);
    e->running = false;
    return e->rc;
}

int cordon_monitor_run(cordon_store *st, const cordon_index *idx,
                       const cordon_monitor_options *opts, cordon_alert_fn on_alert, void *ctx,
                       cordon_monitor_report *report, cordon_error *err)
{
    cordon_monitor_report local;
    if (!report)
        report = &local;
    memset(report, 0, sizeof *report);
    if (!st || !idx)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no store or index");
    cordon_monitor_options o = {0};
    if (opts)
        o = *opts;
    if (!(o.threshold >= 0.0 && o.threshold <= 1.0))
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "threshold %g is outside [0, 1]",
                            o.threshold);
    if (!o.caller || !*o.caller)
        o.caller = "cli";
    double threshold = o.threshold > 0 ? o.threshold
                                       : cordon_default_threshold(CORDON_ALGORITHM_DEFAULT);
    int64_t t0 = cordon_time_now();
    run_ctx r = {.st = st, .idx = idx, .o = &o, .rep = report, .on_alert = on_alert,
                 .cb_ctx = ctx, .err = err};
    r.threads = o.threads ? (o.threads > MAX_THREADS ? MAX_THREADS : o.threads) : 1;
    snprintf(report->snapshot, sizeof report->snapshot, "%s", cordon_index_hash(idx));

    engine_job ej = {0};
    engine_start(&ej);
    int64_t last_run = 0;
    double last_threshold = 0;
    char stored_engine[65], deltas_s[24];
    int rc = st->ops->run_last(st, &last_run, report->previous, &last_threshold, err);
    if (!rc)
        rc = st->ops->meta_get(st, ENGINE_KEY, stored_engine, sizeof stored_engine, err);
    if (!rc)
        rc = st->ops->meta_get(st, DELTAS_KEY, deltas_s, sizeof deltas_s, err);
    /* meanwhile: every entity's id and hash, needed by every run, and
     * when the index is not the last run's, what changed (a delta needs
     * it; should the engine have changed, the run is a full one and this
     * goes unused) */
    if (!rc)
        rc = entity_hashes(&r);
    uint8_t *changed = NULL;
    if (!rc && last_run && strcmp(report->previous, report->snapshot) != 0) {
        changed = calloc(r.n_ent ? r.n_ent : 1, 1);
        rc = changed ? entity_delta(&r, changed, false)
                     : cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    }
    int erc = engine_join(&ej);
    if (!rc && erc)
        rc = cordon__fail(err, erc, NULL, 0, 0, "cannot analyse the engine's probe names");
    if (rc) {
        free(changed);
        free(r.ent_id);
        free(r.ent_hash);
        cordon__strmap_free(&r.ent_at);
        return rc;
    }
    const char *engine = ej.engine;
    /* a new threshold changes every customer's answer; signatures made
     * by a cordon that analyses names otherwise may miss what this one
     * would find (and it scores otherwise): both screen everyone again */
    if (last_run && (last_threshold != threshold || strcmp(engine, stored_engine) != 0))
        o.full = 1;
    long deltas = strtol(deltas_s, NULL, 10);
    if (last_run && deltas >= MAX_DELTAS)
        o.full = 1;
    bool delta = last_run && !o.full && strcmp(report->previous, report->snapshot) != 0;

    cordon__run_row row = {.started_ms = t0, .caller = o.caller, .snapshot = report->snapshot,
                           .previous = report->previous, .threshold = threshold,
                           .full = o.full};
    rc = st->ops->begin(st, err);
    if (!rc)
        rc = st->ops->customer_unscreen_runs(st, last_run, report->snapshot, err);
    if (!rc)
        rc = st->ops->run_begin(st, &row, &r.run, err);
    if (!rc)
        rc = st->ops->commit(st, err);
    if (rc) {
        st->ops->rollback(st);
        free(changed);
        free(r.ent_id);
        free(r.ent_hash);
        cordon__strmap_free(&r.ent_at);
        return rc;
    }
    report->run = r.run;
    row.run = r.run;

    chunk c;
    memset(&c, 0, sizeof c);
    cordon__arena_init(&c.arena);
    cordon__changeset cs;
    memset(&cs, 0, sizeof cs);
    job j = {.idx = idx, .c = &c, .run = r.run, .caller = o.caller, .audit = !o.no_audit};
    j.threshold = threshold;
    j.so.threshold = threshold > DRIFT_BAND ? threshold - DRIFT_BAND : 0.0;
    j.so.limit = CORDON_SCREEN_MAX_LIMIT;
    j.so_audit = j.so;
    j.so_audit.threshold = threshold;
    rc = phase_full(&r, &j);
    if (!rc && delta) {
        /* DRIFT_BAND lower: the near misses on changed entities too */
        if (!rc && cordon__changeset_init(&cs, idx, j.so.threshold))
            rc = CORDON_ENOMEM;
        for (size_t i = 0; i < r.n_ent && !rc; i++)
            if (changed[i])
                rc = cordon__changeset_add_entity(&cs, i);
        if (rc == CORDON_ENOMEM && (!err || err->code != CORDON_ENOMEM))
            cordon__fail(err, rc, NULL, 0, 0, "out of memory");
        near_scan ns;
        memset(&ns, 0, sizeof ns);
        bool have_near = !rc;
        if (have_near)
            rc = near_prepare(&r, &ns);
        pending pd = {.want = ns.want.items, .n_want = ns.want.count};
        j.delta = true;
        j.changed = changed;
        if (!rc && cordon__changeset_keys(&cs))
            rc = phase_delta(&r, &j, &cs, &pd);
        while (!rc && (pd.n_cand || pd.next_want < pd.n_want))
            rc = screen_pending(&r, &j, &pd, true);
        free(pd.cand);
        if (have_near)
            near_free(&ns);
    }
    /* the new entity state and the run's figures, together */
    if (!rc)
        rc = st->ops->customer_count(st, &report->customers, err);
    if (!rc)
        rc = st->ops->begin(st, err);
    if (!rc && (!last_run || strcmp(report->previous, report->snapshot) != 0))
        rc = entity_delta(&r, NULL, true);
    report->seconds = (double)(cordon_time_now() - t0) / 1000.0;
    row.finished_ms = cordon_time_now();
    row.report = report;
    if (!rc)
        rc = st->ops->run_finish(st, &row, err);
    /* every customer now has a signature of this engine's */
    if (!rc && strcmp(engine, stored_engine) != 0)
        rc = st->ops->meta_put(st, ENGINE_KEY, engine, err);
    if (!rc && (delta || o.full || !last_run)) {
        snprintf(deltas_s, sizeof deltas_s, "%ld", delta ? deltas + 1 : 0);
        rc = st->ops->meta_put(st, DELTAS_KEY, deltas_s, err);
    }
    if (!rc)
        rc = st->ops->commit(st, err);
    if (rc && st->in_txn)
        st->ops->rollback(st);
    cordon__changeset_free(&cs);
    free(changed);
    chunk_free(&c);
    cordon__arena_free(&c.arena);
    free(r.ent_id);
    free(r.ent_hash);
    cordon__strmap_free(&r.ent_at);
    return rc;
}
