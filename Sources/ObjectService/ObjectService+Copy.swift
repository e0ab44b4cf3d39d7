import BlobStore
import MagpieCore
import MetadataStore
import NIOCore
import S3Protocol

extension ObjectService {
    /// CopyObject: checks the source preconditions, then streams the source blob into a new blob through
    /// the same verified write path as PutObject.
    /// Returns the new object and the version id of the source that was copied.
    public func copyObject(_ request: CopyObjectRequest, for principal: Principal) async throws -> (record: ObjectRecord, sourceVersionId: String) {
        let source = try await openObject(
            request.sourceBucket, request.sourceKey, versionId: request.sourceVersionId, customerKey: request.sourceCustomerKey, for: principal)
        do {
            let copied = try await copy(from: source, request, for: principal)
            await source.close()
            return (copied, source.record.versionId)
        } catch {
            await source.close()
            throw error
        }
    }

    func copy(from source: OpenedObject, _ request: CopyObjectRequest, for principal: Principal) async throws -> ObjectRecord {
        let record = source.record
        let outcome = request.sourceConditions.evaluate(etag: ETag(record.etag), lastModified: record.lastModified / 1000, forWrite: true)
        guard outcome == .proceed else { throw MagpieError(.preconditionFailed) }
        let sameObject = request.sourceBucket == request.bucket && request.sourceKey == request.key && request.sourceVersionId == nil
        // Without x-amz-storage-class a copy is STANDARD, whatever the source's class (as S3).
        let storageClass = request.storageClass ?? StorageClass.standard.rawValue
        if sameObject, request.replacementHeaders == nil, request.replacementTags == nil, storageClass == record.storageClass,
            request.checksumAlgorithm == nil, request.encryption == nil
        {
            throw MagpieError(
                .invalidRequest,
                "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes."
            )
        }
        let algorithm = request.checksumAlgorithm ?? record.checksumAlgorithm.flatMap(ChecksumAlgorithm.init(rawValue:))
        var put = PutObjectRequest(
            bucket: request.bucket, key: request.key, headers: request.replacementHeaders ?? record.headers,
            checksumAlgorithm: algorithm, expectedLength: record.size, condition: request.condition,
            storageClass: storageClass
        )
        put.expectedCRC32C = record.integrityCRC32C
        put.tags = request.replacementTags ?? record.tags
        put.retention = request.retention
        put.legalHold = request.legalHold
        put.acl = request.acl
        put.encryption = request.encryption
        // The source's chunks stream straight into the verified write path, which also re-checks its CRC32C.
        return try await putObject(put, body: source.reader.chunks(chunkSize: configuration.readChunkSize), trailers: { [] }, for: principal)
    }
}
