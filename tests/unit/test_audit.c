/*
 * test_audit.c — lib/audit.c and lib/timestamp.c: records built from
 * real screenings of the UN list, the hash chain and its verification
 * (including rows altered, rewritten and deleted behind the library's
 * back with the sqlite3 API), the append-only triggers, filters, JSON
 * output, argument checks, and the background writer under several
 * threads and several connections.
 */
#include "test_util.h"

#include <pthread.h>
#include <sqlite3.h>

static cordon_index *idx;
static char dir[64];

static const char *const un_files[] = {"data/lists/un_sc/2026-02-27/UN_consolidated.xml"};

static int group_setup(void **state)
{
    (void)state;
    cordon_source_spec spec = {.name = "un_sc", .format = CORDON_FORMAT_UN_XML, .n_files = 1};
    spec.files[0] = un_files[0];
    cordon_dataset *ds = cordon_dataset_new();
    cordon_error err;
    int rc = cordon_dataset_load(ds, &spec, &err);
    if (!rc)
        rc = cordon_index_build(ds, &idx, &err);
    cordon_dataset_free(ds);
    snprintf(dir, sizeof dir, "/tmp/cordon-audit-test-XXXXXX");
    if (rc || !mkdtemp(dir))
        return -1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    cordon_index_close(idx);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A fresh store file in the test directory. */
static const char *db_path(const char *name)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s.db", dir, name);
    unlink(path);
    char aux[160];
    snprintf(aux, sizeof aux, "%s-wal", path);
    unlink(aux);
    snprintf(aux, sizeof aux, "%s-shm", path);
    unlink(aux);
    return path;
}

static cordon_store *open_store(const char *path)
{
    cordon_store *st = NULL;
    cordon_error err;
    int rc = cordon_store_open(path, &st, &err);
    if (rc)
        fail_msg("open %s: %s", path, err.message);
    return st;
}

static cordon_audit_record *screen_record(const char *name, const char *kind,
                                          const char *context, cordon_result **res_out)
{
    cordon_query q = {.name = name, .name_len = strlen(name)};
    cordon_screen_options o = {.limit = 5};
    cordon_result *res = NULL;
    cordon_error err;
    assert_int_equal(cordon_screen(idx, &q, &o, &res, &err), 0);
    cordon_audit_record *rec = NULL;
    assert_int_equal(cordon_audit_record_screen(kind, "cli", &q, &o, idx, res, context, &rec, &err),
                     0);
    if (res_out)
        *res_out = res;
    else
        cordon_result_free(res);
    return rec;
}

/* ---- records ---------------------------------------------------------------- */

static void test_record_of_a_screening(void **state)
{
    (void)state;
    cordon_result *res;
    cordon_audit_record *r = screen_record("Korea Mining Development Trading Corporation",
                                           "screen", NULL, &res);
    assert_string_equal(r->kind, "screen");
    assert_string_equal(r->caller, "cli");
    assert_string_equal(r->subject, "Korea Mining Development Trading Corporation");
    assert_string_equal(r->query, "{\"name\":\"Korea Mining Development Trading Corporation\","
                                  "\"schema\":\"unknown\",\"birth_date\":null,\"country\":null,"
                                  "\"ids\":[]}");
    assert_string_equal(r->options,
                        "{\"algorithm\":\"default\",\"threshold\":0.850000,\"limit\":5}");
    assert_string_equal(r->context, "{}");
    assert_string_equal(r->snapshot, cordon_index_hash(idx));
    assert_string_equal(r->version, cordon_version());
    /* the UN entry KPe.001 is the first match, as screening said */
    assert_true(res->n_matches >= 1);
    assert_string_equal(res->matches[0].id, "un_sc:KPe.001");
    assert_int_equal(r->n_matches, res->n_matches);
    char want[512];
    snprintf(want, sizeof want,
             "[{\"id\":\"un_sc:KPe.001\",\"name\":\"KOREA MINING DEVELOPMENT TRADING "
             "CORPORATION\",\"matched_name\":\"%s\",\"score\":%.6f}",
             res->matches[0].explanation.matched_name, res->matches[0].score);
    assert_memory_equal(r->matches, want, strlen(want));
    cordon_result_free(res);
    cordon_audit_record_free(r);
}

