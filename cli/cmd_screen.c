/*
 * cmd_screen.c — `cordon screen`: screens names (arguments, or one per
 * line on stdin) against the compiled index and prints the matches as a
 * table or as JSON lines. Exit 0: nothing at or above the threshold;
 * 1: at least one match; 2: an error (an error wins over matches).
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void help(FILE *out)
{
    fprintf(out,
            "usage: cordon screen [--type person|organization|vessel|aircraft] [--dob DATE]\n"
            "                     [--country CC] [--id VALUE]... [--threshold X] [--limit N]\n"
            "                     [--algorithm default|ofac] [--explain] [--json]\n"
            "                     [--index FILE | --lists FILE] [--audit DB] [NAME...]\n\n"
            "Screens each NAME (each argument is one name; with none, one name a line\n"
            "on stdin, blank lines skipped) against the sanctions lists. --id gives an\n"
            "identifier such as \"IMO 1011551\" that matches exactly (repeatable); with\n"
            "--id and no NAME, the identifiers are screened alone.\n"
            "Output: a table of matches, or with --json one JSON object per name.\n"
            "--audit DB records every screening in the audit log of store DB (see\n"
            "`cordon audit`).\n"
            "Exit status: 0 no match, 1 match, 2 error.\n");
}

typedef struct screen_args {
    cordon_query query;
    cordon_screen_options opts;
    cordon_date dob;
    cordon_query_id ids[CORDON_QUERY_MAX_IDS];
    bool json, explain;
    cli_audit *audit; /* --audit: every screening is logged */
    const cordon_index *idx;
} screen_args;

static void print_table(const char *name, const cordon_result *r, bool explain)
{
    printf("query: %s\n", name);
    if (r->n_matches == 0) {
        printf("  no match at threshold %.2f\n", r->threshold);
        return;
    }
    printf("  %-6s %-22s %-10s %-34s %s\n", "SCORE", "ID", "LIST", "LISTED NAME", "REASON");
    for (size_t i = 0; i < r->n_matches; i++) {
        const cordon_match *m = &r->matches[i];
        char reason[1024];
        cordon_match_reason(m, reason, sizeof reason);
        printf("  %-6.3f %-22s %-10s %-34s %s\n", m->score, m->id ? m->id : "-",
               m->source ? m->source : "-", m->name ? m->name : "-", reason);
        if (explain) {
            char *x = cordon_match_explain(m);
            if (x)
                fputs(x, stdout);
            cordon_free(x);
        }
    }
}

/* Screens one name; returns an exit status. */
static int screen_one(const cordon_index *idx, screen_args *a, const char *name, size_t len)
{
    a->query.name = name;
    a->query.name_len = len;
    cordon_result *r = NULL;
    cordon_error err;
    if (cordon_screen(idx, &a->query, &a->opts, &r, &err) != 0) {
        /* Name the query in the message: batches need to know which. */
        char shown[80];
        size_t n = len < 60 ? len : 60;
        memcpy(shown, name, n);
        shown[n] = '\0';
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)shown[i] < 0x20)
                shown[i] = '?';
        char buf[1200];
        cli_fail("screening \"%s%s\": %s", shown, len > n ? "..." : "",
                 cordon_error_format(&err, buf, sizeof buf));
        return EXIT_ERROR;
    }
    if (a->json) {
        char *j = cordon_result_json(r);
        if (!j) {
            cli_fail("out of memory");
            cordon_result_free(r);
            return EXIT_ERROR;
        }
        puts(j);
        cordon_free(j);
    } else {
        print_table(r->query ? r->query : name, r, a->explain);
    }
    int status = r->n_matches ? EXIT_MATCH : EXIT_CLEAN;
    if (a->audit && !cli_audit_screen(a->audit, "screen", &a->query, &a->opts, a->idx, r, NULL))
        status = EXIT_ERROR;
    cordon_result_free(r);
    return status;
}

static int worst(int a, int b)
{
    if (a == EXIT_ERROR || b == EXIT_ERROR)
        return EXIT_ERROR;
    return a == EXIT_MATCH || b == EXIT_MATCH ? EXIT_MATCH : EXIT_CLEAN;
}

