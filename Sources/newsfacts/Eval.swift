import ArgumentParser
import Foundation
import NewsFacts

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score extraction against a gold corpus; diff it; gate it against a baseline.",
        discussion: """
        Extracts every <id>.txt of the corpus and scores it against its gold
        (<id>.gold.json, or <id>.json as in ../shared/data/meantime-dev), with the
        counts of ../shared/tools/score.py, the reference scorer.

        Table, per type and for all types together (micro):
          strict  P R F1   same type and same span
          partial P R F1   same type and overlapping spans (boundaries forgiven)
          tp/fp/fn         gold found / predicted but not gold / gold missed,
                           strict then partial
        P = tp/(tp+fp), R = tp/(tp+fn), F1 = 2PR/(P+R). Each gold and each
        prediction is used at most once. Optional gold is neither required nor
        punished; in MEANTIME/GUM gold, mentions not `named: true` and the
        `dropped_markables` are optional, and only `annotated_types` count.
        Below the table:
          value accuracy  dates, figures: equal values on partial matches
          unit accuracy   figures: units equal ignoring case
          holds_role      gold relations found (same person, role text equal
                          when folded), how many with the right organisation,
                          and the precision of the predicted ones
          quotes          gold quotes overlapped by a predicted one, precision,
                          and how many found have the right speaker

        Gate: --update-baseline saves the gated scores (per type strict and partial
        F1, micro, value/unit accuracy, holds_role and quote scores); --check names
        on stderr every score below baseline - tolerance.

        Exit status: 0 ok; 1 an article or gold file could not be read (the rest is
        still scored); 2 the rules failed to load; 3 the gate failed, or there is no
        baseline to check; 64 bad usage.

        Examples:
          newsfacts eval                          # Corpus/articles, table
          newsfacts eval --diff --types place     # places missed, spurious
          newsfacts eval --corpus ../shared/data/meantime-dev
          newsfacts eval --format json > scores.json
          newsfacts eval --update-baseline        # after an intended change
          newsfacts eval --check                  # CI: exit 3 on regression
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(help: ArgumentHelp("Directory of <id>.txt with <id>.gold.json or <id>.json.", valueName: "dir"))
    var corpus = "Corpus/articles"

    @Option(help: "table for people, json for scripts (score.py's --json shape plus more).")
    var format: Format = .table

    @Flag(help: "Per article, list the missed gold mentions and the spurious predictions (strict matching; '~' marks a boundary error). Always included in --format json.")
    var diff = false

    @Flag(help: "Compare with the baseline; exit 3 if any score is below baseline − tolerance.")
    var check = false

    @Flag(help: "Write the current scores as the new baseline.")
    var updateBaseline = false

    @Option(help: ArgumentHelp("The baseline file.", valueName: "file"))
    var baseline = "Corpus/baseline.json"

    @Option(help: ArgumentHelp("How far below the baseline a score may fall, in absolute F1 / accuracy points (0.01 = one point of 100).", valueName: "x"))
    var tolerance = 0.01

    @Option(help: ArgumentHelp("Comma-separated types to score (default: all: \(Scorer.allTypes.joined(separator: ","))).", valueName: "a,b"))
    var types: String?

    @OptionGroup var rules: RuleOptions

    func validate() throws {
        if check && updateBaseline { throw ValidationError("--check and --update-baseline cannot be used together") }
        guard tolerance >= 0 else { throw ValidationError("--tolerance must be 0 or more, got \(tolerance)") }
        _ = try typeList()
    }

    func typeList() throws -> [String] {
        guard let types else { return Scorer.allTypes }
        let list = types.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for t in list where !Scorer.allTypes.contains(t) {
            throw ValidationError("unknown type '\(t)' in --types; the types are \(Scorer.allTypes.joined(separator: ","))")
        }
        guard !list.isEmpty else { throw ValidationError("--types names no type") }
        return Scorer.allTypes.filter { list.contains($0) }
    }

    func run() throws {
        try withFailures {
            let scorer = Scorer(types: try typeList())
            let goldCorpus: GoldCorpus
            do { goldCorpus = try GoldCorpus.load(corpus) } catch {
                Console.error("newsfacts eval: \(error) (--corpus takes a directory of <id>.txt and their gold)")
                throw ExitCode.validationFailure
            }
            // load the baseline before the (slow) extraction, so a missing one fails fast
            var base: Baseline?
            if check {
                do { base = try Baseline.load(baseline) } catch Baseline.LoadError.missing {
                    throw Failure.gate("no baseline at \(baseline): run `newsfacts eval --update-baseline` first (with the same --corpus and --types)")
                } catch {
                    throw Failure.gate("\(error)")
                }
                if let b = base, b.types != scorer.types {
                    throw Failure.gate("the baseline was made with --types \(b.types.joined(separator: ",")); check with the same types or update it")
                }
            }
            guard !goldCorpus.items.isEmpty else {
                Console.error("newsfacts eval: \(corpus): no gold files (<id>.gold.json or <id>.json)")
                throw ExitCode.validationFailure
            }
            let ruleSet = try rules.load()
            for t in goldCorpus.textsWithoutGold { Console.error("newsfacts eval: \(t): no gold file (not scored)") }
            var failures = goldCorpus.problems.count
            for p in goldCorpus.problems { Console.error("newsfacts eval: \(p) (not scored)") }
            let extraction = try CorpusEvaluation.extract(goldCorpus, rules: ruleSet)
            for f in extraction.failures { Console.error("newsfacts eval: \(f)") }
            failures += extraction.failures.count
            let result = CorpusEvaluation.score(goldCorpus, extraction, scorer: scorer)

            switch format {
            case .json:
                Console.out(EvaluationJSON.encode(result, articles: true))
            case .table:
                if diff { Console.out(EvalReport.diff(result)) }
                Console.out(EvalReport.table(result, corpus: corpus))
            }

            if updateBaseline {
                let b = Baseline(result: result, corpus: corpus)
                try b.json().write(toFile: baseline, atomically: true, encoding: .utf8)
                Console.error("newsfacts eval: wrote \(b.scores.count) scores to \(baseline)")
            }
            if let base {
                let outcome = base.check(result, tolerance: tolerance)
                for r in outcome.regressions { Console.error("newsfacts eval: \(r)") }
                guard outcome.passed else {
                    throw Failure.gate("eval gate failed: \(outcome.regressions.count) of \(outcome.checked) scores below baseline − \(tolerance) (\(baseline))")
                }
                let line = "eval gate: ok (\(outcome.checked) scores checked)"
                    + (outcome.improved.isEmpty ? "" : "; \(outcome.improved.count) above baseline + tolerance (\(outcome.improved.joined(separator: ", "))): consider --update-baseline")
                if format == .json { Console.error(line) } else { Console.out(line) }
            }
            if failures > 0 { throw Failure.inputs(failures) }
        }
    }
}

/// The readable forms of an evaluation: the score table and the per-article diff.
enum EvalReport {
    static func table(_ r: EvaluationResult, corpus: String) -> String {
        func f(_ x: Double) -> String { String(format: "%6.3f", x) }
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        var lines = ["\(corpus): \(r.docs) articles"]
        lines.append(pad("", 14) + "  strict" + String(repeating: " ", count: 15) + "  partial" + String(repeating: " ", count: 14)
                     + lpad("strict", 15) + lpad("partial", 16))
        lines.append(pad("type", 14) + "  " + ["P", "R", "F1", "P", "R", "F1"].map { lpad($0, 6) }.joined(separator: " ")
                     + lpad("tp/fp/fn", 15) + lpad("tp/fp/fn", 16))
        for t in r.types + ["micro"] {
            let s = r.counts(.strict, t), p = r.counts(.partial, t)
            if t == "micro" { lines.append(String(repeating: "-", count: 14 + 2 + 41 + 31)) }
            lines.append(pad(t, 14) + "  " + [s.precision, s.recall, s.f1, p.precision, p.recall, p.f1].map(f).joined(separator: " ")
                         + lpad("\(s.tp)/\(s.fp)/\(s.fn)", 15) + lpad("\(p.tp)/\(p.fp)/\(p.fn)", 16))
        }
        lines.append("")
        func ratio(_ a: Int, _ b: Int) -> String { "\(a)/\(b) = " + String(format: "%.3f", b > 0 ? Double(a) / Double(b) : 0) }
        for t in ["date", "figure"] where r.types.contains(t) {
            let v = r.values[t] ?? .init()
            lines.append(pad("value accuracy \(t):", 24) + ratio(v.correct, v.total))
        }
        if r.types.contains("figure") {
            lines.append(pad("unit accuracy figure:", 24) + ratio(r.units.correct, r.units.total))
        }
        let h = r.holdsRole, q = r.quotes
        lines.append(pad("holds_role found:", 24) + ratio(h.found, h.gold) + "  (right organisation \(h.organizationCorrect)), precision " + ratio(h.predictedCorrect, h.predicted))
        lines.append(pad("quotes found:", 24) + ratio(q.found, q.gold) + "  precision " + ratio(q.found, q.predicted)
                     + ", speaker right " + ratio(q.speakerCorrect, q.found))
        return lines.joined(separator: "\n")
    }

    static func diff(_ r: EvaluationResult) -> String {
        var lines: [String] = []
        for a in r.articles where !a.missed.isEmpty || !a.spurious.isEmpty {
            lines.append("== \(a.id): \(a.missed.count) missed, \(a.spurious.count) spurious")
            let rows = a.missed.map { ("missed  ", $0) } + a.spurious.map { ("spurious", $0) }
            for (kind, d) in rows.sorted(by: { ($0.1.start, $0.1.end, $0.0) < ($1.1.start, $1.1.end, $1.0) }) {
                let span = "\(d.start)..<\(d.end)"
                let type = d.type + String(repeating: " ", count: max(0, 13 - d.type.count))
                let text = d.text.replacingOccurrences(of: "\n", with: "⏎")
                lines.append("  \(d.boundary ? "~" : " ") \(kind) \(type)\(span + String(repeating: " ", count: max(0, 12 - span.count))) \"\(text)\"")
            }
        }
        if lines.isEmpty { lines.append("(no differences)") }
        lines.append("")
        return lines.joined(separator: "\n")
    }
}
