/*
 * batch_output.c — what `cordon batch` writes: output and rejects rows in
 * CSV or JSON lines, and the output files themselves, which appear under
 * their name only once complete.
 *
 * A result file that looks complete but is not is the one failure batch
 * must never have: a bank would clear the customers that were never
 * screened. So the target name is only ever created by rename(2) after
 * the last byte is fsync'd. Until then the bytes live in an unnamed
 * O_TMPFILE inode, which the kernel frees if the process dies in any
 * way, SIGKILL included. Where O_TMPFILE is unsupported (some network
 * and overlay file systems), a named temporary is used, removed by the
 * signal handler, or by the next run if the process was SIGKILLed.
 */
#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- byte buffer ---------------------------------------------------- */

bool bbuf_reserve(bbuf *b, size_t extra)
{
    if (extra > SIZE_MAX / 2 - b->len)
        return false;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return false;
    b->data = p;
    b->cap = cap;
    return true;
}

bool bbuf_add(bbuf *b, const char *s, size_t len)
{
    if (!bbuf_reserve(b, len))
        return false;
    memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
    return true;
}

bool bbuf_str(bbuf *b, const char *s) { return bbuf_add(b, s, strlen(s)); }

bool bbuf_printf(bbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !bbuf_reserve(b, (size_t)n))
        return false;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return true;
}

bool bbuf_csv(bbuf *b, const char *s, size_t len)
{
    bool quote = false;
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote)
        return bbuf_add(b, s, len);
    if (!bbuf_reserve(b, len + 2) || !bbuf_add(b, "\"", 1))
        return false;
    for (size_t i = 0; i < len; i++) {
        const char *q = memchr(s + i, '"', len - i);
        size_t end = q ? (size_t)(q - s) + 1 : len;
        if (!bbuf_add(b, s + i, end - i) || (q && !bbuf_add(b, "\"", 1)))
            return false;
        i = end - 1;
    }
    return bbuf_add(b, "\"", 1);
}

bool bbuf_json(bbuf *b, const char *s, size_t len)
{
    if (!bbuf_reserve(b, len + 2) || !bbuf_add(b, "\"", 1))
        return false;
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (!bbuf_add(b, s + run, i - run))
            return false;
        run = i + 1;
        bool ok;
        switch (c) {
        case '"': ok = bbuf_add(b, "\\\"", 2); break;
        case '\\': ok = bbuf_add(b, "\\\\", 2); break;
        case '\n': ok = bbuf_add(b, "\\n", 2); break;
        case '\r': ok = bbuf_add(b, "\\r", 2); break;
        case '\t': ok = bbuf_add(b, "\\t", 2); break;
        default: ok = bbuf_printf(b, "\\u%04x", c);
        }
        if (!ok)
            return false;
    }
    return bbuf_add(b, s + run, len - run) && bbuf_add(b, "\"", 1);
}

