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
        // All-ASCII text is found before any table is allocated: an allocation cost more
        // than the whole scan of a short article.
        guard !Self.isASCII(bytes) else {
            blocks = nil
            codePointCount = bytes.count
            return
        }
        var cp: Int32 = 0
        let words = bytes.count / 8
        blocks = [Int32](unsafeUninitializedCapacity: words + 1) { table, count in
            bytes.withUnsafeBytes { raw in
                for k in 0..<words {
                    table[k] = cp
                    cp &+= 8 &- Int32(Self.continuationBytes(raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self)))
                }
            }
            table[words] = cp
            count = words + 1
        }
        for b in bytes[(8 * words)...] where UTF8Scan.isLead(b) { cp &+= 1 }
        codePointCount = Int(cp)
    }

    /// Whether `bytes` are all ASCII, read a word at a time up to the first byte that is not.
    private static func isASCII(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var i = 0
            while i + 8 <= raw.count {
                if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
                i += 8
            }
            return !raw[i...].contains { $0 >= 0x80 }
        }
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
