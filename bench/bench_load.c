/*
 * bench_load.c — how long loading the default bundle takes, from the raw
 * files as published, and how much memory it needs.
 *
 * Each run is a fresh process (fork) that reads the
 * lists file with cordon_config_read and loads its sources one by one with
 * cordon_dataset_load (which is what cordon_dataset_load_config does), so
 * every source's time shows and a slow parser stands out. A run reports
 * wall and CPU time per source and in total, and its peak resident set
 * (getrusage ru_maxrss) before and after loading. The parent prints the
 * median of N runs (and the range of the totals). Loading is
 * single-threaded, so it runs on one core; CPU time is the figure to
 * compare with the 1 s target, because wall time also counts whatever
 * else the machine is doing.
 *
 * usage: bench_load [-n RUNS] [LISTS_FILE]     (defaults: 7, data/lists.conf)
 * A source that fails to load is reported with its error; the others
 * still run, so the benchmark is useful while parsers are being written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cordon/cordon.h"

#define MAX_SOURCES 64
#define MAX_RUNS 101

typedef struct {
    char name[64];
    char format[32];
    char error[256]; /* empty when the source loaded */
    double wall_ms, cpu_ms;
    size_t entities, names, warnings;
} source_result;

typedef struct {
    int ok;
    char error[256]; /* a failure before any source (lists file) */
    size_t n_sources;
    source_result src[MAX_SOURCES];
    double config_ms;
    double total_wall_ms, total_cpu_ms, free_ms;
    long rss_before_kib, rss_peak_kib;
    size_t entities, names;
} run_result;

