/// Flat rules: the compiled programs and predicates of a `RuleSet` laid out as plain arrays
/// of trivial values, for the matcher's inner loop (no reference counting per step).
///
/// Built once from the compiler's `Predicate` trees and per-rule programs, and read-only after
/// that (so shared by threads). A class, so the matcher holds it without copying its arrays.
final class FlatRules: @unchecked Sendable {
    enum Op: UInt8, Sendable { case key, exact, suffix, shape, kind, lookup, annotation, any, not, and, or }

    struct Node: Sendable {
        var op: Op
        var isSpan: Bool
        /// key id, type id, shape bits, kind, or the first child / first byte.
        var value: Int32
        /// number of children or bytes; for `lookup` and `annotation`, the coverage bit.
        var count: Int32
        /// For `exact`: the folded key a token with this text has, or -1.
        var key: Int32 = -1
    }

    private(set) var nodes: [Node] = []
    private(set) var children: [Int32] = []
    private(set) var bytes: [UInt8] = []
    /// All rules' instructions as the matcher runs them: jumps are absolute, and each test is
    /// resolved to how it is checked.
    private(set) var steps: [Step] = []

    /// One instruction, as plain values.
    struct Step: Sendable {
        enum Op: UInt8, Sendable {
            case match, jump, split, save
            /// A token test that is one `Conjunction` (`arg`), one that is not (`arg`: its
            /// node), and a span test (`arg`: its node).
            case token, tree, span
        }
        var op: Op
        /// The conjunction, the node or the capture slot.
        var arg: Int32 = 0
        /// Where the step goes on (for a split: the preferred branch).
        var next: Int32 = 0
        /// A split's other branch. For a span test: the coverage bit that an annotation its
        /// test can take must start with (`startBit`), or -1 when there is no single one.
        var other: Int32 = 0
    }
    private(set) var entry: [Int32] = []
    /// Per rule, its priority (for the conflict policy).
    private(set) var priority: [Int32] = []
    private(set) var base: [Int32] = []
    private(set) var slots: [Int32] = []
    /// The nodes a rule's first token must pass (any of them), as a range into `firstNodes`.
    private(set) var firstStart: [Int32] = []
    private(set) var firstCount: [Int32] = []
    private(set) var firstNodes: [Int32] = []
    /// A slot is what a span test names: type * 2 + 1 for lookups of the type, type * 2 for
    /// rule annotations of it.
    ///
    /// Required slots are those whose span tests, together, every match of a rule passes one
    /// of (`addRequiredSpans`). Each has a bit (shared beyond 64): `Needs.slots` holds a rule's, `startBits[slot]` those an
    /// annotation of the slot satisfies (its own type's and its ancestors'). The matcher keeps,
    /// per token, the bits of the annotations starting from it to the sentence's end, and
    /// skips a rule lacking one.
    private(set) var startBits: [UInt64] = []
    /// Per rule, the spans and words every match of it needs.
    private(set) var needs: [Needs] = []
    /// Required words beyond a rule's first two (`Needs.extraFirst`).
    private(set) var extraWords: [UInt64] = []

