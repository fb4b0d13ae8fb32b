/// Rule parsing: the text of a `.rules` file → `[PhaseAST]`, or a `RuleError` naming file,
/// line, column and what was expected.
///
/// A file is a list of clauses, one per line (an indented line that starts with no keyword
/// continues the clause above): `phase`, `rule`, `priority`, `match`, `make`, `relate`.
public struct RuleParser {
    private let file: String
    private var phases: [PhaseAST] = []

    public init(file: String) { self.file = file }

    public static func parse(_ text: String, file: String) throws -> [PhaseAST] {
        var p = RuleParser(file: file)
        return try p.run(text)
    }

    private struct Clause {
        var keyword: String
        var body: [Unicode.Scalar]
        var positions: [(Int, Int)]   // line, column (1-based) of each body scalar
        var line: Int
        var column: Int
    }

    private static let keywords: Set<String> = ["phase", "rule", "match", "make", "relate", "priority"]

    private mutating func run(_ text: String) throws -> [PhaseAST] {
        var clauses: [Clause] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let scalars = Array(stripComment(String(raw)).unicodeScalars)
            guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" && $0 != "\r" }) else { continue }
            var wordEnd = first
            while wordEnd < scalars.count, scalars[wordEnd].properties.isAlphabetic { wordEnd += 1 }
            let word = String(String.UnicodeScalarView(scalars[first..<wordEnd]))
            let positions = (0..<scalars.count).map { (n + 1, $0 + 1) }
            if Self.keywords.contains(word) {
                clauses.append(Clause(keyword: word, body: Array(scalars[wordEnd...]),
                                      positions: Array(positions[wordEnd...]), line: n + 1, column: first + 1))
            } else if first > 0, !clauses.isEmpty {
                clauses[clauses.count - 1].body.append(" ")
                clauses[clauses.count - 1].positions.append((n + 1, first))
                clauses[clauses.count - 1].body += scalars[first...]
                clauses[clauses.count - 1].positions += positions[first...]
            } else {
                throw RuleError(location: SourceLocation(file: file, line: n + 1, column: first + 1),
                                message: "expected one of phase, rule, priority, match, make, relate; found '\(word)'")
            }
        }
        var rule: RuleAST? = nil
        func closeRule() throws {
            guard let r = rule else { return }
            if case .sequence(let items) = r.pattern, items.isEmpty {
                throw RuleError(location: r.location, message: "rule '\(r.name)' has no match clause")
            }
            if r.actions.isEmpty {
                throw RuleError(location: r.location, message: "rule '\(r.name)' has no make or relate clause")
            }
            phases[phases.count - 1].rules.append(r)
            rule = nil
        }
        for c in clauses {
            var s = Scanner(body: c.body, positions: c.positions, file: file, end: (c.line, c.column))
            let loc = SourceLocation(file: file, line: c.line, column: c.column)
            switch c.keyword {
            case "phase":
                try closeRule()
                phases.append(try parsePhase(&s, loc))
            case "rule":
                try closeRule()
                guard !phases.isEmpty else { throw RuleError(location: loc, message: "expected a 'phase' line before the first rule") }
                let name = try s.identifier("a rule name")
                var priority = 0
                if s.word("priority") { priority = try s.integer() }
                try s.end()
                rule = RuleAST(name: name, priority: priority, pattern: .sequence([]), actions: [], location: loc)
            case "priority":
                guard rule != nil else { throw RuleError(location: loc, message: "'priority' outside a rule") }
                rule!.priority = try s.integer()
                try s.end()
            case "match":
                guard rule != nil else { throw RuleError(location: loc, message: "'match' outside a rule") }
                rule!.pattern = try s.pattern()
                try s.end()
            case "make":
                guard rule != nil else { throw RuleError(location: loc, message: "'make' outside a rule") }
                rule!.actions.append(try s.make())
            default: // relate
                guard rule != nil else { throw RuleError(location: loc, message: "'relate' outside a rule") }
                rule!.actions.append(try s.relate())
            }
        }
        try closeRule()
        return phases
    }

    private func parsePhase(_ s: inout Scanner, _ loc: SourceLocation) throws -> PhaseAST {
        let name = try s.identifier("a phase name")
        var after: [String] = []
        var mode = PhaseAST.Mode.appelt
        while !s.atEnd {
            if s.word("after") {
                repeat { after.append(try s.identifier("a phase name after 'after'")) } while s.symbol(",")
            } else if s.word("mode") {
                let m = try s.identifier("'appelt' or 'all'")
                guard let parsed = PhaseAST.Mode(rawValue: m) else { throw s.error("expected 'appelt' or 'all', found '\(m)'") }
                mode = parsed
            } else {
                throw s.error("expected 'after' or 'mode'")
            }
        }
        return PhaseAST(name: name, after: after, mode: mode, rules: [], location: loc)
    }

    private func stripComment(_ line: String) -> String {
        var inString = false
        var out = ""
        for ch in line {
            if ch == "\"" { inString.toggle() }
            if ch == "#" && !inString { break }
            out.append(ch)
        }
        return out
    }
}

