// The whole public API of @keel/health.
export { HealthModule } from './health.module';
export { HEALTH_ASYNC_OPTIONS_TYPE, HEALTH_OPTIONS_TYPE } from './health.module-definition';
export type { HealthModuleOptions, KafkaHealthTarget } from './health.options';
export { HealthChecks } from './health-checks.service';
export { HealthState, type HealthPhase } from './health-state.service';
export { RedisHealthIndicator } from './indicators/redis.health';
export { KafkaHealthIndicator } from './indicators/kafka.health';
