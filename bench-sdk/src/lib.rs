//! Empty: the benchmarks are in `benches/`, the apps in `ours-app/` and `sdk-app/`.
