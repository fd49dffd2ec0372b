/*
 * rules.c — loads the trade-control rules: a JSON document (jansson)
 * with country rules, goods rules, description keywords and a gazetteer,
 * possibly spread over files that the main one includes.
 *
 * The loader is strict on purpose. A rules file is law turned into data,
 * and a typo must not quietly weaken it: unknown keys are errors, every
 * rule must cite a source, countries must be codes cordon knows, HS
 * prefixes must be digits, and a place name may belong to one country
 * only. Each error names the file and the JSON path of the field
 * ("rules[12].countries[1]"); syntax errors name the line and column.
 *
 * Everything loaded lives in one arena owned by the cordon_rules.
 */
#include "shipment_int.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define MAX_RULES 4096
#define MAX_KEYWORDS 4096
#define MAX_PLACES 65536
#define MAX_PHRASE_WORDS 8
#define MAX_LIST 4096 /* items in one list field */

typedef struct loader {
    cordon_rules *r;
    const char *origin; /* the file being read, for errors */
    cordon_error *err;
    cordon__vec rules;    /* cordon_rule */
    cordon__vec keywords; /* cordon__keyword */
    cordon__vec places;   /* cordon__place */
    cordon__strmap ids;   /* rule id -> 1 */
    cordon__buf scratch;
    bool have_screening;
} loader;

__attribute__((format(printf, 3, 0))) static int failv(loader *ld, int code, const char *fmt,
                                                     va_list ap)
{
    char msg[400];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return cordon__fail(ld->err, code, ld->origin, 0, 0, "%s", msg);
}

__attribute__((format(printf, 2, 3))) static int bad(loader *ld, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = failv(ld, CORDON_EFORMAT, fmt, ap);
    va_end(ap);
    return rc;
}

static int nomem(loader *ld) { return cordon__fail(ld->err, CORDON_ENOMEM, ld->origin, 0, 0, "out of memory"); }

/* Fails on any key of obj that is not in `allowed` (NULL-terminated). */
static int check_keys(loader *ld, json_t *obj, const char *path, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        size_t i = 0;
        while (allowed[i] && strcmp(allowed[i], key))
            i++;
        if (allowed[i])
            continue;
        char list[300] = "";
        for (size_t j = 0; allowed[j]; j++) {
            size_t n = strlen(list);
            snprintf(list + n, sizeof list - n, "%s%s", j ? ", " : "", allowed[j]);
        }
        return bad(ld, "%s%s%s: unknown field (expected %s)", path, *path ? "." : "", key, list);
    }
    return 0;
}

/* A string field copied into the arena; *out stays NULL when absent and
 * not required. Empty strings are errors. */
static int get_str(loader *ld, json_t *obj, const char *key, const char *path, bool required,
                   const char **out)
{
    *out = NULL;
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required)
            return bad(ld, "%s.%s: missing", path, key);
        return 0;
    }
    if (!json_is_string(v))
        return bad(ld, "%s.%s: must be a string", path, key);
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    len = cordon__trim(&s, len);
    if (len == 0)
        return bad(ld, "%s.%s: must not be empty", path, key);
    if (!(*out = cordon__arena_strndup(&ld->r->arena, s, len)))
        return nomem(ld);
    return 0;
}

/* An array field; *out NULL when absent and not required. */
static int get_array(loader *ld, json_t *obj, const char *key, const char *path, bool required,
                     json_t **out)
{
    *out = json_object_get(obj, key);
    if (!*out) {
        if (required)
            return bad(ld, "%s.%s: missing", path, key);
        return 0;
    }
    if (!json_is_array(*out))
        return bad(ld, "%s.%s: must be an array", path, key);
    if (required && json_array_size(*out) == 0)
        return bad(ld, "%s.%s: must not be empty", path, key);
    if (json_array_size(*out) > MAX_LIST)
        return cordon__fail(ld->err, CORDON_ETOOBIG, ld->origin, 0, 0,
                            "%s.%s: more than %d items", path, key, MAX_LIST);
    return 0;
}

