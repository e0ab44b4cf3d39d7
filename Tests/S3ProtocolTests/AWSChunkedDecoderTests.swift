import Foundation
import MagpieCore
import NIOCore
import Testing

@testable import S3Protocol

/// Drives an `AWSChunkedDecoder` with a body cut at the given positions.
enum ChunkedHarness {
    struct Result: Equatable {
        var payload: [UInt8]
        var trailers: [String]
    }

    static func decode(_ wire: [UInt8], mode: AWSChunkedDecoder.Mode, cuts: [Int] = [], maxChunkSize: Int = 16 << 20) throws -> Result {
        var decoder = AWSChunkedDecoder(mode: mode, maxChunkSize: maxChunkSize)
        var payload: [UInt8] = []
        var start = 0
        for end in cuts + [wire.count] where end >= start {
            for slice in try decoder.feed(ByteBuffer(bytes: wire[start..<end])) {
                payload += slice.readableBytesView
            }
            start = end
        }
        try decoder.finish()
        return Result(payload: payload, trailers: decoder.trailers.map { "\($0.name):\($0.value)" })
    }

    /// Decodes `wire` whole, one byte at a time, and cut in two at every position (or at `twoWayCuts`),
    /// checking every run gives the same result; returns it.
    static func decodeEverySplit(_ wire: [UInt8], mode: AWSChunkedDecoder.Mode, twoWayCuts: [Int]? = nil) throws -> Result {
        let whole = try decode(wire, mode: mode)
        #expect(try decode(wire, mode: mode, cuts: Array(0...wire.count)) == whole)
        for cut in twoWayCuts ?? Array(0...wire.count) {
            #expect(try decode(wire, mode: mode, cuts: [cut]) == whole, "cut at \(cut)")
        }
        return whole
    }

    static func code(_ wire: [UInt8], mode: AWSChunkedDecoder.Mode, maxChunkSize: Int = 16 << 20) -> MagpieError.Code? {
        AuthFixture.errorCode { try decode(wire, mode: mode, maxChunkSize: maxChunkSize) }
    }
}

@Suite("aws-chunked decoding")
struct AWSChunkedDecoderTests {
    static let seed = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    /// Chunk signatures computed independently with Python's hmac/hashlib over this seed.
    static let signedContext = ChunkSigningContext(
        secretKey: AuthFixture.awsSecret, timestamp: "20240102T030405Z", region: "eu-west-3", seedSignature: seed)
    static let signedBody = Array(
        "7;chunk-signature=8b6c0cc37bb9837fc81a5acc4df24a1acf5acaf41fdf7d83776e5efdf1a444eb\r\nHello, \r\n7;chunk-signature=13f82c7be6b6fd485d3962bd2f90cd014fcd2fa84b3c836ac394cd5335516272\r\nsigned \r\n6;chunk-signature=0b07a64617b1c59bdd2e53d54458b0a2557410ec3c541b4d57b37332666aaba0\r\nworld!\r\n0;chunk-signature=051ba670145e2169faaf07865807cb078a85e61651258b3641b00b3cb975eb03\r\n\r\n"
            .utf8)
    static let signedTrailerBody = Array(
        "7;chunk-signature=8b6c0cc37bb9837fc81a5acc4df24a1acf5acaf41fdf7d83776e5efdf1a444eb\r\nHello, \r\nd;chunk-signature=b1b044ae2d94de32605bc21fb29c79d6576b35b08a5522d625459c3ac8e341bb\r\nsigned world!\r\n0;chunk-signature=b22db284900a6bec703496bcb0ec0e04ea707e2706a2a653107139baef9c2bf2\r\nx-amz-checksum-crc32:abcdAA==\r\nx-amz-trailer-signature:5997df1baefd55fc0ca88532f7f81fe7658e474ae66561dbd8be426367d54bde\r\n\r\n"
            .utf8)

    /// Exactly what botocore 1.43's `AwsChunkedWrapper` writes (`STREAMING-UNSIGNED-PAYLOAD-TRAILER`, CRC32).
    static let botocoreBodies: [(String, String, String)] = [
        (
            "The quick brown fox jumps over the lazy dog", "x-amz-checksum-crc32:QU+jOQ==",
            "10\r\nThe quick brown \r\n10\r\nfox jumps over t\r\nb\r\nhe lazy dog\r\n0\r\nx-amz-checksum-crc32:QU+jOQ==\r\n\r\n"
        ),
        ("", "x-amz-checksum-crc32:AAAAAA==", "0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"),
        ("hello world, chunked", "x-amz-checksum-crc32:GWlgsQ==", "14\r\nhello world, chunked\r\n0\r\nx-amz-checksum-crc32:GWlgsQ==\r\n\r\n"),
    ]

