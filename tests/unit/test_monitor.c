/*
 * test_monitor.c — lib/monitor.c, lib/monitor_keys.c and lib/alerts.c on
 * the real UN list and a second version of it made here (a name changed,
 * a remark changed, an entity removed, one added):
 *  - the retrieval-key prefilter never drops a customer that screening
 *    matches with a changed entity (checked on every match of thousands
 *    of customers made from the list's own names, at a low threshold);
 *  - a delta run raises exactly the alerts a full re-screen raises, and
 *    exactly the pairs that screening each customer gives;
 *  - alert memory: a cleared alert stays cleared until the customer's
 *    data or the entity's record changes;
 *  - customer checks, add statistics, signatures and their damage.
 */
#include "test_util.h"

#include <ctype.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "monitor_int.h"

static const char *const un_path = "data/lists/un_sc/2026-02-27/UN_consolidated.xml";

static cordon_dataset *old_ds;
static cordon_index *old_idx, *new_idx;
static cordon_dataset *sdn_ds; /* the SDN list, for the tests that use it (sdn_load) */
static cordon_index *sdn_idx;
static char dir[64];
static char new_xml[128];

/* ---- the second version of the UN list --------------------------------------- */

/* Replaces the one occurrence of `from` in *text (fails if not exactly one). */
static int replace_once(char **text, const char *from, const char *to)
{
    char *p = strstr(*text, from);
    if (!p || strstr(p + 1, from))
        return -1;
    size_t a = (size_t)(p - *text), fl = strlen(from), tl = strlen(to), n = strlen(*text);
    char *out = malloc(n - fl + tl + 1);
    memcpy(out, *text, a);
    memcpy(out + a, to, tl);
    memcpy(out + a + tl, p + fl, n - a - fl + 1);
    free(*text);
    *text = out;
    return 0;
}

/* CDi.001 ERIC BADEGE renamed ERICK; KPe.001's comment changed; CDi.002
 * removed; QDi.999 MARTA KOWALSKA added. */
static int write_new_version(void)
{
    char *x = test_slurp(un_path, NULL);
    if (!x)
        return -1;
    int rc = replace_once(&x, "<FIRST_NAME>ERIC</FIRST_NAME>", "<FIRST_NAME>ERICK</FIRST_NAME>");
    if (!rc)
        rc = replace_once(&x, "Primary arms dealer and main exporter",
                          "Primary arms dealer and leading exporter");
    char *a = rc ? NULL : strstr(x, "<DATAID>6907994</DATAID>");
    if (!a)
        rc = -1;
    if (!rc) {
        char *start = a;
        while (start > x && strncmp(start, "<INDIVIDUAL>", 12) != 0)
            start--;
        char *end = strstr(a, "</INDIVIDUAL>");
        end += strlen("</INDIVIDUAL>");
        memmove(start, end, strlen(end) + 1);
    }
    if (!rc)
        rc = replace_once(&x, "<INDIVIDUALS>\n",
                          "<INDIVIDUALS>\n    <INDIVIDUAL>\n      <DATAID>9999999</DATAID>\n"
                          "      <VERSIONNUM>1</VERSIONNUM>\n"
                          "      <FIRST_NAME>MARTA</FIRST_NAME>\n"
                          "      <SECOND_NAME>KOWALSKA</SECOND_NAME>\n"
                          "      <UN_LIST_TYPE>DRC</UN_LIST_TYPE>\n"
                          "      <REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER>\n"
                          "      <LISTED_ON>2026-03-01</LISTED_ON>\n"
                          "      <INDIVIDUAL_DATE_OF_BIRTH>\n"
                          "        <TYPE_OF_DATE>EXACT</TYPE_OF_DATE>\n"
                          "        <YEAR>1980</YEAR>\n"
                          "      </INDIVIDUAL_DATE_OF_BIRTH>\n"
                          "    </INDIVIDUAL>\n");
    if (!rc) {
        snprintf(new_xml, sizeof new_xml, "%s/UN_next.xml", dir);
        FILE *f = fopen(new_xml, "wb");
        rc = f && fwrite(x, 1, strlen(x), f) == strlen(x) ? 0 : -1;
        if (f)
            fclose(f);
    }
    free(x);
    return rc;
}

static cordon_index *build(const char *path, cordon_dataset **keep)
{
    cordon_source_spec spec = {.name = "un_sc", .format = CORDON_FORMAT_UN_XML, .n_files = 1};
    spec.files[0] = path;
    cordon_dataset *ds = cordon_dataset_new();
    cordon_error err;
    cordon_index *idx = NULL;
    if (cordon_dataset_load(ds, &spec, &err) || cordon_index_build(ds, &idx, &err)) {
        fprintf(stderr, "build %s: %s\n", path, err.message);
        idx = NULL;
    }
    if (keep)
        *keep = ds;
    else
        cordon_dataset_free(ds);
    return idx;
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/cordon-monitor-test-XXXXXX");
    if (!mkdtemp(dir) || write_new_version())
        return -1;
    old_idx = build(un_path, &old_ds);
    new_idx = build(new_xml, NULL);
    return old_idx && new_idx ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    cordon_index_close(old_idx);
    cordon_index_close(new_idx);
    cordon_dataset_free(old_ds);
    cordon_index_close(sdn_idx);
    cordon_dataset_free(sdn_ds);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *db_path(const char *name)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s.db", dir, name);
    return path;
}

static cordon_store *open_store(const char *path)
{
    cordon_store *st = NULL;
    cordon_error err;
    if (cordon_store_open(path, &st, &err))
        fail_msg("open %s: %s", path, err.message);
    return st;
}

/* ---- customers made from the list's names ----------------------------------------- */

typedef struct people {
    char id[4096][16];
    char name[4096][160];
    char dob[4096][16];    /* the entity's first birth date, or "" */
    char country[4096][3]; /* its first nationality, or "" */
    cordon_schema schema[4096]; /* the entity's type, the other party type, or unknown */
    size_t n;
} people;

static const cordon_entity *current; /* whose qualifiers add_person copies */

static void add_person(people *p, const char *name)
{
    if (p->n == 4096 || strlen(name) >= 160 || !*name)
        return;
    snprintf(p->id[p->n], 16, "C%05zu", p->n);
    snprintf(p->name[p->n], 160, "%s", name);
    p->dob[p->n][0] = p->country[p->n][0] = '\0';
    p->schema[p->n] = CORDON_SCHEMA_UNKNOWN;
    /* a third of them give the entity's type, a third the wrong one
     * (person for an organization and the reverse: -0.15) */
    if (current && p->n % 3 == 1)
        p->schema[p->n] = current->schema;
    else if (current && p->n % 3 == 2 && current->schema == CORDON_SCHEMA_PERSON)
        p->schema[p->n] = CORDON_SCHEMA_ORGANIZATION;
    else if (current && p->n % 3 == 2 && current->schema == CORDON_SCHEMA_ORGANIZATION)
        p->schema[p->n] = CORDON_SCHEMA_PERSON;
    /* every other person carries the entity's birth date and country,
     * which add up to 0.05 to a score */
    if (current && p->n % 2 == 0) {
        if (current->n_birth_dates && current->birth_dates[0].day)
            snprintf(p->dob[p->n], 16, "%04d-%02u-%02u", current->birth_dates[0].year,
                     current->birth_dates[0].month, current->birth_dates[0].day);
        if (current->n_nationalities && current->nationalities[0].code[0])
            snprintf(p->country[p->n], 3, "%s", current->nationalities[0].code);
    }
    p->n++;
}

/* The name, the name without its last word (or with two words swapped),
 * and the name with a letter dropped from its longest word. */