/* A country or region code that cordon knows, copied to out. */
static int get_country(loader *ld, json_t *v, const char *path, char out[3])
{
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    if (!s || json_string_length(v) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' ||
        s[1] > 'Z' || !cordon_country_name(s))
        return bad(ld, "%s: must be a known country code (ISO 3166-1 alpha-2, or a region code "
                       "such as QC)", path);
    memcpy(out, s, 3);
    return 0;
}

static bool hs_digits(const char *s, size_t len)
{
    if (len < 2 || len > 10)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int load_rule(loader *ld, json_t *o, const char *path)
{
    static const char *const keys[] = {"id", "kind", "group", "title", "covers", "countries",
                                       "applies_to", "action", "hs", "value_over", "source",
                                       "note", "caveat", NULL};
    if (!json_is_object(o))
        return bad(ld, "%s: must be an object", path);
    int rc = check_keys(ld, o, path, keys);
    if (rc)
        return rc;
    if (ld->rules.count >= MAX_RULES)
        return cordon__fail(ld->err, CORDON_ETOOBIG, ld->origin, 0, 0, "more than %d rules",
                            MAX_RULES);
    cordon_rule *rule = cordon__vec_push(&ld->rules, sizeof *rule);
    if (!rule)
        return nomem(ld);
    const char *kind, *action, *group;
    if ((rc = get_str(ld, o, "id", path, true, &rule->id)) ||
        (rc = get_str(ld, o, "kind", path, true, &kind)) ||
        (rc = get_str(ld, o, "group", path, false, &group)) ||
        (rc = get_str(ld, o, "title", path, true, &rule->title)) ||
        (rc = get_str(ld, o, "covers", path, false, &rule->covers)) ||
        (rc = get_str(ld, o, "action", path, true, &action)) ||
        (rc = get_str(ld, o, "note", path, false, &rule->note)) ||
        (rc = get_str(ld, o, "caveat", path, false, &rule->caveat)))
        return rc;
    if (!json_object_get(o, "source"))
        return bad(ld, "%s.source: missing: every rule must cite its legal source", path);
    if ((rc = get_str(ld, o, "source", path, true, &rule->source)))
        return rc;
    for (const char *p = rule->id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
              *p == '.'))
            return bad(ld, "%s.id: \"%s\": use lower-case letters, digits, '-', '_' and '.'",
                       path, rule->id);
    if (strlen(rule->id) > 64)
        return bad(ld, "%s.id: longer than 64 characters", path);
    if (cordon__strmap_get(&ld->ids, rule->id, strlen(rule->id)))
        return bad(ld, "%s.id: \"%s\" is already the id of another rule", path, rule->id);
    if (cordon__strmap_put(&ld->ids, rule->id, strlen(rule->id), (void *)rule->id))
        return nomem(ld);
    if (!strcmp(kind, "country"))
        rule->kind = CORDON_RULE_COUNTRY;
    else if (!strcmp(kind, "goods"))
        rule->kind = CORDON_RULE_GOODS;
    else
        return bad(ld, "%s.kind: \"%s\": must be \"country\" or \"goods\"", path, kind);
    if (!strcmp(action, "block"))
        rule->action = CORDON_ACTION_BLOCK;
    else if (!strcmp(action, "review"))
        rule->action = CORDON_ACTION_REVIEW;
    else
        return bad(ld, "%s.action: \"%s\": must be \"block\" or \"review\"", path, action);

    char sub[160];
    json_t *a;
    if ((rc = get_array(ld, o, "countries", path, true, &a)))
        return rc;
    size_t n = json_array_size(a);
    const char **countries = cordon__arena_alloc(&ld->r->arena, n * sizeof *countries);
    if (!countries)
        return nomem(ld);
    for (size_t i = 0; i < n; i++) {
        snprintf(sub, sizeof sub, "%s.countries[%zu]", path, i);
        char code[3];
        if ((rc = get_country(ld, json_array_get(a, i), sub, code)))
            return rc;
        if (!(countries[i] = cordon__arena_strndup(&ld->r->arena, code, 2)))
            return nomem(ld);
    }
    rule->countries = countries;
    rule->n_countries = n;

    if ((rc = get_array(ld, o, "applies_to", path, true, &a)))
        return rc;
    for (size_t i = 0; i < json_array_size(a); i++) {
        const char *s = json_string_value(json_array_get(a, i));
        unsigned bit = !s ? 0
                       : !strcmp(s, "destination") ? CORDON_SCOPE_DESTINATION
                       : !strcmp(s, "origin")      ? CORDON_SCOPE_ORIGIN
                       : !strcmp(s, "transit")     ? CORDON_SCOPE_TRANSIT
                       : !strcmp(s, "party")       ? CORDON_SCOPE_PARTY
                                                   : 0;
        if (!bit)
            return bad(ld, "%s.applies_to[%zu]: must be \"destination\", \"origin\", \"transit\" "
                           "or \"party\"", path, i);
        if (rule->kind == CORDON_RULE_GOODS &&
            !(bit & (CORDON_SCOPE_DESTINATION | CORDON_SCOPE_ORIGIN)))
            return bad(ld, "%s.applies_to[%zu]: a goods rule applies to \"destination\" (export "
                           "to) or \"origin\" (import from)", path, i);
        rule->scope |= bit;
    }

    if ((rc = get_array(ld, o, "hs", path, rule->kind == CORDON_RULE_GOODS, &a)))
        return rc;
    if (a && rule->kind == CORDON_RULE_COUNTRY)
        return bad(ld, "%s.hs: only goods rules have HS codes", path);
    if (a) {
        n = json_array_size(a);
        const char **hs = cordon__arena_alloc(&ld->r->arena, n * sizeof *hs);
        if (!hs)
            return nomem(ld);
        for (size_t i = 0; i < n; i++) {
            json_t *v = json_array_get(a, i);
            if (!json_is_string(v) || !hs_digits(json_string_value(v), json_string_length(v)))
                return bad(ld, "%s.hs[%zu]: must be an HS prefix of 2 to 10 digits, as a string",
                           path, i);
            if (!(hs[i] = cordon__arena_strndup(&ld->r->arena, json_string_value(v),
                                                json_string_length(v))))
                return nomem(ld);
        }
        rule->hs = hs;
        rule->n_hs = n;
    }

    json_t *vo = json_object_get(o, "value_over");
    if (vo) {
        snprintf(sub, sizeof sub, "%s.value_over", path);
        static const char *const vkeys[] = {"amount", "currency", NULL};
        if (rule->kind != CORDON_RULE_GOODS)
            return bad(ld, "%s: only goods rules have value thresholds", sub);
        if (!json_is_object(vo))
            return bad(ld, "%s: must be {\"amount\": N, \"currency\": \"EUR\"}", sub);
        if ((rc = check_keys(ld, vo, sub, vkeys)))
            return rc;
        json_t *amount = json_object_get(vo, "amount");
        json_t *cur = json_object_get(vo, "currency");
        if (!json_is_number(amount) || !(json_number_value(amount) > 0) ||
            !isfinite(json_number_value(amount)))
            return bad(ld, "%s.amount: must be a positive number", sub);
        if (!json_is_string(cur) ||
            !cordon__currency_valid(json_string_value(cur), json_string_length(cur)))
            return bad(ld, "%s.currency: must be a currency code such as \"EUR\"", sub);
        rule->value_over = json_number_value(amount);
        if (!(rule->currency = cordon__arena_strndup(&ld->r->arena, json_string_value(cur), 3)))
            return nomem(ld);
    }
    return 0;
}

