/*
 * directory.c: the LPK directory's CSV file mapped to unified TrainingCenter records, once, in
 * `create`. Rows that cannot be used are rejected with their line and reason; values that
 * can be used only in part give DataWarnings on the record. Nothing is dropped silently. The
 * records and the status message are rendered to JSON here and never change afterwards, so
 * calls on any number of threads only read them.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lpk.h"

/* The largest file read (the directory of one regency is a few hundred rows). */
#define MAX_FILE_BYTES (64u << 20)
#define MAX_WARNINGS 8
#define ISSUER "Dinas Tenaga Kerja Kabupaten Tangerang"

enum { ID, NAMA, JENIS, KEJURUAN, ALAMAT, KODE_WILAYAH, TAHUN_BERDIRI, IZIN_NO, AKTIF, N_COLUMNS };
/* lpk_directory counts NFC repairs per column in arrays of 16. */
typedef char columns_fit_the_nfc_counters[N_COLUMNS <= 16 ? 1 : -1];
static const char *const COLUMNS[N_COLUMNS] = {
    "id", "nama", "jenis", "kejuruan", "alamat", "kode_wilayah", "tahun_berdiri", "izin_no", "aktif",
};

/* The directory's `jenis` values and the unified institution type and sector they mean. */
static const struct {
    const char *jenis;
    const char *type;
    const char *sector;
} KINDS[] = {
    {"LPK", "LPK", "PRIVATE"},
    {"LKP", "LKP", "PRIVATE"},
    {"BLKK", "BLKK", "COMMUNITY"},
    {"BLK KOMUNITAS", "BLKK", "COMMUNITY"},
};

typedef struct warning {
    const char *code;
    const char *field;
    char message[200];
} warning;

typedef struct record {
    warning warnings[MAX_WARNINGS];
    size_t n_warnings;
} record;

/* At most 40 bytes of `value`, cut at a character boundary (so the message stays UTF-8),
 * with "..." when cut. */
static const char *clip(const char *value, char out[48]) {
    size_t n = strlen(value);
    if (n <= 40) {
        return value;
    }
    n = 40;
    while (n > 0 && ((unsigned char)value[n] & 0xc0) == 0x80) {
        n--;
    }
    memcpy(out, value, n);
    memcpy(out + n, "...", 4);
    return out;
}

static void warn(record *r, const char *code, const char *field, const char *format,
                 const char *value) {
    char clipped[48];
    if (r->n_warnings < MAX_WARNINGS) {
        warning *w = &r->warnings[r->n_warnings++];
        w->code = code;
        w->field = field;
        snprintf(w->message, sizeof w->message, format, clip(value, clipped));
    }
}

/* Trim blanks in place; returns the trimmed text (NUL-terminated, maybe empty). */
static char *trim(char *s) {
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) {
        s[--n] = '\0';
    }
    return s;
}

static int equals_ignoring_case(const char *a, const char *b) {
    for (; *a && *b; a++, b++) {
        if (toupper((unsigned char)*a) != toupper((unsigned char)*b)) {
            return 0;
        }
    }
    return *a == *b;
}

static int all_digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return n > 0;
}

/* A Kemendagri code, dotted (`36.03.18`) or not (`360318`), as dotted text in out[24];
 * 0 when it is neither. */
static int region_code(const char *raw, char out[24]) {
    static const size_t SEGMENTS[] = {2, 2, 2, 4};
    size_t n = strlen(raw);
    if (all_digits(raw, n)) {
        size_t at = 0, o = 0;
        for (size_t k = 0; k < 4 && at < n; k++) {
            if (n - at < SEGMENTS[k]) {
                return 0;
            }
            if (k > 0) {
                out[o++] = '.';
            }
            memcpy(out + o, raw + at, SEGMENTS[k]);
            o += SEGMENTS[k];
            at += SEGMENTS[k];
        }
        out[o] = '\0';
        return at == n;
    }
    size_t k = 0, at = 0;
    while (k < 4) {
        const char *dot = strchr(raw + at, '.');
        size_t len = dot != NULL ? (size_t)(dot - (raw + at)) : n - at;
        if (len != SEGMENTS[k] || !all_digits(raw + at, len)) {
            return 0;
        }
        k++;
        at += len;
        if (dot == NULL) {
            break;
        }
        at++;
    }
    if (at != n || n >= 24) {
        return 0;
    }
    memcpy(out, raw, n + 1);
    return 1;
}

