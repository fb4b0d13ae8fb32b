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
    }
}
