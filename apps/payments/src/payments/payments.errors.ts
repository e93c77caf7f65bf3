/** The payment does not exist. */
export class PaymentNotFoundError extends Error {
  override readonly name = 'PaymentNotFoundError';

  constructor(readonly paymentId: string) {
    super(`payment ${paymentId} does not exist`);
  }
}

/** The payment exists but cannot do this now (already captured, captured for less, ...). */
export class PaymentStateError extends Error {
  override readonly name = 'PaymentStateError';

  constructor(
    readonly paymentId: string,
    message: string,
  ) {
    super(`payment ${paymentId}: ${message}`);
  }
}
