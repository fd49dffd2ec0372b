/*
 * cmd_batch.c — `cordon batch`: screens every row of a customer file
 * (CSV with a header, or JSON lines) and writes one row per match, in
 * input order, with bad rows set aside in a rejects file. This file
 * handles the options, the column mapping and the summary; the work is
 * in batch_pool.c and the files in batch_output.c.
 */
#include "batch.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void help(FILE *out)
{
    fputs("usage: cordon batch [OPTIONS] FILE\n"
          "\n"
          "Screens every row of a customer file against the lists and writes one\n"
          "row per (input row, match), in input order. FILE is a CSV file with a\n"
          "header row, or JSON lines (one object a line); - reads stdin.\n"
          "\n"
          "input:\n"
          "  --input-format F   csv or jsonl (default: jsonl for .jsonl/.ndjson names)\n"
          "  --delimiter C      CSV field separator, one character or \"tab\" (default ,)\n"
          "  --name-col COL     the name (default: name, full_name)\n"
          "  --type-col COL     person, organization, vessel, aircraft (default: type)\n"
          "  --dob-col COL      date of birth (default: dob, date_of_birth, birth_date)\n"
          "  --country-col COL  country or nationality (default: country, nationality)\n"
          "  --id-col COL       an identifier such as a passport or IMO number\n"
          "  --keep COL         copy input column COL to the output (repeatable;\n"
          "                     COL,COL... also works)\n"
          "output:\n"
          "  -o, --output FILE  write the result to FILE, which appears only when\n"
          "                     complete (default: stdout)\n"
          "  --format F         csv or jsonl (default csv)\n"
          "  --all              also write rows that had no match\n"
          "  --rejects FILE     write bad rows (row, line, reason) to FILE\n"
          "  --strict           stop at the first bad row, with exit status 2\n"
          "screening:\n"
          "  --threshold X      lowest score reported, in (0,1]\n"
          "  --limit N          most matches per row (default 10)\n"
          "  --algorithm A      default or ofac\n"
          "  --index FILE       screen against this index snapshot\n"
          "  --lists FILE       build the index from this lists file\n"
          "running:\n"
          "  -j, --jobs N       screening threads (default: the number of cores)\n"
          "  -q, --quiet        no progress line and no summary on stderr\n"
          "audit:\n"
          "  --audit DB         keep every row's decision in the audit log of store DB\n"
          "                     (default: $CORDON_DB, else ~/.local/state/cordon/cordon.db)\n"
          "  --no-audit         keep no audit log\n"
          "\n"
          "Bad rows (wrong column count, invalid UTF-8, empty name, unparsable date,\n"
          "unknown type or country) are counted and skipped unless --strict.\n"
          "Exit status: 0 nothing matched, 1 matches found, 2 error.\n",
          out);
}

static unsigned cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return (unsigned)CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* The header column equal to name (ignoring case and blanks), or NULL. */
static const char *find_column(const cordon_records *r, const char *name)
{
    cordon_record probe = {0};
    for (size_t i = 0; i < cordon_records_column_count(r); i++) {
        cordon_field f = {.name = cordon_records_column(r, i), .value = ""};
        probe.fields = &f;
        probe.n_fields = 1;
        if (cordon_record_field(&probe, name, strlen(name)))
            return f.name;
    }
    return NULL;
}

static void columns_text(const cordon_records *r, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < cordon_records_column_count(r) && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
                                cordon_records_column(r, i));
}

static const char *const role_option[ROLE_COUNT] = {"--name-col", "--type-col", "--dob-col",
                                                    "--country-col", "--id-col"};

/* CSV: maps every role and --keep column onto the header once. */
static bool resolve_columns(batch_config *cfg, const cordon_records *r, const char *file)
{
    char cols[1024];
    columns_text(r, cols, sizeof cols);
    for (int i = 0; i < ROLE_COUNT; i++) {
        if (cfg->role_col[i]) {
            const char *c = find_column(r, cfg->role_col[i]);
            if (!c) {
                cli_fail("%s: no column \"%s\" (%s) in the header; columns: %s", file,
                         cfg->role_col[i], role_option[i], cols);
                return false;
            }
            cfg->role_col[i] = c;
            continue;
        }
        for (const char *const *d = role_defaults[i]; *d && !cfg->role_col[i]; d++)
            cfg->role_col[i] = find_column(r, *d);
        if (i == ROLE_NAME && !cfg->role_col[i]) {
            cli_fail("%s: no name column in the header (name, full_name); use --name-col. "
                     "Columns: %s",
                     file, cols);
            return false;
        }
        /* other roles with no column are simply not used */
    }
    cfg->columns_fixed = true;
    for (size_t i = 0; i < cfg->n_keep; i++) {
        if (!find_column(r, cfg->keep[i])) {
            cli_fail("%s: no column \"%s\" (--keep) in the header; columns: %s", file,
                     cfg->keep[i], cols);
            return false;
        }
    }
    return true;
}

