/*
 * test_server_shipment.c — POST /shipment of `cordon serve` end to end,
 * with the harness of test_server.c: real servers on ephemeral loopback
 * ports (the program named by $CORDON_CLI), the bundled lists and a
 * temporary copy of the bundled rules. The body of a decision is byte
 * for byte what `cordon shipment --json` prints (the golden of
 * tests/shipment/acceptance_kim_json); refusals are JSON errors naming
 * the field; every answer is checked against docs/openapi.yaml.
 *
 * Reloads: SIGHUP and POST /admin/reload reread the rules (changed,
 * broken, broken in an included file, fixed) and swap them in whole, or
 * keep the old ones and say why in the answer and in /lists, while the
 * index reloads on its own. A second server starts with $CORDON_RULES
 * naming a file that is not there yet: /shipment answers 503 until a
 * reload finds it.
 */
#pragma GCC diagnostic ignored "-Wunused-function" /* the harness serves several tests */
#include "server_harness.h"

#include <sys/stat.h>

static server srv = {.name = "shipment"}, bare = {.name = "norules"};

static void kill_servers(void)
{
    server *all[] = {&srv, &bare};
    for (size_t i = 0; i < 2; i++)
        if (all[i]->pid > 0) {
            kill(all[i]->pid, SIGKILL);
            waitpid(all[i]->pid, NULL, 0);
            all[i]->pid = 0;
        }
}

static const char *const rule_files[] = {"rules.json", "keywords.json", "places.json"};

static void copy_file(const char *from, const char *to)
{
    size_t n;
    char *data = read_all(from, &n);
    assert_non_null(data);
    write_all(to, data, n);
    free(data);
}

static void copy_rules(const char *dir)
{
    for (size_t i = 0; i < 3; i++) {
        char from[128], to[320];
        snprintf(from, sizeof from, "data/rules/%s", rule_files[i]);
        snprintf(to, sizeof to, "%s/%s", dir, rule_files[i]);
        copy_file(from, to);
    }
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cordon-shpsrv-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    atexit(kill_servers);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    openapi_read();
    /* the index: a copy of the default snapshot (reloads reopen it, and
     * `make` may rewrite the original), else the default lists built */
    const char *index = tmp_path("lists.cordon");
    cordon_index *idx = NULL;
    if (cordon_index_open("build/default.cordon", &idx, NULL) == 0) {
        cordon_index_close(idx);
        copy_file("build/default.cordon", index);
    } else {
        const char *build[] = {"build", "--lists", "data/lists.conf", "-o", index, NULL};
        assert_int_equal(run_cli(build, NULL, NULL, NULL), 0);
    }
    mkdir(tmp_path("rules"), 0700);
    mkdir(tmp_path("later"), 0700);
    copy_rules(tmp_path("rules"));
    const char *args[] = {"--index", index, "--no-auth", NULL};
    setenv("CORDON_RULES", tmp_path("rules/rules.json"), 1);
    server_start(&srv, args);
    setenv("CORDON_RULES", tmp_path("later/rules.json"), 1);
    server_start(&bare, args);
    setenv("CORDON_RULES", tmp_path("rules/rules.json"), 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int bad = server_stop(&srv) != 0;
    bad |= server_stop(&bare) != 0;
    curl_global_cleanup();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    bad |= system(cmd) != 0;
    return bad ? -1 : 0;
}

static resp post_shipment_to(const server *s, const char *body, long len)
{
    return request(s, "POST", "/shipment", "/shipment", AUTH_NONE, NULL, body, len, 0);
}

static resp post_shipment(const char *body, long len)
{
    return post_shipment_to(&srv, body, len);
}

static resp reload(const server *s)
{
    return request(s, "POST", "/admin/reload", "/admin/reload", AUTH_NONE, NULL, NULL, -1, 0);
}

/* GET /lists; the reference is the caller's. */
static json_t *lists_of(const server *s)
{
    resp r = request(s, "GET", "/lists", "/lists", AUTH_NONE, NULL, NULL, -1, 0);
    assert_int_equal(r.status, 200);
    check_required("RulesInfo", json_object_get(r.json, "rules"));
    json_t *j = json_incref(r.json);
    resp_free(&r);
    return j;
}

static json_t *part(json_t *lists, const char *obj, const char *key)
{
    return json_object_get(json_object_get(lists, obj), key);
}

static char *kim_body(size_t *n)
{
    char *body = read_all("tests/shipment/acceptance_kim/input.json", n);
    assert_non_null(body);
    return body;
}

static char *kim_golden(void)
{
    char *want = read_all("tests/shipment/acceptance_kim_json/expected.out", NULL);
    assert_non_null(want);
    return want;
}

static void test_same_as_cli(void **state)
{
    (void)state;
    size_t n;
    char *body = kim_body(&n);
    char *want = kim_golden();
    resp r = post_shipment(body, (long)n);
    assert_int_equal(r.status, 200);
    assert_true(has_header(&r, "Content-Type: application/json"));
    assert_string_equal(r.body, want);
    assert_string_equal(json_string_value(json_object_get(r.json, "decision")), "BLOCK");
    resp_free(&r);
    free(body);
    free(want);

    body = read_all("tests/shipment/clean_control/input.json", &n);
    r = post_shipment(body, (long)n);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_string_value(json_object_get(r.json, "decision")), "CLEAR");
    assert_int_equal(json_array_size(json_object_get(r.json, "reasons")), 0);
    resp_free(&r);
    free(body);
}

