import HTTPTypes
import Hummingbird
import MagpieCore
import NIOCore
import MetadataStore
import ObjectService
import S3Protocol

/// One authenticated S3 request on its way through a handler.
struct S3Call: Sendable {
    let request: Request
    let address: S3Address
    let operation: S3Operation
    let principal: Principal
    let payload: PayloadMode
    let requestId: String
    /// The request body, counted for the access log.
    let body: CountingBody<RequestBody>
    /// The condition keys this request offers to bucket policies.
    let accessContext: [String: [String]]

    func header(_ name: String) -> String? { request.headers[named: name] }

    /// An authorization question about this request's principal and context.
    func accessCheck(_ actions: [String], bucket: String, key: String?, versionId: String? = nil) -> AccessCheck {
        AccessCheck(principal: principal, actions: actions, bucket: bucket, key: key, versionId: versionId, context: accessContext)
    }
    var isHead: Bool { request.method == .head }

    /// The payload bytes: aws-chunked bodies are decoded (and their chunk signatures checked) on the fly.
    func payloadBody(trailers: TrailerBox) -> any AsyncSequence<ByteBuffer, any Error> & Sendable {
        guard let mode = AWSChunkedDecoder.Mode(payload) else { return body }
        return AWSChunkedBody(base: body, mode: mode, trailers: trailers)
    }

    var payloadSHA256: String? {
        if case .sha256(let hex) = payload { return hex }
        return nil
    }

    var isAWSChunked: Bool { AWSChunkedDecoder.Mode(payload) != nil }

    /// A small request body (XML documents), bounded, with its integrity claims checked.
    /// `checksumHeadersDescribeBody` is false where `x-amz-checksum-*` describes something else
    /// (CompleteMultipartUpload: the whole object's checksum).
    func collectBody(limit: Int, checksumHeadersDescribeBody: Bool = true) async throws -> [UInt8] {
        let trailers = TrailerBox()
        var bytes: [UInt8] = []
        for try await chunk in payloadBody(trailers: trailers) {
            guard bytes.count + chunk.readableBytes <= limit else { throw MagpieError(.malformedXML, "The XML document is too large.") }
            bytes += chunk.readableBytesView
        }
        if let expected = payloadSHA256, PayloadHash.sha256Hex(bytes) != expected {
            throw MagpieError(.xAmzContentSHA256Mismatch)
        }
        let claimed = !checksumHeadersDescribeBody ? [] : ChecksumAlgorithm.allCases.compactMap { algorithm in
            (header(algorithm.headerName) ?? trailers.trailers.first { $0.name == algorithm.headerName }?.value).map { (algorithm, $0) }
        }
        for (algorithm, value) in claimed {
            var digest = Digester(algorithm)
            digest.update(bytes)
            guard Base64.decode(value) == digest.finalize() else {
                throw MagpieError(.badDigest, "The \(algorithm.rawValue) you specified did not match the calculated checksum.")
            }
        }
        if let md5Header = header("content-md5") {
            guard let md5 = Base64.decode(md5Header), md5.count == 16 else { throw MagpieError(.invalidDigest) }
            var digest = Digester.md5()
            digest.update(bytes)
            if digest.finalize() != md5 { throw MagpieError(.badDigest) }
        }
        return bytes
    }
}
