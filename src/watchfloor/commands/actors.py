"""`watchfloor actors search|show|provisional|confirm|reject|merge` and `watchfloor graph`: the
knowledge base and the organisation graph as an analyst reads them, with the organisational news
stored in the database and the reviewers' decisions on groups the knowledge base does not know."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from watchfloor.commands.options import DbOption
from watchfloor.errors import ConfigError, NotFound, WatchfloorError

if TYPE_CHECKING:
    import networkx as nx

    from watchfloor.resolve.actors import ActorKB, KBActor
    from watchfloor.store import Store
    from watchfloor.store.actor_reviews import ActorReview

FORMATS = ("json", "graphml", "dot")

actors_app = typer.Typer(help="Look up armed groups, state forces and their history.")


# ------------------------------------------------------------------------------- helpers


def parse_day(value: str | None, option: str = "--as-of") -> dt.date | None:
    """A YYYY-MM-DD option value; a ConfigError naming the option otherwise."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None


def search_actors(kb: ActorKB, query: str, limit: int = 25) -> list[tuple[KBActor, str]]:
    """Actors whose name or an alias contains ``query`` (case/accents ignored), best first.

    The exact reading of the query comes first, then name matches, then alias matches; each
    row carries the name that matched.
    """
    from watchfloor.resolve.actors import normalize

    key = normalize(query)
    if not key:
        return []
    rows: list[tuple[int, str, KBActor, str]] = []
    exact = kb.resolve(query)
    if exact is not None:
        rows.append((0, exact.name, exact, query))
    for actor in kb:
        if exact is not None and actor.actor_id == exact.actor_id:
            continue
        if key in normalize(actor.name) or key == actor.actor_id:
            rows.append((1, actor.name, actor, actor.name))
            continue
        for alias in actor.aliases:
            if key in normalize(alias):
                rows.append((2, actor.name, actor, alias))
                break
    rows.sort(key=lambda r: (r[0], r[1].casefold()))
    return [(actor, alias) for _, _, actor, alias in rows[:limit]]


def find_actor(kb: ActorKB, ref: str) -> KBActor:
    """The actor an id or a name denotes; NotFound with a hint otherwise."""
    actor = kb.get(ref) or kb.resolve(ref)
    if actor is None:
        raise NotFound(f"no actor {ref!r} in the knowledge base; try `watchfloor actors search`")
    return actor


