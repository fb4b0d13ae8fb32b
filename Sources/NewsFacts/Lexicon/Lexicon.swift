/// Lexicon: folded keys (bytes) → dense Int32 ids.
///
/// Consumes the folded keys of gazetteer entries and rule literals at compile time; at run
/// time answers `id(of:)` for a token's folded bytes without allocating. Tokens whose key is
/// not in the lexicon get `Lexicon.unknown`: no rule or list can name them anyway. Frozen
/// after compilation, so articles can be processed on many threads at once.
public struct Lexicon: Sendable {
    public static let unknown: Int32 = -1

    /// Open addressing; 0 = empty, else (upper 32 hash bits) << 32 | (id + 1), so a probe
    /// usually touches one cache line and compares bytes only on a fingerprint match.
    private var slots: [UInt64]
    private var pool: [UInt8] = []
    private var starts: [Int32] = [0]    // key i is pool[starts[i]..<starts[i+1]]
    private var hashes: [UInt64] = []

    /// An empty lexicon with room for about `capacity` / 2 keys before it grows (`capacity`
    /// is rounded up to a power of two).
    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity { size *= 2 }
        slots = Array(repeating: 0, count: size)
    }

    public var count: Int { hashes.count }

    @inline(__always)
    private static func entry(_ h: UInt64, _ id: Int32) -> UInt64 { (h & 0xFFFF_FFFF_0000_0000) | UInt64(id + 1) }

    /// FNV-1a, one byte at a time, so the tokenizer can hash a key while it folds it.
    public static let hashSeed: UInt64 = 0xcbf29ce484222325

    @inline(__always)
    public static func hash(_ h: UInt64, adding c: UInt8) -> UInt64 { (h ^ UInt64(c)) &* 0x100000001b3 }

    @inline(__always)
    static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = hashSeed
        for c in b { h = hash(h, adding: c) }
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
        fileprivate let slots: UnsafeBufferPointer<UInt64>
        fileprivate let pool: UnsafeBufferPointer<UInt8>
        fileprivate let starts: UnsafeBufferPointer<Int32>

        /// The id of folded key bytes whose `hash` the caller has computed, or `unknown`.
        @inline(__always)
        public func id(of b: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int32 {
            let mask = slots.count &- 1
            let fingerprint = h & 0xFFFF_FFFF_0000_0000
            var i = Int(truncatingIfNeeded: h) & mask
            while true {
                let e = slots[i]
                if e == 0 { return Lexicon.unknown }
                if e & 0xFFFF_FFFF_0000_0000 == fingerprint {
                    let id = Int32(truncatingIfNeeded: e) &- 1
                    if equals(id, b) { return id }
                }
                i = (i &+ 1) & mask
            }
        }

        @inline(__always)
        private func equals(_ id: Int32, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
            let s = Int(starts[Int(id)]), e = Int(starts[Int(id) &+ 1])
            guard e &- s == b.count else { return false }
            var k = 0
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
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = Self.entry(h, id)
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        for id in 0..<hashes.count { place(Int32(id)) }
    }
}
