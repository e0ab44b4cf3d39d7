import AccessControl
import Foundation
import MagpieCore
import MetadataStore

/// An ACL a request asks for: a canned ACL (`x-amz-acl`) or explicit grants (`x-amz-grant-*` or an XML body).
public enum ACLInput: Sendable, Equatable {
    case canned(String)
    case grants([AccessControlList.Grant])

    /// ACL-disabled buckets accept only ACLs that give nothing beyond what the bucket owner has.
    var isOwnerOnlyCanned: Bool {
        if case .canned(let name) = self { return ["private", "bucket-owner-full-control", "bucket-owner-read"].contains(name) }
        return false
    }
}

extension ObjectService {
    /// Builds the ACL `input` describes for a resource owned by `owner`: email grantees resolved to users,
    /// user ids checked to exist.
    func makeACL(_ input: ACLInput, owner: String, bucketOwner: String) async throws -> AccessControlList {
        switch input {
        case .canned(let name): return try AccessControlList.canned(name, owner: owner, bucketOwner: bucketOwner)
        case .grants(let grants):
            var resolved: [AccessControlList.Grant] = []
            for grant in grants {
                switch grant.grantee {
                case .email(let address):
                    guard let user = try await metadata.listUsers().first(where: { $0.email?.lowercased() == address.lowercased() }) else {
                        throw MagpieError(.unresolvableGrantByEmailAddress, details: [("EmailAddress", address)])
                    }
                    resolved.append(.init(.user(user.canonicalId), grant.permission))
                case .user(let id):
                    guard try await metadata.user(id: id) != nil || id == Principal.anonymousCanonicalId else {
                        throw MagpieError(.invalidArgument, "Invalid id", details: [("ArgumentName", "CanonicalUser/ID"), ("ArgumentValue", id)])
                    }
                    resolved.append(grant)
                case .group: resolved.append(grant)
                }
            }
            return AccessControlList(ownerId: owner, grants: resolved)
        }
    }

    /// Refuses an ACL the bucket's settings do not allow to be set: any but owner-only ones when ACLs are
    /// disabled (`AccessControlListNotSupported`), public ones under BlockPublicAcls (`AccessDenied`).
    func checkSettable(_ acl: AccessControlList, input: ACLInput, access: BucketAccess) throws {
        if !access.ownership.aclsEnabled, !(input.isOwnerOnlyCanned || acl.onlyGrantsTo(access.ownerId)) {
            throw MagpieError(.accessControlListNotSupported)
        }
        if effectiveBlock(access).blockPublicAcls && acl.isPublic { throw MagpieError(.accessDenied) }
    }

    // MARK: Buckets

    /// The ACL and ownership a new bucket starts with (CreateBucket's `x-amz-acl`/grants and `x-amz-object-ownership`).
    public func initialBucketAccess(acl input: ACLInput?, ownership: ObjectOwnership, for principal: Principal) async throws -> BucketAccessSettings {
        var settings = BucketAccessSettings(objectOwnership: ownership.rawValue)
        let block: PublicAccessBlock? = configuration.publicAccessBlock == .off ? nil : .all
        settings.publicAccessBlock = try block.map(Self.json)
        if let input {
            let acl = try await makeACL(input, owner: principal.canonicalId, bucketOwner: principal.canonicalId)
            if !ownership.aclsEnabled, !acl.onlyGrantsTo(principal.canonicalId) { throw MagpieError(.invalidBucketAclWithObjectOwnership) }
            if (block ?? .none).blockPublicAcls && acl.isPublic { throw MagpieError(.accessDenied) }
            settings.acl = try Self.json(acl)
        }
        return settings
    }

    public func putBucketACL(_ bucket: BucketName, _ input: ACLInput) async throws {
        let access = try await access(bucket)
        let acl = try await makeACL(input, owner: access.ownerId, bucketOwner: access.ownerId)
        try checkSettable(acl, input: input, access: access)
        try await store(bucket, .acl, try Self.json(acl))
    }

    /// The bucket's ACL as GetBucketAcl shows it (owner full control only while ACLs are disabled).
    public func bucketACL(_ bucket: BucketName) async throws -> AccessControlList {
        let access = try await access(bucket)
        return access.ownership.aclsEnabled ? access.acl : .private(owner: access.ownerId)
    }

    // MARK: Objects

    /// Who owns a new object and the ACL it is stored with, by the bucket's Object Ownership and the request's ACL.
    public func newObjectAccess(bucket: BucketRecord, acl input: ACLInput?, for principal: Principal) async throws -> (ownerId: String, acl: String?) {
        let access = try await self.access(try BucketName(bucket.name))
        let owner: String
        switch access.ownership {
        case .bucketOwnerEnforced: owner = access.ownerId
        case .bucketOwnerPreferred: owner = input == .canned("bucket-owner-full-control") ? access.ownerId : principal.canonicalId
        case .objectWriter: owner = principal.canonicalId
        }
        guard let input else { return (owner, nil) }
        let acl = try await makeACL(input, owner: owner, bucketOwner: access.ownerId)
        try checkSettable(acl, input: input, access: access)
        return (owner, access.ownership.aclsEnabled ? try Self.json(acl) : nil)
    }

    public func putObjectACL(_ bucket: BucketName, _ key: ObjectKey, versionId: String?, _ input: ACLInput) async throws -> ObjectRecord {
        let access = try await access(bucket)
        let record = try await lookup(bucket, key, versionId: versionId)
        let acl = try await makeACL(input, owner: record.ownerId, bucketOwner: access.ownerId)
        try checkSettable(acl, input: input, access: access)
        return try await metadata.setObjectACL(bucket: bucket.rawValue, key: key.rawValue, versionId: record.versionId, acl: try Self.json(acl))
    }

    /// A version's ACL as GetObjectAcl shows it (the bucket owner's full control while ACLs are disabled).
    public func objectACL(_ bucket: BucketName, _ key: ObjectKey, versionId: String?) async throws -> (AccessControlList, ObjectRecord) {
        let access = try await access(bucket)
        let record = try await lookup(bucket, key, versionId: versionId)
        return (access.ownership.aclsEnabled ? try objectACL(record) : .private(owner: access.ownerId), record)
    }
}