static void summary(const cordon_index *idx, const batch_config *cfg, const batch_stats *st,
                    const char *rejects_path)
{
    double rate = st->seconds > 0 ? (double)st->rows / st->seconds : 0;
    fprintf(stderr,
            "cordon batch: %lu rows, %lu match%s in %lu row%s, %lu rejected%s%s%s; "
            "%.2f s, %.0f rows/s on %u thread%s\n",
            st->rows, st->matches, st->matches == 1 ? "" : "es", st->matched_rows,
            st->matched_rows == 1 ? "" : "s", st->rejected, rejects_path ? " (in " : "",
            rejects_path ? rejects_path : "", rejects_path ? ")" : "", st->seconds, rate,
            cfg->threads, cfg->threads == 1 ? "" : "s");
    for (size_t i = 0; i < cordon_index_source_count(idx); i++) {
        const cordon_source_info *s = cordon_index_source(idx, i);
        fprintf(stderr, "  list %-12s published %-10s sha256 %.12s  %zu entities\n", s->name,
                s->published ? s->published : "unknown", s->sha256, s->n_entities);
    }
    fprintf(stderr, "  index sha256 %s\n", cordon_index_hash(idx));
}

static bool add_keep(const char **keep, size_t *n, char *arg)
{
    for (char *save = NULL, *tok = strtok_r(arg, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (!*tok)
            continue;
        if (*n >= BATCH_MAX_KEEP) {
            cli_fail("at most %d --keep columns", BATCH_MAX_KEEP);
            return false;
        }
        keep[(*n)++] = tok;
    }
    return true;
}

enum {
    OPT_INPUT_FORMAT = 256, OPT_DELIMITER, OPT_NAME_COL, OPT_TYPE_COL, OPT_DOB_COL,
    OPT_COUNTRY_COL, OPT_ID_COL, OPT_KEEP, OPT_FORMAT, OPT_ALL, OPT_REJECTS, OPT_STRICT,
    OPT_THRESHOLD, OPT_LIMIT, OPT_ALGORITHM, OPT_INDEX, OPT_LISTS, OPT_AUDIT, OPT_NO_AUDIT
};

int cmd_batch(int argc, char **argv)
{
    static const struct option opts[] = {
        {"input-format", required_argument, NULL, OPT_INPUT_FORMAT},
        {"delimiter", required_argument, NULL, OPT_DELIMITER},
        {"name-col", required_argument, NULL, OPT_NAME_COL},
        {"type-col", required_argument, NULL, OPT_TYPE_COL},
        {"dob-col", required_argument, NULL, OPT_DOB_COL},
        {"country-col", required_argument, NULL, OPT_COUNTRY_COL},
        {"id-col", required_argument, NULL, OPT_ID_COL},
        {"keep", required_argument, NULL, OPT_KEEP},
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"all", no_argument, NULL, OPT_ALL},
        {"rejects", required_argument, NULL, OPT_REJECTS},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"threshold", required_argument, NULL, OPT_THRESHOLD},
        {"limit", required_argument, NULL, OPT_LIMIT},
        {"algorithm", required_argument, NULL, OPT_ALGORITHM},
        {"index", required_argument, NULL, OPT_INDEX},
        {"lists", required_argument, NULL, OPT_LISTS},
        {"jobs", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"audit", required_argument, NULL, OPT_AUDIT},
        {"no-audit", no_argument, NULL, OPT_NO_AUDIT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    batch_config cfg = {.format = BATCH_OUT_CSV};
    const char *keep[BATCH_MAX_KEEP];
    size_t n_keep = 0;
    const char *out_path = NULL, *rejects_path = NULL, *index_path = NULL, *lists = NULL;
    const char *input_format = NULL;
    char delim = ',';
    bool quiet = false, no_audit = false;
    const char *audit_path = NULL;
    cli_audit *audit = NULL;
    uint64_t audited = 0;
    long jobs = 0;
    int c;
    char *end;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:j:qh", opts, NULL)) != -1) {
        switch (c) {
        case OPT_INPUT_FORMAT: input_format = optarg; break;
        case OPT_DELIMITER:
            if (!strcmp(optarg, "tab") || !strcmp(optarg, "\\t"))
                delim = '\t';
            else if (strlen(optarg) == 1 && optarg[0] != '"' && optarg[0] != '\n' &&
                     optarg[0] != '\r')
                delim = optarg[0];
            else {
                cli_fail("--delimiter takes one character (not a quote) or \"tab\"");
                return EXIT_ERROR;
            }
            break;
        case OPT_NAME_COL: cfg.role_col[ROLE_NAME] = optarg; break;
        case OPT_TYPE_COL: cfg.role_col[ROLE_TYPE] = optarg; break;
        case OPT_DOB_COL: cfg.role_col[ROLE_DOB] = optarg; break;
        case OPT_COUNTRY_COL: cfg.role_col[ROLE_COUNTRY] = optarg; break;
        case OPT_ID_COL: cfg.role_col[ROLE_ID] = optarg; break;
        case OPT_KEEP:
            if (!add_keep(keep, &n_keep, optarg))
                return EXIT_ERROR;
            break;
        case 'o': out_path = optarg; break;
        case OPT_FORMAT:
            if (!strcmp(optarg, "csv"))
                cfg.format = BATCH_OUT_CSV;
            else if (!strcmp(optarg, "jsonl"))
                cfg.format = BATCH_OUT_JSONL;
            else {
                cli_fail("--format takes csv or jsonl");
                return EXIT_ERROR;
            }
            break;
        case OPT_ALL: cfg.all = true; break;
        case OPT_REJECTS: rejects_path = optarg; break;
        case OPT_STRICT: cfg.strict = true; break;
        case OPT_THRESHOLD:
            errno = 0;
            cfg.screen.threshold = strtod(optarg, &end);
            if (errno || *end || end == optarg || !(cfg.screen.threshold > 0) ||
                cfg.screen.threshold > 1) {
                cli_fail("--threshold takes a number in (0,1]");
                return EXIT_ERROR;
            }
            break;
        case OPT_LIMIT: {
            errno = 0;
            long n = strtol(optarg, &end, 10);
            if (errno || *end || n < 1 || n > CORDON_SCREEN_MAX_LIMIT) {
                cli_fail("--limit takes a number from 1 to %d", CORDON_SCREEN_MAX_LIMIT);
                return EXIT_ERROR;
            }
            cfg.screen.limit = (size_t)n;
            break;
        }
        case OPT_ALGORITHM:
            if (cordon_algorithm_parse(optarg, strlen(optarg), &cfg.screen.algorithm) != 0) {
                cli_fail("--algorithm takes default or ofac");
                return EXIT_ERROR;
            }
            break;
        case OPT_INDEX: index_path = optarg; break;
        case OPT_LISTS: lists = optarg; break;
        case 'j':
            errno = 0;
            jobs = strtol(optarg, &end, 10);
            if (errno || *end || jobs < 1 || jobs > 256) {
                cli_fail("-j takes a number of threads from 1 to 256");
                return EXIT_ERROR;
            }
            break;
        case 'q': quiet = true; break;
        case OPT_AUDIT: audit_path = optarg; break;
        case OPT_NO_AUDIT: no_audit = true; break;
        case 'h': help(stdout); return EXIT_CLEAN;
        default: help(stderr); return EXIT_ERROR;
        }
    }
    if (optind != argc - 1) {
        help(stderr);
        return EXIT_ERROR;
    }
    const char *in_path = argv[optind];
    if (index_path && lists) {
        cli_fail("give --index or --lists, not both");
        return EXIT_ERROR;
    }
    if (out_path && !strcmp(out_path, "-"))
        out_path = NULL;
    if (out_path && rejects_path && !strcmp(out_path, rejects_path)) {
        cli_fail("--output and --rejects name the same file");
        return EXIT_ERROR;
    }
    cordon_records_options ro = {.format = CORDON_RECORDS_CSV, .delimiter = delim};
    if (input_format) {
        if (cordon_records_format_parse(input_format, strlen(input_format), &ro.format) != 0) {
            cli_fail("--input-format takes csv or jsonl");
            return EXIT_ERROR;
        }
    } else if (ends_with(in_path, ".jsonl") || ends_with(in_path, ".ndjson")) {
        ro.format = CORDON_RECORDS_JSONL;
    }
    cfg.keep = keep;
    cfg.n_keep = n_keep;
    cfg.threads = jobs ? (unsigned)jobs : cores();
    cfg.progress = !quiet && isatty(STDERR_FILENO);

    int in_fd = strcmp(in_path, "-") ? open(in_path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
    if (in_fd < 0) {
        cli_fail("%s: %s", in_path, strerror(errno));
        return EXIT_ERROR;
    }
    struct stat st, ost;
    if (fstat(in_fd, &st) == 0 && S_ISREG(st.st_mode)) {
        cfg.input_size = (uint64_t)st.st_size;
        /* the rename at the end would replace the input */
        const char *outs[] = {out_path, rejects_path};
        for (size_t i = 0; i < 2; i++) {
            if (outs[i] && stat(outs[i], &ost) == 0 && ost.st_dev == st.st_dev &&
                ost.st_ino == st.st_ino) {
                cli_fail("%s is the input file", outs[i]);
                if (in_fd != STDIN_FILENO)
                    close(in_fd);
                return EXIT_ERROR;
            }
        }
    }

    int rc = EXIT_ERROR;
    cordon_records *r = NULL;
    cordon_index *idx = NULL;
    batch_file out = {.fd = -1, .slot = -1}, rej = {.fd = -1, .slot = -1};
    bool have_out = false, have_rej = false;
    cordon_error err;
    if (cordon_records_open(in_fd, &ro, in_path, &r, &err) != 0) {
        cli_error(&err);
        goto done;
    }
    if (ro.format == CORDON_RECORDS_CSV && !resolve_columns(&cfg, r, in_path))
        goto done;
    if (!(idx = cli_open_index(index_path, lists)))
        goto done;
    cfg.idx = idx;
    /* decisions are logged unless asked not to; a log that cannot be
     * kept stops the run before it screens anything */
    if (!no_audit && !(audit = cli_audit_open(audit_path)))
        goto done;
    cfg.audit = audit;
    cfg.audit_file = strcmp(in_path, "-") ? in_path : "(stdin)";

    batch_signals_install();
    if (!(have_out = batch_file_open(&out, out_path)))
        goto done;
    if (rejects_path && !(have_rej = batch_file_open(&rej, rejects_path)))
        goto done;
    bbuf head = {0};
    bool ok = batch_header(&head, cfg.format, keep, n_keep) &&
              (!head.len || fwrite(head.data, 1, head.len, out.f) == head.len);
    head.len = 0;
    if (ok && have_rej)
        ok = batch_reject_header(&head, cfg.format) &&
             (!head.len || fwrite(head.data, 1, head.len, rej.f) == head.len);
    bbuf_free(&head);
    if (!ok) {
        cli_fail("cannot write the output: %s", strerror(errno));
        goto done;
    }

    batch_stats stats;
    if (!batch_run(&cfg, r, out.f, have_rej ? rej.f : NULL, &stats))
        goto done;
    /* every decision is in the log before the output appears */
    bool logged = cli_audit_close(audit, &audited);
    audit = NULL;
    if (!logged)
        goto done;
    /* rejects first: the output appearing is the sign the run finished */
    if (have_rej && !batch_file_commit(&rej))
        goto done;
    if (!batch_file_commit(&out))
        goto done;
    if (!quiet) {
        summary(idx, &cfg, &stats, rejects_path);
        if (cfg.audit)
            fprintf(stderr, "  audit %llu records in %s\n", (unsigned long long)audited,
                    cli_db_path(audit_path));
    }
    rc = stats.matched_rows ? EXIT_MATCH : EXIT_CLEAN;
done:
    cli_audit_close(audit, NULL);
    if (have_rej)
        batch_file_abort(&rej);
    if (have_out)
        batch_file_abort(&out);
    cordon_index_close(idx);
    cordon_records_close(r);
    if (in_fd != STDIN_FILENO)
        close(in_fd);
    return rc;
}
