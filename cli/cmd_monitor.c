/*
 * cmd_monitor.c — `cordon monitor`: continuous screening of a customer
 * base kept in the store.
 *   add FILE   registers or updates customers from a customer file (CSV
 *              or JSON lines, read with the public cordon_records reader)
 *   run        screens what needs it and prints the new alerts
 *   alerts     lists alerts
 * `cordon decide` (cmd_decide.c) records the analysts' decisions.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void help(FILE *out)
{
    fputs("usage: cordon monitor add [--db FILE] [--input-format csv|jsonl] [--delimiter C]\n"
          "                          [--id-col COL] [--name-col COL] [--type-col COL]\n"
          "                          [--dob-col COL] [--country-col COL] [--ident-col COL]\n"
          "                          [--strict] [-q] FILE\n"
          "       cordon monitor run [--db FILE] [--index FILE | --lists FILE]\n"
          "                          [--threshold X] [--full] [-j N] [--no-audit] [--json] [-q]\n"
          "       cordon monitor alerts [--db FILE] [--status open|cleared|confirmed|all]\n"
          "                          [--run N] [--customer ID] [--json]\n"
          "\n"
          "add registers customers, or updates them by id: an id and the fields\n"
          "screening uses (name, type, date of birth, country, identifier). Columns\n"
          "default to id, name, type, dob, country, identifier (and customer_id,\n"
          "full_name, date_of_birth, birth_date, nationality). Bad rows are reported and\n"
          "skipped (--strict: stop).\n"
          "\n"
          "run screens what needs it: new or changed customers against the whole index;\n"
          "all others only against the entities added or changed since the last run;\n"
          "and it rescores the near misses kept from full screenings (scores within 0.03\n"
          "under the threshold), which an update can lift over it. It prints the\n"
          "new alerts (a cleared alert comes back only when the customer's data or the\n"
          "entity's record changes) and a summary on stderr. --full screens every\n"
          "customer against the whole index (also automatic when the threshold changes,\n"
          "when the customers' signatures were made by a cordon that analyses names\n"
          "otherwise, and after 20 delta runs in a row, since scores drift a little with\n"
          "every update).\n"
          "\n"
          "The store is --db FILE, else $CORDON_DB, else ~/.local/state/cordon/cordon.db.\n"
          "Exit status of run: 0 no new alert, 1 new alerts, 2 error.\n",
          out);
}

static unsigned cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return (unsigned)CPU_COUNT(&set);
    return 1;
}

/* ---- add -------------------------------------------------------------------- */

enum { C_ID, C_NAME, C_TYPE, C_DOB, C_COUNTRY, C_IDENT, C_COUNT };

static const char *const col_defaults[C_COUNT][4] = {
    {"id", "customer_id", NULL},
    {"name", "full_name", NULL},
    {"type", NULL},
    {"dob", "date_of_birth", "birth_date", NULL},
    {"country", "nationality", NULL},
    {"identifier", "ident", NULL},
};

static const cordon_field *column(const cordon_record *rec, const char *given, int role)
{
    if (given)
        return cordon_record_field(rec, given, strlen(given));
    for (const char *const *d = col_defaults[role]; *d; d++) {
        const cordon_field *f = cordon_record_field(rec, *d, strlen(*d));
        if (f)
            return f;
    }
    return NULL;
}

#define ADD_CHUNK 10000

/* Customers waiting to be added, with their strings. */
typedef struct pending {
    cordon_customer c[ADD_CHUNK];
    char *text[ADD_CHUNK];
    size_t n;
} pending;

static bool flush(cordon_store *st, pending *p, cordon_monitor_add_stats *stats)
{
    cordon_error err;
    int rc = p->n ? cordon_monitor_add(st, p->c, p->n, stats, &err) : 0;
    for (size_t i = 0; i < p->n; i++)
        free(p->text[i]);
    p->n = 0;
    if (rc) {
        cli_error(&err);
        return false;
    }
    return true;
}

