import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import ObjectService
import S3Protocol

extension S3Handlers {
    func putBucketVersioning(_ call: S3Call) async throws -> Response {
        let bucket = try call.address.bucket()
        let document = try XMLNode.parse(try await call.collectBody(limit: configuration.maxXMLBodyBytes))
        guard document.name == "VersioningConfiguration", let status = document.value("Status") else { throw MagpieError(.malformedXML) }
        if document.value("MfaDelete") == "Enabled" {
            throw MagpieError(.notImplemented, "MFA delete is not implemented by Magpie.")
        }
        try await service.setVersioning(bucket, status: status, for: call.principal)
        return S3Response.empty()
    }

    func getBucketVersioning(_ call: S3Call) async throws -> Response {
        let bucket = try await service.existingBucket(try call.address.bucket(), for: call.principal)
        var xml = XMLWriter()
        xml.element("VersioningConfiguration", namespace: XMLWriter.s3Namespace) { body in
            body.optional("Status", bucket.versioning)
        }
        return S3Response.xml(xml)
    }

    func listObjectVersions(_ call: S3Call) async throws -> Response {
        let bucket = try call.address.bucket()
        let address = call.address
        let maxKeys = try Self.maxKeys(address)
        let encode = try Self.encodingType(address)
        let prefix = address.value("prefix") ?? ""
        let page = try await service.listObjectVersions(
            bucket, prefix: prefix, delimiter: address.value("delimiter"), keyMarker: address.value("key-marker").flatMap { $0.isEmpty ? nil : $0 },
            versionIdMarker: address.value("version-id-marker").flatMap { $0.isEmpty ? nil : $0 }, maxKeys: maxKeys, for: call.principal
        )
        let owners = try await ownerNames(page.versions)
        let text = { (value: String) in encode ? PercentDecoding.encodeForListing(value) : value }
        let restoreStatus = Self.wantsRestoreStatus(call)
        var xml = XMLWriter()
        xml.element("ListVersionsResult", namespace: XMLWriter.s3Namespace) { result in
            result.element("Name", bucket.rawValue)
            result.element("Prefix", text(prefix))
            result.element("KeyMarker", text(address.value("key-marker") ?? ""))
            result.element("VersionIdMarker", address.value("version-id-marker") ?? "")
            result.optional("NextKeyMarker", page.nextKeyMarker.map(text))
            result.optional("NextVersionIdMarker", page.nextVersionIdMarker)
            result.element("MaxKeys", String(maxKeys))
            result.optional("Delimiter", address.value("delimiter").map(text))
            if encode { result.element("EncodingType", "url") }
            result.element("IsTruncated", page.isTruncated ? "true" : "false")
            for version in page.versions {
                result.element(version.isDeleteMarker ? "DeleteMarker" : "Version") { entry in
                    entry.element("Key", text(version.key))
                    entry.element("VersionId", version.versionId)
                    entry.element("IsLatest", version.isLatest ? "true" : "false")
                    entry.element("LastModified", HTTPDate.iso8601(epochMillis: version.lastModified))
                    if !version.isDeleteMarker {
                        entry.element("ETag", ETag(version.etag).quoted)
                        entry.element("Size", String(version.size))
                        entry.element("StorageClass", version.storageClass)
                    }
                    entry.element("Owner") { owner in
                        owner.element("ID", version.ownerId)
                        owner.element("DisplayName", owners[version.ownerId] ?? "")
                    }
                    if restoreStatus { Self.writeRestoreStatus(version, to: &entry) }
                }
            }
            for prefix in page.commonPrefixes { result.element("CommonPrefixes") { $0.element("Prefix", text(prefix)) } }
        }
        return S3Response.xml(xml)
    }
}