static void test_record_with_qualifiers(void **state)
{
    (void)state;
    cordon_date dob;
    assert_int_equal(cordon_date_parse("1982", 4, &dob), 0);
    cordon_query_id ids[2] = {{CORDON_ID_OTHER, "passport 123456", 15},
                              {CORDON_ID_OTHER, "IMO 8407777", 11}};
    cordon_query q = {.name = "Kim \"Jong\" Un", .name_len = 13, .schema = CORDON_SCHEMA_PERSON,
                      .birth_date = &dob, .country = "KP", .country_len = 2, .ids = ids,
                      .n_ids = 2};
    cordon_result *res = NULL;
    cordon_error err;
    assert_int_equal(cordon_screen(idx, &q, NULL, &res, &err), 0);
    cordon_audit_record *r = NULL;
    assert_int_equal(cordon_audit_record_screen("search", "key-7", &q, NULL, idx, res,
                                                "{\"endpoint\":\"/search\"}", &r, &err),
                     0);
    assert_string_equal(r->query, "{\"name\":\"Kim \\\"Jong\\\" Un\",\"schema\":\"person\","
                                  "\"birth_date\":\"1982\",\"country\":\"KP\",\"ids\":["
                                  "\"passport 123456\",\"IMO 8407777\"]}");
    assert_string_equal(r->options,
                        "{\"algorithm\":\"default\",\"threshold\":0.850000,\"limit\":10}");
    assert_string_equal(r->context, "{\"endpoint\":\"/search\"}");
    assert_string_equal(r->caller, "key-7");
    cordon_audit_record_free(r);
    cordon_result_free(res);

    /* identifiers alone: the subject is the identifiers */
    cordon_query qi = {.ids = ids, .n_ids = 2};
    assert_int_equal(cordon_screen(idx, &qi, NULL, &res, &err), 0);
    assert_int_equal(cordon_audit_record_screen("screen", "cli", &qi, NULL, NULL, res, NULL, &r,
                                                &err),
                     0);
    assert_string_equal(r->subject, "passport 123456 IMO 8407777");
    assert_string_equal(r->snapshot, "");
    assert_string_equal(r->query, "{\"name\":null,\"schema\":\"unknown\",\"birth_date\":null,"
                                  "\"country\":null,\"ids\":[\"passport 123456\",\"IMO "
                                  "8407777\"]}");
    cordon_audit_record_free(r);
    cordon_result_free(res);

    assert_int_equal(cordon_audit_record_screen(NULL, "cli", &qi, NULL, NULL, NULL, NULL, &r, &err),
                     CORDON_EINVAL);
    assert_null(r);
}

/* ---- the chain ----------------------------------------------------------------- */

typedef struct collected {
    cordon_audit_record *recs[64]; /* copies */
    size_t n;
} collected;

static int collect(void *ctx, const cordon_audit_record *r)
{
    collected *c = ctx;
    if (c->n == 64)
        return 1;
    cordon_error err;
    if (cordon_audit_record_copy(r, &c->recs[c->n], &err))
        return 1;
    c->n++;
    return 0;
}

static void collected_free(collected *c)
{
    for (size_t i = 0; i < c->n; i++)
        cordon_audit_record_free(c->recs[i]);
    free(c);
}

static const char *const names[] = {"Korea Mining Development Trading Corporation",
                                    "Tanchon Commercial Bank", "Kim Jong Un",
                                    "Korea Ryonbong General Corporation", "Al-Qaida"};

static void append_names(cordon_store *st)
{
    cordon_audit_record *recs[5];
    for (int i = 0; i < 5; i++)
        recs[i] = screen_record(names[i], i < 3 ? "screen" : "batch", NULL, NULL);
    cordon_error err;
    assert_int_equal(cordon_audit_append(st, recs, 3, &err), 0);
    assert_int_equal(recs[0]->seq, 1);
    assert_int_equal(recs[2]->seq, 3);
    assert_string_equal(recs[0]->prev_hash,
                        "0000000000000000000000000000000000000000000000000000000000000000");
    assert_string_equal(recs[1]->prev_hash, recs[0]->hash);
    assert_string_equal(recs[2]->prev_hash, recs[1]->hash);
    assert_int_equal(cordon_audit_append(st, recs + 3, 2, &err), 0);
    assert_int_equal(recs[3]->seq, 4);
    assert_string_equal(recs[3]->prev_hash, recs[2]->hash);
    for (int i = 0; i < 5; i++)
        cordon_audit_record_free(recs[i]);
}

