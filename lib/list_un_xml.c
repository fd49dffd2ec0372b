/*
 * list_un_xml.c — the UN Security Council Consolidated List XML
 * (<CONSOLIDATED_LIST dateGenerated=...> with INDIVIDUALS and ENTITIES).
 *
 * Mapping, per record:
 *   id            REFERENCE_NUMBER ("KPi.033"; unique across the list,
 *                 unlike names); DATAID is kept nowhere else
 *   schema        INDIVIDUAL -> person, ENTITY -> organization
 *   name          FIRST_NAME..FOURTH_NAME joined with spaces
 *   native        NAME_ORIGINAL_SCRIPT
 *   aliases       *_ALIAS/ALIAS_NAME; QUALITY Good and a.k.a. -> strong,
 *                 Low -> weak, f.k.a. -> former; an alias's own
 *                 DATE_OF_BIRTH is a birth date of the person too
 *   program       UN_LIST_TYPE ("DPRK", "Al-Qaida")
 *   listed_on     LISTED_ON; remarks COMMENTS1 (squashed onto one line);
 *                 gender GENDER
 *   title         TITLE/VALUE then DESIGNATION/VALUE, joined with "; "
 *   birth dates   INDIVIDUAL_DATE_OF_BIRTH: TYPE_OF_DATE EXACT (DATE or
 *                 YEAR), APPROXIMATELY (circa), BETWEEN (FROM_YEAR..TO_YEAR)
 *   birth places  INDIVIDUAL_PLACE_OF_BIRTH: CITY, STATE_PROVINCE, COUNTRY
 *   nationality   NATIONALITY/VALUE
 *   documents     INDIVIDUAL_DOCUMENT: TYPE_OF_DOCUMENT (+ TYPE_OF_DOCUMENT2)
 *                 as label, NUMBER, ISSUING_COUNTRY or COUNTRY_OF_ISSUE
 *   addresses     *_ADDRESS: STREET, CITY, STATE_PROVINCE, ZIP_CODE,
 *                 COUNTRY joined with ", " (NOTE in parentheses); COUNTRY
 *                 also goes to countries
 */
#include "cordon_int.h"

#include <string.h>

typedef struct un_ctx {
    cordon__loader *ld;
    cordon__buf a, b; /* scratch */
} un_ctx;

#define TRY(x)                  \
    do {                        \
        int rc_ = (x);          \
        if (rc_)                \
            return rc_;         \
    } while (0)

static int oom(un_ctx *c) { return cordon__loader_fail(c->ld, CORDON_ENOMEM, 0, 0, "out of memory"); }

/* Squashed text of child `name` into buf (reset first); returns its length. */
static int text_of(un_ctx *c, cordon__buf *buf, const cordon__xml_node *n, const char *name,
                   size_t *len)
{
    buf->len = 0;
    const cordon__xml_node *k = cordon__xml_child(n, name);
    if (cordon__xml_squash(buf, k ? k->text : "", k ? k->text_len : 0))
        return oom(c);
    *len = buf->len;
    return 0;
}

/* Appends child `name`'s squashed text to buf after sep. */
static int join_child(un_ctx *c, cordon__buf *buf, const cordon__xml_node *n, const char *name,
                      const char *sep)
{
    return cordon__xml_append(buf, cordon__xml_child(n, name), sep) ? oom(c) : 0;
}

static cordon_name_kind alias_kind(const char *q, size_t len)
{
    len = cordon__trim(&q, len);
    if (cordon__ieq(q, len, "Low"))
        return CORDON_NAME_WEAK;
    if (cordon__ieq(q, len, "f.k.a.") || cordon__ieq(q, len, "fka"))
        return CORDON_NAME_FORMER;
    return CORDON_NAME_STRONG; /* Good, a.k.a., or unstated */
}

static int add_names(un_ctx *c, cordon__entity_b *e, const cordon__xml_node *rec,
                     bool person)
{
    static const char *const parts[] = {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME",
                                        "FOURTH_NAME"};
    c->a.len = 0;
    for (size_t i = 0; i < 4; i++)
        TRY(join_child(c, &c->a, rec, parts[i], " "));
    TRY(cordon__entity_add_name(c->ld, e, c->a.data ? c->a.data : "", c->a.len,
                                CORDON_NAME_PRIMARY));
    size_t len;
    TRY(text_of(c, &c->a, rec, "NAME_ORIGINAL_SCRIPT", &len));
    TRY(cordon__entity_add_name(c->ld, e, c->a.data, len, CORDON_NAME_NATIVE));

    CORDON__XML_EACH(al, rec, person ? "INDIVIDUAL_ALIAS" : "ENTITY_ALIAS") {
        size_t ql;
        const char *q = cordon__xml_child_text(al, "QUALITY", &ql);
        TRY(text_of(c, &c->a, al, "ALIAS_NAME", &len));
        TRY(cordon__entity_add_name(c->ld, e, c->a.data, len, alias_kind(q ? q : "", ql)));
        const char *dob = cordon__xml_child_text(al, "DATE_OF_BIRTH", &len);
        if (dob)
            TRY(cordon__entity_add_birth_date(c->ld, e, dob, len));
    }
    return 0;
}

