/*
 * test_batch_cli.c — `cordon batch` end to end: runs the program named
 * by $CORDON_CLI (tests/run.sh sets the ASan build) and compares what it
 * writes with the golden files under tests/batch/<case>/ (args, input.*,
 * expected.out, expected.rejects, expected.err, expected.status). Then
 * what golden files cannot show: the same output whatever the thread
 * count, stdin, the summary and the progress line, and that a run
 * killed in the middle (SIGKILL or SIGTERM) never leaves an -o file.
 */
#include "test_util.h"

#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

static const char *cli;
static char tmp[256];
static char index_path[300];
static char db_path[300];

/* ---- helpers ------------------------------------------------------------ */

static void spit(const char *path, const char *data)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(data, f);
    fclose(f);
}

static bool exists(const char *path) { return access(path, F_OK) == 0; }

/* Fails with both texts when the file differs from the expected one. */
static void same_file(const char *got_path, const char *want_path)
{
    size_t gl, wl;
    char *got = test_slurp(got_path, &gl), *want = test_slurp(want_path, &wl);
    if (!got)
        fail_msg("%s was not written", got_path);
    if (!want)
        fail_msg("%s is missing", want_path);
    if (gl != wl || memcmp(got, want, gl) != 0)
        fail_msg("%s differs from %s:\n--- got\n%s--- want\n%s", got_path, want_path, got, want);
    free(got);
    free(want);
}

/* Starts cli with argv (NULL-terminated, argv[0] unused) and the given
 * stdin/stdout/stderr files (NULL: /dev/null). Returns the pid. */
static pid_t start(char *const *argv, const char *in, const char *out, const char *err,
                   const char *env_name, const char *env_value)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fi = open(in ? in : "/dev/null", O_RDONLY);
        int fo = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int fe = open(err ? err : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fi < 0 || fo < 0 || fe < 0)
            _exit(126);
        dup2(fi, 0);
        dup2(fo, 1);
        dup2(fe, 2);
        if (env_name)
            setenv(env_name, env_value, 1);
        execv(cli, argv);
        _exit(127);
    }
    return pid;
}

/* Exit status, or 128 + signal. */
static int wait_status(pid_t pid)
{
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int run(char *const *argv, const char *in, const char *out, const char *err)
{
    return wait_status(start(argv, in, out, err, NULL, NULL));
}

/* Names of the entries of dir (without . and ..), sorted, joined by
 * spaces into buf. */
static const char *dir_list(const char *dir, char *buf, size_t size)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    assert_true(n >= 0);
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, ".."))
            len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? " " : "",
                                    names[i]->d_name);
        free(names[i]);
    }
    free(names);
    return buf;
}

static void make_empty_dir(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    assert_int_equal(system(cmd), 0);
}

/* ---- setup --------------------------------------------------------------- */