static void test_append_scan_verify(void **state)
{
    (void)state;
    const char *path = db_path("chain");
    cordon_store *st = open_store(path);
    append_names(st);
    collected *c = calloc(1, sizeof *c);
    cordon_error err;
    assert_int_equal(cordon_audit_scan(st, NULL, collect, c, &err), 0);
    assert_int_equal(c->n, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(c->recs[i]->seq, i + 1);
        assert_string_equal(c->recs[i]->subject, names[i]);
        assert_string_equal(c->recs[i]->kind, i < 3 ? "screen" : "batch");
        assert_string_equal(c->recs[i]->version, cordon_version());
        assert_true(c->recs[i]->time_ms > 1700000000000LL);
    }
    cordon_audit_check chk;
    assert_int_equal(cordon_audit_verify(st, &chk, &err), 0);
    assert_int_equal(chk.records, 5);
    assert_int_equal(chk.head_seq, 5);
    assert_int_equal(chk.bad_seq, 0);
    assert_string_equal(chk.head_hash, c->recs[4]->hash);
    cordon_store_close(st);

    /* reopened, the chain goes on */
    st = open_store(path);
    cordon_audit_record *r = screen_record("Kim Jong Un", "screen", NULL, NULL);
    assert_int_equal(cordon_audit_append(st, &r, 1, &err), 0);
    assert_int_equal(r->seq, 6);
    assert_string_equal(r->prev_hash, chk.head_hash);
    cordon_audit_record_free(r);
    assert_int_equal(cordon_audit_verify(st, &chk, &err), 0);
    assert_int_equal(chk.records, 6);
    cordon_store_close(st);
    collected_free(c);
}

static void sql(const char *path, const char *stmt, int want_rc)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, stmt, NULL, NULL, &msg);
    if ((rc & 0xff) != want_rc)
        fail_msg("%s: %d %s", stmt, rc, msg ? msg : "");
    sqlite3_free(msg);
    sqlite3_close(db);
}

/* Edits the log behind the library's back: drops the triggers (which
 * cordon_store_open puts back) first. */
static void tamper(const char *path, const char *stmt)
{
    char buf[600];
    snprintf(buf, sizeof buf,
             "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete; %s",
             stmt);
    sql(path, buf, SQLITE_OK);
}

static int expect_broken(const char *path, uint64_t bad, const char *message)
{
    cordon_store *st = open_store(path);
    cordon_audit_check chk;
    cordon_error err;
    int rc = cordon_audit_verify(st, &chk, &err);
    assert_int_equal(rc, CORDON_ECORRUPT);
    assert_int_equal(chk.bad_seq, bad);
    assert_string_equal(err.message, message);
    cordon_store_close(st);
    return rc;
}

static void test_tampering_is_detected(void **state)
{
    (void)state;
    const char *p = db_path("tamper");
    char path[128];
    snprintf(path, sizeof path, "%s", p);
    cordon_store *st = open_store(path);
    append_names(st);
    cordon_store_close(st);

    /* the triggers refuse edits and deletions outright */
    sql(path, "UPDATE audit SET subject = 'Someone Else' WHERE seq = 2", SQLITE_CONSTRAINT);
    sql(path, "DELETE FROM audit WHERE seq = 5", SQLITE_CONSTRAINT);

    /* without them, an edited field breaks that record's hash */
    tamper(path, "UPDATE audit SET subject = 'Someone Else' WHERE seq = 2");
    expect_broken(path, 2, "audit record 2: its hash does not match its content");
    tamper(path, "UPDATE audit SET subject = 'Tanchon Commercial Bank' WHERE seq = 2");
    st = open_store(path);
    cordon_error err;
    assert_int_equal(cordon_audit_verify(st, NULL, &err), 0);
    cordon_store_close(st);

    /* a matches list trimmed, or a score changed, likewise */
    tamper(path, "UPDATE audit SET matches = '[]', n_matches = 0 WHERE seq = 1");
    expect_broken(path, 1, "audit record 1: its hash does not match its content");

    /* an attacker who recomputes that record's hash breaks the next link */
    st = open_store(path);
    collected *c = calloc(1, sizeof *c);
    assert_int_equal(cordon_audit_scan(st, NULL, collect, c, &err), 0);
    cordon_store_close(st);
    /* rebuild the record through a second store to learn its new hash */
    const char *p2 = db_path("tamper2");
    char path2[128];
    snprintf(path2, sizeof path2, "%s", p2);
    cordon_store *st2 = open_store(path2);
    cordon_audit_record *copy;
    assert_int_equal(cordon_audit_record_copy(c->recs[0], &copy, &err), 0);
    copy->matches = "[]";
    copy->n_matches = 0;
    assert_int_equal(cordon_audit_append(st2, &copy, 1, &err), 0);
    assert_int_equal(copy->seq, 1);
    cordon_store_close(st2);
    char stmt[512];
    snprintf(stmt, sizeof stmt, "UPDATE audit SET hash = '%s' WHERE seq = 1", copy->hash);
    cordon_audit_record_free(copy);
    tamper(path, stmt);
    expect_broken(path, 2, "audit record 2: its previous-record hash does not match the record "
                           "before it");

    /* a deleted record leaves a gap */
    const char *p3 = db_path("tamper3");
    snprintf(path2, sizeof path2, "%s", p3);
    st = open_store(path2);
    append_names(st);
    cordon_store_close(st);
    tamper(path2, "DELETE FROM audit WHERE seq = 3");
    expect_broken(path2, 3, "audit record 4: records before it are missing");
    collected_free(c);
}

