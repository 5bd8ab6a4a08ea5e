/** The server's notion of now (the SDK's one `Clock`), injected so tests move time instead of sleeping. */
export { systemClock, type Clock } from '../sdk/clock.js';
