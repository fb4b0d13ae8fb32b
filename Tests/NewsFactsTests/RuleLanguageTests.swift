import XCTest
@testable import NewsFacts

/// Each construct of the rule language, phases, the conflict policy and rule-file errors,
/// on small rule sets written for the test (no built-in rules).
final class RuleLanguageTests: XCTestCase {
    static let gazetteer = """
    # test lists
    Bắc Giang\tplace.province\tparent=Việt Nam
    Lạng Giang\tplace.district\tparent=Bắc Giang
    Province\tkind.place\tkind=province
    Nguyễn\tperson.family
    Văn\tperson.middle
    secretary\trole.title
    deputy general director\trole.title
    Co., Ltd.\torg.legal
    May\tdate.month\tmonth=5
    """

    func load(_ rules: String, extraFiles: [String: String] = [:]) throws -> RuleSet {
        var files = ["gazetteers/test.tsv": Self.gazetteer, "patterns/test.rules": rules]
        files.merge(extraFiles) { _, b in b }
        return try RuleSet.load(directories: [temporaryDirectory(files)])
    }

    /// Common words and gazetteer entries are what tokenizers cache when they start.
    func testKnownTextHoldsCommonWordsThenGazetteerEntries() throws {
        let rules = try load("phase p\nrule r\n  match [shape=cap]\n  make x\n",
                             extraFiles: ["common-words.txt": "# a comment\nthe\nThe\n"])
        let text = String(decoding: rules.knownText, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("the The Bắc Giang "), text)
        XCTAssertTrue(text.contains("Co., Ltd. "), text)
    }

    /// (type, text, rule name) of every rule annotation.
    func run(_ rules: RuleSet, _ text: String) throws -> [(String, String, String)] {
        let a = try Extractor(rules: rules).analyse(Fixture.article(text))
        return a.store.items.filter { !$0.isLookup && $0.rule >= 0 }.map { ann in
            (rules.types.name(ann.type), a.article.text(a.tokens.byteRange(Int(ann.start)..<Int(ann.end))), rules.rules[Int(ann.rule)].name)
        }
    }

    func texts(_ r: [(String, String, String)], _ type: String) -> [String] { r.filter { $0.0 == type }.map(\.1) }

    func testFoldedLiteralMatchesAnyCaseAndDiacritics() throws {
        let rules = try load("phase p\nrule r\n  match \"bac\" \"giang\"\n  make hit\n")
        XCTAssertEqual(texts(try run(rules, "Bắc Giang, BẮC GIANG and bac giang."), "hit"), ["Bắc Giang", "BẮC GIANG", "bac giang"])
    }

    func testExactTextTest() throws {
        let rules = try load("phase p\nrule r\n  match [text=\"Giang\"]\n  make hit\n")
        XCTAssertEqual(texts(try run(rules, "Giang GIANG giang"), "hit"), ["Giang"])
    }

    func testTextAndSuffixTestsCombineWithOtherTests() throws {
        let rules = try load("""
        phase a
        rule exact
          match [text="Giang" & shape=cap]
          make exact
        phase b
        rule other
          match [shape=cap & !text="Giang" & kind=word]
          make other
        phase c
        rule ing
          match [suffix="ing" & !text="Bring"]
          make ing
        phase d
        rule plain
          match [kind=word & shape=lower & !suffix="ing"]
          make plain
        phase e
        rule twoTexts
          match [text="Giang" & text="talk"]
          make never
        """)
        let r = try run(rules, "Giang GIANG giang Bring Singing walking talk ing")
        XCTAssertEqual(texts(r, "exact"), ["Giang"])
        XCTAssertEqual(texts(r, "other"), ["GIANG", "Bring", "Singing"])
        XCTAssertEqual(texts(r, "ing"), ["Singing", "walking"])   // a suffix is shorter than the word
        XCTAssertEqual(texts(r, "plain"), ["giang", "talk", "ing"])
        XCTAssertEqual(texts(r, "never"), [])
    }

    func testMultiTokenLiteralOutsideBrackets() throws {
        let rules = try load("phase p\nrule r\n  match [shape=cap] \"Co., Ltd.\"\n  make company\n")
        XCTAssertEqual(texts(try run(rules, "It is SungwooVina Co., Ltd. in town."), "company"), ["SungwooVina Co., Ltd."])
    }

