#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
/// Where a service's requests go and which region they are signed for.
public struct AWSEndpoint: Sendable, Equatable {
    public var scheme: String
    public var host: String
    public var port: Int?
    /// A path prefix from a custom endpoint URL (e.g. `/proxy`), without a trailing slash.
    public var basePath: String
    public var signingRegion: String

    /// Resolves the endpoint the way the AWS SDKs do: `AWS_ENDPOINT_URL_<SERVICE>`, then
    /// `AWS_ENDPOINT_URL`, then the profile's `endpoint_url`, then the standard AWS endpoint.
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` skips the overrides.
    public static func resolve(service: AWSService, region: String, environment: AWSEnvironment) throws(AWSConfigurationError) -> AWSEndpoint {
        let ignoreOverrides = environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() == "true"
        if !ignoreOverrides {
            if let url = environment[service.endpointVariable] {
                return try parse(url, variable: service.endpointVariable, region: region, service: service)
            }
            if let url = environment["AWS_ENDPOINT_URL"] {
                return try parse(url, variable: "AWS_ENDPOINT_URL", region: region, service: service)
            }
            if let url = try environment.sharedConfig().profile(environment.profileName)?["endpoint_url"] {
                return try parse(url, variable: "endpoint_url in profile '\(environment.profileName)'", region: region, service: service)
            }
        }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        if let global = service.globalEndpoint, !region.hasPrefix("cn-") {
            return AWSEndpoint(scheme: "https", host: global.host, port: nil, basePath: "", signingRegion: global.signingRegion)
        }
        return AWSEndpoint(scheme: "https", host: "\(service.endpointPrefix).\(region).\(suffix)", port: nil, basePath: "", signingRegion: region)
    }

    static func parse(_ text: String, variable: String, region: String, service: AWSService) throws(AWSConfigurationError) -> AWSEndpoint {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty
        else {
            throw AWSConfigurationError(code: "InvalidEndpoint", message: "\(variable) must be an http(s) URL such as http://127.0.0.1:5000; got '\(text)'.")
        }
        var basePath = url.path
        while basePath.hasSuffix("/") { basePath.removeLast() }
        // A custom endpoint is signed for the client's region, except for global services,
        // whose signing region is fixed (CloudFront and IAM sign for us-east-1).
        let signingRegion = service.globalEndpoint?.signingRegion ?? region
        return AWSEndpoint(scheme: scheme, host: host, port: url.port, basePath: basePath, signingRegion: signingRegion)
    }
}
