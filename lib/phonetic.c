/*
 * phonetic.c — Double Metaphone (Lawrence Philips, 2000), written for
 * cordon from the published description, plus the "loose" consonant-class
 * key that lets transcriptions from abjads and syllabaries meet their
 * Latin spellings.
 *
 * Double Metaphone gives a primary and an alternate key of up to four
 * characters for an English-or-European-looking ASCII word. The rules
 * below follow the original algorithm case by case; PostgreSQL's contrib
 * dmetaphone implements the same one, and the unit tests compare with its
 * output. Input is lowercase or uppercase ASCII letters; anything else is
 * ignored by the rules (it never matches a letter).
 */
#include "name_int.h"

#include <string.h>

#define DM_MAX 4
#define DM_PAD 6

typedef struct dm {
    char w[CORDON__DM_MAX_WORD + DM_PAD + 1]; /* uppercased, space padded */
    int len;   /* letters in w, without padding */
    int last;  /* len - 1 */
    char p[DM_MAX + 1], a[DM_MAX + 1];
    int np, na;
    int slavo; /* Slavo-Germanic: contains W, K, CZ or WITZ */
} dm;

static char at(const dm *d, int i) { return i < 0 || i >= d->len ? '\0' : d->w[i]; }

static int vowel(const dm *d, int i)
{
    char c = at(d, i);
    return c && strchr("AEIOUY", c) != NULL;
}

/* Does w[start .. start+n) equal one of the NULL-terminated candidates? */
static int string_at(const dm *d, int start, int n, ...)
{
    if (start < 0 || start + n > d->len + DM_PAD)
        return 0;
    va_list ap;
    va_start(ap, n);
    const char *s;
    int hit = 0;
    while ((s = va_arg(ap, const char *)) != NULL)
        if (!hit && memcmp(d->w + start, s, (size_t)n) == 0)
            hit = 1;
    va_end(ap);
    return hit;
}
#define AT(d, start, n, ...) string_at(d, start, n, __VA_ARGS__, (const char *)NULL)

static void add2(dm *d, const char *p, const char *a)
{
    for (; *p && d->np < DM_MAX; p++)
        d->p[d->np++] = *p;
    for (; *a && d->na < DM_MAX; a++)
        d->a[d->na++] = *a;
}
static void add(dm *d, const char *s) { add2(d, s, s); }

static int germanic(const dm *d) { return AT(d, 0, 4, "VAN ", "VON ") || AT(d, 0, 3, "SCH"); }

static int do_c(dm *d, int cur)
{
    /* various Germanic */
    if (cur > 1 && !vowel(d, cur - 2) && AT(d, cur - 1, 3, "ACH") && at(d, cur + 2) != 'I' &&
        (at(d, cur + 2) != 'E' || AT(d, cur - 2, 6, "BACHER", "MACHER"))) {
        add(d, "K");
        return cur + 2;
    }
    if (cur == 0 && AT(d, cur, 6, "CAESAR")) {
        add(d, "S");
        return cur + 2;
    }
    if (AT(d, cur, 4, "CHIA")) { /* Italian 'chianti' */
        add(d, "K");
        return cur + 2;
    }
    if (AT(d, cur, 2, "CH")) {
        if (cur > 0 && AT(d, cur, 4, "CHAE")) { /* 'michael' */
            add2(d, "K", "X");
            return cur + 2;
        }
        /* Greek roots: 'chemistry', 'chorus' */
        if (cur == 0 && (AT(d, cur + 1, 5, "HARAC", "HARIS") || AT(d, cur + 1, 3, "HOR", "HYM", "HIA", "HEM")) &&
            !AT(d, 0, 5, "CHORE")) {
            add(d, "K");
            return cur + 2;
        }
        if (germanic(d) || AT(d, cur - 2, 6, "ORCHES", "ARCHIT", "ORCHID") || AT(d, cur + 2, 1, "T", "S") ||
            ((AT(d, cur - 1, 1, "A", "O", "U", "E") || cur == 0) &&
             AT(d, cur + 2, 1, "L", "R", "N", "M", "B", "H", "F", "V", "W", " "))) {
            add(d, "K");
        } else if (cur > 0) {
            if (AT(d, 0, 2, "MC"))
                add(d, "K");
            else
                add2(d, "X", "K");
        } else {
            add(d, "X");
        }
        return cur + 2;
    }
    if (AT(d, cur, 2, "CZ") && !AT(d, cur - 2, 4, "WICZ")) { /* 'czerny' */
        add2(d, "S", "X");
        return cur + 2;
    }
    if (AT(d, cur + 1, 3, "CIA")) { /* 'focaccia' */
        add(d, "X");
        return cur + 3;
    }
    if (AT(d, cur, 2, "CC") && !(cur == 1 && at(d, 0) == 'M')) {
        if (AT(d, cur + 2, 1, "I", "E", "H") && !AT(d, cur + 2, 2, "HU")) {
            if ((cur == 1 && at(d, cur - 1) == 'A') || AT(d, cur - 1, 5, "UCCEE", "UCCES"))
                add(d, "KS"); /* 'accident', 'succeed' */
            else
                add(d, "X"); /* 'bacci', 'bertucci' */
            return cur + 3;
        }
        add(d, "K"); /* Pierce's rule */
        return cur + 2;
    }
    if (AT(d, cur, 2, "CK", "CG", "CQ")) {
        add(d, "K");
        return cur + 2;
    }
    if (AT(d, cur, 2, "CI", "CE", "CY")) {
        if (AT(d, cur, 3, "CIO", "CIE", "CIA"))
            add2(d, "S", "X");
        else
            add(d, "S");
        return cur + 2;
    }
    add(d, "K");
    if (AT(d, cur + 1, 2, " C", " Q", " G"))
        return cur + 3;
    if (AT(d, cur + 1, 1, "C", "K", "Q") && !AT(d, cur + 1, 2, "CE", "CI"))
        return cur + 2;
    return cur + 1;
}

