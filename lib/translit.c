/*
 * translit.c — romanization of one name token into lowercase ASCII
 * forms, several per token where romanization systems differ.
 *
 *  - Latin: accents stripped with utf8proc's decomposition, never ICU;
 *    ä/ö/ü/ø/å give both the plain and the expanded form (müller ->
 *    "muller", "mueller").
 *  - Cyrillic: ICU's Russian and Ukrainian BGN/PCGN and scientific
 *    transforms, with an ICU rule pass first for the Kazakh, Uzbek,
 *    Tajik and South Slavic letters those transforms leave alone; then
 *    our own tables for ICAO passports, French and German renderings
 *    (путин -> putin, poutine; -ович -> ovich, ovitch, owitsch) and for
 *    Japanese and Chinese names written in Cyrillic (Polivanov,
 *    Palladius). Tables, because they are ours anyway and ICU costs
 *    microseconds per call.
 *  - Greek, Georgian, Armenian, Thai and other scripts: ICU's transforms
 *    (UNGEGN and BGN where both exist). Han: ICU's Mandarin pinyin, one
 *    syllable per character (cached per character), respelled the
 *    English way and in Wade-Giles.
 *  - Hangul, kana, Hebrew and Arabic script: our own tables. Hangul is
 *    arithmetic (initial/vowel/final) and needs syllables to split names;
 *    ICU's kana transform mangles small vowels (トゥ -> "to~u"); the
 *    abjads need several readings of their vowel letters, which a single
 *    ICU transform cannot give.
 *
 * Accents are stripped only after transliteration. ICU transliterators
 * are compiled once per process (slow: milliseconds, 0.4 s for Han) and
 * cloned into a pool of sets, one taken by each call in flight, since
 * one UTransliterator must not be used by two threads at once. Results
 * per token are cached.
 */
#include "name_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <utf8proc.h>

/* ---- scripts ------------------------------------------------------- */

cordon_script cordon__script_of(uint32_t c)
{
    if (c < 0x80)
        return ((c | 32) >= 'a' && (c | 32) <= 'z') ? CORDON_SCRIPT_LATIN : CORDON_SCRIPT_COUNT_;
    if ((c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x250 && c <= 0x2AF) ||
        (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2C60 && c <= 0x2C7F) || (c >= 0xA720 && c <= 0xA7FF) ||
        (c >= 0xAB30 && c <= 0xAB6F) || c == 0xAA || c == 0xBA)
        return CORDON_SCRIPT_LATIN;
    if ((c >= 0x300 && c <= 0x36F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
        (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F))
        return CORDON_SCRIPT_COUNT_; /* combining marks inherit */
    if ((c >= 0x370 && c <= 0x3FF) || (c >= 0x1F00 && c <= 0x1FFF))
        return CORDON_SCRIPT_GREEK;
    if ((c >= 0x400 && c <= 0x52F) || (c >= 0x1C80 && c <= 0x1C8F) || (c >= 0x2DE0 && c <= 0x2DFF) ||
        (c >= 0xA640 && c <= 0xA69F))
        return CORDON_SCRIPT_CYRILLIC;
    if ((c >= 0x530 && c <= 0x58F) || (c >= 0xFB13 && c <= 0xFB17))
        return CORDON_SCRIPT_ARMENIAN;
    if ((c >= 0x591 && c <= 0x5C7))
        return CORDON_SCRIPT_COUNT_; /* Hebrew points */
    if ((c >= 0x590 && c <= 0x5FF) || (c >= 0xFB1D && c <= 0xFB4F))
        return CORDON_SCRIPT_HEBREW;
    if ((c >= 0x610 && c <= 0x61A) || (c >= 0x64B && c <= 0x65F) || c == 0x670)
        return CORDON_SCRIPT_COUNT_; /* Arabic harakat */
    if ((c >= 0x600 && c <= 0x6FF) || (c >= 0x750 && c <= 0x77F) || (c >= 0x8A0 && c <= 0x8FF) ||
        (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF))
        return CORDON_SCRIPT_ARABIC;
    if (c >= 0xE00 && c <= 0xE7F)
        return CORDON_SCRIPT_THAI;
    if ((c >= 0x10A0 && c <= 0x10FF) || (c >= 0x1C90 && c <= 0x1CBF) || (c >= 0x2D00 && c <= 0x2D2F))
        return CORDON_SCRIPT_GEORGIAN;
    if ((c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F) || (c >= 0xA960 && c <= 0xA97F) ||
        (c >= 0xAC00 && c <= 0xD7FF))
        return CORDON_SCRIPT_HANGUL;
    if ((c >= 0x3041 && c <= 0x30FF && c != 0x30FB) || (c >= 0x31F0 && c <= 0x31FF) ||
        (c >= 0xFF66 && c <= 0xFF9F) || (c >= 0x1B000 && c <= 0x1B16F))
        return CORDON_SCRIPT_KANA;
    if ((c >= 0x2E80 && c <= 0x2FDF) || c == 0x3005 || c == 0x3007 || (c >= 0x3021 && c <= 0x3029) ||
        (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0x20000 && c <= 0x3FFFF))
        return CORDON_SCRIPT_HAN;
    utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)c);
    if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO)
        return CORDON_SCRIPT_OTHER;
    return CORDON_SCRIPT_COUNT_;
}

cordon_script cordon__token_script(const char *s, size_t len)
{
    size_t count[CORDON_SCRIPT_COUNT_ + 1] = {0};
    for (size_t i = 0; i < len;) {
        int32_t cp = cordon__utf8_decode(s, len, &i);
        if (cp < 0)
            break;
        count[cordon__script_of((uint32_t)cp)]++;
    }
    cordon_script best = CORDON_SCRIPT_LATIN;
    size_t n = 0;
    for (int k = 0; k < CORDON_SCRIPT_COUNT_; k++)
        if (count[k] > n) {
            n = count[k];
            best = (cordon_script)k;
        }
    /* Japanese names mix kana with kanji; kana decides how to read them. */
    if (best == CORDON_SCRIPT_HAN && count[CORDON_SCRIPT_KANA])
        best = CORDON_SCRIPT_KANA;
    return best;
}

/* ---- forms --------------------------------------------------------- */

void cordon__forms_add(cordon__forms *f, const char *s, size_t len)
{
    if (f->n >= CORDON__MAX_FORMS)
        return;
    char *d = f->v[f->n];
    size_t k = 0;
    for (size_t i = 0; i < len && k < CORDON__MAX_FORM_LEN; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            d[k++] = (char)c;
    }
    d[k] = '\0';
    if (k == 0)
        return;
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->v[i], d) == 0)
            return;
    f->n++;
}

/* ---- Latin: no ICU ------------------------------------------------- */

/* Letters whose accent-free form is not their decomposition's base, and
 * the German/Scandinavian letters that get a second, expanded form. */
static const char *latin_special(uint32_t c, const char **expanded)
{
    *expanded = NULL;
    switch (c) {
    case 0xE4: *expanded = "ae"; return "a";  /* ä */
    case 0xF6: *expanded = "oe"; return "o";  /* ö */
    case 0xFC: *expanded = "ue"; return "u";  /* ü */
    case 0xF8: *expanded = "oe"; return "o";  /* ø */
    case 0xE5: *expanded = "aa"; return "a";  /* å */
    case 0xDF: return "ss";                   /* ß */
    case 0xE6: return "ae";                   /* æ */
    case 0x153: return "oe";                  /* œ */
    case 0xF0: return "d";                    /* ð */
    case 0xFE: return "th";                   /* þ */
    case 0x142: return "l";                   /* ł */
    case 0x111: return "d";                   /* đ */
    case 0x127: return "h";                   /* ħ */
    case 0x131: return "i";                   /* dotless ı */
    case 0x14B: return "ng";                  /* ŋ */
    case 0x138: return "k";                   /* ĸ */
    case 0x17F: return "s";                   /* ſ */
    case 0x192: return "f";                   /* ƒ */
    case 0x259: case 0x1DD: return "a";       /* ə (Azerbaijani) */
    case 0x254: return "o";                   /* ɔ */
    case 0x25B: return "e";                   /* ɛ */
    case 0x263: return "g";                   /* ɣ */
    case 0x1C6: return "dz";                  /* ǆ */
    case 0x1C9: return "lj";                  /* ǉ */
    case 0x1CC: return "nj";                  /* ǌ */
    case 0x133: return "ij";                  /* ĳ */
    default: return NULL;
    }
}

