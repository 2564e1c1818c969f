import { readFile } from 'node:fs/promises';

/** Resident memory of a process in bytes, now and at its peak, from the kernel's own accounting. */
export async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)?.[1]) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}
