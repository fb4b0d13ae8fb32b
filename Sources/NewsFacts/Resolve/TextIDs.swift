/// Text ids: byte strings of one article (folded names, date values) → small integer ids.
///
/// Consumes bytes to fold or to copy; produces ids where equal bytes get equal ids. Entity
/// keys, short names and gazetteer parents then compare integers, and no `String` is made
/// for a word that is only looked up. The texts lie back to back in one byte pool, found
/// through an open-addressing table. `string(id)` makes a `String` where a record needs one.
/// Equality is byte equality: folding has already removed case and diacritics. `TextIDMap`
/// keeps a value per id.
struct TextIDs {
    /// The texts, back to back: text `id` is `pool[ends[id]..<ends[id + 1]]`.
    private var pool: [UInt8] = []
    private var ends: [Int] = [0]
    private var hashes: [UInt32] = []
    /// Text id + 1 per slot, 0 for an empty slot; the count is a power of two.
    private var slots = [Int32](repeating: 0, count: 256)

    init() {
        // Room for a typical article's names, so the arrays seldom grow.
        pool.reserveCapacity(2048)
        ends.reserveCapacity(128)
        hashes.reserveCapacity(128)
    }

    /// The id of the folded form of `bytes[range]`; unseen texts get a new id when `add`,
    /// else nil.
    mutating func folded(_ bytes: [UInt8], _ range: Range<Int>, add: Bool) -> Int32? {
        bytes.withUnsafeBufferPointer { folded(UnsafeBufferPointer(rebasing: $0[range]), add: add) }
    }

    /// The id of the folded form of `text`, as `folded(_:_:add:)`. The text is folded on the
    /// stack; only a new text is copied into the pool.
    mutating func folded(_ text: UnsafeBufferPointer<UInt8>, add: Bool) -> Int32? {
        Self.withFolded(text) { find($0, add: add) }
    }

    /// The folded form of `bytes[range]` as a `String`, for a name that needs no id.
    static func foldedString(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer {
            withFolded(UnsafeBufferPointer(rebasing: $0[range])) { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Calls `body` with the folded form of `text`, folded on the stack.
    private static func withFolded<R>(_ text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * text.count + 8) { room in
            let n = FoldTable.shared.fold(text, into: room.baseAddress!, capacity: room.count)
            if n >= 0 { return body(UnsafeBufferPointer(rebasing: room[..<n])) }
            var out: [UInt8] = []   // folding made it more than twice as long
            FoldTable.shared.fold(text, into: &out)
            return out.withUnsafeBufferPointer(body)
        }
    }

    /// The id of `text` as it is (a date value), as `folded(_:_:add:)`.
    mutating func plain(_ text: String, add: Bool) -> Int32? {
        var text = text
        return text.withUTF8 { find($0, add: add) }
    }

    func string(_ id: Int32) -> String {
        String(decoding: pool[ends[Int(id)]..<ends[Int(id) + 1]], as: UTF8.self)
    }

    /// The first byte of text `id`, nil for the empty text.
    func firstByte(_ id: Int32) -> UInt8? {
        ends[Int(id)] < ends[Int(id) + 1] ? pool[ends[Int(id)]] : nil
    }

    /// The id of `text`, added to the pool when new and `add`.
    private mutating func find(_ text: UnsafeBufferPointer<UInt8>, add: Bool) -> Int32? {
        let h = Self.hash(text)
        let mask = slots.count - 1
        var s = Int(h) & mask
        while slots[s] != 0 {
            let id = Int(slots[s] - 1)
            if hashes[id] == h && pool.withUnsafeBufferPointer({ Self.equal(text, UnsafeBufferPointer(rebasing: $0[ends[id]..<ends[id + 1]])) }) {
                return Int32(id)
            }
            s = (s + 1) & mask
        }
        guard add else { return nil }
        let id = hashes.count
        pool.append(contentsOf: text)
        ends.append(pool.count)
        hashes.append(h)
        slots[s] = Int32(id + 1)
        if hashes.count * 2 > slots.count { grow() }
        return Int32(id)
    }

    /// Doubles the table, keeping it at most half full.
    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (id, h) in hashes.enumerated() {
            var s = Int(h) & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = Int32(id + 1)
        }
    }

    /// Multiply and shift over eight bytes at a time: names are short, and a byte-serial
    /// hash cost more than the rest of a lookup.
    @inline(__always)
    private static func hash(_ text: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h = UInt64(text.count) &* k
        var i = 0
        if let base = text.baseAddress {
            while i + 8 <= text.count {
                h = (h ^ UnsafeRawPointer(base).loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* k
                h ^= h >> 29
                i += 8
            }
        }
        var tail: UInt64 = 0
        while i < text.count {
            tail = tail << 8 | UInt64(text[i])
            i += 1
        }
        h = (h ^ tail) &* k
        return UInt32(truncatingIfNeeded: h ^ h >> 32)
    }

    private static func equal(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        guard x.count == y.count else { return false }
        for i in 0..<x.count where x[i] != y[i] { return false }
        return true
    }
}

/// A map from text ids to non-negative integers (entity or token indices). Text ids are
/// dense, so an array does what a dictionary would, without hashing.
struct TextIDMap {
    private var values: [Int] = []

    subscript(id: Int32) -> Int? {
        get { Int(id) < values.count && values[Int(id)] >= 0 ? values[Int(id)] : nil }
        set {
            if Int(id) >= values.count { values += repeatElement(-1, count: max(Int(id) + 1 - values.count, 64)) }
            values[Int(id)] = newValue ?? -1
        }
    }

    /// Sets `value` unless the id has one: the first one found counts.
    mutating func setFirst(_ id: Int32, _ value: Int) {
        if self[id] == nil { self[id] = value }
    }
}