static void add_variants(people *p, const char *name)
{
    add_person(p, name);
    char t[160];
    snprintf(t, sizeof t, "%s", name);
    char *words[16];
    int n = 0;
    for (char *save = NULL, *w = strtok_r(t, " ", &save); w && n < 16;
         w = strtok_r(NULL, " ", &save))
        words[n++] = w;
    char v[200] = "";
    if (n >= 3) {
        for (int i = 0; i < n - 1; i++)
            snprintf(v + strlen(v), sizeof v - strlen(v), "%s%s", i ? " " : "", words[i]);
        add_person(p, v);
    } else if (n == 2) {
        snprintf(v, sizeof v, "%s %s", words[1], words[0]);
        add_person(p, v);
    }
    snprintf(t, sizeof t, "%s", name);
    size_t best = 0, best_len = 0, start = 0;
    for (size_t i = 0; i <= strlen(t); i++)
        if (t[i] == ' ' || t[i] == '\0') {
            if (i - start > best_len) {
                best = start;
                best_len = i - start;
            }
            start = i + 1;
        }
    bool ascii = true;
    for (size_t i = best; i < best + best_len; i++)
        ascii = ascii && (unsigned char)t[i] < 0x80;
    if (best_len >= 5 && ascii) {
        char *mid = t + best + best_len / 2;
        memmove(mid, mid + 1, strlen(mid));
        add_person(p, t);
    }
    /* initials for the given names: "M. A. SURNAME" */
    size_t first = strcspn(name, " ");
    if (n >= 3 && (unsigned char)name[0] < 0x80 && name[first] == ' ') {
        snprintf(v, sizeof v, "%c. %s", name[0], name + first + 1);
        add_person(p, v);
    }
}

