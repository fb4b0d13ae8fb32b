/// Offsets: byte offsets (used inside the engine) → code point offsets (used in records).
///
/// Consumes the article's UTF-8 bytes; produces the code point count before each 64-byte
/// block, so a conversion counts at most 63 bytes. Records ask for a few offsets per
/// mention, far fewer than there are bytes, so a table per byte would cost more than it
/// saves. All-ASCII text (most English news) maps each byte offset to itself.
public struct OffsetMap: Sendable {
    private static let blockBits = 6
    private let bytes: [UInt8]
    /// blocks[k]: code points before byte k * 64, for every such byte up to the text's end.
    private let blocks: [Int32]
    private let isASCII: Bool
    public let codePointCount: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var blocks = [Int32]()
        blocks.reserveCapacity(bytes.count >> Self.blockBits + 1)
        var count = 0
        bytes.withUnsafeBufferPointer { b in
            for block in 0...(b.count >> Self.blockBits) {
                blocks.append(Int32(count))
                let start = block << Self.blockBits
                count += Self.leads(b, from: start, to: min(start + 1 << Self.blockBits, b.count))
            }
        }
        self.blocks = blocks
        self.codePointCount = count
        self.isASCII = count == bytes.count
    }

    /// The code point offset of byte offset `byte` (which must fall on a code point boundary).
    @inline(__always)
    public func codePoint(_ byte: Int) -> Int {
        if isASCII { return byte }
        let block = byte >> Self.blockBits
        return Int(blocks[block]) + bytes.withUnsafeBufferPointer { Self.leads($0, from: block << Self.blockBits, to: byte) }
    }

    /// Code points starting in `b[start..<end]`: the bytes that are not continuation bytes
    /// (10xxxxxx), tested eight at a time.
    @inline(__always)
    private static func leads(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        guard start < end, let base = b.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        var continuations = 0
        var i = start
        while i + 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // Bit 7 of each byte: bit 7 set and bit 6 clear. Then the sum of the bytes.
            let marks = (w & ~(w << 1) & 0x8080_8080_8080_8080) >> 7
            continuations &+= Int((marks &* 0x0101_0101_0101_0101) >> 56)
            i &+= 8
        }
        while i < end {
            if b[i] & 0xC0 == 0x80 { continuations &+= 1 }
            i &+= 1
        }
        return end - start - continuations
    }
}
