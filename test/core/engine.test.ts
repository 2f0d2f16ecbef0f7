import t from 'tap';
import fc from 'fast-check';
import { canonicalJson, sameCanonicalJson } from '../../src/core/transform/canonical-json.js';
import { resolveDynamicDestination } from '../../src/core/transform/dynamic-config.js';
import type { Kind } from '../../schemas/mapping.js';
import { InstrumentationError } from '../../src/core/errors.js';
import { interpret, readTable } from '../../src/core/engine/interpret.js';
import { KINDS, WRONG_KIND } from '../../src/core/engine/kinds.js';
import { collectLeftovers } from '../../src/core/engine/leftovers.js';
import { compileTable, type CompiledTable } from '../../src/core/engine/mapping.js';
import { readPath } from '../../src/core/engine/paths.js';
import { MAX_VALUE_DEPTH, sanitize, TOO_DEEP } from '../../src/core/engine/sanitize.js';
import { Warnings } from '../../src/core/engine/warnings.js';
import * as contact from '../../src/destinations/ometria/mappings/contact.js';
import * as customEvent from '../../src/destinations/ometria/mappings/custom-event.js';
import * as order from '../../src/destinations/ometria/mappings/order.js';

t.test('kinds (docs/MAPPING.md, "Kinds")', async (t) => {
  const asKind = (kind: Kind, value: unknown) => KINDS[kind].convert(value);
  t.equal(asKind('identifier', 12), '12');
  t.equal(asKind('identifier', true), WRONG_KIND);
  t.equal(asKind('text', 1.5), '1.5');
  t.equal(asKind('text', {}), WRONG_KIND);
  t.equal(asKind('amount', ' -3.25 '), -3.25);
  for (const v of ['1e3', '0x10', '.5', '+5', '12 GBP', '1.', 'NaN', true]) t.equal(asKind('amount', v), WRONG_KIND, String(v));
  t.equal(asKind('flag', false), false);
  t.equal(asKind('flag', 'true'), WRONG_KIND);
  t.strictSame(asKind('list', [1]), [1]);
  t.equal(asKind('list', 'a'), WRONG_KIND);
  t.strictSame(asKind('object', { a: 1 }), { a: 1 });
  t.equal(asKind('object', [1]), WRONG_KIND, 'an array is not an object');
  let deep: unknown = 1;
  for (let i = 0; i < MAX_VALUE_DEPTH + 1; i++) deep = [deep];
  t.equal(asKind('list', deep), TOO_DEEP);
  t.strictSame(Object.entries(KINDS).filter(([, rule]) => rule.nested).map(([kind]) => kind), ['list', 'object'], 'only lists and objects can be too deep');
});

t.test('paths read own properties of plain objects only', async (t) => {
  t.equal(readPath({ a: { b: 1 } }, ['a', 'b']), 1);
  t.equal(readPath({ a: [{ b: 1 }] }, ['a', 'b']), undefined);
  t.equal(readPath({ a: {} }, ['a', 'constructor']), undefined);
  t.equal(readPath('x', ['length']), undefined);
});

t.test('sanitize removes forbidden keys at any depth, copies only when needed, bounds depth', async (t) => {
  const clean = { a: [{ b: 1 }], c: 'x' };
  t.equal(sanitize(clean), clean, 'clean values are not copied');
  const dirty = JSON.parse('{"a":[{"__proto__":{"p":1},"b":1}],"constructor":1,"prototype":2,"c":"x"}');
  t.strictSame(sanitize(dirty), { a: [{ b: 1 }], c: 'x' });
  let deep: unknown = 1;
  for (let i = 0; i < MAX_VALUE_DEPTH + 1; i++) deep = { d: deep };
  t.equal(sanitize(deep), TOO_DEEP);
});

t.test('leftovers: precedence, absent values, exclusions, forbidden keys', async (t) => {
  const warnings = new Warnings();
  const result = collectLeftovers(
    [
      { object: JSON.parse('{"k":null,"a.b":1,"skip":2,"__proto__":{"x":1}}'), path: 'traits' },
      { object: { k: 'ctx', e: '', m: 0 }, path: 'context.traits' },
      { object: ['not', 'an', 'object'], path: 'other' },
    ],
    new Set(['skip']),
    warnings,
  );
  t.strictSame(result, { 'a.b': 1, k: 'ctx', m: 0 });
  t.strictSame(warnings.texts(), ['other: expected an object, got an array; skipped'], 'a source that is not an object is warned about');
});

