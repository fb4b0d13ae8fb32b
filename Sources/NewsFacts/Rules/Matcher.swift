/// Matching: one compiled phase over one article's tokens and annotations → matches.
///
/// Each rule is tried at each token its first test can accept (rules are indexed by first
/// key, type, shape or kind), in sentences holding the words and spans every match of it
/// needs (64-bit masks per sentence), and the first test is checked before the program
/// runs. Token tests read per-token bits (coverage, starts) kept up to date as phases add
/// annotations, so most tests are a few mask operations. From a start, a
/// depth-first run over the rule's program visits each (instruction, position) pair at most
/// once, so a match costs at most program × window steps whatever the input: no backtracking
/// blow-up. The longest match per rule and start is kept; among paths to the same end the
/// preferred alternative (greedy, left first) wins.
final class Matcher {
    /// Longest span a rule may match, in tokens.
    static let maxSpan = 64

    let rules: RuleSet
    let flat: FlatRules
    let tokens: TokenTable
    let bytes: [UInt8]

    // Indexes over the store, brought up to date at the start of each phase. Phases only add
    // annotations, so each annotation is indexed once.
    private var indexed = 0
    /// Per token, `flat.coverWords` words: the coverage bits of the annotations covering it,
    /// and of those starting at it (so most span tests fail without a walk over the store).
    private var coverage: [UInt64]
    private var tokenStarts: [UInt64]
    /// Per sentence, the required-slot bits (`FlatRules.startBits`) of the annotations
    /// starting in it.
    private var sentenceStarts: [UInt64]

    private let scratch: MatchScratch
    private var spanEnds: [Int32] = []
    /// Packed `token << 20 | rule` candidates found from tokens and lookups, phase after
    /// phase (`pendingFirst[p]..<pendingFirst[p+1]`), each phase's in token order.
    private var pending: [Int64] = []
    private var pendingFirst: [Int] = []
    /// Per sentence, the key bits (`FlatRules.keyBit`) of its tokens.
    private var sentenceKeys: [UInt64] = []
    /// The matches of the last phase, kept for their buffer.
    private var found: [Match] = []
    /// Per rule of the current phase, the last token it was tried at.
    private var triedAt: [Int32] = []

    struct Match {
        var rule: Int32
        var start: Int32
        var end: Int32
        var captures: [Int32]   // 2 slots per capture, -1 when unset
    }

    init(rules: RuleSet, tokens: TokenTable, bytes: [UInt8], scratch: MatchScratch) {
        self.rules = rules
        self.flat = rules.flat
        self.tokens = tokens
        self.bytes = bytes
        self.scratch = scratch
        self.coverage = Array(repeating: 0, count: tokens.count * rules.flat.coverWords)
        self.tokenStarts = coverage
        self.sentenceStarts = Array(repeating: 0, count: tokens.sentences.count)
    }

    // MARK: a phase

