import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { HealthModuleOptions } from './health.options';

export const {
  ConfigurableModuleClass: HealthConfigurableModule,
  MODULE_OPTIONS_TOKEN: HEALTH_MODULE_OPTIONS,
  OPTIONS_TYPE: HEALTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: HEALTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<HealthModuleOptions>().setClassMethodName('forRoot').build();
