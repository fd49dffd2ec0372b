/*
 * test_dataset.c — the foundation under every parser: the arena, buffers
 * and vectors (memory.c), the string map (strmap.c), UTF-8 and the
 * Windows-1252 fallback (utf8.c), whole-file and gzip reads (file.c), the
 * entity builder (dataset.c, through a loader made by hand), and the
 * loader's public contract: all or nothing, unique source names, content
 * hashes, and lookups, on the real UN and OFAC XML files.
 */
#include "test_util.h"

#include "cordon_int.h"

#include <time.h>
#include <zlib.h>

/* ---- memory.c ------------------------------------------------------ */

static void test_arena(void **state)
{
    (void)state;
    cordon__arena a;
    cordon__arena_init(&a);
    assert_null(a.head);
    char *prev = NULL;
    for (int i = 0; i < 10000; i++) {
        char *p = cordon__arena_alloc(&a, (size_t)(i % 37) + 1);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        memset(p, 0x5A, (size_t)(i % 37) + 1); /* ASan checks the bounds */
        assert_true(p != prev);
        prev = p;
    }
    /* A big request gets its own block; small ones keep filling the
     * current block, so the next small one lands right after the last. */
    char *small1 = cordon__arena_alloc(&a, 16);
    char *big = cordon__arena_alloc(&a, 1 << 20);
    char *small2 = cordon__arena_alloc(&a, 16);
    assert_non_null(big);
    memset(big, 1, 1 << 20);
    if (small2 != small1 + 16) {
        /* unless the current block was full: then small2 opens a block */
        assert_true(small2 < big || small2 >= big + (1 << 20));
    }
    size_t total = a.total;
    assert_true(total >= (1 << 20) + 10000);
    /* Zero bytes still give a distinct, aligned pointer. */
    char *z1 = cordon__arena_alloc(&a, 0), *z2 = cordon__arena_alloc(&a, 0);
    assert_non_null(z1);
    assert_true(z1 != z2);
    /* Impossible sizes fail instead of wrapping around. */
    assert_null(cordon__arena_alloc(&a, SIZE_MAX));
    assert_null(cordon__arena_alloc(&a, SIZE_MAX - 8));
    assert_null(cordon__arena_strndup(&a, "x", SIZE_MAX));
    char *s = cordon__arena_strndup(&a, "hello world", 5);
    assert_string_equal(s, "hello");
    s = cordon__arena_strndup(&a, NULL, 0);
    assert_string_equal(s, "");
    cordon__arena_free(&a);
    assert_null(a.head);
    assert_int_equal(a.total, 0);
    cordon__arena_free(&a); /* twice is harmless */
    cordon__arena_free(NULL);
}

static void test_buf_and_vec(void **state)
{
    (void)state;
    cordon__buf b = {0};
    assert_int_equal(cordon__buf_terminate(&b), 0);
    assert_string_equal(b.data, "");
    assert_int_equal(b.len, 0);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(cordon__buf_putc(&b, (char)('a' + i % 26)), 0);
    assert_int_equal(b.len, 1000);
    assert_int_equal(b.data[1000], '\0');
    assert_int_equal(cordon__buf_printf(&b, "|%d|%s|", 42, "x"), 0);
    assert_string_equal(b.data + 1000, "|42|x|");
    assert_int_equal(cordon__buf_append(&b, "", 0), 0);
    assert_int_equal(b.len, 1006);
    assert_int_equal(cordon__buf_reserve(&b, SIZE_MAX), CORDON_ENOMEM);
    assert_int_equal(cordon__buf_reserve(&b, SIZE_MAX - b.len - 1), CORDON_ENOMEM);
    assert_int_equal(b.len, 1006); /* a failed reserve changes nothing */
    cordon__buf_free(&b);
    assert_null(b.data);
    cordon__buf_free(NULL);

    cordon__vec v = {0};
    for (int i = 0; i < 1000; i++) {
        int *p = cordon__vec_push(&v, sizeof(int) * 3);
        assert_non_null(p);
        assert_int_equal(p[0] | p[1] | p[2], 0); /* zeroed */
        p[0] = i;
    }
    assert_int_equal(v.count, 1000);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(((int *)v.items)[i * 3], i);
    assert_null(cordon__vec_push(&v, 0));
    cordon__vec_free(&v);
    assert_int_equal(v.count, 0);
    /* An item size whose doubling overflows fails cleanly. */
    cordon__vec big = {0};
    assert_null(cordon__vec_push(&big, SIZE_MAX / 2));
    cordon__vec_free(&big);
    cordon__vec_free(NULL);
}

/* ---- strmap.c ------------------------------------------------------ */

static void test_strmap(void **state)
{
    (void)state;
    enum { N = 20000 };
    static char keys[N][16];
    cordon__strmap m = {0};
    assert_null(cordon__strmap_get(&m, "x", 1)); /* empty map */
    for (int i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        assert_int_equal(cordon__strmap_put(&m, keys[i], strlen(keys[i]), &keys[i]), 0);
    }
    assert_int_equal(m.count, N);
    assert_true(m.cap >= N + N / 3);
    for (int i = 0; i < N; i++)
        assert_ptr_equal(cordon__strmap_get(&m, keys[i], strlen(keys[i])), &keys[i]);
    /* Lookups use (key, len): a prefix is a different key. */
    assert_null(cordon__strmap_get(&m, "k1", 1));
    assert_ptr_equal(cordon__strmap_get(&m, "k12345678", 3), &keys[12]);
    assert_null(cordon__strmap_get(&m, "nope", 4));
    /* Putting an existing key replaces its value. */
    int marker;
    assert_int_equal(cordon__strmap_put(&m, "k7", 2, &marker), 0);
    assert_int_equal(m.count, N);
    assert_ptr_equal(cordon__strmap_get(&m, "k7", 2), &marker);
    /* The empty string is a key like any other; NULL is not. */
    assert_int_equal(cordon__strmap_put(&m, "", 0, &marker), 0);
    assert_ptr_equal(cordon__strmap_get(&m, "", 0), &marker);
    assert_int_equal(cordon__strmap_put(&m, NULL, 0, &marker), CORDON_EINVAL);
    /* Keys may hold any bytes. */
    assert_int_equal(cordon__strmap_put(&m, "a\0b", 3, keys[0]), 0);
    assert_ptr_equal(cordon__strmap_get(&m, "a\0b", 3), keys[0]);
    assert_null(cordon__strmap_get(&m, "a\0c", 3));
    cordon__strmap_free(&m);
    assert_int_equal(m.cap, 0);
    assert_null(cordon__strmap_get(&m, "k1", 2));

    /* After reserve(n), n puts do not grow the table. */
    assert_int_equal(cordon__strmap_reserve(&m, 1000), 0);
    size_t cap = m.cap;
    for (int i = 0; i < 1000; i++)
        assert_int_equal(cordon__strmap_put(&m, keys[i], strlen(keys[i]), NULL), 0);
    assert_int_equal(m.cap, cap);
    assert_int_equal(cordon__strmap_reserve(&m, SIZE_MAX), CORDON_ENOMEM);
    cordon__strmap_free(&m);
    cordon__strmap_free(NULL);
    assert_true(cordon__hash("abc", 3) != cordon__hash("abd", 3));
    assert_true(cordon__hash("", 0) == cordon__hash("x", 0));
}

