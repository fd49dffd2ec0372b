/*
 * ofac_remarks.c — the Remarks field of OFAC's legacy CSV, taken apart.
 *
 * The legacy sdn.csv has no columns for dates of birth, nationalities or
 * identity documents: OFAC writes them into Remarks as items separated by
 * "; " (rarely ';' alone) and closes the whole field with one ".":
 *
 *   DOB 07 Oct 1952; POB Leningrad, Russia; nationality Russia; citizen
 *   Russia; Gender Male; Passport 123 (Russia) expires 01 Jan 2030;
 *   a.k.a. 'X'; Vessel Registration Identification IMO 1011551; Linked
 *   To: Y.
 *
 * Each item starts with a label ("alt." in front marks a further value of
 * the same kind), looked up in the OFAC label table that the XML formats
 * share (ofac_labels.c). Items whose label is a field or an identifier go
 * to the entity; everything else ("Linked To:", "Secondary sanctions
 * risk:", "Organization Type:", a title, ...) is kept, in order, as the
 * entity's remarks.
 *
 * Names quoted after a.k.a./f.k.a./n.k.a. in Remarks are OFAC's *weak*
 * aliases: the legacy CSV keeps strong aliases in alt.csv and weak ones
 * only here (compare consolidated.xml, whose <aka> entries with
 * <category>weak</category> are exactly these names). They are added as
 * CORDON_NAME_WEAK, f.k.a. ones included: weakness matters more to
 * screening than the name being a former one.
 *
 * Identifier items read "LABEL VALUE [(COUNTRY)] [issued DATE] [expires
 * DATE]". The model has no place for issue and expiry dates, so an item
 * carrying them is also kept whole in remarks; nothing the list says is
 * dropped.
 */
#include "cordon_int.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

/* Real Remarks hold a few dozen items; a field of thousands is no list
 * of OFAC's, and is refused rather than spread over the entity. */
#define MAX_ITEMS 4096

static bool starts_with_ci(const char *s, size_t len, const char *lit, size_t n)
{
    if (len < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != tolower((unsigned char)lit[i]))
            return false;
    return true;
}

/* Finds " word" at a word boundary in s; returns its offset or len. */
static size_t find_word(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i + n + 1 <= len; i++) {
        if (s[i] != ' ' || !starts_with_ci(s + i + 1, len - i - 1, word, n))
            continue;
        if (i + 1 + n == len || s[i + 1 + n] == ' ')
            return i;
    }
    return len;
}

/* A parenthesised country ends the value: letters and punctuation, no
 * digits, with a space before the parenthesis. */
static bool split_country(const char *v, size_t *vlen, const char **c, size_t *clen)
{
    size_t len = *vlen;
    if (len < 4 || v[len - 1] != ')')
        return false;
    size_t open = len - 1;
    while (open > 0 && v[open] != '(')
        open--;
    if (v[open] != '(' || open == 0 || v[open - 1] != ' ')
        return false;
    bool letter = false;
    for (size_t i = open + 1; i < len - 1; i++) {
        unsigned char ch = (unsigned char)v[i];
        if (isdigit(ch) || ch == '(')
            return false;
        if (isalpha(ch) || ch >= 0x80)
            letter = true;
    }
    if (!letter)
        return false;
    *c = v + open + 1;
    *clen = len - open - 2;
    size_t rest = open - 1;
    while (rest > 0 && v[rest - 1] == ' ')
        rest--;
    if (rest == 0)
        return false;
    *vlen = rest;
    return true;
}

/*
 * Handles one identifier item. *keep is set when the item says more than
 * the identifier holds (issue or expiry dates) and should stay in remarks.
 */
static int apply_id(cordon__loader *ld, cordon__entity_b *e, const cordon__ofac_label *lab,
                    const char *label, size_t label_len, const char *v, size_t vlen,
                    bool *parsed, bool *keep)
{
    if (starts_with_ci(v, vlen, "issued ", 7) || starts_with_ci(v, vlen, "expires ", 8))
        return 0; /* "Passport issued in Sarajevo": no number */
    size_t cut = find_word(v, vlen, "issued");
    size_t exp = find_word(v, vlen, "expires");
    if (exp < cut)
        cut = exp;
    if (cut < vlen)
        *keep = true;
    vlen = cut;
    while (vlen && v[vlen - 1] == ' ')
        vlen--;
    const char *country = NULL;
    size_t clen = 0;
    split_country(v, &vlen, &country, &clen);
    if (vlen > 2 && v[0] == '(' && v[vlen - 1] == ')' && !memchr(v + 1, '(', vlen - 2)) {
        v++; /* "No. (5777731)" */
        vlen -= 2;
    }
    if (vlen == 0)
        return 0;
    *parsed = true;
    return cordon__entity_add_identifier(ld, e, cordon__ofac_id_type(lab, v, vlen), label, label_len, v, vlen, country,
                                         clen);
}

/* a.k.a. 'NAME' (also f.k.a., n.k.a.). */
static bool is_alias(const char *s, size_t len)
{
    return len >= 8 && memchr("afnAFN", s[0], 6) && starts_with_ci(s + 1, len - 1, ".k.a. '", 7);
}

