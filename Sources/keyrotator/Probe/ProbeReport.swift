/// What `origin probe` found: for each value tried, what the origin should do and what it did.
struct ProbeReport: Encodable {
    struct Check: Encodable {
        enum Expectation: String, Encodable { case accept, reject }
        enum Outcome: String, Encodable { case accepted, rejected, error }

        /// `current`, `pending` or `wrong`.
        var value: String
        var fingerprint: String
        var expected: Expectation
        var outcome: Outcome
        var httpStatus: Int?
        var message: String?
        var ok: Bool {
            (expected == .accept && outcome == .accepted) || (expected == .reject && outcome == .rejected)
        }

        enum CodingKeys: String, CodingKey { case value, fingerprint, expected, outcome, httpStatus, message, ok }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(value, forKey: .value)
            try c.encode(fingerprint, forKey: .fingerprint)
            try c.encode(expected, forKey: .expected)
            try c.encode(outcome, forKey: .outcome)
            try c.encode(httpStatus, forKey: .httpStatus)
            try c.encode(message, forKey: .message)
            try c.encode(ok, forKey: .ok)
        }
    }

    var originURL: String
    var headerName: String
    var secretId: String
    var checks: [Check]
    var ok: Bool { checks.allSatisfy(\.ok) }

    enum CodingKeys: String, CodingKey { case originURL, headerName, secretId, checks, ok }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(originURL, forKey: .originURL)
        try c.encode(headerName, forKey: .headerName)
        try c.encode(secretId, forKey: .secretId)
        try c.encode(checks, forKey: .checks)
        try c.encode(ok, forKey: .ok)
    }

    var text: String {
        var table = TextTable("VALUE", "FINGERPRINT", "EXPECTED", "GOT")
        for check in checks {
            let got = check.outcome == .error ? "error: \(check.message ?? "")" : "\(check.outcome.rawValue) (HTTP \(check.httpStatus.map(String.init) ?? "?"))"
            table.add(check.value, "sha256:\(check.fingerprint)", check.expected.rawValue, (check.ok ? "ok   " : "FAIL ") + got)
        }
        let verdict = ok
            ? "Origin OK: it accepts the secret's values and rejects a wrong one."
            : "Origin FAILED: it must accept AWSCURRENT and AWSPENDING in \(headerName) and reject any other value."
        return "Origin \(originURL) (header \(headerName))\n\n\(table.rendered)\n\n\(verdict)"
    }
}
