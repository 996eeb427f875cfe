import AsyncHTTPClient
import Foundation
import LocalEmulator
import NIOCore
import NIOHTTP1
import NIOPosix

/// LocalStack (localstack-core, host mode, no Docker) on a free loopback port: the second
/// emulator, for API Gateway behaviour moto lacks (paginated `GetApiKeys`/`GetUsagePlanKeys`,
/// deleted keys leave their plans, a deployed stage that enforces API keys). It checks no
/// signatures or IAM: moto stays the emulator with auth on.
///
///     try await LocalStackServer.withServer { localstack in ... localstack.endpoint ... }
public struct LocalStackServer: Sendable {
    /// `http://127.0.0.1:PORT`.
    public let endpoint: String
    public let port: Int

    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts LocalStack (installing it first with `scripts/setup-localstack.sh` when needed), runs
    /// `body`, and stops it, whether `body` returns or throws.
    public static func withServer<T>(_ body: (LocalStackServer) async throws -> T) async throws -> T {
        let root = try MotoEmulator.repositoryRoot(from: #filePath)
        let python = root.appendingPathComponent(".venv-localstack/bin/python")
        try await install(root: root)
        let port = try await freePort()
        let filesystem = FileManager.default.temporaryDirectory.appendingPathComponent("keyrotator-localstack-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: filesystem, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        environment.merge([
            "OVERRIDE_IN_DOCKER": "0", "FILESYSTEM_ROOT": filesystem.path, "GATEWAY_LISTEN": "127.0.0.1:\(port)",
            "GATEWAY_SERVER": "hypercorn", "DNS_ADDRESS": "0", "DISABLE_EVENTS": "1", "SKIP_SSL_CERT_DOWNLOAD": "1",
            "SERVICES": "apigateway,sqs,sts,secretsmanager", "LOCALSTACK_HOST": "127.0.0.1:\(port)", "PYTHONUNBUFFERED": "1",
        ]) { _, new in new }
        let child = try await ChildProcess(executable: python, arguments: ["-m", "localstack.runtime.main"], environment: environment,
                                     workingDirectory: filesystem, stderrLogName: "keyrotator-localstack")
        let server = LocalStackServer(endpoint: "http://127.0.0.1:\(port)", port: port)
        do {
            try await server.waitUntilReady(child: child)
            let result = try await body(server)
            await child.terminate(grace: .seconds(10))
            try? FileManager.default.removeItem(at: filesystem)
            return result
        } catch {
            await child.terminate(grace: .seconds(10))
            try? FileManager.default.removeItem(at: filesystem)
            throw error
        }
    }

    private static let installer = Installer()

    private static func install(root: URL) async throws {
        try await installer.install(root: root)
    }

    /// Runs the setup script once per test process.
    private actor Installer {
        var done = false
        func install(root: URL) async throws {
            guard !done else { return }
            let setup = try await ChildProcess(executable: URL(fileURLWithPath: "/bin/bash"), arguments: [root.appendingPathComponent("scripts/setup-localstack.sh").path],
                                         workingDirectory: root, stderrLogName: "keyrotator-setup-localstack")
            while try await setup.nextLine(timeout: .seconds(900)) != nil {}
            let status = try await setup.waitForExit(timeout: .seconds(900))
            guard status == 0 else { throw StartError(description: "scripts/setup-localstack.sh failed (exit \(status)):\n\(setup.stderrTail())") }
            done = true
        }
    }

    /// Polls `/_localstack/health` until API Gateway and SQS are available.
    private func waitUntilReady(child: ChildProcess) async throws {
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            guard child.isRunning else { throw StartError(description: "LocalStack exited while starting:\n\(child.stderrTail())") }
            var request = HTTPClientRequest(url: endpoint + "/_localstack/health")
            request.method = .GET
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)), response.status == .ok,
               let body = try? await response.body.collect(upTo: 1 << 20),
               let health = try? JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any],
               let services = health["services"] as? [String: String],
               ["apigateway", "sqs"].allSatisfy({ ["available", "running"].contains(services[$0] ?? "") }) {
                // The first call loads the API Gateway provider (seconds on a busy machine): make it here.
                var warmUp = HTTPClientRequest(url: endpoint + "/restapis")
                warmUp.method = .GET
                if let answer = try? await HTTPClient.shared.execute(warmUp, timeout: .seconds(60)) {
                    _ = try? await answer.body.collect(upTo: 1 << 20)
                    return
                }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw StartError(description: "LocalStack was not ready within 90 s:\n\(child.stderrTail())")
    }

    /// A port nobody listens on now (bound, read and released).
    private static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close().get()
        guard port > 0 else { throw StartError(description: "no free loopback port") }
        return port
    }
}
