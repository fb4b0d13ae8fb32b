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
    /// The start index, kept as annotations are added: per token, the first and last
    /// annotation starting there, and per annotation the next one starting at its token, so
    /// each token's list is in the order the annotations were added.
    private var heads: [Head]
    private(set) var nextAt: [Int32] = []

    private struct Head {
        var first: Int32 = -1
        var last: Int32 = -1
    }

    public init(tokenCount: Int) {
        heads = Array(repeating: Head(), count: tokenCount)
        items.reserveCapacity(tokenCount * 2)   // news has one to two lookups a token
        nextAt.reserveCapacity(tokenCount * 2)
        attributes.reserveCapacity(tokenCount)
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
        let id = Int32(items.count), t = tokens.lowerBound
        items.append(Annotation(type: type, start: Int32(t), end: Int32(tokens.upperBound),
                                rule: rule, attributes: a, isLookup: isLookup))
        nextAt.append(-1)
        let last = heads[t].last
        if last < 0 { heads[t] = Head(first: id, last: id) } else { nextAt[Int(last)] = id; heads[t].last = id }
        return id
    }

    /// Adds lookups in one go: the same as `add(type:tokens:rule: -1, isLookup: true,
    /// attributes:)` for each of `found` in turn, whose `attributes` field holds an id that
    /// `lists` turns into the lookup's attributes (or -1 for none). One append per column
    /// instead of one per lookup (a news article has one or two lookups a token).
    public mutating func addLookups(_ found: UnsafeBufferPointer<Annotation>, attributes lists: (Int32) -> [(String, String)]) {
        let first = items.count
        if leadingLookups == first { leadingLookups += found.count }
        items.append(contentsOf: found)
        nextAt.append(contentsOf: repeatElement(-1, count: found.count))
        for id in first..<items.count where items[id].attributes >= 0 {
            let list = lists(items[id].attributes)
            items[id].attributes = list.isEmpty ? -1 : Int32(attributes.count)
            if !list.isEmpty { attributes.append(list) }
        }
        items.withUnsafeBufferPointer { items in
            heads.withUnsafeMutableBufferPointer { heads in
                nextAt.withUnsafeMutableBufferPointer { nextAt in
                    for id in first..<items.count {
                        let t = Int(items[id].start), last = heads[t].last
                        if last < 0 { heads[t] = Head(first: Int32(id), last: Int32(id)) } else {
                            nextAt[Int(last)] = Int32(id)
                            heads[t].last = Int32(id)
                        }
                    }
                }
            }
        }
    }

    /// The first annotation starting at token `t` (-1: none); `nextAt` links the others.
    @inline(__always)
    func first(at t: Int) -> Int32 { t < heads.count ? heads[t].first : -1 }

    /// Ids of the annotations starting at token `t`, in the order they were added.
    public func starting(at t: Int) -> Starting { Starting(links: nextAt, id: first(at: t)) }

    /// A walk along one token's list of annotations.
    public struct Starting: Sequence, IteratorProtocol {
        let links: [Int32]
        var id: Int32

        public mutating func next() -> Int32? {
            guard id >= 0 else { return nil }
            defer { id = links[Int(id)] }
            return id
        }
    }

    public func attributes(of a: Annotation) -> [(String, String)] {
        a.attributes < 0 ? [] : attributes[Int(a.attributes)]
    }

    public func attribute(_ key: String, of a: Annotation) -> String? {
        attributes(of: a).first { $0.0 == key }?.1
    }
}
