/*
 * index_file.c — the snapshot file: atomic writing, opening by mmap, and
 * the checks that turn a foreign, truncated or damaged file into a clear
 * error instead of a crash. Also the read side of the index that does
 * not score: sources, entity records, lookup by id, table probes.
 *
 * Checks on open, cheapest first: size, magic, byte order, version,
 * header CRC, section table (bounds, alignment, every section present
 * once), each section's CRC-32, record counts against section sizes, and
 * one pass over the fixed-size records so that every offset and index
 * they hold is in range. Lists inside U32 (postings, table values) are
 * range-checked where they are read. A file that passes can be screened
 * without any further validation.
 */
#include "index_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

static const struct {
    int id;
    const char *name;
    size_t record; /* record size, or 1 for bytes */
} sec_info[] = {
    {CX_SEC_META, "meta", sizeof(cx_meta)},
    {CX_SEC_STRINGS, "strings", 1},
    {CX_SEC_U32, "u32", sizeof(uint32_t)},
    {CX_SEC_SOURCES, "sources", sizeof(cx_source)},
    {CX_SEC_ENTITIES, "entities", sizeof(cx_entity)},
    {CX_SEC_DATES, "dates", sizeof(cx_date)},
    {CX_SEC_COUNTRIES, "countries", sizeof(cx_country)},
    {CX_SEC_IDENTS, "identifiers", sizeof(cx_ident)},
    {CX_SEC_NAMES, "names", sizeof(cx_name)},
    {CX_SEC_NTOKENS, "name tokens", sizeof(cx_ntoken)},
    {CX_SEC_TERMS, "terms", sizeof(cx_term)},
    {CX_SEC_TAB_FORM, "form table", sizeof(cx_slot)},
    {CX_SEC_TAB_DEL, "typo table", sizeof(cx_dslot)},
    {CX_SEC_TAB_PHON, "phonetic table", sizeof(cx_slot)},
    {CX_SEC_TAB_IDENT, "identifier table", sizeof(cx_slot)},
    {CX_SEC_BYID, "id order", sizeof(uint32_t)},
    {CX_SEC_TAB_LOOSE, "loose-key table", sizeof(cx_slot)},
    {CX_SEC_TAB_LOOSE_NL, "non-Latin loose-key table", sizeof(cx_slot)},
    {CX_SEC_ENTITY_HASH, "entity hashes", 32},
};
#define N_SEC (sizeof sec_info / sizeof sec_info[0])

#define BAD(...) cordon__fail(err, CORDON_ECORRUPT, origin, 0, 0, __VA_ARGS__)

/* True when [off, off+n) lies in a list of `total` items. */
static bool in_range(uint64_t off, uint64_t n, uint64_t total)
{
    return off <= total && n <= total - off;
}

static int check_strlist(const cordon_index *idx, uint32_t off, uint32_t n)
{
    if (!in_range(off, n, idx->n_u32))
        return -1;
    for (uint32_t i = 0; i < n; i++)
        if (idx->u32[off + i] >= idx->strings_size)
            return -1;
    return 0;
}

static bool str_ok(const cordon_index *idx, uint32_t off) { return off < idx->strings_size; }

