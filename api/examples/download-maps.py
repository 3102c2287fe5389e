"""Downloads every test result of a run: each map's values as .npy files, and a scores.csv.

Python 3 standard library only:
    VAD_URL=http://localhost:4000 VAD_KEY=vad_... RUN_ID=<run id> python3 download-maps.py <folder>
"""
import csv
import json
import os
import sys
import urllib.parse
import urllib.request

URL = os.environ["VAD_URL"]
HEADERS = {"Authorization": "Bearer " + os.environ["VAD_KEY"], "Content-Type": "application/json"}
PAGE = """query($id: ID!, $after: String) { run(id: $id) {
  results(first: 100, after: $after, orderBy: SCORE_DESC) {
    pageInfo { hasNextPage endCursor }
    edges { node { id score image { name label defectType } maps { mapType npyUrl } } }
} } }"""


def graphql(query, variables):
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(URL + "/graphql", data=body, headers=HEADERS)
    with urllib.request.urlopen(request) as response:
        answer = json.load(response)
    if answer.get("errors"):
        sys.exit("; ".join(error["message"] for error in answer["errors"]))
    return answer["data"]


def download(url, target):
    # The API's file URLs are absolute; urljoin also takes a bare /files path.
    request = urllib.request.Request(urllib.parse.urljoin(URL, url), headers=HEADERS)
    with urllib.request.urlopen(request) as response, open(target, "wb") as out:
        out.write(response.read())


def main(folder):
    os.makedirs(folder, exist_ok=True)
    rows, after = [], None
    while True:
        run = graphql(PAGE, {"id": os.environ["RUN_ID"], "after": after})["run"]
        if run is None:
            sys.exit("no such run")
        for edge in run["results"]["edges"]:
            result = edge["node"]
            image = result["image"]
            rows.append([image["name"], image["label"], image["defectType"], result["score"]])
            for map_ in result["maps"]:
                name = "%s.%s.npy" % (image["name"].replace("/", "_"), map_["mapType"])
                download(map_["npyUrl"], os.path.join(folder, name))
        page = run["results"]["pageInfo"]
        if not page["hasNextPage"]:
            break
        after = page["endCursor"]
    with open(os.path.join(folder, "scores.csv"), "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["image", "label", "defect_type", "score"])
        writer.writerows(rows)
    print("%d results in %s" % (len(rows), folder))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "maps")
