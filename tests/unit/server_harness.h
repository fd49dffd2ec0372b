/*
 * server_harness.h — what tests/unit/test_server.c needs to drive a real
 * `cordon serve`: temporary files, running the cordon program, starting
 * and stopping servers on ephemeral ports, a reader for just enough of
 * docs/openapi.yaml (paths, methods, response codes and their schemas,
 * and each schema's required keys), and an HTTP client on libcurl that
 * checks every response against that document. Included by that one
 * test only.
 */
#ifndef SERVER_HARNESS_H
#define SERVER_HARNESS_H

#include "test_util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <strings.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#define KEY "cordon-test-key-5e1f0c"
#define KEY2 "second-key-for-tests"
#define OPENAPI "docs/openapi.yaml"

/* ---- small helpers ----------------------------------------------------- */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_ms(int ms)
{
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 65536 + 1 > cap) {
            cap = cap ? cap * 2 : 131072;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static void write_all(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static const char *cli(void)
{
    const char *p = getenv("CORDON_CLI");
    return p && *p ? p : "build/san/cordon";
}

static char tmpdir[64];

static char *tmp_path(const char *name)
{
    static char bufs[8][320];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, sizeof bufs[0], "%s/%s", tmpdir, name);
    return b;
}

/* Runs the cordon program with args; captures stdout and stderr. */
static int run_cli(const char *const *args, const char *input, char **out, char **err)
{
    char out_path[300], err_path[300], in_path[300];
    snprintf(out_path, sizeof out_path, "%s/cli.out", tmpdir);
    snprintf(err_path, sizeof err_path, "%s/cli.err", tmpdir);
    snprintf(in_path, sizeof in_path, "%s/cli.in", tmpdir);
    write_all(in_path, input ? input : "", input ? strlen(input) : 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int in = open(in_path, O_RDONLY);
        int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || o < 0 || e < 0)
            _exit(127);
        dup2(in, 0);
        dup2(o, 1);
        dup2(e, 2);
        const char *argv[40];
        size_t n = 0;
        argv[n++] = cli();
        for (size_t i = 0; args[i] && n < 39; i++)
            argv[n++] = args[i];
        argv[n] = NULL;
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (out)
        *out = read_all(out_path, NULL);
    if (err)
        *err = read_all(err_path, NULL);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- servers ------------------------------------------------------------ */

typedef struct server {
    const char *name;
    pid_t pid;
    unsigned port;
    char log[320];
} server;

static void print_log_tail(const server *s)
{
    size_t n = 0;
    char *log = read_all(s->log, &n);
    if (log)
        fprintf(stderr, "---- log of server %s (last 3000 bytes) ----\n%s\n", s->name,
                n > 3000 ? log + n - 3000 : log);
    free(log);
}

static void server_start(server *s, const char *const *args)
{
    snprintf(s->log, sizeof s->log, "%s/%s.log", tmpdir, s->name);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int e = open(s->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int o = open("/dev/null", O_WRONLY);
        if (e < 0 || o < 0)
            _exit(127);
        dup2(o, 0);
        dup2(o, 1);
        dup2(e, 2);
        const char *argv[48];
        size_t n = 0;
        argv[n++] = cli();
        argv[n++] = "serve";
        argv[n++] = "--port";
        argv[n++] = "0";
        for (size_t i = 0; args[i] && n < 47; i++)
            argv[n++] = args[i];
        argv[n] = NULL;
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    s->pid = pid;
    double t0 = now_s();
    for (;;) {
        char *log = read_all(s->log, NULL);
        const char *p = log ? strstr(log, "listening on http://127.0.0.1:") : NULL;
        if (p) {
            s->port = (unsigned)atoi(p + strlen("listening on http://127.0.0.1:"));
            free(log);
            break;
        }
        free(log);
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            print_log_tail(s);
            s->pid = 0;
            fail_msg("server %s exited before listening", s->name);
        }
        if (now_s() - t0 > 300) {
            print_log_tail(s);
            fail_msg("server %s did not listen within 300 s", s->name);
        }
        sleep_ms(50);
    }
    assert_true(s->port > 0);
}

/* Stops a server; its exit status, after printing the log when it is
 * not 0 (under ASan that includes leaks). */
static int server_stop(server *s)
{
    if (!s->pid)
        return 0;
    kill(s->pid, SIGTERM);
    int status = 0;
    double t0 = now_s();
    while (waitpid(s->pid, &status, WNOHANG) == 0) {
        if (now_s() - t0 > 60) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, &status, 0);
            print_log_tail(s);
            s->pid = 0;
            fprintf(stderr, "server %s did not stop on SIGTERM\n", s->name);
            return -1;
        }
        sleep_ms(20);
    }
    s->pid = 0;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (code) {
        print_log_tail(s);
        fprintf(stderr, "server %s exited with status %d (ASan or a leak?)\n", s->name, code);
    }
    return code;
}

