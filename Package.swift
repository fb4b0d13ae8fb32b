// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "newsfacts",
    products: [
        .executable(name: "newsfacts", targets: ["newsfacts"]),
        .library(name: "NewsFacts", targets: ["NewsFacts"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The system ICU (libicu-dev), found through pkg-config. Only CICUShim sees its headers.
        .systemLibrary(
            name: "CICU",
            pkgConfig: "icu-i18n",
            providers: [.apt(["libicu-dev", "pkg-config"])]
        ),
        // C/C++ bridge whose public header includes no ICU header (Swift + Foundation + ICU
        // headers in one module clash on UErrorCode).
        .target(
            name: "CICUShim",
            dependencies: ["CICU"]
        ),
        .target(
            name: "NewsFacts",
            dependencies: ["CICUShim"],
            swiftSettings: [
                // The matcher's inner loop works on value-type arrays it owns; dynamic
                // exclusivity checks cost about 5% there (measured with `newsfacts bench`).
                .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
            ]
        ),
        .executableTarget(
            name: "newsfacts",
            dependencies: [
                "NewsFacts",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "NewsFactsTests",
            dependencies: ["NewsFacts"]
        ),
    ],
    swiftLanguageModes: [.v5],
    cxxLanguageStandard: .cxx17
)
