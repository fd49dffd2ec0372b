/*
 * shipment.c — screens a parsed shipment and decides: BLOCK, REVIEW or
 * CLEAR, with every reason.
 *
 * Three kinds of reasons, in this order:
 *  - parties: each party's name (with its type, country, identifiers
 *    and birth date) goes through cordon_screen. Matches at the block
 *    threshold or above block, each citing its list and entity id; when
 *    there is none, matches at the review threshold are for review. A
 *    party that is identified (a block-level match) is not also reported
 *    with its weaker look-alikes: the same person written "Kim Jong Un",
 *    "Kim Jong-un" or "김정은" gives the same reasons.
 *  - countries: every place (destination, origin, route, each party's
 *    country) is checked against the country rules whose scope covers
 *    it; places under one rule and one country share one reason.
 *  - goods: each line is checked against the goods rules for the
 *    countries it goes to (destination, consignee, end user) or comes
 *    from (origin, shipper). A declared HS code decides; without one, the
 *    description's keywords do. Anything short of a certain match is
 *    review, never block: a description that only suggests a heading, a
 *    heading broader than the rule's, a value that is missing or cannot
 *    be converted where the rule has a threshold, or a description that
 *    contradicts the declared code.
 * Notes (action CLEAR) say what could not be checked.
 */
#include "shipment_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct builder {
    cordon__shipment_result *res;
    const cordon_rules *rules;
    const cordon_shipment *s;
    const cordon_shipment_options *opts;
    cordon__vec reasons; /* cordon_reason */
    cordon_error *err;
} builder;

static char *dupstr(builder *b, const char *s)
{
    return s ? cordon__arena_strndup(&b->res->arena, s, strlen(s)) : NULL;
}

__attribute__((format(printf, 2, 3))) static char *fmt(builder *b, const char *f, ...)
{
    cordon__buf buf = {0};
    va_list ap;
    va_start(ap, f);
    char small[1024];
    int n = vsnprintf(small, sizeof small, f, ap);
    va_end(ap);
    char *out = NULL;
    if (n >= 0 && (size_t)n < sizeof small) {
        out = cordon__arena_strndup(&b->res->arena, small, (size_t)n);
    } else if (n >= 0 && cordon__buf_reserve(&buf, (size_t)n + 1) == 0) {
        va_start(ap, f);
        vsnprintf(buf.data, (size_t)n + 1, f, ap);
        va_end(ap);
        out = cordon__arena_strndup(&b->res->arena, buf.data, (size_t)n);
    }
    cordon__buf_free(&buf);
    return out;
}

static cordon_reason *add(builder *b, cordon_action action, cordon_reason_kind kind)
{
    cordon_reason *r = cordon__vec_push(&b->reasons, sizeof *r);
    if (r) {
        r->action = action;
        r->kind = kind;
    }
    return r;
}

/* A description shown in a message: quoted, at most 80 bytes, cut at a
 * character boundary. */
static char *shown(builder *b, const char *s)
{
    size_t n = strlen(s);
    if (n <= 80)
        return fmt(b, "\"%s\"", s);
    size_t cut = cordon__utf8_valid_prefix(s, 77);
    return fmt(b, "\"%.*s...\"", (int)cut, s);
}

/* ---- parties ------------------------------------------------------- */