/* ---- utf8.c -------------------------------------------------------- */

static void test_utf8_validation(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t len, valid;
    } cases[] = {
        {"plain ascii", 11, 11},
        {"caf\xc3\xa9", 5, 5},
        {"\xe2\x82\xac", 3, 3},             /* € */
        {"\xf0\x9f\x98\x80", 4, 4},         /* U+1F600 */
        {"\xf4\x8f\xbf\xbf", 4, 4},         /* U+10FFFF */
        {"\xef\xbb\xbfx", 4, 4},            /* BOM is valid text */
        {"ab\xc0\x80", 4, 2},               /* overlong NUL */
        {"ab\xc1\xbf", 4, 2},               /* overlong */
        {"\xe0\x80\x80", 3, 0},             /* overlong 3-byte */
        {"\xf0\x80\x80\x80", 4, 0},         /* overlong 4-byte */
        {"x\xed\xa0\x80", 4, 1},            /* surrogate D800 */
        {"x\xed\xbf\xbf", 4, 1},            /* surrogate DFFF */
        {"\xf4\x90\x80\x80", 4, 0},         /* above U+10FFFF */
        {"\xf5\x80\x80\x80", 4, 0},
        {"\xff", 1, 0},
        {"abc\x80", 4, 3},                  /* lone continuation */
        {"abc\xc3", 4, 3},                  /* truncated */
        {"abc\xe2\x82", 5, 3},
        {"\xe2\x82x", 3, 0},
        {"a\0b", 3, 3},                     /* NUL is valid UTF-8 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t got = cordon__utf8_valid_prefix(cases[i].s, cases[i].len);
        if (got != cases[i].valid)
            fail_msg("case %zu: valid prefix %zu, expected %zu", i, got, cases[i].valid);
        assert_int_equal(cordon__utf8_valid(cases[i].s, cases[i].len),
                         cases[i].valid == cases[i].len);
    }
    assert_true(cordon__utf8_valid("", 0));
}

static void test_utf8_codec(void **state)
{
    (void)state;
    static const uint32_t cps[] = {0, 0x41, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000,
                                   0xFFFD, 0xFFFF, 0x10000, 0x10FFFF};
    cordon__buf b = {0};
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++)
        assert_int_equal(cordon__utf8_encode(&b, cps[i]), 0);
    assert_int_equal(b.len, 1 + 1 + 1 + 2 + 2 + 3 + 3 + 3 + 3 + 3 + 4 + 4);
    assert_true(cordon__utf8_valid(b.data, b.len));
    size_t pos = 0;
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++)
        assert_int_equal(cordon__utf8_decode(b.data, b.len, &pos), (int32_t)cps[i]);
    assert_int_equal(pos, b.len);
    assert_int_equal(cordon__utf8_decode(b.data, b.len, &pos), -1); /* at the end */
    cordon__buf_free(&b);
    size_t i = 0;
    assert_int_equal(cordon__utf8_decode("\xc3", 1, &i), -1);
    assert_int_equal(i, 0); /* unmoved on error */
}

static void test_cp1252_fallback(void **state)
{
    (void)state;
    cordon__buf b = {0};
    size_t converted = 0;
    /* OFAC's legacy CSV: Latin-1 letters and Windows-1252 punctuation. */
    const char in[] = "JOS\xc9 MAR\xcd" "A \x93" "caf\xe9\x94 \x80 \x81 caf\xc3\xa9 \x9f";
    assert_int_equal(cordon__append_utf8_or_cp1252(&b, in, sizeof in - 1, &converted), 0);
    assert_string_equal(b.data, "JOS\xc3\x89 MAR\xc3\x8d" "A \xe2\x80\x9c" "caf\xc3\xa9\xe2\x80\x9d "
                                "\xe2\x82\xac \xef\xbf\xbd caf\xc3\xa9 \xc5\xb8");
    assert_int_equal(converted, 8);
    assert_true(cordon__utf8_valid(b.data, b.len));
    /* Two Windows-1252 bytes that happen to form valid UTF-8 stay UTF-8:
     * "\xc9\x94" (É”) reads as U+0254. The fallback cannot tell. */
    b.len = 0;
    converted = 0;
    assert_int_equal(cordon__append_utf8_or_cp1252(&b, "CAF\xc9\x94", 5, &converted), 0);
    assert_string_equal(b.data, "CAF\xc9\x94");
    assert_int_equal(converted, 0);
    /* Valid UTF-8 passes through untouched, and counts nothing. */
    b.len = 0;
    converted = 0;
    assert_int_equal(cordon__append_utf8_or_cp1252(&b, "\xd0\x9f\xd1\x83\xd1\x82\xd0\xb8\xd0\xbd", 10,
                                                   &converted),
                     0);
    assert_int_equal(b.len, 10);
    assert_int_equal(converted, 0);
    /* A truncated sequence at the end is converted byte by byte. */
    b.len = 0;
    assert_int_equal(cordon__append_utf8_or_cp1252(&b, "x\xc3", 2, NULL), 0);
    assert_string_equal(b.data, "x\xc3\x83");
    cordon__buf_free(&b);
}

static void test_text_helpers(void **state)
{
    (void)state;
    const char *s = " \t\r\n abc def \r\n";
    size_t n = cordon__trim(&s, strlen(s));
    assert_int_equal(n, 7);
    assert_memory_equal(s, "abc def", 7);
    s = "   ";
    assert_int_equal(cordon__trim(&s, 3), 0);
    assert_true(cordon__ieq("OFAC_csv", 8, "ofac_CSV"));
    assert_false(cordon__ieq("ofac", 4, "ofac_csv"));
    assert_false(cordon__ieq("ofac_csvx", 8, "ofac_cs"));
    assert_string_equal(cordon__basename("a/b/c.csv"), "c.csv");
    assert_string_equal(cordon__basename("c.csv"), "c.csv");
    assert_string_equal(cordon__basename("dir/"), "");
    char hex[65];
    cordon__sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    cordon__sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* ---- file.c -------------------------------------------------------- */

static char *gzip_bytes(const char *data, size_t len, size_t *out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&zs, (uLong)len) + 64;
    char *out = malloc(cap);
    assert_non_null(out);
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)len;
    zs.next_out = (Bytef *)out;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *out_len = zs.total_out;
    deflateEnd(&zs);
    return out;
}

