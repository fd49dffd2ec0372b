/*
 * cmd_shipment.c — `cordon shipment`: screens one shipment (a JSON file,
 * or stdin) for trade controls: its parties against the lists, its
 * places and goods against the rules file. Prints the decision with
 * every reason, as text or with --json as one line of JSON.
 * Exit 0: CLEAR; 1: REVIEW or BLOCK; 2: an error.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void help(FILE *out)
{
    fprintf(out,
            "usage: cordon shipment [--json] [--rules FILE] [--rates FILE]\n"
            "                       [--index FILE | --lists FILE] FILE|-\n"
            "       cordon shipment --show-rules [--rules FILE]\n\n"
            "Screens a shipment (JSON: parties with roles, goods lines with HS codes or\n"
            "descriptions, origin, destination, route; see docs/SHIPMENTS.md) for trade\n"
            "controls: parties against the sanctions lists, places against country\n"
            "regimes, goods against restricted-goods rules. Every reason cites its rule\n"
            "and legal source, or the list and entity id.\n\n"
            "  --rules FILE   rules file (default: $CORDON_RULES, else data/rules/rules.json)\n"
            "  --rates FILE   exchange rates {\"base\", \"rates\"} for value thresholds, used\n"
            "                 when the shipment's own \"rates\" cannot convert\n"
            "  --json         one line of JSON instead of text\n"
            "  --show-rules   list the loaded rules with their sources, and exit\n\n"
            "Exit status: 0 CLEAR, 1 REVIEW or BLOCK, 2 error.\n");
}

static char rules_found[PATH_MAX + 64];

/* --rules, else $CORDON_RULES, else data/rules/rules.json beside the
 * program (a checkout) or installed, else under the current directory. */
static const char *rules_path(const char *given)
{
    if (given)
        return given;
    const char *env = getenv("CORDON_RULES");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            const char *rel[] = {"/../data/rules/rules.json", "/../share/cordon/rules/rules.json"};
            for (size_t i = 0; i < 2; i++) {
                if ((size_t)snprintf(rules_found, sizeof rules_found, "%s%s", exe, rel[i]) >=
                    sizeof rules_found)
                    continue;
                char real[PATH_MAX];
                if (access(rules_found, R_OK) == 0 && realpath(rules_found, real)) {
                    snprintf(rules_found, sizeof rules_found, "%s", real);
                    return rules_found;
                }
            }
        }
    }
    if (access("data/rules/rules.json", R_OK) == 0)
        return "data/rules/rules.json";
    return NULL;
}

/* Reads a whole file or stdin ("-"), at most max bytes (more is an
 * error). Returns malloc'd bytes or NULL after printing the error. */
static char *read_input(const char *path, size_t max, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        cli_fail("%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            if (cap > max) {
                cli_fail("%s: over %zu bytes", path, max);
                free(buf);
                buf = NULL;
                break;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                cli_fail("%s: read error", path);
                free(buf);
                buf = NULL;
            }
            break;
        }
    }
    if (f != stdin)
        fclose(f);
    if (buf && n > max) {
        cli_fail("%s: over %zu bytes", path, max);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static void show_rules(const cordon_rules *rules)
{
    printf("rules as of %s: %zu\n", cordon_rules_as_of(rules), cordon_rules_count(rules));
    for (size_t i = 0; i < cordon_rules_count(rules); i++) {
        const cordon_rule *r = cordon_rules_get(rules, i);
        printf("%-28s %-6s %-7s ", r->id, cordon_action_name(r->action),
               r->kind == CORDON_RULE_COUNTRY ? "country" : "goods");
        for (size_t c = 0; c < r->n_countries; c++)
            printf("%s%s", c ? "," : "", r->countries[c]);
        if (r->n_hs) {
            printf(" HS ");
            for (size_t h = 0; h < r->n_hs; h++)
                printf("%s%s", h ? "," : "", r->hs[h]);
        }
        if (r->value_over > 0)
            printf(" over %s %.0f", r->currency, r->value_over);
        printf("\n    %s\n    source: %s\n", r->title, r->source);
        if (r->caveat)
            printf("    caveat: %s\n", r->caveat);
    }
}

int cmd_shipment(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},        {"rules", required_argument, NULL, 'r'},
        {"rates", required_argument, NULL, 'R'}, {"index", required_argument, NULL, 'I'},
        {"lists", required_argument, NULL, 'l'}, {"show-rules", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    const char *rules_opt = NULL, *rates_opt = NULL, *index_opt = NULL, *lists_opt = NULL;
    bool json = false, list = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 'r': rules_opt = optarg; break;
        case 'R': rates_opt = optarg; break;
        case 'I': index_opt = optarg; break;
        case 'l': lists_opt = optarg; break;
        case 's': list = true; break;
        case 'h': help(stdout); return EXIT_CLEAN;
        default: help(stderr); return EXIT_ERROR;
        }
    }
    if (index_opt && lists_opt) {
        cli_fail("give --index or --lists, not both");
        return EXIT_ERROR;
    }
    if (!list && argc - optind != 1) {
        cli_fail(argc - optind ? "one shipment at a time: give one FILE, or - for stdin"
                               : "no shipment: give a FILE, or - for stdin");
        help(stderr);
        return EXIT_ERROR;
    }
    const char *path = rules_path(rules_opt);
    if (!path) {
        cli_fail("no rules file: pass --rules FILE or set CORDON_RULES");
        return EXIT_ERROR;
    }
    cordon_error err;
    cordon_rules *rules = NULL;
    if (cordon_rules_read(path, &rules, &err) != 0) {
        cli_error(&err);
        return EXIT_ERROR;
    }
    if (list) {
        show_rules(rules);
        cordon_rules_free(rules);
        return EXIT_CLEAN;
    }
    int status = EXIT_ERROR;
    cordon_rates *rates = NULL;
    cordon_shipment *s = NULL;
    cordon_index *idx = NULL;
    cordon_shipment_result *res = NULL;
    size_t len = 0;
    const char *input = argv[optind];
    char *text = read_input(input, CORDON_SHIPMENT_MAX_BYTES, &len);
    if (!text)
        goto done;
    if (rates_opt && cordon_rates_read(rates_opt, &rates, &err) != 0) {
        cli_error(&err);
        goto done;
    }
    if (cordon_shipment_parse(rules, text, len, strcmp(input, "-") ? input : "<stdin>", &s,
                              &err) != 0) {
        cli_error(&err);
        goto done;
    }
    if (!(idx = cli_open_index(index_opt, lists_opt)))
        goto done;
    cordon_shipment_options so = {.rates = rates};
    if (cordon_shipment_screen(idx, rules, s, &so, &res, &err) != 0) {
        snprintf(err.file, sizeof err.file, "%s", input);
        cli_error(&err);
        goto done;
    }
    char *out = json ? cordon_shipment_result_json(res) : cordon_shipment_result_text(res);
    if (!out) {
        cli_fail("out of memory");
        goto done;
    }
    fputs(out, stdout);
    if (json)
        fputc('\n', stdout);
    cordon_free(out);
    status = res->decision == CORDON_ACTION_CLEAR ? EXIT_CLEAN : EXIT_MATCH;
done:
    free(text);
    cordon_shipment_result_free(res);
    cordon_index_close(idx);
    cordon_shipment_free(s);
    cordon_rates_free(rates);
    cordon_rules_free(rules);
    if (fflush(stdout) != 0 && status != EXIT_ERROR) {
        cli_fail("cannot write the output");
        status = EXIT_ERROR;
    }
    return status;
}
