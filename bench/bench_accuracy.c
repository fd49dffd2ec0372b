/*
 * bench_accuracy.c — how well cordon matches, on real data (not a timed
 * test; numbers go to the README and docs/SCORING.md):
 *
 *  1. Alias recall: every alias (not primary name) of the OFAC SDN and UN
 *     lists in the default bundle is screened with that very name left
 *     out of the index; it counts when its entity scores at or above the
 *     threshold and ranks first among the entities of its own list (a
 *     duplicate of the same person on another list is a correct hit).
 *  2. Cross-script: Wikidata person names (Korean and Hebrew full names;
 *     Russian, Arabic, Chinese and Japanese name tokens) — the English
 *     forms become a list, the native-script forms are screened; top-1.
 *  3. False alerts: the 2,000 synthetic non-listed people of
 *     ../shared/data/eval/negatives screened against the default bundle,
 *     by name alone, and as screening runs in practice: a person with
 *     their birth date and nationality.
 *  4. OFAC parity: mean absolute error on the 170 OFAC triples.
 *
 * Every query runs once at a low threshold and keeps the target's score
 * and the best competing score, so one run gives the figures at every
 * threshold of the sweep.
 *
 * usage: bench_accuracy [--lists FILE] [--shared DIR] [--sample N] [--baseline K]
 *   --sample N    every Nth alias only
 *   --baseline K  also a brute-force Jaro-Winkler on every (N x K)th alias
 */
#include "index_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOW 0.60
static const double sweep[] = {0.75, 0.78, 0.80, 0.82, 0.84, 0.85, 0.86, 0.88, 0.90, 0.92, 0.95};
#define NSWEEP (sizeof sweep / sizeof sweep[0])

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, const cordon_error *err)
{
    char buf[1200];
    fprintf(stderr, "bench_accuracy: %s: %s\n", what, cordon_error_format(err, buf, sizeof buf));
    exit(2);
}

/* An outcome: the target's score (0 when absent) and the best score of
 * any competitor that should not outrank it. */
typedef struct outcome {
    float target, other;
    int findable; /* the entity keeps another name sharing a strong token */
} outcome;

static double rate_at(const outcome *o, size_t n, double t)
{
    size_t ok = 0;
    for (size_t i = 0; i < n; i++)
        ok += o[i].target >= t && o[i].target >= o[i].other;
    return n ? (double)ok / (double)n : 0.0;
}

static double rate_findable(const outcome *o, size_t n, double t)
{
    size_t ok = 0, m = 0;
    for (size_t i = 0; i < n; i++)
        if (o[i].findable) {
            m++;
            ok += o[i].target >= t && o[i].target >= o[i].other;
        }
    return m ? (double)ok / (double)m : 0.0;
}

static double found_at(const outcome *o, size_t n, double t)
{
    size_t ok = 0;
    for (size_t i = 0; i < n; i++)
        ok += o[i].target >= t;
    return n ? (double)ok / (double)n : 0.0;
}

/* ---- 1. alias recall -------------------------------------------------------- */

