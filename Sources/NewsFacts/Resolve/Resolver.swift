/// Resolve: an `Extractor.Analysis` → `ArticleRecord`.
///
/// What is algorithm, not knowledge: choosing non-overlapping mentions of the output types,
/// linking short names to full ones (`NameLinks.swift`), merging mentions into entities,
/// date and figure values, relations from rule candidates and gazetteer parents, quotes and
/// their speakers.
public struct Resolver {
    public static let outputTypes = ["person", "role", "organization", "place", "date", "figure"]
    let rules: RuleSet

    public init(rules: RuleSet) { self.rules = rules }

    typealias Root = TypeFacts.Root

    /// One chosen mention, in token terms. Plain integers only: mentions are copied and
    /// scanned by every step, and nothing here needs counting references.
    struct Chosen {
        var tokens: Range<Int>
        var root: Root
        var type: Int32
        /// Index into `AnnotationStore.attributes`, or -1.
        var attributes: Int32
        /// Rule id, as in `Annotation.rule`, or `shortNameRule` / `aliasRule`.
        var rule: Int32
        var entity = -1
        /// Text id of the folded mention text, set with `entity` (-1 for figures and roles).
        var name: Int32 = -1
    }

    /// Rule ids of the mentions the resolver adds itself (below `RuleSet`'s negative ids).
    static let shortNameRule = Int32.min, aliasRule = Int32.min + 1

    func ruleName(_ id: Int32) -> String {
        switch id {
        case Self.shortNameRule: return "resolve.short-name"
        case Self.aliasRule: return "resolve.alias"
        default: return rules.ruleName(id)
        }
    }

    func attributes(_ a: Extractor.Analysis, _ c: Chosen) -> Attributes {
        Attributes(c.attributes < 0 ? [] : a.store.attributes[Int(c.attributes)])
    }

    /// What `record` works in, kept by an extractor from article to article and refilled for
    /// each: every array made anew cost an allocation and a runtime lookup of its type,
    /// a good part of the records of a short article.
    struct Buffers {
        var names = TextIDs()
        var candidates: [Candidate] = [], sortRoom: [Candidate] = []
        /// Per token, the index in `chosen` of the mention covering it, or -1; only the
        /// article's tokens count (the rest is left from longer articles).
        var owner: [Int32] = []
        /// Chosen mentions in order of preference, then in text order.
        var chosen: [Chosen] = [], ordered: [Chosen] = []
    }

    public func record(_ a: Extractor.Analysis) -> ArticleRecord {
        var buffers = Buffers()
        return record(a, &buffers)
    }

    /// `record(_:)` in the buffers of an earlier article (emptied first).
    func record(_ a: Extractor.Analysis, _ b: inout Buffers) -> ArticleRecord {
        b.names.removeAll()
        let offsets = OffsetMap(a.article.bytes)
        let facts = rules.typeFacts
        choose(a, facts, &b)
        add(shortNames(a, b.chosen, b.owner, facts, &b.names), to: &b.chosen, &b.owner)
        add(aliases(a, b.chosen, b.owner, &b.names), to: &b.chosen, &b.owner)
        add(repeatedNames(a, b.chosen, b.owner, &b.names), to: &b.chosen, &b.owner)
        inTextOrder(b.chosen, b.owner, tokens: a.tokens.count, into: &b.ordered)
        // The parts first, the record at the end: a record filled field by field was copied whole.
        var entities = entities(a, &b.ordered, offsets, &b.names)
        let relations = RelationBuilder(rules: rules).relations(a, b.ordered, &entities, offsets, &b.names)
        let quotes = QuoteFinder().quotes(a, b.ordered, entities, offsets, facts)
        return ArticleRecord(article: meta(a.article, offsets), entities: entities, relations: relations, quotes: quotes)
    }