static people *make_people(size_t every)
{
    people *p = calloc(1, sizeof *p);
    for (size_t i = 0; i < cordon_dataset_entity_count(old_ds); i += every) {
        const cordon_entity *e = cordon_dataset_entity(old_ds, i);
        current = e;
        add_variants(p, e->names[0].value);
        for (size_t k = 1; k < e->n_names; k++)
            if (e->names[k].kind == CORDON_NAME_NATIVE)
                add_person(p, e->names[k].value);
    }
    current = NULL;
    const char *others[] = {"Marta Kowalska", "John Smith", "Maria Garcia", "Chen Wei",
                            "Olena Kovalenko", "Ahmed Hassan", "Eric Badege", "Komid"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        add_person(p, others[i]);
    return p;
}

static cordon_query person_query(const people *p, size_t i, cordon_date *dob)
{
    cordon_query q = {.name = p->name[i], .name_len = strlen(p->name[i]),
                      .schema = p->schema[i]};
    if (p->dob[i][0] && cordon_date_parse(p->dob[i], strlen(p->dob[i]), dob) == 0)
        q.birth_date = dob;
    if (p->country[i][0]) {
        q.country = p->country[i];
        q.country_len = 2;
    }
    return q;
}

/* ---- signatures ------------------------------------------------------------------- */

static void count_key(void *ctx, uint64_t k)
{
    (void)k;
    (*(size_t *)ctx)++;
}

static void test_signatures(void **state)
{
    (void)state;
    cordon__buf b = {0};
    cordon_error err;
    cordon_query_id imo = {CORDON_ID_OTHER, "IMO 8407777", 11};
    cordon_query kq = {.name = "KIM Jong-un", .name_len = 11, .schema = CORDON_SCHEMA_PERSON,
                       .ids = &imo, .n_ids = 1};
    assert_int_equal(cordon__sig_build(&kq, &b, &err), 0);
    assert_true(b.len > 20);
    assert_int_equal(((unsigned char *)b.data)[0], 2); /* the layout version */
    size_t n = 0;
    bool initial = true;
    assert_int_equal(cordon__sig_keys(b.data, b.len, count_key, &n, &initial), 0);
    assert_true(n > 20);
    assert_false(initial);
    /* an identifier alone */
    cordon__buf c = {0};
    cordon_query iq = {.ids = &imo, .n_ids = 1};
    assert_int_equal(cordon__sig_build(&iq, &c, &err), 0);
    n = 0;
    assert_int_equal(cordon__sig_keys(c.data, c.len, count_key, &n, NULL), 0);
    assert_int_equal(n, 1);
    /* damage: truncated, a bad tag, a bad version, a zero length */
    assert_int_equal(cordon__sig_keys(b.data, b.len - 1, count_key, &n, NULL), CORDON_ECORRUPT);
    assert_int_equal(cordon__sig_keys(b.data, 0, count_key, &n, NULL), CORDON_ECORRUPT);
    b.data[1] = 'Z';
    assert_int_equal(cordon__sig_keys(b.data, b.len, count_key, &n, NULL), CORDON_ECORRUPT);
    b.data[0] = 7;
    assert_int_equal(cordon__sig_keys(b.data, b.len, count_key, &n, NULL), CORDON_ECORRUPT);
    const unsigned char zero[] = {2, 'S', 0};
    assert_int_equal(cordon__sig_keys(zero, sizeof zero, count_key, &n, NULL), CORDON_ECORRUPT);
    cordon_query bq = {.name = "!!!", .name_len = 3};
    assert_int_equal(cordon__sig_build(&bq, &c, &err), CORDON_EEMPTY);
    /* an initial is flagged */
    cordon_query vq = {.name = "V. PUTIN", .name_len = 8, .schema = CORDON_SCHEMA_PERSON};
    assert_int_equal(cordon__sig_build(&vq, &c, &err), 0);
    assert_int_equal(cordon__sig_keys(c.data, c.len, count_key, &n, &initial), 0);
    assert_true(initial);
    cordon__buf_free(&b);
    cordon__buf_free(&c);
}

/* Every match screening finds between a customer and a changed entity
 * must pass the prefilter for that threshold. */
static void prefilter_at(const people *p, const uint8_t *changed, double threshold,
                         size_t max_candidates)
{
    size_t n_ent = cordon_index_entity_count(old_idx);
    cordon__changeset cs;
    assert_int_equal(cordon__changeset_init(&cs, old_idx, threshold), 0);
    for (size_t i = 0; i < n_ent; i++)
        if (changed[i])
            assert_int_equal(cordon__changeset_add_entity(&cs, i), 0);
    assert_int_equal(cordon__changeset_build(&cs), 0);
    cordon__check *ck = cordon__check_new();
    assert_non_null(ck);
    cordon_screen_options o = {.threshold = threshold, .limit = CORDON_SCREEN_MAX_LIMIT};
    size_t pairs = 0, candidates = 0, native = 0, qualified = 0;
    cordon__buf sig = {0};
    for (size_t i = 0; i < p->n; i++) {
        cordon_date dob;
        cordon_query q = person_query(p, i, &dob);
        cordon_result *r = NULL;
        cordon_error err;
        if (cordon_screen(old_idx, &q, &o, &r, &err) != 0)
            continue;
        assert_int_equal(cordon__sig_build(&q, &sig, &err), 0);
        int meets = cordon__changeset_meets(&cs, ck, sig.data, sig.len);
        assert_true(meets == 0 || meets == 1);
        candidates += (size_t)meets;
        for (size_t m = 0; m < r->n_matches; m++) {
            if (!changed[r->matches[m].entity])
                continue;
            pairs++;
            native += (unsigned char)p->name[i][0] >= 0x80;
            qualified += q.birth_date || q.country;
            if (!meets)
                fail_msg("\"%s\" matches %s (%.3f) at %.2f but the prefilter drops it",
                         p->name[i], r->matches[m].id, r->matches[m].score, threshold);
        }
        cordon_result_free(r);
    }
    printf("prefilter at %.2f: %zu customers, %zu candidates; %zu matched pairs checked (%zu "
           "native script, %zu with birth date or country)\n",
           threshold, p->n, candidates, pairs, native, qualified);
    /* the check covered many pairs of each kind, and the filter let
     * through only part of the customers */
    assert_true(pairs >= 5);
    assert_true(candidates <= max_candidates);
    cordon__buf_free(&sig);
    cordon__check_free(ck);
    cordon__changeset_free(&cs);
}

static void test_prefilter_is_sound(void **state)
{
    (void)state;
    people *p = make_people(2);
    assert_true(p->n > 1500);
    size_t n_ent = cordon_index_entity_count(old_idx);
    uint8_t *changed = calloc(n_ent, 1);
    /* a fifth of the list changed: nearly every customer made from the
     * list's own names is a candidate, and every match is checked */
    for (size_t i = 0; i < n_ent; i += 5)
        changed[i] = 1;
    prefilter_at(p, changed, 0.6, p->n);
    prefilter_at(p, changed, cordon_default_threshold(CORDON_ALGORITHM_DEFAULT), p->n);
    /* one entity in fifty: most customers are skipped */
    memset(changed, 0, n_ent);
    for (size_t i = 3; i < n_ent; i += 50)
        changed[i] = 1;
    prefilter_at(p, changed, cordon_default_threshold(CORDON_ALGORITHM_DEFAULT), p->n / 5);
    free(changed);
    free(p);
}

/* A listed initial ("A. KABIR") meets a customer's whole word by its
 * first letter only; with the other tokens met, that can carry the name
 * over the threshold. Each entity of the list with a one-letter token,
 * alone in a changeset (so that no other changed name makes initials
 * worth a look on their own), against customers that spell its initials
 * out: every match must pass. */
static const char *const spelled[26] = {
    "Ahmed", "Boris",  "Carlos",  "David", "Elena",  "Farid", "George", "Hassan", "Ivan",
    "John",  "Karim",  "Luis",    "Maria", "Nikolai", "Omar", "Pavel",  "Qasim",  "Rafael",
    "Sergei", "Tariq", "Umar",    "Viktor", "Walid", "Xavier", "Yusuf", "Zaid"};

static void test_prefilter_listed_initials(void **state)
{
    (void)state;
    double threshold = cordon_default_threshold(CORDON_ALGORITHM_DEFAULT);
    cordon_screen_options o = {.threshold = threshold, .limit = CORDON_SCREEN_MAX_LIMIT};
    cordon__buf sig = {0};
    size_t entities = 0, customers = 0, pairs = 0;
    for (size_t i = 0; i < cordon_index_entity_count(old_idx); i++) {
        const cordon_entity *e = cordon_dataset_entity(old_ds, i);
        cordon__changeset cs;
        cordon__check *ck = NULL;
        bool any = false;
        for (size_t k = 0; k < e->n_names; k++) {
            char t[160], v[320] = "";
            snprintf(t, sizeof t, "%s", e->names[k].value);
            bool has = false;
            for (char *save = NULL, *w = strtok_r(t, " ,", &save); w;
                 w = strtok_r(NULL, " ,", &save)) {
                size_t wl = strlen(w) - (w[strlen(w) - 1] == '.');
                const char *r = w;
                if (wl == 1 && isalpha((unsigned char)w[0])) {
                    r = spelled[toupper((unsigned char)w[0]) - 'A'];
                    has = true;
                }
                snprintf(v + strlen(v), sizeof v - strlen(v), "%s%s", v[0] ? " " : "", r);
            }
            if (!has)
                continue;
            if (!any) {
                assert_int_equal(cordon__changeset_init(&cs, old_idx, threshold), 0);
                assert_int_equal(cordon__changeset_add_entity(&cs, i), 0);
                assert_int_equal(cordon__changeset_build(&cs), 0);
                assert_non_null(ck = cordon__check_new());
                any = true;
                entities++;
            }
            cordon_query q = {.name = v, .name_len = strlen(v), .schema = e->schema};
            cordon_result *r = NULL;
            cordon_error err;
            assert_int_equal(cordon_screen(old_idx, &q, &o, &r, &err), 0);
            assert_int_equal(cordon__sig_build(&q, &sig, &err), 0);
            int meets = cordon__changeset_meets(&cs, ck, sig.data, sig.len);
            customers++;
            for (size_t m = 0; m < r->n_matches; m++) {
                if (r->matches[m].entity != i)
                    continue;
                pairs++;
                if (meets != 1)
                    fail_msg("\"%s\" matches %s (%.3f) but the prefilter drops it", v,
                             r->matches[m].id, r->matches[m].score);
            }
            cordon_result_free(r);
        }
        if (any) {
            cordon__check_free(ck);
            cordon__changeset_free(&cs);
        }
    }
    printf("listed initials: %zu entities, %zu customers, %zu matched pairs checked\n",
           entities, customers, pairs);
    assert_true(pairs >= 20);
    cordon__buf_free(&sig);
}

/* On the SDN list: query initials.
 * A query initial reads a listed numeral as Roman ("ARGO I Trading"
 * against the vessel ARGO I, whose numeral is the NUMBER 1): each SDN
 * vessel whose name ends in I, V or X, alone in a changeset, against
 * customers that add a word to its name; every match must pass. */
/* The SDN list of 2024-05-03, built once for the tests that use it. */
static void sdn_load(void)
{
    if (sdn_idx)
        return;
    cordon_source_spec spec = {.name = "ofac_sdn", .format = CORDON_FORMAT_OFAC_CSV, .n_files = 1};
    spec.files[0] = "data/lists/ofac_sdn/sdn_csv_2024-05-03/sdn.csv";
    sdn_ds = cordon_dataset_new();
    cordon_error err;
    assert_int_equal(cordon_dataset_load(sdn_ds, &spec, &err), 0);
    assert_int_equal(cordon_index_build(sdn_ds, &sdn_idx, &err), 0);
}

static void test_prefilter_sdn(void **state)
{
    (void)state;
    sdn_load();
    cordon_dataset *ds = sdn_ds;
    cordon_index *idx = sdn_idx;
    cordon_error err;
    double threshold = cordon_default_threshold(CORDON_ALGORITHM_DEFAULT);
    cordon_screen_options o = {.threshold = threshold, .limit = CORDON_SCREEN_MAX_LIMIT};
    static const char *const extra[] = {"Ivan", "Trading", "Shipping", "Maria"};
    static const cordon_schema schemas[] = {CORDON_SCHEMA_VESSEL, CORDON_SCHEMA_UNKNOWN};
    cordon__buf sig = {0};
    size_t vessels = 0, pairs = 0;
    for (size_t i = 0; i < cordon_index_entity_count(idx); i++) {
        const cordon_entity *e = cordon_dataset_entity(ds, i);
        const char *nm = e->names[0].value;
        size_t nl = strlen(nm);
        if (e->schema != CORDON_SCHEMA_VESSEL || nl < 3 || nm[nl - 2] != ' ' ||
            !strchr("IVX", nm[nl - 1]))
            continue;
        vessels++;
        cordon__changeset cs;
        assert_int_equal(cordon__changeset_init(&cs, idx, threshold), 0);
        assert_int_equal(cordon__changeset_add_entity(&cs, i), 0);
        assert_int_equal(cordon__changeset_build(&cs), 0);
        cordon__check *ck = cordon__check_new();
        assert_non_null(ck);
        for (size_t x = 0; x < 4; x++)
            for (size_t k = 0; k < 2; k++) {
                char v[200];
                snprintf(v, sizeof v, "%s %s", nm, extra[x]);
                cordon_query q = {.name = v, .name_len = strlen(v), .schema = schemas[k]};
                cordon_result *r = NULL;
                assert_int_equal(cordon_screen(idx, &q, &o, &r, &err), 0);
                assert_int_equal(cordon__sig_build(&q, &sig, &err), 0);
                int meets = cordon__changeset_meets(&cs, ck, sig.data, sig.len);
                for (size_t m = 0; m < r->n_matches; m++) {
                    if (r->matches[m].entity != i)
                        continue;
                    pairs++;
                    if (meets != 1)
                        fail_msg("\"%s\" matches %s (%.3f) but the prefilter drops it", v,
                                 r->matches[m].id, r->matches[m].score);
                }
                cordon_result_free(r);
            }
        cordon__check_free(ck);
        cordon__changeset_free(&cs);
    }
    printf("numerals: %zu vessels, %zu matched pairs checked\n", vessels, pairs);
    assert_int_equal(vessels, 13);
    assert_true(pairs >= 20);

    /* A query initial aligns a listed token by its letter, and a name is
     * retrieved through a term one of the customer's keys meets even when
     * their similarity is 0 (PALESTINE LEAGUE for "P. LLC": league and
     * llc share a phonetic key; 0.607 at 0.60): every fortieth entity
     * changed, customers made of the initial of a name's first word and a
     * legal form or a word of another name. */
    threshold = 0.6;
    o.threshold = threshold;
    cordon__changeset cs;
    assert_int_equal(cordon__changeset_init(&cs, idx, threshold), 0);
    size_t n_ent = cordon_index_entity_count(idx);
    for (size_t i = 0; i < n_ent; i += 40)
        assert_int_equal(cordon__changeset_add_entity(&cs, i), 0);
    assert_int_equal(cordon__changeset_build(&cs), 0);
    cordon__check *ck = cordon__check_new();
    assert_non_null(ck);
    static const char *const tails[] = {"LLC", "LTD", "Co", "Trading"};
    size_t initial_pairs = 0;
    for (size_t i = 0; i < n_ent; i += 40) {
        const cordon_entity *e = cordon_dataset_entity(ds, i);
        for (size_t k = 0; k < e->n_names; k++) {
            const char *nm = e->names[k].value;
            if (!isalpha((unsigned char)nm[0]) || !strchr(nm, ' '))
                continue;
            for (size_t x = 0; x < 5; x++) {
                char v[200];
                if (x < 4)
                    snprintf(v, sizeof v, "%c. %s", nm[0], tails[x]);
                else /* the initial and the name's last word */
                    snprintf(v, sizeof v, "%c. %s", nm[0], strrchr(nm, ' ') + 1);
                cordon_query q = {.name = v, .name_len = strlen(v), .schema = e->schema};
                cordon_result *r = NULL;
                assert_int_equal(cordon_screen(idx, &q, &o, &r, &err), 0);
                assert_int_equal(cordon__sig_build(&q, &sig, &err), 0);
                int meets = cordon__changeset_meets(&cs, ck, sig.data, sig.len);
                for (size_t m = 0; m < r->n_matches; m++) {
                    if (r->matches[m].entity % 40 != 0)
                        continue;
                    initial_pairs++;
                    if (meets != 1)
                        fail_msg("\"%s\" matches %s (%.3f) but the prefilter drops it", v,
                                 r->matches[m].id, r->matches[m].score);
                }
                cordon_result_free(r);
            }
        }
    }
    printf("initials: %zu matched pairs checked\n", initial_pairs);
    assert_true(initial_pairs >= 50);
    cordon__check_free(ck);
    cordon__changeset_free(&cs);

    /* A term met by a loose key alone is related at the loose similarity,
     * which ignores digits (a Cyrillic customer against OOO SKAI17: savichic
     * ~ skai17 loose 0.82, where the full similarity of a term with digits
     * is 0). Checked when screening matches the pair. */
    size_t e45036;
    assert_int_equal(cordon_index_find(idx, "ofac_sdn:45036", 14, &e45036), 0);
    assert_int_equal(cordon__changeset_init(&cs, idx, threshold), 0);
    assert_int_equal(cordon__changeset_add_entity(&cs, e45036), 0);
    assert_int_equal(cordon__changeset_build(&cs), 0);
    assert_non_null(ck = cordon__check_new());
    static const char *const loose[] = {
        "\u0414\u0430\u0432\u043e\u0440 \u0414\u0440\u0430\u0433\u043e\u043b\u043e"
        "\u0431\u043e\u0432\u0438\u045b \u0421\u0430\u0432\u0438\u0447\u0438\u045b",
        "\u0421\u0430\u0432\u0438\u0447\u0438\u045b"};
    size_t loose_pairs = 0;
    for (size_t x = 0; x < 2; x++) {
        cordon_query q = {.name = loose[x], .name_len = strlen(loose[x]),
                          .schema = CORDON_SCHEMA_ORGANIZATION};
        cordon_result *r = NULL;
        assert_int_equal(cordon_screen(idx, &q, &o, &r, &err), 0);
        assert_int_equal(cordon__sig_build(&q, &sig, &err), 0);
        int meets = cordon__changeset_meets(&cs, ck, sig.data, sig.len);
        for (size_t m = 0; m < r->n_matches; m++)
            if (r->matches[m].entity == e45036) {
                loose_pairs++;
                if (meets != 1)
                    fail_msg("\"%s\" matches %s (%.3f) but the prefilter drops it", loose[x],
                             r->matches[m].id, r->matches[m].score);
            }
        cordon_result_free(r);
    }
    printf("loose keys and digits: %zu matched pairs checked\n", loose_pairs);
    cordon__check_free(ck);
    cordon__changeset_free(&cs);
    cordon__buf_free(&sig);
}

/* ---- customers made from SDN names, at random ------------------------------------- */

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)((rng >> 11) % n);
}

