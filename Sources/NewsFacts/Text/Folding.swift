import CICUShim

/// Folding: UTF-8 bytes → the folded search key (lower case, diacritics removed, đ→d).
///
/// Consumes token bytes; produces ASCII-mostly bytes. The table is built once from ICU's
/// `Latin-ASCII` transliterator (about 3.6 MB/s if used per token); lookups then run at table
/// speed. Code points outside the tabled ranges are kept as they are.
public final class FoldTable: @unchecked Sendable {
    public static let shared = FoldTable()

    /// Tabled code points: Latin-1 .. Latin Extended-B, combining marks, Latin Extended
    /// Additional (Vietnamese), general punctuation and currency symbols.
    static let limit: UInt32 = 0x20D0
    static let ranges: [ClosedRange<UInt32>] = [0x80...0x24F, 0x300...0x36F, 0x1E00...0x1EFF, 0x2000...0x20CF]

    /// Per code point below `limit`: offset into `pool` << 8 | folded length; length 255 =
    /// not tabled (the code point's own bytes are kept).
    private let entries: UnsafeMutablePointer<UInt32>
    private let pool: UnsafeMutablePointer<UInt8>
    /// The longest folded form of one code point, in bytes: a key is at most this many
    /// times as long as its token.
    public let maxLength: Int

    init() {
        var table = [UInt32](repeating: 255, count: Int(Self.limit))
        var bytes = [UInt8]()
        var err = [CChar](repeating: 0, count: 256)
        guard let folder = nf_folder_open(&err, 256) else {
            fatalError("ICU folding transliterator unavailable: \(String(cString: err))")
        }
        defer { nf_folder_close(folder) }
        var out = [CChar](repeating: 0, count: 32)
        var longest = 4   // an untabled code point keeps its (up to 4) bytes
        for range in Self.ranges {
            for cp in range {
                let n = nf_fold_codepoint(folder, cp, &out, 32)
                guard n >= 0 else { continue }
                table[Int(cp)] = UInt32(bytes.count) << 8 | UInt32(n)
                for i in 0..<Int(n) { bytes.append(UInt8(bitPattern: out[i])) }
                longest = max(longest, Int(n))
            }
        }
        entries = .allocate(capacity: table.count)
        entries.initialize(from: table, count: table.count)
        pool = .allocate(capacity: max(bytes.count, 1))
        pool.initialize(from: bytes, count: bytes.count)
        maxLength = longest
    }

    deinit {
        entries.deallocate()
        pool.deallocate()
    }

    /// The folded bytes of a tabled code point, or nil when `cp` folds to itself.
    @inline(__always)
    public func folded(_ cp: UInt32) -> UnsafeBufferPointer<UInt8>? {
        guard cp < Self.limit else { return nil }
        let e = entries[Int(cp)]
        let length = Int(e & 0xFF)
        guard length != 255 else { return nil }
        return UnsafeBufferPointer(start: pool + Int(e >> 8), count: length)
    }

    /// Appends the folded form of `bytes` (valid UTF-8) to `out`.
    @inline(__always)
    public func fold(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                out.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
                i += 1
                continue
            }
            let (cp, width) = UTF8Scan.decode(bytes, at: i)
            out.append(contentsOf: folded(cp) ?? UnsafeBufferPointer(rebasing: bytes[i..<min(n, i + width)]))
            i += width
        }
    }

    /// Writes the folded form of `bytes` into `out` (capacity `cap`); returns its length, or
    /// -1 when it does not fit. An allocation-free path.
    @inline(__always)
    public func fold(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>, capacity cap: Int) -> Int {
        var i = 0, o = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                guard o < cap else { return -1 }
                out[o] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                o += 1
                i += 1
                continue
            }
            let (cp, width) = UTF8Scan.decode(bytes, at: i)
            let piece = folded(cp) ?? UnsafeBufferPointer(rebasing: bytes[i..<min(n, i + width)])
            guard o + piece.count <= cap else { return -1 }
            for c in piece {
                out[o] = c
                o += 1
            }
            i += width
        }
        return o
    }

    /// Folds `bytes[range]` into a `String`.
    public func fold(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(range.count)
        bytes.withUnsafeBufferPointer { fold(UnsafeBufferPointer(rebasing: $0[range]), into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Folds a whole string (convenience for rule compilation, tests and queries).
    public func fold(_ text: String) -> String {
        var out = [UInt8]()
        var copy = text
        copy.withUTF8 { fold($0, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Minimal UTF-8 helpers over validated bytes.
public enum UTF8Scan {
    /// Decodes the code point at `i`; returns it and its byte width.
    @inline(__always)
    public static func decode(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(b[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0, i + 1 < b.count { return (((b0 & 0x1F) << 6) | (UInt32(b[i + 1]) & 0x3F), 2) }
        if b0 < 0xF0, i + 2 < b.count {
            return (((b0 & 0x0F) << 12) | ((UInt32(b[i + 1]) & 0x3F) << 6) | (UInt32(b[i + 2]) & 0x3F), 3)
        }
        if i + 3 < b.count {
            return (((b0 & 0x07) << 18) | ((UInt32(b[i + 1]) & 0x3F) << 12)
                    | ((UInt32(b[i + 2]) & 0x3F) << 6) | (UInt32(b[i + 3]) & 0x3F), 4)
        }
        return (0xFFFD, 1)
    }

    /// Whether `b` starts a code point (is not a continuation byte).
    @inline(__always)
    public static func isLead(_ b: UInt8) -> Bool { b & 0xC0 != 0x80 }
}
