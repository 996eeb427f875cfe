/// What `origin doctor` found: one entry per check, each with what is wrong and the command that fixes it.
struct DoctorReport: Encodable {
    enum Status: String, Encodable { case ok, problem, skipped }

    struct Check: Encodable {
        var name: String
        var status: Status
        var finding: String
        /// The command (or change) that fixes a problem; null when there is none.
        var fix: String?

        enum CodingKeys: String, CodingKey { case name, status, finding, fix }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(status, forKey: .status)
            try c.encode(finding, forKey: .finding)
            try c.encode(fix, forKey: .fix)
        }
    }

    var secretId: String
    var checks: [Check]
    var healthy: Bool { !checks.contains { $0.status == .problem } }

    enum CodingKeys: String, CodingKey { case secretId, healthy, checks }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(secretId, forKey: .secretId)
        try c.encode(healthy, forKey: .healthy)
        try c.encode(checks, forKey: .checks)
    }

    var text: String {
        var lines: [String] = []
        for check in checks {
            let mark = switch check.status { case .ok: "ok     "; case .problem: "PROBLEM"; case .skipped: "skipped" }
            lines.append("\(mark) \(check.name): \(check.finding)")
            if let fix = check.fix, check.status == .problem { lines.append("        fix: \(fix)") }
        }
        let problems = checks.filter { $0.status == .problem }.count
        lines.append(problems == 0 ? "\(secretId): healthy." : "\(secretId): \(problems) problem\(problems == 1 ? "" : "s") found.")
        return lines.joined(separator: "\n")
    }
}
