/// Type facts: the `TypeRegistry` → per type id, what the resolvers ask of an annotation type.
///
/// Choosing mentions, short names and quote speakers then test small integers per annotation
/// instead of comparing type names or walking the is-a chain each time. Built once per rule
/// set (`RuleSet.typeFacts`), not per article.
struct TypeFacts {
    /// The output types, in `Resolver.outputTypes` order.
    enum Root: Int {
        case person, role, organization, place, date, figure

        var name: String { Resolver.outputTypes[rawValue] }
    }

    struct Flags: OptionSet {
        let rawValue: UInt8
        /// A given name ("person.given", "person.given_word").
        static let given = Flags(rawValue: 1 << 0)
        static let family = Flags(rawValue: 1 << 1)
        static let speechVerb = Flags(rawValue: 1 << 2)
        static let personalPronoun = Flags(rawValue: 1 << 3)
        static let functionWord = Flags(rawValue: 1 << 4)
    }

    private let roots: [Root?]
    private let flags: [Flags]
    /// The type id of "person" (short names are plain persons).
    let person: Int32

    init(_ types: TypeRegistry) {
        let rootIDs = Resolver.outputTypes.map { types.id($0) }
        let queries: [(Flags, Int32)] = [
            (.given, "person.given"), (.given, "person.given_word"), (.family, "person.family"),
            (.speechVerb, "speech.verb"), (.personalPronoun, "pronoun.personal"), (.functionWord, "function.word"),
        ].compactMap { flag, name in types.id(name).map { (flag, $0) } }
        let queryRoots = queries.map { types.root($0.1) }
        var roots = [Root?](repeating: nil, count: types.names.count)
        var flags = [Flags](repeating: [], count: types.names.count)
        for t in Int32(0)..<Int32(types.names.count) {
            let root = types.root(t)
            roots[Int(t)] = rootIDs.firstIndex(of: root).flatMap { Root(rawValue: $0) }
            // A type is below a query only if they share the root: most types need no walk.
            for (q, (flag, id)) in queries.enumerated() where queryRoots[q] == root && types.isA(t, id) {
                flags[Int(t)].insert(flag)
            }
        }
        self.roots = roots
        self.flags = flags
        person = rootIDs[Root.person.rawValue] ?? -1
    }

    /// The output type `t` falls under, or nil for a working type ("skip", "located", lookups).
    @inline(__always)
    func root(_ t: Int32) -> Root? { roots[Int(t)] }

    @inline(__always)
    func flags(_ t: Int32) -> Flags { flags[Int(t)] }
}
