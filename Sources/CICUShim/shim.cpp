// ICU behind a plain C API. See include/CICUShim.h for the contract.
#include "CICUShim.h"

#include <unicode/brkiter.h>
#include <unicode/filteredbrk.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>

#include <cstring>
#include <cstdio>
#include <memory>
#include <vector>

using namespace icu;

struct nf_segmenter {
    std::unique_ptr<BreakIterator> words;
    std::unique_ptr<BreakIterator> sentences;
    bool asciiSpace[128];
    // The text as UTF-16 (ICU iterates it about 15% faster for words and 60% faster for
    // sentences than UTF-8 through UText), and per UTF-16 unit the byte offset it starts at.
    std::vector<UChar> utf16;
    std::vector<int32_t> byteAt;
    std::vector<int32_t> starts, ends, status, sentenceEnds;
};

static void put_error(char *err, int32_t cap, const char *what, UErrorCode status) {
    if (err && cap > 0) snprintf(err, (size_t)cap, "%s: %s", what, u_errorName(status));
}

extern "C" nf_segmenter *nf_segmenter_open(const char *abbreviations, int32_t count, char *err, int32_t errcap) {
    UErrorCode status = U_ZERO_ERROR;
    Locale en("en");
    std::unique_ptr<nf_segmenter> seg(new nf_segmenter());
    for (UChar32 c = 0; c < 128; c++) seg->asciiSpace[c] = u_isUWhiteSpace(c);
    seg->words.reset(BreakIterator::createWordInstance(en, status));
    if (U_FAILURE(status)) { put_error(err, errcap, "word break iterator", status); return nullptr; }
    std::unique_ptr<FilteredBreakIteratorBuilder> builder(FilteredBreakIteratorBuilder::createInstance(en, status));
    if (U_FAILURE(status)) { put_error(err, errcap, "sentence filter builder", status); return nullptr; }
    const char *p = abbreviations;
    for (int32_t i = 0; i < count; i++) {
        size_t n = strlen(p);
        builder->suppressBreakAfter(UnicodeString::fromUTF8(StringPiece(p, (int32_t)n)), status);
        if (U_FAILURE(status)) { put_error(err, errcap, "suppressBreakAfter", status); return nullptr; }
        status = U_ZERO_ERROR;  // a duplicate entry is reported as a warning-like failure; ignore
        p += n + 1;
    }
    BreakIterator *plain = BreakIterator::createSentenceInstance(en, status);
    if (U_FAILURE(status)) { put_error(err, errcap, "sentence break iterator", status); return nullptr; }
    seg->sentences.reset(builder->wrapIteratorWithFilter(plain, status));
    if (U_FAILURE(status)) { put_error(err, errcap, "filtered sentence iterator", status); return nullptr; }
    return seg.release();
}

extern "C" void nf_segmenter_close(nf_segmenter *seg) { delete seg; }

static inline bool is_ascii8(const uint8_t *p) {
    uint64_t w;
    memcpy(&w, p, 8);
    return (w & 0x8080808080808080ull) == 0;
}

// Converts `text` into seg->utf16 (n units) and fills seg->byteAt[0...n]. Ill-formed bytes
// (not expected: articles are validated when read) become U+FFFD.
static int32_t to_utf16(nf_segmenter *seg, const uint8_t *text, int32_t len) {
    if ((int32_t)seg->utf16.size() < len) seg->utf16.resize(len);   // never more units than bytes
    if ((int32_t)seg->byteAt.size() < len + 1) seg->byteAt.resize(len + 1);
    UChar *u = seg->utf16.data();
    int32_t *at = seg->byteAt.data();
    int32_t n = 0;
    for (int32_t i = 0; i < len;) {
        if (i + 8 <= len && is_ascii8(text + i)) {   // most news text: eight bytes at a time
            for (int32_t k = 0; k < 8; k++) {
                at[n + k] = i + k;
                u[n + k] = text[i + k];
            }
            n += 8;
            i += 8;
            continue;
        }
        at[n] = i;
        if (text[i] < 0x80) { u[n++] = text[i++]; continue; }
        UChar32 c;
        U8_NEXT(text, i, len, c);
        if (c < 0) c = 0xFFFD;
        if (c > 0xFFFF) {
            u[n++] = U16_LEAD(c);
            at[n] = at[n - 1];
            u[n++] = U16_TRAIL(c);
        } else {
            u[n++] = (UChar)c;
        }
    }
    at[n] = len;
    return n;
}

