/// ArticleRecord: the output contract of `../shared/spec/records.md` (schema "newsfacts/1").
/// Offsets here are code point offsets into the text as read.
public struct ArticleRecord: Sendable {
    public static let schema = "newsfacts/1"

    public struct Meta: Sendable {
        public var id: String
        public var source: String
        public var published: String?
        public var dateline: String?
        public var title: String?
        public var chars: Int
    }

    public struct Mention: Sendable {
        public var start: Int
        public var end: Int
        public var text: String
        public var sentence: Int
        public var rule: String
    }

    public struct Entity: Sendable {
        public var id: String
        public var type: String
        public var subtype: String?
        public var name: String
        public var folded: String
        public var value: Value?
        public var unit: String?
        public var partOf: String?
        public var mentions: [Mention]
    }

    public enum Value: Sendable, Equatable {
        case string(String)
        case number(Double)
    }

    public struct Relation: Sendable {
        public var type: String
        /// Argument name → entity id (nil written as null).
        public var arguments: [(String, String?)]
        public var start: Int
        public var end: Int
        public var rule: String
    }

    public struct Quote: Sendable {
        public var speaker: String?
        public var start: Int
        public var end: Int
        public var text: String
        public var rule: String
    }

    public var article: Meta
    public var entities: [Entity] = []
    public var relations: [Relation] = []
    public var quotes: [Quote] = []
}
