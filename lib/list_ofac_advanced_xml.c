/*
 * list_ofac_advanced_xml.c — OFAC's Advanced XML (<Sanctions>, the
 * sdn_advanced.xsd schema of sdn_advanced.xml and cons_advanced.xml).
 *
 * The schema is normalized: every type, country and label is an ID into
 * ReferenceValueSets, addresses live in Locations, documents in
 * IDRegDocuments (by IdentityID), programs and dates in SanctionsEntries
 * (by ProfileID). This parser indexes those sections by ID, then reads:
 *   id          DistinctParty FixedRef (the classic uid)
 *   schema      Profile PartySubTypeID -> PartyType Individual, Entity,
 *               Transport/Vessel, Transport/Aircraft
 *   names       Identity/Alias: Primary -> primary, LowQuality -> weak,
 *               AliasType F.K.A. -> former, else strong. Each
 *               DocumentedName is "Last Name parts, other parts" (the
 *               classic form); a name in a non-Latin script is native.
 *   features    FeatureType label + FeatureVersion value (VersionDetail
 *               text or its DetailReference, a DatePeriod as a date, a
 *               VersionLocation as an address or, for country features,
 *               the location's country) through cordon__ofac_apply_item;
 *               "Location" features are the addresses
 *   documents   IDRegDocument type, IDRegistrationNo, IssuedBy-CountryID
 *   programs    SanctionsMeasure of type "Program": its Comment
 *   listed_on   the earliest EntryEvent date
 *   remarks     DistinctParty/Comment, then ProfileRelationships as
 *               "(Linked To: NAME)", as the other OFAC schemas read
 * DateOfIssue is the publication date.
 */
#include "cordon_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRY(x)                  \
    do {                        \
        int rc_ = (x);          \
        if (rc_)                \
            return rc_;         \
    } while (0)

typedef struct ctx {
    cordon__loader *ld;
    cordon__buf a, b, c; /* scratch */
    /* ReferenceValueSets, ID -> node */
    cordon__strmap alias_types, countries, detail_refs, feature_types, doc_types,
        loc_part_types, name_part_types, party_subtypes, party_types, scripts, sanctions_types;
    cordon__strmap locations;  /* Location ID -> node */
    cordon__strmap identities; /* Identity ID -> entity */
    cordon__strmap profiles;   /* Profile ID -> entity */
    cordon__strmap names;      /* Profile ID -> its primary name (in scratch arena) */
    cordon__strmap groups;     /* NamePartGroup ID -> its part type, per Identity */
    cordon__arena arena;       /* scratch strings, freed with ctx */
} ctx;

static int oom(ctx *c) { return cordon__loader_fail(c->ld, CORDON_ENOMEM, 0, 0, "out of memory"); }

/* Maps the ID attribute of every child of set to the child. */
static int index_ids(ctx *c, cordon__strmap *m, const cordon__xml_node *set)
{
    CORDON__XML_EACH(k, set, NULL) {
        const char *id = cordon__xml_attr(k, "ID");
        if (id && cordon__strmap_put(m, id, strlen(id), (void *)k))
            return oom(c);
    }
    return 0;
}

/* The reference node for the ID in attribute attr of n, or NULL. */
static const cordon__xml_node *ref(const cordon__strmap *m, const cordon__xml_node *n,
                                   const char *attr)
{
    const char *id = cordon__xml_attr(n, attr);
    return id ? cordon__strmap_get(m, id, strlen(id)) : NULL;
}

static const char *ref_text(const cordon__strmap *m, const cordon__xml_node *n, const char *attr)
{
    const cordon__xml_node *r = ref(m, n, attr);
    return r ? r->text : NULL;
}

static bool attr_true(const cordon__xml_node *n, const char *name)
{
    const char *v = cordon__xml_attr(n, name);
    return v && strcmp(v, "true") == 0;
}

static bool text_is(const char *s, const char *lit)
{
    if (!s)
        return false;
    size_t len = cordon__trim(&s, strlen(s));
    return cordon__ieq(s, len, lit);
}

/* ---- dates ---------------------------------------------------------- */

