/*
 * name.c — cordon_name_analyze: one name in, a token list out. It folds
 * the text (text_fold.c), cuts it into tokens, hands them to
 * name_structure.c (which romanizes them with translit.c and works out
 * their roles), adds Double Metaphone and loose keys (phonetic.c) and
 * lays the result out in one arena freed with the analysis.
 *
 * Work is bounded before it starts: more than CORDON_NAME_MAX_BYTES is
 * refused in O(1), more than CORDON_NAME_MAX_TOKENS is refused as soon
 * as the tokenizer counts one too many.
 */
#include "name_int.h"

#include <string.h>
#include <utf8proc.h>

typedef struct analysis {
    cordon_name_analysis pub; /* first: the public pointer is this */
    cordon__arena arena;
} analysis;

static const char *const role_names[CORDON_ROLE_COUNT_] = {
    "unknown", "given", "surname", "patronymic", "particle", "legal_form", "title", "number", "generic", "initial",
};
static const char *const script_names[CORDON_SCRIPT_COUNT_] = {
    "latin", "cyrillic", "greek", "arabic", "hebrew", "hangul", "han", "kana", "georgian", "armenian", "thai", "other",
};

const char *cordon_token_role_name(cordon_token_role role)
{
    return (unsigned)role < CORDON_ROLE_COUNT_ ? role_names[role] : "unknown";
}

const char *cordon_script_name(cordon_script script)
{
    return (unsigned)script < CORDON_SCRIPT_COUNT_ ? script_names[script] : "other";
}

void cordon_name_analysis_free(cordon_name_analysis *a)
{
    if (!a)
        return;
    analysis *an = (analysis *)a;
    cordon__arena arena = an->arena; /* the analysis lives in its own arena */
    cordon__arena_free(&arena);
}

static int word_char(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO);
}

/* Latin and Cyrillic letters that look alike are mixed up in real list
 * entries ("Мiхайлавiч" with a Latin i, "Пëтр" with a Latin ë): one
 * token is not split between them, and its look-alikes are mapped to the
 * script most of its letters are in. */
static int mixable(cordon_script s) { return s == CORDON_SCRIPT_LATIN || s == CORDON_SCRIPT_CYRILLIC; }

static const uint32_t homoglyphs[][2] = { /* Latin, Cyrillic (case folded) */
    {'a', 0x430}, {'b', 0x432}, {'c', 0x441}, {'e', 0x435}, {'h', 0x43D}, {'i', 0x456}, {'k', 0x43A},
    {'m', 0x43C}, {'o', 0x43E}, {'p', 0x440}, {'t', 0x442}, {'x', 0x445}, {'y', 0x443}, {0xEB, 0x451},
    {0xEF, 0x457}, {0x138, 0x43A},
};

/* Writes s with look-alikes unified into out (room for 2 * len + 1);
 * returns the new length. */
static size_t unmix(const char *s, size_t len, char *out)
{
    size_t lat = 0, cyr = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp = cordon__utf8_decode(s, len, &i);
        if (cp < 0)
            break;
        cordon_script sc = cordon__script_of((uint32_t)cp);
        lat += sc == CORDON_SCRIPT_LATIN;
        cyr += sc == CORDON_SCRIPT_CYRILLIC;
    }
    if (!lat || !cyr) {
        memcpy(out, s, len);
        out[len] = '\0';
        return len;
    }
    int to_cyr = cyr > lat;
    cordon__buf b = {.data = out, .len = 0, .cap = 2 * len + 1};
    for (size_t i = 0; i < len;) {
        int32_t cp = cordon__utf8_decode(s, len, &i);
        if (cp < 0)
            break;
        for (size_t h = 0; h < sizeof homoglyphs / sizeof homoglyphs[0]; h++)
            if ((uint32_t)cp == homoglyphs[h][!to_cyr]) {
                cp = (int32_t)homoglyphs[h][to_cyr];
                break;
            }
        if (cordon__utf8_encode(&b, (uint32_t)cp))
            break; /* cannot happen: at most two bytes per byte of input */
    }
    out[b.len] = '\0';
    return b.len;
}