/* Copies the row's values into one allocation the customer points into. */
static bool stage(pending *p, const char *v[C_COUNT], cordon_schema schema)
{
    size_t total = 0;
    for (int i = 0; i < C_COUNT; i++)
        total += strlen(v[i]) + 1;
    char *t = malloc(total), *q = t;
    if (!t)
        return false;
    const char *copy[C_COUNT];
    for (int i = 0; i < C_COUNT; i++) {
        size_t n = strlen(v[i]) + 1;
        memcpy(q, v[i], n);
        copy[i] = q;
        q += n;
    }
    p->c[p->n] = (cordon_customer){.id = copy[C_ID], .name = copy[C_NAME], .schema = schema,
                                   .birth_date = copy[C_DOB], .country = copy[C_COUNTRY],
                                   .identifier = copy[C_IDENT]};
    p->text[p->n++] = t;
    return true;
}

static int cmd_add(int argc, char **argv)
{
    enum { O_FMT = 256, O_DELIM, O_ID, O_NAME, O_TYPE, O_DOB, O_COUNTRY, O_IDENT, O_STRICT };
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"input-format", required_argument, NULL, O_FMT},
        {"delimiter", required_argument, NULL, O_DELIM},
        {"id-col", required_argument, NULL, O_ID},
        {"name-col", required_argument, NULL, O_NAME},
        {"type-col", required_argument, NULL, O_TYPE},
        {"dob-col", required_argument, NULL, O_DOB},
        {"country-col", required_argument, NULL, O_COUNTRY},
        {"ident-col", required_argument, NULL, O_IDENT},
        {"strict", no_argument, NULL, O_STRICT},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *fmt = NULL, *cols[C_COUNT] = {0};
    char delim = ',';
    bool strict = false, quiet = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case O_FMT: fmt = optarg; break;
        case O_DELIM:
            if (!strcmp(optarg, "tab"))
                delim = '\t';
            else if (strlen(optarg) == 1 && optarg[0] != '"')
                delim = optarg[0];
            else {
                cli_fail("--delimiter takes one character (not a quote) or \"tab\"");
                return EXIT_ERROR;
            }
            break;
        case O_ID: cols[C_ID] = optarg; break;
        case O_NAME: cols[C_NAME] = optarg; break;
        case O_TYPE: cols[C_TYPE] = optarg; break;
        case O_DOB: cols[C_DOB] = optarg; break;
        case O_COUNTRY: cols[C_COUNTRY] = optarg; break;
        case O_IDENT: cols[C_IDENT] = optarg; break;
        case O_STRICT: strict = true; break;
        case 'q': quiet = true; break;
        case 'h': help(stdout); return EXIT_CLEAN;
        default: help(stderr); return EXIT_ERROR;
        }
    }
    if (optind != argc - 1) {
        help(stderr);
        return EXIT_ERROR;
    }
    const char *path = argv[optind];
    cordon_records_options ro = {.format = CORDON_RECORDS_CSV, .delimiter = delim};
    size_t pl = strlen(path);
    if (fmt) {
        if (cordon_records_format_parse(fmt, strlen(fmt), &ro.format) != 0) {
            cli_fail("--input-format takes csv or jsonl");
            return EXIT_ERROR;
        }
    } else if ((pl > 6 && !strcmp(path + pl - 6, ".jsonl")) ||
               (pl > 7 && !strcmp(path + pl - 7, ".ndjson"))) {
        ro.format = CORDON_RECORDS_JSONL;
    }
    int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
    if (fd < 0) {
        cli_fail("%s: %s", path, strerror(errno));
        return EXIT_ERROR;
    }
    cordon_records *r = NULL;
    cordon_store *st = NULL;
    pending *p = calloc(1, sizeof *p);
    cordon_error err;
    int status = EXIT_ERROR;
    cordon_monitor_add_stats stats = {0};
    unsigned long rejected = 0;
    if (!p) {
        cli_fail("out of memory");
        goto done;
    }
    if (cordon_records_open(fd, &ro, path, &r, &err) != 0) {
        cli_error(&err);
        goto done;
    }
    if (!(st = cli_store_open(db)))
        goto done;
    for (;;) {
        cordon_record rec;
        int rc = cordon_records_next(r, &rec, &err);
        if (rc == 0)
            break;
        if (rc < 0) {
            cli_error(&err);
            goto done;
        }
        char why[600] = "";
        const char *v[C_COUNT];
        cordon_schema schema = CORDON_SCHEMA_UNKNOWN;
        if (rec.error) {
            snprintf(why, sizeof why, "%s", rec.message);
        } else {
            for (int i = 0; i < C_COUNT; i++) {
                const cordon_field *f = column(&rec, cols[i], i);
                v[i] = f ? f->value : "";
            }
            if (*v[C_TYPE] && cordon_schema_parse(v[C_TYPE], strlen(v[C_TYPE]), &schema) != 0)
                snprintf(why, sizeof why, "unknown type \"%.64s\"", v[C_TYPE]);
            cordon_customer cust = {.id = v[C_ID], .name = v[C_NAME], .schema = schema,
                                    .birth_date = v[C_DOB], .country = v[C_COUNTRY],
                                    .identifier = v[C_IDENT]};
            if (!why[0] && cordon_customer_check(&cust, &err) != 0)
                snprintf(why, sizeof why, "%s", err.message);
        }
        if (why[0]) {
            rejected++;
            fprintf(stderr, "cordon: %s:%lu: row %lu: %s%s\n", path, rec.line, rec.number, why,
                    strict ? "; stopping (--strict)" : "");
            if (strict)
                goto done;
            continue;
        }
        if (!stage(p, v, schema)) {
            cli_fail("out of memory");
            goto done;
        }
        if (p->n == ADD_CHUNK && !flush(st, p, &stats))
            goto done;
    }
    if (!flush(st, p, &stats))
        goto done;
    if (!quiet)
        fprintf(stderr, "cordon monitor: %zu added, %zu changed, %zu unchanged, %lu rejected\n",
                stats.added, stats.changed, stats.unchanged, rejected);
    status = EXIT_CLEAN;
