@testable import AWSCore
import Foundation
import LocalEmulator
import Logging
import NIOHTTP1
import Testing
import TestSupport

/// HTTPS_PROXY/HTTP_PROXY/NO_PROXY and AWS_CA_BUNDLE / `ca_bundle`, for every AWS call
/// `AWSClient.fromEnvironment` makes: through a counting CONNECT proxy on loopback and against an
/// HTTPS stand-in whose certificate a throw-away CA signed.
@Suite(.timeLimit(.minutes(3))) struct NetworkSettingsTests {
    func env(_ vars: [String: String]) -> AWSEnvironment { AWSEnvironment(variables: vars, homeDirectory: "/nonexistent") }

    @Test func proxyVariablesAreReadAsCurlAndPythonReadThem() throws {
        let settings = try AWSNetworkSettings.fromEnvironment(env([
            "HTTPS_PROXY": "http://upper.example:3128", "https_proxy": "http://ops:p%40ss@lower.example:8080/",
            "HTTP_PROXY": "plain.example:3129", "NO_PROXY": "localhost, .internal.example,169.254.169.254,Metadata:8080",
        ]))
        #expect(settings.httpsProxy == AWSProxy(host: "lower.example", port: 8080, username: "ops", password: "p@ss"), "the lower-case name wins")
        #expect(settings.httpProxy == AWSProxy(host: "plain.example", port: 3129))
        #expect(settings.httpsProxy?.description == "http://ops:***@lower.example:8080")
        #expect(settings.proxy(scheme: "https", host: "sts.eu-west-1.amazonaws.com", port: nil)?.host == "lower.example")
        #expect(settings.proxy(scheme: "http", host: "127.0.0.1", port: 5000)?.host == "plain.example")
        #expect(settings.proxy(scheme: "https", host: "LOCALHOST", port: 443) == nil)
        #expect(settings.proxy(scheme: "https", host: "vault.internal.example", port: nil) == nil)
        #expect(settings.proxy(scheme: "https", host: "internal.example", port: nil) == nil)
        #expect(settings.proxy(scheme: "http", host: "169.254.169.254", port: nil) == nil)
        #expect(settings.proxy(scheme: "http", host: "metadata", port: 8080) == nil)
        #expect(settings.proxy(scheme: "http", host: "metadata", port: 80) != nil)
        #expect(settings.proxy(scheme: "https", host: "notinternal.example", port: nil) != nil)
        #expect(try AWSNetworkSettings.fromEnvironment(env(["HTTPS_PROXY": "http://p:1", "no_proxy": "*"])).proxy(scheme: "https", host: "x", port: nil) == nil)
        #expect(try AWSNetworkSettings.fromEnvironment(env([:])).proxy(scheme: "https", host: "x", port: nil) == nil)
    }

    @Test func unusableProxySettingsAreErrorsThatHideThePassword() {
        for (value, words) in [("https://user:hunter2@proxy:443", "only http://"), ("http://user:hunter2@proxy:notaport", "not a proxy URL"), ("socks5://proxy:1080", "only http://")] {
            #expect {
                _ = try AWSNetworkSettings.fromEnvironment(env(["HTTPS_PROXY": value]))
            } throws: { error in
                let message = (error as? AWSConfigurationError)?.message ?? ""
                return message.contains("HTTPS_PROXY") && message.contains(words) && !message.contains("hunter2")
            }
        }
    }

    @Test func everyCallGoesThroughTheProxyUnlessNoProxyNamesTheHost() async throws {
        let moto = try await MotoServer.shared()
        let motoPort = try #require(URL(string: moto.endpoint)?.port)
        let role = try await MotoIAM.createRole(moto, trusting: MotoIAM.harnessUserArn, allowing: ["secretsmanager:ListSecrets"])
        let config = "[profile proxied]\nrole_arn = \(role)\nsource_profile = base\n"
        let credentials = "[base]\naws_access_key_id = \(moto.accessKeyId)\naws_secret_access_key = \(moto.secretAccessKey)\n"
        try await CredentialTestFiles.withHome(config: config, credentials: credentials) { home in
            try await ConnectProxy.with { proxy in
                // Services through the proxy; STS (the AssumeRole of the profile) too.
                let environment = CredentialTestFiles.environment(["AWS_PROFILE": "proxied", "AWS_ENDPOINT_URL": moto.endpoint, "AWS_REGION": moto.region,
                                                                   "HTTP_PROXY": proxy.url], home: home)
                try await AWSClient.fromEnvironment(environment, logger: Logger(label: "test")).listSecrets()
                #expect(proxy.tunnels.contains("127.0.0.1:\(motoPort)"))
                let tunnelsBefore = proxy.tunnels.count
                // NO_PROXY for the services' host; STS at another name for the same moto still goes through the proxy.
                let split = CredentialTestFiles.environment(["AWS_PROFILE": "proxied", "AWS_ENDPOINT_URL": moto.endpoint, "AWS_REGION": moto.region,
                                                             "AWS_ENDPOINT_URL_STS": "http://localhost:\(motoPort)", "http_proxy": proxy.url,
                                                             "no_proxy": "127.0.0.1"], home: home)
                try await AWSClient.fromEnvironment(split, logger: Logger(label: "test")).listSecrets()
                #expect(Array(proxy.tunnels.dropFirst(tunnelsBefore)) == ["localhost:\(motoPort)"], "only STS went through the proxy")
            }
        }
    }

    @Test func proxyCredentialsAreSentAndNeverShown() async throws {
        let moto = try await MotoServer.shared()
        try await ConnectProxy.with(requiring: ("ops", "s3cr3t-proxy")) { proxy in
            let good = proxy.url.replacing("http://", with: "http://ops:s3cr3t-proxy@")
            let base = moto.environment().merging(["AWS_EC2_METADATA_DISABLED": "true"]) { _, new in new }
            let client = try AWSClient.fromEnvironment(AWSEnvironment(variables: base.merging(["HTTP_PROXY": good]) { _, new in new }, homeDirectory: "/nonexistent"),
                                                       logger: Logger(label: "test"))
            try await client.listVersionsOfAMissingSecret()
            #expect(proxy.tunnels.count == 1 && proxy.refused == 0)
            let wrong = proxy.url.replacing("http://", with: "http://ops:wrong-guess@")
            let refusedClient = try AWSClient.fromEnvironment(AWSEnvironment(variables: base.merging(["HTTP_PROXY": wrong, "AWS_MAX_ATTEMPTS": "1"]) { _, new in new },
                                                                              homeDirectory: "/nonexistent"), logger: Logger(label: "test"))
            await #expect {
                try await refusedClient.listVersionsOfAMissingSecret()
            } throws: { error in
                !"\(error)".contains("wrong-guess") && !"\(error)".contains("s3cr3t-proxy")
            }
            #expect(proxy.refused >= 1)
        }
    }

    @Test func caBundleFromTheEnvironmentOrTheProfileIsTrusted() async throws {
        let authority = try await TestCertificateAuthority.make()
        defer { authority.remove() }
        try await StubHTTPServer.with(tls: authority.server, { _, _ in .respond(status: 200, headers: ["Content-Type": "application/x-amz-json-1.1"], body: "{}") }) { server in
            try await CredentialTestFiles.withHome(config: "[profile private-ca]\nca_bundle = \(authority.caCertificatePath)\n") { home in
                let base = ["AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "test-secret", "AWS_REGION": "eu-west-1",
                            "AWS_ENDPOINT_URL": server.endpoint, "AWS_MAX_ATTEMPTS": "1"]
                func client(_ extra: [String: String]) throws -> AWSClient {
                    try AWSClient.fromEnvironment(CredentialTestFiles.environment(base.merging(extra) { _, new in new }, home: home), logger: Logger(label: "test"))
                }
                await #expect(throws: AWSTransportError.self) { try await client([:]).listSecrets() }
                #expect(server.requests.isEmpty, "an untrusted certificate is refused before any request")
                try await client(["AWS_CA_BUNDLE": authority.caCertificatePath]).listSecrets()
                try await client(["AWS_PROFILE": "private-ca"]).listSecrets()
                try await ConnectProxy.with { proxy in
                    try await client(["AWS_CA_BUNDLE": authority.caCertificatePath, "HTTPS_PROXY": proxy.url]).listSecrets()
                    #expect(proxy.tunnels == ["127.0.0.1:\(server.port)"], "TLS through the CONNECT tunnel")
                }
                #expect(server.requests.count == 3)
                await #expect {
                    try await client(["AWS_CA_BUNDLE": home + "/missing.pem"]).listSecrets()
                } throws: { error in
                    let error = error as? AWSConfigurationError
                    return error?.code == "InvalidCABundle" && error?.message.contains("AWS_CA_BUNDLE") == true
                }
            }
        }
    }
}

struct ListVersionsInput: Encodable { var SecretId: String }

extension AWSClient {
    /// A call the harness user may make; a missing secret answers with an AWS error, which proves the call arrived.
    func listVersionsOfAMissingSecret() async throws {
        do {
            _ = try await jsonRaw(service: .secretsManager, operation: "DescribeSecret", input: ListVersionsInput(SecretId: "kr-missing-\(UUID().uuidString)"))
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {
            return
        }
    }
}
