import XCTest
@testable import NewsFacts

final class FoldingTests: XCTestCase {
    func testVietnameseLettersFoldIncludingDStroke() {
        let f = FoldTable.shared
        XCTAssertEqual(f.fold("Đào Văn Mạnh"), "dao van manh")
        XCTAssertEqual(f.fold("BẮC GIANG"), "bac giang")
        XCTAssertEqual(f.fold("đồng"), "dong")
        XCTAssertEqual(f.fold("Nguyễn".decomposedStringWithCanonicalMapping), "nguyen")
    }

    func testPunctuationFoldsToASCII() {
        XCTAssertEqual(FoldTable.shared.fold("province’s “plan”"), "province's \"plan\"")
    }

    func testOtherScriptsAreKept() {
        XCTAssertEqual(FoldTable.shared.fold("東京"), "東京")
    }

    func testOffsetMapCountsCodePoints() {
        let m = OffsetMap(Array("aĐb".utf8))
        XCTAssertEqual(m.codePoint(0), 0)
        XCTAssertEqual(m.codePoint(1), 1)
        XCTAssertEqual(m.codePoint(3), 2)
        XCTAssertEqual(m.codePointCount, 3)
    }

    /// Text ids fold eight ASCII bytes at a time; the result must be the table's, and equal
    /// folded texts must get equal ids.
    func testTextIDsFoldAsTheTableDoes() {
        let pieces = ["A", "b", "Z", "z", "@", "[", "`", "{", " ", "0", "Đ", "ễ", "ß", "東", "Ö", "-", "\u{7F}"]
        var ids = TextIDs()
        var byFolded: [String: Int32] = [:]
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 0...24)).map { _ in pieces.randomElement()! }.joined()
            let bytes = Array(text.utf8)
            let folded = FoldTable.shared.fold(text)
            XCTAssertEqual(TextIDs.foldedString(bytes, 0..<bytes.count), folded, text)
            let id = ids.folded(bytes, 0..<bytes.count, add: true)!
            XCTAssertEqual(ids.string(id), folded, text)
            XCTAssertEqual(byFolded[folded, default: id], id, text)
            byFolded[folded] = id
            XCTAssertEqual(TextIDs.foldsToItself(bytes, 0..<bytes.count), folded == text && text.utf8.allSatisfy { $0 < 0x80 }, text)
        }
    }

    /// Emptied for the next article, text ids start again from 0 and know none of the
    /// earlier texts, however far the table grew.
    func testTextIDsEmptiedKnowNoEarlierText() {
        var ids = TextIDs()
        let words = (0..<600).map { "Word\($0)" }
        for w in words { _ = ids.plain(w, add: true) }
        XCTAssertEqual(ids.plain("Word599", add: false), 599)
        ids.removeAll()
        XCTAssertNil(ids.plain("Word0", add: false))
        XCTAssertNil(ids.plain("Word599", add: false))
        XCTAssertEqual(ids.plain("Bắc Giang", add: true), 0)
        XCTAssertEqual(ids.plain("Word7", add: true), 1)
        XCTAssertEqual(ids.string(0), "Bắc Giang")
        XCTAssertEqual(ids.plain("Bắc Giang", add: false), 0)
    }
}