    /// What every match of a rule needs from the tokens from its start to the sentence's end.
    struct Needs: Sendable {
        /// Required-slot bits of its span tests, and the part of them that are lookups' (known
        /// before the first phase).
        var slots: UInt64 = 0
        var lookups: UInt64 = 0
        /// Its first two required words (or word sets) as key-bit masks; 0: none.
        var words0: UInt64 = 0
        var words1: UInt64 = 0
        var extraFirst: Int32 = 0
        var extraCount: Int32 = 0
        /// A required span's slot bit and the most tokens before it: it starts within
        /// `nearWithin` tokens after the match's start. 0: no such bound.
        var nearBit: UInt64 = 0
        var nearWithin: Int32 = 0
        /// A required word's (or word set's) key bits, and the most tokens before it: it is
        /// within `nearWordsWithin` tokens after the match's start. 0: no such bound.
        var nearWords: UInt64 = 0
        var nearWordsWithin: Int32 = 0
    }
    /// Coverage bits: every slot a span test names has one (`Node.count`). Per annotation slot,
    /// `coverWords` words of `raiseMasks`: the bits it sets on the tokens it covers.
    private(set) var coverWords = 1
    private(set) var raiseMasks: [UInt64] = []
    /// Words every match of a rule must contain ("ago", one of "am" | "pm"): each such key
    /// has a bit (`keyBit[key]` - 1; 0 for other keys; bits are shared beyond 64 keys) and
    /// each rule a mask per required word or word set (`Needs.words0`...). The matcher keeps,
    /// per token, the bits of the keys from it to the sentence's end, and skips a rule where
    /// a mask finds none of its bits.
    private(set) var keyBit: [UInt8] = []
    /// Per node, its test as one `Conjunction` (index into `conjunctions`), or -1 when it
    /// cannot be written as one.
    private(set) var fast: [Int32] = []
    /// Per node, for a span test joined by `and` to token tests ("[gaz=kind.org & shape=cap &
    /// !ann=date]"), those token tests as one conjunction, or -1.
    private(set) var tokenPart: [Int32] = []
    private(set) var conjunctions: [Conjunction] = []

    /// A token test that is a conjunction of shape bits, kinds, a key and (negated) coverage,
    /// checked with a few mask operations instead of a walk over the node tree.
    struct Conjunction: Sendable {
        var shapeAll: UInt16 = 0
        var shapeNone: UInt16 = 0
        /// Bit k set: kind k is allowed.
        var kinds: UInt8 = 0xFF
        /// The key the token must have, or -1.
        var key: Int32 = -1
        var coverAll: UInt64 = 0
        var coverNone: UInt64 = 0
        /// When `keyCount` > 0, the token's key must also be one of `keySets[keyFirst...]`.
        var keyFirst: Int32 = 0
        var keyCount: Int32 = 0
        /// When `textCount` > 0, the token's text must also pass `textTests[textFirst...]`.
        var textFirst: Int32 = 0
        var textCount: Int32 = 0
        /// Whether the masks are all there is to it (no key set, no text test).
        var masksOnly: Bool { keyCount == 0 && textCount == 0 }

        @inline(__always)
        func accepts(shape: UInt16, kind: UInt8, key k: Int32, cover: UInt64) -> Bool {
            shape & shapeAll == shapeAll && shape & shapeNone == 0 && kinds & (1 << kind) != 0
                && (key < 0 || key == k) && cover & coverAll == coverAll && cover & coverNone == 0
        }
    }
    private(set) var keySets: [Int32] = []
    /// A test of a token's bytes that is part of a conjunction: its text is `bytes[start...]`
    /// (`exact`), or it ends with those bytes, case aside (`suffix`), or (`negated`) not.
    struct TextTest: Sendable {
        var suffix: Bool
        var negated: Bool
        var start: Int32
        var count: Int32
    }
    private(set) var textTests: [TextTest] = []
    /// isA[t * typeCount + q]: type t is q or below it.
    private(set) var isA: [Bool] = []
    private(set) var typeCount = 0
    private(set) var longestProgram = 1

    /// The arrays the matcher reads at every step, copied once into raw buffers that live as
    /// long as the rules: reading them costs no reference counting and no bounds checks.
    struct Tables {
        let nodes: UnsafePointer<Node>
        let children: UnsafePointer<Int32>
        let steps: UnsafePointer<Step>
        let entry: UnsafePointer<Int32>
        let base: UnsafePointer<Int32>
        let slots: UnsafePointer<Int32>
        let firstStart: UnsafePointer<Int32>
        let firstCount: UnsafePointer<Int32>
        let firstNodes: UnsafePointer<Int32>
        let needs: UnsafePointer<Needs>
        let extraWords: UnsafePointer<UInt64>
        let startBits: UnsafePointer<UInt64>
        let raiseMasks: UnsafePointer<UInt64>
        let keyBit: UnsafePointer<UInt8>
        let fast: UnsafePointer<Int32>
        let tokenPart: UnsafePointer<Int32>
        let conjunctions: UnsafePointer<Conjunction>
        let keySets: UnsafePointer<Int32>
        let textTests: UnsafePointer<TextTest>
        let isA: UnsafePointer<Bool>
    }
    private(set) var tables: Tables! = nil
    private let storage = FrozenArrays()

