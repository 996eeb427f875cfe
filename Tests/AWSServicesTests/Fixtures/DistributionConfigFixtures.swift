/// CloudFront `GetDistributionConfig` bodies (2020-05-31 API). Element order and nesting
/// follow the CloudFront API reference; `full` was produced by botocore 1.43's rest-xml
/// serializer from a DistributionConfig with every optional block set.
enum DistributionConfigFixtures {
    /// Only the required elements, one API Gateway origin carrying the verify header.
    static let minimal = #"""
        <?xml version="1.0"?>
        <DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>cli-1700000000-123456</CallerReference><Origins><Quantity>1</Quantity><Items><Origin><Id>api-origin</Id><DomainName>abc123.execute-api.us-east-1.amazonaws.com</DomainName><CustomHeaders><Quantity>1</Quantity><Items><OriginCustomHeader><HeaderName>x-origin-verify</HeaderName><HeaderValue>OLD-minimal-c2VjcmV0</HeaderValue></OriginCustomHeader></Items></CustomHeaders><CustomOriginConfig><HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>https-only</OriginProtocolPolicy></CustomOriginConfig></Origin></Items></Origins><DefaultCacheBehavior><TargetOriginId>api-origin</TargetOriginId><ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy><CachePolicyId>4135ea2d-6df8-44a3-9df3-4b5a84be39ad</CachePolicyId></DefaultCacheBehavior><Comment></Comment><Enabled>true</Enabled></DistributionConfig>
        """#

    /// Every optional block: aliases, three origins (two custom ones carrying the verify header
    /// in different case, one S3 origin with origin access control), origin groups, behaviours
    /// with function/Lambda@Edge associations and trusted key groups, error responses, logging,
    /// certificate, geo restriction, WAF, HTTP/3, IPv6, continuous deployment, staging.
    static let full = #"""
        <?xml version="1.0"?>
        <DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>keyrotator-full-2024-01-01</CallerReference><Aliases><Quantity>2</Quantity><Items><CNAME>api.example.com</CNAME><CNAME>www.example.com</CNAME></Items></Aliases><DefaultRootObject>index.html</DefaultRootObject><Origins><Quantity>3</Quantity><Items><Origin><Id>api-primary</Id><DomainName>abc123.execute-api.eu-west-1.amazonaws.com</DomainName><OriginPath>/prod</OriginPath><CustomHeaders><Quantity>2</Quantity><Items><OriginCustomHeader><HeaderName>x-origin-verify</HeaderName><HeaderValue>OLD-primary-Zm9vYmFy</HeaderValue></OriginCustomHeader><OriginCustomHeader><HeaderName>X-Tenant</HeaderName><HeaderValue>acme &amp; co &lt;eu&gt;</HeaderValue></OriginCustomHeader></Items></CustomHeaders><CustomOriginConfig><HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>https-only</OriginProtocolPolicy><OriginSslProtocols><Quantity>1</Quantity><Items><SslProtocol>TLSv1.2</SslProtocol></Items></OriginSslProtocols><OriginReadTimeout>30</OriginReadTimeout><OriginKeepaliveTimeout>5</OriginKeepaliveTimeout><IpAddressType>dualstack</IpAddressType></CustomOriginConfig><ConnectionAttempts>3</ConnectionAttempts><ConnectionTimeout>10</ConnectionTimeout><ResponseCompletionTimeout>60</ResponseCompletionTimeout><OriginShield><Enabled>true</Enabled><OriginShieldRegion>eu-west-1</OriginShieldRegion></OriginShield><OriginAccessControlId /></Origin><Origin><Id>api-secondary</Id><DomainName>def456.execute-api.us-east-1.amazonaws.com</DomainName><OriginPath /><CustomHeaders><Quantity>1</Quantity><Items><OriginCustomHeader><HeaderName>X-Origin-Verify</HeaderName><HeaderValue>OLD-secondary-YmF6cXV4</HeaderValue></OriginCustomHeader></Items></CustomHeaders><CustomOriginConfig><HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>https-only</OriginProtocolPolicy><OriginSslProtocols><Quantity>2</Quantity><Items><SslProtocol>TLSv1.1</SslProtocol><SslProtocol>TLSv1.2</SslProtocol></Items></OriginSslProtocols><OriginReadTimeout>30</OriginReadTimeout><OriginKeepaliveTimeout>5</OriginKeepaliveTimeout></CustomOriginConfig><ConnectionAttempts>2</ConnectionAttempts><ConnectionTimeout>5</ConnectionTimeout><OriginShield><Enabled>false</Enabled></OriginShield><OriginAccessControlId /></Origin><Origin><Id>static-s3</Id><DomainName>assets-bucket.s3.eu-west-1.amazonaws.com</DomainName><OriginPath /><CustomHeaders><Quantity>0</Quantity></CustomHeaders><S3OriginConfig><OriginAccessIdentity /><OriginReadTimeout>30</OriginReadTimeout></S3OriginConfig><ConnectionAttempts>3</ConnectionAttempts><ConnectionTimeout>10</ConnectionTimeout><OriginShield><Enabled>true</Enabled><OriginShieldRegion>us-east-1</OriginShieldRegion></OriginShield><OriginAccessControlId>E2QWRUHAPOMQZL</OriginAccessControlId></Origin></Items></Origins><OriginGroups><Quantity>1</Quantity><Items><OriginGroup><Id>api-failover</Id><FailoverCriteria><StatusCodes><Quantity>3</Quantity><Items><StatusCode>500</StatusCode><StatusCode>502</StatusCode><StatusCode>503</StatusCode></Items></StatusCodes></FailoverCriteria><Members><Quantity>2</Quantity><Items><OriginGroupMember><OriginId>api-primary</OriginId></OriginGroupMember><OriginGroupMember><OriginId>api-secondary</OriginId></OriginGroupMember></Items></Members><SelectionCriteria>default</SelectionCriteria></OriginGroup></Items></OriginGroups><DefaultCacheBehavior><TargetOriginId>api-failover</TargetOriginId><TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners><TrustedKeyGroups><Enabled>true</Enabled><Quantity>1</Quantity><Items><KeyGroup>8e2ab7c4-1d3f-4a6b-9c0d-5e7f8a9b0c1d</KeyGroup></Items></TrustedKeyGroups><ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy><AllowedMethods><Quantity>7</Quantity><Items><Method>GET</Method><Method>HEAD</Method><Method>OPTIONS</Method><Method>PUT</Method><Method>PATCH</Method><Method>POST</Method><Method>DELETE</Method></Items><CachedMethods><Quantity>2</Quantity><Items><Method>GET</Method><Method>HEAD</Method></Items></CachedMethods></AllowedMethods><SmoothStreaming>false</SmoothStreaming><Compress>true</Compress><LambdaFunctionAssociations><Quantity>1</Quantity><Items><LambdaFunctionAssociation><LambdaFunctionARN>arn:aws:lambda:us-east-1:123456789012:function:edge-auth:7</LambdaFunctionARN><EventType>viewer-request</EventType><IncludeBody>false</IncludeBody></LambdaFunctionAssociation></Items></LambdaFunctionAssociations><FunctionAssociations><Quantity>1</Quantity><Items><FunctionAssociation><FunctionARN>arn:aws:cloudfront::123456789012:function/rewrite-index</FunctionARN><EventType>viewer-response</EventType></FunctionAssociation></Items></FunctionAssociations><FieldLevelEncryptionId /><RealtimeLogConfigArn>arn:aws:cloudfront::123456789012:realtime-log-config/api-logs</RealtimeLogConfigArn><CachePolicyId>4135ea2d-6df8-44a3-9df3-4b5a84be39ad</CachePolicyId><OriginRequestPolicyId>b689b0a8-53d0-40ab-baf2-68738e2966ac</OriginRequestPolicyId><ResponseHeadersPolicyId>67f7725c-6f97-4210-82d7-5512b31e9d03</ResponseHeadersPolicyId><GrpcConfig><Enabled>false</Enabled></GrpcConfig></DefaultCacheBehavior><CacheBehaviors><Quantity>1</Quantity><Items><CacheBehavior><PathPattern>/static/*</PathPattern><TargetOriginId>static-s3</TargetOriginId><TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners><TrustedKeyGroups><Enabled>false</Enabled><Quantity>0</Quantity></TrustedKeyGroups><ViewerProtocolPolicy>https-only</ViewerProtocolPolicy><AllowedMethods><Quantity>2</Quantity><Items><Method>GET</Method><Method>HEAD</Method></Items><CachedMethods><Quantity>2</Quantity><Items><Method>GET</Method><Method>HEAD</Method></Items></CachedMethods></AllowedMethods><SmoothStreaming>false</SmoothStreaming><Compress>true</Compress><LambdaFunctionAssociations><Quantity>0</Quantity></LambdaFunctionAssociations><FunctionAssociations><Quantity>0</Quantity></FunctionAssociations><FieldLevelEncryptionId /><ForwardedValues><QueryString>false</QueryString><Cookies><Forward>whitelist</Forward><WhitelistedNames><Quantity>1</Quantity><Items><Name>session</Name></Items></WhitelistedNames></Cookies><Headers><Quantity>1</Quantity><Items><Name>Origin</Name></Items></Headers><QueryStringCacheKeys><Quantity>0</Quantity></QueryStringCacheKeys></ForwardedValues><MinTTL>0</MinTTL><DefaultTTL>86400</DefaultTTL><MaxTTL>31536000</MaxTTL></CacheBehavior></Items></CacheBehaviors><CustomErrorResponses><Quantity>2</Quantity><Items><CustomErrorResponse><ErrorCode>403</ErrorCode><ResponsePagePath>/errors/403.html</ResponsePagePath><ResponseCode>403</ResponseCode><ErrorCachingMinTTL>10</ErrorCachingMinTTL></CustomErrorResponse><CustomErrorResponse><ErrorCode>404</ErrorCode><ResponsePagePath>/index.html</ResponsePagePath><ResponseCode>200</ResponseCode><ErrorCachingMinTTL>300</ErrorCachingMinTTL></CustomErrorResponse></Items></CustomErrorResponses><Comment>Prod API &amp; static site &lt;managed by KeyRotator&gt;</Comment><Logging><Enabled>true</Enabled><IncludeCookies>false</IncludeCookies><Bucket>logs-bucket.s3.amazonaws.com</Bucket><Prefix>cloudfront/api/</Prefix></Logging><PriceClass>PriceClass_100</PriceClass><Enabled>true</Enabled><ViewerCertificate><CloudFrontDefaultCertificate>false</CloudFrontDefaultCertificate><ACMCertificateArn>arn:aws:acm:us-east-1:123456789012:certificate/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d</ACMCertificateArn><SSLSupportMethod>sni-only</SSLSupportMethod><MinimumProtocolVersion>TLSv1.2_2021</MinimumProtocolVersion><Certificate>arn:aws:acm:us-east-1:123456789012:certificate/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d</Certificate><CertificateSource>acm</CertificateSource></ViewerCertificate><Restrictions><GeoRestriction><RestrictionType>blacklist</RestrictionType><Quantity>2</Quantity><Items><Location>KP</Location><Location>IR</Location></Items></GeoRestriction></Restrictions><WebACLId>arn:aws:wafv2:us-east-1:123456789012:global/webacl/api-acl/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111</WebACLId><HttpVersion>http2and3</HttpVersion><IsIPV6Enabled>true</IsIPV6Enabled><ContinuousDeploymentPolicyId /><Staging>false</Staging></DistributionConfig>
        """#

    /// Indented with CRLF line ends, comments and a processing instruction around and inside
    /// the tree, elements and attributes this API version does not define, CDATA, character
    /// references in the header value, and a comment that mentions the header.
    static let unknownElementsAndComments = """
        <?xml version="1.0" encoding="UTF-8"?>\r
        <!-- exported by ops tooling -->\r
        <DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/" xmlns:ext="urn:example:ext">\r
          <CallerReference>ref &amp; "quoted" &#x263A;</CallerReference>\r
          <?ops-hint keep?>\r
          <Origins>\r
            <Quantity>2</Quantity>\r
            <Items>\r
              <Origin>\r
                <Id>legacy-api</Id>\r
                <DomainName>legacy.example.com</DomainName>\r
                <!-- x-origin-verify: <HeaderValue>not-a-real-element</HeaderValue> -->\r
                <CustomHeaders>\r
                  <Quantity>1</Quantity>\r
                  <Items>\r
                    <OriginCustomHeader ext:managed = 'yes' >\r
                      <HeaderName>X-ORIGIN-VERIFY</HeaderName>\r
                      <HeaderValue>&#x4F;LD-legacy-&#97;bc</HeaderValue>\r
                      <ext:Rotation interval="30d"/>\r
                    </OriginCustomHeader>\r
                  </Items>\r
                </CustomHeaders>\r
                <CustomOriginConfig><HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>match-viewer</OriginProtocolPolicy></CustomOriginConfig>\r
                <FutureOriginSetting mode="fast"><Nested><![CDATA[<raw & kept>]]></Nested></FutureOriginSetting>\r
              </Origin>\r
              <Origin>\r
                <Id>other</Id>\r
                <DomainName>other.example.com</DomainName>\r
                <CustomHeaders><Quantity>1</Quantity><Items><OriginCustomHeader><HeaderName>x-other</HeaderName><HeaderValue>untouched</HeaderValue></OriginCustomHeader></Items></CustomHeaders>\r
              </Origin>\r
            </Items>\r
          </Origins>\r
          <DefaultCacheBehavior><TargetOriginId>legacy-api</TargetOriginId><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy></DefaultCacheBehavior>\r
          <Comment>tabs\tand &lt;angles&gt; &amp; ampersands</Comment>\r
          <Enabled>false</Enabled>\r
          <FutureTopLevelBlock ext:since="2031"><Quantity>0</Quantity></FutureTopLevelBlock>\r
        </DistributionConfig >\r
        <!-- end -->\r

        """
}
