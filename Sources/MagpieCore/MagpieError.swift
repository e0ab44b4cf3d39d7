/// The one domain error of Magpie: a stable code, a message safe to show a client, and a private cause.
///
/// Codes are named after the S3 error codes they surface as, because the S3 API is the product's
/// primary contract; the mapping to HTTP status and S3 `<Code>` lives in one table in `S3Protocol`
/// (`S3ErrorTable`), never here.
public struct MagpieError: Error, Sendable, CustomStringConvertible {
    /// An open set of error codes (struct + static members, as NIO's `FileSystemError.Code`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public let code: Code
    /// Safe to show to a client: no secrets, paths, SQL or signatures.
    public let message: String
    /// Extra fields for the S3 error XML (e.g. `Key`, `BucketName`, `StringToSign` is never included).
    public var details: [(String, String)]
    /// Full detail for the log only.
    public let cause: (any Error)?
    /// Headers the error response carries (e.g. `x-amz-delete-marker` on a 404 for a deleted key).
    public var headers: [(String, String)] = []

    public init(_ code: Code, _ message: String? = nil, details: [(String, String)] = [], cause: (any Error)? = nil) {
        self.code = code
        self.message = message ?? ""
        self.details = details
        self.cause = cause
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let cause { text += " (cause: \(cause))" }
        return text
    }
}

extension MagpieError.Code {
    // Request and protocol
    public static let accessDenied = Self("AccessDenied")
    public static let badDigest = Self("BadDigest")
    public static let entityTooLarge = Self("EntityTooLarge")
    public static let entityTooSmall = Self("EntityTooSmall")
    public static let incompleteBody = Self("IncompleteBody")
    public static let internalError = Self("InternalError")
    public static let invalidAccessKeyId = Self("InvalidAccessKeyId")
    public static let invalidArgument = Self("InvalidArgument")
    public static let invalidBucketName = Self("InvalidBucketName")
    public static let invalidDigest = Self("InvalidDigest")
    public static let invalidRange = Self("InvalidRange")
    public static let invalidRequest = Self("InvalidRequest")
    public static let invalidURI = Self("InvalidURI")
    public static let keyTooLong = Self("KeyTooLongError")
    public static let malformedXML = Self("MalformedXML")
    public static let methodNotAllowed = Self("MethodNotAllowed")
    public static let missingContentLength = Self("MissingContentLength")
    public static let missingSecurityHeader = Self("MissingSecurityHeader")
    public static let notImplemented = Self("NotImplemented")
    public static let preconditionFailed = Self("PreconditionFailed")
    public static let notModified = Self("NotModified")
    public static let requestTimeTooSkewed = Self("RequestTimeTooSkewed")
    public static let signatureDoesNotMatch = Self("SignatureDoesNotMatch")
    public static let authorizationHeaderMalformed = Self("AuthorizationHeaderMalformed")
    public static let authorizationQueryParametersError = Self("AuthorizationQueryParametersError")
    public static let xAmzContentSHA256Mismatch = Self("XAmzContentSHA256Mismatch")
    public static let requestHeaderSectionTooLarge = Self("RequestHeaderSectionTooLarge")
    public static let metadataTooLarge = Self("MetadataTooLarge")
    public static let conditionalRequestConflict = Self("ConditionalRequestConflict")
    public static let invalidObjectState = Self("InvalidObjectState")
    public static let serviceUnavailable = Self("ServiceUnavailable")
    public static let slowDown = Self("SlowDown")
    public static let badRequest = Self("BadRequest")
    public static let invalidBucketState = Self("InvalidBucketState")
    public static let objectLockConfigurationNotFound = Self("ObjectLockConfigurationNotFoundError")
    public static let noSuchObjectLockConfiguration = Self("NoSuchObjectLockConfiguration")
    public static let invalidTag = Self("InvalidTag")
    // Resources
    public static let noSuchTagSet = Self("NoSuchTagSet")
    public static let noSuchBucket = Self("NoSuchBucket")
    public static let noSuchKey = Self("NoSuchKey")
    public static let noSuchUpload = Self("NoSuchUpload")
    public static let invalidPart = Self("InvalidPart")
    public static let invalidPartOrder = Self("InvalidPartOrder")
    public static let invalidPartNumber = Self("InvalidPartNumber")
    public static let noSuchVersion = Self("NoSuchVersion")
    public static let bucketAlreadyExists = Self("BucketAlreadyExists")
    public static let bucketAlreadyOwnedByYou = Self("BucketAlreadyOwnedByYou")
    public static let bucketNotEmpty = Self("BucketNotEmpty")
    public static let tooManyBuckets = Self("TooManyBuckets")
    // Access control: policies, CORS, public access block, ACLs, ownership controls
    public static let malformedPolicy = Self("MalformedPolicy")
    public static let noSuchBucketPolicy = Self("NoSuchBucketPolicy")
    public static let noSuchCORSConfiguration = Self("NoSuchCORSConfiguration")
    public static let accessForbidden = Self("AccessForbidden")
    public static let noSuchPublicAccessBlockConfiguration = Self("NoSuchPublicAccessBlockConfiguration")
    public static let ownershipControlsNotFound = Self("OwnershipControlsNotFoundError")
    public static let accessControlListNotSupported = Self("AccessControlListNotSupported")
    public static let invalidBucketAclWithObjectOwnership = Self("InvalidBucketAclWithObjectOwnership")
    public static let malformedACL = Self("MalformedACLError")
    public static let unresolvableGrantByEmailAddress = Self("UnresolvableGrantByEmailAddress")
    public static let unexpectedContent = Self("UnexpectedContent")
    // Admin API (non-S3 names, same table)
    public static let noSuchUser = Self("NoSuchUser")
    public static let userAlreadyExists = Self("UserAlreadyExists")
    public static let userHasResources = Self("UserHasResources")
    public static let noSuchAccessKey = Self("NoSuchAccessKey")
    public static let accessKeyAlreadyExists = Self("AccessKeyAlreadyExists")
    // Lifecycle, storage classes and restores
    public static let invalidStorageClass = Self("InvalidStorageClass")
    public static let noSuchLifecycleConfiguration = Self("NoSuchLifecycleConfiguration")
    public static let restoreAlreadyInProgress = Self("RestoreAlreadyInProgress")
    // Encryption at rest
    public static let serverSideEncryptionConfigurationNotFound = Self("ServerSideEncryptionConfigurationNotFoundError")
    public static let invalidEncryptionAlgorithm = Self("InvalidEncryptionAlgorithmError")
    public static let kmsNotFound = Self("KMS.NotFoundException")
    public static let kmsDisabled = Self("KMS.DisabledException")
    public static let kmsKeyAlreadyExists = Self("KMS.AlreadyExistsException")
}
