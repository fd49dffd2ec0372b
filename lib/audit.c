/*
 * audit.c — the audit log: building records from screenings, appending
 * them with the hash chain, reading them back, verifying the chain, and
 * a background writer that lets many threads log through one
 * connection.
 *
 * The chain: record n stores prev_hash = hash of record n-1 (64 zeros
 * for record 1) and hash = SHA-256 of its canonical form, which is
 *   "cordon-audit-1\n" followed, for each field in the order seq,
 *   time_ms, kind, caller, subject, query, options, context, snapshot,
 *   matches, n_matches, version, prev_hash, of "<byte length>:<bytes>\n"
 *   (numbers in decimal).
 * Changing any byte of any record changes its hash, which then no
 * longer matches the prev_hash of the next one: to hide an edit one must
 * rewrite every later record, and a published head hash catches that.
 */
#include "store_int.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* ---- records ------------------------------------------------------------- */

/* The record and its strings in one block: the struct, then the text. */
static int record_from_parts(const char *const parts[10], size_t n_matches,
                             cordon_audit_record **out)
{
    size_t total = sizeof(cordon_audit_record);
    for (int i = 0; i < 10; i++)
        total += (parts[i] ? strlen(parts[i]) : 0) + 1;
    cordon_audit_record *r = calloc(1, total);
    if (!r)
        return CORDON_ENOMEM;
    char *p = (char *)(r + 1);
    const char **fields[10] = {&r->kind,    &r->caller,   &r->subject,  &r->query,
                               &r->options, &r->context,  &r->snapshot, &r->matches,
                               &r->version, NULL};
    for (int i = 0; i < 9; i++) {
        size_t n = parts[i] ? strlen(parts[i]) : 0;
        if (n)
            memcpy(p, parts[i], n);
        p[n] = '\0';
        *fields[i] = p;
        p += n + 1;
    }
    r->n_matches = n_matches;
    *out = r;
    return 0;
}

void cordon_audit_record_free(cordon_audit_record *rec) { free(rec); }

int cordon_audit_record_copy(const cordon_audit_record *rec, cordon_audit_record **out,
                             cordon_error *err)
{
    if (out)
        *out = NULL;
    if (!rec || !out)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no record to copy");
    const char *parts[10] = {
        rec->kind ? rec->kind : "",
        rec->caller ? rec->caller : "",
        rec->subject ? rec->subject : "",
        rec->query && *rec->query ? rec->query : "{}",
        rec->options && *rec->options ? rec->options : "{}",
        rec->context && *rec->context ? rec->context : "{}",
        rec->snapshot ? rec->snapshot : "",
        rec->matches && *rec->matches ? rec->matches : "[]",
        rec->version,
        NULL};
    cordon_audit_record *r;
    if (record_from_parts(parts, rec->n_matches, &r))
        return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    if (!rec->version)
        r->version = NULL; /* filled at append, as the caller asked */
    r->seq = rec->seq;
    r->time_ms = rec->time_ms;
    memcpy(r->prev_hash, rec->prev_hash, sizeof r->prev_hash);
    memcpy(r->hash, rec->hash, sizeof r->hash);
    *out = r;
    return 0;
}

static int date_json(cordon__buf *b, const cordon_date *d)
{
    if (d->text)
        return cordon__json_str(b, d->text, strlen(d->text));
    char t[48];
    int n;
    if (d->flags & CORDON_DATE_RANGE)
        n = snprintf(t, sizeof t, "%04d to %04d", d->year, d->year_to);
    else if (d->day)
        n = snprintf(t, sizeof t, "%04d-%02u-%02u", d->year, d->month, d->day);
    else if (d->month)
        n = snprintf(t, sizeof t, "%04d-%02u", d->year, d->month);
    else
        n = snprintf(t, sizeof t, "%04d", d->year);
    if (d->flags & CORDON_DATE_CIRCA) {
        char c[64];
        n = snprintf(c, sizeof c, "circa %s", t);
        return cordon__json_str(b, c, (size_t)n);
    }
    return cordon__json_str(b, t, (size_t)n);
}

