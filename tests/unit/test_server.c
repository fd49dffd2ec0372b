/*
 * test_server.c — `cordon serve` end to end: the real program
 * ($CORDON_CLI, the ASan build) is started on ephemeral ports and spoken
 * to over HTTP with libcurl and raw sockets. Covered: every endpoint and
 * method of docs/openapi.yaml (each response is checked to be documented
 * there, with the required keys of its schema), authentication, /search
 * against `cordon screen --json` byte for byte, /entities against
 * cordon_entity_json, /lists against the index and the rules,
 * yente-style /match, /shipment against `cordon shipment --json`,
 * malformed JSON, oversized bodies and targets, request heads past
 * libmicrohttpd's memory (its own 414/431, or no answer, and no leak),
 * slow clients, the per-address limit, reloads (of lists and of
 * snapshots, good and broken, under load and by SIGHUP), metrics, the
 * audit log of /search and /match, the log, --no-auth rules, and the
 * page in headless Chromium
 * (tests/browser/page.test.mjs). test_server_shipment.c covers the
 * reload of the trade-control rules.
 *
 * Servers: "main" serves the default bundle's snapshot (build/
 * default.cordon or $CORDON_INDEX when they open; otherwise the test
 * compiles data/lists.conf into a temporary snapshot); "small" builds
 * the UN list from a temporary lists file (for list reloads; 1 s idle
 * timeout); "snap" serves a temporary snapshot that the tests replace
 * (one thread, 3 connections per address); "open" runs with --no-auth;
 * "audit" keeps its audit log in a temporary store. Each is stopped with
 * SIGTERM and must exit 0, which under ASan also means no leaks.
 */
#include "server_harness.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/evp.h>


/* ---- the servers --------------------------------------------------------- */

static server s_main = {.name = "main"}, s_small = {.name = "small"},
              s_snap = {.name = "snap"}, s_open = {.name = "open"},
              s_audit = {.name = "audit"};

/* Whatever happens to the tests, no server outlives them. */
static void kill_servers(void)
{
    server *all[] = {&s_main, &s_small, &s_snap, &s_open, &s_audit};
    for (size_t i = 0; i < 5; i++)
        if (all[i]->pid > 0) {
            kill(all[i]->pid, SIGKILL);
            waitpid(all[i]->pid, NULL, 0);
            all[i]->pid = 0;
        }
}

/* ---- fixtures ------------------------------------------------------------- */

static char main_index[320];
static cordon_index *main_idx;
static size_t small_entities, b_entities;

static cordon_index *build_index(const char *lists, const char *out_path)
{
    cordon_error err;
    cordon_config *cfg = NULL;
    char buf[1200];
    if (cordon_config_read(lists, &cfg, &err))
        fail_msg("%s", cordon_error_format(&err, buf, sizeof buf));
    cordon_dataset *ds = cordon_dataset_new();
    assert_non_null(ds);
    if (cordon_dataset_load_config(ds, cfg, &err))
        fail_msg("%s", cordon_error_format(&err, buf, sizeof buf));
    cordon_index *idx = NULL;
    if (cordon_index_build(ds, &idx, &err))
        fail_msg("%s", cordon_error_format(&err, buf, sizeof buf));
    cordon_dataset_free(ds);
    cordon_config_free(cfg);
    if (out_path && cordon_index_write(idx, out_path, &err))
        fail_msg("%s", cordon_error_format(&err, buf, sizeof buf));
    return idx;
}

static void copy_file(const char *from, const char *to)
{
    size_t n;
    char *data = read_all(from, &n);
    assert_non_null(data);
    write_all(to, data, n);
    free(data);
}

static const char un_xml[] = "data/lists/un_sc/2026-02-27/UN_consolidated.xml";

static int setup(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cordon-serve-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    atexit(kill_servers);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    openapi_read();
    /* the servers' and the CLI's trade-control rules, whatever the
     * environment says */
    setenv("CORDON_RULES", "data/rules/rules.json", 1);

    /* the keys file, made by the program itself */
    char *line1 = NULL, *line2 = NULL;
    const char *hk1[] = {"serve", "--hash-key", "ops", NULL};
    const char *hk2[] = {"serve", "--hash-key", "batch-2", NULL};
    assert_int_equal(run_cli(hk1, KEY "\n", &line1, NULL), 0);
    assert_int_equal(run_cli(hk2, KEY2 "\n", &line2, NULL), 0);
    char keys[600];
    snprintf(keys, sizeof keys, "# test keys\n%s\n%s", line1, line2);
    write_all(tmp_path("keys"), keys, strlen(keys));
    free(line1);
    free(line2);

    /* the main index: a copy of the default snapshot when there is one
     * (a copy, because `make` may rewrite the original meanwhile and the
     * tests reload it) */
    const char *candidates[] = {getenv("CORDON_INDEX"), "build/default.cordon"};
    snprintf(main_index, sizeof main_index, "%s", tmp_path("main.cordon"));
    for (size_t i = 0; i < 2 && !main_idx; i++) {
        if (!candidates[i] || !*candidates[i] || access(candidates[i], R_OK) != 0)
            continue;
        copy_file(candidates[i], main_index);
        if (cordon_index_open(main_index, &main_idx, NULL) != 0)
            main_idx = NULL;
    }
    if (!main_idx) {
        cordon_index_close(build_index("data/lists.conf", main_index));
        assert_int_equal(cordon_index_open(main_index, &main_idx, NULL), 0);
    }

    /* the small lists: a copy of the UN list, which the tests break */
    mkdir(tmp_path("un"), 0700);
    copy_file(un_xml, tmp_path("un/UN_consolidated.xml"));
    const char conf[] = "un_sc un_xml un/UN_consolidated.xml\n";
    write_all(tmp_path("small.conf"), conf, sizeof conf - 1);
    char cwd[512], cons[1400];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(cons, sizeof cons,
             "un_sc un_xml un/UN_consolidated.xml\n"
             "ofac_cons ofac_csv %s/data/lists/ofac_consolidated/csv_set_2025-12/cons_prim.csv "
             "%s/data/lists/ofac_consolidated/csv_set_2025-12/cons_alt.csv\n",
             cwd, cwd);
    write_all(tmp_path("b.conf"), cons, strlen(cons));
    cordon_index *a = build_index(tmp_path("small.conf"), tmp_path("a.cordon"));
    small_entities = cordon_index_entity_count(a);
    cordon_index_close(a);
    cordon_index *b = build_index(tmp_path("b.conf"), tmp_path("b.cordon"));
    b_entities = cordon_index_entity_count(b);
    cordon_index_close(b);
    copy_file(tmp_path("a.cordon"), tmp_path("serve.cordon"));

    const char *main_args[] = {"--index", main_index, "--keys", tmp_path("keys"), NULL};
    server_start(&s_main, main_args);
    const char *small_args[] = {"--lists", tmp_path("small.conf"), "--keys", tmp_path("keys"),
                                "--timeout", "1", NULL};
    server_start(&s_small, small_args);
    const char *snap_args[] = {"--index", tmp_path("serve.cordon"), "--keys", tmp_path("keys"),
                               "--threads", "1", "--per-ip", "3", NULL};
    server_start(&s_snap, snap_args);
    const char *open_args[] = {"--index", tmp_path("a.cordon"), "--no-auth", "--quiet", NULL};
    server_start(&s_open, open_args);
    return 0;
}

