import HTTPTypes
import Hummingbird
import MagpieCore
import NIOCore
import S3Protocol

/// Response builders shared by the S3 handlers.
enum S3Response {
    static func xml(_ writer: XMLWriter, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/xml"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: writer.output)))
    }

    static func empty(_ status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        if headers[.contentLength] == nil { headers[.contentLength] = "0" }
        return Response(status: status, headers: headers, body: ResponseBody())
    }

    /// S3 error XML (no body for HEAD, as S3 does).
    static func error(_ error: MagpieError, requestId: String, isHead: Bool, resource: String?) -> Response {
        let entry = S3ErrorTable.entry(for: error.code)
        let status = HTTPResponse.Status(code: entry.status)
        var headers: HTTPFields = [:]
        for (name, value) in error.headers { headers[named: name] = value }
        if error.code == .invalidRange, let size = error.details.first(where: { $0.0 == "ActualObjectSize" })?.1 {
            headers[.contentRange] = "bytes */\(size)"
        }
        if isHead || status == .notModified { return empty(status, headers: headers) }
        var writer = XMLWriter()
        writer.element("Error") { xml in
            xml.element("Code", error.code.rawValue)
            xml.element("Message", S3ErrorTable.message(for: error))
            for (name, value) in error.details { xml.element(name, value) }
            if let resource { xml.element("Resource", resource) }
            xml.element("RequestId", requestId)
            xml.element("HostId", requestId)
        }
        return xml(writer, status: status, headers: headers)
    }
}

extension HTTPField.Name {
    static let amzRequestId = Self("x-amz-request-id")!
    static let amzId2 = Self("x-amz-id-2")!
    static let amzBucketRegion = Self("x-amz-bucket-region")!
    static let amzStorageClass = Self("x-amz-storage-class")!
    static let amzChecksumMode = Self("x-amz-checksum-mode")!
    static let amzContentSHA256 = Self("x-amz-content-sha256")!
}

extension HTTPFields {
    /// A header by its lowercase name (S3 header names are case-insensitive).
    subscript(named name: String) -> String? {
        get {
            guard let field = HTTPField.Name(name) else { return nil }
            return self[field]
        }
        set {
            guard let field = HTTPField.Name(name) else { return }
            self[field] = newValue
        }
    }
}
