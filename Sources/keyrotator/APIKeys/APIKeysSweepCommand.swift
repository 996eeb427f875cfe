import APIKeyRotation
import ArgumentParser
import Logging

/// `keyrotator apikeys sweep`: what the sweep function would queue (`--dry-run`), or queue it.
struct APIKeysSweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "List what would rotate and retire (--dry-run), or queue it (--queue-url).",
        discussion: """
        Reads the table as the apikey-sweep function does: with its two indexes (RotationDueIndex, \
        RetirementDueIndex) only the items with work, otherwise every item (a Scan, paginated). \
        Progress goes to stderr (items read so far); the result to stdout.

        --json prints one object: mode (index|scan), read, due, retiring, queued, \
        waitingForHeadroom, missingKey, blocked, invalid, failedToQueue, keyCount, keyHeadroom, \
        complete, resumed, work [{kind: rotate|retire|waitingForHeadroom|missingKey|blocked|invalid, \
        itemID, keyID, since}].

        Exit 0 when every due item can be handled, 1 when some cannot (missing key, invalid item, \
        no key headroom, refused by the queue).

        \(ExitStatus.helpText)
        """
    )

    @OptionGroup var table: APIKeyTableOptions
    @Flag(name: .customLong("dry-run"), help: "Queue nothing: list the work.")
    var dryRun = false
    @Option(name: .customLong("queue-url"), help: "Queue the work on this SQS queue (the functions' ROTATION_QUEUE_URL) instead of listing it.")
    var queueURL: String?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard dryRun != (queueURL != nil) else { throw ValidationError("give exactly one of --dry-run (list the work) and --queue-url (queue it).") }
    }

    func run() async throws {
        try await CommandEnvironment.run(secretId: nil, table: table.table, verbose: output.verbose) { environment in
            let configuration = APIKeyRotationConfiguration(table.configuration())
            let sweeper = AWSAPIKeyRotation.sweeper(configuration: configuration, client: environment.client, queueURL: queueURL ?? "", logger: environment.logger)
            let progress = RotationProgress()
            defer { progress.finish() }
            let phase = dryRun ? "sweeping (dry run)" : "sweeping"
            progress.phase(phase)
            let report = try await sweeper.sweep(deadline: .now + .seconds(86_400 * 365), dryRun: dryRun, logger: environment.logger) { report in
                progress.phase(phase, detail: "\(report.read) items read, \(report.due) due, \(report.retiring) retiring")
            }
            progress.finish()
            if output.json { try Console.printJSON(report) } else { Console.out(report.text(dryRun: dryRun)) }
            let problems = report.missingKey + report.invalid + report.waitingForHeadroom + report.failedToQueue
            return problems == 0 ? .ok : .failed
        }
    }
}

extension SweepReport {
    /// The work listed, then the counts.
    func text(dryRun: Bool) -> String {
        var lines: [String] = []
        if !work.isEmpty {
            var table = TextTable("WORK", "ITEM", "KEY", "SINCE")
            for entry in work { table.add(entry.kind.rawValue, entry.itemID, entry.keyID ?? "-", entry.since ?? "-") }
            lines.append(table.rendered)
            lines.append("")
        }
        lines.append("Read \(read) items (\(mode == .index ? "index" : "scan: the table has no rotation index")).")
        lines.append("Due \(due), retiring \(retiring), \(dryRun ? "would queue \(work.filter { $0.kind == .rotate || $0.kind == .retire }.count)" : "queued \(queued)").")
        if missingKey > 0 { lines.append("\(missingKey) item(s) name a key API Gateway no longer has: `keyrotator apikeys rotate --item ID --replace-missing-key` gives one a new key.") }
        if invalid > 0 { lines.append("\(invalid) item(s) lack APIGWKeyID, usagePlanID or a valid updateTime.") }
        if blocked > 0 { lines.append("\(blocked) due item(s) wait for their previous key's retirement.") }
        if waitingForHeadroom > 0 { lines.append("\(waitingForHeadroom) rotation(s) wait for key headroom (\(keyCount) keys in the account).") }
        if failedToQueue > 0 { lines.append("\(failedToQueue) unit(s) of work were refused by the queue.") }
        if !complete { lines.append("Stopped before the end; the next sweep continues.") }
        return lines.joined(separator: "\n")
    }
}
