import ArgumentParser
import AWSCore
import Foundation

/// `--secret-id` and `--secret-key-name`: which secret, and which JSON key holds the value.
struct SecretOptions: ParsableArguments {
    @Option(name: .customLong("secret-id"), help: "The secret's name or ARN in Secrets Manager.")
    var secretId: String

    @Option(name: .customLong("secret-key-name"), help: "The JSON key in the secret that holds the header value (the Lambda's SECRET_KEY_NAME).")
    var secretKeyName: String = "HTTP_API_KEY"

    func validate() throws {
        guard !secretId.trimmingWhitespace().isEmpty else { throw ValidationError("--secret-id must not be empty.") }
        guard !secretKeyName.isEmpty else { throw ValidationError("--secret-key-name must not be empty.") }
    }
}

/// `--distribution-id`: the distributions whose origins send the secret.
struct DistributionOptions: ParsableArguments {
    @Option(name: .customLong("distribution-id"),
            help: ArgumentHelp("CloudFront distribution ids whose origins send the header, comma-separated; default: CLOUDFRONT_DISTRIBUTION_ID.",
                               valueName: "id,..."))
    var distributionIdList: String?

    /// The ids from the option, else from `CLOUDFRONT_DISTRIBUTION_ID`; empty when neither is set.
    var distributionIds: [String] {
        let text = distributionIdList ?? ProcessInfo.processInfo.environment["CLOUDFRONT_DISTRIBUTION_ID"] ?? ""
        return text.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    func validate() throws {
        guard distributionIds.allSatisfy({ $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }) else {
            throw ValidationError("--distribution-id must be distribution ids separated by commas (e.g. E2QWRUHAPOMQZL,E1A2B3C4D5E6F7).")
        }
    }
}

/// `--header-name`: the origin custom header that carries the secret.
struct HeaderOptions: ParsableArguments {
    @Option(name: .customLong("header-name"), help: "The origin custom header that carries the secret (the Lambda's HEADER_NAME).")
    var headerName: String = "x-origin-verify"

    func validate() throws {
        guard !headerName.isEmpty, headerName.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: ":") }) else {
            throw ValidationError("--header-name '\(headerName)' is not a valid HTTP header name.")
        }
    }
}

/// `--json`: a stable JSON document on stdout instead of the table.
struct OutputOptions: ParsableArguments {
    @Flag(name: .customLong("json"), help: "Print a JSON document (stable keys, documented in this help) instead of text.")
    var json = false

    @Flag(name: .customLong("verbose"), help: "Log each AWS call on stderr (never values).")
    var verbose = false
}

/// Validates `--origin-url`.
func validateOriginURL(_ text: String) throws {
    guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
        throw ValidationError("--origin-url must be an http:// or https:// URL; got '\(text)'.")
    }
}
