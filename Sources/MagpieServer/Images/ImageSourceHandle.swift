import Foundation
import ImageProtocol
import Imaging
import MagpieCore
import MetadataStore
import ObjectService
import Outbound

/// A source ready to be read: what identifies its current content (for the cache key), the
/// headers it contributes, and how to load its bytes (bounded by the source-size limit).
struct SourceHandle: Sendable {
    var identity: String
    var name: String
    var lastModified: String?
    /// The URL pins one immutable version.
    var pinned: Bool
    /// The source is encrypted at rest: its results are cached in memory only, never in the clear on disk.
    var encrypted = false
    var load: @Sendable () async throws -> [UInt8]
}

extension ImageEndpoint {
    /// An object used as an image (source or watermark), whole, bounded by the source-size limit.
    func readObject(_ record: ObjectRecord, requestId: String) async throws -> [UInt8] {
        let limit = configuration.imaging.limits.maxSourceBytes
        if record.size > limit { throw ImagingError.sourceBytes(Int(record.size), limit: limit) }
        return try await service.readWhole(record, requestId: requestId)
    }

    /// An SSE-C object cannot be read without its key, which image URLs do not carry.
    static func refuseCustomerKeyed(_ record: ObjectRecord, role: String) throws {
        guard record.encryption?.settings.method == .customer else { return }
        throw ImageFailure(
            status: 403, reason: "source-encrypted",
            message: "The \(role) is encrypted with a customer-provided key (SSE-C); it cannot be read without that key.")
    }

    func sourceHandle(_ source: ImageSource, requestId: String) async throws -> SourceHandle {
        switch source {
        case .object(let reference):
            let record = try await service.deliverySource(reference.bucket, reference.key, versionId: reference.versionId)
            try Self.refuseCustomerKeyed(record, role: "source")
            let endpoint = self
            return SourceHandle(
                identity: "\(record.versionId)|\(record.etag)", name: reference.key,
                lastModified: HTTPDate.rfc1123(epochSeconds: record.lastModified / 1000), pinned: reference.versionId != nil,
                encrypted: record.encryption != nil
            ) {
                try await endpoint.readObject(record, requestId: requestId)
            }
        case .remote(let url):
            guard let fetcher else {
                throw ImageFailure(
                    status: 403, reason: "remote-source-disabled",
                    message: "Remote http(s) sources are not enabled on this server; use s3://bucket/key.")
            }
            // Refuse a host outside the list before anything else happens.
            do {
                try fetcher.checkURL(url)
            } catch let error as OutboundError {
                throw ImageEndpoint.failure(error)
            }
            return SourceHandle(identity: "remote", name: URL(string: url)?.lastPathComponent ?? "image", lastModified: nil, pinned: false) {
                do {
                    let response = try await fetcher.get(url)
                    guard response.status == 200 else {
                        throw ImageFailure(status: 404, reason: "source-not-found", message: "The remote source answered \(response.status).")
                    }
                    return response.body
                } catch let error as OutboundError {
                    throw ImageEndpoint.failure(error)
                }
            }
        }
    }

    static func failure(_ error: OutboundError) -> ImageFailure {
        let status: Int =
            switch error.reason {
            case "remote-host-not-allowed", "remote-address-forbidden": 403
            case "remote-url-invalid": 400
            case "remote-too-large": 422
            default: 502
            }
        return ImageFailure(status: status, reason: error.reason, message: error.message)
    }
}
