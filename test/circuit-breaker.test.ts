import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from '../src/peers/circuit-breaker.js';
import { manualClock } from './helpers/bridge.js';

describe('circuit breaker', () => {
  it('opens after the failures in a row, then lets one round at a time try again', () => {
    const clock = manualClock();
    const breaker = createCircuitBreaker({ failures: 2, openMs: 30_000 }, clock);
    breaker.failure('peer');
    expect(breaker.isOpen('peer')).toBe(false);
    breaker.failure('peer');
    expect(breaker.isOpen('peer')).toBe(true);

    clock.advance(30_001);
    expect(breaker.isOpen('peer')).toBe(false); // the trial
    expect(breaker.isOpen('peer')).toBe(true); // a round while the trial runs
    breaker.failure('peer');
    expect(breaker.isOpen('peer')).toBe(true);

    clock.advance(30_001);
    expect(breaker.isOpen('peer')).toBe(false);
    breaker.success('peer');
    expect(breaker.isOpen('peer')).toBe(false);
    expect(breaker.isOpen('peer')).toBe(false);
  });

  it('tries again after another period when a trial never reports', () => {
    const clock = manualClock();
    const breaker = createCircuitBreaker({ failures: 1, openMs: 1_000 }, clock);
    breaker.failure('peer');
    clock.advance(1_001);
    expect(breaker.isOpen('peer')).toBe(false);
    expect(breaker.isOpen('peer')).toBe(true);
    clock.advance(1_001);
    expect(breaker.isOpen('peer')).toBe(false);
  });
});
