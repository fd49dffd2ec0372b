/*
 * batch_pool.c — the engine room of `cordon batch`: one reader, N
 * screening workers sharing one index, and output in input order.
 *
 * The main thread reads rows into slots of up to SLOT_ROWS rows. Slots
 * form a ring (the reorder window): slot k holds batch k mod W, so the
 * reader can run at most W batches ahead of the writer, and memory stays
 * flat however big the input is. Workers take ready batches in order,
 * screen them and format their output rows into the slot. Whoever
 * finishes the batch the writer is waiting for writes it, and every
 * later batch already finished, then frees those slots for the reader;
 * so no thread exists just to write and the output order never depends
 * on which worker was fastest.
 */
#include "batch.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define SLOT_ROWS 64
/* A slot closes early once its copied input passes this, which bounds
 * the memory of a window of slots even on rows with huge fields. */
#define SLOT_DATA_BYTES ((size_t)4 << 20)
#define NO_OFF ((size_t)-1)
/* Longest date, country or identifier text kept; longer is a bad row. */
#define MAX_QUALIFIER_BYTES 256

const char *const *const role_defaults[ROLE_COUNT] = {
    [ROLE_NAME] = (const char *const[]){"name", "full_name", NULL},
    [ROLE_TYPE] = (const char *const[]){"type", NULL},
    [ROLE_DOB] = (const char *const[]){"dob", "date_of_birth", "birth_date", NULL},
    [ROLE_COUNTRY] = (const char *const[]){"country", "nationality", NULL},
    [ROLE_ID] = (const char *const[]){NULL},
};

enum { SLOT_FREE, SLOT_READY, SLOT_DONE };

typedef struct row {
    unsigned long number, line;
    size_t off[ROLE_COUNT]; /* into slot data, or NO_OFF when absent */
    size_t reject;          /* reason found while reading, or NO_OFF */
    size_t out_end, rej_end; /* ends of this row's output in the slot */
    size_t reason;           /* why it was rejected, into slot data */
    unsigned matches;
    bool rejected;
} row;

typedef struct slot {
    int state;
    size_t n;
    row rows[SLOT_ROWS];
    size_t *keep; /* SLOT_ROWS * n_keep offsets into data */
    bbuf data;    /* copied input values, NUL-terminated */
    bbuf out, rej;
    uint64_t end_offset; /* input bytes consumed through this batch */
    bool failed;
    char error[512];
    cordon_audit_record *audit[SLOT_ROWS]; /* rows' audit records (batch_audit.c) */
} slot;

typedef struct pool {
    const batch_config *cfg;
    slot *slots;
    size_t n_slots;
    pthread_mutex_t mu;
    pthread_cond_t work;  /* workers: a batch is ready, or stop */
    pthread_cond_t space; /* reader: a slot is free, or stop */
    uint64_t next_fill, next_take, next_write;
    bool stop, writing;
    FILE *out, *rejects;
    batch_stats *st;
    batch_progress prog;
    bool failed;
    char error[600];
} pool;

/* Records the first fatal error and stops everything (mu held). */
static void fail_locked(pool *p, const char *msg)
{
    if (!p->failed) {
        p->failed = true;
        snprintf(p->error, sizeof p->error, "%s", msg);
    }
    p->stop = true;
    pthread_cond_broadcast(&p->work);
    pthread_cond_broadcast(&p->space);
}

/* ---- reading (main thread) ------------------------------------------ */

static const cordon_field *role_field(const batch_config *cfg, const cordon_record *rec, int role)
{
    if (cfg->role_col[role])
        return cordon_record_field(rec, cfg->role_col[role], strlen(cfg->role_col[role]));
    if (cfg->columns_fixed)
        return NULL;
    for (const char *const *d = role_defaults[role]; *d; d++) {
        const cordon_field *f = cordon_record_field(rec, *d, strlen(*d));
        if (f)
            return f;
    }
    return NULL;
}

static size_t add_data(slot *s, const char *v, size_t len)
{
    size_t off = s->data.len;
    if (!bbuf_add(&s->data, v, len) || !bbuf_add(&s->data, "", 1))
        return NO_OFF - 1; /* out of memory */
    return off;
}

static const char *const role_label[ROLE_COUNT] = {"name", "type", "date of birth", "country",
                                                   "identifier"};

/* Copies the parts of one record a worker needs into the slot. False
 * when out of memory. */