/* Appends the ASCII rendering of one non-ASCII code point (any script
 * already romanized): special letters, else the decomposition's ASCII
 * base, else nothing. */
static void ascii_of(uint32_t c, char *plain, size_t *np, char *exp, size_t *ne, size_t cap, int *expanded_any)
{
    const char *x;
    const char *p = latin_special(c, &x);
    if (p) {
        for (const char *q = p; *q && *np < cap; q++)
            plain[(*np)++] = *q;
        const char *e = x ? x : p;
        if (x)
            *expanded_any = 1;
        for (const char *q = e; *q && *ne < cap; q++)
            exp[(*ne)++] = *q;
        return;
    }
    int32_t d[8];
    utf8proc_ssize_t k = utf8proc_decompose_char((utf8proc_int32_t)c, d, 8, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT, NULL);
    if (k < 1 || k > 8)
        return;
    for (utf8proc_ssize_t j = 0; j < k; j++)
        if (d[j] < 0x80) {
            char ch = (char)d[j];
            if (*np < cap)
                plain[(*np)++] = ch;
            if (*ne < cap)
                exp[(*ne)++] = ch;
        }
}

/* Names from Arabic, Persian and Russian reach the lists through French
 * as well as English: Djazairi, Abou, Moussa, Oussama are Jazairi, Abu,
 * Musa, Usama. The English reading is one more form ("dj" -> "j",
 * "ou" -> "u"). */
static void french_reading(const char *w, size_t n, cordon__forms *f)
{
    char out[CORDON__MAX_FORM_LEN + 1];
    size_t k = 0;
    int changed = 0;
    for (size_t i = 0; i < n && k < CORDON__MAX_FORM_LEN; i++) {
        char c = (char)(w[i] | 32);
        char d = i + 1 < n ? (char)(w[i + 1] | 32) : '\0';
        if (c == 'd' && d == 'j') {
            out[k++] = 'j';
            i++;
            changed = 1;
        } else if (c == 'o' && d == 'u') {
            out[k++] = 'u';
            i++;
            changed = 1;
        } else {
            out[k++] = w[i];
        }
    }
    if (changed)
        cordon__forms_add(f, out, k);
}

static void latin_forms(const char *s, size_t len, cordon__forms *f)
{
    char plain[CORDON__MAX_FORM_LEN + 1], exp[CORDON__MAX_FORM_LEN + 1];
    size_t np = 0, ne = 0;
    plain[0] = exp[0] = '\0';
    int expanded = 0;
    for (size_t i = 0; i < len && np < CORDON__MAX_FORM_LEN;) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            plain[np++] = (char)b;
            if (ne < CORDON__MAX_FORM_LEN)
                exp[ne++] = (char)b;
            i++;
            continue;
        }
        int32_t cp = cordon__utf8_decode(s, len, &i);
        if (cp < 0)
            break;
        ascii_of((uint32_t)cp, plain, &np, exp, &ne, CORDON__MAX_FORM_LEN, &expanded);
    }
    cordon__forms_add(f, plain, np);
    if (expanded)
        cordon__forms_add(f, exp, ne);
    french_reading(plain, np, f);
}

/* Latin text produced by a transform may still carry accents. */
static void add_ascii(cordon__forms *f, const char *s, size_t len)
{
    cordon__forms tmp;
    tmp.n = 0;
    latin_forms(s, len, &tmp);
    if (tmp.n)
        cordon__forms_add(f, tmp.v[0], strlen(tmp.v[0]));
}

/* ---- ICU transforms, compiled once, cloned per thread -------------- */

#define CYR_EXTRA                                                                          \
    "ә > a ; ғ > g ; қ > k ; ң > ng ; ө > o ; ұ > u ; ү > u ; һ > h ; ҳ > h ; ҷ > j ; "    \
    "ӣ > i ; ӯ > u ; ҙ > z ; ҫ > s ; ӧ > o ; ӱ > u ; ҥ > ng ; ҕ > g ; ӑ > a ; ӗ > e ; "     \
    "ӳ > u ; ђ > dj ; ћ > c ; љ > lj ; њ > nj ; џ > dz ; ј > j ; ѓ > gj ; ќ > kj ; "        \
    "ѕ > dz ; ў > u ; ї > yi ; є > ye ; ґ > g ; і > i ; "


enum {
    TR_RU_BGN, TR_UK_BGN, TR_CYR_SCI,
    TR_GREEK_UN, TR_GREEK_BGN, TR_GEO, TR_GEO_BGN, TR_ARM, TR_ARM_BGN,
    TR_THAI, TR_HAN, TR_HAN_NAMES, TR_ANY,
    TR_COUNT
};

static const char *const tr_rules[TR_COUNT] = {
    [TR_RU_BGN] = CYR_EXTRA ":: Russian-Latin/BGN ;",
    [TR_UK_BGN] = "ә > a ; ғ > g ; қ > k ; ң > ng ; ө > o ; ұ > u ; ү > u ; һ > h ; ҳ > h ; ҷ > j ; "
                  "ӣ > i ; ӯ > u ; ы > y ; э > e ; ё > yo ; ъ > ; :: Ukrainian-Latin/BGN ;",
    [TR_CYR_SCI] = CYR_EXTRA ":: Cyrillic-Latin ;",
    [TR_GREEK_UN] = ":: Greek-Latin/UNGEGN ;",
    [TR_GREEK_BGN] = ":: Greek-Latin/BGN ;",
    [TR_GEO] = ":: Georgian-Latin ;",
    [TR_GEO_BGN] = ":: Georgian-Latin/BGN ;",
    [TR_ARM] = ":: Armenian-Latin ;",
    [TR_ARM_BGN] = ":: Armenian-Latin/BGN ;",
    [TR_THAI] = ":: Thai-Latin ;",
    [TR_HAN] = ":: Han-Latin ;",
    [TR_HAN_NAMES] = ":: Han-Latin/Names ;",
    [TR_ANY] = ":: Any-Latin ;",
};

typedef struct tr_set {
    struct tr_set *next;
    UTransliterator *t[TR_COUNT];
} tr_set;

static pthread_mutex_t tr_lock = PTHREAD_MUTEX_INITIALIZER; /* tr_free */
static tr_set *tr_free;                                      /* sets not in use by a thread */
/* One lock per transform: compiling Han-Latin takes about 90 ms, and a
 * thread that needs another transform meanwhile should not wait. */
static pthread_mutex_t tr_proto_lock[TR_COUNT] = {
    [0 ... TR_COUNT - 1] = PTHREAD_MUTEX_INITIALIZER};
static UTransliterator *tr_proto[TR_COUNT]; /* only ever cloned, under tr_proto_lock[k] */

static tr_set *tr_acquire(void)
{
    pthread_mutex_lock(&tr_lock);
    tr_set *s = tr_free;
    if (s)
        tr_free = s->next;
    pthread_mutex_unlock(&tr_lock);
    if (!s)
        s = calloc(1, sizeof *s);
    return s;
}

static void tr_release(tr_set *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&tr_lock);
    s->next = tr_free;
    tr_free = s;
    pthread_mutex_unlock(&tr_lock);
}

/* This thread's transliterator k, compiled or cloned on first use. */
static UTransliterator *tr_get(tr_set *s, int k)
{
    if (s->t[k])
        return s->t[k];
    UErrorCode st = U_ZERO_ERROR;
    pthread_mutex_lock(&tr_proto_lock[k]);
    if (!tr_proto[k]) {
        UChar rules[2048];
        int32_t n = 0;
        u_strFromUTF8(rules, (int32_t)(sizeof rules / sizeof rules[0]), &n, tr_rules[k], -1, &st);
        UParseError pe;
        if (U_SUCCESS(st)) {
            static const UChar name[] = {'c', 'o', 'r', 'd', 'o', 'n', 0};
            tr_proto[k] = utrans_openU(name, -1, UTRANS_FORWARD, rules, n, &pe, &st);
        }
        if (U_FAILURE(st))
            tr_proto[k] = NULL;
    }
    if (tr_proto[k]) {
        st = U_ZERO_ERROR;
        s->t[k] = utrans_clone(tr_proto[k], &st);
        if (U_FAILURE(st))
            s->t[k] = NULL;
    }
    pthread_mutex_unlock(&tr_proto_lock[k]);
    return s->t[k];
}

