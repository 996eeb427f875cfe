import ArgumentParser
import Foundation

/// `keyrotator apikeys`: the API Gateway usage-plan keys tracked in a DynamoDB table (APIGateway-API-Key-Auto-Rotation's shape).
struct APIKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikeys",
        abstract: "API Gateway usage-plan keys tracked in a DynamoDB table: status, sweep, rotate.",
        discussion: """
        The table holds one item per client key: itemID (partition key), APIGWKeyID, usagePlanID, \
        updateTime (ISO 8601) and, while an old key is in its grace period, previousAPIGWKeyID and \
        previousKeyRetireAt. Key values are never printed; the table holds one only with \
        --store-key-value (the functions' STORE_KEY_VALUE).

        \(ExitStatus.helpText)
        """,
        subcommands: [APIKeysStatusCommand.self, APIKeysSweepCommand.self, APIKeysRotateCommand.self]
    )
}

/// `--table` and the rotation settings the functions read from their environment.
struct APIKeyTableOptions: ParsableArguments {
    @Option(name: .customLong("table"), help: "The DynamoDB table of items (the functions' TABLE_NAME).")
    var table: String

    @Option(name: .customLong("rotation-interval-days"), help: "An item whose updateTime is older is due (ROTATION_INTERVAL_DAYS).")
    var rotationIntervalDays: Double = 30

    @Option(name: .customLong("grace-period-hours"), help: "How long an old key keeps working after a rotation (GRACE_PERIOD_HOURS).")
    var gracePeriodHours: Double = 24

    @Option(name: .customLong("key-limit"), help: "API keys API Gateway allows per account and Region (API_KEY_LIMIT).")
    var keyLimit: Int = 10_000

    func validate() throws {
        guard !table.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--table must not be empty.") }
        guard rotationIntervalDays >= 0 else { throw ValidationError("--rotation-interval-days must be 0 or more.") }
        guard gracePeriodHours >= 0 else { throw ValidationError("--grace-period-hours must be 0 or more.") }
        guard keyLimit > 0 else { throw ValidationError("--key-limit must be positive.") }
    }

    func configuration(storeKeyValue: Bool = false) -> APIKeyRotationConfigurationInput {
        APIKeyRotationConfigurationInput(table: table, rotationIntervalDays: rotationIntervalDays, gracePeriodHours: gracePeriodHours,
                                         keyLimit: keyLimit, storeKeyValue: storeKeyValue)
    }
}

/// The flags, before they become an `APIKeyRotationConfiguration`.
struct APIKeyRotationConfigurationInput {
    var table: String
    var rotationIntervalDays: Double
    var gracePeriodHours: Double
    var keyLimit: Int
    var storeKeyValue: Bool
}
