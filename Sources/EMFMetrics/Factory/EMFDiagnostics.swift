/// What an ``EMFMetricsFactory`` refused or dropped since it was made, so that a test or a health
/// check can see it; each refusal of a metric is also logged once, when the metric is made.
public struct EMFDiagnostics: Sendable, Equatable {
    /// Metrics never recorded: a name or a dimension that is empty, too long or has characters
    /// CloudWatch refuses; two dimensions of one name; more than 30 dimensions; a metric named like
    /// one of its dimensions; the same name and dimensions made as another kind of metric; or more
    /// distinct metrics than the factory keeps (10,000).
    public var refusedMetrics = 0

    /// Dimension values written as ``EMFConfiguration/overflowDimensionValue`` because their dimension
    /// already had ``EMFConfiguration/maximumValuesPerDimension`` values.
    public var overflowedDimensionValues = 0

    /// Values dropped on recording: NaN or infinite values, negative counter increments or durations,
    /// and values that would make a sum infinite or give a distribution more than 10,000 bins.
    public var droppedValues = 0

    /// A namespace or default dimensions from the configuration that were invalid and left out.
    public var refusedConfiguration = 0

    public init() {}
}
