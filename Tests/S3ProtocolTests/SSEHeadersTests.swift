import Crypto
import Foundation
import MagpieCore
import S3Protocol
import Testing

@Suite struct SSEHeadersTests {
    static let key = [UInt8](repeating: 7, count: 32)
    static let keyB64 = Data(key).base64EncodedString()
    static let md5B64 = Data(Insecure.MD5.hash(data: key)).base64EncodedString()

    func write(_ headers: [String: String]) throws(MagpieError) -> EncryptionRequest? { try SSEHeaders.write { headers[$0] } }
    func code(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let error as MagpieError { return error.code.rawValue } catch { return "\(error)" }
    }

    @Test func methods() throws {
        #expect(try write([:]) == nil)
        #expect(try write(["x-amz-server-side-encryption": "AES256"])?.method == .s3)
        let kms = try write(["x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": "k1",
                             "x-amz-server-side-encryption-bucket-key-enabled": "true"])
        #expect(kms == EncryptionRequest(method: .kms, kmsKeyId: "k1", bucketKeyEnabled: true))
        let customer = try write(["x-amz-server-side-encryption-customer-algorithm": "AES256",
                                  "x-amz-server-side-encryption-customer-key": Self.keyB64, "x-amz-server-side-encryption-customer-key-md5": Self.md5B64])
        #expect(customer?.method == .customer && customer?.customerKey?.bytes == Self.key && customer?.customerKey?.md5 == Self.md5B64)
    }

    @Test func refusals() {
        #expect(code { _ = try write(["x-amz-server-side-encryption": "AES128"]) } == "InvalidArgument")
        #expect(code { _ = try write(["x-amz-server-side-encryption": "aws:kms:dsse"]) } == "NotImplemented")
        #expect(code { _ = try write(["x-amz-server-side-encryption-aws-kms-key-id": "k"]) } == "InvalidArgument")
        #expect(code { _ = try write(["x-amz-server-side-encryption": "AES256", "x-amz-server-side-encryption-aws-kms-key-id": "k"]) } == "InvalidArgument")
        #expect(code { _ = try write(["x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-bucket-key-enabled": "yes"]) } == "InvalidArgument")
        let full = ["x-amz-server-side-encryption-customer-algorithm": "AES256", "x-amz-server-side-encryption-customer-key": Self.keyB64,
                    "x-amz-server-side-encryption-customer-key-md5": Self.md5B64]
        #expect(code { _ = try write(full.merging(["x-amz-server-side-encryption": "AES256"]) { $1 }) } == "InvalidArgument")
        #expect(code { _ = try write(full.merging(["x-amz-server-side-encryption-customer-algorithm": "AES128"]) { $1 }) } == "InvalidEncryptionAlgorithmError")
        #expect(code { _ = try write(full.filter { !$0.key.hasSuffix("algorithm") }) } == "InvalidArgument")
        #expect(code { _ = try write(full.filter { !$0.key.hasSuffix("-key") }) } == "InvalidArgument")
        #expect(code { _ = try write(full.filter { !$0.key.hasSuffix("md5") }) } == "InvalidArgument")
        #expect(code { _ = try write(full.merging(["x-amz-server-side-encryption-customer-key-md5": Self.keyB64]) { $1 }) } == "InvalidArgument")
        let short = [UInt8](repeating: 1, count: 16)
        #expect(code { _ = try write(["x-amz-server-side-encryption-customer-algorithm": "AES256",
                                      "x-amz-server-side-encryption-customer-key": Data(short).base64EncodedString(),
                                      "x-amz-server-side-encryption-customer-key-md5": Data(Insecure.MD5.hash(data: short)).base64EncodedString()]) } == "InvalidArgument")
    }

    @Test func readsMayLeaveOutTheMD5AndTakeOtherLengths() throws {
        let read = try SSEHeaders.customerKey({ ["x-amz-copy-source-server-side-encryption-customer-algorithm": "AES256",
                                                 "x-amz-copy-source-server-side-encryption-customer-key": Data([1, 2, 3]).base64EncodedString()][$0] },
                                              prefix: "x-amz-copy-source-", forWrite: false)
        #expect(read?.bytes == [1, 2, 3] && read?.isValidLength == false)
    }

    @Test func bucketEncryptionDocuments() throws {
        func parse(_ xml: String) throws(MagpieError) -> BucketEncryption { try BucketEncryption.parse(Array(xml.utf8)) }
        func rule(_ inner: String) -> String {
            "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault>\(inner)</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>"
        }
        #expect(try parse(rule("<SSEAlgorithm>AES256</SSEAlgorithm>")) == BucketEncryption(method: .s3, bucketKeyEnabled: true))
        #expect(try parse(rule("<SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>alias/k</KMSMasterKeyID>")).kmsMasterKeyId == "alias/k")
        #expect(code { _ = try parse(rule("<SSEAlgorithm>AES256</SSEAlgorithm><KMSMasterKeyID>k</KMSMasterKeyID>")) } == "InvalidArgument")
        #expect(code { _ = try parse(rule("<SSEAlgorithm>DES</SSEAlgorithm>")) } == "MalformedXML")
        #expect(code { _ = try parse("<ServerSideEncryptionConfiguration/>") } == "MalformedXML")
        #expect(code { _ = try parse("<nope") } == "MalformedXML")
    }
}
