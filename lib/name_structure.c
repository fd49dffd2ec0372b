/*
 * name_structure.c — what each token of a name is: surname or given
 * name, patronymic, particle, title, legal form, generic corporate word,
 * initial or number; and the token rearrangements that make spellings of
 * one name line up: "SURNAME, Given" reordering, Korean and Chinese names
 * split into surname and given syllables, JOINED tokens for "Jong-un" /
 * "Jong Un" / "Jongun", Arabic "Abdul Rahman" / "Abdulrahman" / "Abd
 * al-Rahman" brought to one shape, and legal forms in any language
 * canonicalized (ООО, OOO, LLC -> "llc").
 *
 * Every rule looks at a bounded window of tokens, and a name has at most
 * CORDON_NAME_MAX_TOKENS of them, so the work is linear in the input.
 */
#include "name_int.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

cordon__tok *cordon__toks_push(cordon__toks *t)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        cordon__tok *v = cordon__arena_alloc(t->arena, cap * sizeof *v);
        if (!v)
            return NULL;
        if (t->n)
            memcpy(v, t->v, t->n * sizeof *v);
        t->v = v;
        t->cap = cap;
    }
    cordon__tok *k = &t->v[t->n++];
    memset(k, 0, sizeof *k);
    return k;
}

/* Inserts a zeroed token at index i. */
static cordon__tok *toks_insert(cordon__toks *t, size_t i)
{
    if (!cordon__toks_push(t))
        return NULL;
    memmove(&t->v[i + 1], &t->v[i], (t->n - 1 - i) * sizeof t->v[0]);
    memset(&t->v[i], 0, sizeof t->v[0]);
    return &t->v[i];
}

static const char *txt(const cordon__tok *k) { return k->f.n ? k->f.v[0] : ""; }

static int ends_with(const char *w, const char *suf)
{
    size_t a = strlen(w), b = strlen(suf);
    return a > b && memcmp(w + a - b, suf, b) == 0;
}

static void set_fixed(cordon__tok *k, const char *canon)
{
    k->f.n = 0;
    cordon__forms_add(&k->f, canon, strlen(canon));
}

/* ---- tables -------------------------------------------------------- */

/* Legal forms: phrase (romanized words) -> canonical form. Longer
 * phrases first so they win. */
static const struct { const char *phrase, *canon; } legal_forms[] = {
    {"obshchestvo s ogranichennoy otvetstvennostyu", "llc"},
    {"obshchestvo s ogranichennoi otvetstvennostiu", "llc"},
    {"tovarystvo z obmezhenoyu vidpovidalnistyu", "llc"},
    {"obshchestvo s ogranichennoi otvetstvennostyu", "llc"},
    {"zakrytoye aktsionernoye obshchestvo", "cjsc"},
    {"zakrytoe aktsionernoe obshchestvo", "cjsc"},
    {"otkrytoe aktsionernoe obshchestvo", "ojsc"},
    {"publichnoe aktsionernoe obshchestvo", "pjsc"},
    {"nepublichnoe aktsionernoe obshchestvo", "jsc"},
    {"nepublichnoye aktsionernoye obshchestvo", "jsc"},
    {"otkrytoye aktsionernoye obshchestvo", "ojsc"},
    {"publichnoye aktsionernoye obshchestvo", "pjsc"},
    {"gesellschaft mit beschrankter haftung", "gmbh"},
    {"limited liability company", "llc"},
    {"limited liability partnership", "llp"},
    {"closed joint stock company", "cjsc"},
    {"open joint stock company", "ojsc"},
    {"public joint stock company", "pjsc"},
    {"public limited company", "plc"},
    {"aktsionernoye obshchestvo", "jsc"},
    {"aktsionernoe obshchestvo", "jsc"},
    {"joint stock company", "jsc"},
    {"private limited company", "ltd"},
    {"company limited", "ltd"},
    {"co limited", "ltd"},
    {"co ltd", "ltd"},
    {"pvt ltd", "ltd"},
    {"pte ltd", "ltd"},
    {"pty ltd", "ltd"},
    {"private limited", "ltd"},
    {"sdn bhd", "sdnbhd"},
    {"societe anonyme", "sa"},
    {"sociedad anonima", "sa"},
    {"societa per azioni", "spa"},
    {"kabushiki kaisha", "kk"},
    {"fz llc", "fzllc"},
    {"llc", "llc"}, {"ooo", "llc"}, {"tov", "llc"}, {"too", "llc"}, {"fzllc", "fzllc"},
    {"zao", "cjsc"}, {"cjsc", "cjsc"}, {"prat", "cjsc"},
    {"oao", "ojsc"}, {"ojsc", "ojsc"},
    {"pao", "pjsc"}, {"pjsc", "pjsc"}, {"pat", "pjsc"},
    {"ao", "jsc"}, {"jsc", "jsc"}, {"ooo", "llc"},
    {"gmbh", "gmbh"}, {"ag", "ag"}, {"aktiengesellschaft", "ag"}, {"kg", "kg"},
    {"sa", "sa"}, {"sarl", "sarl"}, {"spa", "spa"}, {"srl", "srl"}, {"sas", "sas"},
    {"bv", "bv"}, {"nv", "nv"}, {"ltd", "ltd"}, {"limited", "ltd"},
    {"plc", "plc"}, {"inc", "inc"}, {"incorporated", "inc"}, {"corp", "corp"},
    {"corporation", "corp"}, {"llp", "llp"}, {"lp", "lp"}, {"fze", "fze"},
    {"fzco", "fzco"}, {"fzc", "fzc"}, {"bhd", "sdnbhd"}, {"pty", "pty"}, {"kk", "kk"},
    {"oy", "oy"}, {"oyj", "oy"}, {"ab", "ab"}, {"sl", "sl"}, {"ltda", "ltd"},
};

/* Legal forms written inside a CJK token, with their canonical form. */
static const struct { const char *s, *canon; } cjk_legal[] = {
    {"股份有限公司", "jsc"}, {"有限责任公司", "llc"}, {"有限責任公司", "llc"}, {"有限公司", "ltd"},
    {"株式会社", "kk"}, {"有限会社", "ltd"}, {"合同会社", "llc"}, {"유한책임회사", "llc"},
    {"유한회사", "llc"}, {"주식회사", "jsc"},
};

