/**
 * iCalendar (RFC 5545) as text: all-day events, escaped, folded at 75 octets, CRLF.
 * Pure; the check calendar (src/app/checks.ts) decides which events a feed carries.
 */

export interface CalendarEvent {
  uid: string;
  /** ISO date: an all-day event. */
  date: string;
  summary: string;
  description: string;
}

/** RFC 5545 TEXT: backslash, semicolon, comma and line breaks escaped. */
export function escapeICalText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** A content line folded at 75 octets (never inside a UTF-8 character), continuation lines starting with a space. */
export function foldICalLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    // The first line holds 75 octets; each continuation 74 after its leading space.
    if (octets + size > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const icalDate = (iso: string) => iso.replace(/-/g, '');

export function renderICalendar(events: readonly CalendarEvent[], now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Hoshin//Check calendar//JA', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeICalText('運営方針の点検予定')}`];
  for (const e of events) {
    const next = new Date(`${e.date}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeICalText(e.uid)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${icalDate(e.date)}`,
      `DTEND;VALUE=DATE:${icalDate(next.toISOString().slice(0, 10))}`,
      `SUMMARY:${escapeICalText(e.summary)}`,
      `DESCRIPTION:${escapeICalText(e.description)}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldICalLine).join('\r\n')}\r\n`;
}
