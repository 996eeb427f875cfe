#if canImport(Glibc)
import Glibc
#endif
@testable import AWSCore
import Logging
import NIOCore
import NIOHTTP1
import Testing
import TestSupport

/// The client's retry behaviour and error decoding against a local server that throttles,
/// fails, resets and stalls.
@Suite(.timeLimit(.minutes(5))) struct RetryAndErrorTests {
    static func client(_ endpoint: String, attempts: Int = 3, timeout: Duration = .seconds(5)) -> AWSClient {
        AWSClient(region: "us-east-1",
                  credentialProvider: StaticCredentialProvider(AWSCredentials(accessKeyId: "AKIDTEST", secretAccessKey: "test")),
                  environment: AWSEnvironment(variables: ["AWS_ENDPOINT_URL": endpoint], homeDirectory: "/nonexistent"),
                  retryPolicy: RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(10), maxBackoff: .milliseconds(50)),
                  timeout: timeout, logger: Logger(label: "test"))
    }

    @Test func throttlingIsRetriedUntilItSucceeds() async throws {
        try await StubHTTPServer.with({ _, index in
            index < 2 ? .respond(status: 400, headers: ["x-amzn-RequestId": "req-\(index)"], body: #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#)
                : .respond(status: 200, body: #"{"Name":"ok"}"#)
        }) { server in
            let body = try await Self.client(server.endpoint).jsonRaw(service: .secretsManager, operation: "DescribeSecret", input: ["SecretId": "x"])
            #expect(String(decoding: body, as: UTF8.self) == #"{"Name":"ok"}"#)
            #expect(server.requests.count == 3)
            #expect(server.requests.allSatisfy { $0.headers.first(name: "X-Amz-Target") == "secretsmanager.DescribeSecret" })
        }
    }

    @Test func clientErrorsSurfaceAtOnceWithEveryField() async throws {
        try await StubHTTPServer.with({ _, _ in
            .respond(status: 400, headers: ["x-amzn-RequestId": "abc-123"],
                     body: #"{"__type":"com.amazonaws.secretsmanager#ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."}"#)
        }) { server in
            await #expect {
                _ = try await Self.client(server.endpoint).jsonRaw(service: .secretsManager, operation: "GetSecretValue", input: ["SecretId": "x"])
            } throws: { error in
                error as? AWSError == AWSError(service: "secretsmanager", operation: "GetSecretValue", statusCode: 400, code: "ResourceNotFoundException",
                                               message: "Secrets Manager can't find the specified secret.", requestId: "abc-123")
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test func restJSONErrorTypeHeader() async throws {
        try await StubHTTPServer.with({ _, _ in
            .respond(status: 409, headers: ["x-amzn-ErrorType": "ConflictException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/"],
                     body: #"{"message":"Usage plan key already exists"}"#)
        }) { server in
            await #expect {
                try await Self.client(server.endpoint).restJSONRaw(service: .apiGateway, operation: "CreateUsagePlanKey", method: .POST, path: "/usageplans/p/keys", input: ["keyId": "k"])
            } throws: { error in
                let e = error as? AWSError
                return e?.code == "ConflictException" && e?.message == "Usage plan key already exists" && e?.statusCode == 409
            }
        }
    }

    @Test func restXMLErrorBodyAndBare403() async throws {
        try await StubHTTPServer.with({ request, _ in
            request.uri.contains("deny") ? .respond(status: 403)
                : .respond(status: 412, body: #"<?xml version="1.0"?><ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Error><Type>Sender</Type><Code>PreconditionFailed</Code><Message>The request failed because it didn&apos;t meet the preconditions</Message></Error><RequestId>rid-9</RequestId></ErrorResponse>"#)
        }) { server in
            let client = Self.client(server.endpoint)
            await #expect {
                _ = try await client.send(service: .cloudFront, operation: "UpdateDistribution", method: .PUT, path: "/2020-05-31/distribution/E1/config", body: Array("<x/>".utf8))
            } throws: { error in
                error as? AWSError == AWSError(service: "cloudfront", operation: "UpdateDistribution", statusCode: 412, code: "PreconditionFailed",
                                               message: "The request failed because it didn't meet the preconditions", requestId: "rid-9")
            }
            await #expect {
                _ = try await client.send(service: .cloudFront, operation: "GetDistribution", method: .GET, path: "/deny")
            } throws: { error in
                (error as? AWSError)?.code == "AccessDenied"
            }
        }
    }

    @Test func serverErrorsAreRetriedThenReportedWithTheirCode() async throws {
        try await StubHTTPServer.with({ _, _ in .respond(status: 503, body: #"{"__type":"ServiceUnavailable"}"#) }) { server in
            await #expect {
                _ = try await Self.client(server.endpoint, attempts: 4).jsonRaw(service: .dynamoDB, operation: "GetItem", input: ["TableName": "t"])
            } throws: { error in
                (error as? AWSError)?.code == "ServiceUnavailable"
            }
            #expect(server.requests.count == 4)
        }
    }

    @Test func connectionResetsAreRetried() async throws {
        try await StubHTTPServer.with({ _, index in index == 0 ? .closeConnection : .respond(status: 200, body: "{}") }) { server in
            _ = try await Self.client(server.endpoint).jsonRaw(service: .sqs, operation: "ReceiveMessage", input: ["QueueUrl": "q"])
            #expect(server.requests.count == 2)
        }
    }

    @Test func aStalledAnswerTimesOutPerAttempt() async throws {
        try await StubHTTPServer.with({ _, _ in .delayed(.seconds(3), status: 200, body: "{}") }) { server in
            await #expect {
                _ = try await Self.client(server.endpoint, attempts: 2, timeout: .milliseconds(300)).jsonRaw(service: .sqs, operation: "ReceiveMessage", input: ["QueueUrl": "q"])
            } throws: { error in
                let e = error as? AWSTransportError
                return e?.isTimeout == true && e?.attempts == 2
            }
        }
    }

    @Test func nothingListeningIsATransportError() async throws {
        // A port bound but not listening: connections are refused, and no other test's server can
        // take the port while this test runs (a closed port could be reused by a parallel test).
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        let endpoint = "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))"
        await #expect {
            _ = try await Self.client(endpoint, attempts: 2, timeout: .milliseconds(500)).jsonRaw(service: .sqs, operation: "ReceiveMessage", input: ["QueueUrl": "q"])
        } throws: { error in
            (error as? AWSTransportError)?.description.contains("could not reach") == true
        }
    }

    /// Standard mode's backoff: before attempt n+1 a uniformly random wait in
    /// `0...min(baseDelay * 2^(n-1), maxBackoff)` ("full jitter"), and no retry after the last attempt.
    @Test func backoffDoublesUpToItsCapWithFullJitter() throws {
        let policy = RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(100), maxBackoff: .milliseconds(1000))
        let ceilings: [Int: Duration] = [1: .milliseconds(100), 2: .milliseconds(200), 3: .milliseconds(400), 4: .milliseconds(800),
                                         5: .milliseconds(1000), 6: .milliseconds(1000), 7: .milliseconds(1000)]
        for (attempt, ceiling) in ceilings.sorted(by: { $0.key < $1.key }) {
            var delays: [Duration] = []
            for _ in 0..<200 {
                let delay = try #require(policy.delayBeforeRetry(after: .transport(isTimeout: false), attempt: attempt), "attempt \(attempt) is retried")
                delays.append(delay)
                policy.recordSuccess(retried: true)   // gives the retry's cost back: the quota is not under test here
            }
            let lowest = try #require(delays.min())
            let highest = try #require(delays.max())
            #expect(lowest >= .zero && highest <= ceiling, "attempt \(attempt): every wait within 0...\(ceiling), got \(lowest)...\(highest)")
            // Uniform over the range: 200 draws all in one quarter of it has odds of 2 in 10^25.
            #expect(lowest < ceiling * 0.25 && highest > ceiling * 0.75, "attempt \(attempt): the waits spread over the whole range (\(lowest)...\(highest))")
        }
        #expect(policy.delayBeforeRetry(after: .transport(isTimeout: false), attempt: 8) == nil, "no retry after the last attempt")
        let late = RetryPolicy(maxAttempts: 100, baseDelay: .seconds(1), maxBackoff: .seconds(20))
        let capped = try #require(late.delayBeforeRetry(after: .response(statusCode: 503, code: "ServiceUnavailable"), attempt: 90))
        #expect(capped <= .seconds(20), "a late attempt neither overflows nor exceeds the cap")
    }

    @Test func retryQuotaStopsARetryStorm() {
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1))
        var granted = 0
        for _ in 0..<200 where policy.delayBeforeRetry(after: .response(statusCode: 500, code: "InternalFailure"), attempt: 1) != nil {
            granted += 1
        }
        #expect(granted == 100, "500 quota / 5 per retry")
        #expect(policy.delayBeforeRetry(after: .response(statusCode: 400, code: "ValidationException"), attempt: 1) == nil)
        policy.recordSuccess(retried: true)
        #expect(policy.availableQuota == 5)
    }
}
