/*
 * cmd_audit.c — `cordon audit`: lists and exports the audit log, and
 * `cordon audit verify` walks its hash chain. Exit status of verify: 0
 * the chain holds, 1 it is broken (the message names the first bad
 * record), 2 an error.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *out)
{
    fputs("usage: cordon audit [--db FILE] [--since T] [--until T] [--query TEXT]\n"
          "                    [--kind KIND] [--limit N] [--json]\n"
          "       cordon audit verify [--db FILE] [--head SEQ:HASH]\n"
          "\n"
          "Lists the audit log: every screening decision of `cordon screen --audit`,\n"
          "`cordon batch`, `cordon serve` and `cordon monitor`, and every `cordon\n"
          "decide`, oldest first. T is a date or date-time in UTC (2025-06-01,\n"
          "2025-06-01T14:30) or an age (90s, 30m, 12h, 7d). --query keeps records\n"
          "whose subject (the name screened) contains TEXT, ignoring case; --kind is\n"
          "screen, batch, search, match, monitor or decide. --json writes one JSON\n"
          "object a line, with every field and both hashes: an export.\n"
          "\n"
          "verify recomputes every record's SHA-256 and checks each one's link to the\n"
          "one before; it prints the head (last record and hash). --head SEQ:HASH also\n"
          "checks that record SEQ still has a hash published earlier, which catches a\n"
          "log cut short at its end.\n"
          "\n"
          "The store is --db FILE, else $CORDON_DB, else ~/.local/state/cordon/cordon.db.\n"
          "Exit status: 0 ok, 1 verify found the chain broken, 2 error.\n",
          out);
}

typedef struct lister {
    bool json;
    size_t n;
} lister;

/* "ofac_sdn:306 0.97" of the first match in a record's matches JSON:
 * the log keeps it as text, so read the two fields back out of it. */
static void top_match(const char *m, char *buf, size_t size)
{
    buf[0] = '\0';
    const char *id = strstr(m, "\"id\":\"");
    const char *sc = strstr(m, "\"score\":");
    if (!id || !sc)
        return;
    id += 6;
    size_t n = 0;
    while (id[n] && id[n] != '"' && n < 80)
        n++;
    snprintf(buf, size, "%.*s %.3f", (int)n, id, strtod(sc + 8, NULL));
}

static int list_one(void *ctx, const cordon_audit_record *r)
{
    lister *l = ctx;
    l->n++;
    if (l->json) {
        char *j = cordon_audit_record_json(r);
        if (!j)
            return CORDON_ENOMEM;
        puts(j);
        cordon_free(j);
        return 0;
    }
    char t[32], top[128];
    cordon_time_format(r->time_ms, t);
    top_match(r->matches, top, sizeof top);
    printf("%6" PRIu64 "  %s  %-7s %-12s %-40s %2zu match%s%s%s\n", r->seq, t, r->kind,
           r->caller, r->subject, r->n_matches, r->n_matches == 1 ? "  " : "es",
           top[0] ? "  top " : "", top);
    return 0;
}

static int copy_hash(void *ctx, const cordon_audit_record *r)
{
    snprintf(ctx, 65, "%s", r->hash);
    return 0;
}