/* One pass over the records: every reference in range. */
static int check_records(const cordon_index *idx, const char *origin, cordon_error *err)
{
    const cx_meta *m = idx->meta;
    for (uint32_t i = 0; i < m->n_sources; i++) {
        const cx_source *s = &idx->sources[i];
        if (!str_ok(idx, s->name) || !s->name || !str_ok(idx, s->published) ||
            !str_ok(idx, s->sha256) || check_strlist(idx, s->files, s->n_files) ||
            check_strlist(idx, s->warnings, s->n_warnings))
            return BAD("source record %u is damaged", i);
    }
    for (uint32_t i = 0; i < m->n_entities; i++) {
        const cx_entity *e = &idx->entities[i];
        if (!e->id || !str_ok(idx, e->id) || e->source >= m->n_sources ||
            !str_ok(idx, e->native_id) || e->schema >= CORDON_SCHEMA_COUNT_ ||
            !in_range(e->names, e->n_names, m->n_names) || e->n_names == 0 ||
            !in_range(e->dates, e->n_dates, m->n_dates) ||
            !in_range(e->nats, e->n_nats, m->n_countries) ||
            !in_range(e->cits, e->n_cits, m->n_countries) ||
            !in_range(e->ctys, e->n_ctys, m->n_countries) ||
            !in_range(e->idents, e->n_idents, m->n_idents) ||
            check_strlist(idx, e->places, e->n_places) ||
            check_strlist(idx, e->addrs, e->n_addrs) ||
            check_strlist(idx, e->progs, e->n_progs) || !str_ok(idx, e->gender) ||
            !str_ok(idx, e->title) || !str_ok(idx, e->listed_on) || !str_ok(idx, e->remarks) ||
            !str_ok(idx, e->origin_file))
            return BAD("entity record %u is damaged", i);
    }
    for (uint32_t i = 0; i < m->n_dates; i++)
        if (!str_ok(idx, idx->dates[i].text))
            return BAD("date record %u is damaged", i);
    for (uint32_t i = 0; i < m->n_countries; i++)
        if (!str_ok(idx, idx->countries[i].text) || idx->countries[i].code[2] ||
            idx->countries[i].code[3])
            return BAD("country record %u is damaged", i);
    for (uint32_t i = 0; i < m->n_idents; i++) {
        const cx_ident *d = &idx->idents[i];
        if (!str_ok(idx, d->label) || !d->value || !str_ok(idx, d->value) ||
            !str_ok(idx, d->country) || d->entity >= m->n_entities ||
            d->type >= CORDON_ID_TYPE_COUNT_)
            return BAD("identifier record %u is damaged", i);
    }
    for (uint32_t i = 0; i < m->n_names; i++) {
        const cx_name *n = &idx->names[i];
        if (n->entity >= m->n_entities || !n->value || !str_ok(idx, n->value) ||
            !in_range(n->tokens, n->n_tokens, m->n_ntokens) || n->kind >= CORDON_NAME_KIND_COUNT_)
            return BAD("name record %u is damaged", i);
    }
    for (uint32_t i = 0; i < m->n_ntokens; i++) {
        const cx_ntoken *t = &idx->ntokens[i];
        if (t->term >= m->n_terms || (t->pair_term != CX_NONE && t->pair_term >= m->n_terms) ||
            (t->pair_term != CX_NONE && t->pair_n < 2) || t->role >= CORDON_ROLE_COUNT_)
            return BAD("name token record %u is damaged", i);
    }
    for (uint32_t i = 0; i < m->n_terms; i++) {
        const cx_term *t = &idx->terms[i];
        bool ok = t->text && str_ok(idx, t->text) && t->n_forms >= 1 &&
                  t->n_forms <= CX_TERM_FORMS && t->n_phon <= CX_TERM_PHON &&
                  t->n_loose <= CX_TERM_LOOSE && in_range(t->post, t->n_post, idx->n_u32);
        for (size_t k = 0; ok && k < (size_t)t->n_forms + t->n_phon + t->n_loose; k++)
            ok = str_ok(idx, t->keys[k]);
        if (!ok)
            return BAD("term record %u is damaged", i);
    }
    for (uint32_t i = 0; i < m->n_entities; i++)
        if (idx->byid[i] >= m->n_entities)
            return BAD("id order entry %u is damaged", i);
    const cx_slot *tabs[] = {idx->tab_form, idx->tab_phon, idx->tab_ident, idx->tab_loose,
                             idx->tab_loose_nl};
    const uint32_t caps[] = {m->tab_form_cap, m->tab_phon_cap, m->tab_ident_cap,
                             m->tab_loose_cap, m->tab_loose_nl_cap};
    for (size_t k = 0; k < 5; k++)
        for (uint32_t i = 0; i < caps[k]; i++) {
            const cx_slot *s = &tabs[k][i];
            if (s->val_len > 1 && !in_range(s->val, s->val_len, idx->n_u32))
                return BAD("table slot %u is damaged", i);
            if (s->val_len && (!s->key || !str_ok(idx, s->key)))
                return BAD("table slot %u is damaged", i);
        }
    for (uint32_t i = 0; i < m->tab_del_cap; i++) {
        const cx_dslot *d = &idx->tab_del[i];
        if (!(d->val & CX_DEL_LIST))
            continue;
        uint32_t off = d->val & ~CX_DEL_LIST;
        if (off >= idx->n_u32 || !in_range((uint64_t)off + 1, idx->u32[off], idx->n_u32))
            return BAD("typo table slot %u is damaged", i);
    }
    return 0;
}

