import { describe, expect, it } from 'vitest';
import { hasRole, ROLES } from '../../src/model/principal.js';

describe('hasRole', () => {
  it('orders roles viewer < operator < admin', () => {
    const grid = ROLES.map((held) => ROLES.map((needed) => hasRole({ id: 'x', role: held }, needed)));
    expect(grid).toEqual([
      [true, false, false],
      [true, true, false],
      [true, true, true],
    ]);
  });
});
