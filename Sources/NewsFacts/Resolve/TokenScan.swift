/// Token scans: the token shapes or kinds → the next token with a shape bit or of a kind.
///
/// For walks over all tokens of an article for the few that matter (acronyms, found in one
/// token in fifty): four shapes are tested per word read, and single tokens only in a word
/// with a match. Not for common shapes (capitalised words): there most words have a match
/// and the plain loop is cheaper.
enum TokenScan {
    /// The first token from `start` on whose shape has any of `bits`, else `shapes.count`.
    static func next(_ bits: TokenTable.Shape, in shapes: UnsafeBufferPointer<TokenTable.Shape>, from start: Int) -> Int {
        let raw = UnsafeRawBufferPointer(shapes)
        let lanes = UInt64(bits.rawValue) &* 0x0001_0001_0001_0001   // the bits in each 16-bit lane
        var t = start
        while t + 4 <= shapes.count, raw.loadUnaligned(fromByteOffset: 2 * t, as: UInt64.self) & lanes == 0 { t += 4 }
        while t < shapes.count, shapes[t].isDisjoint(with: bits) { t += 1 }
        return t
    }

    /// The first token from `start` on of kind `kind`, else `kinds.count`. Eight kinds are
    /// tested per word read: a byte of the word is zero where its kind is the one sought.
    static func next(_ kind: TokenTable.Kind, in kinds: UnsafeBufferPointer<TokenTable.Kind>, from start: Int) -> Int {
        let raw = UnsafeRawBufferPointer(kinds)
        let ones: UInt64 = 0x0101_0101_0101_0101, sought = UInt64(kind.rawValue) &* ones
        var t = start
        while t + 8 <= kinds.count {
            let x = raw.loadUnaligned(fromByteOffset: t, as: UInt64.self) ^ sought
            if (x &- ones) & ~x & (0x80 &* ones) != 0 { break }   // a zero byte
            t += 8
        }
        while t < kinds.count, kinds[t] != kind { t += 1 }
        return t
    }
}
