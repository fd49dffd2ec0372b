/*
 * country.c — country names, demonyms and codes to ISO 3166-1 alpha-2.
 *
 * Lists name countries in many ways: OFAC writes "Korea, North" and
 * "Burma", the UN "Democratic People's Republic of Korea" and "Iran
 * (Islamic Republic of)", OFSI "DPRK" and "Congo (Democratic Republic)",
 * the US CSL plain alpha-2 codes, and remarks give nationalities as
 * demonyms ("Russian"). One table below holds, per country, its codes,
 * its English short name (first; returned by cordon_country_name) and the
 * other names and demonyms seen on lists. A hash of folded keys is built
 * once (pthread_once, static storage, no allocation), so lookups are
 * thread-safe and cost one fold and one probe.
 *
 * Folding: NFKD + case fold + marks stripped (utf8proc), words are runs of
 * letters and digits, the words "the" and "and" are dropped, "st" reads
 * "saint", and the words are joined with nothing between them. So "Côte
 * d’Ivoire", "Cote d Ivoire" and "COTE D'IVOIRE" share the key
 * "cotedivoire", and "Bahamas, The" matches "Bahamas".
 *
 * When the whole text is not a known name, a few list idioms are tried,
 * in order: "X (now Y)" / "X, now Y" / "X currently Y" resolve to Y; a
 * parenthesised remark is dropped ("Iraq (previous address)"); text after
 * "previously"/"formerly" is dropped; leading "Region:", "possibly",
 * "probably", "reportedly", "former" are dropped; a trailing "SSR",
 * "SFSR", "ASSR" or "Soviet Socialist Republic" is dropped ("Ukrainian
 * SSR" resolves through the demonym "Ukrainian").
 *
 * Bare codes ("RU", "RUS") are recognised only in upper case, because
 * lists also use lower-case words such as "na" (not available) that are
 * codes by accident (NA is Namibia). Upper-case names ("RUSSIA") still
 * resolve as names.
 *
 * Decisions worth knowing:
 *  - Regions that sanctions and trade-control rules single out get codes
 *    from ISO's user-assigned range (QM-QZ), so rules can name them:
 *        QC  Crimea (Autonomous Republic of Crimea and Sevastopol; UA-43, UA-40)
 *        QD  Donetsk, incl. the so-called "Donetsk People's Republic" (DNR, DPR; UA-14)
 *        QL  Luhansk, incl. the so-called "Luhansk People's Republic" (LNR, LPR; UA-09)
 *        QZ  Zaporizhzhia (UA-23)
 *        QK  Kherson (UA-65)
 *    They are parts of Ukraine (UA); a rule about Ukraine as a whole must
 *    name these codes too. Kosovo uses XK, the user-assigned code that the
 *    EU, the US CSL and most banks use.
 *  - Former states keep ISO's transitionally reserved codes rather than a
 *    guessed successor: SU Soviet Union ("USSR", "former Soviet Union"),
 *    YU Yugoslavia, CS Serbia and Montenegro, AN Netherlands Antilles, DD
 *    East Germany. "Former USSR, now Belarus" resolves to BY (see above).
 *  - West Bank and Gaza resolve to PS; Abkhazia and South Ossetia to GE;
 *    Transnistria to MD; Northern Cyprus to CY; Hong Kong, Macao and Taiwan
 *    keep their own codes.
 *  - Ambiguous words resolve to nothing: "Korea", "Congolese",
 *    "Dominican" (Dominica or the Dominican Republic), "Virgin Islands",
 *    as do regions that are not one country's ("Jammu and Kashmir",
 *    "Kafia Kingi", "Commonwealth of Independent States") and
 *    non-answers ("undetermined", "None Identified").
 *  - A few misspellings that occur on the bundled lists are listed as
 *    names ("Belrus", "Repubic of Moldova", "Uzbekhistan").
 */
#include "cordon_int.h"

#include <assert.h>
#include <pthread.h>
#include <string.h>

#include <utf8proc.h>

/* alpha-2, alpha-3 ("" when none), then "|"-separated names: the English
 * short name first, then other names and demonyms. */
