import AWSCore
extension OriginVerifier.Configuration {
    /// Reads the configuration from a Lambda function's environment, drop-in compatible with amazon-cloudfront-api-key-rotator
    /// (`SECRET_KEY_NAME`=`HTTP_API_KEY`, `HEADER_NAME`=`x-origin-verify`) and with the
    /// `amazon-api-gateway-secure-authorizer` function (`SECRET_NAME`, `SECRET_KEY_NAME`, `HEADER_NAME`).
    ///
    /// - `SECRET_NAME` (or `SECRET_ID`/`SECRET_ARN`): the secret, required.
    /// - `SECRET_KEY_NAME`, `HEADER_NAME`: as above; empty means the default.
    /// - `CACHE_TTL_SECONDS` (60), `PREVIOUS_GRACE_SECONDS` (1800), `EARLY_REFRESH_INTERVAL_SECONDS` (5),
    ///   `STALE_IF_ERROR_SECONDS` (900), `REFRESH_TIMEOUT_SECONDS` (5): whole seconds.
    /// - `DEBUG_MODE`: `1` asks for debug logging.
    public static func fromEnvironment(_ environment: [String: String]) throws(OriginVerifierError) -> Self {
        func value(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingWhitespace(), !value.isEmpty else { return nil }
            return value
        }
        func seconds(_ name: String, default fallback: Int, minimum: Int) throws(OriginVerifierError) -> Duration {
            guard let text = value(name) else { return .seconds(fallback) }
            guard let number = Int(text), number >= minimum else {
                throw .invalidEnvironment(variable: name, expected: "a whole number of seconds, at least \(minimum)")
            }
            return .seconds(number)
        }
        guard let secretId = value("SECRET_NAME") ?? value("SECRET_ID") ?? value("SECRET_ARN") else {
            throw .missingEnvironment(variable: "SECRET_NAME")
        }
        return Self(
            secretId: secretId,
            secretKeyName: value("SECRET_KEY_NAME") ?? "HTTP_API_KEY",
            headerName: value("HEADER_NAME") ?? "x-origin-verify",
            cacheTTL: try seconds("CACHE_TTL_SECONDS", default: 60, minimum: 1),
            previousGracePeriod: try seconds("PREVIOUS_GRACE_SECONDS", default: 30 * 60, minimum: 0),
            earlyRefreshInterval: try seconds("EARLY_REFRESH_INTERVAL_SECONDS", default: 5, minimum: 1),
            staleIfErrorPeriod: try seconds("STALE_IF_ERROR_SECONDS", default: 15 * 60, minimum: 0),
            refreshTimeout: try seconds("REFRESH_TIMEOUT_SECONDS", default: 5, minimum: 1),
            debugMode: value("DEBUG_MODE") == "1"
        )
    }
}

