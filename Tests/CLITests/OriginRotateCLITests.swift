import AWSCore
import AWSServices
import Foundation
import KeyMaterial
import KeyRotation
import Testing
import TestSupport

@Suite("keyrotator origin rotate", .timeLimit(.minutes(5)))
struct OriginRotateCLITests {
    @Test("--run-steps-here runs the four steps, leaves the new value current everywhere, and a second rotation works")
    func rotateHere() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 2)
        let environment = try CLIProcess.motoEnvironment(moto)
        let arguments = ["origin", "rotate", "--secret-id", scenario.secretName, "--distribution-id", scenario.distributionIds.joined(separator: ","),
                         "--run-steps-here", "--poll-interval", "0.05", "--timeout", "60", "--verifier-cache-ttl", "0", "--verifier-wait-margin", "0"]

        let first = try await CLIProcess.run(arguments + ["--json"], environment: environment)
        #expect(first.exitCode == 0, "\(first)")
        let report = try first.json()
        #expect(report["outcome"] as? String == "rotated")
        #expect(report["mode"] as? String == "here")
        #expect(CLITestKit.array(report["phases"]).map { $0["name"] as? String } == ["createSecret", "setSecret", "testSecret", "finishSecret"])
        let token = try #require(report["token"] as? String)
        let newValue = try #require(try await CLITestKit.currentValue(client, scenario.secretName))
        #expect(fingerprint(newValue) != fingerprint(scenario.initialValue))
        #expect(report["currentFingerprint"] as? String == fingerprint(newValue))
        #expect(CLITestKit.array(report["distributions"]).map { $0["status"] as? String } == ["Deployed", "Deployed"])
        let description = try await SecretsManagerClient(client: client).describeSecret(secretId: scenario.secretName)
        #expect(description.versionIdsToStages?[token] == ["AWSCURRENT"], "AWSPENDING is removed from the finished version")
        let target = CloudFrontHeaderTarget(cloudFront: CloudFrontClient(client: client), distributionIds: scenario.distributionIds, headerName: scenario.headerName)
        let notSending = try await target.originsNotSending(newValue)
        #expect(notSending.isEmpty)
        let leaked = first.stdout.contains(newValue) || first.stderr.contains(newValue)
        #expect(!leaked)
        // Not a terminal: progress is plain lines on stderr, one per step.
        for step in RotationStep.allCases { #expect(first.stderr.contains("] \(step.rawValue)"), "\(first)") }
        #expect(!first.stderr.contains("\u{1B}["))

        let second = try await CLIProcess.run(arguments, environment: environment)
        #expect(second.exitCode == 0, "\(second)")
        let newest = try #require(try await CLITestKit.currentValue(client, scenario.secretName))
        #expect(fingerprint(newest) != fingerprint(newValue))
        #expect(second.stdout.contains("Rotated \(scenario.secretName)"))
        #expect(second.stdout.contains("Current   sha256:\(fingerprint(newest))"))
        let leakedAgain = second.stdout.contains(newest) || second.stderr.contains(newest)
        #expect(!leakedAgain)
    }

    @Test("follows a rotation run by the rotation function until its version is AWSCURRENT")
    func followsTheFunction() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        try await CLITestKit.deploy(client, scenario)
        // Secrets Manager has started the rotation and invoked createSecret.
        let token = try await scenario.startRotation(client)
        let rotator = try CLITestKit.rotator(client, scenario)
        try await CLITestKit.run(rotator, .createSecret, scenario, token: token)

        let cli = try CLIProcess.start(["origin", "rotate", "--secret-id", scenario.secretName, "--distribution-id", scenario.distributionIds[0],
                                        "--poll-interval", "0.1", "--timeout", "60", "--json"], environment: try CLIProcess.motoEnvironment(moto))
        try await cli.waitForOutput(containing: "setSecret: waiting for origins to send", onStderr: true)
        try await CLITestKit.run(rotator, .setSecret, scenario, token: token)
        try await CLITestKit.run(rotator, .testSecret, scenario, token: token)
        try await CLITestKit.run(rotator, .finishSecret, scenario, token: token)
        let result = try await cli.wait()

        #expect(result.exitCode == 0, "\(result)")
        let report = try result.json()
        #expect(report["mode"] as? String == "service")
        #expect(report["token"] as? String == token)
        #expect(report["outcome"] as? String == "rotated")
        let newValue = try #require(try await CLITestKit.currentValue(client, scenario.secretName))
        #expect(report["currentFingerprint"] as? String == fingerprint(newValue))
        #expect(result.stderr.contains("a rotation is already under way (version \(token))"))
    }

    @Test("a rotation that does not finish in --timeout exits 1 and says where it stopped")
    func followTimesOut() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        let token = try await scenario.startRotation(client)
        let result = try await CLIProcess.run(["origin", "rotate", "--secret-id", scenario.secretName, "--poll-interval", "0.2", "--timeout", "1"],
                                              environment: try CLIProcess.motoEnvironment(moto))
        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stdout.contains("did NOT finish"))
        #expect(result.stdout.contains("Version \(token) is still AWSPENDING"))
        #expect(result.stderr.contains("createSecret: waiting for the function to store the pending value"))
    }

    @Test("without a rotation function it says to configure one or use --run-steps-here (exit 3)")
    func noRotationFunction() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        let result = try await CLIProcess.run(["origin", "rotate", "--secret-id", scenario.secretName], environment: try CLIProcess.motoEnvironment(moto))
        #expect(result.exitCode == 3, "\(result)")
        #expect(result.stderr == "keyrotator: error: secret \(scenario.secretName) has no rotation function: configure rotation on the secret (RotationLambdaARN), or run the steps here with --run-steps-here.\n")
    }

    @Test("--run-steps-here without distributions is a usage error (exit 2)")
    func runHereNeedsDistributions() async throws {
        var environment = try CLIProcess.motoEnvironment(try await MotoServer.shared())
        environment.removeValue(forKey: "CLOUDFRONT_DISTRIBUTION_ID")
        let result = try await CLIProcess.run(["origin", "rotate", "--secret-id", "any", "--run-steps-here"], environment: environment)
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.stderr.contains("--run-steps-here needs --distribution-id (or CLOUDFRONT_DISTRIBUTION_ID)"))
    }
}
