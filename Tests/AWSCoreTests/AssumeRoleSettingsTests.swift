@testable import AWSCore
import Foundation
import Logging
import Testing

/// Assume-role settings checked before any call: where STS is (regional unless overridden) and
/// `duration_seconds` within STS's limits. No network: nothing here reaches an endpoint.
@Suite struct AssumeRoleSettingsTests {
    @Test(arguments: [("eu-west-3", "sts.eu-west-3.amazonaws.com"), ("us-east-1", "sts.us-east-1.amazonaws.com"),
                      ("ap-southeast-2", "sts.ap-southeast-2.amazonaws.com"), ("cn-north-1", "sts.cn-north-1.amazonaws.com.cn")])
    func stsIsRegionalWithoutAnOverride(region: String, host: String) throws {
        let home = try CredentialTestFiles.home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let endpoint = try AWSEndpoint.resolve(service: .sts, region: region, environment: CredentialTestFiles.environment(["AWS_REGION": region], home: home))
        #expect(endpoint.host == host, "not the global sts.amazonaws.com")
        #expect(endpoint.scheme == "https" && endpoint.port == nil)
        #expect(endpoint.signingRegion == region)
        let overridden = try AWSEndpoint.resolve(service: .sts, region: region,
                                                 environment: CredentialTestFiles.environment(["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:4566"], home: home))
        #expect(overridden.host == "127.0.0.1" && overridden.port == 4566 && overridden.signingRegion == region)
    }

    @Test(arguments: ["899", "0", "-900", "43201", "86400", "1h", "abc"])
    func durationSecondsOutsideSTSLimitsIsAClearError(duration: String) async throws {
        let config = "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = base\nduration_seconds = \(duration)\n"
        // Keys that look real but go nowhere: the error comes before any call.
        let credentials = "[base]\naws_access_key_id = AKIAEXAMPLEEXAMPLE00\naws_secret_access_key = not-a-real-secret-key-for-this-test\n"
        try await CredentialTestFiles.withHome(config: config, credentials: credentials) { home in
            let environment = CredentialTestFiles.environment(["AWS_PROFILE": "ops", "AWS_REGION": "eu-west-3", "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9"], home: home)
            let client = try AWSClient.fromEnvironment(environment, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            await #expect {
                _ = try await client.resolvedCredentials()
            } throws: { error in
                guard let error = error as? AWSConfigurationError else { return false }
                return error.code == "InvalidRoleProfile"
                    && error.message.contains("duration_seconds in profile 'ops' must be a whole number of seconds from 900 to 43200")
                    && error.message.contains("got '\(duration)'")
            }
        }
    }
}
