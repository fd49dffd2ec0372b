/*
 * list_ofac_enhanced_xml.c — OFAC's Enhanced XML (<sanctionsData>, the
 * schema of SDN_ENHANCED.XML and CONS_ENHANCED.XML).
 *
 * Mapping, per <entity id=...>:
 *   id          the id attribute (the same number as the classic uid)
 *   schema      generalInfo/entityType: Individual, Entity, Vessel, Aircraft
 *   names       names/name: isPrimary -> primary, else aliasType F.K.A. ->
 *               former, other aliases strong; isLowQuality -> weak (as the
 *               classic file's weak category). Each name's primary
 *               translation gives formattedFullName ("LAST, First", the
 *               classic form); other translations (Cyrillic, Chinese...)
 *               are native-script names.
 *   programs    sanctionsPrograms/sanctionsProgram
 *   listed_on   the earliest sanctionsList datePublished
 *   remarks     generalInfo/remarks, then relationships as "(Linked To:
 *               NAME)" the way the classic remarks write them
 *   features    type + value through cordon__ofac_apply_item (birthdate,
 *               place of birth, nationality, citizenship, gender, vessel
 *               flag, IMO, MMSI, e-mail, website, sanctions information);
 *               an approximate birthdate becomes "circa ..."; a value given
 *               only as valueRefId is looked up in referenceValues
 *   documents   identityDocuments: type, documentNumber, issuingCountry
 *   addresses   the primary translation's ADDRESS1..3, CITY,
 *               STATE/PROVINCE, POSTAL CODE, REGION, then country, joined
 *               with ", "; country also to countries
 * publicationInfo/dataAsOf is the publication date.
 */
#include "cordon_int.h"

#include <string.h>

#define TRY(x)                  \
    do {                        \
        int rc_ = (x);          \
        if (rc_)                \
            return rc_;         \
    } while (0)

typedef struct ctx {
    cordon__loader *ld;
    cordon__buf a, b;    /* scratch */
    cordon__strmap refs; /* referenceValue refId -> its node */
} ctx;

static int oom(ctx *c) { return cordon__loader_fail(c->ld, CORDON_ENOMEM, 0, 0, "out of memory"); }

static bool is_true(const cordon__xml_node *n, const char *name)
{
    size_t len;
    const char *s = cordon__xml_child_text(n, name, &len);
    if (!s)
        return false;
    len = cordon__trim(&s, len);
    return cordon__ieq(s, len, "true");
}

/* Squashed text of n (or of its child `name`) into buf, reset first. */
static int text(ctx *c, cordon__buf *buf, const cordon__xml_node *n, const char *name)
{
    buf->len = 0;
    return cordon__xml_append(buf, name ? cordon__xml_child(n, name) : n, "") ? oom(c) : 0;
}

static int add_names(ctx *c, cordon__entity_b *e, const cordon__xml_node *rec)
{
    CORDON__XML_EACH(n, cordon__xml_child(rec, "names"), "name") {
        cordon_name_kind kind = CORDON_NAME_STRONG;
        size_t tl;
        const char *t = cordon__xml_child_text(n, "aliasType", &tl);
        if (is_true(n, "isPrimary"))
            kind = CORDON_NAME_PRIMARY;
        else if (is_true(n, "isLowQuality"))
            kind = CORDON_NAME_WEAK;
        else if (t && (tl = cordon__trim(&t, tl), cordon__ieq(t, tl, "F.K.A.")))
            kind = CORDON_NAME_FORMER;
        /* The primary translation first, so that it is the one that
         * becomes the primary name. */
        for (int pass = 0; pass < 2; pass++) {
            CORDON__XML_EACH(tr, cordon__xml_child(n, "translations"), "translation") {
                bool primary = is_true(tr, "isPrimary");
                if (primary != (pass == 0))
                    continue;
                TRY(text(c, &c->a, tr, "formattedFullName"));
                TRY(cordon__entity_add_name(c->ld, e, c->a.data, c->a.len,
                                            primary ? kind : CORDON_NAME_NATIVE));
            }
        }
    }
    return 0;
}

