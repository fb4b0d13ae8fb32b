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
    // Sentence breaking: the class of each UTF-16 unit; how many bytes before a terminator
    // ICU must read (the longest abbreviation and a margin); the windows of text ICU reads
    // (byte ranges), the ends after paragraph separators, the windows back to back in UTF-16
    // and per unit of them the byte it comes from (-1: a separator).
    const uint8_t *unitClass = nullptr;   // see unit_classes
    bool skipQuiet = false;               // see quiet16
    int32_t lookBehind = 8;
    // Bit k: "A." + k is listed as an abbreviation (an initial, as in "Jonathan M. Stan").
    // ICU cannot suppress a break after one that begins a longer CLDR abbreviation ("M." of
    // "M.D."): its filter then wants the longer one to follow, so such ends are dropped here.
    uint32_t initials = 0;
    Buffer<int32_t> windows, paraEnds;
    Buffer<UChar> windowText;
    Buffer<int32_t> windowOrigin;
};

// The sentence break classes (UAX #29) that say where a sentence can end and what settles it.
enum SentenceClass : uint8_t { kOther, kTerm, kClose, kSp, kParaSep, kCR, kTransparent, kLetter };

static SentenceClass sentence_class(UChar32 c) {
    switch (u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK)) {
    case U_SB_ATERM: case U_SB_STERM: return kTerm;
    case U_SB_CLOSE: return kClose;
    case U_SB_SP: return kSp;
    case U_SB_SEP: case U_SB_LF: return kParaSep;
    case U_SB_CR: return kCR;
    case U_SB_EXTEND: case U_SB_FORMAT: return kTransparent;
    case U_SB_OLETTER: case U_SB_UPPER: case U_SB_LOWER: return kLetter;
    default: return kOther;
    }
}

// The class of every UTF-16 unit (64 KB, made once per process): a property lookup per
// character cost more than the scan it serves. A lead surrogate is kSurrogate: the code point
// it starts is looked up.
static const uint8_t kSurrogate = 0xFF;
static const uint8_t *unit_classes() {
    static const uint8_t *table = [] {
        uint8_t *t = new uint8_t[0x10000];
        for (UChar32 c = 0; c < 0x10000; c++) t[c] = U16_IS_LEAD(c) ? kSurrogate : sentence_class(c);
        return t;
    }();
    return table;
}

static bool is_anchor(uint8_t c) { return c == kTerm || c == kParaSep || c == kCR || c == kSurrogate; }

// Whether the ASCII characters where a sentence can end are . ! ? LF CR, as `quiet16` assumes.
static bool ascii_anchors_as_assumed() {
    const uint8_t *k = unit_classes();
    for (int c = 0; c < 128; c++) {
        bool assumed = c == '.' || c == '!' || c == '?' || c == '\n' || c == '\r';
        if (is_anchor(k[c]) != assumed) return false;
    }
    return true;
}

// Whether sixteen bytes are all ASCII and none is . ! ? LF CR: most of a text, skipped
// sixteen at a time (SSE2, in every x86-64).
static inline bool quiet16(const uint8_t *p) {
#ifdef __SSE2__
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')), _mm_cmpeq_epi8(v, _mm_set1_epi8('!'))),
                               _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('?')),
                                            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')))));
    return _mm_movemask_epi8(_mm_or_si128(v, hit)) == 0;   // no high bit (non-ASCII), no hit
#else
    (void)p;
    return false;
#endif
}

static void put_error(char *err, int32_t cap, const char *what, UErrorCode status) {
    if (err && cap > 0) snprintf(err, (size_t)cap, "%s: %s", what, u_errorName(status));
}

