import Foundation
@testable import LambdaRuntime
import Testing

@Suite("event decoding errors")
struct LambdaEventDecodingErrorTests {
    struct Rotation: Decodable {
        struct Step: Decodable { var name: String; var attempts: Int }
        var SecretId: String
        var Steps: [Step]
    }

    private func failure(_ json: String) throws -> LambdaEventDecodingError {
        do {
            _ = try JSONDecoder().decode(Rotation.self, from: Data(json.utf8))
        } catch let error as DecodingError {
            return LambdaEventDecodingError(error, eventType: Rotation.self)
        }
        Issue.record("decoded")
        throw CancellationError()
    }

    @Test("names nested fields with array indices")
    func nestedPath() throws {
        let error = try failure(#"{"SecretId":"x","Steps":[{"name":"a","attempts":1},{"name":"b","attempts":"TOPSECRET"}]}"#)
        #expect(error.description == "Invalid Rotation event: field `Steps[1].attempts` has the wrong type, expected an integer")
        #expect(error.errorType == "Runtime.InvalidEvent")
    }

    @Test("a missing key, a null and broken JSON each say what is wrong")
    func kinds() throws {
        #expect(try failure(#"{"Steps":[]}"#).description == "Invalid Rotation event: field `SecretId` is missing")
        #expect(try failure(#"{"SecretId":null,"Steps":[]}"#).description.contains("field `SecretId` is null or absent, expected a string"))
        #expect(try failure(#"{"SecretId":"TOPSECRET""#).description == "Invalid Rotation event: the event is not valid JSON")
    }
}
