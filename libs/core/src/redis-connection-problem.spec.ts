import { EventEmitter } from 'node:events';
import { connectionProblem, trackConnectionErrors } from './redis-connection-problem';

// A stand-in with ioredis' shape: status, options, 'error' events (core has no ioredis).
class FakeClient extends EventEmitter {
  status = 'ready';
  constructor(readonly options: object) {
    super();
  }
}

class FakeCluster extends FakeClient {
  nodes(): unknown[] {
    return [];
  }
}

describe('connectionProblem', () => {
  it('says nothing while the client is ready', () => {
    expect(connectionProblem(new FakeClient({ host: '10.0.0.5', port: 6390 }))).toBeUndefined();
  });

  it('names the address, the status and the last error, never the password', () => {
    const client = new FakeClient({ host: '10.0.0.5', port: 6390, password: 's3cret' });
    trackConnectionErrors(client);
    trackConnectionErrors(client); // once only: one listener
    client.status = 'reconnecting';
    expect(connectionProblem(client)).toBe('Redis at 10.0.0.5:6390 is reconnecting');
    client.emit('error', new Error('connect ECONNREFUSED 10.0.0.5:6390'));
    expect(connectionProblem(client)).toBe(
      'Redis at 10.0.0.5:6390 is reconnecting (connect ECONNREFUSED 10.0.0.5:6390)',
    );
    expect(client.listenerCount('error')).toBe(1);
    expect(connectionProblem(client)).not.toContain('s3cret');
  });

  it("uses ioredis' defaults for a missing host and port, and names a Cluster as such", () => {
    const plain = new FakeClient({});
    plain.status = 'connecting';
    expect(connectionProblem(plain)).toBe('Redis at 127.0.0.1:6379 is connecting');
    const cluster = new FakeCluster({});
    cluster.status = 'end';
    expect(connectionProblem(cluster)).toBe('Redis at the cluster is end');
  });
});
