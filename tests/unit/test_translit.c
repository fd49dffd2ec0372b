/*
 * test_translit.c — romanization per script (the several systems each
 * script needs), the vendored Wikidata sample (tests/data/wikidata, CC0),
 * concurrent use of the ICU transliterators from many threads, and the
 * pinyin table (lib/han_pinyin.inc) against ICU.
 */
#include "test_util.h"

#include <pthread.h>

#include "name_int.h"

/* The forms of one token, space-joined. */
static const char *forms_of(const char *s, cordon_script script)
{
    static char out[2][1024];
    static int which;
    which ^= 1;
    cordon__forms f;
    assert_int_equal(cordon__translit(s, strlen(s), script, &f), 0);
    out[which][0] = '\0';
    for (size_t i = 0; i < f.n; i++) {
        if (i)
            strcat(out[which], " ");
        strcat(out[which], f.v[i]);
    }
    return out[which];
}

static int has_form(const char *s, cordon_script script, const char *want)
{
    cordon__forms f;
    assert_int_equal(cordon__translit(s, strlen(s), script, &f), 0);
    for (size_t i = 0; i < f.n; i++)
        if (strcmp(f.v[i], want) == 0)
            return 1;
    print_message("%s: no form %s among: %s\n", s, want, forms_of(s, script));
    return 0;
}

static void test_scripts(void **state)
{
    (void)state;
    assert_int_equal(cordon__token_script("putin", 5), CORDON_SCRIPT_LATIN);
    assert_int_equal(cordon__token_script("путин", strlen("путин")), CORDON_SCRIPT_CYRILLIC);
    assert_int_equal(cordon__token_script("김정은", strlen("김정은")), CORDON_SCRIPT_HANGUL);
    assert_int_equal(cordon__token_script("习近平", strlen("习近平")), CORDON_SCRIPT_HAN);
    assert_int_equal(cordon__token_script("プーチン", strlen("プーチン")), CORDON_SCRIPT_KANA);
    assert_int_equal(cordon__token_script("安倍しんぞう", strlen("安倍しんぞう")), CORDON_SCRIPT_KANA);
    assert_int_equal(cordon__token_script("محمد", strlen("محمد")), CORDON_SCRIPT_ARABIC);
    assert_int_equal(cordon__token_script("פרס", strlen("פרס")), CORDON_SCRIPT_HEBREW);
    assert_int_equal(cordon__token_script("τσίπρας", strlen("τσίπρας")), CORDON_SCRIPT_GREEK);
    assert_int_equal(cordon__token_script("სააკაშვილი", strlen("სააკაშვილი")), CORDON_SCRIPT_GEORGIAN);
    assert_int_equal(cordon__token_script("սարգսյան", strlen("սարգսյան")), CORDON_SCRIPT_ARMENIAN);
    assert_int_equal(cordon__token_script("ชินวัตร", strlen("ชินวัตร")), CORDON_SCRIPT_THAI);
    assert_int_equal(cordon__token_script("मोदी", strlen("मोदी")), CORDON_SCRIPT_OTHER);
    assert_string_equal(cordon_script_name(CORDON_SCRIPT_HANGUL), "hangul");
    assert_string_equal(cordon_script_name(CORDON_SCRIPT_COUNT_), "other");
}

static void test_latin(void **state)
{
    (void)state;
    assert_string_equal(forms_of("müller", CORDON_SCRIPT_LATIN), "muller mueller");
    assert_string_equal(forms_of("jürgen", CORDON_SCRIPT_LATIN), "jurgen juergen");
    assert_string_equal(forms_of("søren", CORDON_SCRIPT_LATIN), "soren soeren");
    assert_string_equal(forms_of("straße", CORDON_SCRIPT_LATIN), "strasse");
    assert_string_equal(forms_of("łukasz", CORDON_SCRIPT_LATIN), "lukasz");
    assert_string_equal(forms_of("đorđević", CORDON_SCRIPT_LATIN), "dordevic");
    assert_string_equal(forms_of("əliyev", CORDON_SCRIPT_LATIN), "aliyev");
    assert_string_equal(forms_of("o'brien", CORDON_SCRIPT_LATIN), "obrien");
    assert_string_equal(forms_of("nguyễn", CORDON_SCRIPT_LATIN), "nguyen");
}

