import Foundation
import MagpieCore
import NIOCore
import Testing

@testable import S3Protocol

/// Drives a `FormDataParser` over a body cut at given positions, merging file data for comparison.
enum FormHarness {
    typealias Event = FormDataParser.Event

    static func parse(
        _ body: [UInt8], boundary: String, cuts: [Int] = [], maxFieldBytes: Int = 20 * 1024, maxFields: Int = 100
    )
        throws -> [Event]
    {
        var parser = FormDataParser(boundary: boundary, maxFieldBytes: maxFieldBytes, maxFields: maxFields)
        var events: [Event] = []
        var start = 0
        for end in cuts + [body.count] where end >= start {
            events += try parser.feed(ByteBuffer(bytes: body[start..<end]))
            start = end
        }
        try parser.finish()
        return coalesced(events)
    }

    /// Consecutive `fileData` events merged into one, so splits can be compared.
    static func coalesced(_ events: [Event]) -> [Event] {
        var out: [Event] = []
        for event in events {
            if case .fileData(var next) = event, case .fileData(var merged)? = out.last {
                merged.writeBuffer(&next)
                out[out.count - 1] = .fileData(merged)
            } else {
                out.append(event)
            }
        }
        return out
    }

    /// Parses whole, one byte at a time and cut in two everywhere; every run must agree.
    static func parseEverySplit(_ body: [UInt8], boundary: String) throws -> [Event] {
        let whole = try parse(body, boundary: boundary)
        #expect(try parse(body, boundary: boundary, cuts: Array(0...body.count)) == whole)
        for cut in 0...body.count {
            #expect(try parse(body, boundary: boundary, cuts: [cut]) == whole, "cut at \(cut)")
        }
        return whole
    }

    static func error(_ body: () throws -> Any?) -> MagpieError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? MagpieError
        }
    }

    static func file(_ text: String) -> Event { .fileData(ByteBuffer(string: text)) }
}

@Suite("multipart/form-data parsing")
struct FormDataParserTests {
    typealias Event = FormDataParser.Event
    static let boundary = "9b1b9d4d3b0c4f6c8e2f0a7d5c3b1e0f"
    /// File content that looks like boundaries without being one: a delimiter missing its last
    /// character, a full `--boundary` in mid-line, a CRLF `--` and a lone CR at the very end.
    static let fileContent =
        "hello\r\n--9b1b9d4d3b0c4f6c8e2f0a7d5c3b1e0\r\nsee --9b1b9d4d3b0c4f6c8e2f0a7d5c3b1e0f mid-line\r\n\r\n--\r"

    /// Exactly what Python `requests` 2.34 (urllib3 2.7) sends for
    /// `data={"key": "uploads/${filename}", "Content-Type": "text/plain", "x-amz-meta-tag": ""},
    /// files={"file": ("notes.txt", fileContent, "text/plain")}`, boundary fixed.
    static let requestsBody = Array(
        ("--9b1b9d4d3b0c4f6c8e2f0a7d5c3b1e0f\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nuploads/${filename}\r\n"
            + "--9b1b9d4d3b0c4f6c8e2f0a7d5c3b1e0f\r\nContent-Disposition: form-data; name=\"Content-Type\"\r\n\r\ntext/plain\r\n"
            + "--9b1b9d4d3b0c4f6c8e2f0a7d5c3b1e0f\r\nContent-Disposition: form-data; name=\"x-amz-meta-tag\"\r\n\r\n\r\n"
            + "--9b1b9d4d3b0c4f6c8e2f0a7d5c3b1e0f\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\n"
            + "Content-Type: text/plain\r\n\r\nhello\r\n--9b1b9d4d3b0c4f6c8e2f0a7d5c3b1e0\r\n"
            + "see --9b1b9d4d3b0c4f6c8e2f0a7d5c3b1e0f mid-line\r\n\r\n--\r\r\n--9b1b9d4d3b0c4f6c8e2f0a7d5c3b1e0f--\r\n").utf8)

    static let requestsEvents: [Event] = [
        .field(name: "key", value: "uploads/${filename}"),
        .field(name: "Content-Type", value: "text/plain"),
        .field(name: "x-amz-meta-tag", value: ""),
        .fileStart(fieldName: "file", filename: "notes.txt", contentType: "text/plain"),
        FormHarness.file(fileContent),
        .fileEnd,
        .end,
    ]

    static func body(_ parts: [String], boundary: String = boundary, close: String = "--\r\n") -> [UInt8] {
        Array((parts.map { "--\(boundary)\r\n\($0)\r\n" }.joined() + "--\(boundary)\(close)").utf8)
    }