static int this_year(void) {
    time_t now = time(NULL);
    struct tm tm;
    return gmtime_r(&now, &tm) != NULL ? tm.tm_year + 1900 : 9999;
}

/* Render one usable row (its cells trimmed) as a TrainingCenter record. */
static void render(lpk_out *out, char **cell, record *r) {
    /* institutionType and sector, from jenis */
    const char *type = "OTHER", *sector = NULL;
    const char *jenis = cell[JENIS];
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++) {
        if (equals_ignoring_case(jenis, KINDS[i].jenis)) {
            type = KINDS[i].type;
            sector = KINDS[i].sector;
        }
    }
    if (*jenis == '\0') {
        warn(r, "VALUE_MISSING", "institutionType", "jenis is empty%s", "");
    } else if (sector == NULL) {
        warn(r, "ENUM_UNKNOWN", "institutionType", "jenis '%s' is not a known kind of institution; served as OTHER", jenis);
    }
    /* regionCode */
    char region[24];
    int has_region = 0;
    if (*cell[KODE_WILAYAH] != '\0') {
        has_region = region_code(cell[KODE_WILAYAH], region);
        if (!has_region) {
            warn(r, "VALUE_INVALID", "regionCode", "kode_wilayah '%s' is not a Kemendagri code; dropped", cell[KODE_WILAYAH]);
        }
    }
    /* foundedYear */
    long year = 0;
    const char *tahun = cell[TAHUN_BERDIRI];
    if (*tahun != '\0') {
        if (strlen(tahun) != 4 || !all_digits(tahun, 4)) {
            warn(r, "VALUE_INVALID", "foundedYear", "tahun_berdiri '%s' is not a year; dropped", tahun);
        } else if ((year = strtol(tahun, NULL, 10)) < 1900 || year > this_year()) {
            warn(r, "VALUE_OUT_OF_RANGE", "foundedYear", "tahun_berdiri %s is not a plausible founding year; dropped", tahun);
            year = 0;
        }
    }
    /* active */
    const char *aktif = cell[AKTIF];
    const char *active = "null";
    if (equals_ignoring_case(aktif, "ya") || equals_ignoring_case(aktif, "aktif") || equals_ignoring_case(aktif, "1")) {
        active = "true";
    } else if (equals_ignoring_case(aktif, "tidak") || equals_ignoring_case(aktif, "nonaktif") || equals_ignoring_case(aktif, "0")) {
        active = "false";
    } else if (*aktif != '\0') {
        warn(r, "VALUE_INVALID", "active", "aktif '%s' is neither ya nor tidak; dropped", aktif);
    }

    lpk_out_raw(out, "{\"sourceId\":");
    lpk_out_opt_string(out, cell[ID]);
    lpk_out_raw(out, ",\"warnings\":[");
    for (size_t i = 0; i < r->n_warnings; i++) {
        lpk_out_raw(out, i ? ",{\"code\":" : "{\"code\":");
        lpk_out_opt_string(out, r->warnings[i].code);
        lpk_out_raw(out, ",\"field\":");
        lpk_out_opt_string(out, r->warnings[i].field);
        lpk_out_raw(out, ",\"message\":");
        lpk_out_opt_string(out, r->warnings[i].message);
        lpk_out_raw(out, "}");
    }
    lpk_out_raw(out, "],\"name\":");
    lpk_out_opt_string(out, cell[NAMA]);
    lpk_out_raw(out, ",\"alternateNames\":[],\"institutionType\":");
    lpk_out_opt_string(out, type);
    lpk_out_raw(out, ",\"sector\":");
    lpk_out_opt_string(out, sector);
    lpk_out_raw(out, ",\"supervisorId\":null,\"address\":");
    if (*cell[ALAMAT] != '\0' || has_region) {
        lpk_out_raw(out, "{\"streetAddress\":");
        lpk_out_opt_string(out, *cell[ALAMAT] != '\0' ? cell[ALAMAT] : NULL);
        lpk_out_raw(out, ",\"regionCode\":");
        lpk_out_opt_string(out, has_region ? region : NULL);
        lpk_out_raw(out, "}");
    } else {
        lpk_out_raw(out, "null");
    }
    lpk_out_raw(out, ",\"foundedYear\":");
    if (year > 0) {
        lpk_out_u64(out, (uint64_t)year);
    } else {
        lpk_out_raw(out, "null");
    }
    lpk_out_raw(out, ",\"areaHectares\":null,\"facilities\":[],\"fields\":[");
    /* kejuruan: a `;`-separated list */
    int first = 1;
    for (char *part = cell[KEJURUAN]; part != NULL;) {
        char *semi = strchr(part, ';');
        if (semi != NULL) {
            *semi = '\0';
        }
        char *name = trim(part);
        if (*name != '\0') {
            lpk_out_raw(out, first ? "{\"code\":null,\"name\":" : ",{\"code\":null,\"name\":");
            lpk_out_opt_string(out, name);
            lpk_out_raw(out, "}");
            first = 0;
        }
        part = semi != NULL ? semi + 1 : NULL;
    }
    lpk_out_raw(out, "],\"licenses\":[");
    if (*cell[IZIN_NO] != '\0') {
        lpk_out_raw(out, "{\"kind\":\"DISNAKER_OPERATING_LICENSE\",\"number\":");
        lpk_out_opt_string(out, cell[IZIN_NO]);
        lpk_out_raw(out, ",\"issuer\":\"" ISSUER "\",\"issuedOn\":null,\"validUntil\":null}");
    }
    lpk_out_raw(out, "],\"yearsOfExperience\":null,\"contact\":null,\"active\":");
    lpk_out_raw(out, active);
    lpk_out_raw(out, "}");
}