static void test_read_file(void **state)
{
    (void)state;
    char *data;
    size_t len;
    cordon_error err;
    assert_int_equal(cordon__read_file("no/such/file.csv", &data, &len, &err), CORDON_EIO);
    assert_null(data);
    assert_string_equal(err.file, "no/such/file.csv");
    assert_string_equal(err.message, "cannot open: No such file or directory");
    assert_int_equal(cordon__read_file("data/lists", &data, &len, &err), CORDON_EIO);
    assert_null(data);
    /* Empty file: an empty, terminated buffer. */
    char *path = test_write_temp("", 0, NULL);
    assert_int_equal(cordon__read_file(path, &data, &len, &err), 0);
    assert_int_equal(len, 0);
    assert_string_equal(data, "");
    free(data);
    unlink(path);
    free(path);
    /* A real list, byte for byte (SHA-256 from data/README's sources). */
    assert_int_equal(cordon__read_file("data/lists/un_sc/2026-02-27/UN_consolidated.xml", &data,
                                       &len, &err),
                     0);
    assert_int_equal(data[len], '\0');
    char hex[65];
    cordon__sha256_hex(data, len, hex);
    assert_string_equal(hex, "66b392a4090868d2d39161e8d748efd39138377b0e6e60b7921aa67a4f99c8bf");
    free(data);
    /* Non-regular files (a pipe via /proc) are read to their end too. */
    FILE *p = popen("printf 'line1\\nline2\\n'", "r");
    assert_non_null(p);
    char fdpath[64];
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fileno(p));
    assert_int_equal(cordon__read_file(fdpath, &data, &len, &err), 0);
    assert_int_equal(len, 12);
    assert_string_equal(data, "line1\nline2\n");
    free(data);
    pclose(p);
}

static void test_read_gzip(void **state)
{
    (void)state;
    char *data;
    size_t len;
    cordon_error err;
    /* The real US CSL file: 5,829,294 bytes, 14,166 lines inflated. */
    assert_int_equal(cordon__read_file_gz("data/lists/us_csl/csl_2022-04/consolidated.csv.gz", &data,
                                          &len, &err),
                     0);
    assert_int_equal(len, 5829294);
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += data[i] == '\n';
    assert_int_equal(lines, 14166);
    assert_int_equal(data[len], '\0');
    char hex[65];
    cordon__sha256_hex(data, len, hex);
    assert_string_equal(hex, "80e780b91b7b50e193c0077b17d75ec6f6dbd8223ae0bd54b343d297db5e767f");
    free(data);

    /* A plain file through the gzip reader comes back as it is. */
    char *path = test_write_temp("plain,csv\n", 10, NULL);
    assert_int_equal(cordon__read_file_gz(path, &data, &len, &err), 0);
    assert_int_equal(len, 10);
    assert_string_equal(data, "plain,csv\n");
    free(data);
    unlink(path);
    free(path);

    /* Two members one after the other, as `cat a.gz b.gz` makes. */
    size_t l1, l2;
    char *g1 = gzip_bytes("first,", 6, &l1);
    char *g2 = gzip_bytes("second\n", 7, &l2);
    char *both = malloc(l1 + l2 + 8);
    assert_non_null(both);
    memcpy(both, g1, l1);
    memcpy(both + l1, g2, l2);
    path = test_write_temp(both, l1 + l2, ".gz");
    assert_int_equal(cordon__read_file_gz(path, &data, &len, &err), 0);
    assert_string_equal(data, "first,second\n");
    free(data);
    unlink(path);
    free(path);
    /* Trailing garbage after the last member is damage. */
    memcpy(both + l1, "JUNK", 4);
    path = test_write_temp(both, l1 + 4, ".gz");
    assert_int_equal(cordon__read_file_gz(path, &data, &len, &err), CORDON_EFORMAT);
    assert_null(data);
    assert_string_equal(err.message, "4 bytes of trailing garbage after the gzip data");
    unlink(path);
    free(path);
    free(g1);
    free(g2);
    free(both);
}

static void test_truncated_gzip(void **state)
{
    (void)state;
    char *raw;
    size_t raw_len;
    cordon_error err;
    assert_int_equal(cordon__read_file("data/lists/us_csl/csl_2022-04/consolidated.csv.gz", &raw,
                                       &raw_len, &err),
                     0);
    assert_int_equal(raw_len, 1386578);
    /* Cut short anywhere: an error naming the file, never partial data. */
    static const size_t cuts[] = {2, 10, 11, 100, 700000, 1386578 - 8, 1386578 - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        char *path = test_write_temp(raw, cuts[i], ".gz");
        char *data = (char *)1;
        size_t len = 99;
        int rc = cordon__read_file_gz(path, &data, &len, &err);
        if (rc != CORDON_EFORMAT)
            fail_msg("cut at %zu: %s", cuts[i], cordon_code_name(rc));
        assert_null(data);
        assert_string_equal(err.file, path);
        assert_true(strstr(err.message, "truncated") || strstr(err.message, "corrupt"));
        unlink(path);
        free(path);
    }
    /* A flipped byte in the deflate data is corruption. */
    raw[5000] ^= 0x55;
    char *path = test_write_temp(raw, raw_len, ".gz");
    char *data;
    size_t len;
    assert_int_equal(cordon__read_file_gz(path, &data, &len, &err), CORDON_EFORMAT);
    assert_non_null(strstr(err.message, "corrupt gzip data"));
    unlink(path);
    free(path);
    free(raw);
}

/* ---- the entity builder, through a loader made by hand -------------- */

typedef struct {
    cordon__arena arena;
    cordon_source_spec spec;
    cordon_error err;
    cordon__loader ld;
} hand_loader;

static void hand_init(hand_loader *h)
{
    memset(h, 0, sizeof *h);
    cordon__arena_init(&h->arena);
    h->spec.name = "t";
    h->spec.format = CORDON_FORMAT_OFAC_CSV;
    h->spec.files[0] = "dir/x.csv";
    h->spec.n_files = 1;
    h->ld.spec = &h->spec;
    h->ld.file = "dir/x.csv";
    h->ld.err = &h->err;
    h->ld.arena = &h->arena;
}

static void hand_free(hand_loader *h)
{
    cordon__loader_discard(&h->ld);
    cordon__arena_free(&h->arena);
}

#define S(lit) lit, sizeof(lit) - 1

