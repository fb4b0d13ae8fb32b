/// Flat rules: the compiled programs and predicates of a `RuleSet` laid out as plain arrays
/// of trivial values, for the matcher's inner loop (no reference counting per step).
///
/// Built once from the compiler's `Predicate` trees and per-rule programs.
struct FlatRules: Sendable {
    enum Op: UInt8, Sendable { case key, exact, suffix, shape, kind, lookup, annotation, any, not, and, or }

    struct Node: Sendable {
        var op: Op
        var isSpan: Bool
        /// key id, type id, shape bits, kind, or the first child / first byte.
        var value: Int32
        /// number of children or bytes.
        var count: Int32
    }

    var nodes: [Node] = []
    var children: [Int32] = []
    var bytes: [UInt8] = []
    /// All rules' instructions; a `test` names a node index, jumps are absolute.
    var code: [Instruction] = []
    var entry: [Int32] = []
    var base: [Int32] = []
    var slots: [Int32] = []
    /// The nodes a rule's first token must pass (any of them), as a range into `firstNodes`.
    var firstStart: [Int32] = []
    var firstCount: [Int32] = []
    var firstNodes: [Int32] = []
    /// Span tests every match of a rule must pass (type, lookup?): a rule is not run where no
    /// such annotation starts before the end of its window.
    /// As a range per rule (`requiredFirst[r]..<requiredFirst[r+1]`) of slots: type * 2 + 1 for
    /// a lookup, type * 2 for a rule annotation.
    var requiredFirst: [Int32] = [0]
    var requiredSlots: [Int32] = []
    /// isA[t * typeCount + q]: type t is q or below it.
    var isA: [Bool] = []
    var typeCount = 0
    var longestProgram = 1

    init() {}

    init(predicates: [Predicate], rules: [CompiledRule], types: TypeRegistry) {
        var root: [Int32] = []
        for p in predicates { root.append(add(p)) }
        for rule in rules {
            let b = Int32(code.count)
            base.append(b)
            slots.append(Int32(rule.captures.count * 2))
            for inst in rule.program {
                switch inst {
                case .test(let p, let next): code.append(.test(root[Int(p)], next: next + b))
                case .split(let x, let y): code.append(.split(x + b, y + b))
                case .jump(let t): code.append(.jump(t + b))
                case .save(let s, let next): code.append(.save(s, next: next + b))
                case .match: code.append(.match)
                }
            }
            entry.append(Int32(code.count - 1))
            longestProgram = max(longestProgram, rule.program.count)
            firstStart.append(Int32(firstNodes.count))
            let firsts = Self.firstTests(rule.program)
            firstNodes += firsts.map { root[Int($0)] }
            firstCount.append(firsts.contains(-1) ? 0 : Int32(firsts.count))
            for q in Self.mandatory(rule.program).flatMap({ Self.spanTypes(predicates[Int($0)]) }) {
                let slot = q.type * 2 + (q.lookup ? 1 : 0)
                if !requiredSlots[Int(requiredFirst.last!)...].contains(slot) { requiredSlots.append(slot) }
            }
            requiredFirst.append(Int32(requiredSlots.count))
        }
        typeCount = types.names.count
        isA = Array(repeating: false, count: typeCount * typeCount)
        for t in 0..<typeCount {
            for q in 0..<typeCount where types.isA(Int32(t), Int32(q)) { isA[t * typeCount + q] = true }
        }
    }

    /// Predicate indexes of the tests reachable before anything is consumed; -1 when the
    /// rule can reach `match` without a test (then it is always tried).
    static func firstTests(_ program: [Instruction]) -> [Int32] {
        var out: [Int32] = []
        var seen = Set<Int32>()
        var stack: [Int32] = [Int32(program.count - 1)]
        while let pc = stack.popLast() {
            guard seen.insert(pc).inserted else { continue }
            switch program[Int(pc)] {
            case .match: out.append(-1)
            case .jump(let t): stack.append(t)
            case .save(_, let n): stack.append(n)
            case .split(let a, let b): stack.append(a); stack.append(b)
            case .test(let p, _): if !out.contains(p) { out.append(p) }
            }
        }
        return out
    }

    /// Predicate indexes of the tests on every path from the entry to `match`.
    static func mandatory(_ program: [Instruction]) -> [Int32] {
        let entry = program.count - 1
        func reachesMatch(avoiding blocked: Int) -> Bool {
            var seen = [Bool](repeating: false, count: program.count)
            var stack = [entry]
            while let pc = stack.popLast() {
                if pc == blocked || seen[pc] { continue }
                seen[pc] = true
                switch program[pc] {
                case .match: return true
                case .jump(let t): stack.append(Int(t))
                case .save(_, let n), .test(_, let n): stack.append(Int(n))
                case .split(let a, let b): stack.append(Int(a)); stack.append(Int(b))
                }
            }
            return false
        }
        var out: [Int32] = []
        for (pc, inst) in program.enumerated() {
            if case .test(let p, _) = inst, !out.contains(p), !reachesMatch(avoiding: pc) { out.append(p) }
        }
        return out
    }

    /// The positive span tests a predicate requires (itself, or conjuncts of it).
    static func spanTypes(_ p: Predicate) -> [(type: Int32, lookup: Bool)] {
        switch p {
        case .lookup(let t): return [(t, true)]
        case .annotation(let t): return [(t, false)]
        case .and(let qs): return qs.flatMap { spanTypes($0) }
        default: return []
        }
    }

    private mutating func add(_ p: Predicate) -> Int32 {
        let index = Int32(nodes.count)
        nodes.append(Node(op: .any, isSpan: p.isSpan, value: 0, count: 0))
        var node = nodes[Int(index)]
        switch p {
        case .key(let k): node.op = .key; node.value = k
        case .exact(let b): node.op = .exact; node.value = Int32(bytes.count); node.count = Int32(b.count); bytes += b
        case .suffix(let b): node.op = .suffix; node.value = Int32(bytes.count); node.count = Int32(b.count); bytes += b
        case .shape(let s): node.op = .shape; node.value = Int32(s.rawValue)
        case .kind(let k): node.op = .kind; node.value = Int32(k.rawValue)
        case .lookup(let t): node.op = .lookup; node.value = t
        case .annotation(let t): node.op = .annotation; node.value = t
        case .any: node.op = .any
        case .not(let q):
            node.op = .not
            let c = add(q)
            node.value = Int32(children.count); node.count = 1
            children.append(c)
        case .and(let qs), .or(let qs):
            if case .and = p { node.op = .and } else { node.op = .or }
            let cs = qs.map { add($0) }
            node.value = Int32(children.count); node.count = Int32(cs.count)
            children += cs
        }
        nodes[Int(index)] = node
        return index
    }
}