static int group_setup(void **state)
{
    (void)state;
    cli = getenv("CORDON_CLI");
    if (!cli || !*cli)
        cli = "build/san/cordon";
    if (access(cli, X_OK) != 0) {
        fprintf(stderr, "test_batch_cli: no program at %s (set CORDON_CLI)\n", cli);
        return -1;
    }
    snprintf(tmp, sizeof tmp, "/tmp/cordon-batch-test-XXXXXX");
    if (!mkdtemp(tmp))
        return -1;
    /* batch keeps an audit log by default: every run here logs to a
     * store of its own, never the user's */
    snprintf(db_path, sizeof db_path, "%s/audit.db", tmp);
    setenv("CORDON_DB", db_path, 1);
    /* One snapshot of the bundled lists for every run: the one `make`
     * builds (check depends on it), or else one built here. */
    if (access("build/default.cordon", R_OK) == 0) {
        snprintf(index_path, sizeof index_path, "build/default.cordon");
        return 0;
    }
    snprintf(index_path, sizeof index_path, "%s/lists.cordon", tmp);
    char *argv[] = {"cordon", "build", "--lists", "data/lists.conf", "-o", index_path, NULL};
    int st = run(argv, NULL, NULL, NULL);
    if (st != 0 || !exists(index_path)) {
        fprintf(stderr, "test_batch_cli: cordon build failed (status %d)\n", st);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- golden cases --------------------------------------------------------- */

#define MAX_ARGS 64

/* Builds the argument vector of a case: batch -q -j 2 --index INDEX,
 * the case's args (one a line; {rejects} is a temporary path), then the
 * input file. Returns argc. */
static int case_argv(const char *dir, char **argv, char *store, size_t store_size,
                     const char *rejects, const char *jobs, char *input, size_t input_size)
{
    int argc = 0;
    argv[argc++] = "cordon";
    argv[argc++] = "batch";
    argv[argc++] = "-q";
    argv[argc++] = "-j";
    argv[argc++] = (char *)jobs;
    argv[argc++] = "--index";
    argv[argc++] = index_path;
    char path[512];
    snprintf(path, sizeof path, "%s/args", dir);
    char *args = test_slurp(path, NULL);
    assert_non_null(args);
    size_t used = 0;
    for (char *save = NULL, *a = strtok_r(args, "\n", &save); a; a = strtok_r(NULL, "\n", &save)) {
        assert_true(argc < MAX_ARGS - 2);
        const char *v = strcmp(a, "{rejects}") ? a : rejects;
        size_t n = strlen(v) + 1;
        assert_true(used + n <= store_size);
        memcpy(store + used, v, n);
        argv[argc++] = store + used;
        used += n;
    }
    free(args);
    snprintf(input, input_size, "%s/input.csv", dir);
    if (!exists(input))
        snprintf(input, input_size, "%s/input.jsonl", dir);
    assert_true(exists(input));
    argv[argc++] = input;
    argv[argc] = NULL;
    return argc;
}

static void golden(const char *name, const char *jobs)
{
    char dir[256], input[300], store[4096], out[300], err[300], rej[300], want[400];
    char *argv[MAX_ARGS];
    snprintf(dir, sizeof dir, "tests/batch/%s", name);
    snprintf(out, sizeof out, "%s/%s.out", tmp, name);
    snprintf(err, sizeof err, "%s/%s.err", tmp, name);
    snprintf(rej, sizeof rej, "%s/%s.rejects", tmp, name);
    unlink(rej);
    case_argv(dir, argv, store, sizeof store, rej, jobs, input, sizeof input);
    int status = run(argv, NULL, out, err);

    snprintf(want, sizeof want, "%s/expected.status", dir);
    char *ws = test_slurp(want, NULL);
    assert_non_null(ws);
    if (status != atoi(ws)) {
        char *e = test_slurp(err, NULL);
        fail_msg("%s: status %d, expected %d; stderr:\n%s", name, status, atoi(ws), e);
    }
    free(ws);
    snprintf(want, sizeof want, "%s/expected.out", dir);
    same_file(out, want);
    snprintf(want, sizeof want, "%s/expected.rejects", dir);
    if (exists(want))
        same_file(rej, want);
    else
        assert_false(exists(rej));
    snprintf(want, sizeof want, "%s/expected.err", dir);
    if (exists(want)) {
        same_file(err, want);
    } else {
        size_t n;
        char *e = test_slurp(err, &n);
        if (n)
            fail_msg("%s: unexpected stderr:\n%s", name, e);
        free(e);
    }
}

/* quoting edge cases and planted hits, --keep, rejects */
static void test_golden_quoting(void **state) { (void)state; golden("quoting", "2"); }
/* BOM, CRLF, ';' delimiter, CRLF inside quotes, --all */
static void test_golden_crlf_bom(void **state) { (void)state; golden("crlf_bom", "2"); }
/* JSON lines in and out, default column names, --id-col */
static void test_golden_jsonl(void **state) { (void)state; golden("jsonl", "2"); }
/* every kind of bad row in the rejects file */
static void test_golden_rejects(void **state) { (void)state; golden("rejects", "2"); }
/* --strict: the first bad row ends the run */
static void test_golden_strict(void **state) { (void)state; golden("strict", "2"); }

/* --type-col, --limit, --threshold passed to screening */
static void test_golden_options(void **state) { (void)state; golden("options", "2"); }
/* --algorithm ofac */
static void test_golden_ofac(void **state) { (void)state; golden("ofac", "2"); }

/* One thread or many: the same bytes. */
static void test_golden_threads(void **state)
{
    (void)state;
    static const char *const cases[] = {"quoting", "crlf_bom", "jsonl", "rejects",
                                        "strict",  "options",  "ofac"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        golden(cases[i], "1");
        golden(cases[i], "3");
    }
}

/* ---- ordering on a bigger file ------------------------------------------- */

/* Writes a CSV of n rows: the names of the negatives set (people on no
 * list) with a listed name planted every 37th row. */
static void write_customers(const char *path, unsigned n)
{
    const char *shared = test_shared_data();
    if (!shared)
        fail_msg("shared data not found (../shared/data or $CORDON_SHARED_DATA)");
    char src[512];
    snprintf(src, sizeof src, "%s/eval/negatives/validation_negatives_global_1k.csv", shared);
    int fd = open(src, O_RDONLY);
    assert_true(fd >= 0);
    cordon_records *r;
    cordon_error err;
    assert_int_equal(cordon_records_open(fd, NULL, src, &r, &err), 0);
    char *names[1000];
    size_t nn = 0;
    cordon_record rec;
    while (nn < 1000 && cordon_records_next(r, &rec, &err) == 1)
        names[nn++] = strdup(cordon_record_field(&rec, "full_name", 9)->value);
    cordon_records_close(r);
    close(fd);
    assert_int_equal(nn, 1000);
    static const char *const planted[] = {"Kim Jong Un", "GRACEFUL",
                                          "PUTIN, Vladimir Vladimirovich", "Ali Hassan"};
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("id,name\n", f);
    for (unsigned i = 1; i <= n; i++) {
        const char *name = i % 37 == 0 ? planted[(i / 37) % 4] : names[i % nn];
        fprintf(f, "%u,\"%s\"\n", i, name);
    }
    fclose(f);
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
}

static void test_order_any_threads(void **state)
{
    (void)state;
    char in[300], o1[300], o2[300], o4[300];
    snprintf(in, sizeof in, "%s/order.csv", tmp);
    snprintf(o1, sizeof o1, "%s/order.1", tmp);
    snprintf(o2, sizeof o2, "%s/order.2", tmp);
    snprintf(o4, sizeof o4, "%s/order.4", tmp);
    write_customers(in, 3000);
    char *a1[] = {"cordon", "batch", "-q", "--all", "--keep", "id", "--index", index_path,
                  "-j", "1", "-o", o1, in, NULL};
    assert_int_equal(run(a1, NULL, NULL, NULL), 1);
    a1[9] = "2";
    a1[11] = o2;
    assert_int_equal(run(a1, NULL, NULL, NULL), 1);
    a1[9] = "4";
    a1[11] = o4;
    assert_int_equal(run(a1, NULL, NULL, NULL), 1);
    same_file(o2, o1);
    same_file(o4, o1);
    /* every row is there, in order; planted rows matched */
    FILE *f = fopen(o1, "r");
    assert_non_null(f);
    char line[4096];
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "row,id,match_id,list,matched_name,score,reason\n");
    unsigned long last = 0, rows = 0, planted_hit = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long row = strtoul(line, NULL, 10);
        assert_true(row >= last);
        if (row != last)
            rows++;
        if (row % 37 == 0 && strstr(line, ",ofac_sdn:"))
            planted_hit++;
        last = row;
    }
    fclose(f);
    assert_int_equal(rows, 3000);
    assert_int_equal(last, 3000);
    assert_true(planted_hit >= 3000 / 37);
}