static const struct country {
    char a2[3];
    char a3[4];
    const char *names;
} countries[] = {
    {"AD", "AND", "Andorra|Andorran|Principality of Andorra"},
    {"AE", "ARE", "United Arab Emirates|UAE|U.A.E.|Emirates|Emirati|Emirian"},
    {"AF", "AFG", "Afghanistan|Afghan|Afghani|Islamic Republic of Afghanistan|"
                  "Islamic Emirate of Afghanistan"},
    {"AG", "ATG", "Antigua and Barbuda|Antigua|Antiguan|Barbudan"},
    {"AI", "AIA", "Anguilla|Anguillan"},
    {"AL", "ALB", "Albania|Albanian|Republic of Albania"},
    {"AM", "ARM", "Armenia|Armenian|Republic of Armenia|Armenian SSR"},
    {"AO", "AGO", "Angola|Angolan|Republic of Angola"},
    {"AQ", "ATA", "Antarctica"},
    {"AR", "ARG", "Argentina|Argentine|Argentinian|Argentinean|Argentine Republic"},
    {"AS", "ASM", "American Samoa"},
    {"AT", "AUT", "Austria|Austrian|Republic of Austria"},
    {"AU", "AUS", "Australia|Australian|Commonwealth of Australia"},
    {"AW", "ABW", "Aruba|Aruban"},
    {"AX", "ALA", "Åland Islands|Åland"},
    {"AZ", "AZE", "Azerbaijan|Azerbaijani|Azeri|Republic of Azerbaijan"},
    {"BA", "BIH", "Bosnia and Herzegovina|Bosnia-Herzegovina|Bosnia and Hercegovina|"
                  "Bosina-Herzegovina|Bosnia|Bosnian|Herzegovinian"},
    {"BB", "BRB", "Barbados|Barbadian|Bajan"},
    {"BD", "BGD", "Bangladesh|Bangladeshi|People's Republic of Bangladesh"},
    {"BE", "BEL", "Belgium|Belgian|Kingdom of Belgium"},
    {"BF", "BFA", "Burkina Faso|Burkinabe|Burkina|Upper Volta"},
    {"BG", "BGR", "Bulgaria|Bulgarian|Republic of Bulgaria"},
    {"BH", "BHR", "Bahrain|Bahraini|Kingdom of Bahrain"},
    {"BI", "BDI", "Burundi|Burundian|Republic of Burundi"},
    {"BJ", "BEN", "Benin|Beninese|Republic of Benin|Dahomey"},
    {"BL", "BLM", "Saint Barthélemy|Saint Barts"},
    {"BM", "BMU", "Bermuda|Bermudian|Bermudan"},
    {"BN", "BRN", "Brunei|Brunei Darussalam|Bruneian"},
    {"BO", "BOL", "Bolivia|Bolivia (Plurinational State of)|Plurinational State of Bolivia|"
                  "Bolivian"},
    {"BQ", "BES", "Caribbean Netherlands|Bonaire, Sint Eustatius and Saba|Bonaire"},
    {"BR", "BRA", "Brazil|Brazilian|Federative Republic of Brazil"},
    {"BS", "BHS", "Bahamas|Bahamian|Commonwealth of The Bahamas"},
    {"BT", "BTN", "Bhutan|Bhutanese"},
    {"BV", "BVT", "Bouvet Island"},
    {"BW", "BWA", "Botswana|Motswana|Batswana|Botswanan"},
    {"BY", "BLR", "Belarus|Belarusian|Belarussian|Byelorussian|Belorussian|Byelorussia|"
                  "Belorussia|Republic of Belarus|Belarusian SSR|Byelorussian SSR|Belrus"},
    {"BZ", "BLZ", "Belize|Belizean"},
    {"CA", "CAN", "Canada|Canadian"},
    {"CC", "CCK", "Cocos (Keeling) Islands|Cocos Islands|Keeling Islands"},
    {"CD", "COD", "Democratic Republic of the Congo|Congo, Democratic Republic of the|"
                  "Congo (Democratic Republic)|Congo (Democratic Republic of the)|"
                  "Congo, The Democratic Republic of the|Democratic Republic of Congo|"
                  "Congo, Democratic Republic|DR Congo|DRC|D.R.C.|Congo-Kinshasa|Zaire|Zairean"},
    {"CF", "CAF", "Central African Republic|Central African|CAR"},
    {"CG", "COG", "Republic of the Congo|Congo|Congo, Republic of the|Congo (Republic)|"
                  "Congo (Republic of the)|Republic of Congo|Congo-Brazzaville"},
    {"CH", "CHE", "Switzerland|Swiss|Swiss Confederation"},
    {"CI", "CIV", "Côte d'Ivoire|Ivory Coast|Ivorian|Republic of Côte d'Ivoire"},
    {"CK", "COK", "Cook Islands|Cook Islander"},
    {"CL", "CHL", "Chile|Chilean|Republic of Chile"},
    {"CM", "CMR", "Cameroon|Cameroonian|Republic of Cameroon"},
    {"CN", "CHN", "China|Chinese|People's Republic of China|China, People's Republic of|"
                  "PRC|P.R.C.|Mainland China"},
    {"CO", "COL", "Colombia|Colombian|Republic of Colombia"},
    {"CR", "CRI", "Costa Rica|Costa Rican"},
    {"CU", "CUB", "Cuba|Cuban|Republic of Cuba"},
    {"CV", "CPV", "Cabo Verde|Cape Verde|Cape Verdean|Cabo Verdean"},
    {"CW", "CUW", "Curaçao"},
    {"CX", "CXR", "Christmas Island"},
    {"CY", "CYP", "Cyprus|Cypriot|Republic of Cyprus|Northern Cyprus|"
                  "Turkish Republic of Northern Cyprus"},
    {"CZ", "CZE", "Czechia|Czech Republic|Czech"},
    {"DE", "DEU", "Germany|German|Federal Republic of Germany|Deutschland"},
    {"DJ", "DJI", "Djibouti|Djiboutian|Republic of Djibouti"},
    {"DK", "DNK", "Denmark|Danish|Dane|Kingdom of Denmark"},
    {"DM", "DMA", "Dominica|Commonwealth of Dominica"},
    {"DO", "DOM", "Dominican Republic"},
    {"DZ", "DZA", "Algeria|Algerian|People's Democratic Republic of Algeria"},
    {"EC", "ECU", "Ecuador|Ecuadorian|Ecuadorean|Republic of Ecuador"},
    {"EE", "EST", "Estonia|Estonian|Republic of Estonia|Estonian SSR"},
    {"EG", "EGY", "Egypt|Egyptian|Arab Republic of Egypt"},
    {"EH", "ESH", "Western Sahara|Sahrawi|Sahrawi Arab Democratic Republic"},
    {"ER", "ERI", "Eritrea|Eritrean|State of Eritrea"},
    {"ES", "ESP", "Spain|Spanish|Spaniard|Kingdom of Spain"},
    {"ET", "ETH", "Ethiopia|Ethiopian|Federal Democratic Republic of Ethiopia"},
    {"FI", "FIN", "Finland|Finnish|Finn|Republic of Finland"},
    {"FJ", "FJI", "Fiji|Fijian"},
    {"FK", "FLK", "Falkland Islands|Falkland Islands (Malvinas)|Falklands|Malvinas"},
    {"FM", "FSM", "Micronesia|Micronesia, Federated States of|Micronesia (Federated States of)|"
                  "Federated States of Micronesia|Micronesian"},
    {"FO", "FRO", "Faroe Islands|Faeroe Islands|Faroese"},
    {"FR", "FRA", "France|French|French Republic"},
    {"GA", "GAB", "Gabon|Gabonese|Gabonese Republic"},
    {"GB", "GBR", "United Kingdom|UK|U.K.|Great Britain|Britain|British|Briton|"
                  "United Kingdom of Great Britain and Northern Ireland|England|English|"
                  "Scotland|Scottish|Wales|Welsh|Northern Ireland"},
    {"GD", "GRD", "Grenada|Grenadian"},
    {"GE", "GEO", "Georgia|Georgian|Georgian SSR|Abkhazia|South Ossetia"},
    {"GF", "GUF", "French Guiana|French Guianese"},
    {"GG", "GGY", "Guernsey"},
    {"GH", "GHA", "Ghana|Ghanaian|Republic of Ghana"},
    {"GI", "GIB", "Gibraltar|Gibraltarian"},
    {"GL", "GRL", "Greenland|Greenlandic|Greenlander"},
    {"GM", "GMB", "Gambia|Gambian|Republic of The Gambia"},
    {"GN", "GIN", "Guinea|Guinean|Republic of Guinea|Guinea-Conakry"},
    {"GP", "GLP", "Guadeloupe"},
    {"GQ", "GNQ", "Equatorial Guinea|Equatorial Guinean|Equatoguinean"},
    {"GR", "GRC", "Greece|Greek|Hellenic Republic"},
    {"GS", "SGS", "South Georgia and the South Sandwich Islands"},
    {"GT", "GTM", "Guatemala|Guatemalan|Republic of Guatemala"},
    {"GU", "GUM", "Guam|Guamanian"},
    {"GW", "GNB", "Guinea-Bissau|Bissau-Guinean|Republic of Guinea-Bissau"},
    {"GY", "GUY", "Guyana|Guyanese"},
    {"HK", "HKG", "Hong Kong|Hongkong|Hong Kong SAR|Hong Kong SAR China|Hong Kong, China|"
                  "China, Hong Kong Special Administrative Region|"
                  "Hong Kong Special Administrative Region"},
    {"HM", "HMD", "Heard Island and McDonald Islands"},
    {"HN", "HND", "Honduras|Honduran|Republic of Honduras"},
    {"HR", "HRV", "Croatia|Croatian|Croat|Republic of Croatia"},
    {"HT", "HTI", "Haiti|Haitian|Republic of Haiti"},
    {"HU", "HUN", "Hungary|Hungarian"},
    {"ID", "IDN", "Indonesia|Indonesian|Republic of Indonesia"},
    {"IE", "IRL", "Ireland|Irish|Republic of Ireland|Eire"},
    {"IL", "ISR", "Israel|Israeli|State of Israel"},
    {"IM", "IMN", "Isle of Man|Man, Isle of|Manx"},
    {"IN", "IND", "India|Indian|Republic of India"},
    {"IO", "IOT", "British Indian Ocean Territory"},
    {"IQ", "IRQ", "Iraq|Iraqi|Republic of Iraq"},
    {"IR", "IRN", "Iran|Iran (Islamic Republic of)|Islamic Republic of Iran|"
                  "Iran, Islamic Republic of|Iranian|Persia|Persian"},
    {"IS", "ISL", "Iceland|Icelandic|Icelander"},
    {"IT", "ITA", "Italy|Italian|Italian Republic"},
    {"JE", "JEY", "Jersey"},
    {"JM", "JAM", "Jamaica|Jamaican"},
    {"JO", "JOR", "Jordan|Jordanian|Hashemite Kingdom of Jordan"},
    {"JP", "JPN", "Japan|Japanese"},
    {"KE", "KEN", "Kenya|Kenyan|Republic of Kenya"},
    {"KG", "KGZ", "Kyrgyzstan|Kyrgyz|Kyrgyzstani|Kyrgyz Republic|Kirghizia|Kirgizstan|"
                  "Kirghiz|Kirghiz SSR"},
    {"KH", "KHM", "Cambodia|Cambodian|Kingdom of Cambodia|Kampuchea"},
    {"KI", "KIR", "Kiribati|I-Kiribati"},
    {"KM", "COM", "Comoros|Comoros Islands|Comoran|Comorian|Union of the Comoros"},
    {"KN", "KNA", "Saint Kitts and Nevis|Kittitian|Nevisian|Saint Christopher and Nevis"},
    {"KP", "PRK", "North Korea|Korea, North|Korea (North)|North Korean|"
                  "Democratic People's Republic of Korea|"
                  "Korea, Democratic People's Republic of|"
                  "Korea (Democratic People's Republic of)|DPRK|D.P.R.K.|DPR Korea|Korea DPR"},
    {"KR", "KOR", "South Korea|Korea, South|Korea (South)|South Korean|Republic of Korea|"
                  "Korea, Republic of|Korea (Republic of)|ROK"},
    {"KW", "KWT", "Kuwait|Kuwaiti|State of Kuwait"},
    {"KY", "CYM", "Cayman Islands|Caymanian|Cayman"},
    {"KZ", "KAZ", "Kazakhstan|Kazakh|Kazakhstani|Kazakstan|Republic of Kazakhstan"},
    {"LA", "LAO", "Laos|Lao People's Democratic Republic|Lao PDR|Lao|Laotian"},
    {"LB", "LBN", "Lebanon|Lebanese|Lebanese Republic"},
    {"LC", "LCA", "Saint Lucia|Saint Lucian"},
    {"LI", "LIE", "Liechtenstein|Liechtensteiner|Principality of Liechtenstein"},
    {"LK", "LKA", "Sri Lanka|Sri Lankan|Ceylon"},
    {"LR", "LBR", "Liberia|Liberian|Republic of Liberia"},
    {"LS", "LSO", "Lesotho|Basotho|Mosotho"},
    {"LT", "LTU", "Lithuania|Lithuanian|Republic of Lithuania|Lithuanian SSR"},
    {"LU", "LUX", "Luxembourg|Luxembourger|Luxembourgish"},
    {"LV", "LVA", "Latvia|Latvian|Republic of Latvia|Latvian SSR"},
    {"LY", "LBY", "Libya|Libyan|State of Libya|Libyan Arab Jamahiriya"},
    {"MA", "MAR", "Morocco|Moroccan|Kingdom of Morocco"},
    {"MC", "MCO", "Monaco|Monegasque|Principality of Monaco"},
    {"MD", "MDA", "Moldova|Republic of Moldova|Moldova, Republic of|Moldovan|Moldavia|"
                  "Moldavian|Moldovian|Moldovan SSR|Moldavian SSR|Transnistria|"
                  "Repubic of Moldova|Republic of Moldovia"},
    {"ME", "MNE", "Montenegro|Montenegrin"},
    {"MF", "MAF", "Saint Martin|Saint Martin (French part)"},
    {"MG", "MDG", "Madagascar|Malagasy"},
    {"MH", "MHL", "Marshall Islands|Marshallese|Republic of the Marshall Islands"},
    {"MK", "MKD", "North Macedonia|North Macedonia, The Republic of|"
                  "Republic of North Macedonia|Macedonia|"
                  "Macedonia, The Former Yugoslav Republic of|"
                  "Former Yugoslav Republic of Macedonia|FYROM|Macedonian|North Macedonian"},
    {"ML", "MLI", "Mali|Malian|Republic of Mali|Northern Mali"},
    {"MM", "MMR", "Myanmar|Burma|Burmese|Myanmar (Burma)|Republic of the Union of Myanmar"},
    {"MN", "MNG", "Mongolia|Mongolian"},
    {"MO", "MAC", "Macao|Macau|Macao SAR|Macau SAR|Macao SAR China|"
                  "China, Macao Special Administrative Region|Macanese"},
    {"MP", "MNP", "Northern Mariana Islands"},
    {"MQ", "MTQ", "Martinique"},
    {"MR", "MRT", "Mauritania|Mauritanian|Islamic Republic of Mauritania"},
    {"MS", "MSR", "Montserrat"},
    {"MT", "MLT", "Malta|Maltese|Republic of Malta"},
    {"MU", "MUS", "Mauritius|Mauritian"},
    {"MV", "MDV", "Maldives|Maldivian|Republic of Maldives"},
    {"MW", "MWI", "Malawi|Malawian"},
    {"MX", "MEX", "Mexico|Mexican|United Mexican States"},
    {"MY", "MYS", "Malaysia|Malaysian"},
    {"MZ", "MOZ", "Mozambique|Mozambican"},
    {"NA", "NAM", "Namibia|Namibian"},
    {"NC", "NCL", "New Caledonia"},
    {"NE", "NER", "Niger|Nigerien|Republic of the Niger"},
    {"NF", "NFK", "Norfolk Island"},
    {"NG", "NGA", "Nigeria|Nigerian|Federal Republic of Nigeria"},
    {"NI", "NIC", "Nicaragua|Nicaraguan|Republic of Nicaragua"},
    {"NL", "NLD", "Netherlands|Dutch|Holland|Kingdom of the Netherlands"},
    {"NO", "NOR", "Norway|Norwegian|Kingdom of Norway"},
    {"NP", "NPL", "Nepal|Nepalese|Nepali"},
    {"NR", "NRU", "Nauru|Nauruan"},
    {"NU", "NIU", "Niue"},
    {"NZ", "NZL", "New Zealand|New Zealander"},
    {"OM", "OMN", "Oman|Omani|Sultanate of Oman"},
    {"PA", "PAN", "Panama|Panamanian|Republic of Panama"},
    {"PE", "PER", "Peru|Peruvian|Republic of Peru"},
    {"PF", "PYF", "French Polynesia"},
    {"PG", "PNG", "Papua New Guinea|Papua New Guinean"},
    {"PH", "PHL", "Philippines|Filipino|Philippine|Republic of the Philippines|Phillipines"},
    {"PK", "PAK", "Pakistan|Pakistani|Islamic Republic of Pakistan"},
    {"PL", "POL", "Poland|Polish|Pole|Republic of Poland"},
    {"PM", "SPM", "Saint Pierre and Miquelon"},
    {"PN", "PCN", "Pitcairn|Pitcairn Islands"},
    {"PR", "PRI", "Puerto Rico|Puerto Rican"},
    {"PS", "PSE", "Palestine|State of Palestine|Palestinian|Palestinian Territories|"
                  "Palestinian Territory|Occupied Palestinian Territories|"
                  "Occupied Palestinian Territory|Palestinian Authority|West Bank|Gaza|"
                  "Gaza Strip|North Gaza|Northern Gaza|West Bank and Gaza"},
    {"PT", "PRT", "Portugal|Portuguese|Portuguese Republic"},
    {"PW", "PLW", "Palau|Palauan|Republic of Palau"},
    {"PY", "PRY", "Paraguay|Paraguayan|Republic of Paraguay"},
    {"QA", "QAT", "Qatar|Qatari|State of Qatar"},
    {"RE", "REU", "Réunion"},
    {"RO", "ROU", "Romania|Romanian|Rumania"},
    {"RS", "SRB", "Serbia|Serbian|Serb|Republic of Serbia"},
    {"RU", "RUS", "Russia|Russian Federation|Russian|Russian SFSR|RSFSR|"
                  "Russian Soviet Federative Socialist Republic"},
    {"RW", "RWA", "Rwanda|Rwandan|Rwandese|Republic of Rwanda"},
    {"SA", "SAU", "Saudi Arabia|Saudi|Saudi Arabian|Kingdom of Saudi Arabia"},
    {"SB", "SLB", "Solomon Islands|Solomon Islander"},
    {"SC", "SYC", "Seychelles|Seychellois|Republic of Seychelles"},
    {"SD", "SDN", "Sudan|Sudanese|Republic of the Sudan|Sundan"},
    {"SE", "SWE", "Sweden|Swedish|Swede|Kingdom of Sweden"},
    {"SG", "SGP", "Singapore|Singaporean|Republic of Singapore"},
    {"SH", "SHN", "Saint Helena|Saint Helena, Ascension and Tristan da Cunha"},
    {"SI", "SVN", "Slovenia|Slovenian|Slovene|Republic of Slovenia"},
    {"SJ", "SJM", "Svalbard and Jan Mayen"},
    {"SK", "SVK", "Slovakia|Slovak|Slovakian|Slovak Republic"},
    {"SL", "SLE", "Sierra Leone|Sierra Leonean|Republic of Sierra Leone"},
    {"SM", "SMR", "San Marino|Sammarinese"},
    {"SN", "SEN", "Senegal|Senegalese|Republic of Senegal"},
    {"SO", "SOM", "Somalia|Somali|Somalian|Federal Republic of Somalia|Somaliland"},
    {"SR", "SUR", "Suriname|Surinamese|Surinam"},
    {"SS", "SSD", "South Sudan|South Sudanese|Republic of South Sudan"},
    {"ST", "STP", "São Tomé and Príncipe|Santomean"},
    {"SV", "SLV", "El Salvador|Salvadoran|Salvadorean"},
    {"SX", "SXM", "Sint Maarten|Sint Maarten (Dutch part)"},
    {"SY", "SYR", "Syria|Syrian Arab Republic|Syrian"},
    {"SZ", "SWZ", "Eswatini|Swaziland|Swazi|Kingdom of Eswatini"},
    {"TC", "TCA", "Turks and Caicos Islands"},
    {"TD", "TCD", "Chad|Chadian|Republic of Chad"},
    {"TF", "ATF", "French Southern Territories"},
    {"TG", "TGO", "Togo|Togolese|Togolese Republic"},
    {"TH", "THA", "Thailand|Thai|Kingdom of Thailand"},
    {"TJ", "TJK", "Tajikistan|Tajik|Tajikistani|Tadzhikistan|Tajik SSR"},
    {"TK", "TKL", "Tokelau"},
    {"TL", "TLS", "Timor-Leste|East Timor|Timorese"},
    {"TM", "TKM", "Turkmenistan|Turkmen|Turkmen SSR"},
    {"TN", "TUN", "Tunisia|Tunisian|Republic of Tunisia"},
    {"TO", "TON", "Tonga|Tongan"},
    {"TR", "TUR", "Türkiye|Turkey|Turkish|Republic of Türkiye|Republic of Turkey"},
    {"TT", "TTO", "Trinidad and Tobago|Trinidadian|Tobagonian|Trinidad"},
    {"TV", "TUV", "Tuvalu|Tuvaluan"},
    {"TW", "TWN", "Taiwan|Taiwanese|Republic of China|Chinese Taipei|"
                  "Taiwan, Province of China|Taiwan (Province of China)"},
    {"TZ", "TZA", "Tanzania|United Republic of Tanzania|Tanzania, United Republic of|"
                  "Tanzanian"},
    {"UA", "UKR", "Ukraine|Ukrainian|Ukrainian SSR"},
    {"UG", "UGA", "Uganda|Ugandan|Republic of Uganda"},
    {"UM", "UMI", "United States Minor Outlying Islands"},
    {"US", "USA", "United States|United States of America|USA|U.S.A.|U.S.|America|American"},
    {"UY", "URY", "Uruguay|Uruguayan"},
    {"UZ", "UZB", "Uzbekistan|Uzbek|Uzbekistani|Uzbek SSR|Uzbekistan SSR|Uzbekhistan"},
    {"VA", "VAT", "Holy See|Vatican City|Vatican|Holy See (Vatican City State)"},
    {"VC", "VCT", "Saint Vincent and the Grenadines|Saint Vincent|Vincentian"},
    {"VE", "VEN", "Venezuela|Venezuela (Bolivarian Republic of)|"
                  "Bolivarian Republic of Venezuela|Venezuelan"},
    {"VG", "VGB", "British Virgin Islands|Virgin Islands, British|Virgin Islands (British)|BVI"},
    {"VI", "VIR", "U.S. Virgin Islands|Virgin Islands, U.S.|Virgin Islands (U.S.)|"
                  "United States Virgin Islands"},
    {"VN", "VNM", "Vietnam|Viet Nam|Vietnamese|Socialist Republic of Vietnam"},
    {"VU", "VUT", "Vanuatu|Ni-Vanuatu"},
    {"WF", "WLF", "Wallis and Futuna"},
    {"WS", "WSM", "Samoa|Samoan|Western Samoa"},
    {"YE", "YEM", "Yemen|Yemeni|Republic of Yemen"},
    {"YT", "MYT", "Mayotte"},
    {"ZA", "ZAF", "South Africa|South African|Republic of South Africa"},
    {"ZM", "ZMB", "Zambia|Zambian|Republic of Zambia"},
    {"ZW", "ZWE", "Zimbabwe|Zimbabwean|Republic of Zimbabwe"},

    /* User-assigned: Kosovo and the regions sanctions programmes name. */
    {"XK", "XKX", "Kosovo|Kosovar|Kosovan|Republic of Kosovo"},
    {"QC", "", "Crimea|Crimean|Autonomous Republic of Crimea|Republic of Crimea|"
               "Crimea region of Ukraine|Crimea region|Sevastopol"},
    {"QD", "", "Donetsk|Donetsk People's Republic|DNR|DPR|Donetsk Oblast|Donetsk region"},
    {"QL", "", "Luhansk|Lugansk|Luhansk People's Republic|Lugansk People's Republic|"
               "LNR|LPR|Luhansk Oblast|Luhansk region"},
    {"QZ", "", "Zaporizhzhia|Zaporizhzhia Oblast|Zaporozhye|Zaporizhia|Zaporizhzhia region"},
    {"QK", "", "Kherson|Kherson Oblast|Kherson region"},

    /* Transitionally reserved codes of former states. */
    {"SU", "SUN", "Soviet Union|USSR|U.S.S.R.|Union of Soviet Socialist Republics|Soviet|"
                  "former Soviet Union|former USSR"},
    {"YU", "YUG", "Yugoslavia|Yugoslav|Federal Republic of Yugoslavia|former Yugoslavia|"
                  "ex-Yugoslavia"},
    {"CS", "SCG", "Serbia and Montenegro"},
    {"AN", "ANT", "Netherlands Antilles"},
    {"DD", "DDR", "East Germany|German Democratic Republic|GDR"},
};

