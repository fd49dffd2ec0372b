/*
 * file.c — whole-file reads with a size ceiling, gzip inflation, and
 * content hashing. List files are small enough (tens of MB) to read whole,
 * which keeps every parser a pure function of a byte buffer.
 */
#include "cordon_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>
#include <zlib.h>

const char *cordon__basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int cordon__read_file(const char *path, char **out, size_t *len,
                      cordon_error *err)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return cordon__fail(err, CORDON_EIO, path, 0, 0, "cannot open: %s",
                            strerror(errno));
    cordon__buf b = {0};
    int rc = 0;
    /* Size the buffer once for regular files; pipes and /proc files grow. */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
        if ((uintmax_t)st.st_size > CORDON__MAX_FILE_BYTES)
            rc = cordon__fail(err, CORDON_ETOOBIG, path, 0, 0,
                              "file is larger than the %zu MiB limit",
                              CORDON__MAX_FILE_BYTES >> 20);
        else if (cordon__buf_reserve(&b, (size_t)st.st_size + 1))
            rc = cordon__fail(err, CORDON_ENOMEM, path, 0, 0, "out of memory reading file");
    }
    while (!rc) {
        if (b.cap - b.len < 2 && cordon__buf_reserve(&b, 65536)) {
            rc = cordon__fail(err, CORDON_ENOMEM, path, 0, 0, "out of memory reading file");
            break;
        }
        size_t room = b.cap - b.len - 1;
        if (b.len + room > CORDON__MAX_FILE_BYTES + 1)
            room = CORDON__MAX_FILE_BYTES + 1 - b.len;
        size_t n = fread(b.data + b.len, 1, room, f);
        b.len += n;
        if (b.len > CORDON__MAX_FILE_BYTES) {
            rc = cordon__fail(err, CORDON_ETOOBIG, path, 0, 0,
                              "file is larger than the %zu MiB limit",
                              CORDON__MAX_FILE_BYTES >> 20);
            break;
        }
        if (n < room)
            break; /* end of file or error, told apart below */
    }
    if (!rc && ferror(f))
        rc = cordon__fail(err, CORDON_EIO, path, 0, 0, "read error: %s", strerror(errno));
    fclose(f);
    if (!rc && cordon__buf_terminate(&b))
        rc = cordon__fail(err, CORDON_ENOMEM, path, 0, 0, "out of memory reading file");
    if (rc) {
        cordon__buf_free(&b);
        return rc;
    }
    *out = b.data;
    *len = b.len;
    return 0;
}

static int inflate_gzip(const char *path, const char *in, size_t in_len,
                        cordon__buf *out, cordon_error *err)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        return cordon__fail(err, CORDON_ENOMEM, path, 0, 0, "cannot start gzip decoder");
    zs.next_in = (Bytef *)(uintptr_t)in;
    zs.avail_in = (uInt)(in_len > UINT32_MAX ? UINT32_MAX : in_len);
    int rc = 0;
    for (;;) {
        if (cordon__buf_reserve(out, 1 << 16)) {
            rc = cordon__fail(err, CORDON_ENOMEM, path, 0, 0, "out of memory inflating gzip");
            break;
        }
        zs.next_out = (Bytef *)out->data + out->len;
        zs.avail_out = (uInt)(out->cap - out->len - 1);
        size_t before = zs.avail_out;
        int z = inflate(&zs, Z_NO_FLUSH);
        out->len += before - zs.avail_out;
        if (out->len > CORDON__MAX_FILE_BYTES) {
            rc = cordon__fail(err, CORDON_ETOOBIG, path, 0, 0,
                              "gzip content exceeds the %zu MiB limit",
                              CORDON__MAX_FILE_BYTES >> 20);
            break;
        }
        if (z == Z_STREAM_END) {
            /* gzip allows several members one after another (as `cat
             * a.gz b.gz` makes); anything else after the end is damage. */
            if (zs.avail_in == 0)
                break;
            if (zs.avail_in >= 2 && zs.next_in[0] == 0x1f && zs.next_in[1] == 0x8b) {
                if (inflateReset(&zs) != Z_OK) {
                    rc = cordon__fail(err, CORDON_EFORMAT, path, 0, 0, "cannot restart gzip decoder");
                    break;
                }
                continue;
            }
            rc = cordon__fail(err, CORDON_EFORMAT, path, 0, 0,
                              "%u bytes of trailing garbage after the gzip data",
                              (unsigned)zs.avail_in);
            break;
        }
        if (z != Z_OK) {
            rc = cordon__fail(err, CORDON_EFORMAT, path, 0, 0,
                              "corrupt gzip data at compressed byte %lu: %s",
                              (unsigned long)zs.total_in, zs.msg ? zs.msg : "truncated");
            break;
        }
        if (zs.avail_in == 0 && zs.avail_out != 0) {
            rc = cordon__fail(err, CORDON_EFORMAT, path, 0, 0,
                              "gzip data is truncated after %lu bytes",
                              (unsigned long)zs.total_in);
            break;
        }
    }
    inflateEnd(&zs);
    if (!rc)
        rc = cordon__buf_terminate(out);
    return rc;
}

int cordon__read_file_gz(const char *path, char **out, size_t *len,
                         cordon_error *err)
{
    *out = NULL;
    *len = 0;
    char *raw;
    size_t raw_len;
    int rc = cordon__read_file(path, &raw, &raw_len, err);
    if (rc)
        return rc;
    if (raw_len < 2 || (unsigned char)raw[0] != 0x1f || (unsigned char)raw[1] != 0x8b) {
        *out = raw;
        *len = raw_len;
        return 0;
    }
    cordon__buf b = {0};
    rc = inflate_gzip(path, raw, raw_len, &b, err);
    free(raw);
    if (rc) {
        cordon__buf_free(&b);
        return rc;
    }
    *out = b.data;
    *len = b.len;
    return 0;
}

void cordon__sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[32];
    unsigned int md_len = 0;
    EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL);
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    out[64] = '\0';
}
