import MagpieCore

/// An S3 access control list: an owner and grants of permissions to users and groups.
public struct AccessControlList: Sendable, Equatable, Codable {
    public enum Permission: String, Sendable, Codable, CaseIterable {
        case fullControl = "FULL_CONTROL", read = "READ", write = "WRITE", readACP = "READ_ACP", writeACP = "WRITE_ACP"
    }

    public enum Grantee: Sendable, Equatable, Hashable, Codable {
        case user(String)
        case group(String)
        /// Only while parsing: resolved to `.user` (or refused) before the ACL is stored.
        case email(String)
    }

    public struct Grant: Sendable, Equatable, Codable {
        public var grantee: Grantee
        public var permission: Permission
        public init(_ grantee: Grantee, _ permission: Permission) {
            self.grantee = grantee
            self.permission = permission
        }
    }

    public static let allUsers = "http://acs.amazonaws.com/groups/global/AllUsers"
    public static let authenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
    public static let logDelivery = "http://acs.amazonaws.com/groups/s3/LogDelivery"
    static let groups: Set<String> = [allUsers, authenticatedUsers, logDelivery]

    public var ownerId: String
    public var grants: [Grant]

    public init(ownerId: String, grants: [Grant]) {
        self.ownerId = ownerId
        self.grants = grants
    }

    /// The ACL every resource has until one is set: its owner has full control.
    public static func `private`(owner: String) -> AccessControlList {
        AccessControlList(ownerId: owner, grants: [Grant(.user(owner), .fullControl)])
    }

    public static let cannedNames: Set<String> = [
        "private", "public-read", "public-read-write", "authenticated-read", "aws-exec-read", "bucket-owner-read",
        "bucket-owner-full-control", "log-delivery-write",
    ]

    /// A canned ACL (`x-amz-acl`) for a resource owned by `owner` in a bucket owned by `bucketOwner`.
    public static func canned(_ name: String, owner: String, bucketOwner: String) throws(MagpieError) -> AccessControlList {
        var acl = AccessControlList.private(owner: owner)
        switch name {
        case "private", "aws-exec-read": break
        case "public-read": acl.grants.append(Grant(.group(allUsers), .read))
        case "public-read-write": acl.grants += [Grant(.group(allUsers), .read), Grant(.group(allUsers), .write)]
        case "authenticated-read": acl.grants.append(Grant(.group(authenticatedUsers), .read))
        case "bucket-owner-read": if bucketOwner != owner { acl.grants.append(Grant(.user(bucketOwner), .read)) }
        case "bucket-owner-full-control": if bucketOwner != owner { acl.grants.append(Grant(.user(bucketOwner), .fullControl)) }
        case "log-delivery-write": acl.grants += [Grant(.group(logDelivery), .write), Grant(.group(logDelivery), .readACP)]
        default: throw MagpieError(.invalidArgument, details: [("ArgumentName", "x-amz-acl"), ("ArgumentValue", name)])
        }
        return acl
    }

    /// The `x-amz-grant-*` header names and the permission each grants.
    public static let grantHeaders: [(header: String, permission: Permission)] = [
        ("x-amz-grant-read", .read), ("x-amz-grant-write", .write), ("x-amz-grant-read-acp", .readACP),
        ("x-amz-grant-write-acp", .writeACP), ("x-amz-grant-full-control", .fullControl),
    ]

    /// Grants from `x-amz-grant-*` headers: `id="…"`, `uri="…"` or `emailAddress="…"`, comma-separated.
    public static func headerGrants(_ headers: [(permission: Permission, value: String)]) throws(MagpieError) -> [Grant] {
        var grants: [Grant] = []
        for (permission, value) in headers {
            for item in value.split(separator: ",") {
                let pair = item.split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { throw MagpieError(.invalidArgument, "Invalid grant header: \(value)") }
                let kind = pair[0].trimmingCharacters(in: " \t").lowercased()
                var text = pair[1].trimmingCharacters(in: " \t")
                if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
                let grantee: Grantee
                switch kind {
                case "id": grantee = .user(text)
                case "uri":
                    guard groups.contains(text) else { throw MagpieError(.invalidArgument, "Invalid group uri") }
                    grantee = .group(text)
                case "emailaddress": grantee = .email(text)
                default: throw MagpieError(.invalidArgument, "Argument format not recognized")
                }
                grants.append(Grant(grantee, permission))
            }
        }
        return grants
    }

    /// Whether the ACL grants anything to AllUsers or AuthenticatedUsers (AWS's definition of a public ACL).
    public var isPublic: Bool {
        grants.contains { $0.grantee == .group(Self.allUsers) || $0.grantee == .group(Self.authenticatedUsers) }
    }

    /// Whether the ACL grants nothing to anyone but `owner` (what ACL-disabled buckets accept).
    public func onlyGrantsTo(_ owner: String) -> Bool { grants.allSatisfy { $0.grantee == .user(owner) } }

    /// Whether `identity` holds `permission` (or FULL_CONTROL). `ignorePublic` drops the group grants
    /// (IgnorePublicAcls).
    public func grants(_ permission: Permission, to identity: AccessIdentity, ignorePublic: Bool) -> Bool {
        grants.contains { grant in
            guard grant.permission == permission || grant.permission == .fullControl else { return false }
            switch grant.grantee {
            case .user(let id): return id == identity.canonicalId
            case .group(Self.allUsers): return !ignorePublic
            case .group(Self.authenticatedUsers): return !ignorePublic && !identity.isAnonymous
            default: return false
            }
        }
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        String(self.drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
