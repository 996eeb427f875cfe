extension DistributionConfig {
    /// An origin of the distribution, as far as header rotation needs it.
    public struct Origin: Sendable, Equatable {
        /// The origin's unique id within the distribution.
        public let id: String
        /// The origin's domain name.
        public let domainName: String
        /// The custom headers CloudFront adds to requests to this origin, in document order.
        public let customHeaders: [CustomHeader]

        public init(id: String, domainName: String, customHeaders: [CustomHeader]) {
            self.id = id
            self.domainName = domainName
            self.customHeaders = customHeaders
        }
    }

    /// An origin custom header. Its value is a secret: descriptions show only the name.
    public struct CustomHeader: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
        /// The header name as written in the configuration.
        public let name: String
        /// The header value; never log it.
        public let value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }

        public var description: String { "\(name): <redacted>" }

        public var debugDescription: String { description }
    }
}
