/// Rule phases: tokens + lookups → annotations and relation candidates, phase after phase.
///
/// Requires the gazetteer lookups (and reader annotations) in the store. Provides, per phase
/// in declared order, the annotations its accepted matches make. Conflict policy in `appelt`
/// mode: higher priority wins, then the longer match, then the earlier start, then the rule
/// written first; a match overlapping one already accepted in the phase is dropped. In `all`
/// mode every match fires.
public struct RelationCandidate: Sendable {
    public var type: String
    /// Argument role → token range (unset optional captures are left out).
    public var arguments: [(String, Range<Int>)]
    /// Token range of the whole match: the evidence.
    public var evidence: Range<Int>
    public var rule: Int32
}

struct PhaseRunner {
    let rules: RuleSet

    /// Runs every phase. For timing, `prepared()` is called once the candidates of all phases
    /// are found, and `phaseDone(p)` after phase `p`. `scratch` is the matcher's working
    /// memory, reused from article to article by one thread.
    func run(tokens: TokenTable, bytes: [UInt8], store: inout AnnotationStore, relations: inout [RelationCandidate],
             scratch: MatchScratch, prepared: () -> Void = {}, phaseDone: (Int) -> Void = { _ in }) {
        let matcher = Matcher(rules: rules, tokens: tokens, bytes: bytes, scratch: scratch)
        matcher.prepare(store)
        prepared()
        var policy = scratch.policy   // borrowed for its buffers
        scratch.policy = ConflictPolicy()
        defer { scratch.policy = policy }
        for (p, phase) in rules.phases.enumerated() {
            let found = matcher.matches(p, phase, rules.dispatch[p], store)
            let earlier = Int32(store.items.count)   // a phase's values read earlier phases only
            for x in policy.accepted(found, mode: phase.mode, priority: rules.flat.priority, tokenCount: tokens.count) {
                apply(found[x], matcher, tokens: tokens, bytes: bytes, store: &store, relations: &relations, earlier: earlier)
            }
            phaseDone(p)
        }
    }

    /// Makes the annotations and relation candidates of match `m`. The rule's actions are read
    /// in place (no copy of the rule per match).
    private func apply(_ m: Matcher.Match, _ matcher: Matcher, tokens: TokenTable, bytes: [UInt8], store: inout AnnotationStore,
                       relations: inout [RelationCandidate], earlier: Int32) {
        let r = Int(m.rule)
        func span(_ capture: Int) -> Range<Int>? {
            let s = matcher.capture(m, capture * 2), e = matcher.capture(m, capture * 2 + 1)
            return s >= 0 && e > s ? Int(s)..<Int(e) : nil
        }
        for k in rules.rules[r].actions.indices {
            switch rules.rules[r].actions[k].kind {
            case .make(let type):
                var target = Int(m.start)..<Int(m.end)
                if let c = rules.rules[r].actions[k].from {
                    guard let s = span(c) else { continue }
                    target = s
                }
                if let constant = rules.rules[r].actions[k].constantAttributes {
                    store.add(type: type, tokens: target, rule: m.rule, isLookup: false, attributes: constant)
                    continue
                }
                var attrs: [(String, String)] = []
                attrs.reserveCapacity(rules.rules[r].actions[k].attributes.count)   // one allocation, not one per growth
                for (key, value) in rules.rules[r].actions[k].attributes {
                    if let v = evaluate(value, span: span, tokens: tokens, bytes: bytes, store: store, earlier: earlier) {
                        attrs.append((key, v))
                    }
                }
                store.add(type: type, tokens: target, rule: m.rule, isLookup: false, attributes: attrs)
            case .relate(let type):
                let args = rules.rules[r].actions[k].arguments.compactMap { role, c in span(c).map { (role, $0) } }
                relations.append(RelationCandidate(type: type, arguments: args,
                                                   evidence: Int(m.start)..<Int(m.end), rule: m.rule))
            }
        }
    }

