import NIOCore

/// Finds a multipart delimiter in buffered bytes, reporting how much can be passed on safely.
enum DelimiterScan {
    /// The first occurrence of `delimiter` in `buffer`'s readable bytes: `found` with the offset of
    /// its first byte; or not found, with the offset of a trailing partial match (bytes that may yet
    /// become the delimiter when more arrive), or the whole length when there is none.
    static func locate(_ delimiter: [UInt8], in buffer: ByteBuffer) -> (offset: Int, found: Bool) {
        buffer.withUnsafeReadableBytes { bytes in
            delimiter.withUnsafeBufferPointer { pattern in
                let count = bytes.count
                let length = pattern.count
                let first = pattern[0]
                var index = 0
                while index < count {
                    if bytes[index] == first {
                        var matched = 1
                        while matched < length, index + matched < count, bytes[index + matched] == pattern[matched] { matched += 1 }
                        if matched == length { return (index, true) }
                        // Every byte to the end matched: a later start could not fit a whole delimiter either.
                        if index + matched == count { return (index, false) }
                    }
                    index += 1
                }
                return (count, false)
            }
        }
    }
}