static void test_builder_ids(void **state)
{
    (void)state;
    hand_loader h;
    hand_init(&h);
    cordon__loader *ld = &h.ld;
    cordon__entity_b *e;
    assert_int_equal(cordon__entity_begin(ld, S(" 35096 "), CORDON_SCHEMA_PERSON, 7, &e), 0);
    const cordon_entity *p = cordon__entity_peek(e);
    assert_string_equal(p->id, "t:35096");
    assert_string_equal(p->native_id, "35096");
    assert_int_equal(p->schema, CORDON_SCHEMA_PERSON);
    assert_string_equal(p->origin_file, "x.csv");
    assert_int_equal(p->origin_line, 7);
    assert_ptr_equal(cordon__entity_lookup(ld, S("35096")), e);
    assert_ptr_equal(cordon__entity_lookup(ld, S("  35096\r")), e);
    assert_null(cordon__entity_lookup(ld, S("3509")));
    cordon__entity_set_schema(e, CORDON_SCHEMA_COUNT_); /* ignored */
    assert_int_equal(cordon__entity_schema(e), CORDON_SCHEMA_PERSON);
    cordon__entity_set_schema(e, CORDON_SCHEMA_VESSEL);
    assert_int_equal(cordon__entity_schema(e), CORDON_SCHEMA_VESSEL);

    cordon__entity_b *e2 = (cordon__entity_b *)1;
    assert_int_equal(cordon__entity_begin(ld, S("35096"), CORDON_SCHEMA_PERSON, 9, &e2),
                     CORDON_EFORMAT);
    assert_null(e2);
    char buf[1200];
    assert_string_equal(cordon_error_format(&h.err, buf, sizeof buf),
                        "dir/x.csv:9: duplicate record id \"35096\"");
    assert_int_equal(cordon__entity_begin(ld, S("   "), CORDON_SCHEMA_PERSON, 10, &e2),
                     CORDON_EFORMAT);
    assert_string_equal(h.err.message, "record has an empty id");
    assert_int_equal(cordon__entity_begin(ld, S("x"), (cordon_schema)99, 11, &e2), CORDON_EINVAL);
    assert_int_equal(ld->entities.count, 1);
    hand_free(&h);
}

static void test_builder_names(void **state)
{
    (void)state;
    hand_loader h;
    hand_init(&h);
    cordon__loader *ld = &h.ld;
    cordon__entity_b *e;
    assert_int_equal(cordon__entity_begin(ld, S("1"), CORDON_SCHEMA_PERSON, 1, &e), 0);
    assert_int_equal(cordon__entity_add_name(ld, e, S("  Alias A "), CORDON_NAME_WEAK), 0);
    assert_int_equal(cordon__entity_add_name(ld, e, S("PUTIN, Vladimir"), CORDON_NAME_PRIMARY), 0);
    assert_int_equal(cordon__entity_add_name(ld, e, S("   "), CORDON_NAME_STRONG), 0); /* ignored */
    assert_int_equal(cordon__entity_add_name(ld, e, NULL, 0, CORDON_NAME_STRONG), 0);
    const cordon_entity *p = cordon__entity_peek(e);
    assert_int_equal(p->n_names, 2);
    assert_string_equal(p->names[0].value, "PUTIN, Vladimir");
    assert_int_equal(p->names[0].kind, CORDON_NAME_PRIMARY);
    assert_string_equal(p->names[1].value, "Alias A");
    assert_int_equal(p->names[1].kind, CORDON_NAME_WEAK);
    /* The same name again keeps the stronger tie. */
    assert_int_equal(cordon__entity_add_name(ld, e, S("Alias A"), CORDON_NAME_STRONG), 0);
    assert_int_equal(cordon__entity_add_name(ld, e, S("PUTIN, Vladimir"), CORDON_NAME_WEAK), 0);
    p = cordon__entity_peek(e);
    assert_int_equal(p->n_names, 2);
    assert_int_equal(p->names[0].kind, CORDON_NAME_PRIMARY);
    assert_int_equal(p->names[1].kind, CORDON_NAME_STRONG);
    /* A second primary name is a strong alias: one primary, first. */
    assert_int_equal(cordon__entity_add_name(ld, e, S("Second Primary"), CORDON_NAME_PRIMARY), 0);
    assert_int_equal(cordon__entity_add_name(ld, e, S("Alias A"), CORDON_NAME_PRIMARY), 0);
    assert_int_equal(cordon__entity_add_name(ld, e, S("Former"), CORDON_NAME_FORMER), 0);
    p = cordon__entity_peek(e);
    assert_int_equal(p->n_names, 4);
    assert_string_equal(p->names[0].value, "PUTIN, Vladimir");
    assert_int_equal(p->names[0].kind, CORDON_NAME_PRIMARY);
    assert_int_equal(p->names[1].kind, CORDON_NAME_STRONG);
    assert_string_equal(p->names[2].value, "Second Primary");
    assert_int_equal(p->names[2].kind, CORDON_NAME_STRONG);
    assert_int_equal(p->names[3].kind, CORDON_NAME_FORMER);

    /* An alias that later turns out to be the primary name moves first. */
    cordon__entity_b *e2;
    assert_int_equal(cordon__entity_begin(ld, S("2"), CORDON_SCHEMA_ORGANIZATION, 2, &e2), 0);
    assert_int_equal(cordon__entity_add_name(ld, e2, S("X"), CORDON_NAME_STRONG), 0);
    assert_int_equal(cordon__entity_add_name(ld, e2, S("Y"), CORDON_NAME_WEAK), 0);
    assert_int_equal(cordon__entity_add_name(ld, e2, S("Y"), CORDON_NAME_PRIMARY), 0);
    p = cordon__entity_peek(e2);
    assert_string_equal(p->names[0].value, "Y");
    assert_int_equal(p->names[0].kind, CORDON_NAME_PRIMARY);
    assert_string_equal(p->names[1].value, "X");
    assert_int_equal(p->names[1].kind, CORDON_NAME_STRONG);

    /* Bad text fails with the file and what is wrong. */
    assert_int_equal(cordon__entity_add_name(ld, e2, S("abc\xff" "def"), CORDON_NAME_WEAK),
                     CORDON_EUTF8);
    char buf[1200];
    assert_string_equal(cordon_error_format(&h.err, buf, sizeof buf),
                        "dir/x.csv: invalid UTF-8 at byte 4 of field \"abc\"");
    assert_int_equal(cordon__entity_add_name(ld, e2, S("caf\xc3\xa9 \xc3"), CORDON_NAME_WEAK),
                     CORDON_EUTF8);
    assert_string_equal(h.err.message, "invalid UTF-8 at byte 7 of field \"caf\xc3\xa9 \"");
    assert_int_equal(cordon__entity_add_name(ld, e2, S("a\0b"), CORDON_NAME_WEAK), CORDON_EFORMAT);
    assert_string_equal(h.err.message, "NUL byte inside a field");
    size_t big = CORDON__MAX_FIELD_BYTES + 1;
    char *s = malloc(big);
    assert_non_null(s);
    memset(s, 'a', big);
    assert_int_equal(cordon__entity_add_name(ld, e2, s, big, CORDON_NAME_WEAK), CORDON_ETOOBIG);
    assert_int_equal(cordon__entity_add_name(ld, e2, s, big - 1, CORDON_NAME_WEAK), 0);
    free(s);
    assert_int_equal(cordon__entity_peek(e2)->n_names, 3);
    hand_free(&h);
}