/* Folds each string of the array into a phrase. */
static int load_phrases(loader *ld, json_t *a, const char *path, const char *key,
                        const cordon__phrase **out, size_t *n_out)
{
    size_t n = json_array_size(a);
    cordon__phrase *ph = cordon__arena_alloc(&ld->r->arena, (n ? n : 1) * sizeof *ph);
    if (!ph)
        return nomem(ld);
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(a, i);
        if (!json_is_string(v))
            return bad(ld, "%s.%s[%zu]: must be a string", path, key, i);
        cordon__vec words = {0};
        ld->scratch.len = 0;
        int rc = cordon__fold_words(json_string_value(v), json_string_length(v), &ld->scratch,
                                    &words);
        if (rc == CORDON_ENOMEM) {
            cordon__vec_free(&words);
            return nomem(ld);
        }
        if (rc || words.count == 0 || words.count > MAX_PHRASE_WORDS) {
            cordon__vec_free(&words);
            return bad(ld, "%s.%s[%zu]: must have 1 to %d words of letters or digits", path, key,
                       i, MAX_PHRASE_WORDS);
        }
        const char **w = cordon__arena_alloc(&ld->r->arena, words.count * sizeof *w);
        ph[i].text = cordon__arena_strndup(&ld->r->arena, json_string_value(v),
                                           json_string_length(v));
        bool ok = w && ph[i].text;
        const cordon__word *fw = words.items;
        for (size_t j = 0; ok && j < words.count; j++)
            ok = (w[j] = cordon__arena_strndup(&ld->r->arena, ld->scratch.data + fw[j].off,
                                               fw[j].len)) != NULL;
        ph[i].words = w;
        ph[i].n_words = words.count;
        cordon__vec_free(&words);
        if (!ok)
            return nomem(ld);
    }
    *out = ph;
    *n_out = n;
    return 0;
}

