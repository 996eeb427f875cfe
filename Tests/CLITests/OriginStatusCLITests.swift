import AWSCore
import AWSServices
import Foundation
import KeyMaterial
import KeyRotation
import Testing
import TestSupport

@Suite("keyrotator origin status", .timeLimit(.minutes(5)))
struct OriginStatusCLITests {
    @Test("shows versions, stages and what each origin sends, with fingerprints only; exit 0 without drift")
    func statusWithoutDrift() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 2)
        try await CLITestKit.deploy(client, scenario)
        var environment = try CLIProcess.motoEnvironment(moto)
        environment["CLOUDFRONT_DISTRIBUTION_ID"] = scenario.distributionIds.joined(separator: ",")

        let text = try await CLIProcess.run(["origin", "status", "--secret-id", scenario.secretName], environment: environment)
        #expect(text.exitCode == 0, "\(text)")
        let current = "sha256:\(fingerprint(scenario.initialValue))"
        #expect(text.stdout.contains("AWSCURRENT"))
        #expect(text.stdout.contains("Drift: none"))
        for id in scenario.distributionIds { #expect(text.stdout.contains(id)) }
        #expect(text.stdout.components(separatedBy: "current \(current)").count - 1 == 4, "every origin of both distributions sends the current value:\n\(text)")
        let leaked = text.stdout.contains(scenario.initialValue) || text.stderr.contains(scenario.initialValue)
        #expect(!leaked)

        let json = try await CLIProcess.run(["origin", "status", "--secret-id", scenario.secretName, "--json"], environment: environment)
        #expect(json.exitCode == 0, "\(json)")
        let report = try json.json()
        #expect(report["ok"] as? Bool == true)
        #expect(CLITestKit.array(report["drift"]).isEmpty)
        #expect((report["secret"] as? [String: Any])?["name"] as? String == scenario.secretName)
        let versions = CLITestKit.array(report["versions"])
        #expect(versions.count == 1)
        #expect(versions.first?["stages"] as? [String] == ["AWSCURRENT"])
        #expect(versions.first?["fingerprint"] as? String == fingerprint(scenario.initialValue))
        #expect(versions.first?["created"] is String)
        let distributions = CLITestKit.array(report["distributions"])
        #expect(distributions.map { $0["id"] as? String } == scenario.distributionIds)
        #expect(distributions.allSatisfy { $0["status"] as? String == "Deployed" })
        let origins = distributions.flatMap { CLITestKit.array($0["origins"]) }
        #expect(origins.count == 4)
        #expect(origins.allSatisfy { $0["sends"] as? String == "current" && $0["fingerprint"] as? String == fingerprint(scenario.initialValue) })
        let leakedInJSON = json.stdout.contains(scenario.initialValue)
        #expect(!leakedInJSON)
    }

    @Test("a distribution edited behind its back is drift: named in the output, exit 1")
    func driftFromAnEditedDistribution() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 2)
        let edited = scenario.distributionIds[1]
        let originId = try await CLITestKit.editHeader(client, distributionId: edited, headerName: scenario.headerName, to: "someone-pasted-this-value-by-hand")
        let environment = try CLIProcess.motoEnvironment(moto)
        let arguments = ["origin", "status", "--secret-id", scenario.secretName, "--distribution-id", scenario.distributionIds.joined(separator: ",")]

        let text = try await CLIProcess.run(arguments, environment: environment)
        #expect(text.exitCode == 1, "\(text)")
        #expect(text.stdout.contains("DRIFT (1)"))
        #expect(text.stdout.contains("distribution \(edited) origin \(originId) sends a value that is neither AWSCURRENT nor AWSPENDING (sha256:\(fingerprint("someone-pasted-this-value-by-hand")))"), "\(text)")
        #expect(!text.stdout.contains("someone-pasted-this-value-by-hand"))

        let json = try await CLIProcess.run(arguments + ["--json"], environment: environment)
        #expect(json.exitCode == 1, "\(json)")
        let report = try json.json()
        #expect(report["ok"] as? Bool == false)
        let drift = CLITestKit.array(report["drift"])
        #expect(drift.count == 1)
        #expect(drift.first?["kind"] as? String == "unexpectedValue")
        #expect(drift.first?["distributionId"] as? String == edited)
        #expect(drift.first?["originId"] as? String == originId)
    }

    @Test("a distribution none of whose origins sends the header is drift")
    func driftFromAMissingHeader() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1, headerOnOrigins: false)
        let result = try await CLIProcess.run(["origin", "status", "--secret-id", scenario.secretName, "--distribution-id", scenario.distributionIds[0], "--json"],
                                              environment: try CLIProcess.motoEnvironment(moto))
        #expect(result.exitCode == 1, "\(result)")
        let drift = CLITestKit.array(try result.json()["drift"])
        #expect(drift.map { $0["kind"] as? String } == ["headerMissing"])
        #expect((drift.first?["message"] as? String)?.contains("no origin sends the header x-origin-verify") == true)
    }

    @Test("during a rotation the pending version is listed and origins sending it are not drift")
    func statusDuringARotation() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        let token = try await scenario.startRotation(client)
        let rotator = try CLITestKit.rotator(client, scenario)
        try await CLITestKit.run(rotator, .createSecret, scenario, token: token)
        try await CLITestKit.run(rotator, .setSecret, scenario, token: token)

        let result = try await CLIProcess.run(["origin", "status", "--secret-id", scenario.secretName, "--distribution-id", scenario.distributionIds[0], "--json"],
                                              environment: try CLIProcess.motoEnvironment(moto))
        #expect(result.exitCode == 0, "\(result)")
        let report = try result.json()
        let versions = CLITestKit.array(report["versions"])
        #expect(versions.map { $0["stages"] as? [String] ?? [] } == [["AWSCURRENT"], ["AWSPENDING"]])
        #expect(versions.last?["versionId"] as? String == token)
        let pending = try #require(versions.last?["fingerprint"] as? String)
        let origins = CLITestKit.array(report["distributions"]).flatMap { CLITestKit.array($0["origins"]) }
        #expect(!origins.isEmpty && origins.allSatisfy { $0["sends"] as? String == "pending" && $0["fingerprint"] as? String == pending })
        #expect((report["secret"] as? [String: Any])?["rotationEnabled"] as? Bool == true)
        #expect((report["secret"] as? [String: Any])?["nextRotation"] is String)
    }
}