// Whitespace segments are dropped here so Swift never sees them.
static bool is_space_at(const nf_segmenter *seg, int32_t n, int32_t at) {
    UChar32 c = seg->utf16[at];
    if (c < 0x80) return seg->asciiSpace[c];
    U16_GET(seg->utf16.data(), 0, at, n, c);
    return u_isUWhiteSpace(c);
}

static bool attach(BreakIterator *it, UText *ut) {
    UErrorCode status = U_ZERO_ERROR;
    it->setText(ut, status);
    return !U_FAILURE(status);
}

static bool find_words(nf_segmenter *seg, UText *ut, int32_t n) {
    BreakIterator *it = seg->words.get();
    if (!attach(it, ut)) return false;
    const int32_t *at = seg->byteAt.data();
    int32_t start = it->first();
    for (int32_t end = it->next(); end != BreakIterator::DONE; start = end, end = it->next()) {
        if (is_space_at(seg, n, start)) continue;
        seg->starts.push_back(at[start]);
        seg->ends.push_back(at[end]);
        seg->status.push_back(it->getRuleStatus());
    }
    return true;
}

static bool find_sentences(nf_segmenter *seg, UText *ut) {
    BreakIterator *it = seg->sentences.get();
    if (!attach(it, ut)) return false;
    const int32_t *at = seg->byteAt.data();
    it->first();
    for (int32_t end = it->next(); end != BreakIterator::DONE; end = it->next()) seg->sentenceEnds.push_back(at[end]);
    return true;
}

extern "C" int32_t nf_segment(nf_segmenter *seg, const char *text, int64_t len, int32_t sentences, nf_segments *out) {
    if (len >= INT32_MAX) return -1;
    seg->starts.clear();
    seg->ends.clear();
    seg->status.clear();
    seg->sentenceEnds.clear();
    int32_t n = to_utf16(seg, (const uint8_t *)text, (int32_t)len);
    UErrorCode status = U_ZERO_ERROR;
    UText ut = UTEXT_INITIALIZER;
    utext_openUChars(&ut, seg->utf16.data(), n, &status);
    bool ok = !U_FAILURE(status) && find_words(seg, &ut, n) && (!sentences || find_sentences(seg, &ut));
    utext_close(&ut);
    if (!ok) return -1;
    *out = nf_segments{seg->starts.data(), seg->ends.data(), seg->status.data(), (int64_t)seg->starts.size(),
                       seg->sentenceEnds.data(), (int64_t)seg->sentenceEnds.size()};
    return 0;
}

struct nf_folder {
    std::unique_ptr<Transliterator> trans;
};

extern "C" nf_folder *nf_folder_open(char *err, int32_t errcap) {
    UErrorCode status = U_ZERO_ERROR;
    UnicodeString id("NFD; [:Nonspacing Mark:] Remove; NFC; Latin-ASCII; Lower", -1, US_INV);
    std::unique_ptr<nf_folder> f(new nf_folder());
    f->trans.reset(Transliterator::createInstance(id, UTRANS_FORWARD, status));
    if (U_FAILURE(status)) { put_error(err, errcap, "transliterator", status); return nullptr; }
    return f.release();
}

extern "C" void nf_folder_close(nf_folder *f) { delete f; }

extern "C" int32_t nf_fold_codepoint(nf_folder *f, uint32_t cp, char *out, int32_t cap) {
    UnicodeString s((UChar32)cp);
    f->trans->transliterate(s);
    std::string utf8;
    s.toUTF8String(utf8);
    if ((int32_t)utf8.size() > cap) return -1;
    memcpy(out, utf8.data(), utf8.size());
    return (int32_t)utf8.size();
}
