/*
 * test_server_shipment.c — POST /shipment of `cordon serve` end to end,
 * with the harness of test_server.c: a real server on an ephemeral
 * loopback port (the program named by $CORDON_CLI), the bundled lists
 * and rules. The body of a decision is byte for byte what `cordon
 * shipment --json` prints (the golden of tests/shipment/
 * acceptance_kim_json); refusals are JSON errors naming the field.
 */
#pragma GCC diagnostic ignored "-Wunused-function" /* the harness serves several tests */
#include "server_harness.h"

static server srv = {.name = "shipment"};

static void kill_server(void)
{
    if (srv.pid > 0) {
        kill(srv.pid, SIGKILL);
        waitpid(srv.pid, NULL, 0);
        srv.pid = 0;
    }
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cordon-shpsrv-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    atexit(kill_server);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    openapi_read();
    if (access("build/default.cordon", R_OK) != 0) {
        const char *build[] = {"build", "--lists", "data/lists.conf", "-o",
                               tmp_path("lists.cordon"), NULL};
        assert_int_equal(run_cli(build, NULL, NULL, NULL), 0);
    }
    const char *index = access("build/default.cordon", R_OK) == 0 ? "build/default.cordon"
                                                                  : tmp_path("lists.cordon");
    const char *args[] = {"--index", index, "--no-auth", NULL};
    setenv("CORDON_RULES", "data/rules/rules.json", 1);
    server_start(&srv, args);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int bad = server_stop(&srv) != 0;
    curl_global_cleanup();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    bad |= system(cmd) != 0;
    return bad ? -1 : 0;
}

static resp post_shipment(const char *body, long len)
{
    return request(&srv, "POST", "/shipment", NULL, AUTH_NONE, NULL, body, len, 0);
}

static void test_same_as_cli(void **state)
{
    (void)state;
    size_t n;
    char *body = read_all("tests/shipment/acceptance_kim/input.json", &n);
    char *want = read_all("tests/shipment/acceptance_kim_json/expected.out", NULL);
    assert_non_null(body);
    assert_non_null(want);
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

    r = request(&srv, "GET", "/shipment", NULL, AUTH_NONE, NULL, NULL, -1, 0);
    expect_error(&r, 405, "method_not_allowed");
    assert_true(has_header(&r, "Allow: POST"));
    resp_free(&r);

    /* counted under their own endpoint */
    r = request(&srv, "GET", "/metrics", NULL, AUTH_NONE, NULL, NULL, -1, 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "cordon_http_requests_total{endpoint=\"shipment\",status=\"200\"} 2"));
    assert_non_null(strstr(r.body, "cordon_http_requests_total{endpoint=\"shipment\",status=\"400\"} 2"));
    resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_cli),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
