/*
 * test_cli_screen.c — `cordon build`, `cordon screen` and `cordon
 * compare` as a user runs them ($CORDON_CLI, by default build/san/cordon):
 * exit statuses, the table and JSON outputs, names on stdin, and a clear
 * error with status 2 for every kind of bad input of issue 4.
 */
#include "test_util.h"

#include <jansson.h>
#include <sys/wait.h>

static const char *cli;
static char *snapshot;

typedef struct run {
    int status;
    char *out, *err;
} run;

static char *slurp_file(const char *path)
{
    char *b = test_slurp(path, NULL);
    return b ? b : strdup("");
}

/* Runs `cordon ARGS` through the shell with stdin from `input` (may be
 * NULL for /dev/null). */
static run cordon(const char *args, const char *input)
{
    char in[] = "/tmp/cordon-cli-in-XXXXXX", out[] = "/tmp/cordon-cli-out-XXXXXX",
         err[] = "/tmp/cordon-cli-err-XXXXXX";
    int fi = mkstemp(in), fo = mkstemp(out), fe = mkstemp(err);
    assert_true(fi >= 0 && fo >= 0 && fe >= 0);
    if (input)
        assert_int_equal(write(fi, input, strlen(input)), (ssize_t)strlen(input));
    close(fi);
    close(fo);
    close(fe);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s %s <%s >%s 2>%s", cli, args, in, out, err);
    int st = system(cmd);
    run r = {WIFEXITED(st) ? WEXITSTATUS(st) : -1, slurp_file(out), slurp_file(err)};
    unlink(in);
    unlink(out);
    unlink(err);
    return r;
}

static void run_free(run *r)
{
    free(r->out);
    free(r->err);
}

static int setup(void **state)
{
    (void)state;
    cli = getenv("CORDON_CLI");
    if (!cli || !*cli)
        cli = "build/san/cordon";
    if (access(cli, X_OK) != 0) {
        fprintf(stderr, "test_cli_screen: no %s (make build/san/cordon)\n", cli);
        return -1;
    }
    snapshot = test_write_temp("", 0, ".cordon");
    char args[512];
    snprintf(args, sizeof args, "build --lists data/lists.conf -o %s", snapshot);
    run r = cordon(args, NULL);
    int ok = r.status == 0 && strstr(r.err, "21098 entities");
    if (!ok)
        fprintf(stderr, "cordon build: %d %s\n", r.status, r.err);
    run_free(&r);
    return ok ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    unlink(snapshot);
    free(snapshot);
    return 0;
}

static run screen(const char *args, const char *input)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "screen --index %s %s", snapshot, args);
    return cordon(buf, input);
}

static void test_exit_statuses(void **state)
{
    (void)state;
    run r = screen("'Kim Jong Un'", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "ofac_sdn:20157"));
    assert_non_null(strstr(r.out, "KIM, Jong Un"));
    run_free(&r);
    r = screen("'John Smith'", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "no match at threshold 0.85"));
    run_free(&r);
    /* any match among several names makes 1 */
    r = screen("'John Smith' 'Vladimir Putin'", NULL);
    assert_int_equal(r.status, 1);
    run_free(&r);
    r = screen("--type vessel Graceful --explain", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "ofac_sdn:37444"));
    assert_non_null(strstr(r.out, "matched name: \"GRACEFUL\""));
    assert_non_null(strstr(r.out, "type vessel matches"));
    run_free(&r);
    r = screen("--id 'IMO 1011551'", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "ofac_sdn:37444"));
    run_free(&r);
}

static void test_json_and_stdin(void **state)
{
    (void)state;
    run r = screen("--json --limit 3", "Vladimir Putin\n\n  \nKim Jong Un\r\nJohn Smith\n");
    assert_int_equal(r.status, 1);
    /* one object per non-blank line, in order */
    const char *want[] = {"Vladimir Putin", "Kim Jong Un", "John Smith"};
    const char *first[] = {"ofac_sdn:35096", "ofac_sdn:20157", NULL};
    char *save = NULL;
    int n = 0;
    for (char *line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        json_error_t je;
        json_t *o = json_loads(line, 0, &je);
        assert_non_null(o);
        assert_true(n < 3);
        assert_string_equal(json_string_value(json_object_get(o, "query")), want[n]);
        json_t *ms = json_object_get(o, "matches");
        assert_true(json_array_size(ms) <= 3);
        if (first[n])
            assert_string_equal(json_string_value(json_object_get(json_array_get(ms, 0), "id")),
                                first[n]);
        else
            assert_int_equal(json_array_size(ms), 0);
        json_decref(o);
        n++;
    }
    assert_int_equal(n, 3);
    run_free(&r);
}

static void test_bad_input(void **state)
{
    (void)state;
    static const struct {
        const char *args, *input, *message;
    } cases[] = {
        {"''", NULL, "empty name"},
        {"'.,;-'", NULL, "no letters or digits"},
        {"--dob 'yesterday' Putin", NULL, "is not a date"},
        {"--type spaceship Putin", NULL, "unknown --type"},
        {"--threshold 2 Putin", NULL, "--threshold"},
        {"--limit 0 Putin", NULL, "--limit"},
        {"--country Narnia Putin", NULL, "unknown country"},
        {"--algorithm magic Putin", NULL, "unknown --algorithm"},
        {"", "Put\xffin\n", "invalid UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run r = screen(cases[i].args, cases[i].input);
        if (r.status != 2 || !strstr(r.err, cases[i].message))
            fail_msg("screen %s: status %d, stderr \"%s\"", cases[i].args, r.status, r.err);
        run_free(&r);
    }
    /* a 1 MB name on stdin */
    size_t big = 1u << 20;
    char *mb = malloc(big + 2);
    memset(mb, 'a', big);
    mb[big] = '\n';
    mb[big + 1] = '\0';
    run r = screen("", mb);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "limit"));
    run_free(&r);
    free(mb);
    /* a corrupt snapshot */
    char *bad = test_write_temp("CORDONIX but not really", 23, ".cordon");
    char args[512];
    snprintf(args, sizeof args, "screen --index %s Putin", bad);
    r = cordon(args, NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, bad));
    run_free(&r);
    unlink(bad);
    free(bad);
}

static void test_compare(void **state)
{
    (void)state;
    run r = cordon("compare 'Vladimir Putin' 'PUTIN, Vladimir'", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "score 1.0000: match"));
    run_free(&r);
    r = cordon("compare --json 'John Smith' 'Vladimir Putin'", NULL);
    assert_int_equal(r.status, 0);
    json_error_t je;
    json_t *o = json_loads(r.out, 0, &je);
    assert_non_null(o);
    assert_true(json_is_false(json_object_get(o, "match")));
    assert_float_equal(json_real_value(json_object_get(o, "score")), 0.0, 1e-9);
    assert_non_null(json_object_get(o, "threshold"));
    assert_non_null(json_object_get(o, "explanation"));
    json_decref(o);
    run_free(&r);
    r = cordon("compare onlyone", NULL);
    assert_int_equal(r.status, 2);
    run_free(&r);
    r = cordon("compare '' x", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "empty name"));
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exit_statuses),
        cmocka_unit_test(test_json_and_stdin),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_compare),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
