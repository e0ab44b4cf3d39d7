/// Builds BBC audiowaveform's JSON data (version 2) from mono 16-bit PCM, fed in chunks of any size:
/// for every `samplesPerPixel` samples one (min, max) pair, scaled to `bits`.
public struct WaveformBuilder: Sendable {
    public let sampleRate: Int
    public let samplesPerPixel: Int
    public let bits: Int
    private var data: [Int] = []
    private var count = 0
    private var low = Int16.max
    private var high = Int16.min
    private var carry: UInt8?

    public init(sampleRate: Int, samplesPerPixel: Int, bits: Int) {
        self.sampleRate = sampleRate
        self.samplesPerPixel = samplesPerPixel
        self.bits = bits
    }

    /// Little-endian signed 16-bit samples; a chunk may end in the middle of a sample.
    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            guard let first = carry else {
                carry = byte
                continue
            }
            carry = nil
            add(Int16(bitPattern: UInt16(first) | UInt16(byte) << 8))
        }
    }

    mutating func add(_ sample: Int16) {
        low = min(low, sample)
        high = max(high, sample)
        count += 1
        if count == samplesPerPixel { flush() }
    }

    mutating func flush() {
        guard count > 0 else { return }
        data.append(scale(low))
        data.append(scale(high))
        count = 0
        low = .max
        high = .min
    }

    func scale(_ sample: Int16) -> Int { bits == 8 ? Int(sample) >> 8 : Int(sample) }

    /// The finished document (a last partial pixel included).
    public mutating func finish() -> WaveformData {
        flush()
        return WaveformData(
            version: 2, channels: 1, sampleRate: sampleRate, samplesPerPixel: samplesPerPixel, bits: bits, length: data.count / 2, data: data)
    }
}

/// audiowaveform's JSON format, version 2.
public struct WaveformData: Sendable, Equatable, Codable {
    public var version: Int
    public var channels: Int
    public var sampleRate: Int
    public var samplesPerPixel: Int
    public var bits: Int
    public var length: Int
    public var data: [Int]

    enum CodingKeys: String, CodingKey {
        case version, channels, bits, length, data
        case sampleRate = "sample_rate"
        case samplesPerPixel = "samples_per_pixel"
    }
}
