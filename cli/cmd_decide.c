/*
 * cmd_decide.c — `cordon decide ALERT-ID --clear|--confirm --note TEXT`:
 * an analyst's decision on a monitoring alert, recorded with its note
 * and written to the audit log in the same transaction.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *out)
{
    fputs("usage: cordon decide ALERT-ID --clear|--confirm --note TEXT [--by NAME]\n"
          "                    [--db FILE]\n"
          "\n"
          "Records a decision on an alert of `cordon monitor`: --clear (a false\n"
          "positive) or --confirm (a true match), with a note saying why. The decision\n"
          "and an audit record are written together; decisions are never changed or\n"
          "deleted, and a later decision on the same alert is added after them. A\n"
          "cleared alert is not raised again for the same customer and entity unless\n"
          "the customer's data or the entity's record changes. --by names the analyst\n"
          "(default: $USER).\n"
          "Exit status: 0 recorded, 2 error (no such alert, no note).\n",
          out);
}

int cmd_decide(int argc, char **argv)
{
    static const struct option opts[] = {
        {"clear", no_argument, NULL, 'c'},
        {"confirm", no_argument, NULL, 'C'},
        {"note", required_argument, NULL, 'n'},
        {"by", required_argument, NULL, 'b'},
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *note = NULL, *db = NULL, *by = NULL;
    int decision = -1;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
        case 'C': {
            int d = c == 'c' ? CORDON_ALERT_CLEARED : CORDON_ALERT_CONFIRMED;
            if (decision >= 0 && decision != d) {
                cli_fail("give --clear or --confirm, not both");
                return EXIT_ERROR;
            }
            decision = d;
            break;
        }
        case 'n': note = optarg; break;
        case 'b': by = optarg; break;
        case 'd': db = optarg; break;
        case 'h': help(stdout); return EXIT_CLEAN;
        default: help(stderr); return EXIT_ERROR;
        }
    }
    if (optind != argc - 1) {
        help(stderr);
        return EXIT_ERROR;
    }
    char *end;
    errno = 0;
    long long id = strtoll(argv[optind], &end, 10);
    if (errno || *end || end == argv[optind] || id < 1) {
        cli_fail("\"%s\" is not an alert id (a number, as `cordon monitor` prints)",
                 argv[optind]);
        return EXIT_ERROR;
    }
    if (decision < 0) {
        cli_fail("say --clear or --confirm");
        return EXIT_ERROR;
    }
    if (!note || !*note) {
        cli_fail("a decision needs --note TEXT saying why");
        return EXIT_ERROR;
    }
    if (!by || !*by)
        by = getenv("USER");
    if (!by || !*by)
        by = "cli";
    cordon_store *st = cli_store_open(db);
    if (!st)
        return EXIT_ERROR;
    cordon_error err;
    int rc = cordon_alert_decide(st, id, (cordon_alert_status)decision, note, by, &err);
    cordon_store_close(st);
    if (rc) {
        cli_error(&err);
        return EXIT_ERROR;
    }
    printf("alert %lld %s\n", id, decision == CORDON_ALERT_CLEARED ? "cleared" : "confirmed");
    return EXIT_CLEAN;
}