static bool add_row(const batch_config *cfg, slot *s, const cordon_record *rec)
{
    row *rw = &s->rows[s->n];
    size_t *keep = s->keep + s->n * cfg->n_keep;
    memset(rw, 0, sizeof *rw);
    rw->number = rec->number;
    rw->line = rec->line;
    rw->reject = NO_OFF;
    for (int i = 0; i < ROLE_COUNT; i++)
        rw->off[i] = NO_OFF;
    for (size_t i = 0; i < cfg->n_keep; i++)
        keep[i] = NO_OFF;
    s->n++;
    if (rec->error)
        return (rw->reject = add_data(s, rec->message, strlen(rec->message))) != NO_OFF - 1;
    for (int i = 0; i < ROLE_COUNT; i++) {
        const cordon_field *f = role_field(cfg, rec, i);
        if (!f)
            continue;
        size_t cap = i == ROLE_NAME ? CORDON_QUERY_MAX_BYTES : MAX_QUALIFIER_BYTES;
        if (f->len > cap) {
            char msg[128];
            snprintf(msg, sizeof msg, "%s longer than %zu bytes", role_label[i], cap);
            return (rw->reject = add_data(s, msg, strlen(msg))) != NO_OFF - 1;
        }
        if ((rw->off[i] = add_data(s, f->value, f->len)) == NO_OFF - 1)
            return false;
    }
    for (size_t i = 0; i < cfg->n_keep; i++) {
        const cordon_field *f = cordon_record_field(rec, cfg->keep[i], strlen(cfg->keep[i]));
        if (f && (keep[i] = add_data(s, f->value, f->len)) == NO_OFF - 1)
            return false;
    }
    return true;
}

/* ---- screening (workers) -------------------------------------------- */

/* Appends `what "value"` to a reason, the value cut to a sane length at
 * a character boundary. */
static void quote_value(char *buf, size_t size, const char *what, const char *v)
{
    size_t len = strlen(v);
    const size_t max = 64;
    bool cut = false;
    if (len > max) {
        len = max;
        while (len > 0 && ((unsigned char)v[len] & 0xC0) == 0x80)
            len--;
        cut = true;
    }
    snprintf(buf, size, "%s \"%.*s%s\"", what, (int)len, v, cut ? "..." : "");
}

static bool blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return false;
    return true;
}

/* Screens row i of s and formats its output. False on a fatal error
 * (s->error says which). */
static bool screen_row(const batch_config *cfg, slot *s, size_t i)
{
    row *rw = &s->rows[i];
    const char *d = s->data.data;
    const char *v[ROLE_COUNT];
    for (int k = 0; k < ROLE_COUNT; k++)
        v[k] = rw->off[k] == NO_OFF ? "" : d + rw->off[k];
    char reason[600] = "";
    cordon_query q = {0};
    cordon_date dob;
    cordon_query_id qid;
    char code[3];
    if (rw->reject != NO_OFF) {
        snprintf(reason, sizeof reason, "%s", d + rw->reject);
    } else if (blank(v[ROLE_NAME])) {
        snprintf(reason, sizeof reason, "empty name");
    } else {
        q.name = v[ROLE_NAME];
        q.name_len = strlen(q.name);
        if (!blank(v[ROLE_TYPE]) &&
            cordon_schema_parse(v[ROLE_TYPE], strlen(v[ROLE_TYPE]), &q.schema) != 0)
            quote_value(reason, sizeof reason, "unknown type", v[ROLE_TYPE]);
        else if (!blank(v[ROLE_DOB]) &&
                 cordon_date_parse(v[ROLE_DOB], strlen(v[ROLE_DOB]), &dob) != 0)
            quote_value(reason, sizeof reason, "unparsable date", v[ROLE_DOB]);
        else if (!blank(v[ROLE_COUNTRY]) &&
                 cordon_country_lookup(v[ROLE_COUNTRY], strlen(v[ROLE_COUNTRY]), code) != 0)
            quote_value(reason, sizeof reason, "unknown country", v[ROLE_COUNTRY]);
        if (!blank(v[ROLE_DOB]))
            q.birth_date = &dob;
        if (!blank(v[ROLE_COUNTRY])) {
            q.country = v[ROLE_COUNTRY];
            q.country_len = strlen(q.country);
        }
        if (!blank(v[ROLE_ID])) {
            qid = (cordon_query_id){.type = CORDON_ID_OTHER, .value = v[ROLE_ID],
                                    .len = strlen(v[ROLE_ID])};
            q.ids = &qid;
            q.n_ids = 1;
        }
    }
    if (!reason[0]) {
        cordon_result *res = NULL;
        cordon_error err;
        int rc = cordon_screen(cfg->idx, &q, &cfg->screen, &res, &err);
        if (rc == CORDON_ENOMEM) {
            snprintf(s->error, sizeof s->error, "out of memory screening row %lu", rw->number);
            return false;
        }
        if (rc != 0) {
            snprintf(reason, sizeof reason, "%s", err.message[0] ? err.message
                                                                 : cordon_strerror(rc));
        } else {
            const char *kv[BATCH_MAX_KEEP];
            for (size_t k = 0; k < cfg->n_keep; k++) {
                size_t o = s->keep[i * cfg->n_keep + k];
                kv[k] = o == NO_OFF ? "" : d + o;
            }
            bool ok = true;
            for (size_t m = 0; ok && m < res->n_matches; m++)
                ok = batch_row(&s->out, cfg->format, rw->number, cfg->keep, kv, cfg->n_keep,
                               &res->matches[m]);
            if (ok && res->n_matches == 0 && cfg->all)
                ok = batch_row(&s->out, cfg->format, rw->number, cfg->keep, kv, cfg->n_keep,
                               NULL);
            rw->matches = (unsigned)res->n_matches;
            if (ok && cfg->audit)
                ok = batch_audit_record(cfg, &q, res, rw->number, &s->audit[i]);
            cordon_result_free(res);
            if (!ok) {
                snprintf(s->error, sizeof s->error, "out of memory formatting row %lu",
                         rw->number);
                return false;
            }
        }
    }
    if (reason[0]) {
        rw->rejected = true;
        bool ok = batch_reject(&s->rej, cfg->format, rw->number, rw->line, reason);
        if (ok)
            ok = (rw->reason = add_data(s, reason, strlen(reason))) != NO_OFF - 1;
        if (!ok) {
            snprintf(s->error, sizeof s->error, "out of memory");
            return false;
        }
    }
    rw->out_end = s->out.len;
    rw->rej_end = s->rej.len;
    return true;
}

