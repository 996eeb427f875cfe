import AsyncHTTPClient
@testable import AWSCore
import Foundation
import NIOHTTP1
import Synchronization
import Testing
import TestSupport

/// The credential chain against real files, a real child process and local HTTP endpoints.
@Suite(.timeLimit(.minutes(5))) struct CredentialChainTests {
    /// A fresh directory with the given files; removed by the caller.
    static func directory(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keyrotator-creds-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/.aws", withIntermediateDirectories: true)
        for (name, text) in files {
            let path = dir + "/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            if name.hasSuffix(".sh") { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
        }
        return dir
    }

    /// Only what the test sets, plus IMDS switched off so the chain never leaves loopback.
    static func env(_ vars: [String: String], home: String) -> AWSEnvironment {
        AWSEnvironment(variables: vars.merging(["AWS_EC2_METADATA_DISABLED": "true", "PATH": "/usr/bin:/bin"]) { a, _ in a }, homeDirectory: home)
    }

    @Test func environmentVariablesComeFirst() async throws {
        let home = try Self.directory([".aws/credentials": "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = filesecret\n"])
        defer { try? FileManager.default.removeItem(atPath: home) }
        let env = Self.env(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_SESSION_TOKEN": "tok"], home: home)
        let credentials = try await CredentialProviderChain.default(environment: env, httpClient: .shared).credentials()
        #expect(credentials?.accessKeyId == "AKIDENV")
        #expect(credentials?.sessionToken == "tok")
    }

    @Test func halfSetEnvironmentIsAnErrorNamingTheMissingVariable() async throws {
        let env = Self.env(["AWS_ACCESS_KEY_ID": "AKIDENV"], home: "/nonexistent")
        await #expect {
            _ = try await EnvironmentCredentialProvider(environment: env).credentials()
        } throws: { error in
            (error as? AWSConfigurationError)?.message.contains("AWS_SECRET_ACCESS_KEY") == true
        }
    }

    @Test func namedProfileFromConfigAndCredentialsFiles() async throws {
        let home = try Self.directory([
            ".aws/config": "[default]\nregion = us-west-2\n\n[profile dev]\nregion = eu-central-1\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = configsecret\ns3 =\n  max_concurrent_requests = 20\n",
            ".aws/credentials": "# comment\n[dev]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = credssecret\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: home) }
        let env = Self.env(["AWS_PROFILE": "dev"], home: home)
        let credentials = try await CredentialProviderChain.default(environment: env, httpClient: .shared).credentials()
        #expect(credentials?.accessKeyId == "AKIDCREDS", "the credentials file wins over the config file")
        #expect(try RegionResolver.resolve(env) == "eu-central-1")
        #expect(try RegionResolver.resolve(Self.env([:], home: home)) == "us-west-2")
    }

    @Test func configAndCredentialsFileLocationsCanBeMoved() async throws {
        let dir = try Self.directory(["elsewhere-config": "[profile ops]\nregion = ap-south-1\n", "elsewhere-creds": "[ops]\naws_access_key_id = AKIDMOVED\naws_secret_access_key = s\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = Self.env(["AWS_PROFILE": "ops", "AWS_CONFIG_FILE": dir + "/elsewhere-config", "AWS_SHARED_CREDENTIALS_FILE": dir + "/elsewhere-creds"], home: "/nonexistent")
        #expect(try await ProfileCredentialProvider(environment: env).credentials()?.accessKeyId == "AKIDMOVED")
        #expect(try RegionResolver.resolve(env) == "ap-south-1")
    }

    @Test func missingExplicitProfileIsAnError() async throws {
        let home = try Self.directory([".aws/config": "[default]\nregion = us-east-1\n"])
        defer { try? FileManager.default.removeItem(atPath: home) }
        let env = Self.env(["AWS_PROFILE": "nope"], home: home)
        await #expect {
            _ = try await ProfileCredentialProvider(environment: env).credentials()
        } throws: { error in
            let e = error as? AWSConfigurationError
            return e?.code == "ProfileNotFound" && e?.message.contains("'nope'") == true
        }
    }

    @Test func credentialsFileKeysThenProcessThenConfigFileKeys() async throws {
        let home = try Self.directory([
            "creds.sh": "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"procsecret\"}'\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: home) }
        try "[profile mixed]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = c\ncredential_process = \(home)/creds.sh\n[profile keys]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = c\ncredential_process = \(home)/creds.sh\n"
            .write(toFile: home + "/.aws/config", atomically: true, encoding: .utf8)
        try "[keys]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = k\n".write(toFile: home + "/.aws/credentials", atomically: true, encoding: .utf8)
        let mixed = try await CredentialProviderChain.default(environment: Self.env(["AWS_PROFILE": "mixed"], home: home), httpClient: .shared).resolve()
        #expect(mixed?.credentials.accessKeyId == "AKIDPROC" && mixed?.source == .process)
        let keys = try await CredentialProviderChain.default(environment: Self.env(["AWS_PROFILE": "keys"], home: home), httpClient: .shared).resolve()
        #expect(keys?.credentials.accessKeyId == "AKIDCREDS" && keys?.source == .sharedCredentialsFile)
    }

    @Test func credentialProcessIsRunAndItsExpirationKept() async throws {
        let home = try Self.directory([
            "creds.sh": "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"procsecret\", \"SessionToken\": \"proctoken\", \"Expiration\": \"2030-01-02T03:04:05Z\"}'\n",
            "fail.sh": "#!/bin/sh\necho oops >&2\nexit 3\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: home) }
        try "[profile proc]\ncredential_process = \(home)/creds.sh --flag\n[profile broken]\ncredential_process = \(home)/fail.sh\n"
            .write(toFile: home + "/.aws/config", atomically: true, encoding: .utf8)
        let credentials = try await ProfileCredentialProvider(environment: Self.env(["AWS_PROFILE": "proc"], home: home)).credentials()
        #expect(credentials?.accessKeyId == "AKIDPROC")
        #expect(credentials?.sessionToken == "proctoken")
        #expect(credentials?.expiration == AWSTimestamp.parseISO8601("2030-01-02T03:04:05Z"))
        await #expect {
            _ = try await ProfileCredentialProvider(environment: Self.env(["AWS_PROFILE": "broken"], home: home)).credentials()
        } throws: { error in
            (error as? AWSConfigurationError)?.message.contains("exited with status 3") == true
        }
    }

    @Test func containerEndpointWithAuthorizationTokenFile() async throws {
        let home = try Self.directory(["token": "Bearer container-token\n"])
        defer { try? FileManager.default.removeItem(atPath: home) }
        try await StubHTTPServer.with({ request, _ in
            guard request.headers.first(name: "Authorization") == "Bearer container-token" else { return .respond(status: 401) }
            return .respond(status: 200, body: #"{"AccessKeyId":"AKIDCONT","SecretAccessKey":"contsecret","Token":"conttoken","Expiration":"2031-05-06T07:08:09Z"}"#)
        }) { server in
            let env = Self.env(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.endpoint + "/v2/credentials/abc",
                                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": home + "/token"], home: home)
            let chain = CredentialProviderChain.default(environment: env, httpClient: .shared)
            let credentials = try await chain.credentials()
            #expect(credentials?.accessKeyId == "AKIDCONT")
            #expect(credentials?.sessionToken == "conttoken")
            #expect(chain.source == .container)
            #expect(server.requests.first?.uri == "/v2/credentials/abc")
        }
    }

    @Test func containerFullURIMustBeLoopbackOrHTTPS() async throws {
        let env = Self.env(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://example.com/creds"], home: "/nonexistent")
        await #expect(throws: AWSConfigurationError.self) {
            _ = try await ContainerCredentialProvider(environment: env, httpClient: .shared).credentials()
        }
    }

    @Test func instanceMetadataUsesASessionToken() async throws {
        try await StubHTTPServer.with({ request, _ in
            switch (request.method, request.uri) {
            case (.PUT, "/latest/api/token"):
                return request.headers.first(name: "x-aws-ec2-metadata-token-ttl-seconds") == nil ? .respond(status: 400) : .respond(status: 200, body: "imds-session")
            case (.GET, "/latest/meta-data/iam/security-credentials/"):
                return request.headers.first(name: "x-aws-ec2-metadata-token") == "imds-session" ? .respond(status: 200, body: "web-role\n") : .respond(status: 401)
            case (.GET, "/latest/meta-data/iam/security-credentials/web-role"):
                return request.headers.first(name: "x-aws-ec2-metadata-token") == "imds-session"
                    ? .respond(status: 200, body: #"{"Code":"Success","AccessKeyId":"AKIDIMDS","SecretAccessKey":"imdssecret","Token":"imdstoken","Expiration":"2032-01-01T00:00:00Z"}"#)
                    : .respond(status: 401)
            default:
                return .respond(status: 404)
            }
        }) { server in
            let env = AWSEnvironment(variables: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.endpoint], homeDirectory: "/nonexistent")
            let credentials = try await CredentialProviderChain.default(environment: env, httpClient: .shared).credentials()
            #expect(credentials?.accessKeyId == "AKIDIMDS")
            #expect(credentials?.expiration == AWSTimestamp.parseISO8601("2032-01-01T00:00:00Z"))
            #expect(server.requests.map(\.method) == [.PUT, .GET, .GET])
        }
    }

    @Test func nothingConfiguredSaysWhatWasTried() async throws {
        let env = Self.env([:], home: "/nonexistent")
        await #expect {
            _ = try await CredentialProviderChain.default(environment: env, httpClient: .shared).credentials()
        } throws: { error in
            let e = error as? AWSConfigurationError
            return e?.code == "NoCredentials" && e?.message.contains("AWS_ACCESS_KEY_ID") == true
        }
    }

    /// A provider that counts its calls and hands out credentials expiring `lifetime` after a clock.
    final class CountingProvider: CredentialProvider {
        let name = "counting"
        let calls = Atomic<Int>(0)
        let clock: Clock
        init(clock: Clock) { self.clock = clock }
        func credentials() async throws -> AWSCredentials? {
            let n = calls.add(1, ordering: .relaxed).newValue
            try await Task.sleep(for: .milliseconds(50))
            return AWSCredentials(accessKeyId: "AKIDTEMP\(n)", secretAccessKey: "s", sessionToken: "t", expiration: clock.now.addingTimeInterval(3600))
        }
    }

    final class Clock: Sendable {
        let offset = Mutex<TimeInterval>(0)
        var now: Date { Date(timeIntervalSince1970: 2_000_000_000 + offset.withLock { $0 }) }
    }

    @Test func temporaryCredentialsAreRefreshedOnceUnderConcurrentCallers() async throws {
        let clock = Clock()
        let provider = CountingProvider(clock: clock)
        let cache = CredentialCache(provider: provider, refreshMargin: .seconds(300), now: { clock.now })
        let first = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<64 { group.addTask { try await cache.credentials().accessKeyId } }
            return try await Set(group.reduce(into: []) { $0.append($1) })
        }
        #expect(first == ["AKIDTEMP1"])
        #expect(provider.calls.load(ordering: .relaxed) == 1)

        clock.offset.withLock { $0 = 3600 - 299 }  // inside the refresh margin
        let second = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<64 { group.addTask { try await cache.credentials().accessKeyId } }
            return try await Set(group.reduce(into: []) { $0.append($1) })
        }
        #expect(second == ["AKIDTEMP2"])
        #expect(provider.calls.load(ordering: .relaxed) == 2)
    }
}
