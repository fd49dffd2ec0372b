/*
 * enums.c — names of the public enumerations, both ways.
 */
#include "cordon_int.h"

#include <string.h>

static const char *const schema_names[CORDON_SCHEMA_COUNT_] = {
    "unknown", "person", "organization", "vessel", "aircraft",
};

const char *cordon_schema_name(cordon_schema schema)
{
    return (unsigned)schema < CORDON_SCHEMA_COUNT_ ? schema_names[schema] : "unknown";
}

int cordon_schema_parse(const char *s, size_t len, cordon_schema *out)
{
    static const struct { const char *name; cordon_schema schema; } aliases[] = {
        {"person", CORDON_SCHEMA_PERSON},       {"individual", CORDON_SCHEMA_PERSON},
        {"organization", CORDON_SCHEMA_ORGANIZATION},
        {"organisation", CORDON_SCHEMA_ORGANIZATION},
        {"entity", CORDON_SCHEMA_ORGANIZATION}, {"company", CORDON_SCHEMA_ORGANIZATION},
        {"legalentity", CORDON_SCHEMA_ORGANIZATION},
        {"vessel", CORDON_SCHEMA_VESSEL},       {"ship", CORDON_SCHEMA_VESSEL},
        {"aircraft", CORDON_SCHEMA_AIRCRAFT},   {"airplane", CORDON_SCHEMA_AIRCRAFT},
        {"unknown", CORDON_SCHEMA_UNKNOWN},
    };
    if (!s)
        return CORDON_EINVAL;
    len = cordon__trim(&s, len);
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (cordon__ieq(s, len, aliases[i].name)) {
            *out = aliases[i].schema;
            return 0;
        }
    return CORDON_ENOTFOUND;
}

const char *cordon_name_kind_name(cordon_name_kind kind)
{
    static const char *const names[CORDON_NAME_KIND_COUNT_] = {
        "primary", "strong", "weak", "former", "native",
    };
    return (unsigned)kind < CORDON_NAME_KIND_COUNT_ ? names[kind] : "unknown";
}

const char *cordon_id_type_name(cordon_id_type type)
{
    static const char *const names[CORDON_ID_TYPE_COUNT_] = {
        "other", "passport", "national_id", "tax_id", "imo", "mmsi", "call_sign",
        "registration", "aircraft_serial", "swift_bic", "email", "website",
    };
    return (unsigned)type < CORDON_ID_TYPE_COUNT_ ? names[type] : "other";
}

static const char *const format_names[CORDON_FORMAT_COUNT_] = {
    [CORDON_FORMAT_OFAC_CSV] = "ofac_csv",
    [CORDON_FORMAT_OFAC_XML] = "ofac_xml",
    [CORDON_FORMAT_OFAC_ENHANCED_XML] = "ofac_enhanced_xml",
    [CORDON_FORMAT_OFAC_ADVANCED_XML] = "ofac_advanced_xml",
    [CORDON_FORMAT_UN_XML] = "un_xml",
    [CORDON_FORMAT_OFSI_XLSX] = "ofsi_xlsx",
    [CORDON_FORMAT_OFSI_CSV] = "ofsi_csv",
    [CORDON_FORMAT_US_CSL] = "us_csl",
    [CORDON_FORMAT_OS_SIMPLE_CSV] = "os_simple_csv",
    [CORDON_FORMAT_FTM_JSON] = "ftm_json",
};

const char *cordon_format_name(cordon_format format)
{
    if ((unsigned)format < CORDON_FORMAT_COUNT_ && format_names[format])
        return format_names[format];
    return "unknown";
}

int cordon_format_parse(const char *s, size_t len, cordon_format *out)
{
    if (!s)
        return CORDON_EINVAL;
    len = cordon__trim(&s, len);
    for (int f = 1; f < CORDON_FORMAT_COUNT_; f++)
        if (cordon__ieq(s, len, format_names[f])) {
            *out = (cordon_format)f;
            return 0;
        }
    return CORDON_ENOTFOUND;
}