/* Runs transliterator k over s and adds the ASCII result to f. */
static int tr_run(tr_set *set, int k, const char *s, size_t len, cordon__forms *f)
{
    UTransliterator *t = tr_get(set, k);
    if (!t)
        return CORDON_ENOMEM;
    enum { CAP = 512 };
    UChar u[CAP];
    int32_t n = 0;
    UErrorCode st = U_ZERO_ERROR;
    if (len > CAP / 4) {
        len = CAP / 4; /* bounded work; forms are cut far shorter anyway */
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    u_strFromUTF8(u, CAP, &n, s, (int32_t)len, &st);
    if (U_FAILURE(st))
        return CORDON_EUTF8;
    int32_t limit = n;
    utrans_transUChars(t, u, &n, CAP, 0, &limit, &st);
    if (U_FAILURE(st) || n > CAP)
        return 0; /* an overlong result is dropped, not an error */
    char out[CAP * 3];
    int32_t m = 0;
    st = U_ZERO_ERROR;
    u_strToUTF8(out, (int32_t)sizeof out, &m, u, n, &st);
    if (U_FAILURE(st))
        return 0;
    add_ascii(f, out, (size_t)m);
    return 0;
}


/* ---- Hangul -------------------------------------------------------- */

/* Systems: Revised Romanization, McCune-Reischauer without diacritics,
 * DPRK official spellings, and two spellings common on lists and
 * passports in the South ("Jung", "Hyun"; "Yoon", "Moon"). */
enum { KO_RR, KO_MR, KO_DPRK, KO_SA, KO_SB, KO_N };

static const char *const ko_initial[19][KO_N] = {
    {"g", "k", "k", "k", "g"},      {"kk", "kk", "kk", "kk", "kk"}, {"n", "n", "n", "n", "n"},
    {"d", "t", "t", "d", "d"},      {"tt", "tt", "tt", "tt", "tt"}, {"r", "r", "r", "r", "l"},
    {"m", "m", "m", "m", "m"},      {"b", "p", "p", "b", "p"},      {"pp", "pp", "pp", "pp", "pp"},
    {"s", "s", "s", "s", "s"},      {"ss", "ss", "ss", "ss", "ss"}, {"", "", "", "", ""},
    {"j", "ch", "j", "j", "j"},     {"jj", "tch", "jj", "jj", "jj"}, {"ch", "ch", "ch", "ch", "ch"},
    {"k", "k", "k", "k", "k"},      {"t", "t", "t", "t", "t"},      {"p", "p", "p", "p", "p"},
    {"h", "h", "h", "h", "h"},
};
static const char *const ko_vowel[21][KO_N] = {
    {"a", "a", "a", "a", "a"},         {"ae", "ae", "ae", "ae", "ae"},    {"ya", "ya", "ya", "ya", "ya"},
    {"yae", "yae", "yae", "yae", "yae"}, {"eo", "o", "o", "u", "eo"},     {"e", "e", "e", "e", "e"},
    {"yeo", "yo", "yo", "yu", "yeo"},  {"ye", "ye", "ye", "ye", "ye"},    {"o", "o", "o", "o", "o"},
    {"wa", "wa", "wa", "wa", "wa"},    {"wae", "wae", "wae", "wae", "wae"}, {"oe", "oe", "oe", "oi", "oe"},
    {"yo", "yo", "yo", "yo", "yo"},    {"u", "u", "u", "u", "oo"},        {"wo", "wo", "wo", "wo", "weo"},
    {"we", "we", "we", "we", "we"},    {"wi", "wi", "wi", "wi", "wee"},   {"yu", "yu", "yu", "yu", "yoo"},
    {"eu", "u", "u", "eu", "u"},       {"ui", "ui", "ui", "ui", "eui"},   {"i", "i", "i", "i", "i"},
};
static const char *const ko_final[28] = {
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l",
    "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t",
};

/* Surnames and the spellings lists actually use, first one primary. */
static const struct { const char *ko, *han, *spell; } cjk_surnames[] = {
    {"김", "金", "kim gim"}, {"이", "李", "lee yi rhee ri i"}, {"리", NULL, "ri lee yi rhee"},
    {"박", "朴", "park pak bak"}, {"최", "崔", "choi choe chey"}, {"정", "鄭", "jung jeong chung chong jong"},
    {"강", "姜", "kang gang"}, {"조", "趙", "cho jo"}, {"윤", "尹", "yoon yun"}, {"장", "張", "jang chang"},
    {"임", "林", "lim im rim"}, {"림", NULL, "rim lim im"}, {"한", "韓", "han"}, {"오", "吳", "oh o"},
    {"서", "徐", "seo suh so"}, {"신", "申", "shin sin"}, {"권", "權", "kwon gwon"}, {"황", "黃", "hwang"},
    {"안", "安", "ahn an"}, {"송", "宋", "song"}, {"류", "柳", "ryu yoo yu lyu"}, {"유", "劉", "yoo yu"},
    {"전", "全", "jeon jun chun jon chon"}, {"홍", "洪", "hong"}, {"고", "高", "ko go koh"},
    {"문", "文", "moon mun"}, {"양", "梁", "yang ryang"}, {"량", NULL, "ryang yang"}, {"손", "孫", "son sohn"},
    {"배", "裵", "bae pae"}, {"백", "白", "baek paik paek pak"}, {"허", "許", "heo huh hur ho"},
    {"남", "南", "nam"}, {"심", "沈", "shim sim"}, {"노", "盧", "noh roh no ro"}, {"로", NULL, "ro roh no"},
    {"하", "河", "ha"}, {"곽", "郭", "kwak gwak"}, {"성", "成", "sung seong song"}, {"차", "車", "cha"},
    {"주", "朱", "joo ju chu"}, {"우", "禹", "woo u"}, {"구", "具", "koo gu ku"}, {"민", "閔", "min"},
    {"나", NULL, "na ra"}, {"라", NULL, "ra na"}, {"진", "陳", "jin chin"}, {"지", "池", "ji chi"},
    {"엄", "嚴", "eom um uhm om"}, {"채", "蔡", "chae"}, {"원", "元", "won"}, {"천", "千", "cheon chun chon"},
    {"방", "方", "bang pang"}, {"공", "孔", "kong gong"}, {"현", "玄", "hyun hyeon hyon"},
    {"함", "咸", "ham hahm"}, {"변", "卞", "byun byeon pyon"}, {"염", "廉", "yeom yum yom"},
    {"여", "呂", "yeo yo yu"}, {"추", "秋", "choo chu"}, {"도", "都", "do doh to"}, {"소", "蘇", "so"},
    {"석", "石", "seok suk sok"}, {"선", "宣", "sun seon son"}, {"설", "薛", "seol sul sol"},
    {"마", "馬", "ma"}, {"길", "吉", "gil kil"}, {"연", "延", "yeon yun yon"}, {"위", "魏", "wi wee"},
    {"표", "表", "pyo"}, {"명", "明", "myung myeong myong"}, {"기", "奇", "ki gi"}, {"반", "潘", "ban pan"},
    {"왕", "王", "wang"}, {"금", "琴", "keum geum kum"}, {"옥", "玉", "ok"}, {"육", "陸", "yook yuk"},
    {"인", "印", "in"}, {"맹", "孟", "maeng"}, {"제", "諸", "je che"}, {"모", "毛", "mo"}, {"탁", "卓", "tak"},
    {"국", "鞠", "kook guk kuk"}, {"은", "殷", "eun un"}, {"편", "片", "pyun pyeon pyon"}, {"용", "龍", "yong ryong"},
    {"룡", NULL, "ryong yong"}, {"경", "景", "kyung gyeong kyong"}, {"봉", "奉", "bong pong"},
    {"부", "夫", "boo bu pu"}, {"태", "太", "tae"}, {"형", "邢", "hyung hyeong hyong"}, {"두", "杜", "doo du tu"},
    {"동", "董", "dong tong"}, {"호", "胡", "ho"}, {"범", "范", "beom bum pom"}, {"승", "承", "seung sung"},
    {"남궁", "南宮", "namgung namkung"}, {"황보", "皇甫", "hwangbo"}, {"제갈", "諸葛", "jegal chegal"},
    {"선우", "鮮于", "sunwoo seonu sonu"}, {"독고", "獨孤", "dokgo tokko"}, {"사공", "司空", "sagong sakong"},
    {"서문", "西門", "seomun somun"},
    /* Chinese surnames (simplified forms; the traditional ones are above
     * or fold to them rarely) */
    {NULL, "张", NULL}, {NULL, "刘", NULL}, {NULL, "陈", NULL}, {NULL, "杨", NULL}, {NULL, "黄", NULL},
    {NULL, "赵", NULL}, {NULL, "吴", NULL}, {NULL, "周", NULL}, {NULL, "孙", NULL}, {NULL, "马", NULL},
    {NULL, "胡", NULL}, {NULL, "何", NULL}, {NULL, "罗", NULL}, {NULL, "郑", NULL}, {NULL, "梁", NULL},
    {NULL, "谢", NULL}, {NULL, "唐", NULL}, {NULL, "许", NULL}, {NULL, "韩", NULL}, {NULL, "冯", NULL},
    {NULL, "邓", NULL}, {NULL, "曹", NULL}, {NULL, "彭", NULL}, {NULL, "曾", NULL}, {NULL, "肖", NULL},
    {NULL, "田", NULL}, {NULL, "袁", NULL}, {NULL, "于", NULL}, {NULL, "蒋", NULL}, {NULL, "余", NULL},
    {NULL, "叶", NULL}, {NULL, "程", NULL}, {NULL, "苏", NULL}, {NULL, "吕", NULL}, {NULL, "丁", NULL},
    {NULL, "任", NULL}, {NULL, "姚", NULL}, {NULL, "卢", NULL}, {NULL, "钟", NULL}, {NULL, "谭", NULL},
    {NULL, "陆", NULL}, {NULL, "汪", NULL}, {NULL, "廖", NULL}, {NULL, "贾", NULL}, {NULL, "夏", NULL},
    {NULL, "韦", NULL}, {NULL, "付", NULL}, {NULL, "邹", NULL}, {NULL, "熊", NULL}, {NULL, "秦", NULL},
    {NULL, "邱", NULL}, {NULL, "江", NULL}, {NULL, "闫", NULL}, {NULL, "段", NULL}, {NULL, "雷", NULL},
    {NULL, "侯", NULL}, {NULL, "史", NULL}, {NULL, "陶", NULL}, {NULL, "黎", NULL}, {NULL, "贺", NULL},
    {NULL, "顾", NULL}, {NULL, "郝", NULL}, {NULL, "龚", NULL}, {NULL, "邵", NULL}, {NULL, "万", NULL},
    {NULL, "钱", NULL}, {NULL, "严", NULL}, {NULL, "覃", NULL}, {NULL, "武", NULL}, {NULL, "戴", NULL},
    {NULL, "莫", NULL}, {NULL, "向", NULL}, {NULL, "汤", NULL}, {NULL, "习", NULL}, {NULL, "温", NULL},
    {NULL, "李", NULL}, {NULL, "欧阳", NULL}, {NULL, "司马", NULL}, {NULL, "诸葛", NULL}, {NULL, "上官", NULL},
    /* traditional forms not listed above */
    {NULL, "習", NULL}, {NULL, "楊", NULL}, {NULL, "馮", NULL}, {NULL, "鄧", NULL}, {NULL, "葉", NULL},
    {NULL, "鍾", NULL}, {NULL, "譚", NULL}, {NULL, "鄒", NULL}, {NULL, "賀", NULL}, {NULL, "顧", NULL},
    {NULL, "龔", NULL}, {NULL, "萬", NULL}, {NULL, "錢", NULL}, {NULL, "湯", NULL}, {NULL, "蔣", NULL},
    {NULL, "謝", NULL}, {NULL, "羅", NULL}, {NULL, "歐陽", NULL}, {NULL, "司馬", NULL}, {NULL, "溫", NULL},
    {NULL, "賈", NULL}, {NULL, "閻", NULL}, {NULL, "廖", NULL}, {NULL, "郝", NULL}, {NULL, "鄭", NULL},
};

int cordon__is_cjk_surname(const char *s, size_t len, size_t *n_bytes)
{
    size_t best = 0;
    for (size_t i = 0; i < sizeof cjk_surnames / sizeof cjk_surnames[0]; i++) {
        const char *c[2] = {cjk_surnames[i].ko, cjk_surnames[i].han};
        for (int k = 0; k < 2; k++) {
            if (!c[k])
                continue;
            size_t n = strlen(c[k]);
            if (n <= len && n > best && memcmp(s, c[k], n) == 0)
                best = n;
        }
    }
    if (n_bytes)
        *n_bytes = best;
    return best > 0;
}

static const char *surname_spellings(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof cjk_surnames / sizeof cjk_surnames[0]; i++) {
        const char *k = cjk_surnames[i].ko;
        if (k && strlen(k) == len && memcmp(s, k, len) == 0)
            return cjk_surnames[i].spell;
    }
    return NULL;
}