/** A table both ways: compiled, and read for the interpreter (what a property test holds the compiled tables to). */
function bothEngines<R>(rows: Parameters<typeof compileTable<R>>[0], name: string): ReadonlyArray<readonly [string, Pick<CompiledTable, 'apply'>]> {
  const read = readTable(rows, name);
  return [
    ['compiled', compileTable(rows, name)],
    ['interpreted', { apply: (scope, target, finish) => interpret(read, scope, target, finish) }],
  ];
}

t.test('mapping rows: precedence, wrong kinds fall through, checks judge the first present value', async (t) => {
  for (const [engine, table] of bothEngines<{ a: string; n: number; p: string; o: string }>({
    a: { from: ['x', 'y', 'integrations:z', 'config:w'], kind: 'text' },
    n: { from: ['num'], kind: 'amount', required: true },
    p: { from: ['phone1', 'phone2'], kind: 'text', check: 'e164' },
    o: { from: ['integrations:o', 'config:o'], kind: 'text', check: 'oneOf', values: { A: 'a' }, invalidFallsThrough: true },
  }, 'TEST_TABLE')) {
  const warnings = new Warnings();
  const scope = (subject: unknown) => ({
    subject,
    subjectPath: '',
    integrations: { z: 'from-integrations', o: 'B' },
    integrationsPath: 'integrations.Ometria',
    config: { w: 'from-config', o: 'A' },
    warnings,
  });
  t.strictSame(table.apply(scope({ x: true, y: null, num: '5', phone1: 'bad', phone2: '+447911123456' })), {
    a: 'from-integrations',
    n: 5,
    o: 'a',
  });
  t.strictSame(
    warnings.texts(),
    [
      'x: expected text (a string or number), got a boolean; skipped',
      'phone1: not a valid phone number; dropped',
      'integrations.Ometria.o: not one of A; ignored',
    ],
    engine,
  );
  t.throws(() => table.apply(scope({ num: 'abc' })), { message: 'Parameter n must be a number: num is "abc"; send a number or a plain decimal string such as "12.50"' }, engine);
  t.throws(() => table.apply(scope({})), { message: 'Missing required value from ["num"]' }, engine);
  t.throws(() => table.apply(scope({})), InstrumentationError, engine);
  }
  t.strictSame([...compileTable({ a: { from: ['x', 'y', 'config:z', 'x.w'], kind: 'text' } }, 'T').readKeys('')], ['x', 'y']);
});

t.test('dynamic config (docs/RUDDERSTACK.md, "9. Dynamic config")', async (t) => {
  const item = { message: { context: { key: 'k-msg', zero: 0 } }, metadata: { workspaceId: 'ws' } };
  const dest = (Config: unknown, hasDynamicConfig?: boolean) => ({ ID: 'd', Config, hasDynamicConfig });
  const resolved = resolveDynamicDestination(
    dest({
      apiKey: ' {{ message.context.key || "fallback" }} ',
      a: '{{ event.context.missing || "de fault" }}',
      b: "{{ metadata.workspaceId || 'x' }}",
      c: '{{ message.context.zero || 1 }}',
      d: '{{ message.context.key }}',
      e: '{{ message..key || "x" }}',
      nested: ['{{ message.context.key || "n" }}', { deep: '{{ message.nope || bare }}' }],
      plain: 'value',
    }),
    item,
  );
  t.strictSame(resolved.Config, {
    apiKey: 'k-msg',
    a: 'de fault',
    b: 'ws',
    c: 0,
    d: '{{ message.context.key }}',
    e: '{{ message..key || "x" }}',
    nested: ['k-msg', { deep: 'bare' }],
    plain: 'value',
  });
  const notDynamic = dest({ apiKey: '{{ message.context.key || "f" }}' }, false);
  t.equal(resolveDynamicDestination(notDynamic, item), notDynamic, 'hasDynamicConfig: false is left alone');
  const untemplated = dest({ apiKey: 'k' }, true);
  t.equal(resolveDynamicDestination(untemplated, item), untemplated, 'nothing to resolve: same object');
});

t.test('canonical JSON ignores key order', async (t) => {
  t.equal(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] }), canonicalJson({ a: [{ c: 2, d: 1 }], b: 1 }));
  t.not(canonicalJson({ a: 1 }), canonicalJson({ a: '1' }));
});

