/*
 * rules.c — the trade-control rules POST /shipment screens with, and
 * their reload. The rules are read at start and again at every reload
 * (SIGHUP, POST /admin/reload), from $CORDON_RULES, or else
 * data/rules/rules.json beside the program (a checkout) or installed,
 * or under the working directory.
 *
 * Like the index (holder.c), the rules in use are a refcounted holder
 * swapped whole: a reload reads the new file off to the side and swaps
 * it in only when it loads, so a broken rules file leaves the old rules
 * in use, and a shipment screened during a reload finishes on the rules
 * it started with. The count is kept under a mutex rather than with
 * atomics: it is held for a few instructions, next to a screening that
 * takes milliseconds.
 *
 * Rules are optional: without a rules file (and without $CORDON_RULES)
 * the server runs and POST /shipment answers 503. A file that exists
 * but does not load is an error, and so is a $CORDON_RULES that names
 * nothing.
 */
#include "server_int.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;     /* current, refs, error */
static pthread_mutex_t load_mu = PTHREAD_MUTEX_INITIALIZER; /* one load at a time */
static srv_rules *current;
static unsigned long generation;
static char last_error[600]; /* the last failed load, until one works */

/* Where the rules are; *explicit_ is set when $CORDON_RULES names them. */
static const char *rules_path(char *buf, size_t size, int *explicit_)
{
    const char *env = getenv("CORDON_RULES");
    *explicit_ = env && *env;
    if (*explicit_)
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            const char *rel[] = {"/../data/rules/rules.json", "/../share/cordon/rules/rules.json"};
            for (size_t i = 0; i < 2; i++)
                if ((size_t)snprintf(buf, size, "%s%s", exe, rel[i]) < size &&
                    access(buf, R_OK) == 0)
                    return buf;
        }
    }
    return "data/rules/rules.json";
}

static void release_locked(srv_rules *r)
{
    if (r && --r->refs == 0) {
        cordon_rules_free(r->rules);
        free(r);
    }
}

/* Reads the rules and swaps them in. 1 loaded; 0 nothing to load (no
 * rules now, none found); -1 failed, with pub (no directories) and log
 * (the full path) filled and the old rules kept. */
static int load(char *pub, size_t pub_size, char *log, size_t log_size)
{
    char buf[PATH_MAX + 64];
    int explicit_ = 0;
    const char *path = rules_path(buf, sizeof buf, &explicit_);
    pthread_mutex_lock(&mu);
    int have = current != NULL;
    pthread_mutex_unlock(&mu);
    if (!explicit_ && !have && access(path, F_OK) != 0 && errno == ENOENT) {
        snprintf(pub, pub_size, "no rules file (set CORDON_RULES)");
        snprintf(log, log_size, "no rules file: %s does not exist and CORDON_RULES is not set",
                 path);
        pthread_mutex_lock(&mu);
        snprintf(last_error, sizeof last_error, "%s", pub);
        pthread_mutex_unlock(&mu);
        return 0;
    }
    cordon_error err;
    cordon_error_clear(&err);
    cordon_rules *rules = NULL;
    srv_rules *h = NULL;
    if (cordon_rules_read(path, &rules, &err) != 0) {
        srv_error_public(&err, pub, pub_size);
        cordon_error_format(&err, log, log_size);
    } else if (!(h = calloc(1, sizeof *h))) {
        cordon_rules_free(rules);
        snprintf(pub, pub_size, "out of memory");
        snprintf(log, log_size, "out of memory");
    }
    if (!h) {
        pthread_mutex_lock(&mu);
        snprintf(last_error, sizeof last_error, "%s", pub);
        pthread_mutex_unlock(&mu);
        return -1;
    }
    const char *base = strrchr(path, '/');
    h->rules = rules;
    h->refs = 1;
    h->loaded_at = time(NULL);
    base = base ? base + 1 : path;
    size_t n = strlen(base) < sizeof h->file ? strlen(base) : sizeof h->file - 1;
    memcpy(h->file, base, n);
    h->file[n] = '\0';
    srv_utf8_trim(h->file);
    pthread_mutex_lock(&mu);
    h->generation = ++generation;
    srv_rules *old = current;
    current = h;
    last_error[0] = '\0';
    release_locked(old);
    pthread_mutex_unlock(&mu);
    const char *as_of = cordon_rules_as_of(rules);
    snprintf(pub, pub_size, "%zu rules as of %s from %s", cordon_rules_count(rules),
             *as_of ? as_of : "(no date)", h->file);
    snprintf(log, log_size, "%zu rules as of %s from %s", cordon_rules_count(rules),
             *as_of ? as_of : "(no date)", path);
    return 1;
}

int srv_rules_start(char *log, size_t size)
{
    char pub[600];
    pthread_mutex_lock(&load_mu);
    int rc = load(pub, sizeof pub, log, size);
    pthread_mutex_unlock(&load_mu);
    return rc;
}

int srv_rules_reload(char *pub, size_t pub_size, char *log, size_t log_size)
{
    pthread_mutex_lock(&load_mu);
    int rc = load(pub, pub_size, log, log_size);
    pthread_mutex_unlock(&load_mu);
    return rc;
}

srv_rules *srv_rules_acquire(char *why, size_t size)
{
    pthread_mutex_lock(&mu);
    srv_rules *r = current;
    if (r)
        r->refs++;
    else
        snprintf(why, size, "%s", last_error[0] ? last_error : "no rules loaded");
    pthread_mutex_unlock(&mu);
    return r;
}

void srv_rules_release(srv_rules *r)
{
    pthread_mutex_lock(&mu);
    release_locked(r);
    pthread_mutex_unlock(&mu);
}

void srv_rules_info_get(srv_rules_info *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&mu);
    srv_rules *r = current;
    if (r) {
        out->loaded = 1;
        snprintf(out->file, sizeof out->file, "%s", r->file);
        snprintf(out->as_of, sizeof out->as_of, "%s", cordon_rules_as_of(r->rules));
        out->count = cordon_rules_count(r->rules);
        out->loaded_at = r->loaded_at;
        out->generation = r->generation;
    }
    snprintf(out->error, sizeof out->error, "%s", last_error);
    pthread_mutex_unlock(&mu);
}

void srv_rules_stop(void)
{
    pthread_mutex_lock(&mu);
    release_locked(current);
    current = NULL;
    pthread_mutex_unlock(&mu);
}