static void add_words(cordon__forms *f, const char *words)
{
    while (*words) {
        size_t n = strcspn(words, " ");
        cordon__forms_add(f, words, n);
        words += n;
        while (*words == ' ')
            words++;
    }
}

int cordon__hangul_forms(const char *s, size_t len, int surname, cordon__forms *f)
{
    f->n = 0;
    if (surname) {
        const char *sp = surname_spellings(s, len);
        if (sp)
            add_words(f, sp);
    }
    char out[KO_N][CORDON__MAX_FORM_LEN + 1];
    size_t n[KO_N] = {0};
    for (size_t i = 0; i < len;) {
        int32_t cp = cordon__utf8_decode(s, len, &i);
        if (cp < 0xAC00 || cp > 0xD7A3)
            continue; /* stray jamo and marks are skipped */
        int idx = cp - 0xAC00, L = idx / 588, V = (idx % 588) / 28, T = idx % 28;
        for (int k = 0; k < KO_N; k++) {
            const char *ini = ko_initial[L][k];
            if (k == KO_SA && L == 9 && V == 20)
                ini = "sh"; /* 시, 신: "shin" */
            const char *parts[3] = {ini, ko_vowel[V][k], ko_final[T]};
            for (int p = 0; p < 3; p++)
                for (const char *q = parts[p]; *q && n[k] < CORDON__MAX_FORM_LEN; q++)
                    out[k][n[k]++] = *q;
        }
    }
    for (int k = 0; k < KO_N; k++)
        cordon__forms_add(f, out[k], n[k]);
    return 0;
}

/* ---- kana ---------------------------------------------------------- */

/* Katakana U+30A1..U+30FA (hiragana is shifted onto it): Hepburn and
 * Kunrei-shiki. Small kana are marked with a leading '_'. */
static const char *const kana_tab[][2] = {
    {"_a", "_a"}, {"a", "a"}, {"_i", "_i"}, {"i", "i"}, {"_u", "_u"}, {"u", "u"}, {"_e", "_e"}, {"e", "e"},
    {"_o", "_o"}, {"o", "o"}, {"ka", "ka"}, {"ga", "ga"}, {"ki", "ki"}, {"gi", "gi"}, {"ku", "ku"},
    {"gu", "gu"}, {"ke", "ke"}, {"ge", "ge"}, {"ko", "ko"}, {"go", "go"}, {"sa", "sa"}, {"za", "za"},
    {"shi", "si"}, {"ji", "zi"}, {"su", "su"}, {"zu", "zu"}, {"se", "se"}, {"ze", "ze"}, {"so", "so"},
    {"zo", "zo"}, {"ta", "ta"}, {"da", "da"}, {"chi", "ti"}, {"ji", "zi"}, {"_tsu", "_tsu"}, {"tsu", "tu"},
    {"zu", "zu"}, {"te", "te"}, {"de", "de"}, {"to", "to"}, {"do", "do"}, {"na", "na"}, {"ni", "ni"},
    {"nu", "nu"}, {"ne", "ne"}, {"no", "no"}, {"ha", "ha"}, {"ba", "ba"}, {"pa", "pa"}, {"hi", "hi"},
    {"bi", "bi"}, {"pi", "pi"}, {"fu", "hu"}, {"bu", "bu"}, {"pu", "pu"}, {"he", "he"}, {"be", "be"},
    {"pe", "pe"}, {"ho", "ho"}, {"bo", "bo"}, {"po", "po"}, {"ma", "ma"}, {"mi", "mi"}, {"mu", "mu"},
    {"me", "me"}, {"mo", "mo"}, {"_ya", "_ya"}, {"ya", "ya"}, {"_yu", "_yu"}, {"yu", "yu"}, {"_yo", "_yo"},
    {"yo", "yo"}, {"ra", "ra"}, {"ri", "ri"}, {"ru", "ru"}, {"re", "re"}, {"ro", "ro"}, {"_wa", "_wa"},
    {"wa", "wa"}, {"i", "i"}, {"e", "e"}, {"o", "o"}, {"n", "n"}, {"vu", "bu"}, {"_ka", "_ka"}, {"_ke", "_ke"},
    {"va", "ba"}, {"vi", "bi"}, {"ve", "be"}, {"vo", "bo"},
};

