/// A mention as the scorer sees it, gold or predicted: type, code point span, and what value
/// scoring needs.
public struct ScoredMention: Sendable, Equatable {
    public var type: String
    public var start: Int
    public var end: Int
    public var text: String
    /// Gold only: acceptable but not required.
    public var optional: Bool
    /// Gold: the value score.py compares (nil = none). Prediction: the entity's value.
    public var value: JSONValue?
    public var unit: String?
    /// Gold: the entity label. Prediction: the entity id.
    public var entity: String?

    public init(type: String, start: Int, end: Int, text: String = "", optional: Bool = false,
                value: JSONValue? = nil, unit: String? = nil, entity: String? = nil) {
        self.type = type; self.start = start; self.end = end; self.text = text
        self.optional = optional; self.value = value; self.unit = unit; self.entity = entity
    }

    func overlaps(_ o: ScoredMention) -> Bool { start < o.end && o.start < end }
    func overlaps(_ r: Range<Int>) -> Bool { start < r.upperBound && r.lowerBound < end }
}

/// What the scorer needs from one extracted article.
///
/// Consumes an `ArticleRecord`; produces its mentions flattened as score.py's `flatten` does
/// for the record form (entities in order, then their mentions in order, value and unit from
/// the entity), its holds_role relations, its quotes, and the texts of each entity (for
/// comparing role texts).
public struct Prediction: Sendable {
    public struct HoldsRole: Sendable, Equatable {
        public var person: String?
        public var role: String?
        public var organization: String?
        public init(person: String?, role: String?, organization: String?) {
            self.person = person; self.role = role; self.organization = organization
        }
    }

    public struct Quote: Sendable, Equatable {
        public var speaker: String?
        public var start: Int
        public var end: Int
        public init(speaker: String?, start: Int, end: Int) { self.speaker = speaker; self.start = start; self.end = end }
    }

    public var mentions: [ScoredMention]
    public var holdsRoles: [HoldsRole]
    public var quotes: [Quote]
    /// Entity id → its name and mention texts.
    public var entityTexts: [String: [String]]

    public init(mentions: [ScoredMention], holdsRoles: [HoldsRole] = [], quotes: [Quote] = [],
                entityTexts: [String: [String]] = [:]) {
        self.mentions = mentions; self.holdsRoles = holdsRoles; self.quotes = quotes; self.entityTexts = entityTexts
    }

    public static let empty = Prediction(mentions: [])

    public init(record: ArticleRecord) {
        var mentions: [ScoredMention] = []
        var texts: [String: [String]] = [:]
        for e in record.entities {
            let value: JSONValue?
            switch e.value {
            case .string(let s)?: value = .string(s)
            case .number(let n)?: value = .number(n)
            case nil: value = nil
            }
            for m in e.mentions {
                mentions.append(ScoredMention(type: e.type, start: m.start, end: m.end, text: m.text,
                                              value: value, unit: e.unit, entity: e.id))
            }
            texts[e.id] = [e.name] + e.mentions.map(\.text)
        }
        let roles = record.relations.filter { $0.type == "holds_role" }.map { r -> HoldsRole in
            func arg(_ k: String) -> String? { r.arguments.first(where: { $0.0 == k })?.1 ?? nil }
            return HoldsRole(person: arg("person"), role: arg("role"), organization: arg("organization"))
        }
        self.init(mentions: mentions, holdsRoles: roles,
                  quotes: record.quotes.map { Quote(speaker: $0.speaker, start: $0.start, end: $0.end) },
                  entityTexts: texts)
    }
}
