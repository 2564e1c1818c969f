import { hostname } from 'node:os';
import { type DestinationStream, type Logger, type LoggerOptions as PinoOptions, pino } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Never written to a log line, whatever object they turn up in. */
const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  '*.*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  '*.headers.cookie',
  'connectionParams',
  '*.connectionParams',
  'token',
  '*.token',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'jwtSecret',
  '*.jwtSecret',
];

export interface LoggerOptions {
  level: LogLevel;
  /** Human-readable output; by default only when a person is watching the terminal. */
  pretty?: boolean;
  /** Where lines go (default stdout); tests capture them. */
  destination?: DestinationStream;
}

/** The process's one root logger; components take `logger.child({ component })`. */
export function createLogger({
  level,
  pretty = process.stdout.isTTY === true,
  destination,
}: LoggerOptions): Logger {
  const options: PinoOptions = {
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
  };
  return destination ? pino(options, destination) : pino(options);
}