/* Ends the token s[start..end): case folds it and records it. */
static int push_token(cordon__toks *t, const char *s, size_t start, size_t end, int upper, int comma, int group,
                      cordon__buf *fold, cordon_error *err)
{
    if (t->n >= CORDON_NAME_MAX_TOKENS)
        return cordon__fail(err, CORDON_ETOOBIG, NULL, 0, 0, "name has more than %d tokens",
                            CORDON_NAME_MAX_TOKENS);
    cordon__tok *k = cordon__toks_push(t);
    if (!k)
        return CORDON_ENOMEM;
    fold->len = 0;
    int rc = cordon__fold(s + start, end - start, CORDON__FOLD_CASE, fold);
    if (rc)
        return rc;
    char *o = cordon__arena_alloc(t->arena, 2 * fold->len + 1);
    if (!o)
        return CORDON_ENOMEM;
    k->orig = o;
    k->orig_len = unmix(fold->data ? fold->data : "", fold->len, o);
    k->script = cordon__token_script(k->orig, k->orig_len);
    k->upper = upper != 0;
    k->comma = comma;
    k->group = group;
    return 0;
}

/* Cuts folded text into tokens (case kept for the capitals cue);
 * hyphenated runs share a join group; a change of script starts a new
 * token ("ООО«Ромашка»", "Kim김"). */
static int tokenize(cordon__toks *t, const char *s, size_t len, cordon_error *err)
{
    size_t i = 0, start = 0;
    int in = 0, comma = 0, group = 0, next_group = 0;
    cordon_script cur = CORDON_SCRIPT_COUNT_;
    size_t upper = 0, lower = 0;
    cordon__buf fold = {0};
    int rc = 0;
    while (i < len && !rc) {
        size_t at = i;
        int32_t cp = cordon__utf8_decode(s, len, &i);
        if (cp < 0) {
            rc = CORDON_EUTF8;
            break;
        }
        if (word_char(cp)) {
            cordon_script sc = cordon__script_of((uint32_t)cp);
            if (in && sc != CORDON_SCRIPT_COUNT_ && cur != CORDON_SCRIPT_COUNT_ && sc != cur &&
                !(mixable(sc) && mixable(cur))) {
                rc = push_token(t, s, start, at, upper >= 2 && !lower, comma, group, &fold, err);
                in = 0;
                next_group = 0;
            }
            if (!in) {
                in = 1;
                start = at;
                cur = CORDON_SCRIPT_COUNT_;
                upper = lower = 0;
                group = next_group;
                next_group = 0;
            }
            if (sc != CORDON_SCRIPT_COUNT_)
                cur = sc;
            utf8proc_category_t c = utf8proc_category(cp);
            if (c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT)
                upper++;
            else if (c == UTF8PROC_CATEGORY_LL)
                lower++;
            continue;
        }
        if (cp == '\'' && in)
            continue; /* inside a token: O'Brien, ג'ורג' */
        int hyphen = 0;
        if (cp == '-' && in && i < len) {
            size_t j = i;
            int32_t nx = cordon__utf8_decode(s, len, &j);
            hyphen = nx >= 0 && word_char(nx);
        }
        if (in) {
            if (hyphen && !group)
                group = ++t->next_group;
            rc = push_token(t, s, start, at, upper >= 2 && !lower, comma, group, &fold, err);
            in = 0;
        }
        next_group = hyphen ? group : 0;
        if (cp == ',')
            comma++;
        else if (cp == '.' && t->n)
            t->v[t->n - 1].dotted = 1;
    }
    if (!rc && in)
        rc = push_token(t, s, start, len, upper >= 2 && !lower, comma, group, &fold, err);
    cordon__buf_free(&fold);
    return rc;
}

static int add_unique(const char **list, size_t *n, size_t cap, const char *s, cordon__arena *a)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(list[i], s) == 0)
            return 0;
    if (*n >= cap)
        return 0;
    char *c = cordon__arena_strndup(a, s, strlen(s));
    if (!c)
        return CORDON_ENOMEM;
    list[(*n)++] = c;
    return 0;
}

