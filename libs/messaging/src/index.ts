// The whole public API of @keel/messaging.
export {};
