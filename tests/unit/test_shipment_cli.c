/*
 * test_shipment_cli.c — `cordon shipment` end to end: for each case
 * directory tests/shipment/<case>/ it runs the program named by
 * $CORDON_CLI (tests/run.sh sets the ASan build; default
 * build/san/cordon) from the repository root with the arguments in
 * `args` (one a line) and compares stdout, stderr and the exit status
 * with expected.out, expected.err and expected.status byte for byte.
 * tests/shipment/regen.sh rewrites the goldens; their diff is what a
 * review looks at.
 */
#include "test_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>

static const char *cli;

static void same(const char *what, const char *got, size_t gl, const char *want_path)
{
    size_t wl;
    char *want = test_slurp(want_path, &wl);
    if (!want)
        fail_msg("%s is missing", want_path);
    if (gl != wl || memcmp(got, want, gl) != 0)
        fail_msg("%s differs from %s:\n--- got\n%s\n--- want\n%s", what, want_path, got, want);
    free(want);
}

static void run_case(void **state)
{
    const char *name = *state;
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "tests/shipment/%s", name);
    snprintf(path, sizeof path, "%s/args", dir);
    char *args = test_slurp(path, NULL);
    assert_non_null(args);
    char *argv[64];
    int argc = 0;
    argv[argc++] = (char *)cli;
    for (char *line = strtok(args, "\n"); line && argc < 63; line = strtok(NULL, "\n"))
        argv[argc++] = line;
    argv[argc] = NULL;
    char out_path[] = "/tmp/cordon-shp-out-XXXXXX", err_path[] = "/tmp/cordon-shp-err-XXXXXX";
    int out = mkstemp(out_path), err = mkstemp(err_path);
    assert_true(out >= 0 && err >= 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        unsetenv("CORDON_RULES");
        unsetenv("CORDON_INDEX");
        execv(cli, argv);
        _exit(127);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    close(out);
    close(err);
    char got_status[32];
    snprintf(got_status, sizeof got_status, "%d\n",
             WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    size_t ol, el;
    char *o = test_slurp(out_path, &ol), *e = test_slurp(err_path, &el);
    assert_non_null(o);
    assert_non_null(e);
    snprintf(path, sizeof path, "%s/expected.err", dir);
    same("stderr", e, el, path);
    snprintf(path, sizeof path, "%s/expected.out", dir);
    same("stdout", o, ol, path);
    snprintf(path, sizeof path, "%s/expected.status", dir);
    same("exit status", got_status, strlen(got_status), path);
    unlink(out_path);
    unlink(err_path);
    free(o);
    free(e);
    free(args);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    cli = getenv("CORDON_CLI");
    if (!cli || !*cli)
        cli = "build/san/cordon";
    DIR *d = opendir("tests/shipment");
    if (!d) {
        fprintf(stderr, "test_shipment: run from the repository root\n");
        return 1;
    }
    char *names[256];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < 256) {
        char path[600];
        snprintf(path, sizeof path, "tests/shipment/%s/args", de->d_name);
        if (de->d_name[0] != '.' && access(path, R_OK) == 0)
            names[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    struct CMUnitTest *tests = calloc(n ? n : 1, sizeof *tests);
    if (!tests)
        return 1;
    for (size_t i = 0; i < n; i++) {
        tests[i].name = names[i];
        tests[i].test_func = run_case;
        tests[i].initial_state = names[i];
    }
    int rc = _cmocka_run_group_tests("shipment_cli_golden", tests, n, NULL, NULL);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(tests);
    return rc;
}

