/// Offsets: byte offsets (used inside the engine) → code point offsets (used in records).
///
/// Consumes the article's UTF-8 bytes; produces a table of code points before every
/// eighth byte, so each conversion counts at most seven bytes. The table is filled a word
/// (eight bytes) at a time; a table entry per byte cost about eight instructions a byte.
/// All-ASCII text (most English news) needs no table: each byte offset is its own.
public struct OffsetMap: Sendable {
    /// Code points before byte offset 8k, for each k; nil for all-ASCII text.
    private let blocks: [Int32]?
    private let bytes: [UInt8]
    public let codePointCount: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var cp: Int32 = 0
        var high: UInt64 = 0   // the bytes' top bits, or-ed: zero for ASCII
        let words = bytes.count / 8
        let blocks = [Int32](unsafeUninitializedCapacity: words + 1) { table, count in
            bytes.withUnsafeBytes { raw in
                for k in 0..<words {
                    let w = raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self)
                    table[k] = cp
                    high |= w
                    cp &+= 8 &- Int32(Self.continuationBytes(w))
                }
            }
            table[words] = cp
            count = words + 1
        }
        for b in bytes[(8 * words)...] {
            high |= UInt64(b)
            cp &+= UTF8Scan.isLead(b) ? 1 : 0
        }
        self.blocks = high & 0x8080_8080_8080_8080 == 0 ? nil : blocks
        codePointCount = Int(cp)
    }

    /// How many of the eight bytes in `w` are continuation bytes (0b10xxxxxx).
    @inline(__always)
    private static func continuationBytes(_ w: UInt64) -> Int {
        // Bit 7 of each byte: set where bit 7 is and bit 6 is not.
        let marks = w & ~(w << 1) & 0x8080_8080_8080_8080
        // Moved to bit 0 of each byte, the multiply sums the bytes into the top byte.
        return Int(((marks >> 7) &* 0x0101_0101_0101_0101) >> 56)
    }

    /// The code point offset of byte offset `byte` (which must fall on a code point boundary).
    @inline(__always)
    public func codePoint(_ byte: Int) -> Int {
        guard let blocks else { return byte }
        var cp = Int(blocks[byte >> 3])
        for i in (byte & ~7)..<byte where UTF8Scan.isLead(bytes[i]) { cp += 1 }
        return cp
    }
}