/* ---- filters and JSON -------------------------------------------------------------- */

static cordon_audit_record plain(const char *kind, const char *subject, int64_t t)
{
    cordon_audit_record r = {.time_ms = t, .kind = kind, .caller = "cli", .subject = subject,
                             .query = "{}", .options = "{}", .context = "{}",
                             .snapshot = "", .matches = "[]", .version = "9.9.9"};
    return r;
}

static size_t count(cordon_store *st, const cordon_audit_filter *f)
{
    collected *c = calloc(1, sizeof *c);
    cordon_error err;
    assert_int_equal(cordon_audit_scan(st, f, collect, c, &err), 0);
    size_t n = c->n;
    collected_free(c);
    return n;
}

static void test_filters(void **state)
{
    (void)state;
    cordon_store *st = open_store(db_path("filters"));
    cordon_audit_record r[4] = {plain("screen", "Ivan PETROV", 1000000),
                                plain("batch", "Petra Ivanova", 2000000),
                                plain("screen", "Acme Shipping", 3000000),
                                plain("decide", "alert 7", 4000000)};
    cordon_audit_record *p[4] = {&r[0], &r[1], &r[2], &r[3]};
    cordon_error err;
    assert_int_equal(cordon_audit_append(st, p, 4, &err), 0);
    assert_int_equal(r[0].time_ms, 1000000);
    assert_string_equal(r[0].version, "9.9.9");
    assert_int_equal(count(st, NULL), 4);
    assert_int_equal(count(st, &(cordon_audit_filter){.since_ms = 2000000}), 3);
    assert_int_equal(count(st, &(cordon_audit_filter){.until_ms = 2000000}), 1);
    assert_int_equal(count(st, &(cordon_audit_filter){.query = "petr"}), 2);
    assert_int_equal(count(st, &(cordon_audit_filter){.query = "PETR", .kind = "batch"}), 1);
    assert_int_equal(count(st, &(cordon_audit_filter){.kind = "decide"}), 1);
    assert_int_equal(count(st, &(cordon_audit_filter){.seq_from = 2, .seq_to = 3}), 2);
    assert_int_equal(count(st, &(cordon_audit_filter){.limit = 3}), 3);
    assert_int_equal(count(st, &(cordon_audit_filter){.query = "nobody"}), 0);

    char *j = cordon_audit_record_json(&r[1]);
    char want[600];
    snprintf(want, sizeof want,
             "{\"seq\":2,\"time\":\"1970-01-01T00:33:20.000Z\",\"kind\":\"batch\",\"caller\":"
             "\"cli\",\"subject\":\"Petra Ivanova\",\"query\":{},\"options\":{},\"context\":{},"
             "\"snapshot\":\"\",\"matches\":[],\"n_matches\":0,\"version\":\"9.9.9\","
             "\"prev_hash\":\"%s\",\"hash\":\"%s\"}",
             r[0].hash, r[1].hash);
    assert_string_equal(j, want);
    cordon_free(j);
    cordon_store_close(st);
}

