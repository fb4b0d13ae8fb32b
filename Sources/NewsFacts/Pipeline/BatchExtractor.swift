import Foundation

/// Many articles: paths → records, in parallel across cores, delivered in input order.
///
/// One `Extractor` (ICU iterators) per worker over one shared `RuleSet`. A failure to read or
/// process one input is delivered as that input's result; the others go on.
public struct BatchExtractor {
    public let rules: RuleSet
    public var batchSize = 64

    public init(rules: RuleSet) { self.rules = rules }

    public enum ItemError: Error, CustomStringConvertible {
        case read(ReadError)
        case engine(String, String)

        public var description: String {
            switch self {
            case .read(let e): return e.description
            case .engine(let source, let message): return "\(source): \(message)"
            }
        }
    }

    /// Calls `deliver` for each path in order, on the calling thread.
    public func run(_ paths: [String], published: String?,
                    deliver: (Int, String, Result<ArticleRecord, ItemError>) throws -> Void) throws {
        try run(paths, published: published, render: { $0 }, deliver: deliver)
    }

    /// Like `run`, with `render` (e.g. JSON encoding) applied to each record on the workers.
    public func run<Output>(_ paths: [String], published: String?, render: @escaping @Sendable (ArticleRecord) -> Output,
                            deliver: (Int, String, Result<Output, ItemError>) throws -> Void) throws {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let extractors = try (0..<workers).map { _ in try Extractor(rules: rules) }
        var start = 0
        while start < paths.count {
            let chunk = Array(paths[start..<min(paths.count, start + batchSize)])
            let results = UnsafeMutableBufferPointer<Result<Output, ItemError>?>.allocate(capacity: chunk.count)
            results.initialize(repeating: nil)
            defer { results.deallocate() }
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var i = w
                while i < chunk.count {
                    results[i] = Self.one(chunk[i], published: published, extractors[w]).map(render)
                    i += workers
                }
            }
            for (i, path) in chunk.enumerated() { try deliver(start + i, path, results[i]!) }
            start += chunk.count
        }
    }

    static func one(_ path: String, published: String?, _ extractor: Extractor) -> Result<ArticleRecord, ItemError> {
        switch ArticleReader.read(path, published: published) {
        case .failure(let e): return .failure(.read(e))
        case .success(let article):
            do { return .success(try extractor.extract(article)) }
            catch { return .failure(.engine(path, "\(error)")) }
        }
    }
}
