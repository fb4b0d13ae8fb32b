import Foundation

/// One gold annotation file (../shared/spec/annotation.md, and the converted MEANTIME/GUM sets).
///
/// Consumes the JSON of `<id>.gold.json` or `<id>.json`; produces the flattened gold mentions
/// exactly as score.py's `flatten(doc, gold=True)` does (a `named` that is present and not
/// `true` makes the mention optional, as does `calendar_like: false`; `dropped_markables`
/// become spans that remove overlapping predictions), plus quotes, relations, the published
/// date and the `annotated_types` restriction.
public struct GoldDocument: Sendable {
    public var id: String
    public var published: String?
    /// Flattened mentions, in file order; the scorer filters by type.
    public var mentions: [ScoredMention]
    /// Spans the gold chose not to type: predictions overlapping one are ignored.
    public var dropped: [Range<Int>]
    /// Types annotated in this file; nil = all.
    public var annotatedTypes: [String]?
    /// nil when the file has no `quotes` key (quotes not annotated).
    public var quotes: [GoldQuote]?
    /// nil when the file has no `relations` key.
    public var relations: [GoldRelation]?

    public struct GoldQuote: Sendable, Equatable {
        public var speaker: String?
        public var start: Int
        public var end: Int
        public var text: String
        public init(speaker: String?, start: Int, end: Int, text: String = "") {
            self.speaker = speaker; self.start = start; self.end = end; self.text = text
        }
    }

    public struct GoldRelation: Sendable, Equatable {
        public var type: String
        /// Argument → entity label (or, for `role`, the role text); nil when null.
        public var arguments: [String: String?]
        public init(type: String, arguments: [String: String?]) { self.type = type; self.arguments = arguments }
        public func argument(_ name: String) -> String? { arguments[name] ?? nil }
    }

    public enum LoadError: Error, CustomStringConvertible {
        case unreadable(String)
        case invalid(String, String)
        public var description: String {
            switch self {
            case .unreadable(let p): return "\(p): cannot read gold file"
            case .invalid(let p, let why): return "\(p): invalid gold: \(why)"
            }
        }
    }

    public static func load(path: String, id: String) throws -> GoldDocument {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError.unreadable(path) }
        do { return try parse(data, id: id) } catch let e as LoadError {
            if case .invalid(_, let why) = e { throw LoadError.invalid(path, why) }
            throw e
        } catch {
            throw LoadError.invalid(path, "\(error)")
        }
    }

    /// Parses gold JSON; `id` is used when the file has none.
    public static func parse(_ data: Data, id: String) throws -> GoldDocument {
        let doc = try JSONValue.parse(data)
        guard case .object = doc else { throw LoadError.invalid(id, "not a JSON object") }
        var mentions: [ScoredMention] = []
        for (i, m) in (doc["mentions"]?.array ?? []).enumerated() {
            guard let start = m["start"]?.int, let end = m["end"]?.int else {
                throw LoadError.invalid(id, "mention \(i) has no start/end")
            }
            var optional = m["optional"]?.truthy ?? false
            if let named = m["named"], named != .bool(true) { optional = true }
            if m["calendar_like"] == .bool(false) { optional = true }
            // score.py: gm.get("value", attributes.get("value")); a present null stays None
            var value: JSONValue?
            if let v = m["value"] { value = v == .null ? nil : v }
            else if case .object(let attrs)? = m["attributes"], let v = attrs["value"], v != .null { value = v }
            mentions.append(ScoredMention(type: m["type"]?.string ?? "", start: start, end: end,
                                          text: m["text"]?.string ?? "", optional: optional, value: value,
                                          unit: m["unit"]?.string, entity: m["entity"]?.string))
        }
        var dropped: [Range<Int>] = []
        for d in doc["dropped_markables"]?.array ?? [] {
            guard let s = d["start"]?.int, let e = d["end"]?.int else { continue }
            dropped.append(s..<max(s, e))
        }
        let quotes = doc["quotes"]?.array.map { list in
            list.compactMap { q -> GoldQuote? in
                guard let s = q["start"]?.int, let e = q["end"]?.int else { return nil }
                return GoldQuote(speaker: q["speaker"]?.string, start: s, end: e, text: q["text"]?.string ?? "")
            }
        }
        let relations = doc["relations"]?.array.map { list in
            list.compactMap { r -> GoldRelation? in
                guard case .object(let o) = r, let type = o["type"]?.string else { return nil }
                var args: [String: String?] = [:]
                for (k, v) in o where k != "type" { args[k] = v.string }
                return GoldRelation(type: type, arguments: args)
            }
        }
        return GoldDocument(id: doc["id"]?.string ?? id, published: doc["published"]?.string, mentions: mentions,
                            dropped: dropped, annotatedTypes: doc["annotated_types"]?.array?.compactMap(\.string),
                            quotes: quotes, relations: relations)
    }
}
