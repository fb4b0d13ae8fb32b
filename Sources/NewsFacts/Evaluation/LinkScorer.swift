/// holds_role and quote accuracy for one article.
///
/// Consumes the gold (mentions with `entity` labels, `relations`, `quotes`) and the predicted
/// mentions, relations and quotes; adds to `EvaluationResult.holdsRole` and `.quotes`.
/// Predicted entity ids are mapped to gold labels through partial matches: every predicted
/// mention matched (one-to-one, as in `MentionMatcher`, optional golds included) to a gold
/// mention of the same type that carries a label gives its entity that label.
/// A gold holds_role is found when a predicted one has the same person (both null, or the
/// predicted person maps to the gold label) and a role entity whose name or a mention folds
/// equal to the gold role text; when the gold person is null the organisation must match too.
/// A gold quote is found by the first unused predicted quote that overlaps it; its speaker is
/// correct when the predicted speaker maps to the gold speaker label.
struct LinkScorer {
    let gold: GoldDocument
    /// Predicted entity id → gold entity labels.
    let labels: [String: Set<String>]

    init(gold: GoldDocument, predictions: [ScoredMention]) {
        self.gold = gold
        var labels: [String: Set<String>] = [:]
        for t in Set(gold.mentions.map(\.type)) {
            let g = gold.mentions.filter { $0.type == t }
            let p = predictions.filter { $0.type == t }
            let outcome = MentionMatcher.match(gold: g, pred: p, partial: true)
            for (gi, pi) in outcome.pairs + outcome.optionalPairs {
                guard let label = g[gi].entity, let id = p[pi].entity else { continue }
                labels[id, default: []].insert(label)
            }
        }
        self.labels = labels
    }

    static func fold(_ s: String) -> String {
        FoldTable.shared.fold(s.lowercased()).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Both null, or the predicted entity maps to the gold label.
    func same(_ id: String?, _ label: String?) -> Bool {
        guard let label else { return id == nil }
        guard let id else { return false }
        return labels[id]?.contains(label) ?? false
    }

    func score(_ prediction: Prediction, into result: inout EvaluationResult) {
        if let relations = gold.relations {
            let golds = relations.filter { $0.type == "holds_role" }
            let preds = prediction.holdsRoles
            func matches(_ g: GoldDocument.GoldRelation, _ r: Prediction.HoldsRole) -> Bool {
                guard same(r.person, g.argument("person")) else { return false }
                guard let roleText = g.argument("role"), let role = r.role,
                      let texts = prediction.entityTexts[role] else { return false }
                let key = Self.fold(roleText)
                guard texts.contains(where: { Self.fold($0) == key }) else { return false }
                return g.argument("person") != nil || same(r.organization, g.argument("organization"))
            }
            result.holdsRole.gold += golds.count
            result.holdsRole.predicted += preds.count
            for g in golds {
                let found = preds.filter { matches(g, $0) }
                if !found.isEmpty { result.holdsRole.found += 1 }
                if found.contains(where: { same($0.organization, g.argument("organization")) }) {
                    result.holdsRole.organizationCorrect += 1
                }
            }
            result.holdsRole.predictedCorrect += preds.filter { r in golds.contains { matches($0, r) } }.count
        }
        if let quotes = gold.quotes {
            let preds = prediction.quotes
            var used = [Bool](repeating: false, count: preds.count)
            result.quotes.gold += quotes.count
            result.quotes.predicted += preds.count
            for g in quotes {
                guard let pi = preds.indices.first(where: { !used[$0] && preds[$0].start < g.end && g.start < preds[$0].end })
                else { continue }
                used[pi] = true
                result.quotes.found += 1
                if same(preds[pi].speaker, g.speaker) { result.quotes.speakerCorrect += 1 }
            }
        }
    }
}
