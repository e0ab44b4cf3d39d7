import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import ObjectService
import S3Protocol

extension S3Handlers {
    /// ListObjects (V1, marker-based) and ListObjectsV2 (continuation tokens), one implementation.
    func listObjects(_ call: S3Call, version: Int) async throws -> Response {
        let bucket = try call.address.bucket()
        let address = call.address
        let encode = try Self.encodingType(address)
        let maxKeys = try Self.maxKeys(address)
        var request = ListRequest(prefix: address.value("prefix") ?? "", delimiter: address.value("delimiter"), maxKeys: maxKeys)
        let token = address.value("continuation-token")
        if version == 2 {
            if let token {
                guard let bytes = Base64.decode(token), let after = String(validating: bytes, as: UTF8.self), !after.isEmpty else {
                    throw MagpieError(.invalidArgument, "The continuation token provided is incorrect", details: [("ArgumentName", "continuation-token")])
                }
                request.after = after
            } else {
                request.after = address.value("start-after").flatMap { $0.isEmpty ? nil : $0 }
            }
        } else {
            request.after = address.value("marker").flatMap { $0.isEmpty ? nil : $0 }
        }
        let page = try await service.listObjects(bucket, request, for: call.principal)
        let fetchOwner = version == 1 || address.value("fetch-owner")?.lowercased() == "true"
        let owners = fetchOwner ? try await ownerNames(page.objects) : [:]
        let text = { (value: String) in encode ? PercentDecoding.encodeForListing(value) : value }
        let restoreStatus = Self.wantsRestoreStatus(call)
        var xml = XMLWriter()
        xml.element("ListBucketResult", namespace: XMLWriter.s3Namespace) { result in
            result.element("Name", bucket.rawValue)
            result.element("Prefix", text(request.prefix))
            if version == 2 {
                result.optional("ContinuationToken", token)
                result.optional("StartAfter", address.value("start-after").map(text))
                result.element("KeyCount", String(page.objects.count + page.commonPrefixes.count))
            } else {
                result.element("Marker", text(address.value("marker") ?? ""))
            }
            result.element("MaxKeys", String(maxKeys))
            result.optional("Delimiter", request.delimiter.map(text))
            if encode { result.element("EncodingType", "url") }
            result.element("IsTruncated", page.isTruncated ? "true" : "false")
            if page.isTruncated, let last = page.lastItem {
                if version == 2 {
                    result.element("NextContinuationToken", Base64.encode(Array(last.utf8)))
                } else if request.delimiter != nil {
                    result.element("NextMarker", text(last))
                }
            }
            for object in page.objects {
                result.element("Contents") { entry in
                    entry.element("Key", text(object.key))
                    entry.element("LastModified", HTTPDate.iso8601(epochMillis: object.lastModified))
                    entry.element("ETag", ETag(object.etag).quoted)
                    entry.optional("ChecksumAlgorithm", object.checksumAlgorithm)
                    entry.element("Size", String(object.size))
                    if fetchOwner {
                        entry.element("Owner") { owner in
                            owner.element("ID", object.ownerId)
                            owner.element("DisplayName", owners[object.ownerId] ?? "")
                        }
                    }
                    entry.element("StorageClass", object.storageClass)
                    if restoreStatus { Self.writeRestoreStatus(object, to: &entry) }
                }
            }
            for prefix in page.commonPrefixes {
                result.element("CommonPrefixes") { $0.element("Prefix", text(prefix)) }
            }
        }
        return S3Response.xml(xml)
    }

    func ownerNames(_ objects: [ObjectRecord]) async throws -> [String: String] {
        var names: [String: String] = [:]
        for id in Set(objects.map(\.ownerId)) {
            names[id] = try await service.metadata.user(id: id)?.name
        }
        return names
    }

    static func encodingType(_ address: S3Address) throws -> Bool {
        guard let value = address.value("encoding-type") else { return false }
        guard value.lowercased() == "url" else {
            throw MagpieError(.invalidArgument, "Invalid Encoding Method specified in Request", details: [("ArgumentName", "encoding-type")])
        }
        return true
    }

    static func maxKeys(_ address: S3Address) throws -> Int {
        min(try nonNegative(address, "max-keys", default: 1000), 1000)
    }
}
