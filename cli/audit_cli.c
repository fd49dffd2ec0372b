/*
 * audit_cli.c — what the commands share to keep their decisions: where
 * the store is (--db/--audit, $CORDON_DB, or the per-user state
 * directory), and an audit sink that screen and batch hand records to.
 * The sink is a cordon_audit_writer: records are committed in large
 * transactions by its own thread, so screening does not wait for disk.
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char db_path[PATH_MAX];

/* mkdir -p of the directories above path. */
static void make_parents(const char *path)
{
    char d[PATH_MAX];
    snprintf(d, sizeof d, "%s", path);
    for (char *p = d + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(d, 0700);
        *p = '/';
    }
}

const char *cli_db_path(const char *given)
{
    if (given && *given)
        return given;
    const char *env = getenv("CORDON_DB");
    if (env && *env)
        return env;
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    int n;
    if (state && *state)
        n = snprintf(db_path, sizeof db_path, "%s/cordon/cordon.db", state);
    else if (home && *home)
        n = snprintf(db_path, sizeof db_path, "%s/.local/state/cordon/cordon.db", home);
    else
        return "cordon.db";
    if (n < 0 || (size_t)n >= sizeof db_path)
        return "cordon.db";
    make_parents(db_path);
    return db_path;
}

cordon_store *cli_store_open(const char *given)
{
    const char *path = cli_db_path(given);
    cordon_store *st = NULL;
    cordon_error err;
    if (cordon_store_open(path, &st, &err) != 0) {
        cli_error(&err);
        return NULL;
    }
    return st;
}

struct cli_audit {
    cordon_audit_writer *w;
    const char *path;
    bool failed;
};

cli_audit *cli_audit_open(const char *path)
{
    cli_audit *a = calloc(1, sizeof *a);
    if (!a) {
        cli_fail("out of memory");
        return NULL;
    }
    a->path = cli_db_path(path);
    cordon_error err;
    if (cordon_audit_writer_open(a->path, &a->w, &err) != 0) {
        char buf[1200];
        cli_fail("cannot keep the audit log: %s (--no-audit runs without one)",
                 cordon_error_format(&err, buf, sizeof buf));
        free(a);
        return NULL;
    }
    return a;
}

bool cli_audit_push(cli_audit *a, cordon_audit_record *rec)
{
    if (!a) {
        cordon_audit_record_free(rec);
        return true;
    }
    cordon_error err;
    if (cordon_audit_writer_push(a->w, rec, &err) != 0) {
        if (!a->failed)
            cli_error(&err);
        a->failed = true;
        return false;
    }
    return true;
}

bool cli_audit_screen(cli_audit *a, const char *kind, const cordon_query *q,
                      const cordon_screen_options *o, const cordon_index *idx,
                      const cordon_result *r, const char *context)
{
    if (!a)
        return true;
    cordon_audit_record *rec = NULL;
    cordon_error err;
    if (cordon_audit_record_screen(kind, "cli", q, o, idx, r, context, &rec, &err) != 0) {
        cli_error(&err);
        a->failed = true;
        return false;
    }
    return cli_audit_push(a, rec);
}

bool cli_audit_close(cli_audit *a, uint64_t *written)
{
    if (written)
        *written = 0;
    if (!a)
        return true;
    cordon_error err;
    int rc = cordon_audit_writer_close(a->w, written, &err);
    if (rc && !a->failed)
        cli_error(&err);
    bool ok = rc == 0 && !a->failed;
    free(a);
    return ok;
}
