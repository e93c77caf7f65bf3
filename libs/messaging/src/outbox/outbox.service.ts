import { Inject, Injectable, Logger } from '@nestjs/common';
import { getContext } from '@keel/core';
import type { EntityManager } from 'typeorm';
import { contextHeaders } from '../message-headers';
import { MESSAGE_SERIALIZER } from '../messaging.constants';
import type { MessageSerializer } from '../messaging.options';
import { maskEventCardData } from './card-data';
import { OUTBOX_STORE } from './outbox.constants';
import { OutboxTransactionError } from './outbox.errors';
import type { OutboxStore } from './outbox-store';

export interface OutboxMessage {
  topic: string;
  /** Rows with the same key (and topic) are published in the order they were added. */
  key?: string | null;
  /** Serialized with the messaging module's serializer (JSON by default) when added. */
  value: unknown;
  headers?: Record<string, string>;
}

/** Adds events to the outbox inside the caller's transaction; the relay publishes them. */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger('KeelOutbox');

  constructor(
    @Inject(OUTBOX_STORE) private readonly store: OutboxStore,
    @Inject(MESSAGE_SERIALIZER) private readonly serializer: MessageSerializer,
  ) {}

  /**
   * Inserts one outbox row with `entityManager`, which must be in a transaction: the event is
   * published if and only if that transaction commits. Returns the row id.
   */
  async add(entityManager: EntityManager, message: OutboxMessage): Promise<string> {
    if (!entityManager?.queryRunner?.isTransactionActive) throw new OutboxTransactionError();
    const { topic, key = null, headers = {} } = message;
    if (typeof topic !== 'string' || topic === '') {
      throw new TypeError('OutboxService.add: topic must be a non-empty string');
    }
    if (key !== null && typeof key !== 'string') {
      throw new TypeError('OutboxService.add: key must be a string or null');
    }
    // No full card number is stored in the outbox table nor published: masked, with a warning
    // that names where (never what), so the event can be fixed at its source.
    const masked = maskEventCardData({ key, value: message.value, headers }, 'message');
    if (masked.paths.length > 0) {
      this.logger.warn(
        `outbox message for topic "${topic}" carried card data at ${masked.paths.join(', ')}: ` +
          'masked before it was stored. Send a token or the last four digits instead.',
      );
    }
    const value = this.serializer.serialize(masked.value.value);
    return this.store.insert(entityManager, {
      topic,
      key: masked.value.key,
      payload: Buffer.isBuffer(value) ? value.toString('base64') : value,
      encoding: Buffer.isBuffer(value) ? 'base64' : 'utf8',
      // The caller's trace continues in the consumer, however late the relay publishes.
      headers: JSON.stringify({ ...contextHeaders(getContext()), ...masked.value.headers }),
      createdAt: String(Date.now()),
    });
  }
}
