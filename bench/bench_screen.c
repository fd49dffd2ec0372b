/*
 * bench_screen.c — how fast cordon screens (not a timed test; numbers go
 * to the README):
 *
 *  - load, index build, snapshot write and snapshot open times;
 *  - single-thread latency per query (p50, p99, max) over a mixed set:
 *    listed names with a typo, non-listed people in many scripts, and
 *    cross-script renderings;
 *  - side by side, the same queries through a brute-force Jaro-Winkler
 *    over every listed name (normalized text), in C: the speed ratio, and
 *    top-1 recall of both on the queries whose answer is known;
 *  - retrieval against brute force with cordon's own scorer (every name
 *    scored): do the two give the same matches?
 *  - resident memory of a process that opened the snapshot and screened.
 *
 * The screening half runs in a child process (`--run SNAPSHOT`) so its
 * memory is measured without the dataset and builder.
 *
 * usage: bench_screen [--lists FILE] [--shared DIR] [--queries N]
 *        bench_screen --run SNAPSHOT --loops N [--shared DIR] [--queries N]
 *   --loops N  only the latency pass, N times over (for profilers and
 *              side-by-side CPU comparisons); no brute force
 */
#include "index_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of this thread: what a query costs, whatever else the
 * machine is running. */
static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, const cordon_error *err)
{
    char buf[1200];
    fprintf(stderr, "bench_screen: %s: %s\n", what, cordon_error_format(err, buf, sizeof buf));
    exit(2);
}

static long rss_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t fl = strlen(field);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, field, fl))
            v = atol(line + fl + 1);
    if (f)
        fclose(f);
    return v;
}

