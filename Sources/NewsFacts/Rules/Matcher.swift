/// Matching: one compiled phase over one article's tokens and annotations → matches.
///
/// Each rule is tried at each token its first test can accept (rules are indexed by first
/// key or type). From a start, a depth-first run over the rule's program visits each
/// (instruction, position) pair at most once, so a match costs at most program × window steps
/// whatever the input: no backtracking blow-up. The longest match per rule and start is kept;
/// among paths to the same end the preferred alternative (greedy, left first) wins.
struct Matcher {
    /// Longest span a rule may match, in tokens.
    static let maxSpan = 64

    let rules: RuleSet
    let tokens: TokenTable
    let bytes: [UInt8]
    private var stamps: [UInt32]
    private var generation: UInt32 = 0
    private var stack: [(pc: Int32, pos: Int32, caps: Int32)] = []
    private var pool: [Int32] = []
    private var spanEnds: [Int32] = []
    private var coverage: [[Bool]?]

    struct Match {
        var rule: Int32
        var start: Int32
        var end: Int32
        var captures: [Int32]   // 2 slots per capture, -1 when unset
    }

    init(rules: RuleSet, tokens: TokenTable, bytes: [UInt8]) {
        self.rules = rules
        self.tokens = tokens
        self.bytes = bytes
        self.stamps = Array(repeating: 0, count: rules.longestProgram * (Self.maxSpan + 1))
        self.coverage = Array(repeating: nil, count: rules.types.names.count * 2)
    }

    // MARK: a phase

    /// All longest matches of the phase's rules, before conflict resolution.
    mutating func matches(_ phase: CompiledPhase, _ store: AnnotationStore) -> [Match] {
        prepareCoverage(phase, store)
        var out: [Match] = []
        var tried = [Int32](repeating: -1, count: phase.rules.count)
        let index = rules.phaseIndex[phase.name]!
        for sentence in tokens.sentences {
            let limit = sentence.upperBound
            for i in sentence {
                func attempt(_ local: Int) {
                    guard tried[local] != Int32(i) else { return }
                    tried[local] = Int32(i)
                    let r = phase.rules[local]
                    if let m = longest(Int32(r), at: i, limit: min(limit, i + Self.maxSpan), store) { out.append(m) }
                }
                for local in index.anywhere { attempt(local) }
                if tokens.key[i] >= 0, let list = index.byKey[tokens.key[i]] { for local in list { attempt(local) } }
                if !index.byType.isEmpty {
                    for a in store.starting(at: i) {
                        let t = store.items[Int(a)].type
                        for (q, list) in index.byType where rules.types.isA(t, q) { for local in list { attempt(local) } }
                    }
                }
            }
        }
        return out
    }

    private mutating func prepareCoverage(_ phase: CompiledPhase, _ store: AnnotationStore) {
        for i in coverage.indices { coverage[i] = nil }
        for t in phase.coverageTypes {
            var lookups = [Bool](repeating: false, count: tokens.count)
            var annotations = lookups
            for a in store.items where rules.types.isA(a.type, t) {
                for k in Int(a.start)..<Int(a.end) {
                    if a.isLookup { lookups[k] = true } else { annotations[k] = true }
                }
            }
            coverage[Int(t) * 2] = annotations
            coverage[Int(t) * 2 + 1] = lookups
        }
    }

    // MARK: one rule at one start

