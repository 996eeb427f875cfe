import AWSXML
import Testing

/// Feeds thousands of mutated valid documents to the parser: each must parse or throw, and
/// whatever parses must serialize back to exactly the bytes it was parsed from.
@Suite struct XMLMutationTests {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seeds: [String] = [
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- c --><DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">
          <CallerReference>ref-1</CallerReference>
          <Origins><Quantity>1</Quantity><Items><Origin><Id>o&amp;1</Id>
            <CustomHeaders><Quantity>1</Quantity><Items><OriginCustomHeader>
              <HeaderName>x-origin-verify</HeaderName><HeaderValue>v&#65;l&#x42;</HeaderValue>
            </OriginCustomHeader></Items></CustomHeaders></Origin></Items></Origins>
          <Comment/><Enabled>true</Enabled>
        </DistributionConfig>
        """,
        "<a x='1' y=\"&quot;\"><![CDATA[ <x> ]]><?pi d?><b/>t&lt;é🔑</a>\n<!--e-->",
        "\u{FEFF}<?xml version='1.0' standalone='no'?><r:r xmlns:r='u'>\r\n<r:c\ta = \"v\" /></r:r >",
    ]

    static let fragments: [[UInt8]] = [
        "<", ">", "/", "/>", "</", "&", ";", "&amp;", "&#", "&#x", "&#0;", "&#x1F511;", "'", "\"", "=",
        "<!--", "-->", "--", "<![CDATA[", "]]>", "<?", "?>", "<!DOCTYPE a>", "<?xml version='1.0'?>",
        " ", "\n", "\r", "\t", "a", ":", "é", "🔑", "<a>", "</a>", "<a/>",
    ].map { Array($0.utf8) } + [[0x00], [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBE], [0xE2, 0x82]]

    static func mutate(_ input: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0:
                bytes.insert(contentsOf: fragments.randomElement(using: &rng) ?? [], at: position)
            case 1 where !bytes.isEmpty:
                let length = Int.random(in: 1...min(8, bytes.count - position), using: &rng)
                bytes.removeSubrange(position..<(position + length))
            case 2 where !bytes.isEmpty:
                bytes[position] = UInt8.random(in: 0...255, using: &rng)
            case 3 where !bytes.isEmpty:
                let length = Int.random(in: 1...min(16, bytes.count - position), using: &rng)
                bytes.insert(contentsOf: bytes[position..<(position + length)], at: position)
            default:
                bytes = Array(bytes[0..<position])
            }
        }
        return bytes
    }

    @Test func mutatedDocumentsParseAndRoundTripOrThrow() {
        var rng = SplitMix64(state: 0x4B65_7952_6F74_6174)
        var parsed = 0
        var rejected = 0
        for round in 0..<6_000 {
            let seed = Array(Self.seeds[round % Self.seeds.count].utf8)
            let input = Self.mutate(seed, using: &rng)
            do {
                let document = try XMLDocument(bytes: input)
                parsed += 1
                if document.bytes != input {
                    Issue.record("round \(round): re-serialized bytes differ from input \(input)")
                    return
                }
            } catch {
                rejected += 1
                #expect(error.line >= 1 && error.column >= 1 && error.offset <= input.count)
            }
        }
        #expect(parsed > 200, "the mutations should leave some documents well-formed")
        #expect(rejected > 3_000, "most mutations should be rejected by a strict parser")
    }

    /// Every input either parses and serializes back to exactly its bytes, or throws an
    /// `XMLParseError` that points inside it: nothing crashes, nothing is silently changed.
    @Test func randomBytesNeverCrashTheParser() {
        var rng = SplitMix64(state: 7)
        let alphabet = Array("<>/&;#x=\"' ab!-?[]CDATA\n".utf8)
        var parsed = 0
        var rejected = 0
        for round in 0..<3_000 {
            let length = Int.random(in: 0..<64, using: &rng)
            let input = (0..<length).map { _ in
                Bool.random(using: &rng) ? (alphabet.randomElement(using: &rng) ?? 0) : UInt8.random(in: 0...255, using: &rng)
            }
            do {
                let document = try XMLDocument(bytes: input)
                parsed += 1
                #expect(document.bytes == input, "round \(round): what parsed serializes back byte for byte")
            } catch {
                rejected += 1
                #expect(error.line >= 1 && error.column >= 1 && error.offset <= input.count, "round \(round): the error points inside the input: \(error)")
            }
        }
        #expect(parsed + rejected == 3_000)
        #expect(rejected > 2_000, "random bytes are almost never a well-formed document (\(parsed) parsed)")
    }
}
