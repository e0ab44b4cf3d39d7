import MagpieCore
import MetadataStore
import S3Protocol
import Testing

@testable import ObjectService

@Suite struct CompletionPlanTests {
    static func part(_ number: Int, size: Int64, etag: String, checksum: String? = nil) -> PartRecord {
        PartRecord(uploadId: "u", partNumber: number, size: size, etag: etag, blobId: "b\(number)", checksumValue: checksum, crc32c: 0, lastModified: 0)
    }

    static let stored: [Int: PartRecord] = [
        1: part(1, size: 10, etag: "0cc175b9c0f1b6a831c399e269772661"),
        2: part(2, size: 10, etag: "92eb5ffee6ae2fec3ad71c777531578f", checksum: "AAAA"),
        3: part(3, size: 3, etag: "4a8a08f09d37b73795649038408b5f33"),
    ]

    @Test func selectsListedPartsInOrderWithS3ETag() throws {
        let plan = try CompletionPlan(
            requested: [CompletedPart(partNumber: 1, etag: "\"0cc175b9c0f1b6a831c399e269772661\"", checksumValue: nil),
                        CompletedPart(partNumber: 3, etag: "4a8a08f09d37b73795649038408b5f33", checksumValue: nil)],
            stored: Self.stored, minPartSize: 5)
        #expect(plan.parts.map(\.partNumber) == [1, 3])
        #expect(plan.size == 13)
        // md5(md5("a") ‖ md5("c")) for parts "a" and "c": what S3 reports for this two-part upload.
        var md5 = Digester.md5()
        md5.update(Hex.decode("0cc175b9c0f1b6a831c399e269772661")! + Hex.decode("4a8a08f09d37b73795649038408b5f33")!)
        #expect(plan.etag == md5.finalize().hexString + "-2")
    }

    @Test(arguments: [
        ([2, 1], MagpieError.Code.invalidPartOrder),
        ([1, 1], .invalidPartOrder),
        ([4], .invalidPart),
        ([], .malformedXML),
    ])
    func refusesBadLists(_ numbers: [Int], _ code: MagpieError.Code) {
        let requested = numbers.map { CompletedPart(partNumber: $0, etag: Self.stored[$0]?.etag ?? "x", checksumValue: nil) }
        #expect { try CompletionPlan(requested: requested, stored: Self.stored, minPartSize: 5) } throws: { ($0 as? MagpieError)?.code == code }
    }

    @Test func wrongETagOrChecksumIsInvalidPart() {
        #expect { try CompletionPlan(requested: [CompletedPart(partNumber: 1, etag: "\"ffff\"", checksumValue: nil)], stored: Self.stored, minPartSize: 5) }
            throws: { ($0 as? MagpieError)?.code == .invalidPart }
        #expect { try CompletionPlan(requested: [CompletedPart(partNumber: 2, etag: Self.stored[2]!.etag, checksumValue: "BBBB")], stored: Self.stored, minPartSize: 5) }
            throws: { ($0 as? MagpieError)?.code == .invalidPart }
    }

    @Test func onlyTheLastPartMayBeSmall() throws {
        let requested = [1, 2, 3].map { CompletedPart(partNumber: $0, etag: Self.stored[$0]!.etag, checksumValue: nil) }
        #expect(try CompletionPlan(requested: requested, stored: Self.stored, minPartSize: 10).parts.count == 3)
        #expect { try CompletionPlan(requested: requested, stored: Self.stored, minPartSize: 11) } throws: { ($0 as? MagpieError)?.code == .entityTooSmall }
    }
}
