import AWSCore
import Foundation
import LocalEmulator
import NIOHTTP1
import Testing
import TestSupport

/// The `keyrotator` binary with the network settings operators have: a proxy (HTTPS_PROXY,
/// HTTP_PROXY, NO_PROXY), a private CA (AWS_CA_BUNDLE), and `--verbose` with an assume-role profile.
@Suite("keyrotator behind a proxy, with a CA bundle, verbose", .timeLimit(.minutes(10)))
struct CLINetworkTests {
    @Test("HTTP_PROXY carries the calls to the emulator; NO_PROXY sends them direct")
    func httpProxy() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        let port = try #require(URL(string: moto.endpoint)?.port)
        try await ConnectProxy.with { proxy in
            var environment = try CLIProcess.motoEnvironment(moto)
            environment["HTTP_PROXY"] = proxy.url
            let proxied = try await CLIProcess.run(["origin", "status", "--secret-id", scenario.secretName], environment: environment)
            #expect(proxied.exitCode == 0, "\(proxied)")
            #expect(proxied.stdout.contains("AWSCURRENT"))
            #expect(proxy.tunnels.contains("127.0.0.1:\(port)"), "\(proxy.tunnels)")

            let before = proxy.tunnels.count
            environment["NO_PROXY"] = "127.0.0.1"
            let direct = try await CLIProcess.run(["origin", "status", "--secret-id", scenario.secretName], environment: environment)
            #expect(direct.exitCode == 0, "\(direct)")
            #expect(proxy.tunnels.count == before, "NO_PROXY names the host: no tunnel")
        }
    }

    @Test("HTTPS through the proxy to an endpoint whose certificate only AWS_CA_BUNDLE's CA signed")
    func httpsProxyAndCABundle() async throws {
        let authority = try await TestCertificateAuthority.make()
        defer { authority.remove() }
        let describe = #"{"ARN":"arn:aws:secretsmanager:us-east-1:123456789012:secret:kr-ca-test","Name":"kr-ca-test","VersionIdsToStages":{"v1":["AWSCURRENT"]}}"#
        try await StubHTTPServer.with(tls: authority.server, { _, _ in
            .respond(status: 200, headers: ["Content-Type": "application/x-amz-json-1.1"], body: describe)
        }) { server in
            try await ConnectProxy.with { proxy in
                var environment = try CLIProcess.motoEnvironment(try await MotoServer.shared())
                environment["AWS_ENDPOINT_URL"] = server.endpoint
                environment["AWS_MAX_ATTEMPTS"] = "1"
                environment["HTTPS_PROXY"] = proxy.url
                let untrusted = try await CLIProcess.run(["origin", "status", "--secret-id", "kr-ca-test"], environment: environment)
                #expect(untrusted.exitCode == 3, "\(untrusted)")
                #expect(server.requests.isEmpty, "without the bundle the certificate is refused before any request")

                environment["AWS_CA_BUNDLE"] = authority.caCertificatePath
                let trusted = try await CLIProcess.run(["origin", "status", "--secret-id", "kr-ca-test", "--json"], environment: environment)
                #expect(!server.requests.isEmpty, "\(trusted)")
                #expect(server.requests.first?.headers.first(name: "x-amz-target") == "secretsmanager.DescribeSecret")
                #expect(proxy.tunnels.allSatisfy { $0 == "127.0.0.1:\(server.port)" } && proxy.tunnels.count >= 2, "both runs tunnelled: \(proxy.tunnels)")
            }
        }
    }

    @Test("--verbose with an assume-role profile shows the source, never an access key, secret key or session token")
    func verboseAssumeRole() async throws {
        let (moto, client) = try await CLITestKit.moto()
        let scenario = try await OriginSecretScenario.make(client, distributions: 1)
        let role = try await MotoIAM.createRole(moto, trusting: MotoIAM.harnessUserArn, allowing: ["secretsmanager:*"])
        var environment = try CLIProcess.motoEnvironment(moto)
        for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"] { environment[name] = nil }
        environment["AWS_PROFILE"] = "ops"
        let home = environment["HOME"] ?? ""
        defer { try? FileManager.default.removeItem(atPath: home) }
        try FileManager.default.createDirectory(atPath: home + "/.aws", withIntermediateDirectories: true)
        try "[profile ops]\nrole_arn = \(role)\nsource_profile = base\nduration_seconds = 900\n".write(toFile: home + "/.aws/config", atomically: true, encoding: .utf8)
        try "[base]\naws_access_key_id = \(moto.accessKeyId)\naws_secret_access_key = \(moto.secretAccessKey)\n"
            .write(toFile: home + "/.aws/credentials", atomically: true, encoding: .utf8)

        let result = try await CLIProcess.run(["origin", "status", "--secret-id", scenario.secretName, "--verbose"], environment: environment)
        #expect(result.exitCode == 0, "\(result)")
        let output = result.stdout + result.stderr
        #expect(output.contains("source=assume-role"), "\(result.stderr)")
        #expect(output.contains("accessKeyId=****"))
        #expect(!output.contains(moto.accessKeyId) && !output.contains(moto.secretAccessKey), "the source keys")
        // The assumed keys are not known to the test: no whole access key id (AKIA/ASIA + 16) and no session token (moto's prefix) appear.
        let keyIds = output.matches(of: /(AKIA|ASIA)[A-Z0-9]{16}/).count
        #expect(keyIds == 0, "\(keyIds) access key ids in the output")
        #expect(!output.contains("FQoGZXIvYXdz"), "a session token")
        #expect(!output.contains(scenario.initialValue))
    }
}