static void test_builder_fields(void **state)
{
    (void)state;
    hand_loader h;
    hand_init(&h);
    cordon__loader *ld = &h.ld;
    cordon__entity_b *e;
    assert_int_equal(cordon__entity_begin(ld, S("20157"), CORDON_SCHEMA_PERSON, 1, &e), 0);
    assert_int_equal(cordon__entity_add_name(ld, e, S("KIM, Jong Un"), CORDON_NAME_PRIMARY), 0);
    /* Dates: parsed, deduplicated by value, the list's text kept; what is
     * no date goes to the remarks rather than being lost. */
    assert_int_equal(cordon__entity_add_birth_date(ld, e, S("08 Jan 1984")), 0);
    assert_int_equal(cordon__entity_add_birth_date(ld, e, S("1984-01-08")), 0);
    assert_int_equal(cordon__entity_add_birth_date(ld, e, S("circa 1983")), 0);
    assert_int_equal(cordon__entity_add_birth_date(ld, e, S("sometime in 1984")), 0);
    /* Countries: resolved, deduplicated by code. */
    assert_int_equal(cordon__entity_add_nationality(ld, e, S("Korea, North")), 0);
    assert_int_equal(cordon__entity_add_nationality(ld, e, S("DPRK")), 0);
    assert_int_equal(cordon__entity_add_nationality(ld, e, S("Atlantis")), 0);
    assert_int_equal(cordon__entity_add_nationality(ld, e, S("Atlantis")), 0);
    assert_int_equal(cordon__entity_add_citizenship(ld, e, S("North Korean")), 0);
    assert_int_equal(cordon__entity_add_country(ld, e, S("Region: Crimea")), 0);
    assert_int_equal(cordon__entity_add_birth_place(ld, e, S("Pyongyang")), 0);
    assert_int_equal(cordon__entity_add_birth_place(ld, e, S(" Pyongyang ")), 0);
    assert_int_equal(cordon__entity_add_address(ld, e, S("Pyongyang, Korea, North")), 0);
    assert_int_equal(cordon__entity_add_identifier(ld, e, CORDON_ID_PASSPORT, S("Passport"),
                                                   S("836410115"), S("Korea, North")),
                     0);
    assert_int_equal(cordon__entity_add_identifier(ld, e, CORDON_ID_PASSPORT, NULL, 0,
                                                   S("836410115"), NULL, 0),
                     0); /* same type and value */
    assert_int_equal(cordon__entity_add_identifier(ld, e, CORDON_ID_NATIONAL_ID, NULL, 0,
                                                   S("836410115"), NULL, 0),
                     0);
    assert_int_equal(cordon__entity_add_identifier(ld, e, CORDON_ID_TAX_ID, S("Tax"), S("  "),
                                                   NULL, 0),
                     0); /* no value: nothing */
    assert_int_equal(cordon__entity_add_program(ld, e, S("DPRK3")), 0);
    assert_int_equal(cordon__entity_add_program(ld, e, S("DPRK3")), 0);
    assert_int_equal(cordon__entity_add_program(ld, e, S("DPRK-NKSPEA")), 0);
    assert_int_equal(cordon__entity_set_gender(ld, e, S("Male")), 0);
    assert_int_equal(cordon__entity_set_gender(ld, e, S("Female")), 0); /* first kept */
    assert_int_equal(cordon__entity_add_title(ld, e, S("Chairman")), 0);
    assert_int_equal(cordon__entity_add_title(ld, e, S("Supreme Leader")), 0);
    assert_int_equal(cordon__entity_set_listed_on(ld, e, S("02/01/2016")), 0);
    assert_int_equal(cordon__entity_set_listed_on(ld, e, S("2020-01-01")), 0); /* first kept */
    assert_int_equal(cordon__entity_add_remarks(ld, e, S("Secondary sanctions risk")), 0);
    /* Grouped rows repeat their remarks: a piece already there is not
     * added again, but a longer or shorter text is. */
    assert_int_equal(cordon__entity_add_remarks(ld, e, S(" Secondary sanctions risk ")), 0);
    assert_int_equal(cordon__entity_add_remarks(ld, e, S("sometime in 1984")), 0);
    assert_int_equal(cordon__entity_add_remarks(ld, e, S("sanctions risk")), 0);
    assert_int_equal(cordon__entity_add_remarks(ld, e, S("Secondary")), 0);

    const cordon_entity *p = cordon__entity_peek(e);
    assert_int_equal(p->n_birth_dates, 2);
    assert_int_equal(p->birth_dates[0].year, 1984);
    assert_int_equal(p->birth_dates[0].month, 1);
    assert_int_equal(p->birth_dates[0].day, 8);
    assert_string_equal(p->birth_dates[0].text, "08 Jan 1984");
    assert_int_equal(p->birth_dates[1].year, 1983);
    assert_int_equal(p->birth_dates[1].flags, CORDON_DATE_CIRCA);
    assert_int_equal(p->n_nationalities, 2);
    assert_string_equal(p->nationalities[0].code, "KP");
    assert_string_equal(p->nationalities[0].text, "Korea, North");
    assert_string_equal(p->nationalities[1].code, "");
    assert_string_equal(p->nationalities[1].text, "Atlantis");
    assert_int_equal(p->n_citizenships, 1);
    assert_string_equal(p->citizenships[0].code, "KP");
    assert_int_equal(p->n_countries, 1);
    assert_string_equal(p->countries[0].code, "QC");
    assert_int_equal(p->n_birth_places, 1);
    assert_string_equal(p->birth_places[0], "Pyongyang");
    assert_int_equal(p->n_addresses, 1);
    assert_int_equal(p->n_identifiers, 2);
    assert_int_equal(p->identifiers[0].type, CORDON_ID_PASSPORT);
    assert_string_equal(p->identifiers[0].label, "Passport");
    assert_string_equal(p->identifiers[0].value, "836410115");
    assert_string_equal(p->identifiers[0].country, "Korea, North");
    assert_int_equal(p->identifiers[1].type, CORDON_ID_NATIONAL_ID);
    assert_null(p->identifiers[1].label);
    assert_null(p->identifiers[1].country);
    assert_int_equal(p->n_programs, 2);
    assert_string_equal(p->programs[1], "DPRK-NKSPEA");
    assert_string_equal(p->gender, "Male");
    assert_string_equal(p->title, "Chairman; Supreme Leader");
    assert_string_equal(p->listed_on, "2016-01-02");
    assert_string_equal(p->remarks,
                        "sometime in 1984; Secondary sanctions risk; sanctions risk; Secondary");

    /* Warnings and the publication date. */
    assert_int_equal(cordon__loader_warn(ld, "%d orphan rows in %s", 3, "alt.csv"), 0);
    assert_int_equal(ld->warnings.count, 1);
    assert_string_equal(((char **)ld->warnings.items)[0], "3 orphan rows in alt.csv");
    assert_int_equal(cordon__loader_set_published(ld, S("Last Updated 14/04/2025")), 0);
    assert_string_equal(ld->published, "Last Updated 14/04/2025"); /* not a date: kept */
    assert_int_equal(cordon__loader_set_published(ld, S("14/04/2025")), 0);
    assert_string_equal(ld->published, "2025-04-14");
    assert_int_equal(cordon__loader_fail(ld, CORDON_EFORMAT, 12, 3, "wrong column count %d", 11),
                     CORDON_EFORMAT);
    char buf[1200];
    assert_string_equal(cordon_error_format(&h.err, buf, sizeof buf),
                        "dir/x.csv:12:3: wrong column count 11");
    hand_free(&h);
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * One entity with 20,000 values of each of nine kinds, each added twice:
 * the duplicate checks index long lists instead of scanning them, so this
 * takes linear time, a fraction of a second (scanning, it took 40 s;
 * test_ofac_csv.c loads 100,000 aliases). Repeats are still dropped: by
 * value, by country code, by identifier type and value, by date, and for
 * title and remarks by piece or by whole "; "-joined text.
 */
static void test_builder_many_values(void **state)
{
    (void)state;
    enum { N = 20000 };
    hand_loader h;
    hand_init(&h);
    cordon__loader *ld = &h.ld;
    cordon__entity_b *e;
    assert_int_equal(cordon__entity_begin(ld, S("1"), CORDON_SCHEMA_PERSON, 1, &e), 0);
    double t0 = cpu_seconds();
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < N; i++) {
            char v[64], d[16];
            int n = snprintf(v, sizeof v, "V %d", pass ? N - 1 - i : i);
            int k = pass ? N - 1 - i : i;
            int dn = snprintf(d, sizeof d, "%04d-%02d-%02d", 1000 + k / 336, 1 + k % 336 / 28,
                              1 + k % 28);
            assert_int_equal(cordon__entity_add_name(ld, e, v, (size_t)n, CORDON_NAME_WEAK), 0);
            assert_int_equal(cordon__entity_add_birth_date(ld, e, d, (size_t)dn), 0);
            assert_int_equal(cordon__entity_add_birth_place(ld, e, v, (size_t)n), 0);
            assert_int_equal(cordon__entity_add_nationality(ld, e, v, (size_t)n), 0);
            assert_int_equal(cordon__entity_add_address(ld, e, v, (size_t)n), 0);
            assert_int_equal(cordon__entity_add_identifier(ld, e, CORDON_ID_PASSPORT, NULL, 0, v,
                                                           (size_t)n, NULL, 0), 0);
            assert_int_equal(cordon__entity_add_program(ld, e, v, (size_t)n), 0);
            assert_int_equal(cordon__entity_add_title(ld, e, v, (size_t)n), 0);
            char r[80];
            int rn = snprintf(r, sizeof r, "%s; x", v);
            assert_int_equal(cordon__entity_add_remarks(ld, e, r, (size_t)rn), 0);
        }
    /* Repeats by code: every spelling of Russia is one nationality. */
    assert_int_equal(cordon__entity_add_nationality(ld, e, S("Russia")), 0);
    assert_int_equal(cordon__entity_add_nationality(ld, e, S("Russian Federation")), 0);
    assert_int_equal(cordon__entity_add_nationality(ld, e, S("RU")), 0);
    /* Another identifier type is another identifier; a piece of a joined
     * remark is a repeat, and so is that remark whole. */
    assert_int_equal(cordon__entity_add_identifier(ld, e, CORDON_ID_TAX_ID, NULL, 0, S("V 7"),
                                                   NULL, 0), 0);
    assert_int_equal(cordon__entity_add_remarks(ld, e, S("V 12345")), 0);
    assert_int_equal(cordon__entity_add_remarks(ld, e, S("V 12345; x")), 0);
    assert_int_equal(cordon__entity_add_remarks(ld, e, S("x; V 12345")), 0);
    double took = cpu_seconds() - t0;

    const cordon_entity *p = cordon__entity_peek(e);
    assert_int_equal(p->n_names, N);
    assert_int_equal(p->n_birth_dates, N);
    assert_int_equal(p->birth_dates[N - 1].year, 1000 + (N - 1) / 336);
    assert_int_equal(p->n_birth_places, N);
    assert_int_equal(p->n_nationalities, N + 1);
    assert_string_equal(p->nationalities[N].code, "RU");
    assert_string_equal(p->nationalities[N].text, "Russia");
    assert_int_equal(p->n_addresses, N);
    assert_int_equal(p->n_identifiers, N + 1);
    assert_int_equal(p->identifiers[N].type, CORDON_ID_TAX_ID);
    assert_int_equal(p->n_programs, N);
    assert_string_equal(p->programs[N - 1], "V 19999");
    assert_int_equal(strncmp(p->title, "V 0; V 1; V 2; ", 15), 0);
    assert_int_equal(strncmp(p->remarks, "V 0; x; V 1; x; ", 16), 0);
    const char *tail = "; V 19999; x; x; V 12345";
    assert_string_equal(p->remarks + strlen(p->remarks) - strlen(tail), tail);
    hand_free(&h);
    print_message("20,000 values of each kind for one entity, twice: %.2f s of CPU\n", took);
    if (took >= 1.0)
        fail_msg("20,000 values of each kind took %.2f s of CPU", took);
}

