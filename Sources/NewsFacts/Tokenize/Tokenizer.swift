import CICUShim

/// Tokenise: article bytes → `TokenTable` (ICU word break, ICU sentence break with abbreviation
/// suppression, read only around the terminators a paragraph separator does not settle;
/// offsets are bytes of the UTF-8 text).
///
/// Requires: a `Lexicon` (keys → ids) and the abbreviation list (`Rules/abbreviations.txt`).
/// Provides: tokens with byte offsets, kind, shape bits, folded key id and sentence index.
/// Two refinements on top of ICU: letter/digit runs are split ("VND2.3" → "VND" "2.3",
/// "3.5km" → "3.5" "km") and a possessive "'s"/"’s" becomes its own token, so lists and rules
/// see "Giang" in "Giang’s". ICU reads each chunk of text between spaces once: its tokens are
/// cached (`ChunkCache`) for every later occurrence, in this article or the next. A
/// `Tokenizer` holds ICU iterators and that cache: use one per thread.
public final class Tokenizer {
    private let segmenter: OpaquePointer
    public let lexicon: Lexicon
    private let folder = FoldTable.shared
    private let scalars = ScalarTable()
    private var columns = TokenColumns(capacity: 4096)
    /// Folded key of the current token.
    private var keyBuffer: UnsafeMutablePointer<UInt8>
    private var keyCapacity = 512

    // Chunks (see `findChunks`), kept from article to article for their buffers.
    private let cache: ChunkCache
    /// The article's chunks in text order.
    private var chunks = ScratchBuffer<Chunk>()
    /// The chunks not in the cache, in text order: where each starts and ends in its batch,
    /// its cache entry (-1: not kept) and, for a chunk of ASCII letters only or digits only,
    /// its kind (see `plainKind`), else nil; and once described, the pieces of each (`fresh`,
    /// `freshRanges`). ICU reads the others back to back, with a space after each (`batch`);
    /// the plain ones wait in `plainBatch`.
    private var misses = ScratchBuffer<(start: Int32, end: Int32, entry: Int32, plain: TokenTable.Kind?)>()
    private var batch = ScratchBuffer<UInt8>()
    private var plainBatch = ScratchBuffer<UInt8>()
    private var fresh = ScratchBuffer<ChunkCache.Piece>()
    private var freshRanges = ScratchBuffer<(first: Int32, end: Int32)>()

    /// `known`: text whose chunks are read at once and kept in the cache for good (common words
    /// and the words of the gazetteers, which news uses often), so that even a first article
    /// finds them there; at most three quarters of the cache is filled so.
    /// `chunkCapacity`: most chunks the cache keeps (see `ChunkCache`).
    public init(abbreviations: [String], lexicon: Lexicon, known: [UInt8] = [], chunkCapacity: Int = 1 << 16) throws {
        var packed = [CChar]()
        for a in abbreviations {
            packed += a.utf8CString  // includes the terminating NUL
        }
        var err = [CChar](repeating: 0, count: 256)
        guard let seg = nf_segmenter_open(packed, Int32(abbreviations.count), &err, 256) else {
            throw EngineError.icu(String(cString: err))
        }
        self.segmenter = seg
        self.lexicon = lexicon
        cache = ChunkCache(capacity: chunkCapacity)
        keyBuffer = .allocate(capacity: keyCapacity)
        try known.withUnsafeBufferPointer { buf in
            // A few kilobytes at a time (cut after a space), as an article: the buffers of
            // findChunks and ICU grow with the text they read, and are kept. Known words fill
            // at most three quarters of the cache (the first ones: common words come first),
            // so that a large user gazetteer leaves room for the chunks of the articles.
            let most = chunkCapacity * 3 / 4
            var start = 0
            while start < buf.count && cache.count < most {
                // No more bytes than chunks still wanted: a byte makes at most one chunk.
                var end = min(start + min(16 << 10, most - cache.count), buf.count)
                while end < buf.count && buf[end - 1] != 0x20 { end += 1 }
                findChunks(UnsafeBufferPointer(rebasing: buf[start..<end]))
                try describeMisses()
                start = end
            }
        }
        cache.keepCurrent()
    }

    deinit {
        nf_segmenter_close(segmenter)
        columns.deallocate()
        keyBuffer.deallocate()
        chunks.deallocate()
        misses.deallocate()
        batch.deallocate()
        plainBatch.deallocate()
        fresh.deallocate()
        freshRanges.deallocate()
    }

