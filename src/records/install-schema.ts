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
  /**
   * Only the seats of `[from, to)` whose bit is set (base64, bit i of byte i>>3 = seat from+i): the
   * second step of an upgrade runs on the seats the first step left standing, decided once.
   */
  mask: z.string().optional(),
  /** The version this task acts on when it is not the record's own (an upgrade's other versions). */
  segmentId: z.string().optional(),
  /** The upgrade step (1 or 2) this task belongs to; absent means 1. */
  step: z.number().int().min(1).max(2).optional(),
});

export const ORIGIN_KINDS = ['MANUAL', 'ROLLOUT', 'CONVERGE', 'ROLLBACK'] as const;
export type OriginKind = (typeof ORIGIN_KINDS)[number];

/** D1: every change of what runs on seats is an install record; this says which path made it. */
const originSchema = z.object({
  kind: z.enum(ORIGIN_KINDS),
  rolloutId: z.string().optional(),
  wave: z.number().int().nonnegative().optional(),
  attempt: z.number().int().nonnegative().optional(),
  /** The seat group a converge batch works for. */
  group: z.string().optional(),
});
export type InstallOrigin = z.infer<typeof originSchema>;

export const UPGRADE_ORDERS = ['INSTALL_FIRST', 'UNINSTALL_FIRST'] as const;
export type UpgradeOrder = (typeof UPGRADE_ORDERS)[number];

/**
 * D3: other versions of the name to remove from the record's install seats, in the same record.
 * `others` names, per version, the seats that ran it when the record was made (a `BitMask` over
 * `installSeats`, base64). Seats from `installedFrom` on already run this version and only lose the others.
 */
const replaceSchema = z.object({
  order: z.enum(UPGRADE_ORDERS),
  others: z.array(z.object({ segmentId: z.string(), seats: z.string() })),
  installedFrom: z.number().int().nonnegative(),
});
export type ReplacePlan = z.infer<typeof replaceSchema>;

const planSchema = z.object({
  /** Fixed here so polling never depends on the segment record, which may change meanwhile. */
  target: z.enum(SDP_TARGETS),
  segmentUid: z.string().min(1),
  /** The SDP uid of each other version an upgrade removes, by segment id. */
  otherUids: z.record(z.string(), z.string()).optional(),
  /** Set once the upgrade's second step has been planned into `tasks`. */
  secondStep: z.boolean().optional(),
  ips: z.array(z.string().nullable()),
  tasks: z.array(plannedTaskSchema),
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
  /** Absent on records written before origins existed: those were all `installSegment` (MANUAL). */
  origin: originSchema.optional(),
  replace: replaceSchema.optional(),
  /** How long devices may run before they are cancelled, when not INSTALL_TIMEOUT_MS (a rollout's seat timeout). */
  timeoutMs: z.number().int().positive().optional(),
  startedAt: isoTime.optional(),
  finishedAt: isoTime.optional(),
  /** Why the whole record failed without reaching the devices (the segment vanished from SDP, ...). */
  error: z.string().optional(),
  /**
   * Written when the controller starts the record: each seat's address in seat order (null for a
   * seat deleted in between, which fails at once) and the SDP tasks that cover them.
   */
  plan: planSchema.optional(),
});

/**
 * What `installs/<recordId>` holds. A record of at most 500 seats is stored whole. A larger one
 * (D2) keeps its seat names and addresses in chunks named by `chunked` (see `install-chunks.ts`),
 * so the value every poll rewrites stays small whatever the number of seats.
 */
const installHeadSchema = installRecordSchema.extend({
  installSeats: z.array(z.string()).optional(),
  uninstallSeats: z.array(z.string()).optional(),
  chunked: z
    .object({
      /** Names this record's chunks: `install-seats/<recordId>/<nonce>/`. */
      nonce: z.string().min(1),
      install: z.number().int().nonnegative(),
      uninstall: z.number().int().nonnegative(),
    })
    .optional(),
  plan: planSchema.extend({ ips: planSchema.shape.ips.optional() }).optional(),
});

export type PlannedTask = z.infer<typeof plannedTaskSchema>;
export type InstallRecordValue = z.infer<typeof installRecordSchema>;
export type InstallHead = z.infer<typeof installHeadSchema>;
export const installHeadCodec = jsonCodec(installHeadSchema, 'install record');

/** Seat names in the order the plan and the log use: installs first, then uninstalls. */
export function seatOrder(record: InstallRecordValue): string[] {
  return [...record.installSeats, ...record.uninstallSeats];
}

/** The record's origin; records from before origins existed are MANUAL. */
export function originOf(record: Pick<InstallRecordValue, 'origin'>): InstallOrigin {
  return record.origin ?? { kind: 'MANUAL' };
}
