import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';

/** What the numbers were measured on. */
export function machineLine(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? 'unknown CPU';
  return `machine: ${model} × ${list.length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}, Linux ${release()}`;
}

/**
 * CPU seconds all cores have been busy since boot (/proc/stat, clock ticks of 1/100 s), so a run
 * can tell how much of the machine went to anything but the client and the server under test.
 */
export function machineBusySeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return undefined;
  }
}
