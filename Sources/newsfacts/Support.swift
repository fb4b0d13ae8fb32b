import ArgumentParser
import Foundation
import NewsFacts

/// Options shared by the commands that load rules.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: ArgumentHelp(
        "A rules directory to load on top of the built-in one (repeatable).", valueName: "dir"))
    var extra: [String] = []

    @Flag(help: "Do not load the built-in Rules/ directory (use only --rules).")
    var noBuiltinRules = false

    func directories() throws -> [String] {
        var dirs: [String] = []
        if !noBuiltinRules {
            guard let builtin = RuleSet.defaultDirectory() else {
                throw Failure.rules("cannot find the built-in Rules/ directory; set NEWSFACTS_RULES or run from the repository")
            }
            dirs.append(builtin)
        }
        return dirs + extra
    }

    func load() throws -> RuleSet {
        do {
            return try RuleSet.load(directories: try directories())
        } catch let e as Failure {
            throw e
        } catch {
            throw Failure.rules("\(error)")
        }
    }
}

/// Errors that end a command with a meaningful exit status.
enum Failure: Error {
    case rules(String)
    case inputs(Int)
    case gate(String)
}

enum ExitStatus {
    static let inputFailed: Int32 = 1
    static let rulesFailed: Int32 = 2
    static let gateFailed: Int32 = 3
}

/// Runs `body`, turning `Failure`s into a message and an exit status.
func withFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch Failure.rules(let message) {
        Console.error("newsfacts: rules: \(message)")
        throw ExitCode(ExitStatus.rulesFailed)
    } catch Failure.inputs(let n) {
        Console.error("newsfacts: \(n) input\(n == 1 ? "" : "s") could not be processed")
        throw ExitCode(ExitStatus.inputFailed)
    } catch Failure.gate(let message) {
        Console.error("newsfacts: \(message)")
        throw ExitCode(ExitStatus.gateFailed)
    }
}

enum Console {
    static func error(_ s: String) {
        FileHandle.standardError.write((s + "\n").data(using: .utf8)!)
    }

    static func out(_ s: String) {
        FileHandle.standardOutput.write((s + "\n").data(using: .utf8)!)
    }

    static var stderrIsTerminal: Bool { isatty(2) != 0 }
}

/// Validates a YYYY-MM-DD date option.
func validDate(_ s: String?) throws {
    guard let s else { return }
    guard CivilDate(iso: s) != nil, s.count == 10 else {
        throw ValidationError("--published takes a date as YYYY-MM-DD, got '\(s)'")
    }
}