static int add_addresses(ctx *c, cordon__entity_b *e, const cordon__xml_node *rec)
{
    static const char *const order[] = {"ADDRESS1", "ADDRESS2", "ADDRESS3", "CITY",
                                        "STATE/PROVINCE", "POSTAL CODE", "REGION"};
    CORDON__XML_EACH(ad, cordon__xml_child(rec, "addresses"), "address") {
        const cordon__xml_node *tr = NULL;
        CORDON__XML_EACH(t, cordon__xml_child(ad, "translations"), "translation")
            if (!tr || is_true(t, "isPrimary"))
                tr = t;
        const cordon__xml_node *parts = cordon__xml_child(tr, "addressParts");
        c->a.len = 0;
        for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
            CORDON__XML_EACH(p, parts, "addressPart") {
                TRY(text(c, &c->b, p, "type"));
                if (c->b.len && cordon__ieq(c->b.data, c->b.len, order[i]) &&
                    cordon__xml_append(&c->a, cordon__xml_child(p, "value"), ", "))
                    return oom(c);
            }
        if (cordon__xml_append(&c->a, cordon__xml_child(ad, "country"), ", "))
            return oom(c);
        TRY(cordon__entity_add_address(c->ld, e, c->a.data, c->a.len));
        TRY(text(c, &c->b, ad, "country"));
        TRY(cordon__entity_add_country(c->ld, e, c->b.data, c->b.len));
    }
    return 0;
}

static int add_features(ctx *c, cordon__entity_b *e, const cordon__xml_node *rec)
{
    CORDON__XML_EACH(f, cordon__xml_child(rec, "features"), "feature") {
        TRY(text(c, &c->b, f, "type"));
        TRY(text(c, &c->a, f, "value"));
        if (c->a.len == 0) {
            size_t rl;
            const char *ref = cordon__xml_child_text(f, "valueRefId", &rl);
            const cordon__xml_node *rv = ref ? cordon__strmap_get(&c->refs, ref, rl) : NULL;
            TRY(text(c, &c->a, rv, "value"));
        }
        const cordon__xml_node *vd = cordon__xml_child(f, "valueDate");
        if (c->a.len && vd && is_true(vd, "isApproximate") &&
            cordon__ieq(c->b.data, c->b.len, "Birthdate")) {
            cordon__buf tmp = {0};
            if (cordon__buf_printf(&tmp, "circa %s", c->a.data)) {
                cordon__buf_free(&tmp);
                return oom(c);
            }
            cordon__buf_free(&c->a);
            c->a = tmp;
        }
        TRY(cordon__ofac_apply_item(c->ld, e, c->b.data, c->b.len, c->a.data, c->a.len, NULL,
                                    0));
    }
    return 0;
}

static int add_documents(ctx *c, cordon__entity_b *e, const cordon__xml_node *rec)
{
    CORDON__XML_EACH(d, cordon__xml_child(rec, "identityDocuments"), "identityDocument") {
        TRY(text(c, &c->b, d, "type"));
        size_t nl, cl;
        const char *num = cordon__xml_child_text(d, "documentNumber", &nl);
        const char *country = cordon__xml_child_text(d, "issuingCountry", &cl);
        TRY(cordon__ofac_apply_item(c->ld, e, c->b.data, c->b.len, num, num ? nl : 0, country,
                                    country ? cl : 0));
    }
    return 0;
}

