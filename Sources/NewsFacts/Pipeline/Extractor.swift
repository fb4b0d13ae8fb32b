import Dispatch

/// The pipeline: Article → tokens → gazetteer lookups → rule phases → ArticleRecord.
///
/// Requires a compiled `RuleSet`. An `Extractor` owns ICU iterators, so use one per thread;
/// the `RuleSet` is shared.
public final class Extractor {
    public let rules: RuleSet
    public let tokenizer: Tokenizer
    private let scratch: MatchScratch
    /// The resolver's buffers and text ids, reused from article to article.
    private var buffers = Resolver.Buffers()

    public init(rules: RuleSet) throws {
        self.rules = rules
        self.tokenizer = try Tokenizer(abbreviations: rules.abbreviations, lexicon: rules.lexicon, known: rules.knownText)
        self.scratch = MatchScratch(for: rules)
    }

    /// Everything the phases found, before records are made (for `explain` and tests).
    public struct Analysis {
        public let article: Article
        public let tokens: TokenTable
        public var store: AnnotationStore
        public var relations: [RelationCandidate]
    }

    public func analyse(_ article: Article) throws -> Analysis {
        var ignored = StageTimes()
        return try analyse(article, times: &ignored, timed: false)
    }

    /// Nanoseconds spent per stage, summed over calls (for `newsfacts bench`).
    public struct StageTimes {
        public var tokenize: UInt64 = 0
        public var lookups: UInt64 = 0
        /// Finding which rules each token can start, for all phases at once.
        public var candidates: UInt64 = 0
        public var phases: [UInt64] = []
        public init() {}
    }

    public func analyse(_ article: Article, times: inout StageTimes) throws -> Analysis {
        try analyse(article, times: &times, timed: true)
    }

    /// `timed: false` reads no clock (a dozen reads an article otherwise).
    private func analyse(_ article: Article, times: inout StageTimes, timed: Bool) throws -> Analysis {
        var clock = timed ? DispatchTime.now().uptimeNanoseconds : 0
        func lap() -> UInt64 {
            guard timed else { return 0 }
            let now = DispatchTime.now().uptimeNanoseconds
            defer { clock = now }
            return now - clock
        }
        let tokens = try tokenizer.tokenize(article.bytes)
        times.tokenize += lap()
        var store = AnnotationStore(tokenCount: tokens.count)
        rules.gazetteer.annotate(tokens, into: &store)
        addReaderAnnotations(article, tokens, &store)
        times.lookups += lap()
        var relations: [RelationCandidate] = []
        if timed && times.phases.count < rules.phases.count { times.phases = Array(repeating: 0, count: rules.phases.count) }
        PhaseRunner(rules: rules).run(tokens: tokens, bytes: article.bytes, store: &store, relations: &relations,
                                      scratch: scratch, prepared: { times.candidates += lap() }) { p in
            if timed { times.phases[p] += lap() }
        }
        return Analysis(article: article, tokens: tokens, store: store, relations: relations)
    }

    public func extract(_ article: Article) throws -> ArticleRecord {
        record(try analyse(article))
    }

    /// The record of an analysis, made in this extractor's reused buffers (as `extract` makes it).
    public func record(_ analysis: Analysis) -> ArticleRecord {
        Resolver(rules: rules).record(analysis, &buffers)
    }

    /// The reader's findings become annotations rules can match: `published`, `dateline`.
    private func addReaderAnnotations(_ article: Article, _ tokens: TokenTable, _ store: inout AnnotationStore) {
        let found: [(Range<Int>?, String, Int32)] = [
            (article.publishedSpan, "published", RuleSet.publishedRule),
            (article.datelineSpan, "dateline", RuleSet.datelineRule),
        ]
        for (span, type, rule) in found {
            guard let span, let t = rules.types.id(type) else { continue }
            let inside = tokens.inside(span)
            guard !inside.isEmpty else { continue }
            let attrs = type == "published" ? [("value", article.text(span))] : []
            store.add(type: t, tokens: inside, rule: rule, isLookup: false, attributes: attrs)
        }
    }
}
