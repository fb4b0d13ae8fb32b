import Foundation
import XCTest
@testable import NewsFacts

final class ReadingTests: XCTestCase {
    func testMetadataPrefixAndDateline() {
        let a = Fixture.article(" date 2024-12-10 BẮC GIANG – The province of Bắc Giang will act.")
        XCTAssertEqual(a.published, "2024-12-10")
        XCTAssertEqual(a.dateline, "BẮC GIANG")
        XCTAssertNil(a.title)
    }

    func testTitleLineThenDatelineWithComma() {
        let a = Fixture.article("Rice exports rise in July\n\nHANOI, Vietnam's rice exports rose.")
        XCTAssertEqual(a.title, "Rice exports rise in July")
        XCTAssertEqual(a.dateline, "HANOI")
        XCTAssertNil(a.published)
    }

    func testDatelineWithAgencyAndEmDash() {
        let a = Fixture.article("HCM CITY (VNS) — The city said so.")
        XCTAssertEqual(a.dateline, "HCM CITY")
    }

    func testNoDatelineInOrdinaryText() {
        XCTAssertNil(Fixture.article("The province said – nothing.").dateline)
        XCTAssertNil(Fixture.article("A short line.").title)
    }

    func testPublishedOptionOverrides() {
        let a = Fixture.article(" date 2024-12-10 Text.", published: "2025-01-02")
        XCTAssertEqual(a.published, "2025-01-02")
    }

    func testBOMIsRemovedAndOffsetsCountFromAfterIt() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("Hà Nội said.".utf8)
        let a = try! ArticleReader.decode(bytes, source: "bom.txt").get()
        XCTAssertEqual(a.text, "Hà Nội said.")
        let r = try! Fixture.extractor().extract(a)
        let place = r.entities.first { $0.type == "place" }!
        XCTAssertEqual(place.mentions[0].start, 0)
        XCTAssertEqual(place.mentions[0].text, "Hà Nội")
    }

    func testInvalidUTF8NamesTheByteOffset() {
        let bytes: [UInt8] = Array("Good text ".utf8) + [0xC3, 0x28] + Array(" more".utf8)
        guard case .failure(let e) = ArticleReader.decode(bytes, source: "bad.txt") else { return XCTFail("accepted bad UTF-8") }
        XCTAssertEqual(e.offset, 10)
        XCTAssertEqual(e.description, "bad.txt: byte 10: invalid UTF-8")
    }

    func testTruncatedSequenceAtEndIsInvalid() {
        let bytes: [UInt8] = Array("abc".utf8) + [0xE1, 0xBA]
        guard case .failure(let e) = ArticleReader.decode(bytes, source: "t.txt") else { return XCTFail() }
        XCTAssertEqual(e.offset, 3)
    }

    func testNULByteIsRejectedWithOffset() {
        let bytes: [UInt8] = Array("ab".utf8) + [0] + Array("c".utf8)
        guard case .failure(let e) = ArticleReader.decode(bytes, source: "nul.txt") else { return XCTFail() }
        XCTAssertEqual(e.offset, 2)
        XCTAssertTrue(e.description.contains("NUL"))
    }

    func testMissingFileAndDirectory() {
        guard case .failure(let e) = ArticleReader.read("/no/such/file.txt") else { return XCTFail() }
        XCTAssertTrue(e.description.hasPrefix("/no/such/file.txt: "))
        guard case .failure(let d) = ArticleReader.read(NSTemporaryDirectory()) else { return XCTFail() }
        XCTAssertTrue(d.message.contains("directory"))
    }

    func testDirectoriesExpandToSortedTxtFilesRecursively() throws {
        let dir = temporaryDirectory(["b.txt": "B", "a.txt": "A", "sub/c.txt": "C", "notes.md": "x"])
        let paths = ArticleReader.expand([dir])
        XCTAssertEqual(paths.map { URL(fileURLWithPath: $0).lastPathComponent }, ["a.txt", "b.txt", "c.txt"])
    }

    func testCRLFTextKeepsCodePointOffsets() {
        let text = "Title line\r\n\r\nNguyễn Văn An, director of the company, said so.\r\n"
        let r = Fixture.record(text)
        for (_, s, e, t) in Fixture.mentions(r) {
            XCTAssertEqual(String(String.UnicodeScalarView(Array(text.unicodeScalars)[s..<e])), t)
        }
        XCTAssertTrue(Fixture.mentions(r).contains { $0.type == "person" && $0.text == "Nguyễn Văn An" })
    }
}