static void test_cyrillic(void **state)
{
    (void)state;
    /* BGN/PCGN, ICAO, French, German, scientific, Ukrainian BGN */
    assert_true(has_form("путин", CORDON_SCRIPT_CYRILLIC, "putin"));
    assert_true(has_form("путин", CORDON_SCRIPT_CYRILLIC, "poutine"));
    assert_true(has_form("владимирович", CORDON_SCRIPT_CYRILLIC, "vladimirovich"));
    assert_true(has_form("владимирович", CORDON_SCRIPT_CYRILLIC, "vladimirovitch"));
    assert_true(has_form("владимирович", CORDON_SCRIPT_CYRILLIC, "wladimirowitsch"));
    assert_true(has_form("хрущёв", CORDON_SCRIPT_CYRILLIC, "khrushchev"));
    assert_true(has_form("хрущёв", CORDON_SCRIPT_CYRILLIC, "chruschtschjow"));
    assert_true(has_form("алексей", CORDON_SCRIPT_CYRILLIC, "aleksey"));
    assert_true(has_form("алексей", CORDON_SCRIPT_CYRILLIC, "aleksei"));
    assert_true(has_form("гриценко", CORDON_SCRIPT_CYRILLIC, "gritsenko"));
    assert_true(has_form("гриценко", CORDON_SCRIPT_CYRILLIC, "hrytsenko")); /* Ukrainian */
    assert_true(has_form("олександр", CORDON_SCRIPT_CYRILLIC, "oleksandr"));
    assert_true(has_form("аляксандр", CORDON_SCRIPT_CYRILLIC, "aliaksandr")); /* Belarusian passports */
    /* Kazakh, Uzbek, Tajik letters that ICU's Russian transform leaves alone */
    assert_true(has_form("тоқаев", CORDON_SCRIPT_CYRILLIC, "tokayev"));
    assert_true(has_form("ғайрат", CORDON_SCRIPT_CYRILLIC, "gayrat"));
    assert_true(has_form("ҳамид", CORDON_SCRIPT_CYRILLIC, "hamid"));
    assert_true(has_form("ҷумъа", CORDON_SCRIPT_CYRILLIC, "juma"));
    assert_true(has_form("эмомалӣ", CORDON_SCRIPT_CYRILLIC, "emomali"));
    assert_true(has_form("ўктам", CORDON_SCRIPT_CYRILLIC, "uktam"));
    assert_true(has_form("әлия", CORDON_SCRIPT_CYRILLIC, "aliya"));
    /* Japanese and Chinese names in Russian (Polivanov, Palladius) */
    assert_true(has_form("коитиро", CORDON_SCRIPT_CYRILLIC, "koichiro"));
    assert_true(has_form("вэньсю", CORDON_SCRIPT_CYRILLIC, "wenxiu"));
    assert_true(has_form("дэн", CORDON_SCRIPT_CYRILLIC, "den"));
    /* Serbian */
    assert_true(has_form("ђоковић", CORDON_SCRIPT_CYRILLIC, "djokovic"));
    /* Forms are ASCII letters and digits only, no duplicates. */
    cordon__forms f;
    assert_int_equal(cordon__translit("ъьё", strlen("ъьё"), CORDON_SCRIPT_CYRILLIC, &f), 0);
    for (size_t i = 0; i < f.n; i++) {
        assert_int_equal(strspn(f.v[i], "abcdefghijklmnopqrstuvwxyz0123456789"), strlen(f.v[i]));
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(f.v[i], f.v[j]);
    }
}

