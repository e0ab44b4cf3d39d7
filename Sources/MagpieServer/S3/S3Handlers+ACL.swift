import AccessControl
import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import ObjectService
import S3Protocol

extension S3Handlers {
    /// The ACL a Put*Acl request sets: from `x-amz-acl`/`x-amz-grant-*` headers or an `<AccessControlPolicy>` body, not both.
    func aclInput(_ call: S3Call) async throws -> ACLInput {
        let body = try await call.collectBody(limit: configuration.maxXMLBodyBytes)
        let fromHeaders = try ACLHeaders.input(call.header)
        switch (fromHeaders, body.isEmpty) {
        case (let input?, true): return input
        case (nil, false): return .grants(try AccessControlList.parseGrants(body))
        case (_?, false): throw MagpieError(.unexpectedContent)
        case (nil, true): throw MagpieError(.missingSecurityHeader, details: [("MissingHeaderName", "x-amz-acl")])
        }
    }

    func putBucketAcl(_ call: S3Call) async throws -> Response {
        try await service.putBucketACL(try call.address.bucket(), try await aclInput(call))
        return S3Response.empty()
    }

    func getBucketAcl(_ call: S3Call) async throws -> Response {
        let acl = try await service.bucketACL(try call.address.bucket())
        return S3Response.xml(acl.xml(names: try await userNames(acl)))
    }

    func putObjectAcl(_ call: S3Call) async throws -> Response {
        let record = try await service.putObjectACL(
            try call.address.bucket(), try call.address.key(), versionId: call.address.value("versionId"), try await aclInput(call)
        )
        return S3Response.empty(headers: Self.versionHeader(record))
    }

    func getObjectAcl(_ call: S3Call) async throws -> Response {
        let (acl, record) = try await service.objectACL(try call.address.bucket(), try call.address.key(), versionId: call.address.value("versionId"))
        return S3Response.xml(acl.xml(names: try await userNames(acl)), headers: Self.versionHeader(record))
    }

    /// Display names for the owner and user grantees of `acl`.
    func userNames(_ acl: AccessControlList) async throws -> [String: String] {
        var ids: Set<String> = [acl.ownerId]
        for grant in acl.grants { if case .user(let id) = grant.grantee { ids.insert(id) } }
        var names: [String: String] = [:]
        for id in ids { names[id] = try await service.metadata.user(id: id)?.name }
        return names
    }
}
