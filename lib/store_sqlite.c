/*
 * store_sqlite.c — the SQLite backend of cordon_store (the interface is
 * in store_int.h, the schema in docs/AUDIT.md).
 *
 * Settings, and why:
 *  - journal_mode=WAL: readers (`cordon audit`, a second process) never
 *    block the writer, and a crash leaves either the old or the new
 *    state of each transaction;
 *  - synchronous=FULL: the WAL is fsync'd at every commit, so a decision
 *    that was committed survives a power cut as well as a kill -9.
 *    NORMAL would only lose the last transactions on power loss, but an
 *    audit log that can silently lose a decision it reported as written
 *    is not one; writers batch many records per transaction instead, so
 *    FULL costs one fsync per batch;
 *  - busy_timeout=10 s: several processes (serve, batch, monitor) can
 *    share one file; a writer waits its turn instead of failing;
 *  - BEGIN IMMEDIATE: a write transaction takes the write lock at once,
 *    so the audit head read inside it cannot go stale.
 * Statements are prepared once per handle and reset after each use.
 */
#include "store_int.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCHEMA_VERSION 1
#define BUSY_TIMEOUT_MS 10000

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS cordon_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS audit("
    " seq INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, kind TEXT NOT NULL,"
    " caller TEXT NOT NULL, subject TEXT NOT NULL, query TEXT NOT NULL,"
    " options TEXT NOT NULL, context TEXT NOT NULL, snapshot TEXT NOT NULL,"
    " matches TEXT NOT NULL, n_matches INTEGER NOT NULL, version TEXT NOT NULL,"
    " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS audit_time ON audit(time_ms);"
    "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TABLE IF NOT EXISTS customers("
    " cid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
    " schema INTEGER NOT NULL, birth_date TEXT NOT NULL, country TEXT NOT NULL,"
    " identifier TEXT NOT NULL, hash TEXT NOT NULL, added_ms INTEGER NOT NULL,"
    " updated_ms INTEGER NOT NULL, screened_hash TEXT,"
    " screened_run INTEGER NOT NULL DEFAULT 0);"
    /* signatures apart: a delta run reads all of them and nothing else */
    "CREATE TABLE IF NOT EXISTS signatures("
    " cid INTEGER PRIMARY KEY, run INTEGER NOT NULL, sig BLOB NOT NULL);"
    "CREATE INDEX IF NOT EXISTS customers_pending ON customers(cid)"
    " WHERE screened_hash IS NOT hash;"
    "CREATE TABLE IF NOT EXISTS runs("
    " run INTEGER PRIMARY KEY, started_ms INTEGER NOT NULL, finished_ms INTEGER,"
    " caller TEXT NOT NULL, snapshot TEXT NOT NULL, previous TEXT NOT NULL,"
    " threshold REAL NOT NULL, full INTEGER NOT NULL, status TEXT NOT NULL,"
    " customers INTEGER, screened INTEGER, entities_added INTEGER,"
    " entities_changed INTEGER, entities_removed INTEGER, scanned INTEGER,"
    " candidates INTEGER, alerts INTEGER);"
    "CREATE TABLE IF NOT EXISTS entities("
    " id TEXT PRIMARY KEY, hash TEXT NOT NULL, run INTEGER NOT NULL) WITHOUT ROWID;"
    /* near misses of the last full screening (the drift band, monitor.c),
     * rescored in every delta */
    "CREATE TABLE IF NOT EXISTS near_misses("
    " cid INTEGER NOT NULL, entity TEXT NOT NULL, entity_hash TEXT NOT NULL,"
    " score REAL NOT NULL, run INTEGER NOT NULL, PRIMARY KEY(cid, entity)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS alerts("
    " id INTEGER PRIMARY KEY, run INTEGER NOT NULL, time_ms INTEGER NOT NULL,"
    " customer TEXT NOT NULL, customer_name TEXT NOT NULL, entity TEXT NOT NULL,"
    " entity_name TEXT NOT NULL, score REAL NOT NULL, reason TEXT NOT NULL,"
    " customer_hash TEXT NOT NULL, entity_hash TEXT NOT NULL,"
    " status INTEGER NOT NULL DEFAULT 0, note TEXT,"
    " UNIQUE(customer, entity, customer_hash, entity_hash));"
    "CREATE INDEX IF NOT EXISTS alerts_run ON alerts(run);"
    "CREATE INDEX IF NOT EXISTS alerts_customer ON alerts(customer);"
    "CREATE TABLE IF NOT EXISTS decisions("
    " id INTEGER PRIMARY KEY, alert INTEGER NOT NULL REFERENCES alerts(id),"
    " time_ms INTEGER NOT NULL, decision INTEGER NOT NULL, note TEXT NOT NULL,"
    " caller TEXT NOT NULL, customer_hash TEXT NOT NULL, entity_hash TEXT NOT NULL,"
    " audit_seq INTEGER NOT NULL);"
    "CREATE TRIGGER IF NOT EXISTS decisions_no_update BEFORE UPDATE ON decisions"
    " BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
    "CREATE TRIGGER IF NOT EXISTS decisions_no_delete BEFORE DELETE ON decisions"
    " BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;";

enum {
    S_BEGIN, S_COMMIT, S_ROLLBACK,
    S_AUDIT_HEAD, S_AUDIT_INSERT,
    S_CUST_GET_ID, S_CUST_INSERT, S_CUST_UPDATE, S_CUST_COUNT, S_CUST_SCREENED, S_SIG_PUT,
    S_CUST_PAGE_PENDING, S_CUST_PAGE_SCREENED, S_CUST_PAGE_SIG, S_CUST_GET, S_CUST_UNSCREEN,
    S_RUN_LAST, S_RUN_BEGIN, S_RUN_FINISH, S_RUNS_STALE,
    S_ENT_SCAN, S_ENT_PUT, S_ENT_DELETE, S_META_GET, S_META_PUT,
    S_ALERT_INSERT, S_ALERT_STATUS, S_DECISION_INSERT,
    S_NEAR_CLEAR, S_NEAR_PUT, S_NEAR_SCAN, S_NEAR_DELETE,
    S_COUNT_
};

static const char *const stmt_sql[S_COUNT_] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_AUDIT_HEAD] = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
    [S_AUDIT_INSERT] =
        "INSERT INTO audit(seq, time_ms, kind, caller, subject, query, options, context,"
        " snapshot, matches, n_matches, version, prev_hash, hash)"
        " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [S_CUST_GET_ID] = "SELECT cid, hash FROM customers WHERE id = ?",
    [S_CUST_INSERT] =
        "INSERT INTO customers(id, name, schema, birth_date, country, identifier, hash,"
        " added_ms, updated_ms) VALUES(?,?,?,?,?,?,?,?,?)",
    [S_CUST_UPDATE] =
        "UPDATE customers SET name = ?, schema = ?, birth_date = ?, country = ?,"
        " identifier = ?, hash = ?, updated_ms = ? WHERE cid = ?",
    [S_CUST_COUNT] = "SELECT count(*) FROM customers",
    [S_CUST_SCREENED] =
        "UPDATE customers SET screened_hash = ?, screened_run = ? WHERE cid = ?",
    [S_SIG_PUT] = "INSERT OR REPLACE INTO signatures(cid, run, sig) VALUES(?,?,?)",
    [S_CUST_PAGE_PENDING] =
        "SELECT cid, id, name, schema, birth_date, country, identifier, hash,"
        " screened_hash, screened_run FROM customers"
        " WHERE screened_hash IS NOT hash AND cid > ? ORDER BY cid LIMIT ?",
    [S_CUST_PAGE_SCREENED] =
        "SELECT cid, id, name, schema, birth_date, country, identifier, hash,"
        " screened_hash, screened_run FROM customers"
        " WHERE cid > ? AND screened_hash IS hash AND screened_run < ? ORDER BY cid LIMIT ?",
    /* a customer changed since its signature was made is screened in
     * full by the same run, before this is read */
    [S_CUST_PAGE_SIG] =
        "SELECT cid, run, sig FROM signatures WHERE cid > ? AND run < ? ORDER BY cid LIMIT ?",
    [S_CUST_GET] =
        "SELECT cid, id, name, schema, birth_date, country, identifier, hash,"
        " screened_hash, screened_run FROM customers WHERE cid = ?",
    [S_CUST_UNSCREEN] =
        "UPDATE customers SET screened_hash = NULL WHERE screened_run > ?1 AND screened_run IN"
        " (SELECT run FROM runs WHERE run > ?1 AND status = 'running' AND snapshot <> ?2)",
    [S_RUNS_STALE] = "SELECT count(*) FROM runs WHERE run > ?1 AND status = 'running'"
                     " AND snapshot <> ?2",
    [S_RUN_LAST] = "SELECT run, snapshot, threshold FROM runs WHERE status = 'finished'"
                   " ORDER BY run DESC LIMIT 1",
    [S_RUN_BEGIN] = "INSERT INTO runs(started_ms, caller, snapshot, previous, threshold, full,"
                    " status) VALUES(?,?,?,?,?,?,'running')",
    [S_RUN_FINISH] =
        "UPDATE runs SET finished_ms = ?, status = 'finished', customers = ?, screened = ?,"
        " entities_added = ?, entities_changed = ?, entities_removed = ?, scanned = ?,"
        " candidates = ?, alerts = ? WHERE run = ?",
    [S_ENT_SCAN] = "SELECT id, hash FROM entities",
    [S_ENT_PUT] = "INSERT INTO entities(id, hash, run) VALUES(?,?,?)"
                  " ON CONFLICT(id) DO UPDATE SET hash = excluded.hash, run = excluded.run",
    [S_ENT_DELETE] = "DELETE FROM entities WHERE id = ?",
    [S_META_GET] = "SELECT value FROM cordon_meta WHERE key = ?",
    [S_META_PUT] = "INSERT INTO cordon_meta(key, value) VALUES(?,?)"
                   " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [S_ALERT_INSERT] =
        "INSERT INTO alerts(run, time_ms, customer, customer_name, entity, entity_name, score,"
        " reason, customer_hash, entity_hash) VALUES(?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT(customer, entity, customer_hash, entity_hash) DO NOTHING",
    [S_ALERT_STATUS] = "UPDATE alerts SET status = ?, note = ? WHERE id = ?",
    [S_DECISION_INSERT] =
        "INSERT INTO decisions(alert, time_ms, decision, note, caller, customer_hash,"
        " entity_hash, audit_seq) VALUES(?,?,?,?,?,?,?,?)",
    [S_NEAR_CLEAR] = "DELETE FROM near_misses WHERE cid = ?",
    [S_NEAR_PUT] = "INSERT INTO near_misses(cid, entity, entity_hash, score, run)"
                   " VALUES(?,?,?,?,?) ON CONFLICT(cid, entity) DO UPDATE SET"
                   " entity_hash = excluded.entity_hash, score = excluded.score,"
                   " run = excluded.run",
    [S_NEAR_SCAN] = "SELECT cid, entity, entity_hash, score, run FROM near_misses"
                    " WHERE run < ? ORDER BY cid",
    [S_NEAR_DELETE] = "DELETE FROM near_misses WHERE cid = ? AND entity = ?",
};

