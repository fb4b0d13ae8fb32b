/// Offsets: byte offsets (used inside the engine) → code point offsets (used in records).
///
/// Consumes the article's UTF-8 bytes; produces a prefix table so each conversion is O(1).
/// All-ASCII text (most English news) needs no table: each byte offset is its own.
public struct OffsetMap: Sendable {
    /// Code points before each byte offset; nil for all-ASCII text.
    private let table: [Int32]?
    public let codePointCount: Int

    public init(_ bytes: [UInt8]) {
        guard bytes.contains(where: { $0 >= 0x80 }) else {
            table = nil
            codePointCount = bytes.count
            return
        }
        var cp: Int32 = 0
        // Every element is written once, so the table is not zeroed first.
        table = [Int32](unsafeUninitializedCapacity: bytes.count + 1) { t, count in
            for (i, b) in bytes.enumerated() {
                t[i] = cp
                cp &+= UTF8Scan.isLead(b) ? 1 : 0
            }
            t[bytes.count] = cp
            count = bytes.count + 1
        }
        codePointCount = Int(cp)
    }

    /// The code point offset of byte offset `byte` (which must fall on a code point boundary).
    @inline(__always)
    public func codePoint(_ byte: Int) -> Int { table.map { Int($0[byte]) } ?? byte }
}
