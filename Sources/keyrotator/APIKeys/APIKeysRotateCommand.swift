import APIKeyRotation
import ArgumentParser
import Logging

/// `keyrotator apikeys rotate`: rotates one item's key here and now, as `apikey-rotate` would.
struct APIKeysRotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Rotate one item's key now, in this process (the old key keeps working for the grace period).",
        discussion: """
        Creates the new key, attaches it to every usage plan the old key is in plus the item's \
        usagePlanID, carries quota usage over, and records it (conditionally) in the item; the old \
        key is retired by a later sweep once the grace period ends. Re-running after a failure \
        resumes the same rotation.

        --replace-missing-key: for an item whose key API Gateway no longer has (APIGateway-API-Key-Auto-Rotation leaves \
        these when it fails between its delete and its create): give it a new key in its usagePlanID.

        --json prints one object: outcome (rotated|alreadyRotated), itemID, APIGWKeyID, \
        previousAPIGWKeyID, previousKeyRetireAt, usagePlanIDs. Never a key value.

        \(ExitStatus.helpText)
        """
    )

    @OptionGroup var table: APIKeyTableOptions
    @Option(name: .customLong("item"), help: "The itemID of the item whose key to rotate.")
    var item: String
    @Flag(name: .customLong("replace-missing-key"), help: "Give an item whose key no longer exists a new key.")
    var replaceMissingKey = false
    @Flag(name: .customLong("store-key-value"), help: "Also write the new value to APIKeyValue (STORE_KEY_VALUE=true).")
    var storeKeyValue = false
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard !item.isEmpty else { throw ValidationError("--item must not be empty.") }
    }

    func run() async throws {
        try await CommandEnvironment.run(secretId: nil, table: table.table, verbose: output.verbose) { environment in
            let configuration = APIKeyRotationConfiguration(table.configuration(storeKeyValue: storeKeyValue))
            let rotator = AWSAPIKeyRotation.rotator(configuration: configuration, client: environment.client, eventBusName: nil, logger: environment.logger)
            let outcome: RotationOutcome
            if replaceMissingKey {
                outcome = try await rotator.replaceMissingKey(itemID: item, logger: environment.logger)
            } else {
                guard let current = try await rotator.table.item(id: item) else {
                    throw CLIError(.awsOrConfiguration, "table \(table.table) has no item \(item): check --item and --table.")
                }
                guard let keyID = current.keyID else {
                    throw CLIError(.failed, "item \(item) has no APIGWKeyID: it has no key to rotate.")
                }
                outcome = try await rotator.rotate(WorkItem(action: .rotate, itemID: item, keyID: keyID, usagePlanID: current.usagePlanID), logger: environment.logger)
            }
            if output.json { try Console.printJSON(outcome) } else { Console.out(outcome.text) }
            return .ok
        }
    }
}

extension RotationOutcome {
    var text: String {
        var lines = ["Item      \(itemID)", "Outcome   \(result.rawValue)", "Key       \(keyID)", "Previous  \(previousKeyID)"]
        if let graceEndsAt { lines.append("Retires   after \(graceEndsAt) (the previous key works until then)") }
        if !usagePlanIDs.isEmpty { lines.append("Plans     \(usagePlanIDs.joined(separator: ", "))") }
        return lines.joined(separator: "\n")
    }
}
