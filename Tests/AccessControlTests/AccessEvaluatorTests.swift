import AccessControl
import S3Protocol
import Testing

@Suite struct AccessEvaluatorTests {
    static let ownerId = String(repeating: "0", count: 64)
    static let owner = AccessIdentity(userName: "olive", canonicalId: ownerId, accessKey: "KO", isRoot: false)
    static let other = AccessIdentity(userName: "oscar", canonicalId: String(repeating: "1", count: 64), accessKey: "KX", isRoot: false)
    static let root = AccessIdentity(userName: "root", canonicalId: String(repeating: "2", count: 64), accessKey: "KR", isRoot: true)
    static let anonymous = AccessIdentity.anonymous

    static func policy(_ text: String) -> BucketPolicy { try! BucketPolicy.parse(Array(text.utf8), bucket: "media") }
    static let publicRead = policy(#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::media/*"}]}"#)
    static let denyAll = policy(#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::media","arn:aws:s3:::media/*"]}]}"#)
    static let publicReadACL = AccessControlList(ownerId: ownerId, grants: [.init(.user(ownerId), .fullControl), .init(.group(AccessControlList.allUsers), .read)])

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let bucket: BucketAccess
        let server: PublicAccessBlock?
        let identity: AccessIdentity
        let action: String
        let key: String?
        let expected: AccessEvaluator.Decision
        var testDescription: String { name }
    }

    static let plain = BucketAccess(ownerId: ownerId)
    static let policyBucket = BucketAccess(ownerId: ownerId, policy: publicRead, publicAccessBlock: PublicAccessBlock.none)
    static let restricted = BucketAccess(ownerId: ownerId, policy: publicRead, publicAccessBlock: .all)
    static let denied = BucketAccess(ownerId: ownerId, policy: denyAll)
    static let aclBucket = BucketAccess(ownerId: ownerId, acl: publicReadACL, publicAccessBlock: PublicAccessBlock.none, ownership: .objectWriter)
    static let aclEnforced = BucketAccess(ownerId: ownerId, acl: publicReadACL, publicAccessBlock: PublicAccessBlock.none, ownership: .bucketOwnerEnforced)
    static let aclIgnored = BucketAccess(ownerId: ownerId, acl: publicReadACL, publicAccessBlock: .all, ownership: .objectWriter)

    static let cases: [Case] = [
        Case(name: "owner, no policy", bucket: plain, server: nil, identity: owner, action: "s3:PutObject", key: "k", expected: .allow),
        Case(name: "other, no policy", bucket: plain, server: nil, identity: other, action: "s3:GetObject", key: "k", expected: .deny),
        Case(name: "anonymous, no policy", bucket: plain, server: nil, identity: anonymous, action: "s3:GetObject", key: "k", expected: .deny),
        Case(name: "root always", bucket: denied, server: nil, identity: root, action: "s3:DeleteBucket", key: nil, expected: .allow),
        Case(name: "public policy: anonymous GET", bucket: policyBucket, server: nil, identity: anonymous, action: "s3:GetObject", key: "k", expected: .allow),
        Case(name: "public policy: anonymous LIST", bucket: policyBucket, server: nil, identity: anonymous, action: "s3:ListBucket", key: nil, expected: .deny),
        Case(name: "public policy: anonymous PUT", bucket: policyBucket, server: nil, identity: anonymous, action: "s3:PutObject", key: "k", expected: .deny),
        Case(name: "public policy under RestrictPublicBuckets", bucket: restricted, server: nil, identity: anonymous, action: "s3:GetObject", key: "k", expected: .deny),
        Case(name: "server-wide block restricts too", bucket: policyBucket, server: .all, identity: anonymous, action: "s3:GetObject", key: "k", expected: .deny),
        Case(name: "restricted still serves the owner", bucket: restricted, server: nil, identity: owner, action: "s3:GetObject", key: "k", expected: .allow),
        Case(name: "deny binds the owner", bucket: denied, server: nil, identity: owner, action: "s3:GetObject", key: "k", expected: .deny),
        Case(name: "owner can still repair the policy", bucket: denied, server: nil, identity: owner, action: "s3:DeleteBucketPolicy", key: nil, expected: .allow),
        Case(name: "bucket ACL READ lists", bucket: aclBucket, server: nil, identity: anonymous, action: "s3:ListBucket", key: nil, expected: .allow),
        Case(name: "bucket ACL READ does not write", bucket: aclBucket, server: nil, identity: anonymous, action: "s3:PutObject", key: "k", expected: .deny),
        Case(name: "object read asks the object ACL", bucket: aclBucket, server: nil, identity: anonymous, action: "s3:GetObject", key: "k", expected: .askObjectACL(.read)),
        Case(name: "ACLs disabled by ownership", bucket: aclEnforced, server: nil, identity: anonymous, action: "s3:ListBucket", key: nil, expected: .deny),
        Case(name: "IgnorePublicAcls", bucket: aclIgnored, server: nil, identity: anonymous, action: "s3:ListBucket", key: nil, expected: .deny),
    ]

    @Test(arguments: cases)
    func matrix(_ testCase: Case) {
        let request = AccessRequest(identity: testCase.identity, action: testCase.action, bucket: "media", key: testCase.key)
        #expect(AccessEvaluator.decide(request, bucket: testCase.bucket, serverBlock: testCase.server) == testCase.expected)
    }

    @Test func objectACLStep() {
        #expect(AccessEvaluator.objectACLAllows(Self.publicReadACL, .read, identity: Self.anonymous, bucket: Self.aclBucket, serverBlock: nil))
        #expect(!AccessEvaluator.objectACLAllows(Self.publicReadACL, .read, identity: Self.anonymous, bucket: Self.aclIgnored, serverBlock: nil))
        #expect(!AccessEvaluator.objectACLAllows(Self.publicReadACL, .writeACP, identity: Self.other, bucket: Self.aclBucket, serverBlock: nil))
    }

    @Test func publicAccessBlockXML() throws {
        let block = PublicAccessBlock(blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: true, restrictPublicBuckets: false)
        #expect(try PublicAccessBlock.parse(Array(block.xml.output.utf8)) == block)
        #expect(try PublicAccessBlock.parse(Array("<PublicAccessBlockConfiguration/>".utf8)) == PublicAccessBlock.none)
        #expect(throws: (any Error).self) { try PublicAccessBlock.parse(Array("<PublicAccessBlockConfiguration><BlockPublicAcls>yes</BlockPublicAcls></PublicAccessBlockConfiguration>".utf8)) }
    }

    @Test func ownershipControlsXML() throws {
        #expect(try ObjectOwnership.parse(Array(ObjectOwnership.objectWriter.xml.output.utf8)) == .objectWriter)
        #expect(throws: (any Error).self) { try ObjectOwnership.parse(Array("<OwnershipControls><Rule><ObjectOwnership>Mine</ObjectOwnership></Rule></OwnershipControls>".utf8)) }
    }
}
