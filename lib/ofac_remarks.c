/*
 * ofac_remarks.c — the Remarks field of OFAC's legacy CSV, taken apart.
 *
 * The legacy sdn.csv has no columns for dates of birth, nationalities or
 * identity documents: OFAC writes them into Remarks as items separated by
 * "; " and closes the whole field with one ".":
 *
 *   DOB 07 Oct 1952; POB Leningrad, Russia; nationality Russia; citizen
 *   Russia; Gender Male; Passport 123 (Russia) expires 01 Jan 2030;
 *   a.k.a. 'X'; Vessel Registration Identification IMO 1011551; Linked
 *   To: Y.
 *
 * Each item starts with a label ("alt." in front marks a further value of
 * the same kind). Items whose label is known go to the entity's fields;
 * everything else ("Linked To:", "Secondary sanctions risk:", "Organization
 * Type:", a title, ...) is kept, in order, as the entity's remarks.
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

enum item_kind {
    K_DOB,
    K_POB,
    K_NATIONALITY,
    K_CITIZEN,
    K_GENDER,
    K_COUNTRY,     /* "Nationality of Registration": an organization's */
    K_ID,          /* an identifier of type `id` */
    K_CURRENCY,    /* "Digital Currency Address - XBT <address>" */
};

struct label {
    const char *text;
    enum item_kind kind;
    cordon_id_type id;
};

/*
 * Labels seen in OFAC Remarks (SDN 2021 to 2025, consolidated 2025),
 * matched case-insensitively, longest first. A label must be followed by
 * a space, ':' or '#' (or end in punctuation itself), so "citizen" does
 * not match "Citizen's Card Number".
 */
