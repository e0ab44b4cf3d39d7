import Foundation
import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import ObjectService
import S3Protocol

extension S3Handlers {
    func putObject(_ call: S3Call) async throws -> Response {
        let bucket = try call.address.bucket()
        let key = try call.address.key()
        var request = PutObjectRequest(
            bucket: bucket, key: key,
            headers: try StoredHeaders.extract(from: call.request.headers, maxUserMetadata: configuration.objects.maxUserMetadataBytes)
        )
        request.payloadSHA256 = call.payloadSHA256
        request.condition = try Self.writeCondition(call)
        request.storageClass = try Self.storageClass(call)
        if let md5 = call.header("content-md5") {
            guard let decoded = Base64.decode(md5), decoded.count == 16 else { throw MagpieError(.invalidDigest) }
            request.contentMD5 = decoded
        }
        (request.checksumAlgorithm, request.checksumValue) = try Self.requestedChecksum(call)
        request.checksumInTrailer = call.header("x-amz-trailer") != nil
        request.tags = try Self.headerTags(call) ?? TagSet()
        (request.retention, request.legalHold) = try Self.lockHeaders(call)
        request.expectedLength = try Self.expectedLength(call)
        request.acl = try ACLHeaders.input(call.header)
        request.encryption = try Self.writeEncryption(call)
        let trailers = TrailerBox()
        let record = try await service.putObject(request, body: call.payloadBody(trailers: trailers), trailers: { trailers.trailers }, for: call.principal)
        await objectCreated(record)
        var headers: HTTPFields = [.eTag: ETag(record.etag).quoted]
        if record.versionId != "null" { headers[named: "x-amz-version-id"] = record.versionId }
        if let algorithm = record.checksumAlgorithm.flatMap(ChecksumAlgorithm.init(rawValue:)), let value = record.checksumValue {
            headers[named: algorithm.headerName] = value
        }
        addEncryptionHeaders(record.encryption?.settings, to: &headers)
        await writeLifecycleHeaders(record, into: &headers)
        return S3Response.empty(headers: headers)
    }

    static func writeCondition(_ call: S3Call) throws -> WriteCondition {
        if let value = call.header("if-none-match") {
            guard value.trimmingCharacters(in: .whitespaces) == "*" else {
                throw MagpieError(.notImplemented, "If-None-Match on a write supports only *.")
            }
            return .ifNoneMatchAny
        }
        if let value = call.header("if-match") { return .ifMatch(value) }
        return .none
    }

    static func storageClass(_ call: S3Call) throws -> String {
        guard let value = call.header("x-amz-storage-class") else { return StorageClass.standard.rawValue }
        return try validStorageClass(value)
    }

    /// One of the classes S3 accepts on writes, else `InvalidStorageClass`.
    static func validStorageClass(_ value: String) throws(MagpieError) -> String {
        guard let storageClass = StorageClass(header: value) else {
            throw MagpieError(.invalidStorageClass, "The storage class you specified is not valid", details: [("StorageClassRequested", value)])
        }
        return storageClass.rawValue
    }

    /// The checksum algorithm asked for (by a value header, a declared trailer, or the SDK's algorithm
    /// header) and its value when it came as a header.
    static func requestedChecksum(_ call: S3Call) throws -> (ChecksumAlgorithm?, String?) {
        let given = ChecksumAlgorithm.allCases.compactMap { algorithm in call.header(algorithm.headerName).map { (algorithm, $0) } }
        guard given.count <= 1 else {
            throw MagpieError(.invalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
        }
        if let (algorithm, value) = given.first { return (algorithm, value) }
        if let trailer = call.header("x-amz-trailer") {
            guard let algorithm = ChecksumAlgorithm.fromHeaderName(trailer.trimmingCharacters(in: .whitespaces)) else {
                throw MagpieError(.invalidRequest, "The value specified in the x-amz-trailer header is not supported.")
            }
            return (algorithm, nil)
        }
        if let name = call.header("x-amz-sdk-checksum-algorithm") ?? call.header("x-amz-checksum-algorithm") {
            return (try ChecksumAlgorithm(header: name), nil)
        }
        return (nil, nil)
    }

    static func expectedLength(_ call: S3Call) throws -> Int64 {
        let header = call.isAWSChunked ? call.header("x-amz-decoded-content-length") : call.header("content-length")
        // S3 needs the length up front (no chunked transfer encoding without x-amz-decoded-content-length).
        guard let header else { throw MagpieError(.missingContentLength) }
        guard let value = Int64(header), value >= 0 else { throw MagpieError(.invalidArgument, "Invalid content length.") }
        return value
    }
}
