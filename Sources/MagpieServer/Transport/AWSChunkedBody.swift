import NIOCore
import S3Protocol
import Synchronization

/// Holds the trailing headers of an aws-chunked body once the body has been read to its end.
final class TrailerBox: Sendable {
    private let storage = Mutex<[(name: String, value: String)]>([])
    var trailers: [(name: String, value: String)] { storage.withLock { $0 } }
    func set(_ value: [(name: String, value: String)]) { storage.withLock { $0 = value } }
}

/// The decoded payload of an aws-chunked request body, pulled through `AWSChunkedDecoder` as the
/// transport delivers bytes (backpressure preserved: nothing is read ahead).
struct AWSChunkedBody<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer
    let base: Base
    let mode: AWSChunkedDecoder.Mode
    let trailers: TrailerBox

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        var decoder: AWSChunkedDecoder
        var pending: [ByteBuffer] = []
        var finished = false
        let trailers: TrailerBox

        mutating func next() async throws -> ByteBuffer? {
            while pending.isEmpty {
                guard !finished else { return nil }
                if let wire = try await base.next() {
                    pending = try decoder.feed(wire).filter { $0.readableBytes > 0 }.reversed()
                } else {
                    try decoder.finish()
                    trailers.set(decoder.trailers)
                    finished = true
                    return nil
                }
            }
            return pending.removeLast()
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), decoder: AWSChunkedDecoder(mode: mode), trailers: trailers)
    }
}
