/*
 * main.c — the `cordon` program: dispatches to one cmd_<verb>.c per
 * command.
 */
#include "cli.h"

#include <malloc.h>
#include <string.h>

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"lists", cmd_lists, "show the loaded lists: dates, counts, hashes, warnings"},
    {"show", cmd_show, "show one listed entity as loaded"},
    {"serve", cmd_serve, "serve the HTTP API and the analysts' page; hot list reload"},
    {"screen", cmd_screen, "screen names against the lists: scored matches with reasons"},
    {"compare", cmd_compare, "score one name against another, with the explanation"},
    {"build", cmd_build, "compile the lists into the index snapshot screening uses"},
    {"batch", cmd_batch, "screen a customer file (CSV or JSON lines) in parallel, in order"},
    {"monitor", cmd_monitor, "monitor customers: screen what changed since the last run"},
    {"decide", cmd_decide, "clear or confirm a monitoring alert, with a note"},
    {"audit", cmd_audit, "list, export and verify the audit log of screening decisions"},
    {"diff", cmd_diff, "compare two versions of the lists: entities added, removed, changed"},
    {"shipment", cmd_shipment, "screen a shipment: parties, places and goods against trade controls"},
    {"normalize", cmd_normalize, "show how a name is read: tokens, roles, romanizations, keys"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: cordon [--help] [--version] COMMAND [ARGS]\n\n"
                 "cordon screens names, customer files and shipments against\n"
                 "sanctions lists (OFAC, UN, UK OFSI, US CSL, OpenSanctions).\n\n"
                 "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n`cordon COMMAND --help` shows a command's options.\n"
                 "Exit status: 0 nothing matched, 1 matches found, 2 error.\n");
}

int main(int argc, char **argv)
{
    /* Screening allocates and frees its scratch query after query, on
     * several threads. glibc hands freed memory back to the kernel past
     * 128 KB and maps large blocks afresh, so the next query faults the
     * same pages in again, which costs more than the work on a virtual
     * machine (15-20 us a page here). Keep what the process has had. */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    if (argc < 2) {
        usage(stderr);
        return EXIT_ERROR;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_CLEAN;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("cordon %s\n", cordon_version());
        return EXIT_CLEAN;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    cli_fail("unknown command \"%s\"; see cordon --help", argv[1]);
    return EXIT_ERROR;
}
