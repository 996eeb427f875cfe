/// Finds secret or key values in text: every value is a run of at least `minimumLength` ASCII
/// letters and digits (generated secrets and API Gateway key values are), so the scanner splits the
/// text into such runs and looks every window of each value length up in a set, which finds a value
/// even inside a longer run. It reports where, never what.
public struct LeakScanner: Sendable {
    public static let minimumLength = 16

    /// A value found in a text: the line it is on (from 1) and the value's fingerprint.
    public struct Finding: Sendable, Equatable {
        public var line: Int
        public var fingerprint: String

        public init(line: Int, fingerprint: String) {
            self.line = line
            self.fingerprint = fingerprint
        }
    }

    private let values: Set<Substring>
    private let lengths: [Int]

    public init(values: some Sequence<String>) {
        let kept = values.filter { $0.utf8.count >= Self.minimumLength && $0.utf8.allSatisfy(Self.isAlphanumeric) }
        self.values = Set(kept.map { Substring($0) })
        lengths = Set(kept.map(\.utf8.count)).sorted()
    }

    public var valueCount: Int { values.count }

    /// Where `text` holds one of the values.
    public func scan(_ text: String, fingerprint: (String) -> String) -> [Finding] {
        var findings: [Finding] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            for run in Self.runs(in: line) where run.utf8.count >= Self.minimumLength {
                let characters = Array(run)
                for length in lengths where length <= characters.count {
                    for start in 0...(characters.count - length) {
                        let window = Substring(String(characters[start..<(start + length)]))
                        if values.contains(window) { findings.append(Finding(line: index + 1, fingerprint: fingerprint(String(window)))) }
                    }
                }
            }
        }
        return findings
    }

    /// The runs of 16 or more letters and digits in `text`: what a generated value can be.
    public static func candidates(in text: String) -> [String] {
        runs(in: Substring(text)).filter { $0.utf8.count >= minimumLength }.map(String.init)
    }

    private static func runs(in text: Substring) -> [Substring] {
        text.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
    }
}
