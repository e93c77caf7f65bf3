/**
 * Metadata on a method function: the Keel decorator keys applied to it, innermost first.
 * Composition follows this list, so decorator order decides layer order whichever lib
 * registers its layer first.
 */
export const KEEL_DECORATOR_ORDER = 'keel:decorator-order';

/** Emitted by TypeScript's `emitDecoratorMetadata` for every decorated method. */
export const DESIGN_PARAMTYPES = 'design:paramtypes';
