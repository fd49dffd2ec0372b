/*
 * timestamp.c — the store's clock: Unix milliseconds in UTC, written as
 * ISO 8601 ("2025-06-01T14:30:05.250Z") and read back from the forms
 * people type after `--since` (a date, a date-time, or an age such as
 * "7d"). Civil dates are converted with days_from_civil arithmetic, not
 * timegm, so the result never depends on the TZ environment.
 */
#include "cordon_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t cordon_time_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

char *cordon_time_format(int64_t ms, char buf[32])
{
    int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    int frac = (int)(ms - secs * 1000);
    int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    int64_t rem = secs - days * 86400;
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    char t[80];
    snprintf(t, sizeof t, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", y, m, d, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60), frac);
    snprintf(buf, 32, "%.31s", t);
    return buf;
}

/* Reads exactly n digits at s[*i]. */
static bool digits(const char *s, size_t len, size_t *i, int n, int *out)
{
    int v = 0;
    for (int k = 0; k < n; k++, (*i)++) {
        if (*i >= len || !isdigit((unsigned char)s[*i]))
            return false;
        v = v * 10 + (s[*i] - '0');
    }
    *out = v;
    return true;
}

static int parse_age(const char *s, size_t len, int64_t now_ms, int64_t *out)
{
    size_t i = 0;
    int64_t v = 0;
    while (i < len && isdigit((unsigned char)s[i])) {
        if (v > (int64_t)1 << 40)
            return CORDON_EFORMAT;
        v = v * 10 + (s[i++] - '0');
    }
    if (i == 0 || i + 1 != len)
        return CORDON_EFORMAT;
    int64_t unit;
    switch (s[i]) {
    case 's': unit = 1000; break;
    case 'm': unit = 60 * 1000; break;
    case 'h': unit = 3600 * 1000; break;
    case 'd': unit = 86400 * 1000; break;
    default: return CORDON_EFORMAT;
    }
    *out = now_ms - v * unit;
    return 0;
}

int cordon_time_parse(const char *s, size_t len, int64_t now_ms, int64_t *out_ms)
{
    if (!s || !out_ms)
        return CORDON_EINVAL;
    len = cordon__trim(&s, len);
    if (len == 0)
        return CORDON_EFORMAT;
    if (len < 10 || s[4] != '-')
        return parse_age(s, len, now_ms, out_ms);
    size_t i = 0;
    int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
    if (!digits(s, len, &i, 4, &y) || s[i++] != '-' || !digits(s, len, &i, 2, &mo) ||
        i >= len || s[i++] != '-' || !digits(s, len, &i, 2, &d))
        return CORDON_EFORMAT;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
        (mo == 2 && d == 29 && !leap))
        return CORDON_EFORMAT;
    if (i < len) {
        if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
            return CORDON_EFORMAT;
        i++;
        if (!digits(s, len, &i, 2, &h) || i >= len || s[i++] != ':' ||
            !digits(s, len, &i, 2, &mi))
            return CORDON_EFORMAT;
        if (i < len && s[i] == ':') {
            i++;
            if (!digits(s, len, &i, 2, &sec))
                return CORDON_EFORMAT;
            if (i < len && s[i] == '.') {
                i++;
                size_t start = i;
                int scale = 100;
                while (i < len && isdigit((unsigned char)s[i])) {
                    ms += (s[i] - '0') * scale;
                    scale /= 10;
                    i++;
                }
                if (i == start)
                    return CORDON_EFORMAT;
            }
        }
        if (i < len && (s[i] == 'Z' || s[i] == 'z'))
            i++;
        if (i != len || h > 23 || mi > 59 || sec > 59)
            return CORDON_EFORMAT;
    }
    int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    *out_ms = ((days * 86400 + h * 3600 + mi * 60 + sec) * 1000) + ms;
    return 0;
}
