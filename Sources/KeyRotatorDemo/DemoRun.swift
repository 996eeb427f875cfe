import AWSCore
import AWSServices
import Dispatch
import Foundation
import KeyMaterial
import KeyRotation
import KeyRotationLive
import LocalEmulator
import Logging
import OriginVerifier
import TrafficSimulation

/// One demo run: set-up, traffic, the rotation, the summary; and clean-up on every path,
/// interrupts included.
struct DemoRun {
    let options: DemoCommand

    /// Runs the demo; on SIGINT/SIGTERM stops everything it started. Returns the exit status.
    func runUntilDoneOrInterrupted() async -> Int32 {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let resources = DemoResources()
        let work = Task { try await run(resources) }
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { work.cancel() }
            source.resume()
            return source
        }
        let result = await work.result
        sources.forEach { $0.cancel() }
        await resources.release()
        switch result {
        case let .success(summary):
            return summary.rejected == 0 && summary.rotationCompleted ? 0 : 1
        case let .failure(error):
            if error is CancellationError || work.isCancelled {
                FileHandle.standardError.write(Data("keyrotator-demo: interrupted; everything it started has been stopped.\n".utf8))
                return 130
            }
            FileHandle.standardError.write(Data("keyrotator-demo: \(error)\n".utf8))
            return 3
        }
    }

    private func run(_ resources: DemoResources) async throws -> DemoSummary {
        let logger = {
            var logger = Logger(label: "keyrotator-demo")
            logger.logLevel = .error
            return logger
        }()
        let quiet = options.json
        func say(_ line: String) { if !quiet { print(line) } }

        say("KeyRotator demo: rotating a CloudFront origin secret under live traffic")
        let root = URL(fileURLWithPath: options.repositoryRoot).standardizedFileURL
        let moto = try await MotoEmulator.launch(repositoryRoot: root)
        await resources.add { await moto.stop() }
        say("  emulator   moto at \(moto.endpoint), IAM authentication on")

        let client = AWSClient(region: moto.region,
                               credentialProvider: StaticCredentialProvider(AWSCredentials(accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey)),
                               environment: AWSEnvironment(variables: ["AWS_ENDPOINT_URL": moto.endpoint], homeDirectory: "/nonexistent"),
                               userAgent: "keyrotator-demo/1", logger: logger)
        let secretsManager = SecretsManagerClient(client: client)
        let cloudFront = CloudFrontClient(client: client)
        let headerName = "x-origin-verify"
        let secretName = "keyrotator-demo-\(UInt32.random(in: 0...UInt32.max))"
        let initial = SecretGenerator().generate(length: 32)
        try await secretsManager.createSecret(name: secretName, secretString: #"{"HTTP_API_KEY":"\#(initial)"}"#)
        say("  secret     \(secretName), AWSCURRENT sha256:\(fingerprint(initial))")

        let verifierTTL = Duration.milliseconds(Int(options.verifierTTL * 1000))
        let verifier = OriginVerifier(configuration: .init(secretId: secretName, cacheTTL: verifierTTL, earlyRefreshInterval: .seconds(1)),
                                      secretsManager: secretsManager, logger: logger)
        let gateway = AuthorizerResultCache(ttl: .milliseconds(Int(options.gatewayTTL * 1000)))
        let origin = try await GuardedOrigin.start(verifier: verifier, resultCache: gateway, logger: logger)
        await resources.add { await origin.stop() }
        say("  origin     \(origin.url), guarded by the KeyRotator verifier (key ring cached \(format1(options.verifierTTL))s, AWSPREVIOUS accepted for 30 min)")
        say("             behind a stand-in for API Gateway's authorizer result cache (Allow and Deny kept \(format1(options.gatewayTTL))s per header value)")
        var seedOrigin: GuardedOrigin? = nil
        if options.noGrace {
            let seedVerifier = OriginVerifier(configuration: .init(secretId: secretName, cacheTTL: .zero, previousGracePeriod: .zero, earlyRefreshInterval: .zero),
                                              secretsManager: secretsManager, logger: logger)
            let started = try await GuardedOrigin.start(verifier: seedVerifier, logger: logger)
            await resources.add { await started.stop() }
            seedOrigin = started
            say("  seed-000   \(started.url), accepts only AWSCURRENT and AWSPENDING, read on every request")
        }

        let distributionId = try await cloudFront.createDistribution(config: DistributionConfig(xml: Array(
            DemoDistribution.config(callerReference: secretName, originPort: origin.port, headerName: headerName, value: initial).utf8))).id
        say("  cloudfront distribution \(distributionId): its origin sends \(headerName) = sha256:\(fingerprint(initial))")
        let fleet = EdgeFleet(cloudFront: cloudFront, distributionId: distributionId, headerName: headerName,
                              edgeCount: options.edges, maxLag: .milliseconds(Int(options.lag * 1000)))
        try await fleet.refresh()
        say("  edges      \(options.edges), each keeps sending the previous value for up to \(format1(options.lag))s after a change")
        say("  traffic    \(options.rate) requests/s through the edges\(seedOrigin == nil ? "" : " to each origin")")
        say("")

        let start = ContinuousClock.now
        let timeline = DemoTimeline(start: start, quiet: quiet)
        let traffic = TrafficGenerator(originURL: origin.url, fleet: fleet, requestsPerSecond: options.rate)
        let seedTraffic = seedOrigin.map { TrafficGenerator(originURL: $0.url, fleet: fleet, requestsPerSecond: options.rate) }
        let background = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await fleet.watch(every: .milliseconds(100), logger: logger) }
                group.addTask { await traffic.run(startedAt: start) }
                if let seedTraffic { group.addTask { await seedTraffic.run(startedAt: start) } }
                group.addTask { await DemoMonitor(fleet: fleet, traffic: traffic, seedTraffic: seedTraffic, timeline: timeline).run() }
            }
        }
        await resources.add { background.cancel(); await background.value }
        timeline.record("traffic", "starts through \(options.edges) edges")
        try await Task.sleep(for: .milliseconds(Int(options.warmup * 1000)))

        var summaryError: String? = nil
        var rotationSeconds: Double? = nil
        var newValue: String? = nil
        do {
            let rotationStart = ContinuousClock.now
            newValue = try await rotate(secretName: secretName, distributionId: distributionId, originURL: origin.url, headerName: headerName,
                                        verifierTTL: verifierTTL, client: client, timeline: timeline, logger: logger)
            let took = ContinuousClock.now - rotationStart
            rotationSeconds = took / .seconds(1)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            summaryError = "\(error)"
            timeline.record("rotation", "FAILED: \(error)")
        }

        let remaining = options.duration - Double(timeline.elapsedMilliseconds) / 1000
        if remaining > 0 { try await Task.sleep(for: .milliseconds(Int(remaining * 1000))) }
        background.cancel()
        await background.value
        timeline.record("traffic", "stops")

        var origins = [DemoSummary.result(name: "KeyRotator verifier", samples: traffic.results)]
        if let seedTraffic { origins.append(DemoSummary.result(name: "seed-000 design", samples: seedTraffic.results)) }
        var summary = DemoSummary(rotationCompleted: summaryError == nil, rotationSeconds: rotationSeconds,
                                  previousFingerprint: fingerprint(initial), currentFingerprint: newValue.map(fingerprint),
                                  edges: options.edges, maxLagSeconds: options.lag, requestsPerSecond: options.rate,
                                  origins: origins, chartPath: nil, error: summaryError)
        summary.chartPath = try writeOutputs(&summary, traffic: traffic, seedTraffic: seedTraffic, timeline: timeline)
        if quiet {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print("")
            print(summary.table())
        }
        return summary
    }

    /// The rotation, step by step, with the code the Lambda runs. The pending version is staged the
    /// way Secrets Manager stages it before it invokes the function.
    private func rotate(secretName: String, distributionId: String, originURL: String, headerName: String, verifierTTL: Duration,
                        client: AWSClient, timeline: DemoTimeline, logger: Logger) async throws -> String {
        let secretsManager = SecretsManagerClient(client: client)
        let token = UUID().uuidString
        do {
            // Against the emulator: a rotation schedule and a function ARN it cannot invoke leave the
            // token's version staged AWSPENDING, exactly what the real service does first.
            try await secretsManager.rotateSecret(secretId: secretName, clientRequestToken: token,
                                                  rotationLambdaARN: "arn:aws:lambda:us-east-1:123456789012:function:keyrotator-demo",
                                                  rotationRules: RotationRules(automaticallyAfterDays: 30))
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {}
        timeline.record("rotateSecret", "AWSPENDING staged for token \(token.prefix(8))…")

        let configuration = CloudFrontRotationConfiguration(distributionIds: [distributionId], headerName: headerName, originURL: originURL,
                                                            deployPollInterval: .milliseconds(200), verifierCacheTTL: verifierTTL,
                                                            verifierWaitMargin: .seconds(1))
        let rotator = CloudFrontRotator(configuration: configuration, client: client)
        for step in RotationStep.allCases {
            if step == .setSecret {
                timeline.record("setSecret", "waits until every verifier can know the new value (key ring TTL \(format1(options.verifierTTL))s + 1s)")
            }
            try await rotator.run(RotationEvent(step: step, secretId: secretName, clientRequestToken: token), deadline: .now + .seconds(60), logger: logger)
            let pendingFingerprint = try await secretsManager.keyValue("HTTP_API_KEY", secretId: secretName, versionId: token).map(fingerprint) ?? "?"
            switch step {
            case .createSecret: timeline.record("createSecret", "new value staged AWSPENDING: sha256:\(pendingFingerprint)", marker: true)
            case .setSecret: timeline.record("setSecret", "distribution \(distributionId) sends sha256:\(pendingFingerprint); edges follow as they catch up", marker: true)
            case .testSecret: timeline.record("testSecret", "origin accepts pending and current, rejects a wrong value", marker: true)
            case .finishSecret: timeline.record("finishSecret", "Deployed; AWSCURRENT -> sha256:\(pendingFingerprint), the old value is AWSPREVIOUS", marker: true)
            }
        }
        // The service removes AWSPENDING from the finished version; the emulator leaves it.
        try? await secretsManager.updateSecretVersionStage(secretId: secretName, versionStage: .pending, removeFromVersionId: token)
        guard let value = try await secretsManager.keyValue("HTTP_API_KEY", secretId: secretName, stage: .current) else {
            throw RotationError(.invalidSecret, "the rotated secret has no HTTP_API_KEY")
        }
        return value
    }

    private func writeOutputs(_ summary: inout DemoSummary, traffic: TrafficGenerator, seedTraffic: TrafficGenerator?, timeline: DemoTimeline) throws -> String {
        let directory = URL(fileURLWithPath: options.outputDir).standardizedFileURL
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let chart = RotationChart(title: "KeyRotator: accepted requests by header fingerprint during a rotation (edge lag up to \(format1(options.lag))s)",
                                  samples: traffic.results, markers: timeline.markers)
        let chartURL = directory.appendingPathComponent("rotation.svg")
        try chart.svg().write(to: chartURL, atomically: true, encoding: .utf8)
        if let seedTraffic {
            let seedChart = RotationChart(title: "Seed 000's design: the same traffic, no grace for AWSPREVIOUS", samples: seedTraffic.results, markers: timeline.markers)
            try seedChart.svg().write(to: directory.appendingPathComponent("rotation-seed000.svg"), atomically: true, encoding: .utf8)
        }
        summary.chartPath = chartURL.path
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(summary).write(to: directory.appendingPathComponent("summary.json"))
        return chartURL.path
    }
}

/// What the demo started, released in reverse order on every exit path.
actor DemoResources {
    private var releases: [@Sendable () async -> Void] = []

    func add(_ release: @escaping @Sendable () async -> Void) { releases.append(release) }

    func release() async {
        while let last = releases.popLast() { await last() }
    }
}