    func meta(_ article: Article, _ offsets: OffsetMap) -> ArticleRecord.Meta {
        let h = Self.contentHash(article.bytes)
        // Sixteen hex digits, written as bytes (formatting and padding made three strings).
        let hex = String(unsafeUninitializedCapacity: 16) { out in
            for i in 0..<16 {
                let digit = UInt8(truncatingIfNeeded: h >> (60 - 4 * UInt64(i))) & 0xF
                out[i] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
            }
            return 16
        }
        return ArticleRecord.Meta(id: hex, source: article.source,
                                  published: article.published, dateline: article.dateline, title: article.title,
                                  chars: offsets.codePointCount)
    }

    /// The article id: a 64-bit hash of the text's bytes and length, eight bytes per step (a
    /// byte-at-a-time hash such as FNV-1a waited on one multiplication per byte).
    static func contentHash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBufferPointer { Lexicon.hash($0) }
    }

    /// Rule annotations of the output types; where they overlap, the longer one wins, then
    /// the one from the higher-priority rule, then the later one (later phases refine).
    /// Puts them in `b.chosen` in that order of preference, and per token the index of the one
    /// covering it in `b.owner` (-1: none).
    func choose(_ a: Extractor.Analysis, _ facts: TypeFacts, _ b: inout Buffers) {
        let items = a.store.items
        b.candidates.removeAll(keepingCapacity: true)
        for i in a.store.leadingLookups..<items.count {
            let ann = items[i]
            guard !ann.isLookup, facts.root(ann.type) != nil else { continue }
            let priority = ann.rule >= 0 ? rules.flat.priority[Int(ann.rule)] : 0
            b.candidates.append(Candidate(ann.end - ann.start, priority, i))
        }
        Candidate.sort(&b.candidates, room: &b.sortRoom)
        if b.owner.count < a.tokens.count { b.owner += repeatElement(-1, count: a.tokens.count - b.owner.count) }
        b.owner.withUnsafeMutableBufferPointer { $0[..<a.tokens.count].update(repeating: -1) }
        b.chosen.removeAll(keepingCapacity: true)
        for candidate in b.candidates {
            let ann = items[candidate.index]
            let span = Int(ann.start)..<Int(ann.end)
            if span.contains(where: { b.owner[$0] >= 0 }) { continue }
            for t in span { b.owner[t] = Int32(b.chosen.count) }
            b.chosen.append(Chosen(tokens: span, root: facts.root(ann.type)!, type: ann.type, attributes: ann.attributes, rule: ann.rule))
        }
    }

    /// Adds one-token mentions of uncovered tokens (short names, aliases) to `chosen`.
    func add(_ more: [Chosen], to chosen: inout [Chosen], _ owner: inout [Int32]) {
        for c in more {
            owner[c.tokens.lowerBound] = Int32(chosen.count)
            chosen.append(c)
        }
    }

    /// Mentions in text order, into `out`. They do not overlap, so a walk over the first
    /// `tokens` owners, from each mention to the end of its tokens, orders them without a sort.
    func inTextOrder(_ chosen: [Chosen], _ owner: [Int32], tokens: Int, into out: inout [Chosen]) {
        out.removeAll(keepingCapacity: true)
        var t = 0
        while t < tokens {
            let k = owner[t]
            if k < 0 { t += 1; continue }
            out.append(chosen[Int(k)])
            t = chosen[Int(k)].tokens.upperBound
        }
    }

    /// A rule annotation competing for its tokens: length and priority packed in one word,
    /// so comparing two candidates is one integer comparison in most cases.
    struct Candidate {
        /// Length (tokens) in the upper half, priority in the lower half, biased so that
        /// unsigned order is signed order.
        var rank: UInt64
        var index: Int

        init(_ length: Int32, _ priority: Int32, _ index: Int) {
            rank = UInt64(UInt32(bitPattern: length)) << 32 | UInt64(UInt32(bitPattern: priority) ^ 0x8000_0000)
            self.index = index
        }

        /// Whether `self` is preferred to `other`: longer, then higher priority, then later.
        /// Indices differ, so this is a total order and any sort gives the same result.
        @inline(__always)
        func precedes(_ other: Candidate) -> Bool { rank != other.rank ? rank > other.rank : index > other.index }

        /// Sorts in order of preference. A merge sort: the library's sort spent most of its
        /// time in insertion sorts of the few dozen candidates of a typical article.
        /// `room` is made as long as `items`, for the merges.
        static func sort(_ items: inout [Candidate], room: inout [Candidate]) {
            guard items.count > 1 else { return }
            room.removeAll(keepingCapacity: true)
            room += items
            items.withUnsafeMutableBufferPointer { a in
                room.withUnsafeMutableBufferPointer { b in mergeSort(a, b, 0, a.count) }
            }
        }

        /// Sorts `a[lo..<hi]`, using `b[lo..<hi]` as room.
        private static func mergeSort(_ a: UnsafeMutableBufferPointer<Candidate>, _ b: UnsafeMutableBufferPointer<Candidate>,
                                      _ lo: Int, _ hi: Int) {
            if hi - lo <= 8 {   // short runs: an insertion sort, without the calls
                for i in (lo + 1)..<max(lo + 1, hi) {
                    let x = a[i]
                    var j = i
                    while j > lo && x.precedes(a[j - 1]) { a[j] = a[j - 1]; j -= 1 }
                    a[j] = x
                }
                return
            }
            let mid = (lo + hi) / 2
            mergeSort(a, b, lo, mid)
            mergeSort(a, b, mid, hi)
            if !a[mid].precedes(a[mid - 1]) { return }   // already in order
            var i = lo, j = mid, k = lo
            while i < mid && j < hi {
                if a[j].precedes(a[i]) { b[k] = a[j]; j += 1 } else { b[k] = a[i]; i += 1 }
                k += 1
            }
            while i < mid { b[k] = a[i]; i += 1; k += 1 }
            while j < hi { b[k] = a[j]; j += 1; k += 1 }
            for m in lo..<hi { a[m] = b[m] }
        }
    }

    /// Whether a one-token lookup with the type flag `flag` starts at token `t`.
    func isLookup(_ a: Extractor.Analysis, at t: Int, _ facts: TypeFacts, _ flag: TypeFacts.Flags) -> Bool {
        a.store.starting(at: t).contains { id in
            let ann = a.store.items[Int(id)]
            return ann.isLookup && ann.end == ann.start + 1 && facts.flags(ann.type).contains(flag)
        }
    }

    /// The id of the folded text of token `t` (names need not be in the lexicon).
    func word(_ a: Extractor.Analysis, _ t: Int, _ names: inout TextIDs, add: Bool) -> Int32? {
        names.folded(a.article.bytes, a.tokens.byteRange(t), add: add)
    }

    /// Mentions with the same type and folded text are one entity (dates: the same value);
    /// a one-word person mention joins the person whose full name ends with that word.
    /// Every figure and role mention is an entity of its own: same words, different facts.
    func entities(_ a: Extractor.Analysis, _ chosen: inout [Chosen], _ offsets: OffsetMap,
                  _ names: inout TextIDs) -> [ArticleRecord.Entity] {
        var out: [ArticleRecord.Entity] = []
        var nameLength: [Int] = []   // code points of each entity's name: the longest mention names it
        // Entities by root and name, persons by the last word of the full name, organisations
        // by their first word: one map, with a lane per root and one for last and first words
        // (a map per root allocated an array each).
        var byName = TextIDMap()
        let lanes = Int32(Resolver.outputTypes.count + 2), lastWordLane = Int(lanes) - 2, firstWordLane = Int(lanes) - 1
        func slot(_ lane: Int, _ id: Int32) -> Int32 { id &* lanes &+ Int32(lane) }
        let entityIDs = Self.firstEntityIDs   // read once: each read of a static checks that it is made
        lazy var anchor = a.article.published.flatMap(CivilDate.init(iso:))   // read once, if a date needs it
        out.reserveCapacity(chosen.count)
        nameLength.reserveCapacity(chosen.count)
        for i in chosen.indices {
            let c = chosen[i]
            let bytes = a.tokens.byteRange(c.tokens)
            let start = offsets.codePoint(bytes.lowerBound), end = offsets.codePoint(bytes.upperBound)
            let mention = ArticleRecord.Mention(start: start, end: end, text: a.article.text(bytes),
                                                sentence: Int(a.tokens.sentence[c.tokens.lowerBound]), rule: ruleName(c.rule))
            // Figures and roles: every mention an entity of its own, so their names need no id.
            let ownEntity = c.root == .figure || c.root == .role
            let folded = ownEntity ? nil : names.folded(a.article.bytes, bytes, add: true)!
            var value: ArticleRecord.Value? = nil
            var unit: String? = nil
            var key = folded   // the name under the root
            let attrs = attributes(a, c)
            switch c.root {
            case .date:
                if let v = DateValue.resolve(attrs, anchor: anchor) {
                    value = .string(v)
                    key = names.plain(v, add: true)!
                }
            case .figure:
                let (v, u) = FigureValue.resolve(attrs)
                value = v.map { .number($0) }
                unit = u
            default: break
            }
            var target = key.flatMap { byName[slot(c.root.rawValue, $0)] }
            if c.root == .person, target == nil, c.tokens.count == 1 {
                target = byName[slot(lastWordLane, folded!)]
            }
            if c.root == .organization, target == nil, c.tokens.count == 1, c.rule == Self.aliasRule {
                target = byName[slot(firstWordLane, folded!)]   // "SungwooVina" of "SungwooVina Co., Ltd."
            }
            let foldsToItself = TextIDs.foldsToItself(a.article.bytes, bytes)
            if let t = target, let folded {
                out[t].mentions.append(mention)
                if end - start > nameLength[t] {
                    out[t].name = mention.text
                    out[t].folded = foldsToItself ? mention.text : names.string(folded)
                    nameLength[t] = end - start
                }
                chosen[i].entity = t
                chosen[i].name = folded
                continue
            }
            let id = out.count
            let foldedName = foldsToItself ? mention.text : folded.map(names.string) ?? TextIDs.foldedString(a.article.bytes, bytes)
            let entityID = id + 1 < entityIDs.count ? entityIDs[id + 1] : Self.makeEntityID(id + 1)
            out.append(ArticleRecord.Entity(id: entityID, type: c.root.name, subtype: subtype(attrs, c), name: mention.text,
                                            folded: foldedName, value: value, unit: unit, partOf: nil, mentions: [mention]))
            nameLength.append(end - start)
            if let key { byName[slot(c.root.rawValue, key)] = id }
            if c.root == .person, c.tokens.count >= 2 {
                byName.setFirst(slot(lastWordLane, word(a, c.tokens.upperBound - 1, &names, add: true)!), id)
            }
            if c.root == .organization, c.tokens.count >= 2 {
                byName.setFirst(slot(firstWordLane, word(a, c.tokens.lowerBound, &names, add: true)!), id)
            }
            chosen[i].entity = id
            chosen[i].name = folded ?? -1
        }
        return out
    }

    /// Entity ids "E0" to "E127", made once, as most articles have fewer entities;
    /// interpolation went through `description` and an append for every entity.
    private static let firstEntityIDs = (0..<128).map(makeEntityID)

    /// "E" and `n`, written as a small string's bytes.
    private static func makeEntityID(_ n: Int) -> String {
        guard n >= 0 && n < 10_000_000_000_000 else { return "E\(n)" }
        return String(unsafeUninitializedCapacity: 15) { out in
            var count = 2, rest = n
            while rest >= 10 { count += 1; rest /= 10 }
            out[0] = UInt8(ascii: "E")
            rest = n
            for i in stride(from: count - 1, to: 0, by: -1) {
                out[i] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            return count
        }
    }

    /// `subtype` attribute, else the type below the root ("place.district" → "district").
    func subtype(_ attrs: Attributes, _ c: Chosen) -> String? {
        if var s = attrs["subtype"], !s.isEmpty {
            return s.withUTF8 { b in
                b.lastIndex(of: UInt8(ascii: ".")).map { String(decoding: UnsafeBufferPointer(rebasing: b[($0 + 1)...]), as: UTF8.self) }
            } ?? s
        }
        return rules.subtypes[Int(c.type)]
    }
}
