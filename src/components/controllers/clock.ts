/**
 * Time for controllers: the SDK's timer clock, injected so tests move it by hand (`ManualClock` in tests/support)
 * instead of sleeping.
 */
export { systemClock, type TimerClock as Clock } from '../../sdk/clock.js';
