/// Matching: one compiled phase over one article's tokens and annotations → matches.
///
/// Each rule is tried at each token its first test can accept (rules are indexed by first
/// key, lookup type and token class; `GlobalDispatch`), where the rest of the sentence holds
/// the words and spans every match of it needs (64-bit masks per token), and the first test
/// is checked before the program runs. Token tests read per-token bits (coverage, starts)
/// kept up to date as phases add annotations, so most tests are a few mask operations. From
/// a start, a depth-first run over the rule's program visits each (instruction, position)
/// pair at most once, so a match costs at most program × window steps whatever the input: no
/// backtracking blow-up. The longest match per rule and start is kept; among paths to the
/// same end the preferred alternative (greedy, left first) wins.
///
/// The tables it reads per step are raw buffers (`FlatRules.Tables`, `GlobalDispatch.Lists`,
/// the thread's `MatchScratch`), so the inner loops do no reference counting.
final class Matcher {
    /// Longest span a rule may match, in tokens.
    static let maxSpan = 64

    let rules: RuleSet
    let flat: FlatRules
    let tokens: TokenTable
    let bytes: [UInt8]
    private let t: FlatRules.Tables
    private let words: Int
    private let typeCount: Int

    // The token columns the tests read, copied into the scratch's raw buffers.
    private let key: UnsafeMutablePointer<Int32>
    private let shape: UnsafeMutablePointer<TokenTable.Shape>
    private let kind: UnsafeMutablePointer<TokenTable.Kind>
    private let sentence: UnsafeMutablePointer<Int32>
    /// Per sentence, its first token and its end.
    private let sentenceStart: UnsafeMutablePointer<Int32>
    private let sentenceEnd: UnsafeMutablePointer<Int32>

    // Indexes over the store, brought up to date at the start of each phase. Phases only add
    // annotations, so each annotation is indexed once.
    private var indexed = 0
    /// Per token, `words` words: the coverage bits of the annotations covering it, and of
    /// those starting at it (so most span tests fail without a walk over the store).
    private let coverage: UnsafeMutablePointer<UInt64>
    private let tokenStarts: UnsafeMutablePointer<UInt64>
    /// Per token, the required-slot bits (`FlatRules.startBits`) of the annotations starting
    /// at it or after it in its sentence, and the key bits (`FlatRules.keyBit`) of the tokens
    /// from it to the sentence's end: what a match starting at the token can still meet.
    private let startsFrom: UnsafeMutablePointer<UInt64>
    private let keysFrom: UnsafeMutablePointer<UInt64>
    /// Per token, the key bit of its own key (0 for most).
    private let keyBitAt: UnsafeMutablePointer<UInt64>
    /// Per token, the required-slot bits of the annotations starting at it.
    private let startsAt: UnsafeMutablePointer<UInt64>

    private let scratch: MatchScratch
    /// Packed `token << 20 | rule` candidates found from tokens and lookups (rule: its index
    /// in the phase), phase after phase (`pendingFirst[p]..<pendingFirst[p+1]`), each
    /// phase's in token order.
    private var pending: UnsafeMutablePointer<Int64>
    private var pendingFirst: [Int]
    /// Candidates from annotations of earlier phases, kept for their buffer.
    private var later: [Int64]
    /// The matches of the last phase, kept for their buffer (their capture slots are in the
    /// scratch's `capturePool`).
    private var found: [Match]
    /// Per rule of the current phase, the last token it was tried at.
    private var triedAt: UnsafeMutablePointer<Int32>

    /// The arrays a matcher borrows from its scratch for one article.
    typealias Arrays = (pendingFirst: [Int], later: [Int64], found: [Match])

    struct Match {
        var rule: Int32
        var start: Int32
        var end: Int32
        /// Where the match's capture slots (2 per capture, -1 when unset) start in the
        /// matcher's pool: read them with `capture(_:_:)`.
        var captures: Int32
    }