static int is_vowel(char c) { return c == 'a' || c == 'i' || c == 'u' || c == 'e' || c == 'o'; }

/* Appends one kana syllable in system k to out, applying the small-kana
 * and sokuon rules against what is already there. */
static void kana_append(char *out, size_t *n, const char *r, int *geminate)
{
    size_t cap = CORDON__MAX_FORM_LEN;
    if (r[0] == '_') {
        const char *v = r + 1;
        if (strcmp(v, "tsu") == 0) {
            *geminate = 1;
            return;
        }
        if (*n > 0 && is_vowel(out[*n - 1])) {
            char prev = out[*n - 1];
            int lone = *n == 1 || is_vowel(out[*n - 2]); /* ウ, イ on their own */
            (*n)--; /* the small kana replaces that vowel */
            if (v[0] == 'y') {
                /* キャ kya, but シャ sha, チャ cha, ジャ ja */
                int palatal = (*n >= 2 && out[*n - 1] == 'h' && (out[*n - 2] == 's' || out[*n - 2] == 'c')) ||
                              (*n >= 1 && out[*n - 1] == 'j');
                if (palatal)
                    v++;
            } else if (lone) {
                if (prev == 'u' && *n < cap)
                    out[(*n)++] = 'w'; /* ウィ wi */
                else if (prev == 'i' && *n < cap)
                    out[(*n)++] = 'y'; /* イェ ye */
            }
        }
        for (; *v && *n < cap; v++)
            out[(*n)++] = *v;
        return;
    }
    if (*geminate) {
        *geminate = 0;
        if (r[0] == 'c' && *n < cap)
            out[(*n)++] = 't'; /* ッチ tchi */
        else if (!is_vowel(r[0]) && r[0] != 'n' && *n < cap)
            out[(*n)++] = r[0];
    }
    for (; *r && *n < cap; r++)
        out[(*n)++] = *r;
}

/* Hepburn drops long vowels in names (Ōno -> "ono", とう -> "to"). */
static size_t simplify_long(char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0 && ((s[i] == 'u' && (s[k - 1] == 'o' || s[k - 1] == 'u')) ||
                      (s[i] == s[k - 1] && is_vowel(s[i]) && s[i] != 'i' && s[i] != 'e')))
            continue;
        s[k++] = s[i];
    }
    return k;
}

/* Systems: [0] Hepburn, [1] Kunrei-shiki (チ ti, ツ tu, シ si: プーチン
 * "putin"), [2] loanword readings (ジ di, initial ウ before r- as v:
 * ウラジーミル "vradimiru"). */
#define KANA_N 3

static int kana_forms(const char *s, size_t len, cordon__forms *f)
{
    char out[KANA_N][CORDON__MAX_FORM_LEN + 1];
    size_t n[KANA_N] = {0, 0, 0};
    int gem[KANA_N] = {0, 0, 0};
    int first = 1;
    for (size_t i = 0; i < len;) {
        int32_t cp = cordon__utf8_decode(s, len, &i);
        if (cp < 0)
            break;
        if (cp >= 0x3041 && cp <= 0x3096)
            cp += 0x60;
        if (cp >= 0x30A1 && cp <= 0x30FA) {
            int32_t nx = 0;
            size_t j = i;
            if (j < len)
                nx = cordon__utf8_decode(s, len, &j);
            if (nx >= 0x3041 && nx <= 0x3096)
                nx += 0x60;
            for (int k = 0; k < KANA_N; k++) {
                const char *r = kana_tab[cp - 0x30A1][k == 1];
                if (k == 2 && (cp == 0x30B8 || cp == 0x30C2))
                    r = "di";
                else if (k == 2 && first && cp == 0x30A6 && nx >= 0x30E9 && nx <= 0x30ED)
                    r = "v";
                kana_append(out[k], &n[k], r, &gem[k]);
            }
            first = 0;
        } else if (cp == 0x30FC || cp == 0x30FD || cp == 0x30FE || cp == 0x309D || cp == 0x309E) {
            /* long-vowel mark and iteration marks: dropped */
        } else if (cordon__script_of((uint32_t)cp) == CORDON_SCRIPT_HAN) {
            /* kanji inside a kana token: only a Mandarin reading is available */
            char syl[8];
            cordon__han_pinyin((uint32_t)cp, 0, syl);
            for (int k = 0; k < KANA_N; k++)
                for (const char *q = syl; *q && n[k] < CORDON__MAX_FORM_LEN; q++)
                    out[k][n[k]++] = *q;
        } else if (cp < 0x80) {
            for (int k = 0; k < KANA_N; k++)
                if (n[k] < CORDON__MAX_FORM_LEN)
                    out[k][n[k]++] = (char)cp;
        }
    }
    char raw[CORDON__MAX_FORM_LEN + 1];
    memcpy(raw, out[0], n[0]);
    size_t nraw = n[0];
    for (int k = 0; k < KANA_N; k++)
        cordon__forms_add(f, out[k], simplify_long(out[k], n[k]));
    cordon__forms_add(f, raw, nraw);
    return 0;
}

/* ---- Hebrew and Arabic script ------------------------------------- */

/* Two readings of each letter: [0] English-style (b, o, i, k, p, sh),
 * [1] the other value of the letter (v, u, e, kh, f, s). Vowel letters
 * are resolved by position below. */
static const char *const he_tab[27][2] = {
    /* א */ {"a", "e"}, /* ב */ {"b", "v"}, /* ג */ {"g", "g"}, /* ד */ {"d", "d"}, /* ה */ {"h", "h"},
    /* ו */ {"o", "u"}, /* ז */ {"z", "z"}, /* ח */ {"h", "kh"}, /* ט */ {"t", "t"}, /* י */ {"i", "e"},
    /* ך */ {"k", "kh"}, /* כ */ {"k", "kh"}, /* ל */ {"l", "l"}, /* ם */ {"m", "m"}, /* מ */ {"m", "m"},
    /* ן */ {"n", "n"}, /* נ */ {"n", "n"}, /* ס */ {"s", "s"}, /* ע */ {"a", ""}, /* ף */ {"f", "f"},
    /* פ */ {"p", "f"}, /* ץ */ {"ts", "tz"}, /* צ */ {"ts", "tz"}, /* ק */ {"k", "k"}, /* ר */ {"r", "r"},
    /* ש */ {"sh", "s"}, /* ת */ {"t", "t"},
};

static int he_letter(int32_t c) { return c >= 0x5D0 && c <= 0x5EA; }

static void put(char *out, size_t *n, const char *s)
{
    for (; *s && *n < CORDON__MAX_FORM_LEN; s++)
        out[(*n)++] = *s;
}

