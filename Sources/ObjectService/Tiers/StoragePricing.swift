import BlobStore
import Logging
import MagpieCore
import MetadataStore
import S3Protocol

/// Monthly storage prices per storage class, in USD per GB-month — the seed's table (File, Media &
/// Edge §1.4). GB is 10⁹ bytes, as in the seed's own arithmetic (1 PB × $0.023/GB = $23,000).
/// INTELLIGENT_TIERING is priced at its frequent-access rate (the seed gives no figure for its
/// automation fee); REDUCED_REDUNDANCY, absent from the table, at the STANDARD rate.
public enum StoragePricing {
    public static let bytesPerGB: Double = 1_000_000_000

    public static let usdPerGBMonth: [StorageClass: Double] = [
        .standard: 0.023,
        .reducedRedundancy: 0.023,
        .intelligentTiering: 0.023,
        .standardIA: 0.0125,
        .onezoneIA: 0.01,
        .glacierIR: 0.004,
        .glacier: 0.0036,
        .deepArchive: 0.00099,
    ]

    /// What `bytes` in `storageClass` cost per month (unknown classes at the STANDARD rate).
    public static func monthlyCost(bytes: Int64, storageClass: StorageClass) -> Double {
        Double(bytes) / bytesPerGB * (usdPerGBMonth[storageClass] ?? usdPerGBMonth[.standard]!)
    }
}
