import XCTest
@testable import NewsFacts

final class TokenizerTests: XCTestCase {
    let extractor = Fixture.extractor()

    func tokens(_ text: String) -> [String] {
        let t = try! extractor.tokenizer.tokenize(Array(text.utf8))
        return (0..<t.count).map { String(decoding: Array(text.utf8)[t.byteRange($0)], as: UTF8.self) }
    }

    func table(_ text: String) -> TokenTable { try! extractor.tokenizer.tokenize(Array(text.utf8)) }

    func testCompanyAbbreviationsDoNotEndSentences() {
        let t = table("He works at SungwooVina Co., Ltd. in Việt Yên. Dr. Smith and Gen. Giáp met.")
        XCTAssertEqual(t.sentences.count, 2)
        let t2 = table("The firm is Acme Corp. It grew.")
        XCTAssertEqual(t2.sentences.count, 1, "Corp. is suppressed: a known trade-off for names before a new sentence")
    }

    /// ICU's filter cannot suppress "M." or "J." (they begin CLDR's "M.D.", "J.D."), so listed
    /// initials are honoured by dropping such ends; a line break or a word before still ends.
    func testListedInitialsDoNotEndSentences() {
        XCTAssertEqual(table("Jonathan M. Stan met Michael J. Fox and George H. W. Bush. They left.").sentences.count, 2)
        XCTAssertEqual(table("He met Jo M.\nStan left.").sentences.count, 2, "a line break still ends the sentence")
        XCTAssertEqual(table("It was the MMM. Then it rained.").sentences.count, 2, "a capital after a letter is no initial")
        XCTAssertEqual(table("(M. Stan) left.").sentences.count, 1)
    }

    func testTokensInsideAByteRange() {
        let text = "Hà Nội, 10 December 2024 (VNS)"
        let t = table(text)
        func words(_ bytes: Range<Int>) -> [String] {
            t.inside(bytes).map { String(decoding: Array(text.utf8)[t.byteRange($0)], as: UTF8.self) }
        }
        let date = text.utf8.count - "10 December 2024 (VNS)".utf8.count
        XCTAssertEqual(words(date..<(date + 16)), ["10", "December", "2024"])
        XCTAssertEqual(words(0..<2), [], "no token lies wholly inside part of a word")
        XCTAssertEqual(words(0..<3), ["Hà"])
        XCTAssertEqual(words(0..<text.utf8.count).count, t.count)
        XCTAssertTrue(t.inside(text.utf8.count..<text.utf8.count).isEmpty)
    }

    /// Sentence ends after paragraph separators are taken without ICU, and ICU reads only the
    /// text around the other terminators; the ends must be those ICU finds reading everything.
    func testSentenceEndsFromWindowsAreThoseOfTheWholeText() throws {
        let tokenizer = extractor.tokenizer
        func agree(_ text: String, _ label: String) throws {
            let bytes = Array(text.utf8)
            XCTAssertEqual(try tokenizer.sentenceEnds(bytes, .aroundTerminators), try tokenizer.sentenceEnds(bytes, .wholeText), label)
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixture.corpusDir) where name.hasSuffix(".txt") {
            try agree(try String(contentsOfFile: Fixture.corpusDir + "/" + name, encoding: .utf8), name)
        }
        try agree("", "empty")
        try agree("No terminator at all", "none")
        try agree("Ends here.", "one")
        try agree("SungwooVina Co., Ltd. is in Bắc Giang. It grew.\r\nNew line.\u{2029}Para. Mr. Smith left.", "mixed")
        // Random texts from pieces that decide sentence breaks: abbreviations, terminators
        // with quotes and brackets after them, numbers, separators, letters of each case.
        let pieces = ["the", "Văn", "ABC", "Co.", "Ltd.", "U.S.", "Dr.", "e.g.", "No.", "3.5", "1,954", ".", "?", "!",
                      "...", "…", "\"", "”", "’", ")", "(", ",", ";", ":", "-", " ", " ", " ", "  ", "\t", "\n", "\n\n",
                      "\r\n", "\u{2029}", "\u{85}", "。", "x", "Y", "42", "'s", "\u{301}", "\u{200D}", "𝐀", "٫",
                      "M.", "J.", "W.", "Jo", "\u{A0}", "“", "\r", "\u{2028}", "\u{C}", ".\n", "Ltd.\n", ". \r\n", ".5", "No.5", "?5", "。5"]
        var rng = SplitMix(seed: 2026)
        for n in 0..<3000 {
            let text = (0..<(1 + Int(rng.next() % 40))).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            try agree(text, "random text \(n): \(text.debugDescription)")
        }
    }

