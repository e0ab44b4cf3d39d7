import ArgumentParser
import Foundation
import MagpieServer
import ObjectService

/// `magpie serve` flags for storage tiers, lifecycle timing and restores. Each has an environment
/// twin; list-valued ones take comma-separated items there.
struct StorageFlags: ParsableArguments {
    @Option(
        name: .customLong("tier"), help: "A storage tier NAME=PATH (a directory, e.g. another disk); repeatable (env MAGPIE_TIERS, comma-separated).")
    var tiers: [String] = []
    @Option(name: .customLong("tier-class"), help: "Store CLASS in tier NAME, e.g. GLACIER=cold; repeatable (env MAGPIE_TIER_CLASSES).")
    var tierClasses: [String] = []
    @Option(name: .customLong("lifecycle-day-seconds"), help: "Debug: one lifecycle day lasts this many seconds (env MAGPIE_LIFECYCLE_DAY_SECONDS).")
    var lifecycleDaySeconds: Int64?
    @Option(
        name: .customLong("restore-seconds"),
        help: "RestoreObject takes this long before the copy is readable; 0 = instant (env MAGPIE_RESTORE_SECONDS).")
    var restoreSeconds: Int64?

    func apply(to configuration: inout MagpieServerConfiguration) throws {
        let env = ProcessInfo.processInfo.environment
        func list(_ name: String) -> [String] {
            (env[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        var layout = TierLayout.defaults(dataDirectory: configuration.dataDirectory)
        for spec in tiers.isEmpty ? list("MAGPIE_TIERS") : tiers { try layout.addTier(spec) }
        for spec in tierClasses.isEmpty ? list("MAGPIE_TIER_CLASSES") : tierClasses { try layout.mapClass(spec) }
        try layout.validate()
        configuration.tierLayout = layout
        if let seconds = lifecycleDaySeconds ?? env["MAGPIE_LIFECYCLE_DAY_SECONDS"].flatMap({ Int64($0) }) {
            guard (1...86_400).contains(seconds) else { throw ValidationError("--lifecycle-day-seconds must be 1…86400") }
            configuration.objects.lifecycleDaySeconds = seconds
        }
        if let seconds = restoreSeconds ?? env["MAGPIE_RESTORE_SECONDS"].flatMap({ Int64($0) }) {
            guard (0...ObjectServiceConfiguration.maxRestoreSeconds).contains(seconds) else {
                throw ValidationError("--restore-seconds must be 0…\(ObjectServiceConfiguration.maxRestoreSeconds)")
            }
            configuration.objects.restoreSeconds = seconds
        }
    }
}
