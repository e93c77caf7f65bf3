import { HealthState } from './health-state.service';

describe('HealthState', () => {
  it('is starting until bootstrap, then ready, and only ever moves forward', () => {
    const s = new HealthState();
    expect(s.phase).toBe('starting');
    s.onApplicationBootstrap();
    expect(s.phase).toBe('ready');
    s.advance('stopping');
    s.advance('draining');
    expect(s.phase).toBe('stopping');
    s.onApplicationBootstrap();
    expect(s.phase).toBe('stopping');
  });
});