static int query_json(cordon__buf *b, const cordon_query *q)
{
    int rc = cordon__buf_printf(b, "{\"name\":");
    if (!rc)
        rc = q->name ? cordon__json_str(b, q->name, q->name_len) : cordon__buf_printf(b, "null");
    if (!rc)
        rc = cordon__buf_printf(b, ",\"schema\":\"%s\",\"birth_date\":",
                                cordon_schema_name(q->schema));
    if (!rc)
        rc = q->birth_date ? date_json(b, q->birth_date) : cordon__buf_printf(b, "null");
    if (!rc)
        rc = cordon__buf_printf(b, ",\"country\":");
    if (!rc)
        rc = q->country && q->country_len ? cordon__json_str(b, q->country, q->country_len)
                                          : cordon__buf_printf(b, "null");
    if (!rc)
        rc = cordon__buf_printf(b, ",\"ids\":[");
    for (size_t i = 0; i < q->n_ids && !rc; i++) {
        if (i)
            rc = cordon__buf_putc(b, ',');
        if (!rc)
            rc = cordon__json_str(b, q->ids[i].value, q->ids[i].len);
    }
    if (!rc)
        rc = cordon__buf_printf(b, "]}");
    return rc ? CORDON_ENOMEM : 0;
}

static int matches_json(cordon__buf *b, const cordon_result *r)
{
    int rc = cordon__buf_putc(b, '[');
    for (size_t i = 0; i < r->n_matches && !rc; i++) {
        const cordon_match *m = &r->matches[i];
        const char *mn = m->explanation.matched_name;
        rc = cordon__buf_printf(b, "%s{\"id\":", i ? "," : "");
        if (!rc)
            rc = m->id ? cordon__json_str(b, m->id, strlen(m->id)) : cordon__buf_printf(b, "null");
        if (!rc)
            rc = cordon__buf_printf(b, ",\"name\":");
        if (!rc)
            rc = m->name ? cordon__json_str(b, m->name, strlen(m->name))
                         : cordon__buf_printf(b, "null");
        if (!rc)
            rc = cordon__buf_printf(b, ",\"matched_name\":");
        if (!rc)
            rc = mn ? cordon__json_str(b, mn, strlen(mn)) : cordon__buf_printf(b, "null");
        if (!rc)
            rc = cordon__buf_printf(b, ",\"score\":%.6f}", m->score);
    }
    if (!rc)
        rc = cordon__buf_putc(b, ']');
    return rc ? CORDON_ENOMEM : 0;
}

int cordon_audit_record_screen(const char *kind, const char *caller, const cordon_query *query,
                               const cordon_screen_options *opts, const cordon_index *idx,
                               const cordon_result *result, const char *context,
                               cordon_audit_record **out, cordon_error *err)
{
    if (out)
        *out = NULL;
    if (!kind || !caller || !query || !result || !out)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0,
                            "an audit record needs a kind, a caller, a query and a result");
    cordon__buf q = {0}, o = {0}, m = {0}, subj = {0};
    int rc = query_json(&q, query);
    size_t limit = opts && opts->limit ? opts->limit : CORDON_SCREEN_DEFAULT_LIMIT;
    if (!rc && cordon__buf_printf(&o, "{\"algorithm\":\"%s\",\"threshold\":%.6f,\"limit\":%zu}",
                                  cordon_algorithm_name(result->algorithm), result->threshold,
                                  limit))
        rc = CORDON_ENOMEM;
    if (!rc)
        rc = matches_json(&m, result);
    /* The subject is the name, or for an identifier-only query the ids. */
    if (!rc && query->name && query->name_len)
        rc = cordon__buf_append(&subj, query->name, query->name_len);
    for (size_t i = 0; !rc && !(query->name && query->name_len) && i < query->n_ids; i++)
        rc = cordon__buf_printf(&subj, "%s%.*s", i ? " " : "", (int)query->ids[i].len,
                                query->ids[i].value);
    if (!rc)
        rc = cordon__buf_terminate(&subj) || cordon__buf_terminate(&q) ||
                     cordon__buf_terminate(&o) || cordon__buf_terminate(&m)
                 ? CORDON_ENOMEM
                 : 0;
    if (!rc) {
        const char *parts[10] = {kind,   caller,  subj.data ? subj.data : "",
                                 q.data, o.data,  context && *context ? context : "{}",
                                 idx ? cordon_index_hash(idx) : "",
                                 m.data, cordon_version(), NULL};
        rc = record_from_parts(parts, result->n_matches, out);
    }
    cordon__buf_free(&q);
    cordon__buf_free(&o);
    cordon__buf_free(&m);
    cordon__buf_free(&subj);
    if (rc)
        return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    return 0;
}

