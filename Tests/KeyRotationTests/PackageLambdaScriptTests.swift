import Foundation
import LocalEmulator
import Testing
import TestSupport

/// scripts/package-lambda.sh without its release build (that runs once, in scripts/test.sh): it
/// refuses an architecture it cannot build, plainly and before building anything, and it prints
/// the `sam deploy` command and how the template's CodeUri finds the zip.
@Suite(.timeLimit(.minutes(10))) struct PackageLambdaScriptTests {
    static func script(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> BuiltProduct.Result {
        let root = try MotoEmulator.repositoryRoot(from: #filePath)
        var environment = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
        environment.merge(extra) { $1 }
        return try await BuiltProduct.Running(executable: "/bin/bash", arguments: [root.appendingPathComponent("scripts/package-lambda.sh").path] + arguments,
                                              environment: environment).wait(timeout: .seconds(60))
    }

    static var hostIsX86: Bool {
        #if arch(x86_64)
        true
        #else
        false
        #endif
    }

    @Test(.enabled(if: PackageLambdaScriptTests.hostIsX86), arguments: [(["--arch", "arm64"], [:]), (["--arch=aarch64"], [:]), ([], ["ARCH": "arm64"])] as [([String], [String: String])])
    func arm64IsRefusedPlainlyBeforeAnyBuild(arguments: [String], environment: [String: String]) async throws {
        let started = ContinuousClock.now
        let result = try await Self.script(arguments, environment: environment)
        #expect(result.exitCode == 3, "\(result)")
        #expect(result.stderr.contains("cannot build arm64 on this machine"), "\(result)")
        #expect(result.stderr.contains("no Swift SDK for arm64"), "\(result)")
        #expect(result.stderr.contains("Nothing was built"), "\(result)")
        #expect(!result.stdout.contains("sam deploy"), "no deploy command for a zip that was not built")
        #expect(ContinuousClock.now - started < .seconds(30), "refused before swift build starts")
    }

    @Test func anUnknownArchitectureOrArgumentIsAUsageError() async throws {
        let arch = try await Self.script(["--arch", "sparc"])
        #expect(arch.exitCode == 2 && arch.stderr.contains("unknown architecture 'sparc'"), "\(arch)")
        let argument = try await Self.script(["--fast"])
        #expect(argument.exitCode == 2 && argument.stderr.contains("unknown argument '--fast'"), "\(argument)")
    }

    @Test func itPrintsTheDeployCommandAndWhereCodeUriFindsTheZip() async throws {
        let root = try MotoEmulator.repositoryRoot(from: #filePath)
        let result = try await Self.script(["--print-deploy-command"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("sam deploy --guided --template-file deploy/template.yaml --capabilities CAPABILITY_IAM"), "\(result)")
        #expect(result.stdout.contains("CodeUri: ../out/lambda/bootstrap.zip"), "\(result)")
        #expect(result.stdout.contains(root.appendingPathComponent("out/lambda/bootstrap.zip").path), "\(result)")
        #expect(result.stderr.isEmpty, "the default output is the zip CodeUri names: \(result)")

        // The path the script names is the one the template's CodeUri resolves to, from deploy/.
        let template = try String(contentsOf: root.appendingPathComponent("deploy/template.yaml"), encoding: .utf8)
        let codeURI = try #require(template.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("CodeUri:") })
        let relative = codeURI.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
        #expect(root.appendingPathComponent("deploy").appendingPathComponent(relative).standardizedFileURL.path
                == root.appendingPathComponent("out/lambda/bootstrap.zip").path)

        let elsewhere = try await Self.script(["--print-deploy-command"], environment: ["KEYROTATOR_OUT": "/tmp/keyrotator-elsewhere"])
        #expect(elsewhere.exitCode == 0)
        #expect(elsewhere.stderr.contains("not the one CodeUri names"), "a zip elsewhere is called out: \(elsewhere)")
    }
}