int cordon_name_analyze(const char *s, size_t len, cordon_schema schema, cordon_name_analysis **out,
                        cordon_error *err)
{
    if (out)
        *out = NULL;
    if (!out || (!s && len) || (unsigned)schema >= CORDON_SCHEMA_COUNT_)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "invalid argument to cordon_name_analyze");
    if (len > CORDON_NAME_MAX_BYTES)
        return cordon__fail(err, CORDON_ETOOBIG, NULL, 0, 0, "name of %zu bytes exceeds the limit of %d", len,
                            CORDON_NAME_MAX_BYTES);
    cordon__arena arena;
    cordon__arena_init(&arena);
    analysis *an = cordon__arena_alloc(&arena, sizeof *an);
    if (!an) {
        cordon__arena_free(&arena);
        return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    }
    memset(an, 0, sizeof *an);

    cordon__buf text = {0};
    cordon__toks t;
    memset(&t, 0, sizeof t);
    t.arena = &arena;
    int rc = cordon__fold(s ? s : "", len, 0, &text);
    if (rc == CORDON_EUTF8) {
        size_t at = cordon__utf8_valid_prefix(s, len);
        rc = cordon__fail(err, rc, NULL, 0, at + 1, "invalid UTF-8 at byte %zu of the name", at + 1);
        goto fail;
    }
    if (rc == CORDON_EINVAL) {
        rc = cordon__fail(err, rc, NULL, 0, 0, "name contains NUL or a control character");
        goto fail;
    }
    if (rc)
        goto oom;
    rc = tokenize(&t, text.data ? text.data : "", text.len, err);
    if (rc == CORDON_ETOOBIG)
        goto fail;
    if (rc)
        goto oom;
    rc = cordon__name_structure(&t, &schema);
    if (rc)
        goto oom;

    /* Lay out the live tokens; remap the parts of JOINED tokens. */
    size_t *map = cordon__arena_alloc(&arena, (t.n + 1) * sizeof *map);
    if (!map)
        goto oom;
    size_t live = 0;
    for (size_t i = 0; i < t.n; i++)
        map[i] = t.v[i].removed ? SIZE_MAX : live++;
    if (live == 0) {
        rc = cordon__fail(err, CORDON_EEMPTY, NULL, 0, 0, "name has no letters or digits");
        goto fail;
    }
    cordon_name_token *toks = cordon__arena_alloc(&arena, live * sizeof *toks);
    if (!toks)
        goto oom;
    memset(toks, 0, live * sizeof *toks);
    cordon__buf norm = {0};
    size_t o = 0;
    int script_count[CORDON_SCRIPT_COUNT_] = {0};
    for (size_t i = 0; i < t.n; i++) {
        const cordon__tok *k = &t.v[i];
        if (k->removed)
            continue;
        cordon_name_token *d = &toks[o++];
        const char **forms = cordon__arena_alloc(&arena, (k->f.n + 1) * sizeof *forms);
        const char **phon = cordon__arena_alloc(&arena, (2 * k->f.n + 1) * sizeof *phon);
        const char **loose = cordon__arena_alloc(&arena, (3 * k->f.n + 1) * sizeof *loose);
        if (!forms || !phon || !loose)
            goto oom_norm;
        size_t nf = 0, np = 0, nl = 0;
        for (size_t f = 0; f < k->f.n; f++) {
            if (add_unique(forms, &nf, k->f.n, k->f.v[f], &arena))
                goto oom_norm;
            if (k->role == CORDON_ROLE_NUMBER)
                continue; /* numerals are equal or not: no sound keys ("jr") */
            char p[8], a[8];
            if (cordon_double_metaphone(k->f.v[f], strlen(k->f.v[f]), p, a) == 0) {
                if (p[0] && add_unique(phon, &np, 2 * k->f.n, p, &arena))
                    goto oom_norm;
                if (a[0] && add_unique(phon, &np, 2 * k->f.n, a, &arena))
                    goto oom_norm;
            }
            static const unsigned variants[] = {0, CORDON__LOOSE_VARIANT,
                                                CORDON__LOOSE_VARIANT | CORDON__LOOSE_TH_S};
            for (size_t v = 0; v < 3; v++) {
                char lk[CORDON__LOOSE_MAX + 1];
                if (v == 2 && !strstr(k->f.v[f], "th"))
                    break;
                if (cordon__loose_key(k->f.v[f], strlen(k->f.v[f]), variants[v], lk) &&
                    add_unique(loose, &nl, 3 * k->f.n, lk, &arena))
                    goto oom_norm;
            }
        }
        d->text = forms[0];
        d->original = k->orig_len ? cordon__arena_strndup(&arena, k->orig, k->orig_len) : forms[0];
        if (!d->original)
            goto oom_norm;
        d->role = k->role;
        d->script = k->script == CORDON_SCRIPT_COUNT_ ? CORDON_SCRIPT_LATIN : k->script;
        d->flags = k->flags;
        d->forms = forms;
        d->n_forms = nf;
        d->phonetic = phon;
        d->n_phonetic = np;
        d->loose = loose;
        d->n_loose = nl;
        if (k->flags & CORDON_TOKEN_JOINED) {
            d->part_first = map[k->part_first];
            d->n_parts = k->n_parts;
        } else {
            script_count[d->script] += 1;
            if ((norm.len && cordon__buf_putc(&norm, ' ')) || cordon__buf_append(&norm, d->text, strlen(d->text)))
                goto oom_norm;
        }
    }
    an->pub.normalized = cordon__arena_strndup(&arena, norm.data ? norm.data : "", norm.len);
    cordon__buf_free(&norm);
    if (!an->pub.normalized)
        goto oom;
    const char **titles = cordon__arena_alloc(&arena, (t.n_titles + 1) * sizeof *titles);
    if (!titles)
        goto oom;
    for (size_t i = 0; i < t.n_titles; i++)
        titles[i] = t.titles[i];
    an->pub.tokens = toks;
    an->pub.n_tokens = live;
    an->pub.titles = titles;
    an->pub.n_titles = t.n_titles;
    an->pub.schema = schema;
    cordon_script best = CORDON_SCRIPT_LATIN;
    for (int k = 0; k < CORDON_SCRIPT_COUNT_; k++)
        if (script_count[k] > script_count[best])
            best = (cordon_script)k;
    an->pub.script = best;
    cordon__buf_free(&text);
    an->arena = arena;
    *out = &an->pub;
    return 0;

