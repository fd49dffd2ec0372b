/*
 * metrics.c — counters for GET /metrics in the Prometheus text format
 * (version 0.0.4): requests by endpoint and status, a latency histogram
 * per endpoint, queries screened and matches returned, reloads, and the
 * age of every loaded list from the date it was published. Counters are
 * relaxed atomics: worker threads only add, and a scrape may see one
 * request's counters half-updated, which Prometheus tolerates. Answers
 * are counted when queued and timed when sent, so a histogram's count
 * can trail cordon_http_requests_total by the requests in flight.
 */
#include "server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned statuses[] = {200, 400, 401, 404, 405, 413, 414, 422, 431, 500, 503};
#define N_STATUS (sizeof statuses / sizeof statuses[0] + 1) /* + "other" */

/* Upper bounds of the latency buckets, in seconds. */
static const double bounds[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                0.025,  0.05,    0.1,    0.25,  0.5,    1,     2.5,
                                5,      10};
#define N_BOUNDS (sizeof bounds / sizeof bounds[0])

static atomic_ulong requests[SRV_EP_COUNT_][N_STATUS];
static atomic_ulong buckets[SRV_EP_COUNT_][N_BOUNDS + 1]; /* not cumulative; last = +Inf */
static atomic_ulong latency_ns[SRV_EP_COUNT_];
static atomic_ulong screened, screened_matched, matches;
static atomic_ulong reloads_ok, reloads_failed;
static atomic_int last_reload_failed;

static const char *const endpoint_names[SRV_EP_COUNT_] = {
    [SRV_EP_PAGE] = "page",       [SRV_EP_SEARCH] = "search",   [SRV_EP_MATCH] = "match",
    [SRV_EP_ENTITIES] = "entities", [SRV_EP_LISTS] = "lists",   [SRV_EP_HEALTHZ] = "healthz",
    [SRV_EP_METRICS] = "metrics", [SRV_EP_RELOAD] = "reload",   [SRV_EP_OTHER] = "other",
    [SRV_EP_SHIPMENT] = "shipment",
};

const char *srv_endpoint_name(srv_endpoint ep)
{
    return (unsigned)ep < SRV_EP_COUNT_ ? endpoint_names[ep] : "other";
}

static size_t status_slot(unsigned status)
{
    for (size_t i = 0; i < N_STATUS - 1; i++)
        if (statuses[i] == status)
            return i;
    return N_STATUS - 1;
}

void srv_metrics_response(srv_endpoint ep, unsigned status)
{
    if ((unsigned)ep >= SRV_EP_COUNT_)
        ep = SRV_EP_OTHER;
    atomic_fetch_add_explicit(&requests[ep][status_slot(status)], 1, memory_order_relaxed);
}

void srv_metrics_latency(srv_endpoint ep, double seconds)
{
    if ((unsigned)ep >= SRV_EP_COUNT_)
        ep = SRV_EP_OTHER;
    size_t b = 0;
    while (b < N_BOUNDS && seconds > bounds[b])
        b++;
    atomic_fetch_add_explicit(&buckets[ep][b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&latency_ns[ep], (unsigned long)(seconds * 1e9),
                              memory_order_relaxed);
}

void srv_metrics_screened(size_t queries, size_t matched, size_t n)
{
    atomic_fetch_add_explicit(&screened, queries, memory_order_relaxed);
    atomic_fetch_add_explicit(&screened_matched, matched, memory_order_relaxed);
    atomic_fetch_add_explicit(&matches, n, memory_order_relaxed);
}

void srv_metrics_reload(int ok)
{
    atomic_fetch_add_explicit(ok ? &reloads_ok : &reloads_failed, 1, memory_order_relaxed);
    atomic_store_explicit(&last_reload_failed, !ok, memory_order_relaxed);
}

static unsigned long get(atomic_ulong *a) { return atomic_load_explicit(a, memory_order_relaxed); }

/* Seconds since the epoch of an ISO date "YYYY[-MM[-DD]]" at 00:00 UTC
 * (a missing month or day counts as the first); -1 when not a date. */
static long long published_epoch(const char *s)
{
    int y = 0, m = 1, d = 1;
    if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) < 1 || y < 1000 || m < 1 || m > 12 ||
        d < 1 || d > 31)
        return -1;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    return (long long)timegm(&tm);
}