int cmd_screen(int argc, char **argv)
{
    static const struct option opts[] = {
        {"type", required_argument, NULL, 't'},   {"dob", required_argument, NULL, 'd'},
        {"country", required_argument, NULL, 'c'}, {"id", required_argument, NULL, 'i'},
        {"threshold", required_argument, NULL, 'T'}, {"limit", required_argument, NULL, 'n'},
        {"algorithm", required_argument, NULL, 'a'}, {"explain", no_argument, NULL, 'x'},
        {"json", no_argument, NULL, 'j'},          {"index", required_argument, NULL, 'I'},
        {"lists", required_argument, NULL, 'l'},   {"help", no_argument, NULL, 'h'},
        {"audit", required_argument, NULL, 'A'},
        {NULL, 0, NULL, 0},
    };
    screen_args a;
    memset(&a, 0, sizeof a);
    const char *index_opt = NULL, *lists_opt = NULL, *audit_opt = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            if (cordon_schema_parse(optarg, strlen(optarg), &a.query.schema) != 0) {
                cli_fail("unknown --type \"%s\"; use person, organization, vessel or aircraft",
                         optarg);
                return EXIT_ERROR;
            }
            break;
        case 'd':
            if (cordon_date_parse(optarg, strlen(optarg), &a.dob) != 0) {
                cli_fail("--dob \"%s\" is not a date (try 1984-01-08, 1984 or 08 Jan 1984)",
                         optarg);
                return EXIT_ERROR;
            }
            a.query.birth_date = &a.dob;
            break;
        case 'c':
            a.query.country = optarg;
            a.query.country_len = strlen(optarg);
            break;
        case 'i':
            if (a.query.n_ids == CORDON_QUERY_MAX_IDS) {
                cli_fail("at most %d --id options", CORDON_QUERY_MAX_IDS);
                return EXIT_ERROR;
            }
            a.ids[a.query.n_ids].value = optarg;
            a.ids[a.query.n_ids].len = strlen(optarg);
            a.query.n_ids++;
            break;
        case 'T': {
            char *end;
            errno = 0;
            a.opts.threshold = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(a.opts.threshold > 0.0) ||
                a.opts.threshold > 1.0) {
                cli_fail("--threshold \"%s\" is not a number in (0, 1]", optarg);
                return EXIT_ERROR;
            }
            break;
        }
        case 'n': {
            char *end;
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || v < 1 || v > CORDON_SCREEN_MAX_LIMIT) {
                cli_fail("--limit \"%s\" is not a number from 1 to %d", optarg,
                         CORDON_SCREEN_MAX_LIMIT);
                return EXIT_ERROR;
            }
            a.opts.limit = (size_t)v;
            break;
        }
        case 'a':
            if (cordon_algorithm_parse(optarg, strlen(optarg), &a.opts.algorithm) != 0) {
                cli_fail("unknown --algorithm \"%s\"; use default or ofac", optarg);
                return EXIT_ERROR;
            }
            break;
        case 'x': a.explain = true; break;
        case 'j': a.json = true; break;
        case 'I': index_opt = optarg; break;
        case 'l': lists_opt = optarg; break;
        case 'A': audit_opt = optarg; break;
        case 'h': help(stdout); return EXIT_CLEAN;
        default: help(stderr); return EXIT_ERROR;
        }
    }
    a.query.ids = a.ids;
    /* Check argument names before the index is opened, so bad input
     * fails fast. */
    for (int i = optind; i < argc; i++)
        if (argv[i][0] == '\0' && a.query.n_ids == 0) {
            cli_fail("empty name");
            return EXIT_ERROR;
        }
    cordon_index *idx = cli_open_index(index_opt, lists_opt);
    if (!idx)
        return EXIT_ERROR;
    a.idx = idx;
    if (audit_opt && !(a.audit = cli_audit_open(audit_opt))) {
        cordon_index_close(idx);
        return EXIT_ERROR;
    }
    int status = EXIT_CLEAN;
    if (optind < argc) {
        for (int i = optind; i < argc; i++)
            status = worst(status, screen_one(idx, &a, argv[i], strlen(argv[i])));
    } else if (a.query.n_ids) {
        status = screen_one(idx, &a, "", 0); /* identifiers only */
    } else {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        while ((n = getline(&line, &cap, stdin)) > 0) {
            while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                n--;
            size_t k = 0;
            while (k < (size_t)n && (line[k] == ' ' || line[k] == '\t'))
                k++;
            if (k == (size_t)n)
                continue;
            status = worst(status, screen_one(idx, &a, line, (size_t)n));
            fflush(stdout);
        }
        free(line);
    }
    if (!cli_audit_close(a.audit, NULL))
        status = EXIT_ERROR;
    cordon_index_close(idx);
    return status;
}
