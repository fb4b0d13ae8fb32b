/// Offsets: byte offsets (used inside the engine) → code point offsets (used in records).
///
/// Consumes the article's UTF-8 bytes; produces a prefix table so each conversion is O(1).
public struct OffsetMap: Sendable {
    private let table: [Int32]

    public init(_ bytes: [UInt8]) {
        var t = [Int32](repeating: 0, count: bytes.count + 1)
        var cp: Int32 = 0
        for (i, b) in bytes.enumerated() {
            t[i] = cp
            if UTF8Scan.isLead(b) { cp += 1 }
        }
        t[bytes.count] = cp
        self.table = t
    }

    /// The code point offset of byte offset `byte` (which must fall on a code point boundary).
    @inline(__always)
    public func codePoint(_ byte: Int) -> Int { Int(table[byte]) }

    public var codePointCount: Int { Int(table[table.count - 1]) }
}
