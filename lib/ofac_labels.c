/*
 * ofac_labels.c — the labelled items of OFAC's three XML schemas, mapped
 * to the entity model in one place so that the classic sdnList idList, the
 * Enhanced XML features and identity documents, and the Advanced XML
 * features and ID documents agree on what each label means: the same
 * entity read from any of the files gets the same identifiers.
 *
 * A label is an identifier type ("Tax ID No."), a field ("Gender",
 * "Nationality Country", "Vessel Flag"), or information about the
 * sanctions themselves ("Secondary sanctions risk:", directive dates),
 * which is kept in remarks as "LABEL VALUE". Labels not in the table are
 * kept as identifiers of type OTHER with their own label, so nothing the
 * list says is dropped.
 */
#include "cordon_int.h"

#include <string.h>
#include <strings.h>

enum kind { K_ID, K_INFO, K_GENDER, K_NATIONALITY, K_CITIZENSHIP, K_COUNTRY, K_DOB, K_POB,
            K_TITLE };

struct label {
    const char *text;
    enum kind kind;
    cordon_id_type id;
};

/* Matched case-insensitively against the whole label, ignoring a trailing
 * ':' or '-' and spaces (OFAC writes both "X:" and "X -"). */
static const struct label labels[] = {
    {"Birthdate", K_DOB, 0},
    {"Date of Birth", K_DOB, 0},
    {"Place of Birth", K_POB, 0},
    {"Gender", K_GENDER, 0},
    {"Nationality Country", K_NATIONALITY, 0},
    {"Nationality", K_NATIONALITY, 0},
    {"Citizenship Country", K_CITIZENSHIP, 0},
    {"Citizenship", K_CITIZENSHIP, 0},
    {"Nationality of Registration", K_COUNTRY, 0},
    {"Vessel Flag", K_COUNTRY, 0},
    {"Location", K_COUNTRY, 0},
    {"Title", K_TITLE, 0},

    {"Passport", K_ID, CORDON_ID_PASSPORT},
    {"Diplomatic Passport", K_ID, CORDON_ID_PASSPORT},
    {"Travel Document Number", K_ID, CORDON_ID_PASSPORT},
    {"National ID No.", K_ID, CORDON_ID_NATIONAL_ID},
    {"National Foreign ID Number", K_ID, CORDON_ID_NATIONAL_ID},
    {"Cedula No.", K_ID, CORDON_ID_NATIONAL_ID},
    {"C.U.R.P.", K_ID, CORDON_ID_NATIONAL_ID},
    {"D.N.I.", K_ID, CORDON_ID_NATIONAL_ID},
    {"Personal ID Card", K_ID, CORDON_ID_NATIONAL_ID},
    {"SSN", K_ID, CORDON_ID_NATIONAL_ID},
    {"Residency Number", K_ID, CORDON_ID_NATIONAL_ID},
    {"Tax ID No.", K_ID, CORDON_ID_TAX_ID},
    {"V.A.T. Number", K_ID, CORDON_ID_TAX_ID},
    {"NIT #", K_ID, CORDON_ID_TAX_ID},
    {"RUC #", K_ID, CORDON_ID_TAX_ID},
    {"R.F.C.", K_ID, CORDON_ID_TAX_ID},
    {"RIF #", K_ID, CORDON_ID_TAX_ID},
    {"C.U.I.T.", K_ID, CORDON_ID_TAX_ID},
    {"US FEIN", K_ID, CORDON_ID_TAX_ID},
    {"Italian Fiscal Code", K_ID, CORDON_ID_TAX_ID},
    {"Registration ID", K_ID, CORDON_ID_REGISTRATION},
    {"Registration Number", K_ID, CORDON_ID_REGISTRATION},
    {"Business Registration Number", K_ID, CORDON_ID_REGISTRATION},
    {"Business Registration Document #", K_ID, CORDON_ID_REGISTRATION},
    {"Business Number", K_ID, CORDON_ID_REGISTRATION},
    {"Public Registration Number", K_ID, CORDON_ID_REGISTRATION},
    {"Government Gazette Number", K_ID, CORDON_ID_REGISTRATION},
    {"Company Number", K_ID, CORDON_ID_REGISTRATION},
    {"UK Company Number", K_ID, CORDON_ID_REGISTRATION},
    {"Commercial Registry Number", K_ID, CORDON_ID_REGISTRATION},
    {"Certificate of Incorporation Number", K_ID, CORDON_ID_REGISTRATION},
    {"C.R. No.", K_ID, CORDON_ID_REGISTRATION},
    {"Trade License No.", K_ID, CORDON_ID_REGISTRATION},
    {"License", K_ID, CORDON_ID_REGISTRATION},
    {"Legal Entity Number", K_ID, CORDON_ID_REGISTRATION},
    {"Unified Social Credit Code (USCC)", K_ID, CORDON_ID_REGISTRATION},
    {"Chamber of Commerce Number", K_ID, CORDON_ID_REGISTRATION},
    {"D-U-N-S Number", K_ID, CORDON_ID_REGISTRATION},
    {"Vessel Registration Identification", K_ID, CORDON_ID_IMO},
    {"IMO", K_ID, CORDON_ID_IMO},
    {"MMSI", K_ID, CORDON_ID_MMSI},
    {"Vessel Call Sign", K_ID, CORDON_ID_CALL_SIGN},
    {"Other Vessel Call Sign", K_ID, CORDON_ID_CALL_SIGN},
    {"Call Sign", K_ID, CORDON_ID_CALL_SIGN},
    {"Aircraft Manufacturer's Serial Number (MSN)", K_ID, CORDON_ID_AIRCRAFT_SERIAL},
    {"Aircraft Construction Number (also called L/N or S/N or F/N)", K_ID,
     CORDON_ID_AIRCRAFT_SERIAL},
    {"Aircraft Tail Number", K_ID, CORDON_ID_REGISTRATION},
    {"Previous Aircraft Tail Number", K_ID, CORDON_ID_REGISTRATION},
    {"SWIFT/BIC", K_ID, CORDON_ID_SWIFT_BIC},
    {"Email Address", K_ID, CORDON_ID_EMAIL},
    {"Website", K_ID, CORDON_ID_WEBSITE},

    /* About the sanctions or the party, not identifying it. */
    {"Secondary sanctions risk", K_INFO, 0},
    {"Target Type", K_INFO, 0},
    {"Organization Type", K_INFO, 0},
    {"Organization Established Date", K_INFO, 0},
    {"Issuer Name", K_INFO, 0},
    {"Additional Sanctions Information", K_INFO, 0},
    {"CAATSA Section 235 Information", K_INFO, 0},
    {"IFCA Determination", K_INFO, 0},
    {"PEESA Information", K_INFO, 0},
    {"Vessel Type", K_INFO, 0},
    {"Other Vessel Type", K_INFO, 0},
    {"Vessel Tonnage", K_INFO, 0},
    {"Vessel Gross Registered Tonnage", K_INFO, 0},
    {"Vessel Owner", K_INFO, 0},
    {"VESSEL YEAR OF BUILD", K_INFO, 0},
    {"Aircraft Model", K_INFO, 0},
    {"Aircraft Manufacture Date", K_INFO, 0},
    {"Aircraft Operator", K_INFO, 0},
    {"Aircraft Mode S Transponder Code", K_ID, CORDON_ID_OTHER},
};

