import AWSCore
import AWSServices
import Foundation
import KeyMaterial
import LocalEmulator
import Logging
import OriginVerifier
import TrafficSimulation

/// Everything the demo sets up before traffic starts: the emulator, a secret, the origin guarded by
/// the verifier behind the authorizer result cache stand-in (and, with `--no-grace`, one built like
/// amazon-api-gateway-secure-authorizer), a distribution whose origin sends the secret, and edges.
struct DemoStage {
    let moto: MotoEmulator
    let client: AWSClient
    let secretName: String
    let headerName: String
    let initialValue: String
    let verifierTTL: Duration
    let origin: GuardedOrigin
    /// An origin that accepts only AWSCURRENT and AWSPENDING, read on every request (`--no-grace`).
    let noGraceOrigin: GuardedOrigin?
    let distributionId: String
    let fleet: EdgeFleet

    static func build(_ options: DemoCommand, resources: DemoResources, logger: Logger, say: (String) -> Void) async throws -> DemoStage {
        let root = URL(fileURLWithPath: options.repositoryRoot).standardizedFileURL
        let moto = try await MotoEmulator.launch(repositoryRoot: root)
        await resources.add { await moto.stop() }
        say("  emulator   moto at \(moto.endpoint), IAM authentication on")

        let client = AWSClient(region: moto.region,
                               credentialProvider: StaticCredentialProvider(AWSCredentials(accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey)),
                               environment: AWSEnvironment(variables: ["AWS_ENDPOINT_URL": moto.endpoint], homeDirectory: "/nonexistent"),
                               userAgent: "keyrotator-demo/1", logger: logger)
        let secretsManager = SecretsManagerClient(client: client)
        let headerName = "x-origin-verify"
        let secretName = "keyrotator-demo-\(UInt32.random(in: 0...UInt32.max))"
        let initial = SecretGenerator().generate(length: 32)
        var document = SecretDocument()
        document.setValue(initial, forKey: "HTTP_API_KEY")
        try await secretsManager.createSecret(name: secretName, secretString: document.secretString)
        say("  secret     \(secretName), AWSCURRENT sha256:\(fingerprint(initial))")

        let verifierTTL = Duration.milliseconds(Int(options.verifierTTL * 1000))
        let verifier = OriginVerifier(configuration: .init(secretId: secretName, cacheTTL: verifierTTL, earlyRefreshInterval: .seconds(1)),
                                      secretsManager: secretsManager, logger: logger)
        let gateway = AuthorizerResultCache(ttl: .milliseconds(Int(options.gatewayTTL * 1000)))
        let origin = try await GuardedOrigin.start(verifier: verifier, resultCache: gateway, logger: logger)
        await resources.add { await origin.stop() }
        say("  origin     \(origin.url), guarded by the KeyRotator verifier (key ring cached \(format1(options.verifierTTL))s, AWSPREVIOUS accepted for 30 min)")
        say("             behind a stand-in for API Gateway's authorizer result cache (Allow and Deny kept \(format1(options.gatewayTTL))s per header value)")
        var noGraceOrigin: GuardedOrigin?
        if options.noGrace {
            let noGrace = OriginVerifier(configuration: .init(secretId: secretName, cacheTTL: .zero, previousGracePeriod: .zero, earlyRefreshInterval: .zero),
                                         secretsManager: secretsManager, logger: logger)
            let started = try await GuardedOrigin.start(verifier: noGrace, logger: logger)
            await resources.add { await started.stop() }
            noGraceOrigin = started
            say("  no grace   \(started.url), built like amazon-api-gateway-secure-authorizer: accepts only AWSCURRENT and AWSPENDING, read on every request")
        }

        let cloudFront = CloudFrontClient(client: client)
        let distributionId = try await cloudFront.createDistribution(config: DistributionConfig(xml: Array(
            DemoDistribution.config(callerReference: secretName, originPort: origin.port, headerName: headerName, value: initial).utf8))).id
        say("  cloudfront distribution \(distributionId): its origin sends \(headerName) = sha256:\(fingerprint(initial))")
        let fleet = EdgeFleet(cloudFront: cloudFront, distributionId: distributionId, headerName: headerName,
                              edgeCount: options.edges, maxLag: .milliseconds(Int(options.lag * 1000)))
        try await fleet.refresh()
        say("  edges      \(options.edges), each keeps sending the previous value for up to \(format1(options.lag))s after a change")
        say("  traffic    \(options.rate) requests/s through the edges\(noGraceOrigin == nil ? "" : " to each origin")")
        say("")
        return DemoStage(moto: moto, client: client, secretName: secretName, headerName: headerName, initialValue: initial, verifierTTL: verifierTTL,
                         origin: origin, noGraceOrigin: noGraceOrigin, distributionId: distributionId, fleet: fleet)
    }
}