    /// All longest matches of the phase's rules, before conflict resolution, ordered by start
    /// and then rule.
    func matches(_ p: Int, _ phase: CompiledPhase, _ dispatch: PhaseDispatch, _ store: AnnotationStore) -> [Match] {
        index(store)
        if pendingFirst.isEmpty { collectCandidates(store) }
        // (token, rule) pairs: from the tokens and lookups (found once for all phases), and
        // from the annotations of earlier phases and for rules that can start anywhere.
        var later: [Int64] = []
        for a in store.items[store.leadingLookups...] {
            let t = Int(a.type)
            for r in Int(dispatch.buckets.typeFirst[t])..<Int(dispatch.buckets.typeFirst[t + 1]) {
                later.append(Int64(a.start) << 20 | Int64(dispatch.buckets.typeRules[r]))
            }
        }
        if !dispatch.anywhere.isEmpty {
            for i in 0..<tokens.count { for local in dispatch.anywhere { later.append(Int64(i) << 20 | Int64(local)) } }
        }
        later.sort()
        triedAt.removeAll(keepingCapacity: true)
        triedAt.append(contentsOf: repeatElement(-1, count: phase.rules.count))
        var out = found   // reuse the buffer of the last phase's matches
        found = []
        out.removeAll(keepingCapacity: true)
        let early = pending[pendingFirst[p]..<pendingFirst[p + 1]]
        var x = early.startIndex, y = 0
        while x < early.endIndex || y < later.count {
            // Merge in token order, so one token's candidates are tried together.
            let c: Int64
            if y == later.count || (x < early.endIndex && early[x] >> 20 <= later[y] >> 20) { c = early[x]; x += 1 }
            else { c = later[y]; y += 1 }
            let i = Int(c >> 20), local = Int(c & 0xFFFFF)
            if triedAt[local] == Int32(i) { continue }
            triedAt[local] = Int32(i)
            let end = min(tokens.sentences[Int(tokens.sentence[i])].upperBound, i + Self.maxSpan)
            attempt(phase.rules[local], i, end, store, &out)
        }
        // Phase rules are numbered in order, so this is token order, then rule order.
        out.sort { ($0.start, $0.rule) < ($1.start, $1.rule) }
        found = out
        return out
    }