    func testGazetteerSpanAndTypeHierarchy() throws {
        let rules = try load("phase p\nrule r\n  match (n: [gaz=place]) [gaz=kind.place]\n  make place subtype=n.type parent=n.parent\n")
        let a = try Extractor(rules: rules).analyse(Fixture.article("In Bac Giang Province today."))
        let place = a.store.items.first { !$0.isLookup }!
        XCTAssertEqual(a.article.text(a.tokens.byteRange(Int(place.start)..<Int(place.end))), "Bac Giang Province")
        XCTAssertEqual(a.store.attribute("subtype", of: place), "place.province")
        XCTAssertEqual(a.store.attribute("parent", of: place), "Việt Nam")
    }

    func testShapeKindNegationAndConjunction() throws {
        let rules = try load("phase p\nrule r\n  match [shape=cap & kind=word & !gaz=place]\n  make cap\n")
        XCTAssertEqual(texts(try run(rules, "Bắc Giang has Kép and 2019 and lower"), "cap"), ["Kép"])
    }

    func testOptionalRepeatAndAlternatives() throws {
        let rules = try load("""
        phase p
        rule name
          match [gaz=person.family] [gaz=person.middle]? [shape=cap & !gaz=person.middle]{1,2}
          make person
        rule either
          match ("alpha" | "beta") "x"+
          make ab
        rule star
          match "y" "z"* "w"
          make yw
        """)
        let r = try run(rules, "Nguyễn Văn Trọng met Nguyễn Lan Anh Chi. alpha x x. beta x. y w. y z z w.")
        XCTAssertEqual(texts(r, "person"), ["Nguyễn Văn Trọng", "Nguyễn Lan Anh"])
        XCTAssertEqual(texts(r, "ab"), ["alpha x x", "beta x"])
        XCTAssertEqual(texts(r, "yw"), ["y w", "y z z w"])
    }

    func testStepsGoStraightToWhereTheirJumpsLand() throws {
        let rules = try load("""
        phase p
        rule loops
          match (a: "alpha" | "beta" [shape=cap]) ("x" | "y")* (b: "z"+)
          make hit from b label=a
        """)
        let steps = (0..<rules.flat.steps.count).map { rules.flat.steps[$0] }
        XCTAssertTrue(steps.contains { $0.op == .jump }, "the program has jumps to thread")
        for s in steps where s.op != .match && s.op != .jump {
            XCTAssertNotEqual(steps[Int(s.next)].op, .jump)
            if s.op == .split { XCTAssertNotEqual(steps[Int(s.other)].op, .jump) }
        }
        XCTAssertTrue([0, 1].contains(FlatRules.landing(0, [.init(op: .jump, next: 1), .init(op: .jump, next: 0)])),
                      "a loop of jumps alone ends")
        let a = try Extractor(rules: rules).analyse(Fixture.article("beta Lan x y x z z. alpha z. alpha q z."))
        let hits = a.store.items.filter { !$0.isLookup }
        XCTAssertEqual(hits.map { a.store.attribute("label", of: $0) ?? "" }, ["beta Lan", "alpha"])
        XCTAssertEqual(hits.map { a.article.text(a.tokens.byteRange(Int($0.start)..<Int($0.end))) }, ["z z", "z"])
    }

    func testLiteralAttributesAreMadeOnceCapturedOnesPerMatch() throws {
        let rules = try load("""
        phase p
        rule lit
          match "alpha"
          make a kind="fixed" note="two"
        rule cap
          match (w: "beta")
          make b kind="fixed" word=w
        """)
        XCTAssertEqual(rules.rules[0].actions[0].constantAttributes?.map { "\($0.0)=\($0.1)" }, ["kind=fixed", "note=two"])
        XCTAssertNil(rules.rules[1].actions[0].constantAttributes)
        let a = try Extractor(rules: rules).analyse(Fixture.article("alpha beta alpha"))
        let hits = a.store.items.filter { !$0.isLookup }
        XCTAssertEqual(hits.map { a.store.attribute("kind", of: $0) }, ["fixed", "fixed", "fixed"])
        XCTAssertEqual(hits.map { a.store.attribute("word", of: $0) }, [nil, "beta", nil])
    }

