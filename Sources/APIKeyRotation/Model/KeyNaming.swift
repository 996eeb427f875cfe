import AWSCore
import KeyMaterial

/// The deterministic name and tags of the key a rotation creates, so that a retry finds the key it
/// created instead of making a second one: the name is derived from the item and the key it replaces.
public enum KeyNaming {
    /// Every key KeyRotator creates has a name starting with this.
    public static let prefix = "keyrotator-"

    /// `keyrotator-<old key id>-<item hash>`: unique per rotation, stable across retries, within
    /// API Gateway's name rules whatever the item id holds (and without a `/`, which moto's
    /// signature check of `GetApiKeys?name=` gets wrong).
    public static func name(itemID: String, replacing keyID: String) -> String {
        prefix + keyID + "-" + itemHash(itemID)
    }

    /// Tags given at creation (API Gateway accepts tags on CreateApiKey everywhere; moto only there).
    public static func tags(itemID: String, replacing keyID: String) -> [String: String] {
        var tags = ["keyrotator:replaces": keyID, "keyrotator:item-sha256": itemHash(itemID)]
        if itemID.count <= 256, itemID.unicodeScalars.allSatisfy(isTagCharacter) { tags["keyrotator:item"] = itemID }
        return tags
    }

    /// A readable description (no value, ever).
    public static func description(itemID: String, replacing keyID: String) -> String {
        "Rotated by KeyRotator for item \(itemID), replacing key \(keyID)"
    }

    /// The first 8 hex digits of the item id's SHA-256 (the key id already makes the name unique).
    static func itemHash(_ itemID: String) -> String { fingerprint(itemID) }

    private static func isTagCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || " _.:/=+-@".unicodeScalars.contains(scalar))
    }
}
