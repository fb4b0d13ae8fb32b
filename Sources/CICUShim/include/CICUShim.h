/// CICUShim: the only place that sees ICU headers.
///
/// Consumes UTF-8 bytes; produces byte offsets of word segments and sentence ends, and a
/// per-code-point folding function used once at start-up to build a lookup table.
/// This header includes no ICU header on purpose: a Swift module that sees ICU's headers and
/// also imports Foundation fails to build ("'UErrorCode' has different definitions").
#ifndef CICUSHIM_H
#define CICUSHIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nf_segmenter nf_segmenter;

/// Opens word and sentence break iterators for English. `abbreviations` holds
/// NUL-terminated UTF-8 strings back to back ("Co.\0Ltd.\0"), `count` of them: a sentence
/// never ends right after one. Returns NULL and writes a message to `err` on failure.
nf_segmenter *nf_segmenter_open(const char *abbreviations, int32_t count, char *err, int32_t errcap);
void nf_segmenter_close(nf_segmenter *seg);

/// The segments of one text. The arrays belong to the segmenter and stay valid until its next
/// `nf_segment` call.
typedef struct {
    /// Word segments (byte offsets), whitespace segments left out, and their ICU rule status
    /// (0-99 none, 100-199 number, 200-299 letter, 300+ kana/ideo).
    const int32_t *starts;
    const int32_t *ends;
    const int32_t *status;
    int64_t count;
    /// Sentence end offsets (bytes), abbreviation-suppressed; none unless asked for.
    const int32_t *sentenceEnds;
    int64_t sentenceCount;
} nf_segments;

/// Word segments (unless `words` is 0) and sentence ends of `text` (UTF-8, `len` bytes).
/// `sentences`: 0 for none; 1 for ICU's sentence ends, those after paragraph separators found
/// without ICU and the others by reading only the text around terminators; 2 for the same
/// ends found by reading the whole text (the reference). Returns 0, or -1 on an ICU error.
int32_t nf_segment(nf_segmenter *seg, const char *text, int64_t len, int32_t words, int32_t sentences,
                   nf_segments *out);

typedef struct nf_folder nf_folder;
/// ICU transliterator "NFD; [:Nonspacing Mark:] Remove; NFC; Latin-ASCII; Lower".
nf_folder *nf_folder_open(char *err, int32_t errcap);
void nf_folder_close(nf_folder *f);
/// Folds one code point; writes UTF-8 into out (no NUL). Returns the byte length, or -1.
int32_t nf_fold_codepoint(nf_folder *f, uint32_t cp, char *out, int32_t cap);

#ifdef __cplusplus
}
#endif
#endif