    func testOneTokenAlternativesKeepTheirPlaceAmongOthers() throws {
        // Adjacent one-token alternatives are matched as one test; a multi-token literal and a
        // gazetteer span between them keep their order and captures.
        let rules = try load("""
        phase p
        rule mixed
          match (w: "the" | [shape=allcaps] | "New York" | [gaz=place] | "its" | "his") (n: [shape=cap & !gaz=place])
          make hit from n label=w
        """)
        let a = try Extractor(rules: rules).analyse(Fixture.article("the Kép. ABC Lan. New York Minh. Bắc Giang Hòa. its Tân. his An. her Vy."))
        let hits = a.store.items.filter { !$0.isLookup }
        XCTAssertEqual(hits.map { a.store.attribute("label", of: $0) ?? "" }, ["the", "ABC", "New York", "Bắc Giang", "its", "his"])
        XCTAssertEqual(hits.map { a.article.text(a.tokens.byteRange(Int($0.start)..<Int($0.end))) }, ["Kép", "Lan", "Minh", "Hòa", "Tân", "An"])
    }

    func testNegatedAnnotationOfAnEarlierPhase() throws {
        let rules = try load("""
        phase first
        rule person
          match [gaz=person.family] [shape=cap]
          make person
        phase second after first
        rule other
          match [shape=cap & kind=word & !ann=person & !gaz=place]
          make other
        """)
        XCTAssertEqual(texts(try run(rules, "Nguyễn Trọng met Kép in Bắc Giang."), "other"), ["Kép"])
    }

    func testCapturesAndAttributes() throws {
        let rules = try load("""
        phase p
        rule title
          match (p: [gaz=person.family] [shape=cap]+) "," (r: [gaz=role.title])
          make person from p
          make role from r label="appositive" who=p
        """)
        let a = try Extractor(rules: rules).analyse(Fixture.article("Nguyễn Trọng, deputy general director, said."))
        let role = a.store.items.first { !$0.isLookup && rules.types.name($0.type) == "role" }!
        XCTAssertEqual(a.article.text(a.tokens.byteRange(Int(role.start)..<Int(role.end))), "deputy general director")
        XCTAssertEqual(a.store.attribute("label", of: role), "appositive")
        XCTAssertEqual(a.store.attribute("who", of: role), "Nguyễn Trọng")
    }

    func testLaterPhaseMatchesEarlierAnnotationsWhateverFileOrder() throws {
        // The phase that needs `place` is written first; `after` orders it second.
        let rules = try load("""
        phase orgs after places
        rule org
          match [ann=place] "People" "'s" "Committee"
          make organization
        phase places
        rule place
          match [gaz=place.province]
          make place
        """)
        XCTAssertEqual(rules.phases.map(\.name), ["places", "orgs"])
        XCTAssertEqual(texts(try run(rules, "The Bắc Giang People's Committee met."), "organization"), ["Bắc Giang People's Committee"])
    }

    func testConflictPolicyPriorityThenLengthThenOrder() throws {
        let rules = try load("""
        phase p
        rule long
          match [shape=cap] [shape=cap] [shape=cap]
          make long
        rule short-but-important priority 5
          match [shape=cap] [shape=cap]
          make important
        rule first-written
          match "x" "y"
          make first
        rule second-written
          match "x" "y"
          make second
        """)
        let r = try run(rules, "Alpha Beta Gamma. x y.")
        XCTAssertEqual(texts(r, "important"), ["Alpha Beta"], "priority beats length")
        XCTAssertEqual(texts(r, "long"), [])
        XCTAssertEqual(texts(r, "first"), ["x y"], "equal priority and length: the rule written first")
        XCTAssertEqual(texts(r, "second"), [])
    }

    func testLongerMatchWinsAtEqualPriority() throws {
        let rules = try load("phase p\nrule two\n  match [shape=cap] [shape=cap]\n  make two\nrule three\n  match [shape=cap] [shape=cap] [shape=cap]\n  make three\n")
        let r = try run(rules, "Alpha Beta Gamma.")
        XCTAssertEqual(texts(r, "three"), ["Alpha Beta Gamma"])
        XCTAssertEqual(texts(r, "two"), [])
    }