int cordon__index_attach(cordon_index *idx, const char *origin, cordon_error *err)
{
    const unsigned char *p = idx->base;
    size_t size = idx->size;
    if (size == 0)
        return BAD("not a cordon index: the file is empty");
    if (size < sizeof(cx_header))
        return BAD("not a cordon index, or truncated: %zu bytes is shorter than a header",
                   size);
    cx_header h;
    memcpy(&h, p, sizeof h);
    if (memcmp(h.magic, CX_MAGIC, 8) != 0)
        return BAD("not a cordon index (bad magic number)");
    if (h.endian != CX_ENDIAN_MARK)
        return BAD("cordon index written with another byte order");
    if (h.version != CORDON_INDEX_FORMAT_VERSION)
        return cordon__fail(err, CORDON_EVERSION, origin, 0, 0,
                            "cordon index format version %u; this cordon reads version %d "
                            "(rebuild it with `cordon build`)",
                            h.version, CORDON_INDEX_FORMAT_VERSION);
    if (h.n_sections != N_SEC ||
        h.header_size != sizeof(cx_header) + N_SEC * sizeof(cx_section))
        return BAD("cordon index header is damaged (section count %u)", h.n_sections);
    if (size < h.header_size)
        return BAD("cordon index is truncated inside its header");
    {
        unsigned char tmp[sizeof(cx_header) + N_SEC * sizeof(cx_section)];
        memcpy(tmp, p, sizeof tmp);
        memset(tmp + offsetof(cx_header, header_crc), 0, sizeof h.header_crc);
        if ((uint32_t)crc32_z(0, tmp, sizeof tmp) != h.header_crc)
            return BAD("cordon index header checksum mismatch: the file is damaged");
    }
    if (h.file_size != size)
        return BAD("cordon index is truncated or has trailing bytes: %zu bytes, header says "
                   "%llu",
                   size, (unsigned long long)h.file_size);
    const cx_section *tab = (const cx_section *)(p + sizeof(cx_header));
    const void *secp[CX_SEC_COUNT_] = {0};
    size_t secn[CX_SEC_COUNT_] = {0};
    for (size_t i = 0; i < N_SEC; i++) {
        const cx_section *s = &tab[i];
        size_t k = 0;
        while (k < N_SEC && sec_info[k].id != (int)s->id)
            k++;
        if (k == N_SEC || secp[s->id])
            return BAD("cordon index section table is damaged (entry %zu)", i);
        if (s->offset % 8 || s->offset < h.header_size || s->offset > size ||
            s->size > size - s->offset || s->size % sec_info[k].record)
            return BAD("cordon index %s section is out of bounds", sec_info[k].name);
        if ((uint32_t)crc32_z(0, p + s->offset, s->size) != s->crc)
            return BAD("cordon index %s section checksum mismatch: the file is damaged",
                       sec_info[k].name);
        secp[s->id] = p + s->offset;
        secn[s->id] = s->size / sec_info[k].record;
    }
    if (secn[CX_SEC_META] != 1)
        return BAD("cordon index meta section is damaged");
    idx->meta = secp[CX_SEC_META];
    const cx_meta *m = idx->meta;
    idx->strings = secp[CX_SEC_STRINGS];
    idx->strings_size = secn[CX_SEC_STRINGS];
    idx->u32 = secp[CX_SEC_U32];
    idx->n_u32 = secn[CX_SEC_U32];
    idx->sources = secp[CX_SEC_SOURCES];
    idx->entities = secp[CX_SEC_ENTITIES];
    idx->dates = secp[CX_SEC_DATES];
    idx->countries = secp[CX_SEC_COUNTRIES];
    idx->idents = secp[CX_SEC_IDENTS];
    idx->names = secp[CX_SEC_NAMES];
    idx->ntokens = secp[CX_SEC_NTOKENS];
    idx->terms = secp[CX_SEC_TERMS];
    idx->tab_form = secp[CX_SEC_TAB_FORM];
    idx->tab_del = secp[CX_SEC_TAB_DEL];
    idx->tab_phon = secp[CX_SEC_TAB_PHON];
    idx->tab_ident = secp[CX_SEC_TAB_IDENT];
    idx->byid = secp[CX_SEC_BYID];
    idx->tab_loose = secp[CX_SEC_TAB_LOOSE];
    idx->tab_loose_nl = secp[CX_SEC_TAB_LOOSE_NL];
    idx->entity_hash = secp[CX_SEC_ENTITY_HASH];
    if (idx->strings_size < 1 || idx->strings[0] != '\0' ||
        idx->strings[idx->strings_size - 1] != '\0')
        return BAD("cordon index strings section is damaged");
    const struct {
        size_t have, want;
        const char *what;
    } counts[] = {
        {secn[CX_SEC_SOURCES], m->n_sources, "sources"},
        {secn[CX_SEC_ENTITIES], m->n_entities, "entities"},
        {secn[CX_SEC_DATES], m->n_dates, "dates"},
        {secn[CX_SEC_COUNTRIES], m->n_countries, "countries"},
        {secn[CX_SEC_IDENTS], m->n_idents, "identifiers"},
        {secn[CX_SEC_NAMES], m->n_names, "names"},
        {secn[CX_SEC_NTOKENS], m->n_ntokens, "name tokens"},
        {secn[CX_SEC_TERMS], m->n_terms, "terms"},
        {secn[CX_SEC_TAB_FORM], m->tab_form_cap, "form table"},
        {secn[CX_SEC_TAB_DEL], m->tab_del_cap, "typo table"},
        {secn[CX_SEC_TAB_PHON], m->tab_phon_cap, "phonetic table"},
        {secn[CX_SEC_TAB_IDENT], m->tab_ident_cap, "identifier table"},
        {secn[CX_SEC_BYID], m->n_entities, "id order"},
        {secn[CX_SEC_TAB_LOOSE], m->tab_loose_cap, "loose-key table"},
        {secn[CX_SEC_TAB_LOOSE_NL], m->tab_loose_nl_cap, "non-Latin loose-key table"},
        {secn[CX_SEC_ENTITY_HASH], m->n_entities, "entity hashes"},
    };
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        if (counts[i].have != counts[i].want)
            return BAD("cordon index %s section does not match its count", counts[i].what);
    const uint32_t caps[] = {m->tab_form_cap, m->tab_del_cap, m->tab_phon_cap, m->tab_ident_cap,
                             m->tab_loose_cap, m->tab_loose_nl_cap};
    for (size_t i = 0; i < 6; i++)
        if (caps[i] == 0 || (caps[i] & (caps[i] - 1)))
            return BAD("cordon index table size is damaged");
    if (m->n_entities == 0)
        return BAD("cordon index has no entities");
    int rc = check_records(idx, origin, err);
    if (rc)
        return rc;
    memcpy(idx->hash, h.content_sha256, 64);
    idx->hash[64] = '\0';
    for (size_t i = 0; i < 64; i++)
        if (!strchr("0123456789abcdef", idx->hash[i]) || !idx->hash[i])
            return BAD("cordon index content hash is damaged");

    /* Source infos are small: decode them once so callers get plain
     * structs. */
    cordon__arena_init(&idx->arena);
    idx->infos = cordon__arena_alloc(&idx->arena, (m->n_sources ? m->n_sources : 1) *
                                                      sizeof *idx->infos);
    if (!idx->infos)
        return cordon__fail(err, CORDON_ENOMEM, origin, 0, 0, "out of memory");
    for (uint32_t i = 0; i < m->n_sources; i++) {
        const cx_source *s = &idx->sources[i];
        cordon_source_info *info = &idx->infos[i];
        memset(info, 0, sizeof *info);
        info->name = cx_str(idx, s->name);
        info->format = (cordon_format)s->format;
        const char **files = cordon__arena_alloc(&idx->arena, (s->n_files + 1) * sizeof *files);
        const char **warns = cordon__arena_alloc(&idx->arena, (s->n_warnings + 1) * sizeof *warns);
        if (!files || !warns)
            return cordon__fail(err, CORDON_ENOMEM, origin, 0, 0, "out of memory");
        for (uint32_t k = 0; k < s->n_files; k++)
            files[k] = cx_str(idx, idx->u32[s->files + k]);
        for (uint32_t k = 0; k < s->n_warnings; k++)
            warns[k] = cx_str(idx, idx->u32[s->warnings + k]);
        info->files = files;
        info->n_files = s->n_files;
        info->warnings = warns;
        info->n_warnings = s->n_warnings;
        info->published = cx_str(idx, s->published);
        snprintf(info->sha256, sizeof info->sha256, "%s",
                 s->sha256 ? idx->strings + s->sha256 : "");
        info->n_entities = s->n_entities;
        for (int k = 0; k < CORDON_SCHEMA_COUNT_; k++)
            info->n_by_schema[k] = s->n_by_schema[k];
        info->n_names = s->n_names;
    }
    return 0;
}