typedef struct sq_store {
    cordon_store base;
    sqlite3 *db;
    char path[512];
    sqlite3_stmt *stmt[S_COUNT_];
} sq_store;

static int db_fail(sq_store *s, cordon_error *err, const char *what)
{
    int ec = sqlite3_extended_errcode(s->db);
    int code = CORDON_EIO;
    if ((ec & 0xff) == SQLITE_NOMEM)
        code = CORDON_ENOMEM;
    else if ((ec & 0xff) == SQLITE_CORRUPT || (ec & 0xff) == SQLITE_NOTADB)
        code = CORDON_ECORRUPT;
    return cordon__fail(err, code, s->path, 0, 0, "%s: %s", what, sqlite3_errmsg(s->db));
}

static sqlite3_stmt *stmt(sq_store *s, int which, cordon_error *err)
{
    if (!s->stmt[which] &&
        sqlite3_prepare_v3(s->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                           &s->stmt[which], NULL) != SQLITE_OK) {
        db_fail(s, err, "preparing a statement");
        return NULL;
    }
    return s->stmt[which];
}

/* Runs a statement to completion (no rows expected) and resets it. */
static int step_done(sq_store *s, sqlite3_stmt *st, cordon_error *err, const char *what)
{
    int rc = sqlite3_step(st);
    int out = 0;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        out = db_fail(s, err, what);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return out;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

/* ---- open and close ------------------------------------------------------ */

static const cordon__store_ops sqlite_ops;

static void sq_close(cordon_store *base)
{
    sq_store *s = (sq_store *)base;
    for (int i = 0; i < S_COUNT_; i++)
        sqlite3_finalize(s->stmt[i]);
    if (s->db) {
        if (s->base.in_txn)
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close_v2(s->db);
    }
    free(s);
}

static int exec(sq_store *s, const char *sql, cordon_error *err, const char *what)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int ec = sqlite3_errcode(s->db);
        int code = ec == SQLITE_NOTADB || ec == SQLITE_CORRUPT ? CORDON_ECORRUPT
                   : ec == SQLITE_NOMEM                          ? CORDON_ENOMEM
                                                                 : CORDON_EIO;
        cordon__fail(err, code, s->path, 0, 0, "%s: %s", what,
                     msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return code;
    }
    return 0;
}

