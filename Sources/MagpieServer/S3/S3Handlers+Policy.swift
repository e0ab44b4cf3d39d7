import AccessControl
import HTTPTypes
import Hummingbird
import MagpieCore
import NIOCore
import ObjectService
import S3Protocol

extension S3Handlers {
    func putBucketPolicy(_ call: S3Call) async throws -> Response {
        let body = try await call.collectBody(limit: BucketPolicy.maxBytes + 1)
        try await service.putBucketPolicy(try call.address.bucket(), document: body)
        return S3Response.empty(.noContent)
    }

    /// The policy exactly as it was stored, as JSON.
    func getBucketPolicy(_ call: S3Call) async throws -> Response {
        let policy = try await service.bucketPolicy(try call.address.bucket())
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: policy.text)))
    }

    func deleteBucketPolicy(_ call: S3Call) async throws -> Response {
        try await service.deleteBucketPolicy(try call.address.bucket())
        return S3Response.empty(.noContent)
    }

    func getBucketPolicyStatus(_ call: S3Call) async throws -> Response {
        let policy = try await service.bucketPolicy(try call.address.bucket())
        var xml = XMLWriter()
        xml.element("PolicyStatus", namespace: XMLWriter.s3Namespace) { $0.element("IsPublic", policy.isPublic ? "true" : "false") }
        return S3Response.xml(xml)
    }

    func putPublicAccessBlock(_ call: S3Call) async throws -> Response {
        let block = try PublicAccessBlock.parse(try await call.collectBody(limit: configuration.maxXMLBodyBytes))
        try await service.putPublicAccessBlock(try call.address.bucket(), block)
        return S3Response.empty()
    }

    func getPublicAccessBlock(_ call: S3Call) async throws -> Response {
        S3Response.xml(try await service.publicAccessBlock(try call.address.bucket()).xml)
    }

    func deletePublicAccessBlock(_ call: S3Call) async throws -> Response {
        try await service.deletePublicAccessBlock(try call.address.bucket())
        return S3Response.empty(.noContent)
    }

    func putBucketOwnershipControls(_ call: S3Call) async throws -> Response {
        let ownership = try ObjectOwnership.parse(try await call.collectBody(limit: configuration.maxXMLBodyBytes))
        try await service.putOwnershipControls(try call.address.bucket(), ownership)
        return S3Response.empty()
    }

    func getBucketOwnershipControls(_ call: S3Call) async throws -> Response {
        S3Response.xml(try await service.ownershipControls(try call.address.bucket()).xml)
    }

    func deleteBucketOwnershipControls(_ call: S3Call) async throws -> Response {
        try await service.deleteOwnershipControls(try call.address.bucket())
        return S3Response.empty(.noContent)
    }
}