static int do_g(dm *d, int cur)
{
    if (at(d, cur + 1) == 'H') {
        if (cur > 0 && !vowel(d, cur - 1)) {
            add(d, "K");
            return cur + 2;
        }
        if (cur == 0) { /* 'ghislane', 'ghiradelli' */
            add(d, at(d, cur + 2) == 'I' ? "J" : "K");
            return cur + 2;
        }
        /* Parker's rule: 'hugh', 'bough', 'broughton' */
        if ((cur > 1 && AT(d, cur - 2, 1, "B", "H", "D")) || (cur > 2 && AT(d, cur - 3, 1, "B", "H", "D")) ||
            (cur > 3 && AT(d, cur - 4, 1, "B", "H")))
            return cur + 2;
        if (cur > 2 && at(d, cur - 1) == 'U' && AT(d, cur - 3, 1, "C", "G", "L", "R", "T"))
            add(d, "F"); /* 'laugh', 'cough', 'tough' */
        else if (cur > 0 && at(d, cur - 1) != 'I')
            add(d, "K");
        return cur + 2;
    }
    if (at(d, cur + 1) == 'N') {
        if (cur == 1 && vowel(d, 0) && !d->slavo)
            add2(d, "KN", "N");
        else if (!AT(d, cur + 2, 2, "EY") && at(d, cur + 1) != 'Y' && !d->slavo)
            add2(d, "N", "KN");
        else
            add(d, "KN");
        return cur + 2;
    }
    if (AT(d, cur + 1, 2, "LI") && !d->slavo) { /* 'tagliaro' */
        add2(d, "KL", "L");
        return cur + 2;
    }
    if (cur == 0 && (at(d, cur + 1) == 'Y' ||
                     AT(d, cur + 1, 2, "ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE", "EI", "ER"))) {
        add2(d, "K", "J");
        return cur + 2;
    }
    if ((AT(d, cur + 1, 2, "ER") || at(d, cur + 1) == 'Y') && !AT(d, 0, 6, "DANGER", "RANGER", "MANGER") &&
        !AT(d, cur - 1, 1, "E", "I") && !AT(d, cur - 1, 3, "RGY", "OGY")) {
        add2(d, "K", "J");
        return cur + 2;
    }
    if (AT(d, cur + 1, 1, "E", "I", "Y") || AT(d, cur - 1, 4, "AGGI", "OGGI")) {
        if (germanic(d) || AT(d, cur + 1, 2, "ET"))
            add(d, "K");
        else if (AT(d, cur + 1, 4, "IER "))
            add(d, "J");
        else
            add2(d, "J", "K");
        return cur + 2;
    }
    add(d, "K");
    return at(d, cur + 1) == 'G' ? cur + 2 : cur + 1;
}

