import AccessControl
import S3Protocol
import MagpieCore
import Testing

@Suite struct ACLTests {
    static let owner = String(repeating: "a", count: 64)
    static let bucketOwner = String(repeating: "b", count: 64)
    static let alice = AccessIdentity(userName: "alice", canonicalId: owner, accessKey: "K1", isRoot: false)
    static let carol = AccessIdentity(userName: "carol", canonicalId: String(repeating: "c", count: 64), accessKey: "K3", isRoot: false)

    static let canned: [(String, Bool, [AccessControlList.Grant])] = [
        ("private", false, []),
        ("public-read", true, [.init(.group(AccessControlList.allUsers), .read)]),
        ("public-read-write", true, [.init(.group(AccessControlList.allUsers), .read), .init(.group(AccessControlList.allUsers), .write)]),
        ("authenticated-read", true, [.init(.group(AccessControlList.authenticatedUsers), .read)]),
        ("bucket-owner-full-control", false, [.init(.user(bucketOwner), .fullControl)]),
        ("bucket-owner-read", false, [.init(.user(bucketOwner), .read)]),
    ]

    @Test(arguments: canned)
    func cannedACLs(_ name: String, _ isPublic: Bool, _ extra: [AccessControlList.Grant]) throws {
        let acl = try AccessControlList.canned(name, owner: Self.owner, bucketOwner: Self.bucketOwner)
        #expect(acl.grants == [.init(.user(Self.owner), .fullControl)] + extra)
        #expect(acl.isPublic == isPublic)
    }

    @Test func unknownCannedACLIsInvalidArgument() {
        #expect(throws: MagpieError.self) { try AccessControlList.canned("world-writable", owner: Self.owner, bucketOwner: Self.owner) }
    }

    @Test func grantsByPermissionAndGroup() throws {
        let acl = try AccessControlList.canned("authenticated-read", owner: Self.owner, bucketOwner: Self.owner)
        #expect(acl.grants(.writeACP, to: Self.alice, ignorePublic: false))
        #expect(acl.grants(.read, to: Self.carol, ignorePublic: false))
        #expect(!acl.grants(.read, to: Self.carol, ignorePublic: true))
        #expect(!acl.grants(.read, to: .anonymous, ignorePublic: false))
        #expect(!acl.grants(.write, to: Self.carol, ignorePublic: false))
    }

    @Test func headerGrants() throws {
        let grants = try AccessControlList.headerGrants([
            (.read, #"uri="http://acs.amazonaws.com/groups/global/AllUsers", id="\#(Self.owner)""#),
            (.writeACP, #"emailAddress="carol@example.com""#),
        ])
        #expect(grants == [.init(.group(AccessControlList.allUsers), .read), .init(.user(Self.owner), .read), .init(.email("carol@example.com"), .writeACP)])
        #expect(throws: MagpieError.self) { try AccessControlList.headerGrants([(.read, "uri=http://example.com/group")]) }
        #expect(throws: MagpieError.self) { try AccessControlList.headerGrants([(.read, "nonsense")]) }
    }

    @Test func xmlRoundTrip() throws {
        let acl = AccessControlList(ownerId: Self.owner, grants: [
            .init(.user(Self.owner), .fullControl), .init(.group(AccessControlList.allUsers), .read),
        ])
        let text = acl.xml(names: [Self.owner: "alice"]).output
        #expect(text.contains(#"xsi:type="Group""#))
        #expect(try AccessControlList.parseGrants(Array(text.utf8)) == acl.grants)
    }

    @Test(arguments: [
        "<AccessControlPolicy/>",
        "<AccessControlPolicy><AccessControlList><Grant><Grantee><ID>x</ID></Grantee><Permission>ALL</Permission></Grant></AccessControlList></AccessControlPolicy>",
        "<AccessControlPolicy><AccessControlList><Grant><Grantee><URI>http://x</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>",
        "<AccessControlPolicy><AccessControlList><Grant><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>",
        "not xml",
    ])
    func malformedACLs(_ text: String) {
        do {
            _ = try AccessControlList.parseGrants(Array(text.utf8))
            Issue.record("accepted")
        } catch {
            #expect(error.code == .malformedACL)
        }
    }
}
