/// Text ids: byte strings of one article (folded names, date values, acronyms) → small integer ids.
///
/// Consumes bytes to fold or to copy; produces ids where equal bytes get equal ids. Entity
/// keys, short names and gazetteer parents then compare integers, and no `String` is made
/// for a word that is only looked up. The texts are kept in a `Lexicon` of the article's
/// own; `string(id)` makes a `String` where a record needs one. Equality is byte equality:
/// folding has already removed case and diacritics. `TextIDMap` keeps a value per id.
struct TextIDs {
    private var texts = Lexicon(capacity: 256)

    /// The id of the folded form of `bytes[range]`; unseen texts get a new id when `add`,
    /// else nil.
    mutating func folded(_ bytes: [UInt8], _ range: Range<Int>, add: Bool) -> Int32? {
        bytes.withUnsafeBufferPointer { folded(UnsafeBufferPointer(rebasing: $0[range]), add: add) }
    }

    /// The id of the folded form of `text`, as `folded(_:_:add:)`. The text is folded on the
    /// stack; only a new text is copied.
    mutating func folded(_ text: UnsafeBufferPointer<UInt8>, add: Bool) -> Int32? {
        Self.withFolded(text) { find($0, add: add) }
    }

    /// The folded form of `bytes[range]` as a `String`, for a name that needs no id.
    static func foldedString(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer {
            withFolded(UnsafeBufferPointer(rebasing: $0[range])) { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Calls `body` with the folded form of `text`, folded on the stack.
    private static func withFolded<R>(_ text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * text.count + 8) { room in
            let n = FoldTable.shared.fold(text, into: room.baseAddress!, capacity: room.count)
            if n >= 0 { return body(UnsafeBufferPointer(rebasing: room[..<n])) }
            var out: [UInt8] = []   // folding made it more than twice as long
            FoldTable.shared.fold(text, into: &out)
            return out.withUnsafeBufferPointer(body)
        }
    }

    /// The id of `bytes[range]` as written (an acronym), as `folded(_:_:add:)`.
    mutating func written(_ bytes: [UInt8], _ range: Range<Int>, add: Bool) -> Int32? {
        bytes.withUnsafeBufferPointer { find(UnsafeBufferPointer(rebasing: $0[range]), add: add) }
    }

    /// The id of `text` as it is (a date value), as `folded(_:_:add:)`.
    mutating func plain(_ text: String, add: Bool) -> Int32? {
        var text = text
        return text.withUTF8 { find($0, add: add) }
    }

    func string(_ id: Int32) -> String { String(decoding: texts.bytes(of: id), as: UTF8.self) }

    /// The first byte of text `id`, nil for the empty text.
    func firstByte(_ id: Int32) -> UInt8? { texts.bytes(of: id).first }

    /// The id of `text`, added when new and `add`.
    private mutating func find(_ text: UnsafeBufferPointer<UInt8>, add: Bool) -> Int32? {
        if add { return texts.intern(text) }
        let id = texts.id(of: text)
        return id == Lexicon.unknown ? nil : id
    }
}

/// A map from text ids to non-negative integers (entity or token indices). Text ids are
/// dense, so an array does what a dictionary would, without hashing.
struct TextIDMap {
    private var values: [Int] = []

    subscript(id: Int32) -> Int? {
        get { Int(id) < values.count && values[Int(id)] >= 0 ? values[Int(id)] : nil }
        set {
            if Int(id) >= values.count { values += repeatElement(-1, count: max(Int(id) + 1 - values.count, 64)) }
            values[Int(id)] = newValue ?? -1
        }
    }

    /// Sets `value` unless the id has one: the first one found counts.
    mutating func setFirst(_ id: Int32, _ value: Int) {
        if self[id] == nil { self[id] = value }
    }
}
