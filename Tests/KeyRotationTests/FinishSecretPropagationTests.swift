import AWSServices
import Foundation
import KeyRotation
import Synchronization
import Testing
import TestSupport

/// finishSecret and CloudFront propagation: a stand-in in front of moto reports `InProgress` for
/// a while after each update, as CloudFront does.
@Suite(.timeLimit(.minutes(5))) struct FinishSecretPropagationTests {
    final class Moments: Sendable {
        let labelMoved = Mutex<ContinuousClock.Instant?>(nil)
    }

    @Test func awsCurrentMovesOnlyAfterEveryDistributionReportsDeployed() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, distributions: 2, everyOptionalBlock: false)
        let before = try #require(try await kit.currentVersion(scenario))
        let token = try await scenario.startRotation(kit.setup)
        try await FaultProxy.with(upstream: kit.moto) { proxy in
            let standIn = CloudFrontPropagationStandIn(proxy: proxy, inProgressFor: .milliseconds(1500))
            let moments = Moments()
            proxy.addRule(.init("record the label move", when: .target("UpdateSecretVersionStage"), action: .run { _ in
                moments.labelMoved.withLock { $0 = .now }
                return .forward
            }))
            try await RotationFunction.with(scenario, moto: kit.moto, endpoint: proxy.endpoint) { function in
                #expect(try await function.run(token: token) == nil)
                try await kit.expectRotated(scenario, token: token, previousVersion: before)
                let moved = try #require(moments.labelMoved.withLock { $0 })
                for id in scenario.distributionIds {
                    let updated = try #require(standIn.updatedAt(id))
                    let deployed = try #require(standIn.deployedAt(id), "\(id) was seen Deployed")
                    #expect(deployed >= updated + standIn.inProgressFor)
                    #expect(moved >= deployed, "AWSCURRENT moved only after \(id) reported Deployed")
                }
            }
        }
    }

    @Test func aStepThatRunsOutOfTimeFailsWithoutMovingTheLabel() async throws {
        let kit = try await RotationTestKit.make()
        let scenario = try await OriginSecretScenario.make(kit.setup, everyOptionalBlock: false)
        let before = try #require(try await kit.currentVersion(scenario))
        let token = try await scenario.startRotation(kit.setup)
        try await FaultProxy.with(upstream: kit.moto) { proxy in
            _ = CloudFrontPropagationStandIn(proxy: proxy, inProgressFor: .seconds(120))
            try await RotationFunction.with(scenario, moto: kit.moto, endpoint: proxy.endpoint) { function in
                #expect(try await function.run([.createSecret, .setSecret, .testSecret], token: token) == nil)
                let requestID = UUID().uuidString.lowercased()
                let report = try #require(try await function.invoke(.finishSecret, token: token, timeout: .seconds(3), requestID: requestID).errorReport)
                // Its own wait gives up first; on a busy machine a poll still in flight at the deadline is cut off instead.
                #expect(["KeyRotator.NotDeployedInTime", "KeyRotator.OutOfTime"].contains(report.errorType))
                if report.errorType == "KeyRotator.NotDeployedInTime" {
                    #expect(report.errorMessage?.contains(scenario.distributionIds[0]) == true)
                }
                let delivery = function.lambda.server.delivery(of: requestID)
                #expect(delivery?.answeredBeforeDeadline == true, "it fails inside the invocation's time, so Secrets Manager sees the error: \(String(describing: delivery))")
                #expect(proxy.count(.target("UpdateSecretVersionStage")) == 0)
                #expect(try await kit.currentVersion(scenario) == before, "AWSCURRENT did not move")
            }
        }
    }
}
