public import Foundation

/// Keeps what the processes a test ran printed (`bootstrap` under the Runtime API emulator, the
/// `keyrotator` CLI, the demo) in `KEYROTATOR_OUTPUT_DIR/logs` when that variable is set, as
/// `scripts/test.sh` sets it, so that the leak scan after the suite can read every line the
/// suite's flows produced. Without the variable it keeps nothing.
public enum TestOutputArchive {
    /// The folder the test script asked for, if any.
    public static var directory: URL? {
        guard let path = ProcessInfo.processInfo.environment["KEYROTATOR_OUTPUT_DIR"], !path.isEmpty else { return nil }
        return URL(fileURLWithPath: path)
    }

    /// Copies the files of `folder` (e.g. `stdout`, `stderr`) to `logs/<kind>-<uuid>-<file>`.
    public static func keep(_ folder: URL, kind: String) {
        guard let logs = directory?.appendingPathComponent("logs") else { return }
        try? FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let id = UUID().uuidString
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name != "stdin" {
            try? FileManager.default.copyItem(at: folder.appendingPathComponent(name), to: logs.appendingPathComponent("\(kind)-\(id)-\(name)"))
        }
    }

    /// Appends values a test double generated (an in-memory API Gateway's key values) to
    /// `values/<kind>-<pid>.txt`, one a line, for the leak scan. The file never leaves that folder.
    public static func recordGeneratedValues(_ values: [String], kind: String) {
        guard !values.isEmpty, let folder = directory?.appendingPathComponent("values") else { return }
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("\(kind)-\(ProcessInfo.processInfo.processIdentifier).txt").path
        let lines = Data(values.map { $0 + "\n" }.joined().utf8)
        recording.withLock {
            if let handle = FileHandle(forWritingAtPath: path) {
                handle.seekToEndOfFile()
                handle.write(lines)
                try? handle.close()
            } else {
                _ = FileManager.default.createFile(atPath: path, contents: lines)
            }
        }
    }

    private static let recording = NSLock()
}

extension TestOutputArchive {
    /// Records every run of 16 or more letters and digits in `secretString` (a generated secret
    /// value, inside its JSON document or alone) for the leak scan.
    public static func recordGeneratedValues(in secretString: String, kind: String) {
        recordGeneratedValues(LeakScanner.candidates(in: secretString), kind: kind)
    }
}
