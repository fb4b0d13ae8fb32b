/// Dispatch: which rules can start at a token, looked up by the token's key, the types of the
/// annotations starting there, its shape bits and its kind.
///
/// Built once from each rule's first tests (`FlatRules.firstNodes`); an exact-text test is
/// filed under its text's key. A rule whose first test says nothing selective (`any`, a
/// negation, a suffix) is tried everywhere. The matcher still checks the first test before
/// running a rule's program.
struct TokenBuckets: Sendable {
    /// Rules for key k: `keyRules[keyFirst[k]..<keyFirst[k+1]]`; likewise types, shape masks
    /// and kinds. What a "rule" is (an index in a phase, or a rule id) is up to the owner.
    var keyFirst: [Int32] = []
    var keyRules: [Int32] = []
    var typeFirst: [Int32] = []
    var typeRules: [Int32] = []
    var shapeMasks: [UInt16] = []
    var shapeFirst: [Int32] = [0]
    var shapeRules: [Int32] = []
    var kindFirst: [Int32] = []
    var kindRules: [Int32] = []

    struct Maps {
        var byKey: [Int32: [Int32]] = [:]
        var byType: [Int32: [Int32]] = [:]
        var byShape: [UInt16: [Int32]] = [:]
        var byKind: [Int32: [Int32]] = [:]

        /// Adds every entry of `other`, each rule transformed by `tag`.
        mutating func add(_ other: Maps, _ tag: (Int32) -> Int32) {
            for (k, rules) in other.byKey { byKey[k, default: []] += rules.map(tag) }
            for (t, rules) in other.byType { byType[t, default: []] += rules.map(tag) }
            for (m, rules) in other.byShape { byShape[m, default: []] += rules.map(tag) }
            for (k, rules) in other.byKind { byKind[k, default: []] += rules.map(tag) }
        }
    }

    init() {}

    init(_ maps: Maps, keyCount: Int, typeCount: Int) {
        (keyFirst, keyRules) = Self.csr(maps.byKey, size: keyCount)
        (typeFirst, typeRules) = Self.csr(maps.byType, size: typeCount)
        (kindFirst, kindRules) = Self.csr(maps.byKind, size: TokenTable.Kind.allCases.count)
        for (mask, rules) in maps.byShape.sorted(by: { $0.key < $1.key }) {
            shapeMasks.append(mask)
            shapeRules += rules
            shapeFirst.append(Int32(shapeRules.count))
        }
    }

    static func csr(_ map: [Int32: [Int32]], size: Int) -> ([Int32], [Int32]) {
        var first = [Int32](repeating: 0, count: size + 1)
        var rules: [Int32] = []
        for i in 0..<size {
            first[i] = Int32(rules.count)
            if let list = map[Int32(i)] { rules += list }
        }
        first[size] = Int32(rules.count)
        return (first, rules)
    }
}

/// One phase's dispatch: where its rules (by index in the phase) can start, and those tried
/// everywhere. `GlobalDispatch` merges the starts of all phases for tokens and lookups; the
/// matcher reads `typeFirst`/`typeRules` for annotations made by earlier phases.
/// Read-only once built; a class, so passing it copies no arrays.
final class PhaseDispatch: @unchecked Sendable {
    private(set) var anywhere: [Int32] = []
    /// Where the phase's rules can start, by first key, type, shape mask and kind.
    private(set) var starts = TokenBuckets.Maps()
    /// The rules an annotation of type t starts: `typeRules[typeFirst[t]..<typeFirst[t+1]]`.
    private(set) var typeFirst: [Int32] = []
    private(set) var typeRules: [Int32] = []

    enum Bucket: Hashable { case key(Int32), type(Int32), shape(UInt16), kind(UInt8) }

