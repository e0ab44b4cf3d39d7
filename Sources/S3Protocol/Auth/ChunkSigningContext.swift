/// What verifying an aws-chunked body's chunk signatures needs: the request's signing key, timestamp,
/// scope and the seed signature (the request signature, which the first chunk chains from).
///
/// Holds the derived signing key (valid for one day, region and service), never the secret itself,
/// and never prints it.
public struct ChunkSigningContext: Sendable, Equatable, CustomStringConvertible {
    let signingKey: [UInt8]
    /// `X-Amz-Date` of the request, e.g. `20130524T000000Z`.
    public let timestamp: String
    /// Credential scope, e.g. `20130524/us-east-1/s3/aws4_request`.
    public let scope: String
    /// The request's signature, the "previous signature" of the first chunk.
    public let seedSignature: String

    init(signingKey: [UInt8], timestamp: String, scope: String, seedSignature: String) {
        self.signingKey = signingKey
        self.timestamp = timestamp
        self.scope = scope
        self.seedSignature = seedSignature
    }

    /// Builds a context from a secret, e.g. to sign or check chunks in tests and clients.
    public init(secretKey: String, timestamp: String, region: String, service: String = "s3", seedSignature: String) {
        let date = String(timestamp.prefix(8))
        self.init(
            signingKey: AuthCrypto.signingKey(secretKey: secretKey, date: date, region: region, service: service),
            timestamp: timestamp,
            scope: "\(date)/\(region)/\(service)/aws4_request",
            seedSignature: seedSignature
        )
    }

    /// Signature of one chunk, given the previous signature and the hex SHA-256 of the chunk's data.
    public func chunkSignature(previous: String, chunkSHA256: String) -> String {
        let stringToSign = [
            "AWS4-HMAC-SHA256-PAYLOAD", timestamp, scope, previous, PayloadHash.emptySHA256, chunkSHA256,
        ].joined(separator: "\n")
        return AuthCrypto.hex(AuthCrypto.hmacSHA256(key: signingKey, stringToSign))
    }

    /// Signature of the trailer, given the last chunk's signature and the hex SHA-256 of the
    /// trailer lines as sent, each `name:value\n`.
    public func trailerSignature(previous: String, trailerSHA256: String) -> String {
        let stringToSign = ["AWS4-HMAC-SHA256-TRAILER", timestamp, scope, previous, trailerSHA256].joined(separator: "\n")
        return AuthCrypto.hex(AuthCrypto.hmacSHA256(key: signingKey, stringToSign))
    }

    public var description: String {
        "ChunkSigningContext(timestamp: \(timestamp), scope: \(scope))"
    }
}
