import Foundation

/// ChunkCache: the tokens of a chunk of text (between spaces, or a bracket or punctuation
/// mark at its edge), kept for the next time the same chunk comes (as spaCy's tokenizer
/// keeps them).
///
/// Consumes a chunk's bytes and, the first time, the pieces the tokenizer made of it;
/// produces those pieces again for every later chunk of the same bytes. Why this is exact:
/// `Tokenizer.findChunks` cuts only where ICU's word rules always break, whatever comes
/// before or after, and each ICU segment depends only on the text from its start on, so a
/// chunk breaks the same wherever it stands (a test compares with ICU reading whole texts).
/// The first chunks, kept for good, are the known words a tokenizer reads when it is made.
/// A piece's shape holds only what
/// its own text says; spacing and sentence starts depend on the context and are added per
/// occurrence.
///
/// Bounded: once `capacity` chunks are kept, new ones are no longer added (the frequent ones
/// come early). One per tokenizer, so one per thread.
final class ChunkCache {
    /// A piece of a chunk: offsets from the chunk's start, and what the tokenizer found.
    struct Piece {
        var start: Int32
        var end: Int32
        var kind: TokenTable.Kind
        var shape: TokenTable.Shape
        var key: Int32
    }

    /// A kept chunk: its first eight bytes, hash and length, the rest of its bytes in `text`,
    /// and its pieces in `pieces` (count -1 until the tokenizer has made them), the first
    /// also here (most chunks are one piece, read with the entry).
    struct Entry {
        var head: UInt64
        var hash: UInt64
        var count: Int32
        var textStart: Int32
        var first: Int32
        var pieceCount: Int32
        var firstPiece: Piece
    }

    /// Longest chunk kept, in bytes: longer ones are rare and seldom come back.
    static let longestChunk = 64
    /// Most chunks kept.
    let capacity: Int

    private let slots: UnsafeMutablePointer<Int32>   // entry + 1, 0 for empty
    private let mask: Int
    let entries: UnsafeMutablePointer<Entry>
    private(set) var count = 0
    private var text = ScratchBuffer<UInt8>()
    private(set) var pieces = ScratchBuffer<Piece>()

    /// Lookups and how many found their chunk, since the cache was made (for `bench`).
    private(set) var lookups = 0
    private(set) var hits = 0

    init(capacity: Int) {
        self.capacity = capacity
        var size = 16
        while size < 2 * capacity { size *= 2 }
        mask = size - 1
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        entries = .allocate(capacity: capacity)
    }

    deinit {
        slots.deallocate()
        entries.deallocate()
        text.deallocate()
        pieces.deallocate()
    }

    /// How much of the cache `removeAll` keeps: the entries made before `keepCurrent` was
    /// called (the known words the tokenizer read when it was made), with their text
    /// and pieces, which come first in those buffers.
    private var kept = (entries: 0, text: 0, pieces: 0)

    /// How many entries `removeAll` keeps.
    var keptCount: Int { kept.entries }

    /// Makes the entries held now permanent: `removeAll` leaves them. Counts start again.
    func keepCurrent() {
        kept = (count, text.count, pieces.count)
        lookups = 0
        hits = 0
    }

    /// Empties the cache down to the kept entries: clears only the slots of the others,
    /// found again from the entries' hashes (clearing all of them would pass the whole table
    /// through the processor's caches).
    func removeAll() {
        for e in kept.entries..<count {
            var i = Int(truncatingIfNeeded: entries[e].hash) & mask
            while slots[i] != Int32(e + 1) { i = (i &+ 1) & mask }
            slots[i] = 0
        }
        count = kept.entries
        text.truncate(to: kept.text)
        pieces.truncate(to: kept.pieces)
    }

    /// The entry of `chunk`, whose first eight bytes (zero past its end) are `head`, with what
    /// it holds; or, when it is new and there is room, a new entry without pieces yet (and no
    /// `found`); nil for a chunk too long or when the cache is full.
    @inline(__always)
    func entry(for chunk: UnsafeBufferPointer<UInt8>, head: UInt64) -> (entry: Int32, found: Entry?)? {
        let n = chunk.count
        guard n <= Self.longestChunk else { return nil }
        lookups &+= 1
        let h = n <= 8 ? Lexicon.hash(head: head, count: n) : Lexicon.hash(chunk)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[i]) &- 1
            if e < 0 { break }
            let entry = entries[e]
            if entry.hash == h && entry.head == head && Int(entry.count) == n && (n <= 8 || restEquals(entry, chunk)) {
                hits &+= 1
                return (Int32(e), entry)
            }
            i = (i &+ 1) & mask
        }
        guard count < capacity else { return nil }
        entries[count] = Entry(head: head, hash: h, count: Int32(n), textStart: Int32(text.count), first: 0, pieceCount: -1,
                               firstPiece: Piece(start: 0, end: 0, kind: .symbol, shape: [], key: 0))
        if n > 8 { text.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[8...])) }
        count += 1
        slots[i] = Int32(count)
        return (Int32(count - 1), nil)
    }

    /// Gives new entry `e` its pieces.
    func fill(_ e: Int32, with new: UnsafeBufferPointer<Piece>) {
        entries[Int(e)].first = Int32(pieces.count)
        entries[Int(e)].pieceCount = Int32(new.count)
        if let p = new.first { entries[Int(e)].firstPiece = p }
        if !new.isEmpty { pieces.append(contentsOf: new) }
    }

    /// Whether the bytes of a chunk longer than eight bytes, whose first eight match, equal
    /// those of `entry` past them.
    private func restEquals(_ entry: Entry, _ chunk: UnsafeBufferPointer<UInt8>) -> Bool {
        memcmp(text.elements.baseAddress! + Int(entry.textStart), chunk.baseAddress! + 8, chunk.count - 8) == 0
    }
}
