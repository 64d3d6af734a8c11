/** The audit log as CSV (RFC 4180, CRLF, UTF-8 with BOM so Excel reads the Japanese). */
import type { AuditEntry } from './store.ts';

const HEADER = ['id', '日時', '実行者', '操作', '計画ID', '組織ID', '項目', '内容', 'IPアドレス'];

export function auditToCsv(entries: readonly AuditEntry[]): string {
  const rows = entries.map((e) => [
    String(e.id),
    e.at.toISOString(),
    e.actor,
    e.action,
    e.planId === null ? '' : String(e.planId),
    e.organizationId === null ? '' : String(e.organizationId),
    e.item ?? '',
    e.detail === null || e.detail === undefined ? '' : JSON.stringify(e.detail),
    e.ip ?? '',
  ]);
  return `\uFEFF${[HEADER, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

function csvField(value: string): string {
  // A leading = + - @ would run as a formula in a spreadsheet: quote it behind an apostrophe.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}