#define N_COUNTRIES (sizeof countries / sizeof countries[0])

/* ---- folding ------------------------------------------------------ */

#define MAX_TEXT 256  /* longer text is no country name */
#define MAX_WORDS 32
#define MAX_FOLDED 512 /* folded bytes of one text */

typedef struct {
    char buf[MAX_FOLDED];
    size_t used;
    size_t n;
    struct {
        uint16_t off, len;
        uint8_t paren; /* inside (...) or [...] */
    } w[MAX_WORDS];
} words;

static bool word_is(const words *ws, size_t i, const char *lit)
{
    size_t n = strlen(lit);
    return ws->w[i].len == n && memcmp(ws->buf + ws->w[i].off, lit, n) == 0;
}

/* Closes the word that starts at `start`; drops "the"/"and", reads "st"
 * as "saint". Returns false when there are too many words. */
static bool end_word(words *ws, size_t start, uint8_t paren)
{
    size_t len = ws->used - start;
    if (len == 0)
        return true;
    const char *p = ws->buf + start;
    if ((len == 3 && (!memcmp(p, "the", 3) || !memcmp(p, "and", 3)))) {
        ws->used = start;
        return true;
    }
    if (len == 2 && !memcmp(p, "st", 2)) {
        if (start + 5 > sizeof ws->buf)
            return false;
        memcpy(ws->buf + start, "saint", 5);
        ws->used = start + 5;
        len = 5;
    }
    if (ws->n == MAX_WORDS)
        return false;
    ws->w[ws->n].off = (uint16_t)start;
    ws->w[ws->n].len = (uint16_t)len;
    ws->w[ws->n].paren = paren;
    ws->n++;
    return true;
}

