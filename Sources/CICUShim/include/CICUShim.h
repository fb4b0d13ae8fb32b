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

/// Word segments of `text` (UTF-8, `len` bytes), whitespace segments left out. Writes at most
/// `cap` entries into starts/ends (byte offsets) and status (ICU rule status: 0-99 none,
/// 100-199 number, 200-299 letter, 300+ kana/ideo). Returns the number of segments found,
/// which may exceed `cap` (then call again with larger buffers), or -1 on an ICU error.
int64_t nf_words(nf_segmenter *seg, const char *text, int64_t len,
                 int32_t *starts, int32_t *ends, int32_t *status, int64_t cap);

/// Sentence end offsets (bytes), abbreviation-suppressed. Same buffer contract as nf_words.
int64_t nf_sentences(nf_segmenter *seg, const char *text, int64_t len, int32_t *ends, int64_t cap);

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