static void test_hangul(void **state)
{
    (void)state;
    /* Revised, McCune-Reischauer, DPRK and list spellings */
    assert_true(has_form("정", CORDON_SCRIPT_HANGUL, "jeong"));
    assert_true(has_form("정", CORDON_SCRIPT_HANGUL, "chong"));
    assert_true(has_form("정", CORDON_SCRIPT_HANGUL, "jong"));
    assert_true(has_form("정", CORDON_SCRIPT_HANGUL, "jung"));
    assert_true(has_form("은", CORDON_SCRIPT_HANGUL, "eun"));
    assert_true(has_form("은", CORDON_SCRIPT_HANGUL, "un"));
    assert_true(has_form("현", CORDON_SCRIPT_HANGUL, "hyun"));
    assert_true(has_form("윤", CORDON_SCRIPT_HANGUL, "yoon"));
    cordon__forms f;
    assert_int_equal(cordon__hangul_forms("김", strlen("김"), 1, &f), 0);
    assert_string_equal(f.v[0], "kim");
    assert_string_equal(f.v[1], "gim");
    assert_int_equal(cordon__hangul_forms("이", strlen("이"), 1, &f), 0);
    assert_string_equal(f.v[0], "lee");
    assert_int_equal(cordon__hangul_forms("박", strlen("박"), 1, &f), 0);
    assert_string_equal(f.v[0], "park");
    size_t n = 0;
    assert_true(cordon__is_cjk_surname("남궁민", strlen("남궁민"), &n));
    assert_int_equal(n, strlen("남궁"));
    assert_false(cordon__is_cjk_surname("쑨원", strlen("쑨원"), &n));
}

static void test_han_kana_abjads_and_others(void **state)
{
    (void)state;
    assert_string_equal(forms_of("习近平", CORDON_SCRIPT_HAN), "xijinping shijinping hsichinping");
    assert_true(has_form("毛泽东", CORDON_SCRIPT_HAN, "maozedong"));
    assert_true(has_form("毛泽东", CORDON_SCRIPT_HAN, "maotsetung"));     /* Wade-Giles */
    assert_true(has_form("プーチン", CORDON_SCRIPT_KANA, "puchin"));        /* Hepburn */
    assert_true(has_form("プーチン", CORDON_SCRIPT_KANA, "putin"));         /* Kunrei */
    assert_true(has_form("トゥホルスキー", CORDON_SCRIPT_KANA, "tuhorusuki")); /* small vowels */
    assert_true(has_form("ピノック", CORDON_SCRIPT_KANA, "pinokku"));       /* sokuon */
    assert_true(has_form("しんぞう", CORDON_SCRIPT_KANA, "shinzo"));        /* hiragana, long vowel */
    assert_true(has_form("ジョージ", CORDON_SCRIPT_KANA, "joji"));
    assert_true(has_form("ウラジーミル", CORDON_SCRIPT_KANA, "vradimiru"));  /* loanword reading */
    assert_true(has_form("דאגלס", CORDON_SCRIPT_HEBREW, "dagls"));
    assert_true(has_form("ג'ורג'", CORDON_SCRIPT_HEBREW, "jorj"));
    assert_true(has_form("וושינגטון", CORDON_SCRIPT_HEBREW, "wshington")); /* וו is w */
    assert_true(has_form("לוי", CORDON_SCRIPT_HEBREW, "lvi"));
    assert_true(has_form("محمد", CORDON_SCRIPT_ARABIC, "mhmd"));
    assert_true(has_form("أندري", CORDON_SCRIPT_ARABIC, "andri"));
    assert_true(has_form("علي", CORDON_SCRIPT_ARABIC, "ali"));
    assert_true(has_form("الله", CORDON_SCRIPT_ARABIC, "allah"));
    assert_true(has_form("فریدون", CORDON_SCRIPT_ARABIC, "fridun")); /* Persian ی */
    assert_true(has_form("τσίπρας", CORDON_SCRIPT_GREEK, "tsipras"));
    assert_true(has_form("γιώργος", CORDON_SCRIPT_GREEK, "giorgos"));
    assert_true(has_form("γιώργος", CORDON_SCRIPT_GREEK, "yiorgos"));
    assert_true(has_form("სააკაშვილი", CORDON_SCRIPT_GEORGIAN, "saakashvili"));
    assert_true(has_form("սարգսյան", CORDON_SCRIPT_ARMENIAN, "sargsyan"));
    assert_true(has_form("मोदी", CORDON_SCRIPT_OTHER, "modi"));
    cordon__forms f;
    assert_int_equal(cordon__translit("ชินวัตร", strlen("ชินวัตร"), CORDON_SCRIPT_THAI, &f), 0);
    assert_true(f.n >= 1);
}

