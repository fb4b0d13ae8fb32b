import ArgumentParser
import Foundation
import NewsFacts

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure rule loading, tokenising and extraction throughput (MB/s) and peak memory.",
        discussion: """
        Reads the inputs once into memory, then repeats each measurement until it
        has run for at least --seconds; the fastest pass is reported. Figures are
        meaningful only for a release build:
          swift build -c release && .build/release/newsfacts bench Corpus/articles

        Stages are cumulative: read+tokenize, then + gazetteer lookups and rule
        phases, then extract (+ resolving records). Each pass starts with the chunk
        cache (the tokens of each chunk of text between spaces, kept from article to
        article) as a new extractor has it: holding only the common words and
        gazetteer entries of the rules, so every article is new to it, as in a first
        run over these files; "chunk cache" says how many chunks it found, and the
        speed of a pass with every chunk cached (an upper bound for long runs). With
        --primed-with, each pass starts with the chunks of other articles cached
        too, as after a long run over other news:
          newsfacts bench Corpus/articles --primed-with ../shared/data/gum
        """
    )

    @Argument(help: "Files or directories of *.txt.")
    var inputs: [String]

    @Option(help: "Minimum seconds per measurement.")
    var seconds: Double = 2

    @Option(help: "json for scripts, table for people.")
    var format: String = "table"

    @Option(name: .customLong("primed-with"), parsing: .singleValue,
            help: "Files or directories of other articles whose chunks fill the chunk cache before each pass, as after a long run (repeatable).")
    var primers: [String] = []

    @OptionGroup var rules: RuleOptions

    func run() throws {
        try withFailures {
            #if DEBUG
            Console.error("newsfacts bench: this is a debug build; figures will be far below release (swift build -c release)")
            #endif
            let ruleSet = try rules.load()
            let articles = Self.read(inputs)
            guard !articles.isEmpty else { throw Failure.inputs(1) }
            let bytes = articles.reduce(0) { $0 + $1.bytes.count }
            let primerTexts = Self.read(primers).map(\.bytes)
            let made = Date()
            let extractor = try Extractor(rules: ruleSet)
            let startSeconds = Date().timeIntervalSince(made)
            let tokenizer = extractor.tokenizer
            let tokenize = measure(bytes, priming: [tokenizer], with: primerTexts) { for a in articles { _ = try? tokenizer.tokenize(a.bytes) } }
            let analyse = measure(bytes, priming: [tokenizer], with: primerTexts) { for a in articles { _ = try? extractor.analyse(a) } }
            let extract = measure(bytes, priming: [tokenizer], with: primerTexts) { for a in articles { _ = try? extractor.extract(a) } }
            let hitRate = chunkHitRate(articles, tokenizer, primerTexts)
            let cached = measure(bytes) { for a in articles { _ = try? extractor.extract(a) } }
            let workers = ProcessInfo.processInfo.activeProcessorCount
            let parallel = try measureParallel(articles, ruleSet, workers: workers, bytes: bytes, primers: primerTexts)
            let stages = stageShares(articles, extractor, primers: primerTexts)
            var usage = rusage()
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
            let rows: [(String, String)] = [
                ("articles", "\(articles.count) (\(bytes) bytes)"),
                ("rules load", String(format: "%.3f s (%d gazetteer entries, %d rules)", ruleSet.loadSeconds, ruleSet.gazetteer.entryCount, ruleSet.rules.count)),
                ("extractor start", String(format: "%.3f s (%d known chunks cached)", startSeconds, tokenizer.knownChunks)),
                ("read+tokenize", String(format: "%.1f MB/s", tokenize)),
                ("+ lookups and rules", String(format: "%.1f MB/s", analyse)),
                ("extract (1 thread)", String(format: "%.1f MB/s", extract)),
                ("  chunk cache", String(format: "%.0f %% of chunks found; all cached: %.1f MB/s", hitRate, cached)),
                ("extract (\(workers) threads)", String(format: "%.1f MB/s", parallel)),
                ("peak memory", "\(usage.ru_maxrss / 1024) MB"),
            ] + stages.map { ("  " + $0.0, String(format: "%5.1f %%", $0.1)) }
            if format == "json" {
                let w = JSONWriter(pretty: true)
                w.object {
                    w.field("articles") { w.number(Double(articles.count)) }
                    w.field("bytes") { w.number(Double(bytes)) }
                    w.field("rules_load_seconds") { w.number(ruleSet.loadSeconds) }
                    w.field("extractor_start_seconds") { w.number(startSeconds) }
                    w.field("known_chunks") { w.number(Double(tokenizer.knownChunks)) }
                    w.field("tokenize_mb_s") { w.number(tokenize) }
                    w.field("analyse_mb_s") { w.number(analyse) }
                    w.field("extract_mb_s") { w.number(extract) }
                    w.field("chunk_cache_hit_percent") { w.number(hitRate) }
                    w.field("extract_all_cached_mb_s") { w.number(cached) }
                    w.field("extract_parallel_mb_s") { w.number(parallel) }
                    w.field("threads") { w.number(Double(workers)) }
                    w.field("peak_rss_mb") { w.number(Double(usage.ru_maxrss / 1024)) }
                }
                Console.out(w.out)
            } else {
                for (k, v) in rows { Console.out(k.padding(toLength: 22, withPad: " ", startingAt: 0) + v) }
            }
        }
    }

    /// The articles at `paths`; those that cannot be read are named on standard error and
    /// left out.
    private static func read(_ paths: [String]) -> [Article] {
        var articles: [Article] = []
        for path in ArticleReader.expand(paths) {
            switch ArticleReader.read(path) {
            case .success(let a): articles.append(a)
            case .failure(let e): Console.error("newsfacts: \(e) (skipped)")
            }
        }
        return articles
    }

    /// MB/s of `body` (one pass over `bytes`): passes are repeated for at least `seconds` and
    /// the fastest counts, as the least disturbed by other work on the machine. Before each
    /// pass (not timed), the chunk caches of `tokenizers` forget every chunk but their known
    /// words and are then given the chunks of `primers`.
    private func measure(_ bytes: Int, priming tokenizers: [Tokenizer] = [], with primers: [[UInt8]] = [],
                         _ body: () -> Void) -> Double {
        body()   // warm-up
        var best = Double.infinity
        let start = Date()
        repeat {
            Self.prime(tokenizers, primers)
            let t = DispatchTime.now().uptimeNanoseconds
            body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9)
        } while Date().timeIntervalSince(start) < seconds
        return Double(bytes) / 1e6 / best
    }

    /// The share of chunks the cache finds in one pass over `articles`, primed as the measured
    /// passes are.
    private func chunkHitRate(_ articles: [Article], _ tokenizer: Tokenizer, _ primers: [[UInt8]]) -> Double {
        Self.prime([tokenizer], primers)
        let before = tokenizer.chunkLookups
        for a in articles { _ = try? tokenizer.tokenize(a.bytes) }
        let after = tokenizer.chunkLookups
        return 100 * Double(after.hits - before.hits) / Double(max(1, after.lookups - before.lookups))
    }

    private static func prime(_ tokenizers: [Tokenizer], _ primers: [[UInt8]]) {
        for t in tokenizers {
            t.forgetChunks()
            for text in primers { _ = try? t.tokenize(text) }
        }
    }

    /// Share of one-thread extraction time per stage: tokenize, lookups, candidates (which
    /// rules each token can start, for all phases), each phase, records; each pass primed as `measure`'s.
    private func stageShares(_ articles: [Article], _ extractor: Extractor, primers: [[UInt8]]) -> [(String, Double)] {
        var times = Extractor.StageTimes()
        var resolve: UInt64 = 0
        let start = Date()
        repeat {
            Self.prime([extractor.tokenizer], primers)
            for a in articles {
                guard let analysis = try? extractor.analyse(a, times: &times) else { continue }
                let t = DispatchTime.now().uptimeNanoseconds
                _ = extractor.record(analysis)
                resolve += DispatchTime.now().uptimeNanoseconds - t
            }
        } while Date().timeIntervalSince(start) < min(seconds, 2)
        let parts = [("tokenize", times.tokenize), ("lookups", times.lookups), ("candidates", times.candidates)]
            + zip(extractor.rules.phases, times.phases).map { ("phase " + $0.name, $1) } + [("records", resolve)]
        let total = Double(parts.reduce(0) { $0 + $1.1 })
        return parts.map { ($0.0, 100 * Double($0.1) / max(total, 1)) }
    }

    private func measureParallel(_ articles: [Article], _ rules: RuleSet, workers: Int, bytes: Int, primers: [[UInt8]]) throws -> Double {
        let extractors = try (0..<workers).map { _ in try Extractor(rules: rules) }
        return measure(bytes, priming: extractors.map(\.tokenizer), with: primers) {
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var i = w
                while i < articles.count { _ = try? extractors[w].extract(articles[i]); i += workers }
            }
        }
    }
}