    /// The whole request boto3 sent for `put_object(Body=io.BytesIO(...))` over HTTPS, captured before sending.
    static let botocoreRequest =
        WireRequest(
            "chunked", "PUT", "/bucket/k", "",
            [
                ("Host", "s3.example.test"),
                ("Expect", "100-continue"),
                ("Transfer-Encoding", "chunked"),
                ("Content-Encoding", "aws-chunked"),
                ("X-Amz-Trailer", "x-amz-checksum-crc32"),
                ("X-Amz-Decoded-Content-Length", "20"),
                ("x-amz-sdk-checksum-algorithm", "CRC32"),
                ("X-Amz-Date", "20240102T030405Z"),
                ("X-Amz-Content-SHA256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
                (
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/eu-west-3/s3/aws4_request, SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-sdk-checksum-algorithm;x-amz-trailer, Signature=c3b04e1d26666c94bb0a0e55827fc3dbba48355a5585a01be87fa94caec75f02"
                ),
            ], body: "14\r\nhello world, chunked\r\n0\r\nx-amz-checksum-crc32:GWlgsQ==\r\n\r\n"
        )

    @Test("botocore's unsigned-trailer framing decodes in every split", arguments: botocoreBodies)
    func botocoreUnsignedTrailer(_ payload: String, _ trailer: String, _ wire: String) throws {
        for trailerLine in [true, false] {
            // botocore always ends with an empty line; other clients omit it: both are accepted.
            let bytes = Array(wire.utf8).dropLast(trailerLine ? 0 : 2)
            let result = try ChunkedHarness.decodeEverySplit(Array(bytes), mode: .unsigned(trailer: true))
            #expect(result == .init(payload: Array(payload.utf8), trailers: [trailer]))
        }
    }

    @Test("a boto3 STREAMING-UNSIGNED-PAYLOAD-TRAILER upload authenticates and decodes")
    func botocoreUpload() throws {
        let request = Self.botocoreRequest
        let mode = try AuthFixture.authenticate(request.signable, secret: AuthFixture.botoSecret, now: AuthFixture.botoTime)
        #expect(mode == .streamingUnsigned)
        let decoderMode = try #require(AWSChunkedDecoder.Mode(mode))
        let result = try ChunkedHarness.decode(Array(request.body.utf8), mode: decoderMode)
        #expect(result == .init(payload: Array("hello world, chunked".utf8), trailers: ["x-amz-checksum-crc32:GWlgsQ=="]))
    }

    @Test("signed chunks decode in every split")
    func signedEverySplit() throws {
        let result = try ChunkedHarness.decodeEverySplit(Self.signedBody, mode: .signed(Self.signedContext, trailer: false))
        #expect(result == .init(payload: Array("Hello, signed world!".utf8), trailers: []))
        let trailed = try ChunkedHarness.decodeEverySplit(Self.signedTrailerBody, mode: .signed(Self.signedContext, trailer: true))
        #expect(trailed == .init(payload: Array("Hello, signed world!".utf8), trailers: ["x-amz-checksum-crc32:abcdAA=="]))
    }

    @Test("every truncation is IncompleteBody, except a missing final empty line")
    func truncated() {
        let cases: [([UInt8], AWSChunkedDecoder.Mode)] = [
            (Self.signedBody, .signed(Self.signedContext, trailer: false)),
            (Self.signedTrailerBody, .signed(Self.signedContext, trailer: true)),
            (Array(Self.botocoreBodies[0].2.utf8), .unsigned(trailer: true)),
        ]
        for (wire, mode) in cases {
            for length in 0..<wire.count {
                let expected: MagpieError.Code? = length == wire.count - 2 ? nil : .incompleteBody
                #expect(ChunkedHarness.code(Array(wire.prefix(length)), mode: mode) == expected, "length \(length)")
            }
        }
    }

    @Test("any flipped byte in data or signatures is SignatureDoesNotMatch")
    func flipped() {
        let mode = AWSChunkedDecoder.Mode.signed(Self.signedContext, trailer: true)
        let text = String(decoding: Self.signedTrailerBody, as: UTF8.self)
        for (original, replacement) in [
            ("Hello, ", "Hellp, "), ("signed world!", "signed world?"), ("8b6c0cc3", "8b6c0cc4"), ("b22db284", "b22db285"),
            ("abcdAA==", "abcdAB=="), ("5997df1b", "5997df1c"), (";chunk-signature=b1b0", ";chunk-signaturf=b1b0"),
        ] {
            let wire = Array(text.replacingOccurrences(of: original, with: replacement).utf8)
            #expect(ChunkedHarness.code(wire, mode: mode) == .signatureDoesNotMatch, "\(original) → \(replacement)")
        }
        let wrongKey = ChunkSigningContext(secretKey: "other", timestamp: "20240102T030405Z", region: "eu-west-3", seedSignature: Self.seed)
        #expect(ChunkedHarness.code(Self.signedBody, mode: .signed(wrongKey, trailer: false)) == .signatureDoesNotMatch)
    }

    @Test("reordered chunks and a missing trailer signature are SignatureDoesNotMatch")
    func chain() {
        let text = String(decoding: Self.signedBody, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n")
        let swapped = ([parts[2], parts[3], parts[0], parts[1]] + parts[4...]).joined(separator: "\r\n")
        #expect(ChunkedHarness.code(Array(swapped.utf8), mode: .signed(Self.signedContext, trailer: false)) == .signatureDoesNotMatch)
        let unsignedTrailer = String(decoding: Self.signedTrailerBody, as: UTF8.self)
            .replacing(#/x-amz-trailer-signature:[0-9a-f]+\r\n/#, with: "")
        #expect(ChunkedHarness.code(Array(unsignedTrailer.utf8), mode: .signed(Self.signedContext, trailer: true)) == .signatureDoesNotMatch)
    }

    @Test(
        "malformed framing is InvalidRequest",
        arguments: [
            "zz\r\nhello\r\n0\r\n\r\n", "\r\n0\r\n\r\n", "5 \r\nhello\r\n0\r\n\r\n", "-5\r\nhello\r\n0\r\n\r\n",
            "5\r\nhelloXX0\r\n\r\n", "5\r\nhello\r0\r\n\r\n", "5\nhello\r\n0\r\n\r\n", "5\r\nhello\r\n0\r\n\r\nextra",
            "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n", "11111111111111111\r\n",
            String(repeating: "0", count: 5000) + "\r\n",
        ])
    func malformed(_ wire: String) {
        #expect(ChunkedHarness.code(Array(wire.utf8), mode: .unsigned(trailer: false)) == .invalidRequest)
    }

    @Test("malformed trailers are InvalidRequest")
    func malformedTrailers() {
        for wire in ["0\r\nno-colon\r\n\r\n", "0\r\n:value\r\n\r\n", "0\r\n" + String(repeating: "x-a:1\r\n", count: 40) + "\r\n"] {
            #expect(ChunkedHarness.code(Array(wire.utf8), mode: .unsigned(trailer: true)) == .invalidRequest)
        }
    }

    @Test("a chunk larger than maxChunkSize is refused before its data is read")
    func oversized() throws {
        let wire = Array("7\r\nHello, \r\n0\r\n\r\n".utf8)
        #expect(ChunkedHarness.code(wire, mode: .unsigned(trailer: false), maxChunkSize: 6) == .invalidRequest)
        #expect(try ChunkedHarness.decode(wire, mode: .unsigned(trailer: false), maxChunkSize: 7).payload == Array("Hello, ".utf8))
        var decoder = AWSChunkedDecoder(mode: .unsigned(trailer: false), maxChunkSize: 1 << 20)
        #expect(throws: MagpieError.self) { try decoder.feed(ByteBuffer(string: "ffffffffffff\r\n")) }
    }

    @Test("payload slices stream out before the chunk is complete")
    func streaming() throws {
        var decoder = AWSChunkedDecoder(mode: .signed(Self.signedContext, trailer: false))
        let first = try decoder.feed(ByteBuffer(bytes: Self.signedBody.prefix(87)))
        #expect(first.map { String(buffer: $0) } == ["Hel"])
    }
}

@Suite("aws-chunked: AWS documentation examples")
struct AWSChunkedDocumentationTests {
    static let data = [UInt8](repeating: UInt8(ascii: "a"), count: 66560)

    static func body(_ signatures: [String], trailer: String) -> [UInt8] {
        Array("10000;chunk-signature=\(signatures[0])\r\n".utf8) + data[..<65536] + Array("\r\n400;chunk-signature=\(signatures[1])\r\n".utf8)
            + data[65536...] + Array("\r\n0;chunk-signature=\(signatures[2])\r\n\(trailer)\r\n".utf8)
    }

    /// Cut positions: every byte of the framing around each chunk boundary, and a stride through the data.
    static func cuts(_ count: Int) -> [Int] {
        let boundaries = [0, 88 + 65536, 88 + 65536 + 2 + 86 + 1024]
        return Array(Set(boundaries.flatMap { ($0 - 4)...($0 + 100) }.filter { $0 >= 0 && $0 <= count } + Array(stride(from: 0, to: count, by: 997))))
            .sorted()
    }

    /// "Transferring Payload in Multiple Chunks": the seed request, then three chunk signatures.
    @Test("the chunked upload example authenticates and its chunks verify")
    func chunkedUpload() throws {
        let request = WireRequest(
            "PUT chunkObject.txt", "PUT", "/examplebucket/chunkObject.txt", "",
            [
                ("Host", "s3.amazonaws.com"), ("x-amz-date", "20130524T000000Z"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
                ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"), ("Content-Encoding", "aws-chunked"),
                ("x-amz-decoded-content-length", "66560"), ("Content-Length", "66824"),
                (
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
                ),
            ])
        let mode = try AuthFixture.authenticate(request.signable, secret: AuthFixture.awsSecret, now: AuthFixture.awsExampleTime)
        guard case .streamingSigned(let context, trailer: false) = mode else {
            Issue.record("unexpected mode \(mode)")
            return
        }
        #expect(context.seedSignature == "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")
        let wire = Self.body(
            [
                "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
                "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
                "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
            ], trailer: "")
        #expect(wire.count == 66824)
        let result = try ChunkedHarness.decodeEverySplit(wire, mode: .signed(context, trailer: false), twoWayCuts: Self.cuts(wire.count))
        #expect(result.payload == Self.data)
        var flipped = wire
        flipped[40_000] = UInt8(ascii: "b")
        #expect(ChunkedHarness.code(flipped, mode: .signed(context, trailer: false)) == .signatureDoesNotMatch)
    }

    /// "Signature calculations for trailing headers": CRC32C trailer signed after the last chunk.
    @Test("the trailing-header example authenticates and its trailer verifies")
    func trailingHeaders() throws {
        let request = WireRequest(
            "PUT chunkObject.txt with trailer", "PUT", "/examplebucket/chunkObject.txt", "",
            [
                ("Host", "s3.amazonaws.com"), ("x-amz-date", "20130524T000000Z"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
                ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"), ("Content-Encoding", "aws-chunked"),
                ("x-amz-decoded-content-length", "66560"), ("x-amz-trailer", "x-amz-checksum-crc32c"), ("Content-Length", "66824"),
                (
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer,Signature=106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"
                ),
            ])
        let mode = try AuthFixture.authenticate(request.signable, secret: AuthFixture.awsSecret, now: AuthFixture.awsExampleTime)
        guard case .streamingSigned(let context, trailer: true) = mode else {
            Issue.record("unexpected mode \(mode)")
            return
        }
        let signatures = [
            "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
            "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
            "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
        ]
        let trailer = "x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n"
        let wire = Self.body(signatures, trailer: trailer)
        let result = try ChunkedHarness.decodeEverySplit(wire, mode: .signed(context, trailer: true), twoWayCuts: Self.cuts(wire.count))
        #expect(result == .init(payload: Self.data, trailers: ["x-amz-checksum-crc32c:sOO8/Q=="]))
        // As the documentation shows it, without the final empty line.
        #expect(try ChunkedHarness.decode(Array(wire.dropLast(2)), mode: .signed(context, trailer: true)).payload == Self.data)
        let forged = Self.body(signatures, trailer: trailer.replacingOccurrences(of: "sOO8/Q==", with: "AAAAAA=="))
        #expect(ChunkedHarness.code(forged, mode: .signed(context, trailer: true)) == .signatureDoesNotMatch)
    }
}