static int do_j(dm *d, int cur)
{
    if (AT(d, cur, 4, "JOSE") || AT(d, 0, 4, "SAN ")) { /* Spanish 'jose' */
        if ((cur == 0 && at(d, cur + 4) == '\0' && d->w[cur + 4] == ' ') || AT(d, 0, 4, "SAN "))
            add(d, "H");
        else
            add2(d, "J", "H");
        return cur + 1;
    }
    if (cur == 0 && !AT(d, cur, 4, "JOSE"))
        add2(d, "J", "A"); /* Yankelovich / Jankelowicz */
    else if (vowel(d, cur - 1) && !d->slavo && (at(d, cur + 1) == 'A' || at(d, cur + 1) == 'O'))
        add2(d, "J", "H"); /* Spanish 'bajador' */
    else if (cur == d->last)
        add2(d, "J", "");
    else if (!AT(d, cur + 1, 1, "L", "T", "K", "S", "N", "M", "B", "Z") && !AT(d, cur - 1, 1, "S", "K", "L"))
        add(d, "J");
    return at(d, cur + 1) == 'J' ? cur + 2 : cur + 1;
}

static int do_s(dm *d, int cur)
{
    if (AT(d, cur - 1, 3, "ISL", "YSL")) /* 'island', 'carlisle' */
        return cur + 1;
    if (cur == 0 && AT(d, cur, 5, "SUGAR")) {
        add2(d, "X", "S");
        return cur + 1;
    }
    if (AT(d, cur, 2, "SH")) {
        add(d, AT(d, cur + 1, 4, "HEIM", "HOEK", "HOLM", "HOLZ") ? "S" : "X");
        return cur + 2;
    }
    if (AT(d, cur, 3, "SIO", "SIA") || AT(d, cur, 4, "SIAN")) { /* Italian, Armenian */
        if (!d->slavo)
            add2(d, "S", "X");
        else
            add(d, "S");
        return cur + 3;
    }
    /* 'smith' ~ 'schmidt', 'snider' ~ 'schneider'; Slavic -sz- */
    if ((cur == 0 && AT(d, cur + 1, 1, "M", "N", "L", "W")) || AT(d, cur + 1, 1, "Z")) {
        add2(d, "S", "X");
        return AT(d, cur + 1, 1, "Z") ? cur + 2 : cur + 1;
    }
    if (AT(d, cur, 2, "SC")) {
        if (at(d, cur + 2) == 'H') { /* Schlesinger's rule */
            if (AT(d, cur + 3, 2, "OO", "ER", "EN", "UY", "ED", "EM")) {
                if (AT(d, cur + 3, 2, "ER", "EN"))
                    add2(d, "X", "SK");
                else
                    add(d, "SK");
                return cur + 3;
            }
            if (cur == 0 && !vowel(d, 3) && at(d, 3) != 'W')
                add2(d, "X", "S");
            else
                add(d, "X");
            return cur + 3;
        }
        if (AT(d, cur + 2, 1, "I", "E", "Y")) {
            add(d, "S");
            return cur + 3;
        }
        add(d, "SK");
        return cur + 3;
    }
    if (cur == d->last && AT(d, cur - 2, 2, "AI", "OI")) /* French 'artois' */
        add2(d, "", "S");
    else
        add(d, "S");
    return AT(d, cur + 1, 1, "S", "Z") ? cur + 2 : cur + 1;
}

static int do_t(dm *d, int cur)
{
    if (AT(d, cur, 4, "TION")) {
        add(d, "X");
        return cur + 3;
    }
    if (AT(d, cur, 3, "TIA", "TCH")) {
        add(d, "X");
        return cur + 3;
    }
    if (AT(d, cur, 2, "TH") || AT(d, cur, 3, "TTH")) {
        if (AT(d, cur + 2, 2, "OM", "AM") || germanic(d))
            add(d, "T"); /* 'thomas', 'thames' */
        else
            add2(d, "0", "T");
        return cur + 2;
    }
    add(d, "T");
    return AT(d, cur + 1, 1, "T", "D") ? cur + 2 : cur + 1;
}

