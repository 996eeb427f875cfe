import AWSCore

/// Reads typed settings from an environment, with errors that name the variable.
struct EnvironmentReader {
    let environment: [String: String]
    init(_ environment: [String: String]) { self.environment = environment }

    func string(_ name: String) -> String? {
        guard let value = environment[name]?.trimmingWhitespace(), !value.isEmpty else { return nil }
        return value
    }

    func number(_ name: String, default value: Double, minimum: Double) throws(APIKeyRotationError) -> Double {
        guard let text = string(name) else { return value }
        guard let number = Double(text), number.isFinite, number >= minimum else {
            throw APIKeyRotationError(.invalidConfiguration, "\(name) is '\(text)': set it to a number of at least \(minimum.formattedSetting) (default \(value.formattedSetting)).")
        }
        return number
    }

    func bool(_ name: String, default value: Bool) throws(APIKeyRotationError) -> Bool {
        guard let text = string(name) else { return value }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw APIKeyRotationError(.invalidConfiguration, "\(name) is '\(text)': set it to true or false (default \(value)).")
        }
    }
}

extension Double {
    /// `30` rather than `30.0`.
    var formattedSetting: String { self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self) }
}
