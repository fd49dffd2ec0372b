/*
 * gen_customers.c — makes realistic customer files for the batch
 * benchmark (bench/bench_batch.sh): CSV with id, name, type, dob,
 * country, and two ground-truth columns, truth (the listed entity id a
 * planted row stands for, empty otherwise) and variation (how the
 * planted name was altered).
 *
 * Ordinary customers are people whose given, middle and family names
 * are drawn independently from the ~120,000 real person names of the
 * Wikidata transliteration set, people from the multi-script negatives
 * set (names, dates of birth, nationalities; none is on a list), and
 * companies built from those surnames. A known share of rows is planted
 * with listed parties taken from the index, written the way customers
 * write them: natural order and title case, surname first, a typo, one
 * middle name left out, a transliteration variant, an alias or the
 * native-script name as listed, a dropped legal form, another case.
 * Every choice comes from a seeded generator, so a seed gives the same
 * file every time.
 *
 * usage: gen_customers --index FILE --rows N [--planted SHARE] [--seed S]
 *                      [--shared DIR] > customers.csv
 */
#include "cordon/cordon.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- a seeded generator (xorshift64*) --------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static size_t pick(size_t n) { return n ? (size_t)(rnd() % n) : 0; }
static double unit(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }

/* ---- string lists -------------------------------------------------------- */

typedef struct strs {
    char **v;
    size_t n, cap;
} strs;

static void push(strs *s, const char *x, size_t len)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (!s->v)
            abort();
    }
    char *c = malloc(len + 1);
    if (!c)
        abort();
    memcpy(c, x, len);
    c[len] = '\0';
    s->v[s->n++] = c;
}

static void die(const char *msg)
{
    fprintf(stderr, "gen_customers: %s\n", msg);
    exit(2);
}

/* ---- name parts from the Wikidata set ---------------------------------------- */

static strs givens, middles, surnames;

static bool plain_token(const char *s, size_t len)
{
    if (len < 2)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isdigit(c) || c == '(' || c == ')' || c == ',' || c == '"' || c == '.')
            return false;
    }
    return true;
}

static void load_wikidata(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open a Wikidata name file (see --shared)");
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        const char *tok[16];
        size_t len[16], n = 0;
        bool ok = true;
        for (char *p = line; *p && n < 16;) {
            while (*p == ' ')
                p++;
            if (!*p)
                break;
            char *e = p;
            while (*e && *e != ' ')
                e++;
            tok[n] = p;
            len[n] = (size_t)(e - p);
            ok = ok && plain_token(p, len[n]);
            n++;
            p = e;
        }
        if (!ok || n < 2 || n > 4)
            continue;
        push(&givens, tok[0], len[0]);
        push(&surnames, tok[n - 1], len[n - 1]);
        for (size_t i = 1; i + 1 < n; i++)
            push(&middles, tok[i], len[i]);
    }
    fclose(f);
}

/* ---- people from the negatives set ------------------------------------------ */

typedef struct person {
    char *name, *dob, *country;
} negative;

static negative *negatives;
static size_t n_negatives;

static void load_negatives(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        die("cannot open a negatives file (see --shared)");
    cordon_records *r;
    cordon_error err;
    if (cordon_records_open(fd, NULL, path, &r, &err) != 0)
        die(err.message);
    cordon_record rec;
    while (cordon_records_next(r, &rec, &err) == 1) {
        if (rec.error)
            continue;
        const cordon_field *n = cordon_record_field(&rec, "full_name", 9);
        const cordon_field *d = cordon_record_field(&rec, "date_of_birth", 13);
        const cordon_field *c = cordon_record_field(&rec, "nationality", 11);
        if (!n || !n->len)
            continue;
        negatives = realloc(negatives, (n_negatives + 1) * sizeof *negatives);
        if (!negatives)
            abort();
        negatives[n_negatives++] = (negative){strdup(n->value), strdup(d ? d->value : ""),
                                            strdup(c ? c->value : "")};
    }
    cordon_records_close(r);
    close(fd);
}

/* ---- listed parties from the index ----------------------------------------- */

typedef struct party {
    char *id;
    cordon_schema schema;
    char *primary;
    strs aliases; /* strong aliases and native-script names */
    char dob[16];
    char country[3];
} party;