void bbuf_free(bbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ---- rows ------------------------------------------------------------ */

bool batch_header(bbuf *b, batch_out_format f, const char *const *keep, size_t n_keep)
{
    if (f != BATCH_OUT_CSV)
        return true;
    bool ok = bbuf_str(b, "row");
    for (size_t i = 0; ok && i < n_keep; i++)
        ok = bbuf_add(b, ",", 1) && bbuf_csv(b, keep[i], strlen(keep[i]));
    return ok && bbuf_str(b, ",match_id,list,matched_name,score,reason\n");
}

bool batch_row(bbuf *b, batch_out_format f, unsigned long row, const char *const *keep,
               const char *const *keep_values, size_t n_keep, const cordon_match *m)
{
    char reason[1024];
    char *rs = reason;
    size_t rlen = 0;
    if (m) {
        rlen = cordon_match_reason(m, reason, sizeof reason);
        if (rlen >= sizeof reason) {
            rs = malloc(rlen + 1);
            if (!rs)
                return false;
            cordon_match_reason(m, rs, rlen + 1);
        }
    }
    const char *matched = m && m->explanation.matched_name ? m->explanation.matched_name
                                                           : (m ? m->name : "");
    bool ok;
    if (f == BATCH_OUT_CSV) {
        ok = bbuf_printf(b, "%lu", row);
        for (size_t i = 0; ok && i < n_keep; i++)
            ok = bbuf_add(b, ",", 1) &&
                 bbuf_csv(b, keep_values[i], strlen(keep_values[i]));
        if (ok && m)
            ok = bbuf_add(b, ",", 1) && bbuf_csv(b, m->id, strlen(m->id)) &&
                 bbuf_add(b, ",", 1) && bbuf_csv(b, m->source, strlen(m->source)) &&
                 bbuf_add(b, ",", 1) && bbuf_csv(b, matched, strlen(matched)) &&
                 bbuf_printf(b, ",%.4f,", m->score) && bbuf_csv(b, rs, rlen);
        else if (ok)
            ok = bbuf_str(b, ",,,,,");
        ok = ok && bbuf_add(b, "\n", 1);
    } else {
        ok = bbuf_printf(b, "{\"row\":%lu,\"input\":{", row);
        for (size_t i = 0; ok && i < n_keep; i++)
            ok = (i == 0 || bbuf_add(b, ",", 1)) && bbuf_json(b, keep[i], strlen(keep[i])) &&
                 bbuf_add(b, ":", 1) && bbuf_json(b, keep_values[i], strlen(keep_values[i]));
        ok = ok && bbuf_str(b, "},\"match\":");
        if (ok && m)
            ok = bbuf_str(b, "{\"id\":") && bbuf_json(b, m->id, strlen(m->id)) &&
                 bbuf_str(b, ",\"list\":") && bbuf_json(b, m->source, strlen(m->source)) &&
                 bbuf_str(b, ",\"matched_name\":") && bbuf_json(b, matched, strlen(matched)) &&
                 bbuf_printf(b, ",\"score\":%.4f,\"reason\":", m->score) &&
                 bbuf_json(b, rs, rlen) && bbuf_str(b, "}");
        else if (ok)
            ok = bbuf_str(b, "null");
        ok = ok && bbuf_str(b, "}\n");
    }
    if (rs != reason)
        free(rs);
    return ok;
}

bool batch_reject_header(bbuf *b, batch_out_format f)
{
    return f != BATCH_OUT_CSV || bbuf_str(b, "row,line,reason\n");
}

bool batch_reject(bbuf *b, batch_out_format f, unsigned long row, unsigned long line,
                  const char *reason)
{
    if (f == BATCH_OUT_CSV)
        return bbuf_printf(b, "%lu,%lu,", row, line) && bbuf_csv(b, reason, strlen(reason)) &&
               bbuf_add(b, "\n", 1);
    return bbuf_printf(b, "{\"row\":%lu,\"line\":%lu,\"reason\":", row, line) &&
           bbuf_json(b, reason, strlen(reason)) && bbuf_str(b, "}\n");
}

/* ---- signals ---------------------------------------------------------- */

/* Named temporaries to remove if a signal ends the run. Written only
 * with signals blocked; read by the handler. */
#define CLEANUP_SLOTS 4
static char cleanup_path[CLEANUP_SLOTS][PATH_MAX + 80];
static volatile sig_atomic_t cleanup_on[CLEANUP_SLOTS];
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void on_signal(int sig)
{
    for (int i = 0; i < CLEANUP_SLOTS; i++)
        if (cleanup_on[i])
            unlink(cleanup_path[i]);
    /* die of the same signal, so the parent sees how we ended */
    signal(sig, SIG_DFL);
    raise(sig);
}

void batch_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof cleanup_signals / sizeof cleanup_signals[0]; i++)
        sigaddset(&sa.sa_mask, cleanup_signals[i]);
    for (size_t i = 0; i < sizeof cleanup_signals / sizeof cleanup_signals[0]; i++)
        sigaction(cleanup_signals[i], &sa, NULL);
}

static void block_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof cleanup_signals / sizeof cleanup_signals[0]; i++)
        sigaddset(&set, cleanup_signals[i]);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

static void restore_signals(const sigset_t *old) { pthread_sigmask(SIG_SETMASK, old, NULL); }

/* Registers a named temporary for removal on a signal; -1 when full. */
static int cleanup_add(const char *path)
{
    sigset_t old;
    block_signals(&old);
    int slot = -1;
    for (int i = 0; i < CLEANUP_SLOTS && slot < 0; i++)
        if (!cleanup_on[i]) {
            snprintf(cleanup_path[i], sizeof cleanup_path[i], "%s", path);
            cleanup_on[i] = 1;
            slot = i;
        }
    restore_signals(&old);
    return slot;
}

static void cleanup_drop(int slot)
{
    if (slot >= 0)
        cleanup_on[slot] = 0;
}

/* ---- files ------------------------------------------------------------ */

/* Splits path into its directory ("." when none) and base name. */
static bool split_path(const char *path, char *dir, size_t dsize, const char **base)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        *base = path;
        return snprintf(dir, dsize, ".") < (int)dsize;
    }
    *base = slash + 1;
    size_t n = (size_t)(slash - path);
    if (n == 0)
        n = 1; /* "/file" */
    if (n >= dsize)
        return false;
    memcpy(dir, path, n);
    dir[n] = '\0';
    return true;
}

/* Removes temporaries of this target left by runs that were SIGKILLed:
 * the owner's PID is gone and nobody holds the file's lock. */
static void remove_stale(const char *dir, const char *base)
{
    char prefix[NAME_MAX + 32];
    if ((size_t)snprintf(prefix, sizeof prefix, ".%s.cordon-tmp.", base) >= sizeof prefix)
        return;
    size_t plen = strlen(prefix);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, plen) != 0)
            continue;
        char *end;
        long pid = strtol(e->d_name + plen, &end, 10);
        if (pid <= 0 || *end != '.' || (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
            continue;
        int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            continue;
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            unlinkat(dirfd(d), e->d_name, 0);
        close(fd);
    }
    closedir(d);
}

