// Launches a run and follows it live until it ends (Node 20 or later; `npm install graphql-ws ws`).
//   VAD_URL=http://localhost:4000 VAD_KEY=vad_... DATASET_ID=<dataset id> node launch-and-follow.mjs
// The key needs the WRITE scope and an admin owner. Prints one line per change, and the run's id at the end.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const { VAD_URL, VAD_KEY, DATASET_ID } = process.env;

async function graphql(query, variables) {
  const response = await fetch(`${VAD_URL}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${VAD_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const answer = await response.json();
  if (answer.errors) throw new Error(answer.errors.map((error) => error.message).join('; '));
  return answer.data;
}

const { startRun } = await graphql('mutation($input: StartRunInput!) { startRun(input: $input) { id status } }', {
  input: { datasetId: DATASET_ID, preset: 'TINY', epochs: 1, name: 'launched from a script' },
});
console.log(`queued run ${startRun.id}`);

const client = createClient({
  url: `${VAD_URL.replace(/^http/, 'ws')}/graphql`,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${VAD_KEY}` },
});
let status = startRun.status;
// The subscription sends the run as it is first, then each change, and completes once the run has ended: nothing
// is missed between starting the run and subscribing, and the loop ends by itself.
const events = client.iterate({
  query: 'subscription($id: ID!) { runProgress(runId: $id) { status phase progress } }',
  variables: { id: startRun.id },
});
for await (const event of events) {
  if (event.errors) throw new Error(event.errors.map((error) => error.message).join('; '));
  const progress = event.data.runProgress;
  status = progress.status;
  console.log(`${progress.status} ${Math.round(progress.progress * 100)} % ${progress.phase}`);
}
await client.dispose();
console.log(`run ${startRun.id} ${status}`);
process.exit(status === 'SUCCEEDED' ? 0 : 1);