static bool ymd(const cordon__xml_node *n, int *y, int *m, int *d)
{
    const char *ys = cordon__xml_child_text(n, "Year", NULL);
    const char *ms = cordon__xml_child_text(n, "Month", NULL);
    const char *ds = cordon__xml_child_text(n, "Day", NULL);
    *y = ys ? atoi(ys) : 0;
    *m = ms ? atoi(ms) : 0;
    *d = ds ? atoi(ds) : 0;
    return *y > 0 && *y < 10000 && *m >= 0 && *m <= 12 && *d >= 0 && *d <= 31;
}

static int last_day(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return m >= 1 && m <= 12 ? days[m - 1] : 31;
}

/* A DatePeriod as date text: "1962" for a whole year, "1962-05" for a
 * whole month, "1962-05-17" for a day, "1960 to 1962" for a range of
 * years, with "circa " when OFAC marks it approximate. */
static int period_text(ctx *c, const cordon__xml_node *p, cordon__buf *out)
{
    out->len = 0;
    const cordon__xml_node *start = cordon__xml_child(p, "Start");
    const cordon__xml_node *end = cordon__xml_child(p, "End");
    int y1, m1, d1, y2, m2, d2;
    if (!ymd(cordon__xml_child(start, "From"), &y1, &m1, &d1) ||
        !ymd(cordon__xml_child(end ? end : start, "To"), &y2, &m2, &d2))
        return cordon__buf_terminate(out) ? oom(c) : 0;
    int rc = 0;
    if (attr_true(start, "Approximate") || attr_true(end, "Approximate"))
        rc = cordon__buf_printf(out, "circa ");
    if (!rc) {
        if (y1 != y2)
            rc = cordon__buf_printf(out, "%d to %d", y1, y2);
        else if (m1 <= 1 && d1 <= 1 && m2 == 12 && d2 == 31)
            rc = cordon__buf_printf(out, "%04d", y1);
        else if (m1 == m2 && d1 <= 1 && d2 == last_day(y2, m2))
            rc = cordon__buf_printf(out, "%04d-%02d", y1, m1);
        else if (m1 == m2 && d1 == d2)
            rc = cordon__buf_printf(out, "%04d-%02d-%02d", y1, m1, d1);
        else
            rc = cordon__buf_printf(out, "%04d-%02d-%02d to %04d-%02d-%02d", y1, m1, d1, y2,
                                    m2, d2);
    }
    return rc ? oom(c) : 0;
}

/* ---- locations ------------------------------------------------------- */

static const char *location_country(ctx *c, const cordon__xml_node *loc)
{
    return ref_text(&c->countries, cordon__xml_child(loc, "LocationCountry"), "CountryID");
}

/* The location's parts in address order, then its country, into out. */
static int location_text(ctx *c, const cordon__xml_node *loc, cordon__buf *out)
{
    static const char *const order[] = {"ADDRESS1", "ADDRESS2", "ADDRESS3", "CITY",
                                        "STATE/PROVINCE", "POSTAL CODE", "REGION"};
    out->len = 0;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        CORDON__XML_EACH(part, loc, "LocationPart") {
            if (!text_is(ref_text(&c->loc_part_types, part, "LocPartTypeID"), order[i]))
                continue;
            const cordon__xml_node *val = NULL;
            CORDON__XML_EACH(v, part, "LocationPartValue")
                if (!val || attr_true(v, "Primary"))
                    val = v;
            if (cordon__xml_append(out, cordon__xml_child(val, "Value"), ", "))
                return oom(c);
        }
    const char *country = location_country(c, loc);
    if (country) {
        cordon__xml_node tmp = {.text = country, .text_len = strlen(country)};
        if (cordon__xml_append(out, &tmp, ", "))
            return oom(c);
    }
    return cordon__buf_terminate(out) ? oom(c) : 0;
}

/* ---- names ----------------------------------------------------------- */

/* Maps the identity's NamePartGroup IDs to their part types ("Last
 * Name"), so that each name part finds its type at once however many
 * groups a hostile identity declares. */
