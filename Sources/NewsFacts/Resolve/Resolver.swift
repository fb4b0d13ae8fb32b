/// Resolve: an `Extractor.Analysis` → `ArticleRecord`.
///
/// What is algorithm, not knowledge: choosing non-overlapping mentions of the output types,
/// linking short person names to full ones, merging mentions into entities, date and figure
/// values, relations from rule candidates and gazetteer parents, quotes and their speakers.
public struct Resolver {
    public static let outputTypes = ["person", "role", "organization", "place", "date", "figure"]
    let rules: RuleSet

    public init(rules: RuleSet) { self.rules = rules }

    /// One chosen mention, in token and byte terms.
    struct Chosen {
        var tokens: Range<Int>
        var root: String
        var type: Int32
        var attributes: [String: String]
        var rule: String
        var entity = -1
    }

    public func record(_ a: Extractor.Analysis) -> ArticleRecord {
        let offsets = OffsetMap(a.article.bytes)
        var chosen = choose(a)
        chosen += shortNames(a, chosen)
        chosen += aliases(a, chosen)
        chosen.sort { $0.tokens.lowerBound < $1.tokens.lowerBound }
        var record = ArticleRecord(article: meta(a.article, offsets))
        record.entities = entities(a, &chosen, offsets)
        record.relations = RelationBuilder(rules: rules).relations(a, chosen, record.entities, offsets)
        for r in record.relations where r.type == "part_of" {
            guard let subject = r.arguments.first(where: { $0.0 == "subject" })?.1,
                  let object = r.arguments.first(where: { $0.0 == "object" })?.1,
                  let i = record.entities.firstIndex(where: { $0.id == subject }), record.entities[i].partOf == nil
            else { continue }
            record.entities[i].partOf = object
        }
        record.quotes = QuoteFinder(rules: rules).quotes(a, chosen, record.entities, offsets)
        return record
    }

    func meta(_ article: Article, _ offsets: OffsetMap) -> ArticleRecord.Meta {
        var h: UInt64 = 0xcbf29ce484222325
        for b in article.bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        let hex = String(h, radix: 16)
        return ArticleRecord.Meta(id: String(repeating: "0", count: 16 - hex.count) + hex, source: article.source,
                                  published: article.published, dateline: article.dateline, title: article.title,
                                  chars: offsets.codePointCount)
    }

    /// Rule annotations of the output types; where they overlap, the longer one wins, then
    /// the one from the higher-priority rule, then the later one (later phases refine).
    func choose(_ a: Extractor.Analysis) -> [Chosen] {
        var isOutput = [Bool](repeating: false, count: rules.types.names.count)
        for t in 0..<isOutput.count {
            isOutput[t] = Self.outputTypes.contains(rules.types.name(rules.types.root(Int32(t))))
        }
        var candidates: [(Int, Annotation)] = []
        for i in a.store.leadingLookups..<a.store.items.count {
            let ann = a.store.items[i]
            if !ann.isLookup && isOutput[Int(ann.type)] { candidates.append((i, ann)) }
        }
        func priority(_ x: Annotation) -> Int { x.rule >= 0 ? rules.rules[Int(x.rule)].priority : 0 }
        candidates.sort { x, y in
            let lx = x.1.end - x.1.start, ly = y.1.end - y.1.start
            if lx != ly { return lx > ly }
            if priority(x.1) != priority(y.1) { return priority(x.1) > priority(y.1) }
            return x.0 > y.0
        }
        var taken = [Bool](repeating: false, count: a.tokens.count)
        var out: [Chosen] = []
        for (_, ann) in candidates {
            let span = Int(ann.start)..<Int(ann.end)
            if span.contains(where: { taken[$0] }) { continue }
            for t in span { taken[t] = true }
            var attrs: [String: String] = [:]
            for (k, v) in a.store.attributes(of: ann) where attrs[k] == nil { attrs[k] = v }
            out.append(Chosen(tokens: span, root: rules.types.name(rules.types.root(ann.type)), type: ann.type,
                              attributes: attrs, rule: rules.ruleName(ann.rule)))
        }
        return out
    }

    /// Later mentions of a person by the last word of the full name ("Trọng" for
    /// "Nguyễn Văn Trọng"), or by a first word that is a given name and no family name
    /// ("Gloria" for "Gloria Steinem"), where no other mention covers that word.
    func shortNames(_ a: Extractor.Analysis, _ chosen: [Chosen]) -> [Chosen] {
        var lastKeys: [String: Int] = [:]   // folded short name → first token of the full name
        let given = typeIDs(["person.given", "person.given_word"]), family = typeIDs(["person.family"])
        for c in chosen where c.root == "person" && c.tokens.count >= 2 {
            let k = word(a, c.tokens.upperBound - 1)
            if lastKeys[k] == nil { lastKeys[k] = c.tokens.lowerBound }
            let first = c.tokens.lowerBound
            if isLookup(a, at: first, of: given), !isLookup(a, at: first, of: family) {
                let f = word(a, first)
                if lastKeys[f] == nil { lastKeys[f] = first }
            }
        }
        guard !lastKeys.isEmpty else { return [] }
        var covered = [Bool](repeating: false, count: a.tokens.count)
        for c in chosen { for t in c.tokens { covered[t] = true } }
        var out: [Chosen] = []
        for t in 0..<a.tokens.count where !covered[t] && a.tokens.shape[t].contains(.capitalised) {
            guard let first = lastKeys[word(a, t)], first < t else { continue }
            // Not glued into a longer capitalised name ("Trọng-based", "Trọng Group").
            if t + 1 < a.tokens.count, a.tokens.shape[t + 1].contains(.capitalised), a.tokens.sentence[t + 1] == a.tokens.sentence[t] { continue }
            if t > 0, a.tokens.shape[t - 1].contains(.capitalised), !a.tokens.shape[t].contains(.sentenceStart),
               !covered[t - 1], a.tokens.kind[t - 1] == .word { continue }
            out.append(Chosen(tokens: t..<(t + 1), root: "person", type: rules.types.id("person")!,
                              attributes: [:], rule: "resolve.short-name"))
        }
        return out
    }

