import AWSCore
import AWSServices
import Foundation
import InMemoryLogging
import Logging
import OriginVerifier
import TestSupport

/// A fresh secret in moto, rotated the way Secrets Manager and the rotator move its labels, with a
/// verifier on it whose Secrets Manager calls go through a `FaultProxy` (to count and fail them).
struct SecretFixture {
    let moto: MotoServer
    let proxy: FaultProxy
    let name: String
    /// Talks to moto directly, to set the secret up without touching the proxy's counters.
    let admin: SecretsManagerClient
    let clock: ManualClock
    let logs = InMemoryLogHandler()

    static func make(initial: String? = randomValue(), secretString: String? = nil) async throws -> SecretFixture {
        let moto = try await MotoServer.shared()
        let proxy = try await FaultProxy.start(upstream: moto)
        let name = "ov-\(UUID().uuidString)"
        let admin = SecretsManagerClient(client: moto.client())
        try await admin.createSecret(name: name, secretString: secretString ?? json(initial ?? ""))
        return SecretFixture(moto: moto, proxy: proxy, name: name, admin: admin, clock: ManualClock())
    }

    /// Makes a fixture as ``make(initial:secretString:)`` does, runs `body`, and awaits the
    /// fixture's shutdown whatever happens.
    static func with<T: Sendable>(initial: String? = randomValue(), secretString: String? = nil, _ body: (SecretFixture) async throws -> T) async throws -> T {
        try await withCleanup(try await make(initial: initial, secretString: secretString), body) { try await $0.shutdown() }
    }

    static func randomValue() -> String {
        (0..<32).map { _ in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".randomElement().map(String.init) ?? "x" }.joined()
    }

    static func json(_ value: String, key: String = "HTTP_API_KEY") -> String {
        #"{"\#(key)":"\#(value)","other":"kept"}"#
    }

    func verifier(clientTimeout: Duration = .seconds(5), _ configure: (inout OriginVerifier.Configuration) -> Void = { _ in }) -> OriginVerifier {
        // A generous refresh bound: these tests are about caching, and a busy machine slows moto down.
        var configuration = OriginVerifier.Configuration(secretId: name, refreshTimeout: .seconds(30))
        configure(&configuration)
        let client = moto.client(endpoint: proxy.endpoint, maxAttempts: 1, timeout: clientTimeout)
        return OriginVerifier(configuration: configuration, secretsManager: SecretsManagerClient(client: client),
                              clock: clock.verifierClock, logger: logs.logger())
    }

    var describeCalls: Int { proxy.count(.target("DescribeSecret")) }
    var valueCalls: Int { proxy.count(.target("GetSecretValue")) }

    /// The state before `createSecret`: `RotateSecret` with a function moto does not know leaves an
    /// `AWSPENDING` version without a value. Returns its token.
    func startRotation() async throws -> String {
        let token = UUID().uuidString
        do {
            try await admin.rotateSecret(secretId: name, clientRequestToken: token,
                                         rotationLambdaARN: "arn:aws:lambda:us-east-1:123456789012:function:not-deployed",
                                         rotationRules: RotationRules(automaticallyAfterDays: 30))
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {}
        return token
    }

    /// `createSecret`: stores `value` as `AWSPENDING` under `token`.
    func putPending(_ value: String, token: String = UUID().uuidString) async throws -> String {
        try await admin.putSecretValue(secretId: name, clientRequestToken: token, secretString: Self.json(value), versionStages: ["AWSPENDING"])
        return token
    }

    /// `finishSecret`: moves `AWSCURRENT` to `token` (the old current becomes `AWSPREVIOUS`). With
    /// `removePending`, removes `AWSPENDING` too, as the real service does; moto leaves it on the new current.
    func finish(token: String, removePending: Bool = false) async throws {
        let described = try await admin.describeSecret(secretId: name)
        let current = described.version(withStage: "AWSCURRENT")
        try await admin.updateSecretVersionStage(secretId: name, versionStage: "AWSCURRENT", moveToVersionId: token, removeFromVersionId: current)
        if removePending {
            try await admin.updateSecretVersionStage(secretId: name, versionStage: "AWSPENDING", removeFromVersionId: token)
        }
    }

    /// A whole rotation to `value`: the old current becomes `AWSPREVIOUS`.
    func rotate(to value: String) async throws {
        let token = try await putPending(value)
        try await finish(token: token, removePending: true)
    }

    func shutdown() async throws {
        try await proxy.shutdown()
    }
}