/* Label prefixes of sanctions information ("Executive Order 13662
 * Directive Determination -", "Listing Date (CMIC)", ...). */
static const char *const info_prefixes[] = {
    "Executive Order ", "Listing Date", "Effective Date", "Purchase/Sales For Divestment Date",
    "Transactions Prohibited For Persons",
};

static size_t core_len(const char *s, size_t len)
{
    while (len && (s[len - 1] == ':' || s[len - 1] == '-' || s[len - 1] == ' '))
        len--;
    return len;
}

static const struct label *find(const char *s, size_t len)
{
    len = core_len(s, len);
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        size_t n = strlen(labels[i].text);
        if (n == len && strncasecmp(s, labels[i].text, n) == 0)
            return &labels[i];
    }
    return NULL;
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
    const struct label *l = find(label, label_len);
    enum kind kind = l ? l->kind : is_info(label, label_len) ? K_INFO : K_ID;
    switch (kind) {
    case K_GENDER:
        return cordon__entity_set_gender(ld, e, value, value_len);
    case K_NATIONALITY:
        return cordon__entity_add_nationality(ld, e, value, value_len);
    case K_CITIZENSHIP:
        return cordon__entity_add_citizenship(ld, e, value, value_len);
    case K_COUNTRY:
        return cordon__entity_add_country(ld, e, value, value_len);
    case K_DOB:
        return cordon__entity_add_birth_date(ld, e, value, value_len);
    case K_POB:
        return cordon__entity_add_birth_place(ld, e, value, value_len);
    case K_TITLE:
        return cordon__entity_add_title(ld, e, value, value_len);
    case K_INFO: {
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
    case K_ID:
        break;
    }
    return cordon__entity_add_identifier(ld, e, l ? l->id : CORDON_ID_OTHER, label, label_len,
                                         value, value_len, country, country_len);
}