    /// One pass over the tokens: which (phase, rule) pairs each token's key, lookups, shape and
    /// kind can start.
    private func collectCandidates(_ store: AnnotationStore) {
        let g = rules.globalDispatch.buckets
        var keys = [UInt64](repeating: 0, count: tokens.sentences.count)
        for i in 0..<tokens.count where tokens.key[i] >= 0 {
            let bit = flat.keyBit[Int(tokens.key[i])]
            if bit > 0 { keys[Int(tokens.sentence[i])] |= 1 << UInt64(bit - 1) }
        }
        sentenceKeys = keys
        // Packed phase << 44 | token << 20 | rule, then grouped by phase. Rules whose words or
        // lookups are missing from the sentence are left out now (lookups are indexed by now).
        var all: [Int64] = []
        all.reserveCapacity(tokens.count * 4)
        let firstRule = rules.globalDispatch.firstRule, starts = sentenceStarts
        func add(_ packed: Int32, _ i: Int) {
            let p = Int(packed >> 16), local = Int(packed & 0xFFFF), s = Int(tokens.sentence[i])
            guard wordsAndLookupsPresent(firstRule[p] + local, keys[s], starts[s]) else { return }
            all.append(Int64(p) << 44 | Int64(i) << 20 | Int64(local))
        }
        for i in 0..<tokens.count {
            let key = Int(tokens.key[i])
            if key >= 0 { for k in Int(g.keyFirst[key])..<Int(g.keyFirst[key + 1]) { add(g.keyRules[k], i) } }
            var id = store.first(at: i)
            while id >= 0 {
                let a = store.items[Int(id)]
                id = store.nextAt[Int(id)]
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
        var first = [Int](repeating: 0, count: rules.phases.count + 1)
        for c in all { first[Int(c >> 44) + 1] += 1 }
        for p in 0..<rules.phases.count { first[p + 1] += first[p] }
        var grouped = [Int64](repeating: 0, count: all.count)
        var next = first
        for c in all {
            let p = Int(c >> 44)
            grouped[next[p]] = c & (1 << 44 - 1)
            next[p] += 1
        }
        pending = grouped
        pendingFirst = first
    }

    /// Adds the annotations made since the last call to the coverage bits and the sentences'
    /// start bits.
    private func index(_ store: AnnotationStore) {
        let words = flat.coverWords
        var starts = sentenceStarts, firsts = tokenStarts
        sentenceStarts = []   // keep one reference, so writes need no copy
        tokenStarts = []
        coverage.withUnsafeMutableBufferPointer { cover in
            for a in store.items[indexed...] {
                let slot = Int(a.type) * 2 + (a.isLookup ? 1 : 0)
                starts[Int(tokens.sentence[Int(a.start)])] |= flat.startBits[slot]
                for w in 0..<words {
                    let mask = flat.raiseMasks[slot * words + w]
                    guard mask != 0 else { continue }
                    firsts[Int(a.start) * words + w] |= mask
                    for t in Int(a.start)..<Int(a.end) { cover[t * words + w] |= mask }
                }
            }
        }
        sentenceStarts = starts
        tokenStarts = firsts
        indexed = store.items.count
    }

    /// Whether a sentence with these key and start bits has every word and every lookup rule
    /// `r` requires (its required rule annotations are checked per phase, in `attempt`).
    @inline(__always)
    private func wordsAndLookupsPresent(_ r: Int, _ keys: UInt64, _ starts: UInt64) -> Bool {
        wordsPresent(r, keys) && starts & flat.requiredLookups[r] == flat.requiredLookups[r]
    }

    /// Whether a sentence with these key bits has every word (or one of each word set) rule
    /// `r` requires.
    @inline(__always)
    private func wordsPresent(_ r: Int, _ keys: UInt64) -> Bool {
        for k in Int(flat.keyMasksFirst[r])..<Int(flat.keyMasksFirst[r + 1]) where keys & flat.keyMasks[k] == 0 { return false }
        return true
    }

    /// Runs rule `r` from token `i` if the sentence has what it requires (words again, for
    /// candidates from annotations; spans, now that this phase's are known) and its first
    /// test holds.
    @inline(__always)
    private func attempt(_ r: Int, _ i: Int, _ limit: Int, _ store: AnnotationStore, _ out: inout [Match]) {
        let s = Int(tokens.sentence[i]), required = flat.requiredSlots[r]
        guard wordsPresent(r, sentenceKeys[s]), sentenceStarts[s] & required == required else { return }
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

    // MARK: one rule at one start

    private func longest(_ rule: Int32, at start: Int, limit: Int, _ store: AnnotationStore) -> Match? {
        let vm = scratch
        let base = Int(flat.base[Int(rule)])
        let window = limit - start
        let width = flat.longestProgram   // stamps by position, then instruction: a run touches few positions
        let generation = vm.nextGeneration()
        let slots = Int(flat.slots[Int(rule)])
        vm.startRun(captureSlots: slots)
        let stamps = vm.stamps, code = flat.code
        var stack = vm.frames   // a local copy, so pushes and pops stay in registers
        defer { vm.frames = stack }
        stack.push(flat.entry[Int(rule)], Int32(start), 0)
        var bestEnd: Int32 = -1
        var bestCaps: Int32 = 0
        while stack.depth > 0 {
            let (pc, pos, caps) = stack.pop()
            let offset = Int(pos) - start
            guard offset <= window else { continue }
            let stamp = offset * width + (Int(pc) - base)
            if stamps[stamp] == generation { continue }
            stamps[stamp] = generation
            switch code[Int(pc)] {
            case .match:
                if pos > bestEnd && Int(pos) > start { bestEnd = pos; bestCaps = caps }
            case .jump(let t):
                stack.push(t, pos, caps)
            case .split(let a, let b):
                stack.push(b, pos, caps)
                stack.push(a, pos, caps)
            case .save(let slot, let next):
                stack.push(next, pos, vm.copyCaptures(caps, setting: slot, to: pos))
            case .test(let node, let next):
                guard Int(pos) < limit else { continue }
                if flat.nodes[Int(node)].isSpan {
                    var ends: [Int32] = []
                    swap(&ends, &spanEnds)   // reuse the buffer without aliasing self
                    ends.removeAll(keepingCapacity: true)
                    collectEnds(Int(node), at: Int(pos), limit: limit, store, into: &ends)
                    for e in ends { stack.push(next, e, caps) }
                    swap(&ends, &spanEnds)
                } else if holds(Int(node), at: Int(pos)) {
                    stack.push(next, pos + 1, caps)
                }
            }
        }
        guard bestEnd > 0 else { return nil }
        return Match(rule: rule, start: Int32(start), end: bestEnd, captures: vm.captures(bestCaps))
    }

    // MARK: predicates

    /// A token test at token `i` (span tests here mean "covered").
    @inline(__always)
    private func holds(_ n: Int, at i: Int) -> Bool {
        let f = Int(flat.fast[n])
        guard f >= 0 else { return holdsByTree(n, at: i) }
        let c = flat.conjunctions[f], key = tokens.key[i]
        guard c.accepts(shape: tokens.shape[i].rawValue, kind: tokens.kind[i].rawValue, key: key,
                        cover: coverage[i * flat.coverWords]) else { return false }
        if c.keyCount == 0 { return true }
        for k in Int(c.keyFirst)..<Int(c.keyFirst + c.keyCount) where flat.keySets[k] == key { return true }
        return false
    }

    /// `holds` for a test that is no single conjunction: a walk over its node tree.
    private func holdsByTree(_ n: Int, at i: Int) -> Bool {
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
        case .lookup, .annotation:
            let bit = Int(node.count)
            return coverage[i * flat.coverWords + bit >> 6] & (1 << UInt64(bit & 63)) != 0
        case .not: return !holds(Int(flat.children[Int(node.value)]), at: i)
        case .and:
            for k in Int(node.value)..<Int(node.value + node.count) where !holds(Int(flat.children[k]), at: i) { return false }
            return true
        case .or:
            for k in Int(node.value)..<Int(node.value + node.count) where holds(Int(flat.children[k]), at: i) { return true }
            return false
        }
    }

    /// Whether annotation `a` is what span test `node` asks for, inside the window.
    @inline(__always)
    private func spans(_ node: FlatRules.Node, _ a: Annotation, _ limit: Int) -> Bool {
        a.isLookup == (node.op == .lookup) && Int(a.end) <= limit && flat.isA[Int(a.type) * flat.typeCount + Int(node.value)]
    }

    /// Whether an annotation span test `node` may pass starts at token `i` (its coverage bit).
    @inline(__always)
    private func startsAt(_ node: FlatRules.Node, _ i: Int) -> Bool {
        let bit = Int(node.count)
        return tokenStarts[i * flat.coverWords + bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    private func spanExists(_ n: Int, at i: Int, limit: Int, _ store: AnnotationStore) -> Bool {
        let node = flat.nodes[n]
        switch node.op {
        case .lookup, .annotation:
            guard startsAt(node, i) else { return false }
            var id = store.first(at: i)
            while id >= 0 {
                if spans(node, store.items[Int(id)], limit) { return true }
                id = store.nextAt[Int(id)]
            }
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
            guard startsAt(node, i) else { return }
            var id = store.first(at: i)
            while id >= 0 {
                let a = store.items[Int(id)]
                if spans(node, a, limit), !out.contains(a.end) { out.append(a.end) }
                id = store.nextAt[Int(id)]
            }
        case .and:
            // Span tests give the candidate ends; token tests must hold on the span's first
            // and last word ("Party Committee" is capitalised, "Party committee" is not).
            // The first span test's ends are appended, then filtered in place.
            let base = out.count
            var first = true
            for k in Int(node.value)..<Int(node.value + node.count) {
                let c = Int(flat.children[k])
                guard flat.nodes[c].isSpan else { continue }
                if first {
                    collectEnds(c, at: i, limit: limit, store, into: &out)
                    first = false
                } else {
                    keep(in: &out, from: base) { hasEnd(c, at: i, $0, limit: limit, store) }
                }
            }
            keep(in: &out, from: base) { e in
                var last = Int(e) - 1   // the last word or number: "Feb." ends in a full stop
                while last > i, tokens.kind[last] == .punct { last -= 1 }
                for k in Int(node.value)..<Int(node.value + node.count) {
                    let c = Int(flat.children[k])
                    if !flat.nodes[c].isSpan && !(holds(c, at: i) && holds(c, at: last)) { return false }
                }
                return true
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

    /// Keeps the ends from `base` on that pass `test`, in order.
    @inline(__always)
    private func keep(in ends: inout [Int32], from base: Int, _ test: (Int32) -> Bool) {
        var kept = base
        for r in base..<ends.count where test(ends[r]) {
            ends[kept] = ends[r]
            kept += 1
        }
        ends.removeLast(ends.count - kept)
    }

    /// Whether span test `n` can match from token `i` to `end` (for a conjunction of two or
    /// more span tests: rare, so the ends are simply collected).
    private func hasEnd(_ n: Int, at i: Int, _ end: Int32, limit: Int, _ store: AnnotationStore) -> Bool {
        var ends: [Int32] = []
        collectEnds(n, at: i, limit: limit, store, into: &ends)
        return ends.contains(end)
    }
}

/// The rule VM's working memory: visit stamps per (instruction, position), the stack of
/// pending (instruction, position, captures) frames and the pool of capture arrays. Raw
/// buffers that grow as needed, so the VM's inner loop does no reference counting.
public final class MatchScratch {
    let stamps: UnsafeMutablePointer<UInt32>
    private let stampCount: Int
    private var generation: UInt32 = 0
    /// The stack of pending frames; a run works on a copy and stores it back.
    var frames = FrameStack()
    private var pool: UnsafeMutablePointer<Int32>
    private var poolCapacity = 1024
    private var poolCount = 0
    private var slots = 0

    /// Working memory for `rules`' programs.
    init(for rules: RuleSet) {
        let count = rules.flat.longestProgram * (Matcher.maxSpan + 1)
        stampCount = count
        stamps = .allocate(capacity: count)
        stamps.initialize(repeating: 0, count: count)
        pool = .allocate(capacity: poolCapacity)
    }

    deinit {
        stamps.deallocate()
        frames.deallocate()
        pool.deallocate()
    }

    /// A fresh stamp value: every (instruction, position) is unvisited again.
    func nextGeneration() -> UInt32 {
        generation &+= 1
        if generation == 0 {
            stamps.update(repeating: 0, count: stampCount)
            generation = 1
        }
        return generation
    }

    /// Empties the stack and the pool; the pool's first array (index 0) has every slot unset.
    func startRun(captureSlots: Int) {
        slots = captureSlots
        frames.depth = 0
        poolCount = 0
        reservePool(slots)
        pool.update(repeating: -1, count: slots)
        poolCount = slots
    }

    /// A copy of capture array `caps` with `slot` set to `pos`; returns the copy's index.
    func copyCaptures(_ caps: Int32, setting slot: Int32, to pos: Int32) -> Int32 {
        reservePool(poolCount + slots)
        let copy = poolCount
        (pool + copy).update(from: pool + Int(caps), count: slots)
        pool[copy + Int(slot)] = pos
        poolCount += slots
        return Int32(copy)
    }

    func captures(_ caps: Int32) -> [Int32] {
        Array(UnsafeBufferPointer(start: pool + Int(caps), count: slots))
    }

    private func reservePool(_ count: Int) {
        guard count > poolCapacity else { return }
        var capacity = poolCapacity
        while capacity < count { capacity *= 2 }
        let bigger = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        bigger.moveInitialize(from: pool, count: poolCount)
        pool.deallocate()
        pool = bigger
        poolCapacity = capacity
    }
}

/// The VM's stack of (instruction, position, captures) frames in a raw buffer that doubles
/// when full. A plain value: whoever holds it owns the buffer (`MatchScratch`), and a run
/// works on a copy that it stores back.
struct FrameStack {
    private var base = UnsafeMutablePointer<(Int32, Int32, Int32)>.allocate(capacity: 256)
    private var capacity = 256
    var depth = 0

    @inline(__always)
    mutating func push(_ pc: Int32, _ pos: Int32, _ caps: Int32) {
        if depth == capacity { grow() }
        base[depth] = (pc, pos, caps)
        depth += 1
    }

    @inline(__always)
    mutating func pop() -> (Int32, Int32, Int32) {
        depth -= 1
        return base[depth]
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<(Int32, Int32, Int32)>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: depth)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    func deallocate() { base.deallocate() }
}
