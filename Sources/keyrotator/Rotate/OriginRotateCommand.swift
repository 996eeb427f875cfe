import ArgumentParser

/// `keyrotator origin rotate`: rotates the origin secret and follows the rotation to the end.
struct OriginRotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Rotate the origin secret now and follow the rotation to the end.",
        discussion: """
        By default asks Secrets Manager to rotate (RotateSecret, immediately) with the secret's \
        configured rotation function, and follows it: the pending value appears (createSecret), \
        the origins send it (setSecret), the distributions become Deployed and the new version \
        becomes AWSCURRENT (finishSecret). A rotation already under way is followed, not restarted.

        With --run-steps-here the four steps run in this process, with the same code as the \
        Lambda function: for a secret without a deployed rotation function (break-glass) or a \
        local emulator. It needs --distribution-id (or CLOUDFRONT_DISTRIBUTION_ID) and probes \
        --origin-url in testSecret when given. Re-running after a failure resumes the rotation.

        Progress goes to stderr: redrawn in place on a terminal (step, waiting for Deployed, \
        elapsed time), plain lines otherwise. The result goes to stdout; --json prints one \
        object: secretId, mode (service|here), token, outcome (rotated|failed|timedOut), \
        elapsedSeconds, phases [{name, seconds}], currentFingerprint, distributions [{id, \
        status}], message.

        \(ExitStatus.helpText)
        """
    )

    @OptionGroup var rotation: RotateOptions

    func run() async throws {
        try await CommandEnvironment.run(secretId: rotation.secret.secretId, verbose: rotation.output.verbose) { environment in
            let report = try await OriginRotation(options: rotation, environment: environment).run()
            if rotation.output.json { try Console.printJSON(report) } else { Console.out(report.text) }
            return report.outcome == .rotated ? .ok : .failed
        }
    }
}
