import MagpieCore
import NIOCore

extension AWSChunkedDecoder {
    /// Accumulates bytes up to `\n`; returns the line without its line ending once complete.
    mutating func readLine(_ input: inout ByteBuffer) throws -> [UInt8]? {
        let view = input.readableBytesView
        let newline = view.firstIndex(of: UInt8(ascii: "\n"))
        let take = (newline.map { $0 - view.startIndex + 1 }) ?? view.count
        guard line.count + take <= Self.maxLineLength + 2 else { throw ChunkedError.malformed("line too long") }
        line.append(contentsOf: input.readBytes(length: take) ?? [])
        guard newline != nil else { return nil }
        var complete = line
        line.removeAll(keepingCapacity: true)
        complete.removeLast()
        if complete.last == UInt8(ascii: "\r") {
            complete.removeLast()
        } else if state == .chunkHeader {
            throw ChunkedError.malformed("expected CRLF after chunk size")
        }
        return complete
    }

    /// Parses `hex-size[;chunk-signature=sig]` and moves to the chunk's data.
    mutating func startChunk(_ header: [UInt8]) throws {
        let parts = header.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false)
        let sizeDigits = parts[0]
        guard !sizeDigits.isEmpty, sizeDigits.count <= 16 else { throw ChunkedError.malformed("invalid chunk size") }
        var size = 0
        for digit in sizeDigits {
            guard let value = Hex.value(digit) else { throw ChunkedError.malformed("invalid chunk size") }
            guard size <= (Int.max - Int(value)) / 16 else { throw ChunkedError.malformed("invalid chunk size") }
            size = size * 16 + Int(value)
        }
        guard size <= maxChunkSize else { throw ChunkedError.malformed("chunk size exceeds the maximum of \(maxChunkSize) bytes") }
        if chain != nil {
            let prefix = Array("chunk-signature=".utf8)
            let signature = parts.dropFirst().first { $0.starts(with: prefix) }.map { String(decoding: $0.dropFirst(prefix.count), as: UTF8.self) }
            guard let signature, AuthCrypto.isSHA256Hex(signature) else { throw ChunkedError.signatureDoesNotMatch }
            chain?.begin(claimed: signature.lowercased())
        }
        if size == 0 {
            try chain?.endChunk()
            state = .trailer
        } else {
            state = .chunkData(remaining: size)
        }
    }

    /// One line after the zero-length chunk: a trailer, the trailer signature, or the final empty line.
    mutating func handleTrailerLine(_ text: [UInt8]) throws {
        if text.isEmpty {
            if hasTrailer, chain != nil, !trailerSignatureSeen { throw ChunkedError.signatureDoesNotMatch }
            state = .done
            return
        }
        guard hasTrailer else { throw ChunkedError.malformed("expected CRLF after the final chunk") }
        guard !trailerSignatureSeen else { throw ChunkedError.malformed("trailer after x-amz-trailer-signature") }
        guard let colon = text.firstIndex(of: UInt8(ascii: ":")) else { throw ChunkedError.malformed("invalid trailer") }
        let name = AuthText.trim(String(decoding: text[..<colon], as: UTF8.self)).lowercased()
        let value = AuthText.trim(String(decoding: text[(colon + 1)...], as: UTF8.self))
        guard !name.isEmpty else { throw ChunkedError.malformed("invalid trailer") }
        if name == "x-amz-trailer-signature" {
            trailerSignatureSeen = true
            try chain?.verifyTrailer(signature: value)
            return
        }
        guard receivedTrailers.count < Self.maxTrailerLines else { throw ChunkedError.malformed("too many trailers") }
        chain?.updateTrailer(text)
        receivedTrailers.append((name, value))
    }
}
