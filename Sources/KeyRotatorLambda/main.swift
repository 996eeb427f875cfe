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
import AWSCore
import CoreMetrics
import EMFMetrics
import LambdaRuntime
import Logging

let environment = ProcessInfo.processInfo.environment
let logConfiguration = LambdaLogConfiguration(environment: environment)
LoggingSystem.bootstrap { label in LambdaLogHandler(label: label, configuration: logConfiguration) }
let logger = Logger(label: "bootstrap")
for warning in logConfiguration.warnings {
    logger.warning("\(warning)")
}

// Every metric the handlers record becomes an EMF document on stdout, dimensioned by the handler
// (`Function`), in METRICS_NAMESPACE.
let handlerName = environment["_HANDLER"]?.trimmingWhitespace() ?? ""
let metrics = EMFMetricsFactory(
    configuration: EMFConfiguration(environment: environment, defaultDimensions: handlerName.isEmpty ? [] : [("Function", handlerName)]),
    logger: logger,
    write: LogLineWriter.standardOutput.writeLine
)
MetricsSystem.bootstrap(metrics)

do {
    try await LambdaRuntime(environment: environment, logger: logger).run { context in
        let handler = try await HandlerRegistry.standard.makeHandler(context: context)
        return MetricsFlushingHandler(handler: handler, metrics: metrics, policy: HandlerRegistry.metricsPolicy(handler: handlerName))
    }
} catch {
    logger.critical("bootstrap exits: \(error)")
    exit(1)
}
