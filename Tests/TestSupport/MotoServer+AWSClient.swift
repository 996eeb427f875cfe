public import AWSCore
public import LocalEmulator
public import Logging

extension MotoServer {
    /// An `AWSClient` that signs as the harness user and sends to moto, or to `endpoint`
    /// (e.g. a `FaultProxy` in front of moto). Retries are quick so fault tests stay fast. An attempt
    /// may take a minute: the shared moto is one Python process, and when the whole suite starts at
    /// once its queue can pass ten seconds; a create retried after a client timeout would then meet
    /// its own first attempt ("already exists").
    public func client(endpoint: String? = nil, accessKeyId: String? = nil, secretAccessKey: String? = nil,
                       maxAttempts: Int = 3, timeout: Duration = .seconds(60), logger: Logger = Logger(label: "test")) -> AWSClient {
        let credentials = AWSCredentials(accessKeyId: accessKeyId ?? self.accessKeyId, secretAccessKey: secretAccessKey ?? self.secretAccessKey)
        return AWSClient(region: region, credentialProvider: StaticCredentialProvider(credentials),
                         environment: AWSEnvironment(variables: ["AWS_ENDPOINT_URL": endpoint ?? self.endpoint], homeDirectory: "/nonexistent"),
                         retryPolicy: RetryPolicy(maxAttempts: maxAttempts, baseDelay: .milliseconds(20), maxBackoff: .milliseconds(200)),
                         timeout: timeout, logger: logger)
    }
}
