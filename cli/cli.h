/*
 * cli.h — shared pieces of the `cordon` program. The CLI uses only the
 * public API in cordon/cordon.h.
 */
#ifndef CORDON_CLI_H
#define CORDON_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "cordon/cordon.h"

/* Exit statuses, as documented in the README. */
enum { EXIT_CLEAN = 0, EXIT_MATCH = 1, EXIT_ERROR = 2 };

/* Prints "cordon: <formatted error>" to stderr. */
void cli_error(const cordon_error *err);
/* Prints "cordon: <message>" to stderr (printf-style). */
void cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The lists file to use: the --lists value if given, else $CORDON_LISTS,
 * else data/lists.conf beside the program or in the current directory,
 * else the installed share/cordon/lists.conf. NULL when none exists. */
const char *cli_lists_path(const char *given);

/* Loads the dataset named by the lists file; prints the error and
 * returns NULL on failure. */
cordon_dataset *cli_load_dataset(const char *lists_opt);

/* JSON string escaping to a FILE. */
void cli_json_string(FILE *out, const char *s);

int cmd_lists(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_normalize(int argc, char **argv);

#endif
