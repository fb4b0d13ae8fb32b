import Foundation
import XCTest
@testable import NewsFacts

/// End-to-end behaviour of the built-in rules on short texts and on every Corpus article.
final class ExtractionTests: XCTestCase {
    func testReferenceArticleHeaderAndPeople() throws {
        let path = Fixture.corpusDir + "/vns-2024-12-10-bac-giang-party-members.txt"
        let a = try ArticleReader.read(path).get()
        let r = try Fixture.extractor().extract(a)
        XCTAssertEqual(r.article.published, "2024-12-10")
        XCTAssertEqual(r.article.dateline, "BẮC GIANG")
        let people = Set(r.entities.filter { $0.type == "person" }.map(\.name))
        for name in ["Nguyễn Hoàng Trung", "Nguyễn Văn Trọng", "Đào Văn Mạnh", "Phùng Văn Chiến", "Nguyễn Viết Cường"] {
            XCTAssertTrue(people.contains(name), "missing \(name) in \(people)")
        }
        let trong = r.entities.first { $0.name == "Nguyễn Văn Trọng" }!
        XCTAssertTrue(trong.mentions.contains { $0.text == "Trọng" }, "short name linked to the full one")
        XCTAssertEqual(trong.folded, "nguyen van trong")
    }

    /// text[start:end] == mention.text for every mention, quote and relation span, on every article.
    func testOffsetsAreCodePointsOfTheTextAsReadOnEveryCorpusArticle() throws {
        let paths = ArticleReader.expand([Fixture.corpusDir])
        XCTAssertGreaterThanOrEqual(paths.count, 25)
        let extractor = Fixture.extractor()
        for path in paths {
            let article = try ArticleReader.read(path).get()
            let scalars = Array(article.text.unicodeScalars)
            func slice(_ s: Int, _ e: Int) -> String { String(String.UnicodeScalarView(scalars[s..<e])) }
            let r = try extractor.extract(article)
            XCTAssertEqual(r.article.chars, scalars.count)
            for e in r.entities {
                for m in e.mentions { XCTAssertEqual(slice(m.start, m.end), m.text, "\(path) \(e.id)") }
            }
            for q in r.quotes { XCTAssertEqual(slice(q.start, q.end), q.text, path) }
            for rel in r.relations { XCTAssertLessThanOrEqual(rel.end, scalars.count, path) }
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(RecordJSON.encode(r, pretty: true).utf8)), path)
        }
    }

    /// Unusual shapes of text: each extracts without failing and keeps the offset invariant.
    func testAdversarialTextsKeepOffsets() throws {
        let texts = [
            String(repeating: "A", count: 20_000) + " said \"x\" 2024-12-10",
            String(repeating: "\"", count: 500) + String(repeating: "“”", count: 300) + " Nguyễn Văn An said \"" + String(repeating: "word ", count: 2000),
            Array(repeating: "Nguyễn Văn An, director of BGG Co., Ltd.,", count: 300).joined(separator: " "),
            "a" + String(repeating: "\u{0301}", count: 500) + " Bắc Giang" + String(repeating: "\u{0300}", count: 30),
            Array(repeating: "He wrote \"a b c d\" and", count: 500).joined(separator: " "),
        ]
        for text in texts {
            let r = Fixture.record(text)
            let scalars = Array(text.unicodeScalars)
            for e in r.entities {
                for m in e.mentions { XCTAssertEqual(String(String.UnicodeScalarView(scalars[m.start..<m.end])), m.text) }
            }
            for q in r.quotes { XCTAssertEqual(String(String.UnicodeScalarView(scalars[q.start..<q.end])), q.text) }
        }
    }

    func testTitleBeforeAndAfterName() {
        assertExtracts("⟦Chairman⟧role of the ⟦Hà Nội People's Committee⟧organization ⟦Trần Sỹ Thanh⟧person said the city would act.")
        assertExtracts("⟦Nguyễn Văn An⟧person, ⟦director⟧role of the ⟦provincial Department of Industry and Trade⟧organization, said exports rose.")
    }

    func testCompaniesWithLegalForms() {
        assertExtracts("Workers at ⟦SungwooVina Co., Ltd.⟧organization and ⟦BGG Lạng Giang Joint Stock Company⟧organization joined.")
        assertExtracts("⟦Luxshare-ICT Việt Nam Co., Ltd.⟧organization opened a plant.")
    }

    func testPlacesWithKindWords() {
        assertExtracts("It is in ⟦Lạng Giang District⟧place's ⟦Kép Township⟧place, near ⟦Quang Châu Industrial Zone⟧place in ⟦Bắc Giang Province⟧place.")
        assertExtracts("Farmers in ⟦Long An province⟧place and ⟦Vietnam⟧place agreed.")
    }

    /// The entity of record `r` named `name`.
    func entity(_ name: String, in r: ArticleRecord) throws -> ArticleRecord.Entity {
        try XCTUnwrap(r.entities.first { $0.name == name }, "no entity named \(name)")
    }

    func testShortNamesAfterTheFirstFullName() throws {
        // The full name comes again later: the short name still follows the first one. A
        // capitalised function word opening the sentence is no part of the name.
        let text = "Dan Savage wrote a column.\nLater, Savage said it. Then Savage left. Dan Savage returned."
        let savage = try entity("Dan Savage", in: Fixture.record(text))
        XCTAssertEqual(savage.mentions.map(\.text), ["Dan Savage", "Savage", "Savage", "Dan Savage"])
        XCTAssertEqual(savage.mentions.filter { $0.text == "Savage" }.map(\.rule), ["resolve.short-name", "resolve.short-name"])
    }

    func testAcronymsFromTheInitialsOfAnOrganisation() throws {
        let text = "Paintings went to the University of Southern Indiana this week. USI's gallery shows them; USA and US are no match."
        let r = Fixture.record(text)
        let usi = try entity("USI", in: r)
        XCTAssertEqual(usi.type, "organization")
        XCTAssertEqual(usi.mentions.map(\.rule), ["resolve.alias"])
        XCTAssertFalse(r.entities.contains { $0.type == "organization" && ($0.name == "USA" || $0.name == "US") })
        // "Gao" is a town in Mali (world-cities); spelt out here, GAO is the organisation.
        let spelt = "The Government Accountability Office called for a rerun. The protest went before the GAO in June."
        XCTAssertEqual(try entity("GAO", in: Fixture.record(spelt)).type, "organization")
        XCTAssertEqual(try entity("GAO", in: Fixture.record("Fighting spread to GAO and Timbuktu.")).type, "place")
    }

    func testACompanyBeforeATitleAndItsOtherUses() throws {
        let text = "Ryanair said on Monday it would buy jets. Ryanair CEO Michael O'Leary said fuel costs rose. Former chairman David Bonderman agreed."
        let r = Fixture.record(text)
        let ryanair = try entity("Ryanair", in: r)
        XCTAssertEqual(ryanair.type, "organization")
        XCTAssertEqual(ryanair.mentions.map(\.rule), ["resolve.alias", "40-organizations.rules:name-then-company-title"])
        XCTAssertFalse(r.entities.contains { $0.type == "organization" && $0.name == "Former" })
        let titled = Fixture.record("Interim CEO Mark Smith spoke. Honorary Chairman Le Chi left. Global CEO Tom Cruz met staff.")
        XCTAssertEqual(titled.entities.filter { $0.type == "organization" }.map(\.name), [], "words that qualify a title are no company")
        assertExtracts("⟦Apple Computer⟧organization ⟦CEO⟧role ⟦Steve Jobs⟧person spoke.")
    }

    func testTheFirstWordOfACompanyNameAlone() throws {
        let r = Fixture.record("Workers at SungwooVina Co., Ltd. earn more. SungwooVina exports parts. The Republican Party met; Republican voters stayed home.")
        XCTAssertEqual(try entity("SungwooVina Co., Ltd.", in: r).mentions.map(\.text), ["SungwooVina Co., Ltd.", "SungwooVina"])
        XCTAssertFalse(r.entities.contains { $0.type == "organization" && $0.name == "Republican" })
    }

    func testANameBeforeAnAgeAndItsLaterUses() throws {
        let text = "Apple confirmed that Papermaster, 49, had left the company. Papermaster did not comment."
        let p = try entity("Papermaster", in: Fixture.record(text))
        XCTAssertEqual(p.type, "person")
        XCTAssertEqual(p.mentions.map(\.rule), ["48-people.rules:name-then-age", "resolve.short-name"])
    }

    func testAGivenNameAlone() throws {
        let r = Fixture.record("Their child, Gloria, died in Sydney. Gloria's eczema was severe. Pilgrims died near the Al-Ghaza Hotel.")
        XCTAssertEqual(try entity("Gloria", in: r).type, "person")
        XCTAssertEqual(try entity("Gloria", in: r).mentions.count, 2)
        XCTAssertFalse(r.entities.contains { $0.type == "person" && ($0.name == "Al" || $0.name == "Sydney") })
        let storms = Fixture.record("Hurricane Irma hit Florida. Typhoon Yagi hit Hà Nội.")
        XCTAssertFalse(storms.entities.contains { $0.name == "Irma" || $0.name == "Yagi" }, "a storm's name is no person")
    }

    func testNamesWithInitials() {
        assertExtracts("⟦Jonathan M. Stan⟧person met ⟦Michael J. Fox⟧person and ⟦George H. W. Bush⟧person.")
    }

    func testNamesWithoutDiacritics() {
        assertExtracts("⟦Nguyen Van Minh⟧person, ⟦deputy director⟧role of ⟦Hanoi⟧place's transport department, said.")
    }

    func testDatesWithValues() {
        let r = Fixture.record("In May 2024, profit rose. Last year it fell. On Monday the bank said two years ago it was small.", published: "2024-12-11")
        let values = Dictionary(r.entities.filter { $0.type == "date" }.flatMap { e in e.mentions.map { ($0.text, e.value) } }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(values["May 2024"], .string("2024-05"))
        XCTAssertEqual(values["Last year"], .string("2023"))
        XCTAssertEqual(values["Monday"], .string("2024-12-09"))
        XCTAssertEqual(values["two years ago"], .string("2022"))
    }

    func testFiguresWithValuesAndUnits() {
        let r = Fixture.record("Profit was VND2.3 trillion, or US$98 million, up 7.4 per cent; 1,954 new members joined and 3.1 trillion VND was spent.")
        func figure(_ text: String) -> ArticleRecord.Entity? { r.entities.first { $0.type == "figure" && $0.mentions[0].text == text } }
        XCTAssertEqual(figure("VND2.3 trillion")?.value, .number(2.3e12))
        XCTAssertEqual(figure("VND2.3 trillion")?.unit, "VND")
        XCTAssertEqual(figure("US$98 million")?.value, .number(98e6))
        XCTAssertEqual(figure("US$98 million")?.unit, "USD")
        XCTAssertEqual(figure("7.4 per cent")?.unit, "percent")
        XCTAssertEqual(figure("1,954")?.value, .number(1954))
        XCTAssertEqual(figure("1,954")?.unit, "new members")
        XCTAssertEqual(figure("3.1 trillion VND")?.value, .number(3.1e12))
    }

    func testNumbersInDatesAndCompoundAdjectivesAreNotFigures() {
        let r = Fixture.record("In 2019 a 520-hectare park opened on December 10, 2024.")
        XCTAssertFalse(r.entities.contains { $0.type == "figure" }, "\(r.entities.map(\.name))")
    }

    func testQuotesWithSpeakers() {
        let text = """
        Nguyễn Văn An, director of the company, said: "We will hire 200 workers this year."

        “Training starts in May,” An said.

        “It is a good year,” he said.
        """
        let r = Fixture.record(text)
        let an = r.entities.first { $0.name == "Nguyễn Văn An" }!
        XCTAssertEqual(r.quotes.count, 3)
        XCTAssertEqual(r.quotes.map(\.speaker), [an.id, an.id, an.id])
        XCTAssertEqual(r.quotes.map(\.rule), ["quote.colon-speaker", "quote.after-speaker", "quote.after-speaker"])
        XCTAssertEqual(r.quotes[1].text, "Training starts in May,")
    }

    func testQuoteBeforeANewParagraphKeepsItsIntroducedSpeaker() {
        let text = """
        Đào Văn Mạnh, deputy secretary of the Party Cell, noted: "We organise initiatives to find promising people."

        Phùng Văn Chiến, a worker at the company, shared his experiences.
        """
        let r = Fixture.record(text)
        let manh = r.entities.first { $0.name == "Đào Văn Mạnh" }!
        XCTAssertEqual(r.quotes.map(\.speaker), [manh.id])
        XCTAssertEqual(r.quotes.map(\.rule), ["quote.colon-speaker"])
    }

    func testTableFormatNamesEntitiesInRelations() {
        let r = Fixture.record("Nguyễn Văn An, director of SungwooVina Co., Ltd., said 20 workers joined.")
        let table = RecordTable.render(r)
        XCTAssertTrue(table.contains("holds_role: person=Nguyễn Văn An  role=director  organization=SungwooVina Co., Ltd."), table)
        XCTAssertTrue(table.contains("20 workers"), table)
    }

    func testHoldsRoleAndLocatedIn() {
        let r = Fixture.record("Nguyễn Văn Trọng, deputy general director of BGG Lạng Giang Joint Stock Company, headquartered in Lạng Giang District's Kép Township, spoke.")
        let holds = r.relations.first { $0.type == "holds_role" }
        XCTAssertNotNil(holds)
        let name = { (id: String?) in r.entities.first { $0.id == id }?.name }
        XCTAssertEqual(name(holds?.arguments.first { $0.0 == "person" }?.1), "Nguyễn Văn Trọng")
        XCTAssertEqual(name(holds?.arguments.first { $0.0 == "role" }?.1), "deputy general director")
        XCTAssertEqual(name(holds?.arguments.first { $0.0 == "organization" }?.1), "BGG Lạng Giang Joint Stock Company")
        let located = r.relations.first { $0.type == "located_in" }
        XCTAssertEqual(name(located?.arguments.first { $0.0 == "object" }?.1), "Kép Township")
        let partOf = r.relations.first { $0.type == "part_of" && name($0.arguments[0].1) == "Kép Township" }
        XCTAssertEqual(name(partOf?.arguments[1].1), "Lạng Giang District")
    }

    func testEveryMentionNamesItsRule() {
        let r = Fixture.record(" date 2024-12-10 BẮC GIANG – Nguyễn Văn Trọng said 308 members joined.")
        for e in r.entities { for m in e.mentions { XCTAssertFalse(m.rule.isEmpty) } }
        XCTAssertTrue(r.entities.contains { $0.type == "place" && $0.mentions[0].text == "BẮC GIANG" })
        XCTAssertTrue(r.entities.contains { $0.type == "date" && $0.value == .string("2024-12-10") })
    }
}