static void test_refusals(void **state)
{
    (void)state;
    size_t n;
    char *body = read_all("tests/shipment/bad_hs_code/input.json", &n);
    resp r = post_shipment(body, (long)n);
    expect_error(&r, 400, "bad_request");
    assert_string_equal(error_message_of(&r), "request: goods[2].hs_code: \"87A390\" is not an "
                                              "HS code (6 to 10 digits, chapter 01 to 97)");
    resp_free(&r);
    free(body);

    body = read_all("tests/shipment/invalid_json/input.json", &n);
    r = post_shipment(body, (long)n);
    expect_error(&r, 400, "bad_request");
    assert_string_equal(error_message_of(&r),
                        "request:7:37: invalid JSON: '}' expected near '\"hs_code\"'");
    resp_free(&r);
    free(body);

    r = post_shipment("", 0);
    expect_error(&r, 422, "unprocessable");
    resp_free(&r);

    r = request(&srv, "GET", "/shipment", "/shipment", AUTH_NONE, NULL, NULL, -1, 0);
    expect_error(&r, 405, "method_not_allowed");
    assert_true(has_header(&r, "Allow: POST"));
    resp_free(&r);

    /* counted under their own endpoint */
    r = request(&srv, "GET", "/metrics", "/metrics", AUTH_NONE, NULL, NULL, -1, 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "cordon_http_requests_total{endpoint=\"shipment\",status=\"200\"} 2"));
    assert_non_null(strstr(r.body, "cordon_http_requests_total{endpoint=\"shipment\",status=\"400\"} 2"));
    resp_free(&r);
}

static void test_rules_in_lists(void **state)
{
    (void)state;
    cordon_rules *want = NULL;
    assert_int_equal(cordon_rules_read(tmp_path("rules/rules.json"), &want, NULL), 0);
    json_t *l = lists_of(&srv);
    assert_string_equal(json_string_value(part(l, "rules", "status")), "loaded");
    assert_string_equal(json_string_value(part(l, "rules", "file")), "rules.json");
    assert_string_equal(json_string_value(part(l, "rules", "as_of")), "2025-06");
    assert_string_equal(cordon_rules_as_of(want), "2025-06");
    assert_int_equal(json_integer_value(part(l, "rules", "rules")), cordon_rules_count(want));
    assert_int_equal(json_integer_value(part(l, "rules", "generation")), 1);
    assert_true(json_is_null(part(l, "rules", "error")));
    json_decref(l);
    /* the log says what was loaded, and from where */
    char *log = read_all(srv.log, NULL);
    char line[400];
    snprintf(line, sizeof line, "cordon serve: trade-control rules loaded: %zu rules as of "
                                "2025-06 from %s\n", cordon_rules_count(want),
             tmp_path("rules/rules.json"));
    assert_non_null(strstr(log, line));
    free(log);
    cordon_rules_free(want);
}