/* ---- the loader's public contract, on the real files ---------------- */

static const char *const un_file = "data/lists/un_sc/2026-02-27/UN_consolidated.xml";
static const char *const ofac_xml_file = "data/lists/ofac_consolidated/xml_2025-03-28/consolidated.xml";

static int load(cordon_dataset *ds, const char *name, cordon_format f, const char *file,
                cordon_error *err)
{
    cordon_source_spec spec = {.name = name, .format = f, .n_files = 1};
    spec.files[0] = file;
    return cordon_dataset_load(ds, &spec, err);
}

static void test_load_real(void **state)
{
    (void)state;
    cordon_dataset *ds = cordon_dataset_new();
    assert_non_null(ds);
    cordon_error err;
    int rc = load(ds, "un_sc", CORDON_FORMAT_UN_XML, un_file, &err);
    if (rc) {
        char buf[1200];
        fail_msg("%s", cordon_error_format(&err, buf, sizeof buf));
    }
    assert_int_equal(cordon_dataset_source_count(ds), 1);
    const cordon_source_info *info = cordon_dataset_source(ds, 0);
    assert_string_equal(info->name, "un_sc");
    assert_int_equal(info->format, CORDON_FORMAT_UN_XML);
    assert_int_equal(info->n_files, 1);
    assert_string_equal(info->files[0], un_file);
    assert_string_equal(info->sha256, "66b392a4090868d2d39161e8d748efd39138377b0e6e60b7921aa67a4f99c8bf");
    assert_int_equal(info->n_entities, 1003);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_PERSON], 730);
    assert_int_equal(info->n_by_schema[CORDON_SCHEMA_ORGANIZATION], 273);
    assert_int_equal(cordon_dataset_entity_count(ds), 1003);
    /* Every entity: an id prefixed by its source, a primary name first,
     * known schema, findable by id. */
    size_t names = 0;
    for (size_t i = 0; i < cordon_dataset_entity_count(ds); i++) {
        const cordon_entity *e = cordon_dataset_entity(ds, i);
        assert_non_null(e);
        assert_int_equal(strncmp(e->id, "un_sc:", 6), 0);
        assert_string_equal(e->id + 6, e->native_id);
        assert_string_equal(e->source, "un_sc");
        assert_true(e->n_names >= 1);
        assert_int_equal(e->names[0].kind, CORDON_NAME_PRIMARY);
        for (size_t k = 1; k < e->n_names; k++)
            assert_int_not_equal(e->names[k].kind, CORDON_NAME_PRIMARY);
        names += e->n_names;
        assert_string_equal(e->origin_file, "UN_consolidated.xml");
        assert_ptr_equal(cordon_dataset_find(ds, e->id, strlen(e->id)), e);
    }
    assert_int_equal(info->n_names, names);
    assert_null(cordon_dataset_entity(ds, 1003));
    assert_null(cordon_dataset_source(ds, 1));
    assert_null(cordon_dataset_find(ds, "un_sc:nope", 10));
    assert_null(cordon_dataset_find(ds, NULL, 0));

    /* A second source appends; ids stay unique across sources. The spec's
     * strings may be freed right after the load (ASan checks). */
    char *path = strdup(ofac_xml_file);
    assert_non_null(path);
    rc = load(ds, "ofac_cons_xml", CORDON_FORMAT_OFAC_XML, path, &err);
    memset(path, 'X', strlen(path));
    free(path);
    if (rc) {
        char buf[1200];
        fail_msg("%s", cordon_error_format(&err, buf, sizeof buf));
    }
    assert_int_equal(cordon_dataset_source_count(ds), 2);
    info = cordon_dataset_source(ds, 1);
    assert_string_equal(info->sha256, "ce9a9a18d03b81d0190cbd20dc1fceb32eb312d0edac45336f2854e501cf0846");
    assert_int_equal(info->n_entities, 443);
    assert_int_equal(cordon_dataset_entity_count(ds), 1003 + 443);
    const cordon_entity *first = cordon_dataset_entity(ds, 1003);
    assert_string_equal(first->source, "ofac_cons_xml");
    assert_ptr_equal(cordon_dataset_find(ds, first->id, strlen(first->id)), first);
    assert_string_equal(first->origin_file, "consolidated.xml");
    assert_string_equal(info->files[0], ofac_xml_file);
    /* The first source's entities did not move. */
    const cordon_entity *e0 = cordon_dataset_entity(ds, 0);
    assert_ptr_equal(cordon_dataset_find(ds, e0->id, strlen(e0->id)), e0);
    cordon_dataset_free(ds);
}