static int check_schema(sq_store *s, cordon_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM cordon_meta WHERE key = 'schema'", -1, &st,
                           NULL) != SQLITE_OK)
        return db_fail(s, err, "reading the schema version");
    int rc = sqlite3_step(st);
    int out = 0;
    if (rc == SQLITE_ROW) {
        int v = atoi(col_text(st, 0));
        if (v > SCHEMA_VERSION)
            out = cordon__fail(err, CORDON_EVERSION, s->path, 0, 0,
                               "store schema %d is newer than this cordon (%d)", v,
                               SCHEMA_VERSION);
        else if (v < 1)
            out = cordon__fail(err, CORDON_ECORRUPT, s->path, 0, 0,
                               "store schema version \"%s\" is not one cordon wrote",
                               col_text(st, 0));
    } else if (rc == SQLITE_DONE) {
        out = cordon__fail(err, CORDON_ECORRUPT, s->path, 0, 0, "no schema version");
    } else {
        out = db_fail(s, err, "reading the schema version");
    }
    sqlite3_finalize(st);
    return out;
}

int cordon__store_sqlite_open(const char *path, cordon_store **out, cordon_error *err)
{
    sq_store *s = calloc(1, sizeof *s);
    if (!s)
        return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    s->base.ops = &sqlite_ops;
    snprintf(s->path, sizeof s->path, "%s", path);
    int rc = sqlite3_open_v2(path, &s->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
                                 SQLITE_OPEN_EXRESCODE,
                             NULL);
    if (rc != SQLITE_OK) {
        cordon__fail(err, rc == SQLITE_NOMEM ? CORDON_ENOMEM : CORDON_EIO, path, 0, 0,
                     "cannot open the store: %s",
                     s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        sq_close(&s->base);
        return err ? err->code : CORDON_EIO;
    }
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(s->db, 1);
    /* journal_mode answers with the mode it got: WAL is refused on some
     * file systems, and a store must not silently run without it. */
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        int code = db_fail(s, err, "cannot use the file as a store");
        sqlite3_finalize(st);
        sq_close(&s->base);
        return code;
    }
    if (strcmp(col_text(st, 0), "wal") != 0) {
        cordon__fail(err, CORDON_EIO, path, 0, 0,
                     "the store needs WAL mode, and this file system gave \"%s\"",
                     col_text(st, 0));
        sqlite3_finalize(st);
        sq_close(&s->base);
        return CORDON_EIO;
    }
    sqlite3_finalize(st);
    /* SQLite's default page cache (2 MB): the large reads are scans in
     * row order (a delta run reads every signature once), which a larger
     * cache only makes slower to fill (32 MB: twice the CPU per row) */
    int code = exec(s, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
                    err, "cannot set up the store");
    /* Tables are created in one transaction, so that two processes
     * creating the same new file cannot interleave. */
    if (!code)
        code = exec(s, "BEGIN IMMEDIATE", err, "cannot set up the store");
    if (!code) {
        code = exec(s, schema_sql, err, "cannot create the store's tables");
        if (!code)
            code = exec(s,
                        "INSERT OR IGNORE INTO cordon_meta(key, value) VALUES('schema', '1')",
                        err, "cannot create the store's tables");
        if (!code)
            code = exec(s, "COMMIT", err, "cannot create the store's tables");
        else
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    }
    if (!code)
        code = check_schema(s, err);
    if (code) {
        sq_close(&s->base);
        return code;
    }
    *out = &s->base;
    return 0;
}