    /// Tokenises `bytes` (valid UTF-8). Chunks between spaces seen before (in this article or
    /// an earlier one) take their pieces from the cache; ICU reads the others, back to back.
    public func tokenize(_ bytes: [UInt8]) throws -> TokenTable {
        try bytes.withUnsafeBufferPointer { buf in
            findChunks(buf)
            return try describeAndEmit(buf)
        }
    }

    /// `tokenize` with ICU reading the whole text at once, no cache: the reference the cached
    /// path must agree with (for tests).
    func tokenizeWhole(_ bytes: [UInt8]) throws -> TokenTable {
        try bytes.withUnsafeBufferPointer { buf in
            resetChunks()
            if buf.count > 0 { addUncached(buf, at: 0, spaceAfter: false) }
            return try describeAndEmit(buf)
        }
    }

    /// Forgets every cached chunk but the known ones (for `bench`, to measure tokenising text
    /// never seen).
    public func forgetChunks() { cache.removeAll() }

    /// How many chunks the tokenizer read when it was made (its known words) and keeps.
    public var knownChunks: Int { cache.keptCount }

    /// How many chunks were looked up in the cache and how many were found there.
    public var chunkLookups: (lookups: Int, hits: Int) { (cache.lookups, cache.hits) }

    /// The folded keys of the tokens of `text`, as the run-time tokenizer would cut them: how
    /// gazetteer entries and rule literals become key sequences.
    public func foldedPieces(_ text: String) throws -> [[UInt8]] {
        // A possessive on its own ("'s" in a rule) is the token the tokenizer splits off words.
        if text == "'s" || text == "’s" { return [Array("'s".utf8)] }
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buf in
            let segments = try segment(buf, sentences: .none)
            var out: [[UInt8]] = []
            reserveKey(buf.count)
            lexicon.withReader { keys in
                for i in 0..<segments.starts.count {
                    let s = Int(segments.starts[i]), e = Int(segments.ends[i])
                    forEachPiece(buf, s, e, baseKind(buf, s, Int(segments.status[i])), keys) { ps, pe, _, _ in
                        var key = [UInt8]()
                        folder.fold(UnsafeBufferPointer(rebasing: buf[ps..<pe]), into: &key)
                        out.append(key)
                    }
                }
            }
            return out
        }
    }

    /// The byte offsets where ICU ends the sentences of `text`, found as `reading` says (for
    /// tests: both ways must agree).
    func sentenceEnds(_ text: [UInt8], _ reading: SentenceReading) throws -> [Int] {
        try text.withUnsafeBufferPointer { try segment($0, sentences: reading).sentenceEnds.map(Int.init) }
    }

    /// Folded key of arbitrary bytes (for output; the hot path stores ids only).
    public func foldedKey(_ bytes: ArraySlice<UInt8>) -> String {
        var out = [UInt8]()
        bytes.withUnsafeBufferPointer { folder.fold($0, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - ICU calls

    /// ICU's word segments (byte offsets and rule status) and sentence ends of a text.
    private struct Segments {
        let starts, ends, status: UnsafeBufferPointer<Int32>
        let sentenceEnds: UnsafeBufferPointer<Int32>

        static let none = Segments(starts: .init(start: nil, count: 0), ends: .init(start: nil, count: 0),
                                   status: .init(start: nil, count: 0), sentenceEnds: .init(start: nil, count: 0))
    }

    /// How sentence ends are found: not at all; after paragraph separators without ICU and
    /// by ICU reading the text around other terminators only (what `tokenize` does); by ICU
    /// reading all of it.
    enum SentenceReading: Int32 { case none = 0, aroundTerminators = 1, wholeText = 2 }

    /// Word segments (unless not asked for) and sentence ends (if asked) of `buf`, in the
    /// segmenter's own buffers: valid until the next call.
    private func segment(_ buf: UnsafeBufferPointer<UInt8>, words: Bool = true, sentences: SentenceReading) throws -> Segments {
        var out = nf_segments()
        let status = buf.withMemoryRebound(to: CChar.self) {
            nf_segment(segmenter, $0.baseAddress, Int64($0.count), words ? 1 : 0, sentences.rawValue, &out)
        }
        guard status == 0 else { throw EngineError.icu("word or sentence break failed") }
        let n = Int(out.count)
        return Segments(starts: UnsafeBufferPointer(start: out.starts, count: n),
                        ends: UnsafeBufferPointer(start: out.ends, count: n),
                        status: UnsafeBufferPointer(start: out.status, count: n),
                        sentenceEnds: UnsafeBufferPointer(start: out.sentenceEnds, count: Int(out.sentenceCount)))
    }

    // MARK: - chunks

    /// Cuts the text into chunks where ICU always breaks whatever comes before or after: at
    /// each run of spaces and line breaks followed by an ASCII character, a Latin letter (see
    /// `startsLetter`) or the end. Word rules (UAX #29) never join across a space or line
    /// break except to a combining mark or another space, and each segment depends only on
    /// the text from its start on; so the pieces of a chunk do not depend on where it stands.
    /// Each chunk is cut further by `addChunkParts`.
    private func findChunks(_ buf: UnsafeBufferPointer<UInt8>) {
        resetChunks()
        let n = buf.count
        var chunkStart = 0, i = 0
        while i < n {
            guard Self.isBreak(buf[i]) else {
                i &+= 1
                continue
            }
            var j = i &+ 1
            while j < n && Self.isBreak(buf[j]) { j &+= 1 }
            if j == n || buf[j] < 0x80 || Self.startsLetter(buf, j) {
                if i > chunkStart { addChunkParts(buf, chunkStart, i) }
                chunkStart = j
            }
            i = j
        }
        if chunkStart < n { addChunkParts(buf, chunkStart, n) }
    }

    /// Adds a chunk as up to three kinds of parts, so that "(Giang" and "Giang)," find the
    /// "Giang" of other chunks: an opening bracket or quote before a letter or digit, the
    /// rest, and each of the closing brackets, quotes and punctuation marks that end it. ICU
    /// breaks on both sides of each such mark: none of the word rules (UAX #29) joins it to
    /// what follows it here (a letter, a digit, another such mark or the end), nor to what
    /// precedes it, except an apostrophe after a Hebrew letter (WB7a), so an apostrophe after
    /// a non-ASCII letter stays with it.
    @inline(__always)
    private func addChunkParts(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) {
        var s = s
        if e &- s > 1 && Self.opens(buf[s]) && (Self.isAlphanumeric(buf[s &+ 1]) || Self.startsLetter(buf, s &+ 1)) {
            addChunk(buf, s, s &+ 1)
            s &+= 1
        }
        var t = e
        while t > s && Self.closes(buf[t &- 1]) { t &-= 1 }
        if t < e && t > s && buf[t] == UInt8(ascii: "'") && buf[t &- 1] >= 0x80 { t &+= 1 }
        if t > s { addChunk(buf, s, t) }
        while t < e {
            addChunk(buf, t, t &+ 1)
            t &+= 1
        }
    }

    /// ( [ { " '
    @inline(__always)
    private static func opens(_ c: UInt8) -> Bool {
        c == 0x28 || c == 0x5B || c == 0x7B || c == 0x22 || c == 0x27
    }

    /// ) ] } " ' , . ; : ! ?
    @inline(__always)
    private static func closes(_ c: UInt8) -> Bool {
        c < 0x40 ? (UInt64(1) << UInt64(c)) & Self.closingBelow64 != 0 : (c == 0x5D || c == 0x7D)
    }

    private static let closingBelow64: UInt64 = [0x29, 0x22, 0x27, 0x2C, 0x2E, 0x3B, 0x3A, 0x21, 0x3F]
        .reduce(0) { $0 | UInt64(1) << UInt64($1) }

    /// Whether a letter of U+00C0–U+027F (Latin-1 letters, Latin Extended-A and -B, IPA) or
    /// U+1E00–U+1EFF (Latin Extended Additional: most Vietnamese letters) starts at `i`: not a
    /// combining mark, which ICU would join to what precedes it. (× and ÷ are in the range:
    /// symbols, which ICU joins to nothing either.)
    @inline(__always)
    private static func startsLetter(_ buf: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let c = buf[i]
        if c >= 0xC3 && c <= 0xC9 { return true }
        return c == 0xE1 && i &+ 1 < buf.count && buf[i &+ 1] >= 0xB8 && buf[i &+ 1] <= 0xBB
    }

    /// ASCII letter, ASCII digit, either.
    @inline(__always)
    private static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    @inline(__always)
    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always)
    private static func isAlphanumeric(_ c: UInt8) -> Bool { isLetter(c) || isDigit(c) }

    /// Space, line feed, carriage return.
    @inline(__always)
    private static func isBreak(_ c: UInt8) -> Bool {
        c <= 0x20 && (UInt64(1) << UInt64(c)) & (1 << 0x20 | 1 << 0x0A | 1 << 0x0D) != 0
    }

    /// A chunk of the article: where it starts, and where its pieces are: `count` of them
    /// from `first` in the cache's pieces, the first one also in `firstPiece`; or, with
    /// `count` -1, not known when the chunk was found: `source` says where they will be (an
    /// entry of the cache, or ~m for miss m, which the cache does not keep).
    private struct Chunk {
        var start: Int32
        var source: Int32
        var first: Int32
        var count: Int32
        var firstPiece: ChunkCache.Piece
    }

    private func resetChunks() {
        chunks.removeAll()
        misses.removeAll()
        batch.removeAll()
        plainBatch.removeAll()
    }

    @inline(__always)
    private func addChunk(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) {
        let chunk = UnsafeBufferPointer(rebasing: buf[s..<e])
        guard let (entry, found) = cache.entry(for: chunk, head: Lexicon.head(buf, s, e)) else {
            return addUncached(chunk, at: s)
        }
        if let found, found.pieceCount >= 0 {
            chunks.append(Chunk(start: Int32(s), source: entry, first: found.first, count: found.pieceCount,
                                firstPiece: found.firstPiece))
        } else {
            if found == nil { addMiss(chunk, entry: entry) }
            chunks.append(Chunk(start: Int32(s), source: entry, first: 0, count: -1, firstPiece: Self.noPiece))
        }
    }

    /// A chunk the cache will not keep: ICU reads it, and its pieces stay in `fresh`.
    private func addUncached(_ chunk: UnsafeBufferPointer<UInt8>, at s: Int, spaceAfter: Bool = true) {
        chunks.append(Chunk(start: Int32(s), source: ~Int32(misses.count), first: 0, count: -1, firstPiece: Self.noPiece))
        addMiss(chunk, entry: -1, spaceAfter: spaceAfter)
    }

    private static let noPiece = ChunkCache.Piece(start: 0, end: 0, kind: .symbol, shape: [], key: 0)

    /// Puts a chunk the cache lacks into a batch: a plain one (see `plainKind`) into
    /// `plainBatch`, any other into ICU's, with a space after it unless told not to (the whole
    /// text ICU reads for `tokenizeWhole`, which is never taken as plain).
    private func addMiss(_ chunk: UnsafeBufferPointer<UInt8>, entry: Int32, spaceAfter: Bool = true) {
        if spaceAfter, let kind = Self.plainKind(chunk) {
            misses.append((Int32(plainBatch.count), Int32(plainBatch.count + chunk.count), entry, kind))
            plainBatch.append(contentsOf: chunk)
            return
        }
        misses.append((Int32(batch.count), Int32(batch.count + chunk.count), entry, nil))
        batch.append(contentsOf: chunk)
        if spaceAfter { batch.append(0x20) }
    }

    /// `.word` for a chunk of ASCII letters only, `.number` for one of ASCII digits only: ICU
    /// makes each one segment (UAX #29 WB5 and WB8, which nothing in the chunk interrupts),
    /// with the rule status of a letter or number word, so ICU need not read it. Nil for any
    /// other chunk.
    @inline(__always)
    private static func plainKind(_ chunk: UnsafeBufferPointer<UInt8>) -> TokenTable.Kind? {
        var letters = 0, digits = 0
        for c in chunk {
            if isLetter(c) { letters &+= 1 } else if isDigit(c) { digits &+= 1 } else { return nil }
        }
        return digits == 0 ? .word : letters == 0 ? .number : nil
    }

    /// ICU reads the batch of missed chunks; their pieces go into the cache (or `fresh`);
    /// then every chunk's pieces become tokens, with ICU's sentences.
    private func describeAndEmit(_ buf: UnsafeBufferPointer<UInt8>) throws -> TokenTable {
        try describeMisses()
        let segments = try segment(buf, words: false, sentences: .aroundTerminators)
        return emit(buf, sentenceEnds: segments.sentenceEnds)
    }

    private func describeMisses() throws {
        fresh.removeAll()
        freshRanges.removeAll()
        guard misses.count > 0 else { return }
        let length = batch.count
        for _ in 0..<8 {   // so eight bytes can be read anywhere
            batch.append(0)
            plainBatch.append(0)
        }
        let padded = batch.elements, plain = plainBatch.elements
        let segments = length == 0 ? Segments.none : try segment(UnsafeBufferPointer(rebasing: padded[..<length]), sentences: .none)
        reserveKey(max(length, plain.count))
        var k = 0
        lexicon.withReader { keys in
            for m in misses.elements {
                let first = fresh.count, base = Int(m.start)
                func keep(_ ps: Int, _ pe: Int, _ kind: TokenTable.Kind, _ piece: Piece) {
                    fresh.append(ChunkCache.Piece(start: Int32(ps - base), end: Int32(pe - base), kind: kind,
                                                  shape: piece.shape, key: piece.key))
                }
                if let kind = m.plain {
                    forEachPiece(plain, base, Int(m.end), kind, keys, keep)
                } else {
                    while k < segments.starts.count && Int(segments.starts[k]) < Int(m.end) {
                        let s = Int(segments.starts[k]), e = min(Int(segments.ends[k]), Int(m.end))
                        forEachPiece(padded, s, e, baseKind(padded, s, Int(segments.status[k])), keys, keep)
                        k += 1
                    }
                }
                let made = UnsafeBufferPointer(rebasing: fresh.elements[first...])
                if m.entry >= 0 { cache.fill(m.entry, with: made) }
                freshRanges.append((Int32(first), Int32(fresh.count)))
            }
        }
    }

    /// Tokens from the chunks' pieces, each with its spacing and sentence.
    private func emit(_ buf: UnsafeBufferPointer<UInt8>, sentenceEnds: UnsafeBufferPointer<Int32>) -> TokenTable {
        var sentences = SentenceCursor(ends: sentenceEnds)
        var tokens = columns   // a local copy of the buffer pointers, kept in registers
        tokens.removeAll()
        tokens.reserve(buf.count)   // at most one piece per byte
        var prevEnd = 0
        let cached = cache.pieces.elements, fresh = fresh.elements, ranges = freshRanges.elements
        let entries = cache.entries
        @inline(__always) func add(_ p: ChunkCache.Piece, _ base: Int) {
            let ps = base &+ Int(p.start), pe = base &+ Int(p.end)
            var shape = p.shape
            shape.formUnion(spacing(buf, prevEnd, ps, first: tokens.count == 0))
            let (sentence, isFirst) = sentences.next(tokens.count, start: ps)
            if isFirst { shape.insert(.sentenceStart) }
            tokens.append(start: ps, end: pe, kind: p.kind, shape: shape, key: p.key, sentence: sentence)
            prevEnd = pe
        }
        for c in chunks.elements {
            let base = Int(c.start)
            if c.count == 1 {
                add(c.firstPiece, base)
                continue
            }
            let pieces: UnsafeBufferPointer<ChunkCache.Piece>
            if c.count >= 0 || c.source >= 0 {
                // Cached; pieces of entries made for this article are known only now.
                let (first, count) = c.count >= 0 ? (c.first, c.count) : (entries[Int(c.source)].first, entries[Int(c.source)].pieceCount)
                pieces = UnsafeBufferPointer(rebasing: cached[Int(first)..<Int(first &+ count)])
            } else {
                let r = ranges[Int(~c.source)]
                pieces = UnsafeBufferPointer(rebasing: fresh[Int(r.first)..<Int(r.end)])
            }
            for p in pieces { add(p, base) }
        }
        columns = tokens
        return tokens.table(sentences: sentences.finish(count: tokens.count))
    }

    // MARK: - per token

    @inline(__always)
    private func baseKind(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ status: Int) -> TokenTable.Kind {
        if status >= 100 && status < 200 { return .number }
        if status >= 200 { return .word }
        return ScalarTable.kind(scalars.facts(UTF8Scan.decode(b, at: s).0))
    }

    /// What `describe` finds out about a piece: its shape bits (of its text, not of the space
    /// before it) and the lexicon id of its folded key.
    private struct Piece {
        var shape: TokenTable.Shape
        var key: Int32
    }

    /// Calls `body` for each piece of a segment, described: letter/digit runs split,
    /// possessive split.
    @inline(__always)
    private func forEachPiece(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, _ kind: TokenTable.Kind,
                              _ keys: Lexicon.Reader, _ body: (Int, Int, TokenTable.Kind, Piece) -> Void) {
        guard kind == .word || kind == .number else { return body(s, e, kind, describe(b, s, e, keys)) }
        let end = possessiveStart(b, s, e) ?? e
        // Described whole first: only a digit starts or ends a run, and most words have none,
        // so they are one piece, read in one pass.
        let whole = describe(b, s, end, keys)
        if whole.shape.contains(.hasDigit) {
            forEachRun(b, s, end, kind) { ps, pe, k in
                body(ps, pe, k, ps == s && pe == end ? whole : describe(b, ps, pe, keys))
            }
        } else {
            body(s, end, kind, whole)
        }
        if end < e { body(end, e, .word, describe(b, end, e, keys)) }
    }

    /// Where a possessive "'s" or "’s" ending the segment `b[s..<e]` starts, if it has one
    /// with something before it.
    @inline(__always)
    private func possessiveStart(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int? {
        guard e - s > 2, b[e - 1] | 0x20 == UInt8(ascii: "s") else { return nil }
        if b[e - 2] == UInt8(ascii: "'") { return e - 2 }
        if e - s > 4, b[e - 4] == 0xE2, b[e - 3] == 0x80, b[e - 2] == 0x99 { return e - 4 }
        return nil
    }

    /// Calls `body` for each letter or digit run of `b[s..<e]` ("VND2.3" → "VND" "2.3").
    private func forEachRun(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ end: Int, _ kind: TokenTable.Kind,
                            _ body: (Int, Int, TokenTable.Kind) -> Void) {
        var runStart = s
        var i = s
        var prevDigit: Bool? = nil
        while i < end {
            let c = b[i]
            let isDigit = c >= 0x30 && c <= 0x39
            let isSep = (c == UInt8(ascii: ".") || c == UInt8(ascii: ",")) && prevDigit == true
                && i + 1 < end && b[i + 1] >= 0x30 && b[i + 1] <= 0x39
            if !isSep {
                let letter = !isDigit && c != UInt8(ascii: "-") && c != UInt8(ascii: "'")
                if let p = prevDigit, (p && letter) || (!p && isDigit) {
                    body(runStart, i, p ? .number : .word)
                    runStart = i
                }
                if isDigit { prevDigit = true } else if letter { prevDigit = false }
            }
            i += 1
            while i < end, !UTF8Scan.isLead(b[i]) { i += 1 }
        }
        if runStart < end { body(runStart, end, runStart == s ? kind : (prevDigit == true ? .number : .word)) }
    }

    /// Shape bits and lexicon id of the piece `b[s..<e]`, in one pass: each code point's table
    /// facts feed the shape, and its folded bytes go into the key.
    @inline(__always)
    private func describe(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, _ keys: Lexicon.Reader) -> Piece {
        if let piece = describeShortASCII(b, s, e, keys) { return piece }
        let scalars = self.scalars, key = keyBuffer   // read once per piece, not per byte
        var length = 0
        @inline(__always) func addKey(_ c: UInt8) {
            key[length] = c
            length += 1
        }
        var seen: UInt8 = 0          // union of the code points' facts
        var firstCase: UInt8 = 0     // case bit of the first letter
        var upper = 0                // upper-case letters
        var i = s
        while i < e {
            let facts: UInt8
            let c = b[i]
            if c < 0x80 {
                facts = scalars.facts(ascii: c)
                addKey(c | (facts & ScalarTable.upper) << 5)   // A-Z → a-z
                i += 1
            } else {
                let (cp, width) = UTF8Scan.decode(b, at: i)
                facts = scalars.facts(cp)
                if let folded = folder.folded(cp) {
                    for f in folded { addKey(f) }
                } else {
                    for j in i..<min(e, i + width) { addKey(b[j]) }
                }
                i += width
            }
            seen |= facts
            upper &+= Int(facts & ScalarTable.upper)
            if firstCase == 0 { firstCase = facts & (ScalarTable.upper | ScalarTable.lower) }
        }
        let folded = UnsafeBufferPointer(start: key, count: length)
        let id = keys.id(of: folded, hash: Lexicon.hash(folded))
        return Piece(shape: shape(b, s, e, seen: seen, firstCase: firstCase, upper: upper), key: id)
    }

    /// `describe` for a piece of at most eight ASCII bytes (most English words): its bytes
    /// read as one word and tested all at once. Nil for other pieces, and at the very end of
    /// the text, where eight bytes cannot be read.
    @inline(__always)
    private func describeShortASCII(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, _ keys: Lexicon.Reader) -> Piece? {
        let n = e - s
        guard n <= 8, s + 8 <= b.count else { return nil }
        let word = Lexicon.head(b, s, e)
        guard word & 0x8080_8080_8080_8080 == 0 else { return nil }
        let (seen, upperBytes, lowerBytes) = ScalarTable.facts(asciiWord: word)
        let folded = word | upperBytes >> 2   // A-Z → a-z
        // The first letter is upper case when the lowest letter byte is an upper-case one.
        let letterBytes = upperBytes | lowerBytes
        let firstLetter = letterBytes & (0 &- letterBytes)
        let firstCase = letterBytes == 0 ? 0 : firstLetter & upperBytes != 0 ? ScalarTable.upper : ScalarTable.lower
        let id = keys.id(head: folded, count: n)
        return Piece(shape: shape(b, s, e, seen: seen, firstCase: firstCase, upper: upperBytes.nonzeroBitCount), key: id)
    }

    /// Shape bits from what `describe` gathered. A letter is upper or lower case, never both,
    /// so whether any is lower case and how many are upper case say what letter counts would.
    @inline(__always)
    private func shape(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int,
                       seen: UInt8, firstCase: UInt8, upper: Int) -> TokenTable.Shape {
        var shape: TokenTable.Shape = []
        let anyLower = seen & ScalarTable.lower != 0
        let anyLetter = seen & (ScalarTable.upper | ScalarTable.lower) != 0
        if seen & ScalarTable.digit != 0 { shape.insert(.hasDigit) }
        if seen & ScalarTable.hyphen != 0 { shape.insert(.hyphenated) }
        if seen & ScalarTable.diacritic != 0 { shape.insert(.hasDiacritic) }
        if firstCase == ScalarTable.upper { shape.insert(.capitalised) }
        if firstCase == ScalarTable.lower { shape.insert(.lower) }
        if upper >= 2 && !anyLower { shape.insert(.allCaps) }
        if e - s == 4, !anyLetter, (b[s] == 0x31 && b[s + 1] == 0x39) || (b[s] == 0x32 && b[s + 1] == 0x30),
           b[s + 2] >= 0x30, b[s + 2] <= 0x39, b[s + 3] >= 0x30, b[s + 3] <= 0x39 {
            shape.insert(.yearLike)
        }
        if upper == 1 && !anyLower && e - s <= 2 { shape.insert(.single) }
        // Title case: an upper-case first letter and lower-case letters after it, no other upper.
        if firstCase == ScalarTable.upper && upper == 1 && anyLower { shape.insert(.titleCase) }
        return shape
    }

    @inline(__always)
    private func spacing(_ b: UnsafeBufferPointer<UInt8>, _ prevEnd: Int, _ s: Int, first: Bool) -> TokenTable.Shape {
        if first { return [.lineStart, .paragraphStart] }
        if prevEnd == s { return .glued }
        var newlines = 0
        for i in prevEnd..<s where b[i] == 0x0A { newlines += 1 }
        if newlines >= 2 { return [.lineStart, .paragraphStart] }
        return newlines == 1 ? .lineStart : []
    }

    /// Makes the key buffer hold the folded key of any piece of an `n`-byte text, so no piece
    /// needs a check of its own.
    @inline(__always)
    private func reserveKey(_ n: Int) {
        let needed = n * folder.maxLength
        guard needed > keyCapacity else { return }
        keyBuffer.deallocate()
        keyCapacity = needed
        keyBuffer = .allocate(capacity: needed)
    }
}

/// Errors of the engine's set-up and ICU calls.
public enum EngineError: Error, CustomStringConvertible {
    case icu(String)
    case rules(String)

    public var description: String {
        switch self {
        case .icu(let m): return "ICU: \(m)"
        case .rules(let m): return m
        }
    }
}