/* ---- stdin, -o, summary, progress ------------------------------------------ */

static void test_stdin_and_output_file(void **state)
{
    (void)state;
    char d[300], out[400], rej[400], err[400], names[512];
    snprintf(d, sizeof d, "%s/stdin", tmp);
    make_empty_dir(d);
    snprintf(out, sizeof out, "%s/result.csv", d);
    snprintf(rej, sizeof rej, "%s/rejects.csv", d);
    snprintf(err, sizeof err, "%s/stderr", tmp);
    char *argv[] = {"cordon", "batch", "-q", "--keep", "customer_id,note", "--rejects", rej,
                    "--index", index_path, "-o", out, "-", NULL};
    assert_int_equal(run(argv, "tests/batch/quoting/input.csv", NULL, err), 1);
    same_file(out, "tests/batch/quoting/expected.out");
    same_file(rej, "tests/batch/quoting/expected.rejects");
    /* nothing but the two results in the directory */
    assert_string_equal(dir_list(d, names, sizeof names), "rejects.csv result.csv");
}

static void test_summary(void **state)
{
    (void)state;
    char out[300], err[300];
    snprintf(out, sizeof out, "%s/summary.out", tmp);
    snprintf(err, sizeof err, "%s/summary.err", tmp);
    char *argv[] = {"cordon", "batch", "-j", "2", "--index", index_path, "--keep",
                    "customer_id,note", "tests/batch/quoting/input.csv", NULL};
    assert_int_equal(run(argv, NULL, out, err), 1);
    char *e = test_slurp(err, NULL);
    assert_non_null(e);
    /* stderr is not a terminal: no progress line, no control characters */
    assert_null(strchr(e, '\r'));
    assert_null(strchr(e, '\033'));
    /* the counts of the golden output: one line per match, after the
     * header; the row number first */
    char *golden = test_slurp("tests/batch/quoting/expected.out", NULL);
    assert_non_null(golden);
    unsigned long matches = 0, matched_rows = 0, last_row = 0;
    for (char *line = strchr(golden, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        unsigned long row = strtoul(line + 1, NULL, 10);
        matches++;
        matched_rows += row != last_row;
        last_row = row;
    }
    free(golden);
    char head[200];
    snprintf(head, sizeof head, "cordon batch: 8 rows, %lu match%s in %lu row%s, 1 rejected; ",
             matches, matches == 1 ? "" : "es", matched_rows, matched_rows == 1 ? "" : "s");
    if (strncmp(e, head, strlen(head)) != 0)
        fail_msg("summary, expected \"%s\":\n%s", head, e);
    assert_non_null(strstr(e, " rows/s on 2 threads\n"));
    /* list versions: name, publication date, sha256 prefix; then the index hash */
    static const char *const lists[] = {"ofac_sdn", "ofac_cons", "un_sc", "uk_ofsi"};
    const char *p = e;
    for (size_t i = 0; i < 4; i++) {
        char want[64];
        snprintf(want, sizeof want, "  list %-12s published ", lists[i]);
        const char *q = strstr(p, want);
        if (!q)
            fail_msg("no \"%s\" after the previous list in:\n%s", want, e);
        p = q + strlen(want);
    }
    assert_non_null(strstr(e, "  list un_sc        published 2026-02-27 sha256 "));
    assert_non_null(strstr(e, "  list uk_ofsi      published 2025-04-14 sha256 "));
    cordon_index *idx;
    cordon_error cerr;
    assert_int_equal(cordon_index_open(index_path, &idx, &cerr), 0);
    char want[400];
    snprintf(want, sizeof want, "  index sha256 %s\n", cordon_index_hash(idx));
    assert_non_null(strstr(e, want));
    const cordon_source_info *s0 = cordon_index_source(idx, 0);
    snprintf(want, sizeof want, "sha256 %.12s  %zu entities\n", s0->sha256, s0->n_entities);
    assert_non_null(strstr(e, want));
    /* 8 rows, 1 rejected: 7 screenings in the audit log */
    snprintf(want, sizeof want, "  audit 7 records in %s\n", db_path);
    if (!strstr(e, want))
        fail_msg("no \"%s\" in:\n%s", want, e);
    cordon_index_close(idx);
    free(e);
    same_file(out, "tests/batch/quoting/expected.out");
}

static void test_progress_on_a_terminal(void **state)
{
    (void)state;
    char in[300];
    snprintf(in, sizeof in, "%s/progress.csv", tmp);
    write_customers(in, 3000);
    int master;
    pid_t pid = forkpty(&master, NULL, NULL, NULL);
    assert_true(pid >= 0);
    if (pid == 0) {
        /* stdout to /dev/null, stderr stays the terminal */
        int fo = open("/dev/null", O_WRONLY);
        dup2(fo, 1);
        char *argv[] = {"cordon", "batch", "-j", "2", "--index", index_path, in, NULL};
        execv(cli, argv);
        _exit(127);
    }
    char buf[65536];
    size_t len = 0;
    for (;;) {
        ssize_t n = read(master, buf + len, sizeof buf - 1 - len);
        if (n <= 0)
            break; /* EIO once the child has gone */
        len += (size_t)n;
        if (len == sizeof buf - 1)
            len = 0; /* keep reading; only the end matters */
    }
    buf[len] = '\0';
    close(master);
    assert_int_equal(wait_status(pid), 1);
    /* the final redraw, cleared before the summary */
    assert_non_null(strstr(buf, "\r[####################] 100%  3000 rows  "));
    assert_non_null(strstr(buf, " rows/s  ETA "));
    assert_non_null(strstr(buf, "\r\033[Kcordon batch: 3000 rows, "));

    /* --quiet: nothing at all */
    pid = forkpty(&master, NULL, NULL, NULL);
    assert_true(pid >= 0);
    if (pid == 0) {
        int fo = open("/dev/null", O_WRONLY);
        dup2(fo, 1);
        char *argv[] = {"cordon", "batch", "-q", "--index", index_path, in, NULL};
        execv(cli, argv);
        _exit(127);
    }
    len = 0;
    for (;;) {
        ssize_t n = read(master, buf + len, sizeof buf - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(master);
    assert_int_equal(wait_status(pid), 1);
    assert_int_equal(len, 0);
}

/* ---- errors ------------------------------------------------------------------ */

static void expect_error(char **argv, const char *message)
{
    char out[300], err[300];
    snprintf(out, sizeof out, "%s/error.out", tmp);
    snprintf(err, sizeof err, "%s/error.err", tmp);
    assert_int_equal(run(argv, NULL, out, err), 2);
    char *e = test_slurp(err, NULL);
    if (!strstr(e, message))
        fail_msg("stderr lacks \"%s\":\n%s", message, e);
    free(e);
}

static void test_errors(void **state)
{
    (void)state;
    char *a1[] = {"cordon", "batch", "--index", index_path, "--name-col", "nom",
                  "tests/batch/quoting/input.csv", NULL};
    expect_error(a1, "cordon: tests/batch/quoting/input.csv: no column \"nom\" (--name-col) "
                     "in the header; columns: customer_id, full_name, type, date_of_birth, "
                     "nationality, note\n");
    char *a2[] = {"cordon", "batch", "--index", index_path, "--keep", "email",
                  "tests/batch/quoting/input.csv", NULL};
    expect_error(a2, "no column \"email\" (--keep) in the header");
    char *a3[] = {"cordon", "batch", "--index", index_path, "--delimiter", ";",
                  "tests/batch/quoting/input.csv", NULL};
    expect_error(a3, "no name column in the header (name, full_name); use --name-col");
    char *a4[] = {"cordon", "batch", "--index", index_path, "tests/batch/none.csv", NULL};
    expect_error(a4, "cordon: tests/batch/none.csv: No such file or directory\n");
    char *a5[] = {"cordon", "batch", "--format", "xml", "x.csv", NULL};
    expect_error(a5, "--format takes csv or jsonl");
    char *a6[] = {"cordon", "batch", "--threshold", "1.5", "x.csv", NULL};
    expect_error(a6, "--threshold takes a number in (0,1]");
    char *a7[] = {"cordon", "batch", "-j", "0", "x.csv", NULL};
    expect_error(a7, "-j takes a number of threads");
    /* -o naming the input would replace it at the end: refused (on a
     * copy, so that a regression cannot eat the golden input) */
    char same[300], same2[310];
    snprintf(same, sizeof same, "%s/same.csv", tmp);
    snprintf(same2, sizeof same2, "%s/./same.csv", tmp);
    char *orig = test_slurp("tests/batch/quoting/input.csv", NULL);
    spit(same, orig);
    char *a10[] = {"cordon", "batch", "--index", index_path, "-o", same2, same, NULL};
    char want10[400];
    snprintf(want10, sizeof want10, "cordon: %s is the input file\n", same2);
    expect_error(a10, want10);
    char *a11[] = {"cordon", "batch", "--index", index_path, "--rejects", same2, same, NULL};
    expect_error(a11, want10);
    char *after = test_slurp(same, NULL);
    assert_string_equal(after, orig);
    free(after);
    free(orig);
    char empty[300];
    snprintf(empty, sizeof empty, "%s/empty.csv", tmp);
    spit(empty, "");
    char *a8[] = {"cordon", "batch", "--index", index_path, empty, NULL};
    expect_error(a8, "no header row: the file is empty");
    char *a9[] = {"cordon", "batch", "--index", "tests/batch/quoting/input.csv",
                  "tests/batch/quoting/input.csv", NULL};
    expect_error(a9, "cordon: ");
}

/* A failed run leaves the previous result as it was, and no temporary. */
static void test_failure_keeps_previous_result(void **state)
{
    (void)state;
    char d[300], out[400], names[512];
    snprintf(d, sizeof d, "%s/keep", tmp);
    make_empty_dir(d);
    snprintf(out, sizeof out, "%s/result.csv", d);
    spit(out, "previous complete result\n");
    char *argv[] = {"cordon", "batch", "-q", "--strict", "--index", index_path, "-o", out,
                    "tests/batch/rejects/input.csv", NULL};
    assert_int_equal(run(argv, NULL, NULL, NULL), 2);
    char *s = test_slurp(out, NULL);
    assert_string_equal(s, "previous complete result\n");
    free(s);
    assert_string_equal(dir_list(d, names, sizeof names), "result.csv");
    /* and the named-temporary fallback cleans up too */
    pid_t pid = start(argv, NULL, NULL, NULL, "CORDON_BATCH_NAMED_TMP", "1");
    assert_int_equal(wait_status(pid), 2);
    assert_string_equal(dir_list(d, names, sizeof names), "result.csv");
}

/* ---- killed in the middle ----------------------------------------------------- */

/* Size of the file the child writes its output to, found among its
 * open files (an O_TMPFILE shows as "DIR/#INODE (deleted)"); -1 when
 * none is open yet. */
static long child_output_size(pid_t pid, const char *dir)
{
    char fddir[64];
    snprintf(fddir, sizeof fddir, "/proc/%d/fd", (int)pid);
    DIR *dd = opendir(fddir);
    if (!dd)
        return -1;
    long size = -1;
    struct dirent *e;
    while ((e = readdir(dd))) {
        char link[400], target[600];
        snprintf(link, sizeof link, "%s/%s", fddir, e->d_name);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n <= 0)
            continue;
        target[n] = '\0';
        if (strncmp(target, dir, strlen(dir)) != 0 || target[strlen(dir)] != '/')
            continue;
        struct stat st;
        if (stat(link, &st) == 0 && S_ISREG(st.st_mode))
            size = (long)st.st_size;
    }
    closedir(dd);
    return size;
}

/* Starts a long batch into DIR/result.csv, waits until its partial
 * output is over 64 KiB, then sends sig. Returns the exit status. */
static int kill_midway(const char *d, const char *in, int sig, const char *named_tmp)
{
    char out[400];
    snprintf(out, sizeof out, "%s/result.csv", d);
    char *argv[] = {"cordon", "batch", "-q", "--all", "-j", "1", "--index", index_path,
                    "-o", out, (char *)in, NULL};
    pid_t pid = start(argv, NULL, NULL, NULL, named_tmp ? "CORDON_BATCH_NAMED_TMP" : NULL,
                      named_tmp);
    long size = -1;
    for (int i = 0; i < 1200 && size < 65536; i++) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
        size = child_output_size(pid, d);
    }
    if (size < 65536) {
        kill(pid, SIGKILL);
        wait_status(pid);
        fail_msg("the batch never wrote 64 KiB of output");
    }
    assert_false(exists(out)); /* running, with partial output: no result yet */
    kill(pid, sig);
    return wait_status(pid);
}

static void test_kill_midway(void **state)
{
    (void)state;
    char in[300], d[300], names[512];
    snprintf(in, sizeof in, "%s/big.csv", tmp);
    write_customers(in, 400000);
    snprintf(d, sizeof d, "%s/kill", tmp);

    /* SIGKILL: no handler runs, and the unnamed file dies with the process */
    make_empty_dir(d);
    assert_int_equal(kill_midway(d, in, SIGKILL, NULL), 128 + SIGKILL);
    assert_string_equal(dir_list(d, names, sizeof names), "");

    /* SIGTERM and SIGINT: the same, and the process dies of the signal */
    assert_int_equal(kill_midway(d, in, SIGTERM, NULL), 128 + SIGTERM);
    assert_string_equal(dir_list(d, names, sizeof names), "");
    assert_int_equal(kill_midway(d, in, SIGINT, NULL), 128 + SIGINT);
    assert_string_equal(dir_list(d, names, sizeof names), "");
}

static void test_kill_midway_named_tmp(void **state)
{
    (void)state;
    char in[300], d[300], names[512], out[400];
    snprintf(in, sizeof in, "%s/big.csv", tmp);
    if (!exists(in))
        write_customers(in, 400000);
    snprintf(d, sizeof d, "%s/killn", tmp);
    snprintf(out, sizeof out, "%s/result.csv", d);
    make_empty_dir(d);

    /* SIGTERM: the handler removes the named temporary */
    assert_int_equal(kill_midway(d, in, SIGTERM, "1"), 128 + SIGTERM);
    assert_string_equal(dir_list(d, names, sizeof names), "");

    /* SIGKILL: the temporary is left, never under the result's name ... */
    assert_int_equal(kill_midway(d, in, SIGKILL, "1"), 128 + SIGKILL);
    dir_list(d, names, sizeof names);
    assert_true(strncmp(names, ".result.csv.cordon-tmp.", 23) == 0);
    assert_null(strchr(names, ' '));
    assert_false(exists(out));
    /* ... and the next run writing that result removes it */
    char *argv[] = {"cordon", "batch", "-q", "--keep", "customer_id,note", "--index",
                    index_path, "-o", out, "tests/batch/quoting/input.csv", NULL};
    pid_t pid = start(argv, NULL, NULL, NULL, "CORDON_BATCH_NAMED_TMP", "1");
    assert_int_equal(wait_status(pid), 1);
    assert_string_equal(dir_list(d, names, sizeof names), "result.csv");
    same_file(out, "tests/batch/quoting/expected.out");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_quoting),
        cmocka_unit_test(test_golden_crlf_bom),
        cmocka_unit_test(test_golden_jsonl),
        cmocka_unit_test(test_golden_rejects),
        cmocka_unit_test(test_golden_strict),
        cmocka_unit_test(test_golden_options),
        cmocka_unit_test(test_golden_ofac),
        cmocka_unit_test(test_golden_threads),
        cmocka_unit_test(test_order_any_threads),
        cmocka_unit_test(test_stdin_and_output_file),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_progress_on_a_terminal),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_failure_keeps_previous_result),
        cmocka_unit_test(test_kill_midway),
        cmocka_unit_test(test_kill_midway_named_tmp),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