/* ---- the Wikidata sample ------------------------------------------- */

typedef struct counts {
    size_t pairs, exact, loose, fuzzy;
} counts;

static counts run_sample(const char *file, int tokens)
{
    char path[256];
    snprintf(path, sizeof path, "tests/data/wikidata/%s", file);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    counts c = {0};
    char line[2048];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        assert_non_null(tab);
        *tab = '\0';
        char *native = tab + 1, *t2 = strchr(native, '\t');
        if (t2)
            *t2 = '\0';
        char joined[2048];
        if (tokens) {
            size_t k = 0;
            for (char *p = native; *p; p++)
                if (*p != ' ')
                    joined[k++] = *p;
            joined[k] = '\0';
            native = joined;
        }
        cordon_name_analysis *a = NULL, *b = NULL;
        assert_int_equal(cordon_name_analyze(line, strlen(line), CORDON_SCHEMA_PERSON, &a, NULL), 0);
        assert_int_equal(cordon_name_analyze(native, strlen(native), CORDON_SCHEMA_PERSON, &b, NULL), 0);
        cordon__meet m = cordon__names_meet(a, b);
        c.pairs++;
        c.exact += m >= CORDON__MEET_EXACT;
        c.loose += m >= CORDON__MEET_LOOSE;
        c.fuzzy += m >= CORDON__MEET_FUZZY;
        cordon_name_analysis_free(a);
        cordon_name_analysis_free(b);
    }
    fclose(f);
    return c;
}

static void test_wikidata_sample(void **state)
{
    (void)state;
    /* Counts of pairs that meet, out of 2000 per script; the targets of
     * issue 3 hold for the full sets (bench/bench_translit) and for this
     * sample within edit distance, except Hangul, whose sample is
     * harder than the whole. */
    static const struct { const char *file; int tokens; size_t exact, loose, fuzzy, floor_pct; } sets[] = {
        {"wd_russian_20", 1, 1780, 1896, 1935, 95},
        {"wd_korean", 0, 939, 1649, 1791, 88},
        {"wd_hebrew", 0, 1407, 1790, 1872, 80},
        {"wd_arabic_20", 1, 1679, 1862, 1932, 80},
        {"wd_katakana_20", 1, 982, 1729, 1895, 80},
        {"wd_chinese_20", 1, 697, 1484, 1758, 60},
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        counts c = run_sample(sets[i].file, sets[i].tokens);
        print_message("%-16s %4zu pairs: exact %4zu, +loose %4zu, +fuzzy %4zu\n", sets[i].file, c.pairs, c.exact,
                      c.loose, c.fuzzy);
        assert_int_equal(c.pairs, 2000);
        if (c.exact != sets[i].exact || c.loose != sets[i].loose || c.fuzzy != sets[i].fuzzy)
            bad++;
        assert_true(c.fuzzy * 100 >= sets[i].floor_pct * c.pairs);
    }
    assert_int_equal(bad, 0);
}

/* ---- threads ------------------------------------------------------- */