done:
    if (p)
        for (size_t i = 0; i < p->n; i++)
            free(p->text[i]);
    free(p);
    cordon_store_close(st);
    cordon_records_close(r);
    if (fd != STDIN_FILENO)
        close(fd);
    return status;
}

/* ---- run ---------------------------------------------------------------------- */

typedef struct printer {
    bool json;
    size_t n;
} printer;

static void print_alert(const cordon_alert *a, bool json)
{
    if (json) {
        char t[32];
        printf("{\"alert\":%lld,\"run\":%lld,\"time\":\"%s\",\"customer\":", (long long)a->id,
               (long long)a->run, cordon_time_format(a->time_ms, t));
        cli_json_string(stdout, a->customer);
        printf(",\"customer_name\":");
        cli_json_string(stdout, a->customer_name);
        printf(",\"entity\":");
        cli_json_string(stdout, a->entity);
        printf(",\"entity_name\":");
        cli_json_string(stdout, a->entity_name);
        printf(",\"score\":%.4f,\"reason\":", a->score);
        cli_json_string(stdout, a->reason);
        printf(",\"status\":\"%s\",\"note\":", cordon_alert_status_name(a->status));
        cli_json_string(stdout, a->note);
        printf(",\"customer_hash\":\"%s\",\"entity_hash\":\"%s\"}\n", a->customer_hash,
               a->entity_hash);
        return;
    }
    printf("%-7lld %-10s %-14s %-30.30s %-22s %-30.30s %.3f  %s\n", (long long)a->id,
           cordon_alert_status_name(a->status), a->customer, a->customer_name, a->entity,
           a->entity_name, a->score, a->reason);
}

static int on_alert(void *ctx, const cordon_alert *a)
{
    printer *p = ctx;
    p->n++;
    print_alert(a, p->json);
    return 0;
}