static int hebrew_forms(const char *s, size_t len, cordon__forms *f)
{
    int32_t cps[128];
    size_t m = 0;
    for (size_t i = 0; i < len && m < 128;) {
        int32_t cp = cordon__utf8_decode(s, len, &i);
        if (cp < 0)
            break;
        if (he_letter(cp) || cp == '\'' || cp == 0x5F0 || cp == 0x5F1 || cp == 0x5F2 ||
            (cp >= 0x5B0 && cp <= 0x5BB) || cp == 0x5C7)
            cps[m++] = cp;
    }
    char out[3][CORDON__MAX_FORM_LEN + 1];
    size_t n[3] = {0, 0, 0};
    for (int kk = 0; kk < 3; kk++) {
        /* reading 2 is reading 0 with every vav a consonant: לוי "levi" */
        int k = kk == 2 ? 0 : kk;
        size_t letters = 0;
        for (size_t i = 0; i < m; i++) {
            int32_t c = cps[i];
            int geresh = i + 1 < m && cps[i + 1] == '\'';
            int first = letters == 0;
            int last = 1;
            for (size_t j = i + 1; j < m; j++)
                if (he_letter(cps[j]) || cps[j] == 0x5F0 || cps[j] == 0x5F1 || cps[j] == 0x5F2)
                    last = 0;
            if (c == '\'')
                continue;
            if (c >= 0x5B0 && c <= 0x5C7) { /* niqqud vowels */
                static const char *const pts[] = {"e", "e", "a", "o", "i", "e", "e", "a", "a", "o", "o", "u"};
                if (c <= 0x5BB)
                    put(out[kk], &n[kk], pts[c - 0x5B0]);
                continue;
            }
            letters++;
            if (c == 0x5F0) { put(out[kk], &n[kk], "v"); continue; } /* װ */
            if (c == 0x5F1) { put(out[kk], &n[kk], "oi"); continue; }
            if (c == 0x5F2) { put(out[kk], &n[kk], "ei"); continue; }
            const char *r = he_tab[c - 0x5D0][k];
            switch (c) {
            case 0x5D2: if (geresh) r = "j"; break;              /* ג' */
            case 0x5D6: if (geresh) r = k ? "j" : "zh"; break;   /* ז' */
            case 0x5E6: case 0x5E5: if (geresh) r = "ch"; break; /* צ' */
            case 0x5EA: if (geresh) r = "th"; break;             /* ת' */
            case 0x5D3: if (geresh) r = "th"; break;             /* ד' */
            case 0x5D5:                                          /* ו */
                if (i + 1 < m && cps[i + 1] == 0x5D5) {
                    put(out[kk], &n[kk], k ? "v" : "w");
                    i++;
                    continue;
                }
                if (first || kk == 2)
                    r = "v";
                break;
            case 0x5D9: /* י */
                if (i + 1 < m && cps[i + 1] == 0x5D9) {
                    put(out[kk], &n[kk], k ? "ei" : "y");
                    i++;
                    continue;
                }
                if (first)
                    r = "y";
                else if (last)
                    r = k ? "y" : "i";
                break;
            case 0x5D4: /* ה: a vowel at the end of a word */
                if (last && !first)
                    r = k ? "e" : "a";
                break;
            case 0x5D0: /* א */
                if (!first && !last)
                    r = k ? "" : "a";
                break;
            default:
                break;
            }
            put(out[kk], &n[kk], r);
        }
    }
    for (int k = 0; k < 3; k++)
        cordon__forms_add(f, out[k], n[k]);
    return 0;
}

static int ar_vowel_letter(int32_t c) { return c == 0x627 || c == 0x648 || c == 0x64A || c == 0x6CC || c == 0x649; }

/* One Arabic-script letter in reading k (0: u/i/q/j/th, 1: o/e/k/g/s). */
static const char *ar_letter(int32_t c, int k)
{
    switch (c) {
    case 0x621: return "";                        /* ء */
    case 0x622: return "a";                       /* آ */
    case 0x623: return "a";                       /* أ */
    case 0x624: return "u";                       /* ؤ */
    case 0x625: return k ? "e" : "i";             /* إ */
    case 0x626: return k ? "e" : "i";             /* ئ */
    case 0x627: case 0x671: return "a";           /* ا ٱ */
    case 0x628: return "b";
    case 0x629: return k ? "ah" : "a";            /* ة */
    case 0x62A: return "t";
    case 0x62B: return k ? "s" : "th";            /* ث */
    case 0x62C: return k ? "g" : "j";             /* ج */
    case 0x62D: return "h";                       /* ح */
    case 0x62E: return "kh";
    case 0x62F: return "d";
    case 0x630: return k ? "z" : "dh";            /* ذ */
    case 0x631: return "r";
    case 0x632: return "z";
    case 0x633: return "s";
    case 0x634: return "sh";
    case 0x635: return "s";
    case 0x636: return k ? "z" : "d";            /* ض: z in Persian and Urdu */
    case 0x637: return "t";
    case 0x638: return "z";
    case 0x639: return k ? "a" : "";              /* ع */
    case 0x63A: return "gh";
    case 0x641: return "f";
    case 0x642: return k ? "k" : "q";             /* ق */
    case 0x643: case 0x6A9: case 0x6AA: return "k";
    case 0x644: return "l";
    case 0x645: return "m";
    case 0x646: return "n";
    case 0x647: case 0x6C1: case 0x6BE: return "h";
    case 0x648: return k ? "o" : "u";
    case 0x649: return "a";                       /* ى */
    case 0x64A: case 0x6CC: case 0x6D2: return k ? "e" : "i";
    case 0x67E: return "p";                       /* پ */
    case 0x686: return "ch";                      /* چ */
    case 0x698: return "zh";                      /* ژ */
    case 0x6AF: return "g";                       /* گ */
    case 0x6A4: return "v";                       /* ڤ */
    case 0x6C0: return "e";                       /* ۀ */
    case 0x64E: return "a";                       /* fatha */
    case 0x64F: return "u";                       /* damma */
    case 0x650: return "i";                       /* kasra */
    case 0x64B: return "an";
    case 0x64C: return "un";
    case 0x64D: return "in";
    case 0x670: return "a";
    default: return NULL;
    }
}

static int arabic_forms(const char *s, size_t len, cordon__forms *f)
{
    int32_t cps[128];
    size_t m = 0;
    for (size_t i = 0; i < len && m < 128;) {
        int32_t cp = cordon__utf8_decode(s, len, &i);
        if (cp < 0)
            break;
        if (cp == 0x651 && m > 0) { /* shadda doubles the consonant */
            cps[m] = cps[m - 1];
            m++;
            continue;
        }
        if (ar_letter(cp, 0))
            cps[m++] = cp;
    }
    /* الله: Allah */
    if (m == 4 && cps[0] == 0x627 && cps[1] == 0x644 && cps[2] == 0x644 && cps[3] == 0x647) {
        cordon__forms_add(f, "allah", 5);
        cordon__forms_add(f, "alla", 4);
        return 0;
    }
    char out[2][CORDON__MAX_FORM_LEN + 1];
    size_t n[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < m; i++) {
            int32_t c = cps[i];
            const char *r = ar_letter(c, k);
            int first = i == 0, lastpos = i + 1 == m;
            if (c == 0x648 || c == 0x64A || c == 0x6CC) {
                /* A consonant at the start, before alif, or between
                 * vowels; a long vowel elsewhere. */
                int next_vowel = i + 1 < m && (cps[i + 1] == 0x627 || cps[i + 1] == 0x649);
                int prev_vowel = i > 0 && ar_vowel_letter(cps[i - 1]);
                if (first || next_vowel || (prev_vowel && !lastpos && i + 1 < m && ar_vowel_letter(cps[i + 1])))
                    r = c == 0x648 ? (k ? "v" : "w") : "y";
                else if (c != 0x648 && lastpos && !first)
                    r = k ? "y" : "i";
            }
            if (c == 0x647 && lastpos && !first)
                r = k ? "eh" : "a"; /* final ه: Persian -eh, Arabic -a */
            if (c == 0x639 && first)
                r = "a"; /* initial ع is written as a vowel: Ali, Abd, Omar */
            put(out[k], &n[k], r);
        }
    }
    for (int k = 0; k < 2; k++)
        cordon__forms_add(f, out[k], n[k]);
    return 0;
}

/* ---- Cyrillic: ICAO, French and German renderings ------------------ */

/* а..я, then ё і ї є ґ ў: ICAO (Russian passports since 2013), French
 * press, German (Duden). */
static const char *const cyr_tab[38][3] = {
    {"a", "a", "a"}, {"b", "b", "b"}, {"v", "v", "w"}, {"g", "g", "g"}, {"d", "d", "d"},
    {"e", "e", "e"}, {"zh", "j", "sch"}, {"z", "z", "s"}, {"i", "i", "i"}, {"i", "i", "i"},
    {"k", "k", "k"}, {"l", "l", "l"}, {"m", "m", "m"}, {"n", "n", "n"}, {"o", "o", "o"},
    {"p", "p", "p"}, {"r", "r", "r"}, {"s", "s", "s"}, {"t", "t", "t"}, {"u", "ou", "u"},
    {"f", "f", "f"}, {"kh", "kh", "ch"}, {"ts", "ts", "z"}, {"ch", "tch", "tsch"},
    {"sh", "ch", "sch"}, {"shch", "chtch", "schtsch"}, {"ie", "", ""}, {"y", "y", "y"},
    {"", "", ""}, {"e", "e", "e"}, {"iu", "iou", "ju"}, {"ia", "ia", "ja"},
    /* ё */ {"e", "io", "jo"}, /* і */ {"i", "i", "i"}, /* ї */ {"i", "i", "ji"},
    /* є */ {"ie", "ie", "je"}, /* ґ */ {"g", "g", "g"}, /* ў */ {"u", "ou", "u"},
};

