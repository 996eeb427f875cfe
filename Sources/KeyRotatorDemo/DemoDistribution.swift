import AWSXML

/// The demo's CloudFront distribution: one custom origin on the local server, sending the secret header.
enum DemoDistribution {
    static func config(callerReference: String, originPort: Int, headerName: String, value: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">
          <CallerReference>\(xmlTextEscaped(callerReference))</CallerReference>
          <Aliases><Quantity>0</Quantity></Aliases>
          <Origins>
            <Quantity>1</Quantity>
            <Items>
              <Origin>
                <Id>local-origin</Id>
                <DomainName>127.0.0.1</DomainName>
                <CustomHeaders>
                  <Quantity>1</Quantity>
                  <Items><OriginCustomHeader><HeaderName>\(headerName)</HeaderName><HeaderValue>\(xmlTextEscaped(value))</HeaderValue></OriginCustomHeader></Items>
                </CustomHeaders>
                <CustomOriginConfig>
                  <HTTPPort>\(originPort)</HTTPPort>
                  <HTTPSPort>443</HTTPSPort>
                  <OriginProtocolPolicy>http-only</OriginProtocolPolicy>
                </CustomOriginConfig>
              </Origin>
            </Items>
          </Origins>
          <DefaultCacheBehavior>
            <TargetOriginId>local-origin</TargetOriginId>
            <TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>
            <ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy>
            <CachePolicyId>4135ea2d-6df8-44a3-9df3-4b5a84be39ad</CachePolicyId>
          </DefaultCacheBehavior>
          <Comment>KeyRotator local demo</Comment>
          <Enabled>true</Enabled>
        </DistributionConfig>
        """
    }
}
