// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "magpie",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "magpie", targets: ["magpie"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.0"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // Pure domain values: names, keys, ranges, conditions, the domain error. No I/O.
        .target(name: "MagpieCore", swiftSettings: swiftSettings),
        // C: CRC32 (zlib) and CRC32C (SSE4.2 when the CPU has it).
        .target(name: "CMagpieChecksum", linkerSettings: [.linkedLibrary("z")]),
        // Pure S3 wire protocol: SigV4/V2, aws-chunked, XML, checksums, the S3 error table.
        .target(
            name: "S3Protocol",
            dependencies: [
                "MagpieCore", "CMagpieChecksum",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Pure access control: bucket policies (AWS's policy language for S3), CORS rules, ACLs, Block Public
        // Access and Object Ownership, and the one decision that combines them. No I/O.
        .target(
            name: "AccessControl",
            dependencies: ["MagpieCore", "S3Protocol"],
            swiftSettings: swiftSettings
        ),
        // Pure image-URL protocol: imgproxy path and imgix query grammars → one canonical
        // ImageOptions, URL signing, presets, BlurHash/ThumbHash placeholders. No I/O.
        .target(
            name: "ImageProtocol",
            dependencies: ["MagpieCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // libvips (Debian libvips-dev) and a C shim of fixed-arity wrappers around its varargs API.
        .systemLibrary(name: "CVips", pkgConfig: "vips", providers: [.apt(["libvips-dev"])]),
        .target(name: "CMagpieVips", dependencies: ["CVips"]),
        // The image engine: ImageOptions applied with libvips on a thread pool.
        .target(
            name: "Imaging",
            dependencies: [
                "ImageProtocol", "CMagpieVips", "CVips",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Outbound HTTP to user-chosen hosts (remote image sources) that cannot reach private,
        // loopback, link-local or metadata addresses.
        .target(
            name: "Outbound",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Pure media-job protocol: job/rule/output specs, the job state machine, ladder planning,
        // FFmpeg argument arrays, playlist rewriting, progress parsing, webhook and playback signing. No I/O.
        .target(
            name: "MediaJobs",
            dependencies: ["MagpieCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // C: fork/exec of ffmpeg with argument arrays, its own process group and a parent-death signal.
        .target(name: "CMagpieSpawn"),
        // The job pipeline: workers (Services), the process runner, output storage, webhook delivery.
        .target(
            name: "MediaWorkers",
            dependencies: [
                "MediaJobs", "MagpieCore", "MetadataStore", "ObjectService", "CMagpieSpawn", "Outbound",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        // Encryption at rest: AES-256-GCM in fixed-size chunks so a Range
        // read decrypts only its chunks, per-object data keys wrapped by a key-encryption key, SSE-C
        // key checks. Pure: swift-crypto only.
        .target(
            name: "Encryption",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MetadataStore",
            dependencies: [
                "MagpieCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "BlobStore",
            dependencies: [
                "MagpieCore", "S3Protocol", "CMagpieChecksum", "Encryption",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ObjectService",
            dependencies: [
                "MagpieCore", "S3Protocol", "AccessControl", "MetadataStore", "BlobStore", "CMagpieChecksum", "Encryption",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MagpieServer",
            dependencies: [
                "MagpieCore", "S3Protocol", "AccessControl", "ObjectService", "MetadataStore", "BlobStore", "ImageProtocol", "Imaging",
                "Outbound", "MediaJobs", "MediaWorkers",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "magpie",
            dependencies: [
                "MagpieServer", "ObjectService", "S3Protocol", "MagpieCore", "ImageProtocol", "Imaging", "MediaJobs", "MediaWorkers",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Test support: a live server on a free port with a temp data dir, a signing client.
        .target(
            name: "MagpieTesting",
            dependencies: [
                "MagpieServer", "S3Protocol", "ObjectService",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "MagpieCoreTests", dependencies: ["MagpieCore"], swiftSettings: swiftSettings),
        .testTarget(name: "EncryptionTests", dependencies: ["Encryption"], swiftSettings: swiftSettings),
        .testTarget(name: "OutboundTests", dependencies: ["Outbound"], swiftSettings: swiftSettings),
        .testTarget(name: "ImageProtocolTests", dependencies: ["ImageProtocol"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ImagingTests",
            dependencies: ["Imaging", "ImageProtocol", .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "MediaJobsTests", dependencies: ["MediaJobs"], swiftSettings: swiftSettings),
        .testTarget(
            name: "MediaWorkersTests",
            dependencies: [
                "MediaWorkers", "MediaJobs", "MetadataStore", "MagpieCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "AccessControlTests", dependencies: ["AccessControl", "MagpieCore", "S3Protocol"], swiftSettings: swiftSettings),
        .testTarget(name: "S3ProtocolTests", dependencies: ["S3Protocol", "MagpieCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ObjectServiceTests",
            dependencies: [
                "ObjectService", "MetadataStore", "MagpieCore", "S3Protocol", "BlobStore", "Encryption",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MagpieServerTests",
            dependencies: [
                "MagpieServer", "MagpieTesting", "S3Protocol", "MagpieCore", "ObjectService", "AccessControl", "MetadataStore", "BlobStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
