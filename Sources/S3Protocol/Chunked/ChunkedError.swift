import MagpieCore

/// The errors of aws-chunked decoding, worded for clients.
enum ChunkedError {
    static var incompleteBody: MagpieError {
        MagpieError(.incompleteBody, "You did not provide the number of bytes specified by the Content-Length HTTP header.")
    }

    static var signatureDoesNotMatch: MagpieError {
        MagpieError(
            .signatureDoesNotMatch,
            "The request signature we calculated does not match the signature you provided. Check your key and signing method."
        )
    }

    static func malformed(_ what: String) -> MagpieError {
        MagpieError(.invalidRequest, "The aws-chunked request body is malformed: \(what).")
    }
}
