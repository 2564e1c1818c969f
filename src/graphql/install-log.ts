import { encodeGlobalID } from '@pothos/plugin-relay';
import type { InstallLogView } from '../domain/installs/install-events.js';
import { InvalidInputError } from '../model/errors.js';
import { SEAT_STATES } from '../records/install-log-schema.js';
import { INSTALL_ACTIONS, INSTALL_STATUSES, seatOrder } from '../records/install-schema.js';
import { builder } from './builder.js';
import { cancellable } from './cancellable.js';
import { describedValues } from './enum-values.js';
import { localIdOf } from './global-id.js';
import { forgetReads, seatLoader } from './loaders.js';
import { DateTimeScalar } from './scalars.js';
import { SeatRef } from './seat.js';

export const InstallStatusEnum = builder.enumType('InstallStatus', {
  description: 'Where an install record stands as a whole.',
  values: describedValues(INSTALL_STATUSES, {
    PENDING: 'Accepted; the controller has not started it yet.',
    RUNNING: 'SDP tasks are running on its seats.',
    SUCCEEDED: 'Ended: every seat succeeded.',
    PARTIALLY_SUCCEEDED: 'Ended: some seats succeeded and some failed (see the log).',
    FAILED: 'Ended: every seat failed, or the record failed before reaching the seats (`error`).',
  }),
});
const InstallActionEnum = builder.enumType('InstallAction', {
  description: 'What an install record does to one seat.',
  values: describedValues(INSTALL_ACTIONS, {
    INSTALL: 'Puts the segment onto the seat.',
    UNINSTALL: 'Removes the segment from the seat.',
  }),
});
const SeatInstallStateEnum = builder.enumType('SeatInstallState', {
  description: 'How far one seat of an install record got.',
  values: describedValues(SEAT_STATES, {
    PENDING: 'Not started on this seat yet.',
    RUNNING: 'SDP is working on this seat (`percent`).',
    SUCCEEDED: 'Done on this seat.',
    FAILED: 'Failed on this seat (`error`), or it never answered within INSTALL_TIMEOUT_MS.',
  }),
});

interface SeatLine {
  seatName: string;
  action: (typeof INSTALL_ACTIONS)[number];
  state: (typeof SEAT_STATES)[number];
  percent: number;
  error?: string;
}

function seatLines(view: InstallLogView, indexes?: readonly number[]): SeatLine[] {
  const names = seatOrder(view.record.record);
  const installs = view.record.record.installSeats.length;
  const pick = indexes ?? names.map((_, i) => i);
  return pick.map((i) => ({
    seatName: names[i] ?? '',
    action: i < installs ? 'INSTALL' : 'UNINSTALL',
    ...view.log.seat(i),
  }));
}

const InstallLogSeatRef = builder.objectRef<SeatLine>('InstallLogSeat').implement({
  description: 'One seat of an install: what is done to it and how far it got.',
  fields: (t) => ({
    seat: t.field({
      type: SeatRef,
      nullable: true,
      description: 'Null when the seat was deleted since.',
      // Batched: the seats of every line of the list in one read.
      resolve: (line, _args, context) => seatLoader(context).load(line.seatName),
    }),
    seatName: t.exposeString('seatName', { description: 'The seat name (kept after the seat is deleted).' }),
    action: t.field({
      type: InstallActionEnum,
      description: 'Install or uninstall.',
      resolve: (line) => line.action,
    }),
    state: t.field({
      type: SeatInstallStateEnum,
      description: 'How far it got.',
      resolve: (line) => line.state,
    }),
    percent: t.exposeInt('percent', { description: 'Progress on this seat, 0 to 100, as SDP reports it.' }),
    error: t.exposeString('error', {
      nullable: true,
      description: 'Why it failed on this seat; null unless FAILED.',
    }),
  }),
});

const InstallSummaryRef = builder.objectRef<InstallLogView['log']['summary']>('InstallSummary').implement({
  description: 'Seats by state; they add up to `total`.',
  fields: (t) => ({
    total: t.exposeInt('total', { description: 'Seats of the record.' }),
    pending: t.exposeInt('pending', { description: 'Seats not started yet.' }),
    running: t.exposeInt('running', { description: 'Seats in progress.' }),
    succeeded: t.exposeInt('succeeded', { description: 'Seats done.' }),
    failed: t.exposeInt('failed', { description: 'Seats failed.' }),
  }),
});

export const InstallLogRef = builder.objectRef<InstallLogView>('InstallLog').implement({
  description: 'The live progress of one install record.',
  fields: (t) => ({
    recordId: t.id({
      description: 'The InstallRecord id this log belongs to.',
      resolve: (view) => encodeInstallId(view.record.id),
    }),
    status: t.field({
      type: InstallStatusEnum,
      description: "The record's status as the log sees it.",
      resolve: (view) => view.log.summary.status,
    }),
    percent: t.int({
      description: 'Over every seat, a finished seat counting 100; never decreases; 100 once ended.',
      resolve: (view) => view.log.summary.percent,
    }),
    summary: t.field({
      type: InstallSummaryRef,
      description: 'Seats by state.',
      resolve: (view) => view.log.summary,
    }),
    updatedAt: t.field({
      type: DateTimeScalar,
      description: 'When the log last changed.',
      resolve: (view) => view.log.summary.updatedAt,
    }),
    startedAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'When work on the seats began; null while PENDING.',
      resolve: (view) => view.log.summary.startedAt,
    }),
    finishedAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'When the record ended; null until then.',
      resolve: (view) => view.log.summary.finishedAt,
    }),
    timedOutAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'When seghub stopped waiting for seats that never answered (INSTALL_TIMEOUT_MS).',
      resolve: (view) => view.log.summary.timedOutAt,
    }),
    seats: t.field({
      type: [InstallLogSeatRef],
      description: 'Every seat of the record: installs first, then uninstalls.',
      resolve: (view) => seatLines(view),
    }),
    changedSeats: t.field({
      type: [InstallLogSeatRef],
      description:
        'In `installLogUpdated` events: the seats that changed since the previous event (every seat in ' +
        'the first and the last). Elsewhere: every seat. Lets a dashboard follow a 10,000-seat install ' +
        'without receiving every seat on every poll.',
      resolve: (view) => seatLines(view, view.changed),
    }),
  }),
});

/** Install record ids are global ids of type InstallRecord. */
function encodeInstallId(id: string): string {
  return encodeGlobalID('InstallRecord', id);
}

export function installIdOf(globalId: string): string | undefined {
  return localIdOf(globalId, 'InstallRecord');
}

builder.subscriptionField('installLogUpdated', (t) =>
  t.field({
    type: InstallLogRef,
    description:
      'The install log now, then every change; completes when the record ends (at once, with no ' +
      'event, for a record that does not exist). Viewers and up.',
    authScopes: { viewer: true },
    args: {
      recordId: t.arg.id({
        required: true,
        description: 'An InstallRecord id; another kind of id is an INVALID_INPUT error.',
      }),
    },
    subscribe: (_root, { recordId }, context) => {
      const id = installIdOf(String(recordId));
      if (id === undefined)
        throw new InvalidInputError(`${String(recordId)} is not an install record id`, 'recordId');
      return cancellable((signal) => context.services.installEvents.updates(id, signal));
    },
    resolve: (view, _args, context) => {
      forgetReads(context);
      return view;
    },
  }),
);