/* ---- the chain --------------------------------------------------------------- */

/* Decimal digits of v at the end of buf[24]; returns where they start. */
static char *decimal(char buf[24], unsigned long long v)
{
    char *p = buf + 24;
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    return p;
}

static void put_field(EVP_MD_CTX *md, const char *s, size_t n)
{
    /* "<n>:<bytes>\n" (formatted by hand: the writer hashes every record) */
    char t[25];
    char *p = decimal(t, n);
    t[24] = ':';
    EVP_DigestUpdate(md, p, (size_t)(t + 25 - p));
    if (n)
        EVP_DigestUpdate(md, s, n);
    EVP_DigestUpdate(md, "\n", 1);
}

static void put_str(EVP_MD_CTX *md, const char *s) { put_field(md, s ? s : "", s ? strlen(s) : 0); }

static void put_num(EVP_MD_CTX *md, long long v)
{
    char t[25];
    char *p = decimal(t + 1, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v);
    if (v < 0)
        *--p = '-';
    put_field(md, p, (size_t)(t + 25 - p));
}

/* SHA-256 fetched once: OpenSSL 3 looks EVP_sha256() up again on every
 * init otherwise, under a lock. */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;
static void sha256_fetch(void) { sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL); }

/* The hash a record should have, from its fields and prev_hash. */
static int record_hash(const cordon_audit_record *r, char out[65])
{
    pthread_once(&sha256_once, sha256_fetch);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md)
        return CORDON_ENOMEM;
    unsigned char d[32];
    unsigned int dl = 0;
    EVP_DigestInit_ex(md, sha256_md ? sha256_md : EVP_sha256(), NULL);
    EVP_DigestUpdate(md, "cordon-audit-1\n", 15);
    put_num(md, (long long)r->seq);
    put_num(md, (long long)r->time_ms);
    put_str(md, r->kind);
    put_str(md, r->caller);
    put_str(md, r->subject);
    put_str(md, r->query);
    put_str(md, r->options);
    put_str(md, r->context);
    put_str(md, r->snapshot);
    put_str(md, r->matches);
    put_num(md, (long long)r->n_matches);
    put_str(md, r->version);
    put_str(md, r->prev_hash);
    EVP_DigestFinal_ex(md, d, &dl);
    EVP_MD_CTX_free(md);
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; i < 32; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[64] = '\0';
    return 0;
}

static bool starts_with(const char *s, char c)
{
    if (!s)
        return false;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    return *s == c;
}

static int check_record(const cordon_audit_record *r, size_t i, cordon_error *err)
{
    if (!r || !r->kind || !r->caller || !r->subject || !r->query || !r->options ||
        !r->context || !r->snapshot || !r->matches)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0,
                            "audit record %zu of the batch has a NULL field", i + 1);
    if (!*r->kind || !*r->caller)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0,
                            "audit record %zu of the batch has no kind or caller", i + 1);
    if (!starts_with(r->query, '{') || !starts_with(r->options, '{') ||
        !starts_with(r->context, '{') || !starts_with(r->matches, '['))
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0,
                            "audit record %zu of the batch: query, options and context must "
                            "be JSON objects and matches a JSON array",
                            i + 1);
    const char *text[] = {r->kind,    r->caller,   r->subject, r->query, r->options,
                          r->context, r->snapshot, r->matches, r->version};
    for (size_t k = 0; k < sizeof text / sizeof text[0]; k++)
        if (text[k] && !cordon__utf8_valid(text[k], strlen(text[k])))
            return cordon__fail(err, CORDON_EUTF8, NULL, 0, 0,
                                "audit record %zu of the batch is not valid UTF-8", i + 1);
    return 0;
}

