import { describe, expect, it } from 'vitest';
import { parseTokenFile, TokenTable } from '../../src/server/auth/token-file.js';
import { sha256Hex } from '../support/harness/auth.js';

describe('the API token file', () => {
  it('reads roles, hashes and labels, skipping blank lines and comments', () => {
    const table = new TokenTable(
      parseTokenFile(
        [
          '# who may call seghub',
          '',
          `admin ${sha256Hex('token-a')} ops team`,
          `  viewer   ${sha256Hex('token-v').toUpperCase()}   grafana  `,
        ].join('\n'),
        'tokens.txt',
      ),
    );
    expect(table.size).toBe(2);
    expect(table.find('token-a')).toEqual({ id: 'ops team', role: 'admin' });
    expect(table.find('token-v')).toEqual({ id: 'grafana', role: 'viewer' });
    expect(table.find('token-x')).toBeUndefined();
    expect(table.find('')).toBeUndefined();
  });

  it('names the file and line of a malformed entry', () => {
    const good = `admin ${sha256Hex('a')} ops`;
    const cases: [string, string][] = [
      [
        `${good}\nroot ${sha256Hex('b')} x`,
        'tokens.txt:2: unknown role "root" (one of viewer, operator, admin)',
      ],
      [`\n\noperator abc123 ci`, 'tokens.txt:3: expected "<role> <sha256 hex of the token> <label>"'],
      [`viewer ${sha256Hex('c')}`, 'tokens.txt:1: expected "<role> <sha256 hex of the token> <label>"'],
      [`${good}\nviewer ${sha256Hex('d')} ops`, 'tokens.txt:2: label "ops" is used twice'],
    ];
    for (const [text, message] of cases) expect(() => parseTokenFile(text, 'tokens.txt')).toThrow(message);
  });
});
