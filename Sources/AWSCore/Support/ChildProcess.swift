#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Runs a shell command and collects its standard output, without Foundation's `Process`
/// (which is not in FoundationEssentials). Standard error passes through to ours.
enum ChildProcess {
    struct Result {
        var status: Int32
        var output: [UInt8]
        /// The command ran out of time and was killed.
        var timedOut: Bool
    }

    /// Runs `command` with `/bin/sh -c` on a thread of its own (never on the cooperative pool, whose
    /// few threads a blocked read would starve), killing it when it runs longer than `timeout`.
    static func runShell(_ command: String, environment: [String: String], timeout: Duration) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result { try runShellBlocking(command, environment: environment, timeout: timeout) })
            }
        }
    }

    static func runShellBlocking(_ command: String, environment: [String: String], timeout: Duration) throws -> Result {
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { throw AWSConfigurationError(code: "ProcessFailed", message: "could not create a pipe (errno \(errno))") }
        let readFD = pipeFDs[0], writeFD = pipeFDs[1]

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, writeFD, 1)
        posix_spawn_file_actions_addclose(&actions, readFD)
        posix_spawn_file_actions_addclose(&actions, writeFD)

        let arguments: [String] = ["/bin/sh", "-c", command]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawnResult = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
        close(writeFD)
        guard spawnResult == 0 else {
            close(readFD)
            throw AWSConfigurationError(code: "ProcessFailed", message: "could not start /bin/sh (error \(spawnResult))")
        }
        var output = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + timeout
        var timedOut = false
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else {
                timedOut = true
                break
            }
            var poller = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(clamping: Int64(left / .milliseconds(1)) + 1)
            let ready = poll(&poller, 1, milliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if ready == 0 { continue }  // the deadline is checked at the top
            let n = buffer.withUnsafeMutableBytes { read(readFD, $0.baseAddress, $0.count) }
            if n > 0 {
                output.append(contentsOf: buffer[0..<n])
                if output.count > 1 << 20 { break }
            } else if n == 0 || errno != EINTR {
                break
            }
        }
        close(readFD)
        var status: Int32 = 0
        // Stdout is closed: the child should be exiting; give it until the deadline.
        while !timedOut {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped == -1 && errno != EINTR { break }
            if ContinuousClock.now >= deadline { timedOut = true } else { usleep(5_000) }
        }
        if timedOut {
            kill(pid, SIGKILL)
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        }
        let exitCode: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exitCode, output: output, timedOut: timedOut)
    }
}
