/// Compiled rules: predicates over tokens and, per rule, a small program for the matcher.
///
/// `RuleCompiler` produces these from `RuleAST`s; `Matcher` runs them.
enum Predicate: Sendable {
    case key(Int32)
    case exact([UInt8], key: Int32)   // key: the text's folded key when it is one token, else -1
    case suffix([UInt8])        // lower-case ASCII
    case shape(TokenTable.Shape)
    case kind(TokenTable.Kind)
    case lookup(Int32)          // gazetteer span of this type (or below)
    case annotation(Int32)      // rule annotation span of this type (or below)
    case any
    indirect case not(Predicate)
    indirect case and([Predicate])
    indirect case or([Predicate])

    /// Whether the test spans annotations (then it consumes their tokens) or one token.
    var isSpan: Bool {
        switch self {
        case .lookup, .annotation: return true
        case .and(let ps): return ps.contains { $0.isSpan }
        case .or(let ps): return ps.contains { $0.isSpan }
        default: return false
        }
    }
}

enum Instruction: Sendable {
    case test(Int32, next: Int32)          // predicate index
    case split(Int32, Int32)               // prefer the first
    case jump(Int32)
    case save(Int32, next: Int32)          // capture slot
    case match
}

public struct CompiledAction: Sendable {
    enum Kind: Sendable { case make(type: Int32), relate(type: String) }
    var kind: Kind
    /// Capture index whose span the annotation covers; nil = the whole match.
    var from: Int?
    let attributes: [(String, CompiledValue)]
    var arguments: [(String, Int)]
    /// The attributes, made once, when every value is a literal (`subtype="country"`): each
    /// annotation shares them instead of making a list of its own.
    let constantAttributes: [(String, String)]?

    init(kind: Kind, from: Int?, attributes: [(String, CompiledValue)], arguments: [(String, Int)]) {
        (self.kind, self.from, self.attributes, self.arguments) = (kind, from, attributes, arguments)
        constantAttributes = Self.constant(attributes)
    }

    private static func constant(_ attributes: [(String, CompiledValue)]) -> [(String, String)]? {
        var out: [(String, String)] = []
        for (key, value) in attributes {
            guard case .literal(let text) = value else { return nil }
            out.append((key, text))
        }
        return out
    }
}

/// An attribute value with its capture named by index.
enum CompiledValue: Sendable {
    case literal(String)
    case captureText(Int)
    /// The capture's annotation type (`c.type`).
    case captureType(Int)
    case captureAttribute(Int, String)
}

public struct CompiledRule: Sendable {
    public var id: String          // file:name
    public var name: String
    public var priority: Int
    var program: [Instruction]
    var captures: [String]
    var actions: [CompiledAction]
    public var location: SourceLocation
}

public struct CompiledPhase: Sendable {
    public var name: String
    public var mode: PhaseAST.Mode
    var rules: [Int]              // indexes into RuleSet.rules: consecutive, in written order
}

/// Shape names of the rule language.
enum TokenTests {
    static let shapes: [String: TokenTable.Shape] = [
        "cap": .capitalised, "allcaps": .allCaps, "lower": .lower, "digit": .hasDigit,
        "diacritic": .hasDiacritic, "hyphenated": .hyphenated, "glued": .glued,
        "linestart": .lineStart, "parastart": .paragraphStart, "title": .titleCase,
        "single": .single, "sentstart": .sentenceStart, "year": .yearLike,
    ]
}