static int teardown(void **state)
{
    int bad = 0;
    bad |= server_stop(&s_main) != 0;
    bad |= server_stop(&s_small) != 0;
    bad |= server_stop(&s_snap) != 0;
    bad |= server_stop(&s_open) != 0;
    cordon_index_close(main_idx);
    curl_global_cleanup();
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (strncmp(tmpdir, "/tmp/cordon-serve-", 18) == 0 && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return bad ? -1 : 0;
}

/* ---- tests ----------------------------------------------------------------- */

static void test_hash_key(void **state)
{
    char *out = NULL, *err = NULL;
    const char *args[] = {"serve", "--hash-key", "ops", NULL};
    assert_int_equal(run_cli(args, "s3cret\n", &out, NULL), 0);
    unsigned char h[32];
    unsigned int n = 0;
    assert_int_equal(EVP_Digest("s3cret", 6, h, &n, EVP_sha256(), NULL), 1);
    char want[100] = "ops ";
    for (int i = 0; i < 32; i++)
        sprintf(want + 4 + 2 * i, "%02x", h[i]);
    strcat(want, "\n");
    assert_string_equal(out, want);
    free(out);
    const char *bad_id[] = {"serve", "--hash-key", "no spaces", NULL};
    assert_int_equal(run_cli(bad_id, "x\n", NULL, &err), 2);
    assert_non_null(strstr(err, "key id"));
    free(err);
    assert_int_equal(run_cli(args, "\n", NULL, &err), 2);
    free(err);
}

static void test_start_refusals(void **state)
{
    char *err = NULL;
    const char *wide[] = {"serve", "--index", main_index, "--no-auth", "--bind", "0.0.0.0",
                          "--port", "0", NULL};
    assert_int_equal(run_cli(wide, NULL, NULL, &err), 2);
    assert_non_null(strstr(err, "only allowed on a loopback address"));
    free(err);
    const char *nokeys[] = {"serve", "--index", main_index, "--port", "0", NULL};
    assert_int_equal(run_cli(nokeys, NULL, NULL, &err), 2);
    assert_non_null(strstr(err, "no API keys"));
    free(err);
    const char bad[] = "ops 625faa3fbbc3d2bd9d6ee7678d04cc5339cb33dc68d9b58451853d60046e226a\n"
                       "broken deadbeef\n";
    write_all(tmp_path("badkeys"), bad, sizeof bad - 1);
    const char *badkeys[] = {"serve", "--index", main_index, "--keys", tmp_path("badkeys"),
                             "--port", "0", NULL};
    assert_int_equal(run_cli(badkeys, NULL, NULL, &err), 2);
    assert_non_null(strstr(err, "badkeys:2: expected \"KEY_ID SHA256HEX\""));
    free(err);
    const char *both[] = {"serve", "--index", main_index, "--lists", "data/lists.conf",
                          "--no-auth", "--port", "0", NULL};
    assert_int_equal(run_cli(both, NULL, NULL, &err), 2);
    assert_non_null(strstr(err, "exactly one of --index"));
    free(err);
    const char *corrupt[] = {"serve", "--index", tmp_path("keys"), "--no-auth", "--port", "0",
                             NULL};
    assert_int_equal(run_cli(corrupt, NULL, NULL, &err), 2);
    assert_non_null(strstr(err, "cannot load the index"));
    free(err);
}

static void test_healthz_is_public(void **state)
{
    resp r = request(&s_main, "GET", "/healthz", "/healthz", AUTH_NONE, NULL, NULL, -1, 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_string_value(json_object_get(r.json, "status")), "ok");
    assert_int_equal(json_integer_value(json_object_get(r.json, "entities")),
                     cordon_index_entity_count(main_idx));
    assert_int_equal(json_integer_value(json_object_get(r.json, "generation")), 1);
    resp_free(&r);
    r = request(&s_main, "HEAD", "/healthz", "/healthz", AUTH_NONE, NULL, NULL, -1, 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.len, 0);
    resp_free(&r);
}

static void test_auth(void **state)
{
    /* every endpoint but /healthz and the page answers 401 without a key */
    static const struct {
        const char *method, *target, *doc;
    } guarded[] = {
        {"GET", "/search?q=Kim+Jong+Un", "/search"},
        {"POST", "/match", "/match"},
        {"GET", "/entities/ofac_sdn:20157", "/entities/{id}"},
        {"GET", "/lists", "/lists"},
        {"GET", "/metrics", "/metrics"},
        {"POST", "/admin/reload", "/admin/reload"},
        {"POST", "/shipment", "/shipment"},
    };
    const char *bad_bearer[] = {"Authorization: Bearer wrong-key", NULL};
    const char *bad_x[] = {"X-API-Key: " KEY "x", NULL};
    const char *basic[] = {"Authorization: Basic b3BzOnMzY3JldA==", NULL};
    const char *lower[] = {"authorization: bearer " KEY, NULL};
    for (size_t i = 0; i < sizeof guarded / sizeof guarded[0]; i++) {
        const char *body = !strcmp(guarded[i].method, "POST") ? "{}" : NULL;
        resp r = request(&s_main, guarded[i].method, guarded[i].target, guarded[i].doc,
                         AUTH_NONE, NULL, body, -1, 0);
        expect_error(&r, 401, "unauthorized");
        assert_true(has_header(&r, "WWW-Authenticate: Bearer"));
        assert_non_null(strstr(error_message_of(&r), "API key is required"));
        resp_free(&r);
        const char *const *wrong[] = {bad_bearer, bad_x, basic};
        for (size_t k = 0; k < 3; k++) {
            r = request(&s_main, guarded[i].method, guarded[i].target, guarded[i].doc,
                        AUTH_NONE, wrong[k], body, -1, 0);
            expect_error(&r, 401, "unauthorized");
            resp_free(&r);
        }
    }
    /* both header forms work, with either key; scheme and header names
     * are case-insensitive */
    resp r = request(&s_main, "GET", "/lists", "/lists", AUTH_BEARER, NULL, NULL, -1, 0);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    r = request(&s_main, "GET", "/lists", "/lists", AUTH_XKEY, NULL, NULL, -1, 0);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    r = request(&s_main, "GET", "/lists", "/lists", AUTH_NONE, lower, NULL, -1, 0);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    /* the page and its files need no key */
    static const struct {
        const char *path, *type;
    } page[] = {{"/", "text/html"}, {"/app.js", "text/javascript"},
                {"/style.css", "text/css"}, {"/favicon.svg", "image/svg+xml"}};
    for (size_t i = 0; i < 4; i++) {
        r = request(&s_main, "GET", page[i].path, page[i].path, AUTH_NONE, NULL, NULL, -1, 0);
        assert_int_equal(r.status, 200);
        char ct[80];
        snprintf(ct, sizeof ct, "Content-Type: %s", page[i].type);
        assert_true(has_header(&r, ct));
        assert_true(has_header(&r, "Content-Security-Policy: default-src 'none'"));
        assert_true(r.len > 100);
        resp_free(&r);
    }
    /* the page loads nothing from elsewhere */
    r = request(&s_main, "GET", "/", "/", AUTH_NONE, NULL, NULL, -1, 0);
    assert_null(strstr(r.body, "http://"));
    assert_null(strstr(r.body, "https://"));
    assert_null(strstr(r.body, "//cdn"));
    resp_free(&r);
}

/* The first line `cordon screen` prints for these arguments. */
static char *cli_screen(const char *const *extra)
{
    const char *args[24] = {"screen", "--json", "--index", main_index};
    size_t n = 4;
    for (size_t i = 0; extra[i]; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    char *out = NULL;
    int rc = run_cli(args, NULL, &out, NULL);
    assert_true(rc == 0 || rc == 1);
    return out;
}

static void test_search_equals_cli(void **state)
{
    resp r = get(&s_main, "/search?q=Kim+Jong+Un", "/search");
    assert_int_equal(r.status, 200);
    const char *args1[] = {"Kim Jong Un", NULL};
    char *out = cli_screen(args1);
    assert_string_equal(r.body, out);
    free(out);
    json_t *m0 = json_array_get(json_object_get(r.json, "matches"), 0);
    assert_string_equal(json_string_value(json_object_get(m0, "id")), "ofac_sdn:20157");
    check_required("Match", m0);
    check_required("Explanation", json_object_get(m0, "explanation"));
    resp_free(&r);

    /* every option, in URL form and as CLI options */
    r = get(&s_main,
            "/search?q=Kim%20Jong-un&type=person&dob=1984-01-08&country=KP&threshold=0.9&limit=3",
            "/search");
    assert_int_equal(r.status, 200);
    const char *args2[] = {"--type", "person", "--dob", "1984-01-08", "--country", "KP",
                           "--threshold", "0.9", "--limit", "3", "Kim Jong-un", NULL};
    out = cli_screen(args2);
    assert_string_equal(r.body, out);
    free(out);
    m0 = json_array_get(json_object_get(r.json, "matches"), 0);
    assert_string_equal(json_string_value(json_object_get(m0, "id")), "ofac_sdn:20157");
    assert_true(json_array_size(json_object_get(r.json, "matches")) <= 3);
    resp_free(&r);

    /* UTF-8 names, and an identifier alone */
    r = get(&s_main, "/search?q=%EA%B9%80%EC%A0%95%EC%9D%80", "/search");
    assert_int_equal(r.status, 200);
    const char *args3[] = {"김정은", NULL};
    out = cli_screen(args3);
    assert_string_equal(r.body, out);
    free(out);
    resp_free(&r);
    r = get(&s_main, "/search?q=Graceful&type=vessel&algorithm=default", "/search");
    assert_int_equal(r.status, 200);
    m0 = json_array_get(json_object_get(r.json, "matches"), 0);
    assert_string_equal(json_string_value(json_object_get(m0, "id")), "ofac_sdn:37444");
    resp_free(&r);
    r = get(&s_main, "/search?id=IMO%201011551", "/search");
    assert_int_equal(r.status, 200);
    m0 = json_array_get(json_object_get(r.json, "matches"), 0);
    assert_string_equal(json_string_value(json_object_get(m0, "id")), "ofac_sdn:37444");
    resp_free(&r);
    /* no match is a 200 with an empty list */
    r = get(&s_main, "/search?q=Zyxwv+Qqqqq+Jjjjjjj", "/search");
    assert_int_equal(r.status, 200);
    assert_int_equal(json_array_size(json_object_get(r.json, "matches")), 0);
    resp_free(&r);
}

static void test_search_errors(void **state)
{
    static const struct {
        const char *target;
        long status;
        const char *code, *says;
    } cases[] = {
        {"/search", 400, "bad_request", "q (the name to screen) is required"},
        {"/search?name=Kim", 400, "bad_request", "unknown parameter \"name\""},
        {"/search?q=Kim&q=Jong", 400, "bad_request", "\"q\" is given twice"},
        {"/search?q=%FF%FEabc", 400, "bad_request", "UTF-8"},
        {"/search?q=", 422, "unprocessable", ""},
        {"/search?q=%21%21%21", 422, "unprocessable", ""},
        {"/search?q=Kim&type=ship-or-plane", 422, "unprocessable", "type must be"},
        {"/search?q=Kim&dob=yesterday", 422, "unprocessable", "dob is not a date"},
        {"/search?q=Kim&dob=1984-02-30", 422, "unprocessable", "dob is not a date"},
        {"/search?q=Kim&country=Atlantis", 422, "unprocessable", "country"},
        {"/search?q=Kim&threshold=0", 422, "unprocessable", "threshold"},
        {"/search?q=Kim&threshold=1.5", 422, "unprocessable", "threshold"},
        {"/search?q=Kim&threshold=high", 422, "unprocessable", "threshold"},
        {"/search?q=Kim&limit=0", 422, "unprocessable", "limit"},
        {"/search?q=Kim&limit=1001", 422, "unprocessable", "limit"},
        {"/search?q=Kim&limit=2.5", 422, "unprocessable", "limit"},
        {"/search?q=Kim&algorithm=magic", 422, "unprocessable", "algorithm"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        resp r = get(&s_main, cases[i].target, "/search");
        if (r.status != cases[i].status)
            fail_msg("%s: expected %ld, got %ld: %s", cases[i].target, cases[i].status,
                     r.status, r.body);
        expect_error(&r, cases[i].status, cases[i].code);
        if (!strstr(error_message_of(&r), cases[i].says))
            fail_msg("%s: message \"%s\" lacks \"%s\"", cases[i].target, error_message_of(&r),
                     cases[i].says);
        resp_free(&r);
    }
    /* a name over 4,096 bytes within the 8 KiB target: 413 from the engine */
    char target[8192];
    strcpy(target, "/search?q=");
    size_t n = strlen(target);
    for (int i = 0; i < 5000; i++)
        target[n++] = i % 6 == 5 ? '+' : 'a';
    target[n] = '\0';
    resp r = get(&s_main, target, "/search");
    expect_error(&r, 413, "too_large");
    resp_free(&r);
    /* a request target over 8 KiB: 413 before anything else */
    char *big = malloc(20000);
    assert_non_null(big);
    strcpy(big, "/search?q=");
    n = strlen(big);
    memset(big + n, 'b', 12000);
    big[n + 12000] = '\0';
    r = get(&s_main, big, "/search");
    expect_error(&r, 413, "too_large");
    assert_non_null(strstr(error_message_of(&r), "8192"));
    resp_free(&r);
    free(big);
}

static void test_entities(void **state)
{
    resp r = get(&s_main, "/entities/ofac_sdn:20157", "/entities/{id}");
    assert_int_equal(r.status, 200);
    /* exactly the library's JSON of the record in the same index */
    size_t i;
    assert_int_equal(cordon_index_find(main_idx, "ofac_sdn:20157", 14, &i), 0);
    cordon_entity *e = NULL;
    assert_int_equal(cordon_index_entity(main_idx, i, &e, NULL), 0);
    char *want = cordon_entity_json(e);
    assert_non_null(want);
    assert_int_equal(r.len, strlen(want) + 1);
    assert_memory_equal(r.body, want, strlen(want));
    cordon_free(want);
    cordon_entity_free(e);
    json_t *names = json_object_get(r.json, "names");
    assert_string_equal(json_string_value(json_object_get(json_array_get(names, 0), "name")),
                        "KIM, Jong Un");
    json_t *dob = json_array_get(json_object_get(r.json, "birth_dates"), 0);
    assert_string_equal(json_string_value(json_object_get(dob, "date")), "1984-01-08");
    check_required("Entity", r.json);
    resp_free(&r);
    /* the colon may come percent-encoded */
    r = get(&s_main, "/entities/ofac_sdn%3A20157", "/entities/{id}");
    assert_int_equal(r.status, 200);
    resp_free(&r);
    static const char *const missing[] = {"/entities/ofac_sdn:99999999", "/entities/nothing",
                                          "/entities/", "/entities/%00x"};
    for (size_t k = 0; k < 4; k++) {
        r = get(&s_main, missing[k], "/entities/{id}");
        expect_error(&r, 404, "not_found");
        resp_free(&r);
    }
}

static void test_lists(void **state)
{
    resp r = get(&s_main, "/lists", "/lists");
    assert_int_equal(r.status, 200);
    json_t *index = json_object_get(r.json, "index");
    check_required("IndexInfo", index);
    assert_string_equal(json_string_value(json_object_get(index, "hash")),
                        cordon_index_hash(main_idx));
    assert_int_equal(json_integer_value(json_object_get(index, "entities")),
                     cordon_index_entity_count(main_idx));
    assert_int_equal(json_integer_value(json_object_get(index, "names")),
                     cordon_index_name_count(main_idx));
    assert_string_equal(json_string_value(json_object_get(index, "origin")), "snapshot");
    json_t *sources = json_object_get(r.json, "sources");
    assert_int_equal(json_array_size(sources), cordon_index_source_count(main_idx));
    for (size_t i = 0; i < json_array_size(sources); i++) {
        json_t *s = json_array_get(sources, i);
        const cordon_source_info *info = cordon_index_source(main_idx, i);
        check_required("Source", s);
        assert_string_equal(json_string_value(json_object_get(s, "source")), info->name);
        assert_string_equal(json_string_value(json_object_get(s, "format")),
                            cordon_format_name(info->format));
        assert_string_equal(json_string_value(json_object_get(s, "sha256")), info->sha256);
        assert_int_equal(json_integer_value(json_object_get(s, "entities")), info->n_entities);
        assert_int_equal(json_integer_value(json_object_get(s, "names")), info->n_names);
        if (info->published)
            assert_string_equal(json_string_value(json_object_get(s, "published")),
                                info->published);
        else
            assert_true(json_is_null(json_object_get(s, "published")));
        json_t *files = json_object_get(s, "files");
        assert_int_equal(json_array_size(files), info->n_files);
        for (size_t k = 0; k < json_array_size(files); k++)
            assert_null(strchr(json_string_value(json_array_get(files, k)), '/'));
        assert_int_equal(json_array_size(json_object_get(s, "warnings")), info->n_warnings);
    }
    json_t *reload = json_object_get(r.json, "reload");
    check_required("ReloadStatus", reload);
    assert_string_equal(json_string_value(json_object_get(reload, "status")), "none");
    assert_true(json_is_null(json_object_get(reload, "error")));
    /* the trade-control rules in use, as the library reads them */
    json_t *rules = json_object_get(r.json, "rules");
    check_required("RulesInfo", rules);
    cordon_rules *want = NULL;
    assert_int_equal(cordon_rules_read(getenv("CORDON_RULES"), &want, NULL), 0);
    assert_string_equal(json_string_value(json_object_get(rules, "status")), "loaded");
    assert_string_equal(json_string_value(json_object_get(rules, "file")), "rules.json");
    assert_string_equal(json_string_value(json_object_get(rules, "as_of")),
                        cordon_rules_as_of(want));
    assert_int_equal(json_integer_value(json_object_get(rules, "rules")),
                     cordon_rules_count(want));
    assert_int_equal(json_integer_value(json_object_get(rules, "generation")), 1);
    assert_true(json_is_string(json_object_get(rules, "loaded_at")));
    assert_true(json_is_null(json_object_get(rules, "error")));
    cordon_rules_free(want);
    resp_free(&r);
}

static const char match_body[] =
    "{\"queries\": {"
    "\"kim\": {\"schema\": \"Person\", \"properties\": {\"name\": [\"Kim Jong Un\"], "
    "\"birthDate\": [\"1984-01-08\"], \"nationality\": [\"kp\"]}},"
    "\"yacht\": {\"schema\": \"Vessel\", \"properties\": {\"name\": [\"Graceful\"]}},"
    "\"imo\": {\"schema\": \"Vessel\", \"properties\": {\"imoNumber\": [\"IMO 1011551\"]}},"
    "\"parts\": {\"schema\": \"Person\", \"properties\": {\"firstName\": [\"Jong Un\"], "
    "\"lastName\": [\"Kim\"]}},"
    "\"nobody\": {\"schema\": \"Person\", \"properties\": {\"name\": [\"Zyxwv Qqqqq Jjjjjjj\"]}}"
    "}}";

static json_t *first_result(json_t *doc, const char *key)
{
    json_t *q = json_object_get(json_object_get(doc, "responses"), key);
    assert_non_null(q);
    check_required("MatchQueryResponse", q);
    return json_array_get(json_object_get(q, "results"), 0);
}

static void test_match(void **state)
{
    resp r = post(&s_main, "/match", "/match", match_body);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_object_size(json_object_get(r.json, "responses")), 5);
    assert_int_equal(json_integer_value(json_object_get(r.json, "limit")), 5);
    json_t *kim = first_result(r.json, "kim");
    check_required("MatchResult", kim);
    check_required("Explanation", json_object_get(kim, "explanation"));
    assert_string_equal(json_string_value(json_object_get(kim, "id")), "ofac_sdn:20157");
    assert_string_equal(json_string_value(json_object_get(kim, "caption")), "KIM, Jong Un");
    assert_string_equal(json_string_value(json_object_get(kim, "schema")), "Person");
    assert_true(json_is_true(json_object_get(kim, "match")));
    assert_string_equal(json_string_value(json_array_get(json_object_get(kim, "datasets"), 0)),
                        "ofac_sdn");
    /* the same score /search gives for the same name, type, date and country */
    resp s = get(&s_main, "/search?q=Kim+Jong+Un&type=person&dob=1984-01-08&country=KP",
                 "/search");
    json_t *m0 = json_array_get(json_object_get(s.json, "matches"), 0);
    assert_string_equal(json_string_value(json_object_get(m0, "id")), "ofac_sdn:20157");
    assert_true(fabs(json_number_value(json_object_get(m0, "score")) -
                     json_number_value(json_object_get(kim, "score"))) < 1e-4);
    assert_true(json_equal(json_object_get(m0, "explanation"),
                           json_object_get(kim, "explanation")));
    resp_free(&s);
    /* the query is echoed */
    json_t *q = json_object_get(json_object_get(json_object_get(r.json, "responses"), "kim"),
                                "query");
    assert_string_equal(json_string_value(json_object_get(q, "schema")), "Person");
    json_t *yacht = first_result(r.json, "yacht");
    assert_string_equal(json_string_value(json_object_get(yacht, "id")), "ofac_sdn:37444");
    assert_string_equal(json_string_value(json_object_get(yacht, "schema")), "Vessel");
    json_t *imo = first_result(r.json, "imo");
    assert_string_equal(json_string_value(json_object_get(imo, "id")), "ofac_sdn:37444");
    assert_true(json_is_true(json_object_get(imo, "match")));
    json_t *parts = first_result(r.json, "parts");
    assert_string_equal(json_string_value(json_object_get(parts, "id")), "ofac_sdn:20157");
    json_t *nobody = json_object_get(json_object_get(r.json, "responses"), "nobody");
    json_t *res = json_object_get(nobody, "results");
    for (size_t i = 0; i < json_array_size(res); i++)
        assert_true(json_is_false(json_object_get(json_array_get(res, i), "match")));
    resp_free(&r);

    /* parameters: a higher cutoff trims, limit 1 keeps one */
    r = post(&s_main, "/match?limit=1&threshold=0.95&cutoff=0.9&algorithm=logic-v1", "/match",
             match_body);
    assert_int_equal(r.status, 200);
    json_t *rs = json_object_get(json_object_get(json_object_get(r.json, "responses"), "kim"),
                                 "results");
    assert_int_equal(json_array_size(rs), 1);
    assert_int_equal(json_array_size(json_object_get(
                         json_object_get(json_object_get(r.json, "responses"), "nobody"),
                         "results")),
                     0);
    resp_free(&r);

    /* 1,000 queries are served */
    size_t cap = 1100 * 120, n = 0;
    char *many = malloc(cap);
    assert_non_null(many);
    n += (size_t)sprintf(many + n, "{\"queries\":{");
    for (int i = 0; i < 1000; i++)
        n += (size_t)sprintf(many + n, "%s\"q%d\":{\"schema\":\"Person\",\"properties\":"
                                       "{\"name\":[\"Ivan Petrov %d\"]}}",
                             i ? "," : "", i, i);
    strcpy(many + n, "}}");
    r = post(&s_main, "/match", "/match", many);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_object_size(json_object_get(r.json, "responses")), 1000);
    resp_free(&r);
    free(many);
}

static void test_match_errors(void **state)
{
    static const struct {
        const char *target, *body;
        long status;
        const char *code, *says;
    } cases[] = {
        {"/match", "{\"queries\": {", 400, "bad_request", "malformed JSON at line 1"},
        {"/match", "", 400, "bad_request", "must be JSON"},
        {"/match", "{\"queries\": {}, \"queries\": {}}", 400, "bad_request", "malformed JSON"},
        {"/match", "[1, 2]", 422, "unprocessable", "\"queries\" object"},
        {"/match", "{\"q\": {}}", 422, "unprocessable", "\"queries\" object"},
        {"/match", "{\"queries\": {}}", 422, "unprocessable", "1 to 1000 queries"},
        {"/match", "{\"queries\": {\"a\": 5}}", 422, "unprocessable", "query \"a\" is not an object"},
        {"/match", "{\"queries\": {\"a\": {\"properties\": {}}}}", 422, "unprocessable",
         "has no \"schema\""},
        {"/match", "{\"queries\": {\"a\": {\"schema\": \"Thing\", \"properties\": {}}}}", 422,
         "unprocessable", "schema must be"},
        {"/match", "{\"queries\": {\"a\": {\"schema\": \"Person\"}}}", 422, "unprocessable",
         "no \"properties\""},
        {"/match", "{\"queries\": {\"a\": {\"schema\": \"Person\", \"properties\": {}}}}", 422,
         "unprocessable", "no name and no identifier"},
        {"/match", "{\"queries\": {\"a\": {\"schema\": \"Person\", \"properties\": {\"name\": "
                   "[1]}}}}", 422, "unprocessable", "name must be an array of strings"},
        {"/match", "{\"queries\": {\"a\": {\"schema\": \"Person\", \"properties\": {\"name\": "
                   "[\"Kim\"], \"birthDate\": [\"soon\"]}}}}", 422, "unprocessable",
         "birthDate is not a date"},
        {"/match", "{\"queries\": {\"a\": {\"schema\": \"Person\", \"properties\": {\"name\": "
                   "[\"Kim\"], \"nationality\": [\"Atlantis\"]}}}}", 422, "unprocessable",
         "nationality is not a known country"},
        {"/match", "{\"queries\": {\"a\": {\"schema\": \"Person\", \"properties\": {\"name\": "
                   "[\"!!!\"]}}}}", 422, "unprocessable", "query \"a\""},
        {"/match?threshold=2", "{\"queries\": {}}", 422, "unprocessable", "threshold"},
        {"/match?limit=0", "{\"queries\": {}}", 422, "unprocessable", "limit"},
        {"/match?algorithm=magic", "{\"queries\": {}}", 422, "unprocessable", "algorithm"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        resp r = post(&s_main, cases[i].target, "/match", cases[i].body);
        if (r.status != cases[i].status)
            fail_msg("%s %s: expected %ld, got %ld: %s", cases[i].target, cases[i].body,
                     cases[i].status, r.status, r.body);
        expect_error(&r, cases[i].status, cases[i].code);
        if (!strstr(error_message_of(&r), cases[i].says))
            fail_msg("%s: message \"%s\" lacks \"%s\"", cases[i].body, error_message_of(&r),
                     cases[i].says);
        resp_free(&r);
    }
    /* 1,001 queries */
    size_t cap = 1100 * 100, n = 0;
    char *many = malloc(cap);
    assert_non_null(many);
    n += (size_t)sprintf(many + n, "{\"queries\":{");
    for (int i = 0; i < 1001; i++)
        n += (size_t)sprintf(many + n, "%s\"q%d\":{\"schema\":\"Person\",\"properties\":"
                                       "{\"name\":[\"A B\"]}}", i ? "," : "", i);
    strcpy(many + n, "}}");
    resp r = post(&s_main, "/match", "/match", many);
    expect_error(&r, 413, "too_large");
    resp_free(&r);
    free(many);
    /* a body over 2 MiB, announced: refused before it is sent */
    size_t big_len = (2u << 20) + 1;
    char *big = malloc(big_len);
    assert_non_null(big);
    memset(big, ' ', big_len);
    const char *expect[] = {"Expect: 100-continue", "Content-Type: application/json", NULL};
    r = request(&s_main, "POST", "/match", "/match", AUTH_BEARER, expect, big, (long)big_len, 0);
    expect_error(&r, 413, "too_large");
    assert_true(has_header(&r, "Connection: close"));
    resp_free(&r);
    free(big);
    /* and over 2 MiB chunked, with no length: read, dropped, refused */
    r = request(&s_main, "POST", "/match", "/match", AUTH_BEARER, NULL, NULL, -1,
                (2u << 20) + 100000);
    expect_error(&r, 413, "too_large");
    resp_free(&r);
    /* a body just under the limit is read (and is not JSON) */
    r = request(&s_main, "POST", "/match", "/match", AUTH_BEARER, NULL, NULL, -1, 100000);
    expect_error(&r, 400, "bad_request");
    resp_free(&r);
}

/* tests/shipment/acceptance_kim/input.json */
static const char shipment_body[] =
    "{\"reference\": \"ACCEPT-1\", \"parties\": ["
    "{\"role\": \"shipper\", \"name\": \"Government of the Russian Federation\", "
    "\"type\": \"organization\", \"country\": \"RU\"},"
    "{\"role\": \"consignee\", \"name\": \"Kim Jong Un\", \"type\": \"person\", \"country\": "
    "\"KP\"}],"
    "\"goods\": [{\"description\": \"Aurus Senat armoured limousine\", \"hs_code\": \"870390\", "
    "\"value\": 500000, \"currency\": \"EUR\", \"quantity\": 1}],"
    "\"origin\": \"RU\", \"destination\": \"KP\"}";

static void test_shipment(void **state)
{
    /* the same bytes as `cordon shipment --json` on the same snapshot */
    resp r = post(&s_main, "/shipment", "/shipment", shipment_body);
    assert_int_equal(r.status, 200);
    const char *args[] = {"shipment", "--json", "--index", main_index, "-", NULL};
    char *out = NULL;
    assert_int_equal(run_cli(args, shipment_body, &out, NULL), 1); /* BLOCK */
    assert_string_equal(r.body, out);
    free(out);
    assert_string_equal(json_string_value(json_object_get(r.json, "decision")), "BLOCK");
    json_t *reasons = json_object_get(r.json, "reasons");
    assert_int_equal(json_array_size(reasons), 10);
    for (size_t i = 0; i < json_array_size(reasons); i++)
        check_required("ShipmentReason", json_array_get(reasons, i));
    json_t *party = json_array_get(reasons, 0);
    assert_string_equal(json_string_value(json_object_get(party, "entity")), "ofac_sdn:20157");
    resp_free(&r);

    /* refusals, each with a status documented for /shipment */
    static const struct {
        const char *body;
        long status;
        const char *code, *says;
    } cases[] = {
        {"{\"parties\": [", 400, "bad_request",
         "request:1:13: invalid JSON: ']' expected near end of file"},
        {"[]", 400, "bad_request", "request: a shipment must be a JSON object"},
        {"{\"parties\": [{\"role\": \"shipper\", \"name\": \"A\"}, {\"role\": \"consignee\", "
         "\"name\": \"B\"}], \"goods\": [{\"hscode\": \"870390\"}]}",
         400, "bad_request", "goods[0]"},
        {"", 422, "unprocessable", ""},
        {"{\"parties\": [{\"role\": \"shipper\", \"name\": \"A Co\", \"country\": \"DE\"}, "
         "{\"role\": \"consignee\", \"name\": \"!!!\", \"country\": \"FR\"}], \"goods\": "
         "[{\"description\": \"apples\", \"hs_code\": \"080810\"}]}",
         422, "unprocessable", "parties[1].name"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        r = post(&s_main, "/shipment", "/shipment", cases[i].body);
        expect_error(&r, cases[i].status, cases[i].code);
        if (!strstr(error_message_of(&r), cases[i].says))
            fail_msg("%s: message \"%s\" lacks \"%s\"", cases[i].body, error_message_of(&r),
                     cases[i].says);
        resp_free(&r);
    }
    /* 65 parties: past the reader's limit */
    char *many = malloc(65 * 64 + 200);
    assert_non_null(many);
    size_t n = (size_t)sprintf(many, "{\"parties\": [");
    for (int i = 0; i < 65; i++)
        n += (size_t)sprintf(many + n, "%s{\"role\": \"%s\", \"name\": \"Party %d\"}",
                             i ? ", " : "", i == 1 ? "consignee" : "shipper", i);
    strcpy(many + n, "], \"goods\": [{\"description\": \"apples\"}]}");
    r = post(&s_main, "/shipment", "/shipment", many);
    expect_error(&r, 413, "too_large");
    assert_string_equal(error_message_of(&r), "request: parties: more than 64");
    resp_free(&r);
    free(many);
}

static void test_methods_and_paths(void **state)
{
    static const struct {
        const char *method, *target, *doc, *allow;
    } cases[] = {
        {"GET", "/match", "/match", "Allow: POST"},
        {"PUT", "/match", "/match", "Allow: POST"},
        {"DELETE", "/search?q=x", "/search", "Allow: GET, HEAD"},
        {"POST", "/lists", "/lists", "Allow: GET, HEAD"},
        {"GET", "/admin/reload", "/admin/reload", "Allow: POST"},
        {"POST", "/", "/", "Allow: GET, HEAD"},
        {"PATCH", "/entities/ofac_sdn:20157", "/entities/{id}", "Allow: GET, HEAD"},
        {"GET", "/shipment", "/shipment", "Allow: POST"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        resp r = request(&s_main, cases[i].method, cases[i].target, cases[i].doc, AUTH_BEARER,
                         NULL, NULL, -1, 0);
        expect_error(&r, 405, "method_not_allowed");
        assert_true(has_header(&r, cases[i].allow));
        resp_free(&r);
    }
    static const char *const nowhere[] = {"/nope", "/search/", "/admin", "/index.html",
                                          "/entities", "/../etc/passwd", "/%2e%2e/"};
    for (size_t i = 0; i < sizeof nowhere / sizeof nowhere[0]; i++) {
        resp r = get(&s_main, nowhere[i], NULL);
        expect_error(&r, 404, "not_found");
        resp_free(&r);
    }
    /* an unknown path is 404 even without a key (nothing to protect) */
    resp r = request(&s_main, "GET", "/nope", NULL, AUTH_NONE, NULL, NULL, -1, 0);
    expect_error(&r, 404, "not_found");
    resp_free(&r);
}

/* Every path and method of openapi.yaml is served, with its 200: each
 * one needs a sample request here. */
static void test_openapi_routes(void **state)
{
    static const struct {
        const char *path, *method, *target;
        const char *body;
    } samples[] = {
        {"/search", "get", "/search?q=Kim+Jong+Un", NULL},
        {"/match", "post", "/match", match_body},
        {"/entities/{id}", "get", "/entities/ofac_sdn:20157", NULL},
        {"/lists", "get", "/lists", NULL},
        {"/healthz", "get", "/healthz", NULL},
        {"/metrics", "get", "/metrics", NULL},
        {"/admin/reload", "post", "/admin/reload", NULL},
        {"/shipment", "post", "/shipment", shipment_body},
        {"/", "get", "/", NULL},
        {"/app.js", "get", "/app.js", NULL},
        {"/style.css", "get", "/style.css", NULL},
        {"/favicon.svg", "get", "/favicon.svg", NULL},
    };
    size_t n_samples = sizeof samples / sizeof samples[0];
    for (int i = 0; i < n_ops; i++) {
        size_t k = 0;
        while (k < n_samples &&
               (strcmp(samples[k].path, ops[i].path) || strcmp(samples[k].method, ops[i].method)))
            k++;
        if (k == n_samples)
            fail_msg("openapi.yaml documents %s %s: add a sample request for it to "
                     "test_openapi_routes", ops[i].method, ops[i].path);
        resp r = request(&s_main, !strcmp(ops[i].method, "get") ? "GET" : "POST",
                         samples[k].target, ops[i].path, AUTH_BEARER, NULL, samples[k].body, -1,
                         0);
        if (r.status != 200)
            fail_msg("%s %s: %ld %s", ops[i].method, samples[k].target, r.status, r.body);
        resp_free(&r);
    }
    /* the snapshot reload above worked and was counted */
    resp r = get(&s_main, "/lists", "/lists");
    json_t *reload = json_object_get(r.json, "reload");
    assert_string_equal(json_string_value(json_object_get(reload, "status")), "ok");
    assert_int_equal(json_integer_value(json_object_get(reload, "ok")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(r.json, "index"),
                                                        "generation")), 2);
    /* the same snapshot gives the same index */
    assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "index"),
                                                          "hash")),
                        cordon_index_hash(main_idx));
    resp_free(&r);
}

