/*
 * ofac_labels.c — what OFAC's labels mean, in one table for every OFAC
 * format: the classic sdnList idList, the Enhanced XML features and
 * identity documents, the Advanced XML features and ID documents, and the
 * items of the legacy CSV's Remarks ("Passport A123 (Iran)"). The same
 * entity read from any of the files so gets the same identifiers.
 *
 * A label is an identifier type ("Tax ID No."), a field ("Gender",
 * "Nationality Country", "Vessel Flag", "DOB"), or information about the
 * sanctions themselves ("Secondary sanctions risk:", directive dates). The
 * XML formats give the label apart from the value and look it up whole
 * (cordon__ofac_label_find); Remarks items start with it
 * (cordon__ofac_label_prefix), and ofac_remarks.c handles what follows.
 * cordon__ofac_apply_item applies one XML item: labels not in the table
 * are kept as identifiers of type OTHER with their own label, so nothing
 * the list says is dropped.
 */
#include "cordon_int.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Labels seen in OFAC's files (SDN 2021 to 2025, consolidated 2025, the
 * three XML schemas), matched case-insensitively. A label must begin with
 * an ASCII letter: lookups filter on the first letter. */
static const cordon__ofac_label labels[] = {
    /* fields of the entity */
    {"DOB", CORDON__OFAC_DOB, 0},
    {"Birthdate", CORDON__OFAC_DOB, 0},
    {"Date of Birth", CORDON__OFAC_DOB, 0},
    {"POB", CORDON__OFAC_POB, 0},
    {"Place of Birth", CORDON__OFAC_POB, 0},
    {"Gender", CORDON__OFAC_GENDER, 0},
    {"nationality", CORDON__OFAC_NATIONALITY, 0},
    {"Nationality Country", CORDON__OFAC_NATIONALITY, 0},
    {"citizen", CORDON__OFAC_CITIZENSHIP, 0},
    {"Citizenship", CORDON__OFAC_CITIZENSHIP, 0},
    {"Citizenship Country", CORDON__OFAC_CITIZENSHIP, 0},
    /* an organization's or a vessel's country */
    {"Nationality of Registration", CORDON__OFAC_COUNTRY, 0},
    {"Registration Country", CORDON__OFAC_COUNTRY, 0},
    {"Vessel Flag", CORDON__OFAC_COUNTRY, 0},
    {"Location", CORDON__OFAC_COUNTRY, 0},
    {"Title", CORDON__OFAC_TITLE, 0},
    {"Digital Currency Address", CORDON__OFAC_CURRENCY, CORDON_ID_OTHER},

    /* passports and travel documents */
    {"Passport", CORDON__OFAC_ID, CORDON_ID_PASSPORT},
    {"Passport Booklet", CORDON__OFAC_ID, CORDON_ID_PASSPORT},
    {"Diplomatic Passport", CORDON__OFAC_ID, CORDON_ID_PASSPORT},
    {"Travel Document Number", CORDON__OFAC_ID, CORDON_ID_PASSPORT},
    {"Refugee Travel Document", CORDON__OFAC_ID, CORDON_ID_PASSPORT},
    {"British National Overseas Passport", CORDON__OFAC_ID, CORDON_ID_PASSPORT},
    {"Stateless Person Passport", CORDON__OFAC_ID, CORDON_ID_PASSPORT},

    /* national identity documents */
    {"National ID No.", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"National Foreign ID Number", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"Cedula No.", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"C.U.R.P.", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"CURP", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"D.N.I.", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"DNI", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"Personal ID Card", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"Citizen's Card Number", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"Kenyan ID No.", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"Turkish Identification Number", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"Numero de Identidad", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"C.U.I.", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"SSN", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"I.F.E.", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"Credencial electoral", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"Electoral Registry No.", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"Residency Number", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"Tazkira National ID Card", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"Refugee ID Card", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"Moroccan Personal ID No.", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"Bosnian Personal ID No.", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"CNP (Personal Numerical Code)", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"UAE Identification", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"N.I.E.", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"Stateless Person ID Card", CORDON__OFAC_ID, CORDON_ID_NATIONAL_ID},
    {"Identification Number", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"Birth Certificate Number", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"Driver's License No.", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"C.U.I.P.", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"Cartilla de Servicio Militar Nacional", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"Military Registration Number", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"VisaNumberID", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"Permit Number", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"SRE Permit No.", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"Pilot License Number", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"Seafarer's Identification Document", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"Immigration No.", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"Public Security and Immigration No.", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"Serial No.", CORDON__OFAC_ID, CORDON_ID_OTHER},

    /* tax numbers */
    {"Tax ID No.", CORDON__OFAC_ID, CORDON_ID_TAX_ID},
    {"NIT #", CORDON__OFAC_ID, CORDON_ID_TAX_ID},
    {"RUC #", CORDON__OFAC_ID, CORDON_ID_TAX_ID},
    {"R.F.C.", CORDON__OFAC_ID, CORDON_ID_TAX_ID},
    {"RFC", CORDON__OFAC_ID, CORDON_ID_TAX_ID},
    {"RIF #", CORDON__OFAC_ID, CORDON_ID_TAX_ID},
    {"RTN", CORDON__OFAC_ID, CORDON_ID_TAX_ID},
    {"V.A.T. Number", CORDON__OFAC_ID, CORDON_ID_TAX_ID},
    {"C.U.I.T.", CORDON__OFAC_ID, CORDON_ID_TAX_ID},
    {"US FEIN", CORDON__OFAC_ID, CORDON_ID_TAX_ID},
    {"Italian Fiscal Code", CORDON__OFAC_ID, CORDON_ID_TAX_ID},
    {"Fiscal Code", CORDON__OFAC_ID, CORDON_ID_TAX_ID},
    {"Paraguayan tax identification number", CORDON__OFAC_ID, CORDON_ID_TAX_ID},
    {"Numero Unico de Identificacao Tributaria (NUIT)", CORDON__OFAC_ID, CORDON_ID_TAX_ID},
    {"Romanian Tax Registration", CORDON__OFAC_ID, CORDON_ID_TAX_ID},
    {"C.I.F.", CORDON__OFAC_ID, CORDON_ID_TAX_ID},
    {"N.I.F.", CORDON__OFAC_ID, CORDON_ID_TAX_ID},
    {"RSIN", CORDON__OFAC_ID, CORDON_ID_TAX_ID},

    /* company and other registrations */
    {"Registration Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Registration ID", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Business Registration Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Business Registration Document #", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Business Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Government Gazette Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Company Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"UK Company Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Commercial Registry Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Public Registration Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Central Registration System Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Certificate of Incorporation Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"C.R. No.", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Trade License No.", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"License", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Legal Entity Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Unified Social Credit Code (USCC)", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"United Social Credit Code Certificate (USCCC)", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Economic Register Number (CBLS)", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Chamber of Commerce Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Istanbul Chamber of Comm. No.", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Dubai Chamber of Commerce Membership No.", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Folio Mercantil No.", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Matricula Mercantil No", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Enterprise Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Branch Unit Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"LE Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Registered Charity No.", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"File Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"D-U-N-S Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Romanian C.R.", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"C.I.N.", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Organization Code", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Registration Certificate Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"MSB Registration Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Afghan Money Service Provider License Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Tourism License No.", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Russian State Individual Business Registration Number Pattern (OGRNIP)",
     CORDON__OFAC_ID, CORDON_ID_REGISTRATION},

    /* vessels and aircraft */
    {"Vessel Registration Identification IMO", CORDON__OFAC_ID, CORDON_ID_IMO},
    /* older entries leave out the "IMO"; others hold a national register's
     * number ("RS 150443"): see cordon__ofac_id_type */
    {"Vessel Registration Identification", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"International Maritime Organization No.", CORDON__OFAC_ID, CORDON_ID_IMO},
    {"Identification Number IMO", CORDON__OFAC_ID, CORDON_ID_IMO},
    {"Company Number IMO", CORDON__OFAC_ID, CORDON_ID_IMO},
    {"IMO", CORDON__OFAC_ID, CORDON_ID_IMO},
    {"MMSI", CORDON__OFAC_ID, CORDON_ID_MMSI},
    {"Call Sign", CORDON__OFAC_ID, CORDON_ID_CALL_SIGN},
    {"Vessel Call Sign", CORDON__OFAC_ID, CORDON_ID_CALL_SIGN},
    {"Other Vessel Call Sign", CORDON__OFAC_ID, CORDON_ID_CALL_SIGN},
    {"Aircraft Manufacturer's Serial Number (MSN)", CORDON__OFAC_ID, CORDON_ID_AIRCRAFT_SERIAL},
    {"Aircraft Construction Number (also called L/N or S/N or F/N)", CORDON__OFAC_ID,
     CORDON_ID_AIRCRAFT_SERIAL},
    {"Aircraft Serial Identification", CORDON__OFAC_ID, CORDON_ID_AIRCRAFT_SERIAL},
    {"Aircraft Tail Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Previous Aircraft Tail Number", CORDON__OFAC_ID, CORDON_ID_REGISTRATION},
    {"Aircraft Mode S Transponder Code", CORDON__OFAC_ID, CORDON_ID_OTHER},

    /* contact and financial */
    {"SWIFT/BIC", CORDON__OFAC_ID, CORDON_ID_SWIFT_BIC},
    {"BIK (RU)", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"Email Address", CORDON__OFAC_ID, CORDON_ID_EMAIL},
    {"Email", CORDON__OFAC_ID, CORDON_ID_EMAIL},
    {"Website", CORDON__OFAC_ID, CORDON_ID_WEBSITE},
    {"Phone Number", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"Phone", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"Phone No.", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"Telephone", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"Telephone No.", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"Fax", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"Fax No.", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"ISIN", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"Equity Ticker", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"UN/LOCODE", CORDON__OFAC_ID, CORDON_ID_OTHER},
    {"Chinese Commercial Code", CORDON__OFAC_ID, CORDON_ID_OTHER},

    /* About the sanctions or the party, not identifying it. */
    {"Secondary sanctions risk", CORDON__OFAC_INFO, 0},
    {"Target Type", CORDON__OFAC_INFO, 0},
    {"Organization Type", CORDON__OFAC_INFO, 0},
    {"Organization Established Date", CORDON__OFAC_INFO, 0},
    {"Issuer Name", CORDON__OFAC_INFO, 0},
    {"Additional Sanctions Information", CORDON__OFAC_INFO, 0},
    {"CAATSA Section 235 Information", CORDON__OFAC_INFO, 0},
    {"IFCA Determination", CORDON__OFAC_INFO, 0},
    {"PEESA Information", CORDON__OFAC_INFO, 0},
    {"Vessel Type", CORDON__OFAC_INFO, 0},
    {"Other Vessel Type", CORDON__OFAC_INFO, 0},
    {"Vessel Tonnage", CORDON__OFAC_INFO, 0},
    {"Vessel Gross Registered Tonnage", CORDON__OFAC_INFO, 0},
    {"Vessel Owner", CORDON__OFAC_INFO, 0},
    {"VESSEL YEAR OF BUILD", CORDON__OFAC_INFO, 0},
    {"Aircraft Model", CORDON__OFAC_INFO, 0},
    {"Aircraft Manufacture Date", CORDON__OFAC_INFO, 0},
    {"Aircraft Operator", CORDON__OFAC_INFO, 0},
};

