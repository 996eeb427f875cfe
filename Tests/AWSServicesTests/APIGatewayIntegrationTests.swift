import AWSCore
@testable import AWSServices
import Foundation
import KeyMaterial
import Testing
import TestSupport

/// API Gateway usage-plan keys through our client against moto with authentication on.
@Suite(.timeLimit(.minutes(5))) struct APIGatewayIntegrationTests {
    @Test func keyLifecycleWithUsagePlans() async throws {
        let moto = try await MotoServer.shared()
        let apigw = APIGatewayClient(client: moto.client())
        let plan = try await apigw.createUsagePlan(name: "it-plan-\(UUID().uuidString)")
        let key = try await apigw.createApiKey(name: "it-key-\(UUID().uuidString)", description: "integration", customerId: "cust-1", tags: ["team": "payments"])
        let value = try #require(key.value)
        #expect(value.count >= 20)
        let printed = key.description.contains(value)
        #expect(!printed, "an APIKey never prints its value")

        try await apigw.createUsagePlanKey(usagePlanId: plan.id, keyId: key.id)
        let attached = try await apigw.getUsagePlanKeys(usagePlanId: plan.id).collect().flatMap { $0 }
        #expect(attached.map(\.id) == [key.id])
        let plans = try await apigw.getUsagePlans(keyId: key.id).collect().flatMap { $0 }
        #expect(plans.contains { $0.id == plan.id })

        let read = try await apigw.getApiKey(id: key.id, includeValue: true)
        #expect(read.value.map(fingerprint) == fingerprint(value))
        #expect(read.customerId == "cust-1")
        #expect(read.tags?["team"] == "payments")

        let disabled = try await apigw.updateApiKey(id: key.id, patchOperations: [.replace("/enabled", "false"), .replace("/description", "retired")])
        #expect(disabled.enabled == false)
        #expect(disabled.keyDescription == "retired")

        let listed = try await apigw.getApiKeys(customerId: "cust-1").collect().flatMap { $0 }
        #expect(listed.contains { $0.id == key.id })
        #expect(listed.allSatisfy { $0.customerId == "cust-1" }, "customer filtering holds even where the service ignores it")

        try await apigw.deleteUsagePlanKey(usagePlanId: plan.id, keyId: key.id)
        #expect(try await apigw.getUsagePlanKeys(usagePlanId: plan.id).collect().flatMap { $0 }.isEmpty)
        try await apigw.deleteApiKey(id: key.id)
        await #expect {
            _ = try await apigw.getApiKey(id: key.id)
        } throws: { error in
            (error as? AWSError)?.code == "NotFoundException"
        }
    }
}
