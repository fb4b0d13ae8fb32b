import Foundation

/// A corpus directory: `<id>.txt` articles and their gold, as `<id>.gold.json` (Corpus/articles)
/// or `<id>.json` (the layout of ../shared/data/meantime-dev and gum).
///
/// Consumes a directory listing (not recursive); produces the articles that have gold, in id
/// order, with their parsed `GoldDocument`s, plus what could not be used: texts without gold
/// and unreadable or invalid gold files. A gold file without its text is kept (scored with no
/// predictions, as score.py does with a missing prediction) and reported.
public struct GoldCorpus: Sendable {
    public struct Item: Sendable {
        public var id: String
        /// nil when the gold has no `<id>.txt` beside it.
        public var textPath: String?
        public var goldPath: String
        public var gold: GoldDocument
    }

    public var directory: String
    public var items: [Item]
    /// `<id>.txt` files with no gold file.
    public var textsWithoutGold: [String]
    /// Gold files that could not be read or parsed (each message names the file).
    public var problems: [String]

    public enum LoadError: Error, CustomStringConvertible {
        case notADirectory(String)
        public var description: String {
            switch self { case .notADirectory(let d): return "\(d): no such corpus directory" }
        }
    }

    public static func load(_ directory: String) throws -> GoldCorpus {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue,
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw LoadError.notADirectory(directory)
        }
        let base = URL(fileURLWithPath: directory)
        func path(_ name: String) -> String { base.appendingPathComponent(name).relativePath }
        var goldName: [String: String] = [:]
        var texts = Set<String>()
        for name in names {
            if name.hasSuffix(".gold.json") {
                goldName[String(name.dropLast(".gold.json".count))] = name
            } else if name.hasSuffix(".json") {
                let id = String(name.dropLast(".json".count))
                if goldName[id] == nil { goldName[id] = name }
            } else if name.hasSuffix(".txt") {
                texts.insert(String(name.dropLast(".txt".count)))
            }
        }
        // `<id>.gold.json` wins over `<id>.json` whatever the listing order
        for (id, name) in goldName where !name.hasSuffix(".gold.json") && names.contains(id + ".gold.json") {
            goldName[id] = id + ".gold.json"
        }
        var items: [Item] = []
        var problems: [String] = []
        for id in goldName.keys.sorted() {
            let gp = path(goldName[id]!)
            do {
                let gold = try GoldDocument.load(path: gp, id: id)
                items.append(Item(id: id, textPath: texts.contains(id) ? path(id + ".txt") : nil, goldPath: gp, gold: gold))
            } catch {
                problems.append("\(error)")
            }
        }
        let orphans = texts.subtracting(goldName.keys).sorted().map { path($0 + ".txt") }
        return GoldCorpus(directory: directory, items: items, textsWithoutGold: orphans, problems: problems)
    }
}
