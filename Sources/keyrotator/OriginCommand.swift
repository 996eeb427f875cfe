import ArgumentParser

/// `keyrotator origin`: the secret CloudFront sends to its origin in a custom header.
struct OriginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "origin",
        abstract: "The origin secret: the header value CloudFront sends so the origin can reject direct requests.",
        discussion: """
        The secret is a Secrets Manager secret holding {"<secret-key-name>": "<value>"}; every \
        origin of the distributions sends that value in a custom header (x-origin-verify by default).

        \(ExitStatus.helpText)
        """,
        subcommands: [OriginStatusCommand.self, OriginRotateCommand.self, OriginRevokeCommand.self, OriginDoctorCommand.self, OriginProbeCommand.self]
    )
}
