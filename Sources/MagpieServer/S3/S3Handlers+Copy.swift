import Foundation
import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import ObjectService
import S3Protocol

extension S3Handlers {
    func copyObject(_ call: S3Call) async throws -> Response {
        let (sourceBucket, sourceKey, sourceVersion) = try Self.copySource(call.header("x-amz-copy-source") ?? "")
        let directive = call.header("x-amz-metadata-directive")?.uppercased() ?? "COPY"
        guard directive == "COPY" || directive == "REPLACE" else {
            throw MagpieError(.invalidArgument, "Unknown metadata directive.", details: [("ArgumentName", "x-amz-metadata-directive")])
        }
        let replacement = directive == "REPLACE"
            ? try StoredHeaders.extract(from: call.request.headers, maxUserMetadata: configuration.objects.maxUserMetadataBytes) : nil
        var request = CopyObjectRequest(
            sourceBucket: sourceBucket, sourceKey: sourceKey, bucket: try call.address.bucket(), key: try call.address.key(),
            replacementHeaders: replacement,
            sourceConditions: Conditions(
                ifMatch: call.header("x-amz-copy-source-if-match"), ifNoneMatch: call.header("x-amz-copy-source-if-none-match"),
                ifModifiedSince: call.header("x-amz-copy-source-if-modified-since").flatMap(HTTPDate.parse),
                ifUnmodifiedSince: call.header("x-amz-copy-source-if-unmodified-since").flatMap(HTTPDate.parse)
            ),
            checksumAlgorithm: try call.header("x-amz-checksum-algorithm").map { name throws(MagpieError) in try ChecksumAlgorithm(header: name) },
            storageClass: call.header("x-amz-storage-class") == nil ? nil : try Self.storageClass(call),
            condition: try Self.writeCondition(call)
        )
        request.sourceVersionId = sourceVersion
        request.acl = try ACLHeaders.input(call.header)
        request.encryption = try Self.writeEncryption(call)
        request.sourceCustomerKey = try Self.customerKey(call, copySource: true)
        (request.retention, request.legalHold) = try Self.lockHeaders(call)
        switch call.header("x-amz-tagging-directive")?.uppercased() ?? "COPY" {
        case "COPY": break
        case "REPLACE": request.replacementTags = try Self.headerTags(call) ?? TagSet()
        default: throw MagpieError(.invalidArgument, "Unknown tagging directive.", details: [("ArgumentName", "x-amz-tagging-directive")])
        }
        let (record, copiedVersion) = try await service.copyObject(request, for: call.principal)
        await objectCreated(record)
        var xml = XMLWriter()
        xml.element("CopyObjectResult", namespace: XMLWriter.s3Namespace) { result in
            result.element("LastModified", HTTPDate.iso8601(epochMillis: record.lastModified))
            result.element("ETag", ETag(record.etag).quoted)
            if let algorithm = record.checksumAlgorithm.flatMap(ChecksumAlgorithm.init(rawValue:)), let value = record.checksumValue {
                result.element(algorithm.elementName, value)
            }
        }
        var headers: HTTPFields = [:]
        if record.versionId != "null" { headers[named: "x-amz-version-id"] = record.versionId }
        if copiedVersion != "null" { headers[named: "x-amz-copy-source-version-id"] = copiedVersion }
        addEncryptionHeaders(record.encryption?.settings, to: &headers)
        await writeLifecycleHeaders(record, into: &headers)
        return S3Response.xml(xml, headers: headers)
    }

    /// `x-amz-copy-source`: URL-encoded `bucket/key` (leading `/` optional), `?versionId=` allowed.
    static func copySource(_ header: String) throws -> (BucketName, ObjectKey, String?) {
        var text = Substring(header)
        var versionId: String?
        if let mark = text.firstIndex(of: "?") {
            let query = text[text.index(after: mark)...]
            text = text[..<mark]
            if query.hasPrefix("versionId=") { versionId = String(query.dropFirst("versionId=".count)) }
        }
        let decoded = try PercentDecoding.decode(text, plusAsSpace: false)
        let path = decoded.hasPrefix("/") ? decoded.dropFirst() : Substring(decoded)
        guard let slash = path.firstIndex(of: "/"), path.index(after: slash) < path.endIndex else {
            throw MagpieError(.invalidArgument, "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
                details: [("ArgumentName", "x-amz-copy-source")])
        }
        if let versionId { try ObjectService.validateVersionId(versionId) }
        return (try BucketName(String(path[..<slash])), try ObjectKey(String(path[path.index(after: slash)...])), versionId)
    }
}
