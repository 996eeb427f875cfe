public import Logging

/// How the function's logs look, from `AWS_LAMBDA_LOG_FORMAT` and `AWS_LAMBDA_LOG_LEVEL`.
public struct LambdaLogConfiguration: Sendable, Equatable {
    /// The line format of the function's logs.
    public enum Format: String, Sendable, Equatable {
        /// `timestamp LEVEL requestId message key=value ...`
        case text = "Text"
        /// One JSON object per line with `timestamp`, `level`, `message`, `requestId` and metadata.
        case json = "JSON"
    }

    public var format: Format
    public var level: Logger.Level
    /// Why a variable was ignored, to be logged once the logger exists.
    public var warnings: [String]

    public init(format: Format = .text, level: Logger.Level = .info, warnings: [String] = []) {
        self.format = format
        self.level = level
        self.warnings = warnings
    }

    /// Reads `AWS_LAMBDA_LOG_FORMAT` (`Text` or `JSON`, default `Text`) and `AWS_LAMBDA_LOG_LEVEL`
    /// (`TRACE`, `DEBUG`, `INFO`, `WARN`, `ERROR`, `FATAL`, default `INFO`). An unknown value falls
    /// back to the default and leaves a warning.
    public init(environment: [String: String]) {
        self.init()
        if let raw = environment["AWS_LAMBDA_LOG_FORMAT"], !raw.isEmpty {
            if let format = Format.allCases.first(where: { $0.rawValue.lowercased() == raw.lowercased() }) {
                self.format = format
            } else {
                warnings.append("AWS_LAMBDA_LOG_FORMAT has an unknown value; expected Text or JSON. Using Text.")
            }
        }
        if let raw = environment["AWS_LAMBDA_LOG_LEVEL"], !raw.isEmpty {
            if let level = Self.level(named: raw) {
                self.level = level
            } else {
                warnings.append(
                    "AWS_LAMBDA_LOG_LEVEL has an unknown value; expected TRACE, DEBUG, INFO, WARN, ERROR or FATAL. Using INFO."
                )
            }
        }
    }

    /// The Lambda name of a level, as written in log lines: `TRACE` ... `FATAL`.
    public static func name(of level: Logger.Level) -> String {
        switch level {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info, .notice: "INFO"
        case .warning: "WARN"
        case .error: "ERROR"
        case .critical: "FATAL"
        }
    }

    static func level(named name: String) -> Logger.Level? {
        switch name.uppercased() {
        case "TRACE": .trace
        case "DEBUG": .debug
        case "INFO": .info
        case "WARN", "WARNING": .warning
        case "ERROR": .error
        case "FATAL", "CRITICAL": .critical
        default: nil
        }
    }
}

extension LambdaLogConfiguration.Format: CaseIterable {}
