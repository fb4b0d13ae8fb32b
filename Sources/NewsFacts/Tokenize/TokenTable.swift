/// TokenTable: the tokens of one article as parallel arrays (no `String` per token).
///
/// Produced by `Tokenizer`; read by gazetteer lookup, the rule phases and the resolvers.
public struct TokenTable: Sendable {
    public enum Kind: UInt8, Sendable, CaseIterable {
        case word, number, punct, symbol

        public var name: String { String(describing: self) }
    }

    /// Shape bits of a token.
    public struct Shape: OptionSet, Sendable, Hashable {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        /// First letter upper case ("Giang", "BGG", "Luxshare-ICT").
        public static let capitalised = Shape(rawValue: 1 << 0)
        /// Two or more letters, all upper case ("VND", "BẮC").
        public static let allCaps = Shape(rawValue: 1 << 1)
        /// First letter lower case.
        public static let lower = Shape(rawValue: 1 << 2)
        public static let hasDigit = Shape(rawValue: 1 << 3)
        /// A letter outside ASCII ("Bắc", "Đào").
        public static let hasDiacritic = Shape(rawValue: 1 << 4)
        public static let hyphenated = Shape(rawValue: 1 << 5)
        /// No white space between this token and the one before.
        public static let glued = Shape(rawValue: 1 << 6)
        /// First token after a line break.
        public static let lineStart = Shape(rawValue: 1 << 7)
        /// First token of a paragraph (after a blank line, or the text's first token).
        public static let paragraphStart = Shape(rawValue: 1 << 8)
        /// Upper case first letter, the rest lower case ("Giang", not "BGG").
        public static let titleCase = Shape(rawValue: 1 << 9)
        /// A single upper-case letter ("A", "J").
        public static let single = Shape(rawValue: 1 << 10)
        /// First token of a sentence.
        public static let sentenceStart = Shape(rawValue: 1 << 11)
        /// Four digits from 1900 to 2099 ("2019"): a year, unless a rule says otherwise.
        public static let yearLike = Shape(rawValue: 1 << 12)
    }

    public var start: [Int32] = []
    public var end: [Int32] = []
    public var kind: [Kind] = []
    public var shape: [Shape] = []
    /// Lexicon id of the folded key, or `Lexicon.unknown`.
    public var key: [Int32] = []
    public var sentence: [Int32] = []
    /// Token ranges of the sentences, in order.
    public var sentences: [Range<Int>] = []

    public init() {}

    public var count: Int { start.count }

    public func byteRange(_ i: Int) -> Range<Int> { Int(start[i])..<Int(end[i]) }

    /// Byte range covered by tokens `r` (non-empty).
    public func byteRange(_ r: Range<Int>) -> Range<Int> { Int(start[r.lowerBound])..<Int(end[r.upperBound - 1]) }

    /// The tokens that lie wholly inside the byte range `bytes` (tokens are in text order,
    /// so they are consecutive), found by binary search.
    public func inside(_ bytes: Range<Int>) -> Range<Int> {
        var (lo, hi) = (0, count)
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(start[mid]) < bytes.lowerBound { lo = mid + 1 } else { hi = mid }
        }
        var last = lo
        while last < count && Int(end[last]) <= bytes.upperBound { last += 1 }
        return lo..<last
    }
}
