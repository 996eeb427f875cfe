import AsyncHTTPClient
import Foundation
import LocalEmulator
import NIOCore
import NIOHTTP1
import Testing
import TestSupport

/// Tests of the test harness itself: moto with IAM auth on, and the fault-injecting proxy.
@Suite("Harness", .timeLimit(.minutes(5)))
struct HarnessTests {
    // MARK: moto

    @Test("parallel callers share one moto, and a botocore call signed as the harness user succeeds")
    func motoStartsOnceAndAnswersSignedCalls() async throws {
        let servers = try await withThrowingTaskGroup(of: MotoServer.self) { group in
            for _ in 0..<8 { group.addTask { try await MotoServer.shared() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let moto = try #require(servers.first)
        #expect(servers.allSatisfy { $0 === moto })
        #expect(moto.endpoint == "http://127.0.0.1:\(moto.port)")
        #expect(moto.isRunning)

        let name = "harness-\(UUID().uuidString)"
        let output = try await Botocore.run(
            """
            sm = boto3.client("secretsmanager")
            sm.create_secret(Name=NAME, SecretString="v1")
            print(sm.describe_secret(SecretId=NAME)["Name"])
            """,
            name: name, environment: moto.environment(), moto: moto
        )
        #expect(output == name)
    }

    @Test("an unsigned request is rejected with 403 MissingAuthenticationToken")
    func unsignedRequestIsRejected() async throws {
        let moto = try await MotoServer.shared()
        let response = try await send(.POST, moto.endpoint, target: "secretsmanager.ListSecrets")
        #expect(response.status == .forbidden)
        #expect(response.bodyString.contains("MissingAuthenticationToken"))
    }

    @Test("a request signed with an unknown access key is rejected with 403 InvalidClientTokenId")
    func unknownAccessKeyIsRejected() async throws {
        let moto = try await MotoServer.shared()
        let response = try await send(
            .POST, moto.endpoint, target: "secretsmanager.ListSecrets",
            headers: [
                "X-Amz-Date": "20260101T000000Z",
                "Authorization": "AWS4-HMAC-SHA256 Credential=AKIANOTAREALKEY00000/20260101/us-east-1/secretsmanager/"
                    + "aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
            ]
        )
        #expect(response.status == .forbidden)
        #expect(response.bodyString.contains("InvalidClientTokenId"))
    }

    @Test("a call outside the harness user's policy is denied, and a bodiless signed GET verifies")
    func policyIsEnforcedAndBodilessGetVerifies() async throws {
        let moto = try await MotoServer.shared()
        let output = try await Botocore.run(
            """
            print(len(boto3.client("apigateway").get_api_keys()["items"]) >= 0)
            try:
                boto3.client("secretsmanager").list_secrets()
                print("allowed")
            except botocore.exceptions.ClientError as error:
                print(error.response["ResponseMetadata"]["HTTPStatusCode"])
            """,
            environment: moto.environment(), moto: moto
        )
        #expect(output == "True\n403")
    }

    @Test("the CloudFront transition helper keeps a new distribution InProgress for N describes")
    func cloudFrontTransition() async throws {
        let moto = try await MotoServer.shared()
        let output = try await moto.withTransition(modelName: MotoServer.cloudFrontDistributionModel, .manual(times: 2)) {
            try await Botocore.run(
                """
                cf = boto3.client("cloudfront")
                origin = {"Id": "o", "DomainName": "origin.example.com",
                          "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"}}
                config = {"CallerReference": NAME, "Comment": "", "Enabled": True,
                          "Origins": {"Quantity": 1, "Items": [origin]},
                          "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all",
                                                   "MinTTL": 0, "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}}}}
                dist = cf.create_distribution(DistributionConfig=config)["Distribution"]
                print(" ".join(cf.get_distribution(Id=dist["Id"])["Distribution"]["Status"] for _ in range(3)))
                """,
                name: UUID().uuidString, environment: moto.environment(), moto: moto
            )
        }
        #expect(output == "InProgress Deployed Deployed")
    }

    // MARK: FaultProxy

    @Test("a call signed for the proxy's endpoint verifies upstream: headers and Host are forwarded unchanged")
    func proxyForwardsSignedCalls() async throws {
        let moto = try await MotoServer.shared()
        try await FaultProxy.with(upstream: moto) { proxy in
            var environment = moto.environment()
            environment["AWS_ENDPOINT_URL"] = proxy.endpoint
            let name = "harness-proxy-\(UUID().uuidString)"
            let output = try await Botocore.run(
                """
                sm = boto3.client("secretsmanager")
                sm.create_secret(Name=NAME, SecretString="v1")
                print(sm.get_secret_value(SecretId=NAME)["Name"])
                """,
                name: name, environment: environment, moto: moto
            )
            #expect(output == name)
            #expect(proxy.count(.target("secretsmanager.CreateSecret")) == 1)
            #expect(proxy.count(.target("GetSecretValue")) == 1)
            #expect(proxy.requestCount == 2)
        }
    }

    @Test("every 3rd matching request is throttled; other requests reach moto")
    func proxyThrottlesEveryThirdRequest() async throws {
        let moto = try await MotoServer.shared()
        try await FaultProxy.with(upstream: moto) { proxy in
            proxy.addRule(.init("throttle", when: .target("GetSecretValue"), schedule: .everyNth(3), action: .throttling(.json)))
            var statuses: [UInt] = []
            for _ in 0..<6 {
                statuses.append(try await send(.POST, proxy.endpoint, target: "secretsmanager.GetSecretValue").status.code)
            }
            let other = try await send(.POST, proxy.endpoint, target: "secretsmanager.DescribeSecret")
            #expect(statuses == [403, 403, 400, 403, 403, 400])
            #expect(other.status == .forbidden)
            #expect(proxy.hits(rule: "throttle") == 2)
            #expect(proxy.count(.target("GetSecretValue")) == 6)
            #expect(proxy.requestCount == 7)
        }
    }

    @Test("an injected 503 carries an AWS error body; the handler decides when no rule fires")
    func proxyInjectsServiceUnavailable() async throws {
        let moto = try await MotoServer.shared()
        try await FaultProxy.with(upstream: moto) { proxy in
            proxy.setRule { request in
                request.path.hasPrefix("/apikeys") ? .serviceUnavailable(.restJSON) : .forward
            }
            let failed = try await send(.GET, proxy.endpoint + "/apikeys")
            let forwarded = try await send(.GET, proxy.endpoint + "/restapis")
            #expect(failed.status == .serviceUnavailable)
            #expect(failed.headers.first(name: "x-amzn-ErrorType") == "ServiceUnavailable")
            #expect(failed.bodyString.contains(#""__type":"ServiceUnavailable""#))
            #expect(forwarded.status == .forbidden)
        }
    }

    @Test("a reset connection fails the client's request; the next request is forwarded")
    func proxyResetsConnection() async throws {
        let moto = try await MotoServer.shared()
        try await FaultProxy.with(upstream: moto) { proxy in
            proxy.addRule(.init("reset", limit: 1, action: .resetConnection))
            await #expect(throws: (any Error).self) {
                _ = try await send(.POST, proxy.endpoint, target: "secretsmanager.ListSecrets")
            }
            let next = try await send(.POST, proxy.endpoint, target: "secretsmanager.ListSecrets")
            #expect(next.status == .forbidden)
            #expect(proxy.hits(rule: "reset") == 1)
            #expect(proxy.requestCount == 2)
        }
    }

    @Test("a delayed request is answered after the delay; a timed-out one never is, and shutdown still ends", .timeLimit(.minutes(2)))
    func proxyDelaysAndTimesOut() async throws {
        let moto = try await MotoServer.shared()
        let proxy = try await FaultProxy.start(upstream: moto)
        proxy.setRules([
            .init("slow", when: .target("DescribeSecret"), action: .delay(.milliseconds(400))),
            .init("hang", when: .target("GetSecretValue"), action: .timeout),
        ])
        let clock = ContinuousClock()
        let started = clock.now
        let slow = try await send(.POST, proxy.endpoint, target: "secretsmanager.DescribeSecret")
        #expect(clock.now - started >= .milliseconds(400))
        #expect(slow.status == .forbidden)

        await #expect(throws: HTTPClientError.deadlineExceeded) {
            _ = try await send(.POST, proxy.endpoint, target: "secretsmanager.GetSecretValue", timeout: .milliseconds(300))
        }
        // Shutdown closes the stalled connection: it returns (a hang is caught by the time limit).
        try await proxy.shutdown()
    }

    @Test("forwardThenTransform rewrites moto's answer (e.g. into a 412)")
    func proxyTransformsAnswers() async throws {
        let moto = try await MotoServer.shared()
        try await FaultProxy.with(upstream: moto) { proxy in
            proxy.addRule(.init("stale-etag", when: .method("PUT"), action: .forwardThenTransform { upstream in
                var response = upstream
                response.status = .preconditionFailed
                response.bodyString = "was \(upstream.status.code): " + upstream.bodyString
                return response
            }))
            let transformed = try await send(.PUT, proxy.endpoint + "/2020-05-31/distribution/E1/config")
            #expect(transformed.status == .preconditionFailed)
            #expect(transformed.bodyString.hasPrefix("was 403: "))
            #expect(transformed.bodyString.contains("MissingAuthenticationToken"))
        }
    }

    @Test("FaultProxy.with returns what its body returns, rethrows what it throws, and shuts the proxy down either way")
    func scopedProxyIsShutDownWhateverTheBodyDoes() async throws {
        struct Planned: Error { let endpoint: String }
        let moto = try await MotoServer.shared()
        let endpoint = try await FaultProxy.with(upstream: moto) { (proxy) async throws -> String in
            #expect(try await send(.POST, proxy.endpoint, target: "secretsmanager.ListSecrets").status == .forbidden, "it forwards while the body runs")
            return proxy.endpoint
        }
        await #expect(throws: (any Error).self, "nothing listens once the body returned") {
            _ = try await send(.POST, endpoint, target: "secretsmanager.ListSecrets", timeout: .seconds(5))
        }
        do {
            _ = try await FaultProxy.with(upstream: moto.endpoint) { proxy -> Int in throw Planned(endpoint: proxy.endpoint) }
            Issue.record("the body's error was not rethrown")
        } catch let planned as Planned {
            await #expect(throws: (any Error).self, "nothing listens once the body threw") {
                _ = try await send(.POST, planned.endpoint, target: "secretsmanager.ListSecrets", timeout: .seconds(5))
            }
        }
    }

    @Test("a random rate with a seed makes the same decisions on every run")
    func seededRandomRateReplays() async throws {
        let moto = try await MotoServer.shared()
        func pattern() async throws -> [Bool] {
            try await FaultProxy.with(upstream: moto) { proxy in
                proxy.addRule(.init("flaky", schedule: .random(probability: 0.3, seed: 42), action: .throttling(.json)))
                var injected: [Bool] = []
                for _ in 0..<20 {
                    injected.append(try await send(.POST, proxy.endpoint, target: "secretsmanager.ListSecrets").status == .badRequest)
                }
                #expect(proxy.hits(rule: "flaky") == injected.filter { $0 }.count)
                return injected
            }
        }
        let first = try await pattern()
        let second = try await pattern()
        #expect(first == second)
        #expect(first.contains(true) && first.contains(false))
    }
}

