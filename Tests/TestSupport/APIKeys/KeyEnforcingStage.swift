import AsyncHTTPClient
public import AWSCore
import AWSServices
import Foundation
import NIOCore
import NIOHTTP1

/// A REST API with one method that requires an API key (a MOCK integration answering 200),
/// deployed to a stage: on LocalStack, `/restapis/<id>/<stage>/_user_request_/<path>` then
/// answers 403 without a key of a plan that covers the stage and 200 with one.
public struct KeyEnforcingStage: Sendable {
    public let apiId: String
    public let stage: String
    public let invokeURL: String

    /// Creates and deploys the API through `client`'s API Gateway endpoint.
    public static func deploy(client: AWSClient, gatewayEndpoint: String, stage: String = "prod") async throws -> KeyEnforcingStage {
        struct Created: Decodable { var id: String }
        struct Resources: Decodable { struct Item: Decodable { var id: String; var path: String }; var items: [Item]?; var item: [Item]? }
        let service = AWSService.apiGateway
        let api: Created = try await client.restJSON(service: service, operation: "CreateRestApi", method: .POST, path: "/restapis",
                                                     input: ["name": "keyrotator-stage-\(UUID().uuidString.prefix(8))"])
        let resources: Resources = try await client.restJSON(service: service, operation: "GetResources", method: .GET, path: "/restapis/\(api.id)/resources")
        guard let root = (resources.items ?? resources.item ?? []).first(where: { $0.path == "/" }) else {
            throw AWSResponseDecodingError(service: "apigateway", operation: "GetResources", reason: "no root resource")
        }
        let resource: Created = try await client.restJSON(service: service, operation: "CreateResource", method: .POST,
                                                          path: "/restapis/\(api.id)/resources/\(root.id)", input: ["pathPart": "orders"])
        struct Method: Encodable { var authorizationType = "NONE"; var apiKeyRequired = true }
        let methodPath = "/restapis/\(api.id)/resources/\(resource.id)/methods/GET"
        try await client.restJSONRaw(service: service, operation: "PutMethod", method: .PUT, path: methodPath, input: Method())
        struct Integration: Encodable { var type = "MOCK"; var requestTemplates = ["application/json": #"{"statusCode": 200}"#] }
        try await client.restJSONRaw(service: service, operation: "PutIntegration", method: .PUT, path: methodPath + "/integration", input: Integration())
        try await client.restJSONRaw(service: service, operation: "PutMethodResponse", method: .PUT, path: methodPath + "/responses/200", input: [String: String]())
        struct IntegrationResponse: Encodable { var responseTemplates = ["application/json": #"{"ok": true}"#] }
        try await client.restJSONRaw(service: service, operation: "PutIntegrationResponse", method: .PUT, path: methodPath + "/integration/responses/200", input: IntegrationResponse())
        try await client.restJSONRaw(service: service, operation: "CreateDeployment", method: .POST, path: "/restapis/\(api.id)/deployments", input: ["stageName": stage])
        return KeyEnforcingStage(apiId: api.id, stage: stage, invokeURL: "\(gatewayEndpoint)/restapis/\(api.id)/\(stage)/_user_request_/orders")
    }

    /// The status a client sending `key` (nil: no key) gets.
    public func status(withKey key: String?) async throws -> Int {
        var request = HTTPClientRequest(url: invokeURL)
        request.method = .GET
        if let key { request.headers.add(name: "x-api-key", value: key) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }
}
