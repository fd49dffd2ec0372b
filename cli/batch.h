/*
 * batch.h — the parts of `cordon batch` shared by its files:
 * cmd_batch.c (options, columns, summary), batch_pool.c (workers and the
 * reorder window), batch_output.c (atomic output files and row
 * formatting) and batch_progress.c (the progress line).
 */
#ifndef CORDON_CLI_BATCH_H
#define CORDON_CLI_BATCH_H

#include "cli.h"

#include <limits.h>
#include <stdint.h>

/* ---- output rows (batch_output.c) ---------------------------------- */

typedef enum { BATCH_OUT_CSV, BATCH_OUT_JSONL } batch_out_format;

/* A growable byte buffer; functions return false when out of memory. */
typedef struct bbuf {
    char *data;
    size_t len, cap;
} bbuf;

bool bbuf_reserve(bbuf *b, size_t extra);
bool bbuf_add(bbuf *b, const char *s, size_t len);
bool bbuf_str(bbuf *b, const char *s);
bool bbuf_printf(bbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A CSV field, quoted when it holds a comma, quote, CR or LF. */
bool bbuf_csv(bbuf *b, const char *s, size_t len);
/* A JSON string literal (s is valid UTF-8). */
bool bbuf_json(bbuf *b, const char *s, size_t len);
void bbuf_free(bbuf *b);

/* The header line of the output (CSV only; JSON lines have none). */
bool batch_header(bbuf *b, batch_out_format f, const char *const *keep, size_t n_keep);
/*
 * One output row: input row number, kept values (n_keep of them), and
 * the match (NULL for a row with no match, written with --all).
 */
bool batch_row(bbuf *b, batch_out_format f, unsigned long row, const char *const *keep,
               const char *const *keep_values, size_t n_keep, const cordon_match *m);
/* The rejects file: a header (CSV), then one row per bad input row with
 * its row number, input line and the reason. */
bool batch_reject_header(bbuf *b, batch_out_format f);
bool batch_reject(bbuf *b, batch_out_format f, unsigned long row, unsigned long line,
                  const char *reason);

/*
 * An output file that appears only when complete. The bytes go to an
 * unnamed file in the target's directory (O_TMPFILE) that is linked and
 * renamed over the target at commit; where O_TMPFILE is not supported,
 * to a named temporary ".NAME.cordon-tmp.PID.XXXXXX" held under an flock.
 * SIGINT, SIGTERM and SIGHUP remove the temporary; after SIGKILL, an
 * unnamed file vanishes with the process and a named one is removed by
 * the next batch writing the same target (its lock is free and its PID
 * gone). The target itself is never touched before the rename: it holds
 * the previous complete result or does not exist.
 */
typedef struct batch_file {
    const char *path; /* target, or NULL for stdout */
    FILE *f;
    int fd;
    bool named_tmp;   /* fallback: a named temporary exists */
    int slot;         /* index in the signal cleanup table, or -1 */
    char tmp[PATH_MAX + 80]; /* the named temporary */
} batch_file;

/* Installs the signal handlers (once, before any thread starts). */
void batch_signals_install(void);
/* Opens path for writing as above; NULL or "-" is stdout. Prints the
 * error and returns false on failure. */
bool batch_file_open(batch_file *bf, const char *path);
/* Flushes, fsyncs and renames into place (for stdout: flushes). Prints
 * the error and returns false on failure, leaving no target. */
bool batch_file_commit(batch_file *bf);
/* Drops an uncommitted file: the temporary goes, the target is left as
 * it was. Harmless after commit. */
void batch_file_abort(batch_file *bf);

/* ---- the run (batch_pool.c) ----------------------------------------- */

/* Which input column plays each role. */
enum { ROLE_NAME, ROLE_TYPE, ROLE_DOB, ROLE_COUNTRY, ROLE_ID, ROLE_COUNT };

#define BATCH_MAX_KEEP 64 /* --keep columns */

typedef struct batch_config {
    const cordon_index *idx;
    cordon_screen_options screen;
    batch_out_format format;
    bool all;
    bool strict;
    /* Column of each role: the column name to look up, or NULL to try
     * role_defaults (JSON lines without --X-col; CSV resolves them at
     * start). */
    const char *role_col[ROLE_COUNT];
    bool columns_fixed; /* CSV: role_col is final, NULL means no column */
    const char *const *keep;
    size_t n_keep;
    unsigned threads;
    bool progress;       /* draw the progress line on stderr */
    uint64_t input_size; /* bytes, 0 when unknown (a pipe) */
    cli_audit *audit;       /* the audit sink, or NULL (--no-audit) */
    const char *audit_file; /* the input's name, in each record */
} batch_config;

/* Column names tried in order for a role without --X-col. */
extern const char *const *const role_defaults[ROLE_COUNT];

typedef struct batch_stats {
    unsigned long rows;         /* rows read, good and bad */
    unsigned long rejected;
    unsigned long matched_rows; /* rows with at least one match */
    unsigned long matches;      /* output rows that are matches */
    double seconds;
    bool failed;                /* stopped by an error or --strict */
} batch_stats;

/*
 * Reads every row of r, screens the good ones on cfg->threads workers
 * sharing the index, and writes output rows to out and bad rows to
 * rejects (may be NULL), both in input order. Returns false (after
 * printing why) on a fatal error: a read or write error, or the first
 * bad row with --strict.
 */
bool batch_run(const batch_config *cfg, cordon_records *r, FILE *out, FILE *rejects,
               batch_stats *stats);

/* ---- audit records (batch_audit.c) ----------------------------------- */

/* The record of one screened row (worker threads). False when out of
 * memory. */
bool batch_audit_record(const batch_config *cfg, const cordon_query *q, const cordon_result *r,
                        unsigned long row, cordon_audit_record **out);
/* Hands recs[0..n) (NULL entries skipped) to the sink, in order, and
 * clears them. False when the sink failed (it printed why). */
bool batch_audit_flush(const batch_config *cfg, cordon_audit_record **recs, size_t n);
/* Frees records that will not be written. */
void batch_audit_drop(cordon_audit_record **recs, size_t n);

/* ---- progress (batch_progress.c) ------------------------------------ */

typedef struct batch_progress {
    bool enabled;
    uint64_t total_bytes; /* 0: unknown, no bar or ETA */
    double start, last;   /* monotonic seconds */
    bool drawn;
} batch_progress;

double batch_now(void);
void batch_progress_start(batch_progress *p, bool enabled, uint64_t total_bytes);
/* Redraws at most ten times a second (force: now). */
void batch_progress_update(batch_progress *p, unsigned long rows, unsigned long matches,
                           uint64_t bytes_done, bool force);
/* Clears the progress line so that the summary starts clean. */
void batch_progress_end(batch_progress *p);

#endif
