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

    func testLexiconTellsKeysApartByLengthAndPastTheirFirstEightBytes() {
        // A slot holds a key's first eight bytes and its length (capped at 255): keys that
        // agree there must still get their own ids, and prefixes must stay unknown.
        let long = String(repeating: "x", count: 300)
        let keys = ["", "a", "\u{0}", "\u{0}\u{0}", "abcdefgh", "abcdefghi", "abcdefghj", "abcdefgh\u{0}",
                    long, long + "y", String(long.dropLast()) + "z"]
        var lexicon = Lexicon(capacity: 16)
        let ids = keys.map { lexicon.intern($0) }
        XCTAssertEqual(Set(ids).count, keys.count)
        for (key, id) in zip(keys, ids) {
            XCTAssertEqual(lexicon.id(of: key), id, key)
            XCTAssertEqual(Array(lexicon.bytes(of: id)), Array(key.utf8))
        }
        for unknown in ["abcdefg", "abcdefghij", "b", String(long.dropLast()), long + "yy"] {
            XCTAssertEqual(lexicon.id(of: unknown), Lexicon.unknown, unknown)
        }
        // The tokenizer's short words are looked up by their first eight bytes alone.
        let word = Array("abcdefgh".utf8).withUnsafeBufferPointer { Lexicon.head($0) }
        lexicon.withReader { reader in
            XCTAssertEqual(reader.id(head: word, count: 8), ids[4])
            XCTAssertEqual(reader.id(head: 0x61, count: 1), ids[1])
            XCTAssertEqual(reader.id(head: 0, count: 1), ids[2])
            XCTAssertEqual(reader.id(head: 0, count: 0), ids[0])
            XCTAssertEqual(reader.id(head: 0x62, count: 1), Lexicon.unknown)
        }
    }
}
