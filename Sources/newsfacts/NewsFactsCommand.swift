import ArgumentParser

@main
struct NewsFactsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "newsfacts", abstract: "placeholder")
}
