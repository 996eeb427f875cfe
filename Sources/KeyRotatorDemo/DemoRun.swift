import Foundation
import KeyMaterial
import Logging
import TrafficSimulation
import UnixSignals

/// One demo run: set-up, traffic, the rotation, the summary; and clean-up on every path,
/// interrupts included.
struct DemoRun {
    let options: DemoCommand

    /// Runs the demo; on SIGINT/SIGTERM stops everything it started. Returns the exit status.
    func runUntilDoneOrInterrupted() async -> Int32 {
        let resources = DemoResources()
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let work = Task { try await run(resources) }
        let watcher = Task {
            for await _ in signals {
                work.cancel()
                return
            }
        }
        let result = await work.result
        watcher.cancel()
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
        let stage = try await DemoStage.build(options, resources: resources, logger: logger, say: say)
        let start = ContinuousClock.now
        let timeline = DemoTimeline(start: start, quiet: quiet)
        let traffic = TrafficGenerator(originURL: stage.origin.url, fleet: stage.fleet, requestsPerSecond: options.rate)
        let noGraceTraffic = stage.noGraceOrigin.map { TrafficGenerator(originURL: $0.url, fleet: stage.fleet, requestsPerSecond: options.rate) }
        let fleet = stage.fleet
        let background = Task {
            await withDiscardingTaskGroup { group in
                group.addTask { await fleet.watch(every: .milliseconds(100), logger: logger) }
                group.addTask { await traffic.run(startedAt: start) }
                if let noGraceTraffic { group.addTask { await noGraceTraffic.run(startedAt: start) } }
                group.addTask { await DemoMonitor(fleet: fleet, traffic: traffic, noGraceTraffic: noGraceTraffic, timeline: timeline).run() }
            }
        }
        await resources.add { background.cancel(); await background.value }
        timeline.record("traffic", "starts through \(options.edges) edges")
        try await Task.sleep(for: .milliseconds(Int(options.warmup * 1000)))

        var failure: String?
        var rotationSeconds: Double?
        var newValue: String?
        do {
            let rotationStart = ContinuousClock.now
            newValue = try await DemoRotation(stage: stage, timeline: timeline, logger: logger).run()
            rotationSeconds = (ContinuousClock.now - rotationStart) / .seconds(1)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            failure = "\(error)"
            timeline.record("rotation", "FAILED: \(error)")
        }

        let remaining = options.duration - Double(timeline.elapsedMilliseconds) / 1000
        if remaining > 0 { try await Task.sleep(for: .milliseconds(Int(remaining * 1000))) }
        background.cancel()
        await background.value
        timeline.record("traffic", "stops")

        var origins = [DemoSummary.result(name: "KeyRotator verifier", samples: traffic.results)]
        if let noGraceTraffic { origins.append(DemoSummary.result(name: "no grace (secure authorizer)", samples: noGraceTraffic.results)) }
        var summary = DemoSummary(rotationCompleted: failure == nil, rotationSeconds: rotationSeconds,
                                  previousFingerprint: fingerprint(stage.initialValue), currentFingerprint: newValue.map(fingerprint),
                                  edges: options.edges, maxLagSeconds: options.lag, requestsPerSecond: options.rate,
                                  origins: origins, chartPath: nil, error: failure)
        let outputs = DemoOutputs(directory: URL(fileURLWithPath: options.outputDir).standardizedFileURL, lag: options.lag)
        summary.chartPath = try outputs.write(summary, traffic: traffic, noGraceTraffic: noGraceTraffic, timeline: timeline)
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
}

/// What the demo started, released in reverse order on every exit path.
actor DemoResources {
    private var releases: [@Sendable () async -> Void] = []

    func add(_ release: @escaping @Sendable () async -> Void) { releases.append(release) }

    func release() async {
        while let last = releases.popLast() { await last() }
    }
}
