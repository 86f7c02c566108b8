/* Text in NFC for the Latin letters a directory holds: a base letter followed by a combining
 * mark (NFD, as some exports write `é` as `e` + U+0301) becomes its precomposed letter in
 * place. Without Unicode's full tables this covers Latin-1 (grave, acute, circumflex, tilde,
 * diaeresis, ring, cedilla on the letters that have them); a combining mark it cannot compose
 * is left as it is and said (the caller reports both, once per column). */

#include "lpk.h"

#include <string.h>

/* (base letter, mark's low byte after 0xCC, Latin-1 code point). Marks U+0300..U+033F are
 * encoded CC 80..CC BF. */
static const struct {
    char base;
    unsigned char mark;
    unsigned char composed;
} TABLE[] = {
    {'A', 0x80, 0xC0}, {'E', 0x80, 0xC8}, {'I', 0x80, 0xCC}, {'O', 0x80, 0xD2}, {'U', 0x80, 0xD9},
    {'a', 0x80, 0xE0}, {'e', 0x80, 0xE8}, {'i', 0x80, 0xEC}, {'o', 0x80, 0xF2}, {'u', 0x80, 0xF9},
    {'A', 0x81, 0xC1}, {'E', 0x81, 0xC9}, {'I', 0x81, 0xCD}, {'O', 0x81, 0xD3}, {'U', 0x81, 0xDA},
    {'Y', 0x81, 0xDD}, {'a', 0x81, 0xE1}, {'e', 0x81, 0xE9}, {'i', 0x81, 0xED}, {'o', 0x81, 0xF3},
    {'u', 0x81, 0xFA}, {'y', 0x81, 0xFD},
    {'A', 0x82, 0xC2}, {'E', 0x82, 0xCA}, {'I', 0x82, 0xCE}, {'O', 0x82, 0xD4}, {'U', 0x82, 0xDB},
    {'a', 0x82, 0xE2}, {'e', 0x82, 0xEA}, {'i', 0x82, 0xEE}, {'o', 0x82, 0xF4}, {'u', 0x82, 0xFB},
    {'A', 0x83, 0xC3}, {'N', 0x83, 0xD1}, {'O', 0x83, 0xD5}, {'a', 0x83, 0xE3}, {'n', 0x83, 0xF1},
    {'o', 0x83, 0xF5},
    {'A', 0x88, 0xC4}, {'E', 0x88, 0xCB}, {'I', 0x88, 0xCF}, {'O', 0x88, 0xD6}, {'U', 0x88, 0xDC},
    {'a', 0x88, 0xE4}, {'e', 0x88, 0xEB}, {'i', 0x88, 0xEF}, {'o', 0x88, 0xF6}, {'u', 0x88, 0xFC},
    {'y', 0x88, 0xFF},
    {'A', 0x8A, 0xC5}, {'a', 0x8A, 0xE5},
    {'C', 0xA7, 0xC7}, {'c', 0xA7, 0xE7},
};

/* Whether bytes p[0], p[1] encode a combining mark U+0300..U+036F. */
static int combining(const unsigned char *p) {
    return (p[0] == 0xCC && p[1] >= 0x80 && p[1] <= 0xBF) ||
           (p[0] == 0xCD && p[1] >= 0x80 && p[1] <= 0xAF);
}

int lpk_nfc(char *text) {
    unsigned char *read = (unsigned char *)text;
    unsigned char *write = read;
    int composed = 0, left = 0;
    while (*read != '\0') {
        if (read[1] != '\0' && read[2] != '\0' && read[1] == 0xCC) {
            int found = -1;
            for (size_t i = 0; i < sizeof TABLE / sizeof TABLE[0]; i++) {
                if ((unsigned char)TABLE[i].base == read[0] && TABLE[i].mark == read[2]) {
                    found = (int)i;
                    break;
                }
            }
            if (found >= 0) {
                /* U+00C0..U+00FF is C3 80..C3 BF in UTF-8. */
                *write++ = 0xC3;
                *write++ = (unsigned char)(0x80 | (TABLE[found].composed & 0x3F));
                read += 3;
                composed = 1;
                continue;
            }
        }
        if (read[1] != '\0' && combining(read)) {
            left = 1;
        }
        *write++ = *read++;
    }
    *write = '\0';
    return left ? LPK_NFC_LEFT : composed ? LPK_NFC_COMPOSED : LPK_NFC_SAME;
}
