/// ScalarTable: what the tokenizer needs to know about a code point, tabled for the BMP.
///
/// Consumes Unicode scalar properties (the Swift standard library's); produces per code point
/// its case and digit/hyphen bits (for shapes) and the kind of a token starting with it when
/// ICU gives no word or number status. Every answer comes from one function, tabled or not;
/// the table only saves the standard library's property look-ups per letter. It is filled as
/// code points are met (building all of the BMP up front costs about 25 ms per process), so
/// each tokenizer, used by one thread at a time, has its own.
final class ScalarTable {
    static let upper: UInt8 = 1 << 0
    static let lower: UInt8 = 1 << 1
    /// ASCII digits only: "²" or "٣" do not make a token `hasDigit`.
    static let digit: UInt8 = 1 << 2
    /// ASCII "-" only.
    static let hyphen: UInt8 = 1 << 3
    /// A letter outside ASCII.
    static let diacritic: UInt8 = 1 << 4
    /// Bits 5-6: `TokenTable.Kind` raw value.
    static let kindShift: UInt8 = 5

    private static let limit = 0x10000
    private static let notYet: UInt8 = 0xFF    // facts use 7 bits
    private let table: UnsafeMutablePointer<UInt8>

    init() {
        table = .allocate(capacity: Self.limit)
        table.initialize(repeating: Self.notYet, count: Self.limit)
        for cp in 0..<0x80 { table[cp] = Self.compute(UInt32(cp)) }
    }

    deinit { table.deallocate() }

    @inline(__always)
    func facts(_ cp: UInt32) -> UInt8 {
        guard cp < Self.limit else { return Self.compute(cp) }
        let f = table[Int(cp)]
        return f != Self.notYet ? f : fill(cp)
    }

    /// The facts of an ASCII byte: tabled from the start, so read without a fill check.
    @inline(__always)
    func facts(ascii c: UInt8) -> UInt8 { table[Int(c)] }

    /// The facts of up to eight ASCII bytes at once, little-endian in `word` (bytes past the
    /// text zero): their union, and which bytes are upper- and lower-case letters (the top bit
    /// of each such byte set). The same facts `asciiFacts` gives byte by byte, found with word
    /// arithmetic: no byte is above 0x7F, so adding to one never carries into the next.
    @inline(__always)
    static func facts(asciiWord word: UInt64) -> (seen: UInt8, upperBytes: UInt64, lowerBytes: UInt64) {
        let upperBytes = bytes(of: word, from: 0x41, to: 0x5A)
        let lowerBytes = bytes(of: word, from: 0x61, to: 0x7A)
        var seen: UInt8 = 0
        if upperBytes != 0 { seen |= upper }
        if lowerBytes != 0 { seen |= lower }
        if bytes(of: word, from: 0x30, to: 0x39) != 0 { seen |= digit }
        if bytes(of: word, from: 0x2D, to: 0x2D) != 0 { seen |= hyphen }
        return (seen, upperBytes, lowerBytes)
    }

    /// The top bit of each byte of `word` (all below 0x80) from `lo` to `hi` (lo > 0).
    @inline(__always)
    private static func bytes(of word: UInt64, from lo: UInt8, to hi: UInt8) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let atLeastLo = word &+ ones &* UInt64(0x80 - lo)
        let aboveHi = word &+ ones &* UInt64(0x7F - hi)
        return atLeastLo & ~aboveHi & 0x8080_8080_8080_8080
    }

    private func fill(_ cp: UInt32) -> UInt8 {
        let f = Self.compute(cp)
        table[Int(cp)] = f
        return f
    }

    @inline(__always)
    static func kind(_ facts: UInt8) -> TokenTable.Kind {
        TokenTable.Kind(rawValue: facts >> kindShift & 3).unsafelyUnwrapped
    }

    private static func compute(_ cp: UInt32) -> UInt8 {
        if cp < 0x80 { return asciiFacts(UInt8(cp)) }
        // Surrogate code points never come out of valid UTF-8.
        guard let scalar = Unicode.Scalar(cp) else { return TokenTable.Kind.symbol.rawValue << kindShift }
        let p = scalar.properties
        var f: UInt8 = p.isUppercase ? upper : p.isLowercase ? lower : 0
        if f != 0 { f |= diacritic }
        let kind: TokenTable.Kind
        switch p.generalCategory {
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: kind = .symbol
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .otherLetter, .modifierLetter: kind = .word
        case .decimalNumber, .otherNumber, .letterNumber: kind = .number
        default: kind = .punct
        }
        return f | kind.rawValue << kindShift
    }

    private static func asciiFacts(_ c: UInt8) -> UInt8 {
        var f: UInt8 = 0
        if c >= 0x41 && c <= 0x5A { f = upper }
        else if c >= 0x61 && c <= 0x7A { f = lower }
        else if c >= 0x30 && c <= 0x39 { f = digit }
        else if c == UInt8(ascii: "-") { f = hyphen }
        let kind: TokenTable.Kind
        switch c {
        case UInt8(ascii: "$"), UInt8(ascii: "+"), UInt8(ascii: "<"), UInt8(ascii: "="), UInt8(ascii: ">"),
             UInt8(ascii: "^"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            kind = .symbol
        default:
            kind = (c >= 0x30 && c <= 0x39) ? .number : .punct
        }
        return f | kind.rawValue << kindShift
    }
}
