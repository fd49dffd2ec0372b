/*
 * bench_search_cpu.c — what one GET /search costs outside HTTP, in CPU
 * time of one thread (not a timed test; bench/bench_server.sh runs it on
 * the names it sends the server, to split the server's CPU per request
 * into engine and the rest): for each name, cordon_screen, then
 * cordon_result_json (the response body), then the audit record
 * (cordon_audit_record_screen, built by the request thread; the writer
 * thread's share is measured by bench_server.sh). Every name is screened
 * twice and the second pass counted, so that the figures are of warm
 * caches, as in a server that has been running.
 *
 * usage: bench_search_cpu [SNAPSHOT [NAMES]]
 *   SNAPSHOT  default build/default.cordon
 *   NAMES     one name a line; default: every 15th primary name of the
 *             bundled OFAC SDN file
 */
#include "cordon/cordon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The names: one a line, or the second field of every 15th CSV row. */
static char **read_names(const char *path, int sdn, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char **v = NULL, line[4096];
    size_t cap = 0, row = 0;
    *n = 0;
    while (fgets(line, sizeof line, f)) {
        char *s = line;
        if (sdn) {
            char *a = row++ % 15 == 14 ? strchr(line, '"') : NULL;
            char *b = a ? strchr(a + 1, '"') : NULL;
            if (!b)
                continue;
            *b = '\0';
            s = a + 1;
        }
        s[strcspn(s, "\r\n")] = '\0';
        if (!*s)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            char **w = realloc(v, cap * sizeof *v);
            if (!w)
                exit(2);
            v = w;
        }
        if (!(v[(*n)++] = strdup(s)))
            exit(2);
    }
    fclose(f);
    return v;
}

static void report(const char *what, double *t, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += t[i];
    qsort(t, n, sizeof *t, cmp_double);
    printf("  %-26s mean %7.1f us  p50 %7.1f us  p99 %8.1f us\n", what, sum / (double)n * 1e6,
           t[n / 2] * 1e6, t[n * 99 / 100] * 1e6);
}

int main(int argc, char **argv)
{
    const char *snap = argc > 1 ? argv[1] : "build/default.cordon";
    const char *names = argc > 2 ? argv[2] : "data/lists/ofac_sdn/sdn_csv_2024-05-03/sdn.csv";
    cordon_index *idx = NULL;
    cordon_error err;
    if (cordon_index_open(snap, &idx, &err) != 0) {
        char buf[1200];
        fprintf(stderr, "bench_search_cpu: %s\n", cordon_error_format(&err, buf, sizeof buf));
        return 2;
    }
    size_t n = 0;
    char **q = read_names(names, argc <= 2, &n);
    if (!q || !n) {
        fprintf(stderr, "bench_search_cpu: no names in %s\n", names);
        return 2;
    }
    double *ts = calloc(n, sizeof *ts), *tj = calloc(n, sizeof *tj), *ta = calloc(n, sizeof *ta),
           *tt = calloc(n, sizeof *tt);
    if (!ts || !tj || !ta || !tt)
        return 2;
    size_t bytes = 0, failed = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            cordon_query query = {.name = q[i], .name_len = strlen(q[i])};
            cordon_screen_options o = {0};
            cordon_result *r = NULL;
            double t0 = cpu_now();
            if (cordon_screen(idx, &query, &o, &r, &err) != 0) {
                failed += pass;
                continue;
            }
            double t1 = cpu_now();
            char *json = cordon_result_json(r);
            double t2 = cpu_now();
            cordon_audit_record *rec = NULL;
            if (cordon_audit_record_screen("search", "bench", &query, &o, idx, r,
                                           "{\"endpoint\":\"/search\"}", &rec, &err) != 0)
                return 2;
            cordon_audit_record_free(rec);
            double t3 = cpu_now();
            if (pass) {
                bytes += json ? strlen(json) : 0;
                ts[i] = t1 - t0;
                tj[i] = t2 - t1;
                ta[i] = t3 - t2;
                tt[i] = t3 - t0;
            }
            cordon_free(json);
            cordon_result_free(r);
        }
    printf("== CPU per query, one thread, no HTTP: %zu names (%zu refused), %s\n", n, failed,
           snap);
    report("screening (cordon_screen)", ts, n);
    report("result JSON", tj, n);
    report("audit record (build)", ta, n);
    report("all three", tt, n);
    printf("  response body: %zu bytes on average\n", bytes / n);
    for (size_t i = 0; i < n; i++)
        free(q[i]);
    free(q);
    free(ts);
    free(tj);
    free(ta);
    free(tt);
    cordon_index_close(idx);
    return 0;
}