    init(phase: CompiledPhase, flat: FlatRules) {
        var maps = TokenBuckets.Maps()
        for (local, r) in phase.rules.enumerated() {
            let start = Int(flat.firstStart[r]), count = Int(flat.firstCount[r])
            var buckets: Set<Bucket> = []
            var everywhere = count == 0
            for k in start..<(start + count) {
                guard let b = Self.classify(Int(flat.firstNodes[k]), flat) else { everywhere = true; break }
                buckets.formUnion(b)
            }
            let l = Int32(local)
            if everywhere { anywhere.append(l); continue }
            for b in buckets {
                switch b {
                case .key(let key): maps.byKey[key, default: []].append(l)
                case .type(let q):
                    // Expand the is-a relation now: an annotation of type t starts rules for q ⊇ t.
                    for t in 0..<flat.typeCount where flat.isA[t * flat.typeCount + Int(q)] {
                        maps.byType[Int32(t), default: []].append(l)
                    }
                case .shape(let mask): maps.byShape[mask, default: []].append(l)
                case .kind(let kind): maps.byKind[Int32(kind), default: []].append(l)
                }
            }
        }
        starts = maps
        (typeFirst, typeRules) = TokenBuckets.csr(maps.byType, size: flat.typeCount)
    }

    /// The buckets a first test can be found in, or nil when it can start anywhere.
    static func classify(_ n: Int, _ flat: FlatRules) -> Set<Bucket>? {
        let node = flat.nodes[n]
        switch node.op {
        case .key: return [.key(node.value)]
        case .lookup, .annotation: return [.type(node.value)]
        case .shape: return [.shape(UInt16(node.value))]
        case .kind: return [.kind(UInt8(node.value))]
        case .and:
            // Any one conjunct is a necessary condition: take the most selective one.
            let parts = (Int(node.value)..<Int(node.value + node.count)).compactMap { classify(Int(flat.children[$0]), flat) }
            func rank(_ s: Set<Bucket>) -> Int {
                guard let b = s.first, s.count == 1 else { return 0 }
                switch b { case .key: return 4; case .type: return 3; case .shape: return 2; case .kind: return 1 }
            }
            return parts.max { rank($0) < rank($1) }
        case .or:
            var out: Set<Bucket> = []
            for k in Int(node.value)..<Int(node.value + node.count) {
                guard let b = classify(Int(flat.children[k]), flat) else { return nil }
                out.formUnion(b)
            }
            return out
        case .exact: return node.key >= 0 ? [.key(node.key)] : nil   // a token with this text has this key
        case .suffix, .any, .not: return nil
        }
    }

}

/// All phases at once: a token's key, its lookups and its class (shape bits and kind) → rule
/// ids, so the matcher reads each token once for all phases instead of once per phase.
struct GlobalDispatch: Sendable {
    /// Per phase, the id of its first rule: a phase's rules have consecutive ids.
    let firstRule: [Int]
    /// The number of rules of the largest phase.
    let largestPhase: Int
    let lists: Lists
    private let storage = FrozenArrays()

    /// What the matcher reads per token, as raw lists of rule ids.
    struct Lists: @unchecked Sendable {
        /// The rules key k starts: `keyRules[keyFirst[k]..<keyFirst[k+1]]`; likewise the rules
        /// a lookup of type t starts (`typeFirst`, `typeRules`).
        let keyFirst, keyRules, typeFirst, typeRules: UnsafePointer<Int32>
        /// The rules a token's shape and kind can start: `classRules[classFirst[c]..<classFirst[c+1]]`
        /// for `c = tokenClass(shape, kind)`. Only the shape bits some rule's first test names
        /// count, so there are few classes, and each token needs one lookup instead of a test
        /// per shape mask.
        let classFirst, classRules: UnsafePointer<Int32>
        /// Per rule, its phase.
        let phaseOf: UnsafePointer<Int32>
        /// One bit per key: set when the key starts rules or is a word some rule requires
        /// (`FlatRules.keyBit`). Most tokens' keys are neither, and this small bitmap answers
        /// for them without touching the key-sized tables.
        let keyMatters: UnsafePointer<UInt64>
        /// The named shape bits packed together, by the shape's low and high byte.
        let lowBits, highBits: UnsafePointer<UInt16>

