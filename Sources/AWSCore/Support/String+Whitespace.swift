extension StringProtocol {
    /// The text without leading and trailing whitespace (spaces, tabs, line breaks), using only
    /// the standard library: Foundation's `trimmingCharacters(in:)` would link ICU into the Lambda.
    package func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