/* Letters of other Cyrillic alphabets, folded before the tables. */
static const char *cyr_extra(int32_t c)
{
    switch (c) {
    case 0x4D9: return "a";  case 0x493: return "g";  case 0x49B: return "k";  case 0x4A3: return "ng";
    case 0x4E9: return "o";  case 0x4B1: return "u";  case 0x4AF: return "u";  case 0x4BB: return "h";
    case 0x4B3: return "h";  case 0x4B7: return "j";  case 0x4E3: return "i";  case 0x4EF: return "u";
    case 0x499: return "z";  case 0x4AB: return "s";  case 0x4E7: return "o";  case 0x4F1: return "u";
    case 0x4A5: return "ng"; case 0x495: return "g";  case 0x4D1: return "a";  case 0x4D7: return "e";
    case 0x4F3: return "u";  case 0x452: return "dj"; case 0x45B: return "c";  case 0x459: return "lj";
    case 0x45A: return "nj"; case 0x45F: return "dz"; case 0x458: return "j";  case 0x453: return "gj";
    case 0x45C: return "kj"; case 0x455: return "dz";
    default: return NULL;
    }
}

static int cyr_index(int32_t c)
{
    if (c >= 0x430 && c <= 0x44F)
        return c - 0x430;
    switch (c) {
    case 0x451: return 32; case 0x456: return 33; case 0x457: return 34;
    case 0x454: return 35; case 0x491: return 36; case 0x45E: return 37;
    default: return -1;
    }
}

static int cyr_vowel(int32_t c)
{
    return c == 0x430 || c == 0x435 || c == 0x451 || c == 0x438 || c == 0x43E || c == 0x443 ||
           c == 0x44B || c == 0x44D || c == 0x44E || c == 0x44F || c == 0x456 || c == 0x457 || c == 0x454;
}

/* Japanese and Chinese names written in Cyrillic follow their own
 * systems (Polivanov: Коитиро = Koichiro; Palladius: Вэнь Сю = Wen Xiu),
 * which these rules undo. Rules are tried longest first; "^" marks a
 * rule for the start of the word only. */
typedef struct cyr_rule {
    const char *cyr, *lat;
} cyr_rule;

static const cyr_rule polivanov[] = {
    {"дзя", "ja"}, {"дзю", "ju"}, {"дзё", "jo"}, {"дзи", "ji"}, {"дз", "z"},
    {"тя", "cha"}, {"тю", "chu"}, {"тё", "cho"}, {"ти", "chi"},
    {"ся", "sha"}, {"сю", "shu"}, {"сё", "sho"}, {"си", "shi"},
    {"цу", "tsu"}, {"ц", "ts"}, {"ё", "yo"}, {"ю", "yu"}, {"я", "ya"}, {"э", "e"},
    {"й", "i"}, {"х", "h"}, {"в", "w"}, {"ж", "j"}, {"ш", "sh"}, {"ч", "ch"},
    {"ь", ""}, {"ъ", ""}, {"ы", "i"}, {"^е", "ye"}, {"е", "e"},
    {NULL, NULL},
};

static const cyr_rule palladius[] = {
    {"цзя", "jia"}, {"цзю", "jiu"}, {"цзи", "ji"}, {"цзе", "jie"}, {"цз", "z"},
    {"чжун", "zhong"}, {"чж", "zh"}, {"цюн", "qiong"}, {"цю", "qiu"}, {"ця", "qia"}, {"ци", "qi"},
    {"це", "qie"}, {"сюн", "xiong"}, {"сю", "xiu"}, {"ся", "xia"}, {"си", "xi"}, {"се", "xie"},
    {"^юн", "yong"}, {"^ю", "you"}, {"^я", "ya"}, {"^е", "ye"}, {"^и", "yi"}, {"^у", "wu"},
    {"юн", "iong"}, {"ю", "iu"}, {"я", "ia"}, {"е", "ie"}, {"ун", "ong"}, {"эр", "er"},
    {"ц", "c"}, {"ч", "ch"}, {"ш", "sh"}, {"ж", "r"}, {"х", "h"}, {"в", "w"}, {"э", "e"},
    {"ы", "i"}, {"й", "i"}, {"ь", ""}, {"ъ", ""}, {"ё", "yo"},
    {NULL, NULL},
};

static void cyrillic_rules(const char *s, size_t len, const cyr_rule *rules, cordon__forms *f)
{
    char out[CORDON__MAX_FORM_LEN + 1];
    size_t n = 0, i = 0;
    while (i < len && n < CORDON__MAX_FORM_LEN) {
        const cyr_rule *hit = NULL;
        size_t hl = 0;
        for (const cyr_rule *r = rules; r->cyr; r++) {
            const char *c = r->cyr;
            if (*c == '^') {
                if (i != 0)
                    continue;
                c++;
            }
            size_t cl = strlen(c);
            if (cl > hl && cl <= len - i && memcmp(s + i, c, cl) == 0) {
                hit = r;
                hl = cl;
            }
        }
        if (hit) {
            put(out, &n, hit->lat);
            i += hl;
            continue;
        }
        int32_t cp = cordon__utf8_decode(s, len, &i);
        if (cp < 0)
            break;
        int x = cyr_index(cp);
        const char *r = x >= 0 ? cyr_tab[x][0] : cyr_extra(cp);
        if (r)
            put(out, &n, r);
        else if (cp < 0x80)
            put(out, &n, (char[2]){(char)cp, 0});
    }
    cordon__forms_add(f, out, n);
}

static void cyrillic_tables(const char *s, size_t len, cordon__forms *f)
{
    int32_t cps[96];
    size_t m = 0;
    for (size_t i = 0; i < len && m < 96;) {
        int32_t cp = cordon__utf8_decode(s, len, &i);
        if (cp < 0)
            break;
        cps[m++] = cp;
    }
    for (int k = 0; k < 3; k++) {
        char out[CORDON__MAX_FORM_LEN + 1];
        size_t n = 0;
        for (size_t i = 0; i < m; i++) {
            int32_t c = cps[i];
            int last2 = i + 2 == m;
            const char *r = NULL;
            if (last2 && c == 0x438 && cps[i + 1] == 0x43D && k == 1) {
                r = "ine"; /* Путин -> Poutine */
                i++;
            } else if (last2 && (c == 0x438 || c == 0x44B) && cps[i + 1] == 0x439 && k > 0) {
                r = c == 0x438 ? "i" : "y"; /* -ий, -ый */
                i++;
            } else if (last2 && k == 2 && (c == 0x43E || c == 0x435) && cps[i + 1] == 0x432) {
                r = c == 0x43E ? "ow" : "ew"; /* Romanow */
                i++;
            } else if (k > 0 && c == 0x441 && i > 0 && i + 1 < m && cyr_vowel(cps[i - 1]) && cyr_vowel(cps[i + 1])) {
                r = "ss"; /* Vassili */
            } else {
                int x = cyr_index(c);
                r = x >= 0 ? cyr_tab[x][k] : cyr_extra(c);
            }
            if (r)
                put(out, &n, r);
            else if (c < 0x80)
                put(out, &n, (char[2]){(char)c, 0});
        }
        cordon__forms_add(f, out, n);
    }
}

/* ---- Han ----------------------------------------------------------- */

/* Pinyin syllable of one Han character as ICU's Han-Latin (Han-Latin/
 * Names with `surname`) gives it, folded to ASCII: what lib/han_pinyin.c
 * holds for every Han character (tools/gen_han_pinyin writes it; the
 * library reads the table, because compiling Han-Latin costs each
 * process 90 ms). */
int cordon__han_syllable_icu(uint32_t cp, int surname, char out[8])
{
    memset(out, 0, 8);
    cordon__buf s = {0};
    tr_set *set = cordon__utf8_encode(&s, cp) ? NULL : tr_acquire();
    if (!set) {
        cordon__buf_free(&s);
        return CORDON_ENOMEM;
    }
    cordon__forms tmp;
    tmp.n = 0;
    int rc = tr_run(set, surname ? TR_HAN_NAMES : TR_HAN, s.data, s.len, &tmp);
    tr_release(set);
    cordon__buf_free(&s);
    if (!rc && tmp.n) {
        size_t l = strlen(tmp.v[0]);
        memcpy(out, tmp.v[0], l > 7 ? 7 : l);
    }
    return rc;
}

/* Pinyin initials respelled as English speakers and older systems
 * write them: [1] English-style (q ch, x sh, c ts, zh j), [2] Wade-Giles
 * without apostrophes (zh/j/q ch, x hs, z/c ts, r j, b p, d t, g k). */
