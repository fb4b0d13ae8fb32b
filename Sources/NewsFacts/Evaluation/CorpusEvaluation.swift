import Foundation

/// Extraction over a gold corpus, then scoring: `GoldCorpus` + `RuleSet` → records → `EvaluationResult`.
///
/// Articles are extracted with `BatchExtractor`. The published date comes from the article's
/// own header; only when the header has none and the gold has `published` is the gold date
/// passed to the extractor. An article that cannot be read or extracted is reported and scored
/// with no predictions.
public enum CorpusEvaluation {
    public struct Extraction {
        /// Gold id → record, for the articles extracted.
        public var records: [String: ArticleRecord] = [:]
        /// One message per article that could not be read or extracted, or has no text.
        public var failures: [String] = []
    }

    public static func extract(_ corpus: GoldCorpus, rules: RuleSet) throws -> Extraction {
        var out = Extraction()
        // group paths by the published date to pass (nil: the header's own, or none)
        var groups: [String?: [(id: String, path: String)]] = [:]
        for item in corpus.items {
            guard let path = item.textPath else {
                out.failures.append("\(item.goldPath): no article text \(item.id).txt beside it (scored with no predictions)")
                continue
            }
            var published: String?
            if let goldDate = item.gold.published, case .success(let article) = ArticleReader.read(path),
               article.published == nil {
                published = goldDate
            }
            groups[published, default: []].append((item.id, path))
        }
        let batch = BatchExtractor(rules: rules)
        for key in groups.keys.sorted(by: { ($0 ?? "") < ($1 ?? "") }) {
            let members = groups[key]!
            try batch.run(members.map(\.path), published: key) { index, _, result in
                switch result {
                case .success(let record): out.records[members[index].id] = record
                case .failure(let error): out.failures.append("\(error) (scored with no predictions)")
                }
            }
        }
        return out
    }

    /// Scores every gold document of the corpus against its record (no record: no predictions).
    public static func score(_ corpus: GoldCorpus, _ extraction: Extraction, scorer: Scorer) -> EvaluationResult {
        scorer.score(corpus.items.map { item in
            (item.gold, extraction.records[item.id].map(Prediction.init(record:)) ?? .empty)
        })
    }
}
