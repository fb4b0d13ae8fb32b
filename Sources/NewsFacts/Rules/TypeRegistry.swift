/// Annotation types: dotted names ("place.district") → ids, with the is-a relation
/// ("place.district" is a "place"). Built while rules and gazetteers are compiled; frozen after.
public struct TypeRegistry: Sendable {
    public private(set) var names: [String] = []
    private var ids: [String: Int32] = [:]
    /// ancestors[t]: t itself and every dotted prefix of its name.
    private var ancestors: [[Int32]] = []

    public init() {}

    @discardableResult
    public mutating func intern(_ name: String) -> Int32 {
        if let id = ids[name] { return id }
        var chain = [Int32]()
        if let dot = name.lastIndex(of: ".") {
            let parent = intern(String(name[..<dot]))
            chain = ancestors[Int(parent)]
        }
        let id = Int32(names.count)
        names.append(name)
        ids[name] = id
        ancestors.append([id] + chain)
        return id
    }

    public func id(_ name: String) -> Int32? { ids[name] }

    public func name(_ id: Int32) -> String { names[Int(id)] }

    /// Whether type `t` is `query` or below it.
    @inline(__always)
    public func isA(_ t: Int32, _ query: Int32) -> Bool {
        for a in ancestors[Int(t)] where a == query { return true }
        return false
    }

    /// The top-level type ("place" for "place.district").
    public func root(_ t: Int32) -> Int32 { ancestors[Int(t)].last! }
}