/* Writes one finished slot in order (no lock held; this thread has the
 * writer role). Returns false with msg set to stop the run. */
static bool write_slot(pool *p, slot *s, char *msg, size_t msize)
{
    if (s->failed) {
        snprintf(msg, msize, "%s", s->error);
        return false;
    }
    const batch_config *cfg = p->cfg;
    size_t out_len = s->out.len, rej_len = s->rej.len, n = s->n;
    bool strict_stop = false;
    if (cfg->strict) {
        for (size_t i = 0; i < s->n; i++) {
            if (!s->rows[i].rejected)
                continue;
            /* what the rows before it wrote, then the bad row's reject */
            out_len = i ? s->rows[i - 1].out_end : 0;
            rej_len = s->rows[i].rej_end;
            snprintf(msg, msize, "row %lu (line %lu): %s; stopping (--strict)",
                     s->rows[i].number, s->rows[i].line, s->data.data + s->rows[i].reason);
            n = i + 1;
            strict_stop = true;
            break;
        }
    }
    if ((out_len && fwrite(s->out.data, 1, out_len, p->out) != out_len) ||
        (p->rejects && rej_len && fwrite(s->rej.data, 1, rej_len, p->rejects) != rej_len)) {
        snprintf(msg, msize, "cannot write the output: %s", strerror(errno));
        return false;
    }
    if (cfg->audit && !batch_audit_flush(cfg, s->audit, n)) {
        snprintf(msg, msize, "cannot write the audit log; stopping");
        return false;
    }
    batch_stats *st = p->st;
    for (size_t i = 0; i < n; i++) {
        st->rows++;
        if (s->rows[i].rejected)
            st->rejected++;
        if (s->rows[i].matches) {
            st->matched_rows++;
            st->matches += s->rows[i].matches;
        }
    }
    batch_progress_update(&p->prog, st->rows, st->matches, s->end_offset, false);
    return !strict_stop;
}

static void *worker(void *arg)
{
    pool *p = arg;
    const batch_config *cfg = p->cfg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && !(p->next_take < p->next_fill &&
                             p->slots[p->next_take % p->n_slots].state == SLOT_READY))
            pthread_cond_wait(&p->work, &p->mu);
        if (p->stop)
            break;
        slot *s = &p->slots[p->next_take % p->n_slots];
        p->next_take++;
        pthread_mutex_unlock(&p->mu);

        for (size_t i = 0; i < s->n && !s->failed; i++)
            if (!screen_row(cfg, s, i))
                s->failed = true;

        pthread_mutex_lock(&p->mu);
        s->state = SLOT_DONE;
        if (p->writing)
            continue;
        p->writing = true;
        while (!p->stop && p->next_write < p->next_fill) {
            slot *w = &p->slots[p->next_write % p->n_slots];
            if (w->state != SLOT_DONE)
                break;
            pthread_mutex_unlock(&p->mu);
            char msg[600] = "";
            bool ok = write_slot(p, w, msg, sizeof msg);
            pthread_mutex_lock(&p->mu);
            if (!ok) {
                fail_locked(p, msg);
                break;
            }
            w->state = SLOT_FREE;
            p->next_write++;
            pthread_cond_broadcast(&p->space);
        }
        p->writing = false;
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* ---- the run ---------------------------------------------------------- */

