import type { z } from 'zod';

/** Every problem with the environment at once: an operator fixing a deployment wants the whole list. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: readonly { variable: string; message: string }[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
  }
}

/** Unset and empty are the same to an operator: `PORT= npm start` means "the default". */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') out[k] = v.trim();
  return out;
}

/** Parses the environment with `schema`, or throws a ConfigError with one line per bad variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const parsed = schema.safeParse(withoutEmpty(env));
  if (parsed.success) return parsed.data;
  // One line per variable: the first thing wrong with it is what the operator needs to fix.
  const problems = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const variable = String(issue.path[0] ?? '(environment)');
    if (!problems.has(variable)) problems.set(variable, issue.message);
  }
  throw new ConfigError([...problems].map(([variable, message]) => ({ variable, message })));
}

/** For a command's entry point: print every problem with the environment and exit 2. */
export function orExit<T>(load: () => T, command: string): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${command}: ${error.message}\n`);
    process.exit(2);
  }
}

export function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (v && typeof v === 'object') deepFreeze(v);
  return Object.freeze(value);
}
