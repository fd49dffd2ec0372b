/*
 * cmd_serve.c — `cordon serve`: the HTTP API and the analysts' page (the
 * server itself is in server/), and `cordon serve --hash-key ID`, which
 * turns a key on stdin into a line of the keys file.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "../server/server.h"

static void help(FILE *out)
{
    fprintf(out,
            "usage: cordon serve [--index FILE | --lists FILE] [--keys FILE | --no-auth]\n"
            "                    [--bind ADDR] [--port N] [limits]\n"
            "       cordon serve --hash-key KEY_ID < key\n\n"
            "Serves the screening API (docs/openapi.yaml) and a page for analysts at /.\n"
            "SIGHUP or POST /admin/reload reopens the snapshot (--index) or rebuilds from\n"
            "the lists (--lists); a reload that fails keeps the old index serving.\n\n"
            "  --index FILE        snapshot made by `cordon build` (default: the one\n"
            "                      `cordon screen` uses, else the default lists)\n"
            "  --lists FILE        lists file to build the index from\n"
            "  --keys FILE         API keys: lines \"KEY_ID SHA256HEX\"\n"
            "  --no-auth           no keys (only with a loopback --bind)\n"
            "  --hash-key KEY_ID   print the keys-file line for the key on stdin\n"
            "  --bind ADDR         address to listen on (default 127.0.0.1)\n"
            "  --port N            port (default 8080; 0 = any free port)\n"
            "  --threads N         worker threads (default: one per core)\n"
            "  --max-body BYTES    largest request body (default %u)\n"
            "  --max-target BYTES  longest path and query string (default %u)\n"
            "  --timeout SECONDS   idle time before a connection is closed (default %u)\n"
            "  --max-connections N open connections in all (default %u)\n"
            "  --per-ip N          open connections from one address (default %u)\n"
            "  --quiet             no log line per request\n"
            "  --audit DB          keep every /search and /match answer in the audit log\n"
            "                      of store DB (default: $CORDON_DB, else\n"
            "                      ~/.local/state/cordon/cordon.db; see `cordon audit`)\n"
            "  --no-audit          keep no audit log\n",
            SRV_DEFAULT_MAX_BODY, SRV_DEFAULT_MAX_TARGET, SRV_DEFAULT_TIMEOUT,
            SRV_DEFAULT_MAX_CONNECTIONS, SRV_DEFAULT_PER_IP);
}

static int number(const char *opt, const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || v > max) {
        cli_fail("%s needs a whole number up to %lu, not \"%s\"", opt, max, s);
        return -1;
    }
    *out = v;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    enum { O_THREADS = 256, O_MAX_BODY, O_MAX_TARGET, O_TIMEOUT, O_MAX_CONN, O_PER_IP,
           O_NO_AUTH, O_HASH_KEY, O_QUIET, O_AUDIT, O_NO_AUDIT };
    static const struct option opts[] = {
        {"index", required_argument, NULL, 'i'},
        {"lists", required_argument, NULL, 'l'},
        {"keys", required_argument, NULL, 'k'},
        {"bind", required_argument, NULL, 'b'},
        {"port", required_argument, NULL, 'p'},
        {"threads", required_argument, NULL, O_THREADS},
        {"max-body", required_argument, NULL, O_MAX_BODY},
        {"max-target", required_argument, NULL, O_MAX_TARGET},
        {"timeout", required_argument, NULL, O_TIMEOUT},
        {"max-connections", required_argument, NULL, O_MAX_CONN},
        {"per-ip", required_argument, NULL, O_PER_IP},
        {"no-auth", no_argument, NULL, O_NO_AUTH},
        {"hash-key", required_argument, NULL, O_HASH_KEY},
        {"quiet", no_argument, NULL, O_QUIET},
        {"audit", required_argument, NULL, O_AUDIT},
        {"no-audit", no_argument, NULL, O_NO_AUDIT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    srv_options o;
    srv_options_init(&o);
    const char *hash_key = NULL, *audit_opt = NULL;
    int no_audit = 0;
    unsigned long v;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:l:k:b:p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'i': o.index_path = optarg; break;
        case 'l': o.lists_path = optarg; break;
        case 'k': o.keys_path = optarg; break;
        case 'b': o.bind = optarg; break;
        case 'p':
            if (number("--port", optarg, 65535, &v)) return EXIT_ERROR;
            o.port = (unsigned)v;
            break;
        case O_THREADS:
            if (number("--threads", optarg, 256, &v)) return EXIT_ERROR;
            o.threads = (unsigned)v;
            break;
        case O_MAX_BODY:
            if (number("--max-body", optarg, 1ul << 30, &v)) return EXIT_ERROR;
            o.max_body = v;
            break;
        case O_MAX_TARGET:
            if (number("--max-target", optarg, 1ul << 20, &v)) return EXIT_ERROR;
            o.max_target = v;
            break;
        case O_TIMEOUT:
            if (number("--timeout", optarg, 3600, &v)) return EXIT_ERROR;
            o.timeout = (unsigned)v;
            break;
        case O_MAX_CONN:
            if (number("--max-connections", optarg, 100000, &v)) return EXIT_ERROR;
            o.max_connections = (unsigned)v;
            break;
        case O_PER_IP:
            if (number("--per-ip", optarg, 100000, &v)) return EXIT_ERROR;
            o.per_ip = (unsigned)v;
            break;
        case O_NO_AUTH: o.no_auth = 1; break;
        case O_HASH_KEY: hash_key = optarg; break;
        case O_QUIET: o.quiet = 1; break;
        case O_AUDIT: audit_opt = optarg; break;
        case O_NO_AUDIT: no_audit = 1; break;
        case 'h': help(stdout); return EXIT_CLEAN;
        default: help(stderr); return EXIT_ERROR;
        }
    }
    if (optind != argc) {
        cli_fail("serve takes no arguments; see cordon serve --help");
        return EXIT_ERROR;
    }
    if (hash_key)
        return srv_hash_key(hash_key, stdin, stdout) == 0 ? EXIT_CLEAN : EXIT_ERROR;
    /* the default index of every screening command: the snapshot, else
     * the default lists (see cli/snapshot.c) */
    if (!o.index_path && !o.lists_path) {
        o.index_path = cli_index_path();
        if (!o.index_path)
            o.lists_path = cli_lists_path(NULL);
        if (!o.index_path && !o.lists_path) {
            cli_fail("no index: pass --index FILE or --lists FILE");
            return EXIT_ERROR;
        }
    }
    /* decisions are logged unless asked not to */
    o.audit_path = no_audit ? NULL : cli_db_path(audit_opt);
    return srv_run(&o) == 0 ? EXIT_CLEAN : EXIT_ERROR;
}
