/*
 * goods.c — what a goods line is: HS codes as written, and the
 * classification of descriptions that come without one.
 *
 * Descriptions are folded once (utf8proc: compatibility composition,
 * case fold, accents stripped) and cut into words, runs of letters and
 * digits; every other character separates, so "Rolls-Royce" is the two
 * words "rolls royce" and cannot match inside "payrolls". A keyword
 * matches a run of whole words, and each word also matches its English
 * plural (yacht/yachts, tapestry/tapestries, bus/buses): smugglers'
 * manifests say "3 units Maybachs". Keyword phrases are found through an
 * index on their first word (rules.c builds it), so classifying costs a
 * hash probe or two per word of the description, not a scan of every
 * keyword. An entry whose "unless" phrase occurs anywhere in the
 * description is dropped: "Rolls-Royce Trent aero engine" is not a car.
 */
#include "shipment_int.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

static bool is_word_char(utf8proc_int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
        return true;
    default:
        return false;
    }
}

int cordon__fold_words(const char *s, size_t len, cordon__buf *out, cordon__vec *words)
{
    out->len = 0;
    if (cordon__buf_terminate(out))
        return CORDON_ENOMEM;
    if (len == 0)
        return 0;
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &folded,
                                      UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                          UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
    if (n < 0)
        return n == UTF8PROC_ERROR_NOMEM ? CORDON_ENOMEM : CORDON_EUTF8;
    int rc = 0;
    utf8proc_ssize_t i = 0;
    bool in_word = false;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t step = utf8proc_iterate(folded + i, n - i, &cp);
        if (step <= 0) { /* utf8proc_map produced it, so it is valid */
            rc = CORDON_EUTF8;
            break;
        }
        if (is_word_char(cp)) {
            if (!in_word) {
                if (out->len && cordon__buf_putc(out, ' ')) {
                    rc = CORDON_ENOMEM;
                    break;
                }
                cordon__word *w = cordon__vec_push(words, sizeof *w);
                if (!w) {
                    rc = CORDON_ENOMEM;
                    break;
                }
                w->off = out->len;
                in_word = true;
            }
            if (cordon__buf_append(out, folded + i, (size_t)step)) {
                rc = CORDON_ENOMEM;
                break;
            }
            ((cordon__word *)words->items)[words->count - 1].len += (size_t)step;
        } else {
            in_word = false;
        }
        i += step;
    }
    free(folded);
    if (!rc && cordon__buf_terminate(out))
        rc = CORDON_ENOMEM;
    return rc;
}

int cordon__fold_key(const char *s, size_t len, cordon__buf *key)
{
    cordon__buf b = {0};
    cordon__vec words = {0};
    key->len = 0;
    int rc = cordon__fold_words(s, len, &b, &words);
    if (!rc && words.count == 0)
        rc = CORDON_EEMPTY;
    const cordon__word *w = words.items;
    for (size_t i = 0; !rc && i < words.count; i++)
        if (cordon__buf_append(key, b.data + w[i].off, w[i].len))
            rc = CORDON_ENOMEM;
    if (!rc && cordon__buf_terminate(key))
        rc = CORDON_ENOMEM;
    cordon__buf_free(&b);
    cordon__vec_free(&words);
    return rc;
}

int cordon__hs_normalize(const char *s, size_t len, char out[11])
{
    size_t n = 0;
    bool after_digit = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (n == 10)
                return -1;
            out[n++] = c;
            after_digit = true;
        } else if ((c == '.' || c == ' ' || c == '-') && after_digit && i + 1 < len &&
                   s[i + 1] >= '0' && s[i + 1] <= '9') {
            after_digit = false; /* one separator between digits */
        } else {
            return -1;
        }
    }
    out[n] = '\0';
    if (n < 6)
        return -1;
    if ((out[0] == '0' && out[1] == '0') || (out[0] == '7' && out[1] == '7'))
        return -1;
    return 0;
}

/* Does the description word w[0..len) equal the keyword word kw, or is
 * it its plural? */
