import Hummingbird
import MagpieCore
import NIOCore
import S3Protocol

/// Pulls multipart/form-data events from a request body on demand, so that the fields before the
/// file, the file bytes and the rest of the form are read by one task, in order, with backpressure.
/// Used by one task only (the POST handler), hence a plain class.
final class FormReader {
    var body: CountingBody<RequestBody>.AsyncIterator
    var parser: FormDataParser
    var pending: [FormDataParser.Event] = []
    var finished = false

    init(body: CountingBody<RequestBody>, boundary: String) {
        self.body = body.makeAsyncIterator()
        self.parser = FormDataParser(boundary: boundary)
    }

    func next() async throws -> FormDataParser.Event? {
        while pending.isEmpty {
            guard !finished else { return nil }
            if let chunk = try await body.next() {
                pending = try parser.feed(chunk).reversed()
            } else {
                try parser.finish()
                finished = true
                return nil
            }
        }
        return pending.removeLast()
    }
}

/// The file part of a POST form as a byte sequence. At the end of the file it reads the rest of the
/// form to its closing boundary and applies the final size check, so a malformed or out-of-policy
/// form fails before the object is committed.
struct FormFileBody: AsyncSequence {
    typealias Element = ByteBuffer
    let reader: FormReader
    let policy: PostPolicy?

    struct AsyncIterator: AsyncIteratorProtocol {
        let reader: FormReader
        let policy: PostPolicy?
        var size: Int64 = 0
        var done = false

        mutating func next() async throws -> ByteBuffer? {
            guard !done else { return nil }
            while let event = try await reader.next() {
                switch event {
                case .fileData(let bytes):
                    size += Int64(bytes.readableBytes)
                    try policy?.checkContentLength(size, complete: false)
                    return bytes
                case .fileEnd:
                    done = true
                    while try await reader.next() != nil {}  // fields after the file are ignored; the form must end properly
                    try policy?.checkContentLength(size)
                    return nil
                default:
                    continue
                }
            }
            throw PostError.malformed
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(reader: reader, policy: policy) }
}
