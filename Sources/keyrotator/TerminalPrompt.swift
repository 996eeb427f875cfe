import AWSCore
import Foundation

/// Asks the user at the controlling terminal (`/dev/tty`, as the AWS CLI does), so that a prompt
/// works while stdout and stderr are piped or redirected.
enum TerminalPrompt {
    /// Asks for a profile's MFA code on the terminal; nil when the process has no controlling
    /// terminal (CI, cron, a monitor), so that such a profile fails with an error that says so.
    static var mfaCodeProvider: MFACodeProvider? {
        let probe = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard probe >= 0 else { return nil }
        close(probe)
        return { serial, profile in
            try await ask("Enter MFA code for \(serial) (profile '\(profile)'): ")
        }
    }

    /// Writes `prompt` to the terminal and reads one line from it, on a thread of its own so that
    /// the wait for a person blocks no task of the cooperative pool.
    static func ask(_ prompt: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try readLine(after: prompt) })
            }
            thread.name = "keyrotator-prompt"
            thread.start()
        }
    }

    private static func readLine(after prompt: String) throws -> String {
        let terminal = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard terminal >= 0 else {
            throw AWSConfigurationError(code: "MFARequired", message: "The terminal could not be opened to ask for the MFA code (\(String(cString: strerror(errno)))).")
        }
        defer { close(terminal) }
        let bytes = Array(prompt.utf8)
        _ = bytes.withUnsafeBytes { write(terminal, $0.baseAddress, $0.count) }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.count < 64 {
            let count = read(terminal, &byte, 1)
            if count < 0, errno == EINTR { continue }
            if count <= 0 || byte == UInt8(ascii: "\n") { break }
            line.append(byte)
        }
        return String(decoding: line, as: UTF8.self)
    }
}