static int screen_parties(builder *b, const cordon_index *idx, double review, double block)
{
    const cordon_shipment *s = b->s;
    if (!idx) {
        cordon_reason *r = add(b, CORDON_ACTION_CLEAR, CORDON_REASON_NOTE);
        if (!r || !(r->subject = dupstr(b, "parties")) ||
            !(r->message = dupstr(b, "parties were not screened: no lists index was given")))
            return CORDON_ENOMEM;
        return 0;
    }
    cordon_screen_options so = {.threshold = review, .limit = 10,
                                .algorithm = b->opts ? b->opts->algorithm : CORDON_ALGORITHM_DEFAULT};
    for (size_t i = 0; i < s->n_parties; i++) {
        const cordon__party *p = &s->parties[i];
        cordon_query q = {.name = p->name, .name_len = p->name_len, .schema = p->schema,
                          .ids = p->ids, .n_ids = p->n_ids};
        if (p->country.code[0]) {
            q.country = p->country.code;
            q.country_len = 2;
        }
        if (p->has_birth_date)
            q.birth_date = &p->birth_date;
        cordon_result *res = NULL;
        cordon_error e;
        int rc = cordon_screen(idx, &q, &so, &res, &e);
        if (rc)
            return cordon__fail(b->err, rc, NULL, 0, 0, "%s.name: %s", p->path,
                                e.message[0] ? e.message : cordon_strerror(rc));
        size_t n_block = 0;
        for (size_t m = 0; m < res->n_matches; m++)
            if (res->matches[m].score >= block)
                n_block++;
        const char *role = cordon__role_name(p->role);
        size_t shown_matches = 0;
        for (size_t m = 0; m < res->n_matches && !rc; m++) {
            const cordon_match *mt = &res->matches[m];
            bool is_block = mt->score >= block;
            if (n_block ? !is_block : shown_matches == 5)
                continue;
            shown_matches++;
            cordon_reason *r = add(b, is_block ? CORDON_ACTION_BLOCK : CORDON_ACTION_REVIEW,
                                   CORDON_REASON_PARTY);
            if (!r) {
                rc = CORDON_ENOMEM;
                break;
            }
            r->subject = p->path;
            r->role = role;
            r->source = dupstr(b, mt->source);
            r->entity = dupstr(b, mt->id);
            r->entity_name = dupstr(b, mt->name);
            r->score = mt->score;
            char *who = shown(b, p->name), *listed = mt->name ? shown(b, mt->name) : NULL;
            r->message = fmt(b, "%s %s %s %s%s%s (score %.2f) on list %s", role, who ? who : "",
                             is_block ? "matches" : "may match", mt->id ? mt->id : "",
                             listed ? " " : "", listed ? listed : "", mt->score,
                             mt->source ? mt->source : "?");
            if (!r->source || !r->entity || !r->message || (mt->name && !r->entity_name))
                rc = CORDON_ENOMEM;
        }
        cordon_result_free(res);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- places -------------------------------------------------------- */

typedef struct occurrence {
    const cordon__where *where;
    unsigned scope;
    const char *role; /* for a party's country, else NULL */
} occurrence;

/* Every resolved place of the shipment with the scopes it counts for. */
static int collect_places(const cordon_shipment *s, cordon__vec *out)
{
    occurrence *o;
#define PUSH(w, sc, r)                                                                 \
    do {                                                                               \
        if ((w)->code[0]) {                                                            \
            if (!(o = cordon__vec_push(out, sizeof *o)))                               \
                return CORDON_ENOMEM;                                                  \
            o->where = (w);                                                            \
            o->scope = (sc);                                                           \
            o->role = (r);                                                             \
        }                                                                              \
    } while (0)
    PUSH(&s->destination, CORDON_SCOPE_DESTINATION, NULL);
    PUSH(&s->origin, CORDON_SCOPE_ORIGIN, NULL);
    for (size_t i = 0; i < s->n_route; i++)
        PUSH(&s->route[i], CORDON_SCOPE_TRANSIT, NULL);
    for (size_t i = 0; i < s->n_parties; i++) {
        const cordon__party *p = &s->parties[i];
        unsigned sc = CORDON_SCOPE_PARTY;
        if (p->role == CORDON__ROLE_CONSIGNEE || p->role == CORDON__ROLE_END_USER)
            sc |= CORDON_SCOPE_DESTINATION;
        if (p->role == CORDON__ROLE_SHIPPER)
            sc |= CORDON_SCOPE_ORIGIN;
        PUSH(&p->country, sc, cordon__role_name(p->role));
    }
#undef PUSH
    return 0;
}

static bool rule_has_country(const cordon_rule *rule, const char *code)
{
    for (size_t i = 0; i < rule->n_countries; i++)
        if (!strcmp(rule->countries[i], code))
            return true;
    return false;
}

/* "destination \"Nampo, DPRK\"", "destination" when the text is the
 * code itself, or "the consignee's country". */
static int describe_place(cordon__buf *out, const occurrence *o)
{
    const cordon__where *w = o->where;
    if (o->role)
        return cordon__buf_printf(out, "the %s's country", o->role);
    if (!strcmp(w->text, w->code))
        return cordon__buf_printf(out, "%s", w->path);
    return cordon__buf_printf(out, "%s \"%.80s\"", w->path, w->text);
}

static int screen_countries(builder *b, const cordon__vec *places)
{
    const occurrence *occ = places->items;
    bool *used = calloc(places->count ? places->count : 1, sizeof *used);
    if (!used)
        return CORDON_ENOMEM;
    int rc = 0;
    for (size_t ri = 0; ri < b->rules->n_rules && !rc; ri++) {
        const cordon_rule *rule = &b->rules->rules[ri];
        if (rule->kind != CORDON_RULE_COUNTRY)
            continue;
        memset(used, 0, places->count * sizeof *used);
        /* one reason per country of the rule that the shipment touches */
        for (size_t i = 0; i < places->count && !rc; i++) {
            if (used[i] || !(occ[i].scope & rule->scope) ||
                !rule_has_country(rule, occ[i].where->code))
                continue;
            const char *code = occ[i].where->code;
            cordon__buf subj = {0}, desc = {0};
            size_t n = 0, total = 0;
            for (size_t j = i; j < places->count; j++)
                total += !used[j] && (occ[j].scope & rule->scope) &&
                         !strcmp(occ[j].where->code, code);
            for (size_t j = i; j < places->count && !rc; j++) {
                if (used[j] || !(occ[j].scope & rule->scope) || strcmp(occ[j].where->code, code))
                    continue;
                used[j] = true;
                const char *sep = n == 0 ? "" : n + 1 == total ? " and " : ", ";
                if ((n && cordon__buf_printf(&subj, ", ")) || cordon__buf_printf(&desc, "%s", sep) ||
                    cordon__buf_printf(&subj, "%s", occ[j].where->path) ||
                    describe_place(&desc, &occ[j]))
                    rc = CORDON_ENOMEM;
                n++;
            }
            cordon_reason *r = rc ? NULL : add(b, rule->action, CORDON_REASON_COUNTRY);
            if (!rc && r) {
                const char *name = cordon_country_name(code);
                r->subject = subj.data ? dupstr(b, subj.data) : NULL;
                r->rule = rule->id;
                r->source = rule->source;
                r->caveat = rule->caveat;
                r->country = dupstr(b, code);
                r->message = fmt(b, "%s %s in %s (%s), under %s", desc.data ? desc.data : "",
                                 n > 1 ? "are" : "is", code, name ? name : code, rule->title);
                if (!r->subject || !r->country || !r->message)
                    rc = CORDON_ENOMEM;
            } else if (!rc) {
                rc = CORDON_ENOMEM;
            }
            cordon__buf_free(&subj);
            cordon__buf_free(&desc);
        }
    }
    free(used);
    return rc;
}

/* ---- goods --------------------------------------------------------- */

/* A place a goods rule may look at: a code and which field gave it. */
typedef struct target {
    const char *code;
    const char *field;
} target;

typedef struct targets {
    target to[CORDON_SHIPMENT_MAX_PARTIES + 2];
    size_t n_to;
    target from[CORDON_SHIPMENT_MAX_PARTIES + 2];
    size_t n_from;
} targets;

static void collect_targets(const cordon_shipment *s, targets *t)
{
    t->n_to = t->n_from = 0;
    if (s->destination.code[0])
        t->to[t->n_to++] = (target){s->destination.code, "destination"};
    else if (s->n_route && s->route[s->n_route - 1].code[0])
        t->to[t->n_to++] = (target){s->route[s->n_route - 1].code, s->route[s->n_route - 1].path};
    if (s->origin.code[0])
        t->from[t->n_from++] = (target){s->origin.code, "origin"};
    for (size_t i = 0; i < s->n_parties; i++) {
        const cordon__party *p = &s->parties[i];
        if (!p->country.code[0])
            continue;
        if (p->role == CORDON__ROLE_CONSIGNEE || p->role == CORDON__ROLE_END_USER)
            t->to[t->n_to++] = (target){p->country.code, p->country.path};
        else if (p->role == CORDON__ROLE_SHIPPER)
            t->from[t->n_from++] = (target){p->country.code, p->country.path};
    }
}

/* The first place of the rule's scope that is in one of its countries. */
static const target *rule_target(const cordon_rule *rule, const targets *t, bool *export_)
{
    if (rule->scope & CORDON_SCOPE_DESTINATION)
        for (size_t i = 0; i < t->n_to; i++)
            if (rule_has_country(rule, t->to[i].code)) {
                *export_ = true;
                return &t->to[i];
            }
    if (rule->scope & CORDON_SCOPE_ORIGIN)
        for (size_t i = 0; i < t->n_from; i++)
            if (rule_has_country(rule, t->from[i].code)) {
                *export_ = false;
                return &t->from[i];
            }
    return NULL;
}

enum { NO_MATCH = 0, PARTIAL, FULL_POSSIBLE, FULL_CERTAIN };

/* How a code meets a rule's HS prefixes: inside one (FULL), or broader
 * than one (PARTIAL). A broader code counts when it was declared (a
 * six-digit code under a rule on eight digits) or when an uncertain
 * keyword gave it (a "vehicle" may be of the rule's heading); a certain
 * keyword claims its heading only, so "Maybach" (87.03) does not make
 * every rule on a subheading of 87.03 (snowmobiles) a question. */
static int hs_strength(const cordon_rule *rule, const char *code, bool certain, bool declared)
{
    int best = NO_MATCH;
    size_t cl = strlen(code);
    for (size_t i = 0; i < rule->n_hs; i++) {
        size_t pl = strlen(rule->hs[i]);
        if (cl >= pl && !memcmp(code, rule->hs[i], pl))
            return certain ? FULL_CERTAIN : FULL_POSSIBLE;
        if (cl < pl && !memcmp(code, rule->hs[i], cl) && (declared || !certain))
            best = PARTIAL;
    }
    return best;
}

static int money(cordon__buf *b, const char *cur, double v)
{
    return cordon__buf_printf(b, "%s %.2f", cur, v);
}

static int goods_reason(builder *b, const cordon__goods *g, const cordon_rule *rule,
                        const target *tg, bool export_, const char *code, const char *basis,
                        const char *keyword, int strength, bool contradicts)
{
    cordon_action action = strength == FULL_CERTAIN && !contradicts ? rule->action
                                                                     : CORDON_ACTION_REVIEW;
    cordon__buf extra = {0};
    int rc = 0;
    if (rule->value_over > 0) {
        double item = 0, conv = 0;
        if (!g->has_value) {
            action = CORDON_ACTION_REVIEW;
            rc = cordon__buf_printf(&extra, "; the value is not given, and the rule applies above ") ||
                 money(&extra, rule->currency, rule->value_over);
        } else {
            item = g->value / g->quantity;
            int cv = cordon_rates_convert(b->s->rates, item, g->currency, rule->currency, &conv);
            if (cv && b->opts && b->opts->rates)
                cv = cordon_rates_convert(b->opts->rates, item, g->currency, rule->currency, &conv);
            if (cv) {
                action = CORDON_ACTION_REVIEW;
                rc = cordon__buf_printf(&extra, "; ") || money(&extra, g->currency, item) ||
                     cordon__buf_printf(&extra, " per item cannot be converted to %s (no rate), "
                                                "and the rule applies above ", rule->currency) ||
                     money(&extra, rule->currency, rule->value_over);
            } else if (!(conv > rule->value_over)) {
                cordon__buf_free(&extra);
                return 0; /* under the threshold: the rule does not apply */
            } else {
                rc = cordon__buf_printf(&extra, "; ") || money(&extra, g->currency, item) ||
                     cordon__buf_printf(&extra, " per item");
                if (!rc && strcmp(g->currency, rule->currency))
                    rc = cordon__buf_printf(&extra, " (") || money(&extra, rule->currency, conv) ||
                         cordon__buf_printf(&extra, ")");
                if (!rc)
                    rc = cordon__buf_printf(&extra, " is above ") ||
                         money(&extra, rule->currency, rule->value_over);
            }
        }
    }
    if (rc) {
        cordon__buf_free(&extra);
        return CORDON_ENOMEM;
    }
    cordon_reason *r = add(b, action, CORDON_REASON_GOODS);
    if (!r) {
        cordon__buf_free(&extra);
        return CORDON_ENOMEM;
    }
    const char *name = cordon_country_name(tg->code);
    char *what = g->description ? shown(b, g->description) : dupstr(b, "goods");
    char *how;
    if (!strcmp(basis, "declared"))
        how = fmt(b, "HS %s, declared", code);
    else if (contradicts)
        how = fmt(b, "the description's keyword \"%s\" suggests HS %s, but HS %s is declared",
                  keyword, code, g->hs);
    else
        how = fmt(b, "HS %s %sfrom the keyword \"%s\"", code,
                  strength == FULL_CERTAIN ? "" : strength == PARTIAL ? "(broader than the rule) "
                                                                      : "(possibly) ",
                  keyword);
    r->subject = g->path;
    r->rule = rule->id;
    r->source = rule->source;
    r->caveat = rule->caveat;
    r->hs = dupstr(b, code);
    r->basis = contradicts ? "description" : basis;
    r->keyword = keyword;
    r->country = dupstr(b, tg->code);
    r->message = fmt(b, "%s %s (%s) %s %s %s (%s): %s%s", g->path, what ? what : "",
                     how ? how : "", contradicts ? "may be" : strength == FULL_CERTAIN ? "is" : "may be",
                     export_ ? "bound for" : "from", tg->code, name ? name : tg->code, rule->title,
                     extra.data ? extra.data : "");
    cordon__buf_free(&extra);
    if (!what || !how || !r->hs || !r->country || !r->message)
        return CORDON_ENOMEM;
    return 0;
}

static int screen_goods(builder *b)
{
    const cordon_shipment *s = b->s;
    targets t;
    collect_targets(s, &t);
    for (size_t gi = 0; gi < s->n_goods; gi++) {
        const cordon__goods *g = &s->goods[gi];
        cordon__hs_hit hits[CORDON__MAX_HITS];
        int n_hits = 0;
        if (g->description) {
            n_hits = cordon__classify(b->rules, g->description, g->description_len, hits);
            if (n_hits < 0)
                return cordon__fail(b->err, n_hits, NULL, 0, 0, "%s.description: %s", g->path,
                                    cordon_strerror(n_hits));
        }
        bool relevant = false; /* a goods rule looks at this shipment's places */
        for (size_t ri = 0; ri < b->rules->n_rules; ri++) {
            const cordon_rule *rule = &b->rules->rules[ri];
            bool export_ = true;
            const target *tg;
            if (rule->kind != CORDON_RULE_GOODS || !(tg = rule_target(rule, &t, &export_)))
                continue;
            relevant = true;
            int rc;
            if (g->hs[0]) {
                int st = hs_strength(rule, g->hs, true, true);
                if (st) {
                    if ((rc = goods_reason(b, g, rule, tg, export_, g->hs, "declared", NULL, st,
                                           false)))
                        return rc;
                    continue;
                }
                /* the declared code escapes the rule: does the description? */
                for (int h = 0; h < n_hits; h++) {
                    int hs = hs_strength(rule, hits[h].hs, hits[h].certain, false);
                    if (hs >= FULL_POSSIBLE) {
                        if ((rc = goods_reason(b, g, rule, tg, export_, hits[h].hs, "description",
                                               hits[h].keyword, hs, true)))
                            return rc;
                        break;
                    }
                }
                continue;
            }
            int best = NO_MATCH, at = -1;
            for (int h = 0; h < n_hits; h++) {
                int st = hs_strength(rule, hits[h].hs, hits[h].certain, false);
                if (st > best) {
                    best = st;
                    at = h;
                }
            }
            if (best && (rc = goods_reason(b, g, rule, tg, export_, hits[at].hs, "description",
                                           hits[at].keyword, best, false)))
                return rc;
        }
        if (relevant && !g->hs[0] && n_hits == 0) {
            cordon_reason *r = add(b, CORDON_ACTION_REVIEW, CORDON_REASON_NOTE);
            char *what = shown(b, g->description);
            if (!r || !what)
                return CORDON_ENOMEM;
            r->subject = g->path;
            r->message = fmt(b, "%s %s has no HS code and its description matches no keyword; "
                                "goods rules apply to this shipment's places, so declare the code",
                             g->path, what);
            if (!r->message)
                return CORDON_ENOMEM;
        }
    }
    return 0;
}

/* ---- notes --------------------------------------------------------- */

static int notes(builder *b)
{
    const cordon_shipment *s = b->s;
    for (size_t i = 0; i < s->n_route; i++) {
        const cordon__where *w = &s->route[i];
        if (w->code[0])
            continue;
        cordon_reason *r = add(b, CORDON_ACTION_CLEAR, CORDON_REASON_NOTE);
        if (!r)
            return CORDON_ENOMEM;
        r->subject = w->path;
        r->message = fmt(b, "%s \"%.80s\" is not in the gazetteer and names no country: its "
                            "country was not checked (write \"Place, Country\")", w->path, w->text);
        if (!r->message)
            return CORDON_ENOMEM;
    }
    if (!s->destination.text) {
        cordon_reason *r = add(b, CORDON_ACTION_CLEAR, CORDON_REASON_NOTE);
        if (!r || !(r->subject = dupstr(b, "destination")) ||
            !(r->message = dupstr(b, "no destination given: destination rules looked only at "
                                     "the route's last place and the consignee's and end "
                                     "user's countries")))
            return CORDON_ENOMEM;
    }
    return 0;
}

int cordon_shipment_screen(const cordon_index *idx, const cordon_rules *rules,
                           const cordon_shipment *s, const cordon_shipment_options *opts,
                           cordon_shipment_result **out, cordon_error *err)
{
    if (!out || !rules || !s)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "invalid argument");
    *out = NULL;
    cordon_algorithm alg = opts ? opts->algorithm : CORDON_ALGORITHM_DEFAULT;
    if ((unsigned)alg >= CORDON_ALGORITHM_COUNT_)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "unknown algorithm %d", (int)alg);
    double review = opts && opts->review_threshold > 0 ? opts->review_threshold
                    : rules->review_threshold > 0     ? rules->review_threshold
                                                      : cordon_default_threshold(alg);
    double block = opts && opts->block_threshold > 0 ? opts->block_threshold
                   : rules->block_threshold > 0     ? rules->block_threshold
                                                    : 1.0;
    if (!(review > 0 && review <= 1) || !(block > 0 && block <= 1) || block < review)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0,
                            "thresholds must be in (0, 1] with review %g <= block %g", review,
                            block);
    cordon__shipment_result *res = calloc(1, sizeof *res);
    if (!res)
        return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    cordon__arena_init(&res->arena);
    builder b = {.res = res, .rules = rules, .s = s, .opts = opts, .err = err};
    cordon__vec places = {0};
    int rc = screen_parties(&b, idx, review, block);
    if (!rc)
        rc = collect_places(s, &places);
    if (!rc)
        rc = screen_countries(&b, &places);
    if (!rc)
        rc = screen_goods(&b);
    if (!rc)
        rc = notes(&b);
    cordon__vec_free(&places);
    cordon_shipment_result *pub = &res->pub;
    if (!rc) {
        /* Reasons point into the rules and the shipment for what they
         * share with them; copy those too, so the result stands alone. */
        cordon_reason *rs = cordon__arena_alloc(&res->arena,
                                                (b.reasons.count ? b.reasons.count : 1) * sizeof *rs);
        if (!rs)
            rc = CORDON_ENOMEM;
        for (size_t i = 0; !rc && i < b.reasons.count; i++) {
            rs[i] = ((cordon_reason *)b.reasons.items)[i];
            const char **fields[] = {&rs[i].subject, &rs[i].role, &rs[i].rule, &rs[i].source,
                                     &rs[i].caveat, &rs[i].basis, &rs[i].keyword};
            for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
                if (*fields[f] && !(*fields[f] = dupstr(&b, *fields[f])))
                    rc = CORDON_ENOMEM;
            if (rs[i].action > pub->decision)
                pub->decision = rs[i].action;
        }
        pub->reasons = rs;
        pub->n_reasons = b.reasons.count;
        if (!rc && s->reference && !(pub->reference = dupstr(&b, s->reference)))
            rc = CORDON_ENOMEM;
        if (!rc && s->origin.code[0] && !(pub->origin = dupstr(&b, s->origin.code)))
            rc = CORDON_ENOMEM;
        if (!rc && s->destination.code[0] && !(pub->destination = dupstr(&b, s->destination.code)))
            rc = CORDON_ENOMEM;
        if (!rc && !(pub->rules_as_of = dupstr(&b, rules->as_of ? rules->as_of : "")))
            rc = CORDON_ENOMEM;
    }
    cordon__vec_free(&b.reasons);
    if (rc) {
        if (rc == CORDON_ENOMEM)
            cordon__fail(err, rc, NULL, 0, 0, "out of memory");
        cordon_shipment_result_free(pub);
        return rc;
    }
    *out = pub;
    return 0;
}

