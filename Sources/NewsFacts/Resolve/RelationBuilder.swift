/// Relations: rule candidates (`relate ...` actions) and gazetteer parents → records.
///
/// A candidate's argument spans are mapped to the chosen mention they overlap, of a type the
/// argument accepts; a `holds_role` needs its role, `located_in`/`part_of` both ends. A place
/// whose gazetteer entry names a parent that is also a place entity of the article gets a
/// `part_of` relation (rule "resolve.gazetteer-parent"). The first `part_of` of an entity
/// also sets its `partOf`.
struct RelationBuilder {
    let rules: RuleSet
    typealias Root = TypeFacts.Root

    /// An argument: its role and the entity (index) it names, if any.
    struct Argument: Equatable {
        var role: String
        var entity: Int?
    }

    /// A relation as found, before entity indices become ids; also what duplicates share.
    struct Found: Hashable {
        var type: String
        var arguments: [Argument]

        /// The entities alone: cheap to hash, and they tell relations apart well enough.
        func hash(into hasher: inout Hasher) {
            for a in arguments { hasher.combine(a.entity ?? -1) }
        }
    }

    /// The roots an argument role accepts, one bit per `Root`: worked out once per argument,
    /// not per token of its span (a `String` switch).
    static func accepted(_ role: String) -> UInt8 {
        func bit(_ r: Root) -> UInt8 { 1 << r.rawValue }
        switch role {
        case "person": return bit(.person)
        case "role": return bit(.role)
        case "organization": return bit(.organization)
        case "subject": return bit(.organization) | bit(.place)
        case "object": return bit(.place)
        default: return 0
        }
    }

    static func required(_ type: String) -> [String] {
        switch type {
        case "holds_role": return ["role"]
        case "located_in", "part_of": return ["subject", "object"]
        default: return []
        }
    }

    /// Argument roles in output order, or nil for a type of the user's rules (roles sorted).
    static func argumentOrder(_ type: String) -> [String]? {
        switch type {
        case "holds_role": return ["person", "role", "organization"]
        case "located_in", "part_of": return ["subject", "object"]
        default: return nil
        }
    }

    func relations(_ a: Extractor.Analysis, _ chosen: [Resolver.Chosen], _ entities: inout [ArticleRecord.Entity],
                   _ offsets: OffsetMap, _ names: inout TextIDs) -> [ArticleRecord.Relation] {
        var out: [ArticleRecord.Relation] = []
        // Made at the first relation, with room for most: many short articles have none.
        var seen: Set<Found>? = nil
        func add(_ found: Found, _ evidence: Range<Int>, _ rule: String) {
            if seen == nil { seen = Set(minimumCapacity: a.relations.count + 8) }
            guard seen!.insert(found).inserted else { return }
            let bytes = a.tokens.byteRange(evidence)
            out.append(ArticleRecord.Relation(type: found.type, arguments: found.arguments.map { ($0.role, $0.entity.map { entities[$0].id }) },
                                              start: offsets.codePoint(bytes.lowerBound), end: offsets.codePoint(bytes.upperBound),
                                              rule: rule))
            if found.type == "part_of", let subject = found.arguments[0].entity, let object = found.arguments[1].entity,
               entities[subject].partOf == nil {
                entities[subject].partOf = entities[object].id
            }
        }
        // Which chosen mention covers each token: argument spans are looked up token by token.
        var at = [Int32](repeating: -1, count: a.relations.isEmpty ? 0 : a.tokens.count)
        if !a.relations.isEmpty {
            for (k, c) in chosen.enumerated() where c.entity >= 0 { for t in c.tokens where at[t] < 0 { at[t] = Int32(k) } }
        }
        for cand in a.relations {
            var args: [Argument] = []   // a few roles: a list, not a dictionary
            args.reserveCapacity(cand.arguments.count)
            for (role, span) in cand.arguments {
                let accepted = Self.accepted(role)
                guard let t = span.first(where: { at[$0] >= 0 && accepted & 1 << chosen[Int(at[$0])].root.rawValue != 0 }) else { continue }
                let e = chosen[Int(at[t])].entity
                if let i = args.firstIndex(where: { $0.role == role }) { args[i].entity = e } else { args.append(Argument(role: role, entity: e)) }
            }
            func entity(_ role: String) -> Int? { args.first { $0.role == role }?.entity }
            guard Self.required(cand.type).allSatisfy({ entity($0) != nil }) else { continue }
            let order = Self.argumentOrder(cand.type) ?? args.map(\.role).sorted()
            add(Found(type: cand.type, arguments: order.map { Argument(role: $0, entity: entity($0)) }), cand.evidence,
                rules.ruleName(cand.rule))
        }
        for p in gazetteerParents(a, chosen, &names) {
            add(Found(type: "part_of", arguments: [Argument(role: "subject", entity: p.place), Argument(role: "object", entity: p.parent)]),
                p.evidence, "resolve.gazetteer-parent")
        }
        return out
    }

