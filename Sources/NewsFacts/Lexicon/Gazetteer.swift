/// Gazetteer lookup: token key ids → lookup annotations (a trie over key ids).
///
/// Consumes `Rules/gazetteers/*.tsv` at compile time (entry, type, attributes; see
/// Rules/README.md) and, per article, the `TokenTable`; produces one lookup annotation per
/// entry type at the longest entry of that type starting at each token. Cost is linear in the text times
/// the longest entry, never a loop over entries.
public struct Gazetteer: Sendable {
    /// Key id → child of the root, or -1: the first step from each token, without hashing.
    /// The last element is always -1, for keys past the others and unknown keys.
    private var rootChildren: [Int32] = [-1]
    private var edges = EdgeTable()              // node << 32 | key → child node, below the root
    // Nodes and entries in flat arrays of plain structs, a node's entries linked in the order
    // they were added: the lookup path retains and releases no per-node array.
    private var nodes: [Node] = [Node()]
    private var entries: [EntryLink] = []
    private var entryAttributes: [[(String, String)]] = []
    /// One more than the largest entry type: a walk finds at most this many types.
    private var typeLimit = 0

    private struct Node {
        var firstEntry: Int32 = -1               // -1 = none
        /// Bit `key % 64` set for the key of each child: most next tokens are ruled out
        /// without a hash probe, and a leaf (0) ends the walk.
        var childKeys: UInt64 = 0

        var hasChildren: Bool { childKeys != 0 }

        @inline(__always)
        func mayHaveChild(_ key: Int32) -> Bool { childKeys >> UInt64(key & 63) & 1 != 0 }
    }

    private struct EntryLink {
        var type: Int32
        var next: Int32                          // the next entry of its node, or -1
        var hasAttributes: Bool                  // if not, `entryAttributes` need not be read
    }

    public init() {}

    public var entryCount: Int { entries.count }

