/*
 * fuzz_match_body.c — the validation of POST /match request bodies
 * (server/match_body.c, compiled into this target, since the server is
 * not part of libcordon). Arbitrary bytes must either be refused with a
 * documented status and a message that is valid UTF-8 (it goes into a
 * JSON error), or give 1 to 1,000 queries that cordon_screen can take:
 * a known schema, a name or an identifier, names and ids within their
 * limits, a real date, a known country.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../server/match_body.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_query(const srv_match_query *q)
{
    if (!q->key || !json_is_object(q->echo))
        abort();
    if (q->schema != CORDON_SCHEMA_PERSON && q->schema != CORDON_SCHEMA_ORGANIZATION &&
        q->schema != CORDON_SCHEMA_UNKNOWN && q->schema != CORDON_SCHEMA_VESSEL &&
        q->schema != CORDON_SCHEMA_AIRCRAFT)
        abort();
    if (q->n_names > SRV_MATCH_MAX_NAMES || q->n_ids > CORDON_QUERY_MAX_IDS ||
        (q->n_names == 0 && q->n_ids == 0))
        abort();
    /* strings come from jansson, which refuses NUL inside them */
    for (size_t i = 0; i < q->n_names; i++) {
        if (!q->names[i] || strlen(q->names[i]) != q->name_lens[i])
            abort();
        json_t *s = json_string(q->names[i]); /* the joined name too is UTF-8 */
        if (!s)
            abort();
        json_decref(s);
    }
    for (size_t i = 0; i < q->n_ids; i++)
        if (!q->ids[i].value || strlen(q->ids[i].value) != q->ids[i].len)
            abort();
    if (q->has_dob && (q->dob.year < 1000 || q->dob.year > 2999))
        abort();
    char cc[3];
    if (q->country && cordon_country_lookup(q->country, q->country_len, cc) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    srv_match_body b;
    char msg[800];
    msg[0] = '\0';
    unsigned status = srv_match_body_parse((const char *)data, size, &b, msg, sizeof msg);
    if (status) {
        if (status != 400 && status != 413 && status != 422 && status != 500)
            abort();
        if (b.root || b.queries || b.n)
            abort();
        json_t *s = json_string(msg); /* NULL unless valid UTF-8 */
        if (!msg[0] || !s)
            abort();
        json_decref(s);
        return 0;
    }
    if (!b.root || !b.queries || b.n == 0 || b.n > SRV_MATCH_MAX_QUERIES)
        abort();
    for (size_t i = 0; i < b.n; i++)
        check_query(&b.queries[i]);
    srv_match_body_free(&b);
    return 0;
}
