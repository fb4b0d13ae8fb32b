/// The rule language's syntax tree, as parsed from `Rules/patterns/*.rules`.
/// See Rules/README.md for the language; `RuleParser` builds it, `RuleCompiler` compiles it.
public struct SourceLocation: Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var description: String { "\(file):\(line):\(column)" }
}

/// A token test inside `[...]`.
public indirect enum PredicateAST: Sendable {
    case folded(String)          // "of", key="of"
    case exact(String)           // text="Of"
    case suffix(String)          // suffix="ed" (ASCII, any case)
    case shape(String)           // shape=cap
    case kind(String)            // kind=number
    case gazetteer(String)       // gaz=place.province (a span)
    case annotation(String)      // ann=organization (a span)
    case any
    case not(PredicateAST)
    case and([PredicateAST])
    case or([PredicateAST])
}

/// A pattern over tokens.
public indirect enum PatternAST: Sendable {
    case test(PredicateAST)
    case literal(String)                  // "Co., Ltd." outside brackets: a token sequence
    case sequence([PatternAST])
    case alternatives([PatternAST])
    case repeated(PatternAST, min: Int, max: Int?)   // max nil = unbounded
    case capture(String, PatternAST)
}

/// A value in an action: a literal, a capture's text, or an attribute of what a capture matched.
public enum ValueAST: Sendable, Equatable {
    case literal(String)
    case captureText(String)
    case captureAttribute(String, String)
}

public enum ActionAST: Sendable {
    /// make TYPE [from CAPTURE] [key=value ...]
    case make(type: String, from: String?, attributes: [(String, ValueAST)])
    /// relate TYPE role=CAPTURE ...
    case relate(type: String, arguments: [(String, String)])
}

public struct RuleAST: Sendable {
    public var name: String
    public var priority: Int
    public var pattern: PatternAST
    public var actions: [ActionAST]
    public var location: SourceLocation
}

public struct PhaseAST: Sendable {
    public enum Mode: String, Sendable { case appelt, all }
    public var name: String
    public var after: [String]
    public var mode: Mode
    public var rules: [RuleAST]
    public var location: SourceLocation
}

/// A rule-file error: where, and what was expected.
public struct RuleError: Error, CustomStringConvertible, Sendable {
    public var location: SourceLocation
    public var message: String
    public var description: String { "\(location): \(message)" }
}