/* ---- transactions ---------------------------------------------------------- */

static int sq_begin(cordon_store *base, cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_BEGIN, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    int rc = step_done(s, st, err, "cannot start a transaction");
    if (!rc)
        s->base.in_txn = 1;
    return rc;
}

static int sq_commit(cordon_store *base, cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_COMMIT, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    int rc = step_done(s, st, err, "cannot commit");
    if (!rc)
        s->base.in_txn = 0;
    return rc;
}

static void sq_rollback(cordon_store *base)
{
    sq_store *s = (sq_store *)base;
    if (!s->base.in_txn)
        return;
    /* every statement must be reset before a rollback can end them */
    for (int i = 0; i < S_COUNT_; i++)
        if (s->stmt[i])
            sqlite3_reset(s->stmt[i]);
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->base.in_txn = 0;
}

/* ---- audit ------------------------------------------------------------------- */

static int sq_audit_head(cordon_store *base, uint64_t *seq, char hash[65], cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_AUDIT_HEAD, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    int rc = sqlite3_step(st);
    int out = 0;
    if (rc == SQLITE_ROW) {
        *seq = (uint64_t)sqlite3_column_int64(st, 0);
        snprintf(hash, 65, "%s", col_text(st, 1));
    } else if (rc == SQLITE_DONE) {
        *seq = 0;
        memset(hash, '0', 64);
        hash[64] = '\0';
    } else {
        out = db_fail(s, err, "cannot read the audit log");
    }
    sqlite3_reset(st);
    return out;
}

static int sq_audit_insert(cordon_store *base, const cordon_audit_record *r, cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_AUDIT_INSERT, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)r->seq);
    sqlite3_bind_int64(st, 2, r->time_ms);
    bind_text(st, 3, r->kind);
    bind_text(st, 4, r->caller);
    bind_text(st, 5, r->subject);
    bind_text(st, 6, r->query);
    bind_text(st, 7, r->options);
    bind_text(st, 8, r->context);
    bind_text(st, 9, r->snapshot);
    bind_text(st, 10, r->matches);
    sqlite3_bind_int64(st, 11, (sqlite3_int64)r->n_matches);
    bind_text(st, 12, r->version);
    bind_text(st, 13, r->prev_hash);
    bind_text(st, 14, r->hash);
    return step_done(s, st, err, "cannot append to the audit log");
}

