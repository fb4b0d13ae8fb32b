/// Matching: one compiled phase over one article's tokens and annotations → matches.
///
/// Each rule is tried at each token its first test can accept (rules are indexed by first
/// key or type, and the first test is checked before the program runs). From a start, a
/// depth-first run over the rule's program visits each (instruction, position) pair at most
/// once, so a match costs at most program × window steps whatever the input: no backtracking
/// blow-up. The longest match per rule and start is kept; among paths to the same end the
/// preferred alternative (greedy, left first) wins.
struct Matcher {
    /// Longest span a rule may match, in tokens.
    static let maxSpan = 64

    let rules: RuleSet
    let flat: FlatRules
    let tokens: TokenTable
    let bytes: [UInt8]
    private var stamps: [UInt32]
    private var generation: UInt32 = 0
    private var stack: [(pc: Int32, pos: Int32, caps: Int32)] = []
    private var pool: [Int32] = []
    private var spanEnds: [Int32] = []
    /// Per slot (type * 2 for rule annotations, type * 2 + 1 for lookups): where its block of
    /// `coverage` starts (tokens covered by such an annotation), or -1. Lookup blocks are made
    /// once per article, annotation blocks are rewritten for each phase that needs them.
    private var coverageBlock: [Int32]
    private var coverage: [Bool] = []
    /// Likewise, blocks of `nextStart`: the first token at or after each token where such an
    /// annotation starts (for rules' required span tests). Lookup blocks stay valid.
    private var nextBlock: [Int32]
    /// How many rule annotations there were when an annotation slot's tables were made:
    /// phases only add annotations, so an unchanged count means unchanged tables.
    private var nextMadeAt: [Int32]
    private var coverageMadeAt: [Int32]
    private var nextStart: [Int32] = []
    /// Per phase: packed `token << 20 | rule` candidates found from tokens and lookups.
    private var pending: [[Int64]] = []

    struct Match {
        var rule: Int32
        var start: Int32
        var end: Int32
        var captures: [Int32]   // 2 slots per capture, -1 when unset
    }

    init(rules: RuleSet, tokens: TokenTable, bytes: [UInt8]) {
        self.rules = rules
        self.flat = rules.flat
        self.tokens = tokens
        self.bytes = bytes
        self.stamps = Array(repeating: 0, count: rules.flat.longestProgram * (Self.maxSpan + 1))
        self.coverageBlock = Array(repeating: -1, count: rules.flat.typeCount * 2)
        self.nextBlock = Array(repeating: -1, count: rules.flat.typeCount * 2)
        self.nextMadeAt = Array(repeating: -1, count: rules.flat.typeCount * 2)
        self.coverageMadeAt = Array(repeating: -1, count: rules.flat.typeCount * 2)
    }

    // MARK: a phase

    /// All longest matches of the phase's rules, before conflict resolution.
    mutating func matches(_ p: Int, _ phase: CompiledPhase, _ dispatch: PhaseDispatch, _ store: AnnotationStore) -> [Match] {
        if pending.isEmpty { collectCandidates(store) }
        prepareCoverage(phase, store)
        // (token, rule) pairs: from the tokens and lookups (found once for all phases), from
        // the annotations of earlier phases, and for rules that can start anywhere.
        var candidates = pending[p]
        for a in store.items[store.leadingLookups...] {
            let t = Int(a.type)
            for r in Int(dispatch.buckets.typeFirst[t])..<Int(dispatch.buckets.typeFirst[t + 1]) {
                candidates.append(Int64(a.start) << 20 | Int64(dispatch.buckets.typeRules[r]))
            }
        }
        if !dispatch.anywhere.isEmpty {
            for i in 0..<tokens.count { for local in dispatch.anywhere { candidates.append(Int64(i) << 20 | Int64(local)) } }
        }
        candidates.sort()
        var out: [Match] = []
        var previous: Int64 = -1
        for c in candidates where c != previous {
            previous = c
            let i = Int(c >> 20), local = Int(c & 0xFFFFF)
            let end = min(tokens.sentences[Int(tokens.sentence[i])].upperBound, i + Self.maxSpan)
            attempt(phase.rules[local], i, end, store, &out)
        }
        return out
    }

