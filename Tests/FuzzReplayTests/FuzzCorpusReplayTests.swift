import Foundation
import Testing

/// Every input the fuzzer kept (`fuzz/corpus/<target>`: the seeds and what `scripts/fuzz.sh`
/// found that reaches new code) goes through its target's check again, in the suite's debug build.
@Suite struct FuzzCorpusReplayTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fuzz/corpus")

    static func inputs(_ target: String) throws -> [(String, [UInt8])] {
        let folder = corpus.appendingPathComponent(target)
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { name in
            (name, Array(try Data(contentsOf: folder.appendingPathComponent(name))))
        }
    }

    @Test(arguments: [
        ("xml", FuzzChecks.xml),
        ("secret-document", FuzzChecks.secretDocument),
        ("events", FuzzChecks.events),
    ] as [(String, @Sendable ([UInt8]) throws -> Void)])
    func theKeptCorpusPassesItsCheck(target: String, check: @Sendable ([UInt8]) throws -> Void) throws {
        let inputs = try Self.inputs(target)
        #expect(inputs.count >= 5, "\(target) has a corpus")
        var failures: [String] = []
        for (name, bytes) in inputs {
            do { try check(bytes) } catch { failures.append("\(name): \(error)") }
        }
        #expect(failures.isEmpty, "\(target): \(failures.prefix(10))")
    }
}
