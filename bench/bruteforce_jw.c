/*
 * bruteforce_jw.c — the baseline `cordon batch` is measured against: the
 * screening many systems still do, Jaro-Winkler between the customer's
 * name and every listed name, one by one. Names are case-folded and
 * NFKC-normalized with cordon_text_fold and stripped of punctuation;
 * a listed "SURNAME, Given" is also tried as "Given SURNAME". An entity
 * is an alert when its best name scores at least the threshold.
 *
 * It reads a customer file made by gen_customers (columns name and
 * truth), screens a sample (every --every'th row, plus the first
 * --planted planted rows), and prints rows/s on one thread, recall of
 * the planted rows (the true entity among the alerts) and alerts per
 * clean row. --rows-out writes the sampled row numbers, so that
 * bench_batch.sh can score cordon's output on exactly the same rows.
 *
 * usage: bruteforce_jw --index FILE --input FILE [--every N]
 *                      [--planted N] [--threshold X] [--rows-out FILE]
 */
#include "cordon/cordon.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void die(const char *msg)
{
    fprintf(stderr, "bruteforce_jw: %s\n", msg);
    exit(2);
}

/* Folded text with punctuation turned into spaces and runs of spaces
 * squeezed; malloc'd. */
static char *normalize(const char *s)
{
    char buf[4096];
    long n = cordon_text_fold(s, strlen(s), buf, sizeof buf);
    if (n < 0)
        n = 0;
    char *out = malloc((size_t)n + 1);
    if (!out)
        abort();
    size_t len = 0;
    bool space = true;
    for (long i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        bool sep = c < 0x80 && !isalnum(c);
        if (sep) {
            if (!space)
                out[len++] = ' ';
            space = true;
        } else {
            out[len++] = (char)c;
            space = false;
        }
    }
    while (len && out[len - 1] == ' ')
        len--;
    out[len] = '\0';
    return out;
}

/* Jaro-Winkler similarity of two byte strings (prefix scale 0.1, up
 * to 4 characters). */
static double jaro_winkler(const char *a, size_t la, const char *b, size_t lb)
{
    if (!la && !lb)
        return 1.0;
    if (!la || !lb)
        return 0.0;
    size_t window = (la > lb ? la : lb) / 2;
    window = window ? window - 1 : 0;
    unsigned char ma[512], mb[512];
    if (la > 512 || lb > 512)
        return 0.0;
    memset(ma, 0, la);
    memset(mb, 0, lb);
    size_t m = 0;
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > window ? i - window : 0, hi = i + window + 1 < lb ? i + window + 1 : lb;
        for (size_t j = lo; j < hi; j++)
            if (!mb[j] && a[i] == b[j]) {
                ma[i] = mb[j] = 1;
                m++;
                break;
            }
    }
    if (!m)
        return 0.0;
    size_t t = 0, k = 0;
    for (size_t i = 0; i < la; i++) {
        if (!ma[i])
            continue;
        while (!mb[k])
            k++;
        if (a[i] != b[k])
            t++;
        k++;
    }
    double md = (double)m;
    double jaro = (md / (double)la + md / (double)lb + (md - (double)t / 2.0) / md) / 3.0;
    size_t prefix = 0;
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix])
        prefix++;
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

typedef struct listed {
    char *text;
    size_t len;
    size_t entity;
} listed;

static listed *names;
static size_t n_names, cap_names;
static char **entity_ids;

static void add_name(const char *text, size_t entity)
{
    if (n_names == cap_names) {
        cap_names = cap_names ? cap_names * 2 : 65536;
        names = realloc(names, cap_names * sizeof *names);
        if (!names)
            abort();
    }
    char *t = normalize(text);
    names[n_names++] = (listed){t, strlen(t), entity};
}