/* The value of one sample line of /metrics, or -1 when absent. */
static double metric(const char *text, const char *series)
{
    size_t n = strlen(series);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (!strncmp(p, series, n) && p[n] == ' ')
            return atof(p + n + 1);
    return -1;
}

static void test_metrics(void **state)
{
    resp m1 = get(&s_main, "/metrics", "/metrics");
    assert_int_equal(m1.status, 200);
    assert_true(has_header(&m1, "Content-Type: text/plain; version=0.0.4"));
    /* known traffic between two scrapes */
    for (int i = 0; i < 3; i++) {
        resp r = get(&s_main, "/search?q=Vladimir+Putin", "/search");
        assert_int_equal(r.status, 200);
        resp_free(&r);
    }
    resp r = get(&s_main, "/search?q=Kim&limit=0", "/search");
    resp_free(&r);
    for (int i = 0; i < 2; i++) {
        r = request(&s_main, "GET", "/lists", "/lists", AUTH_NONE, NULL, NULL, -1, 0);
        resp_free(&r);
    }
    resp m2 = get(&s_main, "/metrics", "/metrics");
    const char *a = m1.body, *b = m2.body;
    const char *s200 = "cordon_http_requests_total{endpoint=\"search\",status=\"200\"}";
    const char *s422 = "cordon_http_requests_total{endpoint=\"search\",status=\"422\"}";
    const char *l401 = "cordon_http_requests_total{endpoint=\"lists\",status=\"401\"}";
    const char *mx = "cordon_http_requests_total{endpoint=\"metrics\",status=\"200\"}";
    assert_int_equal(metric(b, s200) - metric(a, s200), 3);
    assert_int_equal(metric(b, s422) - metric(a, s422), 1);
    assert_int_equal(metric(b, l401) - fmax(metric(a, l401), 0), 2);
    assert_int_equal(metric(b, mx) - fmax(metric(a, mx), 0), 1); /* the first scrape */
    const char *sc = "cordon_screenings_total";
    assert_int_equal(metric(b, sc) - metric(a, sc), 3);
    const char *mt = "cordon_screenings_matched_total";
    assert_int_equal(metric(b, mt) - metric(a, mt), 3);
    assert_true(metric(b, "cordon_matches_total") - metric(a, "cordon_matches_total") >= 3);
    /* the histogram: cumulative buckets, +Inf == count, for every endpoint */
    static const char *const eps[] = {"page",    "search",  "match",  "entities", "lists",
                                      "healthz", "metrics", "reload", "shipment", "other"};
    for (size_t e = 0; e < sizeof eps / sizeof eps[0]; e++) {
        char series[160];
        double prev = 0;
        static const char *const les[] = {"0.0001", "0.00025", "0.0005", "0.001", "0.0025",
                                          "0.005", "0.01", "0.025", "0.05", "0.1", "0.25",
                                          "0.5", "1", "2.5", "5", "10", "+Inf"};
        for (size_t k = 0; k < 17; k++) {
            snprintf(series, sizeof series,
                     "cordon_http_request_duration_seconds_bucket{endpoint=\"%s\",le=\"%s\"}",
                     eps[e], les[k]);
            double v = metric(b, series);
            assert_true(v >= prev);
            prev = v;
        }
        snprintf(series, sizeof series,
                 "cordon_http_request_duration_seconds_count{endpoint=\"%s\"}", eps[e]);
        assert_true(metric(b, series) == prev);
    }
    /* list ages from the published dates */
    time_t now = time(NULL);
    for (size_t i = 0; i < cordon_index_source_count(main_idx); i++) {
        const cordon_source_info *s = cordon_index_source(main_idx, i);
        char series[160];
        snprintf(series, sizeof series, "cordon_list_age_seconds{source=\"%s\"}", s->name);
        double age = metric(b, series);
        if (!s->published) {
            assert_true(age == -1);
            continue;
        }
        int y, mo, d;
        assert_int_equal(sscanf(s->published, "%d-%d-%d", &y, &mo, &d), 3);
        struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d};
        double want = (double)(now - timegm(&tm));
        assert_true(fabs(age - want) <= 5);
        snprintf(series, sizeof series, "cordon_list_entities{source=\"%s\"}", s->name);
        assert_int_equal(metric(b, series), s->n_entities);
    }
    char info[200];
    snprintf(info, sizeof info, "cordon_index_info{hash=\"%s\",origin=\"snapshot\"}",
             cordon_index_hash(main_idx));
    assert_int_equal(metric(b, info), 1);
    assert_true(metric(b, "cordon_reloads_total{result=\"ok\"}") >= 0);
    assert_true(metric(b, "cordon_reloads_total{result=\"failed\"}") >= 0);
    assert_int_equal(metric(b, "cordon_index_entities"), cordon_index_entity_count(main_idx));
    resp_free(&m1);
    resp_free(&m2);
}

