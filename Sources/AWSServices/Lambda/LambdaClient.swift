public import AWSCore
import NIOHTTP1

/// The Lambda operations KeyRotator uses: reading a function's configuration (for `origin doctor`).
public struct LambdaClient: Sendable {
    public let client: AWSClient
    private var service: AWSService { .lambda }

    public init(client: AWSClient) { self.client = client }

    /// GetFunctionConfiguration of a function's name or ARN (the latest version).
    public func getFunctionConfiguration(functionName: String) async throws -> FunctionConfiguration {
        try await client.restJSON(service: service, operation: "GetFunctionConfiguration", method: .GET,
                                  path: AWSURIEncoding.path(["2015-03-31", "functions", functionName, "configuration"]))
    }
}

/// What GetFunctionConfiguration answers that KeyRotator reads.
public struct FunctionConfiguration: Decodable, Sendable {
    public struct Environment: Decodable, Sendable {
        public var variables: [String: String]?
        enum CodingKeys: String, CodingKey { case variables = "Variables" }
    }

    public var functionName: String
    public var functionArn: String?
    public var handler: String?
    /// Seconds.
    public var timeout: Int?
    public var environment: Environment?

    /// The function's environment variables (empty when it has none).
    public var variables: [String: String] { environment?.variables ?? [:] }

    enum CodingKeys: String, CodingKey {
        case functionName = "FunctionName", functionArn = "FunctionArn", handler = "Handler", timeout = "Timeout", environment = "Environment"
    }
}