    @inline(__always)
    private static func edge(_ node: Int32, _ key: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: key))
    }

    /// `key`'s index in `rootChildren` (whose last index is `last`), `last` if it has none.
    /// Without a branch: the root step is taken for every token, known or not.
    @inline(__always)
    private static func rootIndex(_ key: Int32, last: Int) -> Int {
        min(Int(UInt32(bitPattern: key)), last)
    }

    @inline(__always)
    private func child(_ node: Int32, _ key: Int32) -> Int32? {
        guard node == 0 else { return edges.get(Self.edge(node, key)) }
        let c = rootChildren[Self.rootIndex(key, last: rootChildren.count - 1)]
        return c >= 0 ? c : nil
    }

    private mutating func addChild(_ node: Int32, _ key: Int32) -> Int32 {
        let c = Int32(nodes.count)
        nodes.append(Node())
        nodes[Int(node)].childKeys |= 1 << UInt64(key & 63)
        if node == 0 {
            if Int(key) + 1 >= rootChildren.count {
                rootChildren += repeatElement(-1, count: Int(key) + 2 - rootChildren.count)
            }
            rootChildren[Int(key)] = c
        } else {
            edges.put(Self.edge(node, key), c)
        }
        return c
    }

    /// Adds an entry given as its key ids.
    mutating func add(keys: [Int32], type: Int32, attributes: [(String, String)]) {
        var node: Int32 = 0
        for k in keys { node = child(node, k) ?? addChild(node, k) }
        var last: Int32 = -1
        var e = nodes[Int(node)].firstEntry
        while e >= 0 {
            if entries[Int(e)].type == type {
                // The same name twice with one type (e.g. a district name in two provinces):
                // keep every parent, so resolution can pick by context.
                for (k, v) in attributes where !entryAttributes[Int(e)].contains(where: { $0 == (k, v) }) {
                    entryAttributes[Int(e)].append((k, v))
                    entries[Int(e)].hasAttributes = true
                }
                return
            }
            last = e
            e = entries[Int(e)].next
        }
        let new = Int32(entries.count)
        typeLimit = max(typeLimit, Int(type) + 1)
        entries.append(EntryLink(type: type, next: -1, hasAttributes: !attributes.isEmpty))
        entryAttributes.append(attributes)
        if last < 0 { nodes[Int(node)].firstEntry = new } else { entries[Int(last)].next = new }
    }

    /// Adds lookup annotations for `tokens` to `store`: at each token, for each entry type,
    /// the longest entry of that type starting there ("Văn" stays a middle name even where
    /// "Văn Minh" is a commune).
    public func annotate(_ tokens: TokenTable, into store: inout AnnotationStore) {
        // The first steps and the walk's findings go to buffers allocated once per article:
        // not an array made through the runtime's generic path (about 900 instructions), nor
        // one emptied and grown at each token.
        var lookups = ScratchBuffer<Annotation>()
        defer { lookups.deallocate() }
        _ = lookups.reserve(2 * tokens.count)   // news has one or two lookups a token: no regrowth
        withUnsafeTemporaryAllocation(of: RootStep.self, capacity: tokens.count) { starts in
            withUnsafeTemporaryAllocation(of: Found.self, capacity: typeLimit) { found in
                tokens.key.withUnsafeBufferPointer { keys in
                    rootSteps(keys, into: starts)
                    walk(keys, starts, found, &lookups)
                }
            }
        }
        store.addLookups(lookups.elements) { entryAttributes[Int($0)] }
    }

    /// Finds the lookups starting at each token, given the tokens' first steps.
    private func walk(_ keys: UnsafeBufferPointer<Int32>, _ starts: UnsafeMutableBufferPointer<RootStep>,
                      _ found: UnsafeMutableBufferPointer<Found>, _ lookups: inout ScratchBuffer<Annotation>) {
        for i in 0..<keys.count {
            let start = starts[i]
            guard start.node >= 0 else { continue }
            if !start.info.hasChildren {
                // The common case (a function word, a given name): one token, no longer
                // entry to look for, and one entry per type at a node.
                if start.info.firstEntry < 0 { continue }
                add(start.info.firstEntry, start.entry, i..<i + 1, &lookups)
                var e = start.entry.next
                while e >= 0 {
                    add(e, entries[Int(e)], i..<i + 1, &lookups)
                    e = entries[Int(e)].next
                }
                continue
            }
            var count = 0
            var node = start.node
            var end = i + 1
            while true {
                count = collect(node, end: end, into: found, count: count)
                guard end < keys.count, keys[end] >= 0, nodes[Int(node)].mayHaveChild(keys[end]),
                      let next = child(node, keys[end]) else { break }
                node = next
                end += 1
            }
            for f in found[..<count] { add(f.entry, entries[Int(f.entry)], i..<f.end, &lookups) }
        }
    }

    /// A token's first step: the root's child for its key (-1 if none), that node, and the
    /// node's first entry.
    private struct RootStep {
        var node: Int32 = -1
        var info = Node()
        var entry = EntryLink(type: -1, next: -1, hasAttributes: false)
    }

    /// The first step of every token, gathered in passes whose loads do not wait on each
    /// other: in the pipeline these tables are cold (the rule phases ran since the last
    /// article), and token by token each miss would be waited for in turn.
    private func rootSteps(_ keys: UnsafeBufferPointer<Int32>, into steps: UnsafeMutableBufferPointer<RootStep>) {
        rootChildren.withUnsafeBufferPointer { roots in
            let first = steps.baseAddress!, last = roots.count - 1
            for i in 0..<keys.count { (first + i).initialize(to: RootStep(node: roots[Self.rootIndex(keys[i], last: last)])) }
        }
        nodes.withUnsafeBufferPointer { nodes in
            // Node 0 (the root) stands in where there is no child; it is never used.
            for i in 0..<keys.count { steps[i].info = nodes[Int(max(steps[i].node, 0))] }
        }
        guard !entries.isEmpty else { return }
        entries.withUnsafeBufferPointer { entries in
            // Entry 0 stands in where the node has none; it is never used.
            for i in 0..<keys.count { steps[i].entry = entries[Int(max(steps[i].info.firstEntry, 0))] }
        }
    }

    /// A lookup of `entry`, its attributes given by the entry's id (read when the lookups go
    /// into the store, so none is retained and released here).
    @inline(__always)
    private func add(_ entry: Int32, _ e: EntryLink, _ tokens: Range<Int>, _ lookups: inout ScratchBuffer<Annotation>) {
        lookups.append(Annotation(type: e.type, start: Int32(tokens.lowerBound), end: Int32(tokens.upperBound),
                                  rule: -1, attributes: e.hasAttributes ? entry : -1, isLookup: true))
    }

    /// An entry found on a walk: the longest of its type so far.
    private struct Found {
        var type: Int32
        var end: Int
        var entry: Int32
    }

    /// Records the entries of `node` (ending at token `end`) in `found[..<count]`, each
    /// replacing a shorter one of its type; returns the new count.
    @inline(__always)
    private func collect(_ node: Int32, end: Int, into found: UnsafeMutableBufferPointer<Found>, count: Int) -> Int {
        var count = count
        var e = nodes[Int(node)].firstEntry
        while e >= 0 {
            let type = entries[Int(e)].type
            var f = 0
            while f < count && found[f].type != type { f += 1 }
            found[f] = Found(type: type, end: end, entry: e)
            if f == count { count += 1 }
            e = entries[Int(e)].next
        }
        return count
    }
}

/// An open-addressing hash map from UInt64 to Int32 (trie edges): one probe sequence over
/// one flat array, key and value side by side (one cache line per probe), cheaper than
/// `Dictionary` on the lookup path.
struct EdgeTable: Sendable {
    private struct Slot {
        var key: UInt64 = .max    // .max = empty
        var value: Int32 = -1
    }

    private var slots = [Slot](repeating: Slot(), count: 1024)
    private var count = 0

    /// The product's high half folded onto its low half, so both the node (high word) and
    /// the key (low word) decide the slot; the low bits alone made long probe runs.
    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        let h = key &* 0x9E3779B97F4A7C15
        return Int(truncatingIfNeeded: h ^ h >> 32) & mask
    }

    @inline(__always)
    func get(_ key: UInt64) -> Int32? {
        let mask = slots.count - 1
        var i = Self.slot(key, mask)
        while true {
            let s = slots[i]
            if s.key == key { return s.value }
            if s.key == .max { return nil }
            i = (i + 1) & mask
        }
    }

    mutating func put(_ key: UInt64, _ value: Int32) {
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var i = Self.slot(key, mask)
        while slots[i].key != .max && slots[i].key != key { i = (i + 1) & mask }
        if slots[i].key == .max { count += 1 }
        slots[i] = Slot(key: key, value: value)
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(), count: old.count * 2)
        count = 0
        for s in old where s.key != .max { put(s.key, s.value) }
    }
}
