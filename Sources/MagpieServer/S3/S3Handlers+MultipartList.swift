import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import ObjectService
import S3Protocol

extension S3Handlers {
    func listParts(_ call: S3Call) async throws -> Response {
        let bucket = try call.address.bucket(), key = try call.address.key()
        guard let uploadId = call.address.value("uploadId") else { throw MagpieError(.noSuchUpload) }
        let marker = try Self.nonNegative(call.address, "part-number-marker", default: 0)
        let maxParts = min(try Self.nonNegative(call.address, "max-parts", default: 1000), 1000)
        let page = try await service.listParts(bucket, key, uploadId: uploadId, marker: marker, maxParts: maxParts, for: call.principal)
        let owner = try await service.metadata.user(id: page.upload.ownerId)
        let algorithm = page.upload.checksumAlgorithm.flatMap(ChecksumAlgorithm.init(rawValue:))
        var xml = XMLWriter()
        xml.element("ListPartsResult", namespace: XMLWriter.s3Namespace) { result in
            result.element("Bucket", bucket.rawValue)
            result.element("Key", key.rawValue)
            result.element("UploadId", uploadId)
            for role in ["Initiator", "Owner"] {
                result.element(role) { person in
                    person.element("ID", page.upload.ownerId)
                    person.element("DisplayName", owner?.name ?? "")
                }
            }
            result.element("StorageClass", page.upload.storageClass)
            result.element("PartNumberMarker", String(marker))
            if let last = page.parts.last { result.element("NextPartNumberMarker", String(last.partNumber)) }
            result.element("MaxParts", String(maxParts))
            result.element("IsTruncated", page.isTruncated ? "true" : "false")
            result.optional("ChecksumAlgorithm", algorithm?.rawValue)
            for part in page.parts {
                result.element("Part") { entry in
                    entry.element("PartNumber", String(part.partNumber))
                    entry.element("LastModified", HTTPDate.iso8601(epochMillis: part.lastModified))
                    entry.element("ETag", ETag(part.etag).quoted)
                    entry.element("Size", String(part.size))
                    if let algorithm, let value = part.checksumValue { entry.element(algorithm.elementName, value) }
                }
            }
        }
        return S3Response.xml(xml)
    }

    func listMultipartUploads(_ call: S3Call) async throws -> Response {
        let bucket = try call.address.bucket()
        let address = call.address
        let maxUploads = min(try Self.nonNegative(address, "max-uploads", default: 1000), 1000)
        let prefix = address.value("prefix") ?? ""
        let page = try await service.listMultipartUploads(
            bucket, prefix: prefix, delimiter: address.value("delimiter"), keyMarker: address.value("key-marker"),
            uploadIdMarker: address.value("upload-id-marker"), maxUploads: maxUploads, for: call.principal
        )
        var names: [String: String] = [:]
        for id in Set(page.uploads.map(\.ownerId)) { names[id] = try await service.metadata.user(id: id)?.name }
        let encode = try Self.encodingType(address)
        let text = { (value: String) in encode ? PercentDecoding.encodeForListing(value) : value }
        var xml = XMLWriter()
        xml.element("ListMultipartUploadsResult", namespace: XMLWriter.s3Namespace) { result in
            result.element("Bucket", bucket.rawValue)
            result.element("KeyMarker", text(address.value("key-marker") ?? ""))
            result.element("UploadIdMarker", address.value("upload-id-marker") ?? "")
            if page.isTruncated, let last = page.uploads.last {
                result.element("NextKeyMarker", text(last.key))
                result.element("NextUploadIdMarker", last.uploadId)
            }
            result.element("Prefix", text(prefix))
            result.optional("Delimiter", address.value("delimiter").map(text))
            if encode { result.element("EncodingType", "url") }
            result.element("MaxUploads", String(maxUploads))
            result.element("IsTruncated", page.isTruncated ? "true" : "false")
            for upload in page.uploads {
                result.element("Upload") { entry in
                    entry.element("Key", text(upload.key))
                    entry.element("UploadId", upload.uploadId)
                    for role in ["Initiator", "Owner"] {
                        entry.element(role) { person in
                            person.element("ID", upload.ownerId)
                            person.element("DisplayName", names[upload.ownerId] ?? "")
                        }
                    }
                    entry.element("StorageClass", upload.storageClass)
                    entry.element("Initiated", HTTPDate.iso8601(epochMillis: upload.initiated))
                    entry.optional("ChecksumAlgorithm", upload.checksumAlgorithm)
                }
            }
            for prefix in page.commonPrefixes { result.element("CommonPrefixes") { $0.element("Prefix", text(prefix)) } }
        }
        return S3Response.xml(xml)
    }

    static func nonNegative(_ address: S3Address, _ name: String, default value: Int) throws -> Int {
        guard let text = address.value(name) else { return value }
        guard let number = Int(text), number >= 0 else {
            throw MagpieError(.invalidArgument, "Provided \(name) not an integer or within integer range", details: [("ArgumentName", name)])
        }
        return number
    }
}
