/*
 * cmd_diff.c — `cordon diff OLD NEW`: what changed between two versions
 * of the lists, entity by entity. OLD and NEW are each a snapshot (made
 * by `cordon build`; recognised by its magic bytes) or a lists file.
 * Exit status: 0 no difference, 1 differences, 2 error (as diff(1)).
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *out)
{
    fputs("usage: cordon diff [--json] [--summary] OLD NEW\n"
          "\n"
          "Compares two versions of the lists: the entities added, removed and\n"
          "changed, and for a changed one what changed (names and aliases,\n"
          "identifiers, programs, and which other fields). OLD and NEW are snapshots\n"
          "made by `cordon build` or lists files; the sources of each are printed\n"
          "first, with their publication dates and hashes.\n"
          "  --json     one JSON object a line: the sources, one per entity, totals\n"
          "  --summary  the sources and the totals only\n"
          "Exit status: 0 no difference, 1 differences, 2 error.\n",
          out);
}

/* One side: a snapshot, or a lists file loaded as a dataset. */
typedef struct version {
    const char *path;
    cordon_index *idx;
    cordon_dataset *ds;
} version;

static bool is_snapshot(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char magic[8];
    bool yes = fread(magic, 1, 8, f) == 8 && memcmp(magic, "CORDONIX", 8) == 0;
    fclose(f);
    return yes;
}

static bool open_version(version *v)
{
    cordon_error err;
    if (is_snapshot(v->path)) {
        if (cordon_index_open(v->path, &v->idx, &err) != 0) {
            cli_error(&err);
            return false;
        }
        return true;
    }
    v->ds = cli_load_dataset(v->path);
    return v->ds != NULL;
}

/* A dataset side compared with a snapshot side is compiled first. */
static bool to_index(version *v)
{
    if (v->idx)
        return true;
    cordon_error err;
    if (cordon_index_build(v->ds, &v->idx, &err) != 0) {
        cli_error(&err);
        return false;
    }
    return true;
}

static size_t n_sources(const version *v)
{
    return v->idx ? cordon_index_source_count(v->idx) : cordon_dataset_source_count(v->ds);
}

static const cordon_source_info *source(const version *v, size_t i)
{
    return v->idx ? cordon_index_source(v->idx, i) : cordon_dataset_source(v->ds, i);
}

static void print_sources(const char *label, const version *v, bool json)
{
    if (json) {
        printf("{\"%s\":", label);
        cli_json_string(stdout, v->path);
        printf(",\"sources\":[");
        for (size_t i = 0; i < n_sources(v); i++) {
            const cordon_source_info *s = source(v, i);
            printf("%s{\"name\":", i ? "," : "");
            cli_json_string(stdout, s->name);
            printf(",\"published\":");
            cli_json_string(stdout, s->published);
            printf(",\"sha256\":\"%s\",\"entities\":%zu}", s->sha256, s->n_entities);
        }
        printf("]}\n");
        return;
    }
    printf("%s: %s\n", label, v->path);
    for (size_t i = 0; i < n_sources(v); i++) {
        const cordon_source_info *s = source(v, i);
        printf("  %-12s published %-10s sha256 %.16s  %zu entities\n", s->name,
               s->published ? s->published : "unknown", s->sha256, s->n_entities);
    }
}

static void print_entry(const cordon_entity_diff *x)
{
    static const char mark[] = {'?', '+', '-', '~'};
    const cordon_entity *e = x->new_entity ? x->new_entity : x->old_entity;
    printf("%c %-24s %s", mark[x->change], x->id, e && e->n_names ? e->names[0].value : "");
    if (x->change == CORDON_CHANGE_CHANGED) {
        printf("  (");
        for (unsigned b = 0, k = 0; b < 8; b++)
            if (x->fields & (1u << b))
                printf("%s%s", k++ ? ", " : "", cordon_diff_field_name(1u << b));
        printf(")");
    } else if (e && e->n_programs) {
        printf("  [");
        for (size_t i = 0; i < e->n_programs; i++)
            printf("%s%s", i ? ", " : "", e->programs[i]);
        printf("]");
    }
    printf("\n");
    for (size_t i = 0; i < x->n_names_removed; i++)
        printf("    - name \"%s\" (%s)\n", x->names_removed[i]->value,
               cordon_name_kind_name(x->names_removed[i]->kind));
    for (size_t i = 0; i < x->n_names_added; i++)
        printf("    + name \"%s\" (%s)\n", x->names_added[i]->value,
               cordon_name_kind_name(x->names_added[i]->kind));
    for (size_t i = 0; i < x->n_ids_removed; i++)
        printf("    - %s \"%s\"%s%s\n", cordon_id_type_name(x->ids_removed[i]->type),
               x->ids_removed[i]->value, x->ids_removed[i]->country ? " " : "",
               x->ids_removed[i]->country ? x->ids_removed[i]->country : "");
    for (size_t i = 0; i < x->n_ids_added; i++)
        printf("    + %s \"%s\"%s%s\n", cordon_id_type_name(x->ids_added[i]->type),
               x->ids_added[i]->value, x->ids_added[i]->country ? " " : "",
               x->ids_added[i]->country ? x->ids_added[i]->country : "");
    for (size_t i = 0; i < x->n_programs_removed; i++)
        printf("    - program %s\n", x->programs_removed[i]);
    for (size_t i = 0; i < x->n_programs_added; i++)
        printf("    + program %s\n", x->programs_added[i]);
}

int cmd_diff(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"summary", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool json = false, only_summary = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 's': only_summary = true; break;
        case 'h': help(stdout); return EXIT_CLEAN;
        default: help(stderr); return EXIT_ERROR;
        }
    }
    if (argc - optind != 2) {
        help(stderr);
        return EXIT_ERROR;
    }
    version o = {.path = argv[optind]}, n = {.path = argv[optind + 1]};
    int status = EXIT_ERROR;
    cordon_diff *d = NULL;
    cordon_error err;
    if (!open_version(&o) || !open_version(&n))
        goto done;
    int rc;
    if (o.ds && n.ds) {
        rc = cordon_diff_datasets(o.ds, n.ds, &d, &err);
    } else {
        if (!to_index(&o) || !to_index(&n))
            goto done;
        rc = cordon_diff_indexes(o.idx, n.idx, &d, &err);
    }
    if (rc) {
        cli_error(&err);
        goto done;
    }
    print_sources("old", &o, json);
    print_sources("new", &n, json);
    size_t added, removed, changed, unchanged;
    cordon_diff_totals(d, &added, &removed, &changed, &unchanged);
    if (!json && !only_summary)
        printf("\n");
    for (size_t i = 0; !only_summary && i < cordon_diff_count(d); i++) {
        const cordon_entity_diff *x = cordon_diff_get(d, i);
        if (json) {
            char *j = cordon_entity_diff_json(x);
            if (!j) {
                cli_fail("out of memory");
                goto done;
            }
            puts(j);
            cordon_free(j);
        } else {
            print_entry(x);
        }
    }
    if (json)
        printf("{\"added\":%zu,\"removed\":%zu,\"changed\":%zu,\"unchanged\":%zu}\n", added,
               removed, changed, unchanged);
    else
        printf("%s%zu added, %zu removed, %zu changed, %zu unchanged\n",
               only_summary ? "" : "\n", added, removed, changed, unchanged);
    status = added || removed || changed ? EXIT_MATCH : EXIT_CLEAN;
done:
    cordon_diff_free(d);
    cordon_index_close(o.idx);
    cordon_index_close(n.idx);
    cordon_dataset_free(o.ds);
    cordon_dataset_free(n.ds);
    return status;
}