/// A cursor over one clause's characters.
struct Scanner {
    let body: [Unicode.Scalar]
    let positions: [(Int, Int)]
    let file: String
    let endPosition: (Int, Int)
    var i = 0

    init(body: [Unicode.Scalar], positions: [(Int, Int)], file: String, end: (Int, Int)) {
        self.body = body
        self.positions = positions
        self.file = file
        self.endPosition = (positions.last.map { ($0.0, $0.1 + 1) }) ?? end
    }

    var atEnd: Bool { mutating get { skipSpace(); return i >= body.count } }

    func error(_ message: String) -> RuleError {
        let (l, c) = i < positions.count ? positions[i] : endPosition
        return RuleError(location: SourceLocation(file: file, line: l, column: c), message: message)
    }

    mutating func skipSpace() { while i < body.count, body[i] == " " || body[i] == "\t" || body[i] == "\r" { i += 1 } }

    func found() -> String {
        i < body.count ? "'\(Character(body[i]))'" : "end of line"
    }

    mutating func end() throws { if !atEnd { throw error("unexpected \(found())") } }

    static func isName(_ c: Unicode.Scalar) -> Bool {
        c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "-" || c == "." || c == "'"
    }

    mutating func peekIdentifier() -> String? {
        skipSpace()
        var j = i
        while j < body.count, Self.isName(body[j]) { j += 1 }
        return j > i ? String(String.UnicodeScalarView(body[i..<j])) : nil
    }

    mutating func identifier(_ what: String) throws -> String {
        guard let id = peekIdentifier() else { throw error("expected \(what), found \(found())") }
        i += id.unicodeScalars.count
        return id
    }

    /// Consumes `w` if it is the next identifier.
    mutating func word(_ w: String) -> Bool {
        guard peekIdentifier() == w else { return false }
        i += w.unicodeScalars.count
        return true
    }

    mutating func symbol(_ s: Unicode.Scalar) -> Bool {
        skipSpace()
        guard i < body.count, body[i] == s else { return false }
        i += 1
        return true
    }

    mutating func expect(_ s: Unicode.Scalar) throws {
        if !symbol(s) { throw error("expected '\(Character(s))', found \(found())") }
    }

    mutating func integer() throws -> Int {
        skipSpace()
        var j = i
        if j < body.count, body[j] == "-" { j += 1 }
        while j < body.count, ("0"..."9").contains(body[j]) { j += 1 }
        guard let n = Int(String(String.UnicodeScalarView(body[i..<j]))) else { throw error("expected a number, found \(found())") }
        i = j
        return n
    }

    mutating func string() throws -> String {
        skipSpace()
        guard i < body.count, body[i] == "\"" else { throw error("expected a quoted string, found \(found())") }
        var j = i + 1
        var out = String.UnicodeScalarView()
        while j < body.count, body[j] != "\"" {
            if body[j] == "\\", j + 1 < body.count { j += 1 }
            out.append(body[j])
            j += 1
        }
        guard j < body.count else { throw error("unterminated string") }
        i = j + 1
        guard !out.isEmpty else { throw error("empty string") }
        return String(out)
    }

    mutating func peek() -> Unicode.Scalar? { skipSpace(); return i < body.count ? body[i] : nil }

    // MARK: patterns

    mutating func pattern() throws -> PatternAST {
        var alts = [try sequence()]
        while symbol("|") { alts.append(try sequence()) }
        return alts.count == 1 ? alts[0] : .alternatives(alts)
    }

