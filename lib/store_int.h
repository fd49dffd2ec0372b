/*
 * store_int.h — the storage interface behind cordon_store: what audit.c,
 * monitor.c and decide.c need from a database, as one table of
 * functions. store_sqlite.c implements it on SQLite; a PostgreSQL
 * backend would implement the same table (docs/AUDIT.md) and be chosen
 * by cordon_store_open from the target's scheme. Nothing above this
 * interface writes SQL.
 *
 * Rules every backend keeps:
 *  - begin/commit/rollback wrap one write transaction that excludes
 *    other writers for its whole length (SQLite: BEGIN IMMEDIATE;
 *    PostgreSQL: a transaction holding an advisory lock), because the
 *    audit hash chain reads the head and appends after it;
 *  - reads outside a transaction see committed data only;
 *  - the audit log and the decisions have no update or delete.
 * Functions return 0 or a negative cordon_code and fill err.
 */
#ifndef CORDON_STORE_INT_H
#define CORDON_STORE_INT_H

#include "cordon_int.h"

/* A customer as stored. Strings are NUL-terminated and valid during a
 * callback only. */
typedef struct cordon__customer_row {
    int64_t cid;          /* the store's own row number, for paging */
    const char *id;
    const char *name;
    int schema;
    const char *birth_date; /* "" when none */
    const char *country;
    const char *identifier;
    const char *hash;          /* of the fields above (not the id) */
    const char *screened_hash; /* hash when last screened in full, or "" */
    int64_t screened_run;
    const void *sig;           /* the signature (monitor_keys.c): pages of */
    size_t sig_len;            /* signatures only, else NULL */
} cordon__customer_row;

/* A near miss kept from a customer's last full screening (monitor.c's
 * drift band). Strings valid during a callback only. */
typedef struct cordon__near_row {
    int64_t cid;
    const char *entity;      /* entity id */
    const char *entity_hash; /* its content hash when scored */
    double score;
    int64_t run;             /* the run that scored it */
} cordon__near_row;

typedef int (*cordon__near_fn)(void *ctx, const cordon__near_row *row);
typedef int (*cordon__customer_fn)(void *ctx, const cordon__customer_row *row);
typedef int (*cordon__entity_state_fn)(void *ctx, const char *id, const char *hash);

/* What a run row holds; written at the start and at the end. */
typedef struct cordon__run_row {
    int64_t run;
    int64_t started_ms, finished_ms;
    const char *caller;
    const char *snapshot;
    const char *previous;
    double threshold;
    int full;
    const cordon_monitor_report *report; /* counts, at the end */
} cordon__run_row;

/* Pages of customers: cid > after, in cid order, at most limit. */
enum {
    CORDON__CUSTOMERS_PENDING = 1, /* not screened since added or changed */
    CORDON__CUSTOMERS_SCREENED     /* screened, in a run before `before_run`; without
                                      fields: the signatures of those runs */
};

typedef struct cordon__store_ops {
    const char *name;
    void (*close)(cordon_store *st);
    int (*begin)(cordon_store *st, cordon_error *err);
    int (*commit)(cordon_store *st, cordon_error *err);
    void (*rollback)(cordon_store *st);

    /* audit log */
    int (*audit_head)(cordon_store *st, uint64_t *seq, char hash[65], cordon_error *err);
    int (*audit_insert)(cordon_store *st, const cordon_audit_record *rec, cordon_error *err);
    int (*audit_scan)(cordon_store *st, const cordon_audit_filter *f, cordon_audit_fn fn,
                      void *ctx, cordon_error *err);

    /* customers: *state is 0 unchanged, 1 added, 2 changed */
    int (*customer_upsert)(cordon_store *st, const cordon_customer *c, const char *hash,
                           int64_t now_ms, int *state, cordon_error *err);
    int (*customer_count)(cordon_store *st, size_t *n, cordon_error *err);
    int (*customer_page)(cordon_store *st, int which, int64_t before_run, int64_t after,
                         size_t limit, int with_fields, cordon__customer_fn fn, void *ctx,
                         cordon_error *err);
    int (*customer_get)(cordon_store *st, int64_t cid, cordon__customer_fn fn, void *ctx,
                        cordon_error *err);
    int (*customer_screened)(cordon_store *st, int64_t cid, const char *hash, int64_t run,
                             const void *sig, size_t sig_len, cordon_error *err);
    /* makes customers screened by these runs pending again */
    int (*customer_unscreen_runs)(cordon_store *st, int64_t after_run, const char *snapshot,
                                  cordon_error *err);

    /* runs and the entity hashes of the last finished one */
    int (*run_last)(cordon_store *st, int64_t *run, char snapshot[65], double *threshold,
                    cordon_error *err);
    int (*run_begin)(cordon_store *st, const cordon__run_row *r, int64_t *run,
                     cordon_error *err);
    int (*run_finish)(cordon_store *st, const cordon__run_row *r, cordon_error *err);
    int (*entity_scan)(cordon_store *st, cordon__entity_state_fn fn, void *ctx,
                       cordon_error *err);
    int (*entity_put)(cordon_store *st, const char *id, const char *hash, int64_t run,
                      cordon_error *err);
    int (*entity_delete)(cordon_store *st, const char *id, cordon_error *err);
    /* cordon_meta: the value of key into value ("" when absent; cut to
     * size - 1 bytes), and setting it */
    int (*meta_get)(cordon_store *st, const char *key, char *value, size_t size,
                    cordon_error *err);
    int (*meta_put)(cordon_store *st, const char *key, const char *value, cordon_error *err);

    /* alerts and decisions: *id is 0 when the same alert already exists */
    int (*alert_insert)(cordon_store *st, const cordon_alert *a, int64_t *id,
                        cordon_error *err);
    int (*alert_scan)(cordon_store *st, const cordon_alert_filter *f, cordon_alert_fn fn,
                      void *ctx, cordon_error *err);
    int (*decision_insert)(cordon_store *st, const cordon_alert *a,
                           cordon_alert_status decision, const char *note, const char *caller,
                           int64_t time_ms, uint64_t audit_seq, cordon_error *err);

    /* near misses: dropping a customer's, recording one (replacing the
     * same customer and entity), reading those of runs before
     * before_run in customer order, dropping one */
    int (*near_clear)(cordon_store *st, int64_t cid, cordon_error *err);
    int (*near_put)(cordon_store *st, const cordon__near_row *n, cordon_error *err);
    int (*near_scan)(cordon_store *st, int64_t before_run, cordon__near_fn fn, void *ctx,
                     cordon_error *err);
    int (*near_delete)(cordon_store *st, int64_t cid, const char *entity, cordon_error *err);
} cordon__store_ops;

/* Every backend's handle starts with this. */
struct cordon_store {
    const cordon__store_ops *ops;
    int in_txn;
};

/* SQLite backend (store_sqlite.c). */
int cordon__store_sqlite_open(const char *path, cordon_store **out, cordon_error *err);

/* Appends records inside the caller's open transaction (audit.c). */
int cordon__audit_append_locked(cordon_store *st, cordon_audit_record *const *recs, size_t n,
                                cordon_error *err);

/* JSON helpers shared by audit.c, diff.c and monitor.c: a JSON string
 * literal of s[0..len) (valid UTF-8) appended to b. */
int cordon__json_str(cordon__buf *b, const char *s, size_t len);

/* Hex SHA-256 of a monitored customer's screening fields. */
void cordon__customer_hash(const cordon_customer *c, char out[65]);

#endif
