package import Subprocess

extension Subprocess.Environment {
    /// Exactly `variables`, nothing inherited; a name the platform cannot hold is left out.
    package static func only(_ variables: [String: String]) -> Self {
        var keyed: [Key: String] = [:]
        for (name, value) in variables {
            if let key = Key(rawValue: name) { keyed[key] = value }
        }
        return .custom(keyed)
    }
}