static const char *const titles[] = {
    "mr", "mrs", "ms", "miss", "mister", "dr", "doctor", "prof", "professor", "president",
    "sheikh", "shaikh", "shaykh", "sheik", "cheikh", "sheykh", "hajji", "haji", "hajj", "hadji",
    "alhaji", "alhaj", "general", "gen", "colonel", "col", "major", "maj", "captain", "capt",
    "lieutenant", "lt", "sergeant", "sgt", "admiral", "brigadier", "commander", "sir", "lord",
    "lady", "dame", "mullah", "mulla", "mawlawi", "maulavi", "maulvi", "mawlavi", "molvi", "molavi",
    "moulavi", "mowlawi", "maulana", "mawlana", "moulana", "imam",
    "ayatollah", "rev", "reverend", "prince", "princess", "king", "queen", "emir", "gospodin",
    "herr", "frau", "mme", "mlle", "monsieur", "madame", "senor", "sra", "dona", "don", "emperor",
    "empress", "pope", "saint", "st", "duke", "duchess", "count", "countess", "marquess", "marquis",
    "baron", "baroness", "tsar", "czar", "earl", "viscount", NULL};
/* Titles that also open the given-name part of "SURNAME, Dr. Given"
 * (not words that are names too: Don, King, Prince, Lady). */
static const char *const honorifics[] = {
    "mr", "mrs", "ms", "miss", "mister", "dr", "doctor", "prof", "professor", "sheikh", "shaikh",
    "shaykh", "sheik", "cheikh", "sheykh", "hajji", "haji", "hajj", "hadji", "alhaji", "alhaj",
    "gen", "col", "maj", "capt", "lt", "sgt", "colonel", "lieutenant", "sergeant", "brigadier",
    "admiral", "general", "mullah", "mulla", "mawlawi", "maulavi", "maulvi", "mawlavi", "molvi",
    "molavi", "moulavi", "mowlawi", "maulana", "mawlana", "moulana",
    "ayatollah", "rev", "reverend", "sir", "gospodin", "herr", "frau", "mme", "mlle", "monsieur",
    "madame", "senor", "sra", NULL};
/* A person's generation, at the end of the name: canonical "jr" / "sr". */
static const char *const junior_words[] = {"jr", "jnr", "junior", NULL};
static const char *const senior_words[] = {"sr", "snr", "senior", NULL};

static const char *const particles[] = {
    "al", "el", "ul", "bin", "ibn", "bint", "binti", "bte", "abu", "abou", "umm", "um",
    "van", "von", "de", "der", "den", "del", "della", "da", "di", "du", "des", "dos", "das",
    "la", "le", "ter", "ten", "zu", "ben", "ould", "ag", "of", "the", NULL};
static const char *const articles[] = {"al", "el", "ul", "ar", "ur", "as", "us", "ad", "an", "at", "az", "ash", "adh", "ath", NULL};
static const char *const abd_words[] = {"abd", "abdul", "abdel", "abdal", "abdol", "abdoul", "abdou", "abdu", "abdur", "abdar", "abdel", NULL};
/* Joined prefixes, longest first. */
static const char *const abd_prefixes[] = {"abdoul", "abdul", "abdel", "abdal", "abdol", "abdur", "abdar", "abdou", "abdu", "abd", NULL};

static const char *const generic_words[] = {
    "trading", "trade", "traders", "international", "intl", "group", "groupe", "holding",
    "holdings", "company", "co", "compania", "companhia", "compagnie", "industrial", "industries",
    "industry", "enterprise", "enterprises", "general", "services", "service", "import", "export",
    "commercial", "commerce", "global", "investment", "investments", "development", "management",
    "technology", "technologies", "engineering", "shipping", "logistics", "partners", "associates",
    "the", "and", "of", "for", "et", "und", "ticaret", "sanayi", "gongsi", NULL};

static const char *const patronymic_suffixes[] = {
    "ovich", "evich", "ovych", "evych", "ovitch", "evitch", "owitsch", "ewitsch", "ovitsch",
    "ovna", "evna", "ichna", "ivna", "yevna", "ievna",
    "ich", "ych", "itch", NULL}; /* Ilyich, Kuzmich: short forms, in patronymic position only */
static const char *const turkic_patronymics[] = {"ogly", "oglu", "ogli", "uly", "uli", "kyzy", "qizi", "kizi", "gizi", NULL};

/* ---- one hash table over every word list --------------------------- */

enum {
    W_TITLE = 1 << 0, W_HONORIFIC = 1 << 1, W_PARTICLE = 1 << 2, W_ARTICLE = 1 << 3,
    W_ABD = 1 << 4, W_GENERIC = 1 << 5, W_TURKIC = 1 << 6, W_LEGAL_START = 1 << 7,
    W_JUNIOR = 1 << 8, W_SENIOR = 1 << 9
};

#define WT_SIZE 1024 /* power of two, well above the number of words */
static struct { const char *w; unsigned flags; } wt[WT_SIZE];
static pthread_once_t wt_once = PTHREAD_ONCE_INIT;

#define N_LEGAL (sizeof legal_forms / sizeof legal_forms[0])
static char firsts[N_LEGAL][48];
static size_t first_len[N_LEGAL];

static size_t wt_slot(const char *w, size_t len)
{
    uint64_t h = cordon__hash(w, len);
    size_t i = (size_t)h & (WT_SIZE - 1);
    while (wt[i].w && (strlen(wt[i].w) != len || memcmp(wt[i].w, w, len) != 0))
        i = (i + 1) & (WT_SIZE - 1);
    return i;
}

static void wt_add(const char *const *list, unsigned flag)
{
    for (; *list; list++) {
        size_t i = wt_slot(*list, strlen(*list));
        wt[i].w = *list;
        wt[i].flags |= flag;
    }
}

static void wt_build(void)
{
    wt_add(titles, W_TITLE);
    wt_add(honorifics, W_HONORIFIC);
    wt_add(junior_words, W_JUNIOR);
    wt_add(senior_words, W_SENIOR);
    wt_add(particles, W_PARTICLE);
    wt_add(articles, W_ARTICLE);
    wt_add(abd_words, W_ABD);
    wt_add(generic_words, W_GENERIC);
    wt_add(turkic_patronymics, W_TURKIC);
    /* first words of legal-form phrases; the strings are static */
    for (size_t j = 0; j < N_LEGAL; j++) {
        size_t n = strcspn(legal_forms[j].phrase, " ");
        memcpy(firsts[j], legal_forms[j].phrase, n);
        firsts[j][n] = '\0';
        first_len[j] = n;
        size_t i = wt_slot(firsts[j], n);
        if (!wt[i].w)
            wt[i].w = firsts[j];
        wt[i].flags |= W_LEGAL_START;
    }
}

static unsigned word_flags(const char *w)
{
    pthread_once(&wt_once, wt_build);
    size_t i = wt_slot(w, strlen(w));
    return wt[i].w ? wt[i].flags : 0;
}

