/// The headers of one part of a form: its `Content-Disposition` name and filename, its `Content-Type`.
struct FormPartHeaders: Sendable, Equatable {
    var name: String
    var filename: String?
    var contentType: String?
    /// Whether the disposition type is `form-data`: only such a part named `file` is the file to S3.
    var isFormData: Bool

    /// Parses a header block ending in its blank line. Every part must name itself (RFC 7578 §4.2);
    /// headers other than the two are ignored (§4.8), and folded lines are unfolded.
    static func parse(_ block: [UInt8]) throws -> FormPartHeaders {
        var lines: [[UInt8]] = []
        for var line in block.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init) {
            if line.last == 0x0D { line.removeLast() }
            guard !line.isEmpty else { continue }
            if let first = line.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t"), !lines.isEmpty {
                lines[lines.count - 1] += line
            } else {
                lines.append(line)
            }
        }
        var disposition: (type: String, parameters: [String: String])?
        var contentType: String?
        for line in lines {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw PostError.malformed }
            let name = AuthText.trim(String(decoding: line[..<colon], as: UTF8.self)).lowercased()
            let value = AuthText.trim(String(decoding: line[(colon + 1)...], as: UTF8.self))
            switch name {
            case "content-disposition" where disposition == nil: disposition = HeaderParameters.parse(value)
            case "content-type" where contentType == nil: contentType = value
            default: break
            }
        }
        guard let disposition, let name = disposition.parameters["name"] else { throw PostError.malformed }
        return FormPartHeaders(
            name: name, filename: disposition.parameters["filename"], contentType: contentType, isFormData: disposition.type == "form-data")
    }
}
