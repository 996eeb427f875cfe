import AWSXML
import NIOHTTP1

/// The two STS operations the credential chain needs (Query protocol, regional endpoint,
/// `AWS_ENDPOINT_URL_STS` / `AWS_ENDPOINT_URL` honoured): AssumeRole, signed with the source
/// credentials, and AssumeRoleWithWebIdentity, unsigned.
struct STSCredentialsClient {
    let context: CredentialContext

    /// What the role is assumed for, for error messages (`profile 'prod-admin'`, `AWS_ROLE_ARN`).
    func assumeRole(_ parameters: [(name: String, value: String)], signedWith source: AWSCredentials, roleArn: String, purpose: String) async throws -> AWSCredentials {
        try await call("AssumeRole", parameters: [("RoleArn", roleArn)] + parameters, signedWith: source, roleArn: roleArn, purpose: purpose)
    }

    func assumeRoleWithWebIdentity(_ parameters: [(name: String, value: String)], roleArn: String, purpose: String) async throws -> AWSCredentials {
        try await call("AssumeRoleWithWebIdentity", parameters: [("RoleArn", roleArn)] + parameters, signedWith: nil, roleArn: roleArn, purpose: purpose)
    }

    private func call(_ action: String, parameters: [(name: String, value: String)], signedWith source: AWSCredentials?,
                      roleArn: String, purpose: String) async throws -> AWSCredentials {
        let client = AWSClient(region: context.stsRegion, credentialProvider: source.map { StaticCredentialProvider($0) } ?? StaticCredentialProvider(AWSCredentials(accessKeyId: "", secretAccessKey: "")),
                               environment: context.environment, transport: context.transport, timeout: context.timeout, logger: context.logger)
        let form = ([("Action", action), ("Version", "2011-06-15")] + parameters)
            .map { AWSURIEncoding.encode($0.0) + "=" + AWSURIEncoding.encode($0.1) }
            .joined(separator: "&")
        let response: AWSHTTPResponse
        do {
            response = try await client.send(service: .sts, operation: action, method: .POST,
                                             headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"],
                                             body: Array(form.utf8), signed: source != nil)
        } catch let error as AWSError {
            throw AWSConfigurationError(code: "AssumeRoleFailed", message: "STS \(action) of role \(roleArn) for \(purpose) failed: \(error.code) (HTTP \(error.statusCode))\(error.message.map { ": \($0)" } ?? ""). \(hint(for: error, action: action))")
        } catch let error as AWSTransportError {
            throw AWSConfigurationError(code: "AssumeRoleFailed", message: "STS \(action) of role \(roleArn) for \(purpose) failed: \(error.description). Check the network, HTTPS_PROXY and AWS_ENDPOINT_URL_STS.")
        }
        let root: XMLElement
        do {
            root = try XMLDocument(bytes: response.body).root
        } catch {
            throw AWSConfigurationError(code: "AssumeRoleFailed", message: "STS \(action) of role \(roleArn) answered with a body that is not XML.")
        }
        guard let element = root.elements(at: ["\(action)Result", "Credentials"]).first,
              let id = element.child(named: "AccessKeyId")?.text, !id.isEmpty,
              let secret = element.child(named: "SecretAccessKey")?.text, !secret.isEmpty,
              let token = element.child(named: "SessionToken")?.text, !token.isEmpty,
              let expirationText = element.child(named: "Expiration")?.text,
              let expiration = AWSTimestamp.parseISO8601(expirationText.trimmingWhitespace())
        else {
            throw AWSConfigurationError(code: "AssumeRoleFailed", message: "STS \(action) of role \(roleArn) answered without complete credentials.")
        }
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }

    private func hint(for error: AWSError, action: String) -> String {
        switch error.code {
        case "AccessDenied", "AccessDeniedException":
            return action == "AssumeRole"
                ? "Check that the source credentials may call sts:AssumeRole on the role and that its trust policy names them (and external_id, if it requires one)."
                : "Check the role's trust policy for this identity provider and the token's audience."
        case "ExpiredToken", "ExpiredTokenException", "InvalidIdentityToken":
            return action == "AssumeRole" ? "The source credentials have expired: refresh them." : "The web identity token is expired or invalid: check the token file."
        case "InvalidClientTokenId", "SignatureDoesNotMatch":
            return "STS rejected the source credentials: check the source profile's keys."
        default:
            return "Check role_arn and the source credentials."
        }
    }
}