    /// A literal; a capture's text; or the type or an attribute of the longest annotation or
    /// lookup (made before id `earlier`) that starts at the capture's first token and ends
    /// inside it.
    private func evaluate(_ value: CompiledValue, span: (Int) -> Range<Int>?,
                          tokens: TokenTable, bytes: [UInt8], store: AnnotationStore, earlier: Int32) -> String? {
        switch value {
        case .literal(let s): return s
        case .captureText(let c):
            guard let r = span(c) else { return nil }
            return String(decoding: bytes[tokens.byteRange(r)], as: UTF8.self)
        case .captureType(let c):
            return longest(at: span(c), store: store, earlier: earlier) { rules.types.name($0.type) }
        case .captureAttribute(let c, let key):
            return longest(at: span(c), store: store, earlier: earlier) { store.attribute(key, of: $0) }
        }
    }

    /// `value` of the longest annotation in `store` (made before id `earlier`) that starts at
    /// the first token of `r` and ends inside it, among those that have one.
    private func longest(at r: Range<Int>?, store: AnnotationStore, earlier: Int32,
                         _ value: (Annotation) -> String?) -> String? {
        guard let r else { return nil }
        var best: (Int32, String)? = nil
        for id in store.starting(at: r.lowerBound) where id < earlier {
            let a = store.items[Int(id)]
            guard Int(a.end) <= r.upperBound, let v = value(a) else { continue }
            if best == nil || a.end > best!.0 { best = (a.end, v) }
        }
        return best?.1
    }
}

/// The conflict policy of a phase: which of its matches fire. Its buffers are reused from
/// phase to phase and (through `MatchScratch`) from article to article.
struct ConflictPolicy {
    private var ranked: [UInt64] = []
    private var kept: [Int] = []
    /// Tokens covered by a match kept so far: all false between calls.
    private var taken: [Bool] = []

    /// Indexes of the matches (ordered by start, then rule) that fire, in that order. In
    /// `appelt` mode: higher priority (`priority[rule]`) first, then the longer match, the
    /// earlier start, the rule written first; a match overlapping one kept already is dropped.
    mutating func accepted(_ matches: [Matcher.Match], mode: PhaseAST.Mode, priority: [Int32], tokenCount: Int) -> [Int] {
        kept.clearKeepingCapacity()
        kept.append(contentsOf: matches.indices)
        guard mode == .appelt, matches.count > 1 else { return kept }
        if taken.count < tokenCount { taken.append(contentsOf: repeatElement(false, count: tokenCount - taken.count)) }
        precondition(matches.count <= Self.indexMask, "too many matches in one phase")
        ranked.clearKeepingCapacity()
        for (x, m) in matches.enumerated() {
            ranked.append(Self.rank(priority: priority[Int(m.rule)], length: m.end - m.start, index: x))
        }
        ranked.sort()
        kept.clearKeepingCapacity()
        for key in ranked {
            let x = Int(key & UInt64(Self.indexMask))
            let span = Int(matches[x].start)..<Int(matches[x].end)
            if span.contains(where: { taken[$0] }) { continue }
            for t in span { taken[t] = true }
            kept.append(x)
        }
        for x in kept { for t in Int(matches[x].start)..<Int(matches[x].end) { taken[t] = false } }
        kept.sort()   // kept matches do not overlap, so index order is start order
        return kept
    }

    private static let indexMask = 1 << 25 - 1

    /// A match's rank as one integer, smallest first: the priority, inverted (32 bits), then
    /// 127 - its length (7 bits: a match spans at most `Matcher.maxSpan` tokens), then its
    /// index (25 bits), which orders equal ones by start and then rule.
    private static func rank(priority: Int32, length: Int32, index: Int) -> UInt64 {
        let descending = ~(UInt32(bitPattern: priority) ^ 0x8000_0000)
        return UInt64(descending) << 32 | UInt64(127 - length) << 25 | UInt64(index)
    }
}
