/*
 * cmd_normalize.c — `cordon normalize [--json] NAME...`: the analysis of
 * each name, token by token (role, script, romanized forms, phonetic and
 * loose keys), so a person can see why two names meet or do not.
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static void help(FILE *out)
{
    fprintf(out, "usage: cordon normalize [--json] [--person|--organization] NAME...\n\n"
                 "Shows how cordon reads each name: its tokens with their role,\n"
                 "script, romanized forms, Double Metaphone and loose keys.\n"
                 "  --json          one JSON object per name, one a line\n"
                 "  --person        read the names as people's names\n"
                 "  --organization  read the names as organizations' names\n");
}

static void list_json(const char *key, const char *const *v, size_t n)
{
    printf(",\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        if (i)
            putchar(',');
        cli_json_string(stdout, v[i]);
    }
    putchar(']');
}

static void print_json(const char *input, const cordon_name_analysis *a)
{
    printf("{\"input\":");
    cli_json_string(stdout, input);
    printf(",\"normalized\":");
    cli_json_string(stdout, a->normalized);
    printf(",\"script\":\"%s\",\"schema\":\"%s\"", cordon_script_name(a->script), cordon_schema_name(a->schema));
    list_json("titles", a->titles, a->n_titles);
    printf(",\"tokens\":[");
    for (size_t i = 0; i < a->n_tokens; i++) {
        const cordon_name_token *t = &a->tokens[i];
        printf("%s{\"text\":", i ? "," : "");
        cli_json_string(stdout, t->text);
        printf(",\"original\":");
        cli_json_string(stdout, t->original);
        printf(",\"role\":\"%s\",\"script\":\"%s\",\"joined\":%s,\"weak\":%s", cordon_token_role_name(t->role),
               cordon_script_name(t->script), (t->flags & CORDON_TOKEN_JOINED) ? "true" : "false",
               (t->flags & CORDON_TOKEN_WEAK) ? "true" : "false");
        if (t->flags & CORDON_TOKEN_JOINED)
            printf(",\"parts\":[%zu,%zu]", t->part_first, t->part_first + t->n_parts);
        list_json("forms", t->forms, t->n_forms);
        list_json("phonetic", t->phonetic, t->n_phonetic);
        list_json("loose", t->loose, t->n_loose);
        putchar('}');
    }
    printf("]}\n");
}

static void print_list(const char *label, const char *const *v, size_t n)
{
    printf("      %-9s", label);
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? " " : "", v[i]);
    putchar('\n');
}

static void print_text(const char *input, const cordon_name_analysis *a)
{
    printf("%s\n  normalized: %s\n  script: %s  schema: %s\n", input, a->normalized, cordon_script_name(a->script),
           cordon_schema_name(a->schema));
    if (a->n_titles) {
        printf("  titles:");
        for (size_t i = 0; i < a->n_titles; i++)
            printf(" %s", a->titles[i]);
        putchar('\n');
    }
    for (size_t i = 0; i < a->n_tokens; i++) {
        const cordon_name_token *t = &a->tokens[i];
        printf("  %zu. %-14s %-10s %-8s", i + 1, t->text, cordon_token_role_name(t->role), cordon_script_name(t->script));
        if (t->flags & CORDON_TOKEN_JOINED)
            printf(" joined(%zu-%zu)", t->part_first + 1, t->part_first + t->n_parts);
        if (t->flags & CORDON_TOKEN_WEAK)
            printf(" weak");
        printf("  \"%s\"\n", t->original);
        print_list("forms", t->forms, t->n_forms);
        print_list("phonetic", t->phonetic, t->n_phonetic);
        print_list("loose", t->loose, t->n_loose);
    }
}

int cmd_normalize(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"person", no_argument, NULL, 'p'},
        {"organization", no_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int json = 0, c;
    cordon_schema schema = CORDON_SCHEMA_UNKNOWN;
    optind = 1;
    while ((c = getopt_long(argc, argv, "jpoh", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 'p': schema = CORDON_SCHEMA_PERSON; break;
        case 'o': schema = CORDON_SCHEMA_ORGANIZATION; break;
        case 'h': help(stdout); return EXIT_CLEAN;
        default: help(stderr); return EXIT_ERROR;
        }
    }
    if (optind >= argc) {
        help(stderr);
        return EXIT_ERROR;
    }
    int status = EXIT_CLEAN;
    for (int i = optind; i < argc; i++) {
        cordon_name_analysis *a = NULL;
        cordon_error err;
        if (cordon_name_analyze(argv[i], strlen(argv[i]), schema, &a, &err) != 0) {
            cli_fail("\"%s\": %s", argv[i], err.message);
            status = EXIT_ERROR;
            continue;
        }
        if (json)
            print_json(argv[i], a);
        else
            print_text(argv[i], a);
        cordon_name_analysis_free(a);
    }
    return status;
}
