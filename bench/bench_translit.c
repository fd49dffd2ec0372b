/*
 * bench_translit.c — do the keys of a name in its native script meet the
 * keys of its Latin spelling? Runs over the Wikidata transliteration
 * pairs (CC0) in ../shared/data/eval/wikidata_transliteration, or the
 * directory given as argv[1], and reports per script the share of pairs
 * that meet:
 *   exact   a shared romanized form or Double Metaphone key for every token
 *   loose   ... or, for some tokens, equal loose consonant-class keys
 *   fuzzy   ... or forms within a small edit distance (1 from 4 letters,
 *           2 from 8) or loose keys one edit apart
 * (cordon__names_meet in lib/name.c). It also times cordon_name_analyze
 * (CPU time, since the machine may be shared): per pair over the data
 * sets, where most tokens are new, and per call on a few fixed names,
 * where the token cache is warm. `-v SCRIPT` prints the pairs of that
 * script that fail; `-n N` stops after N pairs per script.
 *
 * Files: wd_hebrew and wd_korean hold full names ("Latin TAB native");
 * wd_{arabic,russian,chinese,katakana}_20 hold single name tokens with
 * the native characters space-separated and a count.
 */
#include "name_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: the machine is shared */
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct stats {
    size_t pairs, exact, loose, fuzzy, errors;
    size_t shuffled, f_exact, f_loose, f_fuzzy; /* mismatched pairs that meet anyway */
    double native_s, latin_s;
} stats;

/* Kept for the mismatched-pair check: the first SHUF pairs. */
#define SHUF 2000
static char *keep_latin[SHUF], *keep_native[SHUF];

static const char *verbose;

static int run(const char *dir, const char *file, const char *label, int tokens, size_t limit, stats *st)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "bench_translit: cannot open %s\n", path);
        return -1;
    }
    char line[4096];
    memset(st, 0, sizeof *st);
    while (fgets(line, sizeof line, f) && (!limit || st->pairs < limit)) {
        size_t n = strcspn(line, "\r\n");
        line[n] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        char *latin = line, *native = tab + 1;
        char *tab2 = strchr(native, '\t');
        if (tab2)
            *tab2 = '\0';
        char joined[4096];
        if (tokens) { /* "п у т и н" -> "путин" */
            size_t k = 0;
            for (char *p = native; *p && k + 1 < sizeof joined; p++)
                if (*p != ' ')
                    joined[k++] = *p;
            joined[k] = '\0';
            native = joined;
        }
        cordon_name_analysis *a = NULL, *b = NULL;
        double t0 = now();
        int ra = cordon_name_analyze(latin, strlen(latin), CORDON_SCHEMA_PERSON, &a, NULL);
        double t1 = now();
        int rb = cordon_name_analyze(native, strlen(native), CORDON_SCHEMA_PERSON, &b, NULL);
        double t2 = now();
        st->latin_s += t1 - t0;
        st->native_s += t2 - t1;
        st->pairs++;
        if (ra || rb) {
            st->errors++;
        } else {
            cordon__meet m = cordon__names_meet(a, b);
            st->exact += m >= CORDON__MEET_EXACT;
            st->loose += m >= CORDON__MEET_LOOSE;
            st->fuzzy += m >= CORDON__MEET_FUZZY;
            if (verbose && strcmp(verbose, label) == 0 && (int)m < (getenv("BENCH_LEVEL") ? atoi(getenv("BENCH_LEVEL")) : (int)CORDON__MEET_FUZZY))
                printf("MISS %s\t%s\t%s\t%s\n", latin, native, a->normalized, b->normalized);
        }
        cordon_name_analysis_free(a);
        cordon_name_analysis_free(b);
        if (st->pairs <= SHUF) {
            keep_latin[st->pairs - 1] = strdup(latin);
            keep_native[st->pairs - 1] = strdup(native);
        }
    }
    fclose(f);
    /* Precision: each Latin name against the native name of another
     * pair (the next one) should not meet. */
    size_t k = st->pairs < SHUF ? st->pairs : SHUF;
    for (size_t i = 0; i + 1 < k; i++) {
        cordon_name_analysis *a = NULL, *b = NULL;
        if (cordon_name_analyze(keep_latin[i], strlen(keep_latin[i]), CORDON_SCHEMA_PERSON, &a, NULL) == 0 &&
            cordon_name_analyze(keep_native[i + 1], strlen(keep_native[i + 1]), CORDON_SCHEMA_PERSON, &b, NULL) ==
                0) {
            cordon__meet m = cordon__names_meet(a, b);
            st->shuffled++;
            st->f_exact += m >= CORDON__MEET_EXACT;
            st->f_loose += m >= CORDON__MEET_LOOSE;
            st->f_fuzzy += m >= CORDON__MEET_FUZZY;
        }
        cordon_name_analysis_free(a);
        cordon_name_analysis_free(b);
    }
    for (size_t i = 0; i < k; i++) {
        free(keep_latin[i]);
        free(keep_native[i]);
        keep_latin[i] = keep_native[i] = NULL;
    }
    return 0;
}