static size_t alias_recall(const cordon_index *idx, size_t sample, outcome **out)
{
    size_t cap = 1024, n = 0, seen = 0;
    outcome *o = malloc(cap * sizeof *o);
    cordon_screen_options opts = {.threshold = LOW, .limit = 50};
    for (uint32_t nm = 0; nm < idx->meta->n_names; nm++) {
        const cx_name *name = &idx->names[nm];
        const cx_entity *e = &idx->entities[name->entity];
        const char *src = idx->infos[e->source].name;
        if (name->kind == CORDON_NAME_PRIMARY || (strcmp(src, "ofac_sdn") && strcmp(src, "un_sc")))
            continue;
        if (sample && (seen++ % sample) != 0)
            continue;
        const char *v = idx->strings + name->value;
        cordon_query q = {.name = v, .name_len = strlen(v)};
        cx_screen_ext ext = {nm, 0};
        /* findable: another name of the entity shares a token that is
         * not a particle, legal form, title or generic word */
        int findable = 0;
        for (uint32_t a = 0; a < name->n_tokens && !findable; a++) {
            const cx_ntoken *ta = &idx->ntokens[name->tokens + a];
            if (ta->flags & CORDON_TOKEN_WEAK)
                continue;
            const char *xa = idx->strings + idx->terms[ta->term].text;
            for (uint32_t k = 0; k < e->n_names && !findable; k++) {
                const cx_name *other = &idx->names[e->names + k];
                if (e->names + k == nm)
                    continue;
                for (uint32_t b = 0; b < other->n_tokens; b++)
                    if (!strcmp(xa, idx->strings +
                                        idx->terms[idx->ntokens[other->tokens + b].term].text)) {
                        findable = 1;
                        break;
                    }
            }
        }
        cordon_result *r = NULL;
        cordon_error err;
        if (cordon__screen_ext(idx, &q, &opts, &ext, &r, &err) != 0)
            continue; /* names with no letters are not screenable */
        outcome oc = {0, 0, findable};
        for (size_t i = 0; i < r->n_matches; i++) {
            const cordon_match *m = &r->matches[i];
            if (m->entity == name->entity)
                oc.target = (float)m->score;
            else if (!strcmp(m->source, src) && (float)m->score > oc.other)
                oc.other = (float)m->score;
        }
        cordon_result_free(r);
        if (n == cap)
            o = realloc(o, (cap *= 2) * sizeof *o);
        o[n++] = oc;
    }
    *out = o;
    return n;
}

/* The same protocol with a brute-force Jaro-Winkler over every other
 * normalized name, for scale: top-1 when the best name belongs to the
 * alias's entity and scores at least `jw_min`. */
static double alias_recall_jw(const cordon_index *idx, size_t sample, double jw_min, size_t *count)
{
    size_t n = idx->meta->n_names, seen = 0, tried = 0, hit = 0;
    char **norm = calloc(n, sizeof *norm);
    for (size_t i = 0; i < n; i++) {
        const char *v = idx->strings + idx->names[i].value;
        cordon_name_analysis *an;
        cordon_error err;
        norm[i] = strdup(cordon_name_analyze(v, strlen(v), 0, &an, &err) == 0 ? an->normalized : "");
        if (norm[i][0])
            cordon_name_analysis_free(an);
    }
    for (uint32_t nm = 0; nm < n; nm++) {
        const cx_name *name = &idx->names[nm];
        const char *src = idx->infos[idx->entities[name->entity].source].name;
        if (name->kind == CORDON_NAME_PRIMARY || (strcmp(src, "ofac_sdn") && strcmp(src, "un_sc")))
            continue;
        if (sample && (seen++ % sample) != 0)
            continue;
        if (!norm[nm][0])
            continue;
        tried++;
        double best = 0;
        uint32_t be = CX_NONE;
        size_t ql = strlen(norm[nm]);
        for (uint32_t k = 0; k < n; k++) {
            if (k == nm)
                continue;
            const char *src2 = idx->infos[idx->entities[idx->names[k].entity].source].name;
            if (strcmp(src, src2))
                continue; /* rank within the alias's own list, as above */
            double x = cordon__jaro_winkler(norm[nm], ql, norm[k], strlen(norm[k]));
            if (x > best) {
                best = x;
                be = idx->names[k].entity;
            }
        }
        hit += be == name->entity && best >= jw_min;
    }
    for (size_t i = 0; i < n; i++)
        free(norm[i]);
    free(norm);
    *count = tried;
    return tried ? (double)hit / (double)tried : 0;
}

/* ---- 2. cross-script ------------------------------------------------------------ */

typedef struct pair {
    char *latin, *native;
} pair;

/* Reads "latin TAB native [TAB count]" lines, every `every`-th one, up to
 * max; token files have their native characters space-separated. */
static size_t read_pairs(const char *path, size_t every, size_t max, int tokens, pair **out)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = 0, line_no = 0;
    pair *p = malloc(max * sizeof *p);
    char *line = NULL;
    size_t cap = 0;
    while (n < max && getline(&line, &cap, f) > 0) {
        if (line_no++ % every)
            continue;
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        char *native = tab + 1;
        char *tab2 = strchr(native, '\t');
        if (tab2)
            *tab2 = '\0';
        if (tokens) { /* drop the separating spaces */
            char *w = native;
            for (char *r = native; *r; r++)
                if (*r != ' ')
                    *w++ = *r;
            *w = '\0';
        }
        if (!line[0] || !native[0])
            continue;
        p[n].latin = strdup(line);
        p[n].native = strdup(native);
        n++;
    }
    free(line);
    fclose(f);
    *out = p;
    return n;
}

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        if ((unsigned char)*s >= 0x20)
            fputc(*s, f);
    }
    fputc('"', f);
}

