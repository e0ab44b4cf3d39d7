import MagpieCore

/// The one table from Magpie error codes to the HTTP status and default message S3 clients expect
/// (as MinIO's `errorCodes` map). Codes not listed answer 500 InternalError.
public enum S3ErrorTable {
    public struct Entry: Sendable {
        public let status: Int
        public let message: String
    }

    static let entries: [MagpieError.Code: Entry] = [
        .accessDenied: .init(status: 403, message: "Access Denied"),
        .badDigest: .init(status: 400, message: "The Content-MD5 you specified did not match what we received."),
        .entityTooLarge: .init(status: 400, message: "Your proposed upload exceeds the maximum allowed object size."),
        .entityTooSmall: .init(status: 400, message: "Your proposed upload is smaller than the minimum allowed object size."),
        .incompleteBody: .init(status: 400, message: "You did not provide the number of bytes specified by the Content-Length HTTP header."),
        .internalError: .init(status: 500, message: "We encountered an internal error. Please try again."),
        .invalidAccessKeyId: .init(status: 403, message: "The AWS Access Key Id you provided does not exist in our records."),
        .invalidArgument: .init(status: 400, message: "Invalid Argument"),
        .invalidBucketName: .init(status: 400, message: "The specified bucket is not valid."),
        .invalidDigest: .init(status: 400, message: "The Content-MD5 you specified is not valid."),
        .invalidRange: .init(status: 416, message: "The requested range is not satisfiable"),
        .invalidRequest: .init(status: 400, message: "Invalid Request"),
        .invalidURI: .init(status: 400, message: "Couldn't parse the specified URI."),
        .keyTooLong: .init(status: 400, message: "Your key is too long"),
        .malformedXML: .init(status: 400, message: "The XML you provided was not well-formed or did not validate against our published schema."),
        .methodNotAllowed: .init(status: 405, message: "The specified method is not allowed against this resource."),
        .missingContentLength: .init(status: 411, message: "You must provide the Content-Length HTTP header."),
        .missingSecurityHeader: .init(status: 400, message: "Your request was missing a required header."),
        .notImplemented: .init(status: 501, message: "A header you provided implies functionality that is not implemented."),
        .preconditionFailed: .init(status: 412, message: "At least one of the pre-conditions you specified did not hold"),
        .notModified: .init(status: 304, message: "Not Modified"),
        .requestTimeTooSkewed: .init(status: 403, message: "The difference between the request time and the current time is too large."),
        .signatureDoesNotMatch: .init(
            status: 403,
            message: "The request signature we calculated does not match the signature you provided. Check your key and signing method."
        ),
        .authorizationHeaderMalformed: .init(status: 400, message: "The authorization header is malformed."),
        .authorizationQueryParametersError: .init(status: 400, message: "Error parsing the X-Amz-Credential parameter."),
        .xAmzContentSHA256Mismatch: .init(status: 400, message: "The provided 'x-amz-content-sha256' header does not match what was computed."),
        .requestHeaderSectionTooLarge: .init(status: 400, message: "Your request header section exceeds the maximum allowed size."),
        .metadataTooLarge: .init(status: 400, message: "Your metadata headers exceed the maximum allowed metadata size."),
        .conditionalRequestConflict: .init(status: 409, message: "The conditional request cannot succeed due to a conflicting operation."),
        .invalidObjectState: .init(status: 403, message: "The operation is not valid for the object's storage class."),
        .serviceUnavailable: .init(status: 503, message: "Please reduce your request rate."),
        .slowDown: .init(status: 503, message: "Please reduce your request rate."),
        .noSuchBucket: .init(status: 404, message: "The specified bucket does not exist"),
        .noSuchKey: .init(status: 404, message: "The specified key does not exist."),
        .noSuchUpload: .init(status: 404, message: "The specified upload does not exist."),
        .invalidPart: .init(
            status: 400,
            message: "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag."
        ),
        .invalidPartOrder: .init(status: 400, message: "The list of parts was not in ascending order. Parts must be ordered by part number."),
        .invalidPartNumber: .init(status: 416, message: "The requested partnumber is not satisfiable"),
        .badRequest: .init(status: 400, message: "Bad Request"),
        .invalidBucketState: .init(status: 409, message: "The request is not valid with the current state of the bucket."),
        .objectLockConfigurationNotFound: .init(status: 404, message: "Object Lock configuration does not exist for this bucket"),
        .noSuchObjectLockConfiguration: .init(status: 404, message: "The specified object does not have a ObjectLock configuration"),
        .malformedPOSTRequest: .init(status: 400, message: "The body of your POST request is not well-formed multipart/form-data."),
        .invalidPolicyDocument: .init(status: 400, message: "The content of the form does not meet the conditions specified in the policy document."),
        .incorrectNumberOfFilesInPostRequest: .init(status: 400, message: "POST requires exactly one file upload per request."),
        .maxPostPreDataLengthExceeded: .init(status: 400, message: "Your POST request fields preceding the upload file were too large."),
        .invalidTag: .init(status: 400, message: "The tag provided was not a valid tag."),
        .noSuchTagSet: .init(status: 404, message: "The TagSet does not exist"),
        .noSuchVersion: .init(status: 404, message: "The specified version does not exist."),
        .bucketAlreadyExists: .init(
            status: 409,
            message: "The requested bucket name is not available. The bucket namespace is shared by all users of the system."
        ),
        .bucketAlreadyOwnedByYou: .init(
            status: 409,
            message: "Your previous request to create the named bucket succeeded and you already own it."
        ),
        .bucketNotEmpty: .init(status: 409, message: "The bucket you tried to delete is not empty"),
        .tooManyBuckets: .init(status: 400, message: "You have attempted to create more buckets than allowed"),
        .malformedPolicy: .init(status: 400, message: "This policy contains invalid Json"),
        .noSuchBucketPolicy: .init(status: 404, message: "The bucket policy does not exist"),
        .noSuchCORSConfiguration: .init(status: 404, message: "The CORS configuration does not exist"),
        .accessForbidden: .init(
            status: 403,
            message: "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."
        ),
        .noSuchPublicAccessBlockConfiguration: .init(status: 404, message: "The public access block configuration was not found"),
        .ownershipControlsNotFound: .init(status: 404, message: "The bucket ownership controls were not found"),
        .accessControlListNotSupported: .init(status: 400, message: "The bucket does not allow ACLs"),
        .invalidBucketAclWithObjectOwnership: .init(status: 400, message: "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"),
        .malformedACL: .init(status: 400, message: "The XML you provided was not well-formed or did not validate against our published schema"),
        .unresolvableGrantByEmailAddress: .init(status: 400, message: "The e-mail address you provided does not match any account on record."),
        .unexpectedContent: .init(status: 400, message: "This request does not support content"),
        .noSuchUser: .init(status: 404, message: "The specified user does not exist."),
        .userAlreadyExists: .init(status: 409, message: "A user with that name already exists."),
        .userHasResources: .init(status: 409, message: "The user still owns buckets; delete them first."),
        .noSuchAccessKey: .init(status: 404, message: "The specified access key does not exist."),
        .accessKeyAlreadyExists: .init(status: 409, message: "That access key already exists."),
        // Lifecycle, storage classes and restores
        .invalidStorageClass: .init(status: 400, message: "The storage class you specified is not valid"),
        .noSuchLifecycleConfiguration: .init(status: 404, message: "The lifecycle configuration does not exist"),
        .restoreAlreadyInProgress: .init(status: 409, message: "Object restore is already in progress"),
        // Encryption at rest
        .serverSideEncryptionConfigurationNotFound: .init(status: 404, message: "The server side encryption configuration was not found"),
        .invalidEncryptionAlgorithm: .init(status: 400, message: "The Encryption request you specified is not valid. Supported value: AES256."),
        .kmsNotFound: .init(status: 400, message: "Invalid keyId"),
        .kmsDisabled: .init(status: 400, message: "The KMS key is disabled."),
        .kmsKeyAlreadyExists: .init(status: 409, message: "A KMS key with that name already exists."),
    ]

    /// The status and message for `code`; unknown codes are internal errors.
    public static func entry(for code: MagpieError.Code) -> Entry {
        entries[code] ?? entries[.internalError]!
    }

    /// The message to show: the error's own when it has one, else the table's.
    public static func message(for error: MagpieError) -> String {
        error.message.isEmpty ? entry(for: error.code).message : error.message
    }
}
