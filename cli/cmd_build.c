/*
 * cmd_build.c — `cordon build`: compiles the lists into an index
 * snapshot file that screening commands open by mmap.
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>
#include <time.h>

static void help(FILE *out)
{
    fprintf(out,
            "usage: cordon build [--lists FILE] [-o FILE]\n\n"
            "Loads the lists named by the lists file (default: data/lists.conf) and\n"
            "writes the compiled index to FILE (default: default.cordon beside the\n"
            "cordon program, where screening commands look for it). The file is\n"
            "replaced atomically.\n");
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int cmd_build(int argc, char **argv)
{
    static const struct option opts[] = {
        {"lists", required_argument, NULL, 'l'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *lists = NULL, *output = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "l:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'l': lists = optarg; break;
        case 'o': output = optarg; break;
        case 'h': help(stdout); return EXIT_CLEAN;
        default: help(stderr); return EXIT_ERROR;
        }
    }
    if (optind != argc) {
        help(stderr);
        return EXIT_ERROR;
    }
    if (!output)
        output = cli_default_index_output();
    double t0 = now();
    cordon_dataset *ds = cli_load_dataset(lists);
    if (!ds)
        return EXIT_ERROR;
    double t1 = now();
    cordon_error err;
    cordon_index *idx = NULL;
    int rc = cordon_index_build(ds, &idx, &err);
    cordon_dataset_free(ds);
    if (rc) {
        cli_error(&err);
        return EXIT_ERROR;
    }
    double t2 = now();
    if (cordon_index_write(idx, output, &err) != 0) {
        cli_error(&err);
        cordon_index_close(idx);
        return EXIT_ERROR;
    }
    fprintf(stderr,
            "cordon: wrote %s: %zu sources, %zu entities, %zu names; content sha256 %s\n"
            "cordon: loaded in %.2f s, compiled in %.2f s\n",
            output, cordon_index_source_count(idx), cordon_index_entity_count(idx),
            cordon_index_name_count(idx), cordon_index_hash(idx), t1 - t0, t2 - t1);
    cordon_index_close(idx);
    return EXIT_CLEAN;
}