/* ---- steps --------------------------------------------------------- */

/* Splits a legal form written into a CJK token off it. */
static int split_cjk_legal(cordon__toks *t)
{
    for (size_t i = 0; i < t->n; i++) {
        cordon__tok *k = &t->v[i];
        if (k->script != CORDON_SCRIPT_HAN && k->script != CORDON_SCRIPT_HANGUL && k->script != CORDON_SCRIPT_KANA)
            continue;
        for (size_t j = 0; j < sizeof cjk_legal / sizeof cjk_legal[0]; j++) {
            size_t n = strlen(cjk_legal[j].s);
            if (k->orig_len < n)
                continue;
            int suffix = memcmp(k->orig + k->orig_len - n, cjk_legal[j].s, n) == 0;
            int prefix = !suffix && memcmp(k->orig, cjk_legal[j].s, n) == 0;
            if (!suffix && !prefix)
                continue;
            if (k->orig_len == n) {
                set_fixed(k, cjk_legal[j].canon);
                k->role = CORDON_ROLE_LEGAL_FORM;
                break;
            }
            cordon__tok *nk = toks_insert(t, suffix ? i + 1 : i);
            if (!nk)
                return CORDON_ENOMEM;
            cordon__tok *rest = suffix ? &t->v[i] : &t->v[i + 1];
            cordon__tok *lf = suffix ? &t->v[i + 1] : &t->v[i];
            *lf = *rest;
            lf->orig = suffix ? rest->orig + rest->orig_len - n : rest->orig;
            lf->orig_len = n;
            set_fixed(lf, cjk_legal[j].canon);
            lf->role = CORDON_ROLE_LEGAL_FORM;
            if (prefix)
                rest->orig += n;
            rest->orig_len -= n;
            i++;
            break;
        }
    }
    return 0;
}

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* Korean and Chinese personal names: "김정은" -> 김 | 정 은 (+ 정은). */
static int split_cjk_name(cordon__toks *t, size_t i, int whole_name)
{
    cordon__tok *k = &t->v[i];
    size_t chars = utf8_chars(k->orig, k->orig_len);
    size_t sn = 0;
    if (whole_name) {
        if (chars < 2 || chars > 4 || !cordon__is_cjk_surname(k->orig, k->orig_len, &sn) || sn >= k->orig_len)
            return 0;
    } else if (chars != 2) {
        return 0;
    }
    int group = ++t->next_group;
    size_t pos = 0;
    size_t at = i;
    cordon__tok base = *k;
    if (sn) {
        cordon__tok *s = &t->v[at];
        *s = base;
        s->orig_len = sn;
        s->role = CORDON_ROLE_SURNAME;
        s->group = 0;
        s->whole = 1;
        pos = sn;
        at++;
    }
    int first = 1;
    while (pos < base.orig_len) {
        size_t n = 1;
        while (pos + n < base.orig_len && ((unsigned char)base.orig[pos + n] & 0xC0) == 0x80)
            n++;
        cordon__tok *g;
        if (first && !sn) {
            g = &t->v[at];
        } else {
            g = toks_insert(t, at);
            if (!g)
                return CORDON_ENOMEM;
        }
        *g = base;
        g->orig = base.orig + pos;
        g->orig_len = n;
        g->role = sn ? CORDON_ROLE_GIVEN : base.role;
        g->group = group;
        g->whole = whole_name != 0;
        pos += n;
        at++;
        first = 0;
    }
    return 0;
}

static int romanize_all(cordon__toks *t)
{
    for (size_t i = 0; i < t->n; i++) {
        cordon__tok *k = &t->v[i];
        if (k->role == CORDON_ROLE_LEGAL_FORM && k->f.n)
            continue;
        int rc;
        if (k->script == CORDON_SCRIPT_HANGUL)
            rc = cordon__hangul_forms(k->orig, k->orig_len, k->role == CORDON_ROLE_SURNAME, &k->f);
        else
            rc = cordon__translit(k->orig, k->orig_len, k->script, &k->f);
        if (rc)
            return rc;
        if (k->script == CORDON_SCRIPT_HAN && k->role == CORDON_ROLE_SURNAME)
            cordon__surname_spellings(k->orig, k->orig_len, &k->f); /* 金 -> jin, kim */
    }
    return 0;
}

/* "L.L.C.", "J.S.C.": single dotted letters spelling a legal form. */
static int acronym(cordon__toks *t, size_t i)
{
    char b[16];
    size_t n = 0, k = i;
    while (k < t->n && n < sizeof b - 1 && strlen(txt(&t->v[k])) == 1 && !t->v[k].removed) {
        b[n++] = txt(&t->v[k])[0];
        int dotted = t->v[k].dotted;
        k++;
        if (!dotted)
            break;
    }
    b[n] = '\0';
    if (n < 2 || k - i == t->n)
        return 0;
    for (size_t j = 0; j < sizeof legal_forms / sizeof legal_forms[0]; j++)
        if (strcmp(legal_forms[j].phrase, b) == 0) {
            set_fixed(&t->v[i], legal_forms[j].canon);
            t->v[i].role = CORDON_ROLE_LEGAL_FORM;
            t->v[i].group = 0;
            for (size_t m = i + 1; m < k; m++)
                t->v[m].removed = 1;
            return 1;
        }
    return 0;
}

/* التكريتي -> ال + تكريتي, so that it meets "al-Tikriti" and "Tikriti". */
static int split_arabic_article(cordon__toks *t)
{
    static const char al[] = "\xd8\xa7\xd9\x84"; /* ال */
    for (size_t i = 0; i < t->n; i++) {
        cordon__tok *k = &t->v[i];
        if (k->script != CORDON_SCRIPT_ARABIC || k->orig_len < 4 + 4 || memcmp(k->orig, al, 4) != 0)
            continue;
        if (k->orig_len == 8 && memcmp(k->orig + 4, "\xd9\x84\xd9\x87", 4) == 0) {
            /* X الله: Hidayatullah */
            if (i > 0 && t->v[i - 1].script == CORDON_SCRIPT_ARABIC) {
                if (!t->v[i - 1].group)
                    t->v[i - 1].group = ++t->next_group;
                k->group = t->v[i - 1].group;
            }
            continue;
        }
        cordon__tok *nk = toks_insert(t, i + 1);
        if (!nk)
            return CORDON_ENOMEM;
        k = &t->v[i];
        *nk = *k;
        nk->orig += 4;
        nk->orig_len -= 4;
        k->orig_len = 4;
        if (!k->group)
            k->group = ++t->next_group;
        nk->group = k->group;
        /* X الدين: Shamsuddin, Saif al-Din */
        if (i > 0 && t->v[i - 1].script == CORDON_SCRIPT_ARABIC && nk->orig_len == 6 &&
            (memcmp(nk->orig, "\xd8\xaf\xd9\x8a\xd9\x86", 6) == 0 ||
             memcmp(nk->orig, "\xd8\xaf\xdb\x8c\xd9\x86", 6) == 0)) {
            if (t->v[i - 1].group)
                k->group = nk->group = t->v[i - 1].group;
            else
                t->v[i - 1].group = k->group;
        }
        i++;
    }
    return 0;
}