    /// Chunks between spaces are tokenised once and then taken from the cache; the tokens
    /// must be those of ICU reading each whole text, whatever was cached before.
    func testCachedChunksTokenizeAsICUReadingTheWholeText() throws {
        let tokenizer = try Tokenizer(abbreviations: Fixture.builtin.abbreviations, lexicon: Fixture.builtin.lexicon)
        // One whose cache fills after a few chunks: the rest are read by ICU each time.
        let small = try Tokenizer(abbreviations: Fixture.builtin.abbreviations, lexicon: Fixture.builtin.lexicon,
                                  chunkCapacity: 16)
        // One that starts with the chunks of the built-in common words and gazetteers.
        let known = try Tokenizer(abbreviations: Fixture.builtin.abbreviations, lexicon: Fixture.builtin.lexicon,
                                  known: Fixture.builtin.knownText)
        func agree(_ text: String, _ label: String) throws {
            try agree(text, label, tokenizer)
            try agree(text, "small cache: " + label, small)
            try agree(text, "known words: " + label, known)
        }
        func agree(_ text: String, _ label: String, _ tokenizer: Tokenizer) throws {
            let bytes = Array(text.utf8)
            let cached = try tokenizer.tokenize(bytes), whole = try tokenizer.tokenizeWhole(bytes)
            XCTAssertEqual(cached.count, whole.count, label)
            guard cached.count == whole.count else { return }
            XCTAssertEqual(cached.start, whole.start, label)
            XCTAssertEqual(cached.end, whole.end, label)
            XCTAssertEqual(cached.kind, whole.kind, label)
            XCTAssertEqual(cached.shape, whole.shape, label)
            XCTAssertEqual(cached.key, whole.key, label)
            XCTAssertEqual(cached.sentence, whole.sentence, label)
            XCTAssertEqual(cached.sentences, whole.sentences, label)
        }
        var texts: [(String, String)] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixture.corpusDir).sorted() where name.hasSuffix(".txt") {
            texts.append((try String(contentsOfFile: Fixture.corpusDir + "/" + name, encoding: .utf8), name))
        }
        // Random texts from what decides word breaks (UAX #29): letters and digits of several
        // scripts, the punctuation that may join them, combining marks, format characters,
        // joiners, emoji and flags, spaces of several kinds and line breaks, next to each other.
        let pieces = ["the", "Văn", "ĐÀO", "Co.", "U.S.", "3.5", "1,954", "VND2.3", "Giang’s", "don't", "a_b", ".", ",", ";",
                      ":", "'", "’", "·", "-", "\"", "“", "(", ")", "?", " ", " ", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\r",
                      "\u{2028}", "\u{2029}", "\u{85}", "\u{A0}", "\u{2007}", "\u{202F}", "\u{3000}", "\u{1680}", "\u{301}",
                      "\u{AD}", "\u{2060}", "\u{200B}", "\u{200D}", "\u{200C}", "👍", "👨‍👩‍👧", "🏽", "🇻🇳", "🇺🇸", "カタカナ", "ー",
                      "ひらがな", "日本語", "中文", "ภาษาไทย", "ລາວ", "שלום", "״", "א׳", "٫", "١٢", "𝐀", "x", "Y", "42", "'s",
                      "[", "]", "{", "}", "!", "$", "%", "Đức", "Ảnh", "ế", "é", "Ƀ", "ɐ", "ʰ", "×", "\u{1E00}", "\u{1EFF}",
                      "\u{1F00}", "\u{0300}", "\u{0363}"]
        var rng = SplitMix(seed: 4052)
        for n in 0..<4000 {
            let text = (0..<(1 + Int(rng.next() % 30))).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            texts.append((text, "random text \(n): \(text.debugDescription)"))
        }
        for (text, label) in texts { try agree(text, label) }
        // Again, now that every chunk is cached.
        for (text, label) in texts { try agree(text, "cached: " + label) }
        XCTAssertGreaterThan(tokenizer.chunkLookups.hits, tokenizer.chunkLookups.lookups / 2)
        XCTAssertLessThan(small.chunkLookups.hits, small.chunkLookups.lookups / 4)
    }

    /// A tokenizer reads its known words when it is made: a first text finds them in the cache,
    /// and forgetting the chunks of texts keeps them.
    func testKnownWordsAreCachedBeforeTheFirstText() throws {
        let t = try Tokenizer(abbreviations: [], lexicon: Fixture.builtin.lexicon, known: Array("the Giang said ".utf8))
        XCTAssertEqual(t.chunkLookups.lookups, 0)
        func hits(_ text: String) throws -> Int {
            let before = t.chunkLookups.hits
            _ = try t.tokenize(Array(text.utf8))
            return t.chunkLookups.hits - before
        }
        XCTAssertEqual(try hits("Giang said the"), 3)
        XCTAssertEqual(try hits("new words"), 0)
        XCTAssertEqual(try hits("new words"), 2)
        t.forgetChunks()
        XCTAssertEqual(try hits("(Giang, new)"), 1)   // "(" "Giang" "," "new" ")": only Giang is kept
        // Known words take at most three quarters of a cache, so articles' chunks find room.
        let words = (0..<5000).map { "w\($0)x" }.joined(separator: " ")
        let small = try Tokenizer(abbreviations: [], lexicon: Fixture.builtin.lexicon, known: Array(words.utf8), chunkCapacity: 1024)
        XCTAssertGreaterThan(small.knownChunks, 700)
        XCTAssertLessThanOrEqual(small.knownChunks, 1024 * 3 / 4)
    }

    func testNumbersStayWhole() {
        XCTAssertEqual(tokens("1,954 members, 3.5 per cent and 100 per cent"),
                       ["1,954", "members", ",", "3.5", "per", "cent", "and", "100", "per", "cent"])
        let t = table("1,954 and 3.5")
        XCTAssertEqual(t.kind[0], .number)
        XCTAssertEqual(t.kind[2], .number)
    }

    func testCurrencyAndUnitsSplitFromNumbers() {
        XCTAssertEqual(tokens("VND2.3 trillion"), ["VND", "2.3", "trillion"])
        XCTAssertEqual(tokens("US$98 million"), ["US", "$", "98", "million"])
        XCTAssertEqual(tokens("3.5km"), ["3.5", "km"])
        let t = table("VND2.3")
        XCTAssertTrue(t.shape[1].contains(.glued))
    }

    func testHyphenatedNamesKeepTheirPieces() {
        let t = table("Luxshare-ICT Việt Nam")
        XCTAssertEqual(tokens("Luxshare-ICT Việt Nam"), ["Luxshare", "-", "ICT", "Việt", "Nam"])
        XCTAssertTrue(t.shape[1].contains(.glued))
        XCTAssertTrue(t.shape[2].contains(.glued))
    }

    func testQuotesAndApostrophes() {
        XCTAssertEqual(tokens("“We grow,” he said. \"Yes.\" It's the province’s plan."),
                       ["“", "We", "grow", ",", "”", "he", "said", ".", "\"", "Yes", ".", "\"", "It", "'s", "the", "province", "’s", "plan", "."])
        let t = table("Giang’s and Giang's")
        XCTAssertEqual(t.key[1], t.key[4], "curly and straight possessives fold to one key")
    }

    func testNFCAndNFDFoldToTheSameKeys() {
        let nfc = "Nguyễn Văn Trọng"
        let nfd = nfc.decomposedStringWithCanonicalMapping
        XCTAssertNotEqual(Array(nfc.utf8), Array(nfd.utf8))
        XCTAssertEqual(table(nfc).key, table(nfd).key)
        XCTAssertEqual(tokens(nfd).count, 3)
    }

    func testShapes() {
        let t = table("BẮC Giang lower 2019 A")
        XCTAssertTrue(t.shape[0].contains(.allCaps))
        XCTAssertTrue(t.shape[0].contains(.hasDiacritic))
        XCTAssertTrue(t.shape[1].contains(.titleCase))
        XCTAssertTrue(t.shape[2].contains(.lower))
        XCTAssertTrue(t.shape[3].contains(.yearLike))
        XCTAssertTrue(t.shape[4].contains(.single))
        XCTAssertTrue(t.shape[0].contains(.sentenceStart))
    }

    func testEmptyAndWhitespaceInput() {
        XCTAssertEqual(table("").count, 0)
        XCTAssertEqual(table("  \n\n ").count, 0)
        XCTAssertEqual(Fixture.record("").entities.count, 0)
    }

    func testParagraphStarts() {
        let t = table("One.\n\nTwo.")
        XCTAssertTrue(t.shape[2].contains(.paragraphStart))
        XCTAssertEqual(t.sentences.count, 2)
    }

    func testShapesOfLettersPastTheBasicPlane() {
        // Mathematical bold capitals are upper-case letters outside the tabled code points.
        let t = table("𝐀𝐁 Giang")
        XCTAssertTrue(t.shape[0].contains(.allCaps))
        XCTAssertTrue(t.shape[0].contains(.hasDiacritic))
        XCTAssertEqual(t.kind[0], .word)
    }

    func testLongTextsAndTokensOutgrowTheReusedBuffers() {
        let t = table(String(repeating: "Giang ", count: 6000))
        XCTAssertEqual(t.count, 6000)
        XCTAssertGreaterThanOrEqual(t.key[0], 0)
        XCTAssertTrue(t.key.allSatisfy { $0 == t.key[0] })
        let long = table(String(repeating: "ắ", count: 3000) + " Giang")
        XCTAssertEqual(long.count, 2)
        XCTAssertEqual(long.key[0], Lexicon.unknown)
        XCTAssertEqual(long.key[1], t.key[0])
        XCTAssertEqual(table("Giang.").key[0], t.key[0])
    }

    func testWordAtATimeFactsAgreeWithTheTable() {
        let scalars = ScalarTable()
        for c in UInt8(1)..<0x80 {
            let (seen, upperBytes, lowerBytes) = ScalarTable.facts(asciiWord: UInt64(c))
            let facts = scalars.facts(ascii: c)
            XCTAssertEqual(seen, facts & (ScalarTable.upper | ScalarTable.lower | ScalarTable.digit | ScalarTable.hyphen), "byte \(c)")
            XCTAssertEqual(upperBytes != 0, facts & ScalarTable.upper != 0, "byte \(c)")
            XCTAssertEqual(lowerBytes != 0, facts & ScalarTable.lower != 0, "byte \(c)")
        }
        // "aB-9Zz@[" little-endian: upper-case B and Z in bytes 1 and 4.
        let word = Array("aB-9Zz@[".utf8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) }
        let (seen, upperBytes, _) = ScalarTable.facts(asciiWord: word)
        XCTAssertEqual(upperBytes, 0x80 << 8 | 0x80 << 32)
        XCTAssertEqual(seen, ScalarTable.upper | ScalarTable.lower | ScalarTable.digit | ScalarTable.hyphen)
    }

    func testShortWordsAtTheEndOfTheTextAreDescribedAlike() {
        // The last words are read byte by byte (eight bytes cannot be read past the end).
        let t = table("Giang's HCM ok 2019 Giang's HCM ok 2019")
        let n = t.count / 2
        XCTAssertEqual(Array(t.key[..<n]), Array(t.key[n...]))
        XCTAssertEqual(Array(t.shape[1..<n]), Array(t.shape[(n + 1)...]))
    }
}

/// A small seeded random number generator, so random tests repeat exactly.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
