import Foundation
import XCTest
@testable import NewsFacts

/// Shared fixtures: the repository root, the built-in rules (loaded once) and a span-marking
/// helper for readable expectations.
enum Fixture {
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let rulesDir = root.appendingPathComponent("Rules").path
    static let corpusDir = root.appendingPathComponent("Corpus/articles").path

    static let builtin: RuleSet = try! RuleSet.load(directories: [rulesDir])

    static func extractor() -> Extractor { try! Extractor(rules: builtin) }

    static func article(_ text: String, source: String = "test.txt", published: String? = nil) -> Article {
        try! ArticleReader.decode(Array(text.utf8), source: source, published: published).get()
    }

    static func record(_ text: String, published: String? = nil) -> ArticleRecord {
        try! extractor().extract(article(text, published: published))
    }

    /// Parses "⟦Trần Thị Hoa⟧person said" into the plain text and expected (type, text) spans.
    static func marked(_ s: String) -> (text: String, spans: [(type: String, start: Int, end: Int, text: String)]) {
        var text = ""
        var spans: [(String, Int, Int, String)] = []
        var scalars = Array(s.unicodeScalars)[...]
        var open: Int? = nil
        var count = 0
        while let c = scalars.first {
            scalars = scalars.dropFirst()
            if c == "⟦" { open = count; continue }
            if c == "⟧", let o = open {
                var type = ""
                while let t = scalars.first, t.properties.isAlphabetic { type.unicodeScalars.append(t); scalars = scalars.dropFirst() }
                let inner = String(String.UnicodeScalarView(Array(text.unicodeScalars)[o..<count]))
                spans.append((type, o, count, inner))
                open = nil
                continue
            }
            text.unicodeScalars.append(c)
            count += 1
        }
        return (text, spans)
    }

    /// Mentions of a record as (type, start, end, text).
    static func mentions(_ r: ArticleRecord) -> [(type: String, start: Int, end: Int, text: String)] {
        r.entities.flatMap { e in e.mentions.map { (e.type, $0.start, $0.end, $0.text) } }.sorted { $0.start < $1.start }
    }
}

extension XCTestCase {
    /// A temporary directory with the given files (relative path → content), removed when the
    /// test ends.
    func temporaryDirectory(_ files: [String: String]) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nf-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        for (path, content) in files {
            let url = dir.appendingPathComponent(path)
            try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try! content.write(to: url, atomically: true, encoding: .utf8)
        }
        return dir.path
    }

    /// Asserts that every marked span is extracted with its type, exactly.
    func assertExtracts(_ marked: String, published: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
        let (text, spans) = Fixture.marked(marked)
        let got = Fixture.mentions(Fixture.record(text, published: published))
        for s in spans {
            XCTAssertTrue(got.contains { $0.type == s.type && $0.start == s.start && $0.end == s.end },
                          "expected \(s.type) '\(s.text)' at \(s.start)..<\(s.end); got \(got.map { "\($0.type):\($0.text)" })",
                          file: file, line: line)
        }
    }
}