void cordon_shipment_result_free(cordon_shipment_result *r)
{
    if (!r)
        return;
    cordon__shipment_result *res = (cordon__shipment_result *)r;
    cordon__arena_free(&res->arena);
    free(res);
}

const char *cordon_action_name(cordon_action action)
{
    switch (action) {
    case CORDON_ACTION_CLEAR: return "CLEAR";
    case CORDON_ACTION_REVIEW: return "REVIEW";
    case CORDON_ACTION_BLOCK: return "BLOCK";
    }
    return "UNKNOWN";
}

int cordon_action_parse(const char *s, size_t len, cordon_action *out)
{
    if (!s || !out)
        return CORDON_EINVAL;
    for (int a = CORDON_ACTION_CLEAR; a <= CORDON_ACTION_BLOCK; a++)
        if (cordon__ieq(s, len, cordon_action_name((cordon_action)a))) {
            *out = (cordon_action)a;
            return 0;
        }
    return CORDON_ENOTFOUND;
}

const char *cordon_reason_kind_name(cordon_reason_kind kind)
{
    switch (kind) {
    case CORDON_REASON_PARTY: return "party";
    case CORDON_REASON_COUNTRY: return "country";
    case CORDON_REASON_GOODS: return "goods";
    case CORDON_REASON_NOTE: return "note";
    }
    return "unknown";
}