/* Builds an index whose entities are the Latin names (FtM JSON lines),
 * screens the native ones, and fills one outcome per pair. */
static size_t cross_script(const pair *p, size_t n, outcome *o)
{
    char path[] = "/tmp/cordon-bench-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "{\"id\":\"p%zu\",\"schema\":\"Person\",\"properties\":{\"name\":[", i);
        json_str(f, p[i].latin);
        fprintf(f, "]}}\n");
    }
    fclose(f);
    cordon_source_spec spec = {.name = "wd", .format = CORDON_FORMAT_FTM_JSON, .n_files = 1};
    spec.files[0] = path;
    cordon_dataset *ds = cordon_dataset_new();
    cordon_error err;
    if (cordon_dataset_load(ds, &spec, &err))
        die("load the Wikidata list", &err);
    cordon_index *idx;
    if (cordon_index_build(ds, &idx, &err))
        die("index the Wikidata list", &err);
    cordon_screen_options opts = {.threshold = LOW, .limit = 20};
    for (size_t i = 0; i < n; i++) {
        char want[32];
        snprintf(want, sizeof want, "wd:p%zu", i);
        cordon_query q = {.name = p[i].native, .name_len = strlen(p[i].native)};
        cordon_result *r = NULL;
        o[i] = (outcome){0, 0, 1};
        if (cordon_screen(idx, &q, &opts, &r, &err) != 0)
            continue;
        for (size_t k = 0; k < r->n_matches; k++) {
            const cordon_match *m = &r->matches[k];
            /* the same Latin name listed twice counts as the target */
            const char *mn = m->name;
            if (!strcmp(m->id, want) || !strcmp(mn, p[i].latin)) {
                if ((float)m->score > o[i].target)
                    o[i].target = (float)m->score;
            } else if ((float)m->score > o[i].other) {
                o[i].other = (float)m->score;
            }
        }
        cordon_result_free(r);
    }
    cordon_index_close(idx);
    cordon_dataset_free(ds);
    unlink(path);
    return n;
}

/* ---- 3. negatives ----------------------------------------------------------------- */

/* Splits a simple CSV line (quotes allowed) into at most max fields. */
static size_t csv_fields(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        if (*p == '"') {
            char *w = ++p;
            f[n++] = w;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"')
                    p++;
                *w++ = *p++;
            }
            if (*p == '"')
                p++;
            char *end = p;
            *w = '\0';
            p = end;
        } else {
            f[n++] = p;
            p += strcspn(p, ",\r\n");
        }
        if (*p != ',') {
            *p = '\0';
            break;
        }
        *p++ = '\0';
    }
    return n;
}

typedef struct neg {
    char *name, *dob, *nat;
    float best, best_q; /* name only; with birth date and nationality */
    char best_id[64], best_name[128];
    char best_qid[64], best_qname[128];
} neg;

