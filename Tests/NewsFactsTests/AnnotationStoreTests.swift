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

    func testLookupsAddedInOneGoAreIndexedAsOneByOne() {
        let lists: [[(String, String)]] = [[("parent", "Bắc Giang")], []]
        let found = [Annotation(type: 3, start: 0, end: 2, rule: -1, attributes: 0, isLookup: true),
                     Annotation(type: 4, start: 0, end: 1, rule: -1, attributes: -1, isLookup: true),
                     Annotation(type: 5, start: 2, end: 3, rule: -1, attributes: 1, isLookup: true)]
        var bulk = AnnotationStore(tokenCount: 4), single = AnnotationStore(tokenCount: 4)
        bulk.add(type: 9, tokens: 0..<1, rule: -1, isLookup: true)
        single.add(type: 9, tokens: 0..<1, rule: -1, isLookup: true)
        found.withUnsafeBufferPointer { bulk.addLookups($0) { lists[Int($0)] } }
        for a in found {
            single.add(type: a.type, tokens: Int(a.start)..<Int(a.end), rule: -1, isLookup: true,
                       attributes: a.attributes < 0 ? [] : lists[Int(a.attributes)])
        }
        bulk.add(type: 7, tokens: 0..<3, rule: 2, isLookup: false)
        single.add(type: 7, tokens: 0..<3, rule: 2, isLookup: false)
        XCTAssertEqual(bulk.leadingLookups, 4)
        XCTAssertEqual(bulk.items.map(\.type), single.items.map(\.type))
        XCTAssertEqual(bulk.items.map(\.attributes), single.items.map(\.attributes))
        XCTAssertEqual(bulk.items[1].attributes, 0, "the entry's list is copied in")
        XCTAssertEqual(bulk.items[3].attributes, -1, "an empty list is none")
        for t in 0..<4 { XCTAssertEqual(Array(bulk.starting(at: t)), Array(single.starting(at: t))) }
        XCTAssertEqual(Array(bulk.starting(at: 0)), [0, 1, 2, 4])
        XCTAssertEqual(bulk.attribute("parent", of: bulk.items[1]), "Bắc Giang")
    }
}