static char *copy_text(const char *text) {
    size_t n = strlen(text);
    char *copy = malloc(n + 1);
    if (copy != NULL) {
        memcpy(copy, text, n + 1);
    }
    return copy;
}

/* Append an issue to *list (of *n, room for *cap). 0 when out of memory. */
static int add_issue(lpk_issue **list, size_t *n, size_t *cap, const char *code,
                     unsigned long line, const char *key, const char *reason) {
    if (*n == *cap) {
        size_t grown = *cap ? *cap * 2 : 8;
        lpk_issue *issues = realloc(*list, grown * sizeof *issues);
        if (issues == NULL) {
            return 0;
        }
        *list = issues;
        *cap = grown;
    }
    lpk_issue *issue = &(*list)[*n];
    issue->code = code;
    issue->line = line;
    issue->key = key != NULL ? copy_text(key) : NULL;
    issue->reason = copy_text(reason);
    if (issue->reason == NULL || (key != NULL && issue->key == NULL)) {
        free(issue->key);
        free(issue->reason);
        return 0;
    }
    (*n)++;
    return 1;
}

static int reject(lpk_directory *dir, size_t *cap, const char *code, unsigned long line,
                  const char *reason) {
    return add_issue(&dir->rejected, &dir->n_rejected, cap, code, line, NULL, reason);
}

static int notice(lpk_directory *dir, size_t *cap, const char *code, unsigned long line,
                  const char *key, const char *reason) {
    return add_issue(&dir->notices, &dir->n_notices, cap, code, line, key, reason);
}

