import Foundation
import MagpieCore

/// A RestoreObject body: how long the restored copy lives and how fast to restore it.
public struct RestoreRequest: Sendable, Equatable {
    public enum Tier: String, Sendable, CaseIterable {
        case standard = "Standard"
        case bulk = "Bulk"
        case expedited = "Expedited"
    }

    /// Lifetime of the restored copy, in (lifecycle) days.
    public var days: Int
    public var tier: Tier

    public init(days: Int, tier: Tier = .standard) {
        self.days = days
        self.tier = tier
    }

    /// Parses `<RestoreRequest><Days>…</Days><GlacierJobParameters><Tier>…</Tier></GlacierJobParameters></RestoreRequest>`.
    /// SELECT restores (S3 Select over archives, discontinued by AWS) are not implemented.
    public static func parse(_ document: XMLNode) throws(MagpieError) -> RestoreRequest {
        let malformed = MagpieError(.malformedXML)
        let allowed: Set<String> = ["Days", "GlacierJobParameters", "Type", "Tier", "Description", "SelectParameters", "OutputLocation"]
        guard document.name == "RestoreRequest", document.children.allSatisfy({ allowed.contains($0.name) }) else { throw malformed }
        if document.child("Type") != nil || document.child("SelectParameters") != nil || document.child("OutputLocation") != nil {
            throw MagpieError(.notImplemented, "SELECT restores and output locations are not implemented by Magpie.")
        }
        guard let text = document.value("Days"), let days = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw malformed }
        guard days > 0, days <= 1_000_000 else {
            throw MagpieError(.invalidArgument, "The Days value must be a positive integer", details: [("ArgumentName", "Days")])
        }
        var tier = Tier.standard
        if let parameters = document.child("GlacierJobParameters") {
            guard parameters.children.count == 1, let value = parameters.value("Tier"), let parsed = Tier(rawValue: value) else { throw malformed }
            tier = parsed
        } else if let value = document.value("Tier") {
            guard let parsed = Tier(rawValue: value) else { throw malformed }
            tier = parsed
        }
        return RestoreRequest(days: days, tier: tier)
    }
}