static party *parties;
static size_t n_parties;

static size_t count_tokens(const char *s)
{
    size_t n = 0;
    bool in = false;
    for (; *s; s++) {
        bool sep = *s == ' ' || *s == ',';
        if (!sep && !in)
            n++;
        in = !sep;
    }
    return n;
}

static void load_parties(const cordon_index *idx)
{
    size_t n = cordon_index_entity_count(idx);
    parties = calloc(n, sizeof *parties);
    if (!parties)
        abort();
    for (size_t i = 0; i < n; i++) {
        cordon_entity *e;
        cordon_error err;
        if (cordon_index_entity(idx, i, &e, &err) != 0)
            die(err.message);
        const char *primary = e->n_names ? e->names[0].value : "";
        bool person = e->schema == CORDON_SCHEMA_PERSON;
        bool org = e->schema == CORDON_SCHEMA_ORGANIZATION;
        bool vessel = e->schema == CORDON_SCHEMA_VESSEL;
        size_t nt = count_tokens(primary);
        if ((person && nt >= 2 && nt <= 6) || (org && nt >= 1 && strlen(primary) >= 6) ||
            (vessel && strlen(primary) >= 4)) {
            party *p = &parties[n_parties++];
            p->id = strdup(e->id);
            p->schema = e->schema;
            p->primary = strdup(primary);
            for (size_t k = 1; k < e->n_names; k++)
                if (e->names[k].kind == CORDON_NAME_STRONG ||
                    e->names[k].kind == CORDON_NAME_NATIVE)
                    push(&p->aliases, e->names[k].value, strlen(e->names[k].value));
            if (e->n_birth_dates && e->birth_dates[0].day && e->birth_dates[0].month &&
                !(e->birth_dates[0].flags & CORDON_DATE_RANGE))
                snprintf(p->dob, sizeof p->dob, "%04d-%02d-%02d", e->birth_dates[0].year,
                         e->birth_dates[0].month, e->birth_dates[0].day);
            const cordon_country *c = e->n_nationalities ? e->nationalities
                                      : e->n_countries   ? e->countries
                                                         : NULL;
            if (c && c->code[0])
                memcpy(p->country, c->code, 3);
        }
        cordon_entity_free(e);
    }
}

/* ---- variations ---------------------------------------------------------------- */

typedef struct toks {
    char t[16][128];
    size_t n;
} toks;

/* "SURNAME, Given Middle" -> Given Middle SURNAME; other names as written. */
static void natural_tokens(const char *name, toks *out)
{
    out->n = 0;
    const char *comma = strchr(name, ',');
    char buf[1024];
    if (comma && !strchr(comma + 1, ','))
        snprintf(buf, sizeof buf, "%s %.*s", comma + 1, (int)(comma - name), name);
    else
        snprintf(buf, sizeof buf, "%s", name);
    for (char *save = NULL, *t = strtok_r(buf, " ,", &save); t && out->n < 16;
         t = strtok_r(NULL, " ,", &save))
        snprintf(out->t[out->n++], sizeof out->t[0], "%s", t);
}

/* Title case for ASCII words written in capitals ("PUTIN" -> "Putin"). */
static void title(char *s)
{
    bool upper = true;
    for (char *p = s; *p; p++)
        if (islower((unsigned char)*p))
            upper = false;
    if (!upper)
        return;
    for (char *p = s; *p; p++)
        if (p != s && p[-1] != '-' && p[-1] != '\'' && isupper((unsigned char)*p))
            *p = (char)tolower((unsigned char)*p);
}

static void join(const toks *t, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < t->n && len < size; i++)
        len += (size_t)snprintf(out + len, size - len, "%s%s", i ? " " : "", t->t[i]);
}

