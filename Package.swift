// swift-tools-version: 6.1
import PackageDescription

// Modules the Lambda `bootstrap` links must not use FoundationNetworking (libcurl)
// or FoundationXML (libxml2, ICU): they import FoundationEssentials only.
// Every target imports what it uses, and only what its public API needs is imported publicly.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "KeyRotator",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "AWSCore", targets: ["AWSCore"]),
        .library(name: "AWSServices", targets: ["AWSServices"]),
        .library(name: "LambdaRuntime", targets: ["LambdaRuntime"]),
        .library(name: "KeyRotation", targets: ["KeyRotation"]),
        .library(name: "KeyRotationLive", targets: ["KeyRotationLive"]),
        .library(name: "APIKeyRotation", targets: ["APIKeyRotation"]),
        .executable(name: "bootstrap", targets: ["KeyRotatorLambda"]),
        .executable(name: "keyrotator-demo", targets: ["KeyRotatorDemo"]),
        .library(name: "OriginVerifier", targets: ["OriginVerifier"]),
        .library(name: "EMFMetrics", targets: ["EMFMetrics"]),
        .library(name: "OriginVerifierHummingbird", targets: ["OriginVerifierHummingbird"]),
        .executable(name: "keyrotator", targets: ["keyrotator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // Without its Foundation trait: the Lambda binary links it (credential_process) and stays Foundation-free.
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2", traits: []),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
    ],
    targets: [
        // A strict, dependency-free XML tree reader/writer that round-trips what it does not change.
        .target(name: "AWSXML", swiftSettings: swiftSettings),
        // Credentials, SigV4, region/endpoint resolution, the HTTP client with retries and error decoding.
        .target(
            name: "AWSCore",
            dependencies: [
                "AWSXML",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // Typed clients for the operations KeyRotator uses.
        .target(
            name: "AWSServices",
            dependencies: ["AWSCore", "AWSXML", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // The Lambda Runtime API loop, invocation context and handler protocol.
        .target(
            name: "LambdaRuntime",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Secret and key values as the product handles them: the secret's JSON document, edited in place.
        .target(
            name: "KeyMaterial",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // The origin-secret domain: the rotation steps and the CloudFront header target, behind small
        // seams (a secret store, a header target, an origin check); no HTTP transport.
        .target(
            name: "KeyRotation",
            dependencies: [
                "AWSCore", "AWSServices", "KeyMaterial",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The origin-secret domain wired to the world: the HTTP origin probe (AsyncHTTPClient, no
        // redirects) and the rotator built from an AWSClient.
        .target(
            name: "KeyRotationLive",
            dependencies: [
                "AWSCore", "AWSServices", "KeyMaterial", "KeyRotation",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // The API-key domain: the sweep, the rotator and the retirement of usage-plan keys, with quotas.
        // Step logic sees small protocols (key store, item table, work queue, event publisher, clock);
        // `Adapters/` implements them over the AWSServices clients.
        .target(
            name: "APIKeyRotation",
            dependencies: [
                "AWSCore", "AWSServices", "KeyMaterial",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Pins hypot/hypotf to symbol versions glibc 2.34 has, so `bootstrap` loads on provided.al2023.
        .target(name: "CGlibcCompat"),
        // Simulated CloudFront edges and steady traffic through them, for the demo and the zero-downtime tests.
        .target(
            name: "TrafficSimulation",
            dependencies: [
                "AWSServices", "KeyMaterial", "OriginVerifier", "OriginVerifierHummingbird",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The `bootstrap` executable: picks a handler by `_HANDLER`.
        .executableTarget(
            name: "KeyRotatorLambda",
            dependencies: [
                "LambdaRuntime", "AWSServices", "KeyRotation", "KeyRotationLive", "APIKeyRotation", "OriginVerifier", "EMFMetrics", "CGlibcCompat",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The one-command demo: a rotation under live traffic against the local emulator.
        .executableTarget(
            name: "KeyRotatorDemo",
            dependencies: [
                "AWSServices", "AWSXML", "KeyMaterial", "KeyRotation", "KeyRotationLive", "LocalEmulator", "OriginVerifier", "TrafficSimulation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The `keyrotator` operator CLI: origin status, rotate and probe.
        .executableTarget(
            name: "keyrotator",
            dependencies: [
                "AWSCore", "AWSServices", "KeyMaterial", "KeyRotation", "KeyRotationLive", "APIKeyRotation", "OriginVerifier",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Starts the local AWS emulator (moto) and other child processes, for the demo and the tests.
        .target(
            name: "LocalEmulator",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swiftSettings
        ),
        // "Is this origin header value valid now?": a cached Secrets Manager key ring and API Gateway authorizer glue.
        .target(
            name: "OriginVerifier",
            dependencies: [
                "AWSServices", "AWSCore", "KeyMaterial",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // A swift-metrics backend that aggregates in memory and flushes CloudWatch Embedded Metric Format lines.
        .target(
            name: "EMFMetrics",
            dependencies: [
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Hummingbird middleware guarding a Swift origin with an OriginVerifier (kept out of the Lambda binary).
        .target(
            name: "OriginVerifierHummingbird",
            dependencies: ["OriginVerifier", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: swiftSettings
        ),
        // In-process cost of a verification and Secrets Manager calls per cache window.
        .executableTarget(
            name: "VerifierBench",
            dependencies: ["OriginVerifier", "TestSupport"],
            path: "bench/verifier",
            swiftSettings: swiftSettings
        ),
        // 500 rotations through a stand-in that throttles at API Gateway's rates; items read per sweep.
        .executableTarget(
            name: "APIKeyBench",
            dependencies: ["APIKeyRotation", "AWSServices", "TestSupport", .product(name: "Logging", package: "swift-log")],
            path: "bench/apikeys/Sources",
            swiftSettings: swiftSettings
        ),
        // Test-only support: moto and LocalStack launchers, Runtime API emulator, fault proxy, in-memory API-key ports.
        .target(
            name: "TestSupport",
            dependencies: [
                "AWSCore", "AWSServices", "KeyMaterial", "LocalEmulator", "APIKeyRotation", "EMFMetrics",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "KeyMaterialTests", dependencies: ["KeyMaterial"], swiftSettings: swiftSettings),
        .testTarget(name: "AWSXMLTests", dependencies: ["AWSXML", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AWSCoreTests",
            dependencies: [
                "AWSCore", "TestSupport",
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "AWSServicesTests", dependencies: ["AWSServices", "KeyMaterial", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "KeyRotationTests", dependencies: ["KeyRotation", "KeyRotationLive", "KeyMaterial", "TrafficSimulation", "OriginVerifier", "EMFMetrics", "TestSupport", .product(name: "InMemoryLogging", package: "swift-log")], swiftSettings: swiftSettings),
        .testTarget(
            name: "OriginVerifierTests",
            dependencies: [
                "OriginVerifier", "OriginVerifierHummingbird", "AWSServices", "KeyMaterial", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "DemoTests", dependencies: ["AWSXML", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CLITests",
            dependencies: [
                "AWSCore", "AWSServices", "KeyMaterial", "KeyRotation", "KeyRotationLive", "APIKeyRotation", "OriginVerifier", "TestSupport",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EMFMetricsTests",
            dependencies: [
                "EMFMetrics", "TestSupport",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "APIKeyRotationTests",
            dependencies: [
                "APIKeyRotation", "AWSCore", "AWSServices", "KeyMaterial", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "LambdaRuntimeTests", dependencies: ["LambdaRuntime", "TestSupport"], swiftSettings: swiftSettings),
        // Replays the fuzz corpus (fuzz/corpus, grown by scripts/fuzz.sh) through the fuzz targets' checks.
        .testTarget(name: "FuzzReplayTests", dependencies: ["AWSXML", "KeyMaterial", "KeyRotation", "OriginVerifier", "APIKeyRotation"],
                    swiftSettings: swiftSettings),
        // Runs after the suite (scripts/test.sh): no secret or key value in anything the suite printed.
        .testTarget(name: "LeakScanTests", dependencies: ["KeyMaterial", "TestSupport"], swiftSettings: swiftSettings),
        // Tests of the test scaffolding itself: moto with IAM auth on, the fault proxy.
        .testTarget(
            name: "TestSupportTests",
            dependencies: [
                "LocalEmulator", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