static int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"index", required_argument, NULL, 'I'},
        {"lists", required_argument, NULL, 'l'},
        {"threshold", required_argument, NULL, 'T'},
        {"full", no_argument, NULL, 'F'},
        {"jobs", required_argument, NULL, 'j'},
        {"no-audit", no_argument, NULL, 'N'},
        {"json", no_argument, NULL, 'J'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *index_opt = NULL, *lists_opt = NULL;
    cordon_monitor_options mo = {0};
    printer pr = {0};
    bool quiet = false;
    int c;
    char *end;
    optind = 1;
    while ((c = getopt_long(argc, argv, "j:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'I': index_opt = optarg; break;
        case 'l': lists_opt = optarg; break;
        case 'T':
            errno = 0;
            mo.threshold = strtod(optarg, &end);
            if (errno || *end || end == optarg || !(mo.threshold > 0) || mo.threshold > 1) {
                cli_fail("--threshold takes a number in (0,1]");
                return EXIT_ERROR;
            }
            break;
        case 'F': mo.full = 1; break;
        case 'j': {
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (errno || *end || v < 1 || v > 64) {
                cli_fail("-j takes a number of threads from 1 to 64");
                return EXIT_ERROR;
            }
            mo.threads = (unsigned)v;
            break;
        }
        case 'N': mo.no_audit = 1; break;
        case 'J': pr.json = true; break;
        case 'q': quiet = true; break;
        case 'h': help(stdout); return EXIT_CLEAN;
        default: help(stderr); return EXIT_ERROR;
        }
    }
    if (optind != argc) {
        help(stderr);
        return EXIT_ERROR;
    }
    if (index_opt && lists_opt) {
        cli_fail("give --index or --lists, not both");
        return EXIT_ERROR;
    }
    if (!mo.threads)
        mo.threads = cores();
    cordon_store *st = cli_store_open(db);
    if (!st)
        return EXIT_ERROR;
    cordon_index *idx = cli_open_index(index_opt, lists_opt);
    if (!idx) {
        cordon_store_close(st);
        return EXIT_ERROR;
    }
    cordon_monitor_report rep;
    cordon_error err;
    int rc = cordon_monitor_run(st, idx, &mo, on_alert, &pr, &rep, &err);
    fflush(stdout);
    int status = EXIT_ERROR;
    if (rc) {
        cli_error(&err);
    } else {
        status = rep.alerts ? EXIT_MATCH : EXIT_CLEAN;
        if (!quiet)
            fprintf(stderr,
                    "cordon monitor: run %lld against %.12s (previous %.12s): %zu customers; "
                    "%zu screened in full; entities +%zu ~%zu -%zu; %zu checked against "
                    "them, %zu screened; %zu new alert%s; %zu near misses rescored "
                    "(largest drift %.4f); %.2f s\n",
                    (long long)rep.run, rep.snapshot, rep.previous[0] ? rep.previous : "none",
                    rep.customers, rep.screened, rep.entities_added, rep.entities_changed,
                    rep.entities_removed, rep.scanned, rep.candidates, rep.alerts,
                    rep.alerts == 1 ? "" : "s", rep.near_misses, rep.max_drift, rep.seconds);
    }
    cordon_index_close(idx);
    cordon_store_close(st);
    return status;
}

/* ---- alerts ----------------------------------------------------------------------- */

static int cmd_alerts(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"status", required_argument, NULL, 's'},
        {"run", required_argument, NULL, 'r'},
        {"customer", required_argument, NULL, 'c'},
        {"json", no_argument, NULL, 'J'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    cordon_alert_filter f = {.status = CORDON_ALERT_OPEN};
    printer pr = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 's': {
            cordon_alert_status s;
            if (!strcmp(optarg, "all"))
                f.status = -1;
            else if (cordon_alert_status_parse(optarg, strlen(optarg), &s) == 0)
                f.status = (int)s;
            else {
                cli_fail("--status takes open, cleared, confirmed or all");
                return EXIT_ERROR;
            }
            break;
        }
        case 'r': {
            char *end;
            errno = 0;
            long long v = strtoll(optarg, &end, 10);
            if (errno || *end || v < 1) {
                cli_fail("--run takes a run number");
                return EXIT_ERROR;
            }
            f.run = v;
            break;
        }
        case 'c': f.customer = optarg; break;
        case 'J': pr.json = true; break;
        case 'h': help(stdout); return EXIT_CLEAN;
        default: help(stderr); return EXIT_ERROR;
        }
    }
    if (optind != argc) {
        help(stderr);
        return EXIT_ERROR;
    }
    cordon_store *st = cli_store_open(db);
    if (!st)
        return EXIT_ERROR;
    cordon_error err;
    int rc = cordon_alert_scan(st, &f, on_alert, &pr, &err);
    cordon_store_close(st);
    if (rc) {
        cli_error(&err);
        return EXIT_ERROR;
    }
    return EXIT_CLEAN;
}

int cmd_monitor(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "add"))
        return cmd_add(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "run"))
        return cmd_run(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "alerts"))
        return cmd_alerts(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        help(stdout);
        return EXIT_CLEAN;
    }
    help(stderr);
    return EXIT_ERROR;
}
