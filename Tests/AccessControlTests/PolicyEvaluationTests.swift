import AccessControl
import Testing

@Suite struct PolicyEvaluationTests {
    static let alice = AccessIdentity(userName: "alice", canonicalId: String(repeating: "a", count: 64), accessKey: "MPALICE1", isRoot: false)
    static let bob = AccessIdentity(userName: "bob", canonicalId: String(repeating: "b", count: 64), accessKey: "MPBOB001", isRoot: false)
    static let anonymous = AccessIdentity.anonymous

    static let policyText = #"""
        {"Version":"2012-10-17","Statement":[
          {"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::media/public/*"},
          {"Sid":"AliceWrites","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::magpie:user/alice"},"Action":["s3:PutObject","s3:Delete*"],"Resource":"arn:aws:s3:::media/*"},
          {"Sid":"NoSecrets","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::media/public/secret*"},
          {"Sid":"ListPublic","Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::media","Condition":{"StringLike":{"s3:prefix":"public/*"}}},
          {"Sid":"OfficeOnly","Effect":"Allow","Principal":{"AWS":"MPBOB001"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::media/*","Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}},
          {"Sid":"HomeDir","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::media/home/${aws:username}/*"},
          {"Sid":"TLSForBobWrites","Effect":"Deny","Principal":{"AWS":"MPBOB001"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::media/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}
        ]}
        """#

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let identity: AccessIdentity
        let action: String
        let key: String?
        let context: [String: [String]]
        let expected: BucketPolicy.Decision
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "anonymous reads public", identity: anonymous, action: "s3:GetObject", key: "public/a.jpg", context: [:], expected: .allow),
        Case(name: "anonymous reads private", identity: anonymous, action: "s3:GetObject", key: "private/a.jpg", context: [:], expected: .none),
        Case(name: "anonymous writes public", identity: anonymous, action: "s3:PutObject", key: "public/a.jpg", context: [:], expected: .none),
        Case(name: "explicit deny wins over allow", identity: anonymous, action: "s3:GetObject", key: "public/secret.txt", context: [:], expected: .deny),
        Case(name: "deny applies to alice too", identity: alice, action: "s3:PutObject", key: "public/secret.txt", context: [:], expected: .deny),
        Case(name: "alice writes", identity: alice, action: "s3:PutObject", key: "x/y", context: [:], expected: .allow),
        Case(name: "alice deletes versions (wildcard action)", identity: alice, action: "s3:DeleteObjectVersion", key: "x/y", context: [:], expected: .allow),
        Case(name: "bob cannot write", identity: bob, action: "s3:PutObject", key: "x/y", context: ["aws:securetransport": ["true"]], expected: .none),
        Case(name: "bob denied without TLS", identity: bob, action: "s3:PutObject", key: "x/y", context: ["aws:securetransport": ["false"]], expected: .deny),
        Case(name: "list with public prefix", identity: anonymous, action: "s3:ListBucket", key: nil, context: ["s3:prefix": ["public/2024/"]], expected: .allow),
        Case(name: "list with other prefix", identity: anonymous, action: "s3:ListBucket", key: nil, context: ["s3:prefix": ["private/"]], expected: .none),
        Case(name: "list without prefix", identity: anonymous, action: "s3:ListBucket", key: nil, context: [:], expected: .none),
        Case(name: "bob from the office", identity: bob, action: "s3:GetObject", key: "x", context: ["aws:sourceip": ["192.0.2.77"]], expected: .allow),
        Case(name: "bob from elsewhere", identity: bob, action: "s3:GetObject", key: "x", context: ["aws:sourceip": ["198.51.100.1"]], expected: .none),
        Case(name: "home directory variable", identity: alice, action: "s3:GetObject", key: "home/alice/notes", context: ["aws:username": ["alice"]], expected: .allow),
        Case(name: "someone else's home", identity: alice, action: "s3:GetObject", key: "home/bob/notes", context: ["aws:username": ["alice"]], expected: .none),
        Case(name: "anonymous has no home", identity: anonymous, action: "s3:GetObject", key: "home//x", context: [:], expected: .none),
    ]

    @Test(arguments: cases)
    func matrix(_ testCase: Case) throws {
        let policy = try BucketPolicy.parse(Array(Self.policyText.utf8), bucket: "media")
        let request = AccessRequest(identity: testCase.identity, action: testCase.action, bucket: "media", key: testCase.key, context: testCase.context)
        #expect(policy.evaluate(request) == testCase.expected)
    }

    static func single(_ condition: String) -> String {
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":\#(condition)}]}"#
    }

    static let conditions: [(String, [String: [String]], Bool)] = [
        (#"{"StringEquals":{"s3:x-amz-acl":"public-read"}}"#, ["s3:x-amz-acl": ["public-read"]], true),
        (#"{"StringEquals":{"s3:x-amz-acl":"public-read"}}"#, [:], false),
        (#"{"StringNotEquals":{"s3:x-amz-acl":"public-read"}}"#, [:], true),
        (#"{"StringNotEquals":{"s3:x-amz-acl":["a","b"]}}"#, ["s3:x-amz-acl": ["b"]], false),
        (#"{"StringEqualsIgnoreCase":{"aws:UserAgent":"CURL"}}"#, ["aws:useragent": ["curl"]], true),
        (#"{"StringNotLike":{"aws:Referer":"https://*.example.com/*"}}"#, ["aws:referer": ["https://www.example.com/page"]], false),
        (#"{"StringEqualsIfExists":{"s3:x-amz-storage-class":"STANDARD"}}"#, [:], true),
        (#"{"NumericLessThan":{"s3:max-keys":10}}"#, ["s3:max-keys": ["5"]], true),
        (#"{"NumericLessThan":{"s3:max-keys":10}}"#, ["s3:max-keys": ["10"]], false),
        (#"{"NumericGreaterThanEquals":{"s3:max-keys":"10"}}"#, ["s3:max-keys": ["10"]], true),
        (#"{"NumericNotEquals":{"s3:max-keys":"10"}}"#, ["s3:max-keys": ["11"]], true),
        (#"{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}"#, ["aws:currenttime": ["2026-05-01T10:00:00Z"]], true),
        (#"{"DateLessThan":{"aws:CurrentTime":"2020-01-01"}}"#, ["aws:currenttime": ["2026-05-01T10:00:00.123Z"]], false),
        (#"{"Bool":{"aws:SecureTransport":"true"}}"#, ["aws:securetransport": ["false"]], false),
        (#"{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}"#, ["aws:sourceip": ["2001:db8:1::5"]], true),
        (#"{"NotIpAddress":{"aws:SourceIp":"127.0.0.0/8"}}"#, ["aws:sourceip": ["127.0.0.1"]], false),
        (#"{"Null":{"s3:x-amz-server-side-encryption":"true"}}"#, [:], true),
        (#"{"Null":{"s3:x-amz-server-side-encryption":"false"}}"#, [:], false),
        (#"{"ForAllValues:StringEquals":{"s3:RequestObjectTagKeys":["a","b"]}}"#, ["s3:requestobjecttagkeys": ["a", "b"]], true),
        (#"{"ForAllValues:StringEquals":{"s3:RequestObjectTagKeys":["a","b"]}}"#, ["s3:requestobjecttagkeys": ["a", "c"]], false),
        (#"{"ForAnyValue:StringEquals":{"s3:RequestObjectTagKeys":["a","b"]}}"#, ["s3:requestobjecttagkeys": ["z", "b"]], true),
        (#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::magpie:user/*"}}"#, ["aws:principalarn": ["arn:aws:iam::magpie:user/alice"]], true),
        (#"{"StringEquals":{"s3:prefix":"${aws:username}/"}}"#, ["s3:prefix": ["alice/"], "aws:username": ["alice"]], true),
        (#"{"StringEquals":{"s3:prefix":"a","aws:username":"x"}}"#, ["s3:prefix": ["a"], "aws:username": ["y"]], false),
    ]

    @Test(arguments: conditions)
    func conditionOperators(_ condition: String, _ context: [String: [String]], _ holds: Bool) throws {
        let policy = try BucketPolicy.parse(Array(Self.single(condition).utf8), bucket: "b")
        let request = AccessRequest(identity: Self.alice, action: "s3:GetObject", bucket: "b", key: "k", context: context)
        #expect(policy.evaluate(request) == (holds ? .allow : .none))
    }

    @Test func notResourceAndNotPrincipal() throws {
        let text = #"{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::magpie:user/alice"},"Action":"s3:*","NotResource":"arn:aws:s3:::b/shared/*"}]}"#
        let policy = try BucketPolicy.parse(Array(text.utf8), bucket: "b")
        #expect(policy.evaluate(AccessRequest(identity: Self.bob, action: "s3:GetObject", bucket: "b", key: "private")) == .deny)
        #expect(policy.evaluate(AccessRequest(identity: Self.bob, action: "s3:GetObject", bucket: "b", key: "shared/x")) == .none)
        #expect(policy.evaluate(AccessRequest(identity: Self.alice, action: "s3:GetObject", bucket: "b", key: "private")) == .none)
    }
}

@Suite struct WildcardAndIPTests {
    static let globs: [(String, String, Bool)] = [
        ("*", "", true), ("a*c", "abc", true), ("a*c", "ab", false), ("a?c", "abc", true), ("a?c", "ac", false),
        ("*.jpg", "x/y.jpg", true), ("public/*", "public/", true), ("public/*", "publi", false), ("**a", "bba", true),
        ("https://*.example.com", "https://www.example.com", true), ("https://*.example.com", "https://example.org", false),
    ]

    @Test(arguments: globs)
    func glob(_ pattern: String, _ text: String, _ matches: Bool) {
        #expect(Wildcard.matches(pattern, text) == matches)
    }

    static let addresses: [(String, String, Bool)] = [
        ("192.0.2.0/24", "192.0.2.255", true), ("192.0.2.0/24", "192.0.3.0", false), ("10.0.0.1", "10.0.0.1", true),
        ("0.0.0.0/0", "8.8.8.8", true), ("::1", "::1", true), ("2001:db8::/32", "2001:db9::1", false),
        ("127.0.0.0/8", "::ffff:127.0.0.1", true), ("192.0.2.0/24", "not-an-ip", false),
    ]

    @Test(arguments: addresses)
    func cidr(_ range: String, _ address: String, _ contains: Bool) throws {
        #expect(try #require(IPRange(range)).contains(address) == contains)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4/33", "1.2.3.4/-1", "::1::2", "1.2.3.256", "gggg::1"])
    func malformedRanges(_ text: String) {
        #expect(IPRange(text) == nil)
    }
}
