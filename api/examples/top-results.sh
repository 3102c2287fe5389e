#!/bin/sh
# The five most anomalous test images of a run, with their scores and the URL of their attention map's values.
#   VAD_URL=http://localhost:4000 VAD_KEY=vad_... RUN_ID=<run id> sh top-results.sh
set -eu
curl --silent --show-error --fail-with-body "$VAD_URL/graphql" \
  -H "Authorization: Bearer $VAD_KEY" \
  -H 'Content-Type: application/json' \
  --data @- <<JSON
{"query": "query(\$id: ID!) { run(id: \$id) { results(first: 5, orderBy: SCORE_DESC) { edges { node { score image { name } maps { mapType npyUrl } } } } } }",
 "variables": {"id": "$RUN_ID"}}
JSON
