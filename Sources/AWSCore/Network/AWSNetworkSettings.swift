/// The proxy and trust settings every AWS call honours, read as the AWS CLI (botocore) reads them:
/// `https_proxy`/`HTTPS_PROXY` for https URLs, `http_proxy`/`HTTP_PROXY` for http URLs (the
/// lower-case name wins), `no_proxy`/`NO_PROXY` for hosts to reach directly, and `AWS_CA_BUNDLE`
/// or the profile's `ca_bundle` for extra certificate authorities to trust.
public struct AWSNetworkSettings: Sendable, Hashable {
    public var httpProxy: AWSProxy?
    public var httpsProxy: AWSProxy?
    /// `NO_PROXY` entries, lower-cased: `*`, host names, domain suffixes (`.example.com` or
    /// `example.com`), `host:port`.
    public var noProxy: [String]
    /// A PEM file of certificate authorities trusted besides the system's.
    public var caBundlePath: String?
    /// Where `caBundlePath` came from, for messages (`AWS_CA_BUNDLE` or `ca_bundle in profile 'x'`).
    public var caBundleSetting: String?

    public init(httpProxy: AWSProxy? = nil, httpsProxy: AWSProxy? = nil, noProxy: [String] = [],
                caBundlePath: String? = nil, caBundleSetting: String? = nil) {
        self.httpProxy = httpProxy
        self.httpsProxy = httpsProxy
        self.noProxy = noProxy
        self.caBundlePath = caBundlePath
        self.caBundleSetting = caBundleSetting ?? caBundlePath.map { _ in "the CA bundle" }
    }

    /// The settings of `environment`: its variables and the selected profile's `ca_bundle`.
    public static func fromEnvironment(_ environment: AWSEnvironment) throws(AWSConfigurationError) -> AWSNetworkSettings {
        func variable(_ name: String) -> (name: String, value: String)? {
            if let value = environment[name.lowercased()] { return (name.lowercased(), value) }
            if let value = environment[name] { return (name, value) }
            return nil
        }
        var settings = AWSNetworkSettings()
        if case let (name, value)? = variable("HTTP_PROXY") { settings.httpProxy = try AWSProxy.parse(value, variable: name) }
        if case let (name, value)? = variable("HTTPS_PROXY") { settings.httpsProxy = try AWSProxy.parse(value, variable: name) }
        if let value = variable("NO_PROXY")?.value {
            settings.noProxy = value.split(separator: ",").map { $0.trimmingWhitespace().lowercased() }.filter { !$0.isEmpty }
        }
        if let bundle = environment["AWS_CA_BUNDLE"] {
            settings.caBundlePath = bundle
            settings.caBundleSetting = "AWS_CA_BUNDLE"
        } else if let bundle = try environment.sharedConfig().profile(environment.profileName)?["ca_bundle"] {
            settings.caBundlePath = bundle
            settings.caBundleSetting = "ca_bundle in profile '\(environment.profileName)'"
        }
        return settings
    }

    /// The proxy a request to `scheme://host:port` goes through, or nil to connect directly.
    public func proxy(scheme: String, host: String, port: Int?) -> AWSProxy? {
        guard let proxy = scheme.lowercased() == "https" ? httpsProxy : httpProxy else { return nil }
        return bypassesProxy(host: host, port: port) ? nil : proxy
    }

    /// Whether `NO_PROXY` names the host, as Python's `urllib.request.proxy_bypass_environment`
    /// decides (which botocore uses): `*`, the host itself, `host:port`, or a domain it ends in.
    public func bypassesProxy(host: String, port: Int?) -> Bool {
        let hostOnly = host.lowercased()
        let hostAndPort = port.map { "\(hostOnly):\($0)" } ?? hostOnly
        for entry in noProxy {
            if entry == "*" { return true }
            var name = Substring(entry)
            while name.hasPrefix(".") { name = name.dropFirst() }
            guard !name.isEmpty else { continue }
            if hostOnly == name || hostAndPort == name { return true }
            if hostOnly.hasSuffix("." + name) || hostAndPort.hasSuffix("." + name) { return true }
        }
        return false
    }
}
