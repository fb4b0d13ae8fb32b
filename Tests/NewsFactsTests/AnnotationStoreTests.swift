import XCTest
@testable import NewsFacts

/// The store's start index: kept as annotations are added, in the order they were added.
final class AnnotationStoreTests: XCTestCase {
    func testStartingListsAnnotationsInTheOrderAdded() {
        var store = AnnotationStore(tokenCount: 5)
        let a = store.add(type: 0, tokens: 2..<3, rule: -1, isLookup: true)
        let b = store.add(type: 1, tokens: 0..<2, rule: -1, isLookup: true)
        let c = store.add(type: 2, tokens: 2..<5, rule: 0, isLookup: false, attributes: [("k", "v")])
        XCTAssertEqual(Array(store.starting(at: 2)), [a, c])
        XCTAssertEqual(Array(store.starting(at: 0)), [b])
        XCTAssertEqual(Array(store.starting(at: 1)), [])
        XCTAssertEqual(store.first(at: 4), -1)
        XCTAssertEqual(store.first(at: 5), -1, "past the last token")
        XCTAssertEqual(store.leadingLookups, 2)
        XCTAssertEqual(store.attribute("k", of: store.items[Int(c)]), "v")
    }
}
