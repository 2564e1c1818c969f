import { encodeGlobalID } from '@pothos/plugin-relay';
import type { InstallLogView } from '../domain/installs/install-events.js';
import { InvalidInputError } from '../model/errors.js';
import { SEAT_STATES } from '../records/install-log-schema.js';
import { INSTALL_ACTIONS, INSTALL_STATUSES, seatOrder } from '../records/install-schema.js';
import { builder } from './builder.js';
import { cancellable } from './cancellable.js';
import { localIdOf } from './global-id.js';
import { forgetReads, seatLoader } from './loaders.js';
import { DateTimeScalar } from './scalars.js';
import { SeatRef } from './seat.js';

export const InstallStatusEnum = builder.enumType('InstallStatus', { values: INSTALL_STATUSES });
const InstallActionEnum = builder.enumType('InstallAction', { values: INSTALL_ACTIONS });
const SeatInstallStateEnum = builder.enumType('SeatInstallState', { values: SEAT_STATES });

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
    seatName: t.exposeString('seatName'),
    action: t.field({ type: InstallActionEnum, resolve: (line) => line.action }),
    state: t.field({ type: SeatInstallStateEnum, resolve: (line) => line.state }),
    percent: t.exposeInt('percent'),
    error: t.exposeString('error', { nullable: true }),
  }),
});

const InstallSummaryRef = builder.objectRef<InstallLogView['log']['summary']>('InstallSummary').implement({
  description: 'Seats by state; they add up to `total`.',
  fields: (t) => ({
    total: t.exposeInt('total'),
    pending: t.exposeInt('pending'),
    running: t.exposeInt('running'),
    succeeded: t.exposeInt('succeeded'),
    failed: t.exposeInt('failed'),
  }),
});

export const InstallLogRef = builder.objectRef<InstallLogView>('InstallLog').implement({
  description: 'The live progress of one install record.',
  fields: (t) => ({
    recordId: t.id({ resolve: (view) => encodeInstallId(view.record.id) }),
    status: t.field({ type: InstallStatusEnum, resolve: (view) => view.log.summary.status }),
    percent: t.int({
      description: 'Over every seat, a finished seat counting 100; never decreases; 100 once ended.',
      resolve: (view) => view.log.summary.percent,
    }),
    summary: t.field({ type: InstallSummaryRef, resolve: (view) => view.log.summary }),
    updatedAt: t.field({ type: DateTimeScalar, resolve: (view) => view.log.summary.updatedAt }),
    startedAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      resolve: (view) => view.log.summary.startedAt,
    }),
    finishedAt: t.field({
      type: DateTimeScalar,
      nullable: true,
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
      'event, for a record that does not exist).',
    authScopes: { viewer: true },
    args: { recordId: t.arg.id({ required: true }) },
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
