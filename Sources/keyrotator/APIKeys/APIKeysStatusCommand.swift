import APIKeyRotation
import ArgumentParser
import AWSServices

/// `keyrotator apikeys status`: the table's items by state, what is due, and the key headroom.
struct APIKeysStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Count the table's items by state, show the next and overdue rotations and the key headroom; exit 1 on problems.",
        discussion: """
        Reads every item (a paginated Scan, progress on stderr) and lists API Gateway's keys. States: \
        current (not due), overdue (updateTime older than the interval), inGrace (an old key still \
        works), retirable (its grace is over: the next sweep retires it), rotating (a rotation began \
        and will resume), missingKey (the item names a key API Gateway does not have), invalid (no \
        APIGWKeyID or no valid updateTime).

        Exits 1 when an item has a missing key or is invalid: those need a person.

        --json prints one object: mode (index|scan), missingIndexes, items, current, overdue, \
        inGrace, retirable, rotating, missingKey, invalid, nextDue, oldestOverdue, keyCount, \
        keyLimit, keyHeadroom, problems [{kind, itemID, keyID, since}]. Times are ISO 8601.

        \(ExitStatus.helpText)
        """
    )

    @OptionGroup var table: APIKeyTableOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await CommandEnvironment.run(secretId: nil, table: table.table, verbose: output.verbose) { environment in
            let configuration = APIKeyRotationConfiguration(table.configuration())
            let progress = RotationProgress()
            defer { progress.finish() }
            progress.phase("reading the table")
            let status = try await KeyTableStatus.read(
                configuration: configuration, store: AWSAPIKeyRotation.keyStore(client: environment.client, rates: configuration.rates, logger: environment.logger),
                table: DynamoDBKeyItemTable(dynamoDB: .init(client: environment.client), configuration: configuration)
            ) { read in progress.phase("reading the table", detail: "\(read) items read") }
            progress.finish()
            if output.json { try Console.printJSON(status) } else { Console.out(status.text(table: table.table)) }
            return status.problems.isEmpty ? .ok : .failed
        }
    }
}

extension KeyTableStatus {
    func text(table: String) -> String {
        var lines = ["Table     \(table) (\(mode == .index ? "with its rotation indexes" : "no rotation index: sweeps scan it all; missing \(missingIndexes.joined(separator: ", "))"))"]
        var counts = TextTable("STATE", "ITEMS")
        for (name, count) in [("current", current), ("overdue", overdue), ("inGrace", inGrace), ("retirable", retirable), ("rotating", rotating),
                              ("missingKey", missingKey), ("invalid", invalid), ("total", items)] {
            counts.add(name, String(count))
        }
        lines.append("")
        lines.append(counts.rendered)
        lines.append("")
        lines.append("Next due  \(nextDue ?? "-")")
        lines.append("Overdue   \(overdue)\(oldestOverdue.map { " (oldest updateTime \($0))" } ?? "")")
        lines.append("Keys      \(keyCount) of \(keyLimit) in the account: headroom \(keyHeadroom)")
        if !problems.isEmpty {
            lines.append("")
            lines.append("PROBLEMS (\(problems.count)):")
            for problem in problems {
                switch problem.kind {
                case .missingKey: lines.append("  - item \(problem.itemID): key \(problem.keyID ?? "?") does not exist; `keyrotator apikeys rotate --table \(table) --item \(problem.itemID) --replace-missing-key` gives it a new one.")
                default: lines.append("  - item \(problem.itemID): no APIGWKeyID or no valid updateTime; fix the item.")
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
