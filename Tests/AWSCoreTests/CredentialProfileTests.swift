#if canImport(Glibc)
import Glibc
#endif
@testable import AWSCore
import Foundation
import NIOHTTP1
import Synchronization
import Testing
import TestSupport

/// Profile shapes against local stand-ins: IAM Identity Center's portal (moto has none), an STS
/// that records what it is sent, and errors that name what to fix without showing a secret.
@Suite(.timeLimit(.minutes(2))) struct CredentialProfileTests {
    /// The portal's GetRoleCredentials wire format: `GET /federation/credentials?role_name=&account_id=`
    /// with the cached token in `x-amz-sso_bearer_token`, answering `roleCredentials` (expiration in ms).
    static func portal(acceptedToken: String) -> StubHTTPServer.Handler {
        { request, _ in
            guard request.method == .GET, request.uri.hasPrefix("/federation/credentials?") else { return .respond(status: 404) }
            guard request.headers.first(name: "x-amz-sso_bearer_token") == acceptedToken else {
                return .respond(status: 401, headers: ["x-amzn-ErrorType": "UnauthorizedException"], body: #"{"message":"Session token not found or invalid"}"#)
            }
            let ms = Int(Date().addingTimeInterval(3600).timeIntervalSince1970 * 1000)
            return .respond(status: 200, headers: ["Content-Type": "application/json"],
                            body: #"{"roleCredentials":{"accessKeyId":"ASIAPORTAL","secretAccessKey":"portal-secret","sessionToken":"portal-session","expiration":\#(ms)}}"#)
        }
    }

    static let ssoConfig = """
        [profile dev]
        sso_session = corp
        sso_account_id = 111122223333
        sso_role_name = Developer
        region = eu-west-1

        [profile legacy]
        sso_start_url = https://legacy.awsapps.com/start
        sso_region = us-east-2
        sso_account_id = 444455556666
        sso_role_name = ReadOnly

        [sso-session corp]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = eu-west-1

        """

    func cacheToken(home: String, startURL: String, session: String?, token: String, expires: Date) throws {
        let sso = SSOCredentialProvider(profileName: "x", context: CredentialContext(environment: AWSEnvironment(variables: [:], homeDirectory: home)))
        let path = try #require(sso.tokenCachePath(.init(startURL: startURL, region: "", accountId: "", roleName: "", sessionName: session)))
        try #"{"accessToken":"\#(token)","expiresAt":"\#(AWSTimestamp.iso8601(expires))"}"#.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func ssoSessionAndLegacyProfilesExchangeTheCachedToken() async throws {
        try await StubHTTPServer.with(Self.portal(acceptedToken: "cached-token-1")) { portal in
            try await CredentialTestFiles.withHome(config: Self.ssoConfig) { home in
                try cacheToken(home: home, startURL: "https://corp.awsapps.com/start", session: "corp", token: "cached-token-1", expires: Date().addingTimeInterval(600))
                try cacheToken(home: home, startURL: "https://legacy.awsapps.com/start", session: nil, token: "cached-token-1", expires: Date().addingTimeInterval(600))
                for profile in ["dev", "legacy"] {
                    let env = CredentialTestFiles.environment(["AWS_PROFILE": profile, "AWS_ENDPOINT_URL_SSO": portal.endpoint], home: home)
                    let resolved = try #require(try await CredentialProviderChain.default(context: CredentialContext(environment: env)).resolve())
                    #expect(resolved.sources == [.sso])
                    #expect(resolved.credentials.accessKeyId == "ASIAPORTAL")
                    #expect((resolved.credentials.expiration?.timeIntervalSinceNow ?? 0) > 3000)
                }
                #expect(portal.requests.map(\.uri) == [
                    "/federation/credentials?role_name=Developer&account_id=111122223333",
                    "/federation/credentials?role_name=ReadOnly&account_id=444455556666",
                ])
                #expect(portal.requests.allSatisfy { $0.headers.first(name: "Authorization") == nil }, "the portal call is unsigned")
            }
        }
    }

    @Test func expiredMissingOrRefusedTokensSayToLogIn() async throws {
        try await StubHTTPServer.with(Self.portal(acceptedToken: "fresh-token")) { portal in
            try await CredentialTestFiles.withHome(config: Self.ssoConfig) { home in
                func failure(_ profile: String) async -> AWSConfigurationError? {
                    let env = CredentialTestFiles.environment(["AWS_PROFILE": profile, "AWS_ENDPOINT_URL_SSO": portal.endpoint], home: home)
                    do {
                        _ = try await CredentialProviderChain.default(context: CredentialContext(environment: env)).resolve()
                        return nil
                    } catch {
                        return error as? AWSConfigurationError
                    }
                }
                let missing = await failure("dev")
                #expect(missing?.code == "SSOLoginRequired" && missing?.message.contains("aws sso login --profile dev") == true)
                try cacheToken(home: home, startURL: "https://corp.awsapps.com/start", session: "corp", token: "old-token", expires: Date().addingTimeInterval(-60))
                let expired = await failure("dev")
                #expect(expired?.code == "SSOLoginRequired" && expired?.message.contains("expired") == true)
                #expect(portal.requests.isEmpty, "an expired token is not sent")
                try cacheToken(home: home, startURL: "https://corp.awsapps.com/start", session: "corp", token: "revoked-token", expires: Date().addingTimeInterval(600))
                let refused = await failure("dev")
                #expect(refused?.code == "SSOLoginRequired" && refused?.message.contains("aws sso login --profile dev") == true)
                let leaked = [missing, expired, refused].compactMap { $0?.message }.contains { $0.contains("revoked-token") || $0.contains("old-token") }
                #expect(!leaked)
            }
        }
    }

    @Test func webIdentityTokenFileIsReadAgainOnRefresh() async throws {
        let sent = Mutex<[Bool]>([])
        try await StubHTTPServer.with({ request, index in
            let body = String(decoding: request.body, as: UTF8.self)
            sent.withLock { $0.append(body.contains("WebIdentityToken=second-token")) }
            let expiration = AWSTimestamp.iso8601(Date().addingTimeInterval(3600))
            return .respond(status: 200, body: """
                <AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIAWEB\(index)</AccessKeyId>\
                <SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>\(expiration)</Expiration></Credentials>\
                </AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>
                """)
        }) { sts in
            try await CredentialTestFiles.withHome(files: ["token": "first-token"]) { home in
                let env = CredentialTestFiles.environment(["AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/ci", "AWS_WEB_IDENTITY_TOKEN_FILE": home + "/token",
                                                           "AWS_ENDPOINT_URL_STS": sts.endpoint, "AWS_REGION": "eu-west-1"], home: home)
                let provider = WebIdentityCredentialProvider(profileName: "default", context: CredentialContext(environment: env))
                _ = try await provider.resolve()
                try "second-token\n".write(toFile: home + "/token", atomically: true, encoding: .utf8)
                _ = try await provider.resolve()
                #expect(sent.withLock { $0 } == [false, true])
                #expect(sts.requests.allSatisfy { $0.headers.first(name: "Authorization") == nil }, "AssumeRoleWithWebIdentity is unsigned")
            }
        }
    }

    func configurationError(_ config: String, profile: String, credentials: String? = nil) async throws -> AWSConfigurationError? {
        try await CredentialTestFiles.withHome(config: config, credentials: credentials) { home in
            do {
                _ = try await CredentialProviderChain.default(context: CredentialContext(environment: CredentialTestFiles.environment(["AWS_PROFILE": profile], home: home))).resolve()
                return nil
            } catch {
                return error as? AWSConfigurationError
            }
        }
    }

    @Test func profileMistakesNameTheProfileAndTheFix() async throws {
        let arn = "arn:aws:iam::123456789012:role/r"
        let cycle = try await configurationError("[profile a]\nrole_arn = \(arn)\nsource_profile = b\n[profile b]\nrole_arn = \(arn)\nsource_profile = c\n[profile c]\nrole_arn = \(arn)\nsource_profile = a\n", profile: "a")
        #expect(cycle?.code == "InfiniteLoopConfig" && cycle?.message.contains("a -> b -> c -> a") == true)
        let missing = try await configurationError("[profile a]\nrole_arn = \(arn)\nsource_profile = nowhere\n", profile: "a")
        #expect(missing?.code == "InvalidRoleProfile" && missing?.message.contains("'nowhere'") == true)
        let both = try await configurationError("[profile a]\nrole_arn = \(arn)\nsource_profile = a\ncredential_source = Environment\n", profile: "a")
        #expect(both?.message.contains("both source_profile and credential_source") == true)
        let badSource = try await configurationError("[profile a]\nrole_arn = \(arn)\ncredential_source = Laptop\n", profile: "a")
        #expect(badSource?.message.contains("Environment, Ec2InstanceMetadata or EcsContainer") == true)
        let empty = try await configurationError("[profile a]\nrole_arn = \(arn)\nsource_profile = b\n[profile b]\nregion = us-east-1\n", profile: "a")
        #expect(empty?.code == "NoSourceCredentials" && empty?.message.contains("source_profile 'b'") == true)
        let noRole = try await configurationError("[profile w]\nweb_identity_token_file = /tmp/none\n", profile: "w")
        #expect(noRole?.code == "IncompleteWebIdentity" && noRole?.message.contains("AWS_ROLE_ARN") == true)
        let sso = try await configurationError("[profile s]\nsso_account_id = 1\nsso_role_name = r\n", profile: "s")
        #expect(sso?.code == "InvalidSSOConfiguration" && sso?.message.contains("sso_start_url, sso_region") == true)
        let session = try await configurationError("[profile s]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = r\n", profile: "s")
        #expect(session?.message.contains("[sso-session nope]") == true)
    }

    @Test func credentialSourceEnvironmentSignsAssumeRoleWithTheEnvironmentKeys() async throws {
        try await StubHTTPServer.with({ request, _ in
            let expiration = AWSTimestamp.iso8601(Date().addingTimeInterval(3600))
            return .respond(status: 200, body: """
                <AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>s</SecretAccessKey>\
                <SessionToken>t</SessionToken><Expiration>\(expiration)</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>
                """)
        }) { sts in
            try await CredentialTestFiles.withHome(config: "[profile ci]\nrole_arn = arn:aws:iam::123456789012:role/deploy\ncredential_source = Environment\nregion = ap-southeast-2\n") { home in
                let env = CredentialTestFiles.environment(["AWS_PROFILE": "ci", "AWS_ACCESS_KEY_ID": "AKIDFROMENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
                                                           "AWS_ENDPOINT_URL_STS": sts.endpoint], home: home)
                let resolved = try #require(try await AssumeRoleCredentialProvider(profileName: "ci", context: CredentialContext(environment: env)).resolve())
                #expect(resolved.sources == [.environment, .assumeRole])
                let authorization = sts.requests.first?.headers.first(name: "Authorization") ?? ""
                #expect(authorization.contains("Credential=AKIDFROMENV/") && authorization.contains("/ap-southeast-2/sts/"), "signed for the profile's region")
            }
        }
    }

    @Test func aHangingCredentialProcessIsStopped() async throws {
        // The process notes its pid, then becomes `sleep 30` (same pid): once resolve() has given
        // up, that process must be gone, killed rather than waited out, however loaded the machine.
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("credential-process-\(UUID().uuidString).pid").path
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        try await CredentialTestFiles.withHome(config: "[profile slow]\ncredential_process = echo $$ > \(pidFile) && exec sleep 30\n") { home in
            let env = CredentialTestFiles.environment(["AWS_PROFILE": "slow"], home: home)
            await #expect {
                _ = try await CredentialProviderChain.default(context: CredentialContext(environment: env, processTimeout: .seconds(1))).resolve()
            } throws: { error in
                (error as? AWSConfigurationError)?.message.contains("did not finish within") == true
            }
            let pidText = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let pid = try #require(pid_t(pidText), "the credential process wrote its pid")
            #expect(kill(pid, 0) == -1 && errno == ESRCH, "the hanging credential process was killed and reaped")
        }
    }
}
