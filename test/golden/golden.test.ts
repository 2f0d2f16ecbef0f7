/**
 * Golden answers: the corpus's requests (corpus.ts) must get exactly the answers recorded in
 * answers.json.gz: same HTTP status, same apiVersion header, same body bytes. The recording was
 * made before the transform was rewritten for speed, so this proves the rewrite changed nothing
 * anyone can observe; it was re-recorded since when error texts began to say what to fix (the
 * answers then differed in nothing but those texts' new endings), and when cancellations and
 * refunds became order updates and countries, national phones, time zones and SMS consent
 * followed the spec's new rules (contacts then differed only in channels, country_id,
 * phone_number and timezone; custom events not at all; orders gained the updates that no longer
 * need a total). A deliberate change of behaviour re-records it:
 *
 *   GOLDEN_RECORD=1 npx tap test/golden/golden.test.ts
 */
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { testApp } from '../helpers/app.js';
import { goldenRequests } from './corpus.js';

interface Answer {
  readonly name: string;
  readonly status: number;
  readonly apiVersion: string | undefined;
  readonly body: string;
}

const FILE = new URL('./answers.json.gz', import.meta.url);
const recording = process.env.GOLDEN_RECORD === '1';

/** Where two answer bodies first differ, with some context on each side. */
function firstDifference(got: string, want: string): string {
  let i = 0;
  while (i < got.length && i < want.length && got[i] === want[i]) i++;
  const from = Math.max(0, i - 300);
  return `at character ${i}:\n  got:  …${got.slice(from, i + 300)}\n  want: …${want.slice(from, i + 300)}`;
}

t.test('the corpus gets exactly the recorded answers', async (t) => {
  const requests = goldenRequests();
  // Building the corpus blocks the event loop for a while: load shedding must not judge by it.
  const app = await testApp(t, { SHED_MAX_EVENT_LOOP_DELAY_MS: '0' });
  const answers: Answer[] = [];
  for (const request of requests) {
    const res = await app.inject({
      method: 'POST',
      url: request.url,
      headers: { 'content-type': 'application/json', ...request.headers },
      payload: request.payload,
    });
    answers.push({ name: request.name, status: res.statusCode, apiVersion: res.headers.apiversion as string | undefined, body: res.payload });
  }
  if (recording) {
    t.strictSame(answers.filter((a) => a.status !== 200).map((a) => a.name), [], 'every request answered 200');
    writeFileSync(FILE, gzipSync(JSON.stringify(answers), { level: 9 }));
    t.pass(`recorded ${answers.length} answers`);
    return;
  }
  const recorded = JSON.parse(gunzipSync(readFileSync(FILE)).toString('utf8')) as Answer[];
  t.strictSame(answers.map((a) => a.name), recorded.map((a) => a.name), 'the same requests as recorded');
  let events = 0;
  for (const [i, want] of recorded.entries()) {
    const got = answers[i] as Answer;
    events += (JSON.parse(requests[i]?.payload ?? '[]') as unknown[]).length || 100;
    if (got.status !== want.status || got.apiVersion !== want.apiVersion || got.body !== want.body) {
      t.fail(`${want.name}: status ${got.status} (want ${want.status}), apiVersion ${got.apiVersion} (want ${want.apiVersion}); body ${firstDifference(got.body, want.body)}`);
    }
  }
  t.ok(events >= 3000, `${recorded.length} requests answered as recorded`);
});