bool batch_file_open(batch_file *bf, const char *path)
{
    memset(bf, 0, sizeof *bf);
    bf->fd = -1;
    bf->slot = -1;
    if (!path || !strcmp(path, "-")) {
        bf->f = stdout;
        return true;
    }
    bf->path = path;
    char dir[PATH_MAX];
    const char *base;
    if (!split_path(path, dir, sizeof dir, &base) || !*base) {
        cli_fail("%s: not a file name", path);
        return false;
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        cli_fail("%s: is a directory", path);
        return false;
    }
    remove_stale(dir, base);
    mode_t mask = umask(0);
    umask(mask);
    /* CORDON_BATCH_NAMED_TMP=1 forces the fallback, for its tests */
    const char *force = getenv("CORDON_BATCH_NAMED_TMP");
    int fd = -1;
    errno = EOPNOTSUPP;
    if (!force || strcmp(force, "1"))
        fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666 & ~mask);
    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        /* no O_TMPFILE here: a named temporary */
        if ((size_t)snprintf(bf->tmp, sizeof bf->tmp, "%s/.%s.cordon-tmp.%ld.XXXXXX",
                             dir, base, (long)getpid()) >= sizeof bf->tmp) {
            cli_fail("%s: path too long", path);
            return false;
        }
        sigset_t old;
        block_signals(&old);
        fd = mkostemp(bf->tmp, O_CLOEXEC);
        if (fd >= 0) {
            bf->named_tmp = true;
            bf->slot = cleanup_add(bf->tmp);
        }
        restore_signals(&old);
        if (fd >= 0)
            fchmod(fd, 0666 & ~mask);
    }
    if (fd < 0) {
        cli_fail("%s: cannot create a file in %s: %s", path, dir, strerror(errno));
        return false;
    }
    flock(fd, LOCK_EX | LOCK_NB); /* tells a later run we are alive */
    bf->fd = fd;
    bf->f = fdopen(fd, "w");
    if (!bf->f) {
        cli_fail("%s: %s", path, strerror(errno));
        batch_file_abort(bf);
        return false;
    }
    setvbuf(bf->f, NULL, _IOFBF, 1 << 16);
    return true;
}

static void fsync_dir(const char *path)
{
    char dir[PATH_MAX];
    const char *base;
    if (!split_path(path, dir, sizeof dir, &base))
        return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

bool batch_file_commit(batch_file *bf)
{
    if (!bf->path) {
        if (fflush(stdout) != 0 || ferror(stdout)) {
            cli_fail("writing the output: %s", strerror(errno));
            return false;
        }
        return true;
    }
    if (!bf->f)
        return false;
    if (fflush(bf->f) != 0 || ferror(bf->f) || fsync(bf->fd) != 0) {
        cli_fail("%s: cannot write: %s", bf->path, strerror(errno));
        batch_file_abort(bf);
        return false;
    }
    int rc = 0;
    sigset_t old;
    block_signals(&old);
    if (bf->named_tmp) {
        rc = rename(bf->tmp, bf->path);
        if (rc == 0) {
            bf->named_tmp = false;
            cleanup_drop(bf->slot);
        }
    } else {
        /* give the unnamed file a name, then move it over the target */
        char dir[PATH_MAX], link_name[PATH_MAX + 80], proc[64];
        const char *base;
        split_path(bf->path, dir, sizeof dir, &base);
        snprintf(link_name, sizeof link_name, "%s/.%s.cordon-tmp.%ld.link", dir, base,
                 (long)getpid());
        unlink(link_name);
        int slot = cleanup_add(link_name);
        rc = linkat(bf->fd, "", AT_FDCWD, link_name, AT_EMPTY_PATH);
        if (rc != 0) {
            snprintf(proc, sizeof proc, "/proc/self/fd/%d", bf->fd);
            rc = linkat(AT_FDCWD, proc, AT_FDCWD, link_name, AT_SYMLINK_FOLLOW);
        }
        if (rc == 0) {
            rc = rename(link_name, bf->path);
            if (rc != 0) {
                int e = errno;
                unlink(link_name);
                errno = e;
            }
        }
        cleanup_drop(slot);
    }
    restore_signals(&old);
    if (rc != 0) {
        cli_fail("%s: cannot put the result in place: %s", bf->path, strerror(errno));
        batch_file_abort(bf);
        return false;
    }
    fsync_dir(bf->path);
    fclose(bf->f);
    bf->f = NULL;
    bf->fd = -1;
    return true;
}

void batch_file_abort(batch_file *bf)
{
    if (!bf->path)
        return;
    if (bf->named_tmp) {
        unlink(bf->tmp);
        bf->named_tmp = false;
    }
    cleanup_drop(bf->slot);
    bf->slot = -1;
    if (bf->f)
        fclose(bf->f);
    else if (bf->fd >= 0)
        close(bf->fd);
    bf->f = NULL;
    bf->fd = -1;
}
