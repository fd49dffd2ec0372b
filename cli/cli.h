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

/* The snapshot screening commands use by default (see cli/snapshot.c
 * for the search order), or NULL when there is none. */
const char *cli_index_path(void);
/* Where `cordon build` writes by default: default.cordon beside the
 * program. */
const char *cli_default_index_output(void);
/* Opens --index FILE, or compiles --lists FILE in memory, or finds the
 * default snapshot, or compiles the default lists; prints the error and
 * returns NULL on failure. */
cordon_index *cli_open_index(const char *index_opt, const char *lists_opt);

int cmd_build(int argc, char **argv);
int cmd_screen(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_lists(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_normalize(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_decide(int argc, char **argv);

/* ---- the store: audit log and monitoring (cli/audit_cli.c) ---------- */

/* The store file: `given` (--db, --audit), else $CORDON_DB, else
 * $XDG_STATE_HOME/cordon/cordon.db, else ~/.local/state/cordon/cordon.db
 * (its directory is created). */
const char *cli_db_path(const char *given);
/* Opens the store; prints the error and returns NULL on failure. */
cordon_store *cli_store_open(const char *given);
/* An audit sink: records go to a background writer. A NULL sink takes
 * and drops records (auditing off). Functions print errors. */
typedef struct cli_audit cli_audit;
cli_audit *cli_audit_open(const char *path);
bool cli_audit_push(cli_audit *a, cordon_audit_record *rec);
bool cli_audit_screen(cli_audit *a, const char *kind, const cordon_query *q,
                      const cordon_screen_options *o, const cordon_index *idx,
                      const cordon_result *r, const char *context);
/* Commits what is queued; false when any record could not be written. */
bool cli_audit_close(cli_audit *a, uint64_t *written);
int cmd_shipment(int argc, char **argv);

#endif
