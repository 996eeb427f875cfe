/// How the sweep can read the table.
public enum TableLayout: Sendable, Equatable {
    /// Both indexes exist: query only the items with work.
    case indexed
    /// Seed 002's table: scan it all. `missingIndexes` names what to add.
    case scanOnly(missingIndexes: [String])
}
