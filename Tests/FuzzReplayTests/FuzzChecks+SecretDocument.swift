#if canImport(KeyMaterial)
import KeyMaterial
#endif

extension FuzzChecks {
    /// The secret's JSON document: text that parses takes a new value under a key (present or
    /// not), stays JSON, reads the new value back, and keeps every other string member.
    static func secretDocument(_ bytes: [UInt8]) throws {
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        var document: SecretDocument
        do { document = try SecretDocument(parsing: text) } catch { return }
        let keys = ["HTTP_API_KEY", "k", "", "\u{1F511}"]
        let before = keys.map { document.value(forKey: $0) }
        document.setValue("Fuzz0123456789ValueAbcdefghijkl", forKey: "HTTP_API_KEY")
        let reread: SecretDocument
        do { reread = try SecretDocument(parsing: document.secretString) } catch {
            throw FuzzCheckFailure("setting a value made the document invalid JSON: \(error)")
        }
        guard reread.value(forKey: "HTTP_API_KEY") == "Fuzz0123456789ValueAbcdefghijkl" else { throw FuzzCheckFailure("the new value does not read back") }
        for (key, value) in zip(keys, before) where key != "HTTP_API_KEY" {
            guard reread.value(forKey: key) == value else { throw FuzzCheckFailure("another member changed when one value was set") }
        }
    }
}
