#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import LambdaRuntime
import Logging

let environment = ProcessInfo.processInfo.environment
let logConfiguration = LambdaLogConfiguration(environment: environment)
LoggingSystem.bootstrap { label in LambdaLogHandler(label: label, configuration: logConfiguration) }
let logger = Logger(label: "bootstrap")
for warning in logConfiguration.warnings {
    logger.warning("\(warning)")
}

do {
    try await LambdaRuntime(environment: environment, logger: logger).run { context in
        try await HandlerRegistry.standard.makeHandler(context: context)
    }
} catch {
    logger.critical("bootstrap exits: \(error)")
    exit(1)
}
