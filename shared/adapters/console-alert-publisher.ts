import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AlertPublisher, Clock } from '../ports.ts';
import type { Alert } from '../domain/types.ts';

/**
 * The local stand-in for SNS: each alert is appended as one JSON line to `<data-dir>/alerts.jsonl`
 * (the record other programs read) and shown on the console unless the run asked for JSON only.
 */
export class ConsoleAlertPublisher implements AlertPublisher {
  constructor(
    private readonly file: string,
    private readonly clock: Clock,
    private readonly print: ((text: string) => void) | null = (text) => process.stderr.write(text),
  ) {}

  async publish(alert: Alert): Promise<string> {
    const publishedAt = this.clock().toISOString();
    const record = { storyId: alert.storyId, level: alert.level, subject: alert.subject, email: alert.email, sms: alert.sms, attributes: alert.attributes, publishedAt };
    await mkdir(dirname(this.file), { recursive: true });
    await appendFile(this.file, `${JSON.stringify(record)}\n`);
    this.print?.(`\nALERT ${alert.subject}\n  SMS: ${alert.sms}\n`);
    return `local-${alert.storyId}-${alert.level}`;
  }
}
