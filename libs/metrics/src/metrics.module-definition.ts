import { ConfigurableModuleBuilder } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { METRICS_ENDPOINT } from './metrics.constants';
import { createMetricsEndpoint } from './metrics.controller';
import type { MetricsModuleOptions } from './metrics.options';

export const {
  ConfigurableModuleClass: MetricsConfigurableModule,
  MODULE_OPTIONS_TOKEN: METRICS_MODULE_OPTIONS,
  OPTIONS_TYPE: METRICS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: METRICS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<MetricsModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => {
    // One controller class per module instance: its route is set once options are known,
    // which for forRootAsync is only while Nest creates instances (before routes are bound).
    const endpoint = createMetricsEndpoint();
    return {
      ...definition,
      global: extras.isGlobal,
      imports: [
        ...(definition.imports ?? []),
        // Our registry, default metrics and labels are set up by MetricsService, not here.
        PrometheusModule.register({
          controller: endpoint.controller,
          defaultMetrics: { enabled: false },
          global: false,
        }),
      ],
      providers: [
        ...(definition.providers ?? []),
        { provide: METRICS_ENDPOINT, useValue: endpoint },
      ],
    };
  })
  .build();
