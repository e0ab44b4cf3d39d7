extension AWSChunkedDecoder.Mode {
    /// The decoder mode an authenticated request's payload mode calls for; nil when the body is not aws-chunked.
    ///
    /// ```swift
    /// let payload = try S3RequestAuth.verify(parsed, request: request, secretKey: secret, now: now)
    /// if let mode = AWSChunkedDecoder.Mode(payload) { var decoder = AWSChunkedDecoder(mode: mode) … }
    /// ```
    public init?(_ payload: PayloadMode) {
        switch payload {
        case .streamingSigned(let context, let trailer): self = .signed(context, trailer: trailer)
        case .streamingUnsigned: self = .unsigned(trailer: true)
        case .unsigned, .sha256: return nil
        }
    }
}
