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
    /// Per type id, the part below the root ("district" for "place.district"), or nil.
    public let subtypes: [String?]
    public let gazetteer: Gazetteer
    public let abbreviations: [String]
    /// The words of `common-words.txt` and the gazetteers' entries as written, each followed by
    /// a space: every tokenizer reads them once when it is made and keeps their chunks (see
    /// `Tokenizer.init`). They change no output, only speed.
    public let knownText: [UInt8]
    public let rules: [CompiledRule]
    public let phases: [CompiledPhase]
    /// Per phase (in `phases` order): which rules can start at a token.
    let dispatch: [PhaseDispatch]
    let globalDispatch: GlobalDispatch
    let flat: FlatRules
    /// What the resolvers ask of each annotation type.
    let typeFacts: TypeFacts
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
        var known: [UInt8] = []
        var phases: [PhaseAST] = []
        let cutter = try Tokenizer(abbreviations: [], lexicon: Lexicon())
        var gazetteerTypes: Set<String> = []
        for dir in directories {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
                throw EngineError.rules("\(dir): no such rules directory")
            }
            abbreviations += try loadAbbreviations(dir)
            known += try loadCommonWords(dir)
            for file in files(in: dir + "/gazetteers", ending: ".tsv") {
                try GazetteerFile.load(file, cutter: cutter, lexicon: &lexicon, types: &types,
                                       into: &gazetteer, typesSeen: &gazetteerTypes, entries: &known)
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
                       abbreviations: abbreviations, known: known, predicates: compiler.predicates, rules: compiler.rules,
                       phases: compiled, seconds: Date().timeIntervalSince(started), directories: directories)
    }

    private init(lexicon: Lexicon, types: TypeRegistry, gazetteer: Gazetteer, abbreviations: [String], known: [UInt8],
                 predicates: [Predicate], rules: [CompiledRule], phases: [CompiledPhase], seconds: Double,
                 directories: [String]) {
        self.lexicon = lexicon
        self.types = types
        self.subtypes = types.names.map { name in
            name.firstIndex(of: ".").map { String(name[name.index(after: $0)...]) }
        }
        self.gazetteer = gazetteer
        self.abbreviations = abbreviations
        self.knownText = known
        self.rules = rules
        self.phases = phases
        self.loadSeconds = seconds
        self.directories = directories
        self.typeFacts = TypeFacts(types)
        let flat = FlatRules(predicates: predicates, rules: rules, types: types, keyCount: lexicon.count)
        self.flat = flat
        let dispatch = phases.map { PhaseDispatch(phase: $0, flat: flat) }
        self.dispatch = dispatch
        self.globalDispatch = GlobalDispatch(dispatch, of: phases, flat: flat, keyCount: lexicon.count)
    }

    static func files(in dir: String, ending: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return names.filter { $0.hasSuffix(ending) }.sorted().map { dir + "/" + $0 }
    }

    private static func loadAbbreviations(_ dir: String) throws -> [String] {
        try lines(of: dir + "/abbreviations.txt")
    }

    /// The words of `common-words.txt` (if the directory has one), each followed by a space.
    private static func loadCommonWords(_ dir: String) throws -> [UInt8] {
        try lines(of: dir + "/common-words.txt").reduce(into: []) { text, word in
            text += word.utf8
            text.append(0x20)
        }
    }

    /// The lines of a list file, trimmed, without blank and `#` lines; none if it is missing.
    private static func lines(of path: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try String(contentsOfFile: path, encoding: .utf8)
            .split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
}

/// Reads one gazetteer file: `entry<TAB>type[<TAB>key=value;key=value]` per line.
/// Works on bytes: a 100,000-line list is read in well under a second.
enum GazetteerFile {
    static func load(_ path: String, cutter: Tokenizer, lexicon: inout Lexicon, types: inout TypeRegistry,
                     into gazetteer: inout Gazetteer, typesSeen: inout Set<String>, entries: inout [UInt8]) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EngineError.rules("\(path): cannot read")
        }
        let bytes = [UInt8](data)
        guard UTF8Validation.firstInvalid(bytes) == nil else { throw EngineError.rules("\(path): not valid UTF-8") }
        var typeIDs: [[UInt8]: Int32] = [:]
        var lineNo = 0
        var start = 0
        while start < bytes.count {
            let newline = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            defer { start = newline + 1 }
            lineNo += 1
            var end = newline
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            if end == start || bytes[start] == UInt8(ascii: "#") { continue }
            let cols = bytes[start..<end].split(separator: 0x09, omittingEmptySubsequences: false)
            guard cols.count == 2 || cols.count == 3, !cols[0].isEmpty, !cols[1].isEmpty else {
                throw EngineError.rules("\(path):\(lineNo):1: expected 'entry<TAB>type[<TAB>key=value;...]'")
            }
            var attrs: [(String, String)] = []
            if cols.count == 3 {
                for pair in cols[2].split(separator: UInt8(ascii: ";")) {
                    guard let eq = pair.firstIndex(of: UInt8(ascii: "=")) else {
                        throw EngineError.rules("\(path):\(lineNo): expected key=value in attributes, found '\(String(decoding: pair, as: UTF8.self))'")
                    }
                    attrs.append((String(decoding: pair[..<eq], as: UTF8.self), String(decoding: pair[(eq + 1)...], as: UTF8.self)))
                }
            }
            let typeBytes = Array(cols[1])
            let type: Int32
            if let t = typeIDs[typeBytes] { type = t } else {
                let name = String(decoding: typeBytes, as: UTF8.self)
                typesSeen.insert(name)
                type = types.intern(name)
                typeIDs[typeBytes] = type
            }
            let keys = try pieces(cols[0], cutter).map { piece in
                piece.withUnsafeBufferPointer { lexicon.intern($0) }
            }
            guard !keys.isEmpty else { continue }
            entries += cols[0]
            entries.append(0x20)
            gazetteer.add(keys: keys, type: type, attributes: attrs)
        }
    }

    /// Folded token keys of an entry. Entries of Latin-script letters and single spaces (most
    /// of them) are cut at the spaces, which is what ICU does for them; anything else goes
    /// through the tokenizer itself.
    static func pieces(_ entry: ArraySlice<UInt8>, _ cutter: Tokenizer) throws -> [[UInt8]] {
        let simple: Bool = entry.withUnsafeBufferPointer { b in
            var i = 0
            var previousSpace = true
            while i < b.count {
                let c = b[i]
                if c == 0x20 {
                    if previousSpace { return false }
                    previousSpace = true
                    i += 1
                    continue
                }
                previousSpace = false
                if c < 0x80 {
                    guard (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A else { return false }
                    i += 1
                } else {
                    let (cp, w) = UTF8Scan.decode(b, at: i)
                    guard cp < 0x2000, let s = Unicode.Scalar(cp),
                          s.properties.isAlphabetic || s.properties.generalCategory == .nonspacingMark else { return false }
                    i += w
                }
            }
            return !previousSpace
        }
        guard simple else { return try cutter.foldedPieces(String(decoding: entry, as: UTF8.self)) }
        return entry.split(separator: 0x20).map { word in
            var out: [UInt8] = []
            word.withUnsafeBufferPointer { FoldTable.shared.fold($0, into: &out) }
            return out
        }
    }
}