    init(rules: RuleSet, tokens: TokenTable, bytes: [UInt8], scratch: MatchScratch) {
        self.rules = rules
        self.flat = rules.flat
        self.tokens = tokens
        self.bytes = bytes
        self.scratch = scratch
        t = flat.tables
        words = flat.coverWords
        typeCount = flat.typeCount
        let n = tokens.count, sentences = tokens.sentences.count
        key = scratch.key.reserve(n)
        key.update(from: tokens.key, count: n)
        shape = scratch.shape.reserve(n)
        shape.update(from: tokens.shape, count: n)
        kind = scratch.kind.reserve(n)
        kind.update(from: tokens.kind, count: n)
        sentence = scratch.sentence.reserve(n)
        sentence.update(from: tokens.sentence, count: n)
        sentenceStart = scratch.sentenceStart.reserve(sentences)
        sentenceEnd = scratch.sentenceEnd.reserve(sentences)
        for (s, r) in tokens.sentences.enumerated() {
            sentenceStart[s] = Int32(r.lowerBound)
            sentenceEnd[s] = Int32(r.upperBound)
        }
        coverage = scratch.coverage.reserve(n * words)
        coverage.initialize(repeating: 0, count: n * words)
        tokenStarts = scratch.tokenStarts.reserve(n * words)
        tokenStarts.initialize(repeating: 0, count: n * words)
        startsFrom = scratch.startsFrom.reserve(n)
        startsFrom.initialize(repeating: 0, count: n)
        startsAt = scratch.startsAt.reserve(n)
        startsAt.initialize(repeating: 0, count: n)
        keysFrom = scratch.keysFrom.reserve(n)
        keysFrom.initialize(repeating: 0, count: n)
        keyBitAt = scratch.keyBitAt.reserve(n)
        pending = scratch.pending.reserve(0)
        triedAt = scratch.triedAt.reserve(rules.globalDispatch.largestPhase)
        (pendingFirst, later, found) = scratch.borrowArrays()
    }

    deinit { scratch.giveBack((pendingFirst, later, found)) }

    // MARK: a phase

    /// Indexes the lookups and finds, for every phase at once, the rules each token can start;
    /// call once, before the first phase.
    func prepare(_ store: AnnotationStore) {
        index(store)
        collectCandidates(store)
    }

    /// All longest matches of the phase's rules, before conflict resolution, ordered by start
    /// and then rule.
    func matches(_ p: Int, _ phase: CompiledPhase, _ dispatch: PhaseDispatch, _ store: AnnotationStore) -> [Match] {
        index(store)   // the annotations of the phases before
        // (token, rule) pairs: from the tokens and lookups (found once for all phases), and
        // from the annotations of earlier phases and for rules that can start anywhere.
        var later = self.later   // reuse the buffer
        self.later = []
        later.clearKeepingCapacity()
        defer { self.later = later }
        for a in store.items[store.leadingLookups...] {
            let t = Int(a.type)
            for r in Int(dispatch.typeFirst[t])..<Int(dispatch.typeFirst[t + 1]) {
                later.append(Int64(a.start) << 20 | Int64(dispatch.typeRules[r]))
            }
        }
        if !dispatch.anywhere.isEmpty {
            for i in 0..<tokens.count { for local in dispatch.anywhere { later.append(Int64(i) << 20 | Int64(local)) } }
        }
        later.sort()
        triedAt.initialize(repeating: -1, count: phase.rules.count)
        var out = found   // reuse the buffer of the last phase's matches
        found = []
        out.clearKeepingCapacity()
        scratch.capturePool.removeAll()
        var x = pendingFirst[p], y = 0
        let earlyEnd = pendingFirst[p + 1]
        while x < earlyEnd || y < later.count {
            // Merge in token order, so one token's candidates are tried together.
            let c: Int64
            let fromTokens = y == later.count || (x < earlyEnd && pending[x] >> 20 <= later[y] >> 20)
            if fromTokens { c = pending[x]; x += 1 } else { c = later[y]; y += 1 }
            let i = Int(c >> 20), local = Int(c & 0xFFFFF)
            if triedAt[local] == Int32(i) { continue }
            triedAt[local] = Int32(i)
            let end = min(Int(sentenceEnd[Int(sentence[i])]), i + Self.maxSpan)
            attempt(phase.rules[local], i, end, store, &out, wordsKnown: fromTokens)
        }
        // Phase rules are numbered in order, so this is token order, then rule order.
        out.sort { $0.start != $1.start ? $0.start < $1.start : $0.rule < $1.rule }
        found = out
        return out
    }

