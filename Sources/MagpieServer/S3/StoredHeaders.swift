import Foundation
import HTTPTypes
import MagpieCore

/// Which request headers are stored with an object and returned on GET/HEAD.
enum StoredHeaders {
    static let system = ["content-type", "cache-control", "content-disposition", "content-encoding", "content-language", "expires",
        "x-amz-website-redirect-location"]

    /// Extracts the stored headers of a PUT/COPY(REPLACE), enforcing S3's 2 KB user-metadata limit.
    static func extract(from headers: HTTPFields, maxUserMetadata: Int) throws -> [String: String] {
        var stored: [String: String] = [:]
        var userBytes = 0
        for field in headers {
            let name = field.name.canonicalName
            if name.hasPrefix("x-amz-meta-") {
                userBytes += name.utf8.count - "x-amz-meta-".utf8.count + field.value.utf8.count
                stored[name] = stored[name].map { $0 + "," + field.value } ?? field.value
            } else if system.contains(name) {
                stored[name] = field.value
            }
        }
        guard userBytes <= maxUserMetadata else { throw MagpieError(.metadataTooLarge, details: [("MaxSizeAllowed", String(maxUserMetadata))]) }
        if let encoding = stored["content-encoding"] {
            // aws-chunked is transport framing, not a property of the object.
            let kept = encoding.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.lowercased() != "aws-chunked" }
            stored["content-encoding"] = kept.isEmpty ? nil : kept.joined(separator: ",")
        }
        if stored["content-type"] == nil { stored["content-type"] = "binary/octet-stream" }
        return stored
    }
}