static int load_keyword(loader *ld, json_t *o, const char *path)
{
    static const char *const keys[] = {"hs", "label", "certain", "words", "unless", NULL};
    if (!json_is_object(o))
        return bad(ld, "%s: must be an object", path);
    int rc = check_keys(ld, o, path, keys);
    if (rc)
        return rc;
    if (ld->keywords.count >= MAX_KEYWORDS)
        return cordon__fail(ld->err, CORDON_ETOOBIG, ld->origin, 0, 0,
                            "more than %d keyword entries", MAX_KEYWORDS);
    cordon__keyword *kw = cordon__vec_push(&ld->keywords, sizeof *kw);
    if (!kw)
        return nomem(ld);
    if ((rc = get_str(ld, o, "hs", path, true, &kw->hs)) ||
        (rc = get_str(ld, o, "label", path, true, &kw->label)))
        return rc;
    if (!hs_digits(kw->hs, strlen(kw->hs)))
        return bad(ld, "%s.hs: must be an HS heading of 2 to 10 digits", path);
    json_t *certain = json_object_get(o, "certain");
    if (certain && !json_is_boolean(certain))
        return bad(ld, "%s.certain: must be true or false", path);
    kw->certain = json_is_true(certain);
    json_t *a;
    if ((rc = get_array(ld, o, "words", path, true, &a)) ||
        (rc = load_phrases(ld, a, path, "words", &kw->words, &kw->n_words)))
        return rc;
    if ((rc = get_array(ld, o, "unless", path, false, &a)))
        return rc;
    if (a && (rc = load_phrases(ld, a, path, "unless", &kw->unless, &kw->n_unless)))
        return rc;
    return 0;
}

static int add_place_name(loader *ld, cordon__place *pl, const char *s, size_t len,
                          const char *path)
{
    int rc = cordon__fold_key(s, len, &ld->scratch);
    if (rc == CORDON_ENOMEM)
        return nomem(ld);
    if (rc)
        return bad(ld, "%s: must have letters or digits", path);
    cordon__place *old = cordon__strmap_get(&ld->r->place_index, ld->scratch.data, ld->scratch.len);
    if (old) {
        if (strcmp(old->country, pl->country))
            return bad(ld, "%s: \"%.*s\" is already the place %s in %s; leave ambiguous names out",
                       path, (int)(len > 80 ? 80 : len), s, old->name, old->country);
        return 0; /* the same place twice, or an alias equal to another */
    }
    char *key = cordon__arena_strndup(&ld->r->arena, ld->scratch.data, ld->scratch.len);
    if (!key || cordon__strmap_put(&ld->r->place_index, key, ld->scratch.len, pl))
        return nomem(ld);
    return 0;
}