#define N_LABELS (sizeof labels / sizeof labels[0])

/* Label prefixes of sanctions information ("Executive Order 13662
 * Directive Determination -", "Listing Date (CMIC)", ...), for labels
 * given whole. */
static const char *const info_prefixes[] = {
    "Executive Order ", "Listing Date", "Effective Date", "Purchase/Sales For Divestment Date",
    "Transactions Prohibited For Persons",
};

/* Every label starts with an ASCII letter, so OR-ing 0x20 folds case
 * cheaply before the whole comparison. */
static bool first_matches(const char *t, const char *s)
{
    return ((unsigned char)t[0] | 0x20) == ((unsigned char)s[0] | 0x20);
}

const cordon__ofac_label *cordon__ofac_label_find(const char *s, size_t len)
{
    /* OFAC writes both "X:" and "X -". */
    while (len && (s[len - 1] == ':' || s[len - 1] == '-' || s[len - 1] == ' '))
        len--;
    if (len == 0)
        return NULL;
    for (size_t i = 0; i < N_LABELS; i++) {
        const char *t = labels[i].text;
        if (first_matches(t, s) && strlen(t) == len && strncasecmp(s, t, len) == 0)
            return &labels[i];
    }
    return NULL;
}

const cordon__ofac_label *cordon__ofac_label_prefix(const char *s, size_t len, size_t *label_len)
{
    const cordon__ofac_label *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; len && i < N_LABELS; i++) {
        const char *t = labels[i].text;
        if (!first_matches(t, s))
            continue;
        size_t n = strlen(t);
        if (n <= best_len || n > len || strncasecmp(s, t, n) != 0)
            continue;
        /* "citizen" must not take "Citizen's Card Number", nor "DOB"
         * "DOBS"; a label ending in punctuation ("NIT #") ends itself. */
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

bool cordon__ofac_is_imo_number(const char *v, size_t len)
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

cordon_id_type cordon__ofac_id_type(const cordon__ofac_label *l, const char *value, size_t len)
{
    if (!l)
        return CORDON_ID_OTHER;
    /* "Vessel Registration Identification" holds an IMO number ("IMO
     * 9187629", or older entries the bare number) or a national
     * register's ("RS 150443"). */
    if (l->id == CORDON_ID_REGISTRATION && strncasecmp(l->text, "Vessel", 6) == 0 &&
        ((len > 4 && strncasecmp(value, "IMO ", 4) == 0) ||
         cordon__ofac_is_imo_number(value, len)))
        return CORDON_ID_IMO;
    return l->id;
}

int cordon__ofac_add_field(cordon__loader *ld, cordon__entity_b *e, cordon__ofac_field field,
                           const char *value, size_t len)
{
    switch (field) {
    case CORDON__OFAC_GENDER:
        return cordon__entity_set_gender(ld, e, value, len);
    case CORDON__OFAC_NATIONALITY:
        return cordon__entity_add_nationality(ld, e, value, len);
    case CORDON__OFAC_CITIZENSHIP:
        return cordon__entity_add_citizenship(ld, e, value, len);
    case CORDON__OFAC_COUNTRY:
        return cordon__entity_add_country(ld, e, value, len);
    case CORDON__OFAC_DOB:
        return cordon__entity_add_birth_date(ld, e, value, len);
    case CORDON__OFAC_POB:
        return cordon__entity_add_birth_place(ld, e, value, len);
    case CORDON__OFAC_TITLE:
        return cordon__entity_add_title(ld, e, value, len);
    case CORDON__OFAC_ID:
    case CORDON__OFAC_INFO:
    case CORDON__OFAC_CURRENCY:
        break;
    }
    return cordon__loader_fail(ld, CORDON_EINVAL, 0, 0, "OFAC label kind %d is not a field",
                               (int)field);
}

cordon_schema cordon__ofac_schema(const char *s, size_t len)
{
    len = cordon__trim(&s, len);
    if (cordon__ieq(s, len, "Individual"))
        return CORDON_SCHEMA_PERSON;
    if (cordon__ieq(s, len, "Entity"))
        return CORDON_SCHEMA_ORGANIZATION;
    if (cordon__ieq(s, len, "Vessel"))
        return CORDON_SCHEMA_VESSEL;
    if (cordon__ieq(s, len, "Aircraft"))
        return CORDON_SCHEMA_AIRCRAFT;
    return CORDON_SCHEMA_UNKNOWN;
}

static bool is_info(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof info_prefixes / sizeof info_prefixes[0]; i++) {
        size_t n = strlen(info_prefixes[i]);
        if (len >= n && strncasecmp(s, info_prefixes[i], n) == 0)
            return true;
    }
    return false;
}

