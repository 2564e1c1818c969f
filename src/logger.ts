import { hostname } from 'node:os';
import { type Logger, pino } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

/** Never written to a log line, whatever object they turn up in. */
const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'token',
  '*.token',
  'password',
  '*.password',
  'secret',
  '*.secret',
];

export interface LoggerOptions {
  level: LogLevel;
  /** Human-readable output; by default only when a person is watching the terminal. */
  pretty?: boolean;
}

/** The process's one root logger; components take `logger.child({ component })`. */
export function createLogger({ level, pretty = process.stdout.isTTY === true }: LoggerOptions): Logger {
  return pino({
    level,
    base: { service: 'seghub', pid: process.pid, hostname: hostname() },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(pretty && {
      transport: {
        target: 'pino-pretty',
        options: {
          colorize: true,
          singleLine: true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname,service',
        },
      },
    }),
  });
}