static int load_place(loader *ld, json_t *o, const char *path)
{
    static const char *const keys[] = {"name", "country", "aliases", NULL};
    if (!json_is_object(o))
        return bad(ld, "%s: must be an object", path);
    int rc = check_keys(ld, o, path, keys);
    if (rc)
        return rc;
    if (ld->places.count >= MAX_PLACES)
        return cordon__fail(ld->err, CORDON_ETOOBIG, ld->origin, 0, 0, "more than %d places",
                            MAX_PLACES);
    /* Places live in the arena, not in the vector, because the index
     * points at them while the vector grows. */
    cordon__place *pl = cordon__arena_alloc(&ld->r->arena, sizeof *pl);
    cordon__place **slot = cordon__vec_push(&ld->places, sizeof *slot);
    if (!pl || !slot)
        return nomem(ld);
    *slot = pl;
    char sub[160];
    snprintf(sub, sizeof sub, "%s.country", path);
    json_t *c = json_object_get(o, "country");
    if (!c)
        return bad(ld, "%s: missing", sub);
    if ((rc = get_country(ld, c, sub, pl->country)) ||
        (rc = get_str(ld, o, "name", path, true, &pl->name)))
        return rc;
    snprintf(sub, sizeof sub, "%s.name", path);
    if ((rc = add_place_name(ld, pl, pl->name, strlen(pl->name), sub)))
        return rc;
    json_t *a;
    if ((rc = get_array(ld, o, "aliases", path, false, &a)))
        return rc;
    for (size_t i = 0; a && i < json_array_size(a); i++) {
        json_t *v = json_array_get(a, i);
        snprintf(sub, sizeof sub, "%s.aliases[%zu]", path, i);
        if (!json_is_string(v))
            return bad(ld, "%s: must be a string", sub);
        if ((rc = add_place_name(ld, pl, json_string_value(v), json_string_length(v), sub)))
            return rc;
    }
    return 0;
}

static int load_doc(loader *ld, json_t *root, const char *base_dir, int depth);

static int load_include(loader *ld, const char *base_dir, const char *name, int depth)
{
    if (!base_dir)
        return cordon__fail(ld->err, CORDON_EINVAL, ld->origin, 0, 0,
                            "include: \"%s\": rules parsed from memory cannot include files",
                            name);
    if (name[0] == '/' || strstr(name, ".."))
        return bad(ld, "include: \"%s\": must be a file name beside the rules file", name);
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", *base_dir ? base_dir : ".", name) >=
        sizeof path)
        return bad(ld, "include: \"%s\": path too long", name);
    char *text;
    size_t len;
    int rc = cordon__read_file(path, &text, &len, ld->err);
    if (rc)
        return rc;
    const char *saved = ld->origin;
    /* The origin must outlive this call: errors point at it. */
    char *origin = cordon__arena_strndup(&ld->r->arena, path, strlen(path));
    if (!origin) {
        free(text);
        return nomem(ld);
    }
    ld->origin = origin;
    json_error_t jerr;
    json_t *root = len > CORDON_RULES_MAX_BYTES ? NULL
                                                : json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (len > CORDON_RULES_MAX_BYTES)
        rc = cordon__fail(ld->err, CORDON_ETOOBIG, ld->origin, 0, 0, "over %zu bytes",
                          CORDON_RULES_MAX_BYTES);
    else if (!root)
        rc = cordon__fail(ld->err, json_error_code(&jerr) == json_error_invalid_utf8 ? CORDON_EUTF8
                                                                                   : CORDON_EFORMAT,
                          ld->origin, (unsigned long)(jerr.line > 0 ? jerr.line : 0),
                          (unsigned long)(jerr.column > 0 ? jerr.column : 0), "invalid JSON: %s",
                          jerr.text);
    else
        rc = load_doc(ld, root, base_dir, depth + 1);
    json_decref(root);
    free(text);
    if (!rc)
        ld->origin = saved;
    return rc;
}

