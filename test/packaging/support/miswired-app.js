// Miswired apps, as a user could write them, run from the packed libs: each must fail its boot
// with Keel's message, never start quietly wrong. `node miswired-app.js <case>`; prints
// `KEEL_BOOT_FAILED <message>` and exits 1, or `KEEL_BOOTED` and exits 0.
'use strict';
require('reflect-metadata');
const { Injectable, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { DistributedLock } = require('@keel/lock');
const { LoggingModule } = require('@keel/logging');
const { MetricsModule } = require('@keel/metrics');

class Captures {
  capture(id) {
    return Promise.resolve(id);
  }
}
const descriptor = Object.getOwnPropertyDescriptor(Captures.prototype, 'capture');
Object.defineProperty(
  Captures.prototype,
  'capture',
  Reflect.decorate(
    [DistributedLock({ key: 'capture:{0}' })],
    Captures.prototype,
    'capture',
    descriptor,
  ),
);
Injectable()(Captures);

const cases = {
  // @DistributedLock, but LockModule never imported: the method would run unlocked
  'lock-without-module': [LoggingModule.forRoot({ service: 'miswired', level: 'silent' })],
  // MetricsModule from the app and again from a feature module
  'metrics-twice': [
    MetricsModule.forRoot({ service: 'payments', defaultMetrics: false }),
    MetricsModule.forRoot({ service: 'shared', defaultMetrics: false }),
  ],
};

async function main() {
  const imports = cases[process.argv[2]];
  if (!imports) throw new Error(`miswired-app: unknown case ${process.argv[2]}`);
  class AppModule {}
  Module({ imports, providers: [Captures] })(AppModule);
  try {
    const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
    await app.init();
    await app.close();
    console.log('KEEL_BOOTED');
  } catch (err) {
    console.log(`KEEL_BOOT_FAILED ${err.message}`);
    process.exitCode = 1;
  }
}

void main();
