/*
 * list_ofac_xml.c — OFAC's classic XML (<sdnList>, the schema of sdn.xml
 * and consolidated.xml).
 *
 * Mapping, per <sdnEntry>:
 *   id          uid
 *   schema      sdnType: Individual, Entity, Vessel, Aircraft
 *   name        "lastName, firstName" (lastName alone when no firstName),
 *               the form OFAC's CSV files print
 *   aliases     akaList/aka, same name form; category weak -> weak (f.k.a.
 *               ones too: weakness matters more to screening), strong
 *               f.k.a. -> former, other strong -> strong
 *   title       title; programs programList/program; remarks remarks
 *   idList/id   idType, idNumber, idCountry through cordon__ofac_apply_item
 *               (identifiers, gender, sanctions information); runs of
 *               spaces in values are squashed, as in the other schemas
 *   addresses   address1..3, city, stateOrProvince, postalCode, region,
 *               country joined with ", "; country also to countries
 *   dateOfBirthList, placeOfBirthList, nationalityList, citizenshipList
 *   vesselInfo  callSign, vesselType, vesselFlag, vesselOwner, tonnage,
 *               grossRegisteredTonnage, as the same labels Enhanced XML
 *               uses for them
 * The file's Publish_Date (MM/DD/YYYY) is the publication date; a
 * Record_Count that disagrees with the entries read is a warning.
 */
#include "cordon_int.h"

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
    cordon__buf a; /* scratch */
} ctx;

static int oom(ctx *c) { return cordon__loader_fail(c->ld, CORDON_ENOMEM, 0, 0, "out of memory"); }

static int append(ctx *c, const cordon__xml_node *n, const char *name, const char *sep)
{
    return cordon__xml_append(&c->a, cordon__xml_child(n, name), sep) ? oom(c) : 0;
}

/* "lastName, firstName" of n into c->a. */
static int person_name(ctx *c, const cordon__xml_node *n)
{
    c->a.len = 0;
    TRY(append(c, n, "lastName", ""));
    return append(c, n, "firstName", ", ");
}

static cordon_name_kind aka_kind(const cordon__xml_node *aka)
{
    const char *type = cordon__xml_child_text(aka, "type", NULL);
    const char *cat = cordon__xml_child_text(aka, "category", NULL);
    if (cat && cordon__ieq(cat, strlen(cat), "weak"))
        return CORDON_NAME_WEAK;
    if (type && cordon__ieq(type, strlen(type), "f.k.a."))
        return CORDON_NAME_FORMER;
    return CORDON_NAME_STRONG;
}

/* Calls fn on the text of every <list>/<item>/<field> (<list>/<item>
 * when field is NULL). */
static int each_text(ctx *c, cordon__entity_b *e, const cordon__xml_node *rec, const char *list,
                     const char *item, const char *field,
                     int (*fn)(cordon__loader *, cordon__entity_b *, const char *, size_t))
{
    CORDON__XML_EACH(it, cordon__xml_child(rec, list), item) {
        c->a.len = 0;
        if (cordon__xml_append(&c->a, field ? cordon__xml_child(it, field) : it, ""))
            return oom(c);
        TRY(fn(c->ld, e, c->a.data, c->a.len));
    }
    return 0;
}

