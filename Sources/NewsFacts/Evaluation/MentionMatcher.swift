/// score.py's `match`: greedy one-to-one matching of gold and predicted mentions of one type.
///
/// Consumes the gold and predicted mentions of one type in one article; produces tp/fp/fn
/// (optional golds neither rewarded nor punished) and which pairs matched. Required golds are
/// taken first, in file order, then optional ones absorb leftover predictions; each gold takes
/// the first unused prediction, in list order, with the same span (strict) or an overlapping
/// one (partial).
public enum MentionMatcher {
    public struct Outcome: Sendable {
        public var tp = 0, fp = 0, fn = 0
        /// (gold index, prediction index) for every matched required gold, in matching order.
        public var pairs: [(gold: Int, pred: Int)] = []
        /// The same for optional golds.
        public var optionalPairs: [(gold: Int, pred: Int)] = []
        /// Required golds left unmatched.
        public var missed: [Int] = []
        /// Predictions left unmatched.
        public var spurious: [Int] = []
    }

    public static func match(gold: [ScoredMention], pred: [ScoredMention], partial: Bool) -> Outcome {
        var out = Outcome()
        var used = [Bool](repeating: false, count: pred.count)
        // a stable sort on `optional`, as Python's sorted(key=...) is
        let order = gold.indices.filter { !gold[$0].optional } + gold.indices.filter { gold[$0].optional }
        for gi in order {
            let g = gold[gi]
            var best: Int?
            for (pi, p) in pred.enumerated() where !used[pi] {
                let ok = partial ? (p.start < g.end && g.start < p.end) : (p.start == g.start && p.end == g.end)
                if ok { best = pi; break }
            }
            if let best {
                used[best] = true
                if g.optional { out.optionalPairs.append((gi, best)) } else { out.tp += 1; out.pairs.append((gi, best)) }
            } else if !g.optional {
                out.fn += 1
                out.missed.append(gi)
            }
        }
        out.spurious = pred.indices.filter { !used[$0] }
        out.fp = out.spurious.count
        return out
    }
}