static size_t negatives(const cordon_index *idx, const char *dir, neg **out)
{
    const char *files[] = {"validation_negatives_global_1k.csv", "validation_negatives_us_1k.csv"};
    size_t n = 0;
    neg *v = calloc(4096, sizeof *v);
    for (size_t k = 0; k < 2; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/eval/negatives/%s", dir, files[k]);
        FILE *f = fopen(path, "r");
        if (!f) {
            fprintf(stderr, "bench_accuracy: cannot read %s\n", path);
            exit(2);
        }
        char *line = NULL;
        size_t cap = 0;
        int header = 1;
        while (getline(&line, &cap, f) > 0 && n < 4096) {
            if (header) {
                header = 0;
                continue;
            }
            char *fl[8];
            if (csv_fields(line, fl, 8) < 8)
                continue;
            v[n].name = strdup(fl[0]);
            v[n].dob = strdup(fl[5]);
            v[n].nat = strdup(fl[7]);
            n++;
        }
        free(line);
        fclose(f);
    }
    cordon_screen_options opts = {.threshold = LOW, .limit = 5};
    for (size_t i = 0; i < n; i++) {
        cordon_query q = {.name = v[i].name, .name_len = strlen(v[i].name)};
        cordon_result *r = NULL;
        cordon_error err;
        if (cordon_screen(idx, &q, &opts, &r, &err) == 0) {
            if (r->n_matches) {
                v[i].best = (float)r->matches[0].score;
                snprintf(v[i].best_id, sizeof v[i].best_id, "%s", r->matches[0].id);
                snprintf(v[i].best_name, sizeof v[i].best_name, "%s",
                         r->matches[0].explanation.matched_name);
            }
            cordon_result_free(r);
        }
        q.schema = CORDON_SCHEMA_PERSON; /* they are people */
        cordon_date d;
        if (v[i].dob[0] && cordon_date_parse(v[i].dob, strlen(v[i].dob), &d) == 0)
            q.birth_date = &d;
        char cc[3];
        if (v[i].nat[0] && cordon_country_lookup(v[i].nat, strlen(v[i].nat), cc) == 0) {
            q.country = cc;
            q.country_len = 2;
        }
        if (cordon_screen(idx, &q, &opts, &r, &err) == 0) {
            if (r->n_matches) {
                v[i].best_q = (float)r->matches[0].score;
                snprintf(v[i].best_qid, sizeof v[i].best_qid, "%s", r->matches[0].id);
                snprintf(v[i].best_qname, sizeof v[i].best_qname, "%s",
                         r->matches[0].explanation.matched_name);
            }
            cordon_result_free(r);
        }
    }
    *out = v;
    return n;
}

/* ---- 4. OFAC parity --------------------------------------------------------------- */

static double ofac_mae(const char *dir, size_t *count)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/eval/ofac_search_scores/ofac_fixtures.csv", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char *line = NULL;
    size_t cap = 0, n = 0;
    double sum = 0;
    int header = 1;
    while (getline(&line, &cap, f) > 0) {
        if (header) {
            header = 0;
            continue;
        }
        char *fl[3];
        if (csv_fields(line, fl, 3) < 3)
            continue;
        int want = atoi(fl[2]);
        if (want < 0)
            continue;
        cordon_result *r = NULL;
        cordon_error err;
        cordon_screen_options o = {.algorithm = CORDON_ALGORITHM_OFAC};
        if (cordon_compare(NULL, fl[0], strlen(fl[0]), fl[1], strlen(fl[1]),
                           CORDON_SCHEMA_UNKNOWN, &o, &r, &err) != 0)
            continue;
        double e = r->matches[0].score - want / 100.0;
        sum += e < 0 ? -e : e;
        n++;
        cordon_result_free(r);
    }
    free(line);
    fclose(f);
    *count = n;
    return n ? sum / (double)n : -1;
}

