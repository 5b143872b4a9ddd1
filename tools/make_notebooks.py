"""Write the notebooks in notebooks/ from the cell sources below (outputs stripped).

    python tools/make_notebooks.py

Edit the cells here, not in Jupyter, so the notebooks stay reviewable as code.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]

SETUP = '''import os
from pathlib import Path

# Run from notebooks/ (Jupyter's default); outputs go to ../graphkit-out/notebooks unless told otherwise.
EXAMPLES = Path("../examples/profiles")
OUT = Path(os.environ.get("GRAPHKIT_NOTEBOOK_OUT", "../graphkit-out/notebooks"))
OUT.mkdir(parents=True, exist_ok=True)'''

NOTEBOOKS = {
    "01-centrality.ipynb": [
        new_markdown_cell("# Who is central?\n\nBuild the bundled example profiles into a knowledge graph, compute every centrality graphkit offers on the co-author graph, look at the leaders, and store the results so Cypher can sort by them."),
        new_code_cell(SETUP),
        new_code_cell('''import datetime as dt

from graphkit.build import coauthor_graph
from graphkit.pipeline import build_knowledge_graph
from graphkit.store import EmbeddedStore

result = build_knowledge_graph([EXAMPLES], as_of=dt.date(2026, 11, 21))
store = EmbeddedStore(OUT / "centrality")
store.write(result.graph)
H = coauthor_graph(result.graph)
print(result.counts())
print(f"co-author graph: {H.number_of_nodes()} authors, {H.number_of_edges()} collaborations")'''),
        new_code_cell('''from graphkit.analyze import ALL_MEASURES, HAVE_IGRAPH, centrality_table

table = centrality_table(H, ALL_MEASURES, seed=0)
print("compiled path (igraph):", HAVE_IGRAPH)
table.head(10)'''),
        new_markdown_cell("Each measure tells a different story: `betweenness` finds brokers between groups, `pagerank` and `eigenvector` find authors close to other well-connected authors, `constraint` is low for brokers."),
        new_code_cell('''for measure in ["betweenness", "pagerank", "constraint"]:
    ascending = measure == "constraint"
    top = table.sort_values(measure, ascending=ascending).head(3)
    print(measure, "->", ", ".join(f"{n} ({v:.3f})" for n, v in zip(top["name"], top[measure])))'''),
        new_code_cell('''import matplotlib.pyplot as plt

top = table.sort_values("pagerank", ascending=False).head(10)
fig, ax = plt.subplots(figsize=(7, 4))
ax.barh(top["name"][::-1], top["pagerank"][::-1], color="#4c72b0")
ax.set_xlabel("PageRank (Newman-weighted co-author graph)")
ax.set_title("Most central authors in the examples")
fig.tight_layout()
fig.savefig(OUT / "pagerank-top10.png", dpi=100)
plt.show()'''),
        new_code_cell('''from graphkit.analyze import write_back

written = write_back(store, table)
rows = store.query("MATCH (a:Author) RETURN a.name AS name, a.pagerank AS pagerank, a.betweenness AS betweenness "
                   "ORDER BY a.pagerank DESC LIMIT 5")
assert rows[0]["name"] == table.sort_values("pagerank", ascending=False).iloc[0]["name"]
print(f"wrote {written} values")
rows'''),
    ],
    "02-cypher.ipynb": [
        new_markdown_cell("# Asking the graph in Cypher\n\nThe knowledge graph lives in an embedded Cypher database (LadybugDB). Queries run read-only; results come back as rows that drop straight into pandas."),
        new_code_cell(SETUP),
        new_code_cell('''import datetime as dt

import pandas as pd

from graphkit.pipeline import build_knowledge_graph
from graphkit.store import EmbeddedStore

store = EmbeddedStore(OUT / "cypher")
store.write(build_knowledge_graph([EXAMPLES], as_of=dt.date(2026, 11, 21)).graph)
pd.DataFrame(store.query("MATCH (n) RETURN label(n) AS label, count(*) AS nodes ORDER BY label"))'''),
        new_markdown_cell("Top collaborators of one author, with the Newman weight of each collaboration. Values are always parameters."),
        new_code_cell('''collaborators = pd.DataFrame(store.query(
    "MATCH (a:Author {name: $name})-[c:COAUTHORED]-(b:Author) "
    "RETURN b.name AS coauthor, c.papers AS papers, round(c.weight, 3) AS weight, c.first_year AS since "
    "ORDER BY c.papers DESC, c.weight DESC, coauthor",
    {"name": "Luke Zettlemoyer"},
))
collaborators'''),
        new_code_cell('''papers = pd.DataFrame(store.query(
    "MATCH (p:Paper)-[:AFFILIATED_WITH]->(i:Institution) "
    "RETURN i.name AS institution, count(p) AS papers, min(p.year) AS first, max(p.year) AS last ORDER BY papers DESC"
))
papers'''),
        new_markdown_cell("A collaboration path in Cypher (the embedded dialect's shortest-path syntax; `graphkit.store.dialect` writes the Neo4j form), and the same question through the library, which also names the papers behind each step."),
        new_code_cell('''from graphkit.store.dialect import project_list, shortest_path_match

statement = (
    "MATCH (a:Author {name: $a}), (b:Author {name: $b}) "
    + shortest_path_match("embedded", "a", "COAUTHORED", "b", 6)
    + " RETURN " + project_list("embedded", "nodes(p)", "x", "x.name") + " AS chain"
)
chain = store.query(statement, {"a": "Omer Levy", "b": "Tim Dettmers"})[0]["chain"]
print(" -> ".join(chain))'''),
        new_code_cell('''from graphkit.analyze import collaboration_path

steps = collaboration_path(store.read(), "Omer Levy", "Tim Dettmers")
assert [s["from_name"] for s in steps] + [steps[-1]["to_name"]] == chain
pd.DataFrame([{"from": s["from_name"], "to": s["to_name"], "papers": "; ".join(p["title"] for p in s["papers"])} for s in steps])'''),
    ],
    "03-collaboration-map.ipynb": [
        new_markdown_cell("# The collaboration map\n\nAn interactive map of the co-author graph, drawn with vis-network from pyvis's bundled copy: node size by PageRank, colour by community (switchable to main institution or the average year of each author's papers), edge width by Newman weight. The layout is computed in Python, each community in its own region, so the map is still at once; the year control shows the co-authorships up to a year; the file works offline."),
        new_code_cell(SETUP),
        new_code_cell('''import datetime as dt

from graphkit.pipeline import build_knowledge_graph
from graphkit.render import collaboration_network, map_html, write_map

G = build_knowledge_graph([EXAMPLES], as_of=dt.date(2026, 11, 21)).graph
net = collaboration_network(G, size_by="pagerank", color_by="community", seed=0)
print(type(net).__name__, len(net.nodes), "nodes,", len(net.edges), "edges")'''),
        new_code_cell('''path = write_map(net, OUT / "collaboration-map.html")
print(path, path.stat().st_size, "bytes")'''),
        new_markdown_cell("How well the layout shows the structure: neighbourhood preservation (the share of each author's co-authors among their nearest authors on the map) and community share (the share of each author's 10 nearest authors in their own community)."),
        new_code_cell('''from graphkit.build import coauthor_graph
from graphkit.render import layout_quality

H = coauthor_graph(G)
positions = {n["id"]: (n["x"], n["y"]) for n in net.nodes}
layout_quality(H, positions, net.graphkit["communities"])'''),
        new_code_cell('''from IPython.display import Image
from graphkit.render import write_image

Image(filename=str(write_image(net, OUT / "collaboration-map.png", dpi=90)))'''),
        new_code_cell('''from IPython.display import HTML

HTML(map_html(net, inline_frame=True))'''),
        new_markdown_cell("The institution map: institutions as nodes, edge width = co-authored papers."),
        new_code_cell('''from graphkit.render import institution_network

inst = institution_network(G, seed=0)
HTML(map_html(inst, inline_frame=True, height=420))'''),
    ],
}


def main() -> None:
    for name, cells in NOTEBOOKS.items():
        nb = new_notebook(cells=cells, metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        })
        nbformat.write(nb, ROOT / "notebooks" / name)
        print("wrote", name)


if __name__ == "__main__":
    main()
