/*
 * test_store.c — lib/store.c and lib/store_sqlite.c: opening and
 * creating stores, the settings they run with, schema versions, files
 * that are not stores, targets that are not files, the append-only
 * decisions table, several connections sharing one file (the busy
 * timeout), and what survives a transaction rolled back half way.
 */
#include "test_util.h"

#include <pthread.h>
#include <sqlite3.h>
#include <sys/stat.h>

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/cordon-store-test-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *path_of(const char *name)
{
    static char p[4][128];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

/* A value from a fresh connection of our own. */
static char *query1(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    char *out = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

static void exec(const char *path, const char *sql, int want)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if ((rc & 0xff) != want)
        fail_msg("%s: %d %s", sql, rc, msg ? msg : "");
    sqlite3_free(msg);
    sqlite3_close(db);
}

static void test_create_and_reopen(void **state)
{
    (void)state;
    const char *p = path_of("new.db");
    cordon_store *st = NULL;
    cordon_error err;
    assert_int_equal(cordon_store_open(p, &st, &err), 0);
    assert_non_null(st);
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    cordon_store_close(st);
    /* WAL is a property of the file; the tables and the version are there */
    char *mode = query1(p, "PRAGMA journal_mode");
    assert_string_equal(mode, "wal");
    free(mode);
    char *v = query1(p, "SELECT value FROM cordon_meta WHERE key = 'schema'");
    assert_string_equal(v, "1");
    free(v);
    char *tables = query1(p, "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master"
                             " WHERE type = 'table' ORDER BY name)");
    assert_string_equal(tables, "alerts audit cordon_meta customers decisions entities"
                                " near_misses runs signatures");
    free(tables);
    char *trig = query1(p, "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master"
                           " WHERE type = 'trigger' ORDER BY name)");
    assert_string_equal(trig, "audit_no_delete audit_no_update decisions_no_delete "
                              "decisions_no_update");
    free(trig);
    /* twice open at once, and reopened: the same store */
    cordon_store *a = NULL, *b = NULL;
    assert_int_equal(cordon_store_open(p, &a, &err), 0);
    assert_int_equal(cordon_store_open(path_of("new.db"), &b, &err), 0);
    cordon_store_close(a);
    cordon_store_close(b);
    cordon_store_close(NULL);
    /* "sqlite:" names the backend */
    char target[160];
    snprintf(target, sizeof target, "sqlite:%s", p);
    assert_int_equal(cordon_store_open(target, &a, &err), 0);
    cordon_store_close(a);
}

static void test_bad_targets(void **state)
{
    (void)state;
    cordon_store *st = (cordon_store *)1;
    cordon_error err;
    assert_int_equal(cordon_store_open("postgresql://db.example/cordon", &st, &err),
                     CORDON_EUNSUPPORTED);
    assert_null(st);
    assert_string_equal(err.message,
                        "PostgreSQL stores are not built yet (docs/AUDIT.md); use a file");
    assert_int_equal(cordon_store_open("", &st, &err), CORDON_EINVAL);
    assert_int_equal(cordon_store_open(NULL, &st, &err), CORDON_EINVAL);
    assert_int_equal(cordon_store_open("sqlite:", &st, &err), CORDON_EINVAL);
    assert_int_equal(cordon_store_open("/nonexistent-dir/x.db", &st, &err), CORDON_EIO);
    assert_string_equal(err.file, "/nonexistent-dir/x.db");
    /* a file that is not a database */
    const char *junk = path_of("junk.db");
    FILE *f = fopen(junk, "wb");
    for (int i = 0; i < 200; i++)
        fputs("this is not a database\n", f);
    fclose(f);
    assert_int_equal(cordon_store_open(junk, &st, &err), CORDON_ECORRUPT);
    assert_null(st);
    /* a database of someone else's with a table named like ours */
    const char *other = path_of("other.db");
    exec(other, "CREATE TABLE cordon_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                "INSERT INTO cordon_meta VALUES('schema', 'x');",
         SQLITE_OK);
    assert_int_equal(cordon_store_open(other, &st, &err), CORDON_ECORRUPT);
    /* a store from a newer cordon */
    const char *newer = path_of("newer.db");
    assert_int_equal(cordon_store_open(newer, &st, &err), 0);
    cordon_store_close(st);
    exec(newer, "UPDATE cordon_meta SET value = '2' WHERE key = 'schema'", SQLITE_OK);
    assert_int_equal(cordon_store_open(newer, &st, &err), CORDON_EVERSION);
    assert_string_equal(err.message, "store schema 2 is newer than this cordon (1)");
}

static void test_decisions_are_append_only(void **state)
{
    (void)state;
    const char *p = path_of("decisions.db");
    cordon_store *st = NULL;
    cordon_error err;
    assert_int_equal(cordon_store_open(p, &st, &err), 0);
    cordon_store_close(st);
    exec(p, "INSERT INTO alerts(run, time_ms, customer, customer_name, entity, entity_name,"
            " score, reason, customer_hash, entity_hash) VALUES(1, 1, 'c', 'C', 'e', 'E', 0.9,"
            " 'r', 'h1', 'h2');"
            "INSERT INTO decisions(alert, time_ms, decision, note, caller, customer_hash,"
            " entity_hash, audit_seq) VALUES(1, 1, 1, 'n', 'cli', 'h1', 'h2', 1);",
         SQLITE_OK);
    exec(p, "UPDATE decisions SET note = 'other'", SQLITE_CONSTRAINT);
    exec(p, "DELETE FROM decisions", SQLITE_CONSTRAINT);
    /* a decision must name an alert that exists (foreign keys are on in
     * the store's connections) */
    assert_int_equal(cordon_store_open(p, &st, &err), 0);
    assert_int_equal(cordon_alert_decide(st, 1, CORDON_ALERT_CONFIRMED, "second look", "cli",
                                         &err),
                     0);
    cordon_store_close(st);
    char *n = query1(p, "SELECT count(*) || ' ' || max(note) FROM decisions");
    assert_string_equal(n, "2 second look");
    free(n);
    char *s = query1(p, "SELECT status || ' ' || note FROM alerts WHERE id = 1");
    assert_string_equal(s, "2 second look");
    free(s);
}

/* A writer on another connection holds the write lock for a while: an
 * append waits (busy timeout) instead of failing. */
typedef struct holder {
    const char *path;
    int ms;
} holder;

static void *hold_lock(void *arg)
{
    holder *h = arg;
    sqlite3 *db;
    if (sqlite3_open(h->path, &db) != SQLITE_OK)
        return (void *)1;
    sqlite3_exec(db, "BEGIN IMMEDIATE; INSERT INTO cordon_meta VALUES('lock', 'held');", NULL,
                 NULL, NULL);
    usleep((useconds_t)h->ms * 1000);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
    return NULL;
}

static void test_busy_waits(void **state)
{
    (void)state;
    const char *p = path_of("busy.db");
    cordon_store *st = NULL;
    cordon_error err;
    assert_int_equal(cordon_store_open(p, &st, &err), 0);
    holder h = {p, 400};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, hold_lock, &h), 0);
    usleep(100 * 1000);
    cordon_audit_record r = {.kind = "screen", .caller = "cli", .subject = "x", .query = "{}",
                             .options = "{}", .context = "{}", .snapshot = "", .matches = "[]"};
    cordon_audit_record *pr = &r;
    int64_t t0 = cordon_time_now();
    assert_int_equal(cordon_audit_append(st, &pr, 1, &err), 0);
    int64_t waited = cordon_time_now() - t0;
    pthread_join(t, NULL);
    assert_true(waited >= 200);
    assert_int_equal(r.seq, 1);
    cordon_store_close(st);
    char *v = query1(p, "SELECT value FROM cordon_meta WHERE key = 'lock'");
    assert_string_equal(v, "held");
    free(v);
}