int main(int argc, char **argv)
{
    const char *lists = "data/lists.conf", *shared = "../shared/data";
    size_t sample = 1;
    int baseline = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--lists"))
            lists = argv[i + 1];
        else if (!strcmp(argv[i], "--shared"))
            shared = argv[i + 1];
        else if (!strcmp(argv[i], "--sample"))
            sample = (size_t)atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--baseline"))
            baseline = atoi(argv[i + 1]);
    }
    cordon_error err;
    cordon_config *cfg;
    if (cordon_config_read(lists, &cfg, &err))
        die("read the lists", &err);
    cordon_dataset *ds = cordon_dataset_new();
    if (cordon_dataset_load_config(ds, cfg, &err))
        die("load the lists", &err);
    cordon_config_free(cfg);
    cordon_index *idx;
    if (cordon_index_build(ds, &idx, &err))
        die("build the index", &err);
    cordon_dataset_free(ds);
    double thr = cordon_default_threshold(CORDON_ALGORITHM_DEFAULT);
    printf("cordon accuracy benchmark; default threshold %.2f\n\n", thr);

    double t0 = now();
    outcome *ao;
    size_t na = alias_recall(idx, sample, &ao);
    printf("1. alias recall (OFAC SDN + UN aliases, each left out): %zu aliases, %.1f s\n", na,
           now() - t0);

    t0 = now();
    neg *nv;
    size_t nn = negatives(idx, shared, &nv);
    printf("3. false alerts: %zu non-listed people, %.1f s\n", nn, now() - t0);

    static const struct {
        const char *file, *label;
        int tokens;
        size_t every;
    } wd[] = {
        {"wd_korean", "Korean (Hangul) full names", 0, 35},
        {"wd_hebrew", "Hebrew full names", 0, 35},
        {"wd_russian_20", "Russian (Cyrillic) tokens", 1, 16},
        {"wd_arabic_20", "Arabic tokens", 1, 6},
        {"wd_chinese_20", "Chinese (Han) tokens", 1, 6},
        {"wd_katakana_20", "Japanese (katakana) tokens", 1, 10},
    };
    const size_t nwd = sizeof wd / sizeof wd[0];
    outcome *wo[6];
    size_t wn[6];
    t0 = now();
    for (size_t k = 0; k < nwd; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/eval/wikidata_transliteration/%s", shared, wd[k].file);
        pair *p = NULL;
        wn[k] = read_pairs(path, wd[k].every, 2000, wd[k].tokens, &p);
        wo[k] = calloc(wn[k] + 1, sizeof(outcome));
        cross_script(p, wn[k], wo[k]);
        for (size_t i = 0; i < wn[k]; i++) {
            free(p[i].latin);
            free(p[i].native);
        }
        free(p);
    }
    printf("2. cross-script: %.1f s\n\n", now() - t0);

    size_t nfind = 0;
    for (size_t i = 0; i < na; i++)
        nfind += ao[i].findable;
    printf("   %zu of them (%.1f%%) findable by name: another name of the entity shares a "
           "token\n\n",
           nfind, 100.0 * (double)nfind / (double)(na ? na : 1));
    printf("%-9s %-12s %-10s %-11s %-14s %-14s", "threshold", "alias top-1", "alias found",
           "findable", "false alerts", "FA person+dob");
    for (size_t k = 0; k < nwd; k++)
        printf(" %-8.8s", wd[k].file + 3);
    printf("\n");
    for (size_t s = 0; s < NSWEEP; s++) {
        double t = sweep[s];
        size_t fa = 0, faq = 0;
        for (size_t i = 0; i < nn; i++) {
            fa += nv[i].best >= t;
            faq += nv[i].best_q >= t;
        }
        printf("%-9.2f %-12.4f %-10.4f %-11.4f %4zu (%.2f%%)  %4zu (%.2f%%) ", t,
               rate_at(ao, na, t), found_at(ao, na, t), rate_findable(ao, na, t), fa, 100.0 * (double)fa / (double)nn, faq,
               100.0 * (double)faq / (double)nn);
        for (size_t k = 0; k < nwd; k++)
            printf(" %-8.4f", rate_at(wo[k], wn[k], t));
        printf("%s\n", t == thr ? "   <- default" : "");
    }
    printf("\nfalse alerts at the default threshold (name only):\n");
    for (size_t i = 0; i < nn; i++)
        if (nv[i].best >= thr)
            printf("  %-34s %.3f  %s  \"%s\"\n", nv[i].name, nv[i].best, nv[i].best_id,
                   nv[i].best_name);
    printf("\nfalse alerts at the default threshold as a person with birth date and nationality:\n");
    for (size_t i = 0; i < nn; i++)
        if (nv[i].best_q >= thr)
            printf("  %-34s %s %-12s %.3f  %s  \"%s\"\n", nv[i].name, nv[i].dob, nv[i].nat,
                   nv[i].best_q, nv[i].best_qid, nv[i].best_qname);
    if (baseline) {
        size_t nb = 0;
        double t1 = now();
        double jw90 = alias_recall_jw(idx, sample * (size_t)baseline, 0.90, &nb);
        printf("\nalias recall of a brute-force Jaro-Winkler over every other name of the list "
               "(JW >= 0.90, top-1), on %zu of the aliases: %.4f (%.0f s)\n",
               nb, jw90, now() - t1);
    }
    size_t nofac = 0;
    double mae = ofac_mae(shared, &nofac);
    printf("\n4. OFAC parity: mean absolute error %.4f over %zu scored triples (target <= 0.03)\n",
           mae, nofac);
    cordon_index_close(idx);
    return 0;
}
