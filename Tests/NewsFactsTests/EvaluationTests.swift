import Foundation
import XCTest
@testable import NewsFacts

/// The evaluation: the scorer's behaviour on small hand-made cases, exact parity with the
/// reference scorer (../shared/tools/score.py) on real corpora, and the corpus regression gate.
final class EvaluationTests: XCTestCase {
    // MARK: - fixtures

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// shared/ sits beside the repository (here and in CI's clone).
    static let shared = root.deletingLastPathComponent().appendingPathComponent("shared")

    /// Corpus directory → (corpus, extraction), so each corpus is extracted once per run.
    nonisolated(unsafe) static var extracted: [String: (GoldCorpus, CorpusEvaluation.Extraction)] = [:]

    static func corpus(_ dir: String) throws -> (GoldCorpus, CorpusEvaluation.Extraction) {
        if let done = extracted[dir] { return done }
        let corpus = try GoldCorpus.load(dir)
        let done = (corpus, try CorpusEvaluation.extract(corpus, rules: Fixture.builtin))
        extracted[dir] = done
        return done
    }

    func gold(_ json: String, id: String = "doc") throws -> GoldDocument {
        try GoldDocument.parse(Data(json.utf8), id: id)
    }

    func m(_ type: String, _ start: Int, _ end: Int, value: JSONValue? = nil, unit: String? = nil, entity: String? = nil) -> ScoredMention {
        ScoredMention(type: type, start: start, end: end, text: "\(start)-\(end)", value: value, unit: unit, entity: entity)
    }

    func score(_ g: GoldDocument, _ p: [ScoredMention], types: [String] = Scorer.allTypes) -> EvaluationResult {
        Scorer(types: types).score([(g, Prediction(mentions: p))])
    }

    // MARK: - scorer behaviour

