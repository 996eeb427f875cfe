/// What an ``EMFMetricsFactory`` writes: the namespace, the dimensions every metric carries, the
/// units, how often ``EMFMetricsFactory/flushIfDue()`` writes, and how many values a dimension may take.
///
/// Dimensions name a few stable things (the function, the step, the outcome, the stage, an error
/// code). A secret, a key, a fingerprint, a request id or any other per-request value must never be
/// a dimension: each distinct value is a new CloudWatch metric, billed and kept for 15 months. The
/// factory bounds the damage (see ``maximumValuesPerDimension``) but cannot tell a value from a name.
public struct EMFConfiguration: Sendable {
    /// The namespace used when none is configured: `KeyRotator`.
    public static let defaultNamespace = "KeyRotator"

    /// The value that stands for every value of a dimension past ``maximumValuesPerDimension``.
    public static let overflowDimensionValue = "Other"

    /// The CloudWatch namespace of every metric: 1 to 255 printable ASCII characters, not starting
    /// with `:` or `AWS/`. An invalid one is replaced by ``defaultNamespace`` with a warning.
    public var namespace: String

    /// Dimensions added to every metric, such as `[("Function", "authorizer")]`. A metric's own
    /// dimension of the same name takes precedence.
    public var defaultDimensions: [(String, String)]

    /// The unit of counters, recorders, gauges and meters, by label. Counters default to `Count`, the
    /// others to `None`. Timers are always written in `Milliseconds` and ignore this table.
    public var units: [String: EMFUnit]

    /// The least time between two flushes by ``EMFMetricsFactory/flushIfDue()``.
    public var flushInterval: Duration

    /// How many distinct values one dimension of one metric may take in the life of the factory.
    /// Later values are written as ``overflowDimensionValue``, counted and logged once.
    public var maximumValuesPerDimension: Int

    public init(
        namespace: String = defaultNamespace,
        defaultDimensions: [(String, String)] = [],
        units: [String: EMFUnit] = [:],
        flushInterval: Duration = .seconds(10),
        maximumValuesPerDimension: Int = 20
    ) {
        self.namespace = namespace
        self.defaultDimensions = defaultDimensions
        self.units = units
        self.flushInterval = flushInterval
        self.maximumValuesPerDimension = maximumValuesPerDimension
    }

    /// The configuration of a Lambda function: the namespace from `METRICS_NAMESPACE` (unset or
    /// empty: ``defaultNamespace``) and the given default dimensions, e.g. `[("Function", handler)]`.
    public init(environment: [String: String], defaultDimensions: [(String, String)] = []) {
        let namespace = environment["METRICS_NAMESPACE"].flatMap { $0.isEmpty ? nil : $0 }
        self.init(namespace: namespace ?? Self.defaultNamespace, defaultDimensions: defaultDimensions)
    }
}
