import Foundation
import MagpieCore
import MediaJobs
import MetadataStore

/// Rows → API views.
public enum JobViews {
    public static func make(_ record: JobRecord) throws -> JobView {
        let spec = try JobSpec.decode(Array(record.spec.utf8))
        let result = record.result.flatMap { try? JSONDecoder().decode(JobResult.self, from: Data($0.utf8)) }
        let error: JobView.ErrorView? =
            record.status == "succeeded" ? nil : record.errorCode.map { JobView.ErrorView(code: $0, message: record.errorMessage ?? "") }
        return JobView(
            id: record.id, status: JobStatus(rawValue: record.status) ?? .queued, progress: record.progress, attempts: record.attempts, spec: spec,
            rule: record.ruleId, createdAt: HTTPDate.iso8601(epochMillis: record.createdAt),
            startedAt: record.startedAt.map { HTTPDate.iso8601(epochMillis: $0) },
            finishedAt: record.finishedAt.map { HTTPDate.iso8601(epochMillis: $0) },
            error: error, result: result)
    }
}

/// Time-ordered random identifiers: 12 hex digits of milliseconds, then 12 random ones.
enum JobIdentifiers {
    static func make(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let millis = String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 16)
        let random = (0..<12).map { _ in String(UInt8.random(in: 0..<16, using: &generator), radix: 16) }.joined()
        return prefix + "_" + String(repeating: "0", count: max(0, 12 - millis.count)) + millis + random
    }
}
