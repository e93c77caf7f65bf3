import { Module } from '@nestjs/common';
import { MESSAGING_MODULE_OPTIONS } from '../messaging.module-definition';
import type { MessagingModuleOptions } from '../messaging.options';
import { OUTBOX_METRICS, OUTBOX_STORE, RESOLVED_OUTBOX_OPTIONS } from './outbox.constants';
import { OutboxMetrics } from './outbox.metrics';
import { OUTBOX_MODULE_OPTIONS, OutboxConfigurableModule } from './outbox.module-definition';
import type { OutboxModuleOptions, ResolvedOutboxOptions } from './outbox.options';
import { OutboxRelay } from './outbox-relay';
import { OutboxService } from './outbox.service';
import { OutboxStore } from './outbox-store';
import { resolveOutboxOptions } from './outbox.validation';

/**
 * Transactional outbox: `OutboxModule.forRoot({ dataSource })` or `forRootAsync(...)`, next to a
 * global `MessagingModule` (its producer, serializer and metrics registry are used).
 */
@Module({
  providers: [
    {
      provide: RESOLVED_OUTBOX_OPTIONS,
      inject: [OUTBOX_MODULE_OPTIONS],
      useFactory: (options: OutboxModuleOptions) => resolveOutboxOptions(options),
    },
    {
      provide: OUTBOX_STORE,
      inject: [RESOLVED_OUTBOX_OPTIONS],
      useFactory: (o: ResolvedOutboxOptions) => new OutboxStore(o.dataSource, o.tableName),
    },
    {
      provide: OUTBOX_METRICS,
      inject: [MESSAGING_MODULE_OPTIONS],
      useFactory: (messaging: MessagingModuleOptions) => new OutboxMetrics(messaging.registry),
    },
    OutboxService,
    OutboxRelay,
  ],
  exports: [OutboxService, OutboxRelay],
})
export class OutboxModule extends OutboxConfigurableModule {}
