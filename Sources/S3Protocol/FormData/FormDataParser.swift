import MagpieCore
import NIOCore

/// A streaming `multipart/form-data` parser (RFC 7578 over RFC 2046 §5.1) for POST Object.
///
/// Fed the body in buffers split anywhere, it returns what each completed: whole fields (bounded),
/// and the part named `file` as a stream of slices of the input, never collected. At most a
/// delimiter's length of bytes is held back between feeds, for a boundary split across them.
///
/// S3's rules are built in: the file is the `form-data` part named `file` (case-insensitively),
/// whatever its `filename`; parts after it are only reported, never read; everything before the file
/// (boundaries, headers and values) is limited to `maxFieldBytes`, S3's 20 KB.
///
/// ```swift
/// var parser = FormDataParser(boundary: try FormDataParser.boundary(fromContentType: contentType))
/// for try await chunk in body { for event in try parser.feed(chunk) { … } }
/// try parser.finish()
/// ```
public struct FormDataParser: Sendable {
    /// What the body held, in order.
    public enum Event: Sendable, Equatable {
        /// A complete field before the file, name as sent (match it case-insensitively).
        case field(name: String, value: String)
        /// The part named `file` begins; `filename` is nil when the part has no `filename` parameter.
        case fileStart(fieldName: String, filename: String?, contentType: String?)
        /// File bytes as they arrive, without the CRLF that belongs to the next boundary.
        case fileData(ByteBuffer)
        /// The file part is complete.
        case fileEnd
        /// A part after the file, which S3 ignores (its value is skipped unread). A second `file`
        /// part is reported here too.
        case fieldAfterFile(name: String)
        /// The closing boundary: the form is complete; anything after it is ignored.
        case end
    }

    enum State: Sendable, Equatable {
        case preamble
        /// Just after a delimiter: `--` closes the body, else optional padding and CRLF open a part.
        case boundaryLine
        case headers
        case body(Part)
        case epilogue
        case failed
    }

    enum Part: Sendable, Equatable {
        case field(String)
        case file
        case ignored
    }

    /// CRLF `--` boundary: RFC 2046 attaches the CRLF before a boundary to the boundary.
    let delimiter: [UInt8]
    let maxFieldBytes: Int
    let maxFields: Int
    var state = State.preamble
    /// Received, not yet consumed: never more than a delimiter (or a boundary line) between feeds.
    var pending: ByteBuffer
    /// The header block or field value being collected.
    var partBytes: [UInt8] = []
    var fieldCount = 0
    /// Bytes before the file data (S3 counts "the form data and boundaries").
    var preFileBytes = -2
    var fileSeen = false

    /// - Parameters:
    ///   - boundary: from `boundary(fromContentType:)`.
    ///   - maxFieldBytes: the most bytes before the file: boundaries, part headers and field values
    ///     together (S3: 20,480). A single value over it is refused as well, so memory stays bounded.
    ///   - maxFields: the most fields before the file.
    public init(boundary: String, maxFieldBytes: Int = 20 * 1024, maxFields: Int = 100) {
        self.delimiter = Array("\r\n--\(boundary)".utf8)
        self.maxFieldBytes = maxFieldBytes
        self.maxFields = maxFields
        // The first boundary may open the body with no CRLF before it: start as if one had come.
        self.pending = ByteBuffer(bytes: [0x0D, 0x0A])
    }

    /// Parses the next piece of the body. Throws `MalformedPOSTRequest` for a body that is not
    /// multipart/form-data, `MaxPostPreDataLengthExceeded` past the limits; after an error the parser
    /// only throws.
    public mutating func feed(_ buffer: ByteBuffer) throws -> [Event] {
        guard state != .failed else { throw PostError.malformed }
        guard state != .epilogue else { return [] }
        if pending.readableBytes == 0 {
            pending = buffer
        } else {
            var more = buffer
            pending.writeBuffer(&more)
        }
        var events: [Event] = []
        do {
            while try step(&events) {}
        } catch {
            state = .failed
            pending = ByteBuffer()
            throw error
        }
        // Keep the few undecided bytes in a buffer of their own, not the whole chunk they came in.
        pending = pending.readableBytes == 0 ? ByteBuffer() : ByteBuffer(bytes: pending.readableBytesView)
        return events
    }

    /// Declares the body complete; throws `MalformedPOSTRequest` if the closing boundary was not seen.
    public mutating func finish() throws {
        guard state == .epilogue else {
            state = .failed
            throw PostError.malformed
        }
    }
}