int cordon__audit_append_locked(cordon_store *st, cordon_audit_record *const *recs, size_t n,
                                cordon_error *err)
{
    uint64_t seq;
    char prev[65];
    int rc = st->ops->audit_head(st, &seq, prev, err);
    int64_t now = cordon_time_now();
    for (size_t i = 0; i < n && !rc; i++) {
        cordon_audit_record *r = recs[i];
        r->seq = ++seq;
        if (!r->time_ms)
            r->time_ms = now;
        if (!r->version)
            r->version = cordon_version();
        memcpy(r->prev_hash, prev, sizeof r->prev_hash);
        if (record_hash(r, r->hash))
            return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
        rc = st->ops->audit_insert(st, r, err);
        memcpy(prev, r->hash, sizeof prev);
    }
    return rc;
}

int cordon_audit_append(cordon_store *st, cordon_audit_record *const *recs, size_t n,
                        cordon_error *err)
{
    if (!st || (!recs && n))
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no store or records");
    for (size_t i = 0; i < n; i++) {
        int rc = check_record(recs[i], i, err);
        if (rc)
            return rc;
    }
    if (n == 0)
        return 0;
    int rc = st->ops->begin(st, err);
    if (rc)
        return rc;
    rc = cordon__audit_append_locked(st, recs, n, err);
    if (!rc)
        rc = st->ops->commit(st, err);
    if (rc)
        st->ops->rollback(st);
    return rc;
}

int cordon_audit_scan(cordon_store *st, const cordon_audit_filter *filter, cordon_audit_fn fn,
                      void *ctx, cordon_error *err)
{
    if (!st || !fn)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no store or callback");
    return st->ops->audit_scan(st, filter, fn, ctx, err);
}

/* ---- verification --------------------------------------------------------------- */

typedef struct verify_ctx {
    cordon_audit_check *check;
    char prev[65];
    cordon_error *err;
} verify_ctx;