oom_norm:
    cordon__buf_free(&norm);
oom:
    rc = cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory analysing a name");
fail:
    cordon__buf_free(&text);
    cordon__arena_free(&arena);
    return rc;
}

/* ---- meeting of names ---------------------------------------------- */

static int weak(const cordon_name_token *k)
{
    return (k->flags & CORDON_TOKEN_WEAK) || k->role == CORDON_ROLE_TITLE || k->role == CORDON_ROLE_NUMBER;
}

cordon__meet cordon__tokens_meet(const cordon_name_token *a, const cordon_name_token *b)
{
    /* Initials meet any token with that first letter. */
    if (a->role == CORDON_ROLE_INITIAL || b->role == CORDON_ROLE_INITIAL)
        return a->text[0] == b->text[0] ? CORDON__MEET_EXACT : CORDON__MEET_NONE;
    for (size_t i = 0; i < a->n_forms; i++)
        for (size_t j = 0; j < b->n_forms; j++)
            if (strcmp(a->forms[i], b->forms[j]) == 0)
                return CORDON__MEET_EXACT;
    /* Double Metaphone keys stop at four letters, so on long joined
     * tokens ("kimjongun", "kimyojong": KMJN) they only compare prefixes. */
    int joined = ((a->flags | b->flags) & CORDON_TOKEN_JOINED) && (strlen(a->text) > 8 || strlen(b->text) > 8);
    for (size_t i = 0; i < a->n_phonetic && !joined; i++)
        for (size_t j = 0; j < b->n_phonetic; j++)
            if (strlen(a->phonetic[i]) >= 2 && strcmp(a->phonetic[i], b->phonetic[j]) == 0)
                return CORDON__MEET_EXACT;
    for (size_t i = 0; i < a->n_loose; i++)
        for (size_t j = 0; j < b->n_loose; j++)
            if (strcmp(a->loose[i], b->loose[j]) == 0)
                return CORDON__MEET_LOOSE;
    for (size_t i = 0; i < a->n_forms; i++)
        for (size_t j = 0; j < b->n_forms; j++) {
            size_t la = strlen(a->forms[i]), lb = strlen(b->forms[j]);
            size_t m = la < lb ? la : lb;
            size_t max = m >= 8 ? 2 : m >= 4 ? 1 : 0;
            if (max && cordon__edit_distance(a->forms[i], la, b->forms[j], lb, max) <= max)
                return CORDON__MEET_FUZZY;
        }
    for (size_t i = 0; i < a->n_loose; i++)
        for (size_t j = 0; j < b->n_loose; j++) {
            size_t la = strlen(a->loose[i]), lb = strlen(b->loose[j]);
            if (la >= 3 && lb >= 3 && cordon__edit_distance(a->loose[i], la, b->loose[j], lb, 1) <= 1)
                return CORDON__MEET_FUZZY;
        }
    return CORDON__MEET_NONE;
}

