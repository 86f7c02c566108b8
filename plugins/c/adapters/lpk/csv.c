/*
 * csv.c: reading RFC 4180 CSV (comma-separated, `"` quoting with `""` for a quote, CRLF or
 * LF) row by row, remembering the physical line each row starts on, so that a rejected row
 * can be named by file and line. Also the UTF-8 check every cell goes through before it can
 * reach a JSON message.
 */
#include <stdlib.h>
#include <string.h>

#include "lpk.h"

void lpk_csv_open(lpk_csv *csv, const char *text, size_t len) {
    csv->p = text;
    csv->end = text + len;
    csv->line = 1;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        csv->p += 3;
    }
}

void lpk_row_free(lpk_row *row) {
    free(row->cells);
    free(row->storage);
    row->cells = NULL;
    row->storage = NULL;
    row->n_cells = 0;
}

/* Whether the physical line starting at p (up to end) holds only blanks. */
static int blank_line(const char *p, const char *end) {
    for (; p < end && *p != '\n'; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\r') {
            return 0;
        }
    }
    return 1;
}

/* What one pass over a row found. */
typedef struct scan {
    const char *next;     /* where the following row starts */
    size_t bytes;         /* unquoted bytes, NULs included */
    size_t cells;
    unsigned long lines;  /* newlines consumed */
    int unterminated;
} scan;

/* Read the row at p. With `storage`/`cells` NULL it only measures; otherwise it writes the
 * unquoted cells (the same pass, so the two can never disagree). */
static scan scan_row(const char *p, const char *end, char *storage, char **cells) {
    scan s = {p, 0, 1, 0, 0};
    size_t cell_bytes = 0; /* written to the current cell so far */
    int quoted = 0, in_quotes = 0;
#define PUT(ch)                                                                            \
    do {                                                                                   \
        if (storage != NULL) storage[s.bytes] = (ch);                                      \
        s.bytes++;                                                                         \
        cell_bytes++;                                                                      \
    } while (0)
    if (cells != NULL) {
        cells[0] = storage;
    }
    for (;;) {
        if (p >= end) {
            s.unterminated = in_quotes;
            break;
        }
        char c = *p++;
        if (in_quotes) {
            if (c != '"') {
                s.lines += (c == '\n');
                PUT(c);
            } else if (p < end && *p == '"') {
                PUT('"');
                p++;
            } else {
                in_quotes = 0;
            }
        } else if (c == '"' && !quoted && cell_bytes == 0) {
            in_quotes = quoted = 1;
        } else if (c == ',') {
            if (storage != NULL) storage[s.bytes] = '\0';
            s.bytes++;
            if (cells != NULL) cells[s.cells] = storage + s.bytes;
            s.cells++;
            cell_bytes = 0;
            quoted = 0;
        } else if (c == '\n') {
            s.lines++;
            break;
        } else if (c == '\r' && (p >= end || *p == '\n')) {
            /* the CR of a CRLF line end */
        } else {
            /* Text after a closing quote (`"a"b`) is kept, as most readers do. */
            PUT(c);
        }
    }
#undef PUT
    if (storage != NULL) storage[s.bytes] = '\0';
    s.bytes++;
    s.next = p;
    return s;
}

int lpk_csv_next(lpk_csv *csv, lpk_row *row, const char **error) {
    memset(row, 0, sizeof *row);
    /* Skip blank lines: they are not rows. */
    while (csv->p < csv->end && blank_line(csv->p, csv->end)) {
        const char *nl = memchr(csv->p, '\n', (size_t)(csv->end - csv->p));
        csv->p = nl != NULL ? nl + 1 : csv->end;
        csv->line++;
    }
    if (csv->p >= csv->end) {
        return 0;
    }
    row->line = csv->line;
    scan measured = scan_row(csv->p, csv->end, NULL, NULL);
    csv->line += measured.lines;
    if (measured.unterminated) {
        csv->p = csv->end;
        *error = "unterminated quoted cell";
        return -1;
    }
    row->storage = malloc(measured.bytes);
    row->cells = malloc(measured.cells * sizeof *row->cells);
    if (row->storage == NULL || row->cells == NULL) {
        lpk_row_free(row);
        csv->p = measured.next;
        *error = "out of memory";
        return -1;
    }
    scan_row(csv->p, csv->end, row->storage, row->cells);
    row->n_cells = measured.cells;
    csv->p = measured.next;
    return 1;
}

int lpk_utf8_valid(const char *text, size_t len) {
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned cp;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (len - i - 1 < n) {
            return 0;
        }
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        /* Overlong forms, surrogates and values past U+10FFFF. */
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff)) {
            return 0;
        }
        i += n + 1;
    }
    return 1;
}