static const char *const given[26] = {
    "Ahmed", "Boris",  "Carlos",  "David", "Elena",  "Farid", "George", "Hassan", "Ivan",
    "John",  "Karim",  "Luis",    "Maria", "Nikolai", "Omar", "Pavel",  "Qasim",  "Rafael",
    "Sergei", "Tariq", "Umar",    "Viktor", "Walid", "Xavier", "Yusuf", "Zaid"};

/* One way customers write a listed name: as listed, a word left out, the
 * words turned round, some words as initials, listed initials spelt out,
 * a typo, a word added. */
static void vary(const char *name, unsigned how, char *out, size_t size)
{
    char t[256];
    snprintf(t, sizeof t, "%s", name);
    char *w[32];
    int n = 0;
    for (char *save = NULL, *x = strtok_r(t, " ,", &save); x && n < 32;
         x = strtok_r(NULL, " ,", &save))
        w[n++] = x;
    out[0] = '\0';
    int skip = n >= 2 && how == 1 ? (int)rnd((unsigned)n) : -1;
    int typo = how == 5 ? (int)rnd((unsigned)(n ? n : 1)) : -1;
    for (int i = 0; i < n; i++) {
        int k = how == 2 ? (i + 1) % n : i;
        char y[256];
        snprintf(y, sizeof y, "%s", w[k]);
        size_t l = strlen(y);
        if (k == skip)
            continue;
        if (how == 3 && i < n - 1 && rnd(2) && isalpha((unsigned char)y[0]))
            snprintf(y, sizeof y, "%c.", w[k][0]);
        if (how == 4 && (l == 1 || (l == 2 && y[1] == '.')) && isalpha((unsigned char)y[0]))
            snprintf(y, sizeof y, "%s", given[toupper((unsigned char)y[0]) - 'A']);
        if (k == typo && l >= 4) {
            size_t at = 1 + rnd((unsigned)(l - 1));
            unsigned op = rnd(3);
            if (op == 0)
                memmove(y + at, y + at + 1, l - at);
            else if (op == 1)
                y[at] = (char)('a' + rnd(26));
            else {
                char c = y[at];
                y[at] = y[at - 1];
                y[at - 1] = c;
            }
        }
        snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? " " : "", y);
    }
    if (how == 6)
        snprintf(out + strlen(out), size - strlen(out), " %s", given[rnd(26)]);
}

/* Seeded customers from the names of a changed sample of SDN entities and
 * of others, with the entity's type, another or none, and sometimes its
 * birth date and a country: every match with a changed entity must pass,
 * at 0.60 and at the default threshold. */