static int sq_audit_scan(cordon_store *base, const cordon_audit_filter *f, cordon_audit_fn fn,
                         void *ctx, cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    cordon_audit_filter none = {0};
    if (!f)
        f = &none;
    /* Built per call: filters vary, and scans are not hot. */
    char sql[768];
    size_t n = (size_t)snprintf(sql, sizeof sql,
                                "SELECT seq, time_ms, kind, caller, subject, query, options,"
                                " context, snapshot, matches, n_matches, version, prev_hash,"
                                " hash FROM audit WHERE 1");
    if (f->since_ms)
        n += (size_t)snprintf(sql + n, sizeof sql - n, " AND time_ms >= ?1");
    if (f->until_ms)
        n += (size_t)snprintf(sql + n, sizeof sql - n, " AND time_ms < ?2");
    if (f->query && *f->query)
        n += (size_t)snprintf(sql + n, sizeof sql - n,
                              " AND instr(lower(subject), lower(?3)) > 0");
    if (f->kind && *f->kind)
        n += (size_t)snprintf(sql + n, sizeof sql - n, " AND kind = ?4");
    if (f->seq_from)
        n += (size_t)snprintf(sql + n, sizeof sql - n, " AND seq >= ?5");
    if (f->seq_to)
        n += (size_t)snprintf(sql + n, sizeof sql - n, " AND seq <= ?6");
    n += (size_t)snprintf(sql + n, sizeof sql - n, " ORDER BY seq");
    if (f->limit)
        snprintf(sql + n, sizeof sql - n, " LIMIT ?7");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, err, "cannot read the audit log");
    if (f->since_ms)
        sqlite3_bind_int64(st, 1, f->since_ms);
    if (f->until_ms)
        sqlite3_bind_int64(st, 2, f->until_ms);
    if (f->query && *f->query)
        bind_text(st, 3, f->query);
    if (f->kind && *f->kind)
        bind_text(st, 4, f->kind);
    if (f->seq_from)
        sqlite3_bind_int64(st, 5, (sqlite3_int64)f->seq_from);
    if (f->seq_to)
        sqlite3_bind_int64(st, 6, (sqlite3_int64)f->seq_to);
    if (f->limit)
        sqlite3_bind_int64(st, 7, (sqlite3_int64)f->limit);
    int out = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cordon_audit_record r;
        memset(&r, 0, sizeof r);
        r.seq = (uint64_t)sqlite3_column_int64(st, 0);
        r.time_ms = sqlite3_column_int64(st, 1);
        r.kind = col_text(st, 2);
        r.caller = col_text(st, 3);
        r.subject = col_text(st, 4);
        r.query = col_text(st, 5);
        r.options = col_text(st, 6);
        r.context = col_text(st, 7);
        r.snapshot = col_text(st, 8);
        r.matches = col_text(st, 9);
        r.n_matches = (size_t)sqlite3_column_int64(st, 10);
        r.version = col_text(st, 11);
        snprintf(r.prev_hash, sizeof r.prev_hash, "%s", col_text(st, 12));
        snprintf(r.hash, sizeof r.hash, "%s", col_text(st, 13));
        if ((out = fn(ctx, &r)) != 0)
            break;
    }
    if (!out && rc != SQLITE_DONE)
        out = db_fail(s, err, "cannot read the audit log");
    sqlite3_finalize(st);
    return out;
}

/* ---- customers ----------------------------------------------------------------- */

