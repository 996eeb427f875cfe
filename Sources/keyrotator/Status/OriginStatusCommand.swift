import ArgumentParser

/// `keyrotator origin status`: the secret's versions and what each origin sends; exits 1 on drift.
struct OriginStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the secret's versions and which value each origin sends; exit 1 on drift.",
        discussion: """
        Lists the secret's versions with their staging labels (AWSCURRENT, AWSPENDING, \
        AWSPREVIOUS), value fingerprints and dates, the last and next rotation, and for each \
        distribution its status (InProgress/Deployed) and the fingerprint each origin sends.

        Drift is an origin sending a value that is neither AWSCURRENT nor AWSPENDING, or a \
        distribution none of whose origins sends the header. Drift exits 1, so the command can \
        run from a monitor.

        --json prints one object: secret {name, arn, rotationEnabled, rotationFunction, \
        lastRotated, nextRotation, lastChanged}, secretKeyName, headerName, versions [{versionId, \
        stages, fingerprint, created}], distributions [{id, status, domainName, origins [{id, \
        domainName, sends: current|pending|previous|unknown|none, fingerprint}]}], drift [{kind: \
        unexpectedValue|headerMissing, distributionId, originId, message}], ok. Dates are ISO 8601; \
        unknown values are null.

        \(ExitStatus.helpText)
        """
    )

    @OptionGroup var secret: SecretOptions
    @OptionGroup var distributions: DistributionOptions
    @OptionGroup var header: HeaderOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await CommandEnvironment.run(secretId: secret.secretId, verbose: output.verbose) { environment in
            let inspector = StatusInspector(client: environment.client, secretId: secret.secretId, secretKeyName: secret.secretKeyName,
                                            distributionIds: distributions.distributionIds, headerName: header.headerName)
            let report = try await inspector.report()
            if output.json { try Console.printJSON(report) } else { Console.out(report.text) }
            return report.ok ? .ok : .failed
        }
    }
}
