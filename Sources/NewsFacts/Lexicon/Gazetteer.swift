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

    private var edges = EdgeTable()              // node << 32 | key → child node
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
            if let child = edges.get(e) {
                node = child
            } else {
                let child = Int32(payload.count)
                payload.append([])
                edges.put(e, child)
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
                while j < n, keys[j] >= 0, let child = edges.get(Self.edge(node, keys[j])) {
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

/// An open-addressing hash map from UInt64 to Int32 (trie edges): one probe sequence over
/// two flat arrays, cheaper than `Dictionary` on the lookup path.
struct EdgeTable: Sendable {
    private var keys = [UInt64](repeating: .max, count: 1024)
    private var values = [Int32](repeating: -1, count: 1024)
    private var count = 0

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E3779B97F4A7C15) >> 20) & mask
    }

    @inline(__always)
    func get(_ key: UInt64) -> Int32? {
        let mask = keys.count - 1
        var i = Self.slot(key, mask)
        while true {
            let k = keys[i]
            if k == key { return values[i] }
            if k == .max { return nil }
            i = (i + 1) & mask
        }
    }

    mutating func put(_ key: UInt64, _ value: Int32) {
        if (count + 1) * 2 > keys.count { grow() }
        let mask = keys.count - 1
        var i = Self.slot(key, mask)
        while keys[i] != .max && keys[i] != key { i = (i + 1) & mask }
        if keys[i] == .max { count += 1 }
        keys[i] = key
        values[i] = value
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: .max, count: oldKeys.count * 2)
        values = Array(repeating: -1, count: oldKeys.count * 2)
        count = 0
        for (k, v) in zip(oldKeys, oldValues) where k != .max { put(k, v) }
    }
}
