import Foundation
import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import ObjectService
import S3Protocol

extension S3Handlers {
    func putBucketLifecycle(_ call: S3Call) async throws -> Response {
        let bucket = try call.address.bucket()
        _ = try await service.existingBucket(bucket, for: call.principal)
        // S3 insists on an integrity header: a corrupted body could delete the wrong objects.
        let hasChecksum =
            call.header("content-md5") != nil || ChecksumAlgorithm.allCases.contains { call.header($0.headerName) != nil }
            || call.header("x-amz-trailer") != nil
        guard hasChecksum else {
            throw MagpieError(.invalidRequest, "Missing required header for this request: Content-MD5 OR x-amz-checksum-*")
        }
        var minimumSize = TransitionMinimumSize.allStorageClasses128K
        if let header = call.header("x-amz-transition-default-minimum-object-size") {
            guard let parsed = TransitionMinimumSize(rawValue: header) else {
                throw MagpieError(.invalidRequest, "Invalid TransitionDefaultMinimumObjectSize found")
            }
            minimumSize = parsed
        }
        let document = try XMLNode.parse(try await call.collectBody(limit: configuration.maxXMLBodyBytes))
        let lifecycle = try LifecycleConfiguration.parse(document, minimumObjectSize: minimumSize)
        try await service.setLifecycle(bucket, lifecycle, for: call.principal)
        return S3Response.empty(headers: Self.minimumSizeHeader(lifecycle))
    }

    func getBucketLifecycle(_ call: S3Call) async throws -> Response {
        let lifecycle = try await service.lifecycle(try call.address.bucket(), for: call.principal)
        return S3Response.xml(lifecycle.xml(), headers: Self.minimumSizeHeader(lifecycle))
    }

    func deleteBucketLifecycle(_ call: S3Call) async throws -> Response {
        try await service.setLifecycle(try call.address.bucket(), nil, for: call.principal)
        return S3Response.empty(.noContent)
    }

    static func minimumSizeHeader(_ lifecycle: LifecycleConfiguration) -> HTTPFields {
        var headers: HTTPFields = [:]
        headers[named: "x-amz-transition-default-minimum-object-size"] = lifecycle.minimumObjectSize.rawValue
        return headers
    }

    /// RestoreObject: 202 when a restore starts, 200 when the version was already restored (its
    /// copy's lifetime renewed), 409 RestoreAlreadyInProgress while one is ongoing.
    func restoreObject(_ call: S3Call) async throws -> Response {
        let bucket = try call.address.bucket()
        let key = try call.address.key()
        let body = try await call.collectBody(limit: configuration.maxXMLBodyBytes)
        guard !body.isEmpty else { throw MagpieError(.malformedXML) }
        let request = try RestoreRequest.parse(try XMLNode.parse(body))
        let outcome = try await service.restoreObject(bucket, key, versionId: call.address.value("versionId"), request: request, for: call.principal)
        return S3Response.empty(outcome == .started ? .accepted : .ok)
    }

    /// `x-amz-expiration: expiry-date="Thu, 10 Oct 2030 00:00:00 GMT", rule-id="…"` (rule id URL-encoded).
    static func expirationHeader(_ expiration: (due: Int64, ruleId: String)?) -> String? {
        guard let expiration else { return nil }
        let date = HTTPDate.rfc1123(epochSeconds: expiration.due / 1000)
        return
            "expiry-date=\"\(date)\", rule-id=\"\(PercentDecoding.encodeForListing(expiration.ruleId).replacingOccurrences(of: "/", with: "%2F"))\""
    }

    /// `x-amz-restore`: `ongoing-request="true"`, then `ongoing-request="false", expiry-date="…"`.
    static func restoreHeader(_ record: ObjectRecord) -> String? {
        guard let restore = record.restore else { return nil }
        guard !restore.isOngoing, let expiry = restore.expiresAt else { return "ongoing-request=\"true\"" }
        return "ongoing-request=\"false\", expiry-date=\"\(HTTPDate.rfc1123(epochSeconds: expiry / 1000))\""
    }

    /// `x-amz-optional-object-attributes: RestoreStatus` on a listing.
    static func wantsRestoreStatus(_ call: S3Call) -> Bool {
        call.header("x-amz-optional-object-attributes")?.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "RestoreStatus" }
            ?? false
    }

    /// `<RestoreStatus>` of a listed version that has been (or is being) restored.
    static func writeRestoreStatus(_ record: ObjectRecord, to xml: inout XMLWriter) {
        guard let restore = record.restore else { return }
        xml.element("RestoreStatus") { status in
            status.element("IsRestoreInProgress", restore.isOngoing ? "true" : "false")
            if let expiry = restore.expiresAt, !restore.isOngoing { status.element("RestoreExpiryDate", HTTPDate.iso8601(epochMillis: expiry)) }
        }
    }

    /// The lifecycle headers of a write's response: the new current version's expiration.
    func writeLifecycleHeaders(_ record: ObjectRecord, into headers: inout HTTPFields) async {
        guard let bucket = try? await service.bucketRecord(record.bucket), bucket.lifecycle != nil else { return }
        let lifecycle = service.lifecycleConfiguration(of: bucket)
        headers[named: "x-amz-expiration"] = Self.expirationHeader(service.expiration(of: record, under: lifecycle))
    }
}
