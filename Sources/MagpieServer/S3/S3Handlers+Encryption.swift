import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import ObjectService
import S3Protocol

extension S3Handlers {
    func putBucketEncryption(_ call: S3Call) async throws -> Response {
        let bucket = try call.address.bucket()
        _ = try await service.existingBucket(bucket, for: call.principal)
        let configuration = try BucketEncryption.parse(try await call.collectBody(limit: self.configuration.maxXMLBodyBytes))
        try await service.putBucketEncryption(bucket, configuration, for: call.principal)
        return S3Response.empty()
    }

    func getBucketEncryption(_ call: S3Call) async throws -> Response {
        let settings = try await service.bucketEncryption(try call.address.bucket(), for: call.principal)
        let arn = settings.kmsKeyName.map { KMSKeyName.arn($0, region: configuration.objects.region) }
        return S3Response.xml(BucketEncryption.xml(method: settings.method, kmsKeyARN: arn, bucketKeyEnabled: settings.bucketKeyEnabled))
    }

    func deleteBucketEncryption(_ call: S3Call) async throws -> Response {
        try await service.deleteBucketEncryption(try call.address.bucket(), for: call.principal)
        return S3Response.empty(.noContent)
    }

    /// The encryption a write asks for in its headers.
    static func writeEncryption(_ call: S3Call) throws -> EncryptionRequest? {
        let request = try SSEHeaders.write { call.header($0) }
        try requireSigV4(call, for: request?.method)
        return request
    }

    /// S3 serves SSE-KMS only to Signature Version 4 requests.
    static func requireSigV4(_ call: S3Call, for method: ServerSideEncryption.Method?) throws {
        guard method == .kms, call.accessContext["s3:signatureversion"]?.first == "AWS" else { return }
        throw MagpieError(.invalidArgument, "Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4.",
            details: [("ArgumentName", "Authorization")])
    }

    /// The SSE-C key of a read (`x-amz-…`) or of a copy's source (`x-amz-copy-source-…`).
    static func customerKey(_ call: S3Call, copySource: Bool = false, forWrite: Bool = false) throws -> CustomerKey? {
        try SSEHeaders.customerKey({ call.header($0) }, prefix: copySource ? "x-amz-copy-source-" : "x-amz-", forWrite: forWrite)
    }

    /// S3's headers describing how a version or upload is encrypted.
    func addEncryptionHeaders(_ settings: ServerSideEncryption?, to headers: inout HTTPFields) {
        for (name, value) in ObjectService.encryptionHeaders(settings, region: configuration.objects.region) { headers[named: name] = value }
    }
}
