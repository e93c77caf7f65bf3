export interface KeelErrorOptions {
  /** Stable machine-readable code; subclasses fix their own. */
  code?: string;
  cause?: unknown;
}

/** Base of every error a Keel module throws, so callers can catch them as one family. */
export class KeelError extends Error {
  readonly code: string;

  constructor(message: string, options: KeelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // Keeps `instanceof` right even if this is ever compiled to ES5.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = new.target.name;
    this.code = options.code ?? 'KEEL_ERROR';
  }
}

/** Bad module options or decorator arguments found at start-up. */
export class KeelConfigError extends KeelError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'KEEL_CONFIG', cause: options.cause });
  }
}

/** A key template that cannot work for its method; thrown at start-up, never per call. */
export class KeyTemplateError extends KeelError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'KEEL_KEY_TEMPLATE', cause: options.cause });
  }
}

export interface KeyResolutionErrorDetails {
  className: string;
  methodName: string;
  template: string;
  /** The placeholder that failed, e.g. `{0.order.id}`; absent for key functions. */
  path?: string;
  reason: string;
}

/** A key template compiled fine but the call's arguments gave no usable key. */
export class KeyResolutionError extends KeelError {
  readonly className: string;
  readonly methodName: string;
  readonly template: string;
  readonly path: string | undefined;

  constructor(details: KeyResolutionErrorDetails, options: { cause?: unknown } = {}) {
    const at = details.path === undefined ? '' : ` at ${details.path}`;
    super(
      `Cannot build the key for ${details.className}.${details.methodName}() from "${details.template}"${at}: ` +
        `${details.reason}. Pass a value there, or change the template to use a field that is always set.`,
      { code: 'KEEL_KEY_RESOLUTION', cause: options.cause },
    );
    this.className = details.className;
    this.methodName = details.methodName;
    this.template = details.template;
    this.path = details.path;
  }
}
