import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// The HTTP side of the Lambda Runtime API (version 2018-06-01) at `AWS_LAMBDA_RUNTIME_API`.
struct RuntimeAPIClient: Sendable {
    private static let version = "2018-06-01"
    /// Lambda caps a synchronous invocation's event at 6 MB; leave room for headroom and emulators.
    private static let maximumEventBytes = 16 * 1024 * 1024

    private let baseURL: String
    private let httpClient: HTTPClient

    init(endpoint: String, httpClient: HTTPClient = .shared) throws {
        let parts = endpoint.split(separator: ":")
        guard parts.count >= 2, let port = parts.last.flatMap({ Int($0) }), (1...65535).contains(port) else {
            throw RuntimeAPIError.invalidEndpoint(endpoint)
        }
        self.baseURL = "http://\(endpoint)/\(Self.version)/runtime"
        self.httpClient = httpClient
    }

    /// Waits for the next invocation (a long poll: Lambda freezes the process while it waits).
    func next() async throws -> Invocation {
        let path = "/invocation/next"
        let response = try await send(HTTPClientRequest(url: baseURL + path), path: path, timeout: .hours(24 * 366))
        guard response.status == .ok else {
            throw RuntimeAPIError.unexpectedStatus(path: path, status: Int(response.status.code))
        }
        let body = try await response.body.collect(upTo: Self.maximumEventBytes)
        return try Invocation.parse(headers: response.headers, event: Array(buffer: body))
    }

    /// Sends an invocation's response.
    func respond(requestID: String, body: [UInt8]) async throws {
        try await post("/invocation/\(requestID)/response", body: body, errorType: nil)
    }

    /// Reports that an invocation failed.
    func reportError(requestID: String, errorType: String, message: String) async throws {
        try await post("/invocation/\(requestID)/error", body: Self.errorBody(type: errorType, message: message), errorType: errorType)
    }

    /// Reports that start-up failed; Lambda then fails the pending invocation and discards the process.
    func reportInitError(errorType: String, message: String) async throws {
        try await post("/init/error", body: Self.errorBody(type: errorType, message: message), errorType: errorType)
    }

    static func errorBody(type: String, message: String) -> [UInt8] {
        Array("{\"errorMessage\":\(JSONText.quoted(message)),\"errorType\":\(JSONText.quoted(type))}".utf8)
    }

    private func post(_ path: String, body: [UInt8], errorType: String?) async throws {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.body = .bytes(ByteBuffer(bytes: body))
        if let errorType {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Lambda-Runtime-Function-Error-Type", value: errorType)
        }
        let response = try await send(request, path: path, timeout: .seconds(30))
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw RuntimeAPIError.unexpectedStatus(path: path, status: Int(response.status.code))
        }
    }

    private func send(_ request: HTTPClientRequest, path: String, timeout: TimeAmount) async throws -> HTTPClientResponse {
        do {
            return try await httpClient.execute(request, timeout: timeout)
        } catch {
            throw RuntimeAPIError.transport(path: path, underlying: String(describing: error))
        }
    }
}
