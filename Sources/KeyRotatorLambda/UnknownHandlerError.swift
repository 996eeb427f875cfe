import LambdaRuntime

/// `_HANDLER` (the function's Handler setting) is missing or names no handler of this build.
struct UnknownHandlerError: LambdaReportableError, Sendable, Equatable {
    var requested: String?
    var validNames: [String]

    var errorType: String { "Runtime.NoSuchHandler" }

    var description: String {
        let valid = validNames.joined(separator: ", ")
        guard let requested else {
            return "_HANDLER is not set: set the function's Handler to one of: \(valid)"
        }
        return "_HANDLER is '\(requested)', which this bootstrap does not have: set the function's Handler to one of: \(valid)"
    }
}
