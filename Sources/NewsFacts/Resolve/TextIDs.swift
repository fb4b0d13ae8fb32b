/// Text ids: byte strings of one article (folded names, date values, acronyms) → small integer ids.
///
/// Consumes bytes to fold or to copy; produces ids where equal bytes get equal ids. Entity
/// keys, short names and gazetteer parents then compare integers, and no `String` is made
/// for a word that is only looked up. The texts are kept back to back in one byte pool; a
/// text to look up is written (folded or copied) at the pool's end, so a new text is kept
/// by moving the end past it, without another copy. `string(id)` makes a `String` where a
/// record needs one. Equality is byte equality: folding has already removed case and
/// diacritics. `TextIDMap` keeps a value per id.
struct TextIDs {
    /// The texts, then room: text i is `pool[starts[i]..<starts[i + 1]]`.
    private var pool = [UInt8](unsafeUninitializedCapacity: 4096) { $1 = 4096 }   // bytes need no zeroing
    private var starts: [Int32] = [0]
    private var hashes: [UInt64] = []
    /// Open addressing: id + 1 per slot, 0 for an empty one; the count is a power of two.
    private var slots = [Int32](repeating: 0, count: 256)
    /// `FoldTable.shared`, kept: each read of a static calls the runtime to check it is made.
    private let table = FoldTable.shared

    init() {
        starts.reserveCapacity(128)
        hashes.reserveCapacity(128)
    }