static int parse_entry(ctx *c, const cordon__xml_node *rec)
{
    cordon__loader *ld = c->ld;
    size_t len;
    const char *uid = cordon__xml_child_text(rec, "uid", &len);
    const char *type = cordon__xml_child_text(rec, "sdnType", NULL);
    cordon_schema schema = type ? cordon__ofac_schema(type, strlen(type)) : CORDON_SCHEMA_UNKNOWN;
    if (schema == CORDON_SCHEMA_UNKNOWN)
        return cordon__loader_fail(ld, CORDON_EFORMAT, rec->line, rec->column,
                                   "sdnEntry %.40s: unknown sdnType \"%.40s\"", uid ? uid : "",
                                   type ? type : "");
    const char *trimmed = uid;
    if (!uid || cordon__trim(&trimmed, len) == 0)
        return cordon__loader_fail(ld, CORDON_EFORMAT, rec->line, rec->column,
                                   "<sdnEntry> without a uid");
    cordon__entity_b *e;
    TRY(cordon__entity_begin(ld, uid, len, schema, rec->line, &e));
    TRY(person_name(c, rec));
    TRY(cordon__entity_add_name(ld, e, c->a.data, c->a.len, CORDON_NAME_PRIMARY));
    CORDON__XML_EACH(aka, cordon__xml_child(rec, "akaList"), "aka") {
        TRY(person_name(c, aka));
        TRY(cordon__entity_add_name(ld, e, c->a.data, c->a.len, aka_kind(aka)));
    }
    c->a.len = 0;
    TRY(append(c, rec, "title", ""));
    TRY(cordon__entity_add_title(ld, e, c->a.data, c->a.len));
    TRY(each_text(c, e, rec, "programList", "program", NULL, cordon__entity_add_program));
    c->a.len = 0;
    TRY(append(c, rec, "remarks", ""));
    TRY(cordon__entity_add_remarks(ld, e, c->a.data, c->a.len));

    CORDON__XML_EACH(id, cordon__xml_child(rec, "idList"), "id") {
        size_t tl, cl;
        const char *t = cordon__xml_child_text(id, "idType", &tl);
        const char *cn = cordon__xml_child_text(id, "idCountry", &cl);
        c->a.len = 0;
        TRY(append(c, id, "idNumber", "")); /* "601698  CN" -> "601698 CN" */
        TRY(cordon__ofac_apply_item(ld, e, t, tl, c->a.data, c->a.len, cn, cn ? cl : 0));
    }
    CORDON__XML_EACH(ad, cordon__xml_child(rec, "addressList"), "address") {
        static const char *const parts[] = {"address1", "address2", "address3",
                                            "city", "stateOrProvince", "postalCode",
                                            "region", "country"};
        c->a.len = 0;
        for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
            TRY(append(c, ad, parts[i], ", "));
        TRY(cordon__entity_add_address(ld, e, c->a.data, c->a.len));
        c->a.len = 0;
        TRY(append(c, ad, "country", ""));
        TRY(cordon__entity_add_country(ld, e, c->a.data, c->a.len));
    }
    TRY(each_text(c, e, rec, "dateOfBirthList", "dateOfBirthItem", "dateOfBirth",
                  cordon__entity_add_birth_date));
    TRY(each_text(c, e, rec, "placeOfBirthList", "placeOfBirthItem", "placeOfBirth",
                  cordon__entity_add_birth_place));
    TRY(each_text(c, e, rec, "nationalityList", "nationality", "country",
                  cordon__entity_add_nationality));
    TRY(each_text(c, e, rec, "citizenshipList", "citizenship", "country",
                  cordon__entity_add_citizenship));

    static const char *const vessel[][2] = {
        {"callSign", "Vessel Call Sign"},
        {"vesselType", "Vessel Type"},
        {"vesselFlag", "Vessel Flag"},
        {"vesselOwner", "Vessel Owner"},
        {"tonnage", "Vessel Tonnage"},
        {"grossRegisteredTonnage", "Vessel Gross Registered Tonnage"},
    };
    const cordon__xml_node *vi = cordon__xml_child(rec, "vesselInfo");
    for (size_t i = 0; vi && i < sizeof vessel / sizeof vessel[0]; i++) {
        c->a.len = 0;
        TRY(append(c, vi, vessel[i][0], ""));
        TRY(cordon__ofac_apply_item(ld, e, vessel[i][1], strlen(vessel[i][1]), c->a.data,
                                    c->a.len, NULL, 0));
    }
    return 0;
}

/* Publish_Date is US-style MM/DD/YYYY, which the generic date parser
 * would read day first. */
static int set_published(ctx *c, const cordon__xml_node *pub)
{
    size_t len;
    const char *s = cordon__xml_child_text(pub, "Publish_Date", &len);
    if (!s)
        return 0;
    len = cordon__trim(&s, len);
    unsigned m, d, y;
    int n = 0;
    if (len < 40 && sscanf(s, "%2u/%2u/%4u%n", &m, &d, &y, &n) == 3 && (size_t)n == len &&
        m >= 1 && m <= 12 && d >= 1 && d <= 31) {
        char iso[16];
        snprintf(iso, sizeof iso, "%04u-%02u-%02u", y, m, d);
        return cordon__loader_set_published(c->ld, iso, strlen(iso));
    }
    return cordon__loader_set_published(c->ld, s, len);
}

static int parse_doc(ctx *c, const cordon__xml_node *root)
{
    cordon__loader *ld = c->ld;
    if (strcmp(root->name, "sdnList") != 0)
        return cordon__loader_fail(ld, CORDON_ECORRUPT, root->line, root->column,
                                   "not an OFAC sdnList XML file: the root element is <%.80s>, "
                                   "not <sdnList>",
                                   root->qname);
    const cordon__xml_node *pub = cordon__xml_child(root, "publshInformation");
    TRY(set_published(c, pub));
    size_t count = 0;
    CORDON__XML_EACH(rec, root, "sdnEntry") {
        TRY(cordon__loader_locate(ld, parse_entry(c, rec), rec->line, rec->column));
        count++;
    }
    const char *rc_text = cordon__xml_child_text(pub, "Record_Count", NULL);
    if (rc_text && *rc_text) {
        char *end;
        unsigned long want = strtoul(rc_text, &end, 10);
        while (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t')
            end++;
        if (*end != '\0' || want != count)
            TRY(cordon__loader_warn(ld, "Record_Count says %.20s but the file holds %zu entries",
                                    rc_text, count));
    }
    return 0;
}

int cordon__parse_ofac_xml(cordon__loader *ld)
{
    cordon__xml_doc doc;
    int rc = cordon__xml_parse_source(&doc, ld, "an OFAC XML list");
    if (rc)
        return rc;
    ctx c = {.ld = ld};
    rc = parse_doc(&c, doc.root);
    cordon__buf_free(&c.a);
    cordon__xml_free(&doc);
    return rc;
}