static int index_groups(ctx *c, const cordon__xml_node *identity)
{
    cordon__strmap_free(&c->groups);
    const cordon__xml_node *groups = cordon__xml_child(identity, "NamePartGroups");
    CORDON__XML_EACH(m, groups, "MasterNamePartGroup")
        CORDON__XML_EACH(g, m, "NamePartGroup") {
            const char *id = cordon__xml_attr(g, "ID");
            const char *type = ref_text(&c->name_part_types, g, "NamePartTypeID");
            /* the first group of an ID counts; "" for an unknown type */
            if (id && !cordon__strmap_get(&c->groups, id, strlen(id)) &&
                cordon__strmap_put(&c->groups, id, strlen(id), (void *)(type ? type : "")))
                return oom(c);
        }
    return 0;
}

/* "Last parts, other parts" of a DocumentedName into c->a; *latin tells
 * whether every part is in Latin script. */
static int documented_name(ctx *c, const cordon__xml_node *dn, bool *latin)
{
    *latin = true;
    c->a.len = 0;
    c->b.len = 0;
    CORDON__XML_EACH(dp, dn, "DocumentedNamePart") {
        const cordon__xml_node *v = cordon__xml_child(dp, "NamePartValue");
        if (!v)
            continue;
        const cordon__xml_node *script = ref(&c->scripts, v, "ScriptID");
        if (script && !text_is(cordon__xml_attr(script, "ScriptCode"), "Latin") &&
            !text_is(cordon__xml_attr(script, "ScriptCode"), "Latn"))
            *latin = false;
        const char *group = cordon__xml_attr(v, "NamePartGroupID");
        bool last = group && text_is(cordon__strmap_get(&c->groups, group, strlen(group)),
                                     "Last Name");
        if (cordon__xml_append(last ? &c->a : &c->b, v, " "))
            return oom(c);
    }
    if (c->b.len) {
        cordon__xml_node tmp = {.text = c->b.data, .text_len = c->b.len};
        if (cordon__xml_append(&c->a, &tmp, ", "))
            return oom(c);
    }
    return cordon__buf_terminate(&c->a) ? oom(c) : 0;
}

static int add_names(ctx *c, cordon__entity_b *e, const cordon__xml_node *identity,
                     const char *profile_id)
{
    TRY(index_groups(c, identity));
    CORDON__XML_EACH(al, identity, "Alias") {
        cordon_name_kind kind = CORDON_NAME_STRONG;
        if (attr_true(al, "Primary"))
            kind = CORDON_NAME_PRIMARY;
        else if (attr_true(al, "LowQuality"))
            kind = CORDON_NAME_WEAK;
        else if (text_is(ref_text(&c->alias_types, al, "AliasTypeID"), "F.K.A."))
            kind = CORDON_NAME_FORMER;
        CORDON__XML_EACH(dn, al, "DocumentedName") {
            bool latin;
            TRY(documented_name(c, dn, &latin));
            cordon_name_kind k = latin ? kind : CORDON_NAME_NATIVE;
            TRY(cordon__entity_add_name(c->ld, e, c->a.data, c->a.len, k));
            if (k == CORDON_NAME_PRIMARY && profile_id && c->a.len &&
                !cordon__strmap_get(&c->names, profile_id, strlen(profile_id))) {
                char *copy = cordon__arena_strndup(&c->arena, c->a.data, c->a.len);
                if (!copy || cordon__strmap_put(&c->names, profile_id, strlen(profile_id), copy))
                    return oom(c);
            }
        }
    }
    return 0;
}

/* ---- features -------------------------------------------------------- */

