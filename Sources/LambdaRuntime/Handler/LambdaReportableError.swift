/// An error that chooses the `errorType` the runtime reports for it.
///
/// Errors that do not adopt it are reported with their type name. The runtime reports an error's
/// `description` as its `errorMessage`: it must never contain a secret.
public protocol LambdaReportableError: Error, CustomStringConvertible {
    /// The `errorType` reported to the Runtime API, e.g. `Runtime.InvalidEvent`.
    var errorType: String { get }
}
