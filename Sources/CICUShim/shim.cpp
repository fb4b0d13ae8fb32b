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

using namespace icu;

struct nf_segmenter {
    std::unique_ptr<BreakIterator> words;
    std::unique_ptr<BreakIterator> sentences;
};

static void put_error(char *err, int32_t cap, const char *what, UErrorCode status) {
    if (err && cap > 0) snprintf(err, (size_t)cap, "%s: %s", what, u_errorName(status));
}

extern "C" nf_segmenter *nf_segmenter_open(const char *abbreviations, int32_t count, char *err, int32_t errcap) {
    UErrorCode status = U_ZERO_ERROR;
    Locale en("en");
    std::unique_ptr<nf_segmenter> seg(new nf_segmenter());
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

// Whitespace segments are dropped here so Swift never sees them.
static bool is_space_at(const char *text, int64_t len, int32_t at) {
    int32_t i = at;
    UChar32 c;
    U8_NEXT((const uint8_t *)text, i, (int32_t)len, c);
    return c >= 0 && u_isUWhiteSpace(c);
}

static bool attach(BreakIterator *it, const char *text, int64_t len, UText **ut) {
    UErrorCode status = U_ZERO_ERROR;
    *ut = utext_openUTF8(nullptr, text, len, &status);
    if (U_FAILURE(status)) return false;
    it->setText(*ut, status);
    return !U_FAILURE(status);
}

extern "C" int64_t nf_words(nf_segmenter *seg, const char *text, int64_t len,
                            int32_t *starts, int32_t *ends, int32_t *status_out, int64_t cap) {
    UText *ut = nullptr;
    BreakIterator *it = seg->words.get();
    if (!attach(it, text, len, &ut)) { if (ut) utext_close(ut); return -1; }
    int64_t n = 0;
    int32_t start = it->first();
    for (int32_t end = it->next(); end != BreakIterator::DONE; start = end, end = it->next()) {
        if (is_space_at(text, len, start)) continue;
        if (n < cap) {
            starts[n] = start;
            ends[n] = end;
            status_out[n] = it->getRuleStatus();
        }
        n++;
    }
    utext_close(ut);
    return n;
}

extern "C" int64_t nf_sentences(nf_segmenter *seg, const char *text, int64_t len, int32_t *ends, int64_t cap) {
    UText *ut = nullptr;
    BreakIterator *it = seg->sentences.get();
    if (!attach(it, text, len, &ut)) { if (ut) utext_close(ut); return -1; }
    int64_t n = 0;
    it->first();
    for (int32_t end = it->next(); end != BreakIterator::DONE; end = it->next()) {
        if (n < cap) ends[n] = end;
        n++;
    }
    utext_close(ut);
    return n;
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