    /// One pass over the tokens: which (phase, rule) pairs each token's key, lookups, shape and
    /// kind can start.
    private mutating func collectCandidates(_ store: AnnotationStore) {
        let g = rules.globalDispatch.buckets
        pending = Array(repeating: [], count: rules.phases.count)
        func add(_ packed: Int32, _ i: Int) { pending[Int(packed >> 16)].append(Int64(i) << 20 | Int64(packed & 0xFFFF)) }
        for i in 0..<tokens.count {
            let key = Int(tokens.key[i])
            if key >= 0 { for k in Int(g.keyFirst[key])..<Int(g.keyFirst[key + 1]) { add(g.keyRules[k], i) } }
            for k in store.range(startingAt: i) {
                let a = store.items[Int(store.order[k])]
                guard a.isLookup else { continue }
                for r in Int(g.typeFirst[Int(a.type)])..<Int(g.typeFirst[Int(a.type) + 1]) { add(g.typeRules[r], i) }
            }
            let shape = tokens.shape[i].rawValue
            for (m, mask) in g.shapeMasks.enumerated() where shape & mask == mask {
                for k in Int(g.shapeFirst[m])..<Int(g.shapeFirst[m + 1]) { add(g.shapeRules[k], i) }
            }
            let kind = Int(tokens.kind[i].rawValue)
            for k in Int(g.kindFirst[kind])..<Int(g.kindFirst[kind + 1]) { add(g.kindRules[k], i) }
        }
    }

    @inline(__always)
    private mutating func attempt(_ r: Int, _ i: Int, _ limit: Int, _ store: AnnotationStore, _ out: inout [Match]) {
        for k in Int(flat.requiredFirst[r])..<Int(flat.requiredFirst[r + 1]) {
            if nextStart[Int(nextBlock[Int(flat.requiredSlots[k])]) + i] >= Int32(limit) { return }
        }
        guard firstTestPasses(r, at: i, limit: limit, store) else { return }
        if let m = longest(Int32(r), at: i, limit: limit, store) { out.append(m) }
    }

    private func firstTestPasses(_ r: Int, at i: Int, limit: Int, _ store: AnnotationStore) -> Bool {
        let count = Int(flat.firstCount[r])
        if count == 0 { return true }
        let start = Int(flat.firstStart[r])
        for k in start..<(start + count) {
            let node = Int(flat.firstNodes[k])
            if flat.nodes[node].isSpan {
                if spanExists(node, at: i, limit: limit, store) { return true }
            } else if holds(node, at: i) {
                return true
            }
        }
        return false
    }

    /// Builds, for this phase, the coverage of negated span tests and the next-start tables of
    /// required span tests. Lookups never change, so their tables are built once per article;
    /// tables over rule annotations are rebuilt for each phase.
    private mutating func prepareCoverage(_ phase: CompiledPhase, _ store: AnnotationStore) {
        let n = tokens.count
        let made = Int32(store.items.count - store.leadingLookups)
        for r in phase.rules {
            for k in Int(flat.requiredFirst[r])..<Int(flat.requiredFirst[r + 1]) {
                let slot = Int(flat.requiredSlots[k])
                let lookup = slot % 2 == 1
                if nextBlock[slot] >= 0 && (lookup || nextMadeAt[slot] == made) { continue }
                if nextBlock[slot] < 0 {
                    nextBlock[slot] = Int32(nextStart.count)
                    nextStart.append(contentsOf: repeatElement(0, count: n + 1))
                }
                nextMadeAt[slot] = made
                let base = Int(nextBlock[slot]), type = slot / 2
                for t in 0...n { nextStart[base + t] = Int32(n) }
                let items = lookup ? store.items[...] : store.items[store.leadingLookups...]
                for a in items where a.isLookup == lookup && flat.isA[Int(a.type) * flat.typeCount + type] {
                    nextStart[base + Int(a.start)] = min(nextStart[base + Int(a.start)], a.start)
                }
                var t = n - 1
                while t >= 0 { nextStart[base + t] = min(nextStart[base + t], nextStart[base + t + 1]); t -= 1 }
            }
        }
        for type in phase.coverageTypes {
            let annotationSlot = Int(type) * 2, lookupSlot = annotationSlot + 1
            let lookupsNeeded = coverageBlock[lookupSlot] < 0
            if !lookupsNeeded && coverageMadeAt[annotationSlot] == made { continue }
            coverageMadeAt[annotationSlot] = made
            for slot in lookupsNeeded ? [annotationSlot, lookupSlot] : [annotationSlot] {
                if coverageBlock[slot] < 0 {
                    coverageBlock[slot] = Int32(coverage.count)
                    coverage.append(contentsOf: repeatElement(false, count: n))
                } else {
                    let base = Int(coverageBlock[slot])
                    for t in 0..<n { coverage[base + t] = false }
                }
            }
            let annotationBase = Int(coverageBlock[annotationSlot]), lookupBase = Int(coverageBlock[lookupSlot])
            let items = lookupsNeeded ? store.items[...] : store.items[store.leadingLookups...]
            for a in items where (lookupsNeeded || !a.isLookup) && flat.isA[Int(a.type) * flat.typeCount + Int(type)] {
                let base = a.isLookup ? lookupBase : annotationBase
                for k in Int(a.start)..<Int(a.end) { coverage[base + k] = true }
            }
        }
    }

