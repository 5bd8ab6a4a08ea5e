import core from './001_core.js';
import attachments from './002_attachments.js';

/** Applied in order, once each, recorded in `schema_migrations`. Never edit a published migration: add one. */
export const migrations: readonly { id: string; sql: string }[] = [
  { id: '001_core', sql: core },
  { id: '002_attachments', sql: attachments },
];