    /// One pass over the tokens: which rules of which phases each token's key, lookups and
    /// class (shape and kind) can start. Rules whose words or lookups are missing from the
    /// token to the sentence's end are left out now (lookups are indexed by now).
    private func collectCandidates(_ store: AnnotationStore) {
        let g = rules.globalDispatch.lists, firstRule = rules.globalDispatch.firstRule
        var keys: UInt64 = 0
        for i in stride(from: tokens.count - 1, through: 0, by: -1) {
            if i + 1 == tokens.count || sentence[i + 1] != sentence[i] { keys = 0 }
            let k = Int(key[i])
            let bit: UInt64 = k >= 0 && g.matters(k) && t.keyBit[k] > 0 ? 1 << UInt64(t.keyBit[k] - 1) : 0
            keys |= bit
            keysFrom[i] = keys
            keyBitAt[i] = bit
        }
        var all = scratch.candidates   // packed rule << 20 | token
        all.removeAll()
        for i in 0..<tokens.count {
            let keys = keysFrom[i], starts = startsFrom[i]
            @inline(__always) func add(_ r: Int32) {
                all.append(Int64(r) << 20 | Int64(i), if: wordsAndLookupsPresent(Int(r), keys, starts))
            }
            let k = Int(key[i])
            if k >= 0 && g.matters(k) { for x in Int(g.keyFirst[k])..<Int(g.keyFirst[k + 1]) { add(g.keyRules[x]) } }
            var id = store.first(at: i)
            while id >= 0 {
                let a = store.items[Int(id)]
                id = store.nextAt[Int(id)]
                guard a.isLookup else { continue }
                for x in Int(g.typeFirst[Int(a.type)])..<Int(g.typeFirst[Int(a.type) + 1]) { add(g.typeRules[x]) }
            }
            let c = g.tokenClass(shape[i].rawValue, kind[i].rawValue)
            for x in Int(g.classFirst[c])..<Int(g.classFirst[c + 1]) { add(g.classRules[x]) }
        }
        scratch.candidates = all
        // Grouped by phase (a counting sort, so each phase's stay in token order).
        var first = pendingFirst   // reuse the buffer
        pendingFirst = []
        first.clearKeepingCapacity()
        first.append(contentsOf: repeatElement(0, count: rules.phases.count + 1))
        first.withUnsafeMutableBufferPointer { first in
            for c in all.elements { first[Int(g.phaseOf[Int(c >> 20)]) + 1] += 1 }
            for p in 0..<rules.phases.count { first[p + 1] += first[p] }
        }
        pending = scratch.pending.reserve(all.count)
        // Where each phase's next candidate goes, on the stack (phases are few).
        withUnsafeTemporaryAllocation(of: Int.self, capacity: first.count) { next in
            _ = next.initialize(from: first)
            for c in all.elements {
                let r = Int(c >> 20), p = Int(g.phaseOf[r])
                pending[next[p]] = Int64(c & 0xFFFFF) << 20 | Int64(r - firstRule[p])
                next[p] += 1
            }
        }
        pendingFirst = first
    }

