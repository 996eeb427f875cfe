import APIKeyRotation

extension APIKeyRotationConfiguration {
    /// The functions' configuration from the CLI's flags; the CLI runs as one caller (`MAX_CONCURRENCY` 1).
    init(_ input: APIKeyRotationConfigurationInput) {
        self.init(tableName: input.table, rotationIntervalDays: input.rotationIntervalDays, gracePeriodHours: input.gracePeriodHours,
                  storeKeyValue: input.storeKeyValue, keyLimit: input.keyLimit, rates: RateConfiguration(maxConcurrency: 1))
    }
}
