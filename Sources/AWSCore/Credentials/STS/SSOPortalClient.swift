#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOHTTP1
/// IAM Identity Center's portal GetRoleCredentials (REST-JSON, unsigned, the bearer token in
/// `x-amz-sso_bearer_token`), at `portal.sso.REGION.amazonaws.com` or `AWS_ENDPOINT_URL_SSO`.
struct SSOPortalClient {
    let context: CredentialContext

    private struct Response: Decodable {
        struct RoleCredentials: Decodable {
            var accessKeyId: String?
            var secretAccessKey: String?
            var sessionToken: String?
            /// Milliseconds since 1970.
            var expiration: Double?
        }

        var roleCredentials: RoleCredentials?
    }

    func roleCredentials(accessToken: String, roleName: String, accountId: String, region: String, profile: String) async throws -> AWSCredentials {
        let client = AWSClient(region: region, credentialProvider: StaticCredentialProvider(AWSCredentials(accessKeyId: "", secretAccessKey: "")),
                               environment: context.environment, transport: context.transport, timeout: context.timeout, logger: context.logger)
        let response: AWSHTTPResponse
        do {
            response = try await client.send(service: .ssoPortal, operation: "GetRoleCredentials", method: .GET, path: "/federation/credentials",
                                             query: [("role_name", roleName), ("account_id", accountId)],
                                             headers: ["Accept": "application/json", "x-amz-sso_bearer_token": accessToken], signed: false)
        } catch let error as AWSError {
            if error.statusCode == 401 || error.code == "UnauthorizedException" {
                throw AWSConfigurationError.ssoLoginRequired(profile: profile, reason: "IAM Identity Center no longer accepts the cached token")
            }
            throw AWSConfigurationError(code: "SSOCredentialsFailed", message: "IAM Identity Center GetRoleCredentials for role '\(roleName)' in account \(accountId) (profile '\(profile)') failed: \(error.code) (HTTP \(error.statusCode))\(error.message.map { ": \($0)" } ?? ""). Check sso_role_name and sso_account_id, and that your user is assigned that role.")
        } catch let error as AWSTransportError {
            throw AWSConfigurationError(code: "SSOCredentialsFailed", message: "IAM Identity Center could not be reached for profile '\(profile)': \(error.description). Check the network, HTTPS_PROXY and sso_region.")
        }
        let decoded = try? JSONDecoder().decode(Response.self, from: Data(response.body))
        guard let credentials = decoded?.roleCredentials, let id = credentials.accessKeyId, !id.isEmpty,
              let secret = credentials.secretAccessKey, !secret.isEmpty, let token = credentials.sessionToken, !token.isEmpty,
              let expiration = credentials.expiration
        else {
            throw AWSConfigurationError(code: "SSOCredentialsFailed", message: "IAM Identity Center GetRoleCredentials for profile '\(profile)' answered without complete credentials.")
        }
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: token, expiration: Date(timeIntervalSince1970: expiration / 1000))
    }
}
