// The whole public API of @keel/health.
export {};