static int verify_one(void *arg, const cordon_audit_record *r)
{
    verify_ctx *v = arg;
    cordon_audit_check *c = v->check;
    uint64_t want = c->records + 1;
    const char *what = NULL;
    char hash[65];
    if (r->seq != want)
        what = r->seq > want ? "records before it are missing" : "its sequence number repeats";
    else if (strcmp(r->prev_hash, v->prev) != 0)
        what = "its previous-record hash does not match the record before it";
    else if (record_hash(r, hash) != 0)
        return cordon__fail(v->err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    else if (strcmp(hash, r->hash) != 0)
        what = "its hash does not match its content";
    if (what) {
        c->bad_seq = r->seq == want ? r->seq : want;
        return cordon__fail(v->err, CORDON_ECORRUPT, NULL, 0, 0, "audit record %llu: %s",
                            (unsigned long long)r->seq, what);
    }
    c->records++;
    c->head_seq = r->seq;
    memcpy(c->head_hash, r->hash, sizeof c->head_hash);
    memcpy(v->prev, r->hash, sizeof v->prev);
    return 0;
}

int cordon_audit_verify(cordon_store *st, cordon_audit_check *check, cordon_error *err)
{
    cordon_audit_check local;
    if (!check)
        check = &local;
    memset(check, 0, sizeof *check);
    if (!st)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no store");
    verify_ctx v = {.check = check, .err = err};
    memcpy(v.prev, ZERO_HASH, sizeof v.prev);
    return st->ops->audit_scan(st, NULL, verify_one, &v, err);
}

char *cordon_audit_record_json(const cordon_audit_record *r)
{
    if (!r)
        return NULL;
    cordon__buf b = {0};
    char t[32];
    cordon_time_format(r->time_ms, t);
    const char *sf[] = {r->kind, r->caller, r->subject};
    const char *sn[] = {"kind", "caller", "subject"};
    int rc = cordon__buf_printf(&b, "{\"seq\":%llu,\"time\":\"%s\"", (unsigned long long)r->seq,
                                t);
    for (int i = 0; i < 3 && !rc; i++) {
        rc = cordon__buf_printf(&b, ",\"%s\":", sn[i]);
        if (!rc)
            rc = cordon__json_str(&b, sf[i] ? sf[i] : "", sf[i] ? strlen(sf[i]) : 0);
    }
    /* the JSON fields go in as they are: they were checked at append */
    if (!rc)
        rc = cordon__buf_printf(&b, ",\"query\":%s,\"options\":%s,\"context\":%s,\"snapshot\":",
                                r->query && *r->query ? r->query : "{}",
                                r->options && *r->options ? r->options : "{}",
                                r->context && *r->context ? r->context : "{}");
    if (!rc)
        rc = cordon__json_str(&b, r->snapshot ? r->snapshot : "",
                              r->snapshot ? strlen(r->snapshot) : 0);
    if (!rc)
        rc = cordon__buf_printf(&b, ",\"matches\":%s,\"n_matches\":%zu,\"version\":",
                                r->matches && *r->matches ? r->matches : "[]", r->n_matches);
    if (!rc)
        rc = cordon__json_str(&b, r->version ? r->version : "", r->version ? strlen(r->version) : 0);
    if (!rc)
        rc = cordon__buf_printf(&b, ",\"prev_hash\":\"%s\",\"hash\":\"%s\"}", r->prev_hash,
                                r->hash);
    if (!rc)
        rc = cordon__buf_terminate(&b);
    if (rc) {
        cordon__buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* ---- the background writer ------------------------------------------------------ */

#define WRITER_MAX_QUEUE 65536
#define WRITER_MAX_TXN 4096
/* Group commit: once a record is queued, the writer waits up to
 * WRITER_LINGER_MS for more (or until WRITER_BATCH are queued, a flush
 * or close asks) before it commits. A commit costs an fsync and a WAL
 * write of the touched pages, ~100 µs of CPU on a small VM; committing
 * each trickle of records as it came cost a server more CPU than its
 * HTTP handling. The records at risk on a crash were already
 * acknowledged before they were written; the linger widens that window
 * by at most this much. */
#define WRITER_LINGER_MS 10
#define WRITER_BATCH 1024

struct cordon_audit_writer {
    cordon_store *st;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t work, space, done;
    cordon_audit_record **q; /* ring */
    size_t head, count;
    uint64_t pushed, committed; /* committed: handled, written or not */
    uint64_t written;           /* committed to the store */
    unsigned flushers;          /* threads in cordon_audit_writer_flush */
    bool stop;
    int failed;
    cordon_error error;
};

static void *writer_main(void *arg)
{
    cordon_audit_writer *w = arg;
    cordon_audit_record **batch = malloc(WRITER_MAX_TXN * sizeof *batch);
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->stop && w->count == 0)
            pthread_cond_wait(&w->work, &w->mu);
        if (w->count == 0 && w->stop)
            break;
        if (w->count < WRITER_BATCH && !w->stop && !w->flushers) {
            struct timespec until;
            clock_gettime(CLOCK_MONOTONIC, &until);
            until.tv_nsec += WRITER_LINGER_MS * 1000000L;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            while (w->count < WRITER_BATCH && !w->stop && !w->flushers)
                if (pthread_cond_timedwait(&w->work, &w->mu, &until) != 0)
                    break;
        }
        size_t n = 0;
        while (w->count && n < WRITER_MAX_TXN && batch) {
            batch[n++] = w->q[w->head];
            w->head = (w->head + 1) % WRITER_MAX_QUEUE;
            w->count--;
        }
        pthread_cond_broadcast(&w->space);
        int failed = w->failed;
        pthread_mutex_unlock(&w->mu);
        cordon_error e;
        cordon_error_clear(&e);
        int rc = failed;
        if (!batch)
            rc = cordon__fail(&e, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
        else if (!rc)
            rc = cordon_audit_append(w->st, batch, n, &e);
        for (size_t i = 0; i < n; i++)
            cordon_audit_record_free(batch[i]);
        pthread_mutex_lock(&w->mu);
        if (rc && !w->failed) {
            w->failed = rc;
            w->error = e;
        }
        w->committed += n;
        if (!rc)
            w->written += n;
        pthread_cond_broadcast(&w->done);
        if (!batch)
            break;
    }
    pthread_mutex_unlock(&w->mu);
    free(batch);
    return NULL;
}

int cordon_audit_writer_open(const char *target, cordon_audit_writer **out, cordon_error *err)
{
    if (out)
        *out = NULL;
    if (!out)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no writer pointer");
    cordon_audit_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->q = calloc(WRITER_MAX_QUEUE, sizeof *w->q))) {
        free(w);
        return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    }
    int rc = cordon_store_open(target, &w->st, err);
    if (rc) {
        free(w->q);
        free(w);
        return rc;
    }
    pthread_mutex_init(&w->mu, NULL);
    pthread_condattr_t mono; /* the linger's deadline must not move with the clock */
    pthread_condattr_init(&mono);
    pthread_condattr_setclock(&mono, CLOCK_MONOTONIC);
    pthread_cond_init(&w->work, &mono);
    pthread_condattr_destroy(&mono);
    pthread_cond_init(&w->space, NULL);
    pthread_cond_init(&w->done, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        cordon_store_close(w->st);
        pthread_cond_destroy(&w->done);
        pthread_cond_destroy(&w->space);
        pthread_cond_destroy(&w->work);
        pthread_mutex_destroy(&w->mu);
        free(w->q);
        free(w);
        return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "cannot start the audit writer");
    }
    pthread_setname_np(w->thread, "cordon-audit"); /* for top and per-thread CPU figures */
    *out = w;
    return 0;
}

