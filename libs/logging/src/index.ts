// The whole public API of @keel/logging.
export {};
