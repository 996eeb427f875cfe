public import AWSCore
import Foundation
import NIOHTTP1

/// IAM calls the tests make as the moto harness user (which may call any IAM action).
public enum MotoIAM {
    public static func call(_ client: AWSClient, _ action: String, _ parameters: [(String, String)]) async throws {
        let form = ([("Action", action), ("Version", "2010-05-08")] + parameters)
            .map { AWSURIEncoding.encode($0.0) + "=" + AWSURIEncoding.encode($0.1) }.joined(separator: "&")
        _ = try await client.send(service: .iam, operation: action, method: .POST,
                                  headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"], body: Array(form.utf8))
    }

    /// Creates a role trusting `principal` (an exact ARN: moto matches no account root and no role
    /// ARN for assumed-role sessions) with an inline policy allowing `actions`; returns its ARN.
    public static func createRole(_ moto: MotoServer, trusting principal: String, allowing actions: [String],
                           externalId: String? = nil) async throws -> String {
        let name = "kr-\(UUID().uuidString.prefix(8))"
        let condition = externalId.map { #","Condition":{"StringEquals":{"sts:ExternalId":"\#($0)"}}"# } ?? ""
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"\#(principal)"},"Action":"sts:AssumeRole"\#(condition)}]}"#
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[\#(actions.map { "\"\($0)\"" }.joined(separator: ","))],"Resource":"*"}]}"#
        let client = moto.client()
        try await call(client, "CreateRole", [("RoleName", name), ("AssumeRolePolicyDocument", trust)])
        try await call(client, "PutRolePolicy", [("RoleName", name), ("PolicyName", "allowed"), ("PolicyDocument", policy)])
        return "arn:aws:iam::123456789012:role/\(name)"
    }

    public static let harnessUserArn = "arn:aws:iam::123456789012:user/keyrotator-harness"
}