def _dot_id(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def to_dot(graph: nx.MultiDiGraph) -> str:
    """Graphviz text for the graph, written by hand so that pydot is not needed."""
    lines = ["digraph organisations {", "  node [shape=box];"]
    for node, attrs in sorted(graph.nodes(data=True)):
        label = attrs.get("name") or node
        style = ', style="dashed"' if attrs.get("status") == "provisional" else ""
        lines.append(
            f"  {_dot_id(node)} [label={_dot_id(label)}, kind={_dot_id(attrs.get('kind') or '')}"
            f"{style}];"
        )
    for u, v, attrs in graph.edges(data=True):
        span = attrs.get("start") or "?"
        if attrs.get("end"):
            span += f"..{attrs['end']}"
        label = f"{attrs.get('kind')} {span}"
        arrow = ", dir=none" if attrs.get("symmetric") else ""
        lines.append(
            f"  {_dot_id(u)} -> {_dot_id(v)} [label={_dot_id(label)}, "
            f"source={_dot_id(str(attrs.get('source') or ''))}{arrow}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_graph(graph: nx.MultiDiGraph, fmt: str) -> str:
    """The graph as JSON (node-link), GraphML or Graphviz dot text."""
    import networkx as nx
    import orjson

    from watchfloor.resolve.graph import graphml_ready

    if fmt == "json":
        data = nx.node_link_data(graph, edges="edges")
        return orjson.dumps(data, option=orjson.OPT_INDENT_2, default=str).decode() + "\n"
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(graphml_ready(graph))) + "\n"
    try:
        from networkx.drawing.nx_pydot import to_pydot
    except ImportError:
        return to_dot(graph)
    try:
        return str(to_pydot(graphml_ready(graph)).to_string())
    except ImportError:  # networkx imports pydot only when called
        return to_dot(graph)


def _open(database_url: str | None) -> Store:
    from watchfloor.cli import _settings
    from watchfloor.store import Store

    return Store.open(_settings(database_url).resolved_database_url)


def _news_and_reviews(
    database_url: str | None, until: dt.date | None = None
) -> tuple[list[Any], dict[str, ActorReview]]:
    """Stored developments and the standing decisions on provisional actors, from one store."""
    from watchfloor.store.actor_reviews import actor_review_map

    store = _open(database_url)
    return list(store.org_developments(until=until)), actor_review_map(store)


def decide_provisional(
    store: Store,
    kb: ActorKB,
    provisional: str,
    decision: str,
    *,
    by: str,
    actor_id: str | None = None,
    parent_id: str | None = None,
    note: str | None = None,
) -> ActorReview:
    """Check a decision against the stored news and the knowledge base, then record it."""
    from watchfloor.resolve.graph import check_review, provisional_actors
    from watchfloor.store.actor_reviews import record_actor_review

    seen = {p.provisional_id: p for p in provisional_actors(kb, store.org_developments())}
    found, target, parent = check_review(
        kb, seen, provisional, decision, actor_id=actor_id, parent_id=parent_id
    )
    return record_actor_review(
        store,
        provisional,
        decision,
        name=found.name,
        by=by,
        actor_id=target,
        parent_id=parent,
        note=note,
    )


# ------------------------------------------------------------------------------- commands


@actors_app.command("search")
def actors_search(
    query: Annotated[str, typer.Argument(help="Part of a name or alias, e.g. 'khorasan'.")],
    limit: Annotated[int, typer.Option(help="Show at most this many actors.")] = 25,
) -> None:
    """Actors whose name or an alias contains QUERY: id, name, matching alias, country, inter."""
    from rich.table import Table

    from watchfloor.cli import _fail, out
    from watchfloor.resolve.actors import ActorKB

    try:
        found = search_actors(ActorKB.load(), query, limit)
    except WatchfloorError as exc:
        raise _fail(exc) from None
    if not found:
        raise _fail(NotFound(f"no actor name or alias contains {query!r}"))
    table = Table("id", "name", "matching alias", "country", "inter")
    for actor, alias in found:
        table.add_row(
            actor.actor_id,
            actor.name,
            alias if alias != actor.name else "",
            ", ".join(actor.countries),
            str(actor.inter or ""),
        )
    out.print(table)


@actors_app.command("show")
def actors_show(
    ref: Annotated[str, typer.Argument(help="Actor id or any of its names, e.g. ISKP.")],
    database_url: DbOption = None,
) -> None:
    """One actor: aliases with their validity, parent, branches, relations and a timeline that
    includes the organisational news stored in the database."""
    from rich.table import Table

    from watchfloor.cli import _fail, out
    from watchfloor.resolve.actors import ActorKB
    from watchfloor.resolve.graph import actor_timeline

    try:
        kb = ActorKB.load()
        actor = find_actor(kb, ref)
        developments, reviews = _news_and_reviews(database_url)
        timeline = actor_timeline(kb, developments, actor.actor_id, reviews)
    except WatchfloorError as exc:
        raise _fail(exc) from None
    out.print(f"[bold]{actor.name}[/bold]  ({actor.actor_id})", highlight=False)
    facts = Table(show_header=False, box=None)
    facts.add_column(style="bold")
    facts.add_column()
    parent = kb.parent(actor)
    facts.add_row("kind", actor.kind)
    facts.add_row("inter", str(actor.inter or ""))
    facts.add_row("countries", ", ".join(actor.countries))
    facts.add_row("parent", f"{parent.name} ({parent.actor_id})" if parent else "")
    facts.add_row("founded", actor.founded or "")
    facts.add_row("branch announced", actor.branch_announced or "")
    dated = {d.alias: d for d in actor.aliases_dated}
    names = []
    for alias in actor.aliases:
        d = dated.get(alias)
        if d is not None:
            alias += f" ({d.valid_from or '…'} to {d.until or 'now'})"
        names.append(alias)
    facts.add_row("aliases", "; ".join(names))
    out.print(facts, markup=False, highlight=False)

    branches = kb.children(actor.actor_id)
    if branches:
        table = Table("branch", "id", "announced", "founded", title="Branches")
        for b in branches:
            table.add_row(b.name, b.actor_id, b.branch_announced or "", b.founded or "")
        out.print(table)
    relations = kb.relations_of(actor.actor_id)
    if relations:
        table = Table("relation", "with", "start", "end", "source", title="Relations")
        for rel in relations:
            other_id = rel.target_id if rel.source_id == actor.actor_id else rel.source_id
            other = kb.get(other_id)
            arrow = "->" if rel.source_id == actor.actor_id else "<-"
            table.add_row(
                f"{rel.kind} {arrow}",
                other.name if other else other_id,
                rel.start or "",
                rel.end or "",
                rel.source,
            )
        out.print(table)
    if timeline:
        table = Table("date", "event", "source", "evidence", title="Timeline")
        for entry in timeline:
            table.add_row(entry.date or "undated", entry.text, entry.source, entry.evidence or "")
        out.print(table)


ByOption = Annotated[str, typer.Option("--by", help="Who decides (kept with the decision).")]
NoteOption = Annotated[str | None, typer.Option("--note", help="Why, for the next reviewer.")]
ProvisionalArg = Annotated[
    str, typer.Argument(help="A provisional id from `watchfloor actors provisional`.")
]


@actors_app.command("provisional")
def actors_provisional(
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list the ones already decided.")
    ] = False,
    database_url: DbOption = None,
) -> None:
    """Groups the stored news names that the knowledge base does not know, awaiting review:
    provisional id, name, first seen, the quote that introduced it and its source."""
    from rich.table import Table

    from watchfloor.cli import _fail, err, out
    from watchfloor.resolve.actors import ActorKB
    from watchfloor.resolve.graph import provisional_actors

    try:
        developments, reviews = _news_and_reviews(database_url)
        found = provisional_actors(ActorKB.load(), developments)
    except WatchfloorError as exc:
        raise _fail(exc) from None
    rows = [p for p in found if show_all or p.provisional_id not in reviews]
    if not rows:
        err.print("no provisional actors awaiting review", highlight=False)
        return
    columns = ["provisional id", "name", "first seen", "evidence", "source"]
    table = Table(*columns, *(["decision"] if show_all else []))
    for p in rows:
        cells = [p.provisional_id, p.name, p.first_seen or "", p.evidence or "", p.source]
        if show_all:
            review = reviews.get(p.provisional_id)
            cells.append(_decision_text(review) if review else "pending")
        table.add_row(*cells)
    out.print(table, markup=False, highlight=False)


