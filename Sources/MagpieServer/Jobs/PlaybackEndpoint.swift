import Foundation
import HTTPTypes
import Hummingbird
import MagpieCore
import MediaJobs
import MetadataStore
import NIOCore
import ObjectService

/// `/p/{token}/{path}`: objects under a signed prefix, for players that fetch many relative URLs
/// (HLS, DASH, storyboards). The token is the grant (like a presigned URL), so there is no owner
/// check; the Content-Type follows the file name, Range is honoured and any origin may read.
struct PlaybackEndpoint: Sendable {
    let service: ObjectService
    let key: [UInt8]

    func handle(_ request: Request, target: String, requestId: String) async throws -> Response {
        guard request.method == .get || request.method == .head || request.method == .options else {
            throw MagpieError(.methodNotAllowed, "Playback URLs are read with GET or HEAD.")
        }
        if request.method == .options { return Response(status: .noContent, headers: Self.cors) }
        let path = target.dropFirst(3).prefix { $0 != "?" }
        guard let slash = path.firstIndex(of: "/") else { throw MagpieError(.invalidURI, "A playback URL is /p/<token>/<path>.") }
        let token: PlaybackToken
        do {
            token = try PlaybackToken.decode(String(path[..<slash]), key: key, now: Int64(Date().timeIntervalSince1970))
        } catch .expired {
            throw MagpieError(.accessDenied, "The playback URL has expired.")
        } catch {
            throw MagpieError(.accessDenied, "The playback URL's signature is not valid.")
        }
        let relative = try PercentDecoding.decode(path[path.index(after: slash)...], plusAsSpace: false)
        let segments = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard !relative.isEmpty, !segments.contains(where: { $0 == ".." || $0 == "." }) else {
            throw MagpieError(.invalidURI, "The path under a playback URL names a file below its prefix.")
        }
        let record = try await service.deliverySource(token.bucket, token.prefix + relative, versionId: nil)
        var headers = Self.cors
        headers[.contentType] = ContentTypes.forName(relative)
        headers[.eTag] = ETag(record.etag).quoted
        headers[.lastModified] = HTTPDate.rfc1123(epochSeconds: record.lastModified / 1000)
        headers[.acceptRanges] = "bytes"
        headers[.cacheControl] = relative.hasSuffix(".m3u8") || relative.hasSuffix(".mpd") ? "private, max-age=60" : "private, max-age=3600"
        if let match = request.headers[.ifNoneMatch], ETag(record.etag).matches(list: match) { return Response(status: .notModified, headers: headers) }
        var range: ClosedRange<Int64>?
        if let header = request.headers[.range], let parsed = ByteRange.parse(header) {
            guard let resolved = parsed.resolve(size: record.size) else {
                throw MagpieError(.invalidRange, details: [("ActualObjectSize", String(record.size))])
            }
            range = resolved
            headers[.contentRange] = "bytes \(resolved.lowerBound)-\(resolved.upperBound)/\(record.size)"
        }
        let length = range.map { $0.upperBound - $0.lowerBound + 1 } ?? record.size
        headers[.contentLength] = String(length)
        let status: HTTPResponse.Status = range == nil ? .ok : .partialContent
        if request.method == .head { return Response(status: status, headers: headers) }
        // The bytes are read as the bucket's owner: the signed prefix is the grant.
        guard let bucket = try await service.bucketRecord(token.bucket), let owner = try await service.metadata.user(id: bucket.ownerId) else {
            throw MagpieError(.noSuchKey)
        }
        let object = try await service.openObject(
            try BucketName(token.bucket), try ObjectKey(record.key), versionId: record.versionId == "null" ? nil : record.versionId,
            for: Principal(user: owner, accessKey: ""))
        let service = service, selected = range
        let body = ResponseBody(contentLength: Int(length)) { writer in
            do {
                try await service.stream(object, range: selected, requestId: requestId) { try await writer.write($0) }
                await object.close()
            } catch {
                await object.close()
                throw error
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }

    static let cors: HTTPFields = [
        HTTPField.Name("Access-Control-Allow-Origin")!: "*",
        HTTPField.Name("Access-Control-Allow-Headers")!: "Range",
        HTTPField.Name("Access-Control-Expose-Headers")!: "Content-Length, Content-Range",
    ]
}
