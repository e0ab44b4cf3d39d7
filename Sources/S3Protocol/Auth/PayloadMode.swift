/// How the request body must be processed after authentication succeeded.
///
/// Authentication only vouches for the headers; the body is checked while it streams, and the
/// caller must not commit what it wrote until that check passed.
public enum PayloadMode: Sendable, Equatable {
    /// No integrity promise: `UNSIGNED-PAYLOAD`, presigned URLs, SigV2.
    case unsigned
    /// Lowercase hex SHA-256 the body must hash to; on mismatch the caller answers `XAmzContentSHA256Mismatch`.
    case sha256(String)
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`: aws-chunked body, every chunk signed.
    case streamingSigned(ChunkSigningContext, trailer: Bool)
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`: aws-chunked body, unsigned chunks, trailing checksum.
    case streamingUnsigned
}