int cordon_index_open(const char *path, cordon_index **out, cordon_error *err)
{
    if (out)
        *out = NULL;
    if (!path || !out)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no index path");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cordon__fail(err, CORDON_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return cordon__fail(err, CORDON_EIO, path, 0, 0, "cannot stat: %s", strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return cordon__fail(err, CORDON_ECORRUPT, path, 0, 0,
                            "not a cordon index: not a regular file");
    }
    cordon_index *idx = calloc(1, sizeof *idx);
    if (!idx) {
        close(fd);
        return cordon__fail(err, CORDON_ENOMEM, path, 0, 0, "out of memory");
    }
    idx->size = (size_t)st.st_size;
    if (idx->size > 0) {
        void *m = mmap(NULL, idx->size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (m == MAP_FAILED) {
            int e = errno;
            close(fd);
            free(idx);
            return cordon__fail(err, CORDON_EIO, path, 0, 0, "cannot map: %s", strerror(e));
        }
        idx->base = m;
        idx->mapped = 1;
    }
    close(fd);
    int rc = cordon__index_attach(idx, path, err);
    if (rc) {
        cordon_index_close(idx);
        return rc;
    }
    *out = idx;
    return 0;
}

void cordon_index_close(cordon_index *idx)
{
    if (!idx)
        return;
    if (idx->mapped)
        munmap((void *)idx->base, idx->size);
    else
        free((void *)idx->base);
    cordon__arena_free(&idx->arena);
    free(idx);
}

