#!/usr/bin/env node
// Readiness probes for scripts/stack.sh. Prints the server's version on success, exits 1 otherwise.
//   probe.js redis <port> | kafka <brokers> | mariadb <host> <port> [createDb...] | postgres <url>
'use strict';

const [kind, ...rest] = process.argv.slice(2);
const TIMEOUT_MS = Number(process.env.PROBE_TIMEOUT_MS || 3000);

async function redis(port) {
  const Redis = require('ioredis');
  const client = new Redis({
    host: '127.0.0.1',
    port: Number(port),
    lazyConnect: true,
    connectTimeout: TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await client.connect();
    if ((await client.ping()) !== 'PONG') throw new Error('no PONG');
    const info = await client.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  } finally {
    client.disconnect();
  }
}

async function kafka(brokers) {
  const { Kafka, logLevel } = require('kafkajs');
  const admin = new Kafka({
    clientId: 'keel-stack-probe',
    brokers: brokers.split(','),
    connectionTimeout: TIMEOUT_MS,
    requestTimeout: TIMEOUT_MS,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    await admin.listTopics();
    const cluster = await admin.describeCluster();
    return `${cluster.brokers.length} broker(s), controller ${cluster.controller}`;
  } finally {
    await admin.disconnect();
  }
}

async function mariadb(host, port, ...databases) {
  const mysql = require('mysql2/promise');
  const conn = await mysql.createConnection({
    host,
    port: Number(port),
    user: process.env.MARIADB_USER || 'root',
    password: process.env.MARIADB_PASSWORD || '',
    connectTimeout: TIMEOUT_MS,
  });
  try {
    for (const db of databases) {
      if (!/^\w+$/.test(db)) throw new Error(`bad database name ${db}`);
      await conn.query(`CREATE DATABASE IF NOT EXISTS \`${db}\``);
    }
    const [rows] = await conn.query('SELECT VERSION() AS v');
    return rows[0].v;
  } finally {
    await conn.end();
  }
}

async function postgres(url) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: TIMEOUT_MS });
  await client.connect();
  try {
    const { rows } = await client.query('SHOW server_version');
    return rows[0].server_version;
  } finally {
    await client.end();
  }
}

const probes = { redis, kafka, mariadb, postgres };
const probe = probes[kind];
if (!probe) {
  console.error(
    `usage: probe.js redis <port> | kafka <brokers> | mariadb <host> <port> [db...] | postgres <url>`,
  );
  process.exit(2);
}
const timer = setTimeout(() => {
  console.error(`${kind}: no answer within ${TIMEOUT_MS * 2} ms`);
  process.exit(1);
}, TIMEOUT_MS * 2);
probe(...rest).then(
  (version) => {
    clearTimeout(timer);
    console.log(version);
  },
  (err) => {
    clearTimeout(timer);
    console.error(`${kind}: ${err && err.message ? err.message : err}`);
    process.exit(1);
  },
);