    // MARK: one rule at one start

    private mutating func longest(_ rule: Int32, at start: Int, limit: Int, _ store: AnnotationStore) -> Match? {
        let base = Int(flat.base[Int(rule)])
        let window = limit - start
        let width = Self.maxSpan + 1
        generation &+= 1
        if generation == 0 { for i in stamps.indices { stamps[i] = 0 }; generation = 1 }
        let slots = Int(flat.slots[Int(rule)])
        pool.removeAll(keepingCapacity: true)
        for _ in 0..<slots { pool.append(-1) }
        stack.removeAll(keepingCapacity: true)
        stack.append((flat.entry[Int(rule)], Int32(start), 0))
        var bestEnd: Int32 = -1
        var bestCaps: Int32 = 0
        while let (pc, pos, caps) = stack.popLast() {
            let offset = Int(pos) - start
            guard offset <= window else { continue }
            let stamp = (Int(pc) - base) * width + offset
            if stamps[stamp] == generation { continue }
            stamps[stamp] = generation
            switch flat.code[Int(pc)] {
            case .match:
                if pos > bestEnd && Int(pos) > start { bestEnd = pos; bestCaps = caps }
            case .jump(let t):
                stack.append((t, pos, caps))
            case .split(let a, let b):
                stack.append((b, pos, caps))
                stack.append((a, pos, caps))
            case .save(let slot, let next):
                let copy = Int32(pool.count)
                for k in 0..<slots { pool.append(pool[Int(caps) + k]) }
                pool[Int(copy) + Int(slot)] = pos
                stack.append((next, pos, copy))
            case .test(let node, let next):
                guard Int(pos) < limit else { continue }
                if flat.nodes[Int(node)].isSpan {
                    var ends: [Int32] = []
                    swap(&ends, &spanEnds)   // reuse the buffer without aliasing self
                    ends.removeAll(keepingCapacity: true)
                    collectEnds(Int(node), at: Int(pos), limit: limit, store, into: &ends)
                    for e in ends { stack.append((next, e, caps)) }
                    swap(&ends, &spanEnds)
                } else if holds(Int(node), at: Int(pos)) {
                    stack.append((next, pos + 1, caps))
                }
            }
        }
        guard bestEnd > 0 else { return nil }
        return Match(rule: rule, start: Int32(start), end: bestEnd,
                     captures: Array(pool[Int(bestCaps)..<(Int(bestCaps) + slots)]))
    }

    // MARK: predicates