    /// Adds the annotations made since the last call to the coverage bits and the start bits,
    /// then brings `startsFrom` up to date in the sentences that got new start bits.
    private func index(_ store: AnnotationStore) {
        var changed = -1   // the last sentence seen with new start bits (they come mostly in order)
        var sentences = scratch.changedSentences
        sentences.removeAll()
        for a in store.items[indexed...] {
            let slot = Int(a.type) * 2 + (a.isLookup ? 1 : 0), bits = t.startBits[slot]
            if startsAt[Int(a.start)] & bits != bits {
                startsAt[Int(a.start)] |= bits
                let s = Int(sentence[Int(a.start)])
                if s != changed { sentences.append(Int32(s)); changed = s }
            }
            for w in 0..<words {
                let mask = t.raiseMasks[slot * words + w]
                guard mask != 0 else { continue }
                tokenStarts[Int(a.start) * words + w] |= mask
                for i in Int(a.start)..<Int(a.end) { coverage[i * words + w] |= mask }
            }
        }
        scratch.changedSentences = sentences
        for s in sentences.elements {   // one listed twice is done twice, with the same result
            var bits: UInt64 = 0
            for q in stride(from: Int(sentenceEnd[Int(s)]) - 1, through: Int(sentenceStart[Int(s)]), by: -1) {
                bits |= startsAt[q]
                startsFrom[q] = bits
            }
        }
        indexed = store.items.count
    }

    /// Whether a match starting where these key and start bits hold can meet every word and
    /// every lookup rule `r` requires (its required rule annotations are checked per phase, in `attempt`).
    @inline(__always)
    private func wordsAndLookupsPresent(_ r: Int, _ keys: UInt64, _ starts: UInt64) -> Bool {
        let lookups = t.needs[r].lookups
        return wordsPresent(r, keys) && starts & lookups == lookups
    }

    /// Whether a match starting where these key bits hold can meet every word (or one of each
    /// word set) rule `r` requires.
    @inline(__always)
    private func wordsPresent(_ r: Int, _ keys: UInt64) -> Bool {
        let n = t.needs[r]
        // A mask of 0 (no such word) passes.
        guard (keys & n.words0 != 0) == (n.words0 != 0) && (keys & n.words1 != 0) == (n.words1 != 0) else { return false }
        for k in Int(n.extraFirst)..<Int(n.extraFirst + n.extraCount) where keys & t.extraWords[k] == 0 { return false }
        return true
    }

    /// Runs rule `r` from token `i` if the rest of the sentence has what it requires (words,
    /// unless `collectCandidates` checked them already; spans, now that this phase's are
    /// known), the span and the word it needs within a few tokens are there, and its first
    /// test holds.
    @inline(__always)
    private func attempt(_ r: Int, _ i: Int, _ limit: Int, _ store: AnnotationStore, _ out: inout [Match], wordsKnown: Bool) {
        let n = t.needs[r]
        guard wordsKnown || wordsPresent(r, keysFrom[i]), startsFrom[i] & n.slots == n.slots,
              anyNear(startsAt, n.nearBit, from: i, within: n.nearWithin, limit),
              anyNear(keyBitAt, n.nearWords, from: i, within: n.nearWordsWithin, limit),
              firstTestPasses(r, at: i) else { return }
        if let m = longest(Int32(r), at: i, limit: limit, store) { out.append(m) }
    }

    /// Whether a token from `i` to `within` tokens after it (before `limit`) has one of `bits`
    /// in `column` (true when `bits` is 0: no such need).
    @inline(__always)
    private func anyNear(_ column: UnsafeMutablePointer<UInt64>, _ bits: UInt64, from i: Int, within: Int32, _ limit: Int) -> Bool {
        guard bits != 0 else { return true }
        for q in i..<min(i + Int(within) + 1, limit) where column[q] & bits != 0 { return true }
        return false
    }

    private func firstTestPasses(_ r: Int, at i: Int) -> Bool {
        let count = Int(t.firstCount[r])
        if count == 0 { return true }
        let start = Int(t.firstStart[r])
        for k in start..<(start + count) {
            let node = Int(t.firstNodes[k])
            if t.nodes[node].isSpan {
                if spanMayStart(node, at: i) { return true }
            } else if holds(node, at: i) {
                return true
            }
        }
        return false
    }

