import Foundation
import KeyMaterial

/// `text` with every one of `values` replaced by its fingerprint (`sha256:…`): output that may hold a
/// secret or key value, made fit for a test's failure message.
public func redacting(_ values: [String], in text: String) -> String {
    values.reduce(text) { $0.replacingOccurrences(of: $1, with: "sha256:\(fingerprint($1))") }
}
