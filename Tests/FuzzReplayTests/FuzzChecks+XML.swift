#if canImport(AWSXML)
import AWSXML
#endif

extension FuzzChecks {
    /// XML: a document either is refused with an `XMLParseError`, or is written back byte for
    /// byte and reads again to the same bytes.
    static func xml(_ bytes: [UInt8]) throws {
        let document: XMLDocument
        do { document = try XMLDocument(bytes: bytes) } catch { return }
        guard document.bytes == bytes else { throw FuzzCheckFailure("a parsed document is not written back byte for byte") }
        guard let again = try? XMLDocument(bytes: document.bytes), again.bytes == bytes else {
            throw FuzzCheckFailure("what the writer wrote does not read back")
        }
    }
}
