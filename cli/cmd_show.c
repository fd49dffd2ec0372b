/*
 * cmd_show.c — `cordon show ID`: one whole entity as loaded.
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static void help(FILE *out)
{
    fprintf(out, "usage: cordon show [--lists FILE] [--json] ID\n\n"
                 "Prints one listed entity as loaded, e.g. `cordon show ofac_sdn:35096`.\n\n"
                 "  --lists FILE  lists file (default: data/lists.conf)\n"
                 "  --json        the entity as one line of JSON\n");
}

static void date_text(const cordon_date *d, char *buf, size_t n)
{
    if (d->flags & CORDON_DATE_RANGE)
        snprintf(buf, n, "%s%04d to %04d", d->flags & CORDON_DATE_CIRCA ? "circa " : "",
                 d->year, d->year_to);
    else if (d->day)
        snprintf(buf, n, "%s%04d-%02u-%02u", d->flags & CORDON_DATE_CIRCA ? "circa " : "",
                 d->year, d->month, d->day);
    else if (d->month)
        snprintf(buf, n, "%s%04d-%02u", d->flags & CORDON_DATE_CIRCA ? "circa " : "", d->year,
                 d->month);
    else
        snprintf(buf, n, "%s%04d", d->flags & CORDON_DATE_CIRCA ? "circa " : "", d->year);
}

static void print_countries(const char *label, const cordon_country *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("%-14s %s%s%s%s\n", i ? "" : label, v[i].text, v[i].code[0] ? " (" : "",
               v[i].code, v[i].code[0] ? ")" : "");
}

static void print_text(const cordon_entity *e)
{
    printf("%-14s %s\n", "id", e->id);
    printf("%-14s %s\n", "type", cordon_schema_name(e->schema));
    for (size_t i = 0; i < e->n_names; i++)
        printf("%-14s %s [%s]\n", i ? "" : "names", e->names[i].value,
               cordon_name_kind_name(e->names[i].kind));
    for (size_t i = 0; i < e->n_birth_dates; i++) {
        char buf[64];
        date_text(&e->birth_dates[i], buf, sizeof buf);
        printf("%-14s %s\n", i ? "" : "birth date", buf);
    }
    for (size_t i = 0; i < e->n_birth_places; i++)
        printf("%-14s %s\n", i ? "" : "birth place", e->birth_places[i]);
    print_countries("nationality", e->nationalities, e->n_nationalities);
    print_countries("citizenship", e->citizenships, e->n_citizenships);
    print_countries("country", e->countries, e->n_countries);
    for (size_t i = 0; i < e->n_addresses; i++)
        printf("%-14s %s\n", i ? "" : "address", e->addresses[i]);
    for (size_t i = 0; i < e->n_identifiers; i++) {
        /* "passport: K048787 (Issued in Jordan)", label and country in
         * parentheses when the list gives them */
        const cordon_identifier *id = &e->identifiers[i];
        printf("%-14s %s: %s", i ? "" : "identifiers", cordon_id_type_name(id->type), id->value);
        if (id->label || id->country)
            printf(" (%s%s%s)", id->label ? id->label : "", id->label && id->country ? "; " : "",
                   id->country ? id->country : "");
        putchar('\n');
    }
    for (size_t i = 0; i < e->n_programs; i++)
        printf("%-14s %s\n", i ? "" : "programs", e->programs[i]);
    if (e->gender)
        printf("%-14s %s\n", "gender", e->gender);
    if (e->title)
        printf("%-14s %s\n", "title", e->title);
    if (e->listed_on)
        printf("%-14s %s\n", "listed on", e->listed_on);
    if (e->remarks)
        printf("%-14s %s\n", "remarks", e->remarks);
    printf("%-14s %s line %lu\n", "origin", e->origin_file, e->origin_line);
}

int cmd_show(int argc, char **argv)
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
            cli_fail("%s: option %s needs a value", "show", argv[optind - 1]);
            help(stderr);
            return EXIT_ERROR;
        default:
            cli_fail("%s: unknown option %s", "show", argv[optind - 1]);
            help(stderr);
            return EXIT_ERROR;
        }
    }
    if (optind != argc - 1) {
        cli_fail("show takes one ID");
        help(stderr);
        return EXIT_ERROR;
    }
    const char *id = argv[optind];
    cordon_dataset *ds = cli_load_dataset(lists);
    if (!ds)
        return EXIT_ERROR;
    const cordon_entity *e = cordon_dataset_find(ds, id, strlen(id));
    int rc = EXIT_CLEAN;
    if (!e) {
        cli_fail("no entity with id \"%s\"", id);
        rc = EXIT_ERROR;
    } else if (json) {
        /* The one JSON form of an entity, shared with the server. */
        char *line = cordon_entity_json(e);
        if (!line) {
            cli_fail("out of memory");
            rc = EXIT_ERROR;
        } else {
            printf("%s\n", line);
            cordon_free(line);
        }
    } else {
        print_text(e);
    }
    cordon_dataset_free(ds);
    return rc;
}
