import Foundation
import XCTest

/// The `newsfacts` executable as users run it: exit statuses, error messages, outputs, and
/// the examples printed by `newsfacts --help`.
final class CLITests: XCTestCase {
    struct Run { var status: Int32; var out: String; var err: String }

    var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("newsfacts")
    }

    func run(_ args: [String], stdin: String? = nil) throws -> Run {
        let candidates = [binary] + [".build/debug/newsfacts"].map { Fixture.root.appendingPathComponent($0) }
        guard let exe = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("newsfacts executable not built next to the tests")
        }
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.currentDirectoryURL = Fixture.root
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try inp.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
    }

    func testBadInputsAreNamedAndTheRestIsProcessed() throws {
        let dir = temporaryDirectory(["good.txt": "Nguyễn Văn An said 20 workers joined."])
        let bad = dir + "/bad.txt", nul = dir + "/nul.txt"
        try Data(Array("Fine ".utf8) + [0xFF, 0x41]).write(to: URL(fileURLWithPath: bad))
        try Data(Array("ab".utf8) + [0, 0x41]).write(to: URL(fileURLWithPath: nul))
        let r = try run(["extract", bad, dir + "/good.txt", dir + "/missing.txt", nul, "--format", "jsonl"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("bad.txt: byte 5: invalid UTF-8"), r.err)
        XCTAssertTrue(r.err.contains("missing.txt: no such file"), r.err)
        XCTAssertTrue(r.err.contains("nul.txt: byte 2: NUL byte"), r.err)
        XCTAssertTrue(r.err.contains("3 inputs could not be processed"), r.err)
        let lines = r.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 1)
        XCTAssertTrue(lines[0].contains("Nguyễn Văn An"))
    }

    func testOutputDirectoryWritesOneFilePerInput() throws {
        let dir = temporaryDirectory(["a.txt": "Hà Nội grew.", "b.txt": "Đà Nẵng grew."])
        let out = dir + "/out"
        let r = try run(["extract", dir, "--output-dir", out])
        XCTAssertEqual(r.status, 0, r.err)
        for stem in ["a", "b"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(stem).json"))
            let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            XCTAssertEqual(object["schema"] as? String, "newsfacts/1")
        }
    }

    func testStandardInputWithPublishedDate() throws {
        let r = try run(["extract", "-", "--published", "2024-12-10"], stdin: "Last year exports rose.")
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("\"published\": \"2024-12-10\""))
        XCTAssertTrue(r.out.contains("\"value\": \"2023\""))
    }

    func testBadOptionIsAUsageError() throws {
        let r = try run(["extract", "x.txt", "--published", "10/12/2024"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.err.contains("YYYY-MM-DD"))
    }

    func testBrokenRulesExitTwoWithLocation() throws {
        let dir = temporaryDirectory(["patterns/x.rules": "phase p\nrule r\n  match [shape=cap\n  make x\n"])
        let r = try run(["rules", "check", dir])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.err.contains("x.rules:3:"), r.err)
    }

    func testHelpTeachesWithExamples() throws {
        for args in [["--help"], ["extract", "--help"], ["explain", "--help"], ["rules", "check", "--help"]] {
            let r = try run(args)
            XCTAssertEqual(r.status, 0)
            XCTAssertTrue(r.out.contains("Example"), "\(args) help has no examples")
        }
    }

    /// Bench passes start from the chunk cache of a new extractor (its known words) unless
    /// primed: an article's first chunks are then all found.
    func testBenchReportsTheChunkCacheFromKnownWordsOrPrimed() throws {
        let dir = temporaryDirectory(["a.txt": "Zyxqa Wuvtb said 20 frobnicators joined. The frobnicators said so."])
        func hitPercent(_ extra: [String]) throws -> Double {
            let r = try run(["bench", dir, "--seconds", "0", "--format", "json"] + extra)
            XCTAssertEqual(r.status, 0, r.err)
            let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
            XCTAssertNotNil(json?["extract_all_cached_mb_s"] as? Double)
            XCTAssertGreaterThan(json?["known_chunks"] as? Double ?? 0, 10_000)
            return try XCTUnwrap(json?["chunk_cache_hit_percent"] as? Double)
        }
        let cold = try hitPercent([])
        XCTAssertGreaterThan(cold, 0, "common words, and \"frobnicators\" comes twice")
        XCTAssertLessThan(cold, 100, "made-up words are not known")
        XCTAssertEqual(try hitPercent(["--primed-with", dir]), 100)
    }

    /// Every example line of `newsfacts --help` runs and succeeds.
    func testTopLevelExamplesRun() throws {
        let help = try run(["--help"]).out
        let examples = help.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("newsfacts ") }
        XCTAssertGreaterThanOrEqual(examples.count, 5)
        for line in examples {
            let args = shellWords(String(line.dropFirst("newsfacts ".count)))
            let r = try run(args)
            XCTAssertEqual(r.status, 0, "\(line): \(r.err)")
            XCTAssertFalse(r.out.isEmpty, line)
        }
    }

    private func shellWords(_ s: String) -> [String] {
        var out: [String] = [], cur = "", quoted = false
        for c in s {
            if c == "\"" { quoted.toggle(); continue }
            if c == " " && !quoted { if !cur.isEmpty { out.append(cur); cur = "" }; continue }
            cur.append(c)
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }
}
