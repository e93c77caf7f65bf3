// The public API of @keel/messaging/outbox: the transactional outbox on TypeORM. An entry of its
// own, so that apps without typeorm (an optional peer) never load or type-check against it.
export { OutboxModule } from './outbox.module';
export { OUTBOX_ASYNC_OPTIONS_TYPE, OUTBOX_OPTIONS_TYPE } from './outbox.module-definition';
export { OutboxService, type OutboxMessage } from './outbox.service';
export { OutboxRelay, type RelayPass } from './outbox-relay';
export {
  createOutboxTable,
  DEFAULT_OUTBOX_TABLE,
  outboxEntity,
  type OutboxRecord,
} from './outbox.entity';
export { OutboxTransactionError } from './outbox.errors';
export type { OutboxModuleOptions, OutboxRelayOptions } from './outbox.options';
