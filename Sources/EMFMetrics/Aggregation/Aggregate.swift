/// What one metric gathered since the last flush.
enum Aggregate: Sendable {
    case counter(Int64)
    case gauge(Double)
    case distribution(Distribution)
}