static const char *const thread_names[] = {
    "Путин Владимир Владимирович", "김정은", "习近平", "ウラジーミル・プーチン", "بشار الأسد",
    "בנימין נתניהו", "Αλέξης Τσίπρας", "მიხეილ სააკაშვილი", "Սերժ Սարգսյան", "ทักษิณ ชินวัตร",
    "Олександр Турчинов", "Қасым-Жомарт Тоқаев", "毛泽东", "KIM, Jong Un", "Müller, Jürgen",
    "ООО «Газпром нефть»", "株式会社東芝", "नरेन्द्र मोदी",
};
#define N_NAMES (sizeof thread_names / sizeof thread_names[0])
static char baseline[N_NAMES][2048];

static void describe(const char *name, char *out, size_t size)
{
    cordon_name_analysis *a = NULL;
    out[0] = '\0';
    if (cordon_name_analyze(name, strlen(name), CORDON_SCHEMA_UNKNOWN, &a, NULL) != 0)
        return;
    size_t n = 0;
    for (size_t i = 0; i < a->n_tokens && n < size; i++)
        for (size_t f = 0; f < a->tokens[i].n_forms && n < size; f++)
            n += (size_t)snprintf(out + n, size - n, "%s ", a->tokens[i].forms[f]);
    cordon_name_analysis_free(a);
}

static void *worker(void *arg)
{
    size_t *mismatches = arg;
    char got[2048];
    for (int round = 0; round < 15; round++)
        for (size_t i = 0; i < N_NAMES; i++) {
            describe(thread_names[(i + (size_t)round) % N_NAMES], got, sizeof got);
            if (strcmp(got, baseline[(i + (size_t)round) % N_NAMES]) != 0)
                (*mismatches)++;
        }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_NAMES; i++) {
        describe(thread_names[i], baseline[i], sizeof baseline[i]);
        assert_true(baseline[i][0] != '\0');
    }
    enum { T = 6 };
    pthread_t th[T];
    size_t mism[T] = {0};
    for (int i = 0; i < T; i++)
        assert_int_equal(pthread_create(&th[i], NULL, worker, &mism[i]), 0);
    for (int i = 0; i < T; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(mism[i], 0);
    }
}

static int teardown(void **state)
{
    (void)state;
    cordon__translit_cleanup();
    return 0;
}

/* lib/han_pinyin.inc against ICU, character by character: every Han
 * character (cordon__script_of), read as a given name's and as a
 * surname's first character. A new ICU that reads one otherwise fails
 * here until `make han-table` writes the table again. */
static void test_han_table(void **state)
{
    (void)state;
    size_t han = 0, read = 0, differ = 0;
    for (uint32_t cp = 0x2E80; cp <= 0x323AF; cp++) {
        if (cordon__script_of(cp) != CORDON_SCRIPT_HAN)
            continue;
        han++;
        for (int surname = 0; surname < 2; surname++) {
            char table[8], icu[8];
            cordon__han_pinyin(cp, surname, table);
            assert_int_equal(cordon__han_syllable_icu(cp, surname, icu), 0);
            if (strcmp(table, icu) != 0 && differ++ < 10)
                print_error("U+%04X%s: table \"%s\", ICU \"%s\"\n", (unsigned)cp,
                            surname ? " (surname)" : "", table, icu);
            read += !surname && *table;
        }
    }
    assert_int_equal(differ, 0);
    assert_true(han > 100000); /* the table covers Extension B and on */
    assert_true(read > 40000); /* and most have a reading */
    char syl[8];
    cordon__han_pinyin(0x5355, 0, syl); /* 单: dan, but Shan as a surname */
    assert_string_equal(syl, "dan");
    cordon__han_pinyin(0x5355, 1, syl);
    assert_string_equal(syl, "shan");
    cordon__han_pinyin('A', 0, syl); /* not Han */
    assert_string_equal(syl, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scripts),
        cmocka_unit_test(test_latin),
        cmocka_unit_test(test_cyrillic),
        cmocka_unit_test(test_hangul),
        cmocka_unit_test(test_han_kana_abjads_and_others),
        cmocka_unit_test(test_wikidata_sample),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_han_table),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