t.test('sameCanonicalJson answers as comparing canonical JSON texts does (seeded)', async (t) => {
  // Values drawn from a small alphabet so that equal and nearly equal pairs are common.
  const value = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(0, 1, '1', 'a', true, false, null),
      fc.array(tie('node'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('node'), { maxKeys: 3 }),
    ),
  })).node;
  const reordered = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(reordered) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reordered(x)])) : v;
  const differing: string[] = [];
  fc.assert(
    fc.property(value, value, (a, b) => {
      if (sameCanonicalJson(a, b) !== (canonicalJson(a) === canonicalJson(b))) differing.push(`${canonicalJson(a)} vs ${canonicalJson(b)}`);
      if (!sameCanonicalJson(a, reordered(a))) differing.push(`${canonicalJson(a)} reordered`);
    }),
    { seed: 20261202, numRuns: 2000 },
  );
  t.same(differing, []);
  t.equal(sameCanonicalJson({ a: undefined }, { a: undefined }), false, 'undefined is never a match (a missed shortcut at worst)');
  t.equal(sameCanonicalJson([1, 2], { 0: 1, 1: 2 }), false);
});

t.test('table paths may not name Object.prototype members', async (t) => {
  t.throws(() => compileTable({ a: { from: ['traits.constructor'], kind: 'text' } }, 'T'), /cannot be a key/);
  t.throws(() => compileTable({ a: { from: ['toString'], kind: 'text' } }, 'T'), /cannot be a key/);
});

t.test('a check on a row that is not text is refused at load time', async (t) => {
  t.throws(() => compileTable({ a: { from: ['x'], kind: 'amount', check: 'currency' } }, 'T'), /Mapping row a: a currency check needs text/);
});

t.test('rows that could not work as written are refused at load time', async (t) => {
  const compile = (rows: unknown, finished: string[] = []) => () => compileTable(rows as never, 'T', finished as never[]);
  const country = { from: ['c'], kind: 'text', check: 'country' };
  t.throws(compile({ p: { from: ['x'], kind: 'text', check: 'e164', context: 'c' }, c: country }), { message: 'Mapping row p: its context c is not an earlier row' });
  t.throws(compile({ c: country, p: { from: ['x'], kind: 'text', context: 'c' } }), { message: 'Mapping row p: a context needs a check' });
  t.throws(compile({ a: { from: ['integrations:a'], kind: 'flag', configOnlyWith: 'b' } }), { message: 'Mapping row a: configOnlyWith without a config: source' });
  t.throws(compile({ a: { from: ['x'], kind: 'text', missingHint: { when: 'y', say: 'why' } } }), { message: 'Mapping row a: a missing hint needs a required row' });
  t.throws(compile({ a: { from: ['x'], kind: 'text' } }, ['b']), { message: 'Mapping table T: no row b to finish' });
});

t.test('a row the row schema refuses stops compiling, naming the table and the row', async (t) => {
  const refuse = (row: unknown) => () => compileTable({ a: row } as never, 'T');
  t.throws(refuse({ from: ['x'], kind: 'number' }), { message: 'Mapping table T: /a/kind Expected union value' });
  t.throws(refuse({ from: [], kind: 'text' }), { message: 'Mapping table T: /a/from Expected array length to be greater or equal to 1' });
  t.throws(refuse({ from: ['x'], kind: 'text', requried: true }), { message: 'Mapping table T: /a/requried Unexpected property' });
  t.throws(refuse({ from: ['x'], kind: 'text', check: 'email' }), { message: 'Mapping table T: /a/check Expected union value' });
});

t.test('the compiled code reads as the table: one commented block per row, in table order', async (t) => {
  const table = compileTable<{ b: string; a: number; '@c': string }>({
    b: { from: ['traits.b', 'context.traits.b'], kind: 'text', required: true },
    a: { from: ['properties.a'], kind: 'amount' },
    '@c': { from: ['integrations:c', 'config:c'], kind: 'text', check: 'country', configOnlyWith: 'b' },
  }, 'ORDERED_TABLE', ['a']);
  t.match(table.code, /^\/\/ "ORDERED_TABLE": compiled from its mapping table/);
  const comments = table.code.split('\n').filter((line) => line.startsWith('  // '));
  t.strictSame(comments, [
    '  // "b" ← "traits.b", "context.traits.b" (text, required)',
    '  // "a" ← "properties.a" (amount, finished by the caller)',
    '  // "@c" ← "integrations:c", "config:c" (text, country, config only with "b")',
  ]);
  t.equal(table.name, 'ORDERED_TABLE');
});

