/*
 * batch_progress.c — the one-line progress display of `cordon batch` on
 * stderr: rows done, rows per second, matches so far and, when the
 * input size is known, a bar and an ETA. It redraws in place with a
 * carriage return, at most ten times a second, and only when asked to
 * (stderr is a terminal and --quiet was not given), so logs and pipes
 * never get control characters.
 */
#include "batch.h"

#include <time.h>

double batch_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void batch_progress_start(batch_progress *p, bool enabled, uint64_t total_bytes)
{
    p->enabled = enabled;
    p->total_bytes = total_bytes;
    p->start = p->last = batch_now();
    p->drawn = false;
}

static void clock_text(char *buf, size_t size, double seconds)
{
    if (seconds < 0)
        seconds = 0;
    unsigned long s = (unsigned long)(seconds + 0.5);
    if (s >= 3600)
        snprintf(buf, size, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, size, "%lu:%02lu", s / 60, s % 60);
}

void batch_progress_update(batch_progress *p, unsigned long rows, unsigned long matches,
                           uint64_t bytes_done, bool force)
{
    if (!p->enabled)
        return;
    double now = batch_now();
    if (!force && now - p->last < 0.1)
        return;
    p->last = now;
    double elapsed = now - p->start;
    double rate = elapsed > 0 ? (double)rows / elapsed : 0;
    char line[256];
    int n = 0;
    if (p->total_bytes) {
        double frac = (double)bytes_done / (double)p->total_bytes;
        if (frac > 1)
            frac = 1;
        char bar[21];
        int fill = (int)(frac * 20);
        for (int i = 0; i < 20; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[20] = '\0';
        char eta[32] = "--:--";
        if (frac > 0.001)
            clock_text(eta, sizeof eta, elapsed / frac - elapsed);
        n = snprintf(line, sizeof line, "[%s] %3d%%  %lu rows  %.0f rows/s  ETA %s  matches %lu",
                     bar, (int)(frac * 100), rows, rate, eta, matches);
    } else {
        n = snprintf(line, sizeof line, "%lu rows  %.0f rows/s  matches %lu", rows, rate,
                     matches);
    }
    (void)n;
    /* \033[K clears what a longer previous line left */
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
    p->drawn = true;
}

void batch_progress_end(batch_progress *p)
{
    if (p->enabled && p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    p->drawn = false;
}
