/// Quotes: quote marks in the tokens → quoted spans, each with its speaker.
///
/// Opening marks are “ and a straight " followed directly by a word; closing marks are ” and a
/// straight ". A quote left open at a paragraph end closes there (news convention: the quote
/// goes on in the next paragraph, which opens with a mark again). Speakers, tried in order:
/// - `quote.after-speaker`: after the closing mark, a person (or "he"/"she" for the last
///   named person) next to a speech verb: `,” Trọng said.` / `,” said Trọng.` / `,” he said.`
/// - `quote.colon-speaker`: before the opening mark in the same sentence, a person followed
///   later by a speech verb: `Trọng …, stated: "…"`.
/// - `quote.continued`: a quote opening the paragraph right after a quote by a known speaker.
/// Speech verbs and pronouns are gazetteer types (`speech.verb`, `pronoun.personal`).
struct QuoteFinder {
    let rules: RuleSet
    static let window = 12

    struct Span { var open: Int; var close: Int; var closedByMark: Bool }

    func quotes(_ a: Extractor.Analysis, _ chosen: [Resolver.Chosen], _ entities: [ArticleRecord.Entity],
                _ offsets: OffsetMap) -> [ArticleRecord.Quote] {
        let spans = findSpans(a)
        guard !spans.isEmpty else { return [] }
        var personAt = [Int](repeating: -1, count: a.tokens.count)
        for c in chosen where c.root == "person" && c.entity >= 0 { for t in c.tokens { personAt[t] = c.entity } }
        let verbs = marks(a, type: "speech.verb")
        let pronouns = marks(a, type: "pronoun.personal")
        var out: [ArticleRecord.Quote] = []
        var lastSpeaker: (entity: Int, closeToken: Int)? = nil
        for s in spans where s.close - s.open > 2 {
            var speaker: Int? = nil
            var rule = "quote.unattributed"
            if let e = after(a, s, personAt, verbs, pronouns, lastNamed: lastNamedPerson(before: s.open, personAt)) {
                speaker = e; rule = "quote.after-speaker"
            } else if let e = before(a, s, personAt, verbs) {
                speaker = e; rule = "quote.colon-speaker"
            } else if let last = lastSpeaker, a.tokens.shape[s.open].contains(.paragraphStart) || s.open - last.closeToken <= 2 {
                speaker = last.entity; rule = "quote.continued"
            }
            if let e = speaker { lastSpeaker = (e, s.close) }
            let bytes = Int(a.tokens.start[s.open + 1])..<Int(a.tokens.end[s.close - 1])
            out.append(ArticleRecord.Quote(speaker: speaker.map { entities[$0].id },
                                           start: offsets.codePoint(bytes.lowerBound), end: offsets.codePoint(bytes.upperBound),
                                           text: a.article.text(bytes), rule: rule))
        }
        return out
    }

    /// Token ranges [open mark, close mark]; `close` is the closing mark or one past the last
    /// token of the paragraph where the quote was left open.
    func findSpans(_ a: Extractor.Analysis) -> [Span] {
        var out: [Span] = []
        var open: Int? = nil
        let t = a.tokens
        for i in 0..<t.count {
            if let o = open, t.shape[i].contains(.paragraphStart), i > o + 1 {
                out.append(Span(open: o, close: i, closedByMark: false))
                open = nil
            }
            guard t.kind[i] == .punct else { continue }
            let m = mark(a, i)
            if m == 0 { continue }
            if let o = open {
                if m == 2 || m == 3 { out.append(Span(open: o, close: i, closedByMark: true)); open = nil }
                else if m == 1 { open = i }   // a second opening: the first was a stray mark
            } else if m == 1 || (m == 3 && i + 1 < t.count && t.shape[i + 1].contains(.glued)) {
                open = i
            }
        }
        if let o = open, t.count > o + 1 { out.append(Span(open: o, close: t.count, closedByMark: false)) }
        return out
    }

    /// 1 = “, 2 = ”, 3 = straight ", 0 = not a double quote mark.
    private func mark(_ a: Extractor.Analysis, _ i: Int) -> Int {
        let r = a.tokens.byteRange(i)
        let b = a.article.bytes
        if r.count == 1 && b[r.lowerBound] == 0x22 { return 3 }
        if r.count == 3 && b[r.lowerBound] == 0xE2 && b[r.lowerBound + 1] == 0x80 {
            if b[r.lowerBound + 2] == 0x9C { return 1 }
            if b[r.lowerBound + 2] == 0x9D { return 2 }
        }
        return 0
    }

    private func marks(_ a: Extractor.Analysis, type: String) -> [Bool] {
        var out = [Bool](repeating: false, count: a.tokens.count)
        guard let t = rules.types.id(type) else { return out }
        for ann in a.store.items where ann.isLookup && rules.types.isA(ann.type, t) {
            for k in Int(ann.start)..<Int(ann.end) { out[k] = true }
        }
        return out
    }

    private func lastNamedPerson(before i: Int, _ personAt: [Int]) -> Int? {
        var k = i - 1
        while k >= 0 { if personAt[k] >= 0 { return personAt[k] }; k -= 1 }
        return nil
    }

    private func after(_ a: Extractor.Analysis, _ s: Span, _ personAt: [Int], _ verbs: [Bool], _ pronouns: [Bool],
                       lastNamed: Int?) -> Int? {
        guard s.closedByMark else { return nil }
        let t = a.tokens
        let start = s.close + 1
        guard start < t.count else { return nil }
        let sentence = t.sentence[min(s.close, t.count - 1)]
        var sawVerb = false
        var k = start
        while k < min(t.count, start + Self.window) {
            if t.sentence[k] != sentence && t.sentence[k] != t.sentence[start] { break }
            if mark(a, k) != 0 { break }
            if personAt[k] >= 0 {
                // "Trọng said" or "said Trọng"
                let e = personAt[k]
                var j = k
                while j < t.count, personAt[j] == e { j += 1 }
                if sawVerb || (j < t.count && verbs[j]) { return e }
            }
            if pronouns[k], k + 1 < t.count, verbs[k + 1] { return lastNamed }
            if verbs[k] { sawVerb = true }
            k += 1
        }
        return nil
    }

    private func before(_ a: Extractor.Analysis, _ s: Span, _ personAt: [Int], _ verbs: [Bool]) -> Int? {
        let t = a.tokens
        guard s.open > 0 else { return nil }
        let sentence = t.sentence[s.open]
        var k = s.open - 1
        var verbSeen = false
        var candidate: Int? = nil
        while k >= 0, t.sentence[k] == sentence || (k == s.open - 1) {
            if verbs[k] { verbSeen = true }
            if personAt[k] >= 0 && verbSeen { candidate = personAt[k] }
            k -= 1
        }
        return candidate
    }
}