static int do_w(dm *d, int cur)
{
    if (AT(d, cur, 2, "WR")) {
        add(d, "R");
        return cur + 2;
    }
    if (cur == 0 && (vowel(d, cur + 1) || AT(d, cur, 2, "WH"))) {
        if (vowel(d, cur + 1))
            add2(d, "A", "F"); /* Wasserman ~ Vasserman */
        else
            add(d, "A"); /* Uomo ~ Womo */
    }
    if ((cur == d->last && vowel(d, cur - 1)) || AT(d, cur - 1, 5, "EWSKI", "EWSKY", "OWSKI", "OWSKY") ||
        AT(d, 0, 3, "SCH")) {
        add2(d, "", "F"); /* Arnow ~ Arnoff */
        return cur + 1;
    }
    if (AT(d, cur, 4, "WICZ", "WITZ")) { /* Polish 'filipowicz' */
        add2(d, "TS", "FX");
        return cur + 4;
    }
    return cur + 1;
}

int cordon_double_metaphone(const char *word, size_t len, char primary[8], char alternate[8])
{
    if (!word || !primary || !alternate)
        return CORDON_EINVAL;
    primary[0] = alternate[0] = '\0';
    dm d;
    memset(&d, 0, sizeof d);
    /* Letters only; the algorithm looks at no more than a few letters
     * around each position, so a bounded prefix gives the same 4-letter
     * keys for all but pathological words. */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)word[i];
        if (c >= 0x80)
            return CORDON_EINVAL;
        if (c >= 'a' && c <= 'z')
            c = (unsigned char)(c - 'a' + 'A');
        if (c < 'A' || c > 'Z')
            continue;
        if (d.len < CORDON__DM_MAX_WORD)
            d.w[d.len++] = (char)c;
    }
    if (d.len == 0)
        return CORDON_EINVAL;
    memset(d.w + d.len, ' ', DM_PAD);
    d.w[d.len + DM_PAD] = '\0';
    d.last = d.len - 1;
    d.slavo = strchr(d.w, 'W') || strchr(d.w, 'K') || strstr(d.w, "CZ") || strstr(d.w, "WITZ");

    int cur = 0;
    if (AT(&d, 0, 2, "GN", "KN", "PN", "WR", "PS"))
        cur = 1;
    if (at(&d, 0) == 'X') { /* 'Xavier' */
        add(&d, "S");
        cur = 1;
    }
    while ((d.np < DM_MAX || d.na < DM_MAX) && cur < d.len) {
        char c = d.w[cur];
        switch (c) {
        case 'A': case 'E': case 'I': case 'O': case 'U': case 'Y':
            if (cur == 0)
                add(&d, "A");
            cur++;
            break;
        case 'B':
            add(&d, "P");
            cur += at(&d, cur + 1) == 'B' ? 2 : 1;
            break;
        case 'C':
            cur = do_c(&d, cur);
            break;
        case 'D':
            if (AT(&d, cur, 2, "DG")) {
                if (AT(&d, cur + 2, 1, "I", "E", "Y")) { /* 'edge' */
                    add(&d, "J");
                    cur += 3;
                } else { /* 'edgar' */
                    add(&d, "TK");
                    cur += 2;
                }
            } else if (AT(&d, cur, 2, "DT", "DD")) {
                add(&d, "T");
                cur += 2;
            } else {
                add(&d, "T");
                cur++;
            }
            break;
        case 'F':
            add(&d, "F");
            cur += at(&d, cur + 1) == 'F' ? 2 : 1;
            break;
        case 'G':
            cur = do_g(&d, cur);
            break;
        case 'H': /* kept only first or between vowels */
            if ((cur == 0 || vowel(&d, cur - 1)) && vowel(&d, cur + 1)) {
                add(&d, "H");
                cur += 2;
            } else {
                cur++;
            }
            break;
        case 'J':
            cur = do_j(&d, cur);
            break;
        case 'K':
            add(&d, "K");
            cur += at(&d, cur + 1) == 'K' ? 2 : 1;
            break;
        case 'L':
            if (at(&d, cur + 1) == 'L') {
                /* Spanish 'cabrillo', 'gallegos' */
                if ((cur == d.len - 3 && AT(&d, cur - 1, 4, "ILLO", "ILLA", "ALLE")) ||
                    ((AT(&d, d.last - 1, 2, "AS", "OS") || AT(&d, d.last, 1, "A", "O")) &&
                     AT(&d, cur - 1, 4, "ALLE"))) {
                    add2(&d, "L", "");
                    cur += 2;
                    break;
                }
                cur += 2;
            } else {
                cur++;
            }
            add(&d, "L");
            break;
        case 'M':
            if ((AT(&d, cur - 1, 3, "UMB") && (cur + 1 == d.last || AT(&d, cur + 2, 2, "ER"))) ||
                at(&d, cur + 1) == 'M')
                cur += 2;
            else
                cur++;
            add(&d, "M");
            break;
        case 'N':
            add(&d, "N");
            cur += at(&d, cur + 1) == 'N' ? 2 : 1;
            break;
        case 'P':
            if (at(&d, cur + 1) == 'H') {
                add(&d, "F");
                cur += 2;
            } else {
                add(&d, "P");
                cur += AT(&d, cur + 1, 1, "P", "B") ? 2 : 1;
            }
            break;
        case 'Q':
            add(&d, "K");
            cur += at(&d, cur + 1) == 'Q' ? 2 : 1;
            break;
        case 'R': /* French 'rogier', but not 'hochmeier' */
            if (cur == d.last && !d.slavo && AT(&d, cur - 2, 2, "IE") && !AT(&d, cur - 4, 2, "ME", "MA"))
                add2(&d, "", "R");
            else
                add(&d, "R");
            cur += at(&d, cur + 1) == 'R' ? 2 : 1;
            break;
        case 'S':
            cur = do_s(&d, cur);
            break;
        case 'T':
            cur = do_t(&d, cur);
            break;
        case 'V':
            add(&d, "F");
            cur += at(&d, cur + 1) == 'V' ? 2 : 1;
            break;
        case 'W':
            cur = do_w(&d, cur);
            break;
        case 'X': /* French 'breaux' */
            if (!(cur == d.last && (AT(&d, cur - 3, 3, "IAU", "EAU") || AT(&d, cur - 2, 2, "AU", "OU"))))
                add(&d, "KS");
            cur += AT(&d, cur + 1, 1, "C", "X") ? 2 : 1;
            break;
        case 'Z':
            if (at(&d, cur + 1) == 'H') { /* Chinese pinyin 'zhao' */
                add(&d, "J");
                cur += 2;
                break;
            }
            if (AT(&d, cur + 1, 2, "ZO", "ZI", "ZA") || (d.slavo && cur > 0 && at(&d, cur - 1) != 'T'))
                add2(&d, "S", "TS");
            else
                add(&d, "S");
            cur += at(&d, cur + 1) == 'Z' ? 2 : 1;
            break;
        default:
            cur++;
            break;
        }
    }
    memcpy(primary, d.p, (size_t)d.np);
    primary[d.np] = '\0';
    memcpy(alternate, d.a, (size_t)d.na);
    alternate[d.na] = '\0';
    return 0;
}

