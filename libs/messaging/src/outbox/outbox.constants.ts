export const OUTBOX_STORE = Symbol('keel.outbox.store');
export const RESOLVED_OUTBOX_OPTIONS = Symbol('keel.outbox.resolved-options');
export const OUTBOX_METRICS = Symbol('keel.outbox.metrics');

/** relay.publishTimeoutMs when not given. */
export const DEFAULT_PUBLISH_TIMEOUT_MS = 10_000;