/* A raw TCP connection to a server. */
static int connect_to(const server *s)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

/* True when the server has closed the connection (within wait_ms). */
static int closed_by_server(int fd, int wait_ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, wait_ms) <= 0)
        return 0;
    char buf[512];
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno == ECONNRESET);
}

static void test_slow_client(void **state)
{
    /* "small" closes connections idle for 1 s: a client that sends its
     * headers a byte every 1.5 s is cut off, and others are served
     * meanwhile */
    int fd = connect_to(&s_small);
    const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    double t0 = now_s();
    int cut = 0;
    for (size_t i = 0; i < 6 && !cut; i++) {
        if (send(fd, req + i, 1, MSG_NOSIGNAL) != 1) {
            cut = 1;
            break;
        }
        resp r = request(&s_small, "GET", "/healthz", "/healthz", AUTH_NONE, NULL, NULL, -1, 0);
        assert_int_equal(r.status, 200);
        resp_free(&r);
        cut = closed_by_server(fd, 1500);
    }
    assert_true(cut);
    assert_true(now_s() - t0 < 8);
    close(fd);
    /* a client that sends a whole request at once is unaffected */
    resp r = get(&s_small, "/search?q=Taliban", "/search");
    assert_int_equal(r.status, 200);
    resp_free(&r);
}

