import Foundation
import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import ObjectService
import S3Protocol

extension S3Handlers {
    func createMultipartUpload(_ call: S3Call) async throws -> Response {
        let bucket = try call.address.bucket(), key = try call.address.key()
        let algorithm = try (call.header("x-amz-checksum-algorithm") ?? call.header("x-amz-sdk-checksum-algorithm")).map {
            name throws(MagpieError) in try ChecksumAlgorithm(header: name)
        }
        var request = CreateUploadRequest(
            bucket: bucket, key: key,
            headers: try StoredHeaders.extract(from: call.request.headers, maxUserMetadata: configuration.objects.maxUserMetadataBytes),
            checksumAlgorithm: algorithm, checksumType: call.header("x-amz-checksum-type"), storageClass: try Self.storageClass(call)
        )
        request.tags = try Self.headerTags(call) ?? TagSet()
        request.acl = try ACLHeaders.input(call.header)
        request.encryption = try Self.writeEncryption(call)
        let upload = try await service.createMultipartUpload(request, for: call.principal)
        var xml = XMLWriter()
        xml.element("InitiateMultipartUploadResult", namespace: XMLWriter.s3Namespace) { result in
            result.element("Bucket", bucket.rawValue)
            result.element("Key", key.rawValue)
            result.element("UploadId", upload.uploadId)
        }
        var headers: HTTPFields = [:]
        if let algorithm {
            headers[named: "x-amz-checksum-algorithm"] = algorithm.rawValue
            headers[named: "x-amz-checksum-type"] = upload.checksumType
        }
        addEncryptionHeaders(upload.encryption, to: &headers)
        return S3Response.xml(xml, headers: headers)
    }

    func partAddress(_ call: S3Call) throws -> PartAddress {
        guard let uploadId = call.address.value("uploadId"), !uploadId.isEmpty else { throw MagpieError(.noSuchUpload) }
        guard let text = call.address.value("partNumber"), let number = Int(text) else {
            throw MagpieError(.invalidArgument, "Part number must be an integer between 1 and 10000, inclusive", details: [("ArgumentName", "partNumber")])
        }
        return try PartAddress(bucket: try call.address.bucket(), key: try call.address.key(), uploadId: uploadId, partNumber: number)
    }

    func uploadPart(_ call: S3Call) async throws -> Response {
        let address = try partAddress(call)
        var integrity = PartIntegrity(payloadSHA256: call.payloadSHA256, expectedLength: try Self.expectedLength(call))
        if let md5 = call.header("content-md5") {
            guard let decoded = Base64.decode(md5), decoded.count == 16 else { throw MagpieError(.invalidDigest) }
            integrity.contentMD5 = decoded
        }
        (integrity.checksumAlgorithm, integrity.checksumValue) = try Self.requestedChecksum(call)
        integrity.checksumInTrailer = call.header("x-amz-trailer") != nil
        integrity.customerKey = try Self.customerKey(call, forWrite: true)
        let trailers = TrailerBox()
        let part = try await service.uploadPart(address, integrity: integrity, body: call.payloadBody(trailers: trailers), trailers: { trailers.trailers }, for: call.principal)
        var headers: HTTPFields = [.eTag: ETag(part.etag).quoted]
        if let algorithm = integrity.checksumAlgorithm, let value = part.checksumValue { headers[named: algorithm.headerName] = value }
        addEncryptionHeaders(part.uploadEncryption, to: &headers)
        return S3Response.empty(headers: headers)
    }