static int sq_customer_upsert(cordon_store *base, const cordon_customer *c, const char *hash,
                              int64_t now_ms, int *state, cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_CUST_GET_ID, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    bind_text(st, 1, c->id);
    int rc = sqlite3_step(st);
    int64_t cid = 0;
    int same = 0;
    if (rc == SQLITE_ROW) {
        cid = sqlite3_column_int64(st, 0);
        same = strcmp(col_text(st, 1), hash) == 0;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(s, err, "cannot read customers");
    if (cid && same) {
        *state = 0;
        return 0;
    }
    if (cid) {
        st = stmt(s, S_CUST_UPDATE, err);
        if (!st)
            return err ? err->code : CORDON_EIO;
        bind_text(st, 1, c->name);
        sqlite3_bind_int(st, 2, (int)c->schema);
        bind_text(st, 3, c->birth_date);
        bind_text(st, 4, c->country);
        bind_text(st, 5, c->identifier);
        bind_text(st, 6, hash);
        sqlite3_bind_int64(st, 7, now_ms);
        sqlite3_bind_int64(st, 8, cid);
        *state = 2;
        return step_done(s, st, err, "cannot update a customer");
    }
    st = stmt(s, S_CUST_INSERT, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    bind_text(st, 1, c->id);
    bind_text(st, 2, c->name);
    sqlite3_bind_int(st, 3, (int)c->schema);
    bind_text(st, 4, c->birth_date);
    bind_text(st, 5, c->country);
    bind_text(st, 6, c->identifier);
    bind_text(st, 7, hash);
    sqlite3_bind_int64(st, 8, now_ms);
    sqlite3_bind_int64(st, 9, now_ms);
    *state = 1;
    return step_done(s, st, err, "cannot add a customer");
}

static int sq_customer_count(cordon_store *base, size_t *n, cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_CUST_COUNT, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    int rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : db_fail(s, err, "cannot count customers");
}

static void read_customer(sqlite3_stmt *st, cordon__customer_row *r)
{
    memset(r, 0, sizeof *r);
    r->cid = sqlite3_column_int64(st, 0);
    r->id = col_text(st, 1);
    r->name = col_text(st, 2);
    r->schema = sqlite3_column_int(st, 3);
    r->birth_date = col_text(st, 4);
    r->country = col_text(st, 5);
    r->identifier = col_text(st, 6);
    r->hash = col_text(st, 7);
    r->screened_hash = col_text(st, 8);
    r->screened_run = sqlite3_column_int64(st, 9);
}

static int run_rows(sq_store *s, sqlite3_stmt *st, int full, cordon__customer_fn fn, void *ctx,
                    cordon_error *err)
{
    int rc, out = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cordon__customer_row r;
        if (full) {
            read_customer(st, &r);
        } else {
            memset(&r, 0, sizeof r);
            r.cid = sqlite3_column_int64(st, 0);
            r.screened_run = sqlite3_column_int64(st, 1);
            r.sig = sqlite3_column_blob(st, 2);
            r.sig_len = (size_t)sqlite3_column_bytes(st, 2);
        }
        if ((out = fn(ctx, &r)) != 0)
            break;
    }
    if (!out && rc != SQLITE_DONE)
        out = db_fail(s, err, "cannot read customers");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return out;
}

static int sq_customer_page(cordon_store *base, int which, int64_t before_run, int64_t after,
                            size_t limit, int with_fields, cordon__customer_fn fn, void *ctx,
                            cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    int id = which == CORDON__CUSTOMERS_PENDING ? S_CUST_PAGE_PENDING
             : with_fields                     ? S_CUST_PAGE_SCREENED
                                               : S_CUST_PAGE_SIG;
    sqlite3_stmt *st = stmt(s, id, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    sqlite3_bind_int64(st, 1, after);
    if (id == S_CUST_PAGE_PENDING) {
        sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
    } else {
        sqlite3_bind_int64(st, 2, before_run);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
    }
    return run_rows(s, st, id != S_CUST_PAGE_SIG, fn, ctx, err);
}

static int sq_customer_get(cordon_store *base, int64_t cid, cordon__customer_fn fn, void *ctx,
                           cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_CUST_GET, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    sqlite3_bind_int64(st, 1, cid);
    return run_rows(s, st, 1, fn, ctx, err);
}

static int sq_customer_screened(cordon_store *base, int64_t cid, const char *hash, int64_t run,
                                const void *sig, size_t sig_len, cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_CUST_SCREENED, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    bind_text(st, 1, hash);
    sqlite3_bind_int64(st, 2, run);
    sqlite3_bind_int64(st, 3, cid);
    int rc = step_done(s, st, err, "cannot mark a customer screened");
    if (rc)
        return rc;
    /* an empty signature (the screening failed) makes every delta
     * screen the customer */
    st = stmt(s, S_SIG_PUT, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    sqlite3_bind_int64(st, 1, cid);
    sqlite3_bind_int64(st, 2, run);
    sqlite3_bind_blob(st, 3, sig && sig_len ? sig : "", (int)(sig && sig_len ? sig_len : 0),
                      SQLITE_STATIC);
    return step_done(s, st, err, "cannot keep a customer's signature");
}

static int sq_customer_unscreen_runs(cordon_store *base, int64_t after_run, const char *snapshot,
                                     cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    /* the update reads every customer: only when such a run exists */
    sqlite3_stmt *st = stmt(s, S_RUNS_STALE, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    sqlite3_bind_int64(st, 1, after_run);
    bind_text(st, 2, snapshot);
    int rc = sqlite3_step(st);
    long long stale = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (stale < 0)
        return db_fail(s, err, "cannot read runs");
    if (stale == 0)
        return 0;
    st = stmt(s, S_CUST_UNSCREEN, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    sqlite3_bind_int64(st, 1, after_run);
    bind_text(st, 2, snapshot);
    return step_done(s, st, err, "cannot requeue customers of an interrupted run");
}

/* ---- runs and entity state --------------------------------------------------------- */

static int sq_run_last(cordon_store *base, int64_t *run, char snapshot[65], double *threshold,
                       cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_RUN_LAST, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    int rc = sqlite3_step(st);
    *run = 0;
    snapshot[0] = '\0';
    *threshold = 0;
    if (rc == SQLITE_ROW) {
        *run = sqlite3_column_int64(st, 0);
        snprintf(snapshot, 65, "%s", col_text(st, 1));
        *threshold = sqlite3_column_double(st, 2);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(s, err, "cannot read runs");
}

static int sq_run_begin(cordon_store *base, const cordon__run_row *r, int64_t *run,
                        cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_RUN_BEGIN, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    sqlite3_bind_int64(st, 1, r->started_ms);
    bind_text(st, 2, r->caller);
    bind_text(st, 3, r->snapshot);
    bind_text(st, 4, r->previous);
    sqlite3_bind_double(st, 5, r->threshold);
    sqlite3_bind_int(st, 6, r->full);
    int rc = step_done(s, st, err, "cannot record a run");
    if (!rc)
        *run = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static int sq_run_finish(cordon_store *base, const cordon__run_row *r, cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_RUN_FINISH, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    const cordon_monitor_report *p = r->report;
    sqlite3_bind_int64(st, 1, r->finished_ms);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)p->customers);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)p->screened);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)p->entities_added);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)p->entities_changed);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)p->entities_removed);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)p->scanned);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)p->candidates);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)p->alerts);
    sqlite3_bind_int64(st, 10, r->run);
    return step_done(s, st, err, "cannot finish a run");
}

