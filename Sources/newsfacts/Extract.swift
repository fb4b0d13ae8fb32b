import ArgumentParser
import Foundation
import NewsFacts

struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Extract records from articles (files, directories of *.txt, or - for stdin).",
        discussion: """
        Prints one JSON object per article (newsfacts/1, see
        ../shared/spec/records.md). With one input the default format is indented
        json; with several it is jsonl, one object per line. Unreadable inputs
        (missing, invalid UTF-8, NUL bytes) are reported on stderr with the file and
        byte offset; every other input is still processed and the exit status is 1.

        Examples:
          newsfacts extract article.txt
          newsfacts extract Corpus/articles --format jsonl > records.jsonl
          newsfacts extract a.txt b.txt --output-dir out/   # out/a.json, out/b.json
          newsfacts extract - --published 2024-12-10 < article.txt
          newsfacts extract article.txt --format table      # for reading
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, jsonl, table }

    @Argument(help: "Files, directories (searched for *.txt) or - for standard input.")
    var inputs: [String]

    @Option(help: "json (indented), jsonl (one object per line) or table (for reading).")
    var format: Format?

    @Option(help: ArgumentHelp("Write <stem>.json per input into this directory instead of stdout.", valueName: "dir"))
    var outputDir: String?

    @Option(help: ArgumentHelp("Set or override the articles' published date.", valueName: "YYYY-MM-DD"))
    var published: String?

    @Flag(help: "Show progress on stderr (on by default when stderr is a terminal and there are many inputs).")
    var progress = false

    @OptionGroup var rules: RuleOptions

    func validate() throws { try validDate(published) }

    func run() throws {
        try withFailures {
            let ruleSet = try rules.load()
            let paths = ArticleReader.expand(inputs)
            let format = self.format ?? (paths.count == 1 ? .json : .jsonl)
            if let dir = outputDir { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            let showProgress = progress || (Console.stderrIsTerminal && paths.count >= 20)
            var failures = 0
            guard !paths.isEmpty else {
                Console.error("newsfacts: no *.txt files in \(inputs.joined(separator: ", "))")
                throw Failure.inputs(inputs.count)
            }
            let render: @Sendable (ArticleRecord) -> String = { [format] record in
                format == .table ? RecordTable.render(record) : RecordJSON.encode(record, pretty: format == .json)
            }
            try BatchExtractor(rules: ruleSet).run(paths, published: published, render: render) { index, path, result in
                switch result {
                case .failure(let error):
                    Console.error("newsfacts: \(error)")
                    failures += 1
                case .success(let json):
                    try write(json, path: path)
                }
                if showProgress, (index + 1) % 10 == 0 || index + 1 == paths.count {
                    Console.error("[\(index + 1)/\(paths.count)] \(path)")
                }
            }
            if failures > 0 { throw Failure.inputs(failures) }
        }
    }

    private func write(_ json: String, path: String) throws {
        guard let dir = outputDir else { return Console.out(json) }
        let stem = path == "-" ? "stdin" : URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        try (json + "\n").write(toFile: dir + "/" + stem + ".json", atomically: true, encoding: .utf8)
    }
}