static bool ascii_word(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

/* One keyboard-style slip in the longest ASCII token of 5+ letters. */
static bool typo(toks *t)
{
    size_t best = SIZE_MAX, blen = 0;
    for (size_t i = 0; i < t->n; i++) {
        size_t l = strlen(t->t[i]);
        if (l >= 5 && l > blen && ascii_word(t->t[i])) {
            best = i;
            blen = l;
        }
    }
    if (best == SIZE_MAX)
        return false;
    char *w = t->t[best];
    size_t l = strlen(w);
    size_t at = 1 + pick(l - 2); /* never the first letter */
    switch (pick(4)) {
    case 0: /* transpose */ {
        char c = w[at];
        w[at] = w[at + 1];
        w[at + 1] = c;
        break;
    }
    case 1: /* delete */
        memmove(w + at, w + at + 1, l - at);
        break;
    case 2: /* double */
        if (l + 1 < sizeof t->t[0]) {
            memmove(w + at + 1, w + at, l - at + 1);
        }
        break;
    default: { /* substitute a neighbouring vowel or consonant */
        static const char *const near[] = {"ae", "ei", "io", "ou", "ua", "sz", "cz", "ck",
                                           "nm", "mn", "td", "dt", "rl", "lr", "bp", "pb"};
        char c = (char)tolower((unsigned char)w[at]);
        for (size_t k = 0; k < sizeof near / sizeof near[0]; k++)
            if (near[k][0] == c) {
                w[at] = isupper((unsigned char)w[at]) ? (char)toupper(near[k][1]) : near[k][1];
                return true;
            }
        memmove(w + at, w + at + 1, l - at);
    }
    }
    return true;
}

/* One romanization variant, as different transliteration systems and
 * customers' own spellings produce them. */
static bool translit(toks *t)
{
    static const char *const rules[][2] = {
        {"ou", "u"},   {"kh", "h"},   {"mohammed", "muhammad"}, {"muhammad", "mohamed"},
        {"yu", "iu"},  {"ya", "ia"},  {"iy", "i"},    {"ei", "ey"},  {"ee", "i"},
        {"oo", "u"},   {"ph", "f"},   {"j", "dzh"},   {"zh", "j"},   {"ch", "tch"},
        {"sh", "ch"},  {"ts", "tz"},  {"w", "v"},     {"v", "w"},    {"x", "ks"},
        {"q", "k"},    {"dh", "d"},   {"y", "i"},     {"ie", "ye"},  {"abd al", "abdul"},
    };
    size_t start = pick(sizeof rules / sizeof rules[0]);
    for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
        const char *from = rules[(start + r) % (sizeof rules / sizeof rules[0])][0];
        const char *to = rules[(start + r) % (sizeof rules / sizeof rules[0])][1];
        size_t fl = strlen(from), tl = strlen(to);
        for (size_t i = 0; i < t->n; i++) {
            char *w = t->t[i];
            if (!ascii_word(w))
                continue;
            char low[128];
            size_t l = strlen(w);
            for (size_t k = 0; k <= l; k++)
                low[k] = (char)tolower((unsigned char)w[k]);
            char *hit = strstr(low + 1, from); /* keep the first letter */
            if (!hit || l - fl + tl + 1 > sizeof t->t[0])
                continue;
            size_t at = (size_t)(hit - low);
            char out[128];
            memcpy(out, w, at);
            bool cap = isupper((unsigned char)w[at]);
            for (size_t k = 0; k < tl; k++)
                out[at + k] = cap ? (char)toupper((unsigned char)to[k]) : to[k];
            memcpy(out + at + tl, w + at + fl, l - at - fl + 1);
            snprintf(w, sizeof t->t[0], "%s", out);
            return true;
        }
    }
    return false;
}

