import type { DataSource, EntityManager, EntitySchema } from 'typeorm';
import { outboxEntity, type OutboxRecord } from './outbox.entity';

export type NewOutboxRow = Omit<OutboxRecord, 'id' | 'sentAt'>;

/** `topic` and `key` as one map key: order is kept per key within a topic (a partition). */
export const orderKey = (row: Pick<OutboxRecord, 'topic' | 'key'>): string =>
  `${row.topic}\u0000${row.key}`;

/** The outbox's SQL, through TypeORM's query builder so one text fits both dialects. */
export class OutboxStore {
  readonly entity: EntitySchema<OutboxRecord>;

  constructor(
    private readonly dataSource: DataSource,
    readonly tableName: string,
  ) {
    this.entity = outboxEntity(tableName);
  }

  async insert(em: EntityManager, row: NewOutboxRow): Promise<string> {
    const result = await em.createQueryBuilder().insert().into(this.entity).values(row).execute();
    const identifier = result.identifiers[0] as { id?: string | number } | undefined;
    return String(identifier?.id ?? '');
  }

  /** The oldest pending rows no other relay holds, locked until `em`'s transaction ends. */
  claim(em: EntityManager, limit: number): Promise<OutboxRecord[]> {
    return em
      .createQueryBuilder(this.entity, 'o')
      .where('o.sentAt IS NULL')
      .orderBy('o.id', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  /**
   * For each key of the claimed rows: the first id of a pending row of that key that this claim
   * does not hold (another relay has it, locked). Claimed rows of the key from there on must wait.
   */
  async blockedFrom(em: EntityManager, claimed: OutboxRecord[]): Promise<Map<string, bigint>> {
    const blocked = new Map<string, bigint>();
    const keys = [...new Set(claimed.filter((r) => r.key !== null).map((r) => r.key as string))];
    if (keys.length === 0) return blocked;
    const ids = claimed.map((r) => r.id);
    const maxId = ids.reduce((a, b) => (BigInt(a) > BigInt(b) ? a : b));
    const rows = await em
      .createQueryBuilder(this.entity, 'o')
      .select('o.topic', 'topic')
      .addSelect('o.key', 'key')
      .addSelect('MIN(o.id)', 'minId')
      .where('o.sentAt IS NULL')
      .andWhere('o.key IN (:...keys)', { keys })
      .andWhere('o.id < :maxId', { maxId })
      .andWhere('o.id NOT IN (:...ids)', { ids })
      .groupBy('o.topic')
      .addGroupBy('o.key')
      .getRawMany<{ topic: string; key: string; minId: string | number }>();
    for (const r of rows) blocked.set(orderKey(r), BigInt(r.minId));
    return blocked;
  }

  async markSent(em: EntityManager, ids: string[], now: number): Promise<void> {
    if (ids.length === 0) return;
    await em
      .createQueryBuilder()
      .update(this.entity)
      .set({ sentAt: String(now) })
      .whereInIds(ids)
      .execute();
  }

  async stats(): Promise<{ pending: number; oldestCreatedAt: number | null }> {
    const raw = await this.dataSource
      .createQueryBuilder(this.entity, 'o')
      .select('COUNT(*)', 'pending')
      .addSelect('MIN(o.createdAt)', 'oldest')
      .where('o.sentAt IS NULL')
      .getRawOne<{ pending: string | number; oldest: string | number | null }>();
    const oldest = raw?.oldest;
    return {
      pending: Number(raw?.pending ?? 0),
      oldestCreatedAt: oldest === null || oldest === undefined ? null : Number(oldest),
    };
  }

  /** Deletes rows sent before `before` (epoch ms). */
  async purge(before: number): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(this.entity)
      .where('sent_at IS NOT NULL AND sent_at < :before', { before: String(before) })
      .execute();
  }
}
