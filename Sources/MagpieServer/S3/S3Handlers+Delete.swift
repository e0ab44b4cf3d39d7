import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import ObjectService
import S3Protocol

extension S3Handlers {
    func deleteObject(_ call: S3Call) async throws -> Response {
        let bucket = try call.address.bucket(), key = try call.address.key()
        let result = try await service.deleteObject(
            bucket, key, versionId: call.address.value("versionId"), bypassGovernance: Self.bypassGovernance(call), for: call.principal
        )
        var headers: HTTPFields = [:]
        if result.deleteMarker { headers[named: "x-amz-delete-marker"] = "true" }
        if let version = result.versionId { headers[named: "x-amz-version-id"] = version }
        return S3Response.empty(.noContent, headers: headers)
    }

    static let maxDeleteKeys = 1000

    func deleteObjects(_ call: S3Call) async throws -> Response {
        let bucket = try call.address.bucket()
        // S3 insists on an integrity header for batch deletes: a corrupted body could delete the wrong keys.
        let hasChecksum = call.header("content-md5") != nil || ChecksumAlgorithm.allCases.contains { call.header($0.headerName) != nil }
            || call.header("x-amz-trailer") != nil
        guard hasChecksum else {
            throw MagpieError(.invalidRequest, "Missing required header for this request: Content-MD5 OR x-amz-checksum-*")
        }
        let document = try XMLNode.parse(try await call.collectBody(limit: configuration.maxXMLBodyBytes))
        let objects = document.all("Object")
        guard document.name == "Delete", !objects.isEmpty, objects.count <= Self.maxDeleteKeys else { throw MagpieError(.malformedXML) }
        let quiet = document.value("Quiet")?.lowercased() == "true"
        let keys = try objects.map { object throws(MagpieError) in
            guard let key = object.value("Key") else { throw MagpieError(.malformedXML) }
            return (key: key, versionId: object.value("VersionId"))
        }
        // S3 decides each key on its own: refused keys are reported as AccessDenied errors, the others deleted.
        let bypass = Self.bypassGovernance(call)
        var allowed: [(key: String, versionId: String?)] = []
        var refused: Set<Int> = []
        for (index, entry) in keys.enumerated() {
            var actions = [entry.versionId == nil ? "s3:DeleteObject" : "s3:DeleteObjectVersion"]
            if bypass { actions.append("s3:BypassGovernanceRetention") }
            if await service.isAllowed(call.accessCheck(actions, bucket: bucket.rawValue, key: entry.key, versionId: entry.versionId)) {
                allowed.append(entry)
            } else {
                refused.insert(index)
            }
        }
        var done = try await service.deleteObjects(bucket, keys: allowed, bypassGovernance: bypass, for: call.principal).makeIterator()
        var outcomes: [ObjectService.DeleteOutcome] = []
        for (index, entry) in keys.enumerated() {
            if refused.contains(index) {
                outcomes.append(ObjectService.DeleteOutcome(key: entry.key, versionId: entry.versionId, error: MagpieError(.accessDenied)))
            } else if let outcome = done.next() {
                outcomes.append(outcome)
            }
        }
        var xml = XMLWriter()
        xml.element("DeleteResult", namespace: XMLWriter.s3Namespace) { result in
            for outcome in outcomes {
                if let error = outcome.error {
                    result.element("Error") { entry in
                        entry.element("Key", outcome.key)
                        entry.optional("VersionId", outcome.versionId)
                        entry.element("Code", error.code.rawValue)
                        entry.element("Message", S3ErrorTable.message(for: error))
                    }
                } else if !quiet {
                    result.element("Deleted") { entry in
                        entry.element("Key", outcome.key)
                        entry.optional("VersionId", outcome.versionId)
                        if outcome.result.deleteMarker {
                            entry.element("DeleteMarker", "true")
                            if outcome.versionId == nil { entry.optional("DeleteMarkerVersionId", outcome.result.versionId) }
                        }
                    }
                }
            }
        }
        return S3Response.xml(xml)
    }
}
