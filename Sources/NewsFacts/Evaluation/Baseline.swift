import Foundation

/// The regression gate's baseline: the scores of `EvaluationResult.gateScores` saved as JSON
/// (Corpus/baseline.json by default), and the comparison of a new result against them.
///
/// Consumes a result (to write) or the baseline file (to check); produces pretty JSON
/// (`{"schema", "corpus", "docs", "types", "scores": {name: value}}`, values rounded to 6
/// decimals) or a `Check` listing every score below baseline − tolerance.
public struct Baseline: Sendable {
    public static let schema = "newsfacts-eval-baseline/1"

    public var corpus: String
    public var docs: Int
    public var types: [String]
    public var scores: [(name: String, value: Double)]

    public init(result: EvaluationResult, corpus: String) {
        self.corpus = corpus
        self.docs = result.docs
        self.types = result.types
        self.scores = result.gateScores.map { ($0.name, ($0.value * 1e6).rounded() / 1e6) }
    }

    public init(corpus: String, docs: Int, types: [String], scores: [(name: String, value: Double)]) {
        self.corpus = corpus; self.docs = docs; self.types = types; self.scores = scores
    }

    public func json() -> String {
        let w = JSONWriter(pretty: true)
        w.object {
            w.field("schema") { w.string(Self.schema) }
            w.field("corpus") { w.string(corpus) }
            w.field("docs") { w.number(Double(docs)) }
            w.field("types") { w.array(types, inline: true) { w.string($0) } }
            w.field("scores") { w.object { for s in scores { w.field(s.name) { w.number(s.value) } } } }
        }
        return w.out + "\n"
    }

    public enum LoadError: Error, CustomStringConvertible {
        case missing(String)
        case invalid(String, String)
        public var description: String {
            switch self {
            case .missing(let p): return "\(p): no baseline file"
            case .invalid(let p, let why): return "\(p): invalid baseline: \(why)"
            }
        }
    }

    public static func load(_ path: String) throws -> Baseline {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError.missing(path) }
        let doc: JSONValue
        do { doc = try JSONValue.parse(data) } catch { throw LoadError.invalid(path, "\(error)") }
        guard case .object(let scores)? = doc["scores"] else { throw LoadError.invalid(path, "no \"scores\" object") }
        var list: [(String, Double)] = []
        for name in scores.keys.sorted() {
            guard let v = scores[name]?.number else { throw LoadError.invalid(path, "score \"\(name)\" is not a number") }
            list.append((name, v))
        }
        return Baseline(corpus: doc["corpus"]?.string ?? "", docs: doc["docs"]?.int ?? 0,
                        types: doc["types"]?.array?.compactMap(\.string) ?? Scorer.allTypes, scores: list)
    }

    public struct Regression: Sendable, CustomStringConvertible {
        public var name: String
        /// nil when the result does not measure it any more.
        public var value: Double?
        public var baseline: Double
        public var tolerance: Double
        public var description: String {
            let v = value.map { String(format: "%.3f", $0) } ?? "not measured"
            return "\(name) \(v) < baseline \(String(format: "%.3f", baseline)) − \(Self.format(tolerance))"
        }
        static func format(_ x: Double) -> String {
            var s = String(format: "%.6f", x)
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
            return s
        }
    }

    public struct Check: Sendable {
        public var checked = 0
        public var regressions: [Regression] = []
        /// Scores above baseline + tolerance (the baseline could be raised).
        public var improved: [String] = []
        public var passed: Bool { regressions.isEmpty }
    }

    /// Every baseline score is compared; a score is a regression when it is below
    /// baseline − tolerance (with 1e-6 of slack for the rounding of the file).
    public func check(_ result: EvaluationResult, tolerance: Double) -> Check {
        let current = Dictionary(result.gateScores.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        var out = Check()
        let order = result.gateScores.map(\.name)
        let sorted = scores.sorted { (order.firstIndex(of: $0.name) ?? .max, $0.name) < (order.firstIndex(of: $1.name) ?? .max, $1.name) }
        for s in sorted {
            out.checked += 1
            guard let v = current[s.name] else {
                out.regressions.append(Regression(name: s.name, value: nil, baseline: s.value, tolerance: tolerance))
                continue
            }
            if v < s.value - tolerance - 1e-6 {
                out.regressions.append(Regression(name: s.name, value: v, baseline: s.value, tolerance: tolerance))
            } else if v > s.value + tolerance + 1e-6 {
                out.improved.append(s.name)
            }
        }
        return out
    }
}