/* Is `w` the legal-form word `p` written with one slip: a letter changed,
 * added or dropped, or two neighbours swapped ("CORPROATION",
 * "LIABLIITY", "JOINT-TSOCK")? Customer files are full of these, and a
 * misspelt "corporation" would otherwise count as a rare name word that
 * nothing matches. Only words of five letters or more qualify, and a
 * five-letter word only by a swap, so that real words ("stick") stay
 * what they are. */
static int legal_slip(const char *w, size_t wl, const char *p, size_t pl)
{
    if (pl < 5 || wl + 1 < pl || wl > pl + 1)
        return 0;
    size_t i = 0;
    while (i < wl && i < pl && w[i] == p[i])
        i++;
    if (wl == pl) {
        if (i == wl)
            return 0; /* equal: not a slip */
        if (i + 1 < wl && w[i] == p[i + 1] && w[i + 1] == p[i] &&
            memcmp(w + i + 2, p + i + 2, wl - i - 2) == 0)
            return 1; /* swap */
        return pl >= 6 && memcmp(w + i + 1, p + i + 1, wl - i - 1) == 0; /* change */
    }
    if (pl < 6)
        return 0;
    if (wl > pl) /* a letter added */
        return memcmp(w + i + 1, p + i, pl - i) == 0;
    return memcmp(w + i, p + i + 1, wl - i) == 0; /* a letter dropped */
}

/* Does the written word `w` stand for the phrase word at p (up to a space
 * or the end)? Sets *len to the phrase word's length. */
static int legal_word(const char *w, size_t wl, const char *p, size_t *len)
{
    size_t pl = strcspn(p, " ");
    *len = pl;
    return (wl == pl && memcmp(w, p, wl) == 0) || legal_slip(w, wl, p, pl);
}

/* Could a legal-form phrase start at this word, spelt right or with a
 * slip? */
static int legal_start(const char *w)
{
    if (word_flags(w) & W_LEGAL_START) /* also builds firsts[] */
        return 1;
    size_t wl = strlen(w);
    if (wl < 5)
        return 0;
    for (size_t j = 0; j < N_LEGAL; j++)
        if (legal_slip(w, wl, firsts[j], first_len[j]))
            return 1;
    return 0;
}

/* Marks and merges legal forms; returns how many were found. */
static size_t find_legal_forms(cordon__toks *t, cordon_schema hint)
{
    size_t found = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->v[i].role == CORDON_ROLE_LEGAL_FORM) {
            found++;
            continue;
        }
        if (!legal_start(txt(&t->v[i]))) {
            if (acronym(t, i))
                found++;
            continue;
        }
        for (size_t j = 0; j < sizeof legal_forms / sizeof legal_forms[0]; j++) {
            const char *p = legal_forms[j].phrase;
            size_t k = i, pos = 0, plen = strlen(p);
            while (k < t->n && pos < plen) {
                const char *w = txt(&t->v[k]);
                size_t wl = strlen(w), pw;
                if (wl == 0 || !legal_word(w, wl, p + pos, &pw))
                    break;
                pos += pw;
                if (p[pos] == ' ')
                    pos++;
                k++;
            }
            if (pos < plen || k == i)
                continue;
            size_t words = k - i;
            /* A legal form needs company: "AO Gazprom", not "AO". */
            if (t->n - words == 0)
                break;
            /* Short forms are also names and words ("Ao Jun", "Sa'id",
             * "Ab"): unless the caller said organization, they count only
             * written in capitals, in Cyrillic, or last ("Renault SA"). */
            const cordon__tok *w0 = &t->v[i];
            if (hint == CORDON_SCHEMA_UNKNOWN && words == 1 && strlen(txt(w0)) <= 3 && !w0->upper &&
                w0->script != CORDON_SCRIPT_CYRILLIC && k != t->n)
                break;
            cordon__tok *lf = &t->v[i];
            set_fixed(lf, legal_forms[j].canon);
            lf->role = CORDON_ROLE_LEGAL_FORM;
            lf->group = 0;
            for (size_t m = i + 1; m < k; m++)
                t->v[m].removed = 1;
            found++;
            i = k - 1;
            break;
        }
    }
    return found;
}

/* Theophoric compounds: "abdul rahman", "abd al rahman", "abdulrahman",
 * "abdurrahman" all become abd + rahman joined as "abdulrahman". */
static int arabic_abd(cordon__toks *t)
{
    for (size_t i = 0; i < t->n; i++) {
        cordon__tok *k = &t->v[i];
        if (k->removed || k->role == CORDON_ROLE_LEGAL_FORM || k->script == CORDON_SCRIPT_HAN)
            continue;
        const char *w = txt(k);
        if ((word_flags(w) & W_ABD)) {
            size_t j = i + 1;
            if (j < t->n && (word_flags(txt(&t->v[j])) & W_ARTICLE) && j + 1 < t->n)
                j++;
            if (j >= t->n || strlen(txt(&t->v[j])) < 3)
                continue;
            int g = ++t->next_group;
            for (size_t m = i + 1; m < j; m++) {
                t->v[m].removed = 1;
                t->v[m].group = g;
            }
            k->abd = 1;
            k->group = g;
            t->v[j].group = g;
            i = j;
            continue;
        }
        for (const char *const *p = abd_prefixes; *p; p++) {
            size_t pl = strlen(*p), wl = strlen(w);
            if (wl < pl + 4 || memcmp(w, *p, pl) != 0)
                continue;
            const char *rest = w + pl;
            if (strncmp(rest, "lah", 3) == 0 || strncmp(rest, "llah", 4) == 0 || strncmp(rest, "alla", 4) == 0 ||
                strncmp(rest, "ulla", 4) == 0 || strncmp(rest, "ella", 4) == 0)
                break; /* Abdullah, Abdallah: one name */
            /* split: abd | rest (rest keeps the token's script and forms) */
            cordon__tok *nk = toks_insert(t, i + 1);
            if (!nk)
                return CORDON_ENOMEM;
            k = &t->v[i];
            *nk = *k;
            size_t rl = strlen(rest);
            char buf[CORDON__MAX_FORM_LEN + 1];
            memcpy(buf, rest, rl + 1);
            nk->f.n = 0;
            cordon__forms_add(&nk->f, buf, rl);
            nk->orig = cordon__arena_strndup(t->arena, buf, rl);
            if (!nk->orig)
                return CORDON_ENOMEM;
            nk->orig_len = rl;
            nk->script = CORDON_SCRIPT_LATIN;
            int g = ++t->next_group;
            k->abd = 1;
            k->group = g;
            nk->group = g;
            i++;
            break;
        }
    }
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].abd) {
            set_fixed(&t->v[i], "abd");
            cordon__forms_add(&t->v[i].f, "abdul", 5);
            cordon__forms_add(&t->v[i].f, "abdel", 5);
            cordon__forms_add(&t->v[i].f, "abdal", 5);
            t->v[i].role = CORDON_ROLE_PARTICLE;
            t->v[i].flags |= CORDON_TOKEN_WEAK;
        }
    return 0;
}

