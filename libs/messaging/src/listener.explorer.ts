import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import { KeelConfigError } from '@keel/core';
import { HandlerDiscoveryService } from '@keel/core/internal';
import type { Kafka } from 'kafkajs';
import type { DedupeStore } from './dedupe-store';
import { FailureRouter } from './failure-router';
import { KafkaProducer } from './kafka.producer';
import { ListenerContainer } from './listener-container';
import { defineListener, type ListenerDefinition } from './listener-definition';
import { MessageDispatcher } from './message-dispatcher';
import {
  DEDUPE_STORE,
  KAFKA_CLIENT,
  KAFKA_LISTENER_METADATA,
  MESSAGE_SERIALIZER,
  MESSAGING_METRICS,
  RESOLVED_MESSAGING_OPTIONS,
} from './messaging.constants';
import type { MessagingMetrics } from './messaging.metrics';
import type {
  KafkaListenerOptions,
  MessageSerializer,
  ResolvedMessagingOptions,
} from './messaging.options';
import { MessagingStatus } from './messaging-status';
import { TopicProvisioner, type TopicSpec } from './topic-provisioner';

/**
 * Finds @KafkaListener methods at start-up (onModuleInit), starts one consumer per listener
 * once the app is up, and drains them before the app's connections close.
 */
@Injectable()
export class ListenerExplorer
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly containers: ListenerContainer[] = [];
  private readonly definitions: ListenerDefinition[] = [];
  private readonly provisioner: TopicProvisioner;

  constructor(
    private readonly discovery: HandlerDiscoveryService,
    private readonly producer: KafkaProducer,
    private readonly status: MessagingStatus,
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(RESOLVED_MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    @Inject(MESSAGE_SERIALIZER) private readonly serializer: MessageSerializer,
    @Inject(MESSAGING_METRICS) private readonly metrics: MessagingMetrics,
    @Optional() @Inject(DEDUPE_STORE) private readonly dedupe: DedupeStore | null,
  ) {
    this.provisioner = new TopicProvisioner(kafka, options.replicationFactor);
  }

  onModuleInit(): void {
    const groups = new Map<string, string>();
    for (const handler of this.discovery.findMethods<KafkaListenerOptions>(
      KAFKA_LISTENER_METADATA,
    )) {
      const def = defineListener(handler, this.options, this.dedupe !== null);
      const other = groups.get(def.groupId);
      if (other) {
        throw new KeelConfigError(
          `@KafkaListener on ${def.name}() and ${other}() share groupId "${def.groupId}": ` +
            'give each listener its own groupId (each gets its own consumer).',
        );
      }
      groups.set(def.groupId, def.name);
      this.definitions.push(def);
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    const provisioner = this.provisioner;
    const topics = this.topicsToCreate();
    // one provisioning at a time for every listener, tried again after a failure
    let provisioned: Promise<void> | undefined;
    const prepare = (): Promise<void> =>
      (provisioned ??= provisioner.ensure(topics).catch((err: unknown) => {
        provisioned = undefined;
        throw err;
      }));
    for (const def of this.definitions) {
      const router = new FailureRouter(def, this.producer, this.metrics);
      const dispatcher = new MessageDispatcher(
        def,
        this.serializer,
        router,
        this.metrics,
        this.dedupe,
      );
      const container = new ListenerContainer(
        def,
        this.kafka,
        dispatcher,
        this.metrics,
        {
          initialMs: this.options.restartInitialMs,
          maxMs: this.options.restartMaxMs,
        },
        this.options.consumer,
      );
      this.status.register(def.groupId, () => container.status());
      this.containers.push(container);
    }
    // side by side: with the broker down, boot waits for one round of kafkajs retries, not one each
    await Promise.all(this.containers.map((c) => c.launch(prepare)));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.provisioner.close();
    await Promise.all(this.containers.map((c) => c.stop()));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dedupe?.close();
  }

  // Retry and DLT topics of fixed-topic listeners; pattern listeners' DLTs are auto-created.
  private topicsToCreate(): Map<string, TopicSpec> {
    const wanted = new Map<string, TopicSpec>();
    for (const def of this.definitions) {
      if (def.provision) for (const t of def.topics) wanted.set(t, def.provision);
      for (const t of def.retryTopics) {
        wanted.set(t, { copyFrom: t.replace(/\.retry\.\d+$/, '') });
      }
      if (def.dltFor) for (const t of def.topics) wanted.set(def.dltFor(t), { copyFrom: t });
    }
    return wanted;
  }
}
