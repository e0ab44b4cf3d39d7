import Crypto
import MagpieCore
import NIOCore

/// The chain of chunk signatures of a `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]` body.
///
/// Each chunk's signature covers its data and the previous signature (the first one chains from the
/// request's seed signature), so chunks can be neither altered, dropped nor reordered. Data is
/// hashed as it streams through; nothing is buffered.
struct ChunkSignatureChain: Sendable {
    let context: ChunkSigningContext
    private var previous: String
    private var claimed: String = ""
    private var hasher = SHA256()
    private var trailerHasher = SHA256()

    init(context: ChunkSigningContext) {
        self.context = context
        self.previous = context.seedSignature
    }

    /// Starts a chunk whose header claimed `signature`.
    mutating func begin(claimed signature: String) {
        claimed = signature
        hasher = SHA256()
    }

    mutating func update(_ data: ByteBuffer) {
        data.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
    }

    /// Ends the current chunk: its signature must be the one its header claimed.
    mutating func endChunk() throws {
        let expected = context.chunkSignature(previous: previous, chunkSHA256: AuthCrypto.hex(hasher.finalize()))
        guard ConstantTime.equals(expected, claimed) else { throw ChunkedError.signatureDoesNotMatch }
        previous = expected
    }

    /// Adds one trailer line as sent (without its line ending); the trailer signature covers `line\n`.
    mutating func updateTrailer(_ line: [UInt8]) {
        trailerHasher.update(data: line)
        trailerHasher.update(data: [UInt8(ascii: "\n")])
    }

    /// Checks `x-amz-trailer-signature`, which chains from the final (zero-length) chunk's signature.
    func verifyTrailer(signature: String) throws {
        let expected = context.trailerSignature(previous: previous, trailerSHA256: AuthCrypto.hex(trailerHasher.finalize()))
        guard ConstantTime.equals(expected, signature.lowercased()) else { throw ChunkedError.signatureDoesNotMatch }
    }
}
