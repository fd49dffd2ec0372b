/*
 * cmd_compare.c — `cordon compare NAME1 NAME2`: the score and
 * explanation of one name against another, outside the lists. Exit 1
 * when they match at the threshold, 0 when not, 2 on error.
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static void help(FILE *out)
{
    fprintf(out, "usage: cordon compare [--type T] [--algorithm default|ofac] [--json]\n"
                 "                      [--index FILE] NAME1 NAME2\n\n"
                 "Scores NAME1 (the query) against NAME2 (as if listed). Token weights are\n"
                 "uniform unless --index gives a snapshot whose token frequencies to use.\n"
                 "Exit status: 0 no match, 1 match at the default threshold, 2 error.\n");
}

int cmd_compare(int argc, char **argv)
{
    static const struct option opts[] = {
        {"type", required_argument, NULL, 't'},  {"algorithm", required_argument, NULL, 'a'},
        {"json", no_argument, NULL, 'j'},        {"index", required_argument, NULL, 'I'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    cordon_schema schema = CORDON_SCHEMA_UNKNOWN;
    cordon_screen_options o = {0};
    bool json = false;
    const char *index_opt = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            if (cordon_schema_parse(optarg, strlen(optarg), &schema) != 0) {
                cli_fail("unknown --type \"%s\"; use person, organization, vessel or aircraft",
                         optarg);
                return EXIT_ERROR;
            }
            break;
        case 'a':
            if (cordon_algorithm_parse(optarg, strlen(optarg), &o.algorithm) != 0) {
                cli_fail("unknown --algorithm \"%s\"; use default or ofac", optarg);
                return EXIT_ERROR;
            }
            break;
        case 'j': json = true; break;
        case 'I': index_opt = optarg; break;
        case 'h': help(stdout); return EXIT_CLEAN;
        default: help(stderr); return EXIT_ERROR;
        }
    }
    if (argc - optind != 2) {
        help(stderr);
        return EXIT_ERROR;
    }
    cordon_error err;
    cordon_index *idx = NULL;
    if (index_opt && cordon_index_open(index_opt, &idx, &err) != 0) {
        cli_error(&err);
        return EXIT_ERROR;
    }
    const char *n1 = argv[optind], *n2 = argv[optind + 1];
    cordon_result *r = NULL;
    int rc = cordon_compare(idx, n1, strlen(n1), n2, strlen(n2), schema, &o, &r, &err);
    cordon_index_close(idx);
    if (rc) {
        cli_error(&err);
        return EXIT_ERROR;
    }
    const cordon_match *m = &r->matches[0];
    bool match = m->score >= r->threshold;
    if (json) {
        char *j = cordon_result_json(r);
        if (!j) {
            cli_fail("out of memory");
            cordon_result_free(r);
            return EXIT_ERROR;
        }
        puts(j);
        cordon_free(j);
    } else {
        printf("score %.4f: %s at threshold %.2f\n", m->score, match ? "match" : "no match",
               r->threshold);
        char *x = cordon_match_explain(m);
        if (x)
            fputs(x, stdout);
        cordon_free(x);
    }
    cordon_result_free(r);
    return match ? EXIT_MATCH : EXIT_CLEAN;
}
