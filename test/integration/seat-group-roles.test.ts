import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/model/principal.js';
import { ListSeatGroups, SetSeatLabels, UpsertSeatGroup } from '../support/documents/seat-group-documents.js';
import { bearer, tokenAppSuite } from '../support/harness/auth.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';

/** SPEC-FLEET D7: groups and labels are the admin's; viewers (and operators) read them. */
describe('roles on seat groups and labels', () => {
  const suite = tokenAppSuite('seat-group-roles');
  const codeOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
    result.errors?.[0]?.extensions?.code;

  it('lets only admins change groups and labels, and every role read them', async () => {
    const { app, tokens } = suite.current();
    const as = (role: Role) => bearer(tokens[role]);
    const group = { input: { name: 'bridge', selector: 'role=bridge', protected: true } };
    const labels = { selector: 'role=bridge', set: [{ key: 'ring', value: 'canary' }] };
    for (const role of ['viewer', 'operator'] as const) {
      expect(codeOf(await httpGraphQL(app.url, UpsertSeatGroup, group, as(role)))).toBe('FORBIDDEN');
      expect(codeOf(await httpGraphQL(app.url, SetSeatLabels, labels, as(role)))).toBe('FORBIDDEN');
    }
    expect((await httpGraphQL(app.url, ListSeatGroups, {}, as('viewer'))).data!.seatGroups).toEqual([]);
    const created = await httpGraphQL(app.url, UpsertSeatGroup, group, as('admin'));
    expect(created.data!.upsertSeatGroup.__typename).toBe('UpsertSeatGroupSuccess');
    expect(
      (await httpGraphQL(app.url, SetSeatLabels, labels, as('admin'))).data!.setSeatLabels,
    ).toMatchObject({
      matchedCount: 0,
    });
    expect((await httpGraphQL(app.url, ListSeatGroups, {}, as('viewer'))).data!.seatGroups).toMatchObject([
      { name: 'bridge', protected: true, seatCount: 0 },
    ]);
  });
});
