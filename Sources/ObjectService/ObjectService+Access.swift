import AccessControl
import Foundation
import MagpieCore
import MetadataStore

/// One authorization question from the HTTP layer: may this principal perform every one of `actions`?
public struct AccessCheck: Sendable {
    public var principal: Principal
    /// Canonical IAM action names; all must be allowed.
    public var actions: [String]
    public var bucket: String
    public var key: String?
    public var versionId: String?
    /// Condition keys (lowercased) and their values.
    public var context: [String: [String]]

    public init(principal: Principal, actions: [String], bucket: String, key: String?, versionId: String? = nil, context: [String: [String]]) {
        self.principal = principal
        self.actions = actions
        self.bucket = bucket
        self.key = key
        self.versionId = versionId
        self.context = context
    }
}

extension ObjectService {
    /// The server-wide Block Public Access settings that apply to every bucket (`enforce` mode), if any.
    var serverBlock: PublicAccessBlock? { configuration.publicAccessBlock == .enforce ? .all : nil }

    /// The parsed access settings of `bucket` (cached), or nil when there is no such bucket.
    public func bucketAccess(_ bucket: String) async throws -> BucketAccess? {
        if let cached = accessCache.get(bucket) { return cached }
        let ticket = accessCache.ticket()
        guard let record = try await bucketRecord(bucket) else { return nil }
        let access = try Self.parseAccess(record)
        accessCache.put(bucket, access, ticket: ticket)
        return access
    }

    static func parseAccess(_ record: BucketRecord) throws -> BucketAccess {
        let settings = record.access
        let decoder = JSONDecoder()
        return BucketAccess(
            ownerId: record.ownerId,
            policy: try settings.policy.map { try BucketPolicy.document(Array($0.utf8), bucket: record.name) },
            acl: try settings.acl.map { try decoder.decode(AccessControlList.self, from: Data($0.utf8)) },
            publicAccessBlock: try settings.publicAccessBlock.map { try decoder.decode(PublicAccessBlock.self, from: Data($0.utf8)) },
            // Buckets from before ownership controls existed behave as AWS's older buckets did: ObjectWriter.
            ownership: settings.objectOwnership.flatMap(ObjectOwnership.init(rawValue:)) ?? .objectWriter,
            cors: try settings.cors.map { try decoder.decode(CORSConfiguration.self, from: Data($0.utf8)) }
        )
    }

    /// Decides `check` with the bucket's policy, ACLs, Block Public Access and ownership: returns quietly when
    /// allowed; throws `NoSuchBucket` or `AccessDenied`.
    public func authorize(_ check: AccessCheck) async throws {
        guard let access = try await bucketAccess(check.bucket) else {
            throw MagpieError(.noSuchBucket, details: [("BucketName", check.bucket)])
        }
        let identity = check.principal.identity
        var context = check.context
        // The object is read at most once per decision, and only when a tag condition or an ACL needs it.
        var object: ObjectRecord??
        if let key = check.key, access.policy?.usesExistingObjectTags == true {
            object = .some(try await objectForACL(check.bucket, key, versionId: check.versionId))
        }
        if let record = object ?? nil {
            // `s3:ExistingObjectTag/<key>`: only policies that ask for it pay for the lookup.
            for tag in record.tags.tags { context["s3:existingobjecttag/" + tag.key.lowercased()] = [tag.value] }
        }
        for action in check.actions {
            let request = AccessRequest(identity: identity, action: action, bucket: check.bucket, key: check.key, context: context)
            switch AccessEvaluator.decide(request, bucket: access, serverBlock: serverBlock) {
            case .allow: continue
            case .deny: throw MagpieError(.accessDenied)
            case .askObjectACL where action == "s3:PutObjectAcl" && check.actions.contains("s3:PutObject"):
                // A write that carries an ACL: whoever may write the object owns the new version and may set its
                // ACL (ACL semantics; a Deny in the policy was already decided above).
                continue
            case .askObjectACL(let permission):
                if object == nil, let key = check.key { object = .some(try? await objectForACL(check.bucket, key, versionId: check.versionId)) }
                guard let record = object ?? nil,
                    AccessEvaluator.objectACLAllows(try objectACL(record), permission, identity: identity, bucket: access, serverBlock: serverBlock)
                else { throw MagpieError(.accessDenied) }
            }
        }
    }

    /// Whether `check` would be allowed (for deciding between 404 and 403 on a missing key, as S3 does).
    public func isAllowed(_ check: AccessCheck) async -> Bool {
        (try? await authorize(check)) != nil
    }

    func objectForACL(_ bucket: String, _ key: String, versionId: String?) async throws -> ObjectRecord? {
        let record = if let versionId { try await metadata.objectVersion(bucket: bucket, key: key, versionId: versionId) }
            else { try await metadata.currentObject(bucket: bucket, key: key) }
        return record.flatMap { $0.isDeleteMarker ? nil : $0 }
    }

    /// A version's ACL (private to its owner when none was set).
    public func objectACL(_ record: ObjectRecord) throws -> AccessControlList {
        guard let text = record.acl else { return .private(owner: record.ownerId) }
        return try JSONDecoder().decode(AccessControlList.self, from: Data(text.utf8))
    }

    /// The Block Public Access settings in force for a bucket (its own combined with the server's).
    public func effectiveBlock(_ access: BucketAccess) -> PublicAccessBlock {
        (access.publicAccessBlock ?? .none).union(serverBlock)
    }
}
