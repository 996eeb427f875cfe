@testable import AWSCore
import Foundation
import NIOHTTP1
import Testing

/// Our signer against botocore's on a generated set of varied requests: the Authorization
/// headers must be identical, byte for byte.
@Suite(.timeLimit(.minutes(5))) struct SigV4BotocoreCrossCheckTests {
    struct Spec: Codable {
        var method: String
        var url: String
        var headers: [[String]]
        var body_b64: String
        var service: String
        var region: String
        var access_key: String
        var secret_key: String
        var token: String?
        var timestamp: String
    }

    struct Oracle: Codable {
        var authorization: String
        var canonical_request: String
    }

    /// A small deterministic generator, so a failure can be reproduced from its index.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
    }

    static let pieces = ["a", "Z9", "key", "with space", "ünïcødé", "日本", "a+b", "x=y", "p&q", "~tilde", "per%cent",
                         "slash/inside", "-_.", "*star", "(paren)", "emoji🙂", "", "dollar$", "colon:", "at@", "comma,", "semi;"]

    static func makeRequest(_ index: Int, rng: inout SplitMix) -> (AWSHTTPRequest, AWSCredentials, String, String, Date) {
        let services = [("secretsmanager", "us-east-1"), ("cloudfront", "us-east-1"), ("apigateway", "eu-west-1"),
                        ("dynamodb", "ap-southeast-2"), ("sqs", "us-west-2"), ("iam", "us-east-1")]
        let (service, region) = services[index % services.count]
        let methods: [HTTPMethod] = [.GET, .POST, .PUT, .DELETE, .PATCH, .HEAD]
        var segments: [String] = []
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: segments.append(".")
            case 1: segments.append("..")
            case 2: segments.append("")  // double slash
            case 3: segments.append(["$", "!", ":", "@", "'", "+", ","].randomElement(using: &rng)!)  // sub-delims left raw on the wire
            default: segments.append(AWSURIEncoding.encode(pieces.randomElement(using: &rng)!))
            }
        }
        var path = "/" + segments.joined(separator: "/")
        if Bool.random(using: &rng) && !segments.isEmpty { path += "/" }
        var query: [(name: String, value: String)] = []
        for _ in 0..<Int.random(in: 0...5, using: &rng) {
            let name = Int.random(in: 0..<4, using: &rng) == 0 && !query.isEmpty ? query[0].name : pieces.randomElement(using: &rng)!
            query.append((name, pieces.randomElement(using: &rng)!))  // empty names and values included
        }
        var headers = HTTPHeaders()
        let headerNames = ["Content-Type", "X-Amz-Target", "x-custom-Header", "If-Match", "Accept", "X-Multi", "User-Agent", "X-Amzn-Trace-Id"]
        for _ in 0..<Int.random(in: 0...5, using: &rng) {
            let value = ["  leading and trailing  ", "in  between   spaces", "plain", "tab\there", "a,b", "", "application/x-amz-json-1.1"].randomElement(using: &rng)!
            headers.add(name: headerNames.randomElement(using: &rng)!, value: value)
        }
        if Int.random(in: 0..<4, using: &rng) == 0 { headers.add(name: "X-Multi", value: "second") }
        let body = Array((0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        let port: Int? = [nil, 443, 8443, 4566][Int.random(in: 0..<4, using: &rng)]
        let scheme = port == 4566 ? "http" : "https"
        let request = AWSHTTPRequest(method: methods.randomElement(using: &rng)!, scheme: scheme, host: "\(service).\(region).amazonaws.com",
                                     port: port, path: path, query: query, headers: headers, body: body)
        let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE\(index)", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCY\(index)",
                                         sessionToken: index % 3 == 0 ? "session/token+\(index)==" : nil)
        let date = Date(timeIntervalSince1970: 1_700_000_000 + Double(index) * 86_399.5)
        return (request, credentials, service, region, date)
    }

    @Test func signaturesMatchBotocoreOn240GeneratedRequests() async throws {
        var rng = SplitMix(state: 0x5EED)
        var specs: [Spec] = []
        var ours: [(String, String)] = []
        for index in 0..<240 {
            let (request, credentials, service, region, date) = Self.makeRequest(index, rng: &rng)
            var signed = request
            let signer = SigV4Signer(credentials: credentials, signingName: service, region: region)
            signer.sign(&signed, date: date)
            ours.append((signed.headers.first(name: "Authorization") ?? "", signer.canonicalRequest(signed).0))
            specs.append(Spec(method: request.method.rawValue, url: request.url, headers: request.headers.map { [$0.name, $0.value] },
                              body_b64: Data(request.body).base64EncodedString(), service: service, region: region,
                              access_key: credentials.accessKeyId, secret_key: credentials.secretAccessKey,
                              token: credentials.sessionToken, timestamp: AWSTimestamp.amzDate(date)))
        }
        // The set really is varied: each kind of tricky input occurs.
        #expect(specs.contains { $0.url.contains("?=") || $0.url.contains("&=") }, "an empty query name")
        #expect(specs.contains { $0.url.hasSuffix("=") || $0.url.contains("=&") }, "an empty query value")
        #expect(specs.contains { $0.url.contains("%C3%BC") && $0.url.split(separator: "?")[0].contains("%") }, "unicode in the path")
        #expect(specs.contains { $0.url.contains("%20") }, "a space")
        #expect(specs.contains { $0.token != nil } && specs.contains { $0.token == nil }, "with and without a session token")
        #expect(Set(specs.map(\.method)).count == 6 && Set(specs.map(\.service)).count == 6)
        let answers = try await runOracle(specs)
        try #require(answers.count == specs.count)
        var mismatches = 0
        for (index, answer) in answers.enumerated() where answer.authorization != ours[index].0 {
            mismatches += 1
            if mismatches <= 3 {
                // The canonical requests show what differs; the session token line is masked (a credential).
                func masked(_ text: String) -> String {
                    text.split(separator: "\n", omittingEmptySubsequences: false)
                        .map { $0.hasPrefix("x-amz-security-token:") ? "x-amz-security-token:<masked>" : String($0) }.joined(separator: "\n")
                }
                Issue.record("request \(index) \(specs[index].method) \(specs[index].url)\nbotocore canonical:\n\(masked(answer.canonical_request))\nours:\n\(masked(ours[index].1))")
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(specs.count) signatures differ from botocore's")
    }

    private func runOracle(_ specs: [Spec]) async throws -> [Oracle] {
        try await PythonOracle.run("sigv4_oracle.py", input: specs, as: [Oracle].self)
    }
}

/// The repository root, found from this file's location.
enum RepositoryRoot {
    static let path: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }()
}