/* Opens a connection and proves it is being served (a keep-alive
 * /healthz); -1 when the server closed it instead. */
static int open_served(const server *s)
{
    int fd = connect_to(s);
    const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    char buf[512] = {0};
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (send(fd, req, sizeof req - 1, MSG_NOSIGNAL) != (ssize_t)sizeof req - 1 ||
        poll(&p, 1, 5000) != 1 || recv(fd, buf, sizeof buf - 1, 0) <= 0 ||
        strncmp(buf, "HTTP/1.1 200", 12) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void test_per_ip_limit(void **state)
{
    /* "snap" allows 3 connections per address: with 3 open and served,
     * a 4th is closed at once, without an answer */
    int fds[3] = {-1, -1, -1}, ok = 0;
    double t0 = now_s();
    while (!ok && now_s() - t0 < 10) {
        /* connections of earlier tests may take a moment to be let go */
        ok = 1;
        for (int i = 0; i < 3; i++)
            if ((fds[i] = open_served(&s_snap)) < 0)
                ok = 0;
        if (!ok) {
            for (int i = 0; i < 3; i++)
                if (fds[i] >= 0)
                    close(fds[i]);
            sleep_ms(200);
        }
    }
    int extra = ok ? connect_to(&s_snap) : -1;
    int refused = ok && closed_by_server(extra, 3000);
    if (extra >= 0)
        close(extra);
    for (int i = 0; ok && i < 3; i++)
        close(fds[i]);
    assert_true(ok);
    assert_true(refused);
    /* once they are gone, connections are served again */
    t0 = now_s();
    int fd;
    while ((fd = open_served(&s_snap)) < 0) {
        assert_true(now_s() - t0 < 10);
        sleep_ms(100);
    }
    close(fd);
    char *log = read_all(s_snap.log, NULL);
    assert_non_null(strstr(log, "Server reached connection limit"));
    free(log);
}

/* Sends a whole request on a new connection and reads until the server
 * closes it. The status, or 0 when it closed without an answer; the
 * answer's body in *body (malloc'd). */
static int raw_request(const server *s, const char *req, size_t len, char **body)
{
    int fd = connect_to(s);
    size_t off = 0;
    while (off < len) {
        ssize_t n = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break; /* refused before the end: read what was said */
        off += (size_t)n;
    }
    size_t cap = 65536, got = 0;
    char *buf = malloc(cap + 1);
    assert_non_null(buf);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    while (got < cap && poll(&p, 1, 10000) == 1) {
        ssize_t n = recv(fd, buf + got, cap - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    int status = 0;
    if (got > 12 && !strncmp(buf, "HTTP/1.1 ", 9))
        status = atoi(buf + 9);
    char *b = strstr(buf, "\r\n\r\n");
    *body = strdup(b ? b + 4 : "");
    free(buf);
    return status;
}

static char *head_with(const char *target, size_t target_len, const char *header,
                       size_t header_len, size_t *len)
{
    char *req = malloc(target_len + header_len + 200);
    assert_non_null(req);
    size_t n = (size_t)sprintf(req, "GET %s", target);
    memset(req + n, 'a', target_len - strlen(target));
    n += target_len - strlen(target);
    n += (size_t)sprintf(req + n, " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s", header);
    memset(req + n, 'b', header_len);
    n += header_len;
    n += (size_t)sprintf(req + n, "%s\r\n", header_len ? "\r\n" : "");
    *len = n;
    return req;
}

static void test_head_limits(void **state)
{
    /* A request's line and headers must fit in the connection's memory,
     * --max-target + 32 KiB (40 KiB here); libmicrohttpd refuses what
     * does not, itself, with its HTML (docs/SERVER.md): 414 for a line,
     * 431 for headers, or no answer when not even that fits. */
    resp m1 = get(&s_main, "/metrics", "/metrics");
    const char *o431 = "cordon_http_requests_total{endpoint=\"other\",status=\"431\"}";
    double before = fmax(metric(m1.body, o431), 0);
    resp_free(&m1);
    int n431 = 0, n413 = 0, n414 = 0, none = 0;
    size_t len;
    char *body, *req;

    req = head_with("/search?q=", 50000, "", 0, &len);
    assert_int_equal(raw_request(&s_main, req, len, &body), 414);
    assert_non_null(strstr(body, "<html>"));
    n414++;
    free(body);
    free(req);
    req = head_with("/healthz", 8, "X-Pad: ", 50000, &len);
    assert_int_equal(raw_request(&s_main, req, len, &body), 431);
    assert_non_null(strstr(body, "<html>"));
    n431++;
    free(body);
    free(req);
    /* too many header lines: each costs a record in the same memory */
    char *hs = malloc(700 * 16 + 200);
    assert_non_null(hs);
    size_t k = (size_t)sprintf(hs, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 700; i++)
        k += (size_t)sprintf(hs + k, "X-H%04d: v\r\n", i);
    k += (size_t)sprintf(hs + k, "\r\n");
    assert_int_equal(raw_request(&s_main, hs, k, &body), 431);
    n431++;
    free(body);
    free(hs);
    /* a target far over 8 KiB that fits: our JSON 413 */
    req = head_with("/search?q=", 40000, "", 0, &len);
    assert_int_equal(raw_request(&s_main, req, len, &body), 413);
    assert_non_null(strstr(body, "\"too_large\""));
    n413++;
    free(body);
    free(req);
    /* across the edge, 40,300 to 41,300 bytes of request line: each is
     * answered by us, by libmicrohttpd, or not at all, and none leaks
     * (ASan at the server's exit) */
    for (size_t t = 40300; t <= 41300; t += 50) {
        req = head_with("/search?q=", t, "", 0, &len);
        int st = raw_request(&s_main, req, len, &body);
        if (st == 413)
            assert_non_null(strstr(body, "\"too_large\""));
        else if (st == 414 || st == 431)
            assert_non_null(strstr(body, "<html>"));
        else if (st != 0)
            fail_msg("a %zu-byte request line: status %d", t, st);
        n413 += st == 413;
        n414 += st == 414;
        n431 += st == 431;
        none += st == 0;
        free(body);
        free(req);
    }
    fprintf(stderr, "head limits: %d JSON 413, %d 414, %d 431, %d closed without an answer\n",
            n413, n414, n431, none);
    assert_true(n413 >= 2 && n414 >= 2);
    /* libmicrohttpd's 431s are counted (endpoint "other") and logged;
     * its 414s come before any request exists and only it logs them */
    double t0 = now_s(), after = 0;
    while (now_s() - t0 < 10) {
        resp m2 = get(&s_main, "/metrics", "/metrics");
        after = metric(m2.body, o431);
        resp_free(&m2);
        if (after - before >= n431)
            break;
        sleep_ms(50);
    }
    assert_int_equal(after - before, n431);
    char *log = read_all(s_main.log, NULL);
    assert_non_null(strstr(log, "\n- /healthz 431 "));
    assert_non_null(strstr(log, "us (answered by libmicrohttpd)\n"));
    free(log);
}

typedef struct load {
    int requests, failures;
    long last_bad;
    char last_error[CURL_ERROR_SIZE];
} load;

static void *search_load(void *arg)
{
    load *l = arg;
    /* one keep-alive connection, as a client pool would use */
    CURL *c = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, "X-API-Key: " KEY);
    FILE *null = fopen("/dev/null", "w");
    char err[CURL_ERROR_SIZE];
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, null);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
    for (int i = 0; i < l->requests; i++) {
        char url[128];
        snprintf(url, sizeof url, "http://127.0.0.1:%u/search?q=%s", s_small.port,
                 i % 2 ? "Taliban" : "Ahmad+Shah");
        curl_easy_setopt(c, CURLOPT_URL, url);
        long status = 0;
        err[0] = '\0';
        if (curl_easy_perform(c) == CURLE_OK)
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        if (status != 200) {
            l->failures++;
            l->last_bad = status;
            snprintf(l->last_error, sizeof l->last_error, "%s", err);
        }
    }
    fclose(null);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return NULL;
}

static json_t *lists_of(const server *s)
{
    resp r = get(s, "/lists", "/lists");
    assert_int_equal(r.status, 200);
    json_t *j = json_incref(r.json);
    resp_free(&r);
    return j;
}

static long long reload_count(json_t *lists, const char *which)
{
    return json_integer_value(json_object_get(json_object_get(lists, "reload"), which));
}

static long long generation(json_t *lists)
{
    return json_integer_value(json_object_get(json_object_get(lists, "index"), "generation"));
}

static void test_reload_under_load(void **state)
{
    load l = {.requests = 120};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, search_load, &l), 0);
    /* the thread reads `l`: join it before any check can end the test */
    long statuses[3];
    int said_entities = 0;
    soft_curl_errors = 1;
    for (int i = 0; i < 3; i++) {
        resp r = request(&s_small, "POST", "/admin/reload", NULL, AUTH_BEARER, NULL, NULL, -1,
                         0);
        statuses[i] = r.status;
        const char *m = r.json ? json_string_value(json_object_get(r.json, "message")) : NULL;
        said_entities += m && strstr(m, "entities") != NULL;
        resp_free(&r);
    }
    pthread_join(t, NULL);
    soft_curl_errors = 0;
    for (int i = 0; i < 3; i++)
        assert_int_equal(statuses[i], 200);
    assert_int_equal(said_entities, 3);
    if (l.failures)
        fail_msg("%d of %d searches failed during reloads (last status %ld: %s)", l.failures,
                 l.requests, l.last_bad, l.last_error);
    json_t *lists = lists_of(&s_small);
    assert_int_equal(reload_count(lists, "ok"), 3);
    assert_int_equal(generation(lists), 4);
    assert_string_equal(json_string_value(json_object_get(json_object_get(lists, "index"),
                                                          "origin")), "lists");
    json_decref(lists);
}