    func uploadPartCopy(_ call: S3Call) async throws -> Response {
        let address = try partAddress(call)
        let (sourceBucket, sourceKey, sourceVersion) = try Self.copySource(call.header("x-amz-copy-source") ?? "")
        var range: ClosedRange<Int64>?
        if let header = call.header("x-amz-copy-source-range") {
            guard case .closed(let first, let last)? = ByteRange.parse(header) else {
                throw MagpieError(.invalidArgument, "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
                    details: [("ArgumentName", "x-amz-copy-source-range")])
            }
            range = first...last
        }
        let conditions = Conditions(
            ifMatch: call.header("x-amz-copy-source-if-match"), ifNoneMatch: call.header("x-amz-copy-source-if-none-match"),
            ifModifiedSince: call.header("x-amz-copy-source-if-modified-since").flatMap(HTTPDate.parse),
            ifUnmodifiedSince: call.header("x-amz-copy-source-if-unmodified-since").flatMap(HTTPDate.parse)
        )
        let part = try await service.uploadPartCopy(
            address, source: (sourceBucket, sourceKey, sourceVersion), range: range, conditions: conditions,
            sourceCustomerKey: try Self.customerKey(call, copySource: true), customerKey: try Self.customerKey(call, forWrite: true),
            for: call.principal
        )
        var xml = XMLWriter()
        xml.element("CopyPartResult", namespace: XMLWriter.s3Namespace) { result in
            result.element("LastModified", HTTPDate.iso8601(epochMillis: part.lastModified))
            result.element("ETag", ETag(part.etag).quoted)
        }
        var headers: HTTPFields = [:]
        addEncryptionHeaders(part.uploadEncryption, to: &headers)
        return S3Response.xml(xml, headers: headers)
    }

    func completeMultipartUpload(_ call: S3Call) async throws -> Response {
        let bucket = try call.address.bucket(), key = try call.address.key()
        guard let uploadId = call.address.value("uploadId") else { throw MagpieError(.noSuchUpload) }
        let document = try XMLNode.parse(try await call.collectBody(limit: configuration.maxXMLBodyBytes, checksumHeadersDescribeBody: false))
        guard document.name == "CompleteMultipartUpload" else { throw MagpieError(.malformedXML) }
        let claimedChecksum = ChecksumAlgorithm.allCases.lazy.compactMap { call.header($0.headerName) }.first
        let parts = try document.all("Part").map { part throws(MagpieError) in
            guard let number = part.value("PartNumber").flatMap({ Int($0) }), let etag = part.value("ETag") else {
                throw MagpieError(.malformedXML)
            }
            let checksum = ChecksumAlgorithm.allCases.lazy.compactMap { part.value($0.elementName) }.first
            return CompletedPart(partNumber: number, etag: etag, checksumValue: checksum)
        }
        let record = try await service.completeMultipartUpload(
            bucket, key, uploadId: uploadId, parts: parts, condition: try Self.writeCondition(call), expectedChecksum: claimedChecksum,
            for: call.principal
        )
        await objectCreated(record)
        var xml = XMLWriter()
        xml.element("CompleteMultipartUploadResult", namespace: XMLWriter.s3Namespace) { result in
            result.element("Location", "/\(bucket.rawValue)/\(key.rawValue)")
            result.element("Bucket", bucket.rawValue)
            result.element("Key", key.rawValue)
            result.element("ETag", ETag(record.etag).quoted)
            if let algorithm = record.checksumAlgorithm.flatMap(ChecksumAlgorithm.init(rawValue:)), let value = record.checksumValue {
                result.element(algorithm.elementName, value)
                result.element("ChecksumType", value.contains("-") ? "COMPOSITE" : "FULL_OBJECT")
            }
        }
        var headers: HTTPFields = [:]
        if record.versionId != "null" { headers[named: "x-amz-version-id"] = record.versionId }
        if let settings = record.encryption?.settings, settings.method != .customer { addEncryptionHeaders(settings, to: &headers) }
        await writeLifecycleHeaders(record, into: &headers)
        return S3Response.xml(xml, headers: headers)
    }

    func abortMultipartUpload(_ call: S3Call) async throws -> Response {
        guard let uploadId = call.address.value("uploadId") else { throw MagpieError(.noSuchUpload) }
        try await service.abortMultipartUpload(try call.address.bucket(), try call.address.key(), uploadId: uploadId, for: call.principal)
        return S3Response.empty(.noContent)
    }
}
