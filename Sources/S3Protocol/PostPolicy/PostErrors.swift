import MagpieCore

extension MagpieError.Code {
    /// The body is not well-formed `multipart/form-data` (400).
    public static let malformedPOSTRequest = Self("MalformedPOSTRequest")
    /// The POST policy cannot be decoded or has an invalid shape (400).
    public static let invalidPolicyDocument = Self("InvalidPolicyDocument")
    /// S3's documented code for a form without exactly one file (400). S3 itself answers
    /// `InvalidArgument` naming `file` on the wire, which `PostError.fileCount` follows.
    public static let incorrectNumberOfFilesInPostRequest = Self("IncorrectNumberOfFilesInPostRequest")
    /// The form fields before the file exceed 20 KB (400; the code S3 sends, without the documented `Error` suffix).
    public static let maxPostPreDataLengthExceeded = Self("MaxPostPreDataLengthExceeded")
}

/// The POST Object (browser upload) failures, worded as S3 words them on the wire.
///
/// Policy violations are `AccessDenied` (403) with "Invalid according to Policy: …", as S3 answers,
/// not the `InvalidPolicyDocument` its error table suggests; that code is kept for policies that
/// cannot be read at all.
public enum PostError {
    /// The body is not `multipart/form-data` as RFC 7578 and RFC 2046 define it.
    public static var malformed: MagpieError {
        MagpieError(.malformedPOSTRequest, "The body of your POST request is not well-formed multipart/form-data.")
    }

    /// The request is not `multipart/form-data` at all (412, with S3's `Condition` element).
    public static var notMultipart: MagpieError {
        MagpieError(
            .preconditionFailed, "At least one of the pre-conditions you specified did not hold",
            details: [("Condition", "Bucket POST must be of the enclosure-type multipart/form-data")])
    }

    /// The fields before the file exceed `limit` bytes (S3: 20,480; its message is misspelt so).
    public static func preDataTooLarge(limit: Int) -> MagpieError {
        MagpieError(
            .maxPostPreDataLengthExceeded, "Your POST request fields preceeding the upload file was too large.",
            details: [("MaxPostPreDataLengthBytes", String(limit))])
    }

    /// A required form field is absent, e.g. `key`, `X-Amz-Signature`, `AWSAccessKeyId`.
    ///
    /// Fields after `file` are ignored, hence S3's hint about their order.
    public static func missingField(_ name: String) -> MagpieError {
        MagpieError(
            .invalidArgument, "Bucket POST must contain a field named '\(name)'.  If it is specified, please check the order of the fields.",
            details: [("ArgumentName", name), ("ArgumentValue", "")])
    }

    /// A form with `count` file parts where exactly one is required.
    public static func fileCount(_ count: Int) -> MagpieError {
        MagpieError(
            .invalidArgument, "POST requires exactly one file upload per request.",
            details: [("ArgumentName", "file"), ("ArgumentValue", String(count))])
    }

    /// The policy document cannot be used; `detail` follows S3's "Invalid Policy: " prefix.
    public static func invalidPolicy(_ detail: String) -> MagpieError {
        MagpieError(.invalidPolicyDocument, "Invalid Policy: \(detail)")
    }

    /// The policy's `expiration` has passed.
    public static var policyExpired: MagpieError {
        MagpieError(.accessDenied, "Invalid according to Policy: Policy expired.")
    }

    /// A condition does not hold; `condition` is rendered as S3 prints it, e.g. `["eq", "$key", "x"]`.
    public static func conditionFailed(_ condition: String) -> MagpieError {
        MagpieError(.accessDenied, "Invalid according to Policy: Policy Condition failed: \(condition)")
    }

    /// Form fields that no condition covers.
    public static func extraInputFields(_ names: [String]) -> MagpieError {
        MagpieError(.accessDenied, "Invalid according to Policy: Extra input fields: \(names.joined(separator: ", "))")
    }

    /// The file is larger than the policy's `content-length-range` allows.
    public static func tooLarge(size: Int64, max: Int64) -> MagpieError {
        MagpieError(
            .entityTooLarge, "Your proposed upload exceeds the maximum allowed size",
            details: [("ProposedSize", String(size)), ("MaxSizeAllowed", String(max))])
    }

    /// The file is smaller than the policy's `content-length-range` allows.
    public static func tooSmall(size: Int64, min: Int64) -> MagpieError {
        MagpieError(
            .entityTooSmall, "Your proposed upload is smaller than the minimum allowed size",
            details: [("ProposedSize", String(size)), ("MinSizeAllowed", String(min))])
    }
}
