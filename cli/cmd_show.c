/*
 * cmd_show.c — `cordon show ID`: one whole entity as loaded.
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static void help(FILE *out)
{
    fprintf(out, "usage: cordon show [--lists FILE] [--json] ID\n\n"
                 "Prints one listed entity, e.g. `cordon show ofac_sdn:35096`.\n");
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

static void json_strings(const char *key, const char *const *v, size_t n)
{
    printf(",\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        if (i)
            putchar(',');
        cli_json_string(stdout, v[i]);
    }
    putchar(']');
}

static void json_countries(const char *key, const cordon_country *v, size_t n)
{
    printf(",\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        printf("%s{\"code\":", i ? "," : "");
        cli_json_string(stdout, v[i].code[0] ? v[i].code : NULL);
        printf(",\"text\":");
        cli_json_string(stdout, v[i].text);
        putchar('}');
    }
    putchar(']');
}

static void print_json(const cordon_entity *e)
{
    printf("{\"id\":");
    cli_json_string(stdout, e->id);
    printf(",\"source\":");
    cli_json_string(stdout, e->source);
    printf(",\"schema\":\"%s\",\"names\":[", cordon_schema_name(e->schema));
    for (size_t i = 0; i < e->n_names; i++) {
        printf("%s{\"name\":", i ? "," : "");
        cli_json_string(stdout, e->names[i].value);
        printf(",\"kind\":\"%s\"}", cordon_name_kind_name(e->names[i].kind));
    }
    printf("],\"birth_dates\":[");
    for (size_t i = 0; i < e->n_birth_dates; i++) {
        char buf[64];
        date_text(&e->birth_dates[i], buf, sizeof buf);
        printf("%s{\"date\":\"%s\",\"text\":", i ? "," : "", buf);
        cli_json_string(stdout, e->birth_dates[i].text);
        putchar('}');
    }
    putchar(']');
    json_strings("birth_places", e->birth_places, e->n_birth_places);
    json_countries("nationalities", e->nationalities, e->n_nationalities);
    json_countries("citizenships", e->citizenships, e->n_citizenships);
    json_countries("countries", e->countries, e->n_countries);
    json_strings("addresses", e->addresses, e->n_addresses);
    printf(",\"identifiers\":[");
    for (size_t i = 0; i < e->n_identifiers; i++) {
        const cordon_identifier *id = &e->identifiers[i];
        printf("%s{\"type\":\"%s\",\"label\":", i ? "," : "", cordon_id_type_name(id->type));
        cli_json_string(stdout, id->label);
        printf(",\"value\":");
        cli_json_string(stdout, id->value);
        printf(",\"country\":");
        cli_json_string(stdout, id->country);
        putchar('}');
    }
    putchar(']');
    json_strings("programs", e->programs, e->n_programs);
    printf(",\"gender\":");
    cli_json_string(stdout, e->gender);
    printf(",\"title\":");
    cli_json_string(stdout, e->title);
    printf(",\"listed_on\":");
    cli_json_string(stdout, e->listed_on);
    printf(",\"remarks\":");
    cli_json_string(stdout, e->remarks);
    printf(",\"origin\":{\"file\":");
    cli_json_string(stdout, e->origin_file);
    printf(",\"line\":%lu}}\n", e->origin_line);
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
        const cordon_identifier *id = &e->identifiers[i];
        printf("%-14s %s: %s%s%s%s\n", i ? "" : "identifiers", cordon_id_type_name(id->type),
               id->value, id->country ? " (" : "", id->country ? id->country : "",
               id->country ? ")" : "");
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
    while ((c = getopt_long(argc, argv, "l:jh", opts, NULL)) != -1) {
        switch (c) {
        case 'l': lists = optarg; break;
        case 'j': json = true; break;
        case 'h': help(stdout); return EXIT_CLEAN;
        default: help(stderr); return EXIT_ERROR;
        }
    }
    if (optind != argc - 1) {
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
        print_json(e);
    } else {
        print_text(e);
    }
    cordon_dataset_free(ds);
    return rc;
}
