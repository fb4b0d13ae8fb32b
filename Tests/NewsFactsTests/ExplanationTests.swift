import XCTest
@testable import NewsFacts

/// `Explanation`: what `newsfacts explain` prints for a place in an article.
final class ExplanationTests: XCTestCase {
    func lines(_ text: String, at window: Range<Int>?, lookups: Bool = false) throws -> [String] {
        let extractor = Fixture.extractor()
        let analysis = try extractor.analyse(Fixture.article(text))
        let record = Resolver(rules: extractor.rules).record(analysis)
        return Explanation(analysis: analysis, record: record, rules: extractor.rules).lines(in: window, lookups: lookups)
    }

    func testARuleAnnotationNamesItsRuleAndReachesTheOutput() throws {
        let out = try lines("Dan Savage wrote a column.", at: 0..<3)
        XCTAssertEqual(out.count, 1)
        XCTAssertTrue(out[0].hasPrefix("* 0..<10  person  \"Dan Savage\"  20-names.rules:given-family-name ("), out[0])
        XCTAssertNotNil(out[0].range(of: #"Rules/patterns/20-names\.rules:\d+:1\)$"#, options: .regularExpression),
                        "the rule's file, line and column: \(out[0])")
    }

    func testLookupsAreListedAtAPlace() throws {
        let out = try lines("Dan Savage wrote a column.", at: 0..<3, lookups: true)
        XCTAssertTrue(out.contains { $0.hasPrefix("  0..<3  person.given  \"Dan\"  gazetteer") }, out.joined(separator: "\n"))
    }

    func testAShortNameShowsTheEntityItJoined() throws {
        let out = try lines("Dan Savage wrote a column. Later, Savage said it.", at: 35..<36)
        XCTAssertEqual(out, ["* 34..<40  person  \"Savage\"  resolve.short-name → E1 \"Dan Savage\""])
    }
}
