import AccessControl
import HTTPTypes
import Hummingbird
import MagpieCore
import ObjectService
import S3Protocol

extension S3Handlers {
    /// Decides whether the call may proceed, before its handler runs: the bucket policy, ACLs, Block Public
    /// Access and Object Ownership of its bucket (and of a copy's source bucket) for every IAM action it needs.
    func authorize(_ call: S3Call) async throws {
        switch call.operation {
        case .listBuckets, .createBucket:
            // Account-level operations: any user may list their buckets and create new ones; anonymous may not.
            guard !call.principal.isAnonymous else { throw MagpieError(.accessDenied) }
            return
        case .notImplemented, .preflight, .postObject, .deleteObjects:
            // 501 needs no decision; DeleteObjects is decided per key, POST by its form, a preflight by CORS rules.
            return
        default: break
        }
        if call.principal.isAnonymous, call.operation == .getObject, call.address.query.contains(where: { $0.name.hasPrefix("response-") }) {
            throw MagpieError(.invalidRequest, "Request specific response headers cannot be used for anonymous GET requests.")
        }
        let bucket = try call.address.bucket()
        let versionId = call.address.value("versionId")
        let actions = call.operation.iamActions(versioned: versionId != nil, header: call.header)
        guard !actions.isEmpty else { return }
        try await service.authorize(call.accessCheck(actions, bucket: bucket.rawValue, key: call.address.keyName, versionId: versionId))
        if let expected = call.header("x-amz-expected-bucket-owner") {
            // A client that states whose bucket it means is refused when it is someone else's.
            guard try await service.bucketAccess(bucket.rawValue)?.ownerId == expected else { throw MagpieError(.accessDenied) }
        }
        if call.operation == .copyObject || call.operation == .uploadPartCopy {
            let (sourceBucket, sourceKey, sourceVersion) = try Self.copySource(call.header("x-amz-copy-source") ?? "")
            try await service.authorize(
                call.accessCheck(
                    [sourceVersion == nil ? "s3:GetObject" : "s3:GetObjectVersion"], bucket: sourceBucket.rawValue, key: sourceKey.rawValue,
                    versionId: sourceVersion
                )
            )
        }
    }

    /// S3 answers a missing key with 403, not 404, to callers who may not list the bucket — so that
    /// existence cannot be probed by those who may only read.
    func hidingMissingKeys(_ error: any Error, call: S3Call?) async -> any Error {
        guard let call, Self.objectReads.contains(call.operation), let magpieError = error as? MagpieError,
            magpieError.code == .noSuchKey || magpieError.code == .noSuchVersion,
            !call.principal.isRoot, let bucket = call.address.bucketName
        else { return error }
        let mayList = await service.isAllowed(call.accessCheck(["s3:ListBucket"], bucket: bucket, key: nil))
        return mayList ? error : MagpieError(.accessDenied)
    }

    static let objectReads: Set<S3Operation> = [
        .getObject, .headObject, .getObjectAcl, .getObjectTagging, .getObjectAttributes, .getObjectRetention, .getObjectLegalHold,
    ]
}
