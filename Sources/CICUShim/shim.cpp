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

#include <algorithm>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <cstring>
#include <cstdio>
#include <memory>
#include <string>

using namespace icu;

// A buffer reused from text to text: it grows, never shrinks, and is not zeroed (every
// element is written before it is read), unlike a resized std::vector.
template <typename T> struct Buffer {
    std::unique_ptr<T[]> items;
    int64_t capacity = 0;

    // Room for `n` elements; the contents are not kept.
    T *room(int64_t n) {
        if (n > capacity) {
            capacity = std::max(n, 2 * capacity);
            items.reset(new T[capacity]);
        }
        return items.get();
    }
};

struct nf_segmenter {
    std::unique_ptr<BreakIterator> words;
    std::unique_ptr<BreakIterator> sentences;
    bool asciiSpace[128];
    // The text as UTF-16 (ICU iterates it about 15% faster for words and 60% faster for
    // sentences than UTF-8 through UText), and per UTF-16 unit the byte offset it starts at.
    Buffer<UChar> utf16;
    Buffer<int32_t> byteAt;
    // Each with room for one more than the text's UTF-16 units: no text has more segments or
    // sentences, so they are written without a capacity check.
    Buffer<int32_t> starts, ends, status, sentenceEnds;
    int32_t wordCount = 0, sentenceCount = 0;
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

// Eight ASCII bytes at `text` (starting at byte `i`) as eight UTF-16 units and their byte
// offsets. With SSE2 (every x86-64) in a few vector instructions: the compiler does not
// vectorise the plain loop by itself (-O2, x86-64 baseline).
static inline void widen_ascii8(const uint8_t *text, UChar *u, int32_t *at, int32_t i) {
#ifdef __SSE2__
    __m128i bytes = _mm_loadl_epi64((const __m128i *)text);
    _mm_storeu_si128((__m128i *)u, _mm_unpacklo_epi8(bytes, _mm_setzero_si128()));
    __m128i first = _mm_add_epi32(_mm_set1_epi32(i), _mm_setr_epi32(0, 1, 2, 3));
    _mm_storeu_si128((__m128i *)at, first);
    _mm_storeu_si128((__m128i *)(at + 4), _mm_add_epi32(first, _mm_set1_epi32(4)));
#else
    for (int32_t k = 0; k < 8; k++) {
        u[k] = text[k];
        at[k] = i + k;
    }
#endif
}

// Converts `text` into seg->utf16 (n units) and fills seg->byteAt[0...n]. Ill-formed bytes
// (not expected: articles are validated when read) become U+FFFD.
static int32_t to_utf16(nf_segmenter *seg, const uint8_t *text, int32_t len) {
    UChar *u = seg->utf16.room(len);   // never more units than bytes
    int32_t *at = seg->byteAt.room(len + 1);
    int32_t n = 0;
    for (int32_t i = 0; i < len;) {
        if (i + 8 <= len && is_ascii8(text + i)) {   // most news text: eight bytes at a time
            widen_ascii8(text + i, u + n, at + n, i);
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
    UChar32 c = seg->utf16.items[at];
    if (c < 0x80) return seg->asciiSpace[c];
    U16_GET(seg->utf16.items.get(), 0, at, n, c);
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
    const int32_t *at = seg->byteAt.items.get();
    int32_t *starts = seg->starts.room(n + 1), *ends = seg->ends.room(n + 1), *status = seg->status.room(n + 1);
    int32_t count = 0;
    int32_t start = it->first();
    for (int32_t end = it->next(); end != BreakIterator::DONE; start = end, end = it->next()) {
        if (is_space_at(seg, n, start)) continue;
        starts[count] = at[start];
        ends[count] = at[end];
        status[count] = it->getRuleStatus();
        count++;
    }
    seg->wordCount = count;
    return true;
}

static bool find_sentences(nf_segmenter *seg, UText *ut, int32_t n) {
    BreakIterator *it = seg->sentences.get();
    if (!attach(it, ut)) return false;
    const int32_t *at = seg->byteAt.items.get();
    int32_t *ends = seg->sentenceEnds.room(n + 1);
    int32_t count = 0;
    it->first();
    for (int32_t end = it->next(); end != BreakIterator::DONE; end = it->next()) ends[count++] = at[end];
    seg->sentenceCount = count;
    return true;
}

extern "C" int32_t nf_segment(nf_segmenter *seg, const char *text, int64_t len, int32_t sentences, nf_segments *out) {
    if (len >= INT32_MAX) return -1;
    int32_t n = to_utf16(seg, (const uint8_t *)text, (int32_t)len);
    seg->wordCount = seg->sentenceCount = 0;
    UErrorCode status = U_ZERO_ERROR;
    UText ut = UTEXT_INITIALIZER;
    utext_openUChars(&ut, seg->utf16.items.get(), n, &status);
    bool ok = !U_FAILURE(status) && find_words(seg, &ut, n) && (!sentences || find_sentences(seg, &ut, n));
    utext_close(&ut);
    if (!ok) return -1;
    *out = nf_segments{seg->starts.items.get(), seg->ends.items.get(), seg->status.items.get(), seg->wordCount,
                       seg->sentenceEnds.items.get(), seg->sentenceCount};
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