/* The quotes must close at the end of the item: a Remarks field cut short
 * by OFAC leaves them open, and that text stays in remarks. */
static int apply_alias(cordon__loader *ld, cordon__entity_b *e, const char *s, size_t len,
                       bool *parsed)
{
    if (len < 10 || s[len - 1] != '\'')
        return 0;
    const char *name = s + 8;
    size_t n = len - 9;
    if (cordon__trim(&name, n) == 0)
        return 0;
    *parsed = true;
    return cordon__entity_add_name(ld, e, s + 8, len - 9, CORDON_NAME_WEAK);
}

/* Applies one item; *parsed says whether it went into a field, *keep
 * whether it should also stay in remarks. */
static int apply_item(cordon__loader *ld, cordon__entity_b *e, const char *s, size_t len,
                      bool *parsed, bool *keep)
{
    *parsed = false;
    *keep = false;
    /* "alt." marks a further value of the same kind. */
    if (starts_with_ci(s, len, "alt. ", 5)) {
        s += 5;
        len -= 5;
        len = cordon__trim(&s, len);
    }
    if (len == 0)
        return 0;
    if (is_alias(s, len))
        return apply_alias(ld, e, s, len, parsed);
    size_t label_len;
    const cordon__ofac_label *lab = cordon__ofac_label_prefix(s, len, &label_len);
    if (!lab)
        return 0;
    const char *v = s + label_len;
    size_t vlen = len - label_len;
    while (vlen && (*v == ' ' || *v == ':' || *v == '#')) {
        v++;
        vlen--;
    }
    if (vlen == 0)
        return 0;
    cordon_date d;
    switch (lab->field) {
    case CORDON__OFAC_DOB:
        if (cordon_date_parse(v, vlen, &d) != 0)
            return 0; /* kept whole in remarks, label and all */
        *parsed = true;
        return cordon__ofac_add_field(ld, e, lab->field, v, vlen);
    case CORDON__OFAC_GENDER:
        if (!cordon__ieq(v, vlen, "Male") && !cordon__ieq(v, vlen, "Female"))
            return 0;
        /* fall through */
    case CORDON__OFAC_POB:
    case CORDON__OFAC_NATIONALITY:
    case CORDON__OFAC_CITIZENSHIP:
    case CORDON__OFAC_COUNTRY:
        *parsed = true;
        return cordon__ofac_add_field(ld, e, lab->field, v, vlen);
    case CORDON__OFAC_ID:
        return apply_id(ld, e, lab, s, label_len, v, vlen, parsed, keep);
    case CORDON__OFAC_TITLE:
    case CORDON__OFAC_INFO:
        return 0; /* kept whole in remarks, label and all */
    case CORDON__OFAC_CURRENCY: {
        /* "- XBT <address>": the currency code belongs to the label. */
        if (vlen < 3 || v[0] != '-')
            return 0;
        const char *code = v + 1;
        while (code < v + vlen && *code == ' ')
            code++;
        const char *sp = memchr(code, ' ', (size_t)(v + vlen - code));
        if (!sp || sp == code)
            return 0;
        const char *addr = sp;
        while (addr < v + vlen && *addr == ' ')
            addr++;
        if (addr == v + vlen)
            return 0;
        *parsed = true;
        return cordon__entity_add_identifier(ld, e, CORDON_ID_OTHER, s, (size_t)(sp - s),
                                             addr, (size_t)(v + vlen - addr), NULL, 0);
    }
    }
    return 0;
}

int cordon__ofac_remarks_apply(cordon__loader *ld, cordon__entity_b *e, const char *s,
                               size_t len)
{
    len = cordon__trim(&s, len);
    size_t pos = 0, items = 0;
    while (pos < len) {
        /* Items end at every ';': OFAC writes "; " but now and then
         * forgets the space ("nationality possibly Palestinian;arrested
         * 23 Apr 2002"). No value in the files holds a ';' of its own. */
        const char *q = memchr(s + pos, ';', len - pos);
        size_t end = q ? (size_t)(q - s) : len;
        const char *item = s + pos;
        size_t ilen = cordon__trim(&item, end - pos);
        pos = end < len ? end + 1 : len;
        if (ilen == 0)
            continue;
        if (++items > MAX_ITEMS)
            return cordon__loader_fail(ld, CORDON_ETOOBIG, 0, 0,
                                       "Remarks hold more than %d items", MAX_ITEMS);
        /* The field's closing "." belongs to no item; but "LTD." at the
         * end keeps its own, so only a parsed item loses it. */
        size_t plen = ilen;
        if (pos >= len && item[plen - 1] == '.')
            plen--;
        bool parsed = false, keep = false;
        int rc = plen ? apply_item(ld, e, item, plen, &parsed, &keep) : 0;
        if (rc)
            return rc;
        if (!parsed || keep) {
            rc = cordon__entity_add_remarks(ld, e, item, ilen);
            if (rc)
                return rc;
        }
    }
    return 0;
}