    private func frozen<T>(_ array: [T]) -> UnsafePointer<T> { storage.freeze(array) }

    private func freeze() {
        tables = Tables(
            nodes: frozen(nodes), children: frozen(children), steps: frozen(steps), entry: frozen(entry),
            base: frozen(base), slots: frozen(slots), firstStart: frozen(firstStart), firstCount: frozen(firstCount),
            firstNodes: frozen(firstNodes), needs: frozen(needs), extraWords: frozen(extraWords),
            startBits: frozen(startBits), raiseMasks: frozen(raiseMasks), keyBit: frozen(keyBit),
            fast: frozen(fast), tokenPart: frozen(tokenPart),
            conjunctions: frozen(conjunctions), keySets: frozen(keySets), textTests: frozen(textTests), isA: frozen(isA))
    }

    init(predicates: [Predicate], rules: [CompiledRule], types: TypeRegistry, keyCount: Int) {
        keyBit = Array(repeating: 0, count: keyCount)
        var wordBits = 0   // key bits given out so far
        var root: [Int32] = []
        var requiredBit: [Int32: Int32] = [:]
        for p in predicates { root.append(add(p)) }
        var code: [Instruction] = []
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
            priority.append(Int32(rule.priority))
            longestProgram = max(longestProgram, rule.program.count)
            firstStart.append(Int32(firstNodes.count))
            let firsts = Self.firstTests(rule.program)
            firstNodes += firsts.map { root[Int($0)] }
            firstCount.append(firsts.contains(-1) ? 0 : Int32(firsts.count))
            let required = Self.mandatory(rule.program)
            let mandatory = required.map { predicates[Int($0)] }
            let cut = Self.wordCut(rule.program) { !required.contains($0) && Self.keySet(predicates[Int($0)]) != nil }
            var need = Needs()
            addRequiredSpans(rule.program, predicates, &requiredBit, to: &need)
            addRequiredWords(mandatory, oneOf: cut.map { predicates[Int($0)] }, &wordBits, to: &need)
            addNearWords(rule.program, predicates, oneOf: Set(cut), to: &need)
            needs.append(need)
        }
        typeCount = types.names.count
        isA = Array(repeating: false, count: typeCount * typeCount)
        for t in 0..<typeCount {
            for q in 0..<typeCount where types.isA(Int32(t), Int32(q)) { isA[t * typeCount + q] = true }
        }
        var bitOf: [Int32: Int32] = [:]
        for n in nodes.indices where nodes[n].op == .lookup || nodes[n].op == .annotation {
            let slot = nodes[n].value * 2 + (nodes[n].op == .lookup ? 1 : 0)
            let bit = bitOf[slot] ?? Int32(bitOf.count)
            bitOf[slot] = bit
            nodes[n].count = bit
        }
        coverWords = max(1, (bitOf.count + 63) / 64)
        for n in nodes.indices {
            guard !nodes[n].isSpan, let c = conjunction(n) else { fast.append(-1); continue }
            conjunctions.append(c)
            fast.append(Int32(conjunctions.count - 1))
        }
        for n in nodes.indices {
            guard let c = tokenConjunction(of: n) else { tokenPart.append(-1); continue }
            conjunctions.append(c)
            tokenPart.append(Int32(conjunctions.count - 1))
        }
        steps = Self.threadJumps(code.map(step))
        entry = entry.map { Self.landing($0, steps) }
        raiseMasks = Self.ancestorMasks(bitOf, words: coverWords, isA: isA, typeCount: typeCount)
        startBits = Self.ancestorMasks(requiredBit, words: 1, isA: isA, typeCount: typeCount)
        freeze()
    }

    private func step(_ i: Instruction) -> Step {
        switch i {
        case .match: return Step(op: .match)
        case .jump(let t): return Step(op: .jump, next: t)
        case .split(let a, let b): return Step(op: .split, next: a, other: b)
        case .save(let slot, let next): return Step(op: .save, arg: slot, next: next)
        case .test(let n, let next):
            if nodes[Int(n)].isSpan { return Step(op: .span, arg: n, next: next, other: startBit(Int(n))) }
            if fast[Int(n)] >= 0 { return Step(op: .token, arg: fast[Int(n)], next: next) }
            return Step(op: .tree, arg: n, next: next)
        }
    }

    /// `steps` with every jump target followed to where it lands: a loop's last test goes
    /// straight back to its split, an alternative straight to what follows the group, and
    /// a split sees the test its branch starts with. The jumps stay, unreached.
    static func threadJumps(_ steps: [Step]) -> [Step] {
        steps.map { s in
            var s = s
            switch s.op {
            case .match: break
            case .split: (s.next, s.other) = (landing(s.next, steps), landing(s.other, steps))
            case .jump, .save, .token, .tree, .span: s.next = landing(s.next, steps)
            }
            return s
        }
    }

    /// Where a run that reaches step `pc` goes on after its jumps (at most `steps.count`
    /// of them, so a loop of jumps alone ends too).
    static func landing(_ pc: Int32, _ steps: [Step]) -> Int32 {
        var (pc, hops) = (pc, 0)
        while steps[Int(pc)].op == .jump && hops < steps.count { (pc, hops) = (steps[Int(pc)].next, hops + 1) }
        return pc
    }

    /// The coverage bit of the annotations one of which span test `n` needs to start at the
    /// token it is tried at, or -1 when it has no single such bit (`A | B`). Most tokens start
    /// no annotation a test can take, and the bit answers for them without collecting ends.
    private func startBit(_ n: Int) -> Int32 {
        let node = nodes[n]
        switch node.op {
        case .lookup, .annotation: return node.count
        case .and:
            // Every conjunct holds, so the first span test among them will do.
            let spans = (Int(node.value)..<Int(node.value + node.count)).map { Int(children[$0]) }
            return spans.first { nodes[$0].isSpan }.map(startBit) ?? -1
        default: return -1
        }
    }

    /// A rule's required-slot bits: the slots whose span tests, together, cut every path of
    /// its program (in `A [gaz=x] | B [gaz=x]` neither test is needed, but one of them is).
    /// Of those, the one whose tests start nearest the match's start, when only token tests
    /// come before them, also gets that distance (`Needs.nearBit`, `nearWithin`).
    private func addRequiredSpans(_ program: [Instruction], _ predicates: [Predicate],
                                  _ requiredBit: inout [Int32: Int32], to need: inout Needs) {
        var testsOf: [Int32: Set<Int>] = [:]   // slot → the tests that need it
        for pc in program.indices {
            guard case .test(let p, _) = program[pc] else { continue }
            for q in Self.spanTypes(predicates[Int(p)]) { testsOf[q.type * 2 + (q.lookup ? 1 : 0), default: []].insert(pc) }
        }
        let offsets = Self.maxOffsets(program) { predicates[Int($0)].isSpan }
        var nearest = Int.max
        for (slot, tests) in testsOf.sorted(by: { $0.key < $1.key }) where !Self.reachesMatch(program, avoiding: tests) {
            let bit = requiredBit[slot] ?? Int32(requiredBit.count % 64)
            requiredBit[slot] = bit
            need.slots |= 1 << UInt64(bit)
            if slot % 2 == 1 { need.lookups |= 1 << UInt64(bit) }
            let within = tests.map { offsets[$0] }.max()!
            if within > 0 && within < nearest {
                nearest = within
                (need.nearBit, need.nearWithin) = (1 << UInt64(bit), Int32(within))
            }
        }
    }

    /// Per instruction, the most tokens a match can have consumed when it gets there, or
    /// `Int.max` when that is not bounded by token tests alone (a span test, or a loop that
    /// consumes tokens, comes before it).
    static func maxOffsets(_ program: [Instruction], isSpan: (Int32) -> Bool) -> [Int] {
        let count = program.count
        var offset = [Int](repeating: -1, count: count)
        var unbounded = Set<Int>()
        offset[count - 1] = 0
        /// Calls `visit(next, tokens)` for each successor; tokens nil: any number.
        func successors(_ pc: Int, _ visit: (Int, Int?) -> Void) {
            switch program[pc] {
            case .match: break
            case .jump(let t): visit(Int(t), 0)
            case .save(_, let n): visit(Int(n), 0)
            case .split(let a, let b): visit(Int(a), 0); visit(Int(b), 0)
            case .test(let p, let n): visit(Int(n), isSpan(p) ? nil : 1)
            }
        }
        // Longest paths by relaxation; whatever still grows after `count` rounds is behind a
        // loop that consumes tokens.
        for round in 0...count {
            var changed = false
            for pc in program.indices where offset[pc] >= 0 {
                successors(pc) { next, tokens in
                    guard let tokens else { unbounded.insert(next); return }
                    guard offset[pc] + tokens > offset[next] else { return }
                    if round == count { unbounded.insert(next) } else { offset[next] = offset[pc] + tokens; changed = true }
                }
            }
            if !changed { break }
        }
        var stack = Array(unbounded)
        while let pc = stack.popLast() {
            successors(pc) { next, _ in if unbounded.insert(next).inserted { stack.append(next) } }
        }
        return program.indices.map { unbounded.contains($0) || offset[$0] < 0 ? Int.max : offset[$0] }
    }

    /// A rule's key masks, one per word (or set of words) it cannot match without, and one for
    /// the words of `oneOf` (tests one of which every match passes).
    private func addRequiredWords(_ mandatory: [Predicate], oneOf: [Predicate], _ wordBits: inout Int,
                                  to need: inout Needs) {
        need.extraFirst = Int32(extraWords.count)
        var sets = mandatory.compactMap(Self.keySet)
        if !oneOf.isEmpty { sets.append(oneOf.flatMap { Self.keySet($0) ?? [] }) }
        for (n, keys) in sets.enumerated() {
            var mask: UInt64 = 0
            for k in keys {
                if keyBit[Int(k)] == 0 { keyBit[Int(k)] = UInt8(wordBits % 64 + 1); wordBits += 1 }
                mask |= 1 << UInt64(keyBit[Int(k)] - 1)
            }
            switch n {
            case 0: need.words0 = mask
            case 1: need.words1 = mask
            default: extraWords.append(mask)
            }
        }
        need.extraCount = Int32(extraWords.count) - need.extraFirst
    }

    /// Of the required words (each alone, and the set of `oneOf`, tests one of which every
    /// match passes), the one every match meets nearest its start when only token tests come
    /// before it: its key bits and that distance (`Needs.nearWords`). "Ryanair CEO" is tried
    /// at a capitalised word only when a title word follows within two tokens, not anywhere in
    /// the sentence. Call after `addRequiredWords` (it gives the keys their bits).
    private func addNearWords(_ program: [Instruction], _ predicates: [Predicate], oneOf: Set<Int32>, to need: inout Needs) {
        let offsets = Self.maxOffsets(program) { predicates[Int($0)].isSpan }
        func predicate(_ pc: Int) -> Int32? {
            if case .test(let p, _) = program[pc] { return p }
            return nil
        }
        var nearest = Int.max
        func consider(_ pcs: [Int]) {
            guard let within = pcs.map({ offsets[$0] }).max(), within > 0, within < nearest else { return }
            var mask: UInt64 = 0
            for pc in pcs {
                guard let p = predicate(pc), let keys = Self.keySet(predicates[Int(p)]) else { return }
                for k in keys {
                    guard keyBit[Int(k)] > 0 else { return }   // no bit: the filter could not see it
                    mask |= 1 << UInt64(keyBit[Int(k)] - 1)
                }
            }
            nearest = within
            (need.nearWords, need.nearWordsWithin) = (mask, Int32(within))
        }
        for pc in program.indices where predicate(pc).map({ Self.keySet(predicates[Int($0)]) != nil }) ?? false
            && !Self.reachesMatch(program, avoiding: [pc]) {
            consider([pc])
        }
        if !oneOf.isEmpty { consider(program.indices.filter { predicate($0).map(oneOf.contains) ?? false }) }
    }

    /// Per annotation slot, `words` words with the bits (`bitOf`) of the slots it is at or
    /// below: same lookup flag, and its type is-a theirs.
    static func ancestorMasks(_ bitOf: [Int32: Int32], words: Int, isA: [Bool], typeCount: Int) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: typeCount * 2 * words)
        for slot in 0..<(typeCount * 2) {
            for (q, bit) in bitOf where q % 2 == Int32(slot % 2) && isA[(slot / 2) * typeCount + Int(q / 2)] {
                out[slot * words + Int(bit) / 64] |= 1 << UInt64(bit % 64)
            }
        }
        return out
    }

    /// The token tests of span node `n`, an `and`, as one conjunction (see `tokenPart`).
    private func tokenConjunction(of n: Int) -> Conjunction? {
        let node = nodes[n]
        guard node.isSpan, node.op == .and else { return nil }
        var c = Conjunction(), any = false
        for k in Int(node.value)..<Int(node.value + node.count) where !nodes[Int(children[k])].isSpan {
            guard add(Int(children[k]), to: &c) else { return nil }
            any = true
        }
        return any ? c : nil
    }

    /// Node `n` as one conjunction, when it is made of shape, kind, key and coverage tests (the
    /// latter only while all coverage bits fit one word) joined by `and`, with `not` only
    /// around a one-bit shape, a kind or a coverage test.
    private func conjunction(_ n: Int) -> Conjunction? {
        var c = Conjunction()
        return add(n, to: &c) ? c : nil
    }

    private func add(_ n: Int, to c: inout Conjunction) -> Bool {
        let node = nodes[n]
        switch node.op {
        case .any: return true
        case .shape: c.shapeAll |= UInt16(node.value); return true
        case .kind: c.kinds &= 1 << UInt8(node.value); return true
        case .key:
            if c.key >= 0 && c.key != node.value { c.kinds = 0 }   // two keys: never true
            c.key = node.value
            return true
        case .lookup, .annotation:
            guard coverWords == 1 else { return false }
            c.coverAll |= 1 << UInt64(node.count)
            return true
        case .and:
            for k in Int(node.value)..<Int(node.value + node.count) where !add(Int(children[k]), to: &c) { return false }
            return true
        case .not:
            let inner = nodes[Int(children[Int(node.value)])]
            switch inner.op {
            case .shape where UInt16(inner.value).nonzeroBitCount == 1: c.shapeNone |= UInt16(inner.value)
            case .kind: c.kinds &= ~(1 << UInt8(inner.value))
            case .lookup, .annotation:
                guard coverWords == 1 else { return false }
                c.coverNone |= 1 << UInt64(inner.count)
            case .exact, .suffix: addText(inner, negated: true, to: &c)
            default: return false
            }
            return true
        case .or:
            // A set of keys ("its" | "the" | "his"), once per conjunction.
            let keys = (Int(node.value)..<Int(node.value + node.count)).map { nodes[Int(children[$0])] }
            guard c.keyCount == 0, keys.allSatisfy({ $0.op == .key }) else { return false }
            c.keyFirst = Int32(keySets.count)
            c.keyCount = Int32(keys.count)
            keySets += keys.map(\.value)
            return true
        case .exact:
            // A token with this text has this key: the masks turn most tokens away first.
            if node.key >= 0 {
                if c.key >= 0 && c.key != node.key { c.kinds = 0 }
                c.key = node.key
            }
            addText(node, negated: false, to: &c)
            return true
        case .suffix:
            addText(node, negated: false, to: &c)
            return true
        }
    }

    /// Adds an exact-text or suffix test to `c` (a conjunction's text tests are consecutive:
    /// one conjunction is built at a time).
    private func addText(_ node: Node, negated: Bool, to c: inout Conjunction) {
        if c.textCount == 0 { c.textFirst = Int32(textTests.count) }
        textTests.append(TextTest(suffix: node.op == .suffix, negated: negated, start: node.value, count: node.count))
        c.textCount += 1
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
        var out: [Int32] = []
        for (pc, inst) in program.enumerated() {
            if case .test(let p, _) = inst, !out.contains(p), !reachesMatch(program, avoiding: [pc]) { out.append(p) }
        }
        return out
    }

    /// Predicate indexes of word tests (`isWord`) one of which every path from the entry to
    /// `match` passes, made minimal by dropping each test the others already cut off; empty
    /// when the word tests do not cut every path. In ("a.m" | "p.m" | "GMT") no one word is
    /// needed, but one of them is.
    static func wordCut(_ program: [Instruction], _ isWord: (Int32) -> Bool) -> [Int32] {
        func predicate(_ pc: Int) -> Int32? {
            if case .test(let p, _) = program[pc] { return p }
            return nil
        }
        let tests = program.indices.filter { predicate($0).map(isWord) ?? false }
        var cut = Set(tests)
        guard !cut.isEmpty, !reachesMatch(program, avoiding: cut) else { return [] }
        for pc in tests {
            cut.remove(pc)
            if reachesMatch(program, avoiding: cut) { cut.insert(pc) }
        }
        return cut.sorted().compactMap(predicate)
    }

    /// Whether a path from the entry reaches `match` without passing an instruction in `blocked`.
    static func reachesMatch(_ program: [Instruction], avoiding blocked: Set<Int>) -> Bool {
        var seen = [Bool](repeating: false, count: program.count)
        var stack = [program.count - 1]
        while let pc = stack.popLast() {
            if blocked.contains(pc) || seen[pc] { continue }
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

    /// The keys one of which a token passing `p` must have, or nil when `p` allows any key.
    static func keySet(_ p: Predicate) -> [Int32]? {
        switch p {
        case .key(let k): return [k]
        case .exact(_, let k): return k >= 0 ? [k] : nil
        case .and(let qs): return qs.lazy.compactMap { keySet($0) }.first
        case .or(let qs):
            var keys: [Int32] = []
            for q in qs {
                guard let ks = keySet(q) else { return nil }
                keys += ks
            }
            return keys
        default: return nil
        }
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

    private func add(_ p: Predicate) -> Int32 {
        let index = Int32(nodes.count)
        nodes.append(Node(op: .any, isSpan: p.isSpan, value: 0, count: 0))
        var node = nodes[Int(index)]
        switch p {
        case .key(let k): node.op = .key; node.value = k
        case .exact(let b, let key):
            node.op = .exact; node.value = Int32(bytes.count); node.count = Int32(b.count); node.key = key
            bytes += b
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

/// Raw copies of arrays that never change once built, freed with their owner: reading them
/// costs no reference counting and no bounds checks.
final class FrozenArrays: @unchecked Sendable {
    private var buffers: [UnsafeMutableRawPointer] = []

    deinit { for b in buffers { b.deallocate() } }

    /// A raw copy of `array` (of trivial values), valid as long as this object.
    func freeze<T>(_ array: [T]) -> UnsafePointer<T> {
        let copy = UnsafeMutablePointer<T>.allocate(capacity: max(array.count, 1))
        copy.initialize(from: array, count: array.count)
        buffers.append(UnsafeMutableRawPointer(copy))
        return UnsafePointer(copy)
    }
}