t.test('table text reaches generated code only in the shapes the row schema allows', async (t) => {
  const compile = (rows: unknown, name = 'T') => () => compileTable(rows as never, name);
  // Field names: an optional @, then letters, digits and _.
  for (const field of ['a b', 'a\nb', 'x"]; throw 1; //', 'a-b', '1a', '', '@', 'a.b']) {
    t.throws(compile({ [field]: { from: ['x'], kind: 'text' } }), { message: `Mapping table T: ${JSON.stringify(field)} cannot be a field (an optional @, then letters, digits and _)` }, JSON.stringify(field));
  }
  for (const field of ['constructor', 'toString', 'hasOwnProperty']) {
    t.throws(compile({ [field]: { from: ['x'], kind: 'text' } }), /cannot be a field/, `${field}: an Object.prototype member`);
  }
  t.throws(compile(JSON.parse('{"__proto__":{"from":["x"],"kind":"text"}}')), /"__proto__" cannot be a field/);
  // Source paths: an optional integrations: or config:, then dot-separated keys.
  for (const path of ['a b', 'x\n//', "x']", 'a..b', '.a', 'a.', 'integrations:', 'config:a..b', 'other:a', 'a.@b', 'a\u2028b']) {
    t.throws(compile({ a: { from: ['ok', path], kind: 'text' } }), /^Mapping table T: \/a\/from\/1 Expected string to match/, JSON.stringify(path).replace(/\u2028/g, '\\u2028'));
  }
  t.throws(compile({ a: { from: ['x'], kind: 'text', required: true, missingHint: { when: 'a b', say: 'why' } } }), /\/a\/missingHint\/when Expected string to match/);
  t.throws(compile({ a: { from: ['x'], kind: 'text', check: 'country' }, b: { from: ['y'], kind: 'text', check: 'e164', context: 'a"]' } }), /\/b\/context Expected string to match/);
  t.throws(compile({ a: { from: ['config:x'], kind: 'flag', configOnlyWith: 'x y' } }), /\/a\/configOnlyWith Expected string to match/);
  for (const name of ['T\n', 'a b', '../x', 'T.js', '']) {
    t.throws(compile({ a: { from: ['x'], kind: 'text' } }, name), { message: `Mapping table ${JSON.stringify(name)}: a table name is letters, digits and _` });
  }
  t.ok(compileTable({ '@type': { from: ['integrations:a', 'config:b.c_d', 'e.F9'], kind: 'text' } }, 'Ok_1'), 'the shapes tables use');
});

t.test('every real table: its comments hold table text as JSON strings only, and its code names the table for stack traces', async (t) => {
  const tables = [contact, customEvent, order].flatMap((module) => Object.values(module)).filter((v): v is CompiledTable => typeof (v as CompiledTable).code === 'string');
  t.equal(tables.length, 10);
  const string = '"(?:[^"\\\\]|\\\\.)*"';
  const rowComment = new RegExp(`^  // ${string} ← ${string}(?:, ${string})* \\([a-z]+(?:, [A-Za-z0-9 ]+(?: in ${string}| with ${string})?)*\\)$`);
  for (const table of tables) {
    const lines = table.code.split('\n');
    t.equal(lines[0], `// ${JSON.stringify(table.name)}: compiled from its mapping table at start-up (src/core/engine/mapping.ts).`);
    t.equal(lines[lines.length - 1], `//# sourceURL=tables/${table.name}.js`);
    const comments = lines.slice(1, -1).filter((line) => line.trimStart().startsWith('//'));
    t.strictSame(comments.filter((line) => !rowComment.test(line)), [], `${table.name}: row comments`);
  }
});

t.test('a stack trace through a compiled table names it', async (t) => {
  const table = compileTable<{ a: string }>({ a: { from: ['x'], kind: 'text' } }, 'STACK_TABLE', ['a']);
  const error = (() => {
    try {
      table.apply({ subject: { x: 'v' }, subjectPath: '', warnings: new Warnings() }, {}, { a: () => { throw new Error('from a finisher'); } });
    } catch (e) {
      return e as Error;
    }
    return undefined;
  })();
  t.match(error?.stack, /\(tables\/STACK_TABLE\.js:\d+:\d+\)/, 'the frame of apply is in tables/STACK_TABLE.js');
});