static int has_patronymic_suffix(const cordon__tok *k)
{
    for (size_t f = 0; f < k->f.n; f++)
        for (const char *const *s = patronymic_suffixes; *s; s++)
            if (ends_with(k->f.v[f], *s))
                return 1;
    return 0;
}

/* Live tokens (not removed) in order, for the positional rules. */
static size_t live(const cordon__toks *t, size_t *idx, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n && n < cap; i++)
        if (!t->v[i].removed && t->v[i].role != CORDON_ROLE_LEGAL_FORM &&
            t->v[i].role != CORDON_ROLE_TITLE && !(t->v[i].flags & CORDON_TOKEN_WEAK))
            idx[n++] = i;
    return n;
}

static void person_roles(cordon__toks *t)
{
    size_t idx[CORDON_NAME_MAX_TOKENS * 4];
    size_t n = live(t, idx, sizeof idx / sizeof idx[0]);

    /* Patronymics: Vladimirovich, Ivanovna; Turkic oglu/kyzy. */
    size_t pat[4], np = 0;
    for (size_t i = 0; i < n; i++) {
        cordon__tok *k = &t->v[idx[i]];
        if ((word_flags(txt(k)) & W_TURKIC) && i > 0) {
            k->role = CORDON_ROLE_PATRONYMIC;
            continue;
        }
        if (n >= 3 && has_patronymic_suffix(k) && np < 4)
            pat[np++] = i;
    }
    size_t patronymic = SIZE_MAX;
    if (np == 1 && pat[0] != 0)
        patronymic = pat[0];
    else if (np >= 2)
        patronymic = pat[0] == 0 ? pat[1] : pat[0];
    if (patronymic != SIZE_MAX) {
        t->v[idx[patronymic]].role = CORDON_ROLE_PATRONYMIC;
        int has_role = 0;
        for (size_t i = 0; i < n; i++)
            if (t->v[idx[i]].role == CORDON_ROLE_SURNAME)
                has_role = 1;
        if (!has_role) {
            if (patronymic == n - 1) { /* Путин Владимир Владимирович */
                t->v[idx[0]].role = CORDON_ROLE_SURNAME;
                for (size_t i = 1; i < n - 1; i++)
                    t->v[idx[i]].role = CORDON_ROLE_GIVEN;
            } else { /* Vladimir Vladimirovich Putin */
                for (size_t i = 0; i < patronymic; i++)
                    t->v[idx[i]].role = CORDON_ROLE_GIVEN;
                for (size_t i = patronymic + 1; i < n; i++)
                    t->v[idx[i]].role = CORDON_ROLE_SURNAME;
            }
        }
    }
}

/* Stable reorder: given names (and everything not a surname) first, then
 * surnames, then numerals ("SALI JR., Jainal" -> jainal sali jr), keeping
 * join groups together. */
static int reorder_surname_last(cordon__toks *t)
{
    int any = 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].role == CORDON_ROLE_SURNAME && t->v[i].script != CORDON_SCRIPT_HANGUL &&
            t->v[i].script != CORDON_SCRIPT_HAN)
            any = 1;
    if (!any)
        return 0;
    cordon__tok *tmp = cordon__arena_alloc(t->arena, t->n * sizeof *tmp);
    if (!tmp)
        return CORDON_ENOMEM;
    size_t m = 0;
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < t->n; i++) {
            cordon_token_role r = t->v[i].role;
            int p = r == CORDON_ROLE_SURNAME ? 1 : r == CORDON_ROLE_NUMBER && !t->v[i].group ? 2 : 0;
            if (p == pass)
                tmp[m++] = t->v[i];
        }
    memcpy(t->v, tmp, t->n * sizeof *tmp);
    return 0;
}

