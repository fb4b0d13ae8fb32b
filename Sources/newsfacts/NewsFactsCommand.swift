import ArgumentParser

@main
struct NewsFactsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsfacts",
        abstract: "Rule-based extraction of people, roles, organisations, places, dates and figures from news.",
        discussion: """
        Rules and gazetteers are data in Rules/ (see Rules/README.md). Records
        follow the newsfacts/1 contract: offsets are code points of the text as
        read.

        Exit status: 0 all inputs processed; 1 some input could not be read (each is
        named on stderr; the others are still processed); 2 the rules failed to
        load; 3 an evaluation gate failed; 64 bad command-line usage.

        Examples (run from the repository; each is run by the tests):
          newsfacts extract Corpus/articles/vns-2024-12-10-bac-giang-party-members.txt
          newsfacts extract Corpus/articles --format jsonl
          newsfacts tokens Corpus/articles/vns-2024-12-10-bac-giang-party-members.txt
          newsfacts explain Corpus/articles/vns-2024-12-10-bac-giang-party-members.txt
          newsfacts rules check
          newsfacts bench Corpus/articles --seconds 0.2
          newsfacts eval --types place --diff
        """,
        version: "0.1.0 (records newsfacts/1)",
        subcommands: [Extract.self, Tokens.self, Explain.self, RulesCommand.self, Bench.self, Eval.self]
    )
}
