/*
 * test_audit_cli.c — the audit and monitoring commands end to end, run
 * through the program named by $CORDON_CLI (tests/run.sh sets the ASan
 * build):
 *  - kill -9 in the middle of `cordon batch` and of `cordon monitor run`:
 *    the database passes PRAGMA integrity_check, the audit chain
 *    verifies, every decision committed before is intact, and the
 *    interrupted monitor run is taken up by the next one, which ends
 *    with the alerts a clean run gives;
 *  - `cordon audit` listing, filters and export, `audit verify` on a
 *    tampered file (exit 1, naming the record) and with --head;
 *  - `cordon decide` and `cordon monitor alerts`; `cordon diff` exit
 *    statuses.
 */
#include "test_util.h"

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

static const char *cli;
static char tmp[256];
static char index_path[320];
static char big_csv[320], small_csv[320];

/* ---- helpers --------------------------------------------------------------- */

/* Starts cli with argv (NULL-terminated) and stdout/stderr to files
 * (NULL: /dev/null). */
static pid_t start(char *const *argv, const char *out, const char *err)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fi = open("/dev/null", O_RDONLY);
        int fo = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int fe = open(err ? err : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fi < 0 || fo < 0 || fe < 0)
            _exit(126);
        dup2(fi, 0);
        dup2(fo, 1);
        dup2(fe, 2);
        unsetenv("CORDON_DB");
        execv(cli, argv);
        _exit(127);
    }
    return pid;
}

static int wait_status(pid_t pid)
{
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int run(char *const *argv, const char *out, const char *err)
{
    return wait_status(start(argv, out, err));
}

/* Runs and fails the test (with stderr) unless the status is `want`. */
static void run_ok(char *const *argv, int want)
{
    char err[400];
    snprintf(err, sizeof err, "%s/run.err", tmp);
    int st = run(argv, NULL, err);
    if (st != want) {
        char *e = test_slurp(err, NULL);
        fail_msg("%s %s: status %d, expected %d:\n%s", argv[1], argv[2] ? argv[2] : "", st,
                 want, e ? e : "");
    }
}

static long long query_int(const char *db, const char *sql)
{
    sqlite3 *h;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(h);
        return -1;
    }
    sqlite3_busy_timeout(h, 5000);
    sqlite3_stmt *st;
    long long v = -1;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return v;
}

static char *query_text(const char *db, const char *sql)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    char *v = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

static const char *db_file(const char *name)
{
    static char p[4][400];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s.db", tmp, name);
    return p[k];
}

/* ---- customers ------------------------------------------------------------------ */

static const char *const given[] = {
    "Anna", "Boris", "Carlos", "Dmitri", "Elena", "Farid", "Greta", "Hassan", "Ingrid", "Jorge",
    "Katya", "Luis", "Marta", "Nikolai", "Olga", "Pedro", "Qasim", "Rosa", "Sergei", "Tomas",
    "Ursula", "Viktor", "Wang", "Ximena", "Yusuf", "Zofia", "Ahmed", "Beatriz", "Chen", "Dario"};
static const char *const family[] = {
    "Novak", "Petrov", "Garcia", "Haddad", "Schmidt", "Rossi", "Kowalski", "Ivanova", "Mendes",
    "Okafor", "Tanaka", "Larsen", "Dubois", "Horvat", "Yilmaz", "Silva", "Nowak", "Popescu",
    "Kuznetsov", "Fischer", "Moreau", "Jansen", "Costa", "Aziz", "Bauer", "Lopez", "Kim", "Sato",
    "Hughes", "Murphy"};
/* listed parties, so that screening alerts */
static const char *const listed[] = {"Vladimir Putin", "Korea Mining Development Trading Corporation",
                                     "Tanchon Commercial Bank", "Ri Je-son", "Joaquin Guzman Loera",
                                     "Viktor Bout", "Ramzan Kadyrov", "Bank Melli Iran"};