static int load_doc(loader *ld, json_t *root, const char *base_dir, int depth)
{
    static const char *const keys[] = {"format", "version", "title", "as_of", "include", "notes",
                                       "left_out", "party_screening", "rules", "keywords",
                                       "places", NULL};
    if (!json_is_object(root))
        return bad(ld, "the rules document must be a JSON object");
    int rc = check_keys(ld, root, "", keys);
    if (rc)
        return rc;
    json_t *format = json_object_get(root, "format");
    if (!json_is_string(format) || strcmp(json_string_value(format), "cordon-rules"))
        return bad(ld, "format: must be \"cordon-rules\"");
    json_t *version = json_object_get(root, "version");
    if (!json_is_integer(version))
        return bad(ld, "version: must be an integer");
    if (json_integer_value(version) != 1)
        return cordon__fail(ld->err, CORDON_EVERSION, ld->origin, 0, 0,
                            "version: %lld is not supported (1 is)",
                            (long long)json_integer_value(version));
    json_t *v = json_object_get(root, "title");
    if (v && !json_is_string(v))
        return bad(ld, "title: must be a string");
    v = json_object_get(root, "as_of");
    if (v) {
        if (!json_is_string(v))
            return bad(ld, "as_of: must be a string");
        if (depth == 0 && !(ld->r->as_of = cordon__arena_strndup(&ld->r->arena, json_string_value(v),
                                                                 json_string_length(v))))
            return nomem(ld);
    }
    json_t *a;
    if ((rc = get_array(ld, root, "notes", "", false, &a)))
        return rc;
    for (size_t i = 0; a && i < json_array_size(a); i++)
        if (!json_is_string(json_array_get(a, i)))
            return bad(ld, "notes[%zu]: must be a string", i);
    if ((rc = get_array(ld, root, "left_out", "", false, &a)))
        return rc;
    for (size_t i = 0; a && i < json_array_size(a); i++) {
        static const char *const lkeys[] = {"what", "why", NULL};
        json_t *o = json_array_get(a, i);
        char path[64];
        snprintf(path, sizeof path, "left_out[%zu]", i);
        const char *s;
        if (!json_is_object(o))
            return bad(ld, "%s: must be an object {\"what\", \"why\"}", path);
        if ((rc = check_keys(ld, o, path, lkeys)) || (rc = get_str(ld, o, "what", path, true, &s)) ||
            (rc = get_str(ld, o, "why", path, true, &s)))
            return rc;
    }
    json_t *ps = json_object_get(root, "party_screening");
    if (ps) {
        static const char *const pkeys[] = {"review_threshold", "block_threshold", "note", NULL};
        if (!json_is_object(ps))
            return bad(ld, "party_screening: must be an object");
        if ((rc = check_keys(ld, ps, "party_screening", pkeys)))
            return rc;
        if (ld->have_screening)
            return bad(ld, "party_screening: given twice");
        json_t *rt = json_object_get(ps, "review_threshold");
        json_t *bt = json_object_get(ps, "block_threshold");
        double r = json_is_number(rt) ? json_number_value(rt) : -1;
        double b = json_is_number(bt) ? json_number_value(bt) : -1;
        if (!(r > 0 && r <= 1))
            return bad(ld, "party_screening.review_threshold: must be a number in (0, 1]");
        if (!(b > 0 && b <= 1))
            return bad(ld, "party_screening.block_threshold: must be a number in (0, 1]");
        if (b < r)
            return bad(ld, "party_screening.block_threshold: must not be below review_threshold");
        ld->r->review_threshold = r;
        ld->r->block_threshold = b;
        ld->have_screening = true;
    }
    char path[64];
    if ((rc = get_array(ld, root, "rules", "", false, &a)))
        return rc;
    for (size_t i = 0; a && i < json_array_size(a); i++) {
        snprintf(path, sizeof path, "rules[%zu]", i);
        if ((rc = load_rule(ld, json_array_get(a, i), path)))
            return rc;
    }
    if ((rc = get_array(ld, root, "keywords", "", false, &a)))
        return rc;
    for (size_t i = 0; a && i < json_array_size(a); i++) {
        snprintf(path, sizeof path, "keywords[%zu]", i);
        if ((rc = load_keyword(ld, json_array_get(a, i), path)))
            return rc;
    }
    if ((rc = get_array(ld, root, "places", "", false, &a)))
        return rc;
    for (size_t i = 0; a && i < json_array_size(a); i++) {
        snprintf(path, sizeof path, "places[%zu]", i);
        if ((rc = load_place(ld, json_array_get(a, i), path)))
            return rc;
    }
    /* Includes last, so that errors in this file come first. */
    if ((rc = get_array(ld, root, "include", "", false, &a)))
        return rc;
    if (a && depth > 0)
        return bad(ld, "include: an included file cannot include others");
    for (size_t i = 0; a && i < json_array_size(a); i++) {
        json_t *f = json_array_get(a, i);
        if (!json_is_string(f) || json_string_length(f) == 0 ||
            strlen(json_string_value(f)) != json_string_length(f))
            return bad(ld, "include[%zu]: must be a file name", i);
        if ((rc = load_include(ld, base_dir, json_string_value(f), depth)))
            return rc;
    }
    return 0;
}

