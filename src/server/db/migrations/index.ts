import core from './001_core.js';
import attachments from './002_attachments.js';
import staff from './003_staff.js';

/** Applied in order, once each, recorded in `schema_migrations`. Never edit a published migration: add one. */
export const migrations: readonly { id: string; sql: string }[] = [
  { id: '001_core', sql: core },
  { id: '002_attachments', sql: attachments },
  { id: '003_staff', sql: staff },
];