static void write_customers(const char *path, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("id,name,dob,country\n", f);
    for (size_t i = 0; i < n; i++) {
        if (i % 97 == 5)
            fprintf(f, "C%06zu,%s,,\n", i, listed[(i / 97) % 8]);
        else
            fprintf(f, "C%06zu,%s %s %s,19%02zu-%02zu-%02zu,\n", i, given[i % 30],
                    family[(i / 30) % 30], family[(i / 900 + i) % 30], 40 + i % 60, 1 + i % 12,
                    1 + i % 28);
    }
    fclose(f);
}

static int group_setup(void **state)
{
    (void)state;
    cli = getenv("CORDON_CLI");
    if (!cli || !*cli)
        cli = "build/san/cordon";
    if (access(cli, X_OK) != 0) {
        fprintf(stderr, "test_audit_cli: no program at %s (set CORDON_CLI)\n", cli);
        return -1;
    }
    snprintf(tmp, sizeof tmp, "/tmp/cordon-audit-cli-XXXXXX");
    if (!mkdtemp(tmp))
        return -1;
    if (access("build/default.cordon", R_OK) == 0) {
        snprintf(index_path, sizeof index_path, "build/default.cordon");
    } else {
        snprintf(index_path, sizeof index_path, "%s/lists.cordon", tmp);
        char *argv[] = {"cordon", "build", "--lists", "data/lists.conf", "-o", index_path, NULL};
        if (run(argv, NULL, NULL) != 0)
            return -1;
    }
    snprintf(big_csv, sizeof big_csv, "%s/big.csv", tmp);
    snprintf(small_csv, sizeof small_csv, "%s/small.csv", tmp);
    write_customers(big_csv, 4000);
    write_customers(small_csv, 300);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

/* Two committed decisions in db: the first two alerts of a monitor run
 * over the small file, one cleared and one confirmed. */
static void decide_two(const char *db)
{
    char *add[] = {"cordon", "monitor", "add", "-q", "--db", (char *)db, small_csv, NULL};
    run_ok(add, 0);
    char *mrun[] = {"cordon", "monitor", "run", "-q", "-j", "2", "--db", (char *)db,
                    "--index", index_path, NULL};
    run_ok(mrun, 1);
    assert_true(query_int(db, "SELECT count(*) FROM alerts") >= 2);
    char *c1[] = {"cordon", "decide", "1", "--clear", "--note", "another person: born 1971",
                  "--by", "analyst-1", "--db", (char *)db, NULL};
    run_ok(c1, 0);
    char *c2[] = {"cordon", "decide", "2", "--confirm", "--note", "same person, passport seen",
                  "--by", "analyst-2", "--db", (char *)db, NULL};
    run_ok(c2, 0);
}

static void decisions_intact(const char *db)
{
    assert_int_equal(query_int(db, "SELECT count(*) FROM decisions"), 2);
    char *n = query_text(db, "SELECT group_concat(alert || ':' || decision || ':' || note || ':'"
                             " || caller, '|') FROM (SELECT * FROM decisions ORDER BY id)");
    assert_string_equal(n, "1:1:another person: born 1971:analyst-1|"
                           "2:2:same person, passport seen:analyst-2");
    free(n);
    n = query_text(db, "SELECT group_concat(id || ':' || status, '|') FROM (SELECT * FROM alerts"
                       " WHERE id <= 2 ORDER BY id)");
    assert_string_equal(n, "1:1|2:2");
    free(n);
    /* and both are in the audit log, whose chain holds */
    assert_int_equal(query_int(db, "SELECT count(*) FROM audit WHERE kind = 'decide'"), 2);
    char *v = query_text(db, "PRAGMA integrity_check");
    assert_string_equal(v, "ok");
    free(v);
    char *argv[] = {"cordon", "audit", "verify", "--db", (char *)db, NULL};
    run_ok(argv, 0);
}

/* Waits (up to 60 s) until sql counts at least `want`; returns the count. */
static long long wait_for(const char *db, const char *sql, long long want, pid_t pid)
{
    long long v = -1;
    for (int i = 0; i < 6000; i++) {
        v = query_int(db, sql);
        if (v >= want)
            return v;
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid)
            fail_msg("the run ended (status %d) before it could be killed; count %lld",
                     WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st), v);
        usleep(10000);
    }
    fail_msg("timed out waiting for %s >= %lld (got %lld)", sql, want, v);
    return v;
}