/* Snapshot of what a dataset holds, to show a failed load changed nothing. */
typedef struct {
    size_t sources, entities;
    const cordon_entity *first, *last;
} snapshot;

static snapshot snap(const cordon_dataset *ds)
{
    snapshot s = {cordon_dataset_source_count(ds), cordon_dataset_entity_count(ds), NULL, NULL};
    if (s.entities) {
        s.first = cordon_dataset_entity(ds, 0);
        s.last = cordon_dataset_entity(ds, s.entities - 1);
    }
    return s;
}

static void same(const cordon_dataset *ds, snapshot s)
{
    snapshot now = snap(ds);
    assert_int_equal(now.sources, s.sources);
    assert_int_equal(now.entities, s.entities);
    assert_ptr_equal(now.first, s.first);
    assert_ptr_equal(now.last, s.last);
    if (s.last)
        assert_ptr_equal(cordon_dataset_find(ds, s.last->id, strlen(s.last->id)), s.last);
}

static void test_all_or_nothing(void **state)
{
    (void)state;
    cordon_dataset *ds = cordon_dataset_new();
    assert_non_null(ds);
    cordon_error err;
    assert_int_equal(load(ds, "un_sc", CORDON_FORMAT_UN_XML, un_file, &err), 0);
    snapshot s = snap(ds);

    /* The same source name twice. */
    assert_int_equal(load(ds, "un_sc", CORDON_FORMAT_UN_XML, un_file, &err), CORDON_EINVAL);
    assert_string_equal(err.message, "source \"un_sc\" is already loaded");
    same(ds, s);
    /* Bad specs. */
    cordon_source_spec spec = {.name = "x", .format = CORDON_FORMAT_UN_XML, .n_files = 0};
    assert_int_equal(cordon_dataset_load(ds, &spec, &err), CORDON_EINVAL);
    spec.n_files = CORDON_MAX_SOURCE_FILES + 1;
    assert_int_equal(cordon_dataset_load(ds, &spec, &err), CORDON_EINVAL);
    spec.n_files = 1;
    spec.files[0] = NULL;
    assert_int_equal(cordon_dataset_load(ds, &spec, &err), CORDON_EINVAL);
    spec.files[0] = "";
    assert_int_equal(cordon_dataset_load(ds, &spec, &err), CORDON_EINVAL);
    spec.files[0] = un_file;
    spec.format = (cordon_format)0;
    assert_int_equal(cordon_dataset_load(ds, &spec, &err), CORDON_EINVAL);
    spec.format = CORDON_FORMAT_COUNT_;
    assert_int_equal(cordon_dataset_load(ds, &spec, &err), CORDON_EINVAL);
    spec.format = CORDON_FORMAT_UN_XML;
    spec.name = "";
    assert_int_equal(cordon_dataset_load(ds, &spec, &err), CORDON_EINVAL);
    spec.name = NULL;
    assert_int_equal(cordon_dataset_load(ds, &spec, &err), CORDON_EINVAL);
    spec.name = "UN:2";
    assert_int_equal(cordon_dataset_load(ds, &spec, &err), CORDON_EINVAL);
    assert_int_equal(cordon_dataset_load(NULL, &spec, &err), CORDON_EINVAL);
    assert_int_equal(cordon_dataset_load(ds, NULL, &err), CORDON_EINVAL);
    same(ds, s);
    /* A missing file, and a directory where a file should be. */
    assert_int_equal(load(ds, "gone", CORDON_FORMAT_UN_XML, "data/nope.xml", &err), CORDON_EIO);
    assert_string_equal(err.file, "data/nope.xml");
    assert_int_equal(load(ds, "dir", CORDON_FORMAT_UN_XML, "data/lists", &err), CORDON_EIO);
    assert_string_equal(err.file, "data/lists");
    assert_string_equal(err.message, "cannot read: Is a directory");
    same(ds, s);

    /* A list cut in half fails at a position in that file, and loads
     * nothing of what came before the cut. */
    char *text;
    size_t len;
    assert_int_equal(cordon__read_file(un_file, &text, &len, NULL), 0);
    char *path = test_write_temp(text, len / 2, ".xml");
    assert_int_not_equal(load(ds, "half", CORDON_FORMAT_UN_XML, path, &err), 0);
    assert_string_equal(err.file, path);
    assert_true(err.line > 0);
    same(ds, s);
    unlink(path);
    free(path);
    /* Invalid UTF-8 in the middle of a name. */
    char *at = strstr(text, "<FIRST_NAME>");
    assert_non_null(at);
    at[12] = (char)0xFF;
    path = test_write_temp(text, len, ".xml");
    assert_int_not_equal(load(ds, "bad", CORDON_FORMAT_UN_XML, path, &err), 0);
    assert_string_equal(err.file, path);
    same(ds, s);
    unlink(path);
    free(path);
    /* An empty file, and a file of another format. */
    path = test_write_temp("", 0, ".xml");
    assert_int_not_equal(load(ds, "empty", CORDON_FORMAT_UN_XML, path, &err), 0);
    assert_string_equal(err.file, path);
    unlink(path);
    free(path);
    assert_int_not_equal(load(ds, "other", CORDON_FORMAT_UN_XML, ofac_xml_file, &err), 0);
    assert_string_equal(err.file, ofac_xml_file);
    same(ds, s);
    free(text);

    /* After all that, a good load still works and the name is free. */
    assert_int_equal(load(ds, "half", CORDON_FORMAT_OFAC_XML, ofac_xml_file, &err), 0);
    assert_int_equal(cordon_dataset_source_count(ds), 2);
    assert_int_equal(cordon_dataset_entity_count(ds), 1003 + 443);
    cordon_dataset_free(ds);
    cordon_dataset_free(NULL);
    assert_int_equal(cordon_dataset_source_count(NULL), 0);
    assert_int_equal(cordon_dataset_entity_count(NULL), 0);
    assert_null(cordon_dataset_entity(NULL, 0));
    assert_null(cordon_dataset_source(NULL, 0));
}