static int writer_error(cordon_audit_writer *w, cordon_error *err)
{
    if (err)
        *err = w->error;
    return w->failed;
}

int cordon_audit_writer_push(cordon_audit_writer *w, cordon_audit_record *rec, cordon_error *err)
{
    if (!w || !rec) {
        cordon_audit_record_free(rec);
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no writer or record");
    }
    int rc = check_record(rec, 0, err);
    if (rc) {
        cordon_audit_record_free(rec);
        return rc;
    }
    pthread_mutex_lock(&w->mu);
    while (!w->failed && w->count == WRITER_MAX_QUEUE)
        pthread_cond_wait(&w->space, &w->mu);
    if (w->failed) {
        rc = writer_error(w, err);
        pthread_mutex_unlock(&w->mu);
        cordon_audit_record_free(rec);
        return rc;
    }
    w->q[(w->head + w->count) % WRITER_MAX_QUEUE] = rec;
    w->count++;
    w->pushed++;
    /* wake the writer when it waits for a first record or has enough;
     * while it lingers for more, every push waking it would cost more
     * than the linger saves */
    if (w->count == 1 || w->count == WRITER_BATCH)
        pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->mu);
    return 0;
}

int cordon_audit_writer_flush(cordon_audit_writer *w, cordon_error *err)
{
    if (!w)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no writer");
    pthread_mutex_lock(&w->mu);
    uint64_t target = w->pushed;
    w->flushers++; /* no lingering while someone waits */
    pthread_cond_signal(&w->work);
    while (!w->failed && w->committed < target)
        pthread_cond_wait(&w->done, &w->mu);
    w->flushers--;
    int rc = w->failed ? writer_error(w, err) : 0;
    pthread_mutex_unlock(&w->mu);
    return rc;
}

int cordon_audit_writer_close(cordon_audit_writer *w, uint64_t *written, cordon_error *err)
{
    if (written)
        *written = 0;
    if (!w)
        return 0;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_broadcast(&w->work);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    /* records still queued (the thread could not allocate) are dropped */
    while (w->count) {
        cordon_audit_record_free(w->q[w->head]);
        w->head = (w->head + 1) % WRITER_MAX_QUEUE;
        w->count--;
    }
    int rc = w->failed ? writer_error(w, err) : 0;
    if (written)
        *written = w->written;
    cordon_store_close(w->st);
    pthread_cond_destroy(&w->done);
    pthread_cond_destroy(&w->space);
    pthread_cond_destroy(&w->work);
    pthread_mutex_destroy(&w->mu);
    free(w->q);
    free(w);
    return rc;
}
