import { SEGHUB_VERSION } from '../version.js';
import { builder } from './builder.js';

builder.queryField('version', (t) =>
  t.string({
    description: 'The release of seghub serving this request. Viewers and up.',
    authScopes: { viewer: true },
    resolve: () => SEGHUB_VERSION,
  }),
);
