/*
 * test_ofac_score.c — OFAC parity (`--algorithm ofac`): the 170 real
 * (query, result, score) triples from OFAC's Sanctions List Search in
 * ../shared/data/eval/ofac_search_scores, plus a few exact values.
 */
#include "test_util.h"

#include "index_int.h"

static double ofac(const char *a, const char *b)
{
    return cordon__ofac_score(a, strlen(a), b, strlen(b));
}

static void test_exact_values(void **state)
{
    (void)state;
    assert_float_equal(ofac("VLADIMIR PUTIN", "PUTIN, Vladimir"), 1.00, 1e-9);
    assert_float_equal(ofac("GEORGE BUSH", "HASWANI, George"), 0.50, 1e-9);
    assert_float_equal(ofac("KIM JONG UN", "KIM, Jong Un"), 1.00, 1e-9);
    assert_float_equal(ofac("Владимир Путин", "PUTIN, Vladimir"), 0.0, 1e-9);
    assert_float_equal(ofac("", "PUTIN, Vladimir"), 0.0, 1e-9);
    assert_float_equal(ofac("...", "X"), 0.0, 1e-9);
}

/* Splits one CSV line of three fields (the middle one may be quoted). */
static int parse3(char *line, char **f)
{
    int n = 0;
    char *p = line;
    while (n < 3) {
        if (*p == '"') {
            char *q = ++p, *w = p;
            while (*q && !(*q == '"' && q[1] != '"')) {
                if (*q == '"')
                    q++;
                *w++ = *q++;
            }
            int closed = *q == '"';
            *w = '\0';
            f[n++] = p;
            p = q + closed;
        } else {
            f[n++] = p;
            p += strcspn(p, ",\r\n");
        }
        if (*p != ',')
            break;
        *p++ = '\0';
    }
    f[n - 1][strcspn(f[n - 1], "\r\n")] = 0;
    return n;
}

static void test_fixtures(void **state)
{
    (void)state;
    const char *shared = test_shared_data();
    if (!shared)
        fail_msg("../shared/data not found");
    char path[512];
    snprintf(path, sizeof path, "%s/eval/ofac_search_scores/ofac_fixtures.csv", shared);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[1024];
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    int rows = 0, pos = 0, neg = 0, neg_below = 0, within5 = 0;
    double abs_err = 0.0;
    while (fgets(line, sizeof line, f)) {
        char *fld[3];
        if (parse3(line, fld) != 3)
            continue;
        rows++;
        int want = atoi(fld[2]);
        double got = ofac(fld[0], fld[1]);
        if (want < 0) {
            /* OFAC did not show it at its slider of 80 */
            neg++;
            neg_below += got < 0.80;
            continue;
        }
        pos++;
        double e = got - want / 100.0;
        abs_err += e < 0 ? -e : e;
        within5 += (e < 0 ? -e : e) <= 0.05 + 1e-9;
    }
    fclose(f);
    assert_int_equal(rows, 170);
    assert_int_equal(pos, 164);
    assert_int_equal(neg, 6);
    double mae = abs_err / pos;
    printf("OFAC parity: MAE %.4f over %d scored triples, %d within 5 points, %d/%d "
           "negatives below 0.80\n",
           mae, pos, within5, neg_below, neg);
    assert_true(mae <= 0.03);
    assert_true(within5 >= 150);
    assert_true(neg_below >= 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_values),
        cmocka_unit_test(test_fixtures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