static void test_prefilter_variants(void **state)
{
    (void)state;
    sdn_load();
    size_t n_ent = cordon_index_entity_count(sdn_idx);
    const double thresholds[2] = {0.6, cordon_default_threshold(CORDON_ALGORITHM_DEFAULT)};
    cordon__buf sig = {0};
    for (int ti = 0; ti < 2; ti++) {
        cordon__changeset cs;
        assert_int_equal(cordon__changeset_init(&cs, sdn_idx, thresholds[ti]), 0);
        uint8_t *changed = calloc(n_ent, 1);
        for (size_t i = (size_t)ti; i < n_ent; i += 97) {
            changed[i] = 1;
            assert_int_equal(cordon__changeset_add_entity(&cs, i), 0);
        }
        assert_int_equal(cordon__changeset_build(&cs), 0);
        cordon__check *ck = cordon__check_new();
        assert_non_null(ck);
        cordon_screen_options o = {.threshold = thresholds[ti], .limit = CORDON_SCREEN_MAX_LIMIT};
        size_t customers = 0, candidates = 0, pairs = 0;
        for (size_t i = (size_t)ti; i < n_ent; i += 97) {
            /* a changed entity, and one picked at random */
            size_t pick[2] = {i, rnd((unsigned)n_ent)};
            for (int pi = 0; pi < 2; pi++) {
                const cordon_entity *e = cordon_dataset_entity(sdn_ds, pick[pi]);
                const char *nm = e->names[rnd((unsigned)e->n_names)].value;
                for (unsigned how = 0; how < 7; how++) {
                    char v[300];
                    vary(nm, how, v, sizeof v);
                    if (!v[0])
                        continue;
                    unsigned sch = rnd(4);
                    cordon_query q = {.name = v, .name_len = strlen(v),
                                      .schema = sch == 0   ? CORDON_SCHEMA_UNKNOWN
                                                : sch == 1 ? (e->schema == CORDON_SCHEMA_PERSON
                                                                  ? CORDON_SCHEMA_ORGANIZATION
                                                                  : CORDON_SCHEMA_PERSON)
                                                           : e->schema};
                    cordon_date dob;
                    if (rnd(2) && e->n_birth_dates && e->birth_dates[0].day) {
                        dob = e->birth_dates[0];
                        q.birth_date = &dob;
                    }
                    if (rnd(2)) {
                        const char *cc = e->n_nationalities && e->nationalities[0].code[0]
                                             ? e->nationalities[0].code
                                             : rnd(2) ? "RU" : "IR";
                        q.country = cc;
                        q.country_len = 2;
                    }
                    cordon_result *r = NULL;
                    cordon_error err;
                    if (cordon_screen(sdn_idx, &q, &o, &r, &err) != 0)
                        continue;
                    assert_int_equal(cordon__sig_build(&q, &sig, &err), 0);
                    int meets = cordon__changeset_meets(&cs, ck, sig.data, sig.len);
                    assert_true(meets == 0 || meets == 1);
                    customers++;
                    candidates += (size_t)meets;
                    for (size_t m = 0; m < r->n_matches; m++) {
                        if (!changed[r->matches[m].entity])
                            continue;
                        pairs++;
                        if (meets != 1)
                            fail_msg("\"%s\" matches %s (%.3f) at %.2f but the prefilter "
                                     "drops it",
                                     v, r->matches[m].id, r->matches[m].score, thresholds[ti]);
                    }
                    cordon_result_free(r);
                }
            }
        }
        printf("variants at %.2f: %zu customers, %zu candidates, %zu matched pairs checked\n",
               thresholds[ti], customers, candidates, pairs);
        assert_true(pairs >= 300);
        free(changed);
        cordon__check_free(ck);
        cordon__changeset_free(&cs);
    }
    cordon__buf_free(&sig);
}

/* ---- runs -------------------------------------------------------------------------- */

typedef struct pair {
    char customer[16];
    char entity[48];
    double score;
} pair;

typedef struct pairs {
    pair v[20000];
    size_t n;
} pairs;

static int take_alert(void *ctx, const cordon_alert *a)
{
    pairs *ps = ctx;
    if (ps->n == 20000)
        return 1;
    pair *x = &ps->v[ps->n++];
    snprintf(x->customer, sizeof x->customer, "%s", a->customer);
    snprintf(x->entity, sizeof x->entity, "%s", a->entity);
    x->score = a->score;
    return 0;
}

static int pair_cmp(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    int c = strcmp(x->customer, y->customer);
    return c ? c : strcmp(x->entity, y->entity);
}

static void same_pairs(pairs *a, pairs *b)
{
    qsort(a->v, a->n, sizeof *a->v, pair_cmp);
    qsort(b->v, b->n, sizeof *b->v, pair_cmp);
    if (a->n != b->n)
        fail_msg("%zu alerts against %zu", a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        if (pair_cmp(&a->v[i], &b->v[i]) || a->v[i].score != b->v[i].score)
            fail_msg("alert %zu: %s/%s %.4f against %s/%s %.4f", i, a->v[i].customer,
                     a->v[i].entity, a->v[i].score, b->v[i].customer, b->v[i].entity,
                     b->v[i].score);
    }
}

/* What screening each customer against idx gives, keeping entities
 * for which keep(id) holds. */
static void direct(const people *p, const cordon_index *idx, bool (*keep)(const char *),
                   pairs *out)
{
    cordon_screen_options o = {.limit = CORDON_SCREEN_MAX_LIMIT};
    out->n = 0;
    for (size_t i = 0; i < p->n; i++) {
        cordon_date dob;
        cordon_query q = person_query(p, i, &dob);
        cordon_result *r = NULL;
        cordon_error err;
        if (cordon_screen(idx, &q, &o, &r, &err) != 0)
            continue;
        for (size_t m = 0; m < r->n_matches; m++) {
            if (keep && !keep(r->matches[m].id))
                continue;
            pair *x = &out->v[out->n++];
            snprintf(x->customer, sizeof x->customer, "%s", p->id[i]);
            snprintf(x->entity, sizeof x->entity, "%s", r->matches[m].id);
            x->score = r->matches[m].score;
        }
        cordon_result_free(r);
    }
}

static bool is_changed(const char *id)
{
    return !strcmp(id, "un_sc:CDi.001") || !strcmp(id, "un_sc:KPe.001") ||
           !strcmp(id, "un_sc:QDi.999");
}

static void add_people(cordon_store *st, const people *p, cordon_monitor_add_stats *stats)
{
    cordon_customer *c = calloc(p->n, sizeof *c);
    for (size_t i = 0; i < p->n; i++)
        c[i] = (cordon_customer){.id = p->id[i], .name = p->name[i], .schema = p->schema[i],
                                 .birth_date = p->dob[i], .country = p->country[i]};
    cordon_error err;
    if (cordon_monitor_add(st, c, p->n, stats, &err)) {
        for (size_t i = 0; i < p->n; i++)
            if (cordon_customer_check(&c[i], NULL))
                printf("bad: [%s] [%s] [%s]\n", p->name[i], p->dob[i], p->country[i]);
        fail_msg("add: %s", err.message);
    }
    free(c);
}

static void copy_file(const char *from, const char *to)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
    assert_int_equal(system(cmd), 0);
}