static const struct label labels[] = {
    {"DOB", K_DOB, 0},
    {"POB", K_POB, 0},
    {"nationality", K_NATIONALITY, 0},
    {"citizen", K_CITIZEN, 0},
    {"Gender", K_GENDER, 0},
    {"Nationality of Registration", K_COUNTRY, 0},
    {"Registration Country", K_COUNTRY, 0},
    {"Digital Currency Address", K_CURRENCY, 0},

    /* passports and travel documents */
    {"Passport", K_ID, CORDON_ID_PASSPORT},
    {"Passport Booklet", K_ID, CORDON_ID_PASSPORT},
    {"Diplomatic Passport", K_ID, CORDON_ID_PASSPORT},
    {"Travel Document Number", K_ID, CORDON_ID_PASSPORT},
    {"Refugee Travel Document", K_ID, CORDON_ID_PASSPORT},
    {"British National Overseas Passport", K_ID, CORDON_ID_PASSPORT},

    /* national identity documents */
    {"National ID No.", K_ID, CORDON_ID_NATIONAL_ID},
    {"National Foreign ID Number", K_ID, CORDON_ID_NATIONAL_ID},
    {"Cedula No.", K_ID, CORDON_ID_NATIONAL_ID},
    {"C.U.R.P.", K_ID, CORDON_ID_NATIONAL_ID},
    {"CURP", K_ID, CORDON_ID_NATIONAL_ID},
    {"D.N.I.", K_ID, CORDON_ID_NATIONAL_ID},
    {"DNI", K_ID, CORDON_ID_NATIONAL_ID},
    {"Personal ID Card", K_ID, CORDON_ID_NATIONAL_ID},
    {"Citizen's Card Number", K_ID, CORDON_ID_NATIONAL_ID},
    {"Kenyan ID No.", K_ID, CORDON_ID_NATIONAL_ID},
    {"Turkish Identification Number", K_ID, CORDON_ID_NATIONAL_ID},
    {"Numero de Identidad", K_ID, CORDON_ID_NATIONAL_ID},
    {"C.U.I.", K_ID, CORDON_ID_NATIONAL_ID},
    {"SSN", K_ID, CORDON_ID_NATIONAL_ID},
    {"I.F.E.", K_ID, CORDON_ID_NATIONAL_ID},
    {"Credencial electoral", K_ID, CORDON_ID_NATIONAL_ID},
    {"Electoral Registry No.", K_ID, CORDON_ID_NATIONAL_ID},
    {"Residency Number", K_ID, CORDON_ID_NATIONAL_ID},
    {"Tazkira National ID Card", K_ID, CORDON_ID_NATIONAL_ID},
    {"Refugee ID Card", K_ID, CORDON_ID_NATIONAL_ID},
    {"Moroccan Personal ID No.", K_ID, CORDON_ID_NATIONAL_ID},
    {"Bosnian Personal ID No.", K_ID, CORDON_ID_NATIONAL_ID},
    {"CNP (Personal Numerical Code)", K_ID, CORDON_ID_NATIONAL_ID},
    {"UAE Identification", K_ID, CORDON_ID_NATIONAL_ID},
    {"N.I.E.", K_ID, CORDON_ID_NATIONAL_ID},
    {"Identification Number", K_ID, CORDON_ID_OTHER},
    {"Birth Certificate Number", K_ID, CORDON_ID_OTHER},
    {"Driver's License No.", K_ID, CORDON_ID_OTHER},
    {"C.U.I.P.", K_ID, CORDON_ID_OTHER},
    {"Cartilla de Servicio Militar Nacional", K_ID, CORDON_ID_OTHER},
    {"Military Registration Number", K_ID, CORDON_ID_OTHER},
    {"VisaNumberID", K_ID, CORDON_ID_OTHER},
    {"Permit Number", K_ID, CORDON_ID_OTHER},
    {"SRE Permit No.", K_ID, CORDON_ID_OTHER},
    {"Pilot License Number", K_ID, CORDON_ID_OTHER},
    {"Seafarer's Identification Document", K_ID, CORDON_ID_OTHER},
    {"Immigration No.", K_ID, CORDON_ID_OTHER},
    {"Public Security and Immigration No.", K_ID, CORDON_ID_OTHER},
    {"Serial No.", K_ID, CORDON_ID_OTHER},
    {"Stateless Person ID Card", K_ID, CORDON_ID_NATIONAL_ID},
    {"Stateless Person Passport", K_ID, CORDON_ID_PASSPORT},

    /* tax numbers */
    {"Tax ID No.", K_ID, CORDON_ID_TAX_ID},
    {"NIT #", K_ID, CORDON_ID_TAX_ID},
    {"RUC #", K_ID, CORDON_ID_TAX_ID},
    {"R.F.C.", K_ID, CORDON_ID_TAX_ID},
    {"RFC", K_ID, CORDON_ID_TAX_ID},
    {"RIF #", K_ID, CORDON_ID_TAX_ID},
    {"RTN", K_ID, CORDON_ID_TAX_ID},
    {"V.A.T. Number", K_ID, CORDON_ID_TAX_ID},
    {"C.U.I.T.", K_ID, CORDON_ID_TAX_ID},
    {"US FEIN", K_ID, CORDON_ID_TAX_ID},
    {"Italian Fiscal Code", K_ID, CORDON_ID_TAX_ID},
    {"Fiscal Code", K_ID, CORDON_ID_TAX_ID},
    {"Paraguayan tax identification number", K_ID, CORDON_ID_TAX_ID},
    {"Numero Unico de Identificacao Tributaria (NUIT)", K_ID, CORDON_ID_TAX_ID},
    {"Romanian Tax Registration", K_ID, CORDON_ID_TAX_ID},
    {"C.I.F.", K_ID, CORDON_ID_TAX_ID},
    {"N.I.F.", K_ID, CORDON_ID_TAX_ID},
    {"RSIN", K_ID, CORDON_ID_TAX_ID},

    /* company and other registrations */
    {"Registration Number", K_ID, CORDON_ID_REGISTRATION},
    {"Registration ID", K_ID, CORDON_ID_REGISTRATION},
    {"Business Registration Number", K_ID, CORDON_ID_REGISTRATION},
    {"Business Registration Document #", K_ID, CORDON_ID_REGISTRATION},
    {"Business Number", K_ID, CORDON_ID_REGISTRATION},
    {"Government Gazette Number", K_ID, CORDON_ID_REGISTRATION},
    {"Company Number", K_ID, CORDON_ID_REGISTRATION},
    {"UK Company Number", K_ID, CORDON_ID_REGISTRATION},
    {"Commercial Registry Number", K_ID, CORDON_ID_REGISTRATION},
    {"Public Registration Number", K_ID, CORDON_ID_REGISTRATION},
    {"Central Registration System Number", K_ID, CORDON_ID_REGISTRATION},
    {"Certificate of Incorporation Number", K_ID, CORDON_ID_REGISTRATION},
    {"C.R. No.", K_ID, CORDON_ID_REGISTRATION},
    {"Trade License No.", K_ID, CORDON_ID_REGISTRATION},
    {"License", K_ID, CORDON_ID_REGISTRATION},
    {"Legal Entity Number", K_ID, CORDON_ID_REGISTRATION},
    {"Unified Social Credit Code (USCC)", K_ID, CORDON_ID_REGISTRATION},
    {"United Social Credit Code Certificate (USCCC)", K_ID, CORDON_ID_REGISTRATION},
    {"Economic Register Number (CBLS)", K_ID, CORDON_ID_REGISTRATION},
    {"Chamber of Commerce Number", K_ID, CORDON_ID_REGISTRATION},
    {"Istanbul Chamber of Comm. No.", K_ID, CORDON_ID_REGISTRATION},
    {"Dubai Chamber of Commerce Membership No.", K_ID, CORDON_ID_REGISTRATION},
    {"Folio Mercantil No.", K_ID, CORDON_ID_REGISTRATION},
    {"Matricula Mercantil No", K_ID, CORDON_ID_REGISTRATION},
    {"Enterprise Number", K_ID, CORDON_ID_REGISTRATION},
    {"Branch Unit Number", K_ID, CORDON_ID_REGISTRATION},
    {"LE Number", K_ID, CORDON_ID_REGISTRATION},
    {"Registered Charity No.", K_ID, CORDON_ID_REGISTRATION},
    {"File Number", K_ID, CORDON_ID_REGISTRATION},
    {"D-U-N-S Number", K_ID, CORDON_ID_REGISTRATION},
    {"Romanian C.R.", K_ID, CORDON_ID_REGISTRATION},
    {"C.I.N.", K_ID, CORDON_ID_REGISTRATION},
    {"Organization Code", K_ID, CORDON_ID_REGISTRATION},
    {"Registration Certificate Number", K_ID, CORDON_ID_REGISTRATION},
    {"MSB Registration Number", K_ID, CORDON_ID_REGISTRATION},
    {"Afghan Money Service Provider License Number", K_ID, CORDON_ID_REGISTRATION},
    {"Tourism License No.", K_ID, CORDON_ID_REGISTRATION},
    {"Russian State Individual Business Registration Number Pattern (OGRNIP)", K_ID,
     CORDON_ID_REGISTRATION},

    /* vessels and aircraft */
    {"Vessel Registration Identification IMO", K_ID, CORDON_ID_IMO},
    /* older entries leave out the "IMO"; others hold a national
     * register's number ("RS 150443"): see is_imo_number */
    {"Vessel Registration Identification", K_ID, CORDON_ID_REGISTRATION},
    {"International Maritime Organization No.", K_ID, CORDON_ID_IMO},
    {"Identification Number IMO", K_ID, CORDON_ID_IMO},
    {"Company Number IMO", K_ID, CORDON_ID_IMO},
    {"IMO", K_ID, CORDON_ID_IMO},
    {"MMSI", K_ID, CORDON_ID_MMSI},
    {"Other Vessel Call Sign", K_ID, CORDON_ID_CALL_SIGN},
    {"Vessel Call Sign", K_ID, CORDON_ID_CALL_SIGN},
    {"Aircraft Manufacturer's Serial Number (MSN)", K_ID, CORDON_ID_AIRCRAFT_SERIAL},
    {"Aircraft Construction Number (also called L/N or S/N or F/N)", K_ID,
     CORDON_ID_AIRCRAFT_SERIAL},
    {"Aircraft Tail Number", K_ID, CORDON_ID_REGISTRATION},
    {"Aircraft Serial Identification", K_ID, CORDON_ID_AIRCRAFT_SERIAL},
    {"Previous Aircraft Tail Number", K_ID, CORDON_ID_REGISTRATION},
    {"Aircraft Mode S Transponder Code", K_ID, CORDON_ID_OTHER},

    /* contact and financial */
    {"SWIFT/BIC", K_ID, CORDON_ID_SWIFT_BIC},
    {"BIK (RU)", K_ID, CORDON_ID_OTHER},
    {"Email Address", K_ID, CORDON_ID_EMAIL},
    {"Email", K_ID, CORDON_ID_EMAIL},
    {"Website", K_ID, CORDON_ID_WEBSITE},
    {"Phone Number", K_ID, CORDON_ID_OTHER},
    {"Phone", K_ID, CORDON_ID_OTHER},
    {"Phone No.", K_ID, CORDON_ID_OTHER},
    {"Telephone", K_ID, CORDON_ID_OTHER},
    {"Telephone No.", K_ID, CORDON_ID_OTHER},
    {"Fax", K_ID, CORDON_ID_OTHER},
    {"Fax No.", K_ID, CORDON_ID_OTHER},
    {"ISIN", K_ID, CORDON_ID_OTHER},
    {"Equity Ticker", K_ID, CORDON_ID_OTHER},
    {"UN/LOCODE", K_ID, CORDON_ID_OTHER},
    {"Chinese Commercial Code", K_ID, CORDON_ID_OTHER},
};