static void reset_slot(slot *s)
{
    s->n = 0;
    s->data.len = s->out.len = s->rej.len = 0;
    s->failed = false;
    s->error[0] = '\0';
    batch_audit_drop(s->audit, SLOT_ROWS);
    /* a slot that once held huge rows gives the memory back */
    if (s->data.cap > 2 * SLOT_DATA_BYTES)
        bbuf_free(&s->data);
    if (s->out.cap > 2 * SLOT_DATA_BYTES)
        bbuf_free(&s->out);
}

bool batch_run(const batch_config *cfg, cordon_records *r, FILE *out, FILE *rejects,
               batch_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    pool p = {.cfg = cfg, .out = out, .rejects = rejects, .st = stats};
    unsigned nthreads = cfg->threads ? cfg->threads : 1;
    p.n_slots = (size_t)nthreads * 4;
    p.slots = calloc(p.n_slots, sizeof *p.slots);
    pthread_t *threads = calloc(nthreads, sizeof *threads);
    bool ok = p.slots && threads;
    for (size_t i = 0; ok && i < p.n_slots; i++)
        ok = (p.slots[i].keep = calloc(SLOT_ROWS * (cfg->n_keep ? cfg->n_keep : 1),
                                       sizeof(size_t))) != NULL;
    if (!ok) {
        cli_fail("out of memory");
        stats->failed = true;
        goto out;
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.work, NULL);
    pthread_cond_init(&p.space, NULL);
    batch_progress_start(&p.prog, cfg->progress, cfg->input_size);

    /* Workers never take signals: the main thread's handler alone
     * cleans up, and it can block them around renames. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    unsigned started = 0;
    for (; started < nthreads; started++)
        if (pthread_create(&threads[started], NULL, worker, &p) != 0)
            break;
    pthread_sigmask(SIG_SETMASK, &old, NULL);

    pthread_mutex_lock(&p.mu);
    if (started == 0)
        fail_locked(&p, "cannot start a worker thread");
    pthread_mutex_unlock(&p.mu);

    bool at_end = false;
    while (!at_end) {
        pthread_mutex_lock(&p.mu);
        while (!p.stop && p.slots[p.next_fill % p.n_slots].state != SLOT_FREE)
            pthread_cond_wait(&p.space, &p.mu);
        bool stop = p.stop;
        pthread_mutex_unlock(&p.mu);
        if (stop)
            break;
        slot *s = &p.slots[p.next_fill % p.n_slots];
        reset_slot(s);
        char msg[600] = "";
        while (s->n < SLOT_ROWS && s->data.len < SLOT_DATA_BYTES) {
            cordon_record rec;
            cordon_error err;
            int rc = cordon_records_next(r, &rec, &err);
            if (rc == 0) {
                at_end = true;
                break;
            }
            if (rc < 0) {
                char buf[1200];
                snprintf(msg, sizeof msg, "%s", cordon_error_format(&err, buf, sizeof buf));
                break;
            }
            if (!add_row(cfg, s, &rec)) {
                snprintf(msg, sizeof msg, "out of memory");
                break;
            }
        }
        s->end_offset = cordon_records_offset(r);
        pthread_mutex_lock(&p.mu);
        if (msg[0]) {
            fail_locked(&p, msg);
        } else if (s->n) {
            s->state = SLOT_READY;
            p.next_fill++;
            pthread_cond_signal(&p.work);
        }
        pthread_mutex_unlock(&p.mu);
        if (msg[0])
            break;
    }
    /* wait for the writer to catch up, then let the workers go */
    pthread_mutex_lock(&p.mu);
    while (!p.stop && p.next_write < p.next_fill)
        pthread_cond_wait(&p.space, &p.mu);
    p.stop = true;
    pthread_cond_broadcast(&p.work);
    pthread_mutex_unlock(&p.mu);
    for (unsigned i = 0; i < started; i++)
        pthread_join(threads[i], NULL);

    batch_progress_update(&p.prog, stats->rows, stats->matches,
                          cordon_records_offset(r), true);
    batch_progress_end(&p.prog);
    stats->seconds = batch_now() - p.prog.start;
    if (p.failed) {
        cli_fail("%s", p.error);
        stats->failed = true;
    }
    pthread_cond_destroy(&p.space);
    pthread_cond_destroy(&p.work);
    pthread_mutex_destroy(&p.mu);
out:
    for (size_t i = 0; p.slots && i < p.n_slots; i++) {
        free(p.slots[i].keep);
        batch_audit_drop(p.slots[i].audit, SLOT_ROWS);
        bbuf_free(&p.slots[i].data);
        bbuf_free(&p.slots[i].out);
        bbuf_free(&p.slots[i].rej);
    }
    free(p.slots);
    free(threads);
    return !stats->failed;
}
