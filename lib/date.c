/*
 * date.c — dates as sanctions lists write them: ISO (with or without an
 * XML time), "08 Jan 1984", "08-JAN-1984", "January 8, 1984", day-first
 * slashes or dots (OFSI's "00/00/1984" for an unknown day and month), a
 * year alone, "circa 1960", "1960 to 1962", "1960-1962", "between 1960
 * and 1962". Years run from 1000 to 2999; impossible days (1984-02-30)
 * are not dates. A range keeps the precision its two ends share.
 */
#include "cordon_int.h"

#include <ctype.h>
#include <string.h>

static const char *const months[12] = {"january", "february", "march",     "april",
                                       "may",     "june",     "july",      "august",
                                       "september", "october", "november", "december"};

typedef struct {
    const char *s;
    size_t len, i;
} cursor;

static void skip_space(cursor *c)
{
    while (c->i < c->len && (isspace((unsigned char)c->s[c->i]) || c->s[c->i] == ','))
        c->i++;
}

/* Reads 1..4 digits; returns the digit count, 0 if none or if more than
 * four follow (no date part has five digits). */
static int read_num(cursor *c, int *v)
{
    int n = 0, val = 0;
    while (c->i < c->len && isdigit((unsigned char)c->s[c->i]) && n < 5) {
        val = val * 10 + (c->s[c->i] - '0');
        c->i++;
        n++;
    }
    if (n == 5)
        return 0;
    *v = val;
    return n;
}

/* Reads a word, case-insensitively, that does not run on into letters. */
static bool read_word(cursor *c, const char *word)
{
    size_t n = strlen(word);
    if (c->len - c->i < n)
        return false;
    for (size_t k = 0; k < n; k++)
        if (tolower((unsigned char)c->s[c->i + k]) != word[k])
            return false;
    if (c->i + n < c->len && isalpha((unsigned char)c->s[c->i + n]))
        return false;
    c->i += n;
    return true;
}

/* "Jan", "Jan.", "JANUARY", "Sept": a prefix of at least three letters of
 * a month's name. Returns 1..12, or 0 (cursor unmoved). */
static int read_month_name(cursor *c)
{
    size_t j = c->i;
    while (j < c->len && isalpha((unsigned char)c->s[j]))
        j++;
    size_t n = j - c->i;
    if (n < 3 || n > 9)
        return 0;
    for (int m = 0; m < 12; m++) {
        if (n > strlen(months[m]))
            continue;
        size_t k = 0;
        while (k < n && tolower((unsigned char)c->s[c->i + k]) == months[m][k])
            k++;
        if (k == n) {
            c->i = j;
            if (c->i < c->len && c->s[c->i] == '.')
                c->i++;
            return m + 1;
        }
    }
    return 0;
}

static bool valid_ymd(int y, int m, int d)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1000 || y > 2999 || m < 0 || m > 12 || d < 0 || d > 31)
        return false;
    if (d && !m)
        return false;
    if (d && d > mdays[m - 1])
        return false;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return false;
    return true;
}

static bool is_sep(char ch) { return ch == '-' || ch == '/' || ch == '.'; }

/* Skips the time of an XML dateTime after a full date: "T00:00:00",
 * "T12:30:00.000+01:00". */
static void skip_time(cursor *c)
{
    if (c->i + 1 < c->len && c->s[c->i] == 'T' && isdigit((unsigned char)c->s[c->i + 1])) {
        c->i++;
        while (c->i < c->len && (isdigit((unsigned char)c->s[c->i]) || c->s[c->i] == ':' ||
                                 c->s[c->i] == '.' || c->s[c->i] == '+' || c->s[c->i] == '-' ||
                                 c->s[c->i] == 'Z'))
            c->i++;
    }
}

