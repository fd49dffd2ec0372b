/*
 * error.c — the result-code table and error formatting. The X-macro in
 * cordon.h is the single source of codes, names and messages.
 */
#include "cordon_int.h"

#include <stdio.h>
#include <string.h>

const char *cordon_version(void) { return CORDON_VERSION; }

const char *cordon_strerror(int code)
{
    switch (code) {
#define X(name, value, text) case value: return text;
        CORDON_ERRORS(X)
#undef X
    default: return "unknown error";
    }
}

const char *cordon_code_name(int code)
{
    switch (code) {
#define X(name, value, text) case value: return #name;
        CORDON_ERRORS(X)
#undef X
    default: return "EUNKNOWN";
    }
}

void cordon_error_clear(cordon_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

int cordon__fail(cordon_error *err, int code, const char *file,
                 unsigned long line, unsigned long column, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

char *cordon_error_format(const cordon_error *err, char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    if (!err) {
        snprintf(buf, size, "%s", "no error");
        return buf;
    }
    const char *msg = err->message[0] ? err->message : cordon_strerror(err->code);
    if (err->file[0] && err->line && err->column)
        snprintf(buf, size, "%s:%lu:%lu: %s", err->file, err->line, err->column, msg);
    else if (err->file[0] && err->line)
        snprintf(buf, size, "%s:%lu: %s", err->file, err->line, msg);
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", err->file, msg);
    else
        snprintf(buf, size, "%s", msg);
    return buf;
}