    func testNegativePriorityRanksBelowZeroAndEarlierStartWinsTies() throws {
        let rules = try load("""
        phase p
        rule demoted priority -2
          match [shape=cap] [shape=cap] [shape=cap]
          make demoted
        rule plain
          match [shape=cap] [shape=cap]
          make plain
        """)
        // "plain" matches Alpha Beta and Beta Gamma (equal length): the earlier start wins,
        // and the longer "demoted" match loses to both on priority.
        let r = try run(rules, "Alpha Beta Gamma.")
        XCTAssertEqual(texts(r, "plain"), ["Alpha Beta"])
        XCTAssertEqual(texts(r, "demoted"), [])
    }

    func testWordsOneOfWhichIsNeededAreLookedForFirst() throws {
        let rules = try load("""
        phase p
        rule clock
          match [kind=number] ("a.m" "."? | "p.m" "."? | "GMT")
          make time
        rule optional-word
          match [kind=number] "sharp"?
          make number
        """)
        // Every clock match needs one of a.m, p.m, GMT: the rule gets a word mask. A rule whose
        // only word is optional needs none.
        XCTAssertNotEqual(rules.flat.needs[0].words0, 0)
        XCTAssertEqual(rules.flat.needs[1].words0, 0)
        let r = try run(rules, "At 6 a.m. and 7 p.m and 8 GMT, not 9 o'clock.")
        XCTAssertEqual(texts(r, "time"), ["6 a.m.", "7 p.m", "8 GMT"])
    }

    func testSpansOneOfWhichIsNeededAndHowNearTheyStart() throws {
        let rules = try load("""
        phase p
        rule title
          match ("the" | "its")? "deputy"? [gaz=role.title] "," | "acting" [gaz=role.title]
          make role
        rule after-loop
          match [shape=cap]* [gaz=kind.place]
          make place
        """)
        // role.title is in both alternatives, so every match needs it, at most two tokens in.
        let title = rules.flat.needs[0], afterLoop = rules.flat.needs[1]
        XCTAssertNotEqual(title.slots, 0)
        XCTAssertNotEqual(title.nearBit, 0)
        XCTAssertEqual(title.nearWithin, 2)
        // After a loop over tokens there is no bound on where the span starts.
        XCTAssertNotEqual(afterLoop.slots, 0)
        XCTAssertEqual(afterLoop.nearBit, 0)
        let r = try run(rules, "He is the deputy secretary, the secretary and acting secretary.")
        XCTAssertEqual(texts(r, "role"), ["the deputy secretary,", "acting secretary"])
    }

    func testWordsOneOfWhichIsNeededAndHowNearTheyCome() throws {
        let rules = try load("""
        phase p
        rule company
          match (o: [shape=cap]{1,2}) ("ceo" | "chief") "executive"?
          make company from o
        rule after-loop
          match [shape=cap]* "ceo"
          make far
        """)
        // One of "ceo", "chief" comes at most two tokens after the start; after a loop, anywhere.
        XCTAssertNotEqual(rules.flat.needs[0].nearWords, 0)
        XCTAssertEqual(rules.flat.needs[0].nearWordsWithin, 2)
        XCTAssertEqual(rules.flat.needs[1].nearWords, 0)
        let r = try run(rules, "Acme Widgets chief executive spoke. Then, Acme CEO spoke. Acme Big Widgets said CEO pay rose.")
        XCTAssertEqual(texts(r, "company"), ["Acme Widgets", "Acme"])
    }

    func testTokenTestsOfASpanHoldOnItsFirstAndLastWord() throws {
        let rules = try load("phase p\nrule r\n  match [gaz=role.title & shape=cap & !gaz=place]\n  make title\n")
        XCTAssertTrue((0..<rules.flat.nodes.count).contains { rules.flat.tokenPart[$0] >= 0 }, "the token tests are one conjunction")
        let r = try run(rules, "Deputy General Director An, Deputy general director Binh and deputy General Director Chi met.")
        XCTAssertEqual(texts(r, "title"), ["Deputy General Director"])
    }