    // MARK: one rule at one start

    /// A depth-first run: each thread goes on from instruction to instruction, and a split
    /// (or a span test with several ends) leaves the other branches on the stack, so the
    /// order of visits is that of a plain stack machine without its pushes and pops.
    private func longest(_ rule: Int32, at start: Int, limit: Int, _ store: AnnotationStore) -> Match? {
        let vm = scratch
        let base = Int(t.base[Int(rule)])
        let window = limit &- start
        let width = flat.longestProgram   // stamps by position, then instruction: a run touches few positions
        let generation = vm.nextGeneration()
        vm.startRun()
        let stamps = vm.stamps, steps = t.steps
        var stack = vm.frames   // a local copy, so pushes and pops stay in registers
        defer { vm.frames = stack }
        var bestEnd: Int32 = -1
        var bestCaps: Int32 = -1
        var (pc, pos, caps) = (t.entry[Int(rule)], Int32(start), Int32(-1))
        while true {
            thread: while true {
                let step = steps[Int(pc)]
                if step.op == .save {
                    // Not stamped: a second arrival is stopped at the step after it.
                    caps = vm.save(step.arg, pos, after: caps)
                    pc = step.next
                    continue thread
                }
                let offset = Int(pos) &- start
                guard offset <= window else { break thread }
                let stamp = offset &* width &+ (Int(pc) &- base)
                if stamps[stamp] == generation { break thread }
                stamps[stamp] = generation
                switch step.op {
                case .match:
                    if pos > bestEnd && Int(pos) > start { bestEnd = pos; bestCaps = caps }
                    break thread
                case .jump:
                    pc = step.next
                case .split:
                    // A preferred branch that starts with a failing token test is not taken:
                    // it would fail the same way whenever it ran.
                    let first = steps[Int(step.next)]
                    if first.op == .token && (Int(pos) >= limit || !conjunctionHolds(Int(first.arg), at: Int(pos))) {
                        pc = step.other
                        continue thread
                    }
                    stack.append((step.other, pos, caps))
                    pc = step.next
                case .save:
                    preconditionFailure("saves are taken before the stamp")
                case .token:
                    guard Int(pos) < limit, conjunctionHolds(Int(step.arg), at: Int(pos)) else { break thread }
                    (pc, pos) = (step.next, pos &+ 1)
                case .tree:
                    guard Int(pos) < limit, holdsByTree(Int(step.arg), at: Int(pos)) else { break thread }
                    (pc, pos) = (step.next, pos &+ 1)
                case .span:
                    guard Int(pos) < limit, step.other < 0 || startsAt(bit: Int(step.other), Int(pos)) else { break thread }
                    var ends = vm.ends
                    ends.removeAll()
                    collectEnds(Int(step.arg), at: Int(pos), limit: limit, store, into: &ends)
                    vm.ends = ends   // it may have grown
                    guard ends.count > 0 else { break thread }
                    let last = ends.elements[ends.count - 1]
                    for e in ends.elements.dropLast() { stack.append((step.next, e, caps)) }
                    (pc, pos) = (step.next, last)
                }
            }
            guard let frame = stack.popLast() else { break }
            (pc, pos, caps) = frame
        }
        guard bestEnd > 0 else { return nil }
        let first = Int32(vm.capturePool.count)
        vm.resolve(bestCaps, into: vm.capturePool.append(-1, times: Int(t.slots[Int(rule)])))
        return Match(rule: rule, start: Int32(start), end: bestEnd, captures: first)
    }

    /// Capture slot `slot` of match `m` (a token index), or -1 when unset.
    func capture(_ m: Match, _ slot: Int) -> Int32 { scratch.capturePool[Int(m.captures) + slot] }

    // MARK: predicates

