/**
 * Structured logs, one JSON object per line. Only what an operator needs: never bodies, personal fields, query
 * keys, ack tokens, file names or client addresses. Callers pass fields explicitly; nothing is logged wholesale.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;
export type Logger = (level: 'info' | 'warn' | 'error', event: string, fields?: LogFields) => void;

export const jsonLogger =
  (write: (line: string) => void = (line) => process.stdout.write(line + '\n')): Logger =>
  (level, event, fields = {}) =>
    write(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));

export const silentLogger: Logger = () => {};