static int add_feature(ctx *c, cordon__entity_b *e, const cordon__xml_node *f)
{
    const char *label = ref_text(&c->feature_types, f, "FeatureTypeID");
    if (!label)
        return cordon__loader_fail(c->ld, CORDON_EFORMAT, f->line, f->column,
                                   "Feature with an unknown FeatureTypeID \"%.20s\"",
                                   cordon__xml_attr(f, "FeatureTypeID") ?
                                       cordon__xml_attr(f, "FeatureTypeID") : "");
    bool is_location = text_is(label, "Location");
    CORDON__XML_EACH(fv, f, "FeatureVersion") {
        const cordon__xml_node *loc = ref(&c->locations, cordon__xml_child(fv, "VersionLocation"),
                                          "LocationID");
        if (is_location) {
            if (!loc)
                continue;
            TRY(location_text(c, loc, &c->c));
            TRY(cordon__entity_add_address(c->ld, e, c->c.data, c->c.len));
            const char *country = location_country(c, loc);
            if (country)
                TRY(cordon__entity_add_country(c->ld, e, country, strlen(country)));
            continue;
        }
        const cordon__xml_node *period = cordon__xml_child(fv, "DatePeriod");
        const cordon__xml_node *detail = cordon__xml_child(fv, "VersionDetail");
        c->c.len = 0;
        if (period)
            TRY(period_text(c, period, &c->c));
        if (!c->c.len && detail && cordon__xml_append(&c->c, detail, ""))
            return oom(c);
        if (!c->c.len) {
            const char *r = ref_text(&c->detail_refs, detail, "DetailReferenceID");
            cordon__xml_node tmp = {.text = r ? r : "", .text_len = r ? strlen(r) : 0};
            if (cordon__xml_append(&c->c, &tmp, ""))
                return oom(c);
        }
        if (!c->c.len && loc) { /* a country feature: the location's country */
            const char *country = location_country(c, loc);
            if (country) {
                cordon__xml_node tmp = {.text = country, .text_len = strlen(country)};
                if (cordon__xml_append(&c->c, &tmp, ""))
                    return oom(c);
            } else {
                TRY(location_text(c, loc, &c->c));
            }
        }
        TRY(cordon__ofac_apply_item(c->ld, e, label, strlen(label), c->c.data, c->c.len, NULL,
                                    0));
    }
    return 0;
}

/* ---- parties ------------------------------------------------------- */

static cordon_schema schema_of(ctx *c, const cordon__xml_node *profile)
{
    const cordon__xml_node *sub = ref(&c->party_subtypes, profile, "PartySubTypeID");
    const char *type = ref_text(&c->party_types, sub, "PartyTypeID");
    if (text_is(type, "Individual"))
        return CORDON_SCHEMA_PERSON;
    if (text_is(type, "Entity") || text_is(type, "Other Entity"))
        return CORDON_SCHEMA_ORGANIZATION;
    if (text_is(type, "Transport") && sub && text_is(sub->text, "Vessel"))
        return CORDON_SCHEMA_VESSEL;
    if (text_is(type, "Transport") && sub && text_is(sub->text, "Aircraft"))
        return CORDON_SCHEMA_AIRCRAFT;
    return CORDON_SCHEMA_UNKNOWN;
}

static int parse_party(ctx *c, const cordon__xml_node *party)
{
    cordon__loader *ld = c->ld;
    const char *id = cordon__xml_attr(party, "FixedRef");
    if (!id || !*id)
        return cordon__loader_fail(ld, CORDON_EFORMAT, party->line, party->column,
                                   "<DistinctParty> without a FixedRef");
    const cordon__xml_node *profile = cordon__xml_child(party, "Profile");
    cordon_schema schema = schema_of(c, profile);
    if (schema == CORDON_SCHEMA_UNKNOWN)
        return cordon__loader_fail(ld, CORDON_EFORMAT, party->line, party->column,
                                   "DistinctParty %.40s: unknown party type (PartySubTypeID "
                                   "\"%.20s\")",
                                   id, profile && cordon__xml_attr(profile, "PartySubTypeID") ?
                                           cordon__xml_attr(profile, "PartySubTypeID") : "");
    cordon__entity_b *e;
    TRY(cordon__entity_begin(ld, id, strlen(id), schema, party->line, &e));
    const char *profile_id = cordon__xml_attr(profile, "ID");
    if (profile_id && cordon__strmap_put(&c->profiles, profile_id, strlen(profile_id), e))
        return oom(c);
    CORDON__XML_EACH(identity, profile, "Identity") {
        const char *iid = cordon__xml_attr(identity, "ID");
        if (iid && cordon__strmap_put(&c->identities, iid, strlen(iid), e))
            return oom(c);
        TRY(add_names(c, e, identity, profile_id));
    }
    c->a.len = 0;
    if (cordon__xml_append(&c->a, cordon__xml_child(party, "Comment"), ""))
        return oom(c);
    TRY(cordon__entity_add_remarks(ld, e, c->a.data, c->a.len));
    CORDON__XML_EACH(f, profile, "Feature")
        TRY(add_feature(c, e, f));
    return 0;
}

