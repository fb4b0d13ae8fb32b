import Foundation
import XCTest
@testable import NewsFacts

final class RecordJSONTests: XCTestCase {
    func testSchemaKeysAndEscaping() throws {
        let r = Fixture.record("Title \"quoted\"\tline\n\nNguyễn Văn An said.")
        for pretty in [true, false] {
            let json = RecordJSON.encode(r, pretty: pretty)
            if !pretty { XCTAssertFalse(json.contains("\n"), "jsonl output is one line") }
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
            XCTAssertEqual(object["schema"] as? String, "newsfacts/1")
            let article = object["article"] as! [String: Any]
            XCTAssertEqual(article["title"] as? String, "Title \"quoted\"\tline")
            XCTAssertEqual((article["id"] as? String)?.count, 16)
            XCTAssertTrue(article["published"] is NSNull)
            let entities = object["entities"] as! [[String: Any]]
            XCTAssertTrue(entities.contains { $0["type"] as? String == "person" && $0["folded"] as? String == "nguyen van an" })
        }
    }

    func testArticleIdIsStableAndContentDerived() {
        XCTAssertEqual(Fixture.record("Same text.").article.id, Fixture.record("Same text.").article.id)
        XCTAssertNotEqual(Fixture.record("Same text.").article.id, Fixture.record("Other text.").article.id)
        // Texts one byte apart (in the first eight bytes, past them, at the end) or one byte
        // longer all differ.
        let long = String(repeating: "Nguyễn Văn An said so. ", count: 5)
        let texts = ["a", "b", "ab", "Same text.", "Same text!", "Same text. ", "Same text.Same text.",
                     long, long + "x", "x" + long.dropFirst(), String(long.prefix(40)) + "Z" + long.dropFirst(41)]
        XCTAssertEqual(Set(texts).count, texts.count)
        XCTAssertEqual(Set(texts.map { Resolver.contentHash(Array($0.utf8)) }).count, texts.count)
    }
}