static void test_bad_records(void **state)
{
    (void)state;
    cordon_store *st = open_store(db_path("bad"));
    cordon_error err;
    cordon_audit_record good = plain("screen", "x", 0);
    cordon_audit_record nul = plain("screen", "x", 0);
    nul.query = NULL;
    cordon_audit_record *p[2] = {&good, &nul};
    assert_int_equal(cordon_audit_append(st, p, 2, &err), CORDON_EINVAL);
    assert_string_equal(err.message, "audit record 2 of the batch has a NULL field");
    cordon_audit_record notjson = plain("screen", "x", 0);
    notjson.matches = "none";
    p[1] = &notjson;
    assert_int_equal(cordon_audit_append(st, p, 2, &err), CORDON_EINVAL);
    cordon_audit_record utf = plain("screen", "\xff\xfe", 0);
    p[1] = &utf;
    assert_int_equal(cordon_audit_append(st, p, 2, &err), CORDON_EUTF8);
    cordon_audit_record nokind = plain("", "x", 0);
    p[1] = &nokind;
    assert_int_equal(cordon_audit_append(st, p, 2, &err), CORDON_EINVAL);
    /* nothing was written by the refused batches */
    assert_int_equal(count(st, NULL), 0);
    assert_int_equal(cordon_audit_append(st, NULL, 0, &err), 0);
    assert_int_equal(cordon_audit_append(NULL, p, 1, &err), CORDON_EINVAL);
    assert_int_equal(cordon_audit_verify(NULL, NULL, &err), CORDON_EINVAL);
    cordon_audit_check chk;
    assert_int_equal(cordon_audit_verify(st, &chk, &err), 0);
    assert_int_equal(chk.records, 0);
    assert_int_equal(chk.head_seq, 0);
    cordon_store_close(st);
}

/* ---- the writer ------------------------------------------------------------------- */

typedef struct pusher {
    cordon_audit_writer *w;
    int id;
    int n;
} pusher;

static void *push_many(void *arg)
{
    pusher *p = arg;
    for (int i = 0; i < p->n; i++) {
        char subject[32];
        snprintf(subject, sizeof subject, "t%d-%d", p->id, i);
        cordon_audit_record r = plain("batch", subject, 0);
        cordon_audit_record *copy;
        cordon_error err;
        if (cordon_audit_record_copy(&r, &copy, &err) ||
            cordon_audit_writer_push(p->w, copy, &err))
            return (void *)1;
    }
    return NULL;
}

static void test_writer_threads(void **state)
{
    (void)state;
    const char *path = db_path("writer");
    cordon_audit_writer *w;
    cordon_error err;
    assert_int_equal(cordon_audit_writer_open(path, &w, &err), 0);
    pthread_t t[4];
    pusher p[4];
    for (int i = 0; i < 4; i++) {
        p[i] = (pusher){w, i, 2500};
        assert_int_equal(pthread_create(&t[i], NULL, push_many, &p[i]), 0);
    }
    for (int i = 0; i < 2; i++) {
        void *rv;
        pthread_join(t[i], &rv);
        assert_null(rv);
    }
    assert_int_equal(cordon_audit_writer_flush(w, &err), 0);
    for (int i = 2; i < 4; i++) {
        void *rv;
        pthread_join(t[i], &rv);
        assert_null(rv);
    }
    uint64_t written = 0;
    assert_int_equal(cordon_audit_writer_close(w, &written, &err), 0);
    assert_int_equal(written, 10000);
    assert_int_equal(cordon_audit_writer_close(NULL, NULL, NULL), 0);

    cordon_store *st = open_store(path);
    cordon_audit_check chk;
    assert_int_equal(cordon_audit_verify(st, &chk, &err), 0);
    assert_int_equal(chk.records, 10000);
    /* every thread's records are there */
    for (int i = 0; i < 4; i++) {
        char q[16];
        snprintf(q, sizeof q, "t%d-", i);
        assert_int_equal(count(st, &(cordon_audit_filter){.query = q, .limit = 64}), 64);
    }
    cordon_store_close(st);
}

/* Two writers on two connections to one file: the chain stays whole
 * because each append takes the write lock before reading the head. */
