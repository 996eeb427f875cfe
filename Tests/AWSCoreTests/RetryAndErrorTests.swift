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
@Suite struct RetryAndErrorTests {
    static func client(_ endpoint: String, attempts: Int = 3, timeout: Duration = .seconds(5)) -> AWSClient {
        AWSClient(region: "us-east-1",
                  credentialProvider: StaticCredentialProvider(AWSCredentials(accessKeyId: "AKIDTEST", secretAccessKey: "test")),
                  environment: AWSEnvironment(variables: ["AWS_ENDPOINT_URL": endpoint], homeDirectory: "/nonexistent"),
                  retryPolicy: RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(10), maxBackoff: .milliseconds(50)),
                  timeout: timeout, logger: Logger(label: "test"))
    }

    @Test func throttlingIsRetriedUntilItSucceeds() async throws {
        let server = try await StubHTTPServer.start { _, index in
            index < 2 ? .respond(status: 400, headers: ["x-amzn-RequestId": "req-\(index)"], body: #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#)
                : .respond(status: 200, body: #"{"Name":"ok"}"#)
        }
        defer { Task { await server.shutdown() } }
        let body = try await Self.client(server.endpoint).jsonRaw(service: .secretsManager, operation: "DescribeSecret", input: ["SecretId": "x"])
        #expect(String(decoding: body, as: UTF8.self) == #"{"Name":"ok"}"#)
        #expect(server.requests.count == 3)
        #expect(server.requests.allSatisfy { $0.headers.first(name: "X-Amz-Target") == "secretsmanager.DescribeSecret" })
    }

    @Test func clientErrorsSurfaceAtOnceWithEveryField() async throws {
        let server = try await StubHTTPServer.start { _, _ in
            .respond(status: 400, headers: ["x-amzn-RequestId": "abc-123"],
                     body: #"{"__type":"com.amazonaws.secretsmanager#ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."}"#)
        }
        defer { Task { await server.shutdown() } }
        await #expect {
            _ = try await Self.client(server.endpoint).jsonRaw(service: .secretsManager, operation: "GetSecretValue", input: ["SecretId": "x"])
        } throws: { error in
            error as? AWSError == AWSError(service: "secretsmanager", operation: "GetSecretValue", statusCode: 400, code: "ResourceNotFoundException",
                                           message: "Secrets Manager can't find the specified secret.", requestId: "abc-123")
        }
        #expect(server.requests.count == 1)
    }

    @Test func restJSONErrorTypeHeader() async throws {
        let server = try await StubHTTPServer.start { _, _ in
            .respond(status: 409, headers: ["x-amzn-ErrorType": "ConflictException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/"],
                     body: #"{"message":"Usage plan key already exists"}"#)
        }
        defer { Task { await server.shutdown() } }
        await #expect {
            try await Self.client(server.endpoint).restJSONRaw(service: .apiGateway, operation: "CreateUsagePlanKey", method: .POST, path: "/usageplans/p/keys", input: ["keyId": "k"])
        } throws: { error in
            let e = error as? AWSError
            return e?.code == "ConflictException" && e?.message == "Usage plan key already exists" && e?.statusCode == 409
        }
    }

    @Test func restXMLErrorBodyAndBare403() async throws {
        let server = try await StubHTTPServer.start { request, _ in
            request.uri.contains("deny") ? .respond(status: 403)
                : .respond(status: 412, body: #"<?xml version="1.0"?><ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Error><Type>Sender</Type><Code>PreconditionFailed</Code><Message>The request failed because it didn&apos;t meet the preconditions</Message></Error><RequestId>rid-9</RequestId></ErrorResponse>"#)
        }
        defer { Task { await server.shutdown() } }
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

    @Test func serverErrorsAreRetriedThenReportedWithTheirCode() async throws {
        let server = try await StubHTTPServer.start { _, _ in .respond(status: 503, body: #"{"__type":"ServiceUnavailable"}"#) }
        defer { Task { await server.shutdown() } }
        await #expect {
            _ = try await Self.client(server.endpoint, attempts: 4).jsonRaw(service: .dynamoDB, operation: "GetItem", input: ["TableName": "t"])
        } throws: { error in
            (error as? AWSError)?.code == "ServiceUnavailable"
        }
        #expect(server.requests.count == 4)
    }

    @Test func connectionResetsAreRetried() async throws {
        let server = try await StubHTTPServer.start { _, index in index == 0 ? .closeConnection : .respond(status: 200, body: "{}") }
        defer { Task { await server.shutdown() } }
        _ = try await Self.client(server.endpoint).jsonRaw(service: .sqs, operation: "ReceiveMessage", input: ["QueueUrl": "q"])
        #expect(server.requests.count == 2)
    }

    @Test func aStalledAnswerTimesOutPerAttempt() async throws {
        let server = try await StubHTTPServer.start { _, _ in .delayed(.seconds(3), status: 200, body: "{}") }
        defer { Task { await server.shutdown() } }
        await #expect {
            _ = try await Self.client(server.endpoint, attempts: 2, timeout: .milliseconds(300)).jsonRaw(service: .sqs, operation: "ReceiveMessage", input: ["QueueUrl": "q"])
        } throws: { error in
            let e = error as? AWSTransportError
            return e?.isTimeout == true && e?.attempts == 2
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