int cordon_index_write(const cordon_index *idx, const char *path, cordon_error *err)
{
    if (!idx || !path)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no index or path to write");
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp)
        return cordon__fail(err, CORDON_ENOMEM, path, 0, 0, "out of memory");
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp.XXXXXX", 12);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return cordon__fail(err, CORDON_EIO, path, 0, 0, "cannot create a temporary file: %s",
                            strerror(e));
    }
    /* mkstemp makes 0600; a snapshot is data anyone may read. */
    mode_t um = umask(0);
    umask(um);
    if (fchmod(fd, 0666 & ~um) != 0) {
        /* not fatal: keep the private mode */
    }
    const unsigned char *p = idx->base;
    size_t left = idx->size;
    int rc = 0;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = cordon__fail(err, CORDON_EIO, tmp, 0, 0, "cannot write: %s",
                              n < 0 ? strerror(errno) : "short write");
            break;
        }
        p += n;
        left -= (size_t)n;
    }
    if (!rc && fsync(fd) != 0)
        rc = cordon__fail(err, CORDON_EIO, tmp, 0, 0, "cannot sync: %s", strerror(errno));
    if (close(fd) != 0 && !rc)
        rc = cordon__fail(err, CORDON_EIO, tmp, 0, 0, "cannot close: %s", strerror(errno));
    if (!rc && rename(tmp, path) != 0)
        rc = cordon__fail(err, CORDON_EIO, path, 0, 0, "cannot rename the temporary file: %s",
                          strerror(errno));
    if (rc)
        unlink(tmp);
    free(tmp);
    return rc;
}

/* ---- read side ------------------------------------------------------------ */

const char *cordon_index_hash(const cordon_index *idx) { return idx ? idx->hash : NULL; }

size_t cordon_index_source_count(const cordon_index *idx)
{
    return idx ? idx->meta->n_sources : 0;
}

