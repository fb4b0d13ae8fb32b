/// JSON writing of `ArticleRecord`s: keys in the order of records.md, compact (`jsonl`) or
/// indented (`json`). Written by hand: key order is part of readability, and it is fast.
public enum RecordJSON {
    public static func encode(_ r: ArticleRecord, pretty: Bool) -> String {
        let w = JSONWriter(pretty: pretty)
        w.object {
            w.field("schema") { w.string(ArticleRecord.schema) }
            w.field("article") { meta(w, r.article) }
            w.field("entities") { w.array(r.entities) { entity(w, $0) } }
            w.field("relations") { w.array(r.relations) { relation(w, $0) } }
            w.field("quotes") { w.array(r.quotes) { quote(w, $0) } }
        }
        return w.out
    }

    static func meta(_ w: JSONWriter, _ m: ArticleRecord.Meta) {
        w.object {
            w.field("id") { w.string(m.id) }
            w.field("source") { w.string(m.source) }
            w.field("published") { w.optional(m.published) }
            w.field("dateline") { w.optional(m.dateline) }
            w.field("title") { w.optional(m.title) }
            w.field("chars") { w.number(Double(m.chars)) }
        }
    }

    static func entity(_ w: JSONWriter, _ e: ArticleRecord.Entity) {
        w.object {
            w.field("id") { w.string(e.id) }
            w.field("type") { w.string(e.type) }
            if let s = e.subtype { w.field("subtype") { w.string(s) } }
            w.field("name") { w.string(e.name) }
            w.field("folded") { w.string(e.folded) }
            if e.type == "date" || e.type == "figure" {
                w.field("value") {
                    switch e.value {
                    case .string(let s)?: w.string(s)
                    case .number(let n)?: w.number(n)
                    case nil: w.null()
                    }
                }
            }
            if e.type == "figure" { w.field("unit") { w.optional(e.unit) } }
            if let p = e.partOf { w.field("part_of") { w.string(p) } }
            w.field("mentions") {
                w.array(e.mentions) { m in
                    w.object(inline: true) {
                        w.field("start") { w.number(Double(m.start)) }
                        w.field("end") { w.number(Double(m.end)) }
                        w.field("text") { w.string(m.text) }
                        w.field("sentence") { w.number(Double(m.sentence)) }
                        w.field("rule") { w.string(m.rule) }
                    }
                }
            }
        }
    }

    static func relation(_ w: JSONWriter, _ r: ArticleRecord.Relation) {
        w.object(inline: true) {
            w.field("type") { w.string(r.type) }
            for (k, v) in r.arguments { w.field(k) { w.optional(v) } }
            w.field("start") { w.number(Double(r.start)) }
            w.field("end") { w.number(Double(r.end)) }
            w.field("rule") { w.string(r.rule) }
        }
    }

    static func quote(_ w: JSONWriter, _ q: ArticleRecord.Quote) {
        w.object(inline: true) {
            w.field("speaker") { w.optional(q.speaker) }
            w.field("start") { w.number(Double(q.start)) }
            w.field("end") { w.number(Double(q.end)) }
            w.field("text") { w.string(q.text) }
            w.field("rule") { w.string(q.rule) }
        }
    }
}

/// A small streaming JSON writer.
public final class JSONWriter {
    public private(set) var out = ""
    let pretty: Bool
    private var depth = 0
    private var first = [true]
    private var inlineDepth = Int.max

    public init(pretty: Bool) { self.pretty = pretty }

    private var multiline: Bool { pretty && depth < inlineDepth }

    private func newline() {
        guard multiline else { return }
        out += "\n" + String(repeating: "  ", count: depth)
    }

    private func separator() {
        if first[first.count - 1] { first[first.count - 1] = false } else { out += pretty && !multiline ? ", " : "," }
    }

    public func object(inline: Bool = false, _ body: () -> Void) {
        open("{", inline: inline)
        body()
        close("}")
    }

    public func array<T>(_ items: [T], inline: Bool = false, _ each: (T) -> Void) {
        open("[", inline: inline)
        for item in items {
            separator()
            newline()
            each(item)
        }
        close("]")
    }

    private func open(_ c: String, inline: Bool) {
        out += c
        depth += 1
        first.append(true)
        if inline && depth < inlineDepth { inlineDepth = depth }
    }

    private func close(_ c: String) {
        let wasEmpty = first.removeLast()
        let wasMultiline = multiline
        depth -= 1
        if !wasEmpty && wasMultiline { out += "\n" + String(repeating: "  ", count: depth) }
        if depth < inlineDepth { inlineDepth = .max }
        out += c
    }

    public func field(_ key: String, _ value: () -> Void) {
        separator()
        newline()
        string(key)
        out += pretty ? ": " : ":"
        value()
    }

    public func null() { out += "null" }

    public func bool(_ b: Bool) { out += b ? "true" : "false" }

    public func optional(_ s: String?) { if let s { string(s) } else { null() } }

    public func number(_ n: Double) {
        if n == n.rounded(), abs(n) < 1e15 { out += String(Int64(n)) } else { out += String(n) }
    }

    public func string(_ s: String) {
        let plain = s.utf8.withContiguousStorageIfAvailable { b in
            !b.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        } ?? false
        if plain {
            out += "\""   // nothing to escape: one append
            out += s
            out += "\""
            return
        }
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
