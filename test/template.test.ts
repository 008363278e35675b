import { expect, it } from 'vitest';
import { fillTemplate } from '../src/workflows/template.js';

it('fills known variables and leaves unknown ones empty, builtins of every object among them', () => {
  expect(fillTemplate('Order {{order_id}} for {{ name }}: {{missing}}.', { order_id: 'A1', name: 'Li' })).toBe(
    'Order A1 for Li: .',
  );
  expect(fillTemplate('[{{constructor}}][{{toString}}][{{__proto__}}]', {})).toBe('[][][]');
});