static bool put(words *ws, const char *s, size_t n)
{
    if (ws->used + n > sizeof ws->buf)
        return false;
    memcpy(ws->buf + ws->used, s, n);
    ws->used += n;
    return true;
}

static bool is_alnum_cp(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
           (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

/* Splits s into folded words. Returns 0, CORDON_EUTF8, or
 * CORDON_ENOTFOUND when the text is too long to be a country. */
static int fold_words(const char *s, size_t len, words *ws)
{
    ws->used = 0;
    ws->n = 0;
    if (len > MAX_TEXT)
        return CORDON_ENOTFOUND;
    size_t i = 0, start = 0;
    int depth = 0;
    uint8_t word_paren = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        int32_t cp;
        if (c < 0x80) {
            i++;
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                if (ws->used == start)
                    word_paren = depth > 0;
                if (!put(ws, (const char *)&c, 1))
                    return CORDON_ENOTFOUND;
                continue;
            }
            if (c >= 'A' && c <= 'Z') {
                if (ws->used == start)
                    word_paren = depth > 0;
                char lc = (char)(c | 0x20);
                if (!put(ws, &lc, 1))
                    return CORDON_ENOTFOUND;
                continue;
            }
            cp = c;
        } else {
            cp = cordon__utf8_decode(s, len, &i);
            if (cp < 0)
                return CORDON_EUTF8;
        }
        if (cp >= 0x80 && is_alnum_cp(cp)) {
            /* Decompose, case fold and strip marks: "ü" -> "u", "ß" -> "ss";
             * letters of other scripts are kept, folded. */
            utf8proc_int32_t d[8];
            utf8proc_ssize_t nd = utf8proc_decompose_char(
                cp, d, 8, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK,
                NULL);
            if (nd < 0 || nd > 8)
                return CORDON_ENOTFOUND;
            if (ws->used == start)
                word_paren = depth > 0;
            for (utf8proc_ssize_t k = 0; k < nd; k++) {
                utf8proc_uint8_t enc[4];
                utf8proc_ssize_t ne = utf8proc_encode_char(d[k], enc);
                if (ne > 0 && !put(ws, (const char *)enc, (size_t)ne))
                    return CORDON_ENOTFOUND;
            }
            continue;
        }
        /* Anything else ends a word. */
        if (!end_word(ws, start, word_paren))
            return CORDON_ENOTFOUND;
        start = ws->used;
        if (cp == '(' || cp == '[')
            depth++;
        else if ((cp == ')' || cp == ']') && depth > 0)
            depth--;
    }
    if (!end_word(ws, start, word_paren))
        return CORDON_ENOTFOUND;
    return 0;
}