static void test_delta_equals_full(void **state)
{
    (void)state;
    people *p = make_people(4);
    char a_path[128], b_path[128];
    snprintf(a_path, sizeof a_path, "%s", db_path("delta"));
    snprintf(b_path, sizeof b_path, "%s", db_path("full"));
    cordon_store *st = open_store(a_path);
    cordon_monitor_add_stats as = {0};
    add_people(st, p, &as);
    assert_int_equal(as.added, p->n);
    cordon_error err;
    cordon_monitor_options o = {.threads = 2};
    cordon_monitor_report rep;
    pairs *got = calloc(1, sizeof *got), *want = calloc(1, sizeof *want);
    assert_int_equal(cordon_monitor_run(st, old_idx, &o, take_alert, got, &rep, &err), 0);
    assert_int_equal(rep.run, 1);
    assert_string_equal(rep.previous, "");
    assert_string_equal(rep.snapshot, cordon_index_hash(old_idx));
    assert_int_equal(rep.customers, p->n);
    assert_int_equal(rep.screened, p->n);
    assert_int_equal(rep.entities_added, cordon_index_entity_count(old_idx));
    assert_int_equal(rep.scanned, 0);
    direct(p, old_idx, NULL, want);
    assert_int_equal(rep.alerts, want->n);
    same_pairs(got, want);
    size_t first_alerts = got->n;
    cordon_store_close(st);
    copy_file(a_path, b_path);

    /* the same index again: nothing to do */
    st = open_store(a_path);
    got->n = 0;
    assert_int_equal(cordon_monitor_run(st, old_idx, &o, take_alert, got, &rep, &err), 0);
    assert_int_equal(rep.run, 2);
    assert_int_equal(rep.screened, 0);
    assert_int_equal(rep.scanned, 0);
    assert_int_equal(rep.alerts, 0);

    /* the new version: a delta */
    assert_int_equal(cordon_monitor_run(st, new_idx, &o, take_alert, got, &rep, &err), 0);
    assert_int_equal(rep.run, 3);
    assert_string_equal(rep.previous, cordon_index_hash(old_idx));
    assert_int_equal(rep.screened, 0);
    assert_int_equal(rep.entities_added, 1);
    assert_int_equal(rep.entities_changed, 2);
    assert_int_equal(rep.entities_removed, 1);
    assert_int_equal(rep.scanned, p->n);
    assert_true(rep.candidates > 0 && rep.candidates < p->n / 4);
    printf("delta: %zu customers scanned, %zu candidates, %zu new alerts\n", rep.scanned,
           rep.candidates, rep.alerts);
    direct(p, new_idx, is_changed, want);
    assert_true(want->n >= 3); /* Eric Badege, Komid, Marta Kowalska at least */
    same_pairs(got, want);
    cordon_audit_check chk;
    assert_int_equal(cordon_audit_verify(st, &chk, &err), 0);
    printf("drift: %zu near misses of %zu customers rescored, largest drift %.4f\n",
           rep.near_misses, rep.rescored, rep.max_drift);
    assert_int_equal(chk.records, p->n + rep.candidates + rep.rescored);
    cordon_store_close(st);

    /* a full re-screen of the copy raises the same new alerts */
    st = open_store(b_path);
    pairs *full = calloc(1, sizeof *full);
    cordon_monitor_options of = {.threads = 2, .full = 1};
    assert_int_equal(cordon_monitor_run(st, new_idx, &of, take_alert, full, &rep, &err), 0);
    assert_int_equal(rep.screened, p->n);
    assert_int_equal(rep.scanned, 0);
    /* removing CDi.002 and adding one entity moved every IDF a little:
     * alerts on unchanged entities may differ only through that */
    pairs *full_changed = calloc(1, sizeof *full_changed);
    for (size_t i = 0; i < full->n; i++)
        if (is_changed(full->v[i].entity))
            full_changed->v[full_changed->n++] = full->v[i];
    printf("full: %zu new alerts; delta: %zu\n", full->n, got->n);
    same_pairs(got, full_changed);
    printf("full: %zu new alerts, %zu on changed entities (first run: %zu)\n", full->n,
           full_changed->n, first_alerts);
    cordon_store_close(st);
    free(full);
    free(full_changed);
    free(got);
    free(want);
    free(p);
}

/* ---- drift: an unchanged entity's score moved by an update ----------------------------- */

/* Score of customer name `name` (a person) against entity `id`, or -1
 * under `threshold`. */
static double score_of(const cordon_index *idx, const char *name, const char *id,
                       double threshold)
{
    cordon_query q = {.name = name, .name_len = strlen(name), .schema = CORDON_SCHEMA_PERSON};
    cordon_screen_options o = {.threshold = threshold, .limit = CORDON_SCREEN_MAX_LIMIT};
    cordon_result *r = NULL;
    cordon_error err;
    assert_int_equal(cordon_screen(idx, &q, &o, &r, &err), 0);
    double s = -1;
    for (size_t i = 0; i < r->n_matches; i++)
        if (!strcmp(r->matches[i].id, id))
            s = r->matches[i].score;
    cordon_result_free(r);
    return s;
}

/* The UN list with three more people named AQSA (QDi.901-903): the
 * token gets commoner, so it weighs less in every name that has it. */
static cordon_index *build_aqsa(void)
{
    char *x = test_slurp(un_path, NULL);
    assert_non_null(x);
    const char *surnames[3] = {"NOVAK", "HORVAT", "SILVA"};
    for (int i = 0; i < 3; i++) {
        char add[600];
        snprintf(add, sizeof add,
                 "<INDIVIDUALS>\n    <INDIVIDUAL>\n      <DATAID>990000%d</DATAID>\n"
                 "      <VERSIONNUM>1</VERSIONNUM>\n      <FIRST_NAME>AQSA</FIRST_NAME>\n"
                 "      <SECOND_NAME>%s</SECOND_NAME>\n"
                 "      <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>\n"
                 "      <REFERENCE_NUMBER>QDi.90%d</REFERENCE_NUMBER>\n"
                 "      <LISTED_ON>2026-03-01</LISTED_ON>\n    </INDIVIDUAL>\n",
                 i + 1, surnames[i], i + 1);
        assert_int_equal(replace_once(&x, "<INDIVIDUALS>\n", add), 0);
    }
    char path[160];
    snprintf(path, sizeof path, "%s/UN_aqsa.xml", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(x, 1, strlen(x), f), strlen(x));
    fclose(f);
    free(x);
    cordon_index *idx = build(path, NULL);
    assert_non_null(idx);
    return idx;
}

