/*
 * monitor_int.h — the monitor's retrieval keys (monitor_keys.c), shared
 * with monitor.c and the tests and fuzz target that check them.
 */
#ifndef CORDON_MONITOR_INT_H
#define CORDON_MONITOR_INT_H

#include "cordon_int.h"

/*
 * Writes the signature of a query into out (replacing its content): the
 * strings screening would look up in the index for its name (analysed as
 * cordon_screen analyses it) and identifiers, and its type, whether it
 * gives a birth date, and its country code. Errors are those of
 * cordon_name_analyze, or CORDON_ENOMEM.
 */
int cordon__sig_build(const cordon_query *query, cordon__buf *out, cordon_error *err);

/*
 * Hex SHA-256 naming how this cordon builds signatures: its version, the
 * signature layout, and the signatures of a fixed set of names in many
 * scripts and shapes. Signatures made by a cordon with another value may
 * lack slots this one would look up (a new form, a token read another
 * way), so a monitor run then screens every customer again.
 * CORDON_ENOMEM (or an analysis error) on failure.
 */
int cordon__sig_engine(char out[65]);

/* Calls fn with every 64-bit key of a signature; *has_initial (may be
 * NULL) tells whether the name has a one-letter token. CORDON_ECORRUPT
 * for a malformed signature (a damaged database row). */
int cordon__sig_keys(const void *sig, size_t len, void (*fn)(void *ctx, uint64_t key),
                     void *ctx, bool *has_initial);

/*
 * What changed: every key under which the index files a term of the
 * changed entities' names, mapped to those terms, and those names with
 * their token weights, to bound how much of each a customer can cover
 * (monitor_keys.c says how). Used by one thread at a time.
 */
typedef struct cordon__changeset {
    const cordon_index *idx;
    double threshold;
    uint8_t *term_flags;   /* per index term: 1 when a changed name has it */
    uint32_t *slots;       /* open addressing: key -> first pair + 1 */
    size_t cap_slots, n_keys, n_pairs;
    bool built;
    int failed;
    struct cordon__changeset_impl *impl;
} cordon__changeset;

/* The scratch of one customer check: one per thread. */
typedef struct cordon__check cordon__check;
cordon__check *cordon__check_new(void);
void cordon__check_free(cordon__check *ck);

/* CORDON_ENOMEM or 0; free with cordon__changeset_free either way. */
int cordon__changeset_init(cordon__changeset *cs, const cordon_index *idx, double threshold);
void cordon__changeset_free(cordon__changeset *cs);
/* Adds entity `entity` of the changeset's index. CORDON_ENOMEM,
 * CORDON_EINVAL. */
int cordon__changeset_add_entity(cordon__changeset *cs, size_t entity);
/* Fetches into the cache what checking this signature will read first
 * (call one row ahead). Reads a damaged signature safely. */
void cordon__changeset_prefetch(cordon__check *ck, const void *sig, size_t len);
/* Number of (key, term) pairs collected so far: 0 when nothing changed. */
size_t cordon__changeset_keys(const cordon__changeset *cs);
/* Sorts and indexes what was added: call once after the last
 * cordon__changeset_add_entity, before checks (which may then run on
 * several threads, each with its own cordon__check). CORDON_ENOMEM. */
int cordon__changeset_build(cordon__changeset *cs);
/* 1 when a customer with this signature may match a changed entity at
 * the threshold, 0 when it cannot; CORDON_ECORRUPT for a damaged
 * signature, CORDON_ENOMEM, CORDON_EINVAL before the build. */
int cordon__changeset_meets(const cordon__changeset *cs, cordon__check *ck, const void *sig,
                            size_t len);

#endif