/* The whole default bundle through cordon_config_read and
 * cordon_dataset_load_config, and the invariants every entity keeps. */
static void test_default_bundle(void **state)
{
    (void)state;
    cordon_config *cfg = NULL;
    cordon_error err;
    assert_int_equal(cordon_config_read("data/lists.conf", &cfg, &err), 0);
    cordon_dataset *ds = cordon_dataset_new();
    assert_non_null(ds);
    int rc = cordon_dataset_load_config(ds, cfg, &err);
    if (rc) {
        char buf[1200];
        fail_msg("%s", cordon_error_format(&err, buf, sizeof buf));
    }
    assert_int_equal(cordon_dataset_source_count(ds), 4);
    static const struct {
        const char *name;
        size_t entities;
    } want[] = {{"ofac_sdn", 14965}, {"ofac_cons", 442}, {"un_sc", 1003}, {"uk_ofsi", 4688}};
    size_t total = 0;
    for (size_t i = 0; i < 4; i++) {
        const cordon_source_info *info = cordon_dataset_source(ds, i);
        assert_string_equal(info->name, want[i].name);
        assert_int_equal(info->n_entities, want[i].entities);
        total += want[i].entities;
    }
    assert_int_equal(total, 21098);
    assert_int_equal(cordon_dataset_entity_count(ds), total);
    cordon_config_free(cfg); /* the dataset owns everything it points to */

    size_t refs = 0, unresolved = 0;
    for (size_t i = 0; i < total; i++) {
        const cordon_entity *e = cordon_dataset_entity(ds, i);
        size_t sl = strlen(e->source);
        assert_int_equal(strncmp(e->id, e->source, sl), 0);
        assert_int_equal(e->id[sl], ':');
        assert_string_equal(e->id + sl + 1, e->native_id);
        assert_ptr_equal(cordon_dataset_find(ds, e->id, strlen(e->id)), e);
        assert_true((unsigned)e->schema < CORDON_SCHEMA_COUNT_);
        assert_true(e->n_names >= 1);
        assert_int_equal(e->names[0].kind, CORDON_NAME_PRIMARY);
        for (size_t k = 0; k < e->n_names; k++) {
            assert_true(e->names[k].value[0] != '\0');
            assert_true(k == 0 || e->names[k].kind != CORDON_NAME_PRIMARY);
            for (size_t j = 0; j < k; j++)
                assert_string_not_equal(e->names[j].value, e->names[k].value);
        }
        for (size_t k = 0; k < e->n_birth_dates; k++) {
            const cordon_date *d = &e->birth_dates[k];
            assert_true(d->year >= 1000 && d->year <= 2999 && d->month <= 12 && d->day <= 31);
            assert_non_null(d->text);
        }
        const cordon_country *arrs[3] = {e->nationalities, e->citizenships, e->countries};
        size_t ns[3] = {e->n_nationalities, e->n_citizenships, e->n_countries};
        for (int a = 0; a < 3; a++)
            for (size_t k = 0; k < ns[a]; k++) {
                refs++;
                if (arrs[a][k].code[0])
                    assert_non_null(cordon_country_name(arrs[a][k].code));
                else
                    unresolved++;
            }
        for (size_t k = 0; k < e->n_identifiers; k++)
            assert_true(e->identifiers[k].value[0] != '\0');
        assert_non_null(e->origin_file);
        assert_true(e->origin_line > 0);
    }
    /* Nearly every country text of the real lists resolves (the rest are
     * "undetermined", disputed regions, "na" and the like). */
    if (refs < 20000 || unresolved * 200 > refs)
        fail_msg("%zu of %zu country references unresolved", unresolved, refs);
    cordon_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_buf_and_vec),
        cmocka_unit_test(test_strmap),
        cmocka_unit_test(test_utf8_validation),
        cmocka_unit_test(test_utf8_codec),
        cmocka_unit_test(test_cp1252_fallback),
        cmocka_unit_test(test_text_helpers),
        cmocka_unit_test(test_read_file),
        cmocka_unit_test(test_read_gzip),
        cmocka_unit_test(test_truncated_gzip),
        cmocka_unit_test(test_builder_ids),
        cmocka_unit_test(test_builder_names),
        cmocka_unit_test(test_builder_fields),
        cmocka_unit_test(test_builder_many_values),
        cmocka_unit_test(test_load_real),
        cmocka_unit_test(test_all_or_nothing),
        cmocka_unit_test(test_default_bundle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
