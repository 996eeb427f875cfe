/// What the client needs to know about a service: how to find its endpoint, how to sign for
/// it and which protocol it speaks.
public struct AWSService: Sendable, Hashable {
    /// The wire protocol, which decides how errors are decoded.
    public enum WireProtocol: Sendable, Hashable {
        /// AWS JSON 1.0/1.1: `POST /` with `X-Amz-Target: <targetPrefix>.<Operation>`.
        case json(version: String, targetPrefix: String)
        /// REST with JSON bodies (API Gateway).
        case restJSON
        /// REST with XML bodies (CloudFront).
        case restXML
        /// The query protocol: form-encoded `Action=...&Version=...`, XML answers (IAM, STS).
        case query(apiVersion: String)
    }

    /// The service id as the SDKs spell it, e.g. `Secrets Manager`; gives `AWS_ENDPOINT_URL_SECRETS_MANAGER`.
    public var serviceId: String
    /// The SigV4 signing name, e.g. `secretsmanager`.
    public var signingName: String
    /// The first label of the regional endpoint host, e.g. `secretsmanager`.
    public var endpointPrefix: String
    public var wireProtocol: WireProtocol
    /// For global services (CloudFront, IAM): the one host and the region to sign for.
    public var globalEndpoint: (host: String, signingRegion: String)?

    public init(serviceId: String, signingName: String, endpointPrefix: String, wireProtocol: WireProtocol, globalEndpoint: (host: String, signingRegion: String)? = nil) {
        self.serviceId = serviceId
        self.signingName = signingName
        self.endpointPrefix = endpointPrefix
        self.wireProtocol = wireProtocol
        self.globalEndpoint = globalEndpoint
    }

    /// The environment variable that overrides this service's endpoint, e.g. `AWS_ENDPOINT_URL_SECRETS_MANAGER`.
    public var endpointVariable: String {
        "AWS_ENDPOINT_URL_" + serviceId.uppercased().replacing(" ", with: "_").replacing("-", with: "_")
    }

    public static func == (lhs: AWSService, rhs: AWSService) -> Bool { lhs.serviceId == rhs.serviceId }
    public func hash(into hasher: inout Hasher) { hasher.combine(serviceId) }
}

extension AWSService {
    public static let secretsManager = AWSService(serviceId: "Secrets Manager", signingName: "secretsmanager", endpointPrefix: "secretsmanager", wireProtocol: .json(version: "1.1", targetPrefix: "secretsmanager"))
    public static let cloudFront = AWSService(serviceId: "CloudFront", signingName: "cloudfront", endpointPrefix: "cloudfront", wireProtocol: .restXML, globalEndpoint: ("cloudfront.amazonaws.com", "us-east-1"))
    public static let apiGateway = AWSService(serviceId: "API Gateway", signingName: "apigateway", endpointPrefix: "apigateway", wireProtocol: .restJSON)
    public static let dynamoDB = AWSService(serviceId: "DynamoDB", signingName: "dynamodb", endpointPrefix: "dynamodb", wireProtocol: .json(version: "1.0", targetPrefix: "DynamoDB_20120810"))
    public static let lambda = AWSService(serviceId: "Lambda", signingName: "lambda", endpointPrefix: "lambda", wireProtocol: .restJSON)
    public static let sqs = AWSService(serviceId: "SQS", signingName: "sqs", endpointPrefix: "sqs", wireProtocol: .json(version: "1.0", targetPrefix: "AmazonSQS"))
    public static let iam = AWSService(serviceId: "IAM", signingName: "iam", endpointPrefix: "iam", wireProtocol: .query(apiVersion: "2010-05-08"), globalEndpoint: ("iam.amazonaws.com", "us-east-1"))
    public static let sts = AWSService(serviceId: "STS", signingName: "sts", endpointPrefix: "sts", wireProtocol: .query(apiVersion: "2011-06-15"))
    /// The IAM Identity Center portal (`portal.sso.REGION.amazonaws.com`), overridden by `AWS_ENDPOINT_URL_SSO`.
    public static let ssoPortal = AWSService(serviceId: "SSO", signingName: "awsssoportal", endpointPrefix: "portal.sso", wireProtocol: .restJSON)
}