/* ---- the hash of keys, built once --------------------------------- */

#define SLOTS 4096 /* power of two, well above the number of names */
#define POOL_BYTES 32768

static struct {
    char pool[POOL_BYTES];
    size_t pool_used;
    struct slot {
        uint32_t off;
        uint16_t len;
        uint16_t country; /* index + 1; 0 = empty */
    } slots[SLOTS];
    uint16_t by_a2[26 * 26]; /* index + 1 */
    char short_name[N_COUNTRIES][48]; /* the first of each country's names */
} tab;

static pthread_once_t tab_once = PTHREAD_ONCE_INIT;

static size_t probe(const char *key, size_t len)
{
    size_t j = cordon__hash(key, len) & (SLOTS - 1);
    while (tab.slots[j].country) {
        const struct slot *s = &tab.slots[j];
        if (s->len == len && memcmp(tab.pool + s->off, key, len) == 0)
            return j;
        j = (j + 1) & (SLOTS - 1);
    }
    return j;
}

static void insert(const char *key, size_t len, size_t country)
{
    size_t j = probe(key, len);
    if (tab.slots[j].country) {
        /* The table must not give one name to two countries. */
        assert(tab.slots[j].country == country + 1);
        return;
    }
    assert(tab.pool_used + len <= POOL_BYTES);
    if (tab.pool_used + len > POOL_BYTES || len > UINT16_MAX)
        return;
    memcpy(tab.pool + tab.pool_used, key, len);
    tab.slots[j].off = (uint32_t)tab.pool_used;
    tab.slots[j].len = (uint16_t)len;
    tab.slots[j].country = (uint16_t)(country + 1);
    tab.pool_used += len;
}

