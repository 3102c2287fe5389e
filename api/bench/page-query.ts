/**
 * The page the benchmark and the query-count test ask for: a page of a run's results, most anomalous first,
 * with each result's image and that image's current mask.
 */
export const RESULTS_PAGE = `query ResultsPage($runId: ID!, $first: Int!, $after: String) {
  run(id: $runId) {
    results(first: $first, after: $after, orderBy: SCORE_DESC) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          id
          score
          attentionMapUrl
          image { id name label defectType width height thumbnailUrl currentMask { id version status } }
        }
      }
    }
  }
}`;