static char *read_file(const char *path, size_t *len, char **message) {
    FILE *f = fopen(path, "rb");
    struct stat st;
    int err = 0;
    char *text = NULL;
    if (f == NULL || fstat(fileno(f), &st) != 0) {
        err = errno;
    } else if (!S_ISREG(st.st_mode)) {
        err = EISDIR;
    } else if ((uintmax_t)st.st_size > MAX_FILE_BYTES) {
        err = EFBIG;
    } else if ((text = malloc((size_t)st.st_size + 1)) == NULL) {
        err = ENOMEM;
    } else if (fread(text, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
        err = EIO;
    }
    if (f != NULL) {
        fclose(f);
    }
    if (err != 0) {
        free(text);
        const char *why = err == ENOENT ? "no such file" : err == EACCES ? "permission denied"
                        : err == EISDIR ? "not a regular file" : err == EFBIG ? "larger than 64 MiB"
                        : err == ENOMEM ? "out of memory" : "read error";
        *message = malloc(strlen(path) + 64);
        if (*message != NULL) {
            sprintf(*message, "cannot read %s: %s", path, why);
        }
        return NULL;
    }
    *len = (size_t)st.st_size;
    return text;
}

/* The status message, from what was loaded. */
static void render_status(lpk_directory *dir, lpk_out *out, const char *source, time_t mtime) {
    char as_of[32];
    struct tm tm;
    lpk_out_raw(out, "{\"kind\":\"status\",\"body\":{\"dataAsOf\":");
    if (gmtime_r(&mtime, &tm) != NULL && strftime(as_of, sizeof as_of, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0) {
        lpk_out_opt_string(out, as_of);
    } else {
        lpk_out_raw(out, "null");
    }
    lpk_out_raw(out, ",\"recordCounts\":{\"trainingCenters\":");
    lpk_out_u64(out, dir->n_centers);
    lpk_out_raw(out, "},\"rejected\":[");
    for (size_t i = 0; i < dir->n_rejected; i++) {
        lpk_out_raw(out, i ? ",{\"source\":" : "{\"source\":");
        lpk_out_opt_string(out, source);
        lpk_out_raw(out, ",\"code\":");
        lpk_out_opt_string(out, dir->rejected[i].code);
        lpk_out_raw(out, ",\"line\":");
        lpk_out_u64(out, dir->rejected[i].line);
        lpk_out_raw(out, ",\"reason\":");
        lpk_out_opt_string(out, dir->rejected[i].reason);
        lpk_out_raw(out, "}");
    }
    lpk_out_raw(out, "],\"notices\":[");
    for (size_t i = 0; i < dir->n_notices; i++) {
        const lpk_issue *n = &dir->notices[i];
        lpk_out_raw(out, i ? ",{\"source\":" : "{\"source\":");
        lpk_out_opt_string(out, source);
        lpk_out_raw(out, ",\"code\":");
        lpk_out_opt_string(out, n->code);
        lpk_out_raw(out, ",\"line\":");
        if (n->line > 0) {
            lpk_out_u64(out, n->line);
        } else {
            lpk_out_raw(out, "null");
        }
        lpk_out_raw(out, ",\"key\":");
        lpk_out_opt_string(out, n->key);
        lpk_out_raw(out, ",\"reason\":");
        lpk_out_opt_string(out, n->reason);
        lpk_out_raw(out, "}");
    }
    lpk_out_raw(out, "],\"warnings\":");
    lpk_out_u64(out, dir->n_warned);
    lpk_out_raw(out, "}}");
}

/* Map one data row: a record in dir->centers, or a reason to reject it in reason[] (empty
 * when the row was used). 0 when out of memory. */
/* Load one row as a centre. Returns 0 only when out of memory; a row that cannot be used
 * leaves its reason in `reason` and its code in `*code` (empty reason: loaded). */
static int load_row(lpk_directory *dir, lpk_row *row, const int column[N_COLUMNS],
                    size_t n_header, size_t *centers_cap, char *reason, size_t reason_size,
                    const char **code) {
    reason[0] = '\0';
    *code = "ROW_MALFORMED";
    for (size_t i = 0; i < row->n_cells; i++) {
        if (!lpk_utf8_valid(row->cells[i], strlen(row->cells[i]))) {
            snprintf(reason, reason_size, "the row is not valid UTF-8");
            return 1;
        }
    }
    if (row->n_cells != n_header) {
        int more = row->n_cells > n_header;
        unsigned long by = (unsigned long)(more ? row->n_cells - n_header : n_header - row->n_cells);
        snprintf(reason, reason_size, "%lu cell%s %s than the header (%s)", by, by == 1 ? "" : "s",
                 more ? "more" : "fewer", more ? "an unquoted comma?" : "cells lost?");
        return 1;
    }
    char *cell[N_COLUMNS];
    static char absent[1] = "";
    for (int c = 0; c < N_COLUMNS; c++) {
        cell[c] = column[c] < 0 ? absent : trim(row->cells[column[c]]);
        if (column[c] >= 0) {
            int nfc = lpk_nfc(cell[c]);
            dir->nfc_composed[c] += nfc == LPK_NFC_COMPOSED;
            dir->nfc_left[c] += nfc == LPK_NFC_LEFT;
        }
    }
    *code = "ROW_SKIPPED_INVALID_REQUIRED";
    if (*cell[ID] == '\0') {
        snprintf(reason, reason_size, "id is empty");
        return 1;
    }
    for (size_t i = 0; i < dir->n_centers; i++) {
        if (strcmp(dir->centers[i].id, cell[ID]) == 0) {
            char clipped[48];
            *code = "DUPLICATE_KEY_CONFLICT";
            snprintf(reason, reason_size, "id %s appears earlier in the file (line %lu); this row is ignored",
                     clip(cell[ID], clipped), dir->centers[i].line);
            return 1;
        }
    }
    *code = "ROW_SKIPPED_INVALID_REQUIRED";
    if (*cell[NAMA] == '\0') {
        snprintf(reason, reason_size, "nama is empty");
        return 1;
    }
    if (dir->n_centers == *centers_cap) {
        size_t grown = *centers_cap ? *centers_cap * 2 : 32;
        lpk_center *centers = realloc(dir->centers, grown * sizeof *centers);
        if (centers == NULL) {
            return 0;
        }
        dir->centers = centers;
        *centers_cap = grown;
    }
    record r = {.n_warnings = 0};
    lpk_out out = {0};
    render(&out, cell, &r);
    char *id = copy_text(cell[ID]);
    if (out.failed || id == NULL) {
        free(id);
        lpk_out_free(&out);
        return 0;
    }
    lpk_center *center = &dir->centers[dir->n_centers++];
    center->id = id;
    center->line = row->line;
    center->json = lpk_out_take(&out, &center->json_len);
    dir->n_warned += r.n_warnings > 0;
    return 1;
}

int lpk_directory_load(lpk_directory *dir, const char *path, const char **code, char **message) {
    memset(dir, 0, sizeof *dir);
    *code = "SOURCE_UNAVAILABLE";
    *message = NULL;
    size_t len = 0;
    char *text = read_file(path, &len, message);
    if (text == NULL) {
        return -1;
    }
    struct stat st;
    time_t mtime = stat(path, &st) == 0 ? st.st_mtime : time(NULL);
    const char *source = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;

    lpk_csv csv;
    lpk_row row;
    const char *error = NULL;
    int column[N_COLUMNS];
    size_t n_header = 0, centers_cap = 0, rejected_cap = 0, notices_cap = 0, data_rows = 0;
    int status = -1;
    lpk_out status_out = {0};
    lpk_csv_open(&csv, text, len);
    *code = "SOURCE_INVALID";
    int ok = 1;
    int more = len == 0 ? 0 : lpk_csv_next(&csv, &row, &error);
    if (more == 0) {
        /* 0 bytes: served as an empty directory, with a notice. */
        ok = notice(dir, &notices_cap, "FILE_EMPTY", 0, NULL,
                    "the file is empty: no header and no rows; no institutions are served");
        goto rows;
    }
    if (more != 1) {
        *message = copy_text("the file has no readable header row");
        goto done;
    }
    n_header = row.n_cells;
    for (int c = 0; c < N_COLUMNS; c++) {
        column[c] = -1;
        for (size_t i = 0; i < row.n_cells; i++) {
            if (strcmp(trim(row.cells[i]), COLUMNS[c]) == 0) {
                column[c] = (int)i;
            }
        }
        /* id and nama are required; any other column may be absent (its values are). */
        if (column[c] < 0 && (c == ID || c == NAMA)) {
            *message = malloc(strlen(source) + 64);
            if (*message != NULL) {
                sprintf(*message, "%s: the header has no column `%s`", source, COLUMNS[c]);
            }
            lpk_row_free(&row);
            goto done;
        }
        if (column[c] < 0) {
            ok = ok && notice(dir, &notices_cap, "MISSING_OPTIONAL_COLUMNS", 1, COLUMNS[c],
                              "an optional column is not in the header; its values are not served");
        }
    }
    for (size_t i = 0; i < row.n_cells; i++) {
        int known = 0;
        for (int c = 0; c < N_COLUMNS; c++) {
            known |= column[c] == (int)i;
        }
        if (!known && ok) {
            char clipped[48];
            char why[120];
            snprintf(why, sizeof why, "column `%s` is not part of the directory; ignored",
                     clip(trim(row.cells[i]), clipped));
            ok = notice(dir, &notices_cap, "UNKNOWN_COLUMN_IGNORED", 1, trim(row.cells[i]), why);
        }
    }
    lpk_row_free(&row);

    while (ok && (more = lpk_csv_next(&csv, &row, &error)) != 0) {
        data_rows++;
        char reason[200];
        const char *issue_code = "ROW_MALFORMED";
        if (more < 0) {
            ok = reject(dir, &rejected_cap, issue_code, row.line, error);
            continue;
        }
        ok = load_row(dir, &row, column, n_header, &centers_cap, reason, sizeof reason,
                      &issue_code);
        if (ok && reason[0] != '\0') {
            ok = reject(dir, &rejected_cap, issue_code, row.line, reason);
        }
        lpk_row_free(&row);
    }
    if (ok && data_rows == 0) {
        ok = notice(dir, &notices_cap, "FILE_NO_ROWS", 0, NULL,
                    "the file has a header and no rows; no institutions are served");
    }
    /* Text in NFD, once per column: composed (served in NFC), or not composable here. */
    for (int c = 0; ok && c < N_COLUMNS; c++) {
        char why[160];
        if (dir->nfc_composed[c] > 0) {
            snprintf(why, sizeof why, "%lu cell%s of column `%s` written in NFD %s served in NFC",
                     dir->nfc_composed[c], dir->nfc_composed[c] == 1 ? "" : "s", COLUMNS[c],
                     dir->nfc_composed[c] == 1 ? "is" : "are");
            ok = notice(dir, &notices_cap, "TEXT_NORMALIZED_NFC", 0, COLUMNS[c], why);
        }
        if (ok && dir->nfc_left[c] > 0) {
            snprintf(why, sizeof why,
                     "%lu cell%s of column `%s` hold a combining mark this adapter cannot compose "
                     "(it knows Latin-1's letters); served as read, not in NFC",
                     dir->nfc_left[c], dir->nfc_left[c] == 1 ? "" : "s", COLUMNS[c]);
            ok = notice(dir, &notices_cap, "TEXT_NOT_NFC", 0, COLUMNS[c], why);
        }
    }
rows:
    if (!ok) {
        *code = "INTERNAL";
        *message = copy_text("out of memory while reading the directory");
        goto done;
    }
    render_status(dir, &status_out, source, mtime);
    if (status_out.failed) {
        lpk_out_free(&status_out);
        *code = "INTERNAL";
        *message = copy_text("out of memory while reading the directory");
        goto done;
    }
    dir->status_json = lpk_out_take(&status_out, &dir->status_len);
    status = 0;
done:
    free(text);
    if (status != 0) {
        lpk_directory_free(dir);
    }
    return status;
}

void lpk_directory_free(lpk_directory *dir) {
    for (size_t i = 0; i < dir->n_centers; i++) {
        free(dir->centers[i].id);
        free(dir->centers[i].json);
    }
    for (size_t i = 0; i < dir->n_rejected; i++) {
        free(dir->rejected[i].key);
        free(dir->rejected[i].reason);
    }
    for (size_t i = 0; i < dir->n_notices; i++) {
        free(dir->notices[i].key);
        free(dir->notices[i].reason);
    }
    free(dir->notices);
    free(dir->centers);
    free(dir->rejected);
    free(dir->status_json);
    memset(dir, 0, sizeof *dir);
}
