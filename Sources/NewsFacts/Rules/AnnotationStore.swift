/// AnnotationStore: spans over token ranges with a type, attributes and the rule that made them.
///
/// Gazetteer lookups (`isLookup`) and rule annotations live side by side; a phase reads every
/// annotation of earlier phases through the start-token index and adds its own.
public struct Annotation: Sendable {
    public var type: Int32
    /// Token range [start, end).
    public var start: Int32
    public var end: Int32
    /// Rule id (index into `RuleSet.rules`), or -1 for a lookup / a reader annotation.
    public var rule: Int32
    /// Index into `AnnotationStore.attributes`, or -1.
    public var attributes: Int32
    public var isLookup: Bool
}

public struct AnnotationStore: Sendable {
    public private(set) var items: [Annotation] = []
    public private(set) var attributes: [[(String, String)]] = []
    /// Annotation ids ordered by start token; `firstAt[t]..<firstAt[t+1]` start at token t.
    private(set) var order: [Int32] = []
    private var firstAt: [Int32] = []
    private let tokenCount: Int

    public init(tokenCount: Int) {
        self.tokenCount = tokenCount
        firstAt = Array(repeating: 0, count: tokenCount + 1)
        items.reserveCapacity(tokenCount * 2)   // news has one to two lookups a token
    }

    /// Lookups are added first (by the gazetteer): items before this index are all lookups.
    public private(set) var leadingLookups = 0

    @discardableResult
    public mutating func add(type: Int32, tokens: Range<Int>, rule: Int32, isLookup: Bool,
                             attributes attrs: [(String, String)] = []) -> Int32 {
        var a: Int32 = -1
        if !attrs.isEmpty {
            a = Int32(attributes.count)
            attributes.append(attrs)
        }
        if isLookup && leadingLookups == items.count { leadingLookups += 1 }
        items.append(Annotation(type: type, start: Int32(tokens.lowerBound), end: Int32(tokens.upperBound),
                                rule: rule, attributes: a, isLookup: isLookup))
        return Int32(items.count - 1)
    }

    /// How many items the start index covers (-1: none built yet).
    private var indexedCount = -1

    /// Rebuilds the start index (a counting sort by start token); call after a phase has
    /// added its annotations.
    public mutating func reindex() {
        guard items.count != indexedCount else { return }
        indexedCount = items.count
        var first = [Int32](repeating: 0, count: tokenCount + 1)
        for a in items { first[Int(a.start) + 1] += 1 }
        for t in 0..<tokenCount { first[t + 1] += first[t] }
        var next = first
        var sorted = [Int32](repeating: 0, count: items.count)
        for (i, a) in items.enumerated() {
            sorted[Int(next[Int(a.start)])] = Int32(i)
            next[Int(a.start)] += 1
        }
        firstAt = first
        order = sorted
    }

    /// Positions in `order` of the (indexed) annotations starting at token `t`.
    @inline(__always)
    func range(startingAt t: Int) -> Range<Int> {
        guard t < tokenCount else { return 0..<0 }
        return Int(firstAt[t])..<Int(firstAt[t + 1])
    }

    /// Ids of the (indexed) annotations starting at token `t`.
    @inline(__always)
    public func starting(at t: Int) -> ArraySlice<Int32> { order[range(startingAt: t)] }

    public func attributes(of a: Annotation) -> [(String, String)] {
        a.attributes < 0 ? [] : attributes[Int(a.attributes)]
    }

    public func attribute(_ key: String, of a: Annotation) -> String? {
        attributes(of: a).first { $0.0 == key }?.1
    }
}