/* A batch refused half way leaves nothing: the first record went in,
 * the second failed (a trigger added behind the store's back), and the
 * whole transaction rolled back. */
static void test_all_or_nothing(void **state)
{
    (void)state;
    const char *p = path_of("atomic.db");
    cordon_store *st = NULL;
    cordon_error err;
    assert_int_equal(cordon_store_open(p, &st, &err), 0);
    cordon_audit_record a = {.kind = "screen", .caller = "cli", .subject = "a", .query = "{}",
                             .options = "{}", .context = "{}", .snapshot = "", .matches = "[]"};
    cordon_audit_record *pa = &a;
    assert_int_equal(cordon_audit_append(st, &pa, 1, &err), 0);
    exec(p, "CREATE TRIGGER refuse_c BEFORE INSERT ON audit WHEN NEW.subject = 'c'"
            " BEGIN SELECT RAISE(ABORT, 'no c here'); END;",
         SQLITE_OK);
    cordon_audit_record b = a, c = a;
    b.subject = "b";
    c.subject = "c";
    b.time_ms = c.time_ms = 0;
    cordon_audit_record *pb[2] = {&b, &c};
    assert_int_equal(cordon_audit_append(st, pb, 2, &err), CORDON_EIO);
    assert_non_null(strstr(err.message, "no c here"));
    char *n = query1(p, "SELECT count(*) FROM audit");
    assert_string_equal(n, "1");
    free(n);
    cordon_audit_check chk;
    assert_int_equal(cordon_audit_verify(st, &chk, &err), 0);
    assert_int_equal(chk.records, 1);
    exec(p, "DROP TRIGGER refuse_c", SQLITE_OK);
    b.time_ms = c.time_ms = 0;
    assert_int_equal(cordon_audit_append(st, pb, 2, &err), 0);
    assert_int_equal(b.seq, 2);
    assert_int_equal(c.seq, 3);
    assert_int_equal(cordon_audit_verify(st, &chk, &err), 0);
    assert_int_equal(chk.records, 3);
    cordon_store_close(st);
    /* a monitor add that fails half way adds nobody */
    assert_int_equal(cordon_store_open(path_of("atomic2.db"), &st, &err), 0);
    cordon_customer cs[3] = {{.id = "A", .name = "Ann"}, {.id = "B", .name = "Bo"},
                             {.id = "C", .name = ""}};
    assert_int_equal(cordon_monitor_add(st, cs, 3, NULL, &err), CORDON_EEMPTY);
    cordon_monitor_add_stats s = {0};
    assert_int_equal(cordon_monitor_add(st, cs, 2, &s, &err), 0);
    assert_int_equal(s.added, 2);
    cordon_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_and_reopen),
        cmocka_unit_test(test_bad_targets),
        cmocka_unit_test(test_decisions_are_append_only),
        cmocka_unit_test(test_busy_waits),
        cmocka_unit_test(test_all_or_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