/* Writes the rules file with `as_of` changed and one rule left out. */
static void write_changed_rules(const char *as_of, const char *drop)
{
    json_error_t e;
    json_t *doc = json_load_file("data/rules/rules.json", JSON_PRESERVE_ORDER, &e);
    assert_non_null(doc);
    json_object_set_new(doc, "as_of", json_string(as_of));
    json_t *rules = json_object_get(doc, "rules");
    size_t i, n = json_array_size(rules);
    json_t *r;
    json_array_foreach(rules, i, r) if (!strcmp(json_string_value(json_object_get(r, "id")), drop))
    {
        json_array_remove(rules, i);
        break;
    }
    assert_int_equal(json_array_size(rules), n - 1);
    /* written beside, then renamed: a reload never sees half a file */
    assert_int_equal(json_dump_file(doc, tmp_path("rules/rules.json.new"), JSON_INDENT(1)), 0);
    assert_int_equal(rename(tmp_path("rules/rules.json.new"), tmp_path("rules/rules.json")), 0);
    json_decref(doc);
}

/* The golden answer as the changed rules give it: without the dropped
 * rule's reasons, and with their date. */
static json_t *golden_without(const char *as_of, const char *drop)
{
    char *g = kim_golden();
    json_t *want = json_loads(g, 0, NULL);
    free(g);
    assert_non_null(want);
    json_object_set_new(want, "rules_as_of", json_string(as_of));
    json_t *reasons = json_object_get(want, "reasons");
    for (size_t i = json_array_size(reasons); i-- > 0;) {
        const char *rule = json_string_value(json_object_get(json_array_get(reasons, i), "rule"));
        if (rule && !strcmp(rule, drop))
            json_array_remove(reasons, i);
    }
    return want;
}

static void test_rules_reload(void **state)
{
    (void)state;
    size_t n;
    char *body = kim_body(&n);

    /* changed rules: a reload takes them */
    write_changed_rules("2026-01", "eu-dprk-luxury");
    resp r = reload(&srv);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(json_string_value(json_object_get(r.json, "message")),
                           "; rules: 31 rules as of 2026-01 from rules.json"));
    resp_free(&r);
    json_t *l = lists_of(&srv);
    assert_int_equal(json_integer_value(part(l, "rules", "generation")), 2);
    assert_int_equal(json_integer_value(part(l, "rules", "rules")), 31);
    assert_string_equal(json_string_value(part(l, "rules", "as_of")), "2026-01");
    assert_int_equal(json_integer_value(part(l, "index", "generation")), 2);
    assert_string_equal(json_string_value(part(l, "reload", "status")), "ok");
    json_decref(l);
    resp changed = post_shipment(body, (long)n);
    assert_int_equal(changed.status, 200);
    json_t *want = golden_without("2026-01", "eu-dprk-luxury");
    assert_int_equal(json_array_size(json_object_get(want, "reasons")), 9);
    assert_true(json_equal(changed.json, want));
    json_decref(want);

    /* a broken rules file: the reload fails, the changed rules stay, and
     * the index reloads all the same */
    size_t len;
    char *good = read_all(tmp_path("rules/rules.json"), &len);
    assert_non_null(good);
    write_all(tmp_path("rules/rules.json"), good, 200); /* cut short */
    r = reload(&srv);
    expect_error(&r, 500, "internal");
    const char *msg = error_message_of(&r);
    assert_non_null(strstr(msg, "reload failed, the previous rules are still in use: rules.json:"));
    assert_null(strstr(msg, "previous index"));
    resp_free(&r);
    l = lists_of(&srv);
    assert_string_equal(json_string_value(part(l, "reload", "status")), "failed");
    assert_int_equal(json_integer_value(part(l, "reload", "failed")), 1);
    const char *error = json_string_value(part(l, "reload", "error"));
    assert_non_null(error);
    assert_true(!strncmp(error, "rules.json:", 11));
    assert_null(strstr(error, tmpdir));
    assert_string_equal(json_string_value(part(l, "rules", "error")), error);
    assert_int_equal(json_integer_value(part(l, "rules", "generation")), 2);
    assert_string_equal(json_string_value(part(l, "rules", "as_of")), "2026-01");
    assert_int_equal(json_integer_value(part(l, "index", "generation")), 3);
    json_decref(l);
    r = post_shipment(body, (long)n);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, changed.body);
    resp_free(&r);
    r = request(&srv, "GET", "/metrics", "/metrics", AUTH_NONE, NULL, NULL, -1, 0);
    assert_non_null(strstr(r.body, "\ncordon_reload_last_failed 1\n"));
    resp_free(&r);
    char *log = read_all(srv.log, NULL);
    assert_non_null(strstr(log, "cordon serve: rules reload FAILED, old rules kept: "));
    free(log);

    /* a broken included file is the rules' failure too */
    write_all(tmp_path("rules/rules.json"), good, len);
    size_t plen;
    char *places = read_all(tmp_path("rules/places.json"), &plen);
    assert_non_null(places);
    static const char bad_places[] =
        "{\"format\": \"cordon-rules\", \"version\": 1, \"places\": [{\"name\": \"Nampo\"}]}";
    write_all(tmp_path("rules/places.json"), bad_places, sizeof bad_places - 1);
    r = reload(&srv);
    expect_error(&r, 500, "internal");
    assert_non_null(strstr(error_message_of(&r), "the previous rules are still in use: "
                                                 "places.json"));
    resp_free(&r);
    r = post_shipment(body, (long)n);
    assert_string_equal(r.body, changed.body);
    resp_free(&r);

    /* all fixed, and SIGHUP: the bundled rules again, and the golden */
    write_all(tmp_path("rules/places.json"), places, plen);
    free(places);
    copy_rules(tmp_path("rules"));
    assert_int_equal(kill(srv.pid, SIGHUP), 0);
    double t0 = now_s();
    for (;;) {
        l = lists_of(&srv);
        if (json_integer_value(part(l, "reload", "ok")) == 2)
            break;
        json_decref(l);
        assert_true(now_s() - t0 < 60);
        sleep_ms(100);
    }
    assert_string_equal(json_string_value(part(l, "reload", "status")), "ok");
    assert_int_equal(json_integer_value(part(l, "rules", "generation")), 3);
    assert_string_equal(json_string_value(part(l, "rules", "as_of")), "2025-06");
    assert_true(json_is_null(part(l, "rules", "error")));
    json_decref(l);
    char *golden = kim_golden();
    r = post_shipment(body, (long)n);
    assert_string_equal(r.body, golden);
    resp_free(&r);
    free(golden);
    free(good);
    resp_free(&changed);
    free(body);
}

