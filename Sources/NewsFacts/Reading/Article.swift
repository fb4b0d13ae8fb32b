/// An article as read: validated UTF-8 bytes (BOM removed) plus what the reader found in its
/// header. Every later stage works on `bytes` by byte offset.
public struct Article: Sendable {
    /// Where it came from: a path, or "-" for standard input.
    public var source: String
    /// The text as read, without a leading byte order mark.
    public var bytes: [UInt8]
    /// Published date (ISO 8601) from a metadata prefix or `--published`.
    public var published: String?
    /// Byte range of the metadata prefix's date (" date 2024-12-10 "), when there is one.
    public var publishedSpan: Range<Int>?
    /// Capitalised dateline ("BẮC GIANG") and its byte range.
    public var dateline: String?
    public var datelineSpan: Range<Int>?
    /// A short first line without a final full stop.
    public var title: String?

    public init(source: String, bytes: [UInt8]) {
        self.source = source
        self.bytes = bytes
    }

    /// The text between two byte offsets.
    public func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// The whole text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
