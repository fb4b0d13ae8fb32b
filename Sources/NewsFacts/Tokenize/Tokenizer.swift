import CICUShim

/// Tokenise: article bytes → `TokenTable` (ICU word break over UTF-8, ICU sentence break with
/// abbreviation suppression).
///
/// Requires: a `Lexicon` (keys → ids) and the abbreviation list (`Rules/abbreviations.txt`).
/// Provides: tokens with byte offsets, kind, shape bits, folded key id and sentence index.
/// Two refinements on top of ICU: letter/digit runs are split ("VND2.3" → "VND" "2.3",
/// "3.5km" → "3.5" "km") and a possessive "'s"/"’s" becomes its own token, so lists and rules
/// see "Giang" in "Giang’s". A `Tokenizer` holds ICU iterators: use one per thread.
public final class Tokenizer {
    private let segmenter: OpaquePointer
    public let lexicon: Lexicon
    private let folder = FoldTable.shared
    private var starts = [Int32](repeating: 0, count: 4096)
    private var ends = [Int32](repeating: 0, count: 4096)
    private var status = [Int32](repeating: 0, count: 4096)
    private var scratch = [UInt8]()
    private let keyBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: Tokenizer.keyCapacity)
    private static let keyCapacity = 512

    public init(abbreviations: [String], lexicon: Lexicon) throws {
        var packed = [CChar]()
        for a in abbreviations {
            packed += a.utf8CString  // includes the terminating NUL
        }
        var err = [CChar](repeating: 0, count: 256)
        guard let seg = nf_segmenter_open(packed, Int32(abbreviations.count), &err, 256) else {
            throw EngineError.icu(String(cString: err))
        }
        self.segmenter = seg
        self.lexicon = lexicon
        scratch.reserveCapacity(256)
    }

    deinit {
        nf_segmenter_close(segmenter)
        keyBuffer.deallocate()
    }

    /// Tokenises `bytes` (valid UTF-8).
    public func tokenize(_ bytes: [UInt8]) throws -> TokenTable {
        var table = TokenTable()
        let n = try words(bytes)
        table.reserve(n + n / 8)
        bytes.withUnsafeBufferPointer { buf in
            var prevEnd = 0
            for i in 0..<n {
                let s = Int(starts[i]), e = Int(ends[i])
                let base = baseKind(buf, s, Int(status[i]))
                forEachPiece(buf, s, e, base) { ps, pe, kind in
                    var shape = shapeOf(buf, ps, pe)
                    shape.formUnion(spacing(buf, prevEnd, ps, first: table.count == 0))
                    table.append(start: ps, end: pe, kind: kind, shape: shape, key: keyOf(buf, ps, pe))
                    prevEnd = pe
                }
            }
        }
        try assignSentences(bytes, &table)
        return table
    }

    /// The folded keys of the tokens of `text`, as the run-time tokenizer would cut them: how
    /// gazetteer entries and rule literals become key sequences.
    public func foldedPieces(_ text: String) throws -> [[UInt8]] {
        // A possessive on its own ("'s" in a rule) is the token the tokenizer splits off words.
        if text == "'s" || text == "’s" { return [Array("'s".utf8)] }
        let bytes = Array(text.utf8)
        let n = try words(bytes)
        var out: [[UInt8]] = []
        bytes.withUnsafeBufferPointer { buf in
            for i in 0..<n {
                let s = Int(starts[i]), e = Int(ends[i])
                forEachPiece(buf, s, e, baseKind(buf, s, Int(status[i]))) { ps, pe, _ in
                    var key = [UInt8]()
                    folder.fold(UnsafeBufferPointer(rebasing: buf[ps..<pe]), into: &key)
                    out.append(key)
                }
            }
        }
        return out
    }

    /// Folded key of arbitrary bytes (for output; the hot path stores ids only).
    public func foldedKey(_ bytes: ArraySlice<UInt8>) -> String {
        var out = [UInt8]()
        bytes.withUnsafeBufferPointer { folder.fold($0, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - ICU calls

    private func words(_ bytes: [UInt8]) throws -> Int {
        while true {
            let cap = starts.count
            let n = bytes.withUnsafeBufferPointer { buf in
                buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buf.count, 1)) {
                    nf_words(segmenter, $0, Int64(buf.count), &starts, &ends, &status, Int64(cap))
                }
            }
            guard n >= 0 else { throw EngineError.icu("word break failed") }
            if n <= cap { return Int(n) }
            starts = Array(repeating: 0, count: Int(n))
            ends = starts
            status = starts
        }
    }

    private func assignSentences(_ bytes: [UInt8], _ table: inout TokenTable) throws {
        var cap = 256
        var bounds = [Int32](repeating: 0, count: cap)
        var n: Int64 = 0
        while true {
            n = bytes.withUnsafeBufferPointer { buf in
                buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buf.count, 1)) {
                    nf_sentences(segmenter, $0, Int64(buf.count), &bounds, Int64(cap))
                }
            }
            guard n >= 0 else { throw EngineError.icu("sentence break failed") }
            if n <= cap { break }
            cap = Int(n)
            bounds = Array(repeating: 0, count: cap)
        }
        table.sentence = Array(repeating: 0, count: table.count)
        var s = 0          // ICU sentence of the current token
        var current = -1   // ICU sentence of the previous token
        var first = 0
        for t in 0..<table.count {
            while s < Int(n) - 1, table.start[t] >= bounds[s] { s += 1 }
            if t > 0, s != current {
                table.sentences.append(first..<t)
                first = t
            }
            current = s
            table.sentence[t] = Int32(table.sentences.count)
            if t == first { table.shape[t].insert(.sentenceStart) }
        }
        if table.count > first { table.sentences.append(first..<table.count) }
    }

    // MARK: - per token

    @inline(__always)
    private func baseKind(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ status: Int) -> TokenTable.Kind {
        if status >= 100 && status < 200 { return .number }
        if status >= 200 { return .word }
        let (cp, _) = UTF8Scan.decode(b, at: s)
        if cp < 0x80 {
            switch UInt8(cp) {
            case UInt8(ascii: "$"), UInt8(ascii: "+"), UInt8(ascii: "<"), UInt8(ascii: "="), UInt8(ascii: ">"),
                 UInt8(ascii: "^"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
                return .symbol
            default:
                return (cp >= 0x30 && cp <= 0x39) ? .number : .punct
            }
        }
        guard let scalar = Unicode.Scalar(cp) else { return .symbol }
        switch scalar.properties.generalCategory {
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: return .symbol
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .otherLetter, .modifierLetter: return .word
        case .decimalNumber, .otherNumber, .letterNumber: return .number
        default: return .punct
        }
    }

    /// Calls `body` for each piece of a segment: letter/digit runs split, possessive split.
    @inline(__always)
    private func forEachPiece(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, _ kind: TokenTable.Kind,
                              _ body: (Int, Int, TokenTable.Kind) -> Void) {
        guard kind == .word || kind == .number else { return body(s, e, kind) }
        var end = e
        var possessive: Int? = nil
        if e - s > 2, b[e - 1] | 0x20 == UInt8(ascii: "s") {
            if b[e - 2] == UInt8(ascii: "'") { possessive = e - 2 }
            else if e - s > 4, b[e - 4] == 0xE2, b[e - 3] == 0x80, b[e - 2] == 0x99 { possessive = e - 4 }
        }
        if let p = possessive { end = p }
        var runStart = s
        var i = s
        var prevDigit: Bool? = nil
        while i < end {
            let c = b[i]
            let isDigit = c >= 0x30 && c <= 0x39
            let isSep = (c == UInt8(ascii: ".") || c == UInt8(ascii: ",")) && prevDigit == true
                && i + 1 < end && b[i + 1] >= 0x30 && b[i + 1] <= 0x39
            if !isSep {
                let letter = !isDigit && c != UInt8(ascii: "-") && c != UInt8(ascii: "'")
                if let p = prevDigit, (p && letter) || (!p && isDigit) {
                    body(runStart, i, p ? .number : .word)
                    runStart = i
                }
                if isDigit { prevDigit = true } else if letter { prevDigit = false }
            }
            i += 1
            while i < end, !UTF8Scan.isLead(b[i]) { i += 1 }
        }
        if runStart < end { body(runStart, end, runStart == s ? kind : (prevDigit == true ? .number : .word)) }
        if let p = possessive { body(p, e, .word) }
    }

    @inline(__always)
    private func shapeOf(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> TokenTable.Shape {
        var shape: TokenTable.Shape = []
        var letters = 0, upper = 0
        var firstLetterSeen = false
        var restLower = true
        var i = s
        while i < e {
            let (cp, w) = UTF8Scan.decode(b, at: i)
            i += w
            var isUpper = false, isLower = false
            if cp < 0x80 {
                let c = UInt8(cp)
                if c >= 0x41 && c <= 0x5A { isUpper = true }
                else if c >= 0x61 && c <= 0x7A { isLower = true }
                else if c >= 0x30 && c <= 0x39 { shape.insert(.hasDigit) }
                else if c == UInt8(ascii: "-") { shape.insert(.hyphenated) }
            } else if let scalar = Unicode.Scalar(cp) {
                let p = scalar.properties
                if p.isUppercase { isUpper = true } else if p.isLowercase { isLower = true }
                if isUpper || isLower { shape.insert(.hasDiacritic) }
            }
            guard isUpper || isLower else { continue }
            letters += 1
            if isUpper { upper += 1 }
            if !firstLetterSeen {
                firstLetterSeen = true
                shape.insert(isUpper ? .capitalised : .lower)
            } else if isUpper {
                restLower = false
            }
        }
        if letters >= 2 && upper == letters { shape.insert(.allCaps) }
        if e - s == 4, letters == 0, (b[s] == 0x31 && b[s + 1] == 0x39) || (b[s] == 0x32 && b[s + 1] == 0x30),
           b[s + 2] >= 0x30, b[s + 2] <= 0x39, b[s + 3] >= 0x30, b[s + 3] <= 0x39 {
            shape.insert(.yearLike)
        }
        if letters == 1 && upper == 1 && e - s <= 2 { shape.insert(.single) }
        if shape.contains(.capitalised) && restLower && letters >= 2 { shape.insert(.titleCase) }
        return shape
    }

    @inline(__always)
    private func spacing(_ b: UnsafeBufferPointer<UInt8>, _ prevEnd: Int, _ s: Int, first: Bool) -> TokenTable.Shape {
        if first { return [.lineStart, .paragraphStart] }
        if prevEnd == s { return .glued }
        var newlines = 0
        for i in prevEnd..<s where b[i] == 0x0A { newlines += 1 }
        if newlines >= 2 { return [.lineStart, .paragraphStart] }
        return newlines == 1 ? .lineStart : []
    }

    @inline(__always)
    private func keyOf(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int32 {
        let n = folder.fold(UnsafeBufferPointer(rebasing: b[s..<e]), into: keyBuffer, capacity: Self.keyCapacity)
        if n >= 0 { return lexicon.id(of: UnsafeBufferPointer(start: keyBuffer, count: n)) }
        scratch.removeAll(keepingCapacity: true)   // a very long token: fold into an array
        folder.fold(UnsafeBufferPointer(rebasing: b[s..<e]), into: &scratch)
        return scratch.withUnsafeBufferPointer { lexicon.id(of: $0) }
    }
}

/// Errors of the engine's set-up and ICU calls.
public enum EngineError: Error, CustomStringConvertible {
    case icu(String)
    case rules(String)

    public var description: String {
        switch self {
        case .icu(let m): return "ICU: \(m)"
        case .rules(let m): return m
        }
    }
}
