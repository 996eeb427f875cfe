public import AWSServices

/// CloudFront `DistributionConfig` documents for tests, shaped like the 2020-05-31 API.
public enum CloudFrontFixtures {
    /// An origin with custom headers (name, value). Values here are test values, never real secrets.
    public struct Origin: Sendable {
        public var id: String
        public var domainName: String
        public var headers: [(String, String)]

        public init(id: String, domainName: String, headers: [(String, String)]) {
            self.id = id
            self.domainName = domainName
            self.headers = headers
        }
    }

    /// A configuration with the given origins. With `everyOptionalBlock`, it carries aliases, an
    /// origin group, cache behaviours with function associations, custom error responses,
    /// logging, a viewer certificate, geo restrictions and a web ACL.
    public static func distributionConfig(callerReference: String, origins: [Origin], everyOptionalBlock: Bool = true) -> String {
        let originItems = origins.map { origin in
            """
                  <Origin>
                    <Id>\(origin.id)</Id>
                    <DomainName>\(origin.domainName)</DomainName>
                    <OriginPath>/prod</OriginPath>
                    <CustomHeaders>
                      <Quantity>\(origin.headers.count)</Quantity>
                      <Items>\(origin.headers.map { "<OriginCustomHeader><HeaderName>\($0.0)</HeaderName><HeaderValue>\($0.1)</HeaderValue></OriginCustomHeader>" }.joined())</Items>
                    </CustomHeaders>
                    <CustomOriginConfig>
                      <HTTPPort>80</HTTPPort>
                      <HTTPSPort>443</HTTPSPort>
                      <OriginProtocolPolicy>https-only</OriginProtocolPolicy>
                      <OriginSslProtocols><Quantity>1</Quantity><Items><SslProtocol>TLSv1.2</SslProtocol></Items></OriginSslProtocols>
                      <OriginReadTimeout>30</OriginReadTimeout>
                      <OriginKeepaliveTimeout>5</OriginKeepaliveTimeout>
                    </CustomOriginConfig>
                    <ConnectionAttempts>3</ConnectionAttempts>
                    <ConnectionTimeout>10</ConnectionTimeout>
                    <OriginShield><Enabled>false</Enabled></OriginShield>
                  </Origin>
            """
        }.joined(separator: "\n")
        let firstOrigin = origins.first?.id ?? "none"
        let optional = everyOptionalBlock ? """
              <Aliases><Quantity>2</Quantity><Items><CNAME>api.example.com</CNAME><CNAME>www.example.com</CNAME></Items></Aliases>
              <DefaultRootObject>index.html</DefaultRootObject>
            """ : """
              <Aliases><Quantity>0</Quantity></Aliases>
            """
        let originGroups = everyOptionalBlock && origins.count >= 2 ? """
              <OriginGroups>
                <Quantity>1</Quantity>
                <Items>
                  <OriginGroup>
                    <Id>failover</Id>
                    <FailoverCriteria><StatusCodes><Quantity>2</Quantity><Items><StatusCode>500</StatusCode><StatusCode>502</StatusCode></Items></StatusCodes></FailoverCriteria>
                    <Members><Quantity>2</Quantity><Items><OriginGroupMember><OriginId>\(origins[0].id)</OriginId></OriginGroupMember><OriginGroupMember><OriginId>\(origins[1].id)</OriginId></OriginGroupMember></Items></Members>
                  </OriginGroup>
                </Items>
              </OriginGroups>
            """ : ""
        let extra = everyOptionalBlock ? """
              <CacheBehaviors>
                <Quantity>1</Quantity>
                <Items>
                  <CacheBehavior>
                    <PathPattern>/static/*</PathPattern>
                    <TargetOriginId>\(origins.last?.id ?? firstOrigin)</TargetOriginId>
                    <TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>
                    <TrustedKeyGroups><Enabled>false</Enabled><Quantity>0</Quantity></TrustedKeyGroups>
                    <ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy>
                    <AllowedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items><CachedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items></CachedMethods></AllowedMethods>
                    <SmoothStreaming>false</SmoothStreaming>
                    <Compress>true</Compress>
                    <FieldLevelEncryptionId></FieldLevelEncryptionId>
                    <CachePolicyId>658327ea-f89d-4fab-a63d-7e88639e58f6</CachePolicyId>
                  </CacheBehavior>
                </Items>
              </CacheBehaviors>
              <CustomErrorResponses>
                <Quantity>1</Quantity>
                <Items><CustomErrorResponse><ErrorCode>404</ErrorCode><ResponsePagePath>/404.html</ResponsePagePath><ResponseCode>404</ResponseCode><ErrorCachingMinTTL>10</ErrorCachingMinTTL></CustomErrorResponse></Items>
              </CustomErrorResponses>
              <Comment>KeyRotator test &amp; fixture &lt;full&gt;</Comment>
              <Logging><Enabled>true</Enabled><IncludeCookies>false</IncludeCookies><Bucket>logs.s3.amazonaws.com</Bucket><Prefix>cf/</Prefix></Logging>
              <PriceClass>PriceClass_100</PriceClass>
              <Enabled>true</Enabled>
              <ViewerCertificate><CloudFrontDefaultCertificate>true</CloudFrontDefaultCertificate><MinimumProtocolVersion>TLSv1.2_2021</MinimumProtocolVersion></ViewerCertificate>
              <Restrictions><GeoRestriction><RestrictionType>blacklist</RestrictionType><Quantity>2</Quantity><Items><Location>KP</Location><Location>IR</Location></Items></GeoRestriction></Restrictions>
              <WebACLId>arn:aws:wafv2:us-east-1:123456789012:global/webacl/test/abc</WebACLId>
              <HttpVersion>http2and3</HttpVersion>
              <IsIPV6Enabled>true</IsIPV6Enabled>
            """ : """
              <Comment>minimal</Comment>
              <Enabled>true</Enabled>
            """
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">
              <CallerReference>\(callerReference)</CallerReference>
            \(optional)
              <Origins>
                <Quantity>\(origins.count)</Quantity>
                <Items>
            \(originItems)
                </Items>
              </Origins>
            \(originGroups)
              <DefaultCacheBehavior>
                <TargetOriginId>\(firstOrigin)</TargetOriginId>
                <TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>
                <TrustedKeyGroups><Enabled>false</Enabled><Quantity>0</Quantity></TrustedKeyGroups>
                <ViewerProtocolPolicy>https-only</ViewerProtocolPolicy>
                <AllowedMethods><Quantity>7</Quantity><Items><Method>GET</Method><Method>HEAD</Method><Method>POST</Method><Method>PUT</Method><Method>PATCH</Method><Method>OPTIONS</Method><Method>DELETE</Method></Items><CachedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items></CachedMethods></AllowedMethods>
                <SmoothStreaming>false</SmoothStreaming>
                <Compress>true</Compress>
                <FieldLevelEncryptionId></FieldLevelEncryptionId>
                <CachePolicyId>4135ea2d-6df8-44a3-9df3-4b5a84be39ad</CachePolicyId>
                <OriginRequestPolicyId>b689b0a8-53d0-40ab-baf2-68738e2966ac</OriginRequestPolicyId>
              </DefaultCacheBehavior>
            \(extra)
            </DistributionConfig>
            """
    }

    /// Creates a distribution in the emulator and returns its id.
    public static func createDistribution(_ cloudFront: CloudFrontClient, origins: [Origin], everyOptionalBlock: Bool = true) async throws -> String {
        let xml = distributionConfig(callerReference: "kr-\(UInt64.random(in: 0...UInt64.max))", origins: origins, everyOptionalBlock: everyOptionalBlock)
        return try await cloudFront.createDistribution(config: DistributionConfig(xml: Array(xml.utf8))).id
    }
}
