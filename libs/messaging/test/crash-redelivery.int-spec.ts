import { Injectable } from '@nestjs/common';
import { KafkaListener } from '@keel/messaging';
import {
  bootMessagingApp,
  createTopics,
  Inbox,
  unique,
  type MessagingApp,
} from './support/messaging-app';
import { printed, spawnWorker } from './support/spawn-worker';

describe('@keel/messaging commit after success across a crash (integration)', () => {
  let ctx: MessagingApp | undefined;
  afterEach(async () => {
    await ctx?.app.close();
    ctx = undefined;
  });

  it('redelivers a message whose process was killed mid-handler', async () => {
    const topic = unique('crash');
    const groupId = unique('crash-group');
    await createTopics([topic]);
    const worker = spawnWorker([topic, groupId]);
    try {
      await printed(worker, 'RUNNING');
      const handling = printed(worker, 'HANDLING 1');
      ctx = await bootMessagingApp([]);
      await ctx.producer.send(topic, { n: 1 });
      await ctx.producer.send(topic, { n: 2 });
      await handling;
    } finally {
      worker.kill('SIGKILL');
    }
    await ctx?.app.close();
    const inbox = new Inbox<number>();
    @Injectable()
    class Survivor {
      @KafkaListener({ topics: topic, groupId, fromBeginning: true })
      handle(payload: { n: number }): void {
        inbox.push(payload.n);
      }
    }
    // the dead member's session must time out before the group rebalances to the survivor
    ctx = await bootMessagingApp([Survivor]);
    expect(await inbox.waitFor(2, 40_000)).toEqual([1, 2]);
  });
});