static int add_documents(ctx *c, const cordon__xml_node *docs)
{
    CORDON__XML_EACH(d, docs, "IDRegDocument") {
        const char *iid = cordon__xml_attr(d, "IdentityID");
        cordon__entity_b *e = iid ? cordon__strmap_get(&c->identities, iid, strlen(iid)) : NULL;
        if (!e) {
            TRY(cordon__loader_warn(c->ld, "line %lu: IDRegDocument %.20s of unknown identity "
                                           "%.20s",
                                    d->line, cordon__xml_attr(d, "ID") ?
                                                 cordon__xml_attr(d, "ID") : "",
                                    iid ? iid : ""));
            continue;
        }
        const char *label = ref_text(&c->doc_types, d, "IDRegDocTypeID");
        const char *country = ref_text(&c->countries, d, "IssuedBy-CountryID");
        c->a.len = 0;
        if (cordon__xml_append(&c->a, cordon__xml_child(d, "IDRegistrationNo"), ""))
            return oom(c);
        TRY(cordon__loader_locate(c->ld,
                                  cordon__ofac_apply_item(c->ld, e, label,
                                                          label ? strlen(label) : 0, c->a.data,
                                                          c->a.len, country,
                                                          country ? strlen(country) : 0),
                                  d->line, d->column));
    }
    return 0;
}

static int add_entries(ctx *c, const cordon__xml_node *entries)
{
    CORDON__XML_EACH(se, entries, "SanctionsEntry") {
        const char *pid = cordon__xml_attr(se, "ProfileID");
        cordon__entity_b *e = pid ? cordon__strmap_get(&c->profiles, pid, strlen(pid)) : NULL;
        if (!e) {
            TRY(cordon__loader_warn(c->ld, "line %lu: SanctionsEntry for unknown profile %.20s",
                                    se->line, pid ? pid : ""));
            continue;
        }
        CORDON__XML_EACH(m, se, "SanctionsMeasure") {
            if (!text_is(ref_text(&c->sanctions_types, m, "SanctionsTypeID"), "Program"))
                continue;
            c->a.len = 0;
            if (cordon__xml_append(&c->a, cordon__xml_child(m, "Comment"), ""))
                return oom(c);
            TRY(cordon__entity_add_program(c->ld, e, c->a.data, c->a.len));
        }
    }
    /* listed_on keeps the first value set: find each profile's earliest
     * EntryEvent date first (as YYYYMMDD in the map's pointer), then set. */
    cordon__strmap best = {0};
    int rc = 0;
    CORDON__XML_EACH(se, entries, "SanctionsEntry") {
        const char *pid = cordon__xml_attr(se, "ProfileID");
        if (!pid)
            continue;
        intptr_t cur = (intptr_t)cordon__strmap_get(&best, pid, strlen(pid));
        CORDON__XML_EACH(ev, se, "EntryEvent") {
            int y, m, d;
            if (ymd(cordon__xml_child(ev, "Date"), &y, &m, &d) && m && d) {
                intptr_t v = (intptr_t)y * 10000 + m * 100 + d;
                if (!cur || v < cur)
                    cur = v;
            }
        }
        if (cur && cordon__strmap_put(&best, pid, strlen(pid), (void *)cur)) {
            rc = oom(c);
            break;
        }
    }
    CORDON__XML_EACH(se, entries, "SanctionsEntry") {
        if (rc)
            break;
        const char *pid = cordon__xml_attr(se, "ProfileID");
        cordon__entity_b *e = pid ? cordon__strmap_get(&c->profiles, pid, strlen(pid)) : NULL;
        intptr_t v = pid ? (intptr_t)cordon__strmap_get(&best, pid, strlen(pid)) : 0;
        if (!e || !v)
            continue;
        char iso[16];
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", (int)(v / 10000), (int)(v / 100 % 100),
                 (int)(v % 100));
        rc = cordon__entity_set_listed_on(c->ld, e, iso, strlen(iso));
    }
    cordon__strmap_free(&best);
    return rc;
}

