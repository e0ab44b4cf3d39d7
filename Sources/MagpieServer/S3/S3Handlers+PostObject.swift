import AccessControl
import Foundation
import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import NIOCore
import ObjectService
import S3Protocol

extension S3Handlers {
    /// POST Object (browser form upload): the form's policy and signature authenticate the request;
    /// the file part streams into the same verified write path as PutObject.
    func postObject(_ request: Request, address: S3Address, body: CountingBody<RequestBody>, remote: SocketAddress?) async throws -> Response {
        let bucket = try address.bucket()
        let boundary = try FormDataParser.boundary(fromContentType: request.headers[.contentType] ?? "")
        let reader = FormReader(body: body, boundary: boundary)
        var fields = PostFormFields()
        var filename: String?
        var sawFile = false
        loop: while let event = try await reader.next() {
            switch event {
            case .field(let name, let value): fields.append(name: name, value: value)
            case .fileStart(_, let name, _):
                filename = name
                sawFile = true
                break loop
            default: break
            }
        }
        guard sawFile else { throw PostError.fileCount(0) }
        let lowercased = fields.lowercased
        // A form without any signature field is anonymous: it may upload only where a bucket policy or ACL
        // lets everyone write, and then no POST policy constrains it (as in S3).
        let signed = ["x-amz-algorithm", "x-amz-credential", "x-amz-signature", "awsaccesskeyid", "signature"].contains { lowercased[$0] != nil }
        let principal: Principal
        var policy: PostPolicy?
        if signed {
            let accessKey = try PostSignature.accessKey(fields: lowercased)
            guard let (secret, user) = try await service.credentials(for: accessKey) else {
                throw MagpieError(.invalidAccessKeyId, details: [("AWSAccessKeyId", accessKey)])
            }
            try PostSignature.verify(fields: lowercased, secretKey: secret)
            guard let encodedPolicy = fields["policy"] else { throw PostError.missingField("policy") }
            policy = try PostPolicy.decode(base64: encodedPolicy)
            principal = user
        } else {
            principal = .anonymous
        }
        guard let keyField = fields["key"] else { throw PostError.missingField("key") }
        try policy?.check(fields: fields.policyFields(bucket: bucket.rawValue, filename: filename), now: Date())
        let key = try ObjectKey(PostFormFields.expandingFilename(in: keyField, filename: filename))
        let acl = try lowercased["acl"].map { name throws(MagpieError) in
            guard AccessControlList.cannedNames.contains(name) else {
                throw MagpieError(.invalidArgument, details: [("ArgumentName", "acl"), ("ArgumentValue", name)])
            }
            return ACLInput.canned(name)
        }
        let formHeaders = { (name: String) -> String? in
            name == "x-amz-acl" ? lowercased["acl"] : (request.headers[named: name] ?? lowercased[name])
        }
        let context = S3AccessContext.make(
            headers: formHeaders, address: address, principal: principal, authType: "POST",
            signatureVersion: signed ? (lowercased["x-amz-algorithm"] != nil ? "AWS4-HMAC-SHA256" : "AWS") : nil, remote: remote
        )
        var actions = ["s3:PutObject"]
        if acl != nil { actions.append("s3:PutObjectAcl") }
        if lowercased["tagging"] != nil { actions.append("s3:PutObjectTagging") }
        try await service.authorize(AccessCheck(principal: principal, actions: actions, bucket: bucket.rawValue, key: key.rawValue, context: context))

        var headers: [String: String] = [:]
        for (name, value) in lowercased where StoredHeaders.system.contains(name) || name.hasPrefix("x-amz-meta-") { headers[name] = value }
        if headers["content-type"] == nil { headers["content-type"] = "binary/octet-stream" }
        var put = PutObjectRequest(bucket: bucket, key: key, headers: headers)
        if let storageClass = lowercased["x-amz-storage-class"] { put.storageClass = try Self.validStorageClass(storageClass) }
        if let tagging = lowercased["tagging"] { put.tags = try Self.formTags(tagging) }
        put.acl = acl
        put.encryption = try SSEHeaders.write { lowercased[$0] }
        let record = try await service.putObject(put, body: FormFileBody(reader: reader, policy: policy), trailers: { [] }, for: principal)
        await objectCreated(record)
        var response = try Self.postResponse(fields: fields, bucket: bucket.rawValue, record: record)
        addEncryptionHeaders(record.encryption?.settings, to: &response.headers)
        return response
    }

    /// `success_action_redirect` → 303 to it with bucket, key and etag; else `success_action_status` (204 by default).
    static func postResponse(fields: PostFormFields, bucket: String, record: ObjectRecord) throws -> Response {
        var headers: HTTPFields = [.eTag: ETag(record.etag).quoted, .location: "/\(bucket)/\(record.key)"]
        if record.versionId != "null" { headers[named: "x-amz-version-id"] = record.versionId }
        if let redirect = fields["success_action_redirect"] ?? fields["redirect"], var components = URLComponents(string: redirect),
            components.scheme != nil
        {
            components.queryItems = (components.queryItems ?? []) + [
                URLQueryItem(name: "bucket", value: bucket), URLQueryItem(name: "key", value: record.key),
                URLQueryItem(name: "etag", value: ETag(record.etag).quoted),
            ]
            headers[.location] = components.url?.absoluteString ?? redirect
            return S3Response.empty(.seeOther, headers: headers)
        }
        switch fields["success_action_status"] {
        case "200": return S3Response.empty(.ok, headers: headers)
        case "201":
            var xml = XMLWriter()
            xml.element("PostResponse") { body in
                body.element("Location", "/\(bucket)/\(record.key)")
                body.element("Bucket", bucket)
                body.element("Key", record.key)
                body.element("ETag", ETag(record.etag).quoted)
            }
            return S3Response.xml(xml, status: .created, headers: headers)
        default: return S3Response.empty(.noContent, headers: headers)
        }
    }

    /// The `tagging` form field: an XML Tagging document.
    static func formTags(_ text: String) throws -> TagSet {
        try tagSet(try XMLNode.parse(Array(text.utf8))).validated(limit: ObjectService.maxObjectTags)
    }
}
