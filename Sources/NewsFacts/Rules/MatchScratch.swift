/// The matcher's working memory, reused by one thread from article to article: the VM's
/// visit stamps per (instruction, position), its stack of pending (instruction, position,
/// captures) frames and its saves, and the matcher's per-article columns and indexes. Raw
/// buffers that grow as needed, so the inner loops do no reference counting.
public final class MatchScratch {
    let stamps: UnsafeMutablePointer<UInt32>
    private let stampCount: Int
    private var generation: UInt32 = 0
    /// The stack of pending frames; a run works on a copy and stores it back.
    var frames = ScratchBuffer<(Int32, Int32, Int32)>()
    /// The saves of the current run: (slot, position, the save before it on the path or -1).
    /// A thread's captures are its last save; the chain back from it holds every slot it set.
    private var saves = ScratchBuffer<(Int32, Int32, Int32)>()
    /// The matcher's per-article columns and indexes.
    var key = ScratchBuffer<Int32>(), sentence = ScratchBuffer<Int32>()
    var sentenceStart = ScratchBuffer<Int32>(), sentenceEnd = ScratchBuffer<Int32>()
    var shape = ScratchBuffer<TokenTable.Shape>(), kind = ScratchBuffer<TokenTable.Kind>()
    var coverage = ScratchBuffer<UInt64>(), tokenStarts = ScratchBuffer<UInt64>()
    var startsFrom = ScratchBuffer<UInt64>(), keysFrom = ScratchBuffer<UInt64>(), startsAt = ScratchBuffer<UInt64>()
    var keyBitAt = ScratchBuffer<UInt64>()
    var candidates = ScratchBuffer<Int64>(), pending = ScratchBuffer<Int64>()
    var triedAt = ScratchBuffer<Int32>(), ends = ScratchBuffer<Int32>(), changedSentences = ScratchBuffer<Int32>()
    /// The capture slots of a phase's matches (2 per capture, -1 when unset).
    var capturePool = ScratchBuffer<Int32>()
    /// Arrays a matcher borrows for one article and gives back, so the next article's starts
    /// with their capacity instead of growing them again: per phase, where its candidates
    /// start; candidates from annotations; matches.
    private var arrays: Matcher.Arrays = ([], [], [])
    /// The conflict policy's buffers, likewise.
    var policy = ConflictPolicy()

    /// Working memory for `rules`' programs.
    init(for rules: RuleSet) {
        let count = rules.flat.longestProgram * (Matcher.maxSpan + 1)
        stampCount = count
        stamps = .allocate(capacity: count)
        stamps.initialize(repeating: 0, count: count)
    }

    deinit {
        stamps.deallocate()
        frames.deallocate()
        saves.deallocate()
        for b in [key, sentence, sentenceStart, sentenceEnd, triedAt, ends, changedSentences, capturePool] { b.deallocate() }
        for b in [coverage, tokenStarts, startsFrom, keysFrom, startsAt, keyBitAt] { b.deallocate() }
        for b in [candidates, pending] { b.deallocate() }
        shape.deallocate()
        kind.deallocate()
    }

    /// The matcher's arrays, empty, with the capacity they grew to.
    func borrowArrays() -> Matcher.Arrays {
        defer { arrays = ([], [], []) }
        return arrays
    }

    func giveBack(_ a: Matcher.Arrays) { arrays = a }

    /// A fresh stamp value: every (instruction, position) is unvisited again.
    func nextGeneration() -> UInt32 {
        generation &+= 1
        if generation == 0 {
            stamps.update(repeating: 0, count: stampCount)
            generation = 1
        }
        return generation
    }

    /// Empties the stack and the saves.
    func startRun() {
        frames.removeAll()
        saves.removeAll()
    }

    /// Captures `after` with `slot` set to `pos`.
    @inline(__always)
    func save(_ slot: Int32, _ pos: Int32, after caps: Int32) -> Int32 {
        saves.append((slot, pos, caps))
        return Int32(saves.count - 1)
    }

    /// Writes the slots captures `caps` set into `slots` (whose unset slots hold -1).
    func resolve(_ caps: Int32, into slots: UnsafeMutablePointer<Int32>) {
        var k = caps
        while k >= 0 {
            let (slot, pos, before) = saves.elements[Int(k)]
            if slots[Int(slot)] < 0 { slots[Int(slot)] = pos }   // the latest save of a slot wins
            k = before
        }
    }
}

/// A raw, growable buffer of trivial values, without the uniqueness check an array makes per
/// append (the matcher's are reused from article to article): filled through `reserve`'s
/// pointer (what it held does not survive) or by `append`. Its owner deallocates it.
struct ScratchBuffer<Element> {
    private var base = UnsafeMutablePointer<Element>.allocate(capacity: 256)
    private var capacity = 256
    /// How many elements `append` has added since the last `reserve` or `removeAll`.
    private(set) var count = 0

    /// The buffer, emptied, with room for at least `count` elements.
    mutating func reserve(_ count: Int) -> UnsafeMutablePointer<Element> {
        self.count = 0
        if count > capacity {
            base.deallocate()
            capacity = max(count, capacity * 2)
            base = .allocate(capacity: capacity)
        }
        return base
    }

    mutating func removeAll() { count = 0 }

    /// Removes and returns the last appended element (a stack's pop).
    @inline(__always)
    mutating func popLast() -> Element? {
        guard count > 0 else { return nil }
        count -= 1
        return base[count]
    }

    /// Keeps the first `n` appended elements.
    mutating func truncate(to n: Int) { count = min(count, n) }

    subscript(i: Int) -> Element {
        get { base[i] }
        set { base[i] = newValue }
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow() }
        base[count] = element
        count += 1
    }

    /// Appends `value` `n` times; returns where the first of them is.
    @inline(__always)
    mutating func append(_ value: Element, times n: Int) -> UnsafeMutablePointer<Element> {
        while count &+ n > capacity { grow() }
        let first = base + count
        first.update(repeating: value, count: n)
        count &+= n
        return first
    }

    /// Appends a few elements (one at a time: a call to copy memory costs more for a few).
    @inline(__always)
    mutating func append(contentsOf items: UnsafeBufferPointer<Element>) {
        while count &+ items.count > capacity { grow() }
        for k in 0..<items.count { base[count &+ k] = items[k] }
        count &+= items.count
    }

    /// Appends `element` when `condition` holds, without a branch on it (for conditions
    /// that hold about half the time).
    @inline(__always)
    mutating func append(_ element: Element, if condition: Bool) {
        if count == capacity { grow() }
        base[count] = element
        count += condition ? 1 : 0
    }

    /// The appended elements.
    var elements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    func deallocate() { base.deallocate() }
}

extension ScratchBuffer where Element: Equatable {
    func contains(_ element: Element) -> Bool { elements.contains(element) }
}

extension Array {
    /// Empties the array and keeps its buffer; when it is empty already, without the call
    /// into the generic `replaceSubrange` that `removeAll(keepingCapacity:)` makes (a few
    /// hundred instructions, per phase per buffer).
    @inline(__always)
    mutating func clearKeepingCapacity() {
        if !isEmpty { removeAll(keepingCapacity: true) }
    }
}
