/// How the sweep can read the table.
public enum TableLayout: Sendable, Equatable {
    /// Both indexes exist: query only the items with work.
    case indexed
    /// APIGateway-API-Key-Auto-Rotation's table: scan it all. `missingIndexes` names what to add.
    case scanOnly(missingIndexes: [String])
}
