import type { Label } from '../model/labels.js';
import { builder } from './builder.js';

export const LabelRef = builder.objectRef<Label>('Label').implement({
  description: 'A `key=value` pair on a seat, matched by label selectors.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Lower case, `^[a-z0-9]([a-z0-9._/-]{0,62})$`.' }),
    value: t.exposeString('value', { description: '`^[A-Za-z0-9._-]{0,63}$` (may be empty).' }),
  }),
});

export const LabelInputRef = builder.inputType('LabelInput', {
  description: 'A seat label to set.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'Lower case, `^[a-z0-9]([a-z0-9._/-]{0,62})$`.' }),
    value: t.string({ required: true, description: '`^[A-Za-z0-9._-]{0,63}$` (may be empty).' }),
  }),
});
