/// The outcome of scoring a corpus: what `newsfacts eval` prints and the gate compares.
///
/// Produced by `Scorer`; holds per-type strict and partial counts (P/R/F1 derived as in
/// score.py's `prf`), micro totals, value accuracy (score.py's), figure unit accuracy,
/// holds_role and quote accuracy, and per-article strict misses and spurious predictions.
public struct EvaluationResult: Sendable {
    public enum Mode: String, Sendable, CaseIterable { case strict, partial }

    public struct Counts: Sendable, Equatable {
        public var tp = 0, fp = 0, fn = 0
        public init(tp: Int = 0, fp: Int = 0, fn: Int = 0) { self.tp = tp; self.fp = fp; self.fn = fn }
        public var precision: Double { tp + fp > 0 ? Double(tp) / Double(tp + fp) : 0 }
        public var recall: Double { tp + fn > 0 ? Double(tp) / Double(tp + fn) : 0 }
        public var f1: Double {
            let p = precision, r = recall
            return p + r > 0 ? 2 * p * r / (p + r) : 0
        }
        static func + (a: Counts, b: Counts) -> Counts { Counts(tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn) }
    }

    /// `correct` of `total` (0 when there is nothing to measure).
    public struct Tally: Sendable, Equatable {
        public var total = 0, correct = 0
        public init(total: Int = 0, correct: Int = 0) { self.total = total; self.correct = correct }
        public var accuracy: Double { total > 0 ? Double(correct) / Double(total) : 0 }
    }

    /// holds_role relations: gold found (with the right organisation), and predictions that match a gold one.
    public struct RelationTally: Sendable, Equatable {
        public var gold = 0, found = 0, organizationCorrect = 0
        public var predicted = 0, predictedCorrect = 0
        public var recall: Double { gold > 0 ? Double(found) / Double(gold) : 0 }
        public var precision: Double { predicted > 0 ? Double(predictedCorrect) / Double(predicted) : 0 }
    }

    /// Quotes: gold spans found by an overlapping prediction, and those with the right speaker.
    public struct QuoteTally: Sendable, Equatable {
        public var gold = 0, found = 0, speakerCorrect = 0, predicted = 0
        public var recall: Double { gold > 0 ? Double(found) / Double(gold) : 0 }
        public var precision: Double { predicted > 0 ? Double(found) / Double(predicted) : 0 }
        public var speakerAccuracy: Double { found > 0 ? Double(speakerCorrect) / Double(found) : 0 }
    }

    /// A missed gold mention or a spurious prediction (strict matching).
    public struct Difference: Sendable, Equatable {
        public var type: String
        public var start: Int
        public var end: Int
        public var text: String
        /// It overlaps an unmatched mention of the same type on the other side: a boundary error.
        public var boundary: Bool
    }

    public struct ArticleDiff: Sendable {
        public var id: String
        public var missed: [Difference] = []
        public var spurious: [Difference] = []
    }

    public var docs = 0
    public var types: [String]
    public var strict: [String: Counts] = [:]
    public var partial: [String: Counts] = [:]
    /// score.py's value_accuracy: per type, gold values on partial matches (`total`) and equal ones.
    public var values: [String: Tally] = [:]
    /// Figures: gold units on partial matches, and case-insensitively equal predicted units.
    public var units = Tally()
    public var holdsRole = RelationTally()
    public var quotes = QuoteTally()
    /// Per article, in corpus order; only scored types.
    public var articles: [ArticleDiff] = []

    public init(types: [String]) { self.types = types }

    public func counts(_ mode: Mode, _ type: String) -> Counts {
        let table = mode == .strict ? strict : partial
        if type == "micro" { return types.reduce(Counts()) { $0 + (table[$1] ?? Counts()) } }
        return table[type] ?? Counts()
    }

    /// Types that have a value accuracy, in type order (as score.py lists those it measured).
    public var valueTypes: [String] { types.filter { values[$0] != nil } }

    /// The scores the regression gate compares, named as they are printed, in a stable order:
    /// per type (and micro) strict and partial F1, date/figure value accuracy, figure unit
    /// accuracy, holds_role recall/precision, quote recall/precision/speaker accuracy.
    public var gateScores: [(name: String, value: Double)] {
        var out: [(String, Double)] = []
        for t in types + ["micro"] {
            out.append(("\(t) strict F1", counts(.strict, t).f1))
            out.append(("\(t) partial F1", counts(.partial, t).f1))
        }
        for t in ["date", "figure"] where types.contains(t) {
            out.append(("\(t) value accuracy", values[t]?.accuracy ?? 0))
        }
        if types.contains("figure") { out.append(("figure unit accuracy", units.accuracy)) }
        out.append(("holds_role recall", holdsRole.recall))
        out.append(("holds_role precision", holdsRole.precision))
        out.append(("quote recall", quotes.recall))
        out.append(("quote precision", quotes.precision))
        out.append(("quote speaker accuracy", quotes.speakerAccuracy))
        return out
    }
}