static bool word_eq(const char *w, size_t len, const char *kw)
{
    size_t k = strlen(kw);
    if (len == k && memcmp(w, kw, k) == 0)
        return true;
    if (len == k + 1 && w[k] == 's' && memcmp(w, kw, k) == 0)
        return true;
    if (len == k + 2 && w[k] == 'e' && w[k + 1] == 's' && memcmp(w, kw, k) == 0)
        return true;
    /* tapestries -> tapestry */
    if (k >= 2 && kw[k - 1] == 'y' && len == k + 2 && memcmp(w, kw, k - 1) == 0 &&
        memcmp(w + k - 1, "ies", 3) == 0)
        return true;
    return false;
}

/* Does phrase p occur at words[i..]? */
static bool phrase_at(const char *text, const cordon__word *words, size_t n, size_t i,
                      const cordon__phrase *p)
{
    if (i + p->n_words > n)
        return false;
    for (size_t j = 0; j < p->n_words; j++)
        if (!word_eq(text + words[i + j].off, words[i + j].len, p->words[j]))
            return false;
    return true;
}

int cordon__classify(const cordon_rules *rules, const char *s, size_t len,
                     cordon__hs_hit *hits)
{
    if (!rules || rules->n_keywords == 0 || len == 0)
        return 0;
    cordon__buf b = {0};
    cordon__vec words = {0};
    int rc = cordon__fold_words(s, len, &b, &words);
    /* per keyword entry: 0 untouched, 1 matched, 2 suppressed by "unless" */
    unsigned char *state = rc ? NULL : calloc(rules->n_keywords, 1);
    size_t *first = rc ? NULL : calloc(rules->n_keywords, sizeof *first);
    if (!rc && (!state || !first))
        rc = CORDON_ENOMEM;
    const cordon__word *w = words.items;
    for (size_t i = 0; !rc && i < words.count; i++) {
        const char *word = b.data + w[i].off;
        size_t wl = w[i].len;
        /* the word and the singulars it may be the plural of */
        char stem[64];
        struct { const char *p; size_t n; } forms[4];
        size_t nf = 0;
        forms[nf].p = word, forms[nf++].n = wl;
        if (wl > 2 && word[wl - 1] == 's')
            forms[nf].p = word, forms[nf++].n = wl - 1;
        if (wl > 3 && word[wl - 2] == 'e' && word[wl - 1] == 's')
            forms[nf].p = word, forms[nf++].n = wl - 2;
        if (wl > 4 && wl < sizeof stem && memcmp(word + wl - 3, "ies", 3) == 0) {
            memcpy(stem, word, wl - 3);
            stem[wl - 3] = 'y';
            forms[nf].p = stem, forms[nf++].n = wl - 2;
        }
        for (size_t f = 0; f < nf; f++) {
            const cordon__phrase_ref *ref =
                cordon__strmap_get(&rules->phrase_index, forms[f].p, forms[f].n);
            for (; ref; ref = ref->next) {
                const cordon__keyword *kw = &rules->keywords[ref->keyword];
                const cordon__phrase *p = ref->unless ? &kw->unless[ref->phrase]
                                                      : &kw->words[ref->phrase];
                if (!phrase_at(b.data, w, words.count, i, p))
                    continue;
                if (ref->unless) {
                    state[ref->keyword] = 2;
                } else if (state[ref->keyword] == 0) {
                    state[ref->keyword] = 1;
                    first[ref->keyword] = ref->phrase;
                } else if (state[ref->keyword] == 1 && ref->phrase < first[ref->keyword]) {
                    first[ref->keyword] = ref->phrase; /* report the keyword listed first */
                }
            }
        }
    }
    int count = 0;
    for (size_t k = 0; !rc && k < rules->n_keywords && count < CORDON__MAX_HITS; k++) {
        if (state[k] != 1)
            continue;
        const cordon__keyword *kw = &rules->keywords[k];
        hits[count++] = (cordon__hs_hit){kw->hs, kw->label, kw->words[first[k]].text, kw->certain};
    }
    free(state);
    free(first);
    cordon__buf_free(&b);
    cordon__vec_free(&words);
    return rc ? rc : count;
}
