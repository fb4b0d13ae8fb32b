/// TokenColumns: the tokenizer's column buffers, filled one token at a time and copied into a
/// `TokenTable` per article.
///
/// Consumes tokens in text order; produces `TokenTable`s (without their sentence ranges, which
/// `SentenceCursor` produces). The buffers are reused across articles; writing through them
/// with one capacity check per ICU segment replaces five `Array.append`s per token, each with
/// its own uniqueness and capacity check.
struct TokenColumns {
    private(set) var count = 0
    private var capacity = 0
    private var start: UnsafeMutablePointer<Int32>
    private var end: UnsafeMutablePointer<Int32>
    private var kind: UnsafeMutablePointer<TokenTable.Kind>
    private var shape: UnsafeMutablePointer<TokenTable.Shape>
    private var key: UnsafeMutablePointer<Int32>
    private var sentence: UnsafeMutablePointer<Int32>

    init(capacity: Int) {
        self.capacity = capacity
        start = .allocate(capacity: capacity)
        end = .allocate(capacity: capacity)
        kind = .allocate(capacity: capacity)
        shape = .allocate(capacity: capacity)
        key = .allocate(capacity: capacity)
        sentence = .allocate(capacity: capacity)
    }

    /// Frees the buffers; the owner calls this once, when it goes away.
    func deallocate() {
        start.deallocate()
        end.deallocate()
        kind.deallocate()
        shape.deallocate()
        key.deallocate()
        sentence.deallocate()
    }

    mutating func removeAll() { count = 0 }

    /// Makes room for `n` more tokens.
    @inline(__always)
    mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(to: max(count + n, capacity * 2)) }
    }

    /// Appends a token; `reserve` must have made room for it.
    @inline(__always)
    mutating func append(start s: Int, end e: Int, kind k: TokenTable.Kind, shape sh: TokenTable.Shape,
                         key id: Int32, sentence n: Int32) {
        start[count] = Int32(s)
        end[count] = Int32(e)
        kind[count] = k
        shape[count] = sh
        key[count] = id
        sentence[count] = n
        count += 1
    }

    func table(sentences: [Range<Int>]) -> TokenTable {
        var t = TokenTable()
        t.start = Array(UnsafeBufferPointer(start: start, count: count))
        t.end = Array(UnsafeBufferPointer(start: end, count: count))
        t.kind = Array(UnsafeBufferPointer(start: kind, count: count))
        t.shape = Array(UnsafeBufferPointer(start: shape, count: count))
        t.key = Array(UnsafeBufferPointer(start: key, count: count))
        t.sentence = Array(UnsafeBufferPointer(start: sentence, count: count))
        t.sentences = sentences
        return t
    }

    private mutating func grow(to newCapacity: Int) {
        let old = self
        self = TokenColumns(capacity: newCapacity)
        count = old.count
        start.update(from: old.start, count: count)
        end.update(from: old.end, count: count)
        kind.update(from: old.kind, count: count)
        shape.update(from: old.shape, count: count)
        key.update(from: old.key, count: count)
        sentence.update(from: old.sentence, count: count)
        old.deallocate()
    }
}

/// Assigns tokens, arriving in text order, to ICU's sentences: a token belongs to the first
/// sentence ending after its start (tokens after the last end stay in the last sentence).
struct SentenceCursor {
    private let ends: UnsafeBufferPointer<Int32>
    private var icu = 0          // ICU sentence of the current token
    private var current = -1     // ICU sentence of the previous token
    private var first = 0        // first token of the current sentence
    private var index: Int32 = 0 // sentences.count, kept apart for the per-token path
    private var sentences: [Range<Int>] = []

    init(ends: UnsafeBufferPointer<Int32>) { self.ends = ends }

    /// The sentence index of token `t` starting at byte `start`, and whether `t` starts it.
    @inline(__always)
    mutating func next(_ t: Int, start: Int) -> (sentence: Int32, isFirst: Bool) {
        while icu < ends.count - 1, start >= Int(ends[icu]) { icu += 1 }
        if t > 0, icu != current {
            sentences.append(first..<t)
            index += 1
            first = t
        }
        current = icu
        return (index, t == first)
    }

    /// The token ranges of the sentences, once all `count` tokens went through `next`.
    mutating func finish(count: Int) -> [Range<Int>] {
        if count > first { sentences.append(first..<count) }
        return sentences
    }
}
