/*
 * bench_shipment.c — how fast trade-control screening is (not a timed
 * test; numbers go to the report and docs):
 *
 *  - loading the rules file with its includes;
 *  - parsing and screening the acceptance shipment (two parties, one
 *    goods line) against the default snapshot, per shipment, in CPU
 *    time, p50 and p99;
 *  - a large manifest: 4,096 goods lines described without HS codes
 *    (keywords only) bound for the DPRK, per line.
 *
 * usage: bench_shipment [--index FILE] [--rules FILE] [--runs N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cordon/cordon.h"

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    fclose(f);
    return buf;
}

static void die(const char *what, const cordon_error *err)
{
    char buf[1200];
    fprintf(stderr, "bench_shipment: %s: %s\n", what, cordon_error_format(err, buf, sizeof buf));
    exit(1);
}

int main(int argc, char **argv)
{
    const char *index_path = "build/default.cordon", *rules_path = "data/rules/rules.json";
    int runs = 2000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--index"))
            index_path = argv[i + 1];
        else if (!strcmp(argv[i], "--rules"))
            rules_path = argv[i + 1];
        else if (!strcmp(argv[i], "--runs"))
            runs = atoi(argv[i + 1]) > 0 ? atoi(argv[i + 1]) : runs;
    }
    cordon_error err;
    cordon_rules *rules = NULL;
    double t0 = cpu_now();
    if (cordon_rules_read(rules_path, &rules, &err))
        die(rules_path, &err);
    printf("rules: %zu rules loaded in %.2f ms\n", cordon_rules_count(rules),
           (cpu_now() - t0) * 1e3);
    cordon_index *idx = NULL;
    if (cordon_index_open(index_path, &idx, &err))
        die(index_path, &err);

    char *text = slurp("tests/shipment/acceptance_kim/input.json");
    if (!text) {
        fprintf(stderr, "bench_shipment: run from the repository root\n");
        return 1;
    }
    double *t = malloc((size_t)runs * sizeof *t);
    for (int i = 0; i < runs; i++) {
        double a = cpu_now();
        cordon_shipment *s = NULL;
        cordon_shipment_result *r = NULL;
        if (cordon_shipment_parse(rules, text, strlen(text), "acceptance", &s, &err))
            die("parse", &err);
        if (cordon_shipment_screen(idx, rules, s, NULL, &r, &err))
            die("screen", &err);
        char *j = cordon_shipment_result_json(r);
        t[i] = cpu_now() - a;
        cordon_free(j);
        cordon_shipment_result_free(r);
        cordon_shipment_free(s);
    }
    qsort(t, (size_t)runs, sizeof *t, cmp);
    printf("acceptance shipment (2 parties, 1 goods line): p50 %.0f us, p99 %.0f us per "
           "shipment (parse, screen, JSON), %d runs\n",
           t[runs / 2] * 1e6, t[runs * 99 / 100] * 1e6, runs);
    free(text);
    free(t);

    /* a large manifest: descriptions only */
    static const char *const descs[] = {
        "Used Maybach sedan, black", "2 x Rolls-Royce Phantom", "Lexus LX 570 SUVs",
        "Gold necklaces set with diamonds", "Rolex Daytona wristwatches",
        "Hand-knotted silk carpets", "machine parts: gearbox housings and bearings",
        "Assorted household goods, kitchen utensils and textiles"};
    size_t n_lines = 4096, cap = n_lines * 120 + 1024, len = 0;
    char *big = malloc(cap);
    len += (size_t)snprintf(big + len, cap - len,
                            "{\"parties\":[{\"role\":\"shipper\",\"name\":\"Harbour Lights "
                            "General Trading\"},{\"role\":\"consignee\",\"name\":\"Paektusan "
                            "Commercial Company\"}],\"destination\":\"Nampo\",\"goods\":[");
    for (size_t i = 0; i < n_lines; i++)
        len += (size_t)snprintf(big + len, cap - len,
                                "%s{\"description\":\"%s\",\"value\":%zu,\"currency\":\"USD\"}",
                                i ? "," : "", descs[i % 8], 1000 + i);
    len += (size_t)snprintf(big + len, cap - len, "]}");
    double a = cpu_now();
    cordon_shipment *s = NULL;
    cordon_shipment_result *r = NULL;
    if (cordon_shipment_parse(rules, big, len, "manifest", &s, &err))
        die("parse manifest", &err);
    double b = cpu_now();
    if (cordon_shipment_screen(idx, rules, s, NULL, &r, &err))
        die("screen manifest", &err);
    double c = cpu_now();
    printf("manifest of %zu goods lines without codes (%zu KiB): parse %.1f ms, screen %.1f ms "
           "(%.1f us per line), %zu reasons, decision %s\n",
           n_lines, len / 1024, (b - a) * 1e3, (c - b) * 1e3, (c - b) * 1e6 / (double)n_lines,
           r->n_reasons, cordon_action_name(r->decision));
    cordon_shipment_result_free(r);
    cordon_shipment_free(s);
    free(big);
    cordon_index_close(idx);
    cordon_rules_free(rules);
    return 0;
}
