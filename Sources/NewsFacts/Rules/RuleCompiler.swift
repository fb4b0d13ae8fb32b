/// Rule compilation: `PhaseAST`s → `CompiledPhase`s and `CompiledRule`s.
///
/// Requires the lexicon (literals become key ids), the type registry and a tokenizer to cut
/// literals the way articles are cut. Each pattern becomes a small program (tests, splits,
/// saves) run by `Matcher`; phases are ordered by their `after` lists.
struct RuleCompiler {
    var lexicon: Lexicon
    var types: TypeRegistry
    var predicates: [Predicate] = []
    var rules: [CompiledRule] = []
    let cutter: Tokenizer
    /// Types made by some rule, and types some gazetteer defines: what ann= and gaz= may name.
    var madeTypes: Set<String> = []
    var gazetteerTypes: Set<String> = []

    init(lexicon: Lexicon, types: TypeRegistry, cutter: Tokenizer) {
        self.lexicon = lexicon
        self.types = types
        self.cutter = cutter
    }

    mutating func compile(_ phases: [PhaseAST]) throws -> [CompiledPhase] {
        let merged = try order(merge(phases))
        for phase in merged {
            for rule in phase.rules {
                for case .make(let type, _, _) in rule.actions { madeTypes.formUnion(prefixes(type)) }
            }
        }
        return try merged.map { phase in
            var ids: [Int] = []
            for rule in phase.rules {
                ids.append(rules.count)
                rules.append(try compileRule(rule))
            }
            return CompiledPhase(name: phase.name, mode: phase.mode, rules: ids)
        }
    }

    private func prefixes(_ type: String) -> [String] {
        var out = [type]
        var t = type
        while let dot = t.lastIndex(of: ".") { t = String(t[..<dot]); out.append(t) }
        return out
    }

    /// Phases with one name (from several files, or the user's directory) become one.
    private func merge(_ phases: [PhaseAST]) -> [PhaseAST] {
        var out: [PhaseAST] = []
        for p in phases {
            if let i = out.firstIndex(where: { $0.name == p.name }) {
                out[i].rules += p.rules
                out[i].after += p.after.filter { !out[i].after.contains($0) }
            } else {
                out.append(p)
            }
        }
        return out
    }

