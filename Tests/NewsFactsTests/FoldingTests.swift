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
}