static int add_birth_dates(un_ctx *c, cordon__entity_b *e, const cordon__xml_node *rec)
{
    CORDON__XML_EACH(d, rec, "INDIVIDUAL_DATE_OF_BIRTH") {
        size_t tl, dl, yl, fl, ul;
        const char *type = cordon__xml_child_text(d, "TYPE_OF_DATE", &tl);
        const char *date = cordon__xml_child_text(d, "DATE", &dl);
        const char *year = cordon__xml_child_text(d, "YEAR", &yl);
        const char *from = cordon__xml_child_text(d, "FROM_YEAR", &fl);
        const char *to = cordon__xml_child_text(d, "TO_YEAR", &ul);
        if (type)
            tl = cordon__trim(&type, tl);
        const char *v = date && dl ? date : year;
        size_t vl = date && dl ? dl : yl;
        c->a.len = 0;
        int rc = 0;
        if (from && to && fl && ul)
            rc = cordon__buf_printf(&c->a, "%.*s to %.*s", (int)fl, from, (int)ul, to);
        else if (v && vl && type && cordon__ieq(type, tl, "APPROXIMATELY"))
            rc = cordon__buf_printf(&c->a, "circa %.*s", (int)vl, v);
        else if (v && vl)
            rc = cordon__buf_append(&c->a, v, vl);
        if (rc)
            return oom(c);
        if (c->a.len)
            TRY(cordon__entity_add_birth_date(c->ld, e, c->a.data, c->a.len));
    }
    return 0;
}

static int add_places(un_ctx *c, cordon__entity_b *e, const cordon__xml_node *rec)
{
    CORDON__XML_EACH(p, rec, "INDIVIDUAL_PLACE_OF_BIRTH") {
        c->a.len = 0;
        TRY(join_child(c, &c->a, p, "STREET", ", "));
        TRY(join_child(c, &c->a, p, "CITY", ", "));
        TRY(join_child(c, &c->a, p, "STATE_PROVINCE", ", "));
        TRY(join_child(c, &c->a, p, "COUNTRY", ", "));
        if (c->a.len)
            TRY(cordon__entity_add_birth_place(c->ld, e, c->a.data, c->a.len));
    }
    return 0;
}

static int add_addresses(un_ctx *c, cordon__entity_b *e, const cordon__xml_node *rec,
                         bool person)
{
    CORDON__XML_EACH(a, rec, person ? "INDIVIDUAL_ADDRESS" : "ENTITY_ADDRESS") {
        c->a.len = 0;
        TRY(join_child(c, &c->a, a, "STREET", ", "));
        TRY(join_child(c, &c->a, a, "CITY", ", "));
        TRY(join_child(c, &c->a, a, "STATE_PROVINCE", ", "));
        TRY(join_child(c, &c->a, a, "ZIP_CODE", ", "));
        TRY(join_child(c, &c->a, a, "COUNTRY", ", "));
        size_t nl;
        TRY(text_of(c, &c->b, a, "NOTE", &nl));
        if (nl && cordon__buf_printf(&c->a, "%s(%s)", c->a.len ? " " : "", c->b.data))
            return oom(c);
        if (c->a.len)
            TRY(cordon__entity_add_address(c->ld, e, c->a.data, c->a.len));
        size_t cl;
        TRY(text_of(c, &c->b, a, "COUNTRY", &cl));
        TRY(cordon__entity_add_country(c->ld, e, c->b.data, cl));
    }
    return 0;
}

static bool contains_ci(const char *s, const char *needle)
{
    return strcasestr(s, needle) != NULL;
}

static cordon_id_type doc_type(const char *label)
{
    if (contains_ci(label, "passport") || contains_ci(label, "pasaporte") ||
        contains_ci(label, "passeport"))
        return CORDON_ID_PASSPORT;
    if (contains_ci(label, "fiscal") || contains_ci(label, "tax"))
        return CORDON_ID_TAX_ID;
    if (contains_ci(label, "national") || contains_ci(label, "identi") ||
        contains_ci(label, "social security") || contains_ci(label, "tazkira"))
        return CORDON_ID_NATIONAL_ID;
    return CORDON_ID_OTHER;
}

static int add_documents(un_ctx *c, cordon__entity_b *e, const cordon__xml_node *rec)
{
    CORDON__XML_EACH(d, rec, "INDIVIDUAL_DOCUMENT") {
        c->a.len = 0;
        TRY(join_child(c, &c->a, d, "TYPE_OF_DOCUMENT", ""));
        size_t l2;
        TRY(text_of(c, &c->b, d, "TYPE_OF_DOCUMENT2", &l2));
        if (l2 && cordon__buf_printf(&c->a, "%s(%s)", c->a.len ? " " : "", c->b.data))
            return oom(c);
        if (cordon__buf_terminate(&c->a))
            return oom(c);
        size_t nl, cl;
        const char *num = cordon__xml_child_text(d, "NUMBER", &nl);
        const char *country = cordon__xml_child_text(d, "ISSUING_COUNTRY", &cl);
        if (!country || !cl)
            country = cordon__xml_child_text(d, "COUNTRY_OF_ISSUE", &cl);
        if (!num || !nl)
            continue; /* a document type with no number identifies nothing */
        TRY(cordon__entity_add_identifier(c->ld, e, doc_type(c->a.data), c->a.data, c->a.len,
                                          num, nl, country, country ? cl : 0));
    }
    return 0;
}

