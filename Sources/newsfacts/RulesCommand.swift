import ArgumentParser
import Foundation
import NewsFacts

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Work with rule directories.",
        subcommands: [Check.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load and compile rules; report errors with file, line and column.",
            discussion: """
            Without a directory, checks the built-in Rules/ (plus any --rules). With
            directories, checks the built-in rules together with them, as extract would
            load them (add --no-builtin-rules to check a directory alone). Exit status 2
            on any error; nothing is half-loaded.

            Examples:
              newsfacts rules check
              newsfacts rules check my-rules/
            """
        )

        @Argument(help: "Rules directories to check on top of the built-in one.")
        var directories: [String] = []

        @OptionGroup var rules: RuleOptions

        func run() throws {
            try withFailures {
                var options = rules
                options.extra += directories
                let set = try options.load()
                Console.out("ok: \(set.directories.joined(separator: ", "))")
                Console.out("  gazetteer entries: \(set.gazetteer.entryCount)")
                Console.out("  lexicon keys:      \(set.lexicon.count)")
                Console.out("  phases:            \(set.phases.map(\.name).joined(separator: " → "))")
                Console.out("  rules:             \(set.rules.count)")
                Console.out("  abbreviations:     \(set.abbreviations.count)")
                Console.out(String(format: "  load time:         %.3f s", set.loadSeconds))
            }
        }
    }
}