static void test_drift(void **state)
{
    (void)state;
    cordon_index *aqsa = build_aqsa();
    /* Aesa Mahmood against QDi.356 AQSA MAHMOOD, which does not change:
     * under the threshold before, over it after (AQSA, the token that
     * matched only fuzzily, now weighs less) */
    double before = score_of(old_idx, "Aesa Mahmood", "un_sc:QDi.356", 0.80);
    double after = score_of(aqsa, "Aesa Mahmood", "un_sc:QDi.356", 0.80);
    printf("drift: Aesa Mahmood / QDi.356 %.4f -> %.4f\n", before, after);
    assert_true(before >= 0.82 && score_of(old_idx, "Aesa Mahmood", "un_sc:QDi.356", 0.85) < 0);
    assert_true(after >= 0.85 && score_of(aqsa, "Aesa Mahmood", "un_sc:QDi.356", 0.85) == after);

    char a_path[128], b_path[128];
    snprintf(a_path, sizeof a_path, "%s", db_path("drift"));
    snprintf(b_path, sizeof b_path, "%s", db_path("drift_full"));
    cordon_store *st = open_store(a_path);
    cordon_customer c[3] = {
        {.id = "D1", .name = "Aesa Mahmood", .schema = CORDON_SCHEMA_PERSON},
        {.id = "D2", .name = "Aqsa Novak", .schema = CORDON_SCHEMA_PERSON},
        {.id = "D3", .name = "Ivan Petrov", .schema = CORDON_SCHEMA_PERSON},
    };
    cordon_error err;
    assert_int_equal(cordon_monitor_add(st, c, 3, NULL, &err), 0);
    cordon_monitor_options o = {.threads = 2};
    cordon_monitor_report rep;
    pairs *got = calloc(1, sizeof *got), *full = calloc(1, sizeof *full);
    assert_int_equal(cordon_monitor_run(st, old_idx, &o, take_alert, got, &rep, &err), 0);
    for (size_t i = 0; i < got->n; i++)
        assert_false(!strcmp(got->v[i].customer, "D1") &&
                     !strcmp(got->v[i].entity, "un_sc:QDi.356"));
    cordon_store_close(st);
    copy_file(a_path, b_path);

    /* the delta: three entities added, none changed; the kept near miss
     * of D1 is rescored and now raises its alert */
    st = open_store(a_path);
    got->n = 0;
    assert_int_equal(cordon_monitor_run(st, aqsa, &o, take_alert, got, &rep, &err), 0);
    assert_int_equal(rep.screened, 0);
    assert_int_equal(rep.entities_added, 3);
    assert_int_equal(rep.entities_changed, 0);
    assert_int_equal(rep.entities_removed, 0);
    bool found = false;
    for (size_t i = 0; i < got->n; i++)
        if (!strcmp(got->v[i].customer, "D1") && !strcmp(got->v[i].entity, "un_sc:QDi.356")) {
            found = true;
            assert_true(got->v[i].score == after);
        }
    assert_true(found);
    assert_true(rep.near_misses >= 1 && rep.rescored >= 1);
    assert_true(rep.max_drift > 0 && rep.max_drift < 0.03);
    printf("drift delta: %zu alerts, %zu near misses of %zu customers rescored, largest drift "
           "%.4f\n",
           got->n, rep.near_misses, rep.rescored, rep.max_drift);
    cordon_audit_check chk;
    assert_int_equal(cordon_audit_verify(st, &chk, &err), 0);
    assert_int_equal(chk.records, 3 + rep.candidates + rep.rescored);
    /* the same index again: nothing new, and the alerted pair is no
     * longer kept as a near miss */
    pairs *again = calloc(1, sizeof *again);
    assert_int_equal(cordon_monitor_run(st, aqsa, &o, take_alert, again, &rep, &err), 0);
    assert_int_equal(again->n, 0);
    cordon_store_close(st);
    /* after MAX_DELTAS deltas in a row (20, counted in cordon_meta), a
     * run is a full one, which resets the count */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(a_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE cordon_meta SET value = '19' WHERE key ="
                                      " 'monitor_deltas'", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_close(db);
    st = open_store(a_path);
    assert_int_equal(cordon_monitor_run(st, old_idx, &o, NULL, NULL, &rep, &err), 0);
    assert_int_equal(rep.screened, 0); /* the 20th delta */
    assert_int_equal(rep.entities_removed, 3);
    assert_int_equal(cordon_monitor_run(st, aqsa, &o, NULL, NULL, &rep, &err), 0);
    assert_int_equal(rep.screened, 3); /* then a full run */
    assert_int_equal(rep.scanned, 0);
    assert_int_equal(cordon_monitor_run(st, old_idx, &o, NULL, NULL, &rep, &err), 0);
    assert_int_equal(rep.screened, 0); /* and deltas again */
    assert_int_equal(rep.entities_removed, 3);
    cordon_store_close(st);

    /* a full re-screen of the copy raises exactly the same alerts */
    st = open_store(b_path);
    cordon_monitor_options of = {.threads = 2, .full = 1};
    assert_int_equal(cordon_monitor_run(st, aqsa, &of, take_alert, full, &rep, &err), 0);
    assert_int_equal(rep.screened, 3);
    same_pairs(got, full);
    cordon_store_close(st);
    free(again);
    free(got);
    free(full);
    cordon_index_close(aqsa);
}

/* ---- alert memory -------------------------------------------------------------------- */

typedef struct last_alert {
    int64_t id;
    char entity[48];
    char customer[16];
    int n;
} last_alert;

static int remember(void *ctx, const cordon_alert *a)
{
    last_alert *l = ctx;
    l->id = a->id;
    snprintf(l->entity, sizeof l->entity, "%s", a->entity);
    snprintf(l->customer, sizeof l->customer, "%s", a->customer);
    l->n++;
    return 0;
}

typedef struct seen {
    int status;
    char note[128];
    int n;
} seen;

static int see(void *ctx, const cordon_alert *a)
{
    seen *s = ctx;
    s->status = (int)a->status;
    snprintf(s->note, sizeof s->note, "%s", a->note ? a->note : "(none)");
    s->n++;
    return 0;
}

static int count_record(void *ctx, const cordon_audit_record *r)
{
    (void)r;
    (*(size_t *)ctx)++;
    return 0;
}

static void test_alert_memory(void **state)
{
    (void)state;
    cordon_store *st = open_store(db_path("memory"));
    cordon_customer c[2] = {{.id = "K1", .name = "Korea Mining Development Trading Corporation",
                             .schema = CORDON_SCHEMA_ORGANIZATION},
                            {.id = "P1", .name = "Eric Badege", .birth_date = "1971"}};
    cordon_error err;
    assert_int_equal(cordon_monitor_add(st, c, 2, NULL, &err), 0);
    last_alert l = {0};
    cordon_monitor_report rep;
    assert_int_equal(cordon_monitor_run(st, old_idx, NULL, remember, &l, &rep, &err), 0);
    assert_int_equal(rep.alerts, 2);
    int64_t k1 = 0, p1 = 0;
    {
        /* which alert is which */
        cordon_alert_filter f = {.status = CORDON_ALERT_OPEN, .customer = "K1"};
        last_alert a = {0};
        assert_int_equal(cordon_alert_scan(st, &f, remember, &a, &err), 0);
        assert_int_equal(a.n, 1);
        assert_string_equal(a.entity, "un_sc:KPe.001");
        k1 = a.id;
        f.customer = "P1";
        memset(&a, 0, sizeof a);
        assert_int_equal(cordon_alert_scan(st, &f, remember, &a, &err), 0);
        assert_int_equal(a.n, 1);
        assert_string_equal(a.entity, "un_sc:CDi.001");
        p1 = a.id;
    }
    assert_int_equal(cordon_alert_scan(st, NULL, NULL, NULL, &err), CORDON_EINVAL);

    /* decisions */
    assert_int_equal(cordon_alert_decide(st, k1, CORDON_ALERT_CLEARED, "different company: "
                                         "registered in Seoul, checked 2026-03-02", "analyst-1",
                                         &err),
                     0);
    assert_int_equal(cordon_alert_decide(st, p1, CORDON_ALERT_CONFIRMED, "same person", NULL,
                                         &err),
                     0);
    assert_int_equal(cordon_alert_decide(st, 999, CORDON_ALERT_CLEARED, "x", NULL, &err),
                     CORDON_ENOTFOUND);
    assert_string_equal(err.message, "no alert 999");
    assert_int_equal(cordon_alert_decide(st, k1, CORDON_ALERT_OPEN, "x", NULL, &err),
                     CORDON_EINVAL);
    assert_int_equal(cordon_alert_decide(st, k1, CORDON_ALERT_CLEARED, "", NULL, &err),
                     CORDON_EINVAL);
    seen s = {0};
    cordon_alert_filter f = {.status = -1, .id = k1};
    assert_int_equal(cordon_alert_scan(st, &f, see, &s, &err), 0);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.status, CORDON_ALERT_CLEARED);
    assert_string_equal(s.note, "different company: registered in Seoul, checked 2026-03-02");

    /* the same data and the same lists: the cleared alert does not come back */
    l.n = 0;
    assert_int_equal(cordon_monitor_run(st, old_idx, &(cordon_monitor_options){.full = 1},
                                        remember, &l, &rep, &err),
                     0);
    assert_int_equal(rep.screened, 2);
    assert_int_equal(rep.alerts, 0);
    assert_int_equal(l.n, 0);

    /* the entity's record changes (a new comment): the alert comes back */
    assert_int_equal(cordon_monitor_run(st, new_idx, NULL, remember, &l, &rep, &err), 0);
    assert_int_equal(rep.entities_changed, 2);
    assert_int_equal(rep.alerts, 2); /* KPe.001 changed; CDi.001 renamed */
    assert_int_equal(l.n, 2);
    int64_t k1b = 0;
    {
        cordon_alert_filter g = {.status = CORDON_ALERT_OPEN, .customer = "K1"};
        last_alert a = {0};
        assert_int_equal(cordon_alert_scan(st, &g, remember, &a, &err), 0);
        assert_int_equal(a.n, 1);
        k1b = a.id;
        assert_true(k1b > k1);
    }
    assert_int_equal(cordon_alert_decide(st, k1b, CORDON_ALERT_CLEARED, "still not them", NULL,
                                         &err),
                     0);
    /* unchanged again: nothing */
    assert_int_equal(cordon_monitor_run(st, new_idx, &(cordon_monitor_options){.full = 1},
                                        remember, &l, &rep, &err),
                     0);
    assert_int_equal(rep.alerts, 0);

    /* the customer's data changes: screened again, and alerted again */
    cordon_monitor_add_stats as = {0};
    c[0].country = "KP";
    assert_int_equal(cordon_monitor_add(st, c, 2, &as, &err), 0);
    assert_int_equal(as.changed, 1);
    assert_int_equal(as.unchanged, 1);
    l.n = 0;
    assert_int_equal(cordon_monitor_run(st, new_idx, NULL, remember, &l, &rep, &err), 0);
    assert_int_equal(rep.screened, 1);
    assert_int_equal(rep.alerts, 1);
    assert_string_equal(l.customer, "K1");
    assert_string_equal(l.entity, "un_sc:KPe.001");

    /* every decision is in the log, and the log holds */
    cordon_audit_check chk;
    assert_int_equal(cordon_audit_verify(st, &chk, &err), 0);
    cordon_audit_filter af = {.kind = "decide"};
    size_t decides = 0;
    assert_int_equal(cordon_audit_scan(st, &af, count_record, &decides, &err), 0);
    assert_int_equal(decides, 3);
    cordon_store_close(st);
}