    // Named structs rather than tuples for the arrays below: the runtime makes the type of
    // an array of tuples from its mangled name, at a cost of some ten thousand instructions.

    /// A gazetteer lookup inside a place mention: the mention, the lookup's folded name, its
    /// attributes.
    private struct PlaceLookup {
        var place: Resolver.Chosen
        var name: Int32
        var attributes: Int32
    }

    /// A place entity inside a parent entity, and the place's tokens.
    private struct ParentOf {
        var place: Int
        var parent: Int
        var evidence: Range<Int>
    }

    /// part_of from a place lookup's `parent` attribute, when the parent is named in the article.
    private func gazetteerParents(_ a: Extractor.Analysis, _ chosen: [Resolver.Chosen],
                                  _ names: inout TextIDs) -> [ParentOf] {
        // A parent is another place entity: with fewer than two, there is nothing to find.
        let places = chosen.lazy.filter { $0.root == .place && $0.entity >= 0 }
        guard let firstPlace = places.first?.entity, places.contains(where: { $0.entity != firstPlace }) else { return [] }
        // The lookups inside place mentions (starting at their first token), by folded name.
        var lookups: [PlaceLookup] = []
        lookups.reserveCapacity(chosen.count)
        var placeByName = TextIDMap()
        var placeFirstBytes = ByteSet()   // of the names in placeByName
        for c in chosen where c.root == .place && c.entity >= 0 {
            var last: (end: Int32, name: Int32) = (-1, -1)   // lookups of one span (several types) share a name
            for id in a.store.starting(at: c.tokens.lowerBound) {
                let ann = a.store.items[Int(id)]
                guard ann.isLookup, Int(ann.end) <= c.tokens.upperBound else { continue }
                // Most lookups are the whole mention, whose folded name is known already.
                let name = Int(ann.end) == c.tokens.upperBound ? c.name : ann.end == last.end ? last.name
                    : names.folded(a.article.bytes, a.tokens.byteRange(Int(ann.start)..<Int(ann.end)), add: true)!
                last = (ann.end, name)
                placeByName.setFirst(name, c.entity)
                lookups.append(PlaceLookup(place: c, name: name, attributes: ann.attributes))
                if let b = names.firstByte(name) { placeFirstBytes.insert(b) }
            }
        }
        var out: [ParentOf] = []
        for lookup in lookups where lookup.attributes >= 0 {
            let c = lookup.place
            guard var parents = Attributes(a.store.attributes[Int(lookup.attributes)])["parent"] else { continue }
            parents.withUTF8 { list in
                // The names between "|" marks, empty ones left out.
                var start = 0
                for end in 0...list.count where end == list.count || list[end] == UInt8(ascii: "|") {
                    let part = UnsafeBufferPointer(rebasing: list[start..<end])
                    start = end + 1
                    // Most parents are ruled out by their first letter, without being folded.
                    if let b = TextIDs.foldedFirstByte(part), !placeFirstBytes.contains(b) { continue }
                    // A unit named like its parent (Bắc Giang city in Bắc Giang province) says nothing.
                    guard !part.isEmpty, let parent = names.folded(part, add: false), parent != lookup.name,
                          let e = placeByName[parent], e != c.entity else { continue }
                    out.append(ParentOf(place: c.entity, parent: e, evidence: c.tokens))
                }
            }
        }
        return out
    }
}
