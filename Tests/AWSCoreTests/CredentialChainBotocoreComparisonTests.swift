@testable import AWSCore
import Foundation
import NIOHTTP1
import Testing
import TestSupport

/// Our default chain against botocore's on generated combinations of environment variables and
/// shared config/credentials files: the same source, the same sources under an assumed role, in
/// the same order, and the same region. Hermetic: every case has its own HOME and files, and
/// IMDS, the container endpoint, STS and the IAM Identity Center portal are one loopback stand-in
/// (botocore defers its STS and portal calls, so only ours reach it).
@Suite(.timeLimit(.minutes(5))) struct CredentialChainBotocoreComparisonTests {
    struct Case: Sendable {
        var label: String
        var env: [String: String]
    }

    struct OracleCase: Codable { var env: [String: String] }

    struct OracleAnswer: Codable {
        var sources: [String]
        var region: String?
        var error: String?
    }

    /// What a chain made of a case: the sources innermost first, or the error's code.
    struct Outcome: Equatable, CustomStringConvertible {
        var sources: [String]
        var error: Bool
        var description: String { error ? "error" : (sources.isEmpty ? "none" : sources.joined(separator: " <- ")) }
    }

    static let roleA = "arn:aws:iam::123456789012:role/role-a"
    static let roleB = "arn:aws:iam::123456789012:role/role-b"

    /// The profiles every case's files hold; the cases select among them.
    static func configFile(home: String) -> String {
        """
        [default]
        region = us-west-2

        [profile static-config]
        aws_access_key_id = AKIDCONFIG
        aws_secret_access_key = config-secret
        region = eu-west-1

        [profile static-both]
        aws_access_key_id = AKIDCONFIGBOTH
        aws_secret_access_key = config-secret

        [profile process]
        credential_process = \(home)/process.sh
        region = eu-north-1

        [profile process-and-config-keys]
        aws_access_key_id = AKIDCONFIGP
        aws_secret_access_key = config-secret
        credential_process = \(home)/process.sh

        [profile role-static]
        role_arn = \(roleA)
        source_profile = creds-only
        region = ap-south-1

        [profile role-chain]
        role_arn = \(roleB)
        source_profile = role-static

        [profile role-chain-3]
        role_arn = \(roleA)
        source_profile = role-chain
        external_id = ext-1

        [profile role-process-source]
        role_arn = \(roleA)
        source_profile = process

        [profile role-config-keys-source]
        role_arn = \(roleA)
        source_profile = static-config

        [profile role-env]
        role_arn = \(roleA)
        credential_source = Environment

        [profile role-imds]
        role_arn = \(roleA)
        credential_source = Ec2InstanceMetadata

        [profile role-container]
        role_arn = \(roleA)
        credential_source = EcsContainer

        [profile role-self]
        role_arn = \(roleA)
        source_profile = role-self
        aws_access_key_id = AKIDSELF
        aws_secret_access_key = self-secret

        [profile role-over-static]
        role_arn = \(roleA)
        source_profile = creds-only
        aws_access_key_id = AKIDOVER
        aws_secret_access_key = over-secret

        [profile cycle-a]
        role_arn = \(roleA)
        source_profile = cycle-b

        [profile cycle-b]
        role_arn = \(roleB)
        source_profile = cycle-a

        [profile role-self-no-keys]
        role_arn = \(roleA)
        source_profile = role-self-no-keys

        [profile role-missing-source]
        role_arn = \(roleA)
        source_profile = nowhere

        [profile role-both-sources]
        role_arn = \(roleA)
        source_profile = creds-only
        credential_source = Environment

        [profile role-no-source]
        role_arn = \(roleA)

        [profile role-bad-credential-source]
        role_arn = \(roleA)
        credential_source = Ec2Config

        [profile role-mfa]
        role_arn = \(roleA)
        source_profile = creds-only
        mfa_serial = arn:aws:iam::123456789012:mfa/operator
        duration_seconds = 900

        [profile role-empty-source]
        role_arn = \(roleA)
        source_profile = empty

        [profile webid]
        role_arn = \(roleB)
        web_identity_token_file = \(home)/token
        role_session_name = from-profile

        [profile webid-no-role]
        web_identity_token_file = \(home)/token

        [profile role-webid-source]
        role_arn = \(roleA)
        source_profile = webid

        [profile sso-legacy]
        sso_start_url = https://legacy.awsapps.com/start
        sso_region = us-east-1
        sso_account_id = 111122223333
        sso_role_name = Operator
        region = eu-central-1

        [profile sso-session]
        sso_session = corp
        sso_account_id = 111122223333
        sso_role_name = Admin

        [sso-session corp]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = eu-west-1
        sso_registration_scopes = sso:account:access

        [profile sso-incomplete]
        sso_account_id = 111122223333

        [profile sso-missing-session]
        sso_session = nowhere
        sso_account_id = 111122223333
        sso_role_name = Admin

        [profile sso-and-static]
        sso_start_url = https://legacy.awsapps.com/start
        sso_region = us-east-1
        sso_account_id = 111122223333
        sso_role_name = Operator

        [profile role-sso-source]
        role_arn = \(roleA)
        source_profile = sso-session

        [profile partial-config]
        aws_access_key_id = AKIDPARTIAL

        [profile empty]
        region = ca-central-1

        """
    }

    static let credentialsFile = """
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = default-secret

        [creds-only]
        aws_access_key_id = AKIDCREDSONLY
        aws_secret_access_key = creds-secret
        aws_session_token = creds-token

        [static-both]
        aws_access_key_id = AKIDCREDSBOTH
        aws_secret_access_key = creds-secret

        [sso-and-static]
        aws_access_key_id = AKIDSSOSTATIC
        aws_secret_access_key = creds-secret

        [partial-creds]
        aws_access_key_id = AKIDPARTIAL

        """

    /// The combinations: every profile alone, under environment keys and under environment web
    /// identity; then the container endpoint, IMDS, and the settings that conflict.
    static func cases(stub: String) -> [Case] {
        let profiles = [
            nil, "default", "static-config", "static-both", "process", "process-and-config-keys", "role-static", "role-chain",
            "role-chain-3", "role-process-source", "role-config-keys-source", "role-env", "role-imds", "role-container", "role-self",
            "role-over-static", "cycle-a", "role-self-no-keys", "role-missing-source", "role-both-sources", "role-no-source",
            "role-bad-credential-source", "role-mfa", "role-empty-source", "webid", "webid-no-role", "role-webid-source",
            "sso-legacy", "sso-session", "sso-incomplete", "sso-missing-session", "sso-and-static", "role-sso-source",
            "partial-config", "partial-creds", "empty", "missing-profile",
        ]
        let envKeys = ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"]
        let envWebIdentity = ["AWS_ROLE_ARN": roleB, "AWS_WEB_IDENTITY_TOKEN_FILE": "HOME/token", "AWS_ROLE_SESSION_NAME": "ci"]
        var cases: [Case] = []
        for profile in profiles {
            let selected = profile.map { ["AWS_PROFILE": $0] } ?? [:]
            cases.append(Case(label: "profile \(profile ?? "(none)")", env: selected))
            cases.append(Case(label: "profile \(profile ?? "(none)") + env keys", env: selected.merging(envKeys) { a, _ in a }))
            cases.append(Case(label: "profile \(profile ?? "(none)") + env web identity", env: selected.merging(envWebIdentity) { a, _ in a }))
        }
        let container = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": stub + "/container/credentials", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-auth"]
        let imds = ["AWS_EC2_METADATA_SERVICE_ENDPOINT": stub, "AWS_EC2_METADATA_DISABLED": ""]
        cases += [
            Case(label: "empty profile + container", env: ["AWS_PROFILE": "empty"].merging(container) { a, _ in a }),
            Case(label: "empty profile + IMDS", env: ["AWS_PROFILE": "empty"].merging(imds) { a, _ in a }),
            Case(label: "empty profile + container + IMDS", env: ["AWS_PROFILE": "empty"].merging(container) { a, _ in a }.merging(imds) { a, _ in a }),
            Case(label: "role-imds + IMDS", env: ["AWS_PROFILE": "role-imds"].merging(imds) { a, _ in a }),
            Case(label: "role-container + container", env: ["AWS_PROFILE": "role-container"].merging(container) { a, _ in a }),
            Case(label: "default profile + container (file keys win)", env: container),
            Case(label: "web identity env + container", env: envWebIdentity.merging(container) { a, _ in a }),
            Case(label: "AWS_DEFAULT_PROFILE beats AWS_PROFILE", env: ["AWS_DEFAULT_PROFILE": "static-config", "AWS_PROFILE": "process"]),
            Case(label: "AWS_DEFAULT_PROFILE alone", env: ["AWS_DEFAULT_PROFILE": "sso-legacy"]),
            Case(label: "AWS_DEFAULT_REGION beats the profile's region", env: ["AWS_PROFILE": "static-config", "AWS_DEFAULT_REGION": "sa-east-1"]),
            Case(label: "secret without key id is ignored", env: ["AWS_PROFILE": "empty", "AWS_SECRET_ACCESS_KEY": "lonely-secret"]),
            Case(label: "key id without secret", env: ["AWS_ACCESS_KEY_ID": "AKIDLONELY"]),
            Case(label: "web identity env without a role", env: ["AWS_PROFILE": "empty", "AWS_WEB_IDENTITY_TOKEN_FILE": "HOME/token"]),
            Case(label: "env role arn + profile token file", env: ["AWS_PROFILE": "webid", "AWS_ROLE_ARN": roleA]),
            Case(label: "role-env + env keys + env web identity", env: ["AWS_PROFILE": "role-env"].merging(envKeys) { a, _ in a }.merging(envWebIdentity) { a, _ in a }),
        ]
        return cases
    }

    /// One stand-in for everything the chain may call: STS, the SSO portal, the container endpoint, IMDS.
    static func standIn(_ request: StubHTTPServer.Request, _ index: Int) -> StubHTTPServer.Action {
        let expiration = AWSTimestamp.iso8601(Date().addingTimeInterval(3600))
        let body = String(decoding: request.body, as: UTF8.self)
        if request.method == .POST, body.hasPrefix("Action=AssumeRole") {
            let action = body.hasPrefix("Action=AssumeRoleWithWebIdentity") ? "AssumeRoleWithWebIdentity" : "AssumeRole"
            return .respond(status: 200, headers: ["Content-Type": "text/xml"], body: """
                <\(action)Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><\(action)Result><Credentials>\
                <AccessKeyId>ASIASTUB\(index)</AccessKeyId><SecretAccessKey>stub-secret</SecretAccessKey>\
                <SessionToken>stub-token-\(index)</SessionToken><Expiration>\(expiration)</Expiration></Credentials>\
                </\(action)Result></\(action)Response>
                """)
        }
        if request.uri.hasPrefix("/federation/credentials") {
            let ms = Int(Date().addingTimeInterval(3600).timeIntervalSince1970 * 1000)
            return .respond(status: 200, body: #"{"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"sso-secret","sessionToken":"sso-token","expiration":\#(ms)}}"#)
        }
        if request.uri.hasPrefix("/container/") {
            return .respond(status: 200, body: #"{"AccessKeyId":"ASIACONT","SecretAccessKey":"cont-secret","Token":"cont-token","Expiration":"\#(expiration)"}"#)
        }
        switch (request.method, request.uri) {
        case (.PUT, "/latest/api/token"):
            return .respond(status: 200, body: "imds-session")
        case (.GET, "/latest/meta-data/iam/security-credentials/"):
            return .respond(status: 200, body: "instance-role")
        case (.GET, "/latest/meta-data/iam/security-credentials/instance-role"):
            return .respond(status: 200, body: #"{"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"imds-secret","Token":"imds-token","Expiration":"\#(expiration)"}"#)
        default:
            return .respond(status: 404)
        }
    }

    /// A case's HOME with the shared files, the token, the process script and cached SSO tokens.
    static func home(for index: Int) throws -> String {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("keyrotator-oracle-\(UUID().uuidString)-\(index)").path
        try FileManager.default.createDirectory(atPath: home + "/.aws/sso/cache", withIntermediateDirectories: true)
        try configFile(home: home).write(toFile: home + "/.aws/config", atomically: true, encoding: .utf8)
        try credentialsFile.write(toFile: home + "/.aws/credentials", atomically: true, encoding: .utf8)
        try "header.payload.signature".write(toFile: home + "/token", atomically: true, encoding: .utf8)
        let expiration = AWSTimestamp.iso8601(Date().addingTimeInterval(3600))
        try "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"proc-secret\", \"Expiration\": \"\(expiration)\"}'\n"
            .write(toFile: home + "/process.sh", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: home + "/process.sh")
        let token = #"{"accessToken": "cached-sso-token", "expiresAt": "\#(expiration)", "region": "us-east-1"}"#
        let sso = SSOCredentialProvider(profileName: "any", context: CredentialContext(environment: AWSEnvironment(variables: [:], homeDirectory: home)))
        for (url, session) in [("https://corp.awsapps.com/start", "corp"), ("https://legacy.awsapps.com/start", nil)] {
            let settings = SSOCredentialProvider.Settings(startURL: url, region: "us-east-1", accountId: "1", roleName: "r", sessionName: session)
            guard let path = sso.tokenCachePath(settings) else { continue }
            try token.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return home
    }

    @Test(.timeLimit(.minutes(5)))
    func ourChainPicksWhatBotocorePicks() async throws {
        try await StubHTTPServer.with(Self.standIn) { stub in
            let cases = Self.cases(stub: stub.endpoint)
            var homes: [String] = []
            defer { for home in homes { try? FileManager.default.removeItem(atPath: home) } }
            var environments: [[String: String]] = []
            for (index, testCase) in cases.enumerated() {
                let home = try Self.home(for: index)
                homes.append(home)
                var env = ["HOME": home, "AWS_CONFIG_FILE": home + "/.aws/config", "AWS_SHARED_CREDENTIALS_FILE": home + "/.aws/credentials",
                           "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL_STS": stub.endpoint, "AWS_ENDPOINT_URL_SSO": stub.endpoint,
                           "PATH": "/usr/bin:/bin"]
                for (name, value) in testCase.env {
                    if value.isEmpty { env[name] = nil } else { env[name] = value.replacing("HOME/", with: home + "/") }
                }
                environments.append(env)
            }
            let answers = try await Self.runOracle(environments.map { OracleCase(env: $0) })
            try #require(answers.count == cases.count)

            var mismatches: [String] = []
            var sourcesSeen: Set<String> = []
            var errors = 0
            for (index, testCase) in cases.enumerated() {
                let environment = AWSEnvironment(variables: environments[index])
                let context = CredentialContext(environment: environment, mfaCodeProvider: { _, _ in "123456" }, timeout: .seconds(5))
                let ours: Outcome
                do {
                    let resolved = try await CredentialProviderChain.default(context: context).resolve()
                    ours = Outcome(sources: resolved?.sources.map(\.rawValue) ?? [], error: false)
                } catch let error as AWSConfigurationError where error.code == "NoCredentials" {
                    ours = Outcome(sources: [], error: false)  // botocore answers None
                } catch {
                    ours = Outcome(sources: [], error: true)
                }
                let answer = answers[index]
                let theirs = Outcome(sources: answer.sources, error: answer.error != nil)
                if ours != theirs { mismatches.append("\(testCase.label): ours \(ours), botocore \(theirs) \(answer.error ?? "")") }
                let ourRegion = try? RegionResolver.resolve(environment)
                if ourRegion != answer.region { mismatches.append("\(testCase.label): region ours \(ourRegion ?? "none"), botocore \(answer.region ?? "none")") }
                sourcesSeen.formUnion(theirs.sources)
                if theirs.error { errors += 1 }
            }
            #expect(cases.count >= 30)
            // Every source the issue names occurs, and so do conflicts that botocore refuses.
            let wanted: Set<String> = ["env", "shared-credentials-file", "config-file", "custom-process", "assume-role",
                                       "assume-role-with-web-identity", "sso", "container-role", "iam-role"]
            #expect(wanted.isSubset(of: sourcesSeen), "sources never produced: \(wanted.subtracting(sourcesSeen).sorted())")
            #expect(errors >= 10)
            #expect(mismatches.isEmpty, "\(mismatches.count) of \(cases.count) cases differ from botocore:\n\(mismatches.joined(separator: "\n"))")
        }
    }

    static func runOracle(_ cases: [OracleCase]) async throws -> [OracleAnswer] {
        try await PythonOracle.run("credential_oracle.py", input: cases, as: [OracleAnswer].self, environment: ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent"])
    }
}
