import Foundation

/// The compiled knowledge: lexicon, gazetteers, rule phases. Loaded once from one or more
/// rules directories (the built-in `Rules/` and the user's `--rules DIR`), then shared,
/// read-only, by every article and thread.
///
/// A directory holds `abbreviations.txt`, `gazetteers/*.tsv` and `patterns/*.rules`
/// (see Rules/README.md). Any error leaves nothing half-loaded: `load` throws.
public final class RuleSet: @unchecked Sendable {
    public let lexicon: Lexicon
    public let types: TypeRegistry
    public let gazetteer: Gazetteer
    public let abbreviations: [String]
    let predicates: [Predicate]
    public let rules: [CompiledRule]
    public let phases: [CompiledPhase]
    /// Per phase (in `phases` order): which rules can start at a token.
    let dispatch: [PhaseDispatch]
    let flat: FlatRules
    /// Seconds spent loading and compiling.
    public let loadSeconds: Double
    public let directories: [String]


    /// Rule ids below zero name what is not a rule.
    public static let lookupRule: Int32 = -1
    public static let publishedRule: Int32 = -2
    public static let datelineRule: Int32 = -3

    public func ruleName(_ id: Int32) -> String {
        switch id {
        case Self.lookupRule: return "gazetteer"
        case Self.publishedRule: return "reader.metadata-prefix"
        case Self.datelineRule: return "reader.dateline"
        default: return rules[Int(id)].id
        }
    }

    /// The built-in rules directory: $NEWSFACTS_RULES, ./Rules, or a Rules/ above the executable.
    public static func defaultDirectory() -> String? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["NEWSFACTS_RULES"] { return env }
        if fm.fileExists(atPath: "Rules/patterns") { return "Rules" }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = url.appendingPathComponent("Rules")
            if fm.fileExists(atPath: candidate.appendingPathComponent("patterns").path) { return candidate.path }
            url = url.deletingLastPathComponent()
        }
        return nil
    }

    public static func load(directories: [String]) throws -> RuleSet {
        let started = Date()
        var lexicon = Lexicon()
        var types = TypeRegistry()
        types.intern("published")   // reader annotations rules may match
        types.intern("dateline")
        var gazetteer = Gazetteer()
        var abbreviations: [String] = []
        var phases: [PhaseAST] = []
        let cutter = try Tokenizer(abbreviations: [], lexicon: Lexicon())
        var gazetteerTypes: Set<String> = []
        for dir in directories {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
                throw EngineError.rules("\(dir): no such rules directory")
            }
            abbreviations += try loadAbbreviations(dir)
            for file in files(in: dir + "/gazetteers", ending: ".tsv") {
                try GazetteerFile.load(file, cutter: cutter, lexicon: &lexicon, types: &types,
                                       into: &gazetteer, typesSeen: &gazetteerTypes)
            }
            for file in files(in: dir + "/patterns", ending: ".rules") {
                let text = try String(contentsOfFile: file, encoding: .utf8)
                phases += try RuleParser.parse(text, file: file)
            }
        }
        var compiler = RuleCompiler(lexicon: lexicon, types: types, cutter: cutter)
        compiler.gazetteerTypes = gazetteerTypes.reduce(into: Set<String>()) { set, t in
            var name = t
            set.insert(name)
            while let dot = name.lastIndex(of: ".") { name = String(name[..<dot]); set.insert(name) }
        }
        let compiled = try compiler.compile(phases)
        return RuleSet(lexicon: compiler.lexicon, types: compiler.types, gazetteer: gazetteer,
                       abbreviations: abbreviations, predicates: compiler.predicates, rules: compiler.rules,
                       phases: compiled, seconds: Date().timeIntervalSince(started), directories: directories)
    }

    private init(lexicon: Lexicon, types: TypeRegistry, gazetteer: Gazetteer, abbreviations: [String],
                 predicates: [Predicate], rules: [CompiledRule], phases: [CompiledPhase], seconds: Double,
                 directories: [String]) {
        self.lexicon = lexicon
        self.types = types
        self.gazetteer = gazetteer
        self.abbreviations = abbreviations
        self.predicates = predicates
        self.rules = rules
        self.phases = phases
        self.loadSeconds = seconds
        self.directories = directories
        let flat = FlatRules(predicates: predicates, rules: rules, types: types)
        self.flat = flat
        self.dispatch = phases.map { PhaseDispatch(phase: $0, flat: flat, keyCount: lexicon.count) }
    }

    static func files(in dir: String, ending: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return names.filter { $0.hasSuffix(ending) }.sorted().map { dir + "/" + $0 }
    }

    private static func loadAbbreviations(_ dir: String) throws -> [String] {
        let path = dir + "/abbreviations.txt"
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try String(contentsOfFile: path, encoding: .utf8)
            .split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
}

/// Reads one gazetteer file: `entry<TAB>type[<TAB>key=value;key=value]` per line.
enum GazetteerFile {
    static func load(_ path: String, cutter: Tokenizer, lexicon: inout Lexicon, types: inout TypeRegistry,
                     into gazetteer: inout Gazetteer, typesSeen: inout Set<String>) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lineNo = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard cols.count == 2 || cols.count == 3, !cols[0].isEmpty, !cols[1].isEmpty else {
                throw EngineError.rules("\(path):\(lineNo):1: expected 'entry<TAB>type[<TAB>key=value;...]'")
            }
            var attrs: [(String, String)] = []
            if cols.count == 3, !cols[2].isEmpty {
                for pair in cols[2].split(separator: ";") {
                    guard let eq = pair.firstIndex(of: "=") else {
                        throw EngineError.rules("\(path):\(lineNo): expected key=value in attributes, found '\(pair)'")
                    }
                    attrs.append((String(pair[..<eq]), String(pair[pair.index(after: eq)...])))
                }
            }
            let type = String(cols[1])
            typesSeen.insert(type)
            let keys = try cutter.foldedPieces(String(cols[0])).map { piece in
                piece.withUnsafeBufferPointer { lexicon.intern($0) }
            }
            guard !keys.isEmpty else { continue }
            gazetteer.add(keys: keys, type: types.intern(type), attributes: attrs)
        }
    }
}