static int sq_meta_get(cordon_store *base, const char *key, char *value, size_t size,
                       cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_META_GET, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (size)
        snprintf(value, size, "%s", rc == SQLITE_ROW ? col_text(st, 0) : "");
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(s, err, "cannot read cordon_meta");
}

static int sq_meta_put(cordon_store *base, const char *key, const char *value,
                       cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_META_PUT, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    bind_text(st, 1, key);
    bind_text(st, 2, value);
    return step_done(s, st, err, "cannot write cordon_meta");
}

static int sq_entity_scan(cordon_store *base, cordon__entity_state_fn fn, void *ctx,
                          cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_ENT_SCAN, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    int rc, out = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((out = fn(ctx, col_text(st, 0), col_text(st, 1))) != 0)
            break;
    if (!out && rc != SQLITE_DONE)
        out = db_fail(s, err, "cannot read entity hashes");
    sqlite3_reset(st);
    return out;
}

static int sq_entity_put(cordon_store *base, const char *id, const char *hash, int64_t run,
                         cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_ENT_PUT, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    bind_text(st, 1, id);
    bind_text(st, 2, hash);
    sqlite3_bind_int64(st, 3, run);
    return step_done(s, st, err, "cannot record an entity hash");
}

static int sq_entity_delete(cordon_store *base, const char *id, cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_ENT_DELETE, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    bind_text(st, 1, id);
    return step_done(s, st, err, "cannot drop an entity hash");
}

/* ---- near misses ----------------------------------------------------------------------- */

static int sq_near_clear(cordon_store *base, int64_t cid, cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_NEAR_CLEAR, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    sqlite3_bind_int64(st, 1, cid);
    return step_done(s, st, err, "cannot clear near misses");
}

static int sq_near_put(cordon_store *base, const cordon__near_row *n, cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_NEAR_PUT, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    sqlite3_bind_int64(st, 1, n->cid);
    bind_text(st, 2, n->entity);
    bind_text(st, 3, n->entity_hash);
    sqlite3_bind_double(st, 4, n->score);
    sqlite3_bind_int64(st, 5, n->run);
    return step_done(s, st, err, "cannot record a near miss");
}

static int sq_near_scan(cordon_store *base, int64_t before_run, cordon__near_fn fn, void *ctx,
                        cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_NEAR_SCAN, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    sqlite3_bind_int64(st, 1, before_run);
    int rc, out = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cordon__near_row n = {.cid = sqlite3_column_int64(st, 0), .entity = col_text(st, 1),
                              .entity_hash = col_text(st, 2),
                              .score = sqlite3_column_double(st, 3),
                              .run = sqlite3_column_int64(st, 4)};
        if ((out = fn(ctx, &n)) != 0)
            break;
    }
    if (!out && rc != SQLITE_DONE)
        out = db_fail(s, err, "cannot read near misses");
    sqlite3_reset(st);
    return out;
}

static int sq_near_delete(cordon_store *base, int64_t cid, const char *entity, cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_NEAR_DELETE, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    sqlite3_bind_int64(st, 1, cid);
    bind_text(st, 2, entity);
    return step_done(s, st, err, "cannot drop a near miss");
}

/* ---- alerts and decisions ------------------------------------------------------------ */

static int sq_alert_insert(cordon_store *base, const cordon_alert *a, int64_t *id,
                           cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_ALERT_INSERT, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    sqlite3_bind_int64(st, 1, a->run);
    sqlite3_bind_int64(st, 2, a->time_ms);
    bind_text(st, 3, a->customer);
    bind_text(st, 4, a->customer_name);
    bind_text(st, 5, a->entity);
    bind_text(st, 6, a->entity_name);
    sqlite3_bind_double(st, 7, a->score);
    bind_text(st, 8, a->reason);
    bind_text(st, 9, a->customer_hash);
    bind_text(st, 10, a->entity_hash);
    int rc = step_done(s, st, err, "cannot record an alert");
    *id = !rc && sqlite3_changes(s->db) > 0 ? sqlite3_last_insert_rowid(s->db) : 0;
    return rc;
}

