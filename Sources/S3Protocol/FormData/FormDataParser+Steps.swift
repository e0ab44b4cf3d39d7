import MagpieCore
import NIOCore

extension FormDataParser {
    /// Advances by one state; false when more input is needed.
    mutating func step(_ events: inout [Event]) throws -> Bool {
        switch state {
        case .preamble:
            let scan = DelimiterScan.locate(delimiter, in: pending)
            try consume(scan.offset + (scan.found ? delimiter.count : 0))
            if scan.found { state = .boundaryLine }
            return scan.found
        case .boundaryLine:
            return try boundaryLine(&events)
        case .headers:
            return try headers(&events)
        case .body(let part):
            return try body(part, &events)
        case .epilogue, .failed:
            pending.moveReaderIndex(to: pending.writerIndex)
            return false
        }
    }

    /// After a delimiter: `--` ends the body; otherwise transport padding (spaces, tabs) and CRLF.
    private mutating func boundaryLine(_ events: inout [Event]) throws -> Bool {
        let view = pending.readableBytesView
        guard view.count >= 2 else { return false }
        if view.starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")]) {
            state = .epilogue
            events.append(.end)
            pending.moveReaderIndex(to: pending.writerIndex)
            return false
        }
        let padding = view.prefix(while: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }).count
        guard padding <= 64 else { throw PostError.malformed }
        let rest = view.dropFirst(padding)
        guard rest.count >= 2 else {
            if let first = rest.first, first != 0x0D { throw PostError.malformed }
            return false
        }
        guard rest.starts(with: [0x0D, 0x0A]) else { throw PostError.malformed }
        try consume(padding + 2)
        partBytes = []
        state = .headers
        return true
    }

    /// Collects a part's header block up to its blank line, then opens the part.
    private mutating func headers(_ events: inout [Event]) throws -> Bool {
        while let byte = pending.readInteger(as: UInt8.self) {
            partBytes.append(byte)
            if !fileSeen {
                try countPreFile(1)
            } else if partBytes.count > maxFieldBytes {
                throw PostError.malformed
            }
            let complete = partBytes == [0x0D, 0x0A] || partBytes.suffix(4).elementsEqual([0x0D, 0x0A, 0x0D, 0x0A])
            guard complete else { continue }
            let headers = try FormPartHeaders.parse(partBytes)
            partBytes = []
            try open(headers, &events)
            return true
        }
        return false
    }

    private mutating func open(_ headers: FormPartHeaders, _ events: inout [Event]) throws {
        if fileSeen {
            events.append(.fieldAfterFile(name: headers.name))
            state = .body(.ignored)
        } else if headers.isFormData, headers.name.lowercased() == "file" {
            fileSeen = true
            events.append(.fileStart(fieldName: headers.name, filename: headers.filename, contentType: headers.contentType))
            state = .body(.file)
        } else {
            fieldCount += 1
            guard fieldCount <= maxFields else { throw PostError.preDataTooLarge(limit: maxFieldBytes) }
            state = .body(.field(headers.name))
        }
    }

    /// Passes on a part's bytes up to the next delimiter; false when more input is needed.
    private mutating func body(_ part: Part, _ events: inout [Event]) throws -> Bool {
        let scan = DelimiterScan.locate(delimiter, in: pending)
        if scan.offset > 0 {
            switch part {
            case .file:
                if let slice = pending.readSlice(length: scan.offset) { events.append(.fileData(slice)) }
            case .field:
                try countPreFile(scan.offset)
                partBytes.append(contentsOf: pending.readableBytesView.prefix(scan.offset))
                pending.moveReaderIndex(forwardBy: scan.offset)
            case .ignored:
                pending.moveReaderIndex(forwardBy: scan.offset)
            }
        }
        guard scan.found else { return false }
        try consume(delimiter.count)
        switch part {
        case .field(let name):
            events.append(.field(name: name, value: String(decoding: partBytes, as: UTF8.self)))
            partBytes = []
        case .file:
            events.append(.fileEnd)
        case .ignored:
            break
        }
        state = .boundaryLine
        return true
    }

    /// Skips `length` bytes of framing (preamble, delimiter, padding), counting them.
    private mutating func consume(_ length: Int) throws {
        pending.moveReaderIndex(forwardBy: length)
        try countPreFile(length)
    }

    /// Counts bytes before the file against S3's limit on "the form data and boundaries".
    private mutating func countPreFile(_ length: Int) throws {
        guard !fileSeen else { return }
        preFileBytes += length
        if preFileBytes > maxFieldBytes { throw PostError.preDataTooLarge(limit: maxFieldBytes) }
    }
}