    /// Orders phases so each comes after those it names; file order breaks ties.
    private func order(_ phases: [PhaseAST]) throws -> [PhaseAST] {
        var done: [String] = []
        var out: [PhaseAST] = []
        var visiting: Set<String> = []
        let byName = Dictionary(phases.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        func visit(_ p: PhaseAST) throws {
            if done.contains(p.name) { return }
            if visiting.contains(p.name) { throw RuleError(location: p.location, message: "phase '\(p.name)' is in a cycle of 'after'") }
            visiting.insert(p.name)
            for a in p.after {
                guard let dep = byName[a] else {
                    throw RuleError(location: p.location, message: "phase '\(p.name)' comes after unknown phase '\(a)'")
                }
                try visit(dep)
            }
            done.append(p.name)
            out.append(p)
        }
        for p in phases { try visit(p) }
        return out
    }

    // MARK: one rule

    private mutating func compileRule(_ rule: RuleAST) throws -> CompiledRule {
        var captures: [String] = []
        collectCaptures(rule.pattern, &captures)
        var program: [Instruction] = [.match]
        let entry = try emit(rule.pattern, next: 0, program: &program, captures: captures, rule: rule)
        program.append(.jump(entry))   // the last instruction is the entry point
        var actions: [CompiledAction] = []
        for a in rule.actions { actions.append(try compileAction(a, captures: captures, rule: rule)) }
        let id = "\(rule.location.file.split(separator: "/").last.map(String.init) ?? rule.location.file):\(rule.name)"
        return CompiledRule(id: id, name: rule.name, priority: rule.priority, program: program,
                            captures: captures, actions: actions, location: rule.location)
    }

    private func collectCaptures(_ p: PatternAST, _ out: inout [String]) {
        switch p {
        case .capture(let name, let inner):
            if !out.contains(name) { out.append(name) }
            collectCaptures(inner, &out)
        case .sequence(let items), .alternatives(let items): for i in items { collectCaptures(i, &out) }
        case .repeated(let inner, _, _): collectCaptures(inner, &out)
        default: break
        }
    }

    private mutating func addPredicate(_ p: Predicate) -> Int32 {
        predicates.append(p)
        return Int32(predicates.count - 1)
    }

    /// Emits `p` so that it continues at `next`; returns its entry instruction.
    private mutating func emit(_ p: PatternAST, next: Int32, program: inout [Instruction],
                               captures: [String], rule: RuleAST) throws -> Int32 {
        func append(_ i: Instruction) -> Int32 { program.append(i); return Int32(program.count - 1) }
        switch p {
        case .test(let ast):
            let pred = try predicate(ast, rule: rule)
            return append(.test(addPredicate(pred), next: next))
        case .literal(let text):
            let keys = try literalKeys(text)
            var entry = next
            for k in keys.reversed() { entry = append(.test(addPredicate(.key(k)), next: entry)) }
            return entry
        case .sequence(let items):
            var entry = next
            for item in items.reversed() { entry = try emit(item, next: entry, program: &program, captures: captures, rule: rule) }
            return entry
        case .alternatives(let alts):
            var entries: [Int32] = []
            for run in try oneTokenRuns(alts, rule: rule) {
                switch run {
                case .tests(let tests):
                    entries.append(append(.test(addPredicate(tests.count == 1 ? tests[0] : .or(tests)), next: next)))
                case .other(let pattern):
                    entries.append(try emit(pattern, next: next, program: &program, captures: captures, rule: rule))
                }
            }
            var entry = entries.last!
            for e in entries.dropLast().reversed() { entry = append(.split(e, entry)) }
            return entry
        case .capture(let name, let inner):
            let slot = Int32(captures.firstIndex(of: name)! * 2)
            let close = append(.save(slot + 1, next: next))
            let body = try emit(inner, next: close, program: &program, captures: captures, rule: rule)
            return append(.save(slot, next: body))
        case .repeated(let inner, let min, let max):
            var entry: Int32
            if let max {
                entry = next
                for _ in 0..<(max - min) {
                    let body = try emit(inner, next: entry, program: &program, captures: captures, rule: rule)
                    entry = append(.split(body, next))
                }
            } else {
                let loop = append(.jump(-1))   // patched below
                let body = try emit(inner, next: loop, program: &program, captures: captures, rule: rule)
                program[Int(loop)] = .split(body, next)
                entry = loop
            }
            for _ in 0..<min { entry = try emit(inner, next: entry, program: &program, captures: captures, rule: rule) }
            return entry
        }
    }

    /// Alternatives in order, with each run of adjacent one-token tests ("its" | "the" |
    /// [shape=cap]) compiled once and made one test (`or` for two or more): one step for the
    /// matcher instead of one per alternative. Which of them matches cannot change the result (each consumes one token
    /// and continues at the same place), and runs keep their place among the other alternatives.
    private mutating func oneTokenRuns(_ alts: [PatternAST], rule: RuleAST) throws -> [AlternativeRun] {
        var out: [AlternativeRun] = []
        var run: [Predicate] = []
        for a in alts {
            if let p = try oneTokenTest(a, rule: rule) { run.append(p); continue }
            if !run.isEmpty { out.append(.tests(run)) }
            run = []
            out.append(.other(a))
        }
        if !run.isEmpty { out.append(.tests(run)) }
        return out
    }

    enum AlternativeRun {
        case tests([Predicate])   // adjacent one-token tests, compiled already
        case other(PatternAST)
    }

    /// `p` as a predicate when it is a test of exactly one token (a one-token literal, or a
    /// bracket test that spans no annotation).
    private mutating func oneTokenTest(_ p: PatternAST, rule: RuleAST) throws -> Predicate? {
        switch p {
        case .literal(let text):
            let keys = try literalKeys(text)
            return keys.count == 1 ? .key(keys[0]) : nil
        case .test(let ast):
            let pred = try predicate(ast, rule: rule)
            return pred.isSpan ? nil : pred
        default:
            return nil
        }
    }

    private mutating func literalKeys(_ text: String) throws -> [Int32] {
        try cutter.foldedPieces(text).map { piece in piece.withUnsafeBufferPointer { lexicon.intern($0) } }
    }

    private mutating func predicate(_ ast: PredicateAST, rule: RuleAST) throws -> Predicate {
        switch ast {
        case .folded(let text):
            let keys = try literalKeys(text)
            guard keys.count == 1 else {
                throw RuleError(location: rule.location, message: "rule '\(rule.name)': \"\(text)\" inside [...] must be one token; write it outside the brackets for a sequence")
            }
            return .key(keys[0])
        case .exact(let text):
            let keys = try literalKeys(text)
            return .exact(Array(text.utf8), key: keys.count == 1 ? keys[0] : -1)
        case .suffix(let text): return .suffix(Array(text.lowercased().utf8))
        case .shape(let name): return .shape(TokenTests.shapes[name]!)
        case .kind(let name): return .kind(TokenTable.Kind.allCases.first { $0.name == name }!)
        case .gazetteer(let type):
            guard gazetteerTypes.contains(type) else {
                throw RuleError(location: rule.location, message: "rule '\(rule.name)': no gazetteer defines type '\(type)'")
            }
            return .lookup(types.intern(type))
        case .annotation(let type):
            guard madeTypes.contains(type) || type == "dateline" || type == "published" else {
                throw RuleError(location: rule.location, message: "rule '\(rule.name)': no rule makes annotation type '\(type)'")
            }
            return .annotation(types.intern(type))
        case .any: return .any
        case .not(let inner): return .not(try predicate(inner, rule: rule))
        case .and(let ps): return .and(try ps.map { try predicate($0, rule: rule) })
        case .or(let ps): return .or(try ps.map { try predicate($0, rule: rule) })
        }
    }

    private mutating func compileAction(_ a: ActionAST, captures: [String], rule: RuleAST) throws -> CompiledAction {
        func capture(_ name: String) throws -> Int {
            guard let i = captures.firstIndex(of: name) else {
                throw RuleError(location: rule.location, message: "rule '\(rule.name)': no capture named '\(name)' (captures: \(captures.joined(separator: ", ")))")
            }
            return i
        }
        switch a {
        case .make(let type, let from, let attrs):
            let values: [(String, CompiledValue)] = try attrs.map { key, v in
                switch v {
                case .literal(let s): return (key, .literal(s))
                case .captureText(let c): return (key, .captureText(try capture(c)))
                case .captureAttribute(let c, "type"): return (key, .captureType(try capture(c)))
                case .captureAttribute(let c, let k): return (key, .captureAttribute(try capture(c), k))
                }
            }
            return CompiledAction(kind: .make(type: types.intern(type)), from: try from.map(capture),
                                  attributes: values, arguments: [])
        case .relate(let type, let args):
            return CompiledAction(kind: .relate(type: type), from: nil, attributes: [],
                                  arguments: try args.map { ($0.0, try capture($0.1)) })
        }
    }
}
