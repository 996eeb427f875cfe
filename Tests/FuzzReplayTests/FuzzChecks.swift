// The properties the fuzz targets check on every input. These files are compiled twice: into the
// FuzzReplayTests target (which replays the kept corpus in the suite), and by `scripts/fuzz.sh`
// together with the sources they check into one libFuzzer binary per target, where those sources
// are not modules: hence the conditional imports.
/// A property an input broke; says which, never the input.
struct FuzzCheckFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One check per fuzz target, in `FuzzChecks+<Target>.swift`.
enum FuzzChecks {}
