import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import ObjectService
import S3Protocol

extension S3Handlers {
    func putObjectTagging(_ call: S3Call) async throws -> Response {
        let tags = try Self.tagSet(try XMLNode.parse(try await call.collectBody(limit: configuration.maxXMLBodyBytes)))
        let record = try await service.setObjectTags(
            try call.address.bucket(), try call.address.key(), versionId: call.address.value("versionId"), tags: tags, for: call.principal
        )
        return S3Response.empty(headers: Self.versionHeader(record))
    }

    func getObjectTagging(_ call: S3Call) async throws -> Response {
        let record = try await service.objectTags(try call.address.bucket(), try call.address.key(), versionId: call.address.value("versionId"), for: call.principal)
        return S3Response.xml(Self.taggingXML(record.tags), headers: Self.versionHeader(record))
    }

    func deleteObjectTagging(_ call: S3Call) async throws -> Response {
        let record = try await service.setObjectTags(
            try call.address.bucket(), try call.address.key(), versionId: call.address.value("versionId"), tags: TagSet(), for: call.principal
        )
        return S3Response.empty(.noContent, headers: Self.versionHeader(record))
    }

    func putBucketTagging(_ call: S3Call) async throws -> Response {
        let tags = try Self.tagSet(try XMLNode.parse(try await call.collectBody(limit: configuration.maxXMLBodyBytes)))
        try await service.setBucketTags(try call.address.bucket(), tags: tags, for: call.principal)
        return S3Response.empty(.noContent)
    }

    func getBucketTagging(_ call: S3Call) async throws -> Response {
        S3Response.xml(Self.taggingXML(try await service.bucketTags(try call.address.bucket(), for: call.principal)))
    }

    func deleteBucketTagging(_ call: S3Call) async throws -> Response {
        try await service.setBucketTags(try call.address.bucket(), tags: nil, for: call.principal)
        return S3Response.empty(.noContent)
    }

    static func versionHeader(_ record: ObjectRecord) -> HTTPFields {
        var headers: HTTPFields = [:]
        if record.versionId != "null" { headers[named: "x-amz-version-id"] = record.versionId }
        return headers
    }

    /// `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>`
    static func tagSet(_ document: XMLNode) throws -> TagSet {
        guard document.name == "Tagging", let set = document.child("TagSet") else { throw MagpieError(.malformedXML) }
        return TagSet(try set.all("Tag").map { tag throws(MagpieError) in
            guard let key = tag.value("Key") else { throw MagpieError(.malformedXML) }
            return TagSet.Tag(key: key, value: tag.value("Value") ?? "")
        })
    }

    static func taggingXML(_ tags: TagSet) -> XMLWriter {
        var xml = XMLWriter()
        xml.element("Tagging", namespace: XMLWriter.s3Namespace) { body in
            body.element("TagSet") { set in
                for tag in tags.tags {
                    set.element("Tag") { entry in
                        entry.element("Key", tag.key)
                        entry.element("Value", tag.value)
                    }
                }
            }
        }
        return xml
    }

    /// `x-amz-tagging: k1=v1&k2=v2` (URL-encoded, as on PUT, COPY and CreateMultipartUpload).
    static func headerTags(_ call: S3Call) throws -> TagSet? {
        guard let header = call.header("x-amz-tagging") else { return nil }
        let tags = try header.split(separator: "&", omittingEmptySubsequences: true).map { item throws(MagpieError) in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try PercentDecoding.decode(parts[0], plusAsSpace: true)
            let value = parts.count > 1 ? try PercentDecoding.decode(parts[1], plusAsSpace: true) : ""
            return TagSet.Tag(key: key, value: value)
        }
        return try TagSet(tags).validated(limit: ObjectService.maxObjectTags)
    }
}
