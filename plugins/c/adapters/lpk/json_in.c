/*
 * json_in.c: a small, strict JSON parser for the messages the host sends (requests, the
 * config, HostInfo). Any bytes are safe input: the parser checks the grammar of RFC 8259,
 * UTF-8, escapes and surrogate pairs, bounds nesting, and never reads past `len`. Values own
 * copies of their text, so they outlive the bytes they were parsed from.
 */
#include <stdlib.h>
#include <string.h>

#include "lpk.h"

/* Deeper nesting than any Simpul message needs; bounds the recursion. */
#define MAX_DEPTH 64

typedef struct parser {
    const uint8_t *p;
    const uint8_t *end;
    const char *error;
} parser;

static int parse_value(parser *ps, lpk_json *out, int depth);

static void skip_space(parser *ps) {
    while (ps->p < ps->end &&
           (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')) {
        ps->p++;
    }
}

static int fail(parser *ps, const char *error) {
    if (ps->error == NULL) {
        ps->error = error;
    }
    return 0;
}

static int literal(parser *ps, const char *word, lpk_json *out, lpk_json_type type) {
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) {
        return fail(ps, "unexpected character");
    }
    ps->p += n;
    out->type = type;
    return 1;
}

static int hex4(parser *ps, unsigned *out) {
    if (ps->end - ps->p < 4) {
        return fail(ps, "truncated \\u escape");
    }
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        uint8_t c = *ps->p++;
        v <<= 4;
        if (c >= '0' && c <= '9') {
            v |= (unsigned)(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            v |= (unsigned)(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            v |= (unsigned)(c - 'A' + 10);
        } else {
            return fail(ps, "bad \\u escape");
        }
    }
    *out = v;
    return 1;
}

static size_t put_utf8(char *dst, unsigned cp) {
    if (cp < 0x80) {
        dst[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        dst[0] = (char)(0xc0 | (cp >> 6));
        dst[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        dst[0] = (char)(0xe0 | (cp >> 12));
        dst[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        dst[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    dst[0] = (char)(0xf0 | (cp >> 18));
    dst[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    dst[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    dst[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* A string after its opening quote, decoded into a new NUL-terminated buffer. */
static int parse_string(parser *ps, char **text, size_t *text_len) {
    const uint8_t *start = ps->p;
    /* The decoded text is never longer than the raw text. */
    const uint8_t *close = start;
    while (close < ps->end && *close != '"') {
        close += (*close == '\\' && close + 1 < ps->end) ? 2 : 1;
    }
    if (close >= ps->end) {
        return fail(ps, "unterminated string");
    }
    char *buf = malloc((size_t)(close - start) + 1);
    if (buf == NULL) {
        return fail(ps, "out of memory");
    }
    size_t n = 0;
    while (ps->p < close) {
        uint8_t c = *ps->p;
        if (c < 0x20) {
            free(buf);
            return fail(ps, "control character in string");
        }
        if (c != '\\') {
            /* Copy one UTF-8 sequence, checked. */
            size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
            if (len == 0 || (size_t)(close - ps->p) < len ||
                !lpk_utf8_valid((const char *)ps->p, len)) {
                free(buf);
                return fail(ps, "invalid UTF-8 in string");
            }
            memcpy(buf + n, ps->p, len);
            n += len;
            ps->p += len;
            continue;
        }
        ps->p++;
        uint8_t e = *ps->p++;
        unsigned cp;
        switch (e) {
        case '"': buf[n++] = '"'; break;
        case '\\': buf[n++] = '\\'; break;
        case '/': buf[n++] = '/'; break;
        case 'b': buf[n++] = '\b'; break;
        case 'f': buf[n++] = '\f'; break;
        case 'n': buf[n++] = '\n'; break;
        case 'r': buf[n++] = '\r'; break;
        case 't': buf[n++] = '\t'; break;
        case 'u':
            if (!hex4(ps, &cp)) {
                free(buf);
                return 0;
            }
            if (cp >= 0xd800 && cp <= 0xdbff) {
                unsigned low;
                if (close - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u') {
                    free(buf);
                    return fail(ps, "lone surrogate in string");
                }
                ps->p += 2;
                if (!hex4(ps, &low) || low < 0xdc00 || low > 0xdfff) {
                    free(buf);
                    return fail(ps, "lone surrogate in string");
                }
                cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                free(buf);
                return fail(ps, "lone surrogate in string");
            }
            /* \uXXXX takes 6 raw bytes and at most 3 decoded; a pair 12 and 4. */
            n += put_utf8(buf + n, cp);
            break;
        default:
            free(buf);
            return fail(ps, "bad escape in string");
        }
    }
    ps->p = close + 1;
    buf[n] = '\0';
    *text = buf;
    *text_len = n;
    return 1;
}

static int parse_number(parser *ps, lpk_json *out) {
    const uint8_t *start = ps->p;
    if (ps->p < ps->end && *ps->p == '-') {
        ps->p++;
    }
    if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') {
        return fail(ps, "bad number");
    }
    if (*ps->p == '0') {
        ps->p++;
    } else {
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
            ps->p++;
        }
    }
    if (ps->p < ps->end && *ps->p == '.') {
        ps->p++;
        if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') {
            return fail(ps, "bad number");
        }
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
            ps->p++;
        }
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        ps->p++;
        if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-')) {
            ps->p++;
        }
        if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') {
            return fail(ps, "bad number");
        }
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
            ps->p++;
        }
    }
    size_t n = (size_t)(ps->p - start);
    out->text = malloc(n + 1);
    if (out->text == NULL) {
        return fail(ps, "out of memory");
    }
    memcpy(out->text, start, n);
    out->text[n] = '\0';
    out->text_len = n;
    out->type = LPK_JSON_NUMBER;
    return 1;
}

/* Append a zeroed item to out->items; NULL when out of memory. */
static lpk_json *push_item(parser *ps, lpk_json *out, size_t *cap) {
    if (out->n_items == *cap) {
        size_t grown = *cap ? *cap * 2 : 4;
        lpk_json *items = realloc(out->items, grown * sizeof *items);
        if (items == NULL) {
            fail(ps, "out of memory");
            return NULL;
        }
        out->items = items;
        *cap = grown;
    }
    lpk_json *item = &out->items[out->n_items++];
    memset(item, 0, sizeof *item);
    return item;
}

static int parse_container(parser *ps, lpk_json *out, int depth, int object) {
    out->type = object ? LPK_JSON_OBJECT : LPK_JSON_ARRAY;
    const uint8_t close = object ? '}' : ']';
    size_t cap = 0;
    ps->p++; /* the opening bracket */
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return 1;
    }
    for (;;) {
        lpk_json *item = push_item(ps, out, &cap);
        if (item == NULL) {
            return 0;
        }
        skip_space(ps);
        if (object) {
            if (ps->p >= ps->end || *ps->p != '"') {
                return fail(ps, "expected a member name");
            }
            ps->p++;
            if (!parse_string(ps, &item->key, &item->key_len)) {
                return 0;
            }
            skip_space(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                return fail(ps, "expected ':'");
            }
            ps->p++;
        }
        if (!parse_value(ps, item, depth + 1)) {
            return 0;
        }
        skip_space(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            return 1;
        }
        return fail(ps, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int parse_value(parser *ps, lpk_json *out, int depth) {
    if (depth > MAX_DEPTH) {
        return fail(ps, "nested too deeply");
    }
    skip_space(ps);
    if (ps->p >= ps->end) {
        return fail(ps, "unexpected end of input");
    }
    switch (*ps->p) {
    case '{': return parse_container(ps, out, depth, 1);
    case '[': return parse_container(ps, out, depth, 0);
    case '"':
        ps->p++;
        out->type = LPK_JSON_STRING;
        return parse_string(ps, &out->text, &out->text_len);
    case 't': return literal(ps, "true", out, LPK_JSON_TRUE);
    case 'f': return literal(ps, "false", out, LPK_JSON_FALSE);
    case 'n': return literal(ps, "null", out, LPK_JSON_NULL);
    default: return parse_number(ps, out);
    }
}

static void free_contents(lpk_json *value) {
    for (size_t i = 0; i < value->n_items; i++) {
        free_contents(&value->items[i]);
    }
    free(value->items);
    free(value->key);
    free(value->text);
}

lpk_json *lpk_json_parse(const uint8_t *bytes, size_t len, const char **error) {
    static const uint8_t nothing[1] = {0};
    parser ps = {bytes != NULL ? bytes : nothing, (bytes != NULL ? bytes : nothing) + len, NULL};
    if (bytes == NULL) {
        ps.end = ps.p;
    }
    lpk_json *root = calloc(1, sizeof *root);
    if (root == NULL) {
        *error = "out of memory";
        return NULL;
    }
    int ok = parse_value(&ps, root, 0);
    if (ok) {
        skip_space(&ps);
        if (ps.p != ps.end) {
            ok = fail(&ps, "trailing bytes after the value");
        }
    }
    if (!ok) {
        *error = ps.error != NULL ? ps.error : "not JSON";
        lpk_json_free(root);
        return NULL;
    }
    return root;
}

void lpk_json_free(lpk_json *value) {
    if (value != NULL) {
        free_contents(value);
        free(value);
    }
}

const lpk_json *lpk_json_get(const lpk_json *object, const char *key) {
    if (object == NULL || object->type != LPK_JSON_OBJECT) {
        return NULL;
    }
    size_t n = strlen(key);
    for (size_t i = 0; i < object->n_items; i++) {
        const lpk_json *m = &object->items[i];
        if (m->key_len == n && memcmp(m->key, key, n) == 0) {
            return m;
        }
    }
    return NULL;
}

int lpk_json_is_null(const lpk_json *value) {
    return value == NULL || value->type == LPK_JSON_NULL;
}

int lpk_json_u64(const lpk_json *value, uint64_t *out) {
    if (value == NULL || value->type != LPK_JSON_NUMBER) {
        return 0;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < value->text_len; i++) {
        char c = value->text[i];
        if (c < '0' || c > '9') {
            return 0; /* a sign, a fraction or an exponent */
        }
        unsigned d = (unsigned)(c - '0');
        if (v > (UINT64_MAX - d) / 10) {
            return 0;
        }
        v = v * 10 + d;
    }
    *out = v;
    return 1;
}
