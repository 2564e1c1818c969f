import { z } from 'zod';
import { SDP_TARGETS } from '../model/targets.js';
import { jsonCodec } from './json-codec.js';

/**
 * `installs/<segmentId>/<seq>`: one request to change which seats have a segment (`SegInstallRecord`).
 * Seats are named, not addressed: the controller turns them into IPs once, when it starts the record,
 * and keeps that plan here so a restart polls the same tasks with the same addresses.
 */

export const INSTALL_STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED'] as const;
export type InstallStatus = (typeof INSTALL_STATUSES)[number];

const FINAL_INSTALL_STATUSES: readonly InstallStatus[] = ['SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED'];

export function isFinalInstallStatus(status: InstallStatus): boolean {
  return FINAL_INSTALL_STATUSES.includes(status);
}

export const INSTALL_ACTIONS = ['INSTALL', 'UNINSTALL'] as const;
export type InstallAction = (typeof INSTALL_ACTIONS)[number];

const isoTime = z.iso.datetime();

const plannedTaskSchema = z.object({
  action: z.enum(INSTALL_ACTIONS),
  /** The task's seats are `[from, to)` in the record's seat order (installSeats, then uninstallSeats). */
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  /** Derived from the record, so a restart that repeats StartTask gets the same task back. */
  idempotencyKey: z.string().min(1).max(128),
  /** Set once SDP has answered StartTask. */
  taskId: z.string().optional(),
});

const installRecordSchema = z.object({
  segmentId: z.string(),
  /** Seat names that should get the segment. */
  installSeats: z.array(z.string()),
  /** Seat names that should lose it. */
  uninstallSeats: z.array(z.string()),
  status: z.enum(INSTALL_STATUSES),
  createdAt: isoTime,
  /** Who asked (the principal's id). */
  requestedBy: z.string().optional(),
  startedAt: isoTime.optional(),
  finishedAt: isoTime.optional(),
  /** Why the whole record failed without reaching the devices (the segment vanished from SDP, ...). */
  error: z.string().optional(),
  /**
   * Written when the controller starts the record: each seat's address in seat order (null for a
   * seat deleted in between, which fails at once) and the SDP tasks that cover them.
   */
  plan: z
    .object({
      /** Fixed here so polling never depends on the segment record, which may change meanwhile. */
      target: z.enum(SDP_TARGETS),
      segmentUid: z.string().min(1),
      ips: z.array(z.string().nullable()),
      tasks: z.array(plannedTaskSchema),
    })
    .optional(),
});

export type PlannedTask = z.infer<typeof plannedTaskSchema>;
export type InstallRecordValue = z.infer<typeof installRecordSchema>;
export const installRecordCodec = jsonCodec(installRecordSchema, 'install record');

/** Seat names in the order the plan and the log use: installs first, then uninstalls. */
export function seatOrder(record: InstallRecordValue): string[] {
  return [...record.installSeats, ...record.uninstallSeats];
}
