import type { ClientCapacity } from './client-capacity.js';
import { countersTaken } from './counter.js';
import { SERVER_LEGENDS, SERVER_LABELS, type RunLine } from './results.js';

/** What a reader needs to trust the table: what each line is, and whether anything disturbed it. */
export function runNotes(lines: readonly RunLine[], capacity: ClientCapacity): string[] {
  const notes: string[] = [];
  const ran = new Set(lines.map((l) => l.server));
  for (const server of Object.keys(SERVER_LEGENDS) as (keyof typeof SERVER_LEGENDS)[]) {
    if (ran.has(server)) notes.push(`${SERVER_LABELS[server]}: ${SERVER_LEGENDS[server]}`);
  }
  notes.push('CPU: cores busy during the timed run (1.00 = one core): the bench process (autocannon), the server, every other process.');
  for (const echo of lines.filter((l) => l.server === 'echo')) {
    notes.push(`echo ${echo.variant}, events/s per round (the machine's drift): ${echo.rounds.map((r) => Math.round(r).toLocaleString('en-GB')).join(', ')}`);
    const perSecond = echo.load.responses / echo.load.seconds;
    notes.push(
      `client headroom, echo ${echo.variant}: ${Math.round(perSecond).toLocaleString('en-GB')} requests/s served; the client frames ` +
        `${(capacity.requestsPerSecond / perSecond).toFixed(1)} × that, and used ${echo.load.clientCores.toFixed(2)} of a core while the echo used ${echo.load.serverCores?.toFixed(2) ?? 'n/a'}.`,
    );
  }
  const busy = lines.filter((l) => l.load.clientCores > 0.9);
  if (busy.length > 0) notes.push(`warning: the client used over 0.9 of a core in ${busy.map((l) => `${l.server} ${l.variant}`).join(', ')}: it may have limited those runs`);
  const disturbed = lines.filter((l) => (l.load.otherCores ?? 0) > 0.15);
  if (disturbed.length > 0) {
    notes.push(
      `warning: other processes used CPU during ${disturbed.map((l) => `${l.server} ${l.variant} (${l.load.otherCores!.toFixed(2)} cores)`).join(', ')}: those numbers are disturbed`,
    );
  }
  const unclean = lines.filter((l) => l.exit !== 'exit 0');
  if (unclean.length > 0) notes.push(`warning: not a clean exit on SIGTERM: ${unclean.map((l) => `${l.server} ${l.variant} (${l.exit})`).join(', ')}`);
  notes.push(`request counter: ${countersTaken().toLocaleString('en-GB')} values taken, none twice`);
  return notes;
}
