import Foundation

/// A throw-away certificate authority and a server certificate for 127.0.0.1/localhost, made with
/// the openssl command line, for tests of HTTPS origins.
public struct TestCertificateAuthority: Sendable {
    /// A server's certificate and key files.
    public struct ServerIdentity: Sendable {
        public var certificatePath: String
        public var privateKeyPath: String
    }

    /// The CA certificate (PEM) a client must trust.
    public let caCertificatePath: String
    public let server: ServerIdentity
    public let directory: String

    public static func make() async throws -> TestCertificateAuthority {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keyrotator-ca-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func path(_ name: String) -> String { directory + "/" + name }
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(toFile: path("server.ext"), atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
             "-subj", "/CN=KeyRotator test CA", "-keyout", path("ca.key"), "-out", path("ca.pem")],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=127.0.0.1",
             "-keyout", path("server.key"), "-out", path("server.csr")],
            ["x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"), "-CAcreateserial",
             "-days", "2", "-extfile", path("server.ext"), "-out", path("server.pem")],
        ]
        for arguments in steps {
            let result = try await BuiltProduct.Running(executable: "/usr/bin/openssl", arguments: arguments,
                                                        environment: ["PATH": "/usr/bin:/bin"]).wait(timeout: .seconds(60))
            guard result.exitCode == 0 else { throw BuiltProduct.NotFound(description: "openssl \(arguments.first ?? "") failed: \(result.stderr)") }
        }
        return TestCertificateAuthority(caCertificatePath: path("ca.pem"),
                                        server: ServerIdentity(certificatePath: path("server.pem"), privateKeyPath: path("server.key")),
                                        directory: directory)
    }

    public func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
