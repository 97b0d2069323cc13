// The audit log's filters as typed (dates, texts) made into the query of GET /api/v1/audit-events:
// a day is a whole day in Shanghai time (the server takes RFC 3339 times with an offset).
import { formatMoney } from '../../lib/format';
import type { AuditQuery } from './api';

export interface AuditFilters {
  from?: string; // yyyy-MM-dd
  to?: string; // yyyy-MM-dd
  actor_id?: string;
  actor_login?: string; // a staff member's login
  action?: string;
  object_type?: string;
  object_id?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function auditQuery(filters: AuditFilters, afterSeq?: number, limit = 50): AuditQuery {
  const query: AuditQuery = { limit };
  if (filters.from && DATE.test(filters.from)) query.from = `${filters.from}T00:00:00+08:00`;
  if (filters.to && DATE.test(filters.to)) query.to = `${filters.to}T23:59:59.999+08:00`;
  for (const key of ['actor_login', 'actor_id', 'action', 'object_type', 'object_id'] as const) {
    const value = filters[key]?.trim();
    if (value) query[key] = value;
  }
  if (afterSeq !== undefined) query.after_seq = afterSeq;
  return query;
}

// A summary object as one line of "name: value" pairs (values already masked by the server): each
// key by its name in `names` (the namespace's auditSummaryKeys) when it has one, amounts in fen
// (keys ending in `_fen`) as money, codes by their names in `values` (auditSummaryValues), nested
// values as JSON.
export function summaryText(summary: unknown, names?: unknown, values?: unknown): string {
  if (!summary || typeof summary !== 'object') return '';
  return Object.entries(summary as Record<string, unknown>)
    .map(([key, value]) => {
      const name = (names && auditName(names, key)) || key;
      return `${name}: ${valueText(key, value, values)}`;
    })
    .join('; ');
}

// One summary value: amounts in fen as money; a code (or a list of codes) named by the key's table
// in `values` (a namespace's auditSummaryValues: values.channel.sms names channel "sms"), a code
// without a name as it is; other objects as JSON.
function valueText(key: string, value: unknown, values: unknown): string {
  if (key.endsWith('_fen') && Number.isSafeInteger(value)) return formatMoney(value as number);
  const table = values && typeof values === 'object' && Object.prototype.hasOwnProperty.call(values, key)
    ? (values as Record<string, unknown>)[key]
    : undefined;
  const named = (code: unknown) => (typeof code === 'string' && table ? auditName(table, code) : undefined) ?? String(code);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.map(named).join('、');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return named(value);
}

// The name `names` (a namespace's auditActions, auditObjects or auditResults, as i18next returns
// it with returnObjects) gives code `code` ('card.activate' walks auditActions.card.activate), or
// undefined when it has none: a code the console does not know yet is shown as it is.
export function auditName(names: unknown, code: string): string | undefined {
  let node: unknown = names;
  for (const part of code.split('.')) {
    if (!node || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}
