import AccessControl
import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import ObjectService
import S3Protocol

extension S3Handlers {
    func listBuckets(_ call: S3Call) async throws -> Response {
        let buckets = try await service.listBuckets(for: call.principal)
        var xml = XMLWriter()
        xml.element("ListAllMyBucketsResult", namespace: XMLWriter.s3Namespace) { xml in
            xml.element("Owner") { owner in
                owner.element("ID", call.principal.canonicalId)
                owner.element("DisplayName", call.principal.displayName)
            }
            xml.element("Buckets") { list in
                for bucket in buckets {
                    list.element("Bucket") { entry in
                        entry.element("Name", bucket.name)
                        entry.element("CreationDate", HTTPDate.iso8601(epochMillis: bucket.createdAt))
                        entry.element("BucketRegion", bucket.region)
                    }
                }
            }
        }
        return S3Response.xml(xml)
    }

    func createBucket(_ call: S3Call) async throws -> Response {
        let name = try call.address.bucket()
        let objectLock = call.header("x-amz-bucket-object-lock-enabled")?.lowercased() == "true"
        let body = try await call.collectBody(limit: configuration.maxXMLBodyBytes)
        var region: String?
        if !body.isEmpty {
            let document = try XMLNode.parse(body)
            guard document.name == "CreateBucketConfiguration" else { throw MagpieError(.malformedXML) }
            region = document.value("LocationConstraint").flatMap { $0.isEmpty ? nil : $0 }
        }
        var ownership = ObjectOwnership.bucketOwnerEnforced
        if let text = call.header("x-amz-object-ownership") {
            guard let value = ObjectOwnership(rawValue: text) else {
                throw MagpieError(.invalidArgument, "Invalid x-amz-object-ownership header", details: [("ArgumentName", "x-amz-object-ownership")])
            }
            ownership = value
        }
        let access = try await service.initialBucketAccess(acl: try ACLHeaders.input(call.header), ownership: ownership, for: call.principal)
        try await service.createBucket(name, region: region, access: access, for: call.principal)
        if objectLock { try await service.enableObjectLockAtCreation(name) }
        return S3Response.empty(headers: [.location: "/\(name.rawValue)"])
    }

    func headBucket(_ call: S3Call) async throws -> Response {
        let bucket = try await service.existingBucket(try call.address.bucket(), for: call.principal)
        return S3Response.empty(headers: [.amzBucketRegion: bucket.region])
    }

    func deleteBucket(_ call: S3Call) async throws -> Response {
        try await service.deleteBucket(try call.address.bucket(), for: call.principal)
        return S3Response.empty(.noContent)
    }

    func getBucketLocation(_ call: S3Call) async throws -> Response {
        let bucket = try await service.existingBucket(try call.address.bucket(), for: call.principal)
        var xml = XMLWriter()
        // AWS reports us-east-1 as an empty constraint; clients map that back.
        xml.element("LocationConstraint", namespace: XMLWriter.s3Namespace) { $0.text(bucket.region == "us-east-1" ? "" : bucket.region) }
        return S3Response.xml(xml)
    }
}
