/// The Secrets Manager staging label a matching value was found under.
public enum KeyStage: String, Sendable, Hashable, CaseIterable {
    case current = "AWSCURRENT"
    case pending = "AWSPENDING"
    case previous = "AWSPREVIOUS"
}
