import AccessControl
import Testing

@Suite struct PolicyParsingTests {
    static func policy(_ statement: String, version: String = "2012-10-17") -> String {
        #"{"Version":"\#(version)","Statement":[\#(statement)]}"#
    }

    static let valid: [String] = [
        policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}"#),
        policy(#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["s3:Get*","s3:List*"],"Resource":["arn:aws:s3:::photos","arn:aws:s3:::photos/*"]}"#),
        policy(#"{"Effect":"Deny","Principal":{"AWS":["arn:aws:iam::magpie:user/alice","MPKEY0001"]},"NotAction":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}"#),
        policy(#"{"Effect":"Allow","Principal":{"CanonicalUser":"\#(String(repeating: "ab", count: 32))"},"Action":"s3:*","Resource":"arn:aws:s3:::photos/*"}"#),
        policy(#"{"Sid":"ip","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*","Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8::/32"]},"Bool":{"aws:SecureTransport":false}}}"#),
        policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::photos","Condition":{"StringLike":{"s3:prefix":["public/*"]},"NumericLessThanEquals":{"s3:max-keys":"10"}}}"#),
        policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::photos/*","Condition":{"ForAnyValue:StringEqualsIfExists":{"s3:x-amz-acl":["private"]},"DateLessThan":{"aws:CurrentTime":"2099-01-01T00:00:00Z"}}}"#),
        #"{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}}"#,
        policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:getobject","Resource":"arn:aws:s3:::photos/*"}"#),
    ]

    @Test(arguments: valid)
    func acceptsValidPolicies(_ text: String) throws {
        let policy = try BucketPolicy.parse(Array(text.utf8), bucket: "photos")
        #expect(!policy.statements.isEmpty)
        #expect(policy.text == text)
    }

    static let malformed: [(String, String)] = [
        ("", "Policies must be valid JSON and the first byte must be '{'"),
        ("[1]", "Policies must be valid JSON and the first byte must be '{'"),
        ("{\"Version\":", "This policy contains invalid Json"),
        (#"{"Version":"2012-10-17"}"#, "Missing required field Statement"),
        (#"{"Version":"2012-10-17","Statement":[]}"#, "Could not parse the policy: Statement is empty!"),
        (#"{"Version":"2001-01-01","Statement":[]}"#, "The policy must contain a valid version string"),
        (#"{"Version":"2012-10-17","Bogus":1,"Statement":[]}"#, "Unknown field Bogus"),
        (policy(#"{"Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}"#), "Missing required field Effect"),
        (policy(#"{"Effect":"Maybe","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}"#), "Invalid effect: Maybe"),
        (policy(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}"#), "Missing required field Principal"),
        (policy(#"{"Effect":"Allow","Principal":"*","Resource":"arn:aws:s3:::photos/*"}"#), "Missing required field Action"),
        (policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}"#), "Missing required field Resource"),
        (policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObjekt","Resource":"arn:aws:s3:::photos/*"}"#), "Policy has invalid action"),
        (policy(#"{"Effect":"Allow","Principal":"*","Action":"iam:CreateUser","Resource":"arn:aws:s3:::photos/*"}"#), "Policy has invalid action"),
        (policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:Nothing*","Resource":"arn:aws:s3:::photos/*"}"#), "Policy has invalid action"),
        (policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}"#), "Policy has invalid resource"),
        (policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"photos/*"}"#), "Policy has invalid resource"),
        (policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos"}"#), "Action does not apply to any resource(s) in statement"),
        (policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::photos/x/*"}"#), "Action does not apply to any resource(s) in statement"),
        (policy(#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123:role/x"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}"#), "Invalid principal in policy"),
        (policy(#"{"Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}"#), "Invalid principal in policy"),
        (policy(#"{"Effect":"Allow","Principal":"everyone","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}"#), "Invalid principal in policy"),
        (policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*","Condition":{"StringEqualz":{"s3:prefix":"a"}}}"#), "Invalid Condition type : StringEqualz"),
        (policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*","Condition":{"StringEquals":{"s3:nosuchkey":"a"}}}"#), "Policy has an invalid condition key"),
        (policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*","Condition":{"IpAddress":{"aws:SourceIp":"300.1.1.1/8"}}}"#), "Invalid IP address in condition: 300.1.1.1/8"),
        (policy(#"{"Sid":"a","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"},{"Sid":"a","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}"#), "Statement IDs (SID) in a single policy must be unique"),
        (policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*","Extra":1}"#), "Unknown field Extra"),
    ]

    @Test(arguments: malformed)
    func refusesMalformedPolicies(_ text: String, _ message: String) {
        #expect(throws: PolicyError.invalid(message)) { try BucketPolicy.parse(Array(text.utf8), bucket: "photos") }
    }

    @Test func refusesOversizedPolicies() {
        let padding = String(repeating: " ", count: BucketPolicy.maxBytes)
        let text = Self.policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}"#) + padding
        #expect(throws: PolicyError.self) { try BucketPolicy.parse(Array(text.utf8), bucket: "photos") }
    }

    static let publicness: [(String, Bool)] = [
        (policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}"#), true),
        (policy(#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}"#), true),
        (policy(#"{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}"#), false),
        (policy(#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::magpie:user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}"#), false),
        (policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}"#), false),
        (policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}}}"#), true),
        (policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}"#), true),
        (policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*","Condition":{"StringEquals":{"aws:username":"alice"}}}"#), false),
        (policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*","Condition":{"StringLike":{"aws:username":"a*"}}}"#), true),
        (policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}"#), true),
    ]

    @Test(arguments: publicness)
    func publicMeansWhatAWSSaysItMeans(_ text: String, _ isPublic: Bool) throws {
        #expect(try BucketPolicy.parse(Array(text.utf8), bucket: "photos").isPublic == isPublic)
    }

    @Test func namedPrincipalsAreReportedForValidation() throws {
        let text = Self.policy(#"{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::magpie:user/alice","MPKEY0001","*"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}"#)
        let policy = try BucketPolicy.parse(Array(text.utf8), bucket: "photos")
        #expect(policy.namedPrincipals == [.user("alice"), .accessKey("MPKEY0001")])
    }
}