/* Joins the chosen words of ws into key; returns its length. */
static size_t join(const words *ws, const bool *take, char *key)
{
    size_t n = 0;
    for (size_t i = 0; i < ws->n; i++) {
        if (!take[i])
            continue;
        memcpy(key + n, ws->buf + ws->w[i].off, ws->w[i].len);
        n += ws->w[i].len;
    }
    return n;
}

static void build(void)
{
    for (size_t c = 0; c < N_COUNTRIES; c++) {
        const struct country *ct = &countries[c];
        tab.by_a2[(ct->a2[0] - 'A') * 26 + (ct->a2[1] - 'A')] = (uint16_t)(c + 1);
        size_t sn = strcspn(ct->names, "|");
        assert(sn < sizeof tab.short_name[c]);
        memcpy(tab.short_name[c], ct->names, sn < sizeof tab.short_name[c] ? sn : 0);
        if (ct->a3[0]) {
            char k[4] = {'#', ct->a3[0], ct->a3[1], ct->a3[2]}; /* '#' never folds */
            insert(k, 4, c);
        }
        const char *p = ct->names;
        while (*p) {
            const char *bar = strchr(p, '|');
            size_t n = bar ? (size_t)(bar - p) : strlen(p);
            words ws;
            bool take[MAX_WORDS];
            char key[MAX_FOLDED];
            int rc = fold_words(p, n, &ws);
            assert(rc == 0 && ws.n > 0);
            if (rc == 0) {
                for (size_t i = 0; i < ws.n; i++)
                    take[i] = true;
                insert(key, join(&ws, take, key), c);
            }
            p += n + (bar ? 1 : 0);
        }
    }
}