static void test_reload_broken_list(void **state)
{
    json_t *before = lists_of(&s_small);
    resp s1 = get(&s_small, "/search?q=Taliban", "/search");
    assert_int_equal(s1.status, 200);
    /* a malformed list file: the reload fails, the old index serves */
    const char *file = tmp_path("un/UN_consolidated.xml");
    size_t n;
    char *orig = read_all(file, &n);
    assert_non_null(orig);
    write_all(file, orig, 20000); /* cut in the middle of a record */
    resp r = post(&s_small, "/admin/reload", "/admin/reload", NULL);
    expect_error(&r, 500, "internal");
    const char *msg = error_message_of(&r);
    assert_non_null(strstr(msg, "reload failed, the previous index is still serving"));
    assert_non_null(strstr(msg, "UN_consolidated.xml"));
    resp_free(&r);
    json_t *after = lists_of(&s_small);
    json_t *rl = json_object_get(after, "reload");
    assert_string_equal(json_string_value(json_object_get(rl, "status")), "failed");
    const char *error = json_string_value(json_object_get(rl, "error"));
    assert_non_null(error);
    assert_non_null(strstr(error, "UN_consolidated.xml:"));
    assert_null(strstr(error, tmpdir));
    assert_int_equal(reload_count(after, "failed"), reload_count(before, "failed") + 1);
    assert_int_equal(generation(after), generation(before));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(after, "index"), "hash")),
        json_string_value(json_object_get(json_object_get(before, "index"), "hash")));
    resp s2 = get(&s_small, "/search?q=Taliban", "/search");
    assert_int_equal(s2.status, 200);
    assert_string_equal(s1.body, s2.body);
    resp m = get(&s_small, "/metrics", "/metrics");
    assert_int_equal(metric(m.body, "cordon_reload_last_failed"), 1);
    assert_int_equal(metric(m.body, "cordon_reloads_total{result=\"failed\"}"), 1);
    resp_free(&m);
    char *log = read_all(s_small.log, NULL);
    assert_non_null(strstr(log, "reload FAILED, old index kept"));
    free(log);
    json_decref(after);

    /* fixed, and SIGHUP: the reload works again */
    write_all(file, orig, n);
    free(orig);
    assert_int_equal(kill(s_small.pid, SIGHUP), 0);
    double t0 = now_s();
    for (;;) {
        after = lists_of(&s_small);
        if (reload_count(after, "ok") == reload_count(before, "ok") + 1)
            break;
        json_decref(after);
        assert_true(now_s() - t0 < 120);
        sleep_ms(200);
    }
    assert_string_equal(json_string_value(json_object_get(json_object_get(after, "reload"),
                                                          "status")), "ok");
    assert_true(json_is_null(json_object_get(json_object_get(after, "reload"), "error")));
    assert_int_equal(generation(after), generation(before) + 1);
    json_decref(after);
    json_decref(before);
    resp_free(&s1);
    resp_free(&s2);
}