        /// Whether key `k` (≥ 0) starts rules or is a required word.
        @inline(__always)
        func matters(_ k: Int) -> Bool { keyMatters[k >> 6] & (1 << UInt64(k & 63)) != 0 }

        /// The class of a token: its named shape bits, packed, and its kind.
        @inline(__always)
        func tokenClass(_ shape: UInt16, _ kind: UInt8) -> Int {
            Int(lowBits[Int(shape & 0xFF)] | highBits[Int(shape >> 8)]) << 2 | Int(kind)
        }
    }

    init(_ phases: [PhaseDispatch], of compiled: [CompiledPhase], flat: FlatRules, keyCount: Int) {
        let ruleCount = flat.priority.count, typeCount = flat.typeCount
        precondition(TokenTable.Kind.allCases.count <= 4, "a token class keeps the kind in two bits")
        let firstRule = compiled.map { $0.rules.first ?? 0 }
        self.firstRule = firstRule
        var phaseOf = [Int32](repeating: 0, count: ruleCount)
        for (p, phase) in compiled.enumerated() { for r in phase.rules { phaseOf[r] = Int32(p) } }
        largestPhase = compiled.map { $0.rules.count }.max() ?? 0
        var maps = TokenBuckets.Maps()
        for (p, d) in phases.enumerated() { maps.add(d.starts) { Int32(firstRule[p]) + $0 } }
        let b = TokenBuckets(maps, keyCount: keyCount, typeCount: typeCount)
        var matters = [UInt64](repeating: 0, count: keyCount / 64 + 1)
        for k in 0..<keyCount where b.keyFirst[k] < b.keyFirst[k + 1] || flat.keyBit[k] > 0 {
            matters[k >> 6] |= 1 << UInt64(k & 63)
        }
        let (low, high, packed) = Self.shapeClasses(b.shapeMasks.reduce(0, |))
        var first: [Int32] = [0], rules: [Int32] = []
        for c in 0..<((1 << packed) << 2) {
            var list: [Int32] = []
            for (m, mask) in b.shapeMasks.enumerated() {
                let maskClass = Int(low[Int(mask & 0xFF)] | high[Int(mask >> 8)])
                guard (c >> 2) & maskClass == maskClass else { continue }
                list += b.shapeRules[Int(b.shapeFirst[m])..<Int(b.shapeFirst[m + 1])]
            }
            list += b.kindRules[Int(b.kindFirst[c & 3])..<Int(b.kindFirst[(c & 3) + 1])]
            var seen = Set<Int32>()
            rules += list.filter { seen.insert($0).inserted }
            first.append(Int32(rules.count))
        }
        let f = storage
        lists = Lists(keyFirst: f.freeze(b.keyFirst), keyRules: f.freeze(b.keyRules), typeFirst: f.freeze(b.typeFirst),
                      typeRules: f.freeze(b.typeRules), classFirst: f.freeze(first), classRules: f.freeze(rules),
                      phaseOf: f.freeze(phaseOf), keyMatters: f.freeze(matters), lowBits: f.freeze(low), highBits: f.freeze(high))
    }

    /// Per byte value, the named shape bits it holds packed together (low byte, high byte),
    /// and how many bits are named.
    private static func shapeClasses(_ named: UInt16) -> ([UInt16], [UInt16], Int) {
        var low = [UInt16](repeating: 0, count: 256), high = low
        var packed = 0
        for bit in 0..<16 where named & (1 << bit) != 0 {
            for b in 0..<256 where b & (1 << (bit % 8)) != 0 {
                if bit < 8 { low[b] |= 1 << packed } else { high[b] |= 1 << packed }
            }
            packed += 1
        }
        return (low, high, packed)
    }
}
