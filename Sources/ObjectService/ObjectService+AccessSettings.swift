import AccessControl
import Foundation
import MagpieCore
import MetadataStore

/// Reading and changing a bucket's access settings: policy, CORS, Block Public Access, ownership controls.
/// Every change validates fully before anything is written, and drops the bucket's cached decision state.
extension ObjectService {
    func store(_ bucket: BucketName, _ field: BucketAccessSettings.Field, _ value: String?) async throws {
        try await metadata.setBucketAccess(bucket: bucket.rawValue, field, value: value)
        bucketChanged(bucket.rawValue)
    }

    func access(_ bucket: BucketName) async throws -> BucketAccess {
        guard let access = try await bucketAccess(bucket.rawValue) else {
            throw MagpieError(.noSuchBucket, details: [("BucketName", bucket.rawValue)])
        }
        return access
    }

    static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try JSONEncoder().encode(value), as: UTF8.self) }

    // MARK: Policy

    public func putBucketPolicy(_ bucket: BucketName, document: [UInt8]) async throws {
        let access = try await access(bucket)
        let policy = try BucketPolicy.document(document, bucket: bucket.rawValue)
        for principal in policy.namedPrincipals where try await !principalExists(principal) {
            throw MagpieError(.malformedPolicy, "Invalid principal in policy")
        }
        if effectiveBlock(access).blockPublicPolicy && policy.isPublic { throw MagpieError(.accessDenied) }
        try await store(bucket, .policy, policy.text)
    }

    func principalExists(_ principal: PolicyPrincipal) async throws -> Bool {
        switch principal {
        case .anyone, .root: return true
        case .user(let name): return try await metadata.user(named: name) != nil
        case .accessKey(let key): return try await metadata.accessKey(key) != nil
        case .canonicalUser(let id): return try await metadata.user(id: id) != nil
        }
    }

    public func bucketPolicy(_ bucket: BucketName) async throws -> BucketPolicy {
        guard let policy = try await access(bucket).policy else { throw MagpieError(.noSuchBucketPolicy, details: [("BucketName", bucket.rawValue)]) }
        return policy
    }

    public func deleteBucketPolicy(_ bucket: BucketName) async throws {
        _ = try await access(bucket)
        try await store(bucket, .policy, nil)
    }

    // MARK: CORS

    public func putBucketCORS(_ bucket: BucketName, _ configuration: CORSConfiguration) async throws {
        _ = try await access(bucket)
        try await store(bucket, .cors, try Self.json(configuration))
    }

    public func bucketCORS(_ bucket: BucketName) async throws -> CORSConfiguration {
        guard let cors = try await access(bucket).cors else {
            throw MagpieError(.noSuchCORSConfiguration, details: [("BucketName", bucket.rawValue)])
        }
        return cors
    }

    public func deleteBucketCORS(_ bucket: BucketName) async throws {
        _ = try await access(bucket)
        try await store(bucket, .cors, nil)
    }

    // MARK: Block Public Access

    public func putPublicAccessBlock(_ bucket: BucketName, _ block: PublicAccessBlock) async throws {
        _ = try await access(bucket)
        try await store(bucket, .publicAccessBlock, try Self.json(block))
    }

    public func publicAccessBlock(_ bucket: BucketName) async throws -> PublicAccessBlock {
        guard let block = try await access(bucket).publicAccessBlock else {
            throw MagpieError(.noSuchPublicAccessBlockConfiguration, details: [("BucketName", bucket.rawValue)])
        }
        return block
    }

    public func deletePublicAccessBlock(_ bucket: BucketName) async throws {
        _ = try await access(bucket)
        try await store(bucket, .publicAccessBlock, nil)
    }

    // MARK: Ownership controls

    public func putOwnershipControls(_ bucket: BucketName, _ ownership: ObjectOwnership) async throws {
        let access = try await access(bucket)
        if ownership == .bucketOwnerEnforced, !access.acl.onlyGrantsTo(access.ownerId) {
            throw MagpieError(.invalidBucketAclWithObjectOwnership)
        }
        try await store(bucket, .objectOwnership, ownership.rawValue)
    }

    public func ownershipControls(_ bucket: BucketName) async throws -> ObjectOwnership {
        guard let record = try await metadata.bucket(bucket.rawValue) else { throw MagpieError(.noSuchBucket, details: [("BucketName", bucket.rawValue)]) }
        guard let text = record.access.objectOwnership, let ownership = ObjectOwnership(rawValue: text) else {
            throw MagpieError(.ownershipControlsNotFound, details: [("BucketName", bucket.rawValue)])
        }
        return ownership
    }

    public func deleteOwnershipControls(_ bucket: BucketName) async throws {
        _ = try await access(bucket)
        try await store(bucket, .objectOwnership, nil)
    }
}