static void replace_snapshot(const char *from_data, size_t len)
{
    const char *tmp = tmp_path("serve.cordon.new");
    write_all(tmp, from_data, len);
    assert_int_equal(rename(tmp, tmp_path("serve.cordon")), 0);
}

static void test_reload_snapshot(void **state)
{
    json_t *l1 = lists_of(&s_snap);
    assert_int_equal(json_array_size(json_object_get(l1, "sources")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(l1, "index"),
                                                        "entities")), small_entities);
    /* a new snapshot, atomically replaced, then SIGHUP */
    size_t n;
    char *b = read_all(tmp_path("b.cordon"), &n);
    assert_non_null(b);
    replace_snapshot(b, n);
    free(b);
    assert_int_equal(kill(s_snap.pid, SIGHUP), 0);
    json_t *l2 = NULL;
    double t0 = now_s();
    while (!l2 || generation(l2) != 2) {
        json_decref(l2);
        assert_true(now_s() - t0 < 60);
        sleep_ms(100);
        l2 = lists_of(&s_snap);
    }
    assert_int_equal(json_array_size(json_object_get(l2, "sources")), 2);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(l2, "index"),
                                                        "entities")), b_entities);
    resp h = request(&s_snap, "GET", "/healthz", "/healthz", AUTH_NONE, NULL, NULL, -1, 0);
    assert_int_equal(json_integer_value(json_object_get(h.json, "entities")), b_entities);
    resp_free(&h);
    /* a corrupt snapshot: refused, the last good one serves */
    char junk[4096];
    memcpy(junk, "CORDONIX", 8);
    for (size_t i = 8; i < sizeof junk; i++)
        junk[i] = (char)(i * 131);
    replace_snapshot(junk, sizeof junk);
    resp r = post(&s_snap, "/admin/reload", "/admin/reload", NULL);
    expect_error(&r, 500, "internal");
    assert_non_null(strstr(error_message_of(&r), "serve.cordon"));
    resp_free(&r);
    json_t *l3 = lists_of(&s_snap);
    assert_string_equal(json_string_value(json_object_get(json_object_get(l3, "reload"),
                                                          "status")), "failed");
    assert_int_equal(generation(l3), 2);
    resp s = get(&s_snap, "/search?q=Taliban", "/search");
    assert_int_equal(s.status, 200);
    resp_free(&s);
    json_decref(l1);
    json_decref(l2);
    json_decref(l3);
}

