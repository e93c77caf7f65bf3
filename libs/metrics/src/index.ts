// The whole public API of @keel/metrics.
export {};