    func testModeAllKeepsOverlappingMatches() throws {
        let rules = try load("phase p mode all\nrule a\n  match [shape=cap] [shape=cap]\n  make a\nrule b\n  match [shape=cap]\n  make b\n")
        let r = try run(rules, "Alpha Beta.")
        XCTAssertEqual(texts(r, "a"), ["Alpha Beta"])
        XCTAssertEqual(texts(r, "b"), ["Alpha", "Beta"])
    }

    func testMatchesDoNotCrossSentences() throws {
        let rules = try load("phase p\nrule r\n  match [shape=cap] [shape=cap]\n  make pair\n")
        XCTAssertEqual(texts(try run(rules, "He met Alpha. Beta came."), "pair"), [])
    }

    func testPathologicalPatternStaysBounded() throws {
        // Nested unbounded repeats over a long run of tokens: each (instruction, position) is
        // visited once per start, so this finishes; a backtracking matcher would not.
        let rules = try load("phase p\nrule r\n  match ([any]* [any]*)* \"zzz\"\n  make never\n")
        let text = String(repeating: "a ", count: 3000)
        XCTAssertEqual(texts(try run(rules, text), "never"), [])
    }

    func testUserRulesDirectoryAddsToBuiltin() throws {
        let user = temporaryDirectory(["patterns/extra.rules": "phase extra after names\nrule shout\n  match [shape=allcaps & !ann=place]\n  make shout\n"])
        let rules = try RuleSet.load(directories: [Fixture.rulesDir, user])
        XCTAssertTrue(rules.phases.map(\.name).contains("extra"))
        XCTAssertEqual(texts(try run(rules, "The BGG team met in Hà Nội."), "shout"), ["BGG"])
    }

    // MARK: errors

    func assertRuleError(_ rules: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try load(rules), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains(expected), "\(error) does not contain \(expected)", file: file, line: line)
        }
    }

    func testErrorsNameFileLineColumnAndExpectation() {
        assertRuleError("phase p\nrule r\n  match [shape=cap\n  make x\n", "test.rules:3:")
        assertRuleError("phase p\nrule r\n  match [shape=cap\n  make x\n", "expected ']'")
        assertRuleError("phase p\nrule r\n  match [shape=bold]\n  make x\n", "unknown shape 'bold'")
        assertRuleError("phase p\nrule r\n  match [colour=red]\n  make x\n", "unknown test 'colour'")
        assertRuleError("phase p\nrule r\n  match [gaz=nosuch]\n  make x\n", "no gazetteer defines type 'nosuch'")
        assertRuleError("phase p\nrule r\n  match [ann=nosuch]\n  make x\n", "no rule makes annotation type 'nosuch'")
        assertRuleError("phase p\nrule r\n  match (a: \"x\")\n  make x from b\n", "no capture named 'b'")
        assertRuleError("phase p\nrule r\n  make x\n", "has no match clause")
        assertRuleError("phase p\nrule r\n  match \"x\"\n", "has no make or relate clause")
        assertRuleError("rule r\n  match \"x\"\n  make x\n", "expected a 'phase' line")
        assertRuleError("phase a after b\nrule r\n  match \"x\"\n  make x\nphase b after a\nrule s\n  match \"y\"\n  make y\n", "cycle")
        assertRuleError("phase p\nrule r\n  match \"x\"{3,1}\n  make x\n", "bad repeat bounds")
        assertRuleError("phase p\nrule r\n  match \"x\"\n  make x\nfrobnicate\n", "test.rules:5:1: expected one of phase")
    }

    func testGazetteerFileErrorsNameTheLine() {
        XCTAssertThrowsError(try load("phase p\nrule r\n  match \"x\"\n  make x\n", extraFiles: ["gazetteers/bad.tsv": "# c\nBắc Giang only one column\n"])) { error in
            XCTAssertTrue("\(error)".contains("bad.tsv:2:"), "\(error)")
        }
    }

    func testBuiltinRulesLoadAndAreIndexed() {
        let rules = Fixture.builtin
        XCTAssertGreaterThan(rules.gazetteer.entryCount, 10_000)
        XCTAssertEqual(rules.phases.first?.name, "header")
        XCTAssertTrue(rules.rules.allSatisfy { $0.id.contains(".rules:") })
    }
}
