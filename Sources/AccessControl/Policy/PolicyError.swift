import MagpieCore

/// Why a policy document was refused; surfaces as `MalformedPolicy` with AWS's message.
public enum PolicyError: Error, Sendable, Equatable {
    case invalid(String)

    public var message: String {
        switch self { case .invalid(let message): message }
    }

    public var magpieError: MagpieError { MagpieError(.malformedPolicy, message) }
}