static void test_no_auth_on_loopback(void **state)
{
    char *log = read_all(s_open.log, NULL);
    assert_non_null(strstr(log, "WARNING: --no-auth"));
    assert_null(strstr(log, "GET /")); /* --quiet */
    free(log);
    resp r = request(&s_open, "GET", "/search?q=Taliban", "/search", AUTH_NONE, NULL, NULL, -1, 0);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    r = request(&s_open, "GET", "/lists", "/lists", AUTH_NONE, NULL, NULL, -1, 0);
    assert_int_equal(r.status, 200);
    resp_free(&r);
}

/* ---- the audit log ------------------------------------------------------- */

typedef struct audit_seen {
    size_t n;
    char kind[8][16], caller[8][16], subject[8][64], context[8][96];
    size_t n_matches[8];
} audit_seen;

static int audit_collect(void *ctx, const cordon_audit_record *rec)
{
    audit_seen *a = ctx;
    if (a->n < 8) {
        snprintf(a->kind[a->n], sizeof a->kind[0], "%s", rec->kind);
        snprintf(a->caller[a->n], sizeof a->caller[0], "%s", rec->caller);
        snprintf(a->subject[a->n], sizeof a->subject[0], "%s", rec->subject);
        snprintf(a->context[a->n], sizeof a->context[0], "%s", rec->context);
        a->n_matches[a->n] = rec->n_matches;
    }
    a->n++;
    return 0;
}

static audit_seen audit_read(const char *db)
{
    audit_seen a;
    memset(&a, 0, sizeof a);
    cordon_store *st = NULL;
    cordon_error err;
    assert_int_equal(cordon_store_open(db, &st, &err), 0);
    assert_int_equal(cordon_audit_scan(st, NULL, audit_collect, &a, &err), 0);
    cordon_store_close(st);
    return a;
}

/* Every screening answer of /search and /match is in the audit log, one
 * record per query screened, the caller named by its key id; answers
 * that screened nothing are not. The writer commits in groups (it waits
 * up to 10 ms for more records), so the records are readable moments
 * after the answers, while the server runs, and all of them by the time
 * it has stopped. */
static void test_audit_log(void **state)
{
    const char *db = tmp_path("audit.db");
    const char *args[] = {"--index", tmp_path("a.cordon"), "--keys", tmp_path("keys"),
                          "--audit", db, NULL};
    server_start(&s_audit, args);
    resp r = get(&s_audit, "/search?q=Kim+Jong+Un", "/search");
    assert_int_equal(r.status, 200);
    size_t search_matches = json_array_size(json_object_get(r.json, "matches"));
    resp_free(&r);
    r = request(&s_audit, "GET", "/search?q=Kim&type=ship-or-plane", "/search", AUTH_XKEY, NULL,
                NULL, -1, 0);
    expect_error(&r, 422, "unprocessable");
    resp_free(&r);
    const char two[] =
        "{\"queries\": {"
        "\"a\": {\"schema\": \"Person\", \"properties\": {\"name\": [\"Kim Jong Un\"]}},"
        "\"b\": {\"schema\": \"Vessel\", \"properties\": {\"name\": [\"Graceful\"]}}}}";
    r = request(&s_audit, "POST", "/match", "/match", AUTH_XKEY, NULL, two, -1, 0);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    r = get(&s_audit, "/healthz", "/healthz");
    assert_int_equal(r.status, 200);
    resp_free(&r);

    /* readable while the server runs, within moments */
    double t0 = now_s();
    audit_seen a = audit_read(db);
    while (a.n < 3 && now_s() - t0 < 10) {
        sleep_ms(20);
        a = audit_read(db);
    }
    assert_int_equal(a.n, 3);
    assert_int_equal(server_stop(&s_audit), 0);
    char *log = read_all(s_audit.log, NULL);
    assert_non_null(strstr(log, "cordon serve: audit log: "));
    assert_non_null(strstr(log, "cordon serve: 3 audit records written\n"));
    free(log);

    a = audit_read(db);
    assert_int_equal(a.n, 3);
    assert_string_equal(a.kind[0], "search");
    assert_string_equal(a.caller[0], "ops");
    assert_string_equal(a.subject[0], "Kim Jong Un");
    assert_string_equal(a.context[0], "{\"endpoint\":\"/search\"}");
    assert_int_equal(a.n_matches[0], search_matches);
    for (size_t i = 1; i < 3; i++) {
        assert_string_equal(a.kind[i], "match");
        assert_string_equal(a.caller[i], "batch-2");
    }
    /* the two /match queries, in either order */
    int a_first = !strcmp(a.subject[1], "Kim Jong Un");
    assert_string_equal(a.subject[a_first ? 1 : 2], "Kim Jong Un");
    assert_string_equal(a.subject[a_first ? 2 : 1], "Graceful");
    assert_string_equal(a.context[a_first ? 1 : 2], "{\"endpoint\":\"/match\",\"query\":\"a\"}");
    assert_string_equal(a.context[a_first ? 2 : 1], "{\"endpoint\":\"/match\",\"query\":\"b\"}");

    cordon_store *st = NULL;
    cordon_error err;
    cordon_audit_check check;
    assert_int_equal(cordon_store_open(db, &st, &err), 0);
    assert_int_equal(cordon_audit_verify(st, &check, &err), 0);
    assert_int_equal(check.records, 3);
    assert_int_equal(check.bad_seq, 0);
    cordon_store_close(st);
}

static void test_log(void **state)
{
    char *log = read_all(s_main.log, NULL);
    assert_non_null(log);
    /* one line per request: METHOD PATH STATUS µs, and the key's id */
    assert_non_null(strstr(log, "\nGET /search 200 "));
    assert_non_null(strstr(log, "\nGET /search 422 "));
    assert_non_null(strstr(log, "\nPOST /match 200 "));
    assert_non_null(strstr(log, "\nGET /lists 401 "));
    assert_non_null(strstr(log, "us key=ops\n"));
    assert_non_null(strstr(log, "us key=batch-2\n"));
    /* never the names screened, nor query strings or bodies */
    assert_null(strstr(log, "Kim"));
    assert_null(strstr(log, "KIM"));
    assert_null(strstr(log, "Putin"));
    assert_null(strstr(log, "q="));
    assert_null(strstr(log, "queries"));
    assert_null(strstr(log, KEY));
    free(log);
}

static void test_page_in_browser(void **state)
{
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u", s_main.port);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("CORDON_URL", url, 1);
        setenv("CORDON_KEY", KEY, 1);
        setenv("CORDON_SCREENSHOT", "build/serve-page.png", 1);
        execlp("node", "node", "tests/browser/page.test.mjs", (char *)NULL);
        fprintf(stderr, "cannot run node: %s (run `make deps`)\n", strerror(errno));
        _exit(127);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("the browser test failed (status %d)",
                 WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

/* Runs last: every (endpoint, status) the tests caused on the main
 * server, as its own metrics count them, is documented in openapi.yaml
 * (405 answers other methods, and 404 unknown paths). */
static void test_openapi_statuses(void **state)
{
    static const struct {
        const char *endpoint, *path, *method;
    } map[] = {
        {"search", "/search", "get"},      {"match", "/match", "post"},
        {"entities", "/entities/{id}", "get"}, {"lists", "/lists", "get"},
        {"healthz", "/healthz", "get"},    {"metrics", "/metrics", "get"},
        {"reload", "/admin/reload", "post"}, {"page", "/", "get"},
        {"shipment", "/shipment", "post"},
    };
    resp m = get(&s_main, "/metrics", "/metrics");
    int seen = 0;
    for (const char *p = m.body; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        char ep[32], status[16];
        if (sscanf(p, "cordon_http_requests_total{endpoint=\"%31[a-z]\",status=\"%15[0-9a-z]\"}",
                   ep, status) != 2)
            continue;
        seen++;
        if (!strcmp(status, "405") || !strcmp(ep, "other"))
            continue;
        size_t k = 0;
        while (k < sizeof map / sizeof map[0] && strcmp(map[k].endpoint, ep))
            k++;
        if (k == sizeof map / sizeof map[0])
            fail_msg("metrics endpoint \"%s\": add its path to test_openapi_statuses", ep);
        const oa_op *op = op_for(map[k].path, map[k].method);
        assert_non_null(op);
        int documented = 0;
        for (int i = 0; i < op->n; i++)
            documented |= op->codes[i] == atoi(status);
        if (!documented)
            fail_msg("%s answered %s, not documented in openapi.yaml", ep, status);
    }
    assert_true(seen >= 15);
    resp_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_key),
        cmocka_unit_test(test_start_refusals),
        cmocka_unit_test(test_healthz_is_public),
        cmocka_unit_test(test_auth),
        cmocka_unit_test(test_search_equals_cli),
        cmocka_unit_test(test_search_errors),
        cmocka_unit_test(test_entities),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_match_errors),
        cmocka_unit_test(test_shipment),
        cmocka_unit_test(test_methods_and_paths),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_slow_client),
        cmocka_unit_test(test_per_ip_limit),
        cmocka_unit_test(test_head_limits),
        cmocka_unit_test(test_reload_under_load),
        cmocka_unit_test(test_reload_broken_list),
        cmocka_unit_test(test_reload_snapshot),
        cmocka_unit_test(test_no_auth_on_loopback),
        cmocka_unit_test(test_page_in_browser),
        cmocka_unit_test(test_openapi_routes),
        cmocka_unit_test(test_audit_log),
        cmocka_unit_test(test_log),
        cmocka_unit_test(test_openapi_statuses),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
