import core from './001_core.js';
import attachments from './002_attachments.js';
import staff from './003_staff.js';
import m004 from './004_privacy.js';
import m005 from './005_pow.js';
import m006 from './006_sms.js';
import m007 from './007_uploads.js';
import m008 from './008_keys.js';
import m009 from './009_coarse_times.js';
import m010 from './010_attachment_ids.js';
import m011 from './011_staff_roles.js';

/** Applied in order, once each, recorded in `schema_migrations`. Never edit a published migration: add one. */
export const migrations: readonly { id: string; sql: string }[] = [
  { id: '001_core', sql: core },
  { id: '002_attachments', sql: attachments },
  { id: '003_staff', sql: staff },
  { id: '004_privacy', sql: m004 },
  { id: '005_pow', sql: m005 },
  { id: '006_sms', sql: m006 },
  { id: '007_uploads', sql: m007 },
  { id: '008_keys', sql: m008 },
  { id: '009_coarse_times', sql: m009 },
  { id: '010_attachment_ids', sql: m010 },
  { id: '011_staff_roles', sql: m011 },
];
