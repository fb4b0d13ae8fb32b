import Foundation

/// A parsed JSON value, for gold files whose fields vary between corpora.
///
/// Consumes JSON text (via `JSONDecoder`); produces a tree that keeps the difference between a
/// key that is absent and a key that is `null` (the reference scorer, score.py, treats them
/// differently). Also carries the two Python comparisons score.py relies on: truthiness and
/// "equal as floats, else equal as strings" (`pythonValueEqual`).
public enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let n = try? c.decode(Double.self) { self = .number(n); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([JSONValue].self) { self = .array(a); return }
        self = .object(try c.decode([String: JSONValue].self))
    }

    /// Parses JSON text.
    public static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var number: Double? { if case .number(let n) = self { return n }; return nil }
    public var array: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var int: Int? { number.flatMap { $0.isFinite ? Int(exactly: $0.rounded()) : nil } }

    /// Python truthiness (`if x:`): false, null, 0, "", [] and {} are false.
    public var truthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .number(let n): return n != 0
        case .string(let s): return !s.isEmpty
        case .array(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        }
    }

    /// Python's `float(x)`, or nil where it raises.
    public var pythonFloat: Double? {
        switch self {
        case .number(let n): return n
        case .bool(let b): return b ? 1 : 0
        case .string(let s): return Self.pythonFloat(s)
        default: return nil
        }
    }

    /// Python's `float(str)`: surrounding white space, underscores between digits, inf/nan.
    static func pythonFloat(_ raw: String) -> Double? {
        let s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        var body = Substring(s)
        var sign = 1.0
        if let f = body.first, f == "+" || f == "-" { sign = f == "-" ? -1 : 1; body = body.dropFirst() }
        switch body.lowercased() {
        case "inf", "infinity": return sign * .infinity
        case "nan": return .nan
        default: break
        }
        let chars = Array(body)
        var cleaned = ""
        for (i, c) in chars.enumerated() {
            if c == "_" {
                guard i > 0, i + 1 < chars.count, chars[i - 1].isASCII, chars[i - 1].isNumber,
                      chars[i + 1].isASCII, chars[i + 1].isNumber else { return nil }
                continue
            }
            guard c.isASCII, c.isNumber || c == "." || c == "e" || c == "E" || c == "+" || c == "-" else { return nil }
            cleaned.append(c)
        }
        // digits [. digits] | . digits, then an optional exponent
        var i = cleaned.startIndex
        func digits() -> Int {
            var n = 0
            while i < cleaned.endIndex, cleaned[i].isNumber { i = cleaned.index(after: i); n += 1 }
            return n
        }
        var mantissa = digits()
        if i < cleaned.endIndex, cleaned[i] == "." { i = cleaned.index(after: i); mantissa += digits() }
        guard mantissa > 0 else { return nil }
        if i < cleaned.endIndex, cleaned[i] == "e" || cleaned[i] == "E" {
            i = cleaned.index(after: i)
            if i < cleaned.endIndex, cleaned[i] == "+" || cleaned[i] == "-" { i = cleaned.index(after: i) }
            guard digits() > 0 else { return nil }
        }
        guard i == cleaned.endIndex, let v = Double(cleaned) else { return nil }
        return sign * v
    }

    /// score.py's value comparison: `float(p) == float(g)`, and where either `float()` raises,
    /// `str(p) == str(g)` (nil stands for Python's None).
    public static func pythonValueEqual(_ p: JSONValue?, _ g: JSONValue?) -> Bool {
        let pf = p?.pythonFloat, gf = g?.pythonFloat
        if let pf, let gf { return pf == gf }
        // str(): a value float() accepts never prints like one float() rejects, so only two
        // non-numbers can be equal as strings.
        if pf != nil || gf != nil { return false }
        return pythonStr(p) == pythonStr(g)
    }

    private static func pythonStr(_ v: JSONValue?) -> String {
        switch v {
        case nil, .null?: return "None"
        case .string(let s)?: return s
        case let other?: return "\(other)"
        }
    }
}
