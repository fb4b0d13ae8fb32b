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
        if value == nil, let w = attrs["word"] { value = double(w) }
        if let v = value, let s = attrs["scale"].flatMap(double) { value = v * s }
        return (value, (attrs["unit"] ?? attrs["unit_text"]).map(normaliseUnit))
    }

    /// "1,954" → 1954; "2.3" → 2.3; "1.234.567" (dots as thousands) → 1234567.
    public static func parse(_ text: String) -> Double? {
        var text = text
        let simple = text.withUTF8 { b -> Double? in
            let dots = b.reduce(0) { $0 + ($1 == UInt8(ascii: ".") ? 1 : 0) }
            return decimal(b) { $0 == UInt8(ascii: ",") || (dots >= 2 && $0 == UInt8(ascii: ".")) }
        }
        return simple ?? parseSlowly(text)
    }

    /// `parse` for what `decimal` leaves: the separators taken out, then `Double(String)`.
    private static func parseSlowly(_ text: String) -> Double? {
        let dots = text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: ".") ? 1 : 0) }
        func separator(_ c: UInt8) -> Bool { c == UInt8(ascii: ",") || (dots >= 2 && c == UInt8(ascii: ".")) }
        // Most numbers have no separators to take out, so need no copy.
        guard text.utf8.contains(where: separator) else { return Double(text) }
        return Double(String(decoding: text.utf8.filter { !separator($0) }, as: UTF8.self))
    }

    /// `Double(text)`, read from the bytes when `decimal` can.
    static func double(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { decimal($0) { _ in false } } ?? Double(text)
    }

    /// Powers of ten up to 10^22: all exact as doubles.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The value of `b` without its `separator` bytes, when what is left is digits with at
    /// most one decimal point between digits, 15 digits at most: nil for anything else.
    /// Then the digits are an exact double and so is the power of ten they are divided by,
    /// and the one division is correctly rounded, as `Double(String)` (strtod) is: the same
    /// bits, without making a String or calling strtod.
    static func decimal(_ b: UnsafeBufferPointer<UInt8>, separator: (UInt8) -> Bool) -> Double? {
        var mantissa: UInt64 = 0
        var digits = 0, fraction = -1   // digits after the point; -1: no point yet
        var lastWasDigit = false
        for c in b where !separator(c) {
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                mantissa = mantissa * 10 + UInt64(c - UInt8(ascii: "0"))
                digits += 1
                if fraction >= 0 { fraction += 1 }
                lastWasDigit = true
            } else if c == UInt8(ascii: "."), fraction < 0, lastWasDigit {
                fraction = 0
                lastWasDigit = false
            } else {
                return nil
            }
            if digits > 15 { return nil }
        }
        guard lastWasDigit else { return nil }
        return fraction > 0 ? Double(mantissa) / powersOfTen[fraction] : Double(mantissa)
    }

    /// Units are lower case except codes and proper nouns kept as the rule gave them.
    static func normaliseUnit(_ u: String) -> String {
        // One pass over the bytes: `contains("  ")` (a substring search) cost about 12% of records;
        // the bytes are read through a buffer, as iterating `utf8` cost about ten instructions each.
        var copy = u
        let clean = copy.withUTF8 { bytes in
            var previousSpace = false
            for c in bytes {
                if c == 0x0A || c == 0x0D || (c == 0x20 && previousSpace) { return false }
                previousSpace = c == 0x20
            }
            return true
        }
        guard !clean else { return u }
        return u.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }
}
