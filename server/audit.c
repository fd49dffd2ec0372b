/*
 * audit.c — the server's audit log: every screening /search and /match
 * answer is recorded (caller = the API key id) through one
 * cordon_audit_writer, whose thread commits what the request threads
 * queue in large transactions. A request whose record cannot be queued
 * (the store failed) is answered 503 rather than with an unrecorded
 * decision.
 */
#include "server_int.h"

#include <stdio.h>
#include <string.h>

static cordon_audit_writer *writer;

int srv_audit_start(char *msg, size_t size)
{
    if (!srv_opts->audit_path) {
        snprintf(msg, size, "off (--no-audit)");
        return 0;
    }
    cordon_error err;
    if (cordon_audit_writer_open(srv_opts->audit_path, &writer, &err) != 0) {
        char buf[1200];
        snprintf(msg, size, "%s", cordon_error_format(&err, buf, sizeof buf));
        return -1;
    }
    snprintf(msg, size, "%s", srv_opts->audit_path);
    return 0;
}

int srv_audit_screen(const char *key_id, const char *kind, const cordon_query *q,
                     const cordon_screen_options *o, const cordon_index *idx,
                     const cordon_result *r, const char *context)
{
    if (!writer)
        return 0;
    cordon_audit_record *rec = NULL;
    cordon_error err;
    /* without keys (--no-auth, loopback only) there is no caller to name */
    if (cordon_audit_record_screen(kind, key_id ? key_id : "no-auth", q, o, idx, r, context, &rec,
                                   &err) != 0)
        return -1;
    if (cordon_audit_writer_push(writer, rec, &err) != 0) {
        static int told;
        if (!told++)
            fprintf(stderr, "cordon serve: the audit log failed: %s\n", err.message);
        return -1;
    }
    return 0;
}

void srv_audit_stop(void)
{
    cordon_error err;
    uint64_t n = 0;
    if (writer && cordon_audit_writer_close(writer, &n, &err) != 0)
        fprintf(stderr, "cordon serve: the audit log failed: %s\n", err.message);
    else if (writer && !srv_opts->quiet)
        fprintf(stderr, "cordon serve: %llu audit records written\n", (unsigned long long)n);
    writer = NULL;
}

char *srv_audit_context(const char *endpoint, const char *key)
{
    json_t *o = json_pack("{s:s}", "endpoint", endpoint);
    if (o && key)
        json_object_set_new(o, "query", json_string(key));
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    return s;
}