    /// A token test at token `i` (span tests here mean "covered").
    @inline(__always)
    private func holds(_ n: Int, at i: Int) -> Bool {
        let f = Int(t.fast[n])
        return f >= 0 ? conjunctionHolds(f, at: i) : holdsByTree(n, at: i)
    }

    /// Whether conjunction `f` holds at token `i`.
    @inline(__always)
    private func conjunctionHolds(_ f: Int, at i: Int) -> Bool {
        let c = t.conjunctions[f], k = key[i]
        guard c.accepts(shape: shape[i].rawValue, kind: kind[i].rawValue, key: k, cover: coverage[i * words]) else { return false }
        return c.masksOnly || restHolds(c, at: i)
    }

    /// The key set and text tests of conjunction `c` at token `i`, its masks having passed.
    private func restHolds(_ c: FlatRules.Conjunction, at i: Int) -> Bool {
        if c.keyCount > 0 {
            let k = key[i]
            guard (Int(c.keyFirst)..<Int(c.keyFirst + c.keyCount)).contains(where: { t.keySets[$0] == k }) else { return false }
        }
        for x in Int(c.textFirst)..<Int(c.textFirst + c.textCount) {
            let test = t.textTests[x]
            let passes = test.suffix ? endsWith(test.start, test.count, at: i) : isText(test.start, test.count, at: i)
            if passes == test.negated { return false }
        }
        return true
    }

    /// Whether token `i`'s text is the `count` bytes of the rules' bytes at `start`.
    @inline(__always)
    private func isText(_ start: Int32, _ count: Int32, at i: Int) -> Bool {
        let s = Int(tokens.start[i]), e = Int(tokens.end[i])
        guard e - s == Int(count) else { return false }
        for k in 0..<Int(count) where bytes[s + k] != flat.bytes[Int(start) + k] { return false }
        return true
    }

    /// Whether token `i`'s text is longer than, and ends with, the `count` bytes at `start`
    /// (lower case; the token's letters are compared in lower case).
    @inline(__always)
    private func endsWith(_ start: Int32, _ count: Int32, at i: Int) -> Bool {
        let s = Int(tokens.start[i]), e = Int(tokens.end[i]), c = Int(count)
        guard e - s > c else { return false }
        for k in 0..<c where bytes[e - c + k] | 0x20 != flat.bytes[Int(start) + k] { return false }
        return true
    }

    /// `holds` for a test that is no single conjunction: a walk over its node tree.
    private func holdsByTree(_ n: Int, at i: Int) -> Bool {
        let node = t.nodes[n]
        switch node.op {
        case .key: return key[i] == node.value
        case .shape: return shape[i].rawValue & UInt16(node.value) == UInt16(node.value)
        case .kind: return kind[i].rawValue == UInt8(node.value)
        case .any: return true
        case .exact: return isText(node.value, node.count, at: i)
        case .suffix: return endsWith(node.value, node.count, at: i)
        case .lookup, .annotation:
            let bit = Int(node.count)
            return coverage[i * words + bit >> 6] & (1 << UInt64(bit & 63)) != 0
        case .not: return !holds(Int(t.children[Int(node.value)]), at: i)
        case .and:
            for k in Int(node.value)..<Int(node.value + node.count) where !holds(Int(t.children[k]), at: i) { return false }
            return true
        case .or:
            for k in Int(node.value)..<Int(node.value + node.count) where holds(Int(t.children[k]), at: i) { return true }
            return false
        }
    }

    /// Whether annotation `a` is what span test `node` asks for, inside the window.
    @inline(__always)
    private func spans(_ node: FlatRules.Node, _ a: Annotation, _ limit: Int) -> Bool {
        a.isLookup == (node.op == .lookup) && Int(a.end) <= limit && t.isA[Int(a.type) * typeCount + Int(node.value)]
    }

    /// Whether an annotation span test `node` may pass starts at token `i` (its coverage bit).
    @inline(__always)
    private func startsAt(_ node: FlatRules.Node, _ i: Int) -> Bool { startsAt(bit: Int(node.count), i) }