static void lists_metrics(FILE *f)
{
    srv_index *h = srv_acquire();
    const cordon_index *idx = h->idx;
    time_t now = time(NULL);
    size_t n = cordon_index_source_count(idx);
    fprintf(f, "# HELP cordon_list_age_seconds Seconds since the loaded list was published.\n"
               "# TYPE cordon_list_age_seconds gauge\n");
    for (size_t i = 0; i < n; i++) {
        const cordon_source_info *s = cordon_index_source(idx, i);
        long long t = published_epoch(s->published);
        if (t >= 0)
            fprintf(f, "cordon_list_age_seconds{source=\"%s\"} %lld\n", s->name,
                    (long long)now - t);
    }
    fprintf(f, "# HELP cordon_list_published_timestamp_seconds Publication date of the list.\n"
               "# TYPE cordon_list_published_timestamp_seconds gauge\n");
    for (size_t i = 0; i < n; i++) {
        const cordon_source_info *s = cordon_index_source(idx, i);
        long long t = published_epoch(s->published);
        if (t >= 0)
            fprintf(f, "cordon_list_published_timestamp_seconds{source=\"%s\"} %lld\n", s->name,
                    t);
    }
    fprintf(f, "# HELP cordon_list_entities Entities loaded from the list.\n"
               "# TYPE cordon_list_entities gauge\n");
    for (size_t i = 0; i < n; i++) {
        const cordon_source_info *s = cordon_index_source(idx, i);
        fprintf(f, "cordon_list_entities{source=\"%s\"} %zu\n", s->name, s->n_entities);
    }
    fprintf(f,
            "# HELP cordon_index_entities Entities in the index being served.\n"
            "# TYPE cordon_index_entities gauge\ncordon_index_entities %zu\n"
            "# HELP cordon_index_generation Loads so far, the first included.\n"
            "# TYPE cordon_index_generation gauge\ncordon_index_generation %lu\n"
            "# HELP cordon_index_loaded_timestamp_seconds When the served index was loaded.\n"
            "# TYPE cordon_index_loaded_timestamp_seconds gauge\n"
            "cordon_index_loaded_timestamp_seconds %lld\n"
            "# HELP cordon_index_info The served index: content hash and origin.\n"
            "# TYPE cordon_index_info gauge\ncordon_index_info{hash=\"%s\",origin=\"%s\"} 1\n",
            cordon_index_entity_count(idx), h->generation, (long long)h->loaded_at,
            cordon_index_hash(idx), srv_holder_origin());
    srv_release(h);
}

char *srv_metrics_render(size_t *len)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return NULL;
    fprintf(f, "# HELP cordon_http_requests_total HTTP requests answered, by endpoint and "
               "status.\n# TYPE cordon_http_requests_total counter\n");
    for (int ep = 0; ep < SRV_EP_COUNT_; ep++)
        for (size_t s = 0; s < N_STATUS; s++) {
            unsigned long v = get(&requests[ep][s]);
            if (!v)
                continue;
            if (s < N_STATUS - 1)
                fprintf(f, "cordon_http_requests_total{endpoint=\"%s\",status=\"%u\"} %lu\n",
                        endpoint_names[ep], statuses[s], v);
            else
                fprintf(f, "cordon_http_requests_total{endpoint=\"%s\",status=\"other\"} %lu\n",
                        endpoint_names[ep], v);
        }
    fprintf(f, "# HELP cordon_http_request_duration_seconds Time from the request line to the "
               "last byte of the response.\n"
               "# TYPE cordon_http_request_duration_seconds histogram\n");
    for (int ep = 0; ep < SRV_EP_COUNT_; ep++) {
        unsigned long cum = 0;
        for (size_t b = 0; b <= N_BOUNDS; b++) {
            cum += get(&buckets[ep][b]);
            if (b < N_BOUNDS)
                fprintf(f,
                        "cordon_http_request_duration_seconds_bucket{endpoint=\"%s\",le=\"%g\"} "
                        "%lu\n",
                        endpoint_names[ep], bounds[b], cum);
            else
                fprintf(f,
                        "cordon_http_request_duration_seconds_bucket{endpoint=\"%s\",le=\"+Inf\"} "
                        "%lu\n",
                        endpoint_names[ep], cum);
        }
        fprintf(f, "cordon_http_request_duration_seconds_sum{endpoint=\"%s\"} %.9f\n",
                endpoint_names[ep], (double)get(&latency_ns[ep]) / 1e9);
        fprintf(f, "cordon_http_request_duration_seconds_count{endpoint=\"%s\"} %lu\n",
                endpoint_names[ep], cum);
    }
    fprintf(f,
            "# HELP cordon_screenings_total Queries screened (by /search and /match).\n"
            "# TYPE cordon_screenings_total counter\ncordon_screenings_total %lu\n"
            "# HELP cordon_screenings_matched_total Queries that had at least one match.\n"
            "# TYPE cordon_screenings_matched_total counter\n"
            "cordon_screenings_matched_total %lu\n"
            "# HELP cordon_matches_total Matches returned.\n"
            "# TYPE cordon_matches_total counter\ncordon_matches_total %lu\n"
            "# HELP cordon_reloads_total Index reloads, by result.\n"
            "# TYPE cordon_reloads_total counter\n"
            "cordon_reloads_total{result=\"ok\"} %lu\ncordon_reloads_total{result=\"failed\"} %lu\n"
            "# HELP cordon_reload_last_failed 1 when the last reload failed (the old index "
            "serves).\n# TYPE cordon_reload_last_failed gauge\ncordon_reload_last_failed %d\n",
            get(&screened), get(&screened_matched), get(&matches), get(&reloads_ok),
            get(&reloads_failed), atomic_load_explicit(&last_reload_failed, memory_order_relaxed));
    lists_metrics(f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    *len = size;
    return buf;
}
