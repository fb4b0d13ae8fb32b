/// Figure values: a figure annotation's attributes → a number and a unit.
///
/// Attributes (set by rules): `number` (digits as written: "1,954", "2.3"), `word` (the value
/// of a number word, from the gazetteer), `scale` (1000000 for "million"), `unit` (what is
/// counted, or a currency code / measure from the gazetteer), else `unit_text` (the unit as
/// written, when the gazetteer does not know it).
public enum FigureValue {
    public static func resolve(_ attrs: Attributes) -> (Double?, String?) {
        var value: Double? = nil
        if let n = attrs["number"] { value = parse(n) }
        if value == nil, let w = attrs["word"] { value = Double(w) }
        if let v = value, let s = attrs["scale"].flatMap(Double.init) { value = v * s }
        return (value, (attrs["unit"] ?? attrs["unit_text"]).map(normaliseUnit))
    }

    /// "1,954" → 1954; "2.3" → 2.3; "1.234.567" (dots as thousands) → 1234567.
    public static func parse(_ text: String) -> Double? {
        let dots = text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: ".") ? 1 : 0) }
        func separator(_ c: UInt8) -> Bool { c == UInt8(ascii: ",") || (dots >= 2 && c == UInt8(ascii: ".")) }
        // Most numbers have no separators to take out, so need no copy.
        guard text.utf8.contains(where: separator) else { return Double(text) }
        return Double(String(decoding: text.utf8.filter { !separator($0) }, as: UTF8.self))
    }

    /// Units are lower case except codes and proper nouns kept as the rule gave them.
    static func normaliseUnit(_ u: String) -> String {
        // One pass over the bytes: `contains("  ")` (a substring search) cost about 12% of records.
        var previousSpace = false
        var clean = true
        for c in u.utf8 {
            if c == 0x0A || c == 0x0D || (c == 0x20 && previousSpace) { clean = false; break }
            previousSpace = c == 0x20
        }
        guard !clean else { return u }
        return u.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }
}
