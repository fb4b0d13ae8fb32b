import XCTest
@testable import NewsFacts

final class ValueTests: XCTestCase {
    func testDateValues() {
        let pub = "2024-12-10"   // a Tuesday
        XCTAssertEqual(DateValue.resolve(["year": "2024", "month": "5"], published: nil), "2024-05")
        XCTAssertEqual(DateValue.resolve(["month": "10"], published: pub), "2024-10")
        XCTAssertEqual(DateValue.resolve(["year": "2019"], published: pub), "2019")
        XCTAssertEqual(DateValue.resolve(["relative": "today"], published: pub), "2024-12-10")
        XCTAssertEqual(DateValue.resolve(["relative": "last-year"], published: pub), "2023")
        XCTAssertEqual(DateValue.resolve(["relative": "last-month"], published: "2024-01-15"), "2023-12")
        XCTAssertEqual(DateValue.resolve(["relative": "weekday", "weekday": "1"], published: pub), "2024-12-09")
        XCTAssertEqual(DateValue.resolve(["relative": "weekday", "weekday": "2"], published: pub), "2024-12-10")
        XCTAssertEqual(DateValue.resolve(["relative": "weekday", "weekday": "5", "tense": "future"], published: pub), "2024-12-13")
        XCTAssertEqual(DateValue.resolve(["relative": "ago", "count": "2", "unit": "years"], published: pub), "2022")
        XCTAssertEqual(DateValue.resolve(["quarter": "3", "year": "2024"], published: nil), "2024-Q3")
        XCTAssertEqual(DateValue.resolve(["relative": "last-week"], published: pub), "2024-W49")
        XCTAssertEqual(DateValue.resolve(["relative": "this-week"], published: "2021-01-01"), "2020-W53")
        XCTAssertNil(DateValue.resolve(["relative": "today"], published: nil), "relative dates need an anchor")
    }

    /// Dates written as bytes read as the padded parts did.
    func testISODatesAsPaddedParts() {
        for y in [-12, -1, 0, 7, 99, 999, 2024, 9999, 10000, 123456] {
            XCTAssertEqual(DateValue.iso(y), DateValue.format4(y))
            for m in [0, 1, 9, 10, 12, 99, 100] {
                XCTAssertEqual(DateValue.iso(y, m), "\(DateValue.format4(y))-\(DateValue.two(m))")
                for d in [1, 9, 10, 31, 100] {
                    XCTAssertEqual(DateValue.iso(y, m, d), "\(DateValue.format4(y))-\(DateValue.two(m))-\(DateValue.two(d))")
                }
            }
        }
    }

    func testCivilDateArithmetic() {
        XCTAssertEqual(CivilDate(iso: "2024-03-01")!.adding(days: -1).iso, "2024-02-29")
        XCTAssertEqual(CivilDate(iso: "2024-12-10")!.weekday, 2)
        XCTAssertEqual(CivilDate(iso: "1970-01-01")!.weekday, 4)
    }

    func testFigureValues() {
        XCTAssertEqual(FigureValue.resolve(["number": "1,954"]).0, 1954)
        XCTAssertEqual(FigureValue.resolve(["number": "2.3", "scale": "1000000000000", "unit": "VND"]).0, 2.3e12)
        XCTAssertEqual(FigureValue.resolve(["word": "20", "unit": "banks"]).1, "banks")
        XCTAssertEqual(FigureValue.parse("1.234.567"), 1234567)
    }

    /// Numbers read from bytes must be the very doubles `Double(String)` reads.
    func testFigureNumbersReadAsDoubleDoes() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789.,-e ")
        for _ in 0..<20_000 {
            let n = Int.random(in: 1...18, using: &generator)
            // Mostly digits and points, sometimes signs, exponents, spaces.
            let text = String((0..<n).map { _ in
                alphabet[Int.random(in: 0..<(Int.random(in: 0..<5, using: &generator) == 0 ? alphabet.count : 11), using: &generator)]
            })
            XCTAssertEqual(FigureValue.double(text)?.bitPattern, Double(text)?.bitPattern, text)
            let plain = text.filter { $0 != "," }
            let dots = text.filter { $0 == "." }.count
            let expected = Double(dots >= 2 ? plain.filter { $0 != "." } : plain)
            XCTAssertEqual(FigureValue.parse(text)?.bitPattern, expected?.bitPattern, text)
        }
    }
}
