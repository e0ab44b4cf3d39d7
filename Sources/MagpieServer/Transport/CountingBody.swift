import NIOCore
import Synchronization

/// Counts bytes as they pass, for the access log and byte metrics.
final class ByteCounter: Sendable {
    private let value = Atomic<Int64>(0)
    func add(_ count: Int) { value.add(Int64(count), ordering: .relaxed) }
    var total: Int64 { value.load(ordering: .relaxed) }
}

struct CountingBody<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer
    let base: Base
    let counter: ByteCounter

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let counter: ByteCounter
        mutating func next() async throws -> ByteBuffer? {
            let chunk = try await base.next()
            if let chunk { counter.add(chunk.readableBytes) }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), counter: counter) }
}