static int parse_entity(ctx *c, const cordon__xml_node *rec)
{
    cordon__loader *ld = c->ld;
    const char *id = cordon__xml_attr(rec, "id");
    const cordon__xml_node *gi = cordon__xml_child(rec, "generalInfo");
    size_t tl;
    const char *type = cordon__xml_child_text(gi, "entityType", &tl);
    cordon_schema schema = type ? cordon__ofac_schema(type, tl) : CORDON_SCHEMA_UNKNOWN;
    if (schema == CORDON_SCHEMA_UNKNOWN)
        return cordon__loader_fail(ld, CORDON_EFORMAT, rec->line, rec->column,
                                   "entity %.40s: unknown entityType \"%.40s\"", id ? id : "",
                                   type ? type : "");
    if (!id || !*id)
        return cordon__loader_fail(ld, CORDON_EFORMAT, rec->line, rec->column,
                                   "<entity> without an id attribute");
    cordon__entity_b *e;
    TRY(cordon__entity_begin(ld, id, strlen(id), schema, rec->line, &e));
    TRY(add_names(c, e, rec));
    CORDON__XML_EACH(p, cordon__xml_child(rec, "sanctionsPrograms"), "sanctionsProgram") {
        TRY(text(c, &c->a, p, NULL));
        TRY(cordon__entity_add_program(ld, e, c->a.data, c->a.len));
    }
    const char *first = NULL;
    CORDON__XML_EACH(l, cordon__xml_child(rec, "sanctionsLists"), "sanctionsList") {
        const char *d = cordon__xml_attr(l, "datePublished");
        if (d && *d && (!first || strcmp(d, first) < 0)) /* ISO dates sort as text */
            first = d;
    }
    if (first)
        TRY(cordon__entity_set_listed_on(ld, e, first, strlen(first)));
    TRY(text(c, &c->a, gi, "remarks"));
    TRY(cordon__entity_add_remarks(ld, e, c->a.data, c->a.len));
    CORDON__XML_EACH(r, cordon__xml_child(rec, "relationships"), "relationship") {
        TRY(text(c, &c->b, r, "relatedEntity"));
        if (!c->b.len)
            continue;
        c->a.len = 0;
        if (cordon__buf_printf(&c->a, "(Linked To: %s)", c->b.data))
            return oom(c);
        TRY(cordon__entity_add_remarks(ld, e, c->a.data, c->a.len));
    }
    TRY(add_documents(c, e, rec));
    TRY(add_features(c, e, rec));
    TRY(add_addresses(c, e, rec));
    return 0;
}

static int parse_doc(ctx *c, const cordon__xml_node *root)
{
    cordon__loader *ld = c->ld;
    if (strcmp(root->name, "sanctionsData") != 0)
        return cordon__loader_fail(ld, CORDON_ECORRUPT, root->line, root->column,
                                   "not an OFAC Enhanced XML file: the root element is "
                                   "<%.80s>, not <sanctionsData>",
                                   root->qname);
    const cordon__xml_node *entities = cordon__xml_child(root, "entities");
    if (!entities)
        return cordon__loader_fail(ld, CORDON_ECORRUPT, root->line, root->column,
                                   "not an OFAC Enhanced XML file: no <entities>");
    size_t len;
    const char *date = cordon__xml_child_text(root, "publicationInfo/dataAsOf", &len);
    if (date) {
        const char *t = memchr(date, 'T', len); /* "2025-01-10T00:00:00" */
        TRY(cordon__loader_set_published(ld, date, t ? (size_t)(t - date) : len));
    }
    CORDON__XML_EACH(rv, cordon__xml_child(root, "referenceValues"), "referenceValue") {
        const char *id = cordon__xml_attr(rv, "refId");
        if (id && cordon__strmap_put(&c->refs, id, strlen(id), (void *)rv))
            return oom(c);
    }
    CORDON__XML_EACH(rec, entities, "entity")
        TRY(cordon__loader_locate(ld, parse_entity(c, rec), rec->line, rec->column));
    return 0;
}

int cordon__parse_ofac_enhanced_xml(cordon__loader *ld)
{
    cordon__xml_doc doc;
    int rc = cordon__xml_parse_source(&doc, ld, "an OFAC Enhanced XML list");
    if (rc)
        return rc;
    ctx c = {.ld = ld};
    rc = parse_doc(&c, doc.root);
    cordon__buf_free(&c.a);
    cordon__buf_free(&c.b);
    cordon__strmap_free(&c.refs);
    cordon__xml_free(&doc);
    return rc;
}
