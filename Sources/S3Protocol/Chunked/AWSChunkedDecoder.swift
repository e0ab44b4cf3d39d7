import MagpieCore
import NIOCore

/// Turns an `aws-chunked` request body into the payload bytes, verifying chunk signatures.
///
/// A state machine with no I/O: feed it wire bytes in any split (one byte at a time works) and it
/// returns the payload slices available so far, zero-copy. Each chunk's signature is checked as
/// soon as its last byte arrived, so a caller must not commit what it wrote until `finish()` returned.
///
/// Wire format: `hex-size[;chunk-signature=sig]\r\n data \r\n` …, a final chunk of size 0, then,
/// with a trailer, lines `name:value\r\n` (plus `x-amz-trailer-signature:sig\r\n` when signed),
/// then `\r\n`. Like S3, the last empty line may be missing.
public struct AWSChunkedDecoder: Sendable {
    /// Which variant of aws-chunked the request declared in `x-amz-content-sha256`.
    public enum Mode: Sendable {
        /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`.
        case signed(ChunkSigningContext, trailer: Bool)
        /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER` (or plain aws-chunked without signatures).
        case unsigned(trailer: Bool)
    }

    enum State: Sendable, Equatable {
        /// Reading `hex-size[;extensions]\r\n`.
        case chunkHeader
        case chunkData(remaining: Int)
        /// Expecting the `\r\n` after a chunk's data; `sawCR` once the `\r` arrived.
        case chunkDataEnd(sawCR: Bool)
        /// After the zero-length chunk: trailer lines, then an empty line.
        case trailer
        case done
    }

    /// Longest chunk-header or trailer line accepted: a signed header is ~90 bytes.
    static let maxLineLength = 4096
    /// Most trailer lines accepted: a few checksums are expected, never a flood.
    static let maxTrailerLines = 32

    let hasTrailer: Bool
    let maxChunkSize: Int
    var state: State = .chunkHeader
    var line: [UInt8] = []
    var chain: ChunkSignatureChain?
    var trailerSignatureSeen = false
    var receivedTrailers: [(name: String, value: String)] = []

    /// - Parameter maxChunkSize: larger chunks are refused (`InvalidRequest`) before any of their data is read.
    public init(mode: Mode, maxChunkSize: Int = 16 << 20) {
        switch mode {
        case .signed(let context, let trailer):
            chain = ChunkSignatureChain(context: context)
            hasTrailer = trailer
        case .unsigned(let trailer):
            hasTrailer = trailer
        }
        self.maxChunkSize = maxChunkSize
    }

    /// Trailing headers (lowercased names, trimmed values), e.g. `("x-amz-checksum-crc32", "base64…")`;
    /// complete after `finish()`. Never includes `x-amz-trailer-signature`.
    public var trailers: [(name: String, value: String)] { receivedTrailers }

    /// Whether what arrived after the zero-length chunk can end the body without the final empty line:
    /// at least one trailer (unsigned) or the trailer signature (signed), so a body cut right after the
    /// last chunk is not mistaken for a complete one.
    var trailerComplete: Bool {
        guard hasTrailer else { return true }
        return chain == nil ? !receivedTrailers.isEmpty : trailerSignatureSeen
    }

    /// Consumes wire bytes; returns the decoded payload slices available now (possibly none).
    ///
    /// Throws `InvalidRequest` on malformed framing or an oversized chunk, `SignatureDoesNotMatch`
    /// on a bad chunk or trailer signature. After a throw the decoder must be discarded.
    public mutating func feed(_ buffer: ByteBuffer) throws -> [ByteBuffer] {
        var input = buffer
        var output: [ByteBuffer] = []
        while input.readableBytes > 0 {
            switch state {
            case .chunkHeader:
                if let header = try readLine(&input) { try startChunk(header) }
            case .chunkData(let remaining):
                let count = min(remaining, input.readableBytes)
                guard let slice = input.readSlice(length: count) else { return output }
                chain?.update(slice)
                output.append(slice)
                if count == remaining {
                    try chain?.endChunk()
                    state = .chunkDataEnd(sawCR: false)
                } else {
                    state = .chunkData(remaining: remaining - count)
                }
            case .chunkDataEnd(let sawCR):
                let byte = input.readInteger(as: UInt8.self)
                guard byte == (sawCR ? UInt8(ascii: "\n") : UInt8(ascii: "\r")) else {
                    throw ChunkedError.malformed("expected CRLF after chunk data")
                }
                state = sawCR ? .chunkHeader : .chunkDataEnd(sawCR: true)
            case .trailer:
                if let trailerLine = try readLine(&input) { try handleTrailerLine(trailerLine) }
            case .done:
                throw ChunkedError.malformed("data after the final chunk")
            }
        }
        return output
    }

    /// End of wire input: throws `IncompleteBody` unless the final zero-length chunk (and the
    /// trailer, signed if the mode says so) arrived. Only the very last empty line may be missing.
    public mutating func finish() throws {
        switch state {
        case .done:
            return
        case .trailer where line.isEmpty && trailerComplete:
            state = .done
        default:
            throw ChunkedError.incompleteBody
        }
    }
}