static double now(void)
{
    struct timespec ts;
    /* CPU time: the machine may be shared, and the baseline runs on one
     * thread, so this is its speed per core */
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *index_path = NULL, *input = NULL, *rows_out = NULL;
    unsigned long every = 100, want_planted = 200;
    double threshold = 0.90;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--index") && i + 1 < argc)
            index_path = argv[++i];
        else if (!strcmp(argv[i], "--input") && i + 1 < argc)
            input = argv[++i];
        else if (!strcmp(argv[i], "--every") && i + 1 < argc)
            every = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--planted") && i + 1 < argc)
            want_planted = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--threshold") && i + 1 < argc)
            threshold = atof(argv[++i]);
        else if (!strcmp(argv[i], "--rows-out") && i + 1 < argc)
            rows_out = argv[++i];
        else
            die("usage: bruteforce_jw --index FILE --input FILE [--every N] [--planted N] "
                "[--threshold X] [--rows-out FILE]");
    }
    if (!index_path || !input || !every)
        die("--index and --input are required");

    cordon_index *idx;
    cordon_error err;
    if (cordon_index_open(index_path, &idx, &err) != 0)
        die(err.message);
    size_t n_entities = cordon_index_entity_count(idx);
    entity_ids = calloc(n_entities, sizeof *entity_ids);
    if (!entity_ids)
        abort();
    for (size_t i = 0; i < n_entities; i++) {
        cordon_entity *e;
        if (cordon_index_entity(idx, i, &e, &err) != 0)
            die(err.message);
        entity_ids[i] = strdup(e->id);
        for (size_t k = 0; k < e->n_names; k++) {
            const char *v = e->names[k].value;
            add_name(v, i);
            const char *comma = strchr(v, ',');
            if (comma && !strchr(comma + 1, ',')) {
                char swapped[2048];
                snprintf(swapped, sizeof swapped, "%s %.*s", comma + 1, (int)(comma - v), v);
                add_name(swapped, i);
            }
        }
        cordon_entity_free(e);
    }
    cordon_index_close(idx);

    int fd = open(input, O_RDONLY);
    if (fd < 0)
        die("cannot open the input");
    cordon_records *r;
    if (cordon_records_open(fd, NULL, input, &r, &err) != 0)
        die(err.message);
    FILE *ro = rows_out ? fopen(rows_out, "w") : NULL;
    if (rows_out && !ro)
        die("cannot write --rows-out");
    double *best = malloc(n_entities * sizeof *best);
    if (!best)
        abort();
    unsigned long rows = 0, planted = 0, found = 0, clean = 0, clean_alerts = 0, alerts = 0;
    double spent = 0;
    cordon_record rec;
    while (cordon_records_next(r, &rec, &err) == 1) {
        if (rec.error)
            continue;
        const cordon_field *nf = cordon_record_field(&rec, "name", 4);
        const cordon_field *tf = cordon_record_field(&rec, "truth", 5);
        bool is_planted = tf && tf->len;
        if (!nf || !(is_planted ? planted < want_planted : rec.number % every == 0))
            continue;
        if (ro)
            fprintf(ro, "%lu\n", rec.number);
        double t0 = now();
        char *q = normalize(nf->value);
        size_t ql = strlen(q);
        for (size_t i = 0; i < n_entities; i++)
            best[i] = 0;
        for (size_t i = 0; i < n_names; i++) {
            double s = jaro_winkler(q, ql, names[i].text, names[i].len);
            if (s > best[names[i].entity])
                best[names[i].entity] = s;
        }
        unsigned long hits = 0;
        bool hit_truth = false;
        for (size_t i = 0; i < n_entities; i++) {
            if (best[i] < threshold)
                continue;
            hits++;
            if (is_planted && !strcmp(entity_ids[i], tf->value))
                hit_truth = true;
        }
        free(q);
        spent += now() - t0;
        rows++;
        alerts += hits;
        if (is_planted) {
            planted++;
            found += hit_truth;
        } else {
            clean++;
            clean_alerts += hits;
        }
    }
    cordon_records_close(r);
    close(fd);
    if (ro)
        fclose(ro);
    printf("bruteforce_jw: %lu rows (%lu planted, %lu clean) against %zu listed names, "
           "threshold %.2f\n",
           rows, planted, clean, n_names, threshold);
    printf("  %.1f rows per CPU second, one thread (%.2f ms of CPU a row)\n", spent > 0 ? rows / spent : 0,
           rows ? spent * 1000 / rows : 0);
    printf("  recall of planted rows: %lu/%lu = %.3f\n", found, planted,
           planted ? (double)found / planted : 0);
    printf("  alerts per clean row: %.2f; alerts per row: %.2f\n",
           clean ? (double)clean_alerts / clean : 0, rows ? (double)alerts / rows : 0);
    return 0;
}