    /// Later bare uses of an organisation's acronym ("HCDC" after "Center for Disease Control
    /// (HCDC)", or any one-word all-capitals organisation mention) where nothing else covers them.
    func aliases(_ a: Extractor.Analysis, _ chosen: [Chosen]) -> [Chosen] {
        var known: [String: (Int32, [String: String])] = [:]   // acronym → type, attributes
        for c in chosen where c.root == "organization" && c.tokens.count == 1 && a.tokens.shape[c.tokens.lowerBound].contains(.allCaps) {
            known[a.article.text(a.tokens.byteRange(c.tokens.lowerBound))] = (c.type, c.attributes)
        }
        guard !known.isEmpty else { return [] }
        var covered = [Bool](repeating: false, count: a.tokens.count)
        for c in chosen { for t in c.tokens { covered[t] = true } }
        var out: [Chosen] = []
        for t in 0..<a.tokens.count where !covered[t] && a.tokens.shape[t].contains(.allCaps) {
            guard let (type, attrs) = known[a.article.text(a.tokens.byteRange(t))] else { continue }
            out.append(Chosen(tokens: t..<(t + 1), root: "organization", type: type, attributes: attrs, rule: "resolve.alias"))
        }
        return out
    }

    func typeIDs(_ names: [String]) -> [Int32] { names.compactMap { rules.types.id($0) } }

    /// Whether a one-token lookup of one of the types `ids` starts at token `t`.
    func isLookup(_ a: Extractor.Analysis, at t: Int, of ids: [Int32]) -> Bool {
        a.store.starting(at: t).contains { id in
            let ann = a.store.items[Int(id)]
            return ann.isLookup && ann.end == ann.start + 1 && ids.contains { rules.types.isA(ann.type, $0) }
        }
    }

    /// The folded text of token `t` (names need not be in the lexicon).
    func word(_ a: Extractor.Analysis, _ t: Int) -> String {
        FoldTable.shared.fold(a.article.bytes, a.tokens.byteRange(t))
    }

    func entities(_ a: Extractor.Analysis, _ chosen: inout [Chosen], _ offsets: OffsetMap) -> [ArticleRecord.Entity] {
        var out: [ArticleRecord.Entity] = []
        var byKey: [String: Int] = [:]
        var personByLast: [String: Int] = [:]
        let fold = FoldTable.shared
        for i in chosen.indices {
            let c = chosen[i]
            let bytes = a.tokens.byteRange(c.tokens)
            let text = a.article.text(bytes)
            let mention = ArticleRecord.Mention(start: offsets.codePoint(bytes.lowerBound), end: offsets.codePoint(bytes.upperBound),
                                                text: text, sentence: Int(a.tokens.sentence[c.tokens.lowerBound]), rule: c.rule)
            let folded = fold.fold(a.article.bytes, bytes)
            var value: ArticleRecord.Value? = nil
            var unit: String? = nil
            var key = c.root + "|" + folded
            switch c.root {
            case "date":
                if let v = DateValue.resolve(c.attributes, published: a.article.published) {
                    value = .string(v)
                    key = "date|" + v
                }
            case "figure":
                let (v, u) = FigureValue.resolve(c.attributes)
                value = v.map { .number($0) }
                unit = u
                key = "figure|\(i)"   // each mention its own: same words, different facts
            case "role":
                key = "role|\(i)"
            default: break
            }
            var target = byKey[key]
            if c.root == "person", target == nil, c.tokens.count == 1 {
                target = personByLast[word(a, c.tokens.lowerBound)]
            }
            if let t = target {
                out[t].mentions.append(mention)
                if mention.text.unicodeScalars.count > out[t].name.unicodeScalars.count {
                    out[t].name = mention.text
                    out[t].folded = folded
                }
                chosen[i].entity = t
                continue
            }
            let id = out.count
            out.append(ArticleRecord.Entity(id: "E\(id + 1)", type: c.root, subtype: subtype(c), name: text,
                                            folded: folded, value: value, unit: unit, partOf: nil, mentions: [mention]))
            byKey[key] = id
            if c.root == "person", c.tokens.count >= 2 {
                let k = word(a, c.tokens.upperBound - 1)
                if personByLast[k] == nil { personByLast[k] = id }
            }
            chosen[i].entity = id
        }
        return out
    }

    /// `subtype` attribute, else the type below the root ("place.district" → "district").
    func subtype(_ c: Chosen) -> String? {
        if let s = c.attributes["subtype"], !s.isEmpty {
            guard let dot = s.lastIndex(of: ".") else { return s }
            return String(s[s.index(after: dot)...])
        }
        return rules.subtypes[Int(c.type)]
    }
}
