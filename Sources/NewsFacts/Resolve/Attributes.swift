/// Attributes: an annotation's key/value pairs as the rules wrote them → value by key.
///
/// Consumes the pairs of `AnnotationStore.attributes(of:)` without copying them into a
/// dictionary (most mentions have a handful of pairs, read once); where a key repeats, its
/// first value counts. A dictionary literal makes one (`["year": "2024"]`).
public struct Attributes: ExpressibleByDictionaryLiteral, Sendable {
    private let pairs: [(String, String)]

    public init(_ pairs: [(String, String)]) { self.pairs = pairs }

    public init(dictionaryLiteral elements: (String, String)...) { pairs = elements }

    /// Inlined: the key is a literal at every call in the resolver, so its length is known
    /// when compiled, and a call cost as much as the search (a mention is looked up for
    /// several keys).
    @inline(__always)
    public subscript(key: String) -> String? {
        // Lengths first: most keys differ in length, and comparing those is one load, where
        // `==` on two different strings takes the library's slow comparison.
        let n = key.utf8.count
        for i in pairs.indices where pairs[i].0.utf8.count == n && pairs[i].0 == key { return pairs[i].1 }
        return nil
    }
}
