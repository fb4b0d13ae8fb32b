import ArgumentParser
import Foundation
import NewsFacts

struct Tokens: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show sentences and tokens: kind, shape, folded key and offsets (for rule writers).",
        discussion: """
        Offsets are code points of the text as read. Shape letters: C capitalised, A
        all caps, l lower case, d has a digit, D has a diacritic, - hyphenated, g
        glued to the previous token, S sentence start, P paragraph start, y
        year-like (1900-2099). Keys marked * are not in the lexicon (no gazetteer
        entry or rule literal names them).

        Example:
          newsfacts tokens article.txt
          newsfacts tokens article.txt --format jsonl | head
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, jsonl }

    @Argument(help: "An article file, or - for standard input.")
    var input: String

    @Option(help: "table (for people) or jsonl (for scripts).")
    var format: Format = .table

    @OptionGroup var rules: RuleOptions

    func run() throws {
        try withFailures {
            let ruleSet = try rules.load()
            let article: Article
            switch ArticleReader.read(input) {
            case .failure(let e):
                Console.error("newsfacts: \(e)")
                throw Failure.inputs(1)
            case .success(let a): article = a
            }
            let extractor = try Extractor(rules: ruleSet)
            let t = try extractor.tokenizer.tokenize(article.bytes)
            let offsets = OffsetMap(article.bytes)
            var lines: [String] = []
            if format == .table { lines.append("sent  tok  start    end  kind    shape  key                   text") }
            for i in 0..<t.count {
                let r = t.byteRange(i)
                let text = article.text(r)
                let key = extractor.tokenizer.foldedKey(article.bytes[r])
                let s = offsets.codePoint(r.lowerBound), e = offsets.codePoint(r.upperBound)
                if format == .jsonl {
                    let w = JSONWriter(pretty: false)
                    w.object {
                        w.field("sentence") { w.number(Double(t.sentence[i])) }
                        w.field("start") { w.number(Double(s)) }
                        w.field("end") { w.number(Double(e)) }
                        w.field("kind") { w.string(t.kind[i].name) }
                        w.field("shape") { w.string(Self.shape(t.shape[i])) }
                        w.field("key") { w.string(key) }
                        w.field("known") { w.bool(t.key[i] >= 0) }
                        w.field("text") { w.string(text) }
                    }
                    lines.append(w.out)
                } else {
                    let k = t.key[i] >= 0 ? key : key + "*"
                    lines.append("\(pad(t.sentence[i], 4))  \(pad(i, 4))  \(pad(s, 5))  \(pad(e, 5))  \(t.kind[i].name.padding(toLength: 6, withPad: " ", startingAt: 0))  \(Self.shape(t.shape[i]).padding(toLength: 5, withPad: " ", startingAt: 0))  \(k.padding(toLength: 20, withPad: " ", startingAt: 0))  \(text)")
                }
            }
            Console.out(lines.joined(separator: "\n"))
        }
    }

    private func pad<T: BinaryInteger>(_ n: T, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: " ", count: max(0, width - s.count)) + s
    }

    static func shape(_ s: TokenTable.Shape) -> String {
        let letters: [(TokenTable.Shape, Character)] = [
            (.capitalised, "C"), (.allCaps, "A"), (.lower, "l"), (.hasDigit, "d"), (.hasDiacritic, "D"),
            (.hyphenated, "-"), (.glued, "g"), (.sentenceStart, "S"), (.paragraphStart, "P"), (.yearLike, "y"),
        ]
        return String(letters.filter { s.contains($0.0) }.map(\.1))
    }
}