def _decision_text(review: ActorReview) -> str:
    target = f" into {review.actor_id}" if review.actor_id else ""
    parent = f" (parent {review.parent_id})" if review.parent_id else ""
    return f"{review.decision}{target}{parent} by {review.by}"


def _decide(database_url: str | None, provisional: str, decision: str, **values: Any) -> None:
    from watchfloor.cli import _fail, out
    from watchfloor.resolve.actors import ActorKB

    try:
        review = decide_provisional(
            _open(database_url), ActorKB.load(), provisional, decision, **values
        )
    except WatchfloorError as exc:
        raise _fail(exc) from None
    out.print(
        f"{review.provisional_id} ({review.name}): {_decision_text(review)}",
        markup=False,
        highlight=False,
    )


@actors_app.command("confirm")
def actors_confirm(
    provisional: ProvisionalArg,
    by: ByOption,
    parent: Annotated[
        str | None, typer.Option("--parent", help="Known actor it is a branch of (id or name).")
    ] = None,
    note: NoteOption = None,
    database_url: DbOption = None,
) -> None:
    """Confirm a provisional actor as a real group; the graph then draws it as one."""
    _decide(database_url, provisional, "confirmed", by=by, parent_id=parent, note=note)


@actors_app.command("reject")
def actors_reject(
    provisional: ProvisionalArg,
    by: ByOption,
    note: NoteOption = None,
    database_url: DbOption = None,
) -> None:
    """Reject a provisional actor (a misreading); the graph drops it and its relations."""
    _decide(database_url, provisional, "rejected", by=by, note=note)