extern "C" nf_segmenter *nf_segmenter_open(const char *abbreviations, int32_t count, char *err, int32_t errcap) {
    UErrorCode status = U_ZERO_ERROR;
    Locale en("en");
    std::unique_ptr<nf_segmenter> seg(new nf_segmenter());
    for (UChar32 c = 0; c < 128; c++) seg->asciiSpace[c] = u_isUWhiteSpace(c);
    seg->unitClass = unit_classes();
    seg->skipQuiet = ascii_anchors_as_assumed();
    seg->words.reset(BreakIterator::createWordInstance(en, status));
    if (U_FAILURE(status)) { put_error(err, errcap, "word break iterator", status); return nullptr; }
    std::unique_ptr<FilteredBreakIteratorBuilder> builder(FilteredBreakIteratorBuilder::createInstance(en, status));
    if (U_FAILURE(status)) { put_error(err, errcap, "sentence filter builder", status); return nullptr; }
    const char *p = abbreviations;
    for (int32_t i = 0; i < count; i++) {
        size_t n = strlen(p);
        seg->lookBehind = std::max(seg->lookBehind, (int32_t)n + 4);   // in bytes, as the windows are cut
        if (n == 2 && p[0] >= 'A' && p[0] <= 'Z' && p[1] == '.') seg->initials |= 1u << (p[0] - 'A');
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

// Converts the bytes `text[from..<to]` into UTF-16 at `u`, and writes at `at` the byte
// offset of each unit; returns how many units. Ill-formed bytes (not expected: articles are
// validated when read) become U+FFFD.
static int32_t widen(const uint8_t *text, int32_t from, int32_t to, UChar *u, int32_t *at) {
    int32_t n = 0;
    for (int32_t i = from; i < to;) {
        if (i + 8 <= to && is_ascii8(text + i)) {   // most news text: eight bytes at a time
            widen_ascii8(text + i, u + n, at + n, i);
            n += 8;
            i += 8;
            continue;
        }
        at[n] = i;
        if (text[i] < 0x80) { u[n++] = text[i++]; continue; }
        UChar32 c;
        U8_NEXT(text, i, to, c);
        if (c < 0) c = 0xFFFD;
        if (c > 0xFFFF) {
            u[n++] = U16_LEAD(c);
            at[n] = at[n - 1];
            u[n++] = U16_TRAIL(c);
        } else {
            u[n++] = (UChar)c;
        }
    }
    return n;
}

// Converts `text` into seg->utf16 (n units) and fills seg->byteAt[0...n].
static int32_t to_utf16(nf_segmenter *seg, const uint8_t *text, int32_t len) {
    int32_t *at = seg->byteAt.room(len + 1);
    int32_t n = widen(text, 0, len, seg->utf16.room(len), at);   // never more units than bytes
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

// Whether the sentence end at byte `p` of the UTF-8 text `b` (not the text's end) follows a
// listed initial: spaces, before them "X." with X in `seg->initials`, and before that a space,
// an opening bracket or quote, or the text's start.
static bool ends_after_initial(const nf_segmenter *seg, const uint8_t *b, int32_t p) {
    if (seg->initials == 0) return false;
    int32_t j = p;
    for (;;) {   // back over spaces and no-break spaces (C2 A0)
        if (j > 0 && b[j - 1] == ' ') j--;
        else if (j > 1 && b[j - 2] == 0xC2 && b[j - 1] == 0xA0) j -= 2;
        else break;
    }
    if (j < 2 || b[j - 1] != '.' || b[j - 2] < 'A' || b[j - 2] > 'Z') return false;
    if (!(seg->initials & (1u << (b[j - 2] - 'A')))) return false;
    if (j == 2) return true;
    uint8_t before = b[j - 3];
    if (before == ' ' || before == '\n' || before == '(' || before == '[' || before == '"') return true;
    if (j >= 4 && b[j - 4] == 0xC2 && before == 0xA0) return true;                                        // U+00A0
    return j >= 5 && b[j - 5] == 0xE2 && b[j - 4] == 0x80 && (before == 0x9C || before == 0x98);   // “ ‘
}

// Sentence ends by ICU over the whole text: the reference `find_sentences` must agree with.
static bool find_sentences_whole(nf_segmenter *seg, const uint8_t *bytes, UText *ut, int32_t n) {
    BreakIterator *it = seg->sentences.get();
    if (!attach(it, ut)) return false;
    const int32_t *at = seg->byteAt.items.get();
    int32_t *ends = seg->sentenceEnds.room(n + 1);
    int32_t count = 0;
    it->first();
    for (int32_t end = it->next(); end != BreakIterator::DONE; end = it->next()) {
        if (end < n && ends_after_initial(seg, bytes, at[end])) continue;
        ends[count++] = at[end];
    }
    seg->sentenceCount = count;
    return true;
}

// The class of the code point at byte `i` of the UTF-8 text `b` (n bytes); `i` moves past it.
static inline SentenceClass class_at(const nf_segmenter *seg, const uint8_t *b, int32_t &i, int32_t n) {
    uint8_t first = b[i];
    if (first < 0x80) {
        i++;
        return (SentenceClass)seg->unitClass[first];
    }
    UChar32 c;
    U8_NEXT(b, i, n, c);
    if (c < 0) c = 0xFFFD;   // as `widen` reads it
    if (c < 0x10000) return (SentenceClass)seg->unitClass[c];   // not a surrogate: U8_NEXT gives none
    return sentence_class(c);
}

// Byte `i` moved past the characters of classes `x` and `y` (and transparent ones) there.
static inline int32_t skip(const nf_segmenter *seg, const uint8_t *b, int32_t i, int32_t n, SentenceClass x, SentenceClass y) {
    while (i < n) {
        int32_t j = i;
        SentenceClass c = class_at(seg, b, j, n);
        if (c != x && c != y && c != kTransparent) break;
        i = j;
    }
    return i;
}

// Byte `i`, after a terminator, moved past its closing punctuation and then its spaces
// (SATerm Close* Sp*, what SB9-SB11 read).
static inline int32_t past_close_and_spaces(const nf_segmenter *seg, const uint8_t *b, int32_t i, int32_t n) {
    return skip(seg, b, skip(seg, b, i, n, kClose, kClose), n, kSp, kSp);
}

// Where the text that decides a break after a terminator ending just before byte `i` ends:
// past its closing punctuation, spaces and one paragraph separator (where UAX #29 puts the
// break, SB9-SB11), then past the first letter, terminator or separator (what SB7, SB8 and
// SB8a look at), and two more characters.
static int32_t decided_by(const nf_segmenter *seg, const uint8_t *b, int32_t i, int32_t n) {
    i = skip(seg, b, past_close_and_spaces(seg, b, i, n), n, kParaSep, kCR);
    while (i < n) {
        SentenceClass c = class_at(seg, b, i, n);
        if (c == kLetter || c == kTerm || c == kParaSep || c == kCR) break;
    }
    for (int k = 0; k < 2 && i < n; k++) class_at(seg, b, i, n);
    return i;
}

// Whether the terminator ending just before byte `i` is followed, past its closing
// punctuation and spaces, by a paragraph separator: then its sentence ends after that
// separator and nowhere before it (SB9-SB11), which `sentence_windows` records without ICU.
static bool ends_at_separator(const nf_segmenter *seg, const uint8_t *b, int32_t i, int32_t n) {
    i = past_close_and_spaces(seg, b, i, n);
    if (i >= n) return false;
    SentenceClass c = class_at(seg, b, i, n);
    return c == kParaSep || c == kCR;
}

// Where sentences end for certain, and the stretches of text ICU must read to find the other
// ends, in bytes of the UTF-8 text `b` (no UTF-16 copy of the whole text is made). A sentence
// ends after every paragraph separator (SB4, with CR × LF), and ICU's abbreviation filter
// never drops such an end (it looks back from the break over one space only, and no
// abbreviation ends in a separator): those ends go to seg->paraEnds (ascending). Elsewhere a
// sentence can end only after a terminator (SB11), so ICU reads the text around each
// terminator that a separator does not settle, from far enough before it to read an
// abbreviation to what settles the break after it, cut at character boundaries. Overlapping
// stretches are merged. A full stop right before a digit needs no window (SB6). Returns how
// many (start, end) pairs are in seg->windows; sets `paraCount`.
static int32_t sentence_windows(nf_segmenter *seg, const uint8_t *b, int32_t n, int32_t &paraCount) {
    int32_t *w = seg->windows.room(2 * (int64_t)n + 2);
    int32_t *para = seg->paraEnds.room(n + 1);
    int32_t count = 0;
    paraCount = 0;
    for (int32_t i = 0; i < n;) {
        if (seg->skipQuiet && i + 16 <= n && quiet16(b + i)) {
            i += 16;
            continue;
        }
        if (b[i] < 0x80 && !is_anchor(seg->unitClass[b[i]])) {
            i++;
            continue;
        }
        int32_t after = i;
        SentenceClass c = class_at(seg, b, after, n);
        if (c == kParaSep || c == kCR) {
            if (c == kCR && after < n && b[after] == '\n') after++;   // CR LF: one separator
            para[paraCount++] = after;
        } else if (c == kTerm && !(b[i] == '.' && after < n && b[after] >= '0' && b[after] <= '9') &&
                   !ends_at_separator(seg, b, after, n)) {
            int32_t lo = std::max(0, i - seg->lookBehind), hi = decided_by(seg, b, after, n);
            hi = std::min(n, std::max(hi, after + seg->lookBehind));   // and an abbreviation's rest ("U.S.")
            while (lo > 0 && U8_IS_TRAIL(b[lo])) lo--;
            while (hi < n && U8_IS_TRAIL(b[hi])) hi++;
            if (count > 0 && lo <= w[2 * count - 1]) {
                w[2 * count - 1] = std::max(w[2 * count - 1], hi);
            } else {
                w[2 * count] = lo;
                w[2 * count + 1] = hi;
                count++;
            }
        }
        i = after;
    }
    return count;
}

// Sentence ends, as `find_sentences_whole` finds them: those after paragraph separators
// found without ICU, the others by ICU reading only the windows around terminators (a small
// part of news text). The windows are put back to back in UTF-16 with a paragraph separator
// (U+2029) between them, after which UAX #29 always breaks and no rule looks back across, and
// ICU's ends inside a window are mapped back and merged with the separators' ends.
static bool find_sentences(nf_segmenter *seg, const uint8_t *b, int32_t n) {
    int32_t paraCount = 0;
    int32_t windows = sentence_windows(seg, b, n, paraCount);
    const int32_t *w = seg->windows.items.get(), *para = seg->paraEnds.items.get();
    int64_t total = windows;   // the separators
    for (int32_t k = 0; k < windows; k++) total += w[2 * k + 1] - w[2 * k];   // units <= bytes
    UChar *text = seg->windowText.room(total + 1);
    int32_t *origin = seg->windowOrigin.room(total + 1);   // byte offsets; -1: a separator
    int32_t m = 0;
    for (int32_t k = 0; k < windows; k++) {
        m += widen(b, w[2 * k], w[2 * k + 1], text + m, origin + m);
        text[m] = 0x2029;
        origin[m++] = -1;
    }
    origin[m] = -1;
    int32_t *ends = seg->sentenceEnds.room(n + 1);
    int32_t count = 0, p = 0;
    // Appends the end at byte `e` after the separators' ends before it (ascending, each once).
    auto add = [&](int32_t e) {
        for (; p < paraCount && para[p] <= e; p++) {
            if (count == 0 || ends[count - 1] != para[p]) ends[count++] = para[p];
        }
        if (count == 0 || ends[count - 1] != e) ends[count++] = e;
    };
    bool ok = true;
    if (windows > 0) {
        UErrorCode status = U_ZERO_ERROR;
        UText ut = UTEXT_INITIALIZER;
        utext_openUChars(&ut, text, m, &status);
        BreakIterator *it = seg->sentences.get();
        ok = !U_FAILURE(status) && attach(it, &ut);
        if (ok) {
            it->first();
            for (int32_t e = it->next(); e != BreakIterator::DONE; e = it->next()) {
                // A break right after a window's separator is the separator's own; a window
                // never starts where a sentence can end; one after a separator of the text
                // is among the separators' ends.
                if (e >= m || origin[e] < 0 || origin[e - 1] < 0) continue;
                uint8_t before = seg->unitClass[text[e - 1]];
                if (before == kParaSep || before == kCR) continue;
                if (ends_after_initial(seg, b, origin[e])) continue;
                add(origin[e]);
            }
        }
        utext_close(&ut);
    }
    if (ok && n > 0) add(n);
    seg->sentenceCount = ok ? count : 0;
    return ok;
}

extern "C" int32_t nf_segment(nf_segmenter *seg, const char *text, int64_t len, int32_t words, int32_t sentences,
                              nf_segments *out) {
    if (len >= INT32_MAX) return -1;
    const uint8_t *bytes = (const uint8_t *)text;
    seg->wordCount = seg->sentenceCount = 0;
    bool ok = true;
    if (words || sentences == 2) {   // ICU reads the whole text, in UTF-16
        int32_t n = to_utf16(seg, bytes, (int32_t)len);
        UErrorCode status = U_ZERO_ERROR;
        UText ut = UTEXT_INITIALIZER;
        utext_openUChars(&ut, seg->utf16.items.get(), n, &status);
        ok = !U_FAILURE(status) && (!words || find_words(seg, &ut, n)) && (sentences != 2 || find_sentences_whole(seg, bytes, &ut, n));
        utext_close(&ut);
    }
    if (ok && sentences == 1) ok = find_sentences(seg, bytes, (int32_t)len);
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
