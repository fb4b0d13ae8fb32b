/// Name links: chosen mentions → one-word mentions of the same person or organisation where
/// a name is used again in short.
///
/// Consumes the resolver's chosen mentions and the tokens nothing covers; produces mentions
/// ruled `resolve.short-name` (a person's last word, or given name) and `resolve.alias` (an
/// organisation's acronym, initials, one-word name or a company's first word). `record`
/// adds them before mentions are merged into entities.
extension Resolver {
    /// Later mentions of a person by the last word of the full name ("Trọng" for
    /// "Nguyễn Văn Trọng"), or by a first word that is a given name and no family name
    /// ("Gloria" for "Gloria Steinem"), where no other mention covers that word. A one-word
    /// mention ("Papermaster, 49,") counts as a full name.
    func shortNames(_ a: Extractor.Analysis, _ chosen: [Chosen], _ owner: [Int32], _ facts: TypeFacts,
                    _ names: inout TextIDs) -> [Chosen] {
        // Folded short name → first token of its earliest full name (`chosen` is in order of
        // preference, not of position: a later full name may come first).
        var fullNameAt = TextIDMap()
        var firstBytes = ByteSet()   // of the folded short names
        var any = false
        func add(_ t: Int, fullNameAt first: Int) {
            let w = word(a, t, &names, add: true)!
            fullNameAt.setMin(w, first)
            if let b = names.firstByte(w) { firstBytes.insert(b) }
            any = true
        }
        for c in chosen where c.root == .person {
            let first = c.tokens.lowerBound
            add(c.tokens.upperBound - 1, fullNameAt: first)
            if isLookup(a, at: first, facts, .given), !isLookup(a, at: first, facts, .family) {
                add(first, fullNameAt: first)
            }
        }
        guard any else { return [] }
        // Whether a short name can start with byte `b` as written. An ASCII byte folds on its
        // own, to one byte, so most tokens are ruled out without being folded; a token
        // starting with any other byte is always folded and looked up.
        func mayStart(_ b: UInt8) -> Bool { b >= 0x80 || firstBytes.contains(TextIDs.foldASCII(b)) }
        let shape = a.tokens.shape, starts = a.tokens.start, bytes = a.article.bytes
        var out: [Chosen] = []
        for t in 0..<a.tokens.count where shape[t].contains(.capitalised) && owner[t] < 0 && mayStart(bytes[Int(starts[t])]) {
            guard let w = word(a, t, &names, add: false), let first = fullNameAt[w], first < t,
                  standsAlone(a, t, owner, facts) else { continue }
            out.append(Chosen(tokens: t..<(t + 1), root: .person, type: facts.person, attributes: -1, rule: Self.shortNameRule))
        }
        return out
    }

    /// Bare uses of an organisation's acronym where nothing else covers them: one given in
    /// brackets ("HCDC" after "Center for Disease Control (HCDC)") or any one-word all-capitals
    /// organisation mention, and the initials of a name's capitalised words, three or more
    /// ("USI" for "University of Southern Indiana", "KPA" for "Korean People's Army"). Such an
    /// acronym also takes the place of a one-word place mention in capitals.
    func aliases(_ a: Extractor.Analysis, _ chosen: [Chosen], _ owner: [Int32], _ names: inout TextIDs) -> [Chosen] {
        var known = TextIDMap()   // acronym as written → the last mention of it in `chosen`
        var any = false
        for (k, c) in chosen.enumerated() where c.root == .organization && c.tokens.count == 1
            && a.tokens.shape[c.tokens.lowerBound].contains(.allCaps) {
            known[names.written(a.article.bytes, a.tokens.byteRange(c.tokens.lowerBound), add: true)!] = k
            any = true
        }
        for (k, c) in chosen.enumerated() where c.root == .organization && c.tokens.count >= 3 {
            guard let letters = initials(a, c.tokens) else { continue }
            var bytes = letters.bytes.littleEndian   // the first initial first in memory
            let id = withUnsafeBytes(of: &bytes) { names.written(UnsafeBufferPointer(rebasing: $0.bindMemory(to: UInt8.self)[..<letters.count]), add: true)! }
            if known[id] == nil { known[id] = k }
            any = true
        }
        guard any else { return [] }
        var out: [Chosen] = []
        a.tokens.shape.withUnsafeBufferPointer { shape in
            var t = TokenScan.next(.allCaps, in: shape, from: 0)
            while t < shape.count {
                defer { t = TokenScan.next(.allCaps, in: shape, from: t + 1) }
                guard let w = names.written(a.article.bytes, a.tokens.byteRange(t), add: false), let k = known[w] else { continue }
                if owner[t] >= 0 {
                    // A place name in capitals ("GAO", a town in Mali) gives way to an acronym of
                    // an organisation of the article; other mentions keep their word.
                    let o = chosen[Int(owner[t])]
                    guard o.root == .place, o.tokens == t..<(t + 1) else { continue }
                }
                out.append(Chosen(tokens: t..<(t + 1), root: .organization, type: chosen[k].type, attributes: chosen[k].attributes,
                                  rule: Self.aliasRule))
            }
        }
        return out
    }