    /// Forgets every text and keeps the buffers, for the next article (a fresh `TextIDs`
    /// allocates four arrays, each through the runtime's metadata lookup).
    mutating func removeAll() {
        starts.removeAll(keepingCapacity: true)
        starts.append(0)
        hashes.removeAll(keepingCapacity: true)
        slots.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    /// The id of the folded form of `bytes[range]`; unseen texts get a new id when `add`,
    /// else nil.
    mutating func folded(_ bytes: [UInt8], _ range: Range<Int>, add: Bool) -> Int32? {
        bytes.withUnsafeBufferPointer { folded(UnsafeBufferPointer(rebasing: $0[range]), add: add) }
    }

    /// The id of the folded form of `text`, as `folded(_:_:add:)`.
    mutating func folded(_ text: UnsafeBufferPointer<UInt8>, add: Bool) -> Int32? {
        let room = table.maxLength * text.count
        let n = withRoom(room) { [table] in Self.fold(text, into: $0, capacity: room, with: table) }
        return find(count: n, add: add)
    }

    /// `FoldTable.fold(_:into:capacity:)`, eight ASCII bytes at a time while there are.
    private static func fold(_ text: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>, capacity: Int,
                             with table: FoldTable) -> Int {
        var i = 0
        let raw = UnsafeRawBufferPointer(text), ones: UInt64 = 0x0101_0101_0101_0101
        while i + 8 <= text.count {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if w & (0x80 &* ones) != 0 { break }
            // Bit 7 of each byte: set where the byte is at least "A" and not above "Z".
            let upper = (w &+ (0x80 - 0x41) &* ones) & ~(w &+ (0x80 - 0x5B) &* ones) & (0x80 &* ones)
            UnsafeMutableRawPointer(out + i).storeBytes(of: w | upper >> 2, as: UInt64.self)
            i += 8
        }
        let rest = table.fold(UnsafeBufferPointer(rebasing: text[i...]), into: out + i, capacity: capacity - i)
        return rest < 0 ? rest : i + rest
    }

    /// An ASCII byte folded, as `FoldTable` folds it: capitals to lower case.
    @inline(__always)
    static func foldASCII(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// The first byte of the folded form of `text`, from its first code point alone; nil when
    /// that code point folds to nothing (the byte then comes from a later one) or `text` is empty.
    static func foldedFirstByte(_ text: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard let b = text.first else { return nil }
        if b < 0x80 { return foldASCII(b) }
        let (cp, _) = UTF8Scan.decode(text, at: 0)
        guard let folded = FoldTable.shared.folded(cp) else { return b }
        return folded.first
    }

    /// Whether folding leaves `bytes[range]` as it is: ASCII without capitals. Then the text
    /// as written serves as its folded form, and no other `String` is made.
    static func foldsToItself(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        !bytes[range].contains { $0 >= 0x80 || ($0 >= 0x41 && $0 <= 0x5A) }
    }

    /// The folded form of `bytes[range]` as a `String`, for a name that needs no id.
    static func foldedString(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { all in
            let text = UnsafeBufferPointer(rebasing: all[range])
            let table = FoldTable.shared
            let room = max(table.maxLength * text.count, 1)
            return String(unsafeUninitializedCapacity: room) { fold(text, into: $0.baseAddress!, capacity: room, with: table) }
        }
    }

    /// The id of `bytes[range]` as written (an acronym), as `folded(_:_:add:)`.
    mutating func written(_ bytes: [UInt8], _ range: Range<Int>, add: Bool) -> Int32? {
        bytes.withUnsafeBufferPointer { copied(UnsafeBufferPointer(rebasing: $0[range]), add: add) }
    }

    /// The id of `text` as written, as `folded(_:_:add:)`.
    mutating func written(_ text: UnsafeBufferPointer<UInt8>, add: Bool) -> Int32? { copied(text, add: add) }

    /// The id of `text` as it is (a date value), as `folded(_:_:add:)`.
    mutating func plain(_ text: String, add: Bool) -> Int32? {
        var text = text
        return text.withUTF8 { copied($0, add: add) }
    }

    func string(_ id: Int32) -> String {
        pool.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range(id)]), as: UTF8.self) }
    }

    /// The first byte of text `id`, nil for the empty text.
    func firstByte(_ id: Int32) -> UInt8? {
        let r = range(id)
        return r.isEmpty ? nil : pool[r.lowerBound]
    }

    private func range(_ id: Int32) -> Range<Int> { Int(starts[Int(id)])..<Int(starts[Int(id) + 1]) }

    /// The id of `text`, copied to the pool's end to be looked up.
    private mutating func copied(_ text: UnsafeBufferPointer<UInt8>, add: Bool) -> Int32? {
        let n = withRoom(text.count) { room in
            if let base = text.baseAddress { room.initialize(from: base, count: text.count) }
            return text.count
        }
        return find(count: n, add: add)
    }

    /// Calls `write` with the pool's end, where at least `count` bytes are free, and eight
    /// more, so that `hash` can read whole words.
    private mutating func withRoom(_ count: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) -> Int {
        let end = Int(starts[starts.count - 1])
        if pool.count - end < count + 8 { pool += repeatElement(0, count: max(count + 8, pool.count)) }
        return pool.withUnsafeMutableBufferPointer { write($0.baseAddress! + end) }
    }

    /// The id of the `count` bytes at the pool's end; kept there under a new id when new
    /// and `add`.
    private mutating func find(count: Int, add: Bool) -> Int32? {
        let start = Int(starts[starts.count - 1])
        let (h, slot, found) = pool.withUnsafeBufferPointer { pool in
            let text = UnsafeBufferPointer(rebasing: pool[start..<(start + count)])
            let h = Self.hash(text)
            let mask = slots.count - 1
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] != 0 {
                let id = Int(slots[i] - 1)
                let s = Int(starts[id])
                if hashes[id] == h && Int(starts[id + 1]) - s == count && Self.same(pool.baseAddress! + s, text.baseAddress!, count) {
                    return (h, i, Int32(id))
                }
                i = (i + 1) & mask
            }
            return (h, i, Int32(-1))
        }
        if found >= 0 || !add { return found >= 0 ? found : nil }
        let id = Int32(hashes.count)
        hashes.append(h)
        starts.append(Int32(start + count))
        slots[slot] = id + 1
        if hashes.count * 2 > slots.count { grow() }
        return id
    }

    /// A hash of `text`, read a word at a time, the last word masked to the text: the pool
    /// has eight bytes of room past a text being looked up.
    private static func hash(_ text: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let raw = UnsafeRawPointer(text.baseAddress!)
        var h = 0xcbf2_9ce4_8422_2325 ^ UInt64(text.count)
        var i = 0
        while i < text.count {
            var w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian
            if text.count - i < 8 { w &= (1 << (8 * UInt64(text.count - i))) - 1 }
            let x = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
            h = x ^ x >> 29
            i += 8
        }
        return h
    }

    /// Whether `count` bytes at `a` and at `b` are the same, compared a word at a time.
    private static func same(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var i = 0
        while i + 8 <= count {
            if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < count {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    /// Doubles the slots, so at most half are used.
    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (id, h) in hashes.enumerated() {
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = Int32(id + 1)
        }
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

    /// Sets `value` unless the id has a smaller one.
    mutating func setMin(_ id: Int32, _ value: Int) {
        if let v = self[id], v <= value { return }
        self[id] = value
    }
}

/// A set of byte values (first bytes of texts), kept in four words rather than an array.
struct ByteSet {
    private var words = SIMD4<UInt64>()

    mutating func insert(_ b: UInt8) { words[Int(b >> 6)] |= 1 << UInt64(b & 63) }

    func contains(_ b: UInt8) -> Bool { words[Int(b >> 6)] & 1 << UInt64(b & 63) != 0 }
}
