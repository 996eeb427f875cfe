#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AWSServices

/// The answer API Gateway expects from a Lambda authorizer, for a decision on one event.
public enum AuthorizerResponse {
    /// How an HTTP API (payload 2.0) authorizer answers.
    public enum HTTPAPIFormat: String, Sendable, Hashable {
        /// `{"isAuthorized": ...}` (the authorizer has simple responses enabled).
        case simple
        /// An IAM policy, as REST authorizers answer.
        case iamPolicy
    }

    /// The response JSON for `decision` on `event`: `{"isAuthorized": ...}` for HTTP API simple responses,
    /// otherwise an IAM policy with `principalId` allowing or denying `execute-api:Invoke`.
    ///
    /// The policy's resource is the API's stage with every method and path (`.../apiId/stage/*`), not just
    /// the called method: the header is the whole origin's credential, so a result API Gateway caches under
    /// that header value must hold for every route.
    public static func json(for decision: Decision, event: AuthorizerEvent, principalId: String,
                            httpAPIFormat: HTTPAPIFormat = .simple) -> [UInt8] {
        let context: [String: String]? = if case .allowed(let stage) = decision { ["originKeyStage": stage.rawValue] } else { nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body: Data?
        if event.kind == .httpAPIv2, httpAPIFormat == .simple {
            body = try? encoder.encode(Simple(isAuthorized: decision.isAllowed, context: context))
        } else {
            let statement = Policy.Statement(Action: "execute-api:Invoke", Effect: decision.isAllowed ? "Allow" : "Deny",
                                             Resource: policyResource(for: event.methodArn))
            body = try? encoder.encode(Policy(principalId: principalId,
                                              policyDocument: .init(Version: "2012-10-17", Statement: [statement]), context: context))
        }
        return body.map { Array($0) } ?? Array(#"{"isAuthorized":false}"#.utf8)
    }

    /// `arn:aws:execute-api:region:account:apiId/stage/*` for a method or route ARN; `*` when there is none.
    static func policyResource(for methodArn: String?) -> String {
        guard let methodArn else { return "*" }
        let parts = methodArn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[2] == "execute-api" else { return methodArn }
        let path = parts[5].split(separator: "/", omittingEmptySubsequences: false)
        guard path.count >= 2, !path[0].isEmpty, !path[1].isEmpty else { return methodArn }
        return parts[0...4].joined(separator: ":") + ":" + path[0] + "/" + path[1] + "/*"
    }

    private struct Simple: Encodable {
        var isAuthorized: Bool
        var context: [String: String]?
    }

    private struct Policy: Encodable {
        var principalId: String
        var policyDocument: Document
        var context: [String: String]?

        struct Document: Encodable {
            var Version: String
            var Statement: [Statement]
        }

        struct Statement: Encodable {
            var Action: String
            var Effect: String
            var Resource: String
        }
    }
}
