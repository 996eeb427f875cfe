import AWSCore
import Foundation
import KeyMaterial
import KeyRotation
import Testing
import TestSupport

@Suite("keyrotator origin probe", .timeLimit(.minutes(5)))
struct OriginProbeCLITests {
    @Test("an origin that accepts the current value and rejects a wrong one passes (exit 0)")
    func healthyOrigin() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        try await TestOrigin.with(accepting: [scenario.initialValue]) { origin in
            let environment = try CLIProcess.motoEnvironment(moto)

            let text = try await CLIProcess.run(["origin", "probe", "--origin-url", origin.endpoint, "--secret-id", scenario.secretName], environment: environment)
            #expect(text.exitCode == 0, "\(text)")
            #expect(text.stdout.contains("Origin OK"))
            let leaked = text.stdout.contains(scenario.initialValue)
            #expect(!leaked)

            let json = try await CLIProcess.run(["origin", "probe", "--origin-url", origin.endpoint, "--secret-id", scenario.secretName, "--json"], environment: environment)
            #expect(json.exitCode == 0, "\(json)")
            let checks = CLITestKit.array(try json.json()["checks"])
            #expect(checks.map { $0["value"] as? String } == ["current", "wrong"])
            #expect(checks.map { $0["outcome"] as? String } == ["accepted", "rejected"])
            #expect(checks.first?["fingerprint"] as? String == fingerprint(scenario.initialValue))
            #expect(checks.allSatisfy { $0["ok"] as? Bool == true })
            #expect(origin.requests.count == 4)
        }
    }

    @Test("an HTTPS origin with a private CA is probed once --origin-ca-file trusts that CA")
    func httpsOriginWithPrivateCA() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        let ca = try await TestCertificateAuthority.make()
        defer { ca.remove() }
        try await TestOrigin.with(accepting: [scenario.initialValue], tls: ca.server) { origin in
            let environment = try CLIProcess.motoEnvironment(moto)
            let arguments = ["origin", "probe", "--origin-url", origin.endpoint, "--secret-id", scenario.secretName, "--json"]

            let untrusted = try await CLIProcess.run(arguments, environment: environment)
            #expect(untrusted.exitCode == 1, "without the CA the probe cannot judge the origin: \(untrusted)")
            let trusted = try await CLIProcess.run(arguments + ["--origin-ca-file", ca.caCertificatePath], environment: environment)
            #expect(trusted.exitCode == 0, "\(trusted)")
            #expect(CLITestKit.array(try trusted.json()["checks"]).map { $0["outcome"] as? String } == ["accepted", "rejected"])
        }
    }

    @Test("an origin that rejects the pending value fails (exit 1), naming the pending check")
    func originRejectsPending() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        let token = try await scenario.startRotation(client)
        try await CLITestKit.run(try CLITestKit.rotator(client, scenario), .createSecret, scenario, token: token)
        try await TestOrigin.with(accepting: [scenario.initialValue]) { origin in
            let result = try await CLIProcess.run(["origin", "probe", "--origin-url", origin.endpoint, "--secret-id", scenario.secretName, "--json"],
                                                  environment: try CLIProcess.motoEnvironment(moto))
            #expect(result.exitCode == 1, "\(result)")
            let report = try result.json()
            #expect(report["ok"] as? Bool == false)
            let checks = CLITestKit.array(report["checks"])
            #expect(checks.map { $0["value"] as? String } == ["current", "pending", "wrong"])
            #expect(checks.map { $0["ok"] as? Bool } == [true, false, true])
            #expect(checks[1]["httpStatus"] as? Int == 403)
        }
    }

    @Test("an origin that lets a wrong value in fails (exit 1)")
    func originAcceptsAnything() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        try await TestOrigin.with(accepting: [], acceptEverything: true) { origin in
            let result = try await CLIProcess.run(["origin", "probe", "--origin-url", origin.endpoint, "--secret-id", scenario.secretName],
                                                  environment: try CLIProcess.motoEnvironment(moto))
            #expect(result.exitCode == 1, "\(result)")
            #expect(result.stdout.contains("Origin FAILED"))
            #expect(result.stdout.contains("wrong"))
        }
    }

    @Test("an origin that redirects fails every check, naming the status and the host, and nothing reaches that host (exit 1)")
    func redirectingOrigin() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        try await RedirectingOrigin.with { servers in
            let result = try await CLIProcess.run(["origin", "probe", "--origin-url", servers.endpoint, "--secret-id", scenario.secretName, "--json"],
                                                  environment: try CLIProcess.motoEnvironment(moto))
            #expect(result.exitCode == 1, "\(result)")
            let checks = CLITestKit.array(try result.json()["checks"])
            #expect(checks.map { $0["ok"] as? Bool } == [false, false])
            #expect(checks.allSatisfy { ($0["message"] as? String)?.contains("HTTP 302, a redirect to host \(servers.elsewhereHost)") == true }, "\(checks)")
            // A count, never the requests: they would hold the header's value.
            let followed = servers.elsewhere.requests.count
            #expect(followed == 0, "the redirect was not followed")
            let leaked = result.stdout.contains(scenario.initialValue) || result.stderr.contains(scenario.initialValue)
            #expect(!leaked)
        }
    }
}
