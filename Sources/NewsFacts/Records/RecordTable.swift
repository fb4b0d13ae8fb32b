/// A readable text rendering of an `ArticleRecord` for people (`extract --format table`):
/// the article line, then entities, relations and quotes, one per line, with names in place of
/// entity ids.
public enum RecordTable {
    public static func render(_ r: ArticleRecord) -> String {
        var lines: [String] = []
        let a = r.article
        lines.append("== \(a.source)  published \(a.published ?? "-")  dateline \(a.dateline ?? "-")  \(a.chars) chars")
        if let t = a.title { lines.append("   title: \(t)") }
        let names = Dictionary(r.entities.map { ($0.id, $0.name) }, uniquingKeysWith: { x, _ in x })
        lines.append(row(["id", "type", "name", "value", "mentions", "first at", "rule"]))
        for e in r.entities {
            var type = e.type
            if let s = e.subtype { type += "/" + s }
            var value = ""
            switch e.value {
            case .string(let s)?: value = s
            case .number(let n)?: value = n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
            case nil: value = e.type == "date" || e.type == "figure" ? "?" : ""
            }
            if let u = e.unit { value += " " + u }
            if let p = e.partOf, let n = names[p] { value += (value.isEmpty ? "" : " ") + "in " + n }
            let m = e.mentions[0]
            lines.append(row([e.id, type, e.name, value, String(e.mentions.count), String(m.start), m.rule]))
        }
        for rel in r.relations {
            let args = rel.arguments.map { "\($0.0)=\($0.1.flatMap { names[$0] } ?? "-")" }.joined(separator: "  ")
            lines.append("   \(rel.type): \(args)   [\(rel.rule)]")
        }
        for q in r.quotes {
            let text = q.text.count > 70 ? String(q.text.prefix(67)) + "..." : q.text
            lines.append("   quote by \(q.speaker.flatMap { names[$0] } ?? "?"): “\(text)”   [\(q.rule)]")
        }
        return lines.joined(separator: "\n")
    }

    static let widths = [5, 22, 34, 24, 10, 10, 0]

    static func row(_ cells: [String]) -> String {
        var out = "   "
        for (cell, width) in zip(cells, widths) {
            let c = width > 0 && cell.count > width - 1 ? String(cell.prefix(width - 2)) + "…" : cell
            out += width > 0 ? c.padding(toLength: width, withPad: " ", startingAt: 0) : c
        }
        return out
    }
}
