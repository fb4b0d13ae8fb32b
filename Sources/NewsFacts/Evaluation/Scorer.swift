/// The scorer: gold documents + predictions → `EvaluationResult`, reproducing
/// /work/shared/tools/score.py (the reference) and adding unit, holds_role and quote accuracy.
///
/// Per article: predictions overlapping a dropped markable are removed; then, for each scored
/// type the gold annotates (`annotated_types`), gold and predicted mentions of that type are
/// matched strictly and partially (`MentionMatcher`). Value accuracy counts the gold values
/// (dates, figures) of required golds matched partially, equal as score.py compares them.
/// Unit accuracy does the same for figure units, case-insensitively. Relations and quotes are
/// scored by `LinkScorer` on articles whose gold has them.
public struct Scorer: Sendable {
    /// score.py's TYPES, in its order.
    public static let allTypes = ["person", "organization", "place", "date", "figure", "role"]

    public var types: [String]

    public init(types: [String] = Scorer.allTypes) { self.types = types }

    public func score(_ documents: [(gold: GoldDocument, prediction: Prediction)]) -> EvaluationResult {
        var result = EvaluationResult(types: types)
        for d in documents { add(d.gold, d.prediction, to: &result) }
        return result
    }

    public func add(_ gold: GoldDocument, _ prediction: Prediction, to result: inout EvaluationResult) {
        result.docs += 1
        let preds = prediction.mentions.filter { p in !gold.dropped.contains { p.overlaps($0) } }
        var diff = EvaluationResult.ArticleDiff(id: gold.id)
        for t in types {
            if let annotated = gold.annotatedTypes, !annotated.contains(t) { continue }
            let g = gold.mentions.filter { $0.type == t }
            let p = preds.filter { $0.type == t }

            let strict = MentionMatcher.match(gold: g, pred: p, partial: false)
            result.strict[t, default: .init()].tp += strict.tp
            result.strict[t, default: .init()].fp += strict.fp
            result.strict[t, default: .init()].fn += strict.fn
            let missed = strict.missed.map { g[$0] }, spurious = strict.spurious.map { p[$0] }
            diff.missed += missed.map { m in
                .init(type: t, start: m.start, end: m.end, text: m.text, boundary: spurious.contains { $0.overlaps(m) })
            }
            diff.spurious += spurious.map { m in
                .init(type: t, start: m.start, end: m.end, text: m.text, boundary: missed.contains { $0.overlaps(m) })
            }

            let partial = MentionMatcher.match(gold: g, pred: p, partial: true)
            result.partial[t, default: .init()].tp += partial.tp
            result.partial[t, default: .init()].fp += partial.fp
            result.partial[t, default: .init()].fn += partial.fn
            for (gi, pi) in partial.pairs {
                let gm = g[gi], pm = p[pi]
                if let gv = gm.value, t == "date" || t == "figure" {
                    result.values[t, default: .init()].total += 1
                    if JSONValue.pythonValueEqual(pm.value, gv) { result.values[t, default: .init()].correct += 1 }
                }
                if t == "figure", let gu = gm.unit {
                    result.units.total += 1
                    if let pu = pm.unit, Self.unitKey(pu) == Self.unitKey(gu) { result.units.correct += 1 }
                }
            }
        }
        diff.missed.sort { ($0.start, $0.end) < ($1.start, $1.end) }
        diff.spurious.sort { ($0.start, $0.end) < ($1.start, $1.end) }
        result.articles.append(diff)
        if gold.relations != nil || gold.quotes != nil {
            LinkScorer(gold: gold, predictions: preds).score(prediction, into: &result)
        }
    }

    static func unitKey(_ s: String) -> String {
        s.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