static void han_respell(const char *syl, int sys, char *out, size_t *n)
{
    static const char *const ini[][3] = {
        {"zh", "j", "ch"}, {"ch", "ch", "ch"}, {"sh", "sh", "sh"}, {"q", "ch", "ch"}, {"x", "sh", "hs"},
        {"j", "j", "ch"},  {"z", "z", "ts"},   {"c", "ts", "ts"},  {"r", "r", "j"},  {"b", "b", "p"},
        {"d", "d", "t"},   {"g", "g", "k"},
    };
    const char *rest = syl;
    for (size_t i = 0; i < sizeof ini / sizeof ini[0]; i++) {
        size_t l = strlen(ini[i][0]);
        if (strncmp(syl, ini[i][0], l) == 0) {
            put(out, n, ini[i][sys]);
            rest = syl + l;
            break;
        }
    }
    if (sys == 2) {
        size_t l = strlen(rest);
        if (l >= 3 && strcmp(rest + l - 3, "ong") == 0) {
            char b[8];
            snprintf(b, sizeof b, "%.*sung", (int)(l - 3), rest);
            put(out, n, b);
            return;
        }
        if (strcmp(rest, "ian") == 0) {
            put(out, n, "ien");
            return;
        }
    }
    put(out, n, rest);
}

static void han_forms(const char *s, size_t len, cordon__forms *f)
{
    char syl[32][8];
    size_t ns = 0;
    for (size_t i = 0; i < len && ns < 32;) {
        int32_t cp = cordon__utf8_decode(s, len, &i);
        if (cp < 0)
            break;
        if (cordon__script_of((uint32_t)cp) == CORDON_SCRIPT_HAN) {
            cordon__han_pinyin((uint32_t)cp, ns == 0, syl[ns]);
            if (syl[ns][0])
                ns++;
        } else if (cp < 0x80 && ((cp | 32) >= 'a' && (cp | 32) <= 'z')) {
            syl[ns][0] = (char)(cp | 32);
            syl[ns++][1] = '\0';
        }
    }
    for (int sys = 0; sys < 3; sys++) {
        char out[CORDON__MAX_FORM_LEN + 1];
        size_t n = 0;
        for (size_t k = 0; k < ns; k++) {
            if (sys == 0)
                put(out, &n, syl[k]);
            else
                han_respell(syl[k], sys, out, &n);
        }
        cordon__forms_add(f, out, n);
    }
}

void cordon__surname_spellings(const char *s, size_t len, cordon__forms *f)
{
    for (size_t i = 0; i < sizeof cjk_surnames / sizeof cjk_surnames[0]; i++) {
        const char *k = cjk_surnames[i].han;
        if (k && cjk_surnames[i].spell && strlen(k) == len && memcmp(s, k, len) == 0) {
            add_words(f, cjk_surnames[i].spell);
            return;
        }
    }
}

/* ---- a cache of ICU results per token ------------------------------- */

/* Names repeat their tokens (Vladimir, -ovich, Mohammed), and every ICU
 * call costs microseconds, so the forms of recent tokens are kept in a
 * direct-mapped table shared by all threads. */
#define TC_SIZE 4096
#define TC_KEY 60
#define TC_PACK 320
typedef struct tc_entry {
    uint64_t hash;
    uint8_t script, klen, nf, used;
    char key[TC_KEY];
    char packed[TC_PACK]; /* the forms, each NUL-terminated */
} tc_entry;

static tc_entry *tc;
static pthread_mutex_t tc_lock = PTHREAD_MUTEX_INITIALIZER;

static int cache_get(const char *s, size_t len, cordon_script script, cordon__forms *f)
{
    if (len > TC_KEY)
        return 0;
    uint64_t h = cordon__hash(s, len) ^ (uint64_t)script;
    int hit = 0;
    pthread_mutex_lock(&tc_lock);
    if (tc) {
        tc_entry *e = &tc[h & (TC_SIZE - 1)];
        if (e->used && e->hash == h && e->script == script && e->klen == len && memcmp(e->key, s, len) == 0) {
            const char *p = e->packed;
            f->n = 0;
            for (uint8_t i = 0; i < e->nf; i++) {
                size_t l = strlen(p);
                cordon__forms_add(f, p, l);
                p += l + 1;
            }
            hit = 1;
        }
    }
    pthread_mutex_unlock(&tc_lock);
    return hit;
}

static void cache_put(const char *s, size_t len, cordon_script script, const cordon__forms *f)
{
    if (len > TC_KEY)
        return;
    char packed[TC_PACK];
    size_t n = 0;
    for (size_t i = 0; i < f->n; i++) {
        size_t l = strlen(f->v[i]);
        if (n + l + 1 > TC_PACK)
            return;
        memcpy(packed + n, f->v[i], l + 1);
        n += l + 1;
    }
    uint64_t h = cordon__hash(s, len) ^ (uint64_t)script;
    pthread_mutex_lock(&tc_lock);
    if (!tc)
        tc = calloc(TC_SIZE, sizeof *tc);
    if (tc) {
        tc_entry *e = &tc[h & (TC_SIZE - 1)];
        e->hash = h;
        e->script = (uint8_t)script;
        e->klen = (uint8_t)len;
        e->nf = (uint8_t)f->n;
        e->used = 1;
        memcpy(e->key, s, len);
        memcpy(e->packed, packed, n);
    }
    pthread_mutex_unlock(&tc_lock);
}

/* ---- dispatch ------------------------------------------------------ */

int cordon__translit(const char *s, size_t len, cordon_script script, cordon__forms *f)
{
    f->n = 0;
    switch (script) {
    case CORDON_SCRIPT_LATIN:
    case CORDON_SCRIPT_COUNT_:
        latin_forms(s, len, f);
        return 0;
    case CORDON_SCRIPT_HANGUL:
        return cordon__hangul_forms(s, len, 0, f);
    case CORDON_SCRIPT_HEBREW:
        return hebrew_forms(s, len, f);
    case CORDON_SCRIPT_ARABIC:
        return arabic_forms(s, len, f);
    case CORDON_SCRIPT_HAN:
        han_forms(s, len, f);
        return 0;
    case CORDON_SCRIPT_KANA:
        return kana_forms(s, len, f);
    default:
        break;
    }
    if (cache_get(s, len, script, f))
        return 0;
    tr_set *set = tr_acquire();
    if (!set)
        return CORDON_ENOMEM;
    int rc = 0;
    switch (script) {
    case CORDON_SCRIPT_CYRILLIC: {
        rc = tr_run(set, TR_RU_BGN, s, len, f);
        cyrillic_tables(s, len, f);
        if (!rc)
            rc = tr_run(set, TR_CYR_SCI, s, len, f);
        if (!rc)
            rc = tr_run(set, TR_UK_BGN, s, len, f);
        cyrillic_rules(s, len, polivanov, f);
        cyrillic_rules(s, len, palladius, f);
        break;
    }
    case CORDON_SCRIPT_GREEK:
        rc = tr_run(set, TR_GREEK_UN, s, len, f);
        if (!rc)
            rc = tr_run(set, TR_GREEK_BGN, s, len, f);
        break;
    case CORDON_SCRIPT_GEORGIAN:
        rc = tr_run(set, TR_GEO_BGN, s, len, f);
        if (!rc)
            rc = tr_run(set, TR_GEO, s, len, f);
        break;
    case CORDON_SCRIPT_ARMENIAN:
        rc = tr_run(set, TR_ARM_BGN, s, len, f);
        if (!rc)
            rc = tr_run(set, TR_ARM, s, len, f);
        break;
    case CORDON_SCRIPT_THAI:
        rc = tr_run(set, TR_THAI, s, len, f);
        break;
    default:
        rc = tr_run(set, TR_ANY, s, len, f);
        break;
    }
    tr_release(set);
    if (!rc)
        cache_put(s, len, script, f);
    return rc;
}

void cordon__translit_cleanup(void)
{
    pthread_mutex_lock(&tc_lock);
    free(tc);
    tc = NULL;
    pthread_mutex_unlock(&tc_lock);
    pthread_mutex_lock(&tr_lock);
    while (tr_free) {
        tr_set *s = tr_free;
        tr_free = s->next;
        for (int k = 0; k < TR_COUNT; k++)
            if (s->t[k])
                utrans_close(s->t[k]);
        free(s);
    }
    pthread_mutex_unlock(&tr_lock);
    for (int k = 0; k < TR_COUNT; k++) {
        pthread_mutex_lock(&tr_proto_lock[k]);
        if (tr_proto[k]) {
            utrans_close(tr_proto[k]);
            tr_proto[k] = NULL;
        }
        pthread_mutex_unlock(&tr_proto_lock[k]);
    }
}