static const char *loadavg(void)
{
    static char buf[64];
    FILE *f = fopen("/proc/loadavg", "r");
    if (!f || !fgets(buf, sizeof buf, f))
        snprintf(buf, sizeof buf, "?");
    if (f)
        fclose(f);
    buf[strcspn(buf, " ")] = '\0';
    return buf;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* ---- queries ------------------------------------------------------------------ */

typedef struct query {
    char *name;
    uint32_t target; /* entity the query stands for, or CX_NONE */
} query;

/* A deterministic typo: swap two inner letters of the longest word. */
static char *typo(const char *s, unsigned k)
{
    char *t = strdup(s);
    size_t best = 0, blen = 0, i = 0;
    while (t[i]) {
        size_t j = i;
        while (t[j] && t[j] != ' ' && t[j] != ',')
            j++;
        if (j - i > blen) {
            blen = j - i;
            best = i;
        }
        i = t[j] ? j + 1 : j;
    }
    if (blen >= 5) {
        size_t p = best + 1 + k % (blen - 3);
        if ((unsigned char)t[p] < 0x80 && (unsigned char)t[p + 1] < 0x80) {
            char c = t[p];
            t[p] = t[p + 1];
            t[p + 1] = c;
        }
    }
    return t;
}

static size_t make_queries(const cordon_index *idx, const char *shared, size_t want, query **out)
{
    query *q = calloc(want + 16, sizeof *q);
    size_t n = 0;
    /* 50%: listed names of every list, one typo each */
    size_t listed = want / 2;
    uint32_t step = idx->meta->n_names / (uint32_t)(listed ? listed : 1);
    for (uint32_t nm = 0; nm < idx->meta->n_names && n < listed; nm += step ? step : 1) {
        const cx_name *name = &idx->names[nm];
        if (!name->n_tokens)
            continue;
        q[n].name = typo(idx->strings + name->value, nm);
        q[n].target = name->entity;
        n++;
    }
    /* 35%: non-listed people, many scripts */
    char path[1024];
    snprintf(path, sizeof path, "%s/eval/negatives/validation_negatives_global_1k.csv", shared);
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    size_t negs = want * 35 / 100;
    while (f && n < listed + negs && getline(&line, &cap, f) > 0) {
        char *comma = strchr(line, ',');
        if (!comma || !strncmp(line, "full_name", 9))
            continue;
        *comma = '\0';
        q[n].name = strdup(line);
        q[n].target = CX_NONE;
        n++;
    }
    if (f)
        fclose(f);
    /* 15%: Korean and Hebrew renderings of people's names */
    const char *wd[] = {"wd_korean", "wd_hebrew"};
    for (size_t k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s/eval/wikidata_transliteration/%s", shared, wd[k]);
        f = fopen(path, "r");
        size_t lim = n + (want - n) / (2 - k), ln = 0;
        while (f && n < lim && getline(&line, &cap, f) > 0) {
            if (ln++ % 50)
                continue;
            char *tab = strchr(line, '\t');
            if (!tab)
                continue;
            tab[1 + strcspn(tab + 1, "\r\n")] = '\0';
            q[n].name = strdup(tab + 1);
            q[n].target = CX_NONE;
            n++;
        }
        if (f)
            fclose(f);
    }
    free(line);
    *out = q;
    return n;
}

/* ---- brute force --------------------------------------------------------------- */

typedef struct bf {
    char **norm;     /* normalized text of every listed name */
    uint32_t *entity;
    size_t n;
} bf;

static void bf_init(const cordon_index *idx, bf *b)
{
    b->n = idx->meta->n_names;
    b->norm = calloc(b->n, sizeof *b->norm);
    b->entity = calloc(b->n, sizeof *b->entity);
    for (size_t i = 0; i < b->n; i++) {
        const char *v = idx->strings + idx->names[i].value;
        cordon_name_analysis *an;
        cordon_error err;
        b->entity[i] = idx->names[i].entity;
        if (cordon_name_analyze(v, strlen(v), 0, &an, &err) == 0) {
            b->norm[i] = strdup(an->normalized);
            cordon_name_analysis_free(an);
        } else {
            b->norm[i] = strdup("");
        }
    }
}

/* The entity of the best Jaro-Winkler name, and its score. */
static uint32_t bf_query(const bf *b, const char *q, double *score)
{
    cordon_name_analysis *an;
    cordon_error err;
    *score = 0;
    if (cordon_name_analyze(q, strlen(q), 0, &an, &err) != 0)
        return CX_NONE;
    size_t ql = strlen(an->normalized);
    uint32_t best = CX_NONE;
    for (size_t i = 0; i < b->n; i++) {
        double s = cordon__jaro_winkler(an->normalized, ql, b->norm[i], strlen(b->norm[i]));
        if (s > *score) {
            *score = s;
            best = b->entity[i];
        }
    }
    cordon_name_analysis_free(an);
    return best;
}

/* ---- the screening half ---------------------------------------------------------- */

static int run(const char *snapshot, const char *shared, size_t want, int loops)
{
    cordon_error err;
    cordon_index *idx;
    double opens[5];
    for (int i = 0; i < 5; i++) {
        double t0 = now();
        if (cordon_index_open(snapshot, &idx, &err))
            die("open", &err);
        opens[i] = now() - t0;
        if (i < 4)
            cordon_index_close(idx);
    }
    qsort(opens, 5, sizeof opens[0], cmp_double);
    printf("snapshot open: %.2f ms (median of 5; first %.2f ms)\n", opens[2] * 1e3, opens[0] * 1e3);
    query *qs;
    size_t nq = make_queries(idx, shared, want, &qs);
    double thr = cordon_default_threshold(CORDON_ALGORITHM_DEFAULT);
    /* warm up: a first pass pays for ICU's transliterators of each script
     * and for page faults; the second pass is timed */
    for (size_t i = 0; i < nq; i++) {
        cordon_query q = {.name = qs[i].name, .name_len = strlen(qs[i].name)};
        cordon_result *r;
        if (cordon_screen(idx, &q, NULL, &r, &err) == 0)
            cordon_result_free(r);
    }
    double *lat = calloc(nq, sizeof *lat), *cpu = calloc(nq, sizeof *cpu);
    size_t known = 0, hit = 0, matched_q = 0, errors = 0;
    double total = 0;
    for (int l = 1; l < loops; l++)
        for (size_t i = 0; i < nq; i++) {
            cordon_query q = {.name = qs[i].name, .name_len = strlen(qs[i].name)};
            cordon_result *r;
            if (cordon_screen(idx, &q, NULL, &r, &err) == 0)
                cordon_result_free(r);
        }
    for (size_t i = 0; i < nq; i++) {
        cordon_query q = {.name = qs[i].name, .name_len = strlen(qs[i].name)};
        cordon_result *r = NULL;
        double t0 = now(), c0 = cpu_now();
        int rc = cordon_screen(idx, &q, NULL, &r, &err);
        lat[i] = now() - t0;
        cpu[i] = cpu_now() - c0;
        total += lat[i];
        if (rc) {
            errors++;
            continue;
        }
        matched_q += r->n_matches > 0;
        if (qs[i].target != CX_NONE) {
            known++;
            /* the target, or an entity of another list that scores the same */
            for (size_t k = 0; k < r->n_matches && r->matches[k].score == r->matches[0].score; k++)
                if (r->matches[k].entity == qs[i].target) {
                    hit++;
                    break;
                }
        }
        cordon_result_free(r);
    }
    double *sorted = malloc(nq * sizeof *sorted);
    memcpy(sorted, lat, nq * sizeof *sorted);
    qsort(sorted, nq, sizeof *sorted, cmp_double);
    printf("queries: %zu (%zu listed names with a typo, %zu non-listed people in many scripts "
           "and cross-script renderings); %zu errors\n",
           nq, known, nq - known, errors);
    printf("cordon latency, one thread, wall: p50 %.1f us, p99 %.1f us, max %.1f us, mean %.1f "
           "us\n",
           sorted[nq / 2] * 1e6, sorted[nq * 99 / 100] * 1e6, sorted[nq - 1] * 1e6,
           total / (double)nq * 1e6);
    memcpy(sorted, cpu, nq * sizeof *sorted);
    qsort(sorted, nq, sizeof *sorted, cmp_double);
    printf("cordon latency, one thread, CPU time: p50 %.1f us, p99 %.1f us, max %.1f us "
           "(load average while measuring: %s)\n",
           sorted[nq / 2] * 1e6, sorted[nq * 99 / 100] * 1e6, sorted[nq - 1] * 1e6, loadavg());
    {
        /* CPU p50 by kind of query */
        double *a = malloc(nq * sizeof *a), *b2 = malloc(nq * sizeof *b2);
        size_t na = 0, nb = 0;
        for (size_t i = 0; i < nq; i++) {
            if (qs[i].target != CX_NONE)
                a[na++] = cpu[i];
            else
                b2[nb++] = cpu[i];
        }
        qsort(a, na, sizeof *a, cmp_double);
        qsort(b2, nb, sizeof *b2, cmp_double);
        printf("  CPU p50 by kind: listed names with a typo %.1f us, others %.1f us\n",
               na ? a[na / 2] * 1e6 : 0, nb ? b2[nb / 2] * 1e6 : 0);
        free(a);
        free(b2);
    }
    printf("cordon top-1 recall on listed names with a typo (threshold %.2f): %.4f (%zu/%zu)\n",
           thr, known ? (double)hit / (double)known : 0, hit, known);
    if (loops > 0) {
        cordon_index_close(idx);
        return 0;
    }

    /* brute-force Jaro-Winkler */
    bf b;
    bf_init(idx, &b);
    size_t bf_n = nq < 400 ? nq : 400, bf_known = 0, bf_hit = 0;
    double bf_total = 0, c_total = 0;
    for (size_t i = 0; i < bf_n; i++) {
        size_t k = i * nq / bf_n;
        double s, t0 = cpu_now();
        uint32_t e = bf_query(&b, qs[k].name, &s);
        bf_total += cpu_now() - t0; /* CPU time on both sides: the ratio holds under load */
        c_total += cpu[k];
        if (qs[k].target != CX_NONE) {
            bf_known++;
            bf_hit += e == qs[k].target && s >= 0.90;
        }
    }
    printf("brute-force Jaro-Winkler over %zu names: mean %.1f us CPU per query (%zu queries); "
           "cordon is %.0fx faster on the same queries (CPU time)\n",
           b.n, bf_total / (double)bf_n * 1e6, bf_n, bf_total / (c_total > 0 ? c_total : 1));
    printf("brute-force Jaro-Winkler top-1 recall on listed names with a typo (JW >= 0.90): "
           "%.4f (%zu/%zu)\n",
           bf_known ? (double)bf_hit / (double)bf_known : 0, bf_hit, bf_known);

    /* retrieval against every name scored by the same scorer */
    size_t ex_n = nq < 150 ? nq : 150, same = 0, want_m = 0, got_m = 0;
    double ex_total = 0;
    for (size_t i = 0; i < ex_n; i++) {
        size_t k = i * nq / ex_n;
        cordon_query q = {.name = qs[k].name, .name_len = strlen(qs[k].name)};
        cordon_screen_options o = {.limit = CORDON_SCREEN_MAX_LIMIT};
        cordon_result *r1 = NULL, *r2 = NULL;
        cx_screen_ext ext = {CX_NONE, 1};
        double t0 = now();
        int rc2 = cordon__screen_ext(idx, &q, &o, &ext, &r2, &err);
        ex_total += now() - t0;
        if (cordon_screen(idx, &q, &o, &r1, &err) != 0 || rc2 != 0) {
            cordon_result_free(r1);
            cordon_result_free(r2);
            continue;
        }
        int eq = r1->n_matches == r2->n_matches;
        for (size_t m = 0; m < r2->n_matches; m++) {
            want_m++;
            for (size_t j = 0; j < r1->n_matches; j++)
                if (r1->matches[j].entity == r2->matches[m].entity &&
                    r1->matches[j].score == r2->matches[m].score) {
                    got_m++;
                    break;
                }
        }
        if (eq)
            for (size_t m = 0; m < r2->n_matches; m++)
                eq &= r1->matches[m].entity == r2->matches[m].entity &&
                      r1->matches[m].score == r2->matches[m].score;
        same += eq;
        cordon_result_free(r1);
        cordon_result_free(r2);
    }
    printf("retrieval vs every name scored (cordon's scorer, %zu queries): identical results for "
           "%zu; %zu/%zu brute-force matches found (recall %.4f); brute force takes %.1f ms per "
           "query\n",
           ex_n, same, got_m, want_m, want_m ? (double)got_m / (double)want_m : 1.0,
           ex_total / (double)ex_n * 1e3);
    printf("resident memory after opening and screening: %ld KB (peak %ld KB)\n", rss_kb("VmRSS"),
           rss_kb("VmHWM"));
    cordon_index_close(idx);
    return 0;
}

int main(int argc, char **argv)
{
    const char *lists = "data/lists.conf", *shared = "../shared/data", *snap = NULL;
    size_t want = 2000;
    int loops = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--lists"))
            lists = argv[i + 1];
        else if (!strcmp(argv[i], "--shared"))
            shared = argv[i + 1];
        else if (!strcmp(argv[i], "--queries"))
            want = (size_t)atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--run"))
            snap = argv[i + 1];
        else if (!strcmp(argv[i], "--loops"))
            loops = atoi(argv[i + 1]);
    }
    if (snap)
        return run(snap, shared, want, loops);
    cordon_error err;
    cordon_config *cfg;
    double t0 = now();
    if (cordon_config_read(lists, &cfg, &err))
        die("read the lists", &err);
    cordon_dataset *ds = cordon_dataset_new();
    if (cordon_dataset_load_config(ds, cfg, &err))
        die("load the lists", &err);
    cordon_config_free(cfg);
    double t1 = now();
    cordon_index *idx;
    if (cordon_index_build(ds, &idx, &err))
        die("build the index", &err);
    double t2 = now();
    char path[] = "/tmp/cordon-bench-screen-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    if (cordon_index_write(idx, path, &err))
        die("write the snapshot", &err);
    double t3 = now();
    printf("default bundle: %zu entities, %zu names; load %.2f s, index build %.2f s, snapshot "
           "write %.2f s\n",
           cordon_index_entity_count(idx), cordon_index_name_count(idx), t1 - t0, t2 - t1, t3 - t2);
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    printf("snapshot size: %.1f MB\n", (double)ftell(f) / 1e6);
    fclose(f);
    cordon_index_close(idx);
    cordon_dataset_free(ds);
    fflush(stdout);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' --run '%s' --shared '%s' --queries %zu", argv[0], path,
             shared, want);
    int rc = system(cmd);
    unlink(path);
    return rc == 0 ? 0 : 1;
}
