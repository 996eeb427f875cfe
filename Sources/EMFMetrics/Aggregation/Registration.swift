/// A metric the factory made a handler for: what it is called, how it aggregates, its unit.
struct Registration: Sendable {
    enum Kind: Sendable, Equatable {
        /// Increments summed between two flushes.
        case counter
        /// The last value set before a flush.
        case gauge
        /// Every value recorded between two flushes, as values and counts.
        case distribution
    }

    let key: MetricKey
    let kind: Kind
    let unit: EMFUnit
}
