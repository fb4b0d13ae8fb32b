import XCTest
@testable import NewsFacts

/// The matcher's reusable raw buffers.
final class MatchScratchTests: XCTestCase {
    func testScratchBufferGrowsKeepingWhatWasAppended() {
        var b = ScratchBuffer<Int32>()
        defer { b.deallocate() }
        for i in 0..<1000 { b.append(Int32(i)) }   // past the initial capacity, several times
        XCTAssertEqual(b.count, 1000)
        XCTAssertEqual(Array(b.elements), (0..<1000).map(Int32.init))
        XCTAssertEqual(b.popLast(), 999)
        b.truncate(to: 10)
        XCTAssertEqual(Array(b.elements), (0..<10).map(Int32.init))
        XCTAssertTrue(b.contains(9))
        XCTAssertFalse(b.contains(10))
    }

    func testConditionalAppendCountsOnlyWhatHolds() {
        var b = ScratchBuffer<Int>()
        defer { b.deallocate() }
        for i in 0..<600 { b.append(i, if: i % 3 == 0) }
        XCTAssertEqual(Array(b.elements), Array(stride(from: 0, to: 600, by: 3)))
        b.removeAll()
        XCTAssertNil(b.popLast())
    }

    func testReserveGivesRoomAndEmpties() {
        var b = ScratchBuffer<UInt64>()
        defer { b.deallocate() }
        b.append(1)
        let p = b.reserve(5000)
        for i in 0..<5000 { p[i] = UInt64(i) }
        XCTAssertEqual(b.count, 0)
        XCTAssertEqual(b[4999], 4999)
    }
}
