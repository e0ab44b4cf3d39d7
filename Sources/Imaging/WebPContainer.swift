/// The RIFF container of a WebP file (RFC 9649 §2.7): a `VP8X` header chunk whose flags announce
/// optional `ICCP`, `EXIF` and `XMP ` chunks beside the image data.
enum WebPContainer {
    /// The same file without `EXIF` and `XMP ` chunks (and their VP8X flags). Anything that does
    /// not parse as a WebP RIFF container is returned unchanged.
    static func removingMetadata(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WEBP".utf8) else {
            return bytes
        }
        var output: [UInt8] = Array(bytes[0..<12])
        var offset = 12
        var removed = false
        while offset + 8 <= bytes.count {
            let fourCC = String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
            let size = Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16 | Int(bytes[offset + 7]) << 24
            let end = offset + 8 + size + (size & 1)
            guard end <= bytes.count || (end == bytes.count + 1 && size & 1 == 1) else { return bytes }
            let chunk = bytes[offset..<min(end, bytes.count)]
            if fourCC == "EXIF" || fourCC == "XMP " {
                removed = true
            } else {
                output.append(contentsOf: chunk)
            }
            offset = end
        }
        guard removed else { return bytes }
        // VP8X flags: bit 3 EXIF, bit 2 XMP.
        if output.count >= 21, output[12..<16].elementsEqual("VP8X".utf8) { output[20] &= ~UInt8(0b0000_1100) }
        let riffSize = UInt32(output.count - 8)
        for index in 0..<4 { output[4 + index] = UInt8((riffSize >> (8 * UInt32(index))) & 0xFF) }
        return output
    }
}
