/*
 * list_update.c — makes the "next version" of the OFAC SDN list for the
 * monitoring benchmark (bench/bench_monitor.sh): a copy of sdn.csv in
 * which some entities changed and some were added, the way a real
 * publication moves.
 *
 *   changed  every (rows / changed)-th entity: half get a name spelled
 *            differently (two letters of the surname swapped, as
 *            transliterations drift), half a new program (the record
 *            changes, the name does not)
 *   added    new entities whose names are customers' names from the
 *            customer file (people who just got listed), so the update
 *            raises real alerts
 *
 * Writes OUT/sdn.csv and prints the ids it changed and added on stderr.
 * Deterministic: the same inputs give the same file.
 *
 * usage: list_update --sdn sdn.csv --customers customers.csv --out DIR
 *                    [--changed N] [--added N]
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *msg)
{
    fprintf(stderr, "list_update: %s\n", msg);
    exit(2);
}

typedef struct lines {
    char **v;
    size_t n, cap;
} lines;

static void push(lines *l, char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4096;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        if (!l->v)
            die("out of memory");
    }
    l->v[l->n++] = s;
}

static lines read_lines(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open an input file");
    lines l = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        char *copy = malloc((size_t)n + 1);
        memcpy(copy, line, (size_t)n + 1);
        push(&l, copy);
    }
    free(line);
    fclose(f);
    return l;
}

/* The quoted name of an sdn.csv row (its second field): [*start, *end)
 * inside the quotes; 0 when the row has no quoted name. */
static int name_span(const char *row, const char **start, const char **end)
{
    const char *c = strchr(row, ',');
    if (!c || c[1] != '"')
        return 0;
    *start = c + 2;
    *end = strchr(*start, '"');
    return *end != NULL;
}

/* The customer file's name column value of a CSV row without quotes. */
static int customer_name(const char *row, int col, char *out, size_t size)
{
    if (strchr(row, '"'))
        return 0;
    const char *p = row;
    for (int i = 0; i < col; i++) {
        p = strchr(p, ',');
        if (!p)
            return 0;
        p++;
    }
    size_t n = strcspn(p, ",\r\n");
    if (n == 0 || n >= size)
        return 0;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)toupper((unsigned char)p[i]);
    out[n] = '\0';
    /* ASCII names only: the CSV is written in its legacy encoding */
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)out[i] >= 0x80)
            return 0;
    return 1;
}

int main(int argc, char **argv)
{
    const char *sdn = NULL, *customers = NULL, *out = NULL;
    long changed = 50, added = 50;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--sdn") && i + 1 < argc)
            sdn = argv[++i];
        else if (!strcmp(argv[i], "--customers") && i + 1 < argc)
            customers = argv[++i];
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--changed") && i + 1 < argc)
            changed = atol(argv[++i]);
        else if (!strcmp(argv[i], "--added") && i + 1 < argc)
            added = atol(argv[++i]);
        else
            die("usage: list_update --sdn sdn.csv --customers customers.csv --out DIR "
                "[--changed N] [--added N]");
    }
    if (!sdn || !customers || !out || changed < 0 || added < 0)
        die("usage: list_update --sdn sdn.csv --customers customers.csv --out DIR");
    lines rows = read_lines(sdn);
    lines cust = read_lines(customers);
    if (rows.n < 100 || cust.n < 2)
        die("inputs too small");
    /* which column of the customer file holds the name */
    int name_col = -1, col = 0;
    for (const char *p = cust.v[0]; *p; col++) {
        size_t n = strcspn(p, ",\r\n");
        if (n == 4 && !strncmp(p, "name", 4))
            name_col = col;
        p += n;
        if (*p != ',')
            break;
        p++;
    }
    if (name_col < 0)
        die("the customer file has no name column");
    long max_id = 0;
    for (size_t i = 0; i < rows.n; i++)
        if (atol(rows.v[i]) > max_id)
            max_id = atol(rows.v[i]);

    char path[4096];
    snprintf(path, sizeof path, "%s/sdn.csv", out);
    FILE *f = fopen(path, "wb");
    if (!f)
        die("cannot write OUT/sdn.csv");
    size_t stride = changed ? rows.n / (size_t)changed : rows.n + 1;
    long done = 0;
    for (size_t i = 0; i < rows.n; i++) {
        char *row = rows.v[i];
        const char *s, *e;
        if (done < changed && i % stride == stride / 2 && name_span(row, &s, &e) && e - s >= 4 &&
            atol(row) > 0) {
            size_t a = (size_t)(s - row), b = (size_t)(e - row);
            if (done % 2 == 0) {
                /* swap two letters of the name's first word */
                char *t = strdup(row);
                size_t k = a + 1;
                while (k + 1 < b && !(isalpha((unsigned char)t[k]) && isalpha((unsigned char)t[k + 1]) &&
                                      t[k] != t[k + 1]))
                    k++;
                if (k + 1 < b) {
                    char c = t[k];
                    t[k] = t[k + 1];
                    t[k + 1] = c;
                }
                fputs(t, f);
                free(t);
            } else {
                /* a new program: the fourth field */
                const char *p = e + 1;
                int fields = 0;
                while (*p && fields < 2) {
                    if (*p == ',')
                        fields++;
                    p++;
                }
                if (*p == '"') {
                    const char *q = strchr(p + 1, '"');
                    fwrite(row, 1, (size_t)(q - row), f);
                    fputs("] [BENCH-EO99999", f);
                    fputs(q, f);
                } else {
                    fputs(row, f);
                }
            }
            fprintf(stderr, "changed ofac_sdn:%ld (%s)\n", atol(row),
                    done % 2 == 0 ? "name" : "program");
            done++;
            continue;
        }
        /* the trailing 0x1A end-of-file byte goes after the new rows */
        if (row[0] == 0x1A)
            continue;
        fputs(row, f);
    }
    long made = 0;
    size_t cstride = (cust.n - 1) / (size_t)(added ? added : 1);
    for (size_t i = 1; made < added && i < cust.n; i += cstride ? cstride : 1) {
        char name[200];
        for (size_t k = i; k < cust.n && k < i + 50; k++)
            if (customer_name(cust.v[k], name_col, name, sizeof name)) {
                long id = max_id + 1 + made;
                fprintf(f, "%ld,\"%s\",\"individual\",\"BENCH-EO99999\",-0- ,-0- ,-0- ,-0- ,-0- "
                           ",-0- ,-0- ,-0- \r\n",
                        id, name);
                fprintf(stderr, "added ofac_sdn:%ld %s\n", id, name);
                made++;
                break;
            }
    }
    fclose(f);
    fprintf(stderr, "list_update: %ld changed, %ld added\n", done, made);
    return done == changed && made == added ? 0 : 1;
}
