import Foundation
import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import ObjectService
import S3Protocol

extension S3Handlers {
    /// GetObjectAttributes: the attributes named in `x-amz-object-attributes`, in one XML document.
    func getObjectAttributes(_ call: S3Call) async throws -> Response {
        let wanted = Set((call.header("x-amz-object-attributes") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let known: Set<String> = ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"]
        guard !wanted.isEmpty, wanted.isSubset(of: known) else {
            throw MagpieError(.invalidArgument, "Invalid attribute name specified.", details: [("ArgumentName", "x-amz-object-attributes")])
        }
        let record = try await service.headObject(try call.address.bucket(), try call.address.key(), versionId: call.address.value("versionId"),
            readKey: CustomerKeyCheck(try Self.customerKey(call)), for: call.principal)
        // This API takes its paging parameters as headers.
        guard let maxParts = Int(call.header("x-amz-max-parts") ?? "1000").map({ min($0, 1000) }), maxParts >= 0,
            let marker = Int(call.header("x-amz-part-number-marker") ?? "0"), marker >= 0
        else { throw MagpieError(.invalidArgument, "Invalid paging header.", details: [("ArgumentName", "x-amz-max-parts")]) }
        let algorithm = record.checksumAlgorithm.flatMap(ChecksumAlgorithm.init(rawValue:))
        var xml = XMLWriter()
        xml.element("GetObjectAttributesResponse", namespace: XMLWriter.s3Namespace) { body in
            if wanted.contains("ETag") { body.element("ETag", record.etag) }
            if wanted.contains("Checksum"), let algorithm, let value = record.checksumValue {
                body.element("Checksum") { checksum in
                    checksum.element(algorithm.elementName, value)
                    checksum.element("ChecksumType", value.contains("-") ? "COMPOSITE" : "FULL_OBJECT")
                }
            }
            if wanted.contains("ObjectParts"), let sizes = record.partSizes {
                body.element("ObjectParts") { parts in
                    parts.element("PartsCount", String(sizes.count))
                    if let checksums = record.partChecksums, let algorithm, checksums.count == sizes.count {
                        let after = Array(sizes.indices.filter { $0 + 1 > marker })
                        let page = after.prefix(maxParts)
                        parts.element("PartNumberMarker", String(marker))
                        if let last = page.last { parts.element("NextPartNumberMarker", String(last + 1)) }
                        parts.element("MaxParts", String(maxParts))
                        parts.element("IsTruncated", after.count > maxParts ? "true" : "false")
                        for index in page {
                            parts.element("Part") { part in
                                part.element("PartNumber", String(index + 1))
                                part.element("Size", String(sizes[index]))
                                part.element(algorithm.elementName, checksums[index])
                            }
                        }
                    }
                }
            }
            if wanted.contains("StorageClass") { body.element("StorageClass", record.storageClass) }
            if wanted.contains("ObjectSize") { body.element("ObjectSize", String(record.size)) }
        }
        var headers = Self.versionHeader(record)
        headers[.lastModified] = HTTPDate.rfc1123(epochSeconds: record.lastModified / 1000)
        return S3Response.xml(xml, headers: headers)
    }
}
