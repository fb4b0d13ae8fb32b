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
    struct Span { var open: Int; var close: Int; var closedByMark: Bool }

    /// A quote's speaker (an entity index) if found, and the rule that found it or not. A
    /// struct, not a tuple: the runtime makes an array of tuples' type from its mangled name,
    /// at a cost of some ten thousand instructions.
    struct Speaker { var entity: Int?; var rule: String }

    /// How far (tokens) from a quote mark a speaker is looked for, so a run-on "sentence"
    /// cannot make attribution quadratic.
    static let reach = 60

    func quotes(_ a: Extractor.Analysis, _ chosen: [Resolver.Chosen], _ entities: [ArticleRecord.Entity],
                _ offsets: OffsetMap, _ facts: TypeFacts) -> [ArticleRecord.Quote] {
        let spans = findSpans(a)
        guard !spans.isEmpty else { return [] }
        var personAt = [Int32](repeating: -1, count: a.tokens.count)
        for c in chosen where c.root == .person && c.entity >= 0 { for t in c.tokens { personAt[t] = Int32(c.entity) } }
        let marks = marks(a, facts)
        let kept = spans.filter { $0.close - $0.open > 2 }
        let lastNamed = lastNamedPersons(before: kept, chosen)
        var speakers: [Speaker] = zip(kept, lastNamed).map { s, lastNamed in
            if let e = after(a, s, personAt, marks, lastNamed: lastNamed) {
                return Speaker(entity: e, rule: "quote.after-speaker")
            }
            if let e = before(a, s, personAt, marks) { return Speaker(entity: e, rule: "quote.colon-speaker") }
            return Speaker(entity: nil, rule: "quote.unattributed")
        }
        // A quote next to an attributed one with nothing said between them (the same
        // paragraph, or a quote running on into the next paragraph) has the same speaker.
        for i in kept.indices where speakers[i].entity == nil && i > 0 && speakers[i - 1].entity != nil
            && adjacent(a, kept[i - 1], kept[i]) {
            speakers[i] = Speaker(entity: speakers[i - 1].entity, rule: "quote.continued")
        }
        for i in kept.indices.reversed() where speakers[i].entity == nil && i + 1 < kept.count && speakers[i + 1].entity != nil
            && !kept[i].closedByMark && adjacent(a, kept[i], kept[i + 1]) {
            speakers[i] = Speaker(entity: speakers[i + 1].entity, rule: "quote.continued")
        }
        return zip(kept, speakers).map { s, speaker in
            let bytes = Int(a.tokens.start[s.open + 1])..<Int(a.tokens.end[s.close - 1])
            return ArticleRecord.Quote(speaker: speaker.entity.map { entities[$0].id },
                                       start: offsets.codePoint(bytes.lowerBound), end: offsets.codePoint(bytes.upperBound),
                                       text: a.article.text(bytes), rule: speaker.rule)
        }
    }

    /// `second` follows `first` in the same paragraph, or opens the paragraph after it.
    private func adjacent(_ a: Extractor.Analysis, _ first: Span, _ second: Span) -> Bool {
        var paragraphs = 0
        for t in (first.open + 1)...second.open where a.tokens.shape[t].contains(.paragraphStart) {
            paragraphs += 1
        }
        if paragraphs == 0 { return true }
        return paragraphs == 1 && a.tokens.shape[second.open].contains(.paragraphStart)
    }

    /// Token ranges [open mark, close mark]; `close` is the closing mark or one past the last
    /// token of the paragraph where the quote was left open.
    func findSpans(_ a: Extractor.Analysis) -> [Span] {
        var out: [Span] = []
        var open: Int? = nil
        let t = a.tokens, bytes = a.article.bytes
        func step(_ i: Int) {
            if let o = open, t.shape[i].contains(.paragraphStart), i > o + 1 {
                out.append(Span(open: o, close: i, closedByMark: false))
                open = nil
            }
            guard t.kind[i] == .punct else { return }
            let m = mark(bytes, t, i)
            if m == 0 { return }
            if let o = open {
                if m == 2 || m == 3 { out.append(Span(open: o, close: i, closedByMark: true)); open = nil }
                else if m == 1 { open = i }   // a second opening: the first was a stray mark
            } else if m == 1 || (m == 3 && i + 1 < t.count && t.shape[i + 1].contains(.glued)) {
                open = i
            }
        }
        // Outside a quote only punctuation can matter, and most tokens are words: those are
        // skipped eight at a time. Inside one, every token is looked at (paragraph starts).
        t.kind.withUnsafeBufferPointer { kinds in
            var i = TokenScan.next(.punct, in: kinds, from: 0)
            while i < kinds.count {
                step(i)
                i = open == nil ? TokenScan.next(.punct, in: kinds, from: i + 1) : i + 1
            }
        }
        if let o = open, t.count > o + 1 { out.append(Span(open: o, close: t.count, closedByMark: false)) }
        return out
    }

    /// 1 = “, 2 = ”, 3 = straight ", 0 = not a double quote mark.
    private func mark(_ b: [UInt8], _ tokens: TokenTable, _ i: Int) -> Int {
        let r = tokens.byteRange(i)
        if r.count == 1 && b[r.lowerBound] == 0x22 { return 3 }
        if r.count == 3 && b[r.lowerBound] == 0xE2 && b[r.lowerBound + 1] == 0x80 {
            if b[r.lowerBound + 2] == 0x9C { return 1 }
            if b[r.lowerBound + 2] == 0x9D { return 2 }
        }
        return 0
    }

    /// What a token is inside of, as gazetteer lookups tell: a speech verb, a personal pronoun.
    struct Marks: OptionSet {
        let rawValue: UInt8
        static let verb = Marks(rawValue: 1), pronoun = Marks(rawValue: 2)
    }

    /// Per token, the speech verbs and personal pronouns it is inside of (one array, not one
    /// per kind of mark).
    private func marks(_ a: Extractor.Analysis, _ facts: TypeFacts) -> [Marks] {
        var out = [Marks](repeating: [], count: a.tokens.count)
        a.store.items.withUnsafeBufferPointer { items in
            for ann in items[..<a.store.leadingLookups] {
                let flags = facts.flags(ann.type)
                var m: Marks = []
                if flags.contains(.speechVerb) { m.insert(.verb) }
                if flags.contains(.personalPronoun) { m.insert(.pronoun) }
                if m.isEmpty { continue }
                for k in Int(ann.start)..<Int(ann.end) { out[k].formUnion(m) }
            }
        }
        return out
    }

    /// Per span (in token order), the person entity named last before its opening mark.
    /// Mentions and spans are both in text order, so one walk over the mentions serves all.
    private func lastNamedPersons(before spans: [Span], _ chosen: [Resolver.Chosen]) -> [Int?] {
        var out: [Int?] = []
        out.reserveCapacity(spans.count)
        var last: Int? = nil
        var k = 0
        for s in spans {
            while k < chosen.count, chosen[k].tokens.lowerBound < s.open {
                if chosen[k].root == .person && chosen[k].entity >= 0 { last = chosen[k].entity }
                k += 1
            }
            out.append(last)
        }
        return out
    }

    private func after(_ a: Extractor.Analysis, _ s: Span, _ personAt: [Int32], _ marks: [Marks],
                       lastNamed: Int?) -> Int? {
        guard s.closedByMark else { return nil }
        let t = a.tokens, bytes = a.article.bytes
        let start = s.close + 1
        // A new paragraph after the quote speaks of something else.
        guard start < t.count, !t.shape[start].contains(.paragraphStart) else { return nil }
        // The rest of the sentence after the closing mark, up to the next quote mark:
        // "Trọng said", "said Trọng", "Trang, deputy secretary of VASEP, told …", "he said".
        let sentence = t.sentence[start]
        var person: Int? = nil, pronoun = false, verb = false
        var k = start
        while k < t.count, k - start < Self.reach, t.sentence[k] == sentence, mark(bytes, t, k) == 0 {
            if person == nil, !pronoun, personAt[k] >= 0 { person = Int(personAt[k]) }
            if person == nil, marks[k].contains(.pronoun) { pronoun = true }
            if marks[k].contains(.verb) { verb = true }
            k += 1
        }
        guard verb else { return nil }
        return person ?? (pronoun ? lastNamed : nil)
    }

    private func before(_ a: Extractor.Analysis, _ s: Span, _ personAt: [Int32], _ marks: [Marks]) -> Int? {
        let t = a.tokens
        guard s.open > 0 else { return nil }
        let sentence = t.sentence[s.open]
        var k = s.open - 1
        var verbSeen = false
        var candidate: Int? = nil
        while k >= 0, s.open - k <= Self.reach, t.sentence[k] == sentence || (k == s.open - 1) {
            if marks[k].contains(.verb) { verbSeen = true }
            if personAt[k] >= 0 && verbSeen { candidate = Int(personAt[k]) }
            k -= 1
        }
        return candidate
    }
}