int cordon__ofac_apply_item(cordon__loader *ld, cordon__entity_b *e, const char *label,
                            size_t label_len, const char *value, size_t value_len,
                            const char *country, size_t country_len)
{
    label_len = label ? cordon__trim(&label, label_len) : 0;
    value_len = value ? cordon__trim(&value, value_len) : 0;
    if (!value_len)
        return 0;
    if (!label_len)
        return cordon__entity_add_identifier(ld, e, CORDON_ID_OTHER, NULL, 0, value, value_len,
                                             country, country_len);
    const cordon__ofac_label *l = cordon__ofac_label_find(label, label_len);
    cordon__ofac_field field = l ? l->field
                               : is_info(label, label_len) ? CORDON__OFAC_INFO
                                                           : CORDON__OFAC_ID;
    switch (field) {
    case CORDON__OFAC_INFO: {
        cordon__buf b = {0};
        int rc = cordon__buf_printf(&b, "%.*s %.*s", (int)label_len, label, (int)value_len, value);
        if (rc) {
            cordon__buf_free(&b);
            return cordon__loader_fail(ld, CORDON_ENOMEM, 0, 0, "out of memory");
        }
        rc = cordon__entity_add_remarks(ld, e, b.data, b.len);
        cordon__buf_free(&b);
        return rc;
    }
    case CORDON__OFAC_CURRENCY: /* the XML formats name the currency in the label */
    case CORDON__OFAC_ID:
        break;
    default:
        return cordon__ofac_add_field(ld, e, field, value, value_len);
    }
    return cordon__entity_add_identifier(ld, e, cordon__ofac_id_type(l, value, value_len), label,
                                         label_len, value, value_len, country, country_len);
}