static bool legal_form(const char *w)
{
    static const char *const forms[] = {"LLC", "LTD", "LTD.", "LIMITED", "INC", "INC.", "OOO",
                                        "JSC", "PJSC", "AO", "OAO", "ZAO", "GMBH", "S.A.", "SA",
                                        "FZE", "FZCO", "CO.", "CORP", "CORPORATION", "PLC",
                                        "LLP", "B.V.", "SARL", "AG"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (!strcasecmp(w, forms[i]))
            return true;
    return false;
}

/* Writes a planted name for p into out; returns the variation's label. */
static const char *vary(const party *p, char *out, size_t size)
{
    toks t;
    if (p->schema == CORDON_SCHEMA_PERSON) {
        natural_tokens(p->primary, &t);
    } else { /* "COMPANY, LTD" keeps its order */
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", p->primary);
        t.n = 0;
        for (char *save = NULL, *w = strtok_r(buf, " ", &save); w && t.n < 16;
             w = strtok_r(NULL, " ", &save))
            snprintf(t.t[t.n++], sizeof t.t[0], "%s", w);
    }
    double u = unit();
    if (p->schema == CORDON_SCHEMA_VESSEL) {
        join(&t, out, size);
        if (u < 0.5)
            return "exact";
        for (char *c = out; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        return "case";
    }
    if (p->schema == CORDON_SCHEMA_ORGANIZATION) {
        if (u < 0.3) {
            snprintf(out, size, "%s", p->primary);
            return "exact";
        }
        if (u < 0.55 && typo(&t)) {
            join(&t, out, size);
            return "typo";
        }
        if (u < 0.75 && t.n >= 2 && legal_form(t.t[t.n - 1])) {
            t.n--;
            size_t l = strlen(t.t[t.n - 1]);
            if (l && t.t[t.n - 1][l - 1] == ',')
                t.t[t.n - 1][l - 1] = '\0';
            join(&t, out, size);
            return "no_legal_form";
        }
        for (size_t i = 0; i < t.n; i++)
            title(t.t[i]);
        join(&t, out, size);
        return "case";
    }
    /* people */
    for (size_t i = 0; i < t.n; i++)
        title(t.t[i]);
    if (u < 0.15) {
        join(&t, out, size);
        return "exact";
    }
    if (u < 0.30) {
        /* family name first, as registers and passports print it */
        toks r = t;
        snprintf(r.t[0], sizeof r.t[0], "%s", t.t[t.n - 1]);
        for (size_t i = 0; i + 1 < t.n; i++)
            snprintf(r.t[i + 1], sizeof r.t[0], "%s", t.t[i]);
        join(&r, out, size);
        return "reorder";
    }
    if (u < 0.50 && typo(&t)) {
        join(&t, out, size);
        return "typo";
    }
    if (u < 0.65 && t.n >= 3) {
        /* one middle name left out, as forms with a single given-name
         * field lose it */
        size_t drop = 1 + pick(t.n - 2);
        for (size_t i = drop; i + 1 < t.n; i++)
            snprintf(t.t[i], sizeof t.t[0], "%s", t.t[i + 1]);
        t.n--;
        join(&t, out, size);
        return "no_middle";
    }
    if (u < 0.85 && translit(&t)) {
        join(&t, out, size);
        return "translit";
    }
    if (u < 0.95 && p->aliases.n) {
        snprintf(out, size, "%s", p->aliases.v[pick(p->aliases.n)]);
        return "alias";
    }
    join(&t, out, size);
    for (char *c = out; *c; c++)
        *c = (char)toupper((unsigned char)*c);
    return "case";
}

/* ---- output ----------------------------------------------------------------- */

static void csv(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static const char *const countries[] = {"US", "GB", "DE", "FR", "IT", "ES", "NL", "SE", "PL",
                                        "CA", "AU", "JP", "IN", "BR", "MX", "TR", "AE", "CH",
                                        "IL", "KR", "CN", "RU", "UA", "EG", "NG", "ZA"};
static const char *const generics[] = {"Trading", "Logistics", "Holdings", "Shipping",
                                       "Consulting", "Industries", "Capital", "Foods",
                                       "Engineering", "Textiles", "Energy", "Partners"};
static const char *const forms[] = {"LLC", "Ltd", "GmbH", "S.A.", "Inc.", "AB", "B.V.", "PLC"};

int main(int argc, char **argv)
{
    const char *index_path = NULL, *shared = "../shared/data";
    unsigned long rows = 0;
    double planted = 0.01;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--index") && i + 1 < argc)
            index_path = argv[++i];
        else if (!strcmp(argv[i], "--rows") && i + 1 < argc)
            rows = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--planted") && i + 1 < argc)
            planted = atof(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            rng_state = 0x9E3779B97F4A7C15ull + strtoull(argv[++i], NULL, 10) * 0xBF58476D1CE4E5B9ull;
        else if (!strcmp(argv[i], "--shared") && i + 1 < argc)
            shared = argv[++i];
        else
            die("usage: gen_customers --index FILE --rows N [--planted SHARE] [--seed S] "
                "[--shared DIR]");
    }
    if (!rng_state)
        rng_state = 1; /* xorshift stays at zero */
    if (!index_path || !rows)
        die("--index and --rows are required");
    char path[1024];
    snprintf(path, sizeof path, "%s/eval/wikidata_transliteration/wd_hebrew", shared);
    load_wikidata(path);
    snprintf(path, sizeof path, "%s/eval/wikidata_transliteration/wd_korean", shared);
    load_wikidata(path);
    snprintf(path, sizeof path, "%s/eval/negatives/validation_negatives_global_1k.csv", shared);
    load_negatives(path);
    snprintf(path, sizeof path, "%s/eval/negatives/validation_negatives_us_1k.csv", shared);
    load_negatives(path);
    cordon_index *idx;
    cordon_error err;
    if (cordon_index_open(index_path, &idx, &err) != 0)
        die(err.message);
    load_parties(idx);
    cordon_index_close(idx);
    if (!givens.n || !n_negatives || !n_parties)
        die("no names loaded");

    /* planted parties: about 70% people, 20% organizations, 10% vessels */
    strs by[3] = {{0}};
    for (size_t i = 0; i < n_parties; i++) {
        int k = parties[i].schema == CORDON_SCHEMA_PERSON         ? 0
                : parties[i].schema == CORDON_SCHEMA_ORGANIZATION ? 1
                                                                  : 2;
        char idx_text[32];
        snprintf(idx_text, sizeof idx_text, "%zu", i);
        push(&by[k], idx_text, strlen(idx_text));
    }

    FILE *out = stdout;
    static char obuf[1 << 16];
    setvbuf(out, obuf, _IOFBF, sizeof obuf);
    fputs("id,name,type,dob,country,truth,variation\n", out);
    unsigned long n_planted = 0;
    char name[1024];
    for (unsigned long r = 1; r <= rows; r++) {
        fprintf(out, "C%08lu,", r);
        if (unit() < planted) {
            double u = unit();
            int k = u < 0.7 ? 0 : u < 0.9 ? 1 : 2;
            if (!by[k].n)
                k = 0;
            const party *p = &parties[strtoul(by[k].v[pick(by[k].n)], NULL, 10)];
            const char *how = vary(p, name, sizeof name);
            csv(out, name);
            fprintf(out, ",%s,%s,%s,%s,%s\n", cordon_schema_name(p->schema),
                    p->dob[0] && unit() < 0.6 ? p->dob : "",
                    p->country[0] && unit() < 0.6 ? p->country : "", p->id, how);
            n_planted++;
            continue;
        }
        double u = unit();
        if (u < 0.03) {
            const negative *p = &negatives[pick(n_negatives)];
            csv(out, p->name);
            fputs(",person,", out);
            csv(out, p->dob);
            fputc(',', out);
            csv(out, p->country);
            fputs(",,\n", out);
        } else if (u < 0.11) {
            snprintf(name, sizeof name, "%s %s %s", surnames.v[pick(surnames.n)],
                     generics[pick(sizeof generics / sizeof generics[0])],
                     forms[pick(sizeof forms / sizeof forms[0])]);
            csv(out, name);
            fprintf(out, ",organization,,%s,,\n",
                    countries[pick(sizeof countries / sizeof countries[0])]);
        } else {
            if (unit() < 0.2 && middles.n)
                snprintf(name, sizeof name, "%s %s %s", givens.v[pick(givens.n)],
                         middles.v[pick(middles.n)], surnames.v[pick(surnames.n)]);
            else
                snprintf(name, sizeof name, "%s %s", givens.v[pick(givens.n)],
                         surnames.v[pick(surnames.n)]);
            csv(out, name);
            fputs(",person,", out);
            if (unit() < 0.7)
                fprintf(out, "%04d-%02d-%02d", 1940 + (int)pick(66), 1 + (int)pick(12),
                        1 + (int)pick(28));
            fputc(',', out);
            if (unit() < 0.7)
                fputs(countries[pick(sizeof countries / sizeof countries[0])], out);
            fputs(",,\n", out);
        }
    }
    if (fflush(out) != 0)
        die("cannot write the output");
    fprintf(stderr, "gen_customers: %lu rows, %lu planted (%zu listed parties to draw from)\n",
            rows, n_planted, n_parties);
    return 0;
}
