/// The `Credential` of a SigV4 request: `AKID/YYYYMMDD/REGION/SERVICE/aws4_request`.
///
/// Any region is accepted (Magpie is region-agnostic and signs with the one the client chose);
/// the service must be `s3`.
struct SigV4Credential: Sendable, Equatable {
    let accessKey: String
    let date: String
    let region: String
    let service: String

    var scope: String { "\(date)/\(region)/\(service)/aws4_request" }

    enum Problem: Error, Equatable {
        case malformed
        case service(String)
        case terminal(String)
    }

    /// Splits from the right so an access key containing `/` still parses.
    static func parse(_ text: String) throws(Problem) -> SigV4Credential {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 5 else { throw .malformed }
        let tail = parts.suffix(4).map(String.init)
        let accessKey = parts.dropLast(4).joined(separator: "/")
        guard !accessKey.isEmpty, tail[0].utf8.count == 8, tail[0].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), !tail[1].isEmpty
        else { throw .malformed }
        guard tail[2] == "s3" else { throw .service(tail[2]) }
        guard tail[3] == "aws4_request" else { throw .terminal(tail[3]) }
        return SigV4Credential(accessKey: accessKey, date: tail[0], region: tail[1], service: tail[2])
    }

    /// The AWS wording of a problem, after the caller's prefix.
    static func message(for problem: Problem) -> String {
        switch problem {
        case .malformed:
            return "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"."
        case .service(let service):
            return "incorrect service \"\(service)\". This endpoint belongs to \"s3\"."
        case .terminal(let terminal):
            return "incorrect terminal \"\(terminal)\". This endpoint uses \"aws4_request\"."
        }
    }
}
