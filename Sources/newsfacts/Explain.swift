import ArgumentParser
import Foundation
import NewsFacts

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show which rules and gazetteer entries fired where, and what reached the output.",
        discussion: """
        Lists every annotation (rule annotations, reader annotations and gazetteer
        lookups) overlapping the chosen place, with its type, text, code point
        offsets, the rule (file:name) and its attributes; '*' marks what became an
        output mention. Mentions the resolver added (resolve.short-name: a person's
        last or given name used alone; resolve.alias: an organisation's acronym or
        short name) are listed with the entity they joined (→ E3 "Dan Savage").
        R lines are relations, Q lines quotes. Without --at or --phrase, lists every
        rule annotation of the article.

        Examples:
          newsfacts explain article.txt --phrase "Kép Township"
          newsfacts explain article.txt --at 4797
          newsfacts explain article.txt --lookups
        """
    )

    @Argument(help: "An article file, or - for standard input.")
    var input: String

    @Option(help: "A code point offset in the text.")
    var at: Int?

    @Option(help: "A phrase; every occurrence is explained.")
    var phrase: String?

    @Flag(help: "Include gazetteer lookups when listing the whole article.")
    var lookups = false

    @OptionGroup var rules: RuleOptions

    func run() throws {
        try withFailures {
            let ruleSet = try rules.load()
            let article: Article
            switch ArticleReader.read(input) {   // once: standard input cannot be read twice
            case .success(let a): article = a
            case .failure(let e):
                Console.error("newsfacts: \(e)")
                throw Failure.inputs(1)
            }
            let extractor = try Extractor(rules: ruleSet)
            let analysis = try extractor.analyse(article)
            let record = Resolver(rules: ruleSet).record(analysis)
            let report = Explanation(analysis: analysis, record: record, rules: ruleSet)
            let text = article.text
            var windows: [Range<Int>] = []
            if let at { windows.append(at..<(at + 1)) }
            if let phrase {
                let scalars = Array(text.unicodeScalars), needle = Array(phrase.unicodeScalars)
                if needle.count <= scalars.count {
                    for i in 0...(scalars.count - needle.count) where Array(scalars[i..<(i + needle.count)]) == needle {
                        windows.append(i..<(i + needle.count))
                    }
                }
                if windows.isEmpty { Console.error("newsfacts: '\(phrase)' does not occur in \(input)") }
            }
            if at == nil && phrase == nil {
                Console.out(report.lines(in: nil, lookups: lookups).joined(separator: "\n"))
            }
            for w in windows {
                Console.out("== \(w.lowerBound)..<\(w.upperBound)")
                Console.out(report.lines(in: w, lookups: true).joined(separator: "\n"))
            }
        }
    }
}