/* Moves the staged vectors into the arena and indexes the phrases. */
static int finish(loader *ld)
{
    cordon_rules *r = ld->r;
    r->n_rules = ld->rules.count;
    r->rules = cordon__arena_alloc(&r->arena, (r->n_rules ? r->n_rules : 1) * sizeof *r->rules);
    r->n_keywords = ld->keywords.count;
    r->keywords = cordon__arena_alloc(&r->arena, (r->n_keywords ? r->n_keywords : 1) *
                                                     sizeof *r->keywords);
    r->n_places = ld->places.count;
    r->places = cordon__arena_alloc(&r->arena, (r->n_places ? r->n_places : 1) * sizeof *r->places);
    if (!r->rules || !r->keywords || !r->places)
        return nomem(ld);
    if (r->n_rules)
        memcpy(r->rules, ld->rules.items, r->n_rules * sizeof *r->rules);
    if (r->n_keywords)
        memcpy(r->keywords, ld->keywords.items, r->n_keywords * sizeof *r->keywords);
    for (size_t i = 0; i < r->n_places; i++)
        r->places[i] = *((cordon__place **)ld->places.items)[i];
    for (size_t k = 0; k < r->n_keywords; k++) {
        const cordon__keyword *kw = &r->keywords[k];
        for (int u = 0; u < 2; u++) {
            const cordon__phrase *ph = u ? kw->unless : kw->words;
            size_t n = u ? kw->n_unless : kw->n_words;
            for (size_t p = 0; p < n; p++) {
                const char *first = ph[p].words[0];
                cordon__phrase_ref *ref = cordon__arena_alloc(&r->arena, sizeof *ref);
                if (!ref)
                    return nomem(ld);
                *ref = (cordon__phrase_ref){(uint32_t)k, (uint32_t)p, u == 1,
                                            cordon__strmap_get(&r->phrase_index, first,
                                                               strlen(first))};
                if (cordon__strmap_put(&r->phrase_index, first, strlen(first), ref))
                    return nomem(ld);
            }
        }
    }
    return 0;
}