    private mutating func longest(_ ruleIndex: Int32, at start: Int, limit: Int, _ store: AnnotationStore) -> Match? {
        let rule = rules.rules[Int(ruleIndex)]
        let program = rule.program
        let window = limit - start
        let width = Self.maxSpan + 1
        generation &+= 1
        if generation == 0 { for i in stamps.indices { stamps[i] = 0 }; generation = 1 }
        let slots = rule.captures.count * 2
        pool.removeAll(keepingCapacity: true)
        pool.append(contentsOf: repeatElement(-1, count: slots))
        stack.removeAll(keepingCapacity: true)
        stack.append((Int32(program.count - 1), Int32(start), 0))
        var bestEnd: Int32 = -1
        var bestCaps: Int32 = 0
        while let (pc, pos, caps) = stack.popLast() {
            let offset = Int(pos) - start
            guard offset <= window else { continue }
            let stamp = Int(pc) * width + offset
            if stamps[stamp] == generation { continue }
            stamps[stamp] = generation
            switch program[Int(pc)] {
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
            case .test(let p, let next):
                guard Int(pos) < limit else { continue }
                let pred = rules.predicates[Int(p)]
                if pred.isSpan {
                    spanEnds.removeAll(keepingCapacity: true)
                    collectEnds(pred, at: Int(pos), limit: limit, store, into: &spanEnds)
                    for e in spanEnds { stack.append((next, e, caps)) }
                } else if holds(pred, at: Int(pos)) {
                    stack.append((next, pos + 1, caps))
                }
            }
        }
        guard bestEnd > 0 else { return nil }
        return Match(rule: ruleIndex, start: Int32(start), end: bestEnd,
                     captures: Array(pool[Int(bestCaps)..<(Int(bestCaps) + slots)]))
    }

    // MARK: predicates

    private func holds(_ p: Predicate, at i: Int) -> Bool {
        switch p {
        case .key(let k): return tokens.key[i] == k
        case .shape(let s): return tokens.shape[i].contains(s)
        case .kind(let k): return tokens.kind[i] == k
        case .any: return true
        case .exact(let text):
            let s = Int(tokens.start[i]), e = Int(tokens.end[i])
            guard e - s == text.count else { return false }
            for k in 0..<text.count where bytes[s + k] != text[k] { return false }
            return true
        case .suffix(let text):
            let s = Int(tokens.start[i]), e = Int(tokens.end[i])
            guard e - s > text.count else { return false }
            for k in 0..<text.count where bytes[e - text.count + k] | 0x20 != text[k] { return false }
            return true
        case .lookup(let t): return coverage[Int(t) * 2 + 1]?[i] ?? false
        case .annotation(let t): return coverage[Int(t) * 2]?[i] ?? false
        case .not(let q): return !holds(q, at: i)
        case .and(let ps):
            for q in ps where !holds(q, at: i) { return false }
            return true
        case .or(let ps):
            for q in ps where holds(q, at: i) { return true }
            return false
        }
    }

    private func collectEnds(_ p: Predicate, at i: Int, limit: Int, _ store: AnnotationStore, into out: inout [Int32]) {
        switch p {
        case .lookup(let t), .annotation(let t):
            let lookup: Bool
            if case .lookup = p { lookup = true } else { lookup = false }
            for id in store.starting(at: i) {
                let a = store.items[Int(id)]
                if a.isLookup == lookup, Int(a.end) <= limit, rules.types.isA(a.type, t), !out.contains(a.end) {
                    out.append(a.end)
                }
            }
        case .and(let ps):
            // Span tests give the candidate ends; token tests must hold on the span's first
            // and last token ("Party Committee" is capitalised, "Party committee" is not).
            var first = true
            var acc: [Int32] = []
            for q in ps where q.isSpan {
                var ends: [Int32] = []
                collectEnds(q, at: i, limit: limit, store, into: &ends)
                acc = first ? ends : acc.filter { ends.contains($0) }
                first = false
            }
            for e in acc where !out.contains(e) {
                if ps.allSatisfy({ $0.isSpan || (holds($0, at: i) && holds($0, at: Int(e) - 1)) }) { out.append(e) }
            }
        case .or(let ps):
            for q in ps {
                if q.isSpan { collectEnds(q, at: i, limit: limit, store, into: &out) }
                else if holds(q, at: i), !out.contains(Int32(i + 1)) { out.append(Int32(i + 1)) }
            }
        default:
            if holds(p, at: i) { out.append(Int32(i + 1)) }
        }
    }
}