    /// Whether an annotation with coverage bit `bit` starts at token `i`.
    @inline(__always)
    private func startsAt(bit: Int, _ i: Int) -> Bool { tokenStarts[i * words + bit >> 6] & (1 << UInt64(bit & 63)) != 0 }

    /// Whether span test `n` may pass at token `i`: an annotation it can take starts there
    /// (its coverage bit), and its token tests hold. A cheap necessary condition: the run
    /// checks where the annotations end.
    private func spanMayStart(_ n: Int, at i: Int) -> Bool {
        let node = t.nodes[n]
        switch node.op {
        case .lookup, .annotation:
            return startsAt(node, i)
        case .and:
            let part = Int(t.tokenPart[n])
            if part >= 0 && !conjunctionHolds(part, at: i) { return false }
            for k in Int(node.value)..<Int(node.value + node.count) {
                let c = Int(t.children[k])
                if t.nodes[c].isSpan ? !spanMayStart(c, at: i) : part < 0 && !holds(c, at: i) { return false }
            }
            return true
        case .or:
            for k in Int(node.value)..<Int(node.value + node.count) {
                let c = Int(t.children[k])
                if t.nodes[c].isSpan ? spanMayStart(c, at: i) : holds(c, at: i) { return true }
            }
            return false
        default:
            return holds(n, at: i)
        }
    }

    private func collectEnds(_ n: Int, at i: Int, limit: Int, _ store: AnnotationStore, into out: inout ScratchBuffer<Int32>) {
        let node = t.nodes[n]
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
            let part = Int(t.tokenPart[n])   // the token tests as one conjunction, if they are
            if part >= 0 && !conjunctionHolds(part, at: i) { return }
            let base = out.count
            var first = true
            for k in Int(node.value)..<Int(node.value + node.count) {
                let c = Int(t.children[k])
                guard t.nodes[c].isSpan else { continue }
                if first {
                    collectEnds(c, at: i, limit: limit, store, into: &out)
                    first = false
                } else {
                    keep(in: &out, from: base) { hasEnd(c, at: i, $0, limit: limit, store) }
                }
            }
            keep(in: &out, from: base) { e in
                var last = Int(e) - 1   // the last word or number: "Feb." ends in a full stop
                while last > i, kind[last] == .punct { last -= 1 }
                if part >= 0 { return conjunctionHolds(part, at: last) }
                for k in Int(node.value)..<Int(node.value + node.count) {
                    let c = Int(t.children[k])
                    if !t.nodes[c].isSpan && !(holds(c, at: i) && holds(c, at: last)) { return false }
                }
                return true
            }
        case .or:
            for k in Int(node.value)..<Int(node.value + node.count) {
                let c = Int(t.children[k])
                if t.nodes[c].isSpan { collectEnds(c, at: i, limit: limit, store, into: &out) }
                else if holds(c, at: i), !out.contains(Int32(i + 1)) { out.append(Int32(i + 1)) }
            }
        default:
            if holds(n, at: i) { out.append(Int32(i + 1)) }
        }
    }

    /// Keeps the ends from `base` on that pass `test`, in order.
    @inline(__always)
    private func keep(in ends: inout ScratchBuffer<Int32>, from base: Int, _ test: (Int32) -> Bool) {
        var kept = base
        for r in base..<ends.count where test(ends[r]) {
            ends[kept] = ends[r]
            kept += 1
        }
        ends.truncate(to: kept)
    }

    /// Whether span test `n` can match from token `i` to `end` (for a conjunction of two or
    /// more span tests: rare, so the ends are simply collected).
    private func hasEnd(_ n: Int, at i: Int, _ end: Int32, limit: Int, _ store: AnnotationStore) -> Bool {
        var ends = ScratchBuffer<Int32>()
        defer { ends.deallocate() }
        collectEnds(n, at: i, limit: limit, store, into: &ends)
        return ends.contains(end)
    }
}
