import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KeelConfigError, runWithContext } from '@keel/core';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { LoggingModule } from './logging.module';

@Injectable()
class Settings {
  readonly level = 'debug' as const;
}

@Module({ providers: [Settings], exports: [Settings] })
class SettingsModule {}

describe('LoggingModule', () => {
  it('boots with forRootAsync and logs through nestjs-pino Logger and PinoLogger', async () => {
    const lines: string[] = [];
    const destination: DestinationStream = { write: (s: string) => void lines.push(s) };
    @Module({
      imports: [
        LoggingModule.forRootAsync({
          imports: [SettingsModule],
          inject: [Settings],
          useFactory: (s: Settings) => ({ level: s.level, destination, http: false }),
        }),
      ],
    })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    try {
      const pinoLogger = await app.resolve(PinoLogger);
      pinoLogger.setContext('Job');
      runWithContext({ requestId: 'r-7' }, () => {
        pinoLogger.debug({ token: 't' }, 'debug line');
        app.get(Logger).log('nest line', 'Boot');
      });
      const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(parsed).toEqual([
        expect.objectContaining({
          msg: 'debug line',
          context: 'Job',
          requestId: 'r-7',
          token: '[Redacted]',
        }),
        expect.objectContaining({ msg: 'nest line', context: 'Boot', requestId: 'r-7' }),
      ]);
    } finally {
      await app.close();
    }
  });

  it('fails the boot with KeelConfigError naming the bad option', async () => {
    @Module({ imports: [LoggingModule.forRoot({ level: 'loud' as 'info' })] })
    class BadModule {}
    await expect(
      NestFactory.createApplicationContext(BadModule, { logger: false, abortOnError: false }),
    ).rejects.toThrow(KeelConfigError);
    await expect(
      NestFactory.createApplicationContext(BadModule, { logger: false, abortOnError: false }),
    ).rejects.toThrow(/level/);
  });
});
