/// Explanation: an analysis and its record → readable lines saying which rule or list made
/// each annotation, where, with which attributes, and whether it reached the output; and
/// which mentions the resolver added (short names, aliases) and the entity each joined.
public struct Explanation {
    let analysis: Extractor.Analysis
    let record: ArticleRecord
    let rules: RuleSet

    public init(analysis: Extractor.Analysis, record: ArticleRecord, rules: RuleSet) {
        self.analysis = analysis
        self.record = record
        self.rules = rules
    }

    /// Annotations overlapping `window` (code points), or all rule annotations when nil.
    public func lines(in window: Range<Int>?, lookups: Bool) -> [String] {
        let offsets = OffsetMap(analysis.article.bytes)
        func shown(_ start: Int, _ end: Int) -> Bool { window.map { start < $0.upperBound && $0.lowerBound < end } ?? true }
        var output = Set<String>()
        for e in record.entities { for m in e.mentions { output.insert("\(e.type)|\(m.start)|\(m.end)") } }
        var rows: [(Int, String)] = []
        for a in analysis.store.items {
            if a.isLookup && !lookups { continue }
            let bytes = analysis.tokens.byteRange(Int(a.start)..<Int(a.end))
            let s = offsets.codePoint(bytes.lowerBound), e = offsets.codePoint(bytes.upperBound)
            if !shown(s, e) { continue }
            let type = rules.types.name(a.type)
            let root = rules.types.name(rules.types.root(a.type))
            let mark = output.contains("\(root)|\(s)|\(e)") && !a.isLookup ? "*" : " "
            let attrs = analysis.store.attributes(of: a).map { "\($0.0)=\($0.1)" }.joined(separator: ";")
            var where_ = rules.ruleName(a.rule)
            if a.rule >= 0 { where_ += " (\(rules.rules[Int(a.rule)].location))" }
            rows.append((s, "\(mark) \(s)..<\(e)  \(type)  \"\(analysis.article.text(bytes))\"  \(where_)\(attrs.isEmpty ? "" : "  [\(attrs)]")"))
        }
        for e in record.entities {
            for m in e.mentions where m.rule.hasPrefix("resolve.") {
                if !shown(m.start, m.end) { continue }
                rows.append((m.start, "* \(m.start)..<\(m.end)  \(e.type)  \"\(m.text)\"  \(m.rule) → \(e.id) \"\(e.name)\""))
            }
        }
        for r in record.relations {
            if !shown(r.start, r.end) { continue }
            let args = r.arguments.map { "\($0.0)=\($0.1 ?? "null")" }.joined(separator: " ")
            rows.append((r.start, "R \(r.start)..<\(r.end)  \(r.type) \(args)  \(r.rule)"))
        }
        for q in record.quotes {
            if !shown(q.start, q.end) { continue }
            rows.append((q.start, "Q \(q.start)..<\(q.end)  speaker=\(q.speaker ?? "null")  \(q.rule)"))
        }
        return rows.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
