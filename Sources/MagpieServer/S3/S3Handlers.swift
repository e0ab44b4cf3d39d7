import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import ObjectService

/// The S3 operations: glue from a parsed `S3Call` to `ObjectService` and back to a `Response`.
struct S3Handlers: Sendable {
    let service: ObjectService
    let configuration: MagpieServerConfiguration
    /// Called after an object was created through the API (PUT, COPY, POST, CompleteMultipartUpload):
    /// processing rules enqueue their jobs here.
    var objectCreated: @Sendable (ObjectRecord) async -> Void = { _ in }

    func handle(_ call: S3Call) async throws -> Response {
        switch call.operation {
        case .listBuckets: try await listBuckets(call)
        case .createBucket: try await createBucket(call)
        case .headBucket: try await headBucket(call)
        case .deleteBucket: try await deleteBucket(call)
        case .getBucketLocation: try await getBucketLocation(call)
        case .listObjectsV1: try await listObjects(call, version: 1)
        case .listObjectsV2: try await listObjects(call, version: 2)
        case .deleteObjects: try await deleteObjects(call)
        case .putObject: try await putObject(call)
        case .copyObject: try await copyObject(call)
        case .getObject: try await getObject(call, head: false)
        case .headObject: try await getObject(call, head: true)
        case .deleteObject: try await deleteObject(call)
        case .createMultipartUpload: try await createMultipartUpload(call)
        case .uploadPart: try await uploadPart(call)
        case .uploadPartCopy: try await uploadPartCopy(call)
        case .completeMultipartUpload: try await completeMultipartUpload(call)
        case .abortMultipartUpload: try await abortMultipartUpload(call)
        case .listParts: try await listParts(call)
        case .listMultipartUploads: try await listMultipartUploads(call)
        case .putBucketVersioning: try await putBucketVersioning(call)
        case .putObjectLockConfiguration: try await putObjectLockConfiguration(call)
        case .getObjectLockConfiguration: try await getObjectLockConfiguration(call)
        case .putObjectRetention: try await putObjectRetention(call)
        case .getObjectRetention: try await getObjectRetention(call)
        case .putObjectLegalHold: try await putObjectLegalHold(call)
        case .getObjectLegalHold: try await getObjectLegalHold(call)
        case .getBucketVersioning: try await getBucketVersioning(call)
        case .listObjectVersions: try await listObjectVersions(call)
        case .getObjectAttributes: try await getObjectAttributes(call)
        case .putObjectTagging: try await putObjectTagging(call)
        case .getObjectTagging: try await getObjectTagging(call)
        case .deleteObjectTagging: try await deleteObjectTagging(call)
        case .putBucketTagging: try await putBucketTagging(call)
        case .getBucketTagging: try await getBucketTagging(call)
        case .deleteBucketTagging: try await deleteBucketTagging(call)
        case .putBucketCors: try await putBucketCors(call)
        case .getBucketCors: try await getBucketCors(call)
        case .deleteBucketCors: try await deleteBucketCors(call)
        case .putBucketPolicy: try await putBucketPolicy(call)
        case .getBucketPolicy: try await getBucketPolicy(call)
        case .deleteBucketPolicy: try await deleteBucketPolicy(call)
        case .getBucketPolicyStatus: try await getBucketPolicyStatus(call)
        case .putPublicAccessBlock: try await putPublicAccessBlock(call)
        case .getPublicAccessBlock: try await getPublicAccessBlock(call)
        case .deletePublicAccessBlock: try await deletePublicAccessBlock(call)
        case .putBucketAcl: try await putBucketAcl(call)
        case .getBucketAcl: try await getBucketAcl(call)
        case .putObjectAcl: try await putObjectAcl(call)
        case .getObjectAcl: try await getObjectAcl(call)
        case .putBucketOwnershipControls: try await putBucketOwnershipControls(call)
        case .getBucketOwnershipControls: try await getBucketOwnershipControls(call)
        case .deleteBucketOwnershipControls: try await deleteBucketOwnershipControls(call)
        case .preflight: throw MagpieError(.internalError, "A CORS preflight is answered before authentication, not here.")
        case .putBucketLifecycleConfiguration: try await putBucketLifecycle(call)
        case .getBucketLifecycleConfiguration: try await getBucketLifecycle(call)
        case .deleteBucketLifecycle: try await deleteBucketLifecycle(call)
        case .putBucketEncryption: try await putBucketEncryption(call)
        case .getBucketEncryption: try await getBucketEncryption(call)
        case .deleteBucketEncryption: try await deleteBucketEncryption(call)
        case .restoreObject: try await restoreObject(call)
        case .postObject: throw MagpieError(.internalError, "POST Object is authenticated by its form, not here.")
        case .notImplemented: throw MagpieError(.notImplemented, "This operation or sub-resource is not implemented by Magpie yet.")
        }
    }
}