// MARK: helpers

private struct Answer {
    let status: HTTPResponseStatus
    let headers: HTTPHeaders
    let bodyString: String
}

private func send(
    _ method: HTTPMethod,
    _ url: String,
    target: String? = nil,
    headers: HTTPHeaders = [:],
    timeout: TimeAmount = .seconds(30)
) async throws -> Answer {
    var request = HTTPClientRequest(url: target == nil || url.hasSuffix("/") ? url : url + "/")
    request.method = method
    request.headers = headers
    if let target {
        request.headers.add(name: "X-Amz-Target", value: target)
        request.headers.add(name: "Content-Type", value: "application/x-amz-json-1.1")
        request.body = .bytes(ByteBuffer(string: "{}"))
    }
    let response = try await HTTPClient.shared.execute(request, timeout: timeout)
    let body = try await response.body.collect(upTo: 1 << 20)
    return Answer(status: response.status, headers: response.headers, bodyString: String(buffer: body))
}

/// Runs a boto3 snippet in the harness venv (the reference SigV4 signer) with `environment`.
private enum Botocore {
    static func run(_ body: String, name: String = "", environment: [String: String], moto: MotoServer) async throws -> String {
        let script = """
            import boto3, botocore.exceptions
            NAME = \(String(decoding: try JSONEncoder().encode(name), as: UTF8.self))
            \(body)
            """
        var env = ["PATH": "/usr/bin:/bin", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"]
        env.merge(environment) { $1 }
        let child = try await ChildProcess(
            executable: moto.python, arguments: ["-c", script], environment: env, stderrLogName: "keyrotator-botocore"
        )
        child.closeStandardInput()
        var lines: [String] = []
        while let line = try await child.nextLine(timeout: .seconds(60)) { lines.append(line) }
        let status = try await child.waitForExit()
        guard status == 0 else {
            throw BotocoreFailed(status: status, stderr: child.stderrTail())
        }
        return lines.joined(separator: "\n")
    }
}

private struct BotocoreFailed: Error, CustomStringConvertible {
    let status: Int32
    let stderr: String
    var description: String { "botocore snippet exited with \(status):\n\(stderr)" }
}
