import Crypto

/// Values of `x-amz-content-sha256`, and the hash a client puts there.
public enum PayloadHash {
    /// The body is not covered by the signature.
    public static let unsigned = "UNSIGNED-PAYLOAD"
    /// aws-chunked body with a signature per chunk.
    public static let streamingSigned = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
    /// aws-chunked body with a signature per chunk and signed trailing headers.
    public static let streamingSignedTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
    /// aws-chunked body, unsigned, with trailing headers (usually a checksum).
    public static let streamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
    /// SHA-256 of the empty string.
    public static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// Lowercase hex SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        if bytes.withContiguousStorageIfAvailable({ hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }) != nil {
            return AuthCrypto.hex(hasher.finalize())
        }
        var block: [UInt8] = []
        block.reserveCapacity(64 * 1024)
        for byte in bytes {
            block.append(byte)
            if block.count == 64 * 1024 {
                hasher.update(data: block)
                block.removeAll(keepingCapacity: true)
            }
        }
        hasher.update(data: block)
        return AuthCrypto.hex(hasher.finalize())
    }
}
