extension FormDataParser {
    /// The boundary of a `multipart/form-data; boundary=…` Content-Type, quoted or not.
    ///
    /// Throws S3's 412 `PreconditionFailed` ("Bucket POST must be of the enclosure-type
    /// multipart/form-data") for another type, and `MalformedPOSTRequest` when the boundary is
    /// missing or not 1 to 70 characters (RFC 2046 §5.1.1).
    public static func boundary(fromContentType contentType: String) throws -> String {
        let (type, parameters) = HeaderParameters.parse(contentType)
        guard type == "multipart/form-data" else { throw PostError.notMultipart }
        guard let boundary = parameters["boundary"], (1...70).contains(boundary.utf8.count), boundary.last != " " else {
            throw PostError.malformed
        }
        return boundary
    }
}