const cordon_source_info *cordon_index_source(const cordon_index *idx, size_t index)
{
    if (!idx || index >= idx->meta->n_sources)
        return NULL;
    return &idx->infos[index];
}

size_t cordon_index_entity_count(const cordon_index *idx)
{
    return idx ? idx->meta->n_entities : 0;
}

size_t cordon_index_name_count(const cordon_index *idx) { return idx ? idx->meta->n_names : 0; }

int cordon_index_find(const cordon_index *idx, const char *id, size_t len, size_t *index)
{
    if (!idx || !id || !index)
        return CORDON_EINVAL;
    size_t lo = 0, hi = idx->meta->n_entities;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *s = idx->strings + idx->entities[idx->byid[mid]].id;
        int c = strncmp(s, id, len);
        if (c == 0 && s[len] != '\0')
            c = 1;
        if (c == 0) {
            *index = idx->byid[mid];
            return 0;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return CORDON_ENOTFOUND;
}

static void fill_countries(const cordon_index *idx, cordon_country *dst, uint32_t first,
                           uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const cx_country *c = &idx->countries[first + i];
        memcpy(dst[i].code, c->code, 2);
        dst[i].code[2] = '\0';
        dst[i].text = cx_str(idx, c->text);
    }
}

static void fill_strings(const cordon_index *idx, const char **dst, uint32_t off, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        dst[i] = cx_str(idx, idx->u32[off + i]);
}

int cordon_index_entity(const cordon_index *idx, size_t index, cordon_entity **out,
                        cordon_error *err)
{
    if (out)
        *out = NULL;
    if (!idx || !out || index >= idx->meta->n_entities)
        return cordon__fail(err, CORDON_EINVAL, NULL, 0, 0, "no entity at index %zu", index);
    const cx_entity *r = &idx->entities[index];
    /* One block: the struct, then each array, each aligned for pointers. */
    size_t sz = sizeof(cordon_entity);
    size_t o_names = sz;
    sz += r->n_names * sizeof(cordon_name);
    size_t o_dates = sz;
    sz += r->n_dates * sizeof(cordon_date);
    size_t o_places = sz;
    sz += r->n_places * sizeof(char *);
    size_t o_nats = sz;
    sz += r->n_nats * sizeof(cordon_country);
    size_t o_cits = sz;
    sz += r->n_cits * sizeof(cordon_country);
    size_t o_ctys = sz;
    sz += r->n_ctys * sizeof(cordon_country);
    size_t o_addrs = sz;
    sz += r->n_addrs * sizeof(char *);
    size_t o_ids = sz;
    sz += r->n_idents * sizeof(cordon_identifier);
    size_t o_progs = sz;
    sz += r->n_progs * sizeof(char *);
    _Static_assert(sizeof(cordon_country) % sizeof(void *) == 0, "alignment");
    _Static_assert(sizeof(cordon_date) % sizeof(void *) == 0, "alignment");
    _Static_assert(sizeof(cordon_name) % sizeof(void *) == 0, "alignment");
    unsigned char *blk = calloc(1, sz);
    if (!blk)
        return cordon__fail(err, CORDON_ENOMEM, NULL, 0, 0, "out of memory");
    cordon_entity *e = (cordon_entity *)blk;
    e->id = cx_str(idx, r->id);
    e->source = idx->infos[r->source].name;
    e->native_id = cx_str(idx, r->native_id);
    e->schema = (cordon_schema)r->schema;
    cordon_name *names = (cordon_name *)(blk + o_names);
    for (uint32_t i = 0; i < r->n_names; i++) {
        const cx_name *n = &idx->names[r->names + i];
        names[i].value = cx_str(idx, n->value);
        names[i].kind = (cordon_name_kind)n->kind;
    }
    e->names = names;
    e->n_names = r->n_names;
    cordon_date *dates = (cordon_date *)(blk + o_dates);
    for (uint32_t i = 0; i < r->n_dates; i++) {
        const cx_date *d = &idx->dates[r->dates + i];
        dates[i].year = d->year;
        dates[i].month = d->month;
        dates[i].day = d->day;
        dates[i].year_to = d->year_to;
        dates[i].flags = d->flags;
        dates[i].text = cx_str(idx, d->text);
    }
    e->birth_dates = dates;
    e->n_birth_dates = r->n_dates;
    fill_strings(idx, (const char **)(blk + o_places), r->places, r->n_places);
    e->birth_places = (const char *const *)(blk + o_places);
    e->n_birth_places = r->n_places;
    fill_countries(idx, (cordon_country *)(blk + o_nats), r->nats, r->n_nats);
    e->nationalities = (cordon_country *)(blk + o_nats);
    e->n_nationalities = r->n_nats;
    fill_countries(idx, (cordon_country *)(blk + o_cits), r->cits, r->n_cits);
    e->citizenships = (cordon_country *)(blk + o_cits);
    e->n_citizenships = r->n_cits;
    fill_countries(idx, (cordon_country *)(blk + o_ctys), r->ctys, r->n_ctys);
    e->countries = (cordon_country *)(blk + o_ctys);
    e->n_countries = r->n_ctys;
    fill_strings(idx, (const char **)(blk + o_addrs), r->addrs, r->n_addrs);
    e->addresses = (const char *const *)(blk + o_addrs);
    e->n_addresses = r->n_addrs;
    cordon_identifier *ids = (cordon_identifier *)(blk + o_ids);
    for (uint32_t i = 0; i < r->n_idents; i++) {
        const cx_ident *d = &idx->idents[r->idents + i];
        ids[i].type = (cordon_id_type)d->type;
        ids[i].label = cx_str(idx, d->label);
        ids[i].value = cx_str(idx, d->value);
        ids[i].country = cx_str(idx, d->country);
    }
    e->identifiers = ids;
    e->n_identifiers = r->n_idents;
    fill_strings(idx, (const char **)(blk + o_progs), r->progs, r->n_progs);
    e->programs = (const char *const *)(blk + o_progs);
    e->n_programs = r->n_progs;
    e->gender = cx_str(idx, r->gender);
    e->title = cx_str(idx, r->title);
    e->listed_on = cx_str(idx, r->listed_on);
    e->remarks = cx_str(idx, r->remarks);
    e->origin_file = cx_str(idx, r->origin_file);
    e->origin_line = r->origin_line;
    *out = e;
    return 0;
}

