public import AsyncHTTPClient
public import Logging

/// Asks the user for the current code of an MFA device: `mfaSerial` is the device's ARN or serial
/// number, `profile` the profile that needs it. The CLI supplies one that prompts on the terminal.
public typealias MFACodeProvider = @Sendable (_ mfaSerial: String, _ profile: String) async throws -> String

/// What credential providers share: the environment they read, how they reach STS, IAM Identity
/// Center and the metadata endpoints, who answers MFA prompts, and where they log.
public struct CredentialContext: Sendable {
    public var environment: AWSEnvironment
    public var transport: AWSHTTPTransport
    public var mfaCodeProvider: MFACodeProvider?
    public var logger: Logger
    /// The time one STS or IAM Identity Center attempt may take.
    public var timeout: Duration
    /// How long `credential_process` may run before it is killed.
    public var processTimeout: Duration

    public init(environment: AWSEnvironment, transport: AWSHTTPTransport = .direct, mfaCodeProvider: MFACodeProvider? = nil,
                logger: Logger = Logger(label: "aws-credentials", factory: { _ in SwiftLogNoOpLogHandler() }),
                timeout: Duration = .seconds(10), processTimeout: Duration = .seconds(60)) {
        self.environment = environment
        self.transport = transport
        self.mfaCodeProvider = mfaCodeProvider
        self.logger = logger
        self.timeout = timeout
        self.processTimeout = processTimeout
    }

    /// The region STS calls go to (its regional endpoint): the configured region, else us-east-1.
    var stsRegion: String { (try? RegionResolver.resolve(environment)) ?? "us-east-1" }
}
