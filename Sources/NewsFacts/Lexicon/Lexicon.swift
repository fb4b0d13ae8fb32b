/// Lexicon: folded keys (bytes) → dense Int32 ids.
///
/// Consumes the folded keys of gazetteer entries and rule literals at compile time; at run
/// time answers `id(of:)` for a token's folded bytes without allocating. Tokens whose key is
/// not in the lexicon get `Lexicon.unknown`: no rule or list can name them anyway. Frozen
/// after compilation, so articles can be processed on many threads at once.
public struct Lexicon: Sendable {
    public static let unknown: Int32 = -1

    /// Open addressing over slots that hold what a probe compares: a key of up to eight bytes
    /// is found or ruled out from its slot alone, without reading the key pool.
    private var slots: [Slot]
    private var pool: [UInt8] = []
    private var starts: [Int32] = [0]    // key i is pool[starts[i]..<starts[i+1]]
    private var hashes: [UInt64] = []

    /// A key's slot: its first eight bytes (`Lexicon.head`) and a tag, 0 for an empty slot,
    /// else (upper 24 hash bits) << 40 | (length, at most 255) << 32 | (id + 1).
    fileprivate struct Slot {
        var head: UInt64 = 0
        var tag: UInt64 = 0
    }

    /// An empty lexicon with room for about `capacity` / 2 keys before it grows (`capacity`
    /// is rounded up to a power of two).
    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity { size *= 2 }
        slots = Array(repeating: Slot(), count: size)
    }

    public var count: Int { hashes.count }

    /// The tag bits a key's hash and length decide: all but the id.
    @inline(__always)
    fileprivate static func tag(hash h: UInt64, count: Int) -> UInt64 {
        h & 0xFFFF_FF00_0000_0000 | UInt64(min(count, 255)) << 32
    }

    /// The first eight bytes of `b` as one little-endian word, zero past its end.
    @inline(__always)
    public static func head(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard b.count < 8 else { return UnsafeRawPointer(b.baseAddress!).loadUnaligned(as: UInt64.self).littleEndian }
        var w: UInt64 = 0
        for k in 0..<b.count { w |= UInt64(b[k]) << (8 * k) }
        return w
    }

    /// `head` of `text[s..<e]`, read as one word (the bytes past `e` masked off) when `text`
    /// has eight bytes from `s`.
    @inline(__always)
    public static func head(_ text: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> UInt64 {
        guard s + 8 <= text.count else { return head(UnsafeBufferPointer(rebasing: text[s..<e])) }
        let word = UnsafeRawPointer(text.baseAddress! + s).loadUnaligned(as: UInt64.self).littleEndian
        return e - s >= 8 ? word : word & (UInt64.max >> (64 - 8 * (e - s)))
    }

    /// Mixes one eight-byte word of a key into its hash.
    @inline(__always)
    private static func mix(_ h: UInt64, _ word: UInt64) -> UInt64 {
        let x = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
        return x ^ x >> 29
    }

    /// The hash of a key of `count` bytes whose `head` (all of it when `count` <= 8) the
    /// caller has: one multiply for most words, where hashing byte by byte took one per byte.
    @inline(__always)
    public static func hash(head: UInt64, count: Int) -> UInt64 {
        mix(0xcbf2_9ce4_8422_2325 ^ UInt64(count), head)
    }

    /// The hash of key bytes, eight at a time.
    @inline(__always)
    public static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = hash(head: head(b), count: b.count)
        var i = 8
        while i < b.count {
            h = mix(h, head(UnsafeBufferPointer(rebasing: b[i...])))
            i += 8
        }
        return h
    }

    /// The id of folded key bytes, or `unknown`.
    @inline(__always)
    public func id(of b: UnsafeBufferPointer<UInt8>) -> Int32 { id(of: b, hash: Self.hash(b)) }

    /// The id of folded key bytes whose `hash` the caller has computed.
    @inline(__always)
    public func id(of b: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int32 {
        withReader { $0.id(of: b, hash: h) }
    }

    /// The bytes of key `id`.
    public func bytes(of id: Int32) -> ArraySlice<UInt8> { pool[Int(starts[Int(id)])..<Int(starts[Int(id) + 1])] }

    public func id(of key: String) -> Int32 {
        var k = key
        return k.withUTF8 { id(of: $0) }
    }

    /// Calls `body` with a read-only view of the lexicon's tables, for a loop of lookups: the
    /// view reads raw buffers, without the arrays' bounds checks or reference counting.
    @inline(__always)
    public func withReader<R>(_ body: (Reader) throws -> R) rethrows -> R {
        try slots.withUnsafeBufferPointer { slots in
            try pool.withUnsafeBufferPointer { pool in
                try starts.withUnsafeBufferPointer { starts in
                    try body(Reader(slots: slots, pool: pool, starts: starts))
                }
            }
        }
    }

    /// Look-ups in a lexicon's tables; valid only inside `withReader`.
    public struct Reader {
        fileprivate let slots: UnsafeBufferPointer<Slot>
        fileprivate let pool: UnsafeBufferPointer<UInt8>
        fileprivate let starts: UnsafeBufferPointer<Int32>

        /// The id of folded key bytes whose `hash` the caller has computed, or `unknown`.
        @inline(__always)
        public func id(of b: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int32 {
            probe(head: Lexicon.head(b), count: b.count, hash: h) { b.count <= 8 || equalsPast8($0, b) }
        }

        /// The id of a key of at most eight bytes given as its `head`, or `unknown`: the
        /// tokenizer's short words, found without a key buffer.
        @inline(__always)
        public func id(head: UInt64, count: Int) -> Int32 {
            probe(head: head, count: count, hash: Lexicon.hash(head: head, count: count)) { _ in true }
        }

        /// The id in the first slot of the probe sequence of `hash` whose tag and head match
        /// and whose key `matches` (tested past its first eight bytes), or `unknown`.
        @inline(__always)
        private func probe(head: UInt64, count: Int, hash h: UInt64, _ matches: (Int32) -> Bool) -> Int32 {
            let mask = slots.count &- 1
            let tag = Lexicon.tag(hash: h, count: count)
            var i = Int(truncatingIfNeeded: h) & mask
            while true {
                let s = slots[i]
                if s.tag == 0 { return Lexicon.unknown }
                if s.tag & 0xFFFF_FFFF_0000_0000 == tag && s.head == head {
                    let id = Int32(truncatingIfNeeded: s.tag) &- 1
                    if matches(id) { return id }
                }
                i = (i &+ 1) & mask
            }
        }

        /// Whether key `id`, whose first eight bytes are known to match, equals `b` (longer
        /// than eight bytes).
        private func equalsPast8(_ id: Int32, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
            let s = Int(starts[Int(id)]), e = Int(starts[Int(id) &+ 1])
            guard e &- s == b.count else { return false }
            var k = 8
            while k < b.count {
                if pool[s &+ k] != b[k] { return false }
                k &+= 1
            }
            return true
        }
    }

    /// Adds a folded key (if new) and returns its id.
    @discardableResult
    public mutating func intern(_ key: String) -> Int32 {
        var k = key
        return k.withUTF8 { intern($0) }
    }

    public mutating func intern(_ b: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = Self.hash(b)
        let found = id(of: b, hash: h)
        if found >= 0 { return found }
        if (hashes.count + 1) * 2 > slots.count { grow() }
        let newID = Int32(hashes.count)
        pool.append(contentsOf: b)
        starts.append(Int32(pool.count))
        hashes.append(h)
        place(newID)
        return newID
    }

    private mutating func place(_ id: Int32) {
        let mask = slots.count - 1
        let h = hashes[Int(id)]
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i].tag != 0 { i = (i + 1) & mask }
        let range = Int(starts[Int(id)])..<Int(starts[Int(id) + 1])
        let head = pool.withUnsafeBufferPointer { Self.head(UnsafeBufferPointer(rebasing: $0[range])) }
        slots[i] = Slot(head: head, tag: Self.tag(hash: h, count: range.count) | UInt64(id + 1))
    }

    private mutating func grow() {
        slots = Array(repeating: Slot(), count: slots.count * 2)
        for id in 0..<hashes.count { place(Int32(id)) }
    }
}