/* One date without circa/range words. On success the cursor is after it. */
static bool read_single(cursor *c, int *y, int *m, int *d)
{
    skip_space(c);
    size_t start = c->i;
    int a, b, e;
    *y = *m = *d = 0;
    int na = read_num(c, &a);
    if (na == 4) { /* 1984, 1984-01, 1984-01-08, 1984/01/08 */
        *y = a;
        if (c->i < c->len && is_sep(c->s[c->i])) {
            size_t at_sep = c->i;
            char sep = c->s[c->i++];
            int nb = read_num(c, &b);
            if (nb == 4 && sep == '-') {
                c->i = at_sep; /* "1960-1962": a range, read by the caller */
                return valid_ymd(*y, 0, 0);
            }
            if (nb < 1 || nb > 2)
                return false;
            *m = b;
            if (c->i < c->len && c->s[c->i] == sep) {
                c->i++;
                int ne = read_num(c, &e);
                if (ne < 1 || ne > 2)
                    return false;
                *d = e;
                skip_time(c);
            }
        }
        return valid_ymd(*y, *m, *d);
    }
    if (na == 1 || na == 2) {
        if (c->i < c->len && is_sep(c->s[c->i])) {
            char sep = c->s[c->i++];
            int mon = read_month_name(c);
            if (mon) { /* 08-Jan-1984 */
                if (c->i >= c->len || (c->s[c->i] != sep && c->s[c->i] != ' '))
                    return false;
                c->i++;
                if (read_num(c, &e) != 4)
                    return false;
                *y = e; *m = mon; *d = a;
                return valid_ymd(*y, *m, *d);
            }
            /* 08/01/1984 (day first, as OFSI and most of the world write
             * it; OFSI writes 00 for an unknown day or month) or 01/1984 */
            int nb = read_num(c, &b);
            if (nb == 4) {
                *y = b; *m = a;
                return valid_ymd(*y, *m, *d);
            }
            if (nb < 1 || nb > 2 || c->i >= c->len || c->s[c->i] != sep)
                return false;
            c->i++;
            if (read_num(c, &e) != 4)
                return false;
            *y = e; *m = b; *d = a;
            return valid_ymd(*y, *m, *d);
        }
        /* 08 Jan 1984, 8 January, 1984 */
        skip_space(c);
        int mon = read_month_name(c);
        if (!mon)
            return false;
        skip_space(c);
        if (read_num(c, &e) != 4)
            return false;
        *y = e; *m = mon; *d = a;
        return valid_ymd(*y, *m, *d);
    }
    c->i = start;
    int mon = read_month_name(c); /* Jan 1984, January 8, 1984 */
    if (!mon)
        return false;
    skip_space(c);
    int ne = read_num(c, &e);
    if (ne == 1 || ne == 2) {
        *d = e;
        skip_space(c);
        ne = read_num(c, &e);
    }
    if (ne != 4)
        return false;
    *y = e; *m = mon;
    return valid_ymd(*y, *m, *d);
}

/* A range separator: "to", "and", "-" or an en dash. */
static bool read_range_sep(cursor *c)
{
    if (read_word(c, "to") || read_word(c, "and") || read_word(c, "until"))
        return true;
    if (c->i < c->len && c->s[c->i] == '-') {
        c->i++;
        return true;
    }
    if (c->len - c->i >= 3 && !memcmp(c->s + c->i, "\xe2\x80\x93", 3)) {
        c->i += 3;
        return true;
    }
    return false;
}

int cordon_date_parse(const char *s, size_t len, cordon_date *out)
{
    if (!s || !out)
        return CORDON_EINVAL;
    memset(out, 0, sizeof *out);
    len = cordon__trim(&s, len);
    if (len == 0 || len > 64)
        return CORDON_EDATE;
    cursor c = {s, len, 0};
    skip_space(&c);
    if (read_word(&c, "circa") || read_word(&c, "ca.") || read_word(&c, "ca") ||
        read_word(&c, "c.") || read_word(&c, "approximately") || read_word(&c, "approx.") ||
        read_word(&c, "approx") || read_word(&c, "about") || read_word(&c, "around"))
        out->flags |= CORDON_DATE_CIRCA;
    bool between = read_word(&c, "between") || read_word(&c, "from");
    int y, m, d;
    if (!read_single(&c, &y, &m, &d))
        return CORDON_EDATE;
    out->year = (int16_t)y;
    out->month = (uint8_t)m;
    out->day = (uint8_t)d;
    skip_space(&c);
    if (c.i < c.len) {
        if (read_range_sep(&c)) {
            int y2, m2, d2;
            if (!read_single(&c, &y2, &m2, &d2) || y2 < y)
                return CORDON_EDATE;
            out->flags |= CORDON_DATE_RANGE;
            out->year_to = (int16_t)y2;
            /* A range keeps what its ends share: "01 Feb 1958 to 28 Feb
             * 1958" is February 1958, "1960 to 1962" years only. */
            if (y2 != y || m2 != m) {
                out->month = 0;
                out->day = 0;
            } else if (d2 != d) {
                out->day = 0;
            }
        }
    }
    if (between && !(out->flags & CORDON_DATE_RANGE))
        return CORDON_EDATE; /* "between 1960" says nothing */
    skip_space(&c);
    if (c.i != c.len)
        return CORDON_EDATE;
    if (out->flags & CORDON_DATE_RANGE && out->year_to == out->year) {
        /* Both ends in one year: no longer a range. */
        out->flags &= (uint16_t)~CORDON_DATE_RANGE;
        out->year_to = 0;
    }
    return 0;
}
