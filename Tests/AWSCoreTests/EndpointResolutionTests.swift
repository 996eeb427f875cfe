@testable import AWSCore
import Foundation
import Testing

@Suite struct EndpointResolutionTests {
    func env(_ vars: [String: String]) -> AWSEnvironment { AWSEnvironment(variables: vars, homeDirectory: "/nonexistent") }

    @Test func standardRegionalAndGlobalEndpoints() throws {
        let sm = try AWSEndpoint.resolve(service: .secretsManager, region: "eu-west-1", environment: env([:]))
        #expect(sm == AWSEndpoint(scheme: "https", host: "secretsmanager.eu-west-1.amazonaws.com", port: nil, basePath: "", signingRegion: "eu-west-1"))
        let cf = try AWSEndpoint.resolve(service: .cloudFront, region: "eu-west-1", environment: env([:]))
        #expect(cf.host == "cloudfront.amazonaws.com")
        #expect(cf.signingRegion == "us-east-1")
        #expect(try AWSEndpoint.resolve(service: .apiGateway, region: "cn-north-1", environment: env([:])).host == "apigateway.cn-north-1.amazonaws.com.cn")
    }

    @Test func serviceSpecificOverrideBeatsTheGlobalOne() throws {
        let e = env(["AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://localhost:6000/sm/"])
        let sm = try AWSEndpoint.resolve(service: .secretsManager, region: "us-east-2", environment: e)
        #expect(sm == AWSEndpoint(scheme: "http", host: "localhost", port: 6000, basePath: "/sm", signingRegion: "us-east-2"))
        let ddb = try AWSEndpoint.resolve(service: .dynamoDB, region: "us-east-2", environment: e)
        #expect(ddb.host == "127.0.0.1" && ddb.port == 5000)
        #expect(AWSService.apiGateway.endpointVariable == "AWS_ENDPOINT_URL_API_GATEWAY")
        #expect(AWSService.cloudFront.endpointVariable == "AWS_ENDPOINT_URL_CLOUDFRONT")
    }

    @Test func overridesCanBeIgnored() throws {
        let e = env(["AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"])
        #expect(try AWSEndpoint.resolve(service: .sqs, region: "us-east-1", environment: e).host == "sqs.us-east-1.amazonaws.com")
    }

    @Test func aBadOverrideNamesTheVariable() {
        #expect {
            _ = try AWSEndpoint.resolve(service: .sqs, region: "us-east-1", environment: env(["AWS_ENDPOINT_URL_SQS": "not a url"]))
        } throws: { error in
            (error as? AWSConfigurationError)?.message.contains("AWS_ENDPOINT_URL_SQS") == true
        }
    }

    @Test func regionFromEnvironmentInOrder() throws {
        #expect(try RegionResolver.resolve(env(["AWS_REGION": "a-1", "AWS_DEFAULT_REGION": "b-2"])) == "a-1")
        #expect(try RegionResolver.resolve(env(["AWS_DEFAULT_REGION": "b-2"])) == "b-2")
    }

    @Test func missingRegionNamesEverySource() {
        #expect {
            _ = try RegionResolver.resolve(env([:]))
        } throws: { error in
            let message = (error as? AWSConfigurationError)?.message ?? ""
            return message.contains("AWS_REGION") && message.contains("AWS_DEFAULT_REGION") && message.contains("profile 'default'")
        }
    }

    @Test func timestampsRoundTrip() {
        let date = AWSTimestamp.parseISO8601("2024-02-29T23:59:58.250+01:30")
        #expect(date.map(AWSTimestamp.iso8601) == "2024-02-29T22:29:58Z")
        #expect(AWSTimestamp.amzDate(Date(timeIntervalSince1970: 0)) == "19700101T000000Z")
        #expect(AWSTimestamp.parseISO8601("2024-13-01T00:00:00Z") == nil)
        #expect(AWSTimestamp.parseISO8601("yesterday") == nil)
    }
}
