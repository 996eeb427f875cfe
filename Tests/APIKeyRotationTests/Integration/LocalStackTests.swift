import APIKeyRotation
import AWSCore
import AWSServices
import Foundation
import Testing
import TestSupport

extension APIKeyIntegration {
    /// The key-lifecycle tests against LocalStack's API Gateway (DynamoDB and SQS stay on moto, through
    /// `AWS_ENDPOINT_URL_API_GATEWAY`), and a client of a key-enforcing stage across a rotation. One
    /// LocalStack serves both (its start is most of their cost).
    @Suite(.timeLimit(.minutes(6))) struct LocalStackTests {
        @Test func againstLocalStacksAPIGateway() async throws {
            let moto = try await MotoServer.shared()
            try await LocalStackServer.withServer { localstack in
                try await Self.theWholeLifeOfAKey(moto: moto, localstack: localstack)
                try await Self.aClientOfTheOldKeyWorksUntilTheGraceEndsAndTheNewKeyFromTheMomentTheItemNamesIt(moto: moto, localstack: localstack)
            }
        }

        static func theWholeLifeOfAKey(moto: MotoServer, localstack: LocalStackServer) async throws {
            let scenario = try await APIKeyScenario.make(moto: moto, apiGatewayEndpoint: localstack.endpoint, itemCount: 3, plans: 2)
            try await KeyLifecycle.run(scenario)

            // LocalStack paginates: the adapter follows `position` to the last page.
            let store = APIGatewayKeyStore(apiGateway: APIGatewayClient(client: scenario.client))
            var small = store
            small.pageSize = 2
            let all = try await store.keys(namePrefix: nil).map(\.id)
            #expect(try await small.keys(namePrefix: nil).map(\.id).sorted() == all.sorted())
            #expect(all.count >= 3)
            let planKeys = try await small.keyIDs(inPlan: scenario.planIDs[0])
            #expect(planKeys.count == 3, "deleted keys left the plan (LocalStack, like AWS)")
        }

        static func aClientOfTheOldKeyWorksUntilTheGraceEndsAndTheNewKeyFromTheMomentTheItemNamesIt(moto: MotoServer, localstack: LocalStackServer) async throws {
            let gateway = moto.client(apiGatewayEndpoint: localstack.endpoint)
            let stage = try await KeyEnforcingStage.deploy(client: gateway, gatewayEndpoint: localstack.endpoint)
            let scenario = try await APIKeyScenario.make(moto: moto, apiGatewayEndpoint: localstack.endpoint,
                                                         apiStage: UsagePlan.APIStage(apiId: stage.apiId, stage: stage.stage))
            let (itemID, oldID) = scenario.items[0]
            let apiGateway = APIGatewayClient(client: gateway)
            let oldValue = try #require(try await apiGateway.getApiKey(id: oldID, includeValue: true).value)
            #expect(try await stage.status(withKey: nil) == 403, "the stage enforces API keys")
            #expect(try await stage.status(withKey: oldValue) == 200)

            try await APIKeyFunctions.withFunctions(scenario) { functions in
                _ = try await functions.runSweep()
                #expect(try await functions.deliverQueue().isEmpty)
                let newID = try #require(try await scenario.item(itemID)?["APIGWKeyID"]?.stringValue)
                let newValue = try #require(try await apiGateway.getApiKey(id: newID, includeValue: true).value)
                #expect(try await stage.status(withKey: newValue) == 200, "the new key works as soon as the item names it")
                #expect(try await stage.status(withKey: oldValue) == 200, "the old key keeps working during the grace")

                try await scenario.age(itemID, graceEndedHoursAgo: 1)
                _ = try await functions.runSweep()
                #expect(try await functions.deliverQueue().isEmpty)
                #expect(try await stage.status(withKey: oldValue) == 403, "the old key stops once retired")
                #expect(try await stage.status(withKey: newValue) == 200)
            }
        }
    }
}
