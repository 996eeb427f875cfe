/// The limits of the EMF specification and of CloudWatch that the documents respect.
enum EMFLimits {
    /// `MetricDefinition` objects in one directive.
    static let metricsPerDocument = 100
    /// Values of one metric in one document (the members of a numeric array, or of `Values`).
    static let valuesPerMetric = 100
    /// Dimension keys in one `DimensionSet`.
    static let dimensionsPerSet = 30
    /// CloudWatch: a metric name is 1 to 255 characters.
    static let metricNameLength = 255
    /// The specification's schema: a dimension reference is 1 to 250 characters.
    static let dimensionNameLength = 250
    /// The specification: a dimension target's value is at most 1024 characters.
    static let dimensionValueLength = 1024
    /// CloudWatch: a namespace is 1 to 255 characters.
    static let namespaceLength = 255
    /// Distinct metrics (name and dimensions) one factory keeps, so that a caller's mistake cannot
    /// grow memory without end.
    static let seriesPerFactory = 10_000
    /// Bins one distribution keeps between two flushes (100 documents' worth).
    static let binsPerDistribution = 10_000

    /// The member of the root node that holds the metadata.
    static let metadataMember = "_aws"

    /// 1 to 255 characters, at least one not a space, no control characters.
    static func isValidMetricName(_ name: String) -> Bool {
        name != metadataMember && hasVisibleText(name, maximumLength: metricNameLength, asciiOnly: false)
    }

    /// CloudWatch: printable ASCII with at least one character that is not a space, not starting with `:`.
    static func isValidDimensionName(_ name: String) -> Bool {
        name != metadataMember && !name.hasPrefix(":")
            && hasVisibleText(name, maximumLength: dimensionNameLength, asciiOnly: true)
    }

    /// CloudWatch: printable ASCII with at least one character that is not a space.
    static func isValidDimensionValue(_ value: String) -> Bool {
        hasVisibleText(value, maximumLength: dimensionValueLength, asciiOnly: true)
    }

    /// CloudWatch: printable ASCII, not starting with `:`, and `AWS/` is reserved for AWS.
    static func isValidNamespace(_ namespace: String) -> Bool {
        !namespace.hasPrefix(":") && !namespace.hasPrefix("AWS/")
            && hasVisibleText(namespace, maximumLength: namespaceLength, asciiOnly: true)
    }

    private static func hasVisibleText(_ text: String, maximumLength: Int, asciiOnly: Bool) -> Bool {
        var length = 0
        var visible = false
        for scalar in text.unicodeScalars {
            length += 1
            if length > maximumLength || scalar.properties.generalCategory == .control { return false }
            if asciiOnly && scalar.value > 0x7E { return false }
            if !scalar.properties.isWhitespace { visible = true }
        }
        return visible
    }
}
