import AWSCore
@testable import AWSServices
import Foundation
import Testing
import TestSupport

/// Secrets Manager through our client against moto with authentication on.
@Suite(.timeLimit(.minutes(5))) struct SecretsManagerIntegrationTests {
    @Test func stagesMoveAsTheRotationStepsMoveThem() async throws {
        let moto = try await MotoServer.shared()
        let sm = SecretsManagerClient(client: moto.client())
        let name = "it-sm-\(UUID().uuidString)"
        try await sm.createSecret(name: name, secretString: #"{"HTTP_API_KEY":"initial-value","other":"kept"}"#)

        let described = try await sm.describeSecret(secretId: name)
        let currentVersion = try #require(described.version(withStage: "AWSCURRENT"))
        #expect(described.name == name)

        let token = UUID().uuidString
        try await sm.putSecretValue(secretId: name, clientRequestToken: token, secretString: #"{"HTTP_API_KEY":"next"}"#, versionStages: ["AWSPENDING"])
        let pending = try await sm.getSecretValue(secretId: name, versionStage: "AWSPENDING")
        #expect(pending.versionId == token)
        #expect(pending.secretString == #"{"HTTP_API_KEY":"next"}"#)
        #expect(!pending.description.contains("next"), "a SecretValue never prints its value")

        try await sm.updateSecretVersionStage(secretId: name, versionStage: "AWSCURRENT", moveToVersionId: token, removeFromVersionId: currentVersion)
        let after = try await sm.describeSecret(secretId: name)
        #expect(after.version(withStage: "AWSCURRENT") == token)
        #expect(after.version(withStage: "AWSPREVIOUS") == currentVersion)

        let versions = try await sm.listSecretVersionIds(secretId: name).collect().flatMap { $0 }
        #expect(Set(versions.map(\.versionId)) == [token, currentVersion])
    }

    @Test func rotateSecretWithAnUnknownFunctionLeavesAPendingVersion() async throws {
        let moto = try await MotoServer.shared()
        let sm = SecretsManagerClient(client: moto.client())
        let name = "it-rotate-\(UUID().uuidString)"
        try await sm.createSecret(name: name, secretString: #"{"HTTP_API_KEY":"v1"}"#)
        let token = UUID().uuidString
        await #expect {
            try await sm.rotateSecret(secretId: name, clientRequestToken: token,
                                      rotationLambdaARN: "arn:aws:lambda:us-east-1:123456789012:function:not-deployed",
                                      rotationRules: RotationRules(automaticallyAfterDays: 30))
        } throws: { error in
            (error as? AWSError)?.code == "ResourceNotFoundException"
        }
        let described = try await sm.describeSecret(secretId: name)
        #expect(described.version(withStage: "AWSPENDING") == token)
        #expect(described.rotationEnabled == true)
    }

    @Test func aMissingSecretIsResourceNotFound() async throws {
        let moto = try await MotoServer.shared()
        await #expect {
            _ = try await SecretsManagerClient(client: moto.client()).getSecretValue(secretId: "it-missing-\(UUID().uuidString)")
        } throws: { error in
            let e = error as? AWSError
            return e?.code == "ResourceNotFoundException" && e?.operation == "GetSecretValue" && e?.service == "secretsmanager"
        }
    }

    @Test func aWrongSecretKeyIsRejectedByTheSignatureCheck() async throws {
        let moto = try await MotoServer.shared()
        let client = moto.client(secretAccessKey: "not-the-right-secret")
        await #expect {
            _ = try await SecretsManagerClient(client: client).describeSecret(secretId: "anything")
        } throws: { error in
            let e = error as? AWSError
            return e?.statusCode == 403 && e?.code == "SignatureDoesNotMatch"
        }
    }

    @Test func anActionOutsideThePolicyIsDenied() async throws {
        let moto = try await MotoServer.shared()
        // ListTables is not in the harness user's policy: moto must deny it.
        await #expect {
            _ = try await moto.client().jsonRaw(service: .dynamoDB, operation: "ListTables", input: [String: String]())
        } throws: { error in
            let e = error as? AWSError
            return e?.statusCode == 403 && e?.code == "AccessDenied"
        }
    }
}