    mutating func sequence() throws -> PatternAST {
        var items: [PatternAST] = []
        while let c = peek(), c == "[" || c == "(" || c == "\"" {
            items.append(try quantified())
        }
        guard !items.isEmpty else { throw error("expected '[', '(' or a quoted literal, found \(found())") }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    mutating func quantified() throws -> PatternAST {
        var atom = try element()
        while let c = peek() {
            switch c {
            case "?": i += 1; atom = .repeated(atom, min: 0, max: 1)
            case "*": i += 1; atom = .repeated(atom, min: 0, max: nil)
            case "+": i += 1; atom = .repeated(atom, min: 1, max: nil)
            case "{":
                i += 1
                let lo = try integer()
                var hi: Int? = lo
                if symbol(",") { hi = peek() == "}" ? nil : try integer() }
                try expect("}")
                if let h = hi, h < lo || h == 0 { throw error("bad repeat bounds {\(lo),\(h)}") }
                atom = .repeated(atom, min: lo, max: hi)
            default: return atom
            }
        }
        return atom
    }

    mutating func element() throws -> PatternAST {
        if symbol("[") {
            let p = try predicate()
            try expect("]")
            return .test(p)
        }
        if symbol("(") {
            let save = i
            if let name = peekIdentifier() {
                i += name.unicodeScalars.count
                if symbol(":") {
                    let inner = try pattern()
                    try expect(")")
                    return .capture(name, inner)
                }
                i = save
            }
            let inner = try pattern()
            try expect(")")
            return inner
        }
        return .literal(try string())
    }

    mutating func predicate() throws -> PredicateAST {
        var terms = [try conjunction()]
        while symbol("|") { terms.append(try conjunction()) }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    mutating func conjunction() throws -> PredicateAST {
        var terms = [try negation()]
        while symbol("&") { terms.append(try negation()) }
        return terms.count == 1 ? terms[0] : .and(terms)
    }

    mutating func negation() throws -> PredicateAST {
        if symbol("!") { return .not(try negation()) }
        if symbol("(") {
            let p = try predicate()
            try expect(")")
            return p
        }
        if peek() == "\"" { return .folded(try string()) }
        let name = try identifier("a token test (gaz=, ann=, shape=, kind=, text=, suffix=, key=, any or a quoted word)")
        if name == "any" { return .any }
        var negate = false
        if symbol("!") { negate = true }
        try expect("=")
        let value: String
        if peek() == "\"" { value = try string() } else { value = try identifier("a value after '='") }
        let p: PredicateAST
        switch name {
        case "gaz": p = .gazetteer(value)
        case "ann": p = .annotation(value)
        case "shape":
            guard TokenTests.shapes[value] != nil else {
                throw error("unknown shape '\(value)'; expected one of \(TokenTests.shapes.keys.sorted().joined(separator: ", "))")
            }
            p = .shape(value)
        case "kind":
            guard TokenTable.Kind.allCases.contains(where: { $0.name == value }) else {
                throw error("unknown kind '\(value)'; expected word, number, punct or symbol")
            }
            p = .kind(value)
        case "text": p = .exact(value)
        case "suffix": p = .suffix(value)
        case "key": p = .folded(value)
        default: throw error("unknown test '\(name)'; expected gaz, ann, shape, kind, text, suffix or key")
        }
        return negate ? .not(p) : p
    }

    // MARK: actions

    mutating func make() throws -> ActionAST {
        let type = try identifier("an annotation type after 'make'")
        var from: String? = nil
        var attrs: [(String, ValueAST)] = []
        while !atEnd {
            if word("from") { from = try identifier("a capture name after 'from'"); continue }
            let key = try identifier("'from' or an attribute key=value")
            try expect("=")
            if peek() == "\"" {
                attrs.append((key, .literal(try string())))
            } else {
                let v = try identifier("a capture name or a quoted literal")
                if let dot = v.firstIndex(of: ".") {
                    attrs.append((key, .captureAttribute(String(v[..<dot]), String(v[v.index(after: dot)...]))))
                } else {
                    attrs.append((key, .captureText(v)))
                }
            }
        }
        return .make(type: type, from: from, attributes: attrs)
    }

    mutating func relate() throws -> ActionAST {
        let type = try identifier("a relation type after 'relate'")
        var args: [(String, String)] = []
        while !atEnd {
            let key = try identifier("an argument role=capture")
            try expect("=")
            args.append((key, try identifier("a capture name")))
        }
        guard !args.isEmpty else { throw error("expected arguments role=capture after the relation type") }
        return .relate(type: type, arguments: args)
    }
}