static int is_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* Inserts at j a JOINED token over the live parts t->v[i..j). */
static int make_joined(cordon__toks *t, size_t i, size_t j, int g)
{
    cordon__tok *jt = toks_insert(t, j);
    if (!jt)
        return CORDON_ENOMEM;
    cordon__tok *first = &t->v[i];
    jt->script = first->script;
    jt->role = first->role == CORDON_ROLE_PARTICLE ? t->v[i + 1].role : first->role;
    jt->flags = CORDON_TOKEN_JOINED;
    jt->group = g;
    jt->part_first = i;
    jt->n_parts = j - i;
    jt->comma = first->comma;
    /* original: the parts' originals concatenated */
    size_t ol = 0;
    for (size_t m = i; m < j; m++)
        ol += t->v[m].orig_len;
    char *o = cordon__arena_alloc(t->arena, ol + 1);
    if (!o)
        return CORDON_ENOMEM;
    ol = 0;
    for (size_t m = i; m < j; m++) {
        memcpy(o + ol, t->v[m].orig, t->v[m].orig_len);
        ol += t->v[m].orig_len;
    }
    o[ol] = '\0';
    jt->orig = o;
    jt->orig_len = ol;
    if (first->abd) {
        /* abd + name: every usual spelling of the compound */
        static const char *const pre[] = {"abdul", "abdel", "abdal", "abd", NULL};
        static const char *const allah[] = {"abdullah", "abdallah", "abdellah", "abdulla", NULL};
        const char *rest = txt(&t->v[i + 1]);
        if (strcmp(rest, "allah") == 0 || strcmp(rest, "alla") == 0 || strcmp(rest, "llah") == 0) {
            for (const char *const *p = allah; *p; p++)
                cordon__forms_add(&jt->f, *p, strlen(*p));
        } else {
            for (const char *const *p = pre; *p; p++) {
                char b[CORDON__MAX_FORM_LEN + 1];
                size_t pl = strlen(*p), rl = strlen(rest);
                if (pl + rl > CORDON__MAX_FORM_LEN)
                    rl = CORDON__MAX_FORM_LEN - pl;
                memcpy(b, *p, pl);
                memcpy(b + pl, rest, rl);
                cordon__forms_add(&jt->f, b, pl + rl);
            }
            if (rest[0] == 'r' || rest[0] == 's' || rest[0] == 'n' || rest[0] == 'z' || rest[0] == 't') {
                /* sun letters: abdur-rahman, abdus-salam, abdun-nasir */
                char b[CORDON__MAX_FORM_LEN + 1];
                size_t rl = strlen(rest);
                if (rl > CORDON__MAX_FORM_LEN - 5)
                    rl = CORDON__MAX_FORM_LEN - 5;
                memcpy(b, "abdu", 4);
                b[4] = rest[0];
                memcpy(b + 5, rest, rl);
                cordon__forms_add(&jt->f, b, 5 + rl);
            }
        }
        jt->role = CORDON_ROLE_GIVEN;
    } else {
        int same_script = 1;
        for (size_t m = i; m < j; m++)
            if (t->v[m].script != first->script || t->v[m].role == CORDON_ROLE_LEGAL_FORM)
                same_script = 0;
        if (same_script && first->script != CORDON_SCRIPT_LATIN) {
            int rc = cordon__translit(o, ol, first->script, &jt->f);
            if (rc)
                return rc;
        }
        /* index-wise concatenation of the parts' forms */
        for (size_t f = 0; f < CORDON__MAX_FORMS && jt->f.n < CORDON__MAX_FORMS; f++) {
            char b[CORDON__MAX_FORM_LEN + 1];
            size_t bl = 0;
            int more = 0;
            for (size_t m = i; m < j; m++) {
                const cordon__forms *pf = &t->v[m].f;
                if (!pf->n)
                    continue;
                size_t fi = f < pf->n ? f : pf->n - 1;
                more |= f < pf->n;
                for (const char *q = pf->v[fi]; *q && bl < CORDON__MAX_FORM_LEN; q++)
                    b[bl++] = *q;
            }
            if (!more)
                break;
            cordon__forms_add(&jt->f, b, bl);
        }
    }
    if (!jt->f.n)
        t->v[j].removed = 1;
    return 0;
}

/* Value of a Roman numeral of i, v and x in canonical form (1..39), or
 * 0: "iv" 4, "xiv" 14; "iiii", "vx" and "ill" are not numerals. */
static int roman_value(const char *w)
{
    static const char *const units[] = {"", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"};
    int tens = 0;
    while (tens < 3 && w[tens] == 'x')
        tens++;
    const char *rest = w + tens;
    if (!*w || strlen(rest) > 4)
        return 0;
    for (int u = 0; u < 10; u++)
        if (strcmp(rest, units[u]) == 0)
            return tens * 10 + u;
    return 0;
}

/* Where a token stands, for the numeral rules. */
enum { AT_LATER = 1, AT_SEGMENT_END = 2, AT_END = 4 };

/*
 * Numerals keep their place in a name as NUMBER tokens with canonical
 * text, because "SPARTA IV" is not "SPARTA II": digits anywhere (leading
 * zeros dropped); Roman numerals after the first token (in a person's
 * name not Xi or Vi, which are names); a trailing I, V or X in a vessel's
 * or aircraft's name ("ARGO I"); Jr and Sr ending a person's name or its
 * surname part ("SALI JR., Jainal"), as "jr" and "sr"; regnal 9세 and
 * 14世. In a person's name a numeral is a generation (Jr, II, III).
 */
static int numeral(cordon__tok *k, unsigned at, cordon_schema schema)
{
    const char *w = txt(k);
    size_t n = strlen(w);
    int asset = schema == CORDON_SCHEMA_VESSEL || schema == CORDON_SCHEMA_AIRCRAFT;
    int personal = schema == CORDON_SCHEMA_PERSON || schema == CORDON_SCHEMA_UNKNOWN;
    char canon[16];
    const char *c = NULL;
    int gen = schema == CORDON_SCHEMA_PERSON;
    if (is_digits(w)) {
        while (n > 1 && *w == '0') {
            w++;
            n--;
        }
        c = w;
    } else if (k->script == CORDON_SCRIPT_LATIN) {
        int v = roman_value(w);
        unsigned flags = personal ? word_flags(w) & (W_JUNIOR | W_SENIOR) : 0;
        if (flags && (at & AT_LATER) && (at & (AT_SEGMENT_END | AT_END))) {
            c = flags & W_JUNIOR ? "jr" : "sr";
            gen = 1;
        } else if (v && (at & AT_LATER) &&
                   (n > 1 ? !(personal && (v == 6 || v == 11)) : asset && (at & AT_END))) {
            snprintf(canon, sizeof canon, "%d", v);
            c = canon;
        }
    } else if (k->script == CORDON_SCRIPT_HANGUL || k->script == CORDON_SCRIPT_HAN ||
               k->script == CORDON_SCRIPT_KANA) {
        size_t d = 0;
        while (d < k->orig_len && k->orig[d] >= '0' && k->orig[d] <= '9')
            d++;
        const char *rest = k->orig + d;
        size_t rl = k->orig_len - d;
        if (d && d < sizeof canon &&
            ((rl == 3 && (memcmp(rest, "세", 3) == 0 || memcmp(rest, "世", 3) == 0)) || rl == 0)) {
            memcpy(canon, k->orig, d);
            canon[d] = '\0';
            c = canon;
        }
    }
    if (!c)
        return 0;
    if (c != w || n != strlen(txt(k))) {
        char b[CORDON__MAX_FORM_LEN + 1];
        size_t cl = strlen(c) < CORDON__MAX_FORM_LEN ? strlen(c) : CORDON__MAX_FORM_LEN;
        memcpy(b, c, cl); /* c may point into k->f */
        k->f.n = 0;
        cordon__forms_add(&k->f, b, cl);
    } else if (k->f.n > 1) {
        k->f.n = 1;
    }
    k->role = CORDON_ROLE_NUMBER;
    k->flags |= CORDON_TOKEN_WEAK | (gen ? CORDON_TOKEN_GENERATION : 0u);
    return 1;
}

/* Appends JOINED tokens after each group of two or more live parts. */
static int add_joined(cordon__toks *t)
{
    size_t i = 0;
    while (i < t->n) {
        int g = t->v[i].group;
        if (!g || t->v[i].removed || (t->v[i].flags & CORDON_TOKEN_JOINED)) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < t->n && t->v[j].group == g && !(t->v[j].flags & CORDON_TOKEN_JOINED))
            j++;
        /* parts i..j-1 (some may be removed); collect live ones */
        size_t parts = 0;
        for (size_t m = i; m < j; m++)
            parts += !t->v[m].removed;
        if (parts < 2) {
            i = j;
            continue;
        }
        /* Removed parts (articles) inside a group are dropped now so that
         * the parts are consecutive. */
        size_t w = i;
        for (size_t m = i; m < j; m++)
            if (!t->v[m].removed)
                t->v[w++] = t->v[m];
        size_t gone = j - w;
        if (gone) {
            memmove(&t->v[w], &t->v[j], (t->n - j) * sizeof t->v[0]);
            t->n -= gone;
            j = w;
        }
        int rc = make_joined(t, i, j, g);
        if (rc)
            return rc;
        i = j + 1;
    }
    return 0;
}