#define N_LABELS (sizeof labels / sizeof labels[0])

/* Real Remarks hold a few dozen items; a hostile one with a hundred
 * thousand would make the entity's duplicate checks quadratic. */
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

/* The longest label that starts the item and ends at a word boundary. */
static const struct label *find_label(const char *s, size_t len, size_t *label_len)
{
    const struct label *best = NULL;
    size_t best_len = 0;
    /* Every label starts with an ASCII letter, so OR-ing 0x20 folds case
     * cheaply; starts_with_ci checks the whole label. */
    int first = (unsigned char)s[0] | 0x20;
    for (size_t i = 0; i < N_LABELS; i++) {
        const char *t = labels[i].text;
        if ((t[0] | 0x20) != first)
            continue;
        size_t n = strlen(t);
        if (n <= best_len || !starts_with_ci(s, len, t, n))
            continue;
        bool boundary = n == len || !isalnum((unsigned char)t[n - 1]) || s[n] == ' ' ||
                        s[n] == ':' || s[n] == '#';
        if (!boundary)
            continue;
        best = &labels[i];
        best_len = n;
    }
    *label_len = best_len;
    return best;
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

/* Seven digits whose last is the IMO check digit: the sum of the first
 * six weighted 7, 6, ..., 2, modulo 10. */
static bool is_imo_number(const char *v, size_t len)
{
    if (len != 7)
        return false;
    int sum = 0;
    for (size_t i = 0; i < 7; i++)
        if (!isdigit((unsigned char)v[i]))
            return false;
    for (size_t i = 0; i < 6; i++)
        sum += (v[i] - '0') * (int)(7 - i);
    return sum % 10 == v[6] - '0';
}

/*
 * Handles one identifier item. *keep is set when the item says more than
 * the identifier holds (issue or expiry dates) and should stay in remarks.
 */
static int apply_id(cordon__loader *ld, cordon__entity_b *e, cordon_id_type type,
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
    if (type == CORDON_ID_REGISTRATION && is_imo_number(v, vlen) &&
        starts_with_ci(label, label_len, "Vessel", 6))
        type = CORDON_ID_IMO;
    *parsed = true;
    return cordon__entity_add_identifier(ld, e, type, label, label_len, v, vlen, country,
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
    const struct label *lab = find_label(s, len, &label_len);
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
    switch (lab->kind) {
    case K_DOB: {
        cordon_date d;
        if (cordon_date_parse(v, vlen, &d) != 0)
            return 0; /* kept whole in remarks, label and all */
        *parsed = true;
        return cordon__entity_add_birth_date(ld, e, v, vlen);
    }
    case K_POB:
        *parsed = true;
        return cordon__entity_add_birth_place(ld, e, v, vlen);
    case K_NATIONALITY:
        *parsed = true;
        return cordon__entity_add_nationality(ld, e, v, vlen);
    case K_CITIZEN:
        *parsed = true;
        return cordon__entity_add_citizenship(ld, e, v, vlen);
    case K_COUNTRY:
        *parsed = true;
        return cordon__entity_add_country(ld, e, v, vlen);
    case K_GENDER:
        if (!cordon__ieq(v, vlen, "Male") && !cordon__ieq(v, vlen, "Female"))
            return 0;
        *parsed = true;
        return cordon__entity_set_gender(ld, e, v, vlen);
    case K_ID:
        return apply_id(ld, e, lab->id, s, label_len, v, vlen, parsed, keep);
    case K_CURRENCY: {
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
        /* Items end at "; " (or ';' at the very end). */
        size_t end = pos;
        for (;;) {
            const char *q = memchr(s + end, ';', len - end);
            if (!q) {
                end = len;
                break;
            }
            end = (size_t)(q - s);
            if (end + 1 == len || s[end + 1] == ' ')
                break;
            end++;
        }
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
