import AWSServices
import KeyMaterial
extension StatusReport {
    /// The compact human form: the secret, its versions, each origin, then the drift found.
    var text: String {
        var lines: [String] = []
        lines.append("Secret    \(secret.name)")
        let rotation = secret.rotationEnabled ? "enabled" + (secret.rotationFunction.map { " (\($0))" } ?? "") : "not enabled"
        lines.append("Rotation  \(rotation)")
        lines.append("          last \(TextFormat.date(secret.lastRotated)), next \(TextFormat.date(secret.nextRotation))")
        lines.append("")
        var versionTable = TextTable("VERSION", "STAGES", "\(secretKeyName)", "CREATED")
        for version in versions {
            versionTable.add(version.versionId, version.stages.map(\.rawValue).joined(separator: ","), TextFormat.fingerprint(version.fingerprint), TextFormat.date(version.created))
        }
        lines.append(versionTable.rendered)
        if !distributions.isEmpty {
            lines.append("")
            var table = TextTable("DISTRIBUTION", "STATUS", "ORIGIN", "SENDS (\(headerName))")
            for distribution in distributions {
                if distribution.origins.isEmpty { table.add(distribution.id, distribution.status, "-", "-") }
                for origin in distribution.origins {
                    let sends = origin.sends == .none ? "no header" : "\(origin.sends.rawValue) sha256:\(origin.fingerprint ?? "?")"
                    table.add(distribution.id, distribution.status, origin.id, sends)
                }
            }
            lines.append(table.rendered)
        }
        lines.append("")
        if drift.isEmpty {
            lines.append(distributions.isEmpty ? "Drift: not checked (no --distribution-id)" : "Drift: none")
        } else {
            lines.append("DRIFT (\(drift.count)):")
            lines.append(contentsOf: drift.map { "  - \($0.message)" })
        }
        return lines.joined(separator: "\n")
    }
}
