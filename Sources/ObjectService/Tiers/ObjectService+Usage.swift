import BlobStore
import Logging
import MagpieCore
import MetadataStore
import S3Protocol

/// `magpie admin usage`: stored bytes and versions per bucket and storage class, with their
/// monthly cost at the seed's prices. Noncurrent versions count (they are stored and billed);
/// delete markers do not. Restored copies of archived versions count as STANDARD bytes.
public struct UsageReport: Sendable, Codable, Equatable {
    public struct Line: Sendable, Codable, Equatable {
        public var bucket: String
        public var storageClass: String
        public var objects: Int64
        public var bytes: Int64
        public var monthlyCostUSD: Double
        /// True for restored copies of archived versions (temporary STANDARD copies).
        public var restoredCopies: Bool
    }

    public var lines: [Line]
    public var totalObjects: Int64
    public var totalBytes: Int64
    public var totalMonthlyCostUSD: Double
    /// The price table used, USD per GB-month (GB = 10⁹ bytes).
    public var pricesUSDPerGBMonth: [String: Double]
}

extension ObjectService {
    public func usageReport() async throws -> UsageReport {
        let lines = try await metadata.usage().map { record in
            UsageReport.Line(
                bucket: record.bucket, storageClass: record.storageClass, objects: record.objects, bytes: record.bytes,
                monthlyCostUSD: StoragePricing.monthlyCost(bytes: record.bytes, storageClass: StorageClass(record.storageClass)),
                restoredCopies: record.restoredCopies
            )
        }
        return UsageReport(
            lines: lines, totalObjects: lines.filter { !$0.restoredCopies }.reduce(0) { $0 + $1.objects },
            totalBytes: lines.reduce(0) { $0 + $1.bytes }, totalMonthlyCostUSD: lines.reduce(0) { $0 + $1.monthlyCostUSD },
            pricesUSDPerGBMonth: Dictionary(uniqueKeysWithValues: StoragePricing.usdPerGBMonth.map { ($0.key.rawValue, $0.value) })
        )
    }
}