static double pct(size_t a, size_t b) { return b ? 100.0 * (double)a / (double)b : 0.0; }

int main(int argc, char **argv)
{
    const char *dir = "../shared/data/eval/wikidata_transliteration";
    size_t limit = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-v") && i + 1 < argc)
            verbose = argv[++i];
        else if (!strcmp(argv[i], "-n") && i + 1 < argc)
            limit = (size_t)strtoul(argv[++i], NULL, 10);
        else
            dir = argv[i];
    }
    static const struct { const char *file, *label; int tokens; const char *target; } sets[] = {
        {"wd_russian_20", "cyrillic", 1, ">= 95%"},
        {"wd_korean", "hangul", 0, ">= 90%"},
        {"wd_hebrew", "hebrew", 0, ">= 80%"},
        {"wd_arabic_20", "arabic", 1, ">= 80%"},
        {"wd_katakana_20", "katakana", 1, ">= 80%"},
        {"wd_chinese_20", "han", 1, ">= 60%"},
    };
    /* Load every ICU transform once (Han-Latin alone takes ~0.4 s to
     * open) so that the per-pair times below are steady-state. */
    static const char *const warm[] = {"путин", "김정은", "习近平", "プーチン", "محمد", "פרס", "τσίπρας"};
    for (size_t i = 0; i < sizeof warm / sizeof warm[0]; i++) {
        cordon_name_analysis *w = NULL;
        if (cordon_name_analyze(warm[i], strlen(warm[i]), CORDON_SCHEMA_PERSON, &w, NULL) == 0)
            cordon_name_analysis_free(w);
    }
    printf("%-9s %7s %8s %8s %8s %7s %12s %12s  target\n", "script", "pairs", "exact", "+loose", "+fuzzy", "errors",
           "us/native", "us/latin");
    int rc = 0;
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        stats st;
        if (run(dir, sets[i].file, sets[i].label, sets[i].tokens, limit, &st)) {
            rc = 1;
            continue;
        }
        printf("%-9s %7zu %7.1f%% %7.1f%% %7.1f%% %7zu %12.2f %12.2f  %s\n", sets[i].label, st.pairs,
               pct(st.exact, st.pairs), pct(st.loose, st.pairs), pct(st.fuzzy, st.pairs), st.errors,
               st.pairs ? st.native_s * 1e6 / (double)st.pairs : 0, st.pairs ? st.latin_s * 1e6 / (double)st.pairs : 0,
               sets[i].target);
        printf("%-9s %7zu %7.1f%% %7.1f%% %7.1f%%   (mismatched pairs that meet)\n", "", st.shuffled,
               pct(st.f_exact, st.shuffled), pct(st.f_loose, st.shuffled), pct(st.f_fuzzy, st.shuffled));
        fflush(stdout);
    }

    /* Time per call on fixed names, warm caches. */
    static const char *const timed[][2] = {
        {"ascii", "Vladimir Vladimirovich PUTIN"},
        {"ascii", "KIM, Jong Un"},
        {"latin", "Müller-Lüdenscheidt, Jürgen"},
        {"cyrillic", "Путин Владимир Владимирович"},
        {"hangul", "김정은"},
        {"arabic", "محمد بن سلمان"},
        {"han", "习近平"},
        {"org", "ООО «Газпром нефть»"},
    };
    printf("\n%-9s %-34s %10s\n", "kind", "name", "us/call");
    for (size_t i = 0; i < sizeof timed / sizeof timed[0]; i++) {
        const char *s = timed[i][1];
        size_t reps = 20000;
        cordon_name_analysis *a = NULL;
        if (cordon_name_analyze(s, strlen(s), CORDON_SCHEMA_UNKNOWN, &a, NULL) == 0) /* warm up */
            cordon_name_analysis_free(a);
        double t0 = now();
        for (size_t r = 0; r < reps; r++) {
            if (cordon_name_analyze(s, strlen(s), CORDON_SCHEMA_UNKNOWN, &a, NULL) == 0)
                cordon_name_analysis_free(a);
        }
        printf("%-9s %-34s %10.2f\n", timed[i][0], s, (now() - t0) * 1e6 / (double)reps);
    }
    cordon__translit_cleanup();
    return rc;
}
