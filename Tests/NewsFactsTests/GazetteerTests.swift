import XCTest
@testable import NewsFacts

final class GazetteerTests: XCTestCase {
    func lookups(_ text: String) -> [(String, String)] {
        let a = try! Fixture.extractor().analyse(Fixture.article(text))
        return a.store.items.filter(\.isLookup).map {
            (Fixture.builtin.types.name($0.type), a.article.text(a.tokens.byteRange(Int($0.start)..<Int($0.end))))
        }
    }

    func testFoldedMatchingAcrossDiacriticsAndCase() {
        for text in ["Bắc Giang", "Bac Giang", "BẮC GIANG", "bac giang"] {
            XCTAssertTrue(lookups("In \(text) today").contains { $0.0 == "place.province" && $0.1 == text }, text)
        }
    }

    func testLongestEntryOfEachTypeWinsAtAStart() {
        // "Ho Chi Minh City" and "Ho Chi Minh" are both place.city: only the longer is reported
        // there; "Ho" (a family name, another type) is kept.
        let found = lookups("Ho Chi Minh City grew.")
        XCTAssertTrue(found.contains { $0.0 == "place.city" && $0.1 == "Ho Chi Minh City" })
        XCTAssertFalse(found.contains { $0.0 == "place.city" && $0.1 == "Ho Chi Minh" })
        XCTAssertTrue(found.contains { $0.0 == "person.family" && $0.1 == "Ho" })
    }

    func testMultiWordEntriesWithPunctuation() {
        XCTAssertTrue(lookups("SungwooVina Co., Ltd. said").contains { $0.0 == "org.legal" && $0.1 == "Co., Ltd." })
    }
}