static double now_ms(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long maxrss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* One run, in the child process. */
static void run_once(const char *lists, run_result *r)
{
    memset(r, 0, sizeof *r);
    r->rss_before_kib = maxrss_kib();

    double w0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
    cordon_error err;
    cordon_config *cfg = NULL;
    char buf[1200];
    if (cordon_config_read(lists, &cfg, &err) != 0) {
        snprintf(r->error, sizeof r->error, "%s", cordon_error_format(&err, buf, sizeof buf));
        return;
    }
    r->config_ms = now_ms(CLOCK_MONOTONIC) - w0;
    cordon_dataset *ds = cordon_dataset_new();
    if (!ds) {
        snprintf(r->error, sizeof r->error, "out of memory");
        cordon_config_free(cfg);
        return;
    }
    size_t n = cordon_config_source_count(cfg);
    for (size_t i = 0; i < n && i < MAX_SOURCES; i++) {
        const cordon_source_spec *spec = cordon_config_source(cfg, i);
        source_result *s = &r->src[r->n_sources++];
        snprintf(s->name, sizeof s->name, "%s", spec->name);
        snprintf(s->format, sizeof s->format, "%s", cordon_format_name(spec->format));
        double sw = now_ms(CLOCK_MONOTONIC), sc = now_ms(CLOCK_PROCESS_CPUTIME_ID);
        int rc = cordon_dataset_load(ds, spec, &err);
        s->wall_ms = now_ms(CLOCK_MONOTONIC) - sw;
        s->cpu_ms = now_ms(CLOCK_PROCESS_CPUTIME_ID) - sc;
        if (rc) {
            snprintf(s->error, sizeof s->error, "%s", cordon_error_format(&err, buf, sizeof buf));
            continue;
        }
        const cordon_source_info *info =
            cordon_dataset_source(ds, cordon_dataset_source_count(ds) - 1);
        s->entities = info->n_entities;
        s->names = info->n_names;
        s->warnings = info->n_warnings;
        r->entities += info->n_entities;
        r->names += info->n_names;
    }
    r->total_wall_ms = now_ms(CLOCK_MONOTONIC) - w0;
    r->total_cpu_ms = now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
    r->rss_peak_kib = maxrss_kib();
    double f0 = now_ms(CLOCK_MONOTONIC);
    cordon_dataset_free(ds);
    cordon_config_free(cfg);
    r->free_ms = now_ms(CLOCK_MONOTONIC) - f0;
    r->ok = 1;
}

static int run_child(const char *lists, run_result *r)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(fd[0]);
        run_result *mine = malloc(sizeof *mine);
        if (!mine)
            _exit(3);
        run_once(lists, mine);
        const char *p = (const char *)mine;
        size_t left = sizeof *mine;
        while (left) {
            ssize_t w = write(fd[1], p, left);
            if (w <= 0)
                _exit(4);
            p += w;
            left -= (size_t)w;
        }
        _exit(0);
    }
    close(fd[1]);
    char *p = (char *)r;
    size_t got = 0;
    while (got < sizeof *r) {
        ssize_t n = read(fd[0], p + got, sizeof *r - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd[0]);
    int status;
    waitpid(pid, &status, 0);
    return got == sizeof *r && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    int runs = 7;
    const char *lists = "data/lists.conf";
    int opt;
    while ((opt = getopt(argc, argv, "n:h")) != -1) {
        if (opt == 'n') {
            runs = atoi(optarg);
        } else {
            fprintf(opt == 'h' ? stdout : stderr, "usage: bench_load [-n RUNS] [LISTS_FILE]\n");
            return opt == 'h' ? 0 : 2;
        }
    }
    if (optind < argc)
        lists = argv[optind];
    if (runs < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "bench_load: RUNS must be 1..%d\n", MAX_RUNS);
        return 2;
    }
    static run_result res[MAX_RUNS];
    for (int i = 0; i < runs; i++) {
        if (run_child(lists, &res[i]) != 0) {
            fprintf(stderr, "bench_load: run %d died\n", i + 1);
            return 1;
        }
        if (!res[i].ok) {
            fprintf(stderr, "bench_load: %s\n", res[i].error);
            return 1;
        }
    }
    static double v[MAX_RUNS], c[MAX_RUNS];
    printf("bench_load: %s, %d runs (each a fresh process, one thread), medians\n\n", lists, runs);
    printf("%-12s %-18s %9s %9s %9s %9s\n", "source", "format", "entities", "names", "wall ms",
           "cpu ms");
    const run_result *r0 = &res[0];
    int failures = 0;
    for (size_t s = 0; s < r0->n_sources; s++) {
        for (int i = 0; i < runs; i++) {
            v[i] = res[i].src[s].wall_ms;
            c[i] = res[i].src[s].cpu_ms;
        }
        const source_result *sr = &r0->src[s];
        if (sr->error[0]) {
            printf("%-12s %-18s FAILED: %s\n", sr->name, sr->format, sr->error);
            failures++;
            continue;
        }
        double mw = median(v, runs), mc = median(c, runs);
        printf("%-12s %-18s %9zu %9zu %9.1f %9.1f\n", sr->name, sr->format, sr->entities,
               sr->names, mw, mc);
    }
    for (int i = 0; i < runs; i++)
        v[i] = res[i].config_ms;
    printf("%-12s %-18s %9s %9s %9.2f\n", "(lists file)", "", "", "", median(v, runs));
    double lo = 1e300, hi = 0;
    for (int i = 0; i < runs; i++) {
        v[i] = res[i].total_wall_ms;
        c[i] = res[i].total_cpu_ms;
        lo = v[i] < lo ? v[i] : lo;
        hi = v[i] > hi ? v[i] : hi;
    }
    double tw = median(v, runs), tc = median(c, runs);
    printf("%-12s %-18s %9zu %9zu %9.1f %9.1f   (wall range %.1f .. %.1f)\n", "total", "",
           r0->entities, r0->names, tw, tc, lo, hi);
    for (int i = 0; i < runs; i++)
        v[i] = res[i].free_ms;
    printf("%-12s %-18s %9s %9s %9.1f\n", "(free)", "", "", "", median(v, runs));
    for (int i = 0; i < runs; i++) {
        v[i] = (double)res[i].rss_peak_kib;
        c[i] = (double)(res[i].rss_peak_kib - res[i].rss_before_kib);
    }
    printf("\npeak RSS %.1f MiB; growth over the process before loading %.1f MiB (ru_maxrss)\n",
           median(v, runs) / 1024, median(c, runs) / 1024);
    if (failures)
        printf("%d source(s) failed to load: the totals leave them out\n", failures);
    else
        printf("target: under 1000 ms on one core: %s by CPU time (%.0f ms), %s by wall time (%.0f ms)\n",
               tc < 1000 ? "met" : "NOT met", tc, tw < 1000 ? "met" : "not met", tw);
    return 0;
}