    /// Other bare uses of a one-word organisation name that no list knows ("Ryanair" after
    /// "Ryanair CEO Michael O'Leary"), or of the first word of a longer company name
    /// ("Northrop" for "Northrop Grumman"), where nothing else covers them and no capitalised
    /// word joins them to a longer name.
    func repeatedNames(_ a: Extractor.Analysis, _ chosen: [Chosen], _ owner: [Int32], _ names: inout TextIDs) -> [Chosen] {
        let shape = a.tokens.shape
        var known = TextIDMap()   // the name as written → a mention of it in `chosen`
        var any = false
        var firstBytes = ByteSet()   // of the names as written
        for (k, c) in chosen.enumerated() where c.root == .organization {
            let t = c.tokens.lowerBound
            guard shape[t].contains(.capitalised), !shape[t].contains(.allCaps) else { continue }
            // A longer name lends its first word only when it is a company's ("Northrop" of
            // "Northrop Grumman"): "Republican Party" or "State Department" lend none.
            if c.tokens.count > 1 && (a.tokens.kind[t + 1] != .word || !shape[t + 1].contains(.capitalised)) { continue }
            guard !a.store.starting(at: t).contains(where: { a.store.items[Int($0)].isLookup }) else { continue }
            if c.tokens.count > 1 && subtype(attributes(a, c), c) != "company" { continue }
            known[names.written(a.article.bytes, a.tokens.byteRange(t), add: true)!] = k
            firstBytes.insert(a.article.bytes[Int(a.tokens.start[t])])
            any = true
        }
        guard any else { return [] }
        var out: [Chosen] = []
        let facts = rules.typeFacts
        for t in 0..<a.tokens.count where owner[t] < 0 && shape[t].contains(.capitalised)
            && firstBytes.contains(a.article.bytes[Int(a.tokens.start[t])]) {
            guard let w = names.written(a.article.bytes, a.tokens.byteRange(t), add: false), let k = known[w],
                  standsAlone(a, t, owner, facts) else { continue }
            out.append(Chosen(tokens: t..<(t + 1), root: .organization, type: chosen[k].type, attributes: chosen[k].attributes,
                              rule: Self.aliasRule))
        }
        return out
    }

    /// Whether the word at `t` is a name on its own, not glued into a longer capitalised name
    /// ("Trọng-based", "Trọng Group", "Acme Savage"): no capitalised word follows it in its
    /// sentence, and none that no mention covers comes before it, unless that one opens the
    /// sentence and is a function word ("Then Savage left").
    private func standsAlone(_ a: Extractor.Analysis, _ t: Int, _ owner: [Int32], _ facts: TypeFacts) -> Bool {
        let shape = a.tokens.shape
        if t + 1 < a.tokens.count, shape[t + 1].contains(.capitalised), a.tokens.sentence[t + 1] == a.tokens.sentence[t] {
            return false
        }
        guard t > 0, shape[t - 1].contains(.capitalised), !shape[t].contains(.sentenceStart),
              owner[t - 1] < 0, a.tokens.kind[t - 1] == .word else { return true }
        return shape[t - 1].contains(.sentenceStart) && isLookup(a, at: t - 1, facts, .functionWord)
    }

    /// The capital initials of the capitalised words of `tokens`, when there are three to
    /// eight of them (lower-case words such as "of" and "the" are passed over), packed in a
    /// word, the first in its lowest byte (no array made per organisation).
    func initials(_ a: Extractor.Analysis, _ tokens: Range<Int>) -> (bytes: UInt64, count: Int)? {
        var bytes: UInt64 = 0, count = 0
        for t in tokens where a.tokens.kind[t] == .word && a.tokens.shape[t].contains(.capitalised) {
            let first = a.article.bytes.withUnsafeBufferPointer { TextIDs.foldedFirstByte(UnsafeBufferPointer(rebasing: $0[a.tokens.byteRange(t)])) }
            guard let b = first, b >= 0x61 && b <= 0x7A, count < 8 else { return nil }
            bytes |= UInt64(b - 0x20) << UInt64(8 * count)
            count += 1
        }
        return count >= 3 ? (bytes, count) : nil
    }
}
