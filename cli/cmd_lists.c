/*
 * cmd_lists.c — `cordon lists`: one row per loaded source.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *out)
{
    fprintf(out, "usage: cordon lists [--lists FILE] [--json]\n\n"
                 "Loads the lists and prints, per source: format, files, publication\n"
                 "date, entity counts by type, name count, content hash and warnings.\n\n"
                 "  --lists FILE  lists file (default: data/lists.conf)\n"
                 "  --json        one JSON object per source, one per line\n");
}

static void print_json(const cordon_source_info *s)
{
    printf("{\"source\":");
    cli_json_string(stdout, s->name);
    printf(",\"format\":\"%s\",\"files\":[", cordon_format_name(s->format));
    for (size_t i = 0; i < s->n_files; i++) {
        if (i)
            putchar(',');
        cli_json_string(stdout, s->files[i]);
    }
    printf("],\"published\":");
    cli_json_string(stdout, s->published);
    printf(",\"sha256\":\"%s\",\"entities\":%zu,\"by_schema\":{", s->sha256, s->n_entities);
    for (int k = 0; k < CORDON_SCHEMA_COUNT_; k++)
        printf("%s\"%s\":%zu", k ? "," : "", cordon_schema_name((cordon_schema)k),
               s->n_by_schema[k]);
    printf("},\"names\":%zu,\"warnings\":[", s->n_names);
    for (size_t i = 0; i < s->n_warnings; i++) {
        if (i)
            putchar(',');
        cli_json_string(stdout, s->warnings[i]);
    }
    printf("]}\n");
}

static void print_text(const cordon_source_info *s)
{
    printf("%-10s %-18s published %-10s  %6zu entities (%zu person, %zu organization, "
           "%zu vessel, %zu aircraft, %zu unknown), %zu names\n",
           s->name, cordon_format_name(s->format), s->published ? s->published : "unknown",
           s->n_entities, s->n_by_schema[CORDON_SCHEMA_PERSON],
           s->n_by_schema[CORDON_SCHEMA_ORGANIZATION], s->n_by_schema[CORDON_SCHEMA_VESSEL],
           s->n_by_schema[CORDON_SCHEMA_AIRCRAFT], s->n_by_schema[CORDON_SCHEMA_UNKNOWN],
           s->n_names);
    printf("           sha256 %s\n", s->sha256);
    for (size_t i = 0; i < s->n_files; i++)
        printf("           file   %s\n", s->files[i]);
    for (size_t i = 0; i < s->n_warnings; i++)
        printf("           warning: %s\n", s->warnings[i]);
}

int cmd_lists(int argc, char **argv)
{
    static const struct option opts[] = {
        {"lists", required_argument, NULL, 'l'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *lists = NULL;
    bool json = false;
    int c;
    optind = 1;
    opterr = 0; /* our own messages, in the "cordon: ..." form */
    while ((c = getopt_long(argc, argv, ":l:jh", opts, NULL)) != -1) {
        switch (c) {
        case 'l': lists = optarg; break;
        case 'j': json = true; break;
        case 'h': help(stdout); return EXIT_CLEAN;
        case ':':
            cli_fail("%s: option %s needs a value", "lists", argv[optind - 1]);
            help(stderr);
            return EXIT_ERROR;
        default:
            cli_fail("%s: unknown option %s", "lists", argv[optind - 1]);
            help(stderr);
            return EXIT_ERROR;
        }
    }
    if (optind != argc) {
        cli_fail("lists takes no arguments");
        return EXIT_ERROR;
    }
    cordon_dataset *ds = cli_load_dataset(lists);
    if (!ds)
        return EXIT_ERROR;
    for (size_t i = 0; i < cordon_dataset_source_count(ds); i++) {
        const cordon_source_info *s = cordon_dataset_source(ds, i);
        if (json)
            print_json(s);
        else
            print_text(s);
    }
    if (!json) {
        size_t names = 0, warnings = 0;
        for (size_t i = 0; i < cordon_dataset_source_count(ds); i++) {
            names += cordon_dataset_source(ds, i)->n_names;
            warnings += cordon_dataset_source(ds, i)->n_warnings;
        }
        printf("total      %zu source%s, %zu entities, %zu names, %zu warning%s\n",
               cordon_dataset_source_count(ds), cordon_dataset_source_count(ds) == 1 ? "" : "s",
               cordon_dataset_entity_count(ds), names, warnings, warnings == 1 ? "" : "s");
    }
    cordon_dataset_free(ds);
    return EXIT_CLEAN;
}