static int find(const words *ws, const bool *take, char out[3])
{
    char key[MAX_FOLDED];
    size_t n = join(ws, take, key);
    if (n == 0)
        return CORDON_ENOTFOUND;
    size_t j = probe(key, n);
    if (!tab.slots[j].country)
        return CORDON_ENOTFOUND;
    memcpy(out, countries[tab.slots[j].country - 1].a2, 3);
    return 0;
}

static bool is_upper(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return false;
    return true;
}

static bool any_of(const words *ws, size_t i, const char *const *set)
{
    for (; *set; set++)
        if (word_is(ws, i, *set))
            return true;
    return false;
}

/* The list idioms described at the top, tried after the whole text. */
static int find_idioms(const words *ws, char out[3])
{
    static const char *const now_words[] = {"now", "currently", NULL};
    static const char *const cut_words[] = {"previously", "formerly", NULL};
    static const char *const lead_words[] = {"region", "possibly", "probably", "reportedly",
                                             "former", "ex", NULL};
    static const char *const ssr_words[] = {"ssr", "sfsr", "assr", NULL};
    bool take[MAX_WORDS];
    size_t n = ws->n;

    /* "X (now Y)", "X, now Y", "X currently Y": Y. */
    for (size_t i = n; i-- > 0;) {
        if (!any_of(ws, i, now_words))
            continue;
        bool paren = ws->w[i].paren;
        size_t k = 0;
        for (size_t j = 0; j < n; j++) {
            take[j] = j > i && ws->w[j].paren == paren;
            k += take[j];
        }
        if (k && find(ws, take, out) == 0)
            return 0;
        break;
    }

    /* Drop parenthesised words and whatever follows "previously". */
    size_t hi = n;
    for (size_t i = 0; i < n; i++)
        if (any_of(ws, i, cut_words)) {
            hi = i;
            break;
        }
    size_t lo = 0;
    while (lo < hi && (ws->w[lo].paren || any_of(ws, lo, lead_words)))
        lo++;
    /* Trailing "SSR" or "Soviet Socialist Republic". */
    while (hi > lo && (ws->w[hi - 1].paren || any_of(ws, hi - 1, ssr_words)))
        hi--;
    if (hi - lo > 3 && word_is(ws, hi - 1, "republic") && word_is(ws, hi - 2, "socialist") &&
        word_is(ws, hi - 3, "soviet"))
        hi -= 3;
    size_t k = 0;
    for (size_t j = 0; j < n; j++) {
        take[j] = j >= lo && j < hi && !ws->w[j].paren;
        k += take[j];
    }
    if (k == 0 || k == n)
        return CORDON_ENOTFOUND;
    return find(ws, take, out);
}

