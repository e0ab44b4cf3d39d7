import ArgumentParser
import Foundation
import MagpieCore
import ObjectService

extension Admin {
    /// `magpie admin usage`: bytes and versions per bucket and storage class, and what they would
    /// cost per month at the seed's prices.
    struct Usage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bytes and object counts per bucket and storage class, with the monthly cost at the seed's price table."
        )
        @OptionGroup var options: ClientOptions
        @Flag(help: "Print the server's JSON answer instead of a table.") var json = false

        func run() async throws {
            let data = try await options.client().send("GET", "/-/admin/v1/usage")
            if json { return printJSON(data) }
            print(Self.table(try JSONDecoder().decode(UsageReport.self, from: data)), terminator: "")
        }

        static func table(_ report: UsageReport) -> String {
            var rows = [["BUCKET", "STORAGE CLASS", "OBJECTS", "BYTES", "USD/MONTH"]]
            for line in report.lines {
                rows.append([
                    line.bucket, line.storageClass + (line.restoredCopies ? " (restored copies)" : ""), String(line.objects), String(line.bytes),
                    String(format: "%.8f", line.monthlyCostUSD),
                ])
            }
            rows.append(["TOTAL", "", String(report.totalObjects), String(report.totalBytes), String(format: "%.8f", report.totalMonthlyCostUSD)])
            let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
            var text = ""
            for row in rows {
                let cells = row.enumerated().map { column, cell in
                    column >= 2
                        ? String(repeating: " ", count: widths[column] - cell.count) + cell
                        : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                }
                text += cells.joined(separator: "  ") + "\n"
            }
            let prices = StorageClass.all.compactMap { storageClass in report.pricesUSDPerGBMonth[storageClass.rawValue].map { "\(storageClass) \($0)" } }
                .joined(separator: ", ")
            return text + "Prices, USD per GB-month (GB = 10^9 bytes): \(prices)\n"
        }
    }
}
