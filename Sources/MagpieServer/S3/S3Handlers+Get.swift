import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import NIOCore
import ObjectService
import S3Protocol

extension S3Handlers {
    /// GET and HEAD: preconditions, then the range, then headers, then a streamed, verified body.
    func getObject(_ call: S3Call, head: Bool) async throws -> Response {
        let bucket = try call.address.bucket()
        let key = try call.address.key()
        let customerKey = try Self.customerKey(call)
        // S3 refuses the write-side encryption headers on reads.
        for name in [SSEHeaders.method, SSEHeaders.kmsKeyId] where call.header(name) != nil {
            throw MagpieError(.invalidArgument, "\(name) header is not supported for this operation.", details: [("ArgumentName", name)])
        }
        if head {
            let (record, lifecycle) = try await service.describeObject(
                bucket, key, versionId: call.address.value("versionId"), readKey: CustomerKeyCheck(customerKey), for: call.principal)
            return try await objectResponse(call, record: record, body: nil, lifecycle: lifecycle)
        }
        let object = try await service.openObject(bucket, key, versionId: call.address.value("versionId"), customerKey: customerKey, for: call.principal)
        do {
            return try await objectResponse(call, record: object.record, body: object, lifecycle: object.lifecycle)
        } catch {
            await object.close()
            throw error
        }
    }

    func objectResponse(_ call: S3Call, record: ObjectRecord, body object: OpenedObject?, lifecycle: LifecycleConfiguration? = nil) async throws
        -> Response
    {
        // A full-object checksum describes the whole body; S3 sends none with a partial one.
        let wantsChecksum = call.header("x-amz-checksum-mode")?.uppercased() == "ENABLED" && call.header("range").flatMap(ByteRange.parse) == nil
            && call.address.value("partNumber") == nil
        var headers = Self.objectHeaders(record, checksums: wantsChecksum)
        headers[named: "x-amz-expiration"] = Self.expirationHeader(service.expiration(of: record, under: lifecycle))
        headers[named: "x-amz-restore"] = Self.restoreHeader(record)
        do {
            try Self.requireSigV4(call, for: record.encryption?.settings.method)
        } catch {
            await object?.close()
            throw error
        }
        addEncryptionHeaders(record.encryption?.settings, to: &headers)
        switch Self.conditions(call).evaluate(etag: ETag(record.etag), lastModified: record.lastModified / 1000) {
        case .proceed: break
        case .notModified:
            let kept = headers.filter { [.eTag, .lastModified].contains($0.name) }
            await object?.close()
            return S3Response.empty(.notModified, headers: HTTPFields(kept))
        case .preconditionFailed:
            await object?.close()
            throw MagpieError(.preconditionFailed, details: [("Condition", "If-Match")])
        }
        var range: ClosedRange<Int64>?
        if let part = try Self.partRange(call, record: record) {
            range = part
            if let count = record.partSizes?.count {
                headers[named: "x-amz-mp-parts-count"] = String(count)
                headers[.contentRange] = "bytes \(part.lowerBound)-\(part.upperBound)/\(record.size)"
            }
        } else if let header = call.header("range"), let parsed = ByteRange.parse(header) {
            guard let resolved = parsed.resolve(size: record.size) else {
                await object?.close()
                throw MagpieError(.invalidRange, details: [("RangeRequested", header), ("ActualObjectSize", String(record.size))])
            }
            range = resolved
            headers[.contentRange] = "bytes \(resolved.lowerBound)-\(resolved.upperBound)/\(record.size)"
        }
        Self.applyOverrides(call, to: &headers)
        let length = range.map { $0.upperBound - $0.lowerBound + 1 } ?? record.size
        headers[.contentLength] = String(length)
        let status: HTTPResponse.Status = headers[.contentRange] == nil ? .ok : .partialContent
        guard let object else { return Response(status: status, headers: headers, body: ResponseBody()) }
        let service = service, requestId = call.requestId, selected = range
        let body = ResponseBody(contentLength: Int(length)) { writer in
            do {
                try await service.stream(object, range: selected, requestId: requestId) { chunk in try await writer.write(chunk) }
                await object.close()
            } catch {
                await object.close()
                throw error
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }

    /// `?partNumber=N`: the bytes of part N (part 1 of a single-part object is the whole object).
    static func partRange(_ call: S3Call, record: ObjectRecord) throws -> ClosedRange<Int64>? {
        guard let text = call.address.value("partNumber") else { return nil }
        guard let number = Int(text), (1...10_000).contains(number) else {
            throw MagpieError(.invalidArgument, "Part number must be an integer between 1 and 10000, inclusive", details: [("ArgumentName", "partNumber")])
        }
        let sizes = record.partSizes ?? [record.size]
        guard number <= sizes.count else { throw MagpieError(.invalidPartNumber, details: [("PartNumberRequested", text), ("ActualPartCount", String(sizes.count))]) }
        let start = sizes.prefix(number - 1).reduce(0, +)
        guard sizes[number - 1] > 0 else { return nil }
        return start...(start + sizes[number - 1] - 1)
    }

    static func objectHeaders(_ record: ObjectRecord, checksums: Bool) -> HTTPFields {
        var headers: HTTPFields = [
            .eTag: ETag(record.etag).quoted,
            .lastModified: HTTPDate.rfc1123(epochSeconds: record.lastModified / 1000),
            .acceptRanges: "bytes",
        ]
        for (name, value) in record.headers.sorted(by: { $0.key < $1.key }) { headers[named: name] = value }
        if record.storageClass != "STANDARD" { headers[.amzStorageClass] = record.storageClass }
        if record.versionId != "null" { headers[named: "x-amz-version-id"] = record.versionId }
        if !record.tags.isEmpty { headers[named: "x-amz-tagging-count"] = String(record.tags.tags.count) }
        if let retention = record.retention {
            headers[named: "x-amz-object-lock-mode"] = retention.mode
            headers[named: "x-amz-object-lock-retain-until-date"] = HTTPDate.iso8601(epochMillis: retention.until)
        }
        if record.legalHold { headers[named: "x-amz-object-lock-legal-hold"] = "ON" }
        if checksums, let algorithm = record.checksumAlgorithm.flatMap(ChecksumAlgorithm.init(rawValue:)), let value = record.checksumValue {
            headers[named: algorithm.headerName] = value
            headers[named: "x-amz-checksum-type"] = value.contains("-") ? "COMPOSITE" : "FULL_OBJECT"
        }
        return headers
    }

    static func conditions(_ call: S3Call) -> Conditions {
        Conditions(
            ifMatch: call.header("if-match"), ifNoneMatch: call.header("if-none-match"),
            ifModifiedSince: call.header("if-modified-since").flatMap(HTTPDate.parse),
            ifUnmodifiedSince: call.header("if-unmodified-since").flatMap(HTTPDate.parse)
        )
    }

    static let overrides = [
        "response-content-type": "content-type", "response-content-language": "content-language", "response-expires": "expires",
        "response-cache-control": "cache-control", "response-content-disposition": "content-disposition",
        "response-content-encoding": "content-encoding",
    ]

    static func applyOverrides(_ call: S3Call, to headers: inout HTTPFields) {
        for (parameter, header) in overrides {
            if let value = call.address.value(parameter) { headers[named: header] = value }
        }
    }
}
