/// Decisions the server takes on parsed options: width snapping and expiry. Pure: the caller
/// brings the allowed widths and the clock.
extension ImageOptions {
    /// The options with the width rounded up to the nearest allowed width (the largest allowed
    /// one when the request is above them all), so arbitrary widths cannot fill the result
    /// cache. A set height is scaled by the same factor to keep the requested box's shape.
    /// Unchanged when no width was asked for or `allowed` is empty.
    public func snappedWidth(to allowed: [Int]) -> ImageOptions {
        let candidates = allowed.filter { $0 > 0 }.sorted()
        guard width > 0, let largest = candidates.last else { return self }
        let snapped = candidates.first { $0 >= width } ?? largest
        guard snapped != width else { return self }
        var result = self
        if height > 0 {
            result.height = max(1, Int((Double(height) * Double(snapped) / Double(width)).rounded()))
        }
        result.width = snapped
        return result
    }

    /// Throws `expired` when `expires` is set and `now` (Unix seconds) is past it. imgproxy
    /// refuses a URL once its timestamp is in the past; the timestamp itself is still valid.
    public func checkExpiry(now: Int) throws(ImageURLError) {
        if let expires, now > expires { throw .expired }
    }
}