void cordon_entity_free(cordon_entity *e) { free(e); }

/* ---- table probes --------------------------------------------------------- */

const cx_slot *cordon__index_lookup(const cordon_index *idx, const cx_slot *tab, uint32_t cap,
                                    const char *key, size_t len)
{
    uint64_t h = cx_hash(key, len);
    uint32_t h32 = (uint32_t)h;
    for (uint32_t p = h32 & (cap - 1), probes = 0; probes < cap; p = (p + 1) & (cap - 1), probes++) {
        const cx_slot *s = &tab[p];
        if (!s->val_len)
            return NULL;
        if (s->hash == h32) {
            const char *k = idx->strings + s->key;
            if (strncmp(k, key, len) == 0 && k[len] == '\0')
                return s;
        }
    }
    return NULL;
}

void cordon__index_lookup_del(const cordon_index *idx, uint64_t h, const uint32_t **vals,
                              uint32_t *n)
{
    uint32_t lo = (uint32_t)h, hi = (uint32_t)(h >> 32);
    if (hi == 0)
        hi = 1;
    uint32_t cap = idx->meta->tab_del_cap;
    *n = 0;
    *vals = NULL;
    for (uint32_t p = lo & (cap - 1), probes = 0; probes < cap; p = (p + 1) & (cap - 1), probes++) {
        const cx_dslot *d = &idx->tab_del[p];
        if (!d->check)
            return;
        if (d->check == hi) {
            if (d->val & CX_DEL_LIST) {
                const uint32_t *l = idx->u32 + (d->val & ~CX_DEL_LIST);
                *n = l[0];
                *vals = l + 1;
            } else {
                *n = 1;
                *vals = &d->val;
            }
            return;
        }
    }
}

void cordon__index_entity_hash(const cordon_index *idx, size_t i, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *h = idx->entity_hash + 32 * i;
    for (size_t k = 0; k < 32; k++) {
        out[2 * k] = hex[h[k] >> 4];
        out[2 * k + 1] = hex[h[k] & 15];
    }
    out[64] = '\0';
}
