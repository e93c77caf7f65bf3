import { KeelError } from '@keel/core';

/** `OutboxService.add` was given an EntityManager outside a transaction. */
export class OutboxTransactionError extends KeelError {
  constructor() {
    super(
      'OutboxService.add needs the EntityManager of a running transaction ' +
        '(the one dataSource.transaction(...) passes you), so the event commits with your data.',
      { code: 'KEEL_OUTBOX_NO_TRANSACTION' },
    );
  }
}
