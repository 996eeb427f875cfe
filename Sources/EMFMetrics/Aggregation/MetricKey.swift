/// One CloudWatch metric: a name and its dimensions, sorted by dimension name so that the same
/// dimensions given in another order are the same metric.
struct MetricKey: Hashable, Sendable {
    struct Dimension: Hashable, Sendable {
        var name: String
        var value: String
    }

    let name: String
    private(set) var dimensions: [Dimension]

    init(name: String, dimensions: [Dimension]) {
        self.name = name
        self.dimensions = dimensions.sorted { $0.name < $1.name }
    }

    /// Replaces the value of the dimension at `index`, which keeps the order (names do not change).
    mutating func replaceValue(at index: Int, with value: String) {
        dimensions[index].value = value
    }
}
