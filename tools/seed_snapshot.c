/*
 * seed_snapshot.c — writes the seeds of fuzz_snapshot from a small
 * snapshot (make fuzz-seeds builds it from tests/data/screen/mini.ftm.jsonl):
 *
 *   mini           the snapshot as built
 *   fixed_mini     'F' + mini (the fuzzer recomputes the checksums of
 *                  inputs starting with 'F', to reach the checks behind
 *                  them)
 *   flipped        one bit flipped inside the form table (a checksum
 *                  mismatch)
 *   forged_entity  'F' + mini with the first entity's names pointing far
 *                  outside the names section
 *   forged_table   'F' + mini with a form table slot's values pointing
 *                  outside U32, its count changed
 *   header_only    the first 100 bytes
 *   truncated      the first 600 bytes
 *
 * Run again when the snapshot format changes: `make fuzz-seeds`.
 *
 *   seed_snapshot MINI OUTDIR
 */
#include "index_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *img;
static size_t size;

static void put(const char *dir, const char *name, const unsigned char *p, size_t n, int f)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *out = fopen(path, "wb");
    if (!out || (f && fputc('F', out) == EOF) || fwrite(p, 1, n, out) != n || fclose(out)) {
        fprintf(stderr, "seed_snapshot: cannot write %s\n", path);
        exit(1);
    }
}

/* Offset of section `id` in the image. */
static size_t section(uint32_t id, size_t *len)
{
    const cx_header *h = (const cx_header *)img;
    const cx_section *tab = (const cx_section *)(img + sizeof *h);
    for (uint32_t i = 0; i < h->n_sections; i++)
        if (tab[i].id == id) {
            *len = tab[i].size;
            return tab[i].offset;
        }
    fprintf(stderr, "seed_snapshot: no section %u\n", (unsigned)id);
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: seed_snapshot MINI OUTDIR\n");
        return 2;
    }
    FILE *in = fopen(argv[1], "rb");
    if (!in || fseek(in, 0, SEEK_END) || (size = (size_t)ftell(in)) < 1024 || fseek(in, 0, SEEK_SET)) {
        fprintf(stderr, "seed_snapshot: cannot read %s\n", argv[1]);
        return 1;
    }
    img = malloc(size);
    if (!img || fread(img, 1, size, in) != size)
        return 1;
    fclose(in);
    const char *dir = argv[2];
    put(dir, "mini", img, size, 0);
    put(dir, "fixed_mini", img, size, 1);
    put(dir, "header_only", img, 100, 0);
    put(dir, "truncated", img, 600, 0);

    size_t len, at = section(CX_SEC_TAB_FORM, &len);
    unsigned char *copy = malloc(size);
    memcpy(copy, img, size);
    copy[at + len / 3] ^= 1;
    put(dir, "flipped", copy, size, 0);

    memcpy(copy, img, size);
    at = section(CX_SEC_ENTITIES, &len);
    uint32_t far = 0xFFFFFFF0u;
    memcpy(copy + at + offsetof(cx_entity, names), &far, 4);
    put(dir, "forged_entity", copy, size, 1);

    memcpy(copy, img, size);
    at = section(CX_SEC_TAB_FORM, &len);
    for (size_t s = 0; s + sizeof(cx_slot) <= len; s += sizeof(cx_slot)) {
        cx_slot slot;
        memcpy(&slot, copy + at + s, sizeof slot);
        if (slot.val_len == 0)
            continue; /* an empty slot */
        slot.val = 0x7FFFFFFFu;
        slot.val_len = 5;
        memcpy(copy + at + s, &slot, sizeof slot);
        break;
    }
    put(dir, "forged_table", copy, size, 1);
    free(copy);
    free(img);
    return 0;
}
