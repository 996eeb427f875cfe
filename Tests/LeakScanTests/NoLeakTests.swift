import Foundation
import KeyMaterial
import Testing
import TestSupport

/// No secret or key value ever reaches a log line or a CLI's output. `scripts/test.sh` runs the
/// whole suite with `KEYROTATOR_OUTPUT_DIR` set: the emulator (moto's harness) and the in-memory
/// doubles record every secret and key value they are given or generate, the test support keeps
/// what every `bootstrap`, `keyrotator` and demo process printed, and the output of the suite and
/// of the soaks (the in-process flows' logs) is saved beside them. Then it runs this suite alone,
/// with `KEYROTATOR_LEAK_SCAN=1`, to look for every value in every line.
@Suite struct NoLeakTests {
    static let scanRequested = ProcessInfo.processInfo.environment["KEYROTATOR_LEAK_SCAN"] == "1"

    @Test(.enabled(if: scanRequested, "runs after the suite, from scripts/test.sh"))
    func noGeneratedValueAppearsInAnythingTheSuitePrinted() throws {
        let folder = try #require(TestOutputArchive.directory, "KEYROTATOR_OUTPUT_DIR names the suite's output folder")
        let files = FileManager.default
        let valueFiles = try files.contentsOfDirectory(atPath: folder.appendingPathComponent("values").path)
        var values: [String] = []
        for name in valueFiles {
            let text = try String(contentsOf: folder.appendingPathComponent("values/\(name)"), encoding: .utf8)
            values += text.split(separator: "\n").map(String.init)
        }
        let scanner = LeakScanner(values: values)
        // The processes' output, and what each `swift test` run printed (the suite's, the soaks').
        let logs = try files.contentsOfDirectory(atPath: folder.appendingPathComponent("logs").path).map { "logs/\($0)" }
            + (try files.contentsOfDirectory(atPath: folder.path)).filter { $0.hasSuffix(".log") && $0 != "leak-scan.log" }.sorted()

        // The scan must have something to find: many values, and the output of each kind of process.
        #expect(scanner.valueCount >= 200, "values recorded by the emulator and the doubles: \(scanner.valueCount)")
        for kind in ["logs/bootstrap-", "logs/keyrotator-", "logs/keyrotator-demo-", "swift-test.log"] {
            #expect(logs.contains { $0.hasPrefix(kind) }, "the suite left output of \(kind)")
        }

        var bytes = 0
        var leaks: [String] = []
        for name in logs {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            bytes += data.count
            for finding in scanner.scan(String(decoding: data, as: UTF8.self), fingerprint: { "sha256:\(fingerprint($0))" }) {
                leaks.append("\(name):\(finding.line) \(finding.fingerprint)")
            }
        }
        print("leak scan: \(scanner.valueCount) values, \(logs.count) outputs, \(bytes) bytes, \(leaks.count) leaks")
        #expect(leaks.isEmpty, "values found in output (fingerprints): \(leaks.prefix(20))")
    }

    /// The scanner finds a value anywhere in a line, inside a longer run of letters and digits too,
    /// and reports it by line and fingerprint only.
    @Test func theScannerFindsAPlantedValueAndOnlyIt() {
        let value = "Zq81LmT0vB7xR2pW9sK4nD6hF3jG5cYa"
        let other = "AAAABBBBCCCCDDDDEEEEFFFF00001111"
        let scanner = LeakScanner(values: [value, other, "short"])
        #expect(scanner.valueCount == 2, "values shorter than 16 characters are not values")
        let text = "first line\nvalue=\(value) ok\nprefix\(value)suffix and sha256:\(fingerprint(value))\nclean"
        let findings = scanner.scan(text) { "sha256:\(fingerprint($0))" }
        #expect(findings == [.init(line: 2, fingerprint: "sha256:\(fingerprint(value))"), .init(line: 3, fingerprint: "sha256:\(fingerprint(value))")])
        #expect(scanner.scan("nothing here but AAAABBBBCCCCDDDDEEEEFFFF0000111", fingerprint: { $0 }).isEmpty, "a near miss is no finding")
    }
}
