public import AWSCore
import Foundation
import NIOHTTP1

/// Lambda functions the tests create in moto to be read back (GetFunctionConfiguration): moto
/// stores them without running them.
public enum MotoLambda {
    /// Creates a function (with a role Lambda may assume) and returns its ARN.
    public static func createFunction(_ moto: MotoServer, name: String, handler: String, timeout: Int, environment: [String: String]) async throws -> String {
        let client = moto.client()
        let role = "kr-lambda-\(UUID().uuidString.prefix(8))"
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        try await MotoIAM.call(client, "CreateRole", [("RoleName", role), ("AssumeRolePolicyDocument", trust)])
        struct Input: Encodable {
            struct Code: Encodable { var ZipFile: String }
            struct Environment: Encodable { var Variables: [String: String] }
            var FunctionName: String, Runtime = "provided.al2023", Role: String, Handler: String, Timeout: Int, Code: Code, Environment: Environment
        }
        struct Output: Decodable { var FunctionArn: String }
        // An empty zip archive: moto keeps the code without looking inside.
        let emptyZip = Data([0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)).base64EncodedString()
        let input = Input(FunctionName: name, Role: "arn:aws:iam::123456789012:role/\(role)", Handler: handler, Timeout: timeout,
                          Code: .init(ZipFile: emptyZip), Environment: .init(Variables: environment))
        let output: Output = try await client.restJSON(service: .lambda, operation: "CreateFunction", method: .POST, path: "/2015-03-31/functions", input: input)
        return output.FunctionArn
    }

    /// Creates a REST API with a REQUEST Lambda authorizer invoking `functionArn` on `header`; returns the API's id.
    public static func createRestAPI(_ moto: MotoServer, authorizer functionArn: String, header: String, resultTTL: Int) async throws -> String {
        let client = moto.client()
        struct API: Decodable { var id: String }
        let api: API = try await client.restJSON(service: .apiGateway, operation: "CreateRestApi", method: .POST, path: "/restapis",
                                                 input: ["name": "kr-\(UUID().uuidString.prefix(8))"])
        struct Authorizer: Encodable {
            var name: String, type = "REQUEST", authorizerUri: String, identitySource: String, authorizerResultTtlInSeconds: Int
        }
        let _: API = try await client.restJSON(service: .apiGateway, operation: "CreateAuthorizer", method: .POST, path: "/restapis/\(api.id)/authorizers",
                                               input: Authorizer(name: "origin", authorizerUri: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/\(functionArn)/invocations",
                                                                 identitySource: "method.request.header.\(header)", authorizerResultTtlInSeconds: resultTTL))
        return api.id
    }
}