int cordon_country_lookup(const char *s, size_t len, char out[3])
{
    if (out)
        out[0] = '\0';
    if (!s || !out)
        return CORDON_EINVAL;
    pthread_once(&tab_once, build);
    len = cordon__trim(&s, len);
    if (len == 0)
        return CORDON_ENOTFOUND;

    /* Bare codes, upper case only (see the top of the file). */
    if (len == 2 && is_upper(s, 2)) {
        uint16_t c = tab.by_a2[(s[0] - 'A') * 26 + (s[1] - 'A')];
        if (c) {
            memcpy(out, countries[c - 1].a2, 3);
            return 0;
        }
    } else if (len == 3 && is_upper(s, 3)) {
        char k[4] = {'#', s[0], s[1], s[2]};
        size_t j = probe(k, 4);
        if (tab.slots[j].country) {
            memcpy(out, countries[tab.slots[j].country - 1].a2, 3);
            return 0;
        }
    }

    words ws;
    int rc = fold_words(s, len, &ws);
    if (rc)
        return rc;
    bool take[MAX_WORDS];
    for (size_t i = 0; i < ws.n; i++)
        take[i] = true;
    if (find(&ws, take, out) == 0)
        return 0;
    return find_idioms(&ws, out);
}

const char *cordon_country_name(const char code[2])
{
    if (!code)
        return NULL;
    char a = code[0], b = a ? code[1] : 0;
    if (a >= 'a' && a <= 'z')
        a = (char)(a - 32);
    if (b >= 'a' && b <= 'z')
        b = (char)(b - 32);
    if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z')
        return NULL;
    pthread_once(&tab_once, build);
    uint16_t c = tab.by_a2[(a - 'A') * 26 + (b - 'A')];
    return c ? tab.short_name[c - 1] : NULL;
}
