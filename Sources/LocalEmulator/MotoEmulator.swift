public import Foundation

/// The moto emulator, started once per test process by `scripts/moto_harness.py` with IAM
/// authentication on: every call must be SigV4-signed with `accessKeyId`/`secretAccessKey`
/// (a least-privilege user the harness created) and its action allowed by that user's policy.
public final class MotoEmulator: Sendable {
    /// Base URL, e.g. `http://127.0.0.1:40123`.
    public let endpoint: String
    /// The loopback port moto listens on.
    public let port: Int
    /// The region the harness user's calls are expected in.
    public let region: String
    /// Access key id of the harness IAM user.
    public let accessKeyId: String
    /// Secret access key of the harness IAM user. Never log it.
    public let secretAccessKey: String
    /// The package root (the directory holding Package.swift).
    public let repositoryRoot: URL

    private let child: ChildProcess

    private init(line: HarnessLine, repositoryRoot: URL, child: ChildProcess) throws {
        guard let url = URL(string: line.endpoint), let port = url.port else {
            throw MotoEmulatorError.badHarnessOutput("endpoint \(line.endpoint) has no port")
        }
        self.endpoint = line.endpoint
        self.port = port
        self.region = line.region
        self.accessKeyId = line.accessKeyId
        self.secretAccessKey = line.secretAccessKey
        self.repositoryRoot = repositoryRoot
        self.child = child
    }

    /// The standard AWS environment that points a child process (bootstrap, CLI, botocore) at moto
    /// as the harness user.
    public func environment() -> [String: String] {
        [
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": accessKeyId,
            "AWS_SECRET_ACCESS_KEY": secretAccessKey,
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
        ]
    }

    /// Whether the harness process is still running.
    public var isRunning: Bool { child.isRunning }

    /// Stops the emulator (SIGTERM, then SIGKILL after a grace period).
    public func stop() async {
        await child.terminate()
    }

    /// The venv's python interpreter (has boto3/botocore), for tests that compare with botocore.
    public var python: URL {
        repositoryRoot.appendingPathComponent(".venv/bin/python")
    }

    private struct HarnessLine: Decodable {
        let endpoint: String
        let accessKeyId: String
        let secretAccessKey: String
        let region: String
    }

    /// Starts moto through `scripts/moto_harness.py` of the repository at `root` (installing the
    /// pinned tools into `.venv` first when they are missing) and waits until it is ready.
    /// The emulator stops when this process ends.
    public static func launch(repositoryRoot root: URL) async throws -> MotoEmulator {
        let python = root.appendingPathComponent(".venv/bin/python")
        if !FileManager.default.isExecutableFile(atPath: python.path) {
            try await runSetupTools(root: root)
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONUNBUFFERED"] = "1"
        let child = try await ChildProcess(
            executable: python,
            arguments: [root.appendingPathComponent("scripts/moto_harness.py").path],
            environment: environment,
            workingDirectory: root,
            stderrLogName: "keyrotator-moto"
        )
        let line: String?
        do {
            line = try await child.nextLine(timeout: .seconds(120))
        } catch {
            await child.terminate()
            throw MotoEmulatorError.startFailed(reason: "\(error)", stderr: child.stderrTail())
        }
        guard let line else {
            await child.terminate()
            throw MotoEmulatorError.startFailed(reason: "the harness exited before it was ready", stderr: child.stderrTail())
        }
        do {
            let decoded = try JSONDecoder().decode(HarnessLine.self, from: Data(line.utf8))
            return try MotoEmulator(line: decoded, repositoryRoot: root, child: child)
        } catch {
            await child.terminate()
            throw MotoEmulatorError.badHarnessOutput("\(error)")
        }
    }

    private static func runSetupTools(root: URL) async throws {
        let setup = try await ChildProcess(
            executable: URL(fileURLWithPath: "/bin/bash"),
            arguments: [root.appendingPathComponent("scripts/setup-tools.sh").path],
            workingDirectory: root,
            stderrLogName: "keyrotator-setup-tools"
        )
        while try await setup.nextLine(timeout: .seconds(600)) != nil {}
        while setup.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        let python = root.appendingPathComponent(".venv/bin/python")
        if !FileManager.default.isExecutableFile(atPath: python.path) {
            throw MotoEmulatorError.toolsMissing(root: root.path, stderr: setup.stderrTail())
        }
    }

    /// Walks up from `file` to the directory holding Package.swift.
    public static func repositoryRoot(from file: String) throws -> URL {
        var directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        throw MotoEmulatorError.noRepositoryRoot(startedFrom: file)
    }
}