static int add_values(un_ctx *c, cordon__entity_b *e, const cordon__xml_node *rec,
                      const char *name,
                      int (*add)(cordon__loader *, cordon__entity_b *, const char *, size_t))
{
    CORDON__XML_EACH(g, rec, name) {
        CORDON__XML_EACH(v, g, "VALUE") {
            c->a.len = 0;
            if (cordon__xml_squash(&c->a, v->text, v->text_len))
                return oom(c);
            TRY(add(c->ld, e, c->a.data, c->a.len));
        }
    }
    return 0;
}

static int parse_record(un_ctx *c, const cordon__xml_node *rec, bool person)
{
    cordon__loader *ld = c->ld;
    size_t len;
    const char *ref = cordon__xml_child_text(rec, "REFERENCE_NUMBER", &len);
    const char *trimmed = ref;
    if (!ref || cordon__trim(&trimmed, len) == 0)
        return cordon__loader_fail(ld, CORDON_EFORMAT, rec->line, rec->column,
                                   "<%s> without a REFERENCE_NUMBER", rec->qname);
    cordon__entity_b *e;
    TRY(cordon__entity_begin(ld, ref, len,
                             person ? CORDON_SCHEMA_PERSON : CORDON_SCHEMA_ORGANIZATION,
                             rec->line, &e));
    TRY(add_names(c, e, rec, person));
    const char *s = cordon__xml_child_text(rec, "UN_LIST_TYPE", &len);
    TRY(cordon__entity_add_program(ld, e, s, len));
    s = cordon__xml_child_text(rec, "LISTED_ON", &len);
    TRY(cordon__entity_set_listed_on(ld, e, s, len));
    s = cordon__xml_child_text(rec, "GENDER", &len);
    TRY(cordon__entity_set_gender(ld, e, s, len));
    TRY(text_of(c, &c->a, rec, "COMMENTS1", &len));
    TRY(cordon__entity_add_remarks(ld, e, c->a.data, len));
    TRY(add_values(c, e, rec, "TITLE", cordon__entity_add_title));
    TRY(add_values(c, e, rec, "DESIGNATION", cordon__entity_add_title));
    TRY(add_values(c, e, rec, "NATIONALITY", cordon__entity_add_nationality));
    TRY(add_birth_dates(c, e, rec));
    TRY(add_places(c, e, rec));
    TRY(add_documents(c, e, rec));
    TRY(add_addresses(c, e, rec, person));
    return 0;
}

static int parse_doc(un_ctx *c, const cordon__xml_node *root)
{
    cordon__loader *ld = c->ld;
    if (strcmp(root->name, "CONSOLIDATED_LIST") != 0)
        return cordon__loader_fail(ld, CORDON_ECORRUPT, root->line, root->column,
                                   "not a UN consolidated list: the root element is <%.80s>, "
                                   "not <CONSOLIDATED_LIST>",
                                   root->qname);
    const cordon__xml_node *people = cordon__xml_child(root, "INDIVIDUALS");
    const cordon__xml_node *orgs = cordon__xml_child(root, "ENTITIES");
    if (!people && !orgs)
        return cordon__loader_fail(ld, CORDON_ECORRUPT, root->line, root->column,
                                   "not a UN consolidated list: no <INDIVIDUALS> or <ENTITIES>");
    const char *date = cordon__xml_attr(root, "dateGenerated");
    if (date) {
        const char *t = strchr(date, 'T'); /* "2026-02-27T00:00:09.554Z" */
        TRY(cordon__loader_set_published(ld, date, t ? (size_t)(t - date) : strlen(date)));
    }
    for (int pass = 0; pass < 2; pass++) {
        bool person = pass == 0;
        CORDON__XML_EACH(rec, person ? people : orgs, person ? "INDIVIDUAL" : "ENTITY") {
            TRY(cordon__loader_locate(ld, parse_record(c, rec, person), rec->line,
                                      rec->column));
        }
    }
    return 0;
}

int cordon__parse_un_xml(cordon__loader *ld)
{
    cordon__xml_doc doc;
    int rc = cordon__xml_parse_source(&doc, ld, "a UN list");
    if (rc)
        return rc;
    un_ctx c = {.ld = ld};
    rc = parse_doc(&c, doc.root);
    cordon__buf_free(&c.a);
    cordon__buf_free(&c.b);
    cordon__xml_free(&doc);
    return rc;
}