static void test_two_connections(void **state)
{
    (void)state;
    const char *p = db_path("two");
    char path[128];
    snprintf(path, sizeof path, "%s", p);
    cordon_audit_writer *w1, *w2;
    cordon_error err;
    assert_int_equal(cordon_audit_writer_open(path, &w1, &err), 0);
    assert_int_equal(cordon_audit_writer_open(path, &w2, &err), 0);
    pthread_t t[2];
    pusher pp[2] = {{w1, 1, 3000}, {w2, 2, 3000}};
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, push_many, &pp[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    uint64_t a, b;
    assert_int_equal(cordon_audit_writer_close(w1, &a, &err), 0);
    assert_int_equal(cordon_audit_writer_close(w2, &b, &err), 0);
    assert_int_equal(a + b, 6000);
    cordon_store *st = open_store(path);
    cordon_audit_check chk;
    assert_int_equal(cordon_audit_verify(st, &chk, &err), 0);
    assert_int_equal(chk.records, 6000);
    cordon_store_close(st);
}

static void test_writer_errors(void **state)
{
    (void)state;
    cordon_audit_writer *w = NULL;
    cordon_error err;
    assert_int_equal(cordon_audit_writer_open("/nonexistent-dir/x.db", &w, &err), CORDON_EIO);
    assert_null(w);
    assert_int_equal(cordon_audit_writer_open(db_path("werr"), &w, &err), 0);
    cordon_audit_record bad = plain("screen", "x", 0);
    bad.context = "[]";
    cordon_audit_record *copy;
    assert_int_equal(cordon_audit_record_copy(&bad, &copy, &err), 0);
    assert_int_equal(cordon_audit_writer_push(w, copy, &err), CORDON_EINVAL);
    assert_int_equal(cordon_audit_writer_push(w, NULL, &err), CORDON_EINVAL);
    uint64_t n = 1;
    assert_int_equal(cordon_audit_writer_close(w, &n, &err), 0);
    assert_int_equal(n, 0);
}

/* ---- time -------------------------------------------------------------------------- */

static int64_t t_ms(const char *s)
{
    int64_t v = -1;
    int rc = cordon_time_parse(s, strlen(s), 1000000000000LL, &v);
    return rc ? rc : v;
}

static void test_time(void **state)
{
    (void)state;
    char buf[32];
    assert_string_equal(cordon_time_format(0, buf), "1970-01-01T00:00:00.000Z");
    assert_string_equal(cordon_time_format(1748788205250LL, buf), "2025-06-01T14:30:05.250Z");
    assert_string_equal(cordon_time_format(951782400000LL, buf), "2000-02-29T00:00:00.000Z");
    assert_int_equal(t_ms("2025-06-01"), 1748736000000LL);
    assert_int_equal(t_ms("2025-06-01T14:30"), 1748788200000LL);
    assert_int_equal(t_ms("2025-06-01 14:30:05Z"), 1748788205000LL);
    assert_int_equal(t_ms("2025-06-01T14:30:05.250Z"), 1748788205250LL);
    assert_int_equal(t_ms(" 2000-02-29 "), 951782400000LL);
    assert_int_equal(t_ms("90s"), 1000000000000LL - 90000);
    assert_int_equal(t_ms("30m"), 1000000000000LL - 1800000);
    assert_int_equal(t_ms("12h"), 1000000000000LL - 43200000);
    assert_int_equal(t_ms("7d"), 1000000000000LL - 604800000);
    const char *bad[] = {"", "yesterday", "2025-13-01", "2025-02-29", "1969-12-31",
                         "2025-06-01T25:00", "2025-06-01T14", "2025-06-01T14:30:05.", "7w",
                         "d", "2025-6-1", "2025-06-01X"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (t_ms(bad[i]) != CORDON_EFORMAT)
            fail_msg("\"%s\" parsed", bad[i]);
    int64_t v;
    assert_int_equal(cordon_time_parse(NULL, 0, 0, &v), CORDON_EINVAL);
    int64_t now = cordon_time_now();
    assert_true(now > 1700000000000LL);
    /* round trip */
    cordon_time_format(now, buf);
    assert_int_equal(t_ms(buf), now);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_of_a_screening),
        cmocka_unit_test(test_record_with_qualifiers),
        cmocka_unit_test(test_append_scan_verify),
        cmocka_unit_test(test_tampering_is_detected),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_bad_records),
        cmocka_unit_test(test_writer_threads),
        cmocka_unit_test(test_two_connections),
        cmocka_unit_test(test_writer_errors),
        cmocka_unit_test(test_time),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
