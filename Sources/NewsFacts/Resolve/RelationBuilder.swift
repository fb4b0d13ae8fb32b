/// Relations: rule candidates (`relate ...` actions) and gazetteer parents → records.
///
/// A candidate's argument spans are mapped to the chosen mention they overlap, of a type the
/// argument accepts; a `holds_role` needs its role, `located_in`/`part_of` both ends. A place
/// whose gazetteer entry names a parent that is also a place entity of the article gets a
/// `part_of` relation (rule "resolve.gazetteer-parent").
struct RelationBuilder {
    let rules: RuleSet

    static let accepts: [String: Set<String>] = [
        "person": ["person"], "role": ["role"], "organization": ["organization"],
        "subject": ["organization", "place"], "object": ["place"],
    ]
    static let required: [String: [String]] = [
        "holds_role": ["role"], "located_in": ["subject", "object"], "part_of": ["subject", "object"],
    ]
    static let argumentOrder: [String: [String]] = [
        "holds_role": ["person", "role", "organization"], "located_in": ["subject", "object"], "part_of": ["subject", "object"],
    ]

    func relations(_ a: Extractor.Analysis, _ chosen: [Resolver.Chosen], _ entities: [ArticleRecord.Entity],
                   _ offsets: OffsetMap) -> [ArticleRecord.Relation] {
        var out: [ArticleRecord.Relation] = []
        var seen = Set<String>()
        func add(_ r: ArticleRecord.Relation) {
            let key = r.type + r.arguments.map { "\($0.0)=\($0.1 ?? "-")" }.joined(separator: ",")
            if seen.insert(key).inserted { out.append(r) }
        }
        // Which chosen mention covers each token: argument spans are looked up token by token.
        var at = [Int](repeating: -1, count: a.tokens.count)
        for (k, c) in chosen.enumerated() where c.entity >= 0 { for t in c.tokens where at[t] < 0 { at[t] = k } }
        for cand in a.relations {
            var args: [String: String] = [:]
            for (role, span) in cand.arguments {
                let ok = Self.accepts[role] ?? []
                if let t = span.first(where: { at[$0] >= 0 && ok.contains(chosen[at[$0]].root) }) {
                    args[role] = entities[chosen[at[t]].entity].id
                }
            }
            guard (Self.required[cand.type] ?? []).allSatisfy({ args[$0] != nil }) else { continue }
            let bytes = a.tokens.byteRange(cand.evidence)
            let order = Self.argumentOrder[cand.type] ?? args.keys.sorted()
            add(ArticleRecord.Relation(type: cand.type, arguments: order.map { ($0, args[$0]) },
                                       start: offsets.codePoint(bytes.lowerBound), end: offsets.codePoint(bytes.upperBound),
                                       rule: rules.ruleName(cand.rule)))
        }
        for r in gazetteerParents(a, chosen, entities, offsets) { add(r) }
        return out
    }

    /// part_of from a place lookup's `parent` attribute, when the parent is named in the article.
    private func gazetteerParents(_ a: Extractor.Analysis, _ chosen: [Resolver.Chosen], _ entities: [ArticleRecord.Entity],
                                  _ offsets: OffsetMap) -> [ArticleRecord.Relation] {
        let fold = FoldTable.shared
        var placeByName: [String: Int] = [:]
        for c in chosen where c.root == "place" && c.entity >= 0 {
            for id in a.store.starting(at: c.tokens.lowerBound) {
                let ann = a.store.items[Int(id)]
                if ann.isLookup, Int(ann.end) <= c.tokens.upperBound {
                    let name = fold.fold(a.article.bytes, a.tokens.byteRange(Int(ann.start)..<Int(ann.end)))
                    if placeByName[name] == nil { placeByName[name] = c.entity }
                }
            }
        }
        var out: [ArticleRecord.Relation] = []
        for c in chosen where c.root == "place" && c.entity >= 0 {
            for id in a.store.starting(at: c.tokens.lowerBound) {
                let ann = a.store.items[Int(id)]
                guard ann.isLookup, Int(ann.end) <= c.tokens.upperBound,
                      let parents = a.store.attribute("parent", of: ann) else { continue }
                let own = fold.fold(a.article.bytes, a.tokens.byteRange(Int(ann.start)..<Int(ann.end)))
                for p in parents.split(separator: "|") {
                    // A unit named like its parent (Bắc Giang city in Bắc Giang province) says nothing.
                    let parent = fold.fold(String(p))
                    guard parent != own, let e = placeByName[parent], e != c.entity else { continue }
                    let bytes = a.tokens.byteRange(c.tokens)
                    out.append(ArticleRecord.Relation(type: "part_of", arguments: [("subject", entities[c.entity].id), ("object", entities[e].id)],
                                                      start: offsets.codePoint(bytes.lowerBound), end: offsets.codePoint(bytes.upperBound),
                                                      rule: "resolve.gazetteer-parent"))
                }
            }
        }
        return out
    }
}
