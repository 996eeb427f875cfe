@testable import AWSCore
import Foundation
import InMemoryLogging
import LocalEmulator
import Logging
import Synchronization
import Testing
import TestSupport

/// Assume-role and web identity profiles against moto's STS with IAM authentication on: the
/// role's policy allows what the test then does, and the source credentials alone are refused.
@Suite(.timeLimit(.minutes(3))) struct AssumeRoleMotoTests {
    func motoEnvironment(_ moto: MotoServer, home: String, _ extra: [String: String] = [:]) -> AWSEnvironment {
        CredentialTestFiles.environment(["AWS_ENDPOINT_URL": moto.endpoint, "AWS_REGION": moto.region].merging(extra) { _, new in new }, home: home)
    }

    func harnessKeys(_ moto: MotoServer, profile: String) -> String {
        "[\(profile)]\naws_access_key_id = \(moto.accessKeyId)\naws_secret_access_key = \(moto.secretAccessKey)\n"
    }

    func isAccessDenied(_ error: any Error) -> Bool {
        guard let error = error as? AWSError else { return false }
        return error.statusCode == 403
    }

    @Test func roleProfileWithSourceProfileAssumesTheRoleOnce() async throws {
        let moto = try await MotoServer.shared()
        let role = try await MotoIAM.createRole(moto, trusting: MotoIAM.harnessUserArn, allowing: ["secretsmanager:ListSecrets"])
        let config = "[profile prod-admin]\nrole_arn = \(role)\nsource_profile = base\nrole_session_name = kr-test\nduration_seconds = 900\n"
        try await CredentialTestFiles.withHome(config: config, credentials: harnessKeys(moto, profile: "base")) { home in
            let logs = InMemoryLogHandler()
            let client = try AWSClient.fromEnvironment(motoEnvironment(moto, home: home, ["AWS_PROFILE": "prod-admin"]), logger: logs.logger())
            try await client.listSecrets()
            try await client.listSecrets()
            let resolved = try await client.resolvedCredentials()
            #expect(resolved.sources == [.sharedCredentialsFile, .assumeRole])
            let lifetime = resolved.credentials.expiration.map { $0.timeIntervalSinceNow } ?? 0
            #expect(lifetime > 800 && lifetime <= 900, "duration_seconds = 900 reaches STS")
            #expect(resolved.credentials.accessKeyId.hasPrefix("ASIA"))
            #expect(logs.entries("aws role assumed").count == 1, "assumed credentials are cached in the process")
            // The source credentials alone are refused.
            await #expect { try await moto.client().listSecrets() } throws: { isAccessDenied($0) }
            // Nothing secret was logged: not the source keys, the assumed keys or the session token.
            let secrets = [moto.secretAccessKey, moto.accessKeyId, resolved.credentials.secretAccessKey, resolved.credentials.sessionToken ?? "-",
                           resolved.credentials.accessKeyId]
            let leaked = secrets.filter { logs.text.contains($0) }.count
            #expect(leaked == 0)
        }
    }

    @Test func chainedRolesFollowSourceProfilesInOrder() async throws {
        let moto = try await MotoServer.shared()
        let first = try await MotoIAM.createRole(moto, trusting: MotoIAM.harnessUserArn, allowing: ["sts:AssumeRole"])
        let firstName = String(first.split(separator: "/").last ?? "")
        let second = try await MotoIAM.createRole(moto, trusting: "arn:aws:sts::123456789012:assumed-role/\(firstName)/hop-1",
                                                  allowing: ["secretsmanager:ListSecrets"])
        let config = """
            [profile hop-1]
            role_arn = \(first)
            source_profile = base
            role_session_name = hop-1

            [profile hop-2]
            role_arn = \(second)
            source_profile = hop-1
            role_session_name = hop-2

            """
        try await CredentialTestFiles.withHome(config: config, credentials: harnessKeys(moto, profile: "base")) { home in
            let client = try AWSClient.fromEnvironment(motoEnvironment(moto, home: home, ["AWS_PROFILE": "hop-2"]), logger: Logger(label: "test"))
            try await client.listSecrets()
            #expect(try await client.resolvedCredentials().sources == [.sharedCredentialsFile, .assumeRole, .assumeRole])
            // The first role alone may assume the second, not list secrets.
            let firstOnly = try AWSClient.fromEnvironment(motoEnvironment(moto, home: home, ["AWS_PROFILE": "hop-1"]), logger: Logger(label: "test"))
            await #expect { try await firstOnly.listSecrets() } throws: { isAccessDenied($0) }
        }
    }

    @Test func externalIdReachesTheTrustPolicy() async throws {
        let moto = try await MotoServer.shared()
        let role = try await MotoIAM.createRole(moto, trusting: MotoIAM.harnessUserArn, allowing: ["secretsmanager:ListSecrets"], externalId: "partner-42")
        let config = "[profile right]\nrole_arn = \(role)\nsource_profile = base\nexternal_id = partner-42\n[profile wrong]\nrole_arn = \(role)\nsource_profile = base\nexternal_id = guess\n"
        try await CredentialTestFiles.withHome(config: config, credentials: harnessKeys(moto, profile: "base")) { home in
            try await AWSClient.fromEnvironment(motoEnvironment(moto, home: home, ["AWS_PROFILE": "right"]), logger: Logger(label: "test")).listSecrets()
            let wrong = try AWSClient.fromEnvironment(motoEnvironment(moto, home: home, ["AWS_PROFILE": "wrong"]), logger: Logger(label: "test"))
            await #expect {
                try await wrong.listSecrets()
            } throws: { error in
                guard let error = error as? AWSConfigurationError else { return false }
                return error.code == "AssumeRoleFailed" && error.message.contains("profile 'wrong'") && error.message.contains("external_id")
                    && !error.message.contains(moto.secretAccessKey)
            }
        }
    }

    @Test func mfaProfileAsksForTheCodeOrSaysItCannot() async throws {
        let moto = try await MotoServer.shared()
        let role = try await MotoIAM.createRole(moto, trusting: MotoIAM.harnessUserArn, allowing: ["secretsmanager:ListSecrets"])
        let serial = "arn:aws:iam::123456789012:mfa/operator"
        let config = "[profile mfa]\nrole_arn = \(role)\nsource_profile = base\nmfa_serial = \(serial)\n"
        try await CredentialTestFiles.withHome(config: config, credentials: harnessKeys(moto, profile: "base")) { home in
            let environment = motoEnvironment(moto, home: home, ["AWS_PROFILE": "mfa"])
            let noTerminal = try AWSClient.fromEnvironment(environment, logger: Logger(label: "test"))
            await #expect {
                try await noTerminal.listSecrets()
            } throws: { error in
                let error = error as? AWSConfigurationError
                return error?.code == "MFARequired" && error?.message.contains("terminal") == true && error?.message.contains("'mfa'") == true
            }
            let asked = Mutex<[String]>([])
            let prompted = try AWSClient.fromEnvironment(environment, mfaCodeProvider: { device, profile in
                asked.withLock { $0.append("\(profile) \(device)") }
                return "123456"
            }, logger: Logger(label: "test"))
            try await prompted.listSecrets()
            #expect(asked.withLock { $0 } == ["mfa \(serial)"])
        }
    }

    @Test func webIdentityFromTheEnvironmentAndFromAProfile() async throws {
        let moto = try await MotoServer.shared()
        // moto does not check trust for AssumeRoleWithWebIdentity; the role's policy is what counts.
        let role = try await MotoIAM.createRole(moto, trusting: MotoIAM.harnessUserArn, allowing: ["secretsmanager:ListSecrets"])
        let config = "[profile eks]\nrole_arn = \(role)\nweb_identity_token_file = TOKEN\nrole_session_name = pod\n"
        try await CredentialTestFiles.withHome(files: ["token": "eyJhbGciOi.fake.jwt"]) { home in
            try config.replacing("TOKEN", with: home + "/token").write(toFile: home + "/.aws/config", atomically: true, encoding: .utf8)
            let fromEnv = try AWSClient.fromEnvironment(motoEnvironment(moto, home: home, [
                "AWS_ROLE_ARN": role, "AWS_WEB_IDENTITY_TOKEN_FILE": home + "/token", "AWS_ROLE_SESSION_NAME": "github-actions",
            ]), logger: Logger(label: "test"))
            try await fromEnv.listSecrets()
            #expect(try await fromEnv.resolvedCredentials().sources == [.webIdentity])
            let fromProfile = try AWSClient.fromEnvironment(motoEnvironment(moto, home: home, ["AWS_PROFILE": "eks"]), logger: Logger(label: "test"))
            try await fromProfile.listSecrets()
            #expect(try await fromProfile.resolvedCredentials().sources == [.webIdentity])
        }
    }

    @Test func assumedCredentialsAreRefreshedBeforeTheyExpire() async throws {
        let moto = try await MotoServer.shared()
        let role = try await MotoIAM.createRole(moto, trusting: MotoIAM.harnessUserArn, allowing: ["secretsmanager:ListSecrets"])
        let config = "[profile ops]\nrole_arn = \(role)\nsource_profile = base\nduration_seconds = 900\n"
        try await CredentialTestFiles.withHome(config: config, credentials: harnessKeys(moto, profile: "base")) { home in
            let clock = Mutex<TimeInterval>(0)
            let context = CredentialContext(environment: motoEnvironment(moto, home: home, ["AWS_PROFILE": "ops"]))
            let cache = CredentialCache(provider: CredentialProviderChain.default(context: context), refreshMargin: .seconds(300),
                                        now: { Date().addingTimeInterval(clock.withLock { $0 }) })
            let first = try await cache.credentials()
            #expect(try await cache.credentials().accessKeyId == first.accessKeyId, "still valid: no new AssumeRole")
            clock.withLock { $0 = 900 - 299 }  // inside the refresh margin, before expiry
            let second = try await cache.credentials()
            #expect(second.accessKeyId != first.accessKeyId)
            let client = AWSClient(region: moto.region, credentialProvider: StaticCredentialProvider(second),
                                   environment: AWSEnvironment(variables: ["AWS_ENDPOINT_URL": moto.endpoint]), logger: Logger(label: "test"))
            try await client.listSecrets()
        }
    }
}