/* Signatures made by a cordon that analyses names otherwise: the run
 * after screens every customer in full, as a new threshold does. */
static void test_engine_change(void **state)
{
    (void)state;
    const char *path = db_path("engine");
    cordon_store *st = open_store(path);
    cordon_customer c[3] = {{.id = "E1", .name = "Eric Badege"},
                            {.id = "E2", .name = "Marta Kowalska"},
                            {.id = "E3", .name = "ARGO I", .schema = CORDON_SCHEMA_VESSEL}};
    cordon_error err;
    assert_int_equal(cordon_monitor_add(st, c, 3, NULL, &err), 0);
    cordon_monitor_report rep;
    assert_int_equal(cordon_monitor_run(st, old_idx, NULL, NULL, NULL, &rep, &err), 0);
    assert_int_equal(rep.screened, 3);
    /* the first run recorded the engine its signatures come from */
    char engine[65];
    assert_int_equal(cordon__sig_engine(engine), 0);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT value FROM cordon_meta WHERE key = "
                                            "'monitor_engine'", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), engine);
    sqlite3_finalize(q);
    /* nothing changed: nobody is screened */
    assert_int_equal(cordon_monitor_run(st, new_idx, NULL, NULL, NULL, &rep, &err), 0);
    assert_int_equal(rep.screened, 0);
    assert_int_equal(rep.scanned, 3);
    /* signatures of another engine: everyone again, then the value is ours */
    assert_int_equal(sqlite3_exec(db, "UPDATE cordon_meta SET value = 'another' WHERE key = "
                                      "'monitor_engine'", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(cordon_monitor_run(st, new_idx, NULL, NULL, NULL, &rep, &err), 0);
    assert_int_equal(rep.screened, 3);
    assert_int_equal(rep.scanned, 0);
    assert_int_equal(cordon_monitor_run(st, new_idx, NULL, NULL, NULL, &rep, &err), 0);
    assert_int_equal(rep.screened, 0);
    sqlite3_close(db);
    cordon_store_close(st);
}

static void test_customer_checks(void **state)
{
    (void)state;
    cordon_error err;
    struct {
        cordon_customer c;
        int code;
        const char *message;
    } cases[] = {
        {{.id = "", .name = "x"}, CORDON_EEMPTY, "customer has no id"},
        {{.id = "A", .name = " "}, CORDON_EEMPTY, "customer \"A\": empty name"},
        {{.id = "A", .name = "Ivan", .birth_date = "soon"}, CORDON_EDATE,
         "customer \"A\": birth date \"soon\" is not a date"},
        {{.id = "A", .name = "Ivan", .country = "Atlantis"}, CORDON_EINVAL,
         "customer \"A\": unknown country \"Atlantis\""},
        {{.id = "A", .name = "Ivan", .identifier = "#1"}, CORDON_EINVAL,
         "customer \"A\": identifier \"#1\" has fewer than 3 letters or digits"},
        {{.id = "A", .name = "\xc3\x28"}, CORDON_EUTF8, "customer \"A\": name is not valid UTF-8"},
        {{.id = "A", .name = "Ivan", .schema = (cordon_schema)9}, CORDON_EINVAL,
         "customer \"A\": unknown type"},
        {{.id = "A", .name = "Ivan", .birth_date = "1970-01-02", .country = "Russia",
          .identifier = "passport 12345"},
         0, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cordon_error_clear(&err);
        int rc = cordon_customer_check(&cases[i].c, &err);
        if (rc != cases[i].code || strcmp(err.message, cases[i].message))
            fail_msg("case %zu: %d \"%s\"", i, rc, err.message);
    }
    /* a bad customer fails the whole add */
    cordon_store *st = open_store(db_path("checks"));
    cordon_customer two[2] = {{.id = "A", .name = "Ivan"}, {.id = "B", .name = ""}};
    assert_int_equal(cordon_monitor_add(st, two, 2, NULL, &err), CORDON_EEMPTY);
    cordon_monitor_add_stats s = {0};
    assert_int_equal(cordon_monitor_add(st, two, 1, &s, &err), 0);
    assert_int_equal(s.added, 1);
    /* blanks count as absent: re-adding with blank fields changes nothing */
    two[0].birth_date = " ";
    assert_int_equal(cordon_monitor_add(st, two, 1, &s, &err), 0);
    assert_int_equal(s.unchanged, 1);
    assert_int_equal(cordon_monitor_run(NULL, old_idx, NULL, NULL, NULL, NULL, &err),
                     CORDON_EINVAL);
    assert_int_equal(cordon_monitor_run(st, old_idx, &(cordon_monitor_options){.threshold = 2},
                                        NULL, NULL, NULL, &err),
                     CORDON_EINVAL);
    cordon_store_close(st);
    cordon_alert_status as;
    assert_int_equal(cordon_alert_status_parse("clear", 5, &as), 0);
    assert_int_equal(as, CORDON_ALERT_CLEARED);
    assert_int_equal(cordon_alert_status_parse("Confirmed", 9, &as), 0);
    assert_int_equal(as, CORDON_ALERT_CONFIRMED);
    assert_int_equal(cordon_alert_status_parse("maybe", 5, &as), CORDON_ENOTFOUND);
    assert_string_equal(cordon_alert_status_name(CORDON_ALERT_OPEN), "open");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signatures),
        cmocka_unit_test(test_prefilter_is_sound),
        cmocka_unit_test(test_prefilter_listed_initials),
        cmocka_unit_test(test_prefilter_sdn),
        cmocka_unit_test(test_prefilter_variants),
        cmocka_unit_test(test_delta_equals_full),
        cmocka_unit_test(test_drift),
        cmocka_unit_test(test_alert_memory),
        cmocka_unit_test(test_engine_change),
        cmocka_unit_test(test_customer_checks),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
