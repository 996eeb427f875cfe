/// Why the moto emulator could not be started or driven; each message names the fix.
public enum MotoEmulatorError: Error, CustomStringConvertible {
    case noRepositoryRoot(startedFrom: String)
    case toolsMissing(root: String, stderr: String)
    case startFailed(reason: String, stderr: String)
    case badHarnessOutput(String)
    case stateManager(status: UInt, body: String)

    public var description: String {
        switch self {
        case .noRepositoryRoot(let file):
            "no Package.swift above \(file): run the tests from the KeyRotator checkout"
        case .toolsMissing(let root, let stderr):
            "\(root)/.venv/bin/python is missing after scripts/setup-tools.sh: run `bash scripts/setup-tools.sh` "
                + "in \(root) (needs python3 with venv and PyPI access)\n\(stderr)"
        case .startFailed(let reason, let stderr):
            "scripts/moto_harness.py did not start moto (\(reason)). If moto or boto3 is missing or not the pinned "
                + "version, run `rm -rf .venv && bash scripts/setup-tools.sh`; run the harness by hand with "
                + "KEYROTATOR_MOTO_VERBOSE=1 for details. Its stderr:\n\(stderr)"
        case .badHarnessOutput(let detail):
            "scripts/moto_harness.py printed an unexpected first line (\(detail)): it must print one JSON line"
        case .stateManager(let status, let body):
            "moto's state manager answered \(status): \(body)"
        }
    }
}