@actors_app.command("merge")
def actors_merge(
    provisional: ProvisionalArg,
    actor: Annotated[str, typer.Argument(help="The known actor it is (id or name).")],
    by: ByOption,
    note: NoteOption = None,
    database_url: DbOption = None,
) -> None:
    """Fold a provisional actor into a known one; its relations move to that actor."""
    _decide(database_url, provisional, "merged", by=by, actor_id=actor, note=note)


def graph_command(
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Only groups and relations in force that day (YYYY-MM-DD)."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="Output format: json, graphml or dot.")
    ] = "json",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file (default stdout).")
    ] = None,
    database_url: DbOption = None,
) -> None:
    """The organisation graph: knowledge base plus stored organisational news, cut at a day."""
    from watchfloor.cli import _fail, err
    from watchfloor.resolve.actors import ActorKB
    from watchfloor.resolve.graph import org_graph

    try:
        if fmt not in FORMATS:
            raise ConfigError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
        day = parse_day(as_of)
        developments, reviews = _news_and_reviews(database_url, day)
        graph = org_graph(ActorKB.load(), developments, as_of=day, reviews=reviews)
        text = render_graph(graph, fmt)
    except WatchfloorError as exc:
        raise _fail(exc) from None
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _fail(ConfigError(f"-o: cannot write {output}: {exc.strerror}")) from None
    err.print(
        f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges -> {output}",
        highlight=False,
        markup=False,
    )


MENTIONS = Path(__file__).resolve().parents[3] / "tests" / "resolve" / "data" / "mentions.tsv"


def eval_actors(
    data: Annotated[
        Path,
        typer.Option(
            "--data",
            help="Mention test set (TSV: mention, actor_id, date, country, context, origin).",
        ),
    ] = MENTIONS,
    show_misses: Annotated[
        int, typer.Option("--misses", min=0, help="List this many wrong answers.")
    ] = 10,
    json_out: Annotated[
        Path | None, typer.Option("--json-out", help="Also write every figure here.")
    ] = None,
) -> None:
    """Actor resolution: accuracy of mention -> actor on a test set, by origin."""
    from rich.table import Table

    from watchfloor.cli import _fail, _write_json, out
    from watchfloor.eval import actors as actor_eval
    from watchfloor.resolve.actors import ActorKB

    try:
        rows = actor_eval.load_mentions(data)
        report = actor_eval.evaluate(ActorKB.load(), rows)
    except WatchfloorError as exc:
        raise _fail(exc) from None
    figures = {"benchmark": "actors", "data": str(data), **actor_eval.report_dict(report)}
    table = Table(title=f"Actor resolution ({len(rows)} mentions)", title_justify="left")
    for column in ("origin", "mentions", "right", "accuracy"):
        table.add_column(column, justify="right")
    for name, row in [*figures["by_origin"].items(), ("all", figures["overall"])]:
        table.add_row(name, str(row["total"]), str(row["right"]), f"{row['accuracy']:.2f}")
    out.print(table)
    out.print(f"answers marked unresolved (generic classes): {figures['unresolved']}", markup=False)
    for miss in figures["misses"][:show_misses]:
        out.print(
            f"  miss: {miss['mention']!r} -> {miss['got']} (expected {miss['expected']}; "
            f"{miss['origin']})",
            markup=False,
            highlight=False,
        )
    from watchfloor.eval.report import stamp

    _write_json(json_out, stamp(figures))


def register_eval(eval_app: typer.Typer) -> None:
    """Add `eval actors` to the evaluation commands."""
    eval_app.command("actors")(eval_actors)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main application."""
    app.add_typer(actors_app, name="actors")
    app.command("graph")(graph_command)


__all__ = [
    "decide_provisional",
    "eval_actors",
    "find_actor",
    "parse_day",
    "register",
    "register_eval",
    "render_graph",
    "search_actors",
    "to_dot",
]
