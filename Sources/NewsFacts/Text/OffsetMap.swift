/// Offsets: byte offsets (used inside the engine) → code point offsets (used in records).
///
/// Consumes the article's UTF-8 bytes; produces the code point count before each 64-byte
/// block, so a conversion counts at most 63 bytes. Records ask for a few offsets per
/// mention, far fewer than there are bytes, so a table per byte would cost more than it
/// saves. All-ASCII text (most English news) maps each byte offset to itself.
public struct OffsetMap: Sendable {
    private static let blockBits = 6
    private let bytes: [UInt8]
    /// blocks[k]: code points before byte k * 64, for every such byte up to the text's end
    /// (empty for ASCII text).
    private let blocks: [Int32]
    private let isASCII: Bool
    public let codePointCount: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        let count = bytes.withUnsafeBufferPointer { Self.leads($0, from: 0, to: $0.count) }
        codePointCount = count
        // No continuation byte: all ASCII, and no blocks are needed.
        isASCII = count == bytes.count
        guard !isASCII else {
            blocks = []
            return
        }
        var blocks = [Int32]()
        blocks.reserveCapacity(bytes.count >> Self.blockBits + 1)
        var before = 0
        bytes.withUnsafeBufferPointer { b in
            for block in 0...(b.count >> Self.blockBits) {
                blocks.append(Int32(before))
                let start = block << Self.blockBits
                before += Self.leads(b, from: start, to: min(start + 1 << Self.blockBits, b.count))
            }
        }
        self.blocks = blocks
    }

    /// The code point offset of byte offset `byte` (which must fall on a code point boundary).
    @inline(__always)
    public func codePoint(_ byte: Int) -> Int {
        if isASCII { return byte }
        let block = byte >> Self.blockBits
        return Int(blocks[block]) + bytes.withUnsafeBufferPointer { Self.leads($0, from: block << Self.blockBits, to: byte) }
    }

    /// Code points starting in `b[start..<end]`: the bytes that are not continuation bytes
    /// (10xxxxxx), tested eight at a time. A last partial word is read whole where the text
    /// goes on, with the bytes past `end` masked to zero (which is no continuation byte).
    @inline(__always)
    private static func leads(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        guard start < end, let base = b.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        var continuations = 0
        var i = start
        while i < end {
            guard i + 8 <= b.count else {
                for k in i..<end where b[k] & 0xC0 == 0x80 { continuations &+= 1 }
                break
            }
            var w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if end - i < 8 { w &= (1 &<< UInt64(8 * (end - i))) &- 1 }
            // Bit 7 of each byte: bit 7 set and bit 6 clear. Then the sum of the bytes.
            let marks = (w & ~(w << 1) & 0x8080_8080_8080_8080) >> 7
            continuations &+= Int((marks &* 0x0101_0101_0101_0101) >> 56)
            i &+= 8
        }
        return end - start - continuations
    }
}