    static func field(_ name: String, _ value: String) -> String {
        "Content-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)"
    }

    @Test("a body from Python requests, whole, byte by byte and cut in two anywhere")
    func requestsBodyEverySplit() throws {
        #expect(try FormHarness.parseEverySplit(Self.requestsBody, boundary: Self.boundary) == Self.requestsEvents)
    }

    @Test("binary file data in random chunks comes out byte for byte, and promptly")
    func binaryFile() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        let tricky = Array("\r\n--\(Self.boundary.dropLast())\r\r\n-".utf8)
        var content: [UInt8] = []
        while content.count < 200_000 {
            content += next() % 5 == 0 ? tricky : (0..<Int(next() % 300)).map { _ in UInt8(truncatingIfNeeded: next()) }
        }
        let head = Array("--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n".utf8)
        let body = head + content + Array("\r\n--\(Self.boundary)--".utf8)
        for _ in 0..<20 {
            var cuts: [Int] = []
            var position = 0
            while position < body.count {
                position += Int(next() % 20_000) + 1
                cuts.append(min(position, body.count))
            }
            let events = try FormHarness.parse(body, boundary: Self.boundary, cuts: cuts)
            #expect(events.count == 4)
            #expect(events[1] == .fileData(ByteBuffer(bytes: content)))
        }
        // A large chunk of file data is passed on in the same call, less at most a delimiter's length.
        var parser = FormDataParser(boundary: Self.boundary)
        _ = try parser.feed(ByteBuffer(bytes: head))
        let chunk = [UInt8](repeating: 0x41, count: 65_536) + [0x0D, 0x0A, 0x2D]
        let passed = try parser.feed(ByteBuffer(bytes: chunk)).reduce(0) { total, event in
            if case .fileData(let data) = event { return total + data.readableBytes }
            return total
        }
        #expect(passed == 65_536)
    }

    @Test("a body without its closing boundary is malformed")
    func missingClose() {
        for cut in [0, 40, Self.requestsBody.count - 40, Self.requestsBody.count - 3] {
            let error = FormHarness.error { try FormHarness.parse(Array(Self.requestsBody[..<cut]), boundary: Self.boundary) }
            #expect(error?.code == .malformedPOSTRequest, "cut at \(cut)")
            #expect(error?.message == "The body of your POST request is not well-formed multipart/form-data.")
        }
    }

    @Test("parts after the file are reported by name, their values skipped")
    func fieldAfterFile() throws {
        let body = Self.body([
            Self.field("key", "a.txt"),
            "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nabc",
            Self.field("submit", "Upload to Amazon S3"),
            "Content-Disposition: form-data; name=\"file\"; filename=\"b.txt\"\r\n\r\nsecond",
        ])
        #expect(
            try FormHarness.parseEverySplit(body, boundary: Self.boundary) == [
                .field(name: "key", value: "a.txt"), .fileStart(fieldName: "file", filename: "a.txt", contentType: nil),
                FormHarness.file("abc"), .fileEnd, .fieldAfterFile(name: "submit"), .fieldAfterFile(name: "file"), .end,
            ])
    }

    @Test("everything before the file is limited like S3's 20 KB: one value or many")
    func oversizedFields() {
        let big = Self.body([Self.field("x-amz-meta-big", String(repeating: "a", count: 20_481))])
        let error = FormHarness.error { try FormHarness.parse(big, boundary: Self.boundary) }
        #expect(error?.code == .maxPostPreDataLengthExceeded)
        #expect(error?.details.first?.1 == "20480")
        let many = Self.body((0..<30).map { Self.field("x-amz-meta-\($0)", String(repeating: "b", count: 700)) })
        #expect(FormHarness.error { try FormHarness.parse(many, boundary: Self.boundary) }?.code == .maxPostPreDataLengthExceeded)
        #expect(FormHarness.error { try FormHarness.parse(many, boundary: Self.boundary, maxFields: 10) }?.code == .maxPostPreDataLengthExceeded)
        // The file itself is not limited, nor what follows it.
        let file = Self.body([
            "Content-Disposition: form-data; name=\"file\"\r\n\r\n" + String(repeating: "c", count: 50_000),
            Self.field("late", String(repeating: "d", count: 50_000)),
        ])
        #expect(FormHarness.error { try FormHarness.parse(file, boundary: Self.boundary) } == nil)
    }

    @Test("a form without a file part parses; deciding it is an error is the caller's")
    func noFile() throws {
        let body = Self.body([Self.field("key", "k"), "Content-Disposition: form-data; name=\"notfile\"; filename=\"x.bin\"\r\n\r\nxyz"])
        #expect(
            try FormHarness.parseEverySplit(body, boundary: Self.boundary) == [
                .field(name: "key", value: "k"), .field(name: "notfile", value: "xyz"), .end,
            ])
    }

    @Test("preamble, transport padding, LWSP, capitalised names and epilogue")
    func tolerance() throws {
        let body = Array(
            ("This is the preamble.\r\n--\(Self.boundary)  \t\r\ncontent-disposition:   form-data;name=key\r\n\r\nk\r\n"
                + "--\(Self.boundary)\r\nX-Other: 1\r\nCONTENT-DISPOSITION: form-data; NAME=\"FILE\"; filename=\"C:\\dir\\a \\\"b\\\".txt\"\r\n"
                + "Content-Type: image/png\r\n\r\n\r\n\r\n--\(Self.boundary)--trailing\r\nepilogue --\(Self.boundary)\r\n").utf8)
        #expect(
            try FormHarness.parseEverySplit(body, boundary: Self.boundary) == [
                .field(name: "key", value: "k"), .fileStart(fieldName: "FILE", filename: "C:\\dir\\a \"b\".txt", contentType: "image/png"),
                FormHarness.file("\r\n"), .fileEnd, .end,
            ])
    }

    @Test("a file named so but not form-data counts as a field, as with S3")
    func fileDispositionIsNotTheFile() throws {
        let body = Self.body(["Content-Disposition: file; name=\"file\"\r\n\r\nabc"])
        #expect(try FormHarness.parse(body, boundary: Self.boundary) == [.field(name: "file", value: "abc"), .end])
    }

    @Test(
        "malformed bodies",
        arguments: [
            "--B\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--B--",
            "--B\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n--B--",
            "--B\r\nno colon here\r\n\r\nx\r\n--B--",
            "--Bjunk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--B--",
            "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--B",
            "no boundary at all",
        ])
    func malformed(_ text: String) {
        #expect(FormHarness.error { try FormHarness.parse(Array(text.utf8), boundary: "B") }?.code == .malformedPOSTRequest)
        #expect(
            FormHarness.error { try FormHarness.parse(Array(text.utf8), boundary: "B", cuts: Array(0...text.utf8.count)) }?.code
                == .malformedPOSTRequest)
    }

    @Test("after an error or the end, the parser stays put")
    func afterEnd() throws {
        var parser = FormDataParser(boundary: "B")
        #expect(try parser.feed(ByteBuffer(string: "--B--\r\n")) == [.end])
        #expect(try parser.feed(ByteBuffer(string: "--B\r\nanything")) == [])
        try parser.finish()
        var broken = FormDataParser(boundary: "B")
        #expect(throws: MagpieError.self) { try broken.feed(ByteBuffer(string: "--Bxy")) }
        #expect(throws: MagpieError.self) { try broken.feed(ByteBuffer(string: "--B--")) }
    }

    @Test(
        "boundary from Content-Type",
        arguments: [
            ("multipart/form-data; boundary=9b1b9d4d3b0c4f6c8e2f0a7d5c3b1e0f", "9b1b9d4d3b0c4f6c8e2f0a7d5c3b1e0f"),
            ("Multipart/Form-Data;boundary=\"----WebKitFormBoundary7MA4YWxkTrZu0gW\"", "----WebKitFormBoundary7MA4YWxkTrZu0gW"),
            ("multipart/form-data; charset=utf-8; BOUNDARY=\"a b;c\"", "a b;c"),
        ])
    func boundary(_ contentType: String, _ expected: String) throws {
        #expect(try FormDataParser.boundary(fromContentType: contentType) == expected)
    }

    @Test(
        "bad Content-Types",
        arguments: [
            ("text/html", MagpieError.Code.preconditionFailed), ("application/x-www-form-urlencoded", .preconditionFailed),
            ("multipart/form-data", .malformedPOSTRequest), ("multipart/form-data; boundary=", .malformedPOSTRequest),
            ("multipart/form-data; boundary=\"" + String(repeating: "x", count: 71) + "\"", .malformedPOSTRequest),
        ])
    func badContentType(_ contentType: String, _ code: MagpieError.Code) {
        #expect(FormHarness.error { try FormDataParser.boundary(fromContentType: contentType) }?.code == code)
    }
}
