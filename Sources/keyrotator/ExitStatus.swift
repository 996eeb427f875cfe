/// The exit codes of every command, as documented in `--help`.
enum ExitStatus: Int32 {
    /// Everything is as it should be.
    case ok = 0
    /// Drift found, the origin failed a probe, or the rotation failed or timed out.
    case failed = 1
    /// The command line is wrong (unknown option, missing or invalid value).
    case usage = 2
    /// AWS or local configuration error: missing region or credentials, unknown secret or
    /// distribution, access denied, AWS unreachable.
    case awsOrConfiguration = 3

    static let helpText = """
    Exit codes:
      0  ok
      1  drift found, probe failed, rotation failed or timed out
      2  usage error (bad or missing option)
      3  AWS or configuration error: region, credentials, unknown secret,
         unknown distribution, access denied
    """
}