/* ---- kill -9 -------------------------------------------------------------------- */

static void test_kill_batch(void **state)
{
    (void)state;
    const char *db = db_file("kill-batch");
    decide_two(db);
    long long before = query_int(db, "SELECT count(*) FROM audit");
    char out[400];
    snprintf(out, sizeof out, "%s/batch-out.csv", tmp);
    char *argv[] = {"cordon", "batch", "-q", "-j", "2", "--index", index_path, "--audit",
                    (char *)db, "-o", out, big_csv, NULL};
    pid_t pid = start(argv, NULL, NULL);
    /* some of the batch's records are committed: the run is well under way */
    wait_for(db, "SELECT count(*) FROM audit WHERE kind = 'batch'", 700, pid);
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_int_equal(wait_status(pid), 128 + SIGKILL);
    long long batch = query_int(db, "SELECT count(*) FROM audit WHERE kind = 'batch'");
    assert_true(batch >= 700 && batch < 4000);
    assert_int_equal(query_int(db, "SELECT count(*) FROM audit"), before + batch);
    /* the committed records are rows in input order, from the first */
    assert_int_equal(query_int(db, "SELECT count(*) FROM audit WHERE kind = 'batch' AND"
                                   " json_extract(context, '$.row') > (SELECT count(*) FROM"
                                   " audit WHERE kind = 'batch')"),
                     0);
    assert_int_equal(access(out, F_OK), -1); /* no output: the run did not finish */
    decisions_intact(db);
    /* and the log goes on from where it stopped */
    char *again[] = {"cordon", "batch", "-q", "-j", "2", "--index", index_path, "--audit",
                     (char *)db, "-o", out, small_csv, NULL};
    run_ok(again, 1);
    assert_int_equal(query_int(db, "SELECT count(*) FROM audit WHERE kind = 'batch'"),
                     batch + 300);
    decisions_intact(db);
}

