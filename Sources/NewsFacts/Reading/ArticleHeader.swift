/// Header recognition: an article's first bytes → published date, dateline and title.
///
/// Consumes `Article.bytes`; fills `published`/`publishedSpan` from a metadata prefix such as
/// " date 2024-12-10 ", `dateline`/`datelineSpan` from a capitalised place before a dash or
/// comma ("BẮC GIANG – "), and `title` from a short first line without a final full stop.
/// This is the format of the input, not knowledge about news: rules never see it as text.
enum ArticleHeader {
    static let maxTitleBytes = 240
    static let maxDatelineBytes = 60

    static func recognise(_ article: inout Article) {
        let b = article.bytes
        var body = skipSpace(b, 0)
        if let (value, span, next) = metadataPrefix(b, at: body) {
            article.published = value
            article.publishedSpan = span
            body = skipSpace(b, next)
        } else if let (title, next) = titleLine(b, at: body) {
            article.title = title
            body = skipSpace(b, next)
        }
        if let span = dateline(b, at: body) {
            article.datelineSpan = span
            article.dateline = article.text(span)
        }
    }

    /// "date YYYY-MM-DD" at `i`, followed by white space.
    static func metadataPrefix(_ b: [UInt8], at i: Int) -> (String, Range<Int>, Int)? {
        let word = Array("date".utf8)
        guard b.count >= i + 4, Array(b[i..<(i + 4)]) == word || Array(b[i..<(i + 4)]) == Array("Date".utf8) else {
            return nil
        }
        let d = skipSpace(b, i + 4)
        guard d > i + 4, d + 10 <= b.count else { return nil }
        let shape = Array("dddd-dd-dd".utf8)
        for k in 0..<10 {
            let c = b[d + k]
            let ok = shape[k] == UInt8(ascii: "d") ? (c >= 0x30 && c <= 0x39) : c == UInt8(ascii: "-")
            if !ok { return nil }
        }
        guard d + 10 == b.count || isSpace(b[d + 10]) else { return nil }
        return (String(decoding: b[d..<(d + 10)], as: UTF8.self), d..<(d + 10), d + 10)
    }

    /// A first line that reads as a title: short, with text after it, no final full stop.
    static func titleLine(_ b: [UInt8], at i: Int) -> (String, Int)? {
        guard let nl = b[i...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        var end = nl
        while end > i, isSpace(b[end - 1]) { end -= 1 }
        guard end > i, end - i <= maxTitleBytes, b[end - 1] != UInt8(ascii: "."),
              skipSpace(b, nl) < b.count else { return nil }
        return (String(decoding: b[i..<end], as: UTF8.self), nl)
    }

    /// Capitals (letters all upper case, spaces, dots, apostrophes) then an optional "(VNS)"
    /// and a dash, en dash, em dash or comma.
    static func dateline(_ b: [UInt8], at i: Int) -> Range<Int>? {
        var j = i
        var end = i
        var letters = 0
        b.withUnsafeBufferPointer { buf in
            while j < buf.count, j - i <= maxDatelineBytes {
                let (cp, w) = UTF8Scan.decode(buf, at: j)
                guard let s = Unicode.Scalar(cp) else { break }
                if s.properties.isAlphabetic {
                    if s.properties.isLowercase { letters = -1; break }
                    letters += 1
                    j += w
                    end = j
                } else if s.properties.generalCategory == .nonspacingMark {
                    j += w
                    end = j
                } else if s == " " || s == "." || s == "'" || s == "’" {
                    j += w
                } else { break }
            }
        }
        guard letters >= 2, end > i else { return nil }
        var k = skipSpace(b, end)
        if k < b.count, b[k] == UInt8(ascii: "("), let close = b[k...].firstIndex(of: UInt8(ascii: ")")), close - k < 20 {
            k = skipSpace(b, close + 1)
        }
        let dashes: [[UInt8]] = [Array("–".utf8), Array("—".utf8), [UInt8(ascii: "-")], [UInt8(ascii: ",")]]
        for d in dashes where b.count >= k + d.count && Array(b[k..<(k + d.count)]) == d {
            let after = k + d.count
            if after < b.count, isSpace(b[after]) { return i..<end }
        }
        return nil
    }

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    static func skipSpace(_ b: [UInt8], _ i: Int) -> Int {
        var j = i
        while j < b.count, isSpace(b[j]) { j += 1 }
        return j
    }
}