    func testStrictNeedsTheSameSpanPartialAnOverlap() throws {
        let g = try gold(#"{"mentions":[{"type":"place","start":0,"end":8,"text":"Bắc Ninh"}]}"#)
        let r = score(g, [m("place", 0, 17)])
        XCTAssertEqual(r.counts(.strict, "place"), .init(tp: 0, fp: 1, fn: 1))
        XCTAssertEqual(r.counts(.partial, "place"), .init(tp: 1, fp: 0, fn: 0))
        // a wrong type never matches
        XCTAssertEqual(score(g, [m("organization", 0, 8)]).counts(.partial, "place"), .init(tp: 0, fp: 0, fn: 1))
        XCTAssertEqual(score(g, [m("organization", 0, 8)]).counts(.partial, "micro"), .init(tp: 0, fp: 1, fn: 1))
        // touching is not overlapping
        XCTAssertEqual(score(g, [m("place", 8, 12)]).counts(.partial, "place"), .init(tp: 0, fp: 1, fn: 1))
    }

    func testPrecisionRecallF1() {
        let c = EvaluationResult.Counts(tp: 3, fp: 1, fn: 2)
        XCTAssertEqual(c.precision, 0.75)
        XCTAssertEqual(c.recall, 0.6)
        XCTAssertEqual(c.f1, 2 * 0.75 * 0.6 / 1.35, accuracy: 1e-15)
        XCTAssertEqual(EvaluationResult.Counts().f1, 0)
    }

    func testOptionalGoldAbsorbsLeftoversAndIsNeitherRewardedNorPunished() throws {
        let g = try gold("""
        {"mentions":[{"type":"date","start":20,"end":30,"text":"Each month","optional":true},
                     {"type":"date","start":0,"end":8,"text":"May 2024"},
                     {"type":"date","start":40,"end":50,"text":"seven years","optional":true}]}
        """)
        // the optional one found: no tp; the other optional missed: no fn; an unrelated one: fp
        let r = score(g, [m("date", 20, 30), m("date", 0, 8), m("date", 60, 64)])
        XCTAssertEqual(r.counts(.strict, "date"), .init(tp: 1, fp: 1, fn: 0))
        // required golds choose first: an optional gold listed earlier does not take the prediction
        let g2 = try gold("""
        {"mentions":[{"type":"place","start":0,"end":20,"text":"x","optional":true},
                     {"type":"place","start":0,"end":8,"text":"y"}]}
        """)
        XCTAssertEqual(score(g2, [m("place", 0, 8)]).counts(.partial, "place"), .init(tp: 1, fp: 0, fn: 0))
        // ... and a second overlapping prediction is absorbed by the optional gold
        XCTAssertEqual(score(g2, [m("place", 0, 8), m("place", 10, 12)]).counts(.partial, "place"), .init(tp: 1, fp: 0, fn: 0))
    }

    func testGreedyMatchingTakesTheFirstPredictionInListOrder() throws {
        let g = try gold("""
        {"mentions":[{"type":"organization","start":0,"end":10,"text":"a"},
                     {"type":"organization","start":8,"end":14,"text":"b"}]}
        """)
        // gold a takes 8..14 (first in list order that overlaps), so gold b finds nothing:
        // score.py's greedy matching, not an optimal assignment
        let r = score(g, [m("organization", 8, 14), m("organization", 0, 5)])
        XCTAssertEqual(r.counts(.partial, "organization"), .init(tp: 1, fp: 1, fn: 1))
        let swapped = score(g, [m("organization", 0, 5), m("organization", 8, 14)])
        XCTAssertEqual(swapped.counts(.partial, "organization"), .init(tp: 2, fp: 0, fn: 0))
    }

    func testNamedAndCalendarLikeFlagsMakeMentionsOptional() throws {
        let g = try gold("""
        {"mentions":[{"type":"person","start":0,"end":5,"text":"A","named":true},
                     {"type":"person","start":10,"end":15,"text":"B","named":null},
                     {"type":"person","start":20,"end":25,"text":"C","named":false},
                     {"type":"date","start":30,"end":37,"text":"Tuesday","calendar_like":true},
                     {"type":"date","start":40,"end":44,"text":"then","calendar_like":false}]}
        """)
        XCTAssertEqual(g.mentions.map(\.optional), [false, true, true, false, true])
        let r = score(g, [m("person", 10, 15), m("date", 40, 44)])
        XCTAssertEqual(r.counts(.strict, "person"), .init(tp: 0, fp: 0, fn: 1))
        XCTAssertEqual(r.counts(.strict, "date"), .init(tp: 0, fp: 0, fn: 1))
    }

    func testDroppedMarkablesRemoveOverlappingPredictionsOfAnyType() throws {
        let g = try gold("""
        {"mentions":[{"type":"figure","start":0,"end":3,"text":"308"}],
         "dropped_markables":[{"orig_type":"ENTITY:FIN","start":10,"end":40,"text":"a US$40 billion contract"}]}
        """)
        let r = score(g, [m("figure", 0, 3), m("figure", 12, 23), m("place", 35, 45), m("place", 40, 45)])
        XCTAssertEqual(r.counts(.strict, "figure"), .init(tp: 1, fp: 0, fn: 0))
        XCTAssertEqual(r.counts(.strict, "place"), .init(tp: 0, fp: 1, fn: 0), "only the prediction after the dropped span counts")
        XCTAssertEqual(r.articles[0].spurious.map(\.start), [40])
    }

    func testAnnotatedTypesRestrictWhatIsScored() throws {
        let g = try gold("""
        {"annotated_types":["person"],
         "mentions":[{"type":"person","start":0,"end":5,"text":"A","named":true},
                     {"type":"date","start":10,"end":14,"text":"2019"}]}
        """)
        let r = score(g, [m("person", 0, 5), m("place", 20, 25)])
        XCTAssertEqual(r.counts(.strict, "micro"), .init(tp: 1, fp: 0, fn: 0), "neither the date gold nor the place prediction counts")
        // --types restricts further, and micro sums only the chosen types
        let only = score(g, [m("person", 0, 5)], types: ["date", "place"])
        XCTAssertEqual(only.counts(.strict, "micro"), .init())
        XCTAssertEqual(only.gateScores.first?.name, "date strict F1")
    }

    func testValueAccuracyComparesAsFloatsElseAsStrings() throws {
        let g = try gold("""
        {"mentions":[{"type":"date","start":0,"end":8,"text":"May 2024","value":"2024-05"},
                     {"type":"date","start":10,"end":14,"text":"2019","value":"2019"},
                     {"type":"date","start":20,"end":30,"text":"last month","value":"2024-04"},
                     {"type":"date","start":40,"end":45,"text":"Today","value":"2024-12-10","optional":true},
                     {"type":"date","start":50,"end":55,"text":"later"},
                     {"type":"figure","start":60,"end":74,"text":"US$1.2 billion","value":1200000000,"unit":"USD"},
                     {"type":"figure","start":80,"end":88,"text":"20 tonnes","value":20,"unit":"tonnes"},
                     {"type":"figure","start":90,"end":93,"text":"308","attributes":{"value":308}}]}
        """)
        let r = score(g, [
            m("date", 0, 8, value: .string("2024-05")),
            m("date", 10, 14, value: .number(2019)),          // float("2019") == 2019.0
            m("date", 20, 25, value: nil),                    // partial match, no value: wrong
            m("date", 40, 45, value: .string("2024-12-10")),  // optional gold: not counted
            m("date", 50, 55, value: .string("x")),           // gold without value: not counted
            m("figure", 60, 74, value: .number(1.2e9), unit: "usd"),
            m("figure", 80, 90, value: .string("20.0"), unit: "tons"),
            m("figure", 90, 93, value: .number(308)),
        ])
        XCTAssertEqual(r.values["date"], .init(total: 3, correct: 2))
        XCTAssertEqual(r.values["figure"], .init(total: 3, correct: 3))
        XCTAssertEqual(r.units, .init(total: 2, correct: 1), "units compare case-insensitively")
        XCTAssertNil(score(g, [m("place", 0, 8)]).values["date"], "no matched gold value: no accuracy (as score.py)")
    }

    func testPythonFloatAndValueEquality() {
        XCTAssertEqual(JSONValue.pythonFloat(" 1_000 "), 1000)
        XCTAssertEqual(JSONValue.pythonFloat("1e3"), 1000)
        XCTAssertEqual(JSONValue.pythonFloat(".5"), 0.5)
        XCTAssertNil(JSONValue.pythonFloat("2024-05"))
        XCTAssertNil(JSONValue.pythonFloat("0x10"))
        XCTAssertNil(JSONValue.pythonFloat("1__0"))
        XCTAssertTrue(JSONValue.pythonValueEqual(.string("2024-05"), .string("2024-05")))
        XCTAssertTrue(JSONValue.pythonValueEqual(.string("100"), .number(100)))
        XCTAssertFalse(JSONValue.pythonValueEqual(nil, .string("2024")))
        XCTAssertFalse(JSONValue.pythonValueEqual(.string("2024-W19"), .string("2024-W20")))
    }

    func testDiffListsStrictMissesAndSpuriousWithBoundaryErrors() throws {
        let g = try gold("""
        {"mentions":[{"type":"place","start":0,"end":8,"text":"Bắc Ninh"},
                     {"type":"person","start":20,"end":25,"text":"Trọng"}]}
        """)
        let r = score(g, [m("place", 0, 17), m("figure", 30, 33)])
        let d = r.articles[0]
        XCTAssertEqual(d.missed.map { "\($0.type) \($0.start) \($0.boundary)" }, ["place 0 true", "person 20 false"])
        XCTAssertEqual(d.spurious.map { "\($0.type) \($0.start) \($0.boundary)" }, ["place 0 true", "figure 30 false"])
    }

    func testHoldsRoleAndQuotesAreMappedThroughEntityLabels() throws {
        let g = try gold("""
        {"mentions":[{"type":"person","start":0,"end":10,"text":"Lê Văn Tuấn","entity":"tuan"},
                     {"type":"role","start":12,"end":20,"text":"Chairman"},
                     {"type":"organization","start":24,"end":40,"text":"People's Committee","entity":"ppc"},
                     {"type":"person","start":50,"end":55,"text":"Tuấn","entity":"tuan"},
                     {"type":"role","start":60,"end":68,"text":"director"}],
         "relations":[{"type":"holds_role","person":"tuan","role":"Chairman","organization":"ppc"},
                      {"type":"holds_role","person":null,"role":"director","organization":"ppc"},
                      {"type":"located_in","subject":"ppc","object":"x"}],
         "quotes":[{"speaker":"tuan","start":100,"end":150},{"speaker":"tuan","start":200,"end":250}]}
        """)
        let prediction = Prediction(
            mentions: [m("person", 0, 10, entity: "E1"), m("role", 12, 20, entity: "E2"),
                       m("organization", 24, 45, entity: "E3"), m("person", 50, 55, entity: "E1"),
                       m("role", 60, 68, entity: "E4")],
            holdsRoles: [.init(person: "E1", role: "E2", organization: nil),
                         .init(person: nil, role: "E4", organization: "E9"),
                         .init(person: "E3", role: "E2", organization: nil)],
            quotes: [.init(speaker: "E1", start: 90, end: 120), .init(speaker: "E3", start: 210, end: 220),
                     .init(speaker: "E1", start: 300, end: 310)],
            entityTexts: ["E1": ["Lê Văn Tuấn"], "E2": ["chairman"], "E3": ["People's Committee of X"], "E4": ["Director"]])
        let r = Scorer().score([(g, prediction)])
        // Chairman found (role text folds equal), with the wrong (null) organisation; director
        // has no person, so its organisation must match, and E9 maps to nothing
        XCTAssertEqual(r.holdsRole.gold, 2)
        XCTAssertEqual(r.holdsRole.found, 1)
        XCTAssertEqual(r.holdsRole.organizationCorrect, 0)
        XCTAssertEqual(r.holdsRole.predicted, 3)
        XCTAssertEqual(r.holdsRole.predictedCorrect, 1)
        XCTAssertEqual(r.quotes.gold, 2)
        XCTAssertEqual(r.quotes.found, 2)
        XCTAssertEqual(r.quotes.speakerCorrect, 1, "the second quote's speaker is the organisation")
        XCTAssertEqual(r.quotes.predicted, 3)
    }

    func testCorpusLayoutsAndProblems() throws {
        let dir = temporaryDirectory([
            "a.txt": "Hà Nội grew.", "a.gold.json": #"{"id":"a","mentions":[]}"#, "a.json": "not gold",
            "b.txt": "Đà Nẵng grew.", "b.json": #"{"mentions":[{"type":"place","start":0,"end":7,"text":"Đà Nẵng"}]}"#,
            "c.txt": "No gold.", "d.json": "{broken",
        ])
        let c = try GoldCorpus.load(dir)
        XCTAssertEqual(c.items.map(\.id), ["a", "b"])
        XCTAssertTrue(c.items[0].goldPath.hasSuffix("a.gold.json"))
        XCTAssertEqual(c.items[1].gold.mentions.count, 1)
        XCTAssertEqual(c.textsWithoutGold.map { URL(fileURLWithPath: $0).lastPathComponent }, ["c.txt"])
        XCTAssertEqual(c.problems.count, 1)
        XCTAssertTrue(c.problems[0].contains("d.json"), c.problems[0])
        XCTAssertThrowsError(try GoldCorpus.load(dir + "/missing"))
    }

    func testGoldPublishedDateIsUsedOnlyWhenTheArticleHasNone() throws {
        let dir = temporaryDirectory([
            "plain.txt": "Exports rose last month.", "plain.json": #"{"published":"2024-07-08","mentions":[]}"#,
            "dated.txt": " date 2024-03-02 Exports rose.", "dated.json": #"{"published":"1999-01-01","mentions":[]}"#,
            "none.txt": "Exports rose.", "none.json": #"{"mentions":[]}"#,
        ])
        let c = try GoldCorpus.load(dir)
        let x = try CorpusEvaluation.extract(c, rules: Fixture.builtin)
        XCTAssertEqual(x.failures, [])
        XCTAssertEqual(x.records["plain"]?.article.published, "2024-07-08")
        XCTAssertEqual(x.records["dated"]?.article.published, "2024-03-02", "the article's header wins")
        XCTAssertEqual(x.records["none"]?.article.published, nil)
    }

    func testBaselineRoundTripAndCheck() throws {
        let g = try gold(#"{"mentions":[{"type":"place","start":0,"end":8,"text":"x"},{"type":"place","start":10,"end":18,"text":"y"}]}"#)
        let good = score(g, [m("place", 0, 8), m("place", 10, 18)])
        let worse = score(g, [m("place", 0, 8)])
        let path = temporaryDirectory([:]) + "/baseline.json"
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        try Baseline(result: good, corpus: "test").json().write(toFile: path, atomically: true, encoding: .utf8)
        let base = try Baseline.load(path)
        XCTAssertEqual(base.types, Scorer.allTypes)
        XCTAssertEqual(base.scores.count, good.gateScores.count)
        let same = base.check(good, tolerance: 0)
        XCTAssertTrue(same.passed)
        XCTAssertEqual(same.checked, good.gateScores.count)
        let check = base.check(worse, tolerance: 0.01)
        XCTAssertFalse(check.passed)
        XCTAssertEqual(check.regressions.map(\.description), [
            "place strict F1 0.667 < baseline 1.000 − 0.01", "place partial F1 0.667 < baseline 1.000 − 0.01",
            "micro strict F1 0.667 < baseline 1.000 − 0.01", "micro partial F1 0.667 < baseline 1.000 − 0.01",
        ])
        XCTAssertTrue(base.check(worse, tolerance: 0.4).passed, "within tolerance")
        XCTAssertEqual(Baseline(result: worse, corpus: "t").check(good, tolerance: 0.01).improved.count, 4)
        XCTAssertThrowsError(try Baseline.load(path + ".missing"))
    }

    // MARK: - parity with score.py

    /// Our counts equal score.py's on the same predictions, for every type and mode.
    func testParityWithReferenceScorer() throws {
        let script = Self.shared.appendingPathComponent("tools/score.py").path
        guard FileManager.default.fileExists(atPath: script) else {
            throw XCTSkip("\(Self.shared.path) not found (shared/ is expected beside the repository)")
        }
        guard (try? python(["--version"]))?.status == 0 else { throw XCTSkip("python3 not found") }
        var dirs = [Self.root.appendingPathComponent("Corpus/articles").path]
        for set in ["meantime-dev", "gum"] {
            let d = Self.shared.appendingPathComponent("data/" + set).path
            if FileManager.default.fileExists(atPath: d) { dirs.append(d) }
        }
        XCTAssertGreaterThanOrEqual(dirs.count, 2, "meantime-dev is missing from \(Self.shared.path)/data")
        for dir in dirs {
            let (corpus, extraction) = try Self.corpus(dir)
            XCTAssertEqual(extraction.failures, [], dir)
            let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("nf-parity-\(UUID().uuidString)")
            let goldDir = tmp.appendingPathComponent("gold"), predDir = tmp.appendingPathComponent("pred")
            try FileManager.default.createDirectory(at: goldDir, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: predDir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: tmp) }
            for item in corpus.items {
                try FileManager.default.copyItem(atPath: item.goldPath, toPath: goldDir.appendingPathComponent(item.id + ".json").path)
                if let record = extraction.records[item.id] {
                    try RecordJSON.encode(record, pretty: false)
                        .write(to: predDir.appendingPathComponent(item.id + ".json"), atomically: true, encoding: .utf8)
                }
            }
            let run = try python([script, goldDir.path, predDir.path, "--json"])
            XCTAssertEqual(run.status, 0, run.err)
            let reference = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
            let ours = CorpusEvaluation.score(corpus, extraction, scorer: Scorer())
            let name = URL(fileURLWithPath: dir).lastPathComponent
            XCTAssertEqual(reference["docs"] as? Int, ours.docs, name)
            for mode in EvaluationResult.Mode.allCases {
                let table = try XCTUnwrap(reference[mode.rawValue] as? [String: [String: Any]])
                for t in Scorer.allTypes + ["micro"] {
                    let ref = try XCTUnwrap(table[t], "\(name) \(mode) \(t)")
                    let c = ours.counts(mode, t)
                    XCTAssertEqual([ref["tp"], ref["fp"], ref["fn"]].map { $0 as? Int }, [c.tp, c.fp, c.fn], "\(name) \(mode) \(t) tp/fp/fn")
                    XCTAssertEqual(ref["f"] as? Double ?? -1, c.f1, accuracy: 1e-12, "\(name) \(mode) \(t) F1")
                }
            }
            let values = try XCTUnwrap(reference["value_accuracy"] as? [String: [String: Any]])
            XCTAssertEqual(Set(values.keys), Set(ours.valueTypes), name)
            for (t, v) in values {
                XCTAssertEqual(v["matched"] as? Int, ours.values[t]?.total, "\(name) \(t) values matched")
                XCTAssertEqual(v["equal"] as? Int, ours.values[t]?.correct, "\(name) \(t) values equal")
            }
            XCTAssertGreaterThan(ours.counts(.partial, "micro").tp, 0, "\(name): nothing extracted; parity would be vacuous")
        }
    }

    struct Run { var status: Int32; var out: String; var err: String }

    func python(_ args: [String]) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        final class Box: @unchecked Sendable { var data = Data() }
        let e = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { e.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e.data, as: UTF8.self))
    }

    // MARK: - corpus regression

    /// No score on Corpus/articles falls below Corpus/baseline.json − tolerance.
    func testCorpusScoresDoNotFallBelowBaseline() throws {
        let path = Self.root.appendingPathComponent("Corpus/baseline.json").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("no Corpus/baseline.json yet: create it with `newsfacts eval --update-baseline`")
        }
        let baseline = try Baseline.load(path)
        let (corpus, extraction) = try Self.corpus(Self.root.appendingPathComponent("Corpus/articles").path)
        XCTAssertEqual(extraction.failures, [])
        XCTAssertEqual(corpus.problems, [])
        let result = CorpusEvaluation.score(corpus, extraction, scorer: Scorer(types: baseline.types))
        let check = baseline.check(result, tolerance: 0.01)
        XCTAssertTrue(check.passed, "below baseline − 0.01 (run `newsfacts eval --diff` to see why):\n"
                      + check.regressions.map(\.description).joined(separator: "\n"))
    }
}
