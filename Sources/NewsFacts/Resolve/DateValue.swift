/// Date values: a date annotation's attributes + the article's published date → a TIMEX3-style
/// value ("2024-05", "2024-12-10", "2023", "2024-Q3"), or nil when it cannot be resolved.
///
/// Attributes (set by rules in Rules/patterns): `value` (an ISO date as written), `year`,
/// `month` (1-12), `day`, `quarter`, `relative` (today, yesterday, tomorrow, this-year,
/// last-year, next-year, this-month, last-month, next-month, weekday, ago), `weekday` (1 =
/// Monday), `count` and `unit` (for "two years ago"), `tense` (future picks the next weekday);
/// this-week, last-week and next-week give ISO weeks ("2024-W49").
public enum DateValue {
    public static func resolve(_ attrs: Attributes, published: String?) -> String? {
        resolve(attrs, anchor: published.flatMap(CivilDate.init(iso:)))
    }

    /// As `resolve(_:published:)`, with the published date already read: an article reads
    /// it once, not once per date mention.
    static func resolve(_ attrs: Attributes, anchor: CivilDate?) -> String? {
        if let v = attrs["value"], isISO(v) { return v }
        var year = attrs["year"].flatMap { Int($0) }.map(fullYear)
        let month = attrs["month"].flatMap { Int($0) }
        let day = attrs["day"].flatMap { Int($0) }
        if let rel = attrs["relative"] {
            return relative(rel, attrs, anchor: anchor)
        }
        if let q = attrs["quarter"].flatMap({ Int($0) }) {
            guard let y = year ?? anchor?.year else { return nil }
            return "\(y)-Q\(q)"
        }
        if year == nil, month != nil { year = anchor?.year }
        guard let y = year else { return nil }
        guard let m = month, (1...12).contains(m) else { return iso(y) }
        guard let d = day, (1...31).contains(d) else { return iso(y, m) }
        return iso(y, m, d)
    }

    static func relative(_ rel: String, _ attrs: Attributes, anchor: CivilDate?) -> String? {
        guard let a = anchor else { return nil }
        let count = attrs["count"].flatMap { Int($0) } ?? 1
        switch rel {
        case "today": return a.iso
        case "yesterday": return a.adding(days: -1).iso
        case "tomorrow": return a.adding(days: 1).iso
        case "this-year": return iso(a.year)
        case "last-year": return iso(a.year - 1)
        case "next-year": return iso(a.year + 1)
        case "this-month": return iso(a.year, a.month)
        case "this-week": return a.isoWeek
        case "last-week": return a.adding(days: -7).isoWeek
        case "next-week": return a.adding(days: 7).isoWeek
        case "last-month": let p = a.addingMonths(-1); return iso(p.year, p.month)
        case "next-month": let p = a.addingMonths(1); return iso(p.year, p.month)
        case "weekday":
            guard let wd = attrs["weekday"].flatMap({ Int($0) }) else { return nil }
            let diff = wd - a.weekday
            if attrs["tense"] == "future" { return a.adding(days: diff > 0 ? diff : diff + 7).iso }
            return a.adding(days: diff <= 0 ? diff : diff - 7).iso
        case "ago":
            switch attrs["unit"] ?? "year" {
            case "year", "years": return iso(a.year - count)
            case "month", "months": let p = a.addingMonths(-count); return iso(p.year, p.month)
            case "day", "days": return a.adding(days: -count).iso
            case "week", "weeks": return a.adding(days: -7 * count).iso
            default: return nil
            }
        default: return nil
        }
    }

    static func isISO(_ s: String) -> Bool {
        let n = s.utf8.count
        guard n == 4 || n == 7 || n == 10 else { return false }
        var i = 0
        for c in s.utf8 {
            let digit = c >= 0x30 && c <= 0x39
            if (i == 4 || i == 7) ? c != UInt8(ascii: "-") : !digit { return false }
            i += 1
        }
        return true
    }

    static func fullYear(_ y: Int) -> Int { y }

    /// "2024", "2024-05" or "2024-05-09": written as a small string's bytes for years 0 to
    /// 9999 (interpolation made a string per part and appended them), else by `format4`/`two`.
    static func iso(_ year: Int, _ month: Int? = nil, _ day: Int? = nil) -> String {
        guard (0...9999).contains(year), (month ?? 1) >= 0, (month ?? 1) < 100, (day ?? 1) >= 0, (day ?? 1) < 100 else {
            return [month, day].reduce(format4(year)) { s, n in n.map { s + "-" + two($0) } ?? s }
        }
        return String(unsafeUninitializedCapacity: 10) { out in
            func put(_ n: Int, _ digits: Int, at i: Int) {
                var n = n
                for k in stride(from: i + digits - 1, through: i, by: -1) { out[k] = UInt8(ascii: "0") + UInt8(n % 10); n /= 10 }
            }
            put(year, 4, at: 0)
            guard let month else { return 4 }
            out[4] = UInt8(ascii: "-")
            put(month, 2, at: 5)
            guard let day else { return 7 }
            out[7] = UInt8(ascii: "-")
            put(day, 2, at: 8)
            return 10
        }
    }
    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    static func format4(_ y: Int) -> String {
        let digits = String(y)
        return digits.utf8.count >= 4 ? digits : String(repeating: "0", count: 4 - digits.utf8.count) + digits
    }
}

/// A proleptic Gregorian calendar date with day arithmetic.
public struct CivilDate: Equatable, Sendable {
    public var year: Int, month: Int, day: Int

    public init(year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }

    /// Reads "2024-12-10"; any other text as its numbers between "-" marks, where there are three.
    public init?(iso: String) {
        if let date = Self.tenBytes(iso) { self = date; return }
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        self.init(year: parts[0], month: parts[1], day: parts[2])
    }

    public var iso: String { DateValue.iso(year, month, day) }

    /// The date of exactly "dddd-dd-dd" with a valid month and day, read from the bytes:
    /// splitting made an array and a string per part. Nil for any other text.
    private static func tenBytes(_ iso: String) -> CivilDate? {
        var iso = iso
        return iso.withUTF8 { b -> CivilDate? in
            guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var n = 0
                for c in b[range] {
                    guard c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") else { return nil }
                    n = n * 10 + Int(c - UInt8(ascii: "0"))
                }
                return n
            }
            guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
                  (1...12).contains(month), (1...31).contains(day) else { return nil }
            return CivilDate(year: year, month: month, day: day)
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int { ((dayNumber % 7) + 7 + 3) % 7 + 1 }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// ISO 8601 week ("2024-W50"): the week's Thursday decides its year.
    public var isoWeek: String {
        let thursday = adding(days: 4 - weekday)
        let dayOfYear = thursday.dayNumber - CivilDate(year: thursday.year, month: 1, day: 1).dayNumber
        let week = dayOfYear / 7 + 1
        return "\(DateValue.format4(thursday.year))-W\(DateValue.two(week))"
    }

    public func addingMonths(_ n: Int) -> CivilDate {
        let total = year * 12 + (month - 1) + n
        return CivilDate(year: total / 12, month: total % 12 + 1, day: 1)
    }
}