static int parse(const char *text, size_t len, const char *base_dir, const char *origin,
                 cordon_rules **out, cordon_error *err)
{
    if (!out || (!text && len))
        return cordon__fail(err, CORDON_EINVAL, origin, 0, 0, "invalid argument");
    *out = NULL;
    if (len > CORDON_RULES_MAX_BYTES)
        return cordon__fail(err, CORDON_ETOOBIG, origin, 0, 0, "rules over %zu bytes",
                            CORDON_RULES_MAX_BYTES);
    json_error_t jerr;
    json_t *root = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return cordon__fail(err, json_error_code(&jerr) == json_error_invalid_utf8 ? CORDON_EUTF8
                                                                                 : CORDON_EFORMAT,
                            origin, (unsigned long)(jerr.line > 0 ? jerr.line : 0),
                            (unsigned long)(jerr.column > 0 ? jerr.column : 0),
                            "invalid JSON: %s", jerr.text);
    cordon_rules *r = calloc(1, sizeof *r);
    if (!r) {
        json_decref(root);
        return cordon__fail(err, CORDON_ENOMEM, origin, 0, 0, "out of memory");
    }
    cordon__arena_init(&r->arena);
    loader ld = {.r = r, .origin = origin, .err = err};
    int rc = load_doc(&ld, root, base_dir, 0);
    if (!rc)
        rc = finish(&ld);
    if (!rc && !r->as_of && !(r->as_of = cordon__arena_strndup(&r->arena, "", 0)))
        rc = nomem(&ld);
    json_decref(root);
    cordon__vec_free(&ld.rules);
    cordon__vec_free(&ld.keywords);
    cordon__vec_free(&ld.places);
    cordon__strmap_free(&ld.ids);
    cordon__buf_free(&ld.scratch);
    if (rc) {
        cordon_rules_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

int cordon_rules_parse(const char *text, size_t len, const char *base_dir, const char *origin,
                       cordon_rules **out, cordon_error *err)
{
    return parse(text, len, base_dir, origin, out, err);
}

int cordon_rules_read(const char *path, cordon_rules **out, cordon_error *err)
{
    if (!path || !out)
        return cordon__fail(err, CORDON_EINVAL, path, 0, 0, "invalid argument");
    *out = NULL;
    char *text;
    size_t len;
    int rc = cordon__read_file(path, &text, &len, err);
    if (rc)
        return rc;
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else
        snprintf(dir, sizeof dir, ".");
    if (slash == path)
        snprintf(dir, sizeof dir, "/");
    rc = parse(text, len, dir, path, out, err);
    free(text);
    return rc;
}

void cordon_rules_free(cordon_rules *rules)
{
    if (!rules)
        return;
    cordon__strmap_free(&rules->place_index);
    cordon__strmap_free(&rules->phrase_index);
    cordon__arena_free(&rules->arena);
    free(rules);
}

size_t cordon_rules_count(const cordon_rules *rules) { return rules ? rules->n_rules : 0; }

const cordon_rule *cordon_rules_get(const cordon_rules *rules, size_t index)
{
    return rules && index < rules->n_rules ? &rules->rules[index] : NULL;
}

const cordon_rule *cordon_rules_find(const cordon_rules *rules, const char *id)
{
    for (size_t i = 0; rules && id && i < rules->n_rules; i++)
        if (!strcmp(rules->rules[i].id, id))
            return &rules->rules[i];
    return NULL;
}

const char *cordon_rules_as_of(const cordon_rules *rules) { return rules ? rules->as_of : ""; }

/* The gazetteer's place for s, or NULL. */
static const cordon__place *gazetteer(const cordon_rules *rules, const char *s, size_t len)
{
    if (!rules || !rules->n_places)
        return NULL;
    cordon__buf key = {0};
    const cordon__place *pl = NULL;
    if (cordon__fold_key(s, len, &key) == 0)
        pl = cordon__strmap_get(&rules->place_index, key.data, key.len);
    cordon__buf_free(&key);
    return pl;
}

int cordon_rules_place(const cordon_rules *rules, const char *s, size_t len, char out[3])
{
    if (!s || !out)
        return CORDON_EINVAL;
    len = cordon__trim(&s, len);
    if (len == 0 || len > 1024)
        return CORDON_ENOTFOUND;
    const cordon__place *pl = gazetteer(rules, s, len);
    if (pl) {
        memcpy(out, pl->country, 3);
        return 0;
    }
    if (cordon_country_lookup(s, len, out) == 0)
        return 0;
    /* "Place, Country" and "Place (Country)": the place decides when the
     * gazetteer knows it, else the country part. */
    const char *cut = NULL, *tail = NULL;
    size_t tail_len = 0;
    if (s[len - 1] == ')') {
        const char *open = memchr(s, '(', len);
        if (open) {
            cut = open;
            tail = open + 1;
            tail_len = (size_t)(s + len - 1 - tail);
        }
    }
    if (!cut) {
        for (size_t i = len; i-- > 0;)
            if (s[i] == ',') {
                cut = s + i;
                tail = s + i + 1;
                tail_len = len - i - 1;
                break;
            }
    }
    if (!cut)
        return CORDON_ENOTFOUND;
    size_t head_len = (size_t)(cut - s);
    const char *head = s;
    head_len = cordon__trim(&head, head_len);
    tail_len = cordon__trim(&tail, tail_len);
    if (head_len && (pl = gazetteer(rules, head, head_len))) {
        memcpy(out, pl->country, 3);
        return 0;
    }
    if (tail_len && cordon_country_lookup(tail, tail_len, out) == 0)
        return 0;
    return CORDON_ENOTFOUND;
}
