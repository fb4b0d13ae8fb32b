import Foundation

/// Reading: paths (files, directories of `*.txt`, "-" for stdin) → validated `Article`s.
///
/// Consumes raw bytes; produces an `Article` with its header (published, dateline, title)
/// recognised, or a `ReadError` naming the file and, for bad UTF-8, the byte offset. One bad
/// input never stops the others: callers get a result per input.
public enum ArticleReader {
    /// Expands the given paths into input paths, in a stable order; directories are searched
    /// recursively for `*.txt`. Missing paths are returned as they are, so reading reports them.
    public static func expand(_ paths: [String]) -> [String] {
        var out = [String]()
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            if path != "-", fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
                let base = URL(fileURLWithPath: path)
                let found = (fm.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                    .filter { $0.hasSuffix(".txt") }
                    .sorted()
                out += found.map { base.appendingPathComponent($0).relativePath }
            } else {
                out.append(path)
            }
        }
        return out
    }

    /// Reads one input: "-" is standard input.
    public static func read(_ path: String, published: String? = nil) -> Result<Article, ReadError> {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                return .failure(ReadError(source: path, message: "no such file"))
            }
            if isDir.boolValue { return .failure(ReadError(source: path, message: "is a directory")) }
            guard let d = FileManager.default.contents(atPath: path) else {
                return .failure(ReadError(source: path, message: "cannot read file (permission denied?)"))
            }
            data = d
        }
        return decode([UInt8](data), source: path, published: published)
    }

    /// Validates bytes and recognises the header.
    public static func decode(_ raw: [UInt8], source: String, published: String? = nil) -> Result<Article, ReadError> {
        var bytes = raw
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let bomShift = raw.count - bytes.count
        if let bad = UTF8Validation.firstInvalid(bytes) {
            return .failure(ReadError(source: source, offset: bad + bomShift, message: "invalid UTF-8"))
        }
        if let nul = bytes.firstIndex(of: 0) {
            return .failure(ReadError(source: source, offset: nul + bomShift, message: "NUL byte in text"))
        }
        var article = Article(source: source, bytes: bytes)
        ArticleHeader.recognise(&article)
        if let published {
            article.published = published
        }
        return .success(article)
    }
}

/// A reading failure: which input, where (byte offset), and what.
public struct ReadError: Error, CustomStringConvertible, Sendable {
    public var source: String
    public var offset: Int?
    public var message: String

    public init(source: String, offset: Int? = nil, message: String) {
        self.source = source
        self.offset = offset
        self.message = message
    }

    public var description: String {
        if let offset { return "\(source): byte \(offset): \(message)" }
        return "\(source): \(message)"
    }
}

/// UTF-8 validation that says where the first bad byte is (Swift's decoder does not).
enum UTF8Validation {
    static func firstInvalid(_ b: [UInt8]) -> Int? {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            let need: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return i
            }
            if i + need >= n { return i }
            for k in 1...need {
                let x = b[i + k]
                let (l, h) = k == 1 ? (lo, hi) : (UInt8(0x80), UInt8(0xBF))
                if x < l || x > h { return i }
            }
            i += need + 1
        }
        return nil
    }
}
