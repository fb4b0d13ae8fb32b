/// Gazetteer lookup: token key ids → lookup annotations (a trie over key ids).
///
/// Consumes `Rules/gazetteers/*.tsv` at compile time (entry, type, attributes; see
/// Rules/README.md) and, per article, the `TokenTable`; produces one lookup annotation per
/// entry type at the longest entry of that type starting at each token. Cost is linear in the text times
/// the longest entry, never a loop over entries.
public struct Gazetteer: Sendable {
    struct Entry: Sendable {
        var type: Int32
        var attributes: [(String, String)]
    }

    private var edges: [UInt64: Int32] = [:]     // node << 32 | key → child node
    private var payload: [[Entry]] = [[]]        // per node
    public private(set) var entryCount = 0

    public init() {}

    @inline(__always)
    private static func edge(_ node: Int32, _ key: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: key))
    }

    /// Adds an entry given as its key ids.
    mutating func add(keys: [Int32], type: Int32, attributes: [(String, String)]) {
        var node: Int32 = 0
        for k in keys {
            let e = Self.edge(node, k)
            if let child = edges[e] {
                node = child
            } else {
                let child = Int32(payload.count)
                payload.append([])
                edges[e] = child
                node = child
            }
        }
        if let i = payload[Int(node)].firstIndex(where: { $0.type == type }) {
            // The same name twice with one type (e.g. a district name in two provinces): keep
            // every parent, so resolution can pick by context.
            for (k, v) in attributes where !payload[Int(node)][i].attributes.contains(where: { $0 == (k, v) }) {
                payload[Int(node)][i].attributes.append((k, v))
            }
        } else {
            payload[Int(node)].append(Entry(type: type, attributes: attributes))
            entryCount += 1
        }
    }

    /// Adds lookup annotations for `tokens` to `store`: at each token, for each entry type,
    /// the longest entry of that type starting there ("Văn" stays a middle name even where
    /// "Văn Minh" is a commune).
    public func annotate(_ tokens: TokenTable, into store: inout AnnotationStore) {
        let n = tokens.count
        var found: [(type: Int32, end: Int, node: Int32, index: Int)] = []
        tokens.key.withUnsafeBufferPointer { keys in
            for i in 0..<n where keys[i] >= 0 {
                found.removeAll(keepingCapacity: true)
                var node: Int32 = 0
                var j = i
                while j < n, keys[j] >= 0, let child = edges[Self.edge(node, keys[j])] {
                    node = child
                    j += 1
                    for (k, e) in payload[Int(node)].enumerated() {
                        if let f = found.firstIndex(where: { $0.type == e.type }) { found[f] = (e.type, j, node, k) }
                        else { found.append((e.type, j, node, k)) }
                    }
                }
                for f in found {
                    let e = payload[Int(f.node)][f.index]
                    store.add(type: e.type, tokens: i..<f.end, rule: -1, isLookup: true, attributes: e.attributes)
                }
            }
        }
    }
}
