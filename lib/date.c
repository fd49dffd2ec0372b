/*
 * date.c — dates as sanctions lists write them: ISO, "08 Jan 1984",
 * day-first slashes, a year alone, "circa 1960", "1960 to 1962".
 */
#include "cordon_int.h"

#include <ctype.h>
#include <string.h>

static const char *const months[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};

typedef struct {
    const char *s;
    size_t len, i;
} cursor;

static void skip_space(cursor *c)
{
    while (c->i < c->len && (isspace((unsigned char)c->s[c->i]) || c->s[c->i] == ','))
        c->i++;
}

/* Reads 1..4 digits; returns the digit count (0 if none). */
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

static int read_month_name(cursor *c)
{
    if (c->len - c->i < 3)
        return 0;
    for (int m = 0; m < 12; m++) {
        if (strncasecmp(c->s + c->i, months[m], 3) == 0) {
            c->i += 3;
            while (c->i < c->len && isalpha((unsigned char)c->s[c->i]))
                c->i++; /* "January", "Sept" */
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

/* One date without circa/range words. */
static bool read_single(cursor *c, int *y, int *m, int *d)
{
    skip_space(c);
    size_t start = c->i;
    int a, b, e;
    int na = read_num(c, &a);
    if (na == 4) { /* 1984, 1984-01, 1984-01-08, 1984/01/08 */
        *y = a; *m = 0; *d = 0;
        if (c->i < c->len && (c->s[c->i] == '-' || c->s[c->i] == '/' || c->s[c->i] == '.')) {
            char sep = c->s[c->i++];
            if (!read_num(c, &b))
                return false;
            *m = b;
            if (c->i < c->len && c->s[c->i] == sep) {
                c->i++;
                if (!read_num(c, &e))
                    return false;
                *d = e;
            }
        }
        return valid_ymd(*y, *m, *d);
    }
    if (na >= 1 && na <= 2) {
        if (c->i < c->len && (c->s[c->i] == '/' || c->s[c->i] == '.' || c->s[c->i] == '-')) {
            /* 08/01/1984 (day first, as on OFSI and UN lists) or 01/1984 */
            char sep = c->s[c->i++];
            if (!read_num(c, &b))
                return false;
            if (c->i < c->len && c->s[c->i] == sep) {
                c->i++;
                if (read_num(c, &e) != 4)
                    return false;
                *y = e; *m = b; *d = a;
            } else {
                *y = b; *m = a; *d = 0;
            }
            return valid_ymd(*y, *m, *d);
        }
        /* 08 Jan 1984 */
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
    int mon = read_month_name(c); /* Jan 1984 */
    if (!mon)
        return false;
    skip_space(c);
    if (read_num(c, &e) != 4)
        return false;
    *y = e; *m = mon; *d = 0;
    return valid_ymd(*y, *m, *d);
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
        read_word(&c, "approximately") || read_word(&c, "approx.") || read_word(&c, "about"))
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
        if (read_word(&c, "to") || read_word(&c, "and") || (c.s[c.i] == '-' && ++c.i)) {
            int y2, m2, d2;
            if (!read_single(&c, &y2, &m2, &d2) || y2 < y)
                return CORDON_EDATE;
            out->flags |= CORDON_DATE_RANGE;
            out->year_to = (int16_t)y2;
            if (y2 != y || m2 != m || d2 != d) {
                out->month = 0; /* a range keeps year precision only */
                out->day = 0;
            }
        } else if (between) {
            return CORDON_EDATE;
        }
    }
    skip_space(&c);
    if (c.i != c.len)
        return CORDON_EDATE;
    if (out->flags & CORDON_DATE_RANGE && out->year_to == out->year) {
        out->flags &= (uint16_t)~CORDON_DATE_RANGE;
        out->year_to = 0;
    }
    return 0;
}