static int sq_alert_scan(cordon_store *base, const cordon_alert_filter *f, cordon_alert_fn fn,
                         void *ctx, cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    cordon_alert_filter all = {.status = -1};
    if (!f)
        f = &all;
    char sql[512];
    size_t n = (size_t)snprintf(sql, sizeof sql,
                                "SELECT id, run, time_ms, customer, customer_name, entity,"
                                " entity_name, score, reason, status, note, customer_hash,"
                                " entity_hash FROM alerts WHERE 1");
    if (f->status >= 0)
        n += (size_t)snprintf(sql + n, sizeof sql - n, " AND status = ?1");
    if (f->run)
        n += (size_t)snprintf(sql + n, sizeof sql - n, " AND run = ?2");
    if (f->customer)
        n += (size_t)snprintf(sql + n, sizeof sql - n, " AND customer = ?3");
    if (f->id)
        n += (size_t)snprintf(sql + n, sizeof sql - n, " AND id = ?4");
    snprintf(sql + n, sizeof sql - n, " ORDER BY id");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, err, "cannot read alerts");
    if (f->status >= 0)
        sqlite3_bind_int(st, 1, f->status);
    if (f->run)
        sqlite3_bind_int64(st, 2, f->run);
    if (f->customer)
        bind_text(st, 3, f->customer);
    if (f->id)
        sqlite3_bind_int64(st, 4, f->id);
    int rc, out = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cordon_alert a = {
            .id = sqlite3_column_int64(st, 0),
            .run = sqlite3_column_int64(st, 1),
            .time_ms = sqlite3_column_int64(st, 2),
            .customer = col_text(st, 3),
            .customer_name = col_text(st, 4),
            .entity = col_text(st, 5),
            .entity_name = col_text(st, 6),
            .score = sqlite3_column_double(st, 7),
            .reason = col_text(st, 8),
            .status = (cordon_alert_status)sqlite3_column_int(st, 9),
            .note = sqlite3_column_type(st, 10) == SQLITE_NULL ? NULL : col_text(st, 10),
            .customer_hash = col_text(st, 11),
            .entity_hash = col_text(st, 12),
        };
        if ((out = fn(ctx, &a)) != 0)
            break;
    }
    if (!out && rc != SQLITE_DONE)
        out = db_fail(s, err, "cannot read alerts");
    sqlite3_finalize(st);
    return out;
}

static int sq_decision_insert(cordon_store *base, const cordon_alert *a,
                              cordon_alert_status decision, const char *note, const char *caller,
                              int64_t time_ms, uint64_t audit_seq, cordon_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, S_DECISION_INSERT, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    sqlite3_bind_int64(st, 1, a->id);
    sqlite3_bind_int64(st, 2, time_ms);
    sqlite3_bind_int(st, 3, (int)decision);
    bind_text(st, 4, note);
    bind_text(st, 5, caller);
    bind_text(st, 6, a->customer_hash);
    bind_text(st, 7, a->entity_hash);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)audit_seq);
    int rc = step_done(s, st, err, "cannot record a decision");
    if (rc)
        return rc;
    st = stmt(s, S_ALERT_STATUS, err);
    if (!st)
        return err ? err->code : CORDON_EIO;
    sqlite3_bind_int(st, 1, (int)decision);
    bind_text(st, 2, note);
    sqlite3_bind_int64(st, 3, a->id);
    return step_done(s, st, err, "cannot update an alert");
}

static const cordon__store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .audit_head = sq_audit_head,
    .audit_insert = sq_audit_insert,
    .audit_scan = sq_audit_scan,
    .customer_upsert = sq_customer_upsert,
    .customer_count = sq_customer_count,
    .customer_page = sq_customer_page,
    .customer_get = sq_customer_get,
    .customer_screened = sq_customer_screened,
    .customer_unscreen_runs = sq_customer_unscreen_runs,
    .run_last = sq_run_last,
    .run_begin = sq_run_begin,
    .run_finish = sq_run_finish,
    .entity_scan = sq_entity_scan,
    .entity_put = sq_entity_put,
    .entity_delete = sq_entity_delete,
    .meta_get = sq_meta_get,
    .meta_put = sq_meta_put,
    .alert_insert = sq_alert_insert,
    .alert_scan = sq_alert_scan,
    .decision_insert = sq_decision_insert,
    .near_clear = sq_near_clear,
    .near_put = sq_near_put,
    .near_scan = sq_near_scan,
    .near_delete = sq_near_delete,
};