/* ---- loose keys ------------------------------------------------------ */

static int lvowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }

/*
 * Consonant classes: P (b p f v w), K (k g q c kh gh), T (d t th),
 * S (s z j c before e/i/y, ch sh zh ts tz dz x's s), R (l r), M, N (n ng);
 * h and vowels vanish; a leading vowel (after any h) is 'A'. Runs of one
 * class collapse, even across vowels, so "pinokku" and "pinnock" agree
 * and epenthetic vowels (Korean eu, Japanese u) do not count.
 */
size_t cordon__loose_key(const char *in, size_t len, unsigned flags, char out[CORDON__LOOSE_MAX + 1])
{
    char w[CORDON__DM_MAX_WORD + 1];
    size_t n = 0;
    for (size_t i = 0; i < len && n < CORDON__DM_MAX_WORD; i++) {
        char c = in[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c >= 'a' && c <= 'z')
            w[n++] = c;
    }
    w[n] = '\0';
    size_t k = 0;
    char last = 0;
    size_t i = 0;
    /* A leading vowel or h is one mark: abjads write Hussein as "hsin" and
     * Ali as "ali" or "'li". */
    int lead_h = i < n && w[i] == 'h';
    while (i < n && w[i] == 'h')
        i++;
    if (lead_h || (i < n && lvowel(w[i]))) {
        out[k++] = 'A';
        last = 'A';
    }
    for (; i < n && k < CORDON__LOOSE_MAX; i++) {
        char c = w[i], nx = i + 1 < n ? w[i + 1] : 0, cls = 0;
        switch (c) {
        case 'b': case 'p': case 'f': case 'v': cls = 'P'; break;
        case 'w':
            /* a consonant before a vowel, but a glide after a consonant
             * (kw, sw: 취 chwi) and, in the variant, after a vowel
             * (Stewart: 스튜어트, Howard: 하워드) */
            if (i == 0 && nx != 'h')
                cls = 'P'; /* Wladimir, Wolfgang */
            else if (!nx || !lvowel(nx) || nx == 'y' || (i > 0 && !lvowel(w[i - 1]) && w[i - 1] != 'h') ||
                ((flags & CORDON__LOOSE_VARIANT) && i > 0 && lvowel(w[i - 1])))
                cls = 0;
            else
                cls = 'P';
            break;
        case 'k': cls = 'K'; break;
        case 'q': cls = (flags & CORDON__LOOSE_VARIANT) ? 'S' : 'K'; break; /* pinyin q */
        case 'g': /* soft g (George, Gigi) in the variant key */
            cls = ((flags & CORDON__LOOSE_VARIANT) && (nx == 'e' || nx == 'i' || nx == 'y')) ? 'S' : 'K';
            break;
        case 'c':
            if (nx == 'h' || nx == 'z') { cls = 'S'; i++; }
            else if (nx == 'e' || nx == 'i' || nx == 'y') cls = 'S';
            else cls = 'K';
            break;
        case 'd': case 't':
            if ((flags & CORDON__LOOSE_VARIANT) && i + 1 == n && i > 0 && lvowel(w[i - 1]))
                cls = 0; /* French silent final consonant: Dunant */
            else if ((flags & CORDON__LOOSE_TH_S) && c == 't' && nx == 'h') { cls = 'S'; i++; } /* Keith: 키스 */
            else if (nx == 's' || nx == 'z') { cls = 'S'; i++; }
            else if (nx == 'j' || (nx == 'c' && i + 2 < n && w[i + 2] == 'h')) cls = 0; /* dj, tch */
            else cls = 'T';
            break;
        case 's': case 'z':
            /* French silent final s: Louis, Jacques */
            cls = ((flags & CORDON__LOOSE_VARIANT) && i + 1 == n && i > 1) ? 0 : 'S';
            break;
        case 'j': cls = 'S'; break;
        case 'x':
            if ((flags & CORDON__LOOSE_VARIANT) && i + 1 == n && i > 0 && lvowel(w[i - 1]))
                break; /* French silent final x: Le Roux */
            if (k < CORDON__LOOSE_MAX && last != 'K')
                out[k++] = 'K';
            last = 'K';
            cls = 'S';
            break;
        case 'l': cls = 'R'; break;
        case 'r':
            /* Non-rhotic variant: English r after a vowel and before a
             * consonant or the end is dropped by Korean, Japanese and
             * Chinese transcriptions (Herbert -> 허버트 heobeoteu). */
            if ((flags & CORDON__LOOSE_VARIANT) && i > 0 && lvowel(w[i - 1]) && (!nx || !lvowel(nx)))
                cls = 0;
            else
                cls = 'R';
            break;
        case 'm': cls = 'M'; break;
        case 'n': cls = 'N'; if (nx == 'g') i++; break; /* ng: Korean, Chinese finals */
        default: cls = 0; break; /* vowels, h, y */
        }
        if (!cls)
            continue; /* vowels do not separate repeats: 카를라 "kareulra" ~ Carla */
        if (cls != last && k < CORDON__LOOSE_MAX)
            out[k++] = cls;
        last = cls;
    }
    out[k] = '\0';
    return k;
}

size_t cordon__edit_distance(const char *a, size_t na, const char *b, size_t nb, size_t max)
{
    if (na > nb ? na - nb > max : nb - na > max)
        return max + 1;
    if (nb > 63)
        nb = 63;
    if (na > 63)
        na = 63;
    size_t row[64];
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0], best = i;
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t v = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best > max)
            return max + 1;
    }
    return row[nb] > max ? max + 1 : row[nb];
}