/* ---- the OpenAPI document, read just enough ------------------------------ */

typedef struct oa_op {
    char path[64];
    char method[8];
    int n;
    int codes[16];
    char schema[16][48];
} oa_op;

typedef struct oa_schema {
    char name[48];
    int n;
    char required[24][32];
} oa_schema;

static oa_op ops[40];
static int n_ops;
static oa_schema schemas[48];
static int n_schemas;

static void openapi_read(void)
{
    char *doc = read_all(OPENAPI, NULL);
    assert_non_null(doc);
    enum { NONE, PATHS, COMPONENTS, SCHEMAS } where = NONE;
    char path[64] = "";
    oa_op *op = NULL;
    oa_schema *sc = NULL;
    int code = -1;
    char *save = NULL;
    for (char *line = strtok_r(doc, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        int indent = 0;
        while (line[indent] == ' ')
            indent++;
        char *t = line + indent;
        size_t len = strlen(t);
        if (!len || t[0] == '#')
            continue;
        if (indent == 0) {
            where = !strcmp(t, "paths:") ? PATHS : !strcmp(t, "components:") ? COMPONENTS : NONE;
            op = NULL;
            continue;
        }
        if (where == PATHS) {
            static const char *const methods[] = {"get:", "post:", "put:", "delete:",
                                                  "head:", "patch:"};
            if (indent == 2 && t[0] == '/' && t[len - 1] == ':') {
                snprintf(path, sizeof path, "%.*s", (int)len - 1, t);
                op = NULL;
                code = -1;
            } else if (indent == 4 && path[0]) {
                for (size_t i = 0; i < 6; i++)
                    if (!strcmp(t, methods[i])) {
                        assert_true(n_ops < 40);
                        op = &ops[n_ops++];
                        snprintf(op->path, sizeof op->path, "%s", path);
                        snprintf(op->method, sizeof op->method, "%.*s",
                                 (int)strlen(methods[i]) - 1, methods[i]);
                        op->n = 0;
                        code = -1;
                    }
            } else if (indent == 8 && op && t[0] == '\'' && len == 6 && t[4] == '\'') {
                assert_true(op->n < 16);
                code = op->n++;
                op->codes[code] = atoi(t + 1);
                op->schema[code][0] = '\0';
            } else if (indent > 8 && op && code >= 0 && strstr(t, "#/components/schemas/")) {
                if (!op->schema[code][0]) {
                    const char *name = strstr(t, "#/components/schemas/") + 21;
                    snprintf(op->schema[code], sizeof op->schema[code], "%.*s",
                             (int)strcspn(name, "'\""), name);
                }
            } else if (indent <= 6) {
                code = -1; /* parameters, requestBody, ...: not a response */
            }
        } else if (where == COMPONENTS || where == SCHEMAS) {
            if (indent == 2)
                where = !strcmp(t, "schemas:") ? SCHEMAS : COMPONENTS;
            else if (where == SCHEMAS && indent == 4 && t[len - 1] == ':') {
                assert_true(n_schemas < 48);
                sc = &schemas[n_schemas++];
                snprintf(sc->name, sizeof sc->name, "%.*s", (int)len - 1, t);
            } else if (where == SCHEMAS && indent == 6 && sc && !strncmp(t, "required: [", 11)) {
                char list[600];
                snprintf(list, sizeof list, "%s", t + 11);
                char *end = strchr(list, ']');
                assert_non_null(end);
                *end = '\0';
                char *s2 = NULL;
                for (char *w = strtok_r(list, ", ", &s2); w; w = strtok_r(NULL, ", ", &s2)) {
                    assert_true(sc->n < 24);
                    snprintf(sc->required[sc->n++], sizeof sc->required[0], "%s", w);
                }
            }
        }
    }
    free(doc);
    assert_true(n_ops >= 11);
    assert_true(n_schemas >= 10);
}

static const oa_schema *schema_named(const char *name)
{
    for (int i = 0; i < n_schemas; i++)
        if (!strcmp(schemas[i].name, name))
            return &schemas[i];
    fail_msg("openapi.yaml has no schema %s", name);
    return NULL;
}

/* Checks the object has every key its schema requires. */
static void check_required(const char *schema, json_t *obj)
{
    const oa_schema *sc = schema_named(schema);
    if (!json_is_object(obj))
        fail_msg("a %s is not a JSON object", schema);
    for (int i = 0; i < sc->n; i++)
        if (!json_object_get(obj, sc->required[i]))
            fail_msg("a %s has no \"%s\", which openapi.yaml requires", schema, sc->required[i]);
}

static const oa_op *op_for(const char *path, const char *method)
{
    for (int i = 0; i < n_ops; i++)
        if (!strcmp(ops[i].path, path) && !strcasecmp(ops[i].method, method))
            return &ops[i];
    return NULL;
}

/* ---- HTTP ------------------------------------------------------------------ */

typedef struct resp {
    long status;
    char *body;
    size_t len;
    char *headers;
    size_t hlen;
    json_t *json; /* parsed when the body is JSON */
} resp;

static size_t sink(char *p, size_t size, size_t n, void *cls)
{
    char **buf = cls;
    size_t *len = (size_t *)(buf + 1);
    size_t add = size * n;
    char *b = realloc(*buf, *len + add + 1);
    if (!b)
        return 0;
    memcpy(b + *len, p, add);
    *len += add;
    b[*len] = '\0';
    *buf = b;
    return add;
}

typedef struct chunked {
    size_t left;
} chunked;

static size_t chunk_source(char *buf, size_t size, size_t n, void *cls)
{
    chunked *c = cls;
    size_t k = size * n < c->left ? size * n : c->left;
    memset(buf, ' ', k);
    c->left -= k;
    return k;
}

static void resp_free(resp *r)
{
    free(r->body);
    free(r->headers);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

enum { AUTH_NONE = 0, AUTH_BEARER, AUTH_XKEY };

/* When set, a transport failure gives status 0 instead of failing the
 * test (for code that must reach a pthread_join first). */
static int soft_curl_errors;

/*
 * One request. `doc_path` names the operation in openapi.yaml (e.g.
 * "/entities/{id}"), or is NULL for paths that are not documented. The
 * response must be documented there (a 405 for other methods), and its
 * JSON must have the keys its schema requires.
 */
static resp request(const server *s, const char *method, const char *target,
                    const char *doc_path, int auth, const char *const *headers,
                    const char *body, long body_len, size_t chunked_len)
{
    char url[16384];
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", s->port, target);
    CURL *c = curl_easy_init();
    assert_non_null(c);
    struct {
        char *buf;
        size_t len;
    } out = {0}, hdr = {0};
    struct curl_slist *h = NULL;
    if (auth == AUTH_BEARER)
        h = curl_slist_append(h, "Authorization: Bearer " KEY);
    else if (auth == AUTH_XKEY)
        h = curl_slist_append(h, "X-API-Key: " KEY2);
    for (size_t i = 0; headers && headers[i]; i++)
        h = curl_slist_append(h, headers[i]);
    chunked ch = {chunked_len};
    if (chunked_len) {
        h = curl_slist_append(h, "Transfer-Encoding: chunked");
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, chunk_source);
        curl_easy_setopt(c, CURLOPT_READDATA, &ch);
    } else if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, body_len >= 0 ? body_len : (long)strlen(body));
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (!strcmp(method, "HEAD"))
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &hdr);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 300L);
    CURLcode rc = curl_easy_perform(c);
    resp r = {0};
    if (rc != CURLE_OK && soft_curl_errors) {
        fprintf(stderr, "%s %s on server %s: %s\n", method, target, s->name,
                curl_easy_strerror(rc));
        curl_easy_cleanup(c);
        curl_slist_free_all(h);
        free(out.buf);
        free(hdr.buf);
        return r;
    }
    if (rc != CURLE_OK)
        fail_msg("%s %s on server %s: %s", method, target, s->name, curl_easy_strerror(rc));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_easy_cleanup(c);
    curl_slist_free_all(h);
    r.body = out.buf ? out.buf : strdup("");
    r.len = out.len;
    r.headers = hdr.buf ? hdr.buf : strdup("");
    r.hlen = hdr.len;
    if (strcasestr(r.headers, "Content-Type: application/json") && strcmp(method, "HEAD")) {
        json_error_t e;
        r.json = json_loadb(r.body, r.len, 0, &e);
        if (!r.json)
            fail_msg("%s %s: the body is not JSON: %s", method, target, e.text);
        assert_true(r.len > 0 && r.body[r.len - 1] == '\n'); /* one line and a newline */
        assert_null(memchr(r.body, '\n', r.len - 1));
    }
    if (r.status >= 400) {
        /* errors: JSON {"error": {"code", "message"}}, no paths, no traces */
        if (!r.json)
            fail_msg("%s %s: error %ld is not JSON", method, target, r.status);
        check_required("Error", r.json);
        json_t *e = json_object_get(r.json, "error");
        assert_true(json_is_string(json_object_get(e, "code")));
        const char *msg = json_string_value(json_object_get(e, "message"));
        assert_non_null(msg);
        assert_null(strstr(msg, tmpdir));
        assert_null(strstr(msg, "/work/"));
        assert_null(strstr(msg, "/tmp/"));
        assert_null(strstr(msg, ".c:"));
    }
    if (doc_path) {
        const oa_op *op = op_for(doc_path, method);
        if (!op && !strcmp(method, "HEAD"))
            op = op_for(doc_path, "get");
        if (!op) {
            if (r.status != 405)
                fail_msg("%s %s answered %ld; openapi.yaml has no %s there", method, target,
                         r.status, method);
        } else {
            int k = 0;
            while (k < op->n && op->codes[k] != r.status)
                k++;
            if (k == op->n)
                fail_msg("%s %s answered %ld, which openapi.yaml does not document", method,
                         doc_path, r.status);
            if (op->schema[k][0] && strcmp(method, "HEAD"))
                check_required(op->schema[k], r.json);
        }
    }
    return r;
}

static resp get(const server *s, const char *target, const char *doc_path)
{
    return request(s, "GET", target, doc_path, AUTH_BEARER, NULL, NULL, -1, 0);
}

static resp post(const server *s, const char *target, const char *doc_path, const char *body)
{
    return request(s, "POST", target, doc_path, AUTH_BEARER, NULL, body, -1, 0);
}

static const char *error_code_of(const resp *r)
{
    return json_string_value(json_object_get(json_object_get(r->json, "error"), "code"));
}

static const char *error_message_of(const resp *r)
{
    return json_string_value(json_object_get(json_object_get(r->json, "error"), "message"));
}

static void expect_error(const resp *r, long status, const char *code)
{
    if (r->status != status)
        fail_msg("expected %ld %s, got %ld: %s", status, code, r->status, r->body);
    assert_string_equal(error_code_of(r), code);
}

static int has_header(const resp *r, const char *line)
{
    return strcasestr(r->headers, line) != NULL;
}

#endif
