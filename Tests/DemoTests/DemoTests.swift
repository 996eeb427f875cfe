import AWSXML
import Foundation
import LocalEmulator
import Testing
import TestSupport

/// The one-command demo, run as a user runs it (a short configuration), against its own emulator.
@Suite(.timeLimit(.minutes(10))) struct DemoTests {
    static func start(_ arguments: [String]) throws -> BuiltProduct.Running {
        let root = try MotoServer.repositoryRoot(from: #filePath).path
        var environment = ProcessInfo.processInfo.environment
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        return try BuiltProduct.Running(executable: try BuiltProduct.locate("keyrotator-demo", override: "KEYROTATOR_DEMO"),
                                        arguments: ["--repository-root", root] + arguments, environment: environment)
    }

    @Test func aShortRunRejectsNothingAndWritesItsChart() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("keyrotator-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let demo = try Self.start(["--duration", "12", "--lag", "4", "--warmup", "1", "--verifier-ttl", "2", "--rate", "30", "--no-grace", "--json", "--output-dir", output.path])
        let result = try await demo.wait(timeout: .seconds(180))
        #expect(result.exitCode == 0, "\(result)")
        let summary = try result.json()
        #expect(summary["rotationCompleted"] as? Bool == true)
        let origins = try #require(summary["origins"] as? [[String: Any]])
        let ours = try #require(origins.first)
        #expect(ours["rejected"] as? Int == 0, "the KeyRotator origin rejected nothing")
        #expect((ours["requests"] as? Int ?? 0) > 150)
        #expect((ours["acceptedByFingerprint"] as? [String: Int])?.count == 2, "old and new values both flowed")
        #expect((origins.last?["rejected"] as? Int ?? 0) > 0, "the no-grace origin (built like amazon-api-gateway-secure-authorizer), beside it, rejected lagging edges")
        #expect(summary["previousFingerprint"] as? String != summary["currentFingerprint"] as? String)

        let chartPath = try #require(summary["chartPath"] as? String)
        let svg = try XMLDocument(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: chartPath))))
        #expect(svg.root.name == "svg")
        #expect(svg.root.elements.filter { $0.name == "polyline" }.count >= 3, "a line per fingerprint and one for rejections")
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("summary.json").path))
        #expect(!result.stdout.contains("HTTP_API_KEY\":\""), "no value in the output")
    }

    @Test func anInterruptStopsEverythingItStarted() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("keyrotator-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let demo = try Self.start(["--duration", "60", "--lag", "2", "--output-dir", output.path])
        try await demo.waitForOutput(containing: "traffic        starts", timeout: .seconds(120))
        let motoLine = try #require(demo.stdoutSoFar.split(separator: "\n").first { $0.contains("moto at http://127.0.0.1:") })
        let port = try #require(Int(motoLine.split(separator: ":").last?.split(separator: ",").first ?? ""))
        demo.signal(SIGINT)
        let result = try await demo.wait(timeout: .seconds(30))
        #expect(result.exitCode == 130, "\(result)")
        #expect(result.stderr.contains("interrupted"))
        // The emulator it started is gone: nothing listens on its port any more.
        try await Task.sleep(for: .milliseconds(500))
        #expect(!Self.isListening(port: port), "moto was stopped")
    }

    static func isListening(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
