/*
 * snapshot.c — finding the compiled index (snapshot) that screening
 * commands use, so that `cordon screen NAME` works with no options.
 *
 * Order: --index FILE; else --lists FILE, compiled in memory; else
 * $CORDON_INDEX; else default.cordon beside the program (build/ in a
 * checkout, where `make` writes it); else share/cordon/default.cordon
 * of an installation; else build/default.cordon under the current
 * directory; else the default lists, compiled in memory (slower).
 */
#include "cli.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char found[PATH_MAX + 64];

const char *cli_index_path(void)
{
    const char *env = getenv("CORDON_INDEX");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            const char *rel[] = {"/default.cordon", "/../share/cordon/default.cordon"};
            for (size_t i = 0; i < 2; i++) {
                if ((size_t)snprintf(found, sizeof found, "%s%s", exe, rel[i]) >= sizeof found)
                    continue;
                if (access(found, R_OK) == 0)
                    return found;
            }
        }
    }
    if (access("build/default.cordon", R_OK) == 0)
        return "build/default.cordon";
    return NULL;
}

const char *cli_default_index_output(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            if ((size_t)snprintf(found, sizeof found, "%s/default.cordon", exe) < sizeof found)
                return found;
        }
    }
    return "default.cordon";
}

cordon_index *cli_open_index(const char *index_opt, const char *lists_opt)
{
    cordon_error err;
    cordon_index *idx = NULL;
    const char *path = index_opt;
    if (!path && !lists_opt)
        path = cli_index_path();
    if (path) {
        if (cordon_index_open(path, &idx, &err) != 0) {
            cli_error(&err);
            return NULL;
        }
        /* A snapshot older than the lists file it was made from is
         * probably stale: say so, but use it. */
        const char *lists = index_opt ? NULL : cli_lists_path(NULL);
        struct stat si, sl;
        if (lists && stat(path, &si) == 0 && stat(lists, &sl) == 0 && sl.st_mtime > si.st_mtime)
            cli_fail("warning: %s is older than %s; rebuild it with `cordon build` or `make`",
                     path, lists);
        return idx;
    }
    cordon_dataset *ds = cli_load_dataset(lists_opt);
    if (!ds)
        return NULL;
    if (cordon_index_build(ds, &idx, &err) != 0) {
        cli_error(&err);
        idx = NULL;
    }
    cordon_dataset_free(ds);
    return idx;
}
