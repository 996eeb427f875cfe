#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a shell command and collects its standard output, without Foundation's `Process`
/// (which is not in FoundationEssentials). Standard error passes through to ours.
enum ChildProcess {
    struct Result {
        var status: Int32
        var output: [UInt8]
    }

    static func runShell(_ command: String, environment: [String: String]) throws -> Result {
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
        while true {
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
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exitCode, output: output)
    }
}
