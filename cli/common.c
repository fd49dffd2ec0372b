/*
 * common.c — helpers shared by the cordon commands: finding and loading
 * the lists, printing errors, escaping JSON.
 */
#include "cli.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_error(const cordon_error *err)
{
    char buf[1200];
    fprintf(stderr, "cordon: %s\n", cordon_error_format(err, buf, sizeof buf));
}

void cli_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("cordon: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static char found_path[PATH_MAX + 64];

const char *cli_lists_path(const char *given)
{
    if (given)
        return given;
    const char *env = getenv("CORDON_LISTS");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            const char *rel[] = {"/../data/lists.conf", "/../share/cordon/lists.conf"};
            for (size_t i = 0; i < 2; i++) {
                if ((size_t)snprintf(found_path, sizeof found_path, "%s%s", exe, rel[i]) >= sizeof found_path)
                    continue;
                char real[PATH_MAX];
                if (access(found_path, R_OK) == 0 && realpath(found_path, real)) {
                    /* "/x/build/../data" reads badly in `cordon lists` */
                    snprintf(found_path, sizeof found_path, "%s", real);
                    return found_path;
                }
            }
        }
    }
    if (access("data/lists.conf", R_OK) == 0)
        return "data/lists.conf";
    return NULL;
}

cordon_dataset *cli_load_dataset(const char *lists_opt)
{
    const char *path = cli_lists_path(lists_opt);
    if (!path) {
        cli_fail("no lists file: pass --lists FILE or set CORDON_LISTS");
        return NULL;
    }
    cordon_error err;
    cordon_config *cfg = NULL;
    if (cordon_config_read(path, &cfg, &err) != 0) {
        cli_error(&err);
        return NULL;
    }
    cordon_dataset *ds = cordon_dataset_new();
    if (!ds) {
        cli_fail("out of memory");
        cordon_config_free(cfg);
        return NULL;
    }
    if (cordon_dataset_load_config(ds, cfg, &err) != 0) {
        cli_error(&err);
        cordon_dataset_free(ds);
        ds = NULL;
    }
    cordon_config_free(cfg);
    return ds;
}

void cli_json_string(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}