static int verify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"head", required_argument, NULL, 'H'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *head = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'H': head = optarg; break;
        case 'h': help(stdout); return EXIT_CLEAN;
        default: help(stderr); return EXIT_ERROR;
        }
    }
    if (optind != argc) {
        help(stderr);
        return EXIT_ERROR;
    }
    uint64_t head_seq = 0;
    char head_hash[65] = "";
    if (head) {
        char *end;
        errno = 0;
        head_seq = strtoull(head, &end, 10);
        if (errno || end == head || *end != ':' || strlen(end + 1) != 64 || head_seq == 0) {
            cli_fail("--head takes SEQ:HASH, the hash 64 hex digits");
            return EXIT_ERROR;
        }
        snprintf(head_hash, sizeof head_hash, "%s", end + 1);
    }
    cordon_store *st = cli_store_open(db);
    if (!st)
        return EXIT_ERROR;
    cordon_audit_check chk;
    cordon_error err;
    int rc = cordon_audit_verify(st, &chk, &err);
    int status = EXIT_CLEAN;
    if (rc == CORDON_ECORRUPT) {
        cli_fail("%s; the chain is broken (%" PRIu64 " records before it verified)", err.message,
                 chk.records);
        status = EXIT_MATCH;
    } else if (rc) {
        cli_error(&err);
        status = EXIT_ERROR;
    } else if (head && head_seq > chk.head_seq) {
        cli_fail("record %" PRIu64 " is gone: the log ends at %" PRIu64, head_seq, chk.head_seq);
        status = EXIT_MATCH;
    }
    if (status == EXIT_CLEAN && head) {
        /* the anchored record must still carry the published hash */
        char got[65] = "";
        cordon_audit_filter f = {.seq_from = head_seq, .seq_to = head_seq};
        if (cordon_audit_scan(st, &f, copy_hash, got, &err) != 0) {
            cli_error(&err);
            status = EXIT_ERROR;
        } else if (strcmp(got, head_hash) != 0) {
            cli_fail("record %" PRIu64 " has hash %s, not the published %s", head_seq, got,
                     head_hash);
            status = EXIT_MATCH;
        }
    }
    if (status == EXIT_CLEAN)
        printf("audit log %s: %" PRIu64 " records verified; head %" PRIu64 " %s\n",
               cli_db_path(db), chk.records, chk.head_seq,
               chk.head_seq ? chk.head_hash : "(empty)");
    cordon_store_close(st);
    return status;
}

int cmd_audit(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "verify"))
        return verify(argc - 1, argv + 1);
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"since", required_argument, NULL, 's'},
        {"until", required_argument, NULL, 'u'},
        {"query", required_argument, NULL, 'q'},
        {"kind", required_argument, NULL, 'k'},
        {"limit", required_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    cordon_audit_filter f = {0};
    lister l = {0};
    int64_t now = cordon_time_now();
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 's':
        case 'u': {
            int64_t *t = c == 's' ? &f.since_ms : &f.until_ms;
            if (cordon_time_parse(optarg, strlen(optarg), now, t) != 0) {
                cli_fail("--%s \"%s\" is not a time (2025-06-01, 2025-06-01T14:30, 7d, 12h)",
                         c == 's' ? "since" : "until", optarg);
                return EXIT_ERROR;
            }
            break;
        }
        case 'q': f.query = optarg; break;
        case 'k': f.kind = optarg; break;
        case 'n': {
            char *end;
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (errno || *end || end == optarg || v < 1) {
                cli_fail("--limit takes a positive number");
                return EXIT_ERROR;
            }
            f.limit = (size_t)v;
            break;
        }
        case 'j': l.json = true; break;
        case 'h': help(stdout); return EXIT_CLEAN;
        default: help(stderr); return EXIT_ERROR;
        }
    }
    if (optind != argc) {
        cli_fail("unknown argument \"%s\"; see cordon audit --help", argv[optind]);
        return EXIT_ERROR;
    }
    cordon_store *st = cli_store_open(db);
    if (!st)
        return EXIT_ERROR;
    cordon_error err;
    int rc = cordon_audit_scan(st, &f, list_one, &l, &err);
    cordon_store_close(st);
    if (rc) {
        if (rc == CORDON_ENOMEM)
            cli_fail("out of memory");
        else
            cli_error(&err);
        return EXIT_ERROR;
    }
    if (!l.json && !l.n)
        fprintf(stderr, "cordon: no audit records%s\n",
                f.since_ms || f.until_ms || f.query || f.kind ? " match" : "");
    return EXIT_CLEAN;
}