int cordon__name_structure(cordon__toks *t, cordon_schema *schema)
{
    int rc;
    cordon_schema hint = *schema;
    rc = split_cjk_legal(t);
    if (rc)
        return rc;

    /* Korean and Chinese personal names written as one token. */
    if (hint != CORDON_SCHEMA_ORGANIZATION) {
        size_t names = 0, idx = 0;
        for (size_t i = 0; i < t->n; i++)
            if (t->v[i].role != CORDON_ROLE_LEGAL_FORM) {
                names++;
                idx = i;
            }
        int legal = names != t->n;
        if (!legal && names == 1 &&
            (t->v[idx].script == CORDON_SCRIPT_HANGUL || t->v[idx].script == CORDON_SCRIPT_HAN)) {
            rc = split_cjk_name(t, idx, 1);
        } else if (!legal && names >= 2 && names <= 3 && t->v[0].script == CORDON_SCRIPT_HANGUL &&
                   utf8_chars(t->v[0].orig, t->v[0].orig_len) == 1 &&
                   cordon__is_cjk_surname(t->v[0].orig, t->v[0].orig_len, NULL)) {
            /* "김 정은": surname, then given names of two syllables */
            t->v[0].role = CORDON_ROLE_SURNAME;
            for (size_t i = t->n; i-- > 1;)
                if (t->v[i].script == CORDON_SCRIPT_HANGUL) {
                    t->v[i].role = CORDON_ROLE_GIVEN;
                    rc = split_cjk_name(t, i, 0);
                    if (rc)
                        break;
                }
        }
        if (rc)
            return rc;
    }

    rc = split_arabic_article(t);
    if (rc)
        return rc;
    rc = romanize_all(t);
    if (rc)
        return rc;
    /* Tokens that romanize to nothing (stray marks, symbols) go. */
    for (size_t i = 0; i < t->n; i++) {
        cordon__tok *k = &t->v[i];
        if (!k->f.n)
            k->removed = 1;
        else if (k->script == CORDON_SCRIPT_ARABIC && k->orig_len == 4 && memcmp(k->orig, "\xd8\xa7\xd9\x84", 4) == 0) {
            /* the article: al-, assimilated ud-/ur-, el- */
            k->f.n = 0;
            cordon__forms_add(&k->f, "al", 2);
            cordon__forms_add(&k->f, "u", 1);
            cordon__forms_add(&k->f, "el", 2);
        }
    }

    size_t legal = 0;
    if (hint != CORDON_SCHEMA_PERSON)
        legal = find_legal_forms(t, hint);
    if (legal && hint == CORDON_SCHEMA_UNKNOWN)
        *schema = CORDON_SCHEMA_ORGANIZATION;
    int person = *schema != CORDON_SCHEMA_ORGANIZATION;

    /* Titles, in people's names (a vessel may be the PRINCESS or the
     * GENERAL something): leading ones, and honorifics opening a part
     * after a comma ("ABU-MARZUQ, Dr. Musa") or making up a later part
     * ("SMITH, John, Dr."); one token is always kept. */
    if (person && *schema != CORDON_SCHEMA_VESSEL && *schema != CORDON_SCHEMA_AIRCRAFT) {
        size_t alive = 0;
        int last_comma = 0;
        for (size_t i = 0; i < t->n; i++)
            if (!t->v[i].removed) {
                alive++;
                last_comma = t->v[i].comma;
            }
        for (size_t i = 0; i < t->n && alive > 1; i++) {
            cordon__tok *k = &t->v[i];
            if (k->removed)
                continue;
            if (!(word_flags(txt(k)) & W_TITLE))
                break;
            k->removed = 1;
            k->role = CORDON_ROLE_TITLE;
            alive--;
        }
        for (int seg = 1; seg <= last_comma && alive > 1; seg++) {
            size_t idx[CORDON_NAME_MAX_TOKENS], n = 0, lead = 0;
            for (size_t i = 0; i < t->n && n < CORDON_NAME_MAX_TOKENS; i++)
                if (!t->v[i].removed && t->v[i].comma == seg)
                    idx[n++] = i;
            while (lead < n && (word_flags(txt(&t->v[idx[lead]])) & W_HONORIFIC))
                lead++;
            /* "IBRAHIM, Haji": the title is all there is of the given name */
            if (lead == n && (seg == 1 || alive <= n))
                continue;
            for (size_t m = 0; m < lead; m++) {
                t->v[idx[m]].removed = 1;
                t->v[idx[m]].role = CORDON_ROLE_TITLE;
                alive--;
            }
        }
        for (size_t i = 0; i < t->n; i++)
            if (t->v[i].role == CORDON_ROLE_TITLE && t->n_titles < CORDON_NAME_MAX_TOKENS) {
                const cordon__tok *k = &t->v[i];
                t->titles[t->n_titles] = cordon__arena_strndup(t->arena, txt(k), strlen(txt(k)));
                if (!t->titles[t->n_titles])
                    return CORDON_ENOMEM;
                t->n_titles++;
            }
    }

    rc = arabic_abd(t);
    if (rc)
        return rc;

    size_t alive = 0;
    for (size_t i = 0; i < t->n; i++)
        alive += !t->v[i].removed;

    size_t first_live = SIZE_MAX, last_live = 0;
    for (size_t i = 0; i < t->n; i++)
        if (!t->v[i].removed) {
            if (first_live == SIZE_MAX)
                first_live = i;
            last_live = i;
        }
    for (size_t i = 0; i < t->n; i++) {
        cordon__tok *k = &t->v[i];
        if (k->removed || k->role == CORDON_ROLE_LEGAL_FORM || k->abd)
            continue;
        const char *w = txt(k);
        size_t next = i + 1;
        while (next < t->n && t->v[next].removed)
            next++;
        unsigned at = (i > first_live ? AT_LATER : 0u) | (i == last_live ? AT_END : 0u) |
                      (next < t->n && t->v[next].comma > k->comma ? AT_SEGMENT_END : 0u);
        if (numeral(k, at, *schema)) {
            continue;
        } else if (*schema != CORDON_SCHEMA_PERSON && alive > 1 && (word_flags(w) & W_GENERIC) &&
                   (*schema == CORDON_SCHEMA_ORGANIZATION || strlen(w) > 3)) {
            k->role = CORDON_ROLE_GENERIC;
            k->flags |= CORDON_TOKEN_WEAK;
        } else if (alive > 1 && k->script != CORDON_SCRIPT_HAN && k->script != CORDON_SCRIPT_HANGUL &&
                   (word_flags(w) & W_PARTICLE) && !(i + 1 == t->n && k->group == 0)) {
            k->role = CORDON_ROLE_PARTICLE;
            k->flags |= CORDON_TOKEN_WEAK;
        }
    }
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].role == CORDON_ROLE_LEGAL_FORM)
            t->v[i].flags |= CORDON_TOKEN_WEAK;

    if (person) {
        /* "SURNAME, Given": the part before the first comma is the surname. */
        int comma = 0;
        size_t before = 0, after = 0;
        for (size_t i = 0; i < t->n; i++) {
            if (t->v[i].removed || (t->v[i].flags & CORDON_TOKEN_WEAK))
                continue;
            if (t->v[i].comma == 0)
                before++;
            else if (t->v[i].comma == 1)
                after++;
            comma |= t->v[i].comma > 0;
        }
        if (comma && before >= 1 && before <= 3 && after >= 1) {
            for (size_t i = 0; i < t->n; i++) {
                cordon__tok *k = &t->v[i];
                if (k->removed || (k->flags & CORDON_TOKEN_WEAK) || k->role != CORDON_ROLE_UNKNOWN)
                    continue;
                k->role = k->comma == 0 ? CORDON_ROLE_SURNAME : CORDON_ROLE_GIVEN;
            }
        } else {
            /* "PUTIN Vladimir": capitals mark the surname in a mixed-case name. */
            size_t up = 0, low = 0;
            for (size_t i = 0; i < t->n; i++) {
                if (t->v[i].removed || t->v[i].role != CORDON_ROLE_UNKNOWN)
                    continue;
                if (t->v[i].upper)
                    up++;
                else if (t->v[i].script == CORDON_SCRIPT_LATIN || t->v[i].script == CORDON_SCRIPT_CYRILLIC ||
                         t->v[i].script == CORDON_SCRIPT_GREEK)
                    low++;
            }
            if (up && low)
                for (size_t i = 0; i < t->n; i++) {
                    cordon__tok *k = &t->v[i];
                    if (!k->removed && k->role == CORDON_ROLE_UNKNOWN && !(k->flags & CORDON_TOKEN_WEAK))
                        k->role = k->upper ? CORDON_ROLE_SURNAME : CORDON_ROLE_GIVEN;
                }
        }
        person_roles(t);
    }

    /* Initials: one letter of an alphabet ("V.", "В.", "Γ."). */
    for (size_t i = 0; i < t->n; i++) {
        cordon__tok *k = &t->v[i];
        if (!k->removed && k->role != CORDON_ROLE_LEGAL_FORM &&
            (k->script == CORDON_SCRIPT_LATIN || k->script == CORDON_SCRIPT_CYRILLIC ||
             k->script == CORDON_SCRIPT_GREEK || k->script == CORDON_SCRIPT_ARMENIAN ||
             k->script == CORDON_SCRIPT_GEORGIAN) &&
            utf8_chars(k->orig, k->orig_len) == 1 && !is_digits(txt(k)))
            k->role = CORDON_ROLE_INITIAL;
    }

    if (person) {
        rc = reorder_surname_last(t);
        if (rc)
            return rc;
        /* Short syllable-like Latin given names ("Jong Un", "Sun Wen") are
         * also tried joined. */
        size_t idx[8], n = 0, total = 0;
        for (size_t i = 0; i < t->n; i++) {
            cordon__tok *k = &t->v[i];
            if (k->removed || (k->flags & CORDON_TOKEN_WEAK) || k->role == CORDON_ROLE_INITIAL ||
                k->role == CORDON_ROLE_NUMBER)
                continue;
            total++;
            if (k->script == CORDON_SCRIPT_LATIN && k->group == 0 && strlen(txt(k)) <= 5 &&
                k->role != CORDON_ROLE_SURNAME && k->role != CORDON_ROLE_PATRONYMIC && n < 8)
                idx[n++] = i;
        }
        if (n >= 2 && total <= 3 && idx[n - 1] == idx[n - 2] + 1) {
            int g = ++t->next_group;
            t->v[idx[n - 2]].group = g;
            t->v[idx[n - 1]].group = g;
        }
    }

    /* "Chang Wanquan", "Sun Wen": East Asian names are one word in their
     * own script (창완취안, 쑨원), so short two-word Latin names are also
     * tried as one word. */
    if (person) {
        size_t first = SIZE_MAX, last = 0, count = 0, len = 0;
        int ok = 1;
        for (size_t i = 0; i < t->n; i++) {
            const cordon__tok *k = &t->v[i];
            if (k->removed)
                continue;
            if ((k->flags & CORDON_TOKEN_WEAK) || k->role == CORDON_ROLE_INITIAL || k->role == CORDON_ROLE_SURNAME ||
                k->script != CORDON_SCRIPT_LATIN) {
                ok = 0;
                break;
            }
            if (first == SIZE_MAX)
                first = i;
            last = i;
            count++;
            len += strlen(txt(k));
        }
        if (ok && count == 2 && last - first + 1 == count && len <= 16 &&
            !(t->v[first].group && t->v[first].group == t->v[last].group)) {
            rc = make_joined(t, first, last + 1, 0);
            if (rc)
                return rc;
        }
    }

    /* The whole of a split CJK name, too: 克鲁森 may be one foreign name. */
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].whole && !t->v[i].removed) {
            size_t j = i;
            while (j < t->n && t->v[j].whole && !t->v[j].removed)
                j++;
            if (j - i >= 2) {
                rc = make_joined(t, i, j, 0);
                if (rc)
                    return rc;
                t->v[j].role = CORDON_ROLE_UNKNOWN;
            }
            break;
        }
    return add_joined(t);
}
