import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { LoggingModuleOptions } from './logging.options';

export const {
  ConfigurableModuleClass: LoggingConfigurableModule,
  MODULE_OPTIONS_TOKEN: LOGGING_MODULE_OPTIONS,
  OPTIONS_TYPE: LOGGING_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: LOGGING_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<LoggingModuleOptions>().setClassMethodName('forRoot').build();