/* Base tokens of a name (not JOINED, not weak) and their count. */
static size_t base_count(const cordon_name_analysis *a)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n_tokens; i++)
        if (!(a->tokens[i].flags & CORDON_TOKEN_JOINED) && !weak(&a->tokens[i]))
            n++;
    return n;
}

static cordon__meet cover(const cordon_name_analysis *a, const cordon_name_analysis *b);

cordon__meet cordon__names_meet(const cordon_name_analysis *a, const cordon_name_analysis *b)
{
    size_t na = base_count(a), nb = base_count(b);
    if (na == 0 || nb == 0)
        return CORDON__MEET_NONE;
    if (na < nb)
        return cover(a, b);
    if (na > nb)
        return cover(b, a);
    /* equal sizes: either side may lead; the better reading counts, so
     * the relation stays symmetric */
    cordon__meet x = cover(a, b), y = cover(b, a);
    return x > y ? x : y;
}

/* Does every non-weak token of a meet a distinct token of b? */
static cordon__meet cover(const cordon_name_analysis *a, const cordon_name_analysis *b)
{
    /* Best meeting of each token of a with any token of b. Distinctness
     * is approximated by not letting one b token serve two a tokens when
     * another choice exists (greedy, strongest first). */
    cordon__meet result = CORDON__MEET_EXACT;
    unsigned char used[256] = {0};
    cordon__meet covered[256];
    size_t na = a->n_tokens < 256 ? a->n_tokens : 256, nb = b->n_tokens < 256 ? b->n_tokens : 256;
    for (size_t i = 0; i < na; i++)
        covered[i] = CORDON__MEET_NONE;
    for (int level = CORDON__MEET_EXACT; level >= CORDON__MEET_FUZZY; level--) {
        for (size_t i = 0; i < na; i++) {
            const cordon_name_token *x = &a->tokens[i];
            if (covered[i] || weak(x))
                continue;
            for (size_t j = 0; j < nb; j++) {
                if (used[j] || weak(&b->tokens[j]))
                    continue;
                if ((int)cordon__tokens_meet(x, &b->tokens[j]) >= level) {
                    covered[i] = (cordon__meet)level;
                    /* a joined b token uses up its parts; a part, its joined token */
                    used[j] = 1;
                    const cordon_name_token *y = &b->tokens[j];
                    if (y->flags & CORDON_TOKEN_JOINED)
                        for (size_t p = y->part_first; p < y->part_first + y->n_parts && p < nb; p++)
                            used[p] = 1;
                    break;
                }
            }
            if (covered[i] && (x->flags & CORDON_TOKEN_JOINED))
                for (size_t p = x->part_first; p < x->part_first + x->n_parts && p < na; p++)
                    if (!covered[p])
                        covered[p] = covered[i];
        }
    }
    for (size_t i = 0; i < na; i++) {
        const cordon_name_token *x = &a->tokens[i];
        if ((x->flags & CORDON_TOKEN_JOINED) || weak(x))
            continue;
        if (!covered[i])
            return CORDON__MEET_NONE;
        if (covered[i] < result)
            result = covered[i];
    }
    return result;
}