    /// A token test at token `i` (span tests here mean "covered").
    private func holds(_ n: Int, at i: Int) -> Bool {
        let node = flat.nodes[n]
        switch node.op {
        case .key: return tokens.key[i] == node.value
        case .shape: return tokens.shape[i].rawValue & UInt16(node.value) == UInt16(node.value)
        case .kind: return tokens.kind[i].rawValue == UInt8(node.value)
        case .any: return true
        case .exact:
            let s = Int(tokens.start[i]), e = Int(tokens.end[i])
            guard e - s == Int(node.count) else { return false }
            for k in 0..<Int(node.count) where bytes[s + k] != flat.bytes[Int(node.value) + k] { return false }
            return true
        case .suffix:
            let s = Int(tokens.start[i]), e = Int(tokens.end[i]), c = Int(node.count)
            guard e - s > c else { return false }
            for k in 0..<c where bytes[e - c + k] | 0x20 != flat.bytes[Int(node.value) + k] { return false }
            return true
        case .lookup: return covered(Int(node.value) * 2 + 1, i)
        case .annotation: return covered(Int(node.value) * 2, i)
        case .not: return !holds(Int(flat.children[Int(node.value)]), at: i)
        case .and:
            for k in Int(node.value)..<Int(node.value + node.count) where !holds(Int(flat.children[k]), at: i) { return false }
            return true
        case .or:
            for k in Int(node.value)..<Int(node.value + node.count) where holds(Int(flat.children[k]), at: i) { return true }
            return false
        }
    }

    @inline(__always)
    private func covered(_ slot: Int, _ i: Int) -> Bool {
        let block = Int(coverageBlock[slot])
        return block >= 0 && coverage[block + i]
    }

    /// Whether annotation `a` is what span test `node` asks for, inside the window.
    @inline(__always)
    private func spans(_ node: FlatRules.Node, _ a: Annotation, _ limit: Int) -> Bool {
        a.isLookup == (node.op == .lookup) && Int(a.end) <= limit && flat.isA[Int(a.type) * flat.typeCount + Int(node.value)]
    }

    private func spanExists(_ n: Int, at i: Int, limit: Int, _ store: AnnotationStore) -> Bool {
        let node = flat.nodes[n]
        switch node.op {
        case .lookup, .annotation:
            for k in store.range(startingAt: i) where spans(node, store.items[Int(store.order[k])], limit) { return true }
            return false
        case .and:
            for k in Int(node.value)..<Int(node.value + node.count) {
                let c = Int(flat.children[k])
                if flat.nodes[c].isSpan ? !spanExists(c, at: i, limit: limit, store) : !holds(c, at: i) { return false }
            }
            return true
        case .or:
            for k in Int(node.value)..<Int(node.value + node.count) {
                let c = Int(flat.children[k])
                if flat.nodes[c].isSpan ? spanExists(c, at: i, limit: limit, store) : holds(c, at: i) { return true }
            }
            return false
        default:
            return holds(n, at: i)
        }
    }

    private func collectEnds(_ n: Int, at i: Int, limit: Int, _ store: AnnotationStore, into out: inout [Int32]) {
        let node = flat.nodes[n]
        switch node.op {
        case .lookup, .annotation:
            for k in store.range(startingAt: i) {
                let a = store.items[Int(store.order[k])]
                if spans(node, a, limit), !out.contains(a.end) { out.append(a.end) }
            }
        case .and:
            // Span tests give the candidate ends; token tests must hold on the span's first
            // and last word ("Party Committee" is capitalised, "Party committee" is not).
            var first = true
            var acc: [Int32] = []
            for k in Int(node.value)..<Int(node.value + node.count) {
                let c = Int(flat.children[k])
                guard flat.nodes[c].isSpan else { continue }
                var ends: [Int32] = []
                collectEnds(c, at: i, limit: limit, store, into: &ends)
                acc = first ? ends : acc.filter { ends.contains($0) }
                first = false
            }
            for e in acc where !out.contains(e) {
                var last = Int(e) - 1   // the last word or number: "Feb." ends in a full stop
                while last > i, tokens.kind[last] == .punct { last -= 1 }
                var ok = true
                for k in Int(node.value)..<Int(node.value + node.count) {
                    let c = Int(flat.children[k])
                    if !flat.nodes[c].isSpan && !(holds(c, at: i) && holds(c, at: last)) { ok = false; break }
                }
                if ok { out.append(e) }
            }
        case .or:
            for k in Int(node.value)..<Int(node.value + node.count) {
                let c = Int(flat.children[k])
                if flat.nodes[c].isSpan { collectEnds(c, at: i, limit: limit, store, into: &out) }
                else if holds(c, at: i), !out.contains(Int32(i + 1)) { out.append(Int32(i + 1)) }
            }
        default:
            if holds(n, at: i) { out.append(Int32(i + 1)) }
        }
    }
}