static int add_relationships(ctx *c, const cordon__xml_node *rels)
{
    CORDON__XML_EACH(r, rels, "ProfileRelationship") {
        const char *from = cordon__xml_attr(r, "From-ProfileID");
        const char *to = cordon__xml_attr(r, "To-ProfileID");
        cordon__entity_b *e = from ? cordon__strmap_get(&c->profiles, from, strlen(from)) : NULL;
        const char *name = to ? cordon__strmap_get(&c->names, to, strlen(to)) : NULL;
        if (!e || !name)
            continue; /* a party outside this file: nothing to name */
        c->a.len = 0;
        if (cordon__buf_printf(&c->a, "(Linked To: %s)", name))
            return oom(c);
        TRY(cordon__entity_add_remarks(c->ld, e, c->a.data, c->a.len));
    }
    return 0;
}

static int index_refs(ctx *c, const cordon__xml_node *sets)
{
    const struct {
        const char *set;
        cordon__strmap *map;
    } maps[] = {
        {"AliasTypeValues", &c->alias_types},
        {"CountryValues", &c->countries},
        {"DetailReferenceValues", &c->detail_refs},
        {"FeatureTypeValues", &c->feature_types},
        {"IDRegDocTypeValues", &c->doc_types},
        {"LocPartTypeValues", &c->loc_part_types},
        {"NamePartTypeValues", &c->name_part_types},
        {"PartySubTypeValues", &c->party_subtypes},
        {"PartyTypeValues", &c->party_types},
        {"ScriptValues", &c->scripts},
        {"SanctionsTypeValues", &c->sanctions_types},
    };
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++)
        TRY(index_ids(c, maps[i].map, cordon__xml_child(sets, maps[i].set)));
    return 0;
}

static int parse_doc(ctx *c, const cordon__xml_node *root)
{
    cordon__loader *ld = c->ld;
    const cordon__xml_node *sets = cordon__xml_child(root, "ReferenceValueSets");
    const cordon__xml_node *parties = cordon__xml_child(root, "DistinctParties");
    if (strcmp(root->name, "Sanctions") != 0 || !sets || !parties)
        return cordon__loader_fail(ld, CORDON_ECORRUPT, root->line, root->column,
                                   "not an OFAC Advanced XML (sdn_advanced) file: the root "
                                   "element is <%.80s>, not <Sanctions> with "
                                   "<ReferenceValueSets> and <DistinctParties>",
                                   root->qname);
    int y, m, d;
    const cordon__xml_node *issue = cordon__xml_child(root, "DateOfIssue");
    if (issue && ymd(issue, &y, &m, &d) && m && d) {
        char iso[16];
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
        TRY(cordon__loader_set_published(ld, iso, strlen(iso)));
    }
    TRY(index_refs(c, sets));
    TRY(index_ids(c, &c->locations, cordon__xml_child(root, "Locations")));
    CORDON__XML_EACH(party, parties, "DistinctParty")
        TRY(cordon__loader_locate(ld, parse_party(c, party), party->line, party->column));
    TRY(add_documents(c, cordon__xml_child(root, "IDRegDocuments")));
    TRY(add_entries(c, cordon__xml_child(root, "SanctionsEntries")));
    TRY(add_relationships(c, cordon__xml_child(root, "ProfileRelationships")));
    return 0;
}

int cordon__parse_ofac_advanced_xml(cordon__loader *ld)
{
    cordon__xml_doc doc;
    int rc = cordon__xml_parse_source(&doc, ld, "an OFAC Advanced XML list");
    if (rc)
        return rc;
    ctx c = {.ld = ld};
    cordon__arena_init(&c.arena);
    rc = parse_doc(&c, doc.root);
    cordon__buf_free(&c.a);
    cordon__buf_free(&c.b);
    cordon__buf_free(&c.c);
    cordon__strmap *maps[] = {&c.alias_types, &c.countries, &c.detail_refs, &c.feature_types,
                              &c.doc_types, &c.loc_part_types, &c.name_part_types,
                              &c.party_subtypes, &c.party_types, &c.scripts,
                              &c.sanctions_types, &c.locations, &c.identities, &c.profiles,
                              &c.names, &c.groups};
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++)
        cordon__strmap_free(maps[i]);
    cordon__arena_free(&c.arena);
    cordon__xml_free(&doc);
    return rc;
}