static void test_rules_appear(void **state)
{
    (void)state;
    /* $CORDON_RULES names a file that is not there: the server runs,
     * says so, and refuses shipments */
    char *log = read_all(bare.log, NULL);
    assert_non_null(strstr(log, "cordon serve: trade-control rules NOT LOADED, POST /shipment "
                                "answers 503 until a reload loads them: "));
    free(log);
    size_t n;
    char *body = kim_body(&n);
    resp r = post_shipment_to(&bare, body, (long)n);
    expect_error(&r, 503, "unavailable");
    assert_true(!strncmp(error_message_of(&r), "no trade-control rules: rules.json: ", 36));
    resp_free(&r);
    json_t *l = lists_of(&bare);
    assert_string_equal(json_string_value(part(l, "rules", "status")), "none");
    assert_true(json_is_null(part(l, "rules", "file")));
    assert_true(json_is_null(part(l, "rules", "as_of")));
    assert_int_equal(json_integer_value(part(l, "rules", "rules")), 0);
    assert_true(json_is_string(part(l, "rules", "error")));
    json_decref(l);
    /* a reload while it is still missing fails; the index reloads */
    r = reload(&bare);
    expect_error(&r, 500, "internal");
    assert_true(!strncmp(error_message_of(&r),
                         "reload failed, POST /shipment has no rules: rules.json: ", 56));
    resp_free(&r);
    /* once it is there, a reload loads it */
    copy_rules(tmp_path("later"));
    r = reload(&bare);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    l = lists_of(&bare);
    assert_string_equal(json_string_value(part(l, "rules", "status")), "loaded");
    assert_int_equal(json_integer_value(part(l, "rules", "generation")), 1);
    assert_int_equal(json_integer_value(part(l, "index", "generation")), 3);
    json_decref(l);
    char *golden = kim_golden();
    r = post_shipment_to(&bare, body, (long)n);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, golden);
    resp_free(&r);
    free(golden);
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_cli),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_rules_in_lists),
        cmocka_unit_test(test_rules_reload),
        cmocka_unit_test(test_rules_appear),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
