/*
 * json_out.c: writing JSON into a growable buffer, with the escaping RFC 8259 requires
 * (quote, backslash and every control character). Input text is UTF-8 already checked by
 * the CSV reader, so bytes >= 0x80 are copied as they are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lpk.h"

static int reserve(lpk_out *out, size_t more) {
    if (out->failed) {
        return 0;
    }
    if (more <= out->cap - out->len) {
        return 1;
    }
    size_t cap = out->cap ? out->cap : 256;
    while (cap - out->len < more) {
        if (cap > SIZE_MAX / 2) {
            out->failed = 1;
            return 0;
        }
        cap *= 2;
    }
    char *grown = realloc(out->ptr, cap);
    if (grown == NULL) {
        out->failed = 1;
        return 0;
    }
    out->ptr = grown;
    out->cap = cap;
    return 1;
}

void lpk_out_bytes(lpk_out *out, const char *bytes, size_t len) {
    if (len == 0 || !reserve(out, len)) {
        return;
    }
    memcpy(out->ptr + out->len, bytes, len);
    out->len += len;
}

void lpk_out_raw(lpk_out *out, const char *text) {
    lpk_out_bytes(out, text, strlen(text));
}

void lpk_out_string(lpk_out *out, const char *text, size_t len) {
    static const char hex[] = "0123456789abcdef";
    lpk_out_bytes(out, "\"", 1);
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        const char *escape = NULL;
        char unicode[7];
        switch (c) {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        case '\b': escape = "\\b"; break;
        case '\f': escape = "\\f"; break;
        default:
            if (c < 0x20) {
                unicode[0] = '\\';
                unicode[1] = 'u';
                unicode[2] = '0';
                unicode[3] = '0';
                unicode[4] = hex[c >> 4];
                unicode[5] = hex[c & 0xf];
                unicode[6] = '\0';
                escape = unicode;
            }
        }
        if (escape != NULL) {
            lpk_out_bytes(out, text + start, i - start);
            lpk_out_raw(out, escape);
            start = i + 1;
        }
    }
    lpk_out_bytes(out, text + start, len - start);
    lpk_out_bytes(out, "\"", 1);
}

void lpk_out_opt_string(lpk_out *out, const char *text) {
    if (text == NULL) {
        lpk_out_raw(out, "null");
    } else {
        lpk_out_string(out, text, strlen(text));
    }
}

void lpk_out_u64(lpk_out *out, uint64_t value) {
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)value);
    if (n > 0) {
        lpk_out_bytes(out, digits, (size_t)n);
    }
}

char *lpk_out_take(lpk_out *out, size_t *len) {
    char *bytes = out->ptr;
    *len = out->len;
    out->ptr = NULL;
    out->len = 0;
    out->cap = 0;
    return bytes;
}

void lpk_out_free(lpk_out *out) {
    free(out->ptr);
    out->ptr = NULL;
    out->len = 0;
    out->cap = 0;
}