static void test_kill_monitor(void **state)
{
    (void)state;
    const char *db = db_file("kill-monitor");
    decide_two(db);
    long long alerts_before = query_int(db, "SELECT count(*) FROM alerts");
    char *add[] = {"cordon", "monitor", "add", "-q", "--db", (char *)db, big_csv, NULL};
    run_ok(add, 0);
    assert_int_equal(query_int(db, "SELECT count(*) FROM customers"), 4000);
    /* 300 customers are the small file's first ones, unchanged: 3700 new */
    assert_int_equal(query_int(db, "SELECT count(*) FROM customers WHERE screened_hash IS NOT"
                                   " hash"),
                     3700);
    char *mrun[] = {"cordon", "monitor", "run", "-q", "-j", "2", "--db", (char *)db, "--index",
                    index_path, NULL};
    pid_t pid = start(mrun, NULL, NULL);
    wait_for(db, "SELECT count(*) FROM customers WHERE screened_run = 2", 1024, pid);
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_int_equal(wait_status(pid), 128 + SIGKILL);
    long long done = query_int(db, "SELECT count(*) FROM customers WHERE screened_run = 2");
    assert_true(done >= 1024 && done < 3700);
    assert_int_equal(done % 512, 0); /* whole chunks only */
    /* every customer marked screened has its audit record, no more */
    assert_int_equal(query_int(db, "SELECT count(*) FROM audit WHERE kind = 'monitor' AND"
                                   " json_extract(context, '$.run') = 2"),
                     done);
    char *status = query_text(db, "SELECT status FROM runs WHERE run = 2");
    assert_string_equal(status, "running");
    free(status);
    decisions_intact(db);

    /* the next run takes up the rest */
    run_ok(mrun, 1);
    assert_int_equal(query_int(db, "SELECT count(*) FROM customers WHERE screened_hash IS NOT"
                                   " hash"),
                     0);
    assert_int_equal(query_int(db, "SELECT screened FROM runs WHERE run = 3"), 3700 - done);
    decisions_intact(db);

    /* the same alerts as a clean run over the same customers */
    const char *clean = db_file("clean-monitor");
    char *cadd[] = {"cordon", "monitor", "add", "-q", "--db", (char *)clean, big_csv, NULL};
    run_ok(cadd, 0);
    char *crun[] = {"cordon", "monitor", "run", "-q", "-j", "2", "--db", (char *)clean,
                    "--index", index_path, NULL};
    run_ok(crun, 1);
    long long total = query_int(db, "SELECT count(*) FROM alerts");
    assert_int_equal(total, query_int(clean, "SELECT count(*) FROM alerts"));
    assert_true(total > alerts_before);
    char sql[600];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM alerts a WHERE NOT EXISTS (SELECT 1 FROM clean.alerts b"
             " WHERE b.customer = a.customer AND b.entity = a.entity AND b.score = a.score)");
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    char attach[500];
    snprintf(attach, sizeof attach, "ATTACH '%s' AS clean", clean);
    assert_int_equal(sqlite3_exec(h, attach, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
}

/* ---- the commands ---------------------------------------------------------------- */

static void test_audit_commands(void **state)
{
    (void)state;
    const char *db = db_file("commands");
    char *screen[] = {"cordon",        "screen", "--index", index_path, "--audit", (char *)db,
                      "Vladimir Putin", "Anna Novak Petrov", NULL};
    run_ok(screen, 1);
    char out[400], err[400];
    snprintf(out, sizeof out, "%s/audit.out", tmp);
    snprintf(err, sizeof err, "%s/audit.err", tmp);
    char *list[] = {"cordon", "audit", "--db", (char *)db, NULL};
    assert_int_equal(run(list, out, err), 0);
    char *o = test_slurp(out, NULL);
    /* "     1  <time>  screen  cli  Vladimir Putin ... N matches  top ofac_sdn:35096 1.000" */
    assert_non_null(strstr(o, "  screen  cli          Vladimir Putin"));
    assert_non_null(strstr(o, "top ofac_sdn:35096 1.000\n"));
    char row[100];
    snprintf(row, sizeof row, "%-40s %2d matches\n", "Anna Novak Petrov", 0);
    assert_non_null(strstr(o, row));
    free(o);
    char *json[] = {"cordon", "audit", "--db", (char *)db, "--json", "--query", "PUTIN", NULL};
    assert_int_equal(run(json, out, NULL), 0);
    o = test_slurp(out, NULL);
    assert_int_equal(strncmp(o, "{\"seq\":1,\"time\":\"", 17), 0);
    assert_non_null(strstr(o, "\"kind\":\"screen\",\"caller\":\"cli\",\"subject\":\"Vladimir "
                              "Putin\",\"query\":{\"name\":\"Vladimir Putin\""));
    assert_null(strstr(o, "Anna"));
    assert_int_equal(o[strlen(o) - 1], '\n');
    assert_true(strchr(o, '\n') == o + strlen(o) - 1); /* one record, one line */
    free(o);
    char *since[] = {"cordon", "audit", "--db", (char *)db, "--since", "2999-01-01", NULL};
    assert_int_equal(run(since, out, err), 0);
    o = test_slurp(out, NULL);
    assert_string_equal(o, "");
    free(o);
    o = test_slurp(err, NULL);
    assert_string_equal(o, "cordon: no audit records match\n");
    free(o);
    char *bad[] = {"cordon", "audit", "--db", (char *)db, "--since", "last tuesday", NULL};
    assert_int_equal(run(bad, NULL, err), 2);

    /* verify, then tamper: exit 1, naming the record */
    char *verify[] = {"cordon", "audit", "verify", "--db", (char *)db, NULL};
    assert_int_equal(run(verify, out, NULL), 0);
    o = test_slurp(out, NULL);
    char *head = query_text(db, "SELECT hash FROM audit WHERE seq = 2");
    char want[400];
    snprintf(want, sizeof want, "audit log %s: 2 records verified; head 2 %s\n", db, head);
    assert_string_equal(o, want);
    free(o);
    char anchor[100];
    snprintf(anchor, sizeof anchor, "2:%s", head);
    char *withhead[] = {"cordon", "audit", "verify", "--db", (char *)db, "--head", anchor, NULL};
    assert_int_equal(run(withhead, NULL, NULL), 0);
    snprintf(anchor, sizeof anchor, "3:%s", head);
    assert_int_equal(run(withhead, NULL, err), 1);
    o = test_slurp(err, NULL);
    assert_string_equal(o, "cordon: record 3 is gone: the log ends at 2\n");
    free(o);
    free(head);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "DROP TRIGGER audit_no_update;"
                                     "UPDATE audit SET matches = '[]', n_matches = 0 WHERE seq = 1",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(run(verify, NULL, err), 1);
    o = test_slurp(err, NULL);
    assert_string_equal(o, "cordon: audit record 1: its hash does not match its content; the "
                           "chain is broken (0 records before it verified)\n");
    free(o);
}

static void test_monitor_commands(void **state)
{
    (void)state;
    const char *db = db_file("monitor-commands");
    char csv[400], err[400], out[400];
    snprintf(csv, sizeof csv, "%s/few.csv", tmp);
    snprintf(err, sizeof err, "%s/m.err", tmp);
    snprintf(out, sizeof out, "%s/m.out", tmp);
    FILE *f = fopen(csv, "wb");
    fputs("customer_id,full_name,type,dob,country\n"
          "K1,Korea Mining Development Trading Corporation,organization,,KP\n"
          "P1,Anna Novak,person,1980-02-03,CZ\n"
          ",No Id,person,,\n"
          "P2,Boris Petrov,person,soon,\n"
          "P3,Atlantis Person,person,,Atlantis\n",
          f);
    fclose(f);
    char *add[] = {"cordon", "monitor", "add", "--db", (char *)db, csv, NULL};
    assert_int_equal(run(add, NULL, err), 0);
    char *e = test_slurp(err, NULL);
    snprintf(out, sizeof out, "%s/m.out", tmp);
    char want[2000];
    snprintf(want, sizeof want,
             "cordon: %s:4: row 3: customer has no id\n"
             "cordon: %s:5: row 4: customer \"P2\": birth date \"soon\" is not a date\n"
             "cordon: %s:6: row 5: customer \"P3\": unknown country \"Atlantis\"\n"
             "cordon monitor: 2 added, 0 changed, 0 unchanged, 3 rejected\n",
             csv, csv, csv);
    assert_string_equal(e, want);
    free(e);
    char *strict[] = {"cordon", "monitor", "add", "--strict", "--db", (char *)db, csv, NULL};
    assert_int_equal(run(strict, NULL, NULL), 2);

    char *mrun[] = {"cordon", "monitor", "run", "--json", "--db", (char *)db, "--index",
                    index_path, NULL};
    assert_int_equal(run(mrun, out, err), 1);
    char *o = test_slurp(out, NULL);
    /* K1 matches KOMID on three lists */
    assert_non_null(strstr(o, "\"customer\":\"K1\",\"customer_name\":\"Korea Mining Development "
                              "Trading Corporation\",\"entity\":\"ofac_sdn:9345\""));
    assert_non_null(strstr(o, "\"entity\":\"un_sc:KPe.001\""));
    assert_null(strstr(o, "\"customer\":\"P1\""));
    free(o);
    e = test_slurp(err, NULL);
    assert_non_null(strstr(e, ": 2 customers; 2 screened in full; entities +21098 ~0 -0; 0 "
                              "checked against them, 0 screened; 3 new alerts; "));
    free(e);
    /* again: nothing to do */
    assert_int_equal(run(mrun, out, err), 0);
    o = test_slurp(out, NULL);
    assert_string_equal(o, "");
    free(o);

    char *dec[] = {"cordon", "decide", "2", "--clear", "--note", "checked", "--db", (char *)db,
                   NULL};
    assert_int_equal(run(dec, out, NULL), 0);
    o = test_slurp(out, NULL);
    assert_string_equal(o, "alert 2 cleared\n");
    free(o);
    char *nonote[] = {"cordon", "decide", "2", "--clear", "--db", (char *)db, NULL};
    assert_int_equal(run(nonote, NULL, err), 2);
    e = test_slurp(err, NULL);
    assert_string_equal(e, "cordon: a decision needs --note TEXT saying why\n");
    free(e);
    char *both[] = {"cordon", "decide", "2", "--clear", "--confirm", "--note", "x", "--db",
                    (char *)db, NULL};
    assert_int_equal(run(both, NULL, NULL), 2);
    char *missing[] = {"cordon", "decide", "77", "--confirm", "--note", "x", "--db", (char *)db,
                       NULL};
    assert_int_equal(run(missing, NULL, err), 2);
    e = test_slurp(err, NULL);
    assert_string_equal(e, "cordon: no alert 77\n");
    free(e);
    char *open_alerts[] = {"cordon", "monitor", "alerts", "--db", (char *)db, NULL};
    assert_int_equal(run(open_alerts, out, NULL), 0);
    o = test_slurp(out, NULL);
    size_t lines = 0;
    for (const char *p = o; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 2);
    assert_non_null(strstr(o, "1       open       K1"));
    assert_null(strstr(o, "\n2       "));
    free(o);
    char *cleared[] = {"cordon", "monitor", "alerts", "--status", "cleared", "--json", "--db",
                       (char *)db, NULL};
    assert_int_equal(run(cleared, out, NULL), 0);
    o = test_slurp(out, NULL);
    assert_non_null(strstr(o, "{\"alert\":2,\"run\":1,"));
    assert_non_null(strstr(o, "\"status\":\"cleared\",\"note\":\"checked\""));
    free(o);
}

static void test_diff_command(void **state)
{
    (void)state;
    char out[400];
    snprintf(out, sizeof out, "%s/diff.out", tmp);
    char *same[] = {"cordon", "diff", "--summary", "tests/data/diff/ofsi_2025-04-14.conf",
                    "tests/data/diff/ofsi_2025-04-14.conf", NULL};
    assert_int_equal(run(same, out, NULL), 0);
    char *o = test_slurp(out, NULL);
    assert_non_null(strstr(o, "0 added, 0 removed, 0 changed, 4688 unchanged\n"));
    free(o);
    char *two[] = {"cordon", "diff", "tests/data/diff/ofsi_2023-06-05.conf",
                   "tests/data/diff/ofsi_2025-04-14.conf", NULL};
    assert_int_equal(run(two, out, NULL), 1);
    o = test_slurp(out, NULL);
    assert_non_null(strstr(o, "old: tests/data/diff/ofsi_2023-06-05.conf\n  uk_ofsi      "
                              "published 2023-06-05 sha256 "));
    assert_non_null(strstr(o, "~ uk_ofsi:10916            SOK-HWA, HWANG  (names, birth)\n"
                              "    + name \"SOK HA, Hwang\" (strong)\n"));
    assert_non_null(strstr(o, "\n826 added, 131 removed, 312 changed, 3550 unchanged\n"));
    free(o);
    /* a snapshot against a lists file */
    char *mixed[] = {"cordon", "diff", "--summary", index_path, "data/lists.conf", NULL};
    assert_int_equal(run(mixed, out, NULL), 0);
    o = test_slurp(out, NULL);
    assert_non_null(strstr(o, "0 added, 0 removed, 0 changed, 21098 unchanged\n"));
    free(o);
    char *missing[] = {"cordon", "diff", "no-such.conf", "data/lists.conf", NULL};
    assert_int_equal(run(missing, NULL, NULL), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_batch),
        cmocka_unit_test(test_kill_monitor),
        cmocka_unit_test(test_audit_commands),
        cmocka_unit_test(test_monitor_commands),
        cmocka_unit_test(test_diff_command),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
