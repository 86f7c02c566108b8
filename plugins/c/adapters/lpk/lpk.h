/*
 * lpk.h: the pieces of the LPK adapter shared between its files (CSV reading, JSON in and out,
 * the directory of institutions). Only adapter.c touches the ABI; everything here is private
 * to the library (hidden visibility), so no name can clash with the host or another plugin.
 */
#ifndef LPK_H
#define LPK_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define LPK_HIDDEN __attribute__((visibility("hidden")))
#define LPK_EXPORT __attribute__((visibility("default")))
#else
#define LPK_HIDDEN
#define LPK_EXPORT
#endif

/* ---- json_out.c: a growable byte buffer that writes JSON ------------------------------- */

/* Bytes being written. On allocation failure `failed` is set and later writes do nothing,
 * so a writer checks once at the end. */
typedef struct lpk_out {
    char *ptr;
    size_t len;
    size_t cap;
    int failed;
} lpk_out;

LPK_HIDDEN void lpk_out_bytes(lpk_out *out, const char *bytes, size_t len);
/* A NUL-terminated literal, written as is (JSON punctuation, keys). */
LPK_HIDDEN void lpk_out_raw(lpk_out *out, const char *text);
/* A JSON string: quoted, with `"`, `\` and control characters escaped. `text` is UTF-8. */
LPK_HIDDEN void lpk_out_string(lpk_out *out, const char *text, size_t len);
/* A JSON string from a NUL-terminated text, or `null` when `text` is NULL. */
LPK_HIDDEN void lpk_out_opt_string(lpk_out *out, const char *text);
LPK_HIDDEN void lpk_out_u64(lpk_out *out, uint64_t value);
/* Give the bytes away (the caller frees them); the buffer is empty afterwards. */
LPK_HIDDEN char *lpk_out_take(lpk_out *out, size_t *len);
LPK_HIDDEN void lpk_out_free(lpk_out *out);

/* ---- json_in.c: a small, strict JSON parser (RFC 8259) --------------------------------- */

typedef enum lpk_json_type {
    LPK_JSON_NULL,
    LPK_JSON_FALSE,
    LPK_JSON_TRUE,
    LPK_JSON_NUMBER,
    LPK_JSON_STRING,
    LPK_JSON_ARRAY,
    LPK_JSON_OBJECT,
} lpk_json_type;

/* A parsed value. It owns copies of everything: nothing points into the parsed bytes, so
 * the bytes may go away (the request buffer of `call`) while the value is still used. */
typedef struct lpk_json {
    lpk_json_type type;
    /* The member's name, when this value is a member of an object (decoded UTF-8). */
    char *key;
    size_t key_len;
    /* A string's decoded UTF-8, or a number's literal text. NUL-terminated as well. */
    char *text;
    size_t text_len;
    /* Elements of an array, members of an object. */
    struct lpk_json *items;
    size_t n_items;
} lpk_json;

/* Parse `len` bytes (any bytes: invalid input is an error, never a crash). Returns NULL and
 * a static reason in *error when the bytes are not one JSON value. */
LPK_HIDDEN lpk_json *lpk_json_parse(const uint8_t *bytes, size_t len, const char **error);
LPK_HIDDEN void lpk_json_free(lpk_json *value);
/* The first member of an object called `key`, or NULL (also when `object` is not one). */
LPK_HIDDEN const lpk_json *lpk_json_get(const lpk_json *object, const char *key);
/* Whether the value is absent or null. */
LPK_HIDDEN int lpk_json_is_null(const lpk_json *value);
/* A non-negative integer without fraction or exponent. 1 on success. */
LPK_HIDDEN int lpk_json_u64(const lpk_json *value, uint64_t *out);

/* ---- csv.c: RFC 4180 rows with the line each starts on -------------------------------- */

typedef struct lpk_row {
    /* 1-based physical line where the row starts. */
    unsigned long line;
    /* The cells, unquoted, each NUL-terminated, pointing into `storage`. */
    char **cells;
    size_t n_cells;
    char *storage;
} lpk_row;

typedef struct lpk_csv {
    const char *p;
    const char *end;
    unsigned long line;
} lpk_csv;

/* Start reading `len` bytes of `text` (a leading UTF-8 byte-order mark is skipped). */
LPK_HIDDEN void lpk_csv_open(lpk_csv *csv, const char *text, size_t len);
/* The next non-blank row: 1 with *row filled (free it with lpk_row_free), 0 at the end,
 * -1 with *error set when the row cannot be read (an unterminated quote, no memory); the
 * row's line is still set so that the caller can report it. */
LPK_HIDDEN int lpk_csv_next(lpk_csv *csv, lpk_row *row, const char **error);
LPK_HIDDEN void lpk_row_free(lpk_row *row);
/* Whether `len` bytes are valid UTF-8. */
LPK_HIDDEN int lpk_utf8_valid(const char *text, size_t len);

/* ---- directory.c: the institutions, read once and immutable afterwards ----------------- */

/* One training institution, its record already rendered as JSON. */
typedef struct lpk_center {
    char *id;
    /* Where its row starts in the file. */
    unsigned long line;
    char *json;
    size_t json_len;
} lpk_center;

/* A row that could not be used, or a notice (what was ignored or is missing). */
typedef struct lpk_issue {
    const char *code; /* static: ROW_MALFORMED, DUPLICATE_KEY_CONFLICT, ... */
    unsigned long line;
    char *key;
    char *reason;
} lpk_issue;

/* What lpk_nfc did to a text. */
enum { LPK_NFC_SAME = 0, LPK_NFC_COMPOSED = 1, LPK_NFC_LEFT = 2 };
/* Compose the Latin-1 letters written in NFD (a letter + a combining mark) in place; returns
 * LPK_NFC_COMPOSED when it did, LPK_NFC_LEFT when a combining mark it cannot compose
 * remains (then the text is not in NFC), else LPK_NFC_SAME. `text` is valid UTF-8. */
LPK_HIDDEN int lpk_nfc(char *text);

typedef struct lpk_directory {
    lpk_center *centers;
    size_t n_centers;
    lpk_issue *rejected;
    size_t n_rejected;
    /* What was ignored or is missing (an empty file, no rows, an unknown or absent optional
     * column): line 0 when it has none; `key` the column, or NULL. */
    lpk_issue *notices;
    size_t n_notices;
    /* Records served with at least one DataWarning. */
    size_t n_warned;
    /* Per column: cells composed to NFC, and cells left with a combining mark. */
    unsigned long nfc_composed[16];
    unsigned long nfc_left[16];
    /* The status response message, rendered once. */
    char *status_json;
    size_t status_len;
} lpk_directory;

/* Read `path` into *dir. 0 on success; otherwise -1 with an AdapterError code and message
 * (malloc'ed, to be freed by the caller) in *code / *message. */
LPK_HIDDEN int lpk_directory_load(lpk_directory *dir, const char *path, const char **code,
                                  char **message);
LPK_HIDDEN void lpk_directory_free(lpk_directory *dir);

#endif /* LPK_H */
